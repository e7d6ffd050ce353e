import { expect, it } from 'vitest';
import { caseSweeps, sweepDeadlines } from '../src/cases/sweeps.js';
import { caseOfRating, insertBadRating, prepareCase } from '../src/cases/testing.js';
import { replyToCase, verifyCase } from '../src/cases/service.js';
import { boot } from '../src/core/boot.js';
import { setDay } from '../src/core/calendar/service.js';
import type { Deps } from '../src/core/context.js';
import { runSweep } from '../src/core/sweeps.js';
import { updateUnit } from '../src/registry/service.js';
import { describeEachApp, expectError, signInFresh } from './support/checks.js';
import { DIALECTS, openTestDatabase, TEST_SCRYPT } from './support/db.js';
import { makeAccount, makeTree, SYSTEM, type SmallTree } from './support/factories.js';

/*
 * The escalation ladder and the unjudged close, as the periodic sweeps run them: by moving the clock,
 * running every sweep twice (no duplicates), and on PostgreSQL from two app nodes at once.
 */

const MONDAY = '2026-03-16T02:00:00.000Z';
const at = (date: string) => `${date}T02:00:00.000Z`; // 10:00 in China

async function sweepAll(deps: Deps) {
  const results = [];
  for (const sweep of caseSweeps) results.push(await runSweep(deps, sweep.name, sweep.work));
  return results;
}

async function warningsOf(deps: Deps, caseId: string) {
  return deps.database.db
    .selectFrom('caseWarnings')
    .selectAll()
    .where('caseId', '=', caseId)
    .orderBy('stage')
    .orderBy('level')
    .execute();
}

async function outboxOf(deps: Deps, relatedIds: string[]) {
  if (relatedIds.length === 0) return [];
  return deps.database.db.selectFrom('outbox').selectAll().where('relatedId', 'in', relatedIds).execute();
}

async function namedTree(deps: Deps): Promise<SmallTree> {
  const tree = await makeTree(deps);
  await updateUnit(deps, SYSTEM, tree.sectionA1.id, {
    responsibleName: '王科长',
    responsiblePhone: '13800000001',
  });
  return tree;
}

