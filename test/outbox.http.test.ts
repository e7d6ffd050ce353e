import { expect, it } from 'vitest';
import { enqueue } from '../src/core/outbox/service.js';
import { bearerClient, describeEachApp, expectError, signInFresh } from './support/checks.js';
import { makeAccount } from './support/factories.js';

interface Message {
  id: string;
  sentAt: string | null;
  attempts: number;
  lastError: string | null;
  claimedUntil: string | null;
}
interface Claim {
  claimId: string;
  claimedUntil: string;
  messages: Message[];
}

describeEachApp('the outbox drained by several gateways', (t) => {
  async function queue(n: number): Promise<string[]> {
    const { deps, clock } = t();
    await deps.database.db.deleteFrom('outbox').execute();
    const ids: string[] = [];
    for (let i = 0; i < n; i += 1) {
      ids.push(
        await enqueue(deps.database.db, clock, {
          channel: 'sms',
          recipient: `1390000${String(i).padStart(4, '0')}`,
          subject: '测试',
          body: `【民评】第${i}条`,
          relatedType: 'test',
          relatedId: `h${i}`,
        }),
      );
      clock.set(new Date(clock.now().getTime() + 1).toISOString());
    }
    return ids;
  }

  it('two gateways claiming at once get different messages; each reports under its claim', async () => {
    const { app, deps, clock } = t();
    const office = await makeAccount(deps, 'office');
    const officeClient = await signInFresh(app, office.username);
    const tokens = await Promise.all(
      ['短信网关一', '短信网关二'].map(async (name) => {
        const res = await officeClient.post('/api/api-tokens', { name, scopes: ['outbox:drain'] });
        expect(res.statusCode).toBe(201);
        return res.json<{ token: string }>().token;
      }),
    );
    const [one, two] = tokens.map((token) => bearerClient(app, token)) as [
      ReturnType<typeof bearerClient>,
      ReturnType<typeof bearerClient>,
    ];
    const queued = await queue(10);

    const answers = await Promise.all([
      one.post('/api/outbox/claim', { limit: 4, leaseSeconds: 120 }),
      two.post('/api/outbox/claim', { limit: 4, leaseSeconds: 120 }),
    ]);
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200]);
    const [a, b] = answers.map((r) => r.json<Claim>()) as [Claim, Claim];
    const aIds = a.messages.map((m) => m.id);
    const bIds = b.messages.map((m) => m.id);
    expect(aIds).toHaveLength(4);
    expect(bIds).toHaveLength(4);
    expect(aIds.filter((id) => bIds.includes(id))).toEqual([]);
    expect([...aIds, ...bIds].sort()).toEqual(queued.slice(0, 8));
    expect(a.claimedUntil).toBe(new Date(clock.now().getTime() + 120_000).toISOString());
    expect(a.messages[0]).not.toHaveProperty('claimedBy');

    // Gateway one sends its first, fails its second (free again at once); gateway two reports nothing.
    const [sent, failed] = aIds as [string, string];
    const ok = await one.post(`/api/outbox/${sent}/sent`, { ok: true, claimId: a.claimId });
    expect(ok.json<Message>()).toMatchObject({ attempts: 1, claimedUntil: null });
    expect(ok.json<Message>().sentAt).not.toBeNull();
    const bad = await one.post(`/api/outbox/${failed}/sent`, {
      ok: false,
      error: '网关超时',
      claimId: a.claimId,
    });
    expect(bad.json<Message>()).toMatchObject({
      sentAt: null,
      attempts: 1,
      lastError: '网关超时',
      claimedUntil: null,
    });
    const next = (await two.post('/api/outbox/claim', { limit: 10 })).json<Claim>();
    expect(next.messages.map((m) => m.id)).toEqual([failed, ...queued.slice(8)]);

    // Two minutes on, the first two claims' unreported messages come back, oldest first; the third
    // claim (five minutes, the default lease) still holds its own.
    clock.set(new Date(clock.now().getTime() + 120_000).toISOString());
    const after = (await one.post('/api/outbox/claim', { limit: 100 })).json<Claim>();
    expect(after.messages.map((m) => m.id)).toEqual(
      queued.slice(0, 8).filter((id) => id !== sent && id !== failed),
    );
    // The plain list, as a single gateway polls it, shows the same unsent messages and their claims.
    const listed = (await one.get('/api/outbox?unsent=true')).json<Message[]>();
    expect(listed.map((m) => m.id)).toEqual(queued.filter((id) => id !== sent));
    expect(listed.find((m) => m.id === failed)?.claimedUntil).toBe(next.claimedUntil);
  });

  it('refuses a bad claim with a stable code and claims nothing', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const leader = await signInFresh(app, (await makeAccount(deps, 'leader')).username);
    await queue(3);
    const before = await deps.database.db.selectFrom('outbox').selectAll().orderBy('id').execute();
    expectError(await office.post('/api/outbox/claim', { limit: 0 }), 400, 'invalid_input', {
      field: 'limit',
    });
    expectError(await office.post('/api/outbox/claim', { limit: 1001 }), 400, 'invalid_input');
    expectError(await office.post('/api/outbox/claim', { leaseSeconds: 5 }), 400, 'invalid_input', {
      field: 'leaseSeconds',
    });
    expectError(await office.post('/api/outbox/claim', { limit: 'all' }), 400, 'invalid_input');
    expectError(await office.post('/api/outbox/claim', { owner: 'me' }), 400, 'invalid_input');
    expectError(await leader.post('/api/outbox/claim', {}), 403, 'forbidden');
    expect(await deps.database.db.selectFrom('outbox').selectAll().orderBy('id').execute()).toEqual(before);
    expect(before.every((m) => m.claimedBy === null)).toBe(true);
    // An empty body takes the defaults.
    const claimed = await office.post('/api/outbox/claim', {});
    expect(claimed.json<Claim>().messages).toHaveLength(3);
  });
});
