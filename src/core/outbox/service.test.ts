import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../../test/support/db.js';
import { makeAccount } from '../../../test/support/factories.js';
import type { Deps } from '../context.js';
import { openDatabase } from '../db/database.js';
import type { OutboxClaim } from './model.js';
import { claimOutbox, enqueue, listOutbox, markSent } from './service.js';

describeEachDatabase('outbox claims', (db) => {
  /** An empty outbox with `n` messages queued one millisecond apart, oldest first. */
  async function queue(n: number): Promise<string[]> {
    const { deps, clock } = db();
    await deps.database.db.deleteFrom('outbox').execute();
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      ids.push(
        await enqueue(deps.database.db, clock, {
          channel: 'sms',
          recipient: `1380000${String(i).padStart(4, '0')}`,
          subject: '测试',
          body: `【民评】第${i}条`,
          relatedType: 'test',
          relatedId: `m${i}`,
        }),
      );
      clock.set(new Date(clock.now().getTime() + 1).toISOString());
    }
    return ids;
  }
  const ids = (claim: OutboxClaim) => claim.messages.map((m) => m.id);
  const outboxRows = () => db().deps.database.db.selectFrom('outbox').selectAll().orderBy('id').execute();

  it('hands the oldest free messages to one drain for a lease; the next drain gets the next ones', async () => {
    const { deps, clock } = db();
    const gateway = await makeAccount(deps, 'office');
    const queued = await queue(5);
    const first = await claimOutbox(deps, gateway, { limit: 3, leaseSeconds: 60 });
    expect(ids(first)).toEqual(queued.slice(0, 3));
    expect(first.claimedUntil).toBe(new Date(clock.now().getTime() + 60_000).toISOString());
    expect(first.messages.every((m) => m.claimedUntil === first.claimedUntil && m.sentAt === null)).toBe(
      true,
    );
    const second = await claimOutbox(deps, gateway, { limit: 3, leaseSeconds: 60 });
    expect(second.claimId).not.toBe(first.claimId);
    expect(ids(second)).toEqual(queued.slice(3));
    expect(ids(await claimOutbox(deps, gateway, { limit: 3 }))).toEqual([]);
    // Looking at the list changes nothing and shows who is held until when.
    const listed = await listOutbox(deps, gateway, { unsent: true });
    expect(listed.map((m) => [m.id, m.claimedUntil])).toEqual(
      queued.map((id, i) => [id, i < 3 ? first.claimedUntil : second.claimedUntil]),
    );
    expect(listed[0]).not.toHaveProperty('claimedBy');
  });

  it('two drains at once never get the same message, on one node or on two', async () => {
    const t = db();
    const { deps } = t;
    const gateway = await makeAccount(deps, 'office');
    const queued = await queue(240);
    // On PostgreSQL the second drain is another app node: its own connection pool on the same schema.
    const other = t.postgres
      ? openDatabase(t.postgres.url, { searchPath: t.postgres.schema, poolSize: 4 })
      : null;
    const nodes: Deps[] = [deps, other ? { ...deps, database: other } : deps];
    try {
      const taken: string[][] = [];
      for (let round = 0; round < 20; round += 1) {
        const claims = await Promise.all(
          [0, 1, 0, 1].map((n) => claimOutbox(nodes[n] ?? deps, gateway, { limit: 7 })),
        );
        taken.push(...claims.map(ids));
        if (claims.every((c) => c.messages.length === 0)) break;
      }
      const all = taken.flat();
      expect(all.length).toBe(queued.length);
      expect(new Set(all).size).toBe(queued.length);
      expect([...all].sort()).toEqual([...queued].sort());
      // Each message carries the claim of the one drain that got it.
      const rows = await outboxRows();
      expect(new Set(rows.map((r) => r.claimedBy)).size).toBe(taken.filter((c) => c.length > 0).length);
    } finally {
      await other?.close();
    }
  });

  it('PostgreSQL: a drain passes over messages another node is still claiming instead of waiting', async () => {
    const t = db();
    if (!t.postgres) return; // SQLite runs one writing statement at a time: nothing is ever half-claimed.
    const { deps } = t;
    const gateway = await makeAccount(deps, 'office');
    const queued = await queue(6);
    const other = openDatabase(t.postgres.url, { searchPath: t.postgres.schema, poolSize: 2 });
    try {
      let mine: OutboxClaim | undefined;
      await other.db.transaction().execute(async (trx) => {
        // The other node has picked the three oldest and not committed yet.
        await trx
          .selectFrom('outbox')
          .select('id')
          .where('id', 'in', queued.slice(0, 3))
          .forUpdate()
          .execute();
        mine = await Promise.race([
          claimOutbox(deps, gateway, { limit: 10 }),
          new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error('the claim waited for the other node')), 5_000),
          ),
        ]);
      });
      expect(mine ? ids(mine) : []).toEqual(queued.slice(3));
      // Once the other node let go without claiming them, they are free.
      expect(ids(await claimOutbox(deps, gateway, { limit: 10 }))).toEqual(queued.slice(0, 3));
    } finally {
      await other.close();
    }
  });

  it('a claim that runs out unreported frees its messages; reports release or keep claims as they should', async () => {
    const { deps, clock } = db();
    const gateway = await makeAccount(deps, 'office');
    const queued = await queue(3);
    const [a, b, c] = queued as [string, string, string];
    const first = await claimOutbox(deps, gateway, { limit: 10, leaseSeconds: 60 });
    expect(ids(first)).toEqual(queued);

    clock.set(new Date(clock.now().getTime() + 59_999).toISOString());
    expect(ids(await claimOutbox(deps, gateway))).toEqual([]);
    clock.set(new Date(clock.now().getTime() + 1).toISOString());
    // The first drain died: once its lease is over, another one takes the messages.
    const second = await claimOutbox(deps, gateway, { limit: 10, leaseSeconds: 60 });
    expect(ids(second)).toEqual(queued);

    // A late failure report from the first drain is recorded, but leaves the second drain's claim alone.
    const late = await markSent(deps, gateway, a, { ok: false, error: 'timeout', claimId: first.claimId });
    expect(late).toMatchObject({ attempts: 1, lastError: 'timeout', claimedUntil: second.claimedUntil });
    expect(ids(await claimOutbox(deps, gateway))).toEqual([]);

    // The second drain reports: b failed (freed at once for the next claim), c sent (never again).
    expect(
      await markSent(deps, gateway, b, { ok: false, error: '号码停机', claimId: second.claimId }),
    ).toMatchObject({ attempts: 1, claimedUntil: null, sentAt: null });
    expect(await markSent(deps, gateway, c, { ok: true, claimId: second.claimId })).toMatchObject({
      attempts: 1,
      claimedUntil: null,
      sentAt: clock.now().toISOString(),
    });
    const third = await claimOutbox(deps, gateway, { leaseSeconds: 60 });
    expect(ids(third)).toEqual([b]);

    // Even after every lease has run out, only the unsent messages come back.
    clock.set(new Date(clock.now().getTime() + 3_600_000).toISOString());
    expect(ids(await claimOutbox(deps, gateway))).toEqual([a, b]);
    const rows = await outboxRows();
    expect(rows.find((r) => r.id === c)).toMatchObject({ claimedBy: null, claimedUntil: null });
  });

  it('a gateway that does not claim drains as before: list the unsent, report each', async () => {
    const { deps } = db();
    const gateway = await makeAccount(deps, 'office');
    const queued = await queue(2);
    const unsent = await listOutbox(deps, gateway, { unsent: true });
    expect(unsent.map((m) => [m.id, m.claimedUntil])).toEqual(queued.map((id) => [id, null]));
    await markSent(deps, gateway, queued[0] ?? '', { ok: false, error: 'busy' });
    await markSent(deps, gateway, queued[1] ?? '', { ok: true });
    expect((await listOutbox(deps, gateway, { unsent: true })).map((m) => [m.id, m.attempts])).toEqual([
      [queued[0], 1],
    ]);
    expect(ids(await claimOutbox(deps, gateway))).toEqual([queued[0]]);
  });

  it('refuses a bad limit or lease, and anyone but the office, leaving every message free', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    const leader = await makeAccount(deps, 'leader');
    await queue(2);
    const before = await outboxRows();
    await expect(claimOutbox(deps, leader)).rejects.toMatchObject({ status: 403, code: 'forbidden' });
    for (const limit of [0, 1001, 1.5]) {
      await expect(claimOutbox(deps, office, { limit })).rejects.toMatchObject({
        status: 400,
        code: 'invalid_limit',
      });
    }
    for (const leaseSeconds of [9, 3601, 30.5]) {
      await expect(claimOutbox(deps, office, { leaseSeconds })).rejects.toMatchObject({
        status: 400,
        code: 'invalid_lease',
      });
    }
    expect(await outboxRows()).toEqual(before);
    expect(before.every((r) => r.claimedBy === null)).toBe(true);
  });
});