describeEachApp('case sweeps', (t) => {
  it('climbs 预警单 → 紧急预警单 → 约谈 by working days late, once per level however often it runs', async () => {
    const { deps, clock } = t();
    clock.set(MONDAY);
    const tree = await namedTree(deps);
    const rating = await insertBadRating(deps, { unitId: tree.windowA1.id });
    const c = await caseOfRating(deps, rating.id);
    expect(c.dueOn).toBe('2026-03-17');

    clock.set(at('2026-03-17'));
    await sweepAll(deps);
    expect(await warningsOf(deps, c.id)).toHaveLength(0);

    clock.set(at('2026-03-18')); // 1 working day late
    await sweepAll(deps);
    await sweepAll(deps);
    let warnings = await warningsOf(deps, c.id);
    expect(warnings.map((w) => [w.stage, w.level, w.unitId, w.dueOn, w.issuedOn])).toEqual([
      ['verifying:0', 1, tree.sectionA1.id, '2026-03-17', '2026-03-18'],
    ]);
    expect((await caseOfRating(deps, rating.id)).escalation).toBe(1);
    const first = await outboxOf(
      deps,
      warnings.map((w) => w.id),
    );
    expect(first).toHaveLength(1);
    expect(first[0]).toMatchObject({ channel: 'sms', recipient: '13800000001' });
    expect(first[0]?.subject).toContain('预警单');

    clock.set(at('2026-03-20')); // 3 working days late: still a warning
    await sweepAll(deps);
    expect(await warningsOf(deps, c.id)).toHaveLength(1);

    clock.set(at('2026-03-23')); // 4 working days late (the weekend does not count): urgent warning
    await sweepAll(deps);
    await sweepAll(deps);
    warnings = await warningsOf(deps, c.id);
    expect(warnings.map((w) => w.level)).toEqual([1, 2]);
    expect((await caseOfRating(deps, rating.id)).escalation).toBe(2);

    clock.set(at('2026-03-27')); // 8 working days late: still urgent
    await sweepAll(deps);
    expect(await warningsOf(deps, c.id)).toHaveLength(2);

    clock.set(at('2026-03-30')); // 9: escalation for a talk, and the office hears of it
    await sweepAll(deps);
    await sweepAll(deps);
    warnings = await warningsOf(deps, c.id);
    expect(warnings.map((w) => w.level)).toEqual([1, 2, 3]);
    const talk = await outboxOf(deps, [warnings[2]?.id ?? '']);
    expect(talk.map((m) => m.recipient).sort()).toEqual(['13800000001', 'office']);
    expect((await caseOfRating(deps, rating.id)).escalation).toBe(3);

    const events = await deps.database.db
      .selectFrom('caseEvents')
      .select(['type', 'payload'])
      .where('caseId', '=', c.id)
      .where('type', '=', 'warning')
      .execute();
    expect(events).toHaveLength(3);
    const audits = await deps.database.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'case.warning')
      .where(
        'entityId',
        'in',
        warnings.map((w) => w.id),
      )
      .execute();
    expect(audits).toHaveLength(3);
  });

  it('issues every level reached at once when the sweep did not run, and starts a new ladder for the next deadline', async () => {
    const { deps, clock } = t();
    clock.set(MONDAY);
    const tree = await namedTree(deps);
    const rating = await insertBadRating(deps, { unitId: tree.windowA1.id });
    const c = await caseOfRating(deps, rating.id);
    clock.set(at('2026-03-30'));
    const [deadlines] = await sweepAll(deps);
    expect(deadlines?.counts.talks).toBeGreaterThanOrEqual(1);
    expect((await warningsOf(deps, c.id)).map((w) => w.level)).toEqual([1, 2, 3]);

    // Verified late: the rectification deadline (15 working days from opening: 6 April) has its own ladder.
    const verified = await verifyCase(deps, SYSTEM, c.id, { genuine: true });
    expect(verified).toMatchObject({ state: 'rectifying', escalation: 0, dueOn: '2026-04-06' });
    clock.set(at('2026-04-06'));
    await sweepAll(deps);
    expect(await warningsOf(deps, c.id)).toHaveLength(3);
    clock.set(at('2026-04-07'));
    await sweepAll(deps);
    await sweepAll(deps);
    const warnings = await warningsOf(deps, c.id);
    expect(warnings.map((w) => [w.stage, w.level])).toEqual([
      ['rectifying:0', 1],
      ['verifying:0', 1],
      ['verifying:0', 2],
      ['verifying:0', 3],
    ]);
    expect((await caseOfRating(deps, rating.id)).escalation).toBe(1);
  });

  it('leaves cases the unit does not hold alone', async () => {
    const { deps, clock } = t();
    clock.set(MONDAY);
    const tree = await namedTree(deps);
    const appealed = await prepareCase(deps, tree.windowA1.id, 'appealed');
    const waiting = await prepareCase(deps, tree.windowA1.id, 'awaiting_judgement');
    clock.set(at('2026-03-19'));
    await sweepAll(deps);
    expect(await warningsOf(deps, appealed.caseId)).toHaveLength(0);
    expect(await warningsOf(deps, waiting.caseId)).toHaveLength(0);
  });

  it('closes a case whose rater did not judge within the judgement days', async () => {
    const { deps, clock, app } = t();
    clock.set(MONDAY);
    const tree = await namedTree(deps);
    const { caseId, token } = await prepareCase(deps, tree.windowA1.id, 'awaiting_judgement');
    const c = await deps.database.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    // Replied Monday 16 March; 5 working days to judge → Monday 23 March.
    expect(c.judgeDueOn).toBe('2026-03-23');
    clock.set(at('2026-03-23'));
    await sweepAll(deps);
    expect(
      (
        await deps.database.db
          .selectFrom('cases')
          .select('state')
          .where('id', '=', caseId)
          .executeTakeFirstOrThrow()
      ).state,
    ).toBe('awaiting_judgement');
    clock.set(at('2026-03-24'));
    const [, unjudged] = await sweepAll(deps);
    expect(unjudged?.counts.closed).toBeGreaterThanOrEqual(1);
    expect((await sweepAll(deps))[1]?.counts.closed).toBe(0);
    const closed = await deps.database.db
      .selectFrom('cases')
      .selectAll()
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(closed).toMatchObject({ state: 'closed', judgement: null });
    expect(closed.closedAt).not.toBeNull();
    const events = await deps.database.db
      .selectFrom('caseEvents')
      .select('type')
      .where('caseId', '=', caseId)
      .execute();
    expect(events.map((e) => e.type)).toContain('closed_unjudged');
    // The link no longer judges.
    expectError(
      await app.inject({
        method: 'POST',
        url: `/api/public/judgements/${token ?? ''}`,
        payload: { judgement: 'satisfied' },
      }),
      409,
      'judgement_closed',
    );
  });

  it('moves due dates when the office changes the calendar, at the next sweep', async () => {
    const { deps, clock } = t();
    clock.set(MONDAY);
    const tree = await namedTree(deps);
    const rating = await insertBadRating(deps, { unitId: tree.windowA1.id });
    const c = await caseOfRating(deps, rating.id);
    expect(c.dueOn).toBe('2026-03-17');
    await setDay(deps, SYSTEM, '2026-03-17', { kind: 'holiday', name: '临时停工' });
    const [deadlines] = await sweepAll(deps);
    expect(deadlines?.counts.dueChanged).toBeGreaterThanOrEqual(1);
    expect((await caseOfRating(deps, rating.id)).dueOn).toBe('2026-03-18');
    const events = await deps.database.db
      .selectFrom('caseEvents')
      .select(['type', 'payload'])
      .where('caseId', '=', c.id)
      .where('type', '=', 'due_changed')
      .execute();
    expect(JSON.parse(events[0]?.payload ?? '{}')).toEqual({ from: '2026-03-17', to: '2026-03-18' });
    await deps.database.db.deleteFrom('calendarDays').where('date', '=', '2026-03-17').execute();
    await sweepAll(deps);
    expect((await caseOfRating(deps, rating.id)).dueOn).toBe('2026-03-17');
  });

  it('gives the rater more time to judge when the office adds a holiday, and never less when one is removed', async () => {
    const { deps, clock } = t();
    clock.set(MONDAY);
    const tree = await namedTree(deps);
    const { caseId } = await prepareCase(deps, tree.windowA1.id, 'awaiting_judgement');
    const judgeDueOn = async () =>
      (
        await deps.database.db
          .selectFrom('cases')
          .select(['judgeDueOn', 'state'])
          .where('id', '=', caseId)
          .executeTakeFirstOrThrow()
      ).judgeDueOn;
    // Replied Monday 16 March; 5 working days to judge → Monday 23 March.
    expect(await judgeDueOn()).toBe('2026-03-23');
    try {
      await setDay(deps, SYSTEM, '2026-03-20', { kind: 'holiday', name: '临时停工' });
      const [deadlines] = await sweepAll(deps);
      expect(deadlines?.counts.judgeDueChanged).toBeGreaterThanOrEqual(1);
      expect(await judgeDueOn()).toBe('2026-03-24');
      const events = await deps.database.db
        .selectFrom('caseEvents')
        .select('payload')
        .where('caseId', '=', caseId)
        .where('type', '=', 'judge_due_changed')
        .execute();
      expect(events.map((e) => JSON.parse(e.payload) as unknown)).toEqual([
        { from: '2026-03-23', to: '2026-03-24' },
      ]);
      // The holiday is withdrawn: the rater was already told 24 March, which stands.
      await deps.database.db.deleteFrom('calendarDays').where('date', '=', '2026-03-20').execute();
      clock.set(at('2026-03-24'));
      await sweepAll(deps);
      expect(await judgeDueOn()).toBe('2026-03-24');
      const state = await deps.database.db
        .selectFrom('cases')
        .select('state')
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow();
      expect(state.state).toBe('awaiting_judgement');
      clock.set(at('2026-03-25'));
      await sweepAll(deps);
      const closed = await deps.database.db
        .selectFrom('cases')
        .select('state')
        .where('id', '=', caseId)
        .executeTakeFirstOrThrow();
      expect(closed.state).toBe('closed');
    } finally {
      await deps.database.db.deleteFrom('calendarDays').where('date', '=', '2026-03-20').execute();
    }
  });

  it('lists warnings for the console within each caller’s subtree, by unit, level and date', async () => {
    const { deps, clock, app } = t();
    clock.set(MONDAY);
    const tree = await namedTree(deps);
    const inA = await insertBadRating(deps, { unitId: tree.windowA1.id });
    const inB = await insertBadRating(deps, { unitId: tree.sectionB1.id });
    clock.set(at('2026-03-30'));
    await sweepAll(deps);
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const staffA = await signInFresh(
      app,
      (await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id })).username,
    );
    const staffB = await signInFresh(
      app,
      (await makeAccount(deps, 'unit_staff', { unitId: tree.deptB.id })).username,
    );
    const caseA = (await caseOfRating(deps, inA.id)).id;
    const caseB = (await caseOfRating(deps, inB.id)).id;
    type W = { caseId: string; level: number; name: string; unitId: string; issuedOn: string };
    const list = async (client: typeof office, query: string) => {
      const res = await client.get(`/api/warnings${query}`);
      expect(res.statusCode).toBe(200);
      return res.json<W[]>();
    };
    const forCase = (ws: W[], id: string) => ws.filter((w) => w.caseId === id);
    const all = await list(office, '?pageSize=200');
    expect(
      forCase(all, caseA)
        .map((w) => w.name)
        .sort(),
    ).toEqual(['约谈', '紧急预警单', '预警单'].sort());
    expect(forCase(all, caseB)).toHaveLength(3);
    expect(forCase(await list(staffA, '?pageSize=200'), caseB)).toHaveLength(0);
    expect(forCase(await list(staffA, '?pageSize=200'), caseA)).toHaveLength(3);
    expect(forCase(await list(staffB, '?pageSize=200'), caseA)).toHaveLength(0);
    expect(forCase(await list(office, `?unitId=${tree.deptB.id}&pageSize=200`), caseA)).toHaveLength(0);
    const talks = await list(office, `?level=3&pageSize=200`);
    expect(talks.every((w) => w.level === 3)).toBe(true);
    expect(forCase(talks, caseA)).toHaveLength(1);
    expect(forCase(await list(office, '?from=2026-03-31&pageSize=200'), caseA)).toHaveLength(0);
    expect(forCase(await list(office, '?from=2026-03-30&to=2026-03-30&pageSize=200'), caseA)).toHaveLength(3);
    // The queue shows the escalation and how far overdue.
    const queue = await office.get(`/api/cases?overdue=true&escalation=3&pageSize=200`);
    const item = queue
      .json<{ items: { id: string; overdue: boolean; workingDaysLeft: number }[] }>()
      .items.find((i) => i.id === caseA);
    expect(item).toMatchObject({ overdue: true, workingDaysLeft: -9 });
  });
});

it.runIf(DIALECTS.includes('postgres'))(
  'on PostgreSQL, two app nodes sweeping at once issue exactly one set of warnings',
  async () => {
    const nodeA = await openTestDatabase('postgres');
    const pgInfo = nodeA.postgres;
    if (!pgInfo) throw new Error('expected PostgreSQL details');
    const nodeB = await boot(
      { databaseUrl: pgInfo.url, sessionMinutes: 60 },
      { searchPath: pgInfo.schema, scryptCost: TEST_SCRYPT, poolSize: 2, clock: nodeA.clock },
    );
    try {
      nodeA.clock.set(MONDAY);
      const tree = await namedTree(nodeA.deps);
      const ids: string[] = [];
      for (let i = 0; i < 12; i++) {
        const rating = await insertBadRating(nodeA.deps, {
          unitId: i % 2 ? tree.windowA1.id : tree.sectionB1.id,
        });
        ids.push((await caseOfRating(nodeA.deps, rating.id)).id);
      }
      const waiting = await prepareCase(nodeA.deps, tree.windowA1.id, 'ready_to_reply');
      await replyToCase(nodeA.deps, SYSTEM, waiting.caseId, { text: '已答复' });
      nodeA.clock.set(at('2026-03-30'));
      for (let round = 0; round < 3; round++) {
        await Promise.all([sweepAll(nodeA.deps), sweepAll(nodeB), sweepAll(nodeA.deps), sweepAll(nodeB)]);
      }
      // Each sweep also runs directly (without the lock) from both nodes: the unique keys still hold.
      await Promise.allSettled([
        nodeA.deps.database.db.transaction().execute((trx) => sweepDeadlines(trx, nodeA.deps)),
        nodeB.database.db.transaction().execute((trx) => sweepDeadlines(trx, nodeB)),
      ]);
      const warnings = await nodeA.deps.database.db
        .selectFrom('caseWarnings')
        .select(['caseId', 'stage', 'level'])
        .where('caseId', 'in', ids)
        .execute();
      expect(warnings).toHaveLength(ids.length * 3);
      const messages = await outboxOf(
        nodeA.deps,
        (await nodeA.deps.database.db.selectFrom('caseWarnings').select('id').execute()).map((w) => w.id),
      );
      // One message per warning, plus the office's for each talk.
      expect(messages).toHaveLength(ids.length * 4);
      const closes = await nodeA.deps.database.db
        .selectFrom('caseEvents')
        .select('id')
        .where('caseId', '=', waiting.caseId)
        .where('type', '=', 'closed_unjudged')
        .execute();
      expect(closes).toHaveLength(1);
    } finally {
      await nodeB.database.close();
      await nodeA.close();
    }
  },
);
