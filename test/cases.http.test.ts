import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import type { Deps } from '../src/core/context.js';
import { TOKEN_SCOPES } from '../src/core/auth/model.js';
import { createToken } from '../src/core/auth/service.js';
import { createDevice } from '../src/ratings/service.js';
import { updateUnit } from '../src/registry/service.js';
import { casesSnapshot, caseOfRating, insertBadRating, judgementTokenOf } from '../src/cases/testing.js';
import {
  anonymousClient,
  bearerClient,
  describeEachApp,
  expectError,
  signInFresh,
} from './support/checks.js';
import { makeAccount, makeTree, SYSTEM, type SmallTree } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * The bad-review closed loop through HTTP: every state transition on both databases, who may do what,
 * what each party sees (and never sees), and how bad input is refused without changing anything.
 */

const RATER_PHONE = '13912345678';
const MONDAY = '2026-03-16T02:00:00.000Z'; // 10:00 in China

interface Detail {
  id: string;
  state: string;
  stateName: string;
  dueOn: string | null;
  workingDaysLeft: number | null;
  named: boolean;
  calledBack: boolean;
  rectified: boolean;
  reopenCount: number;
  escalation: number;
  rater: { name: string; phone: string } | null;
  replyText: string | null;
  rectificationText: string | null;
  appealDecision: string | null;
  judgement: string | null;
  events: { type: string; actor: string; payload: Record<string, unknown> }[];
}

async function counters(deps: Deps, unitId: string, day: string) {
  const row = await deps.database.db
    .selectFrom('activityRollups')
    .select(['badCases', 'replied', 'rectified', 'judged', 'satisfied'])
    .where('scopeType', '=', 'subtree')
    .where('scopeId', '=', unitId)
    .where('grain', '=', 'day')
    .where('bucket', '=', day)
    .executeTakeFirst();
  return row ?? { badCases: 0, replied: 0, rectified: 0, judged: 0, satisfied: 0 };
}

async function lastAuditSeq(deps: Deps): Promise<number> {
  const row = await deps.database.db
    .selectFrom('auditLog')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .executeTakeFirst();
  return Number(row?.seq ?? 0);
}

function ok(res: LightMyRequestResponse): Detail {
  expect({ status: res.statusCode, body: res.body }).toMatchObject({ status: 200 });
  return res.json<Detail>();
}

describeEachApp('bad-review cases over HTTP', (t) => {
  let tree: SmallTree;
  let office: Client;
  let admin: Client;
  let staffA: Client;
  let staffB: Client;
  let leader: Client;
  let anonymous: Client;

  const usernames: Record<string, string> = {};
  /** Signs everyone in again: moving the clock by days ends the sessions. */
  const signInAll = async () => {
    const { app } = t();
    office = await signInFresh(app, usernames.office ?? '');
    admin = await signInFresh(app, usernames.admin ?? '');
    staffA = await signInFresh(app, usernames.staffA ?? '');
    staffB = await signInFresh(app, usernames.staffB ?? '');
    leader = await signInFresh(app, usernames.leader ?? '');
  };

  beforeAll(async () => {
    const { app, deps, clock } = t();
    clock.set(MONDAY);
    tree = await makeTree(deps);
    await updateUnit(deps, SYSTEM, tree.sectionA1.id, {
      responsibleName: '王科长',
      responsiblePhone: '13800000001',
    });
    usernames.office = (await makeAccount(deps, 'office')).username;
    usernames.admin = (await makeAccount(deps, 'admin')).username;
    usernames.staffA = (await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id })).username;
    usernames.staffB = (await makeAccount(deps, 'unit_staff', { unitId: tree.deptB.id })).username;
    usernames.leader = (await makeAccount(deps, 'leader')).username;
    anonymous = anonymousClient(app);
  });

  beforeEach(async () => {
    t().clock.set(MONDAY);
    await signInAll();
  });

  const namedCase = async (comment = '窗口人员态度冷淡') => {
    const { deps, clock } = t();
    clock.set(MONDAY);
    const rating = await insertBadRating(deps, {
      unitId: tree.windowA1.id,
      contactName: '李先生',
      contactPhone: RATER_PHONE,
      comment,
      tags: ['态度冷漠'],
    });
    return { rating, c: await caseOfRating(deps, rating.id) };
  };

  const now = () => t().clock.now().toISOString();

  it('goes verify → call-back → rectify → reply → judged satisfied → closed, counting each step', async () => {
    const { deps, app } = t();
    const { rating, c } = await namedCase();
    const before = await counters(deps, tree.deptA.id, rating.day);

    // The queue: due date, working days left, the rating's level, tags and comment; never the contact.
    const queue = await staffA.get(`/api/cases?unitId=${tree.deptA.id}&state=verifying`);
    expect(queue.statusCode).toBe(200);
    const item = queue
      .json<{ items: Record<string, unknown>[] }>()
      .items.find((i) => i.id === c.id) as Record<string, unknown>;
    expect(item).toMatchObject({
      state: 'verifying',
      stateName: '待核实',
      dueOn: '2026-03-17',
      workingDaysLeft: 1,
      overdue: false,
      escalation: 0,
      level: 1,
      tags: ['态度冷漠'],
      comment: '窗口人员态度冷淡',
      named: true,
      responsibleName: '王科长',
      responsibleUnitId: tree.sectionA1.id,
    });
    expect(queue.body).not.toContain(RATER_PHONE);
    expect(queue.body).not.toContain('test-address');
    expect(queue.body).not.toContain('test-device');

    // The detail, for the call-back: the rater's contact, to those who handle the case.
    const detail = ok(await staffA.get(`/api/cases/${c.id}`));
    expect(detail.rater).toEqual({ name: '李先生', phone: RATER_PHONE });
    expect(detail.events.map((e) => e.type)).toEqual(['opened']);
    expect(JSON.stringify(detail)).not.toContain('test-address');

    const verified = ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
    // 15 working days after Monday 16 March: 17–20, 23–27, 30–31, 1–3 April, 7 (6 April is 清明 only when
    // imported; here the calendar is plain) → 6 April.
    expect(verified).toMatchObject({ state: 'rectifying', stateName: '整改中', dueOn: '2026-04-06' });

    // Named review: no reply before the call-back (and the fix).
    expectError(await staffA.post(`/api/cases/${c.id}/reply`, { text: '已整改' }), 409, 'callback_required');
    ok(await staffA.post(`/api/cases/${c.id}/rectification`, { text: '对窗口人员进行了批评教育，调整排班' }));
    expectError(await staffA.post(`/api/cases/${c.id}/reply`, { text: '已整改' }), 409, 'callback_required');
    const called = ok(
      await staffA.post(`/api/cases/${c.id}/callback`, {
        at: now(),
        method: 'phone',
        summary: '电话联系李先生，致歉并说明整改措施',
      }),
    );
    expect(called).toMatchObject({ calledBack: true, rectified: true, state: 'rectifying' });

    const replied = ok(
      await staffA.post(`/api/cases/${c.id}/reply`, { text: '感谢监督，已对相关人员批评教育并调整排班。' }),
    );
    expect(replied.state).toBe('awaiting_judgement');
    const sms = await deps.database.db
      .selectFrom('outbox')
      .selectAll()
      .where('relatedId', '=', c.id)
      .where('recipient', '=', RATER_PHONE)
      .execute();
    expect(sms).toHaveLength(1);
    // An absolute link on the public address, so that it opens from the rater's SMS app.
    expect(sms[0]?.body).toMatch(/https?:\/\/[^\s/]+\/j\/[A-Za-z0-9_-]{40,}/);
    const token = await judgementTokenOf(deps, c.id);
    if (!token) throw new Error('no token');
    // Only the hash is stored.
    const stored = await caseOfRating(deps, rating.id);
    expect(stored.judgeTokenHash).not.toBeNull();
    expect(stored.judgeTokenHash).not.toContain(token);
    expect(await counters(deps, tree.deptA.id, rating.day)).toMatchObject({
      badCases: before.badCases,
      replied: before.replied + 1,
      rectified: before.rectified + 1,
    });

    // The rater's page: the reply and the fix, no personal data.
    const page = await app.inject({ method: 'GET', url: `/api/public/judgements/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.json()).toMatchObject({
      state: 'awaiting_judgement',
      open: true,
      replyText: '感谢监督，已对相关人员批评教育并调整排班。',
      rectificationText: '对窗口人员进行了批评教育，调整排班',
      unitName: '救助窗口',
    });
    expect(page.body).not.toContain(RATER_PHONE);
    expect(page.body).not.toContain('王科长');

    const judged = await app.inject({
      method: 'POST',
      url: `/api/public/judgements/${token}`,
      payload: { judgement: 'satisfied', comment: '态度好多了' },
    });
    expect(judged.statusCode).toBe(200);
    expect(judged.json()).toMatchObject({
      state: 'closed',
      stateName: '已办结',
      open: false,
      judgement: 'satisfied',
    });
    expect(await counters(deps, tree.deptA.id, rating.day)).toMatchObject({
      judged: before.judged + 1,
      satisfied: before.satisfied + 1,
    });
    // The link works once.
    expectError(
      await app.inject({
        method: 'POST',
        url: `/api/public/judgements/${token}`,
        payload: { judgement: 'not_satisfied' },
      }),
      409,
      'judgement_closed',
    );

    const final = ok(await office.get(`/api/cases/${c.id}`));
    expect(final.events.map((e) => e.type)).toEqual([
      'opened',
      'verified',
      'rectification',
      'called_back',
      'replied',
      'judged',
    ]);
    const audit = await deps.database.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityId', '=', c.id)
      .orderBy('seq')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'case.open',
      'case.verify',
      'case.rectification',
      'case.callback',
      'case.reply',
      'case.judge',
    ]);
  });

  it('reopens when the rater is not satisfied, with a new due date from today, and counts each case once', async () => {
    const { deps, app, clock } = t();
    const { rating, c } = await namedCase();
    const before = await counters(deps, tree.deptA.id, rating.day);
    ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
    ok(await staffA.post(`/api/cases/${c.id}/rectification`, { text: '已整改' }));
    ok(await staffA.post(`/api/cases/${c.id}/callback`, { at: now(), method: 'sms', summary: '短信回访' }));
    ok(await staffA.post(`/api/cases/${c.id}/reply`, { text: '已整改完毕' }));
    const first = await judgementTokenOf(deps, c.id);

    clock.set('2026-03-20T03:00:00.000Z'); // Friday
    await signInAll();
    const res = await app.inject({
      method: 'POST',
      url: `/api/public/judgements/${first ?? ''}`,
      payload: { judgement: 'not_satisfied', comment: '问题依旧' },
    });
    expect(res.json()).toMatchObject({ state: 'rectifying', open: false, judgement: 'not_satisfied' });
    const reopened = ok(await staffA.get(`/api/cases/${c.id}`));
    // 15 working days from Friday 20 March: 23–27, 30–3 April, 6–10 → 10 April.
    expect(reopened).toMatchObject({
      state: 'rectifying',
      reopenCount: 1,
      dueOn: '2026-04-10',
      calledBack: false,
      rectified: false,
    });
    expect(reopened.events.slice(-2).map((e) => e.type)).toEqual(['judged', 'reopened']);
    expect(await counters(deps, tree.deptA.id, rating.day)).toMatchObject({
      replied: before.replied + 1,
      judged: before.judged + 1,
      satisfied: before.satisfied,
    });
    // The unit is told.
    const told = await deps.database.db
      .selectFrom('outbox')
      .select('subject')
      .where('relatedId', '=', c.id)
      .where('recipient', '=', '13800000001')
      .execute();
    expect(told.map((m) => m.subject).some((s) => s.includes('不满意'))).toBe(true);

    // A second round: the call-back and the fix again, then a new link; the old one is dead.
    expectError(
      await staffA.post(`/api/cases/${c.id}/reply`, { text: '再次整改' }),
      409,
      'callback_required',
    );
    ok(await staffA.post(`/api/cases/${c.id}/callback`, { at: now(), method: 'visit', summary: '上门回访' }));
    expectError(
      await staffA.post(`/api/cases/${c.id}/reply`, { text: '再次整改' }),
      409,
      'rectification_required',
    );
    ok(await staffA.post(`/api/cases/${c.id}/rectification`, { text: '更换窗口人员' }));
    ok(await staffA.post(`/api/cases/${c.id}/reply`, { text: '已更换窗口人员' }));
    const second = await judgementTokenOf(deps, c.id);
    expect(second).not.toBe(first);
    expect(
      (await app.inject({ method: 'GET', url: `/api/public/judgements/${first ?? ''}` })).statusCode,
    ).toBe(404);
    const closed = await app.inject({
      method: 'POST',
      url: `/api/public/judgements/${second ?? ''}`,
      payload: { judgement: 'basically_satisfied' },
    });
    expect(closed.json()).toMatchObject({ state: 'closed', judgement: 'basically_satisfied' });
    // One case: replied once, judged once (its latest judgement), satisfied once.
    expect(await counters(deps, tree.deptA.id, rating.day)).toMatchObject({
      replied: before.replied + 1,
      rectified: before.rectified + 1,
      judged: before.judged + 1,
      satisfied: before.satisfied + 1,
    });
  });

  it('takes an appeal to the office: upheld dismisses the case and takes the rating out of the statistics', async () => {
    const { deps } = t();
    const { rating, c } = await namedCase();
    const before = await counters(deps, tree.deptA.id, rating.day);
    const appealed = ok(
      await staffA.post(`/api/cases/${c.id}/appeal`, {
        reason: 'malicious',
        text: '评价人当日未到窗口办事，监控可证',
        evidence: ['https://example.gov.cn/cctv/123', '窗口登记簿当日无此人'],
      }),
    );
    expect(appealed).toMatchObject({ state: 'appealed', stateName: '申诉复核中', dueOn: null });
    // Unit staff do not decide appeals; neither do leaders.
    expectError(
      await staffA.post(`/api/cases/${c.id}/decide-appeal`, { upheld: true, note: '自己批准' }),
      403,
      'forbidden',
    );
    expectError(
      await leader.post(`/api/cases/${c.id}/decide-appeal`, { upheld: true, note: 'x' }),
      403,
      'forbidden',
    );
    const dismissed = ok(
      await office.post(`/api/cases/${c.id}/decide-appeal`, { upheld: true, note: '经核查属恶意差评' }),
    );
    expect(dismissed).toMatchObject({ state: 'dismissed', appealDecision: 'upheld' });
    const stored = await deps.database.db
      .selectFrom('ratings')
      .selectAll()
      .where('id', '=', rating.id)
      .executeTakeFirstOrThrow();
    expect(stored.status).toBe('removed');
    expect(await counters(deps, tree.deptA.id, rating.day)).toMatchObject({ badCases: before.badCases - 1 });
    const levelCount = await deps.database.db
      .selectFrom('ratingRollups')
      .select('n')
      .where('scopeType', '=', 'subtree')
      .where('scopeId', '=', tree.windowA1.id)
      .where('grain', '=', 'day')
      .where('bucket', '=', rating.day)
      .where('level', '=', 1)
      .executeTakeFirst();
    const remaining = await deps.database.db
      .selectFrom('ratings')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('unitId', '=', tree.windowA1.id)
      .where('day', '=', rating.day)
      .where('level', '=', 1)
      .where('status', '=', 'counted')
      .executeTakeFirstOrThrow();
    expect(Number(levelCount?.n ?? 0)).toBe(Number(remaining.n));
    // A dismissed case is out of the public list and refuses every action.
    expect((await anonymous.get(`/api/public/cases/${c.id}`)).statusCode).toBe(404);
    expectError(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }), 409, 'case_wrong_state', {
      state: 'dismissed',
      stateName: '申诉成立（不计入）',
    });
  });

  it('rejected appeals go back to rectification, due from the day of the decision', async () => {
    const { clock } = t();
    const { c } = await namedCase();
    ok(await staffA.post(`/api/cases/${c.id}/appeal`, { reason: 'mistaken', text: '误评' }));
    clock.set('2026-03-18T03:00:00.000Z'); // Wednesday
    await signInAll();
    const rejected = ok(
      await admin.post(`/api/cases/${c.id}/decide-appeal`, { upheld: false, note: '评价属实' }),
    );
    // 15 working days from Wednesday 18 March: 19–20, 23–27, 30–3, 6–8 → 8 April.
    expect(rejected).toMatchObject({ state: 'rectifying', appealDecision: 'rejected', dueOn: '2026-04-08' });
    expectError(
      await office.post(`/api/cases/${c.id}/decide-appeal`, { upheld: true, note: '再议' }),
      409,
      'case_wrong_state',
      {
        stateName: '整改中',
      },
    );
  });

  it('refuses actions in the wrong state with the state’s Chinese name', async () => {
    const { c } = await namedCase();
    const refusals: [string, object, string][] = [
      ['callback', { at: now(), method: 'phone', summary: '回访' }, '待核实'],
      ['rectification', { text: '整改' }, '待核实'],
      ['reply', { text: '答复' }, '待核实'],
      ['decide-appeal', { upheld: false, note: '无申诉' }, '待核实'],
    ];
    for (const [action, body, stateName] of refusals) {
      const client = action === 'decide-appeal' ? office : staffA;
      expectError(await client.post(`/api/cases/${c.id}/${action}`, body), 409, 'case_wrong_state', {
        state: 'verifying',
        stateName,
      });
    }
    ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
    expectError(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }), 409, 'case_wrong_state', {
      stateName: '整改中',
    });
    expectError(
      await staffA.post(`/api/cases/${c.id}/appeal`, { reason: 'mistaken', text: '晚了' }),
      409,
      'case_wrong_state',
      {
        stateName: '整改中',
      },
    );
  });

  it('lets an unnamed review be replied to without a call-back, and sends no link', async () => {
    const { deps, clock } = t();
    clock.set(MONDAY);
    const rating = await insertBadRating(deps, { unitId: tree.windowA1.id });
    const c = await caseOfRating(deps, rating.id);
    const detail = ok(await staffA.get(`/api/cases/${c.id}`));
    expect(detail).toMatchObject({ named: false, rater: null });
    ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
    expectError(
      await staffA.post(`/api/cases/${c.id}/reply`, { text: '答复' }),
      409,
      'rectification_required',
    );
    ok(await staffA.post(`/api/cases/${c.id}/rectification`, { text: '整改' }));
    expect(ok(await staffA.post(`/api/cases/${c.id}/reply`, { text: '答复' })).state).toBe(
      'awaiting_judgement',
    );
    expect(await judgementTokenOf(deps, c.id)).toBeNull();
    expect((await caseOfRating(deps, rating.id)).judgeTokenHash).toBeNull();
  });

  it('confines unit staff to their subtree, lets leaders read but not act, and refuses strangers', async () => {
    const { deps } = t();
    const { c } = await namedCase();
    const other = await insertBadRating(deps, { unitId: tree.sectionB1.id });
    const before = await casesSnapshot(deps);
    expectError(await staffB.get(`/api/cases/${c.id}`), 403, 'outside_scope');
    for (const [action, body] of [
      ['verify', { genuine: true }],
      ['appeal', { reason: 'mistaken', text: 'x' }],
      ['callback', { at: now(), method: 'phone', summary: 'x' }],
      ['rectification', { text: 'x' }],
      ['reply', { text: 'x' }],
    ] as const) {
      expectError(await staffB.post(`/api/cases/${c.id}/${action}`, body), 403, 'outside_scope');
      expectError(await leader.post(`/api/cases/${c.id}/${action}`, body), 403, 'forbidden');
      expectError(await anonymous.post(`/api/cases/${c.id}/${action}`, body), 401, 'not_signed_in');
    }
    expectError(await staffB.get(`/api/cases?unitId=${tree.deptA.id}`), 403, 'outside_scope');
    expectError(await staffB.get(`/api/warnings?unitId=${tree.deptA.id}`), 403, 'outside_scope');
    // Leaders read the queue, a case and the warnings (cases:read), without the rater's contact.
    const queue = await leader.get('/api/cases');
    expect(queue.statusCode).toBe(200);
    expect(queue.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(c.id);
    const read = ok(await leader.get(`/api/cases/${c.id}`));
    expect(read.named).toBe(true);
    expect(read.rater).toBeNull();
    expect((await leader.get('/api/warnings')).statusCode).toBe(200);
    expectError(await anonymous.get('/api/cases'), 401, 'not_signed_in');
    expect(await casesSnapshot(deps)).toEqual(before);

    // Staff of B see B's cases and none of A's; the office sees all.
    const ids = (res: LightMyRequestResponse) =>
      res.json<{ items: { id: string }[] }>().items.map((i) => i.id);
    const otherCase = await caseOfRating(deps, other.id);
    const seenByB = ids(await staffB.get('/api/cases?pageSize=200'));
    expect(seenByB).toContain(otherCase.id);
    expect(seenByB).not.toContain(c.id);
    const seenByOffice = ids(await office.get('/api/cases?pageSize=200'));
    expect(seenByOffice).toEqual(expect.arrayContaining([c.id, otherCase.id]));
    // Staff of A act on the case of a window under them.
    ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
  });

  it('refuses every wrong field in turn with a code, changing nothing', async () => {
    const { deps, clock } = t();
    const { c } = await namedCase();
    const rectifying = await namedCase();
    ok(await staffA.post(`/api/cases/${rectifying.c.id}/verify`, { genuine: true }));
    const future = new Date(clock.now().getTime() + 86_400_000).toISOString();
    const past = '2020-01-01T00:00:00.000Z';
    const cases: [string, string, unknown, number, string][] = [
      [c.id, 'verify', {}, 400, 'invalid_input'],
      [c.id, 'verify', { genuine: 'yes' }, 400, 'invalid_input'],
      [c.id, 'verify', { genuine: false }, 400, 'appeal_instead'],
      [c.id, 'verify', { genuine: true, extra: 1 }, 400, 'invalid_input'],
      [c.id, 'verify', { genuine: true, note: 'x'.repeat(1001) }, 400, 'invalid_input'],
      [c.id, 'appeal', { reason: 'annoyed', text: 'x' }, 400, 'invalid_input'],
      [c.id, 'appeal', { reason: 'mistaken', text: '' }, 400, 'invalid_input'],
      [c.id, 'appeal', { reason: 'mistaken', text: '   ' }, 400, 'invalid_input'],
      [c.id, 'appeal', { reason: 'mistaken', text: 'x'.repeat(2001) }, 400, 'invalid_input'],
      [c.id, 'appeal', { reason: 'mistaken', text: 'x', evidence: 'link' }, 400, 'invalid_input'],
      [c.id, 'appeal', { reason: 'mistaken', text: 'x', evidence: [''] }, 400, 'invalid_input'],
      [c.id, 'appeal', { reason: 'mistaken' }, 400, 'invalid_input'],
      [c.id, 'decide-appeal', { upheld: 'yes', note: 'x' }, 400, 'invalid_input'],
      [c.id, 'decide-appeal', { upheld: true, note: '' }, 400, 'invalid_input'],
      [rectifying.c.id, 'callback', { at: 'yesterday', method: 'phone', summary: 'x' }, 400, 'invalid_input'],
      [rectifying.c.id, 'callback', { at: future, method: 'phone', summary: 'x' }, 400, 'callback_in_future'],
      [
        rectifying.c.id,
        'callback',
        { at: past, method: 'phone', summary: 'x' },
        400,
        'callback_before_rating',
      ],
      [
        rectifying.c.id,
        'callback',
        { at: clock.now().toISOString(), method: 'fax', summary: 'x' },
        400,
        'invalid_input',
      ],
      [
        rectifying.c.id,
        'callback',
        { at: clock.now().toISOString(), method: 'phone', summary: '' },
        400,
        'invalid_input',
      ],
      [rectifying.c.id, 'callback', { method: 'phone', summary: 'x' }, 400, 'invalid_input'],
      [rectifying.c.id, 'rectification', {}, 400, 'invalid_input'],
      [rectifying.c.id, 'rectification', { text: 42 }, 400, 'invalid_input'],
      [rectifying.c.id, 'rectification', { text: 'x'.repeat(4001) }, 400, 'invalid_input'],
      [rectifying.c.id, 'reply', { text: ' ' }, 400, 'invalid_input'],
      ['no-such-case', 'verify', { genuine: true }, 404, 'not_found'],
      ['no-such-case', 'reply', { text: 'x' }, 404, 'not_found'],
    ];
    const before = await casesSnapshot(deps);
    for (const [id, action, body, status, code] of cases) {
      const client = action === 'decide-appeal' ? office : staffA;
      const res = await client.request({
        method: 'POST',
        url: `/api/cases/${id}/${action}`,
        payload: body as object,
      });
      expect({
        action,
        body,
        status: res.statusCode,
        code: res.json<{ error?: { code: string } }>().error?.code,
      }).toEqual({
        action,
        body,
        status,
        code,
      });
    }
    for (const url of [
      '/api/cases?state=lost',
      '/api/cases?escalation=4',
      '/api/cases?page=0',
      '/api/cases?pageSize=201',
      '/api/cases?overdue=maybe',
      '/api/cases?unitId=nowhere',
      '/api/warnings?level=0',
      '/api/warnings?from=2026-02-30',
      '/api/warnings?to=yesterday',
      '/api/cases/no-such-case',
    ]) {
      const res = await office.get(url);
      expect(res.statusCode, url).toBeGreaterThanOrEqual(400);
      expect(res.statusCode, url).toBeLessThan(500);
      expect(res.json<{ error?: { code: string } }>().error?.code, url).toBeTruthy();
    }
    expect(await casesSnapshot(deps)).toEqual(before);
  });

  it('masks phone numbers in the texts behind the rater’s link, as on the public page', async () => {
    const { deps, app } = t();
    const { c } = await namedCase();
    ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
    ok(
      await staffA.post(`/api/cases/${c.id}/rectification`, { text: '窗口负责人电话13800138000，随时联系' }),
    );
    ok(await staffA.post(`/api/cases/${c.id}/callback`, { at: now(), method: 'phone', summary: '回访' }));
    ok(await staffA.post(`/api/cases/${c.id}/reply`, { text: '如有问题请拨打13800138000' }));
    const token = (await judgementTokenOf(deps, c.id)) ?? '';
    const page = await app.inject({ method: 'GET', url: `/api/public/judgements/${token}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('13800138000');
    expect(page.json()).toMatchObject({
      rectificationText: '窗口负责人电话138****8000，随时联系',
      replyText: '如有问题请拨打138****8000',
    });
  });

  it('refuses bad judgements and unknown links, changing nothing', async () => {
    const { deps, app } = t();
    const { c } = await namedCase();
    ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
    ok(await staffA.post(`/api/cases/${c.id}/rectification`, { text: '整改' }));
    ok(await staffA.post(`/api/cases/${c.id}/callback`, { at: now(), method: 'phone', summary: '回访' }));
    ok(await staffA.post(`/api/cases/${c.id}/reply`, { text: '答复' }));
    const token = (await judgementTokenOf(deps, c.id)) ?? '';
    const before = await casesSnapshot(deps);
    const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });
    expectError(await post(`/api/public/judgements/${token}`, { judgement: 'great' }), 400, 'invalid_input');
    expectError(await post(`/api/public/judgements/${token}`, {}), 400, 'invalid_input');
    expectError(
      await post(`/api/public/judgements/${token}`, { judgement: 'satisfied', comment: 'x'.repeat(501) }),
      400,
      'invalid_input',
    );
    expectError(
      await post(`/api/public/judgements/${token}`, { judgement: 'satisfied', extra: true }),
      400,
      'invalid_input',
    );
    expectError(
      await post(`/api/public/judgements/${'x'.repeat(43)}`, { judgement: 'satisfied' }),
      404,
      'not_found',
    );
    expectError(await post('/api/public/judgements/short', { judgement: 'satisfied' }), 404, 'not_found');
    expectError(
      await app.inject({ method: 'GET', url: `/api/public/judgements/${'y'.repeat(43)}` }),
      404,
      'not_found',
    );
    expect(await casesSnapshot(deps)).toEqual(before);
  });

  it('masks numbers the rater typed for the unit’s staff and the office; only the structured contact is shown', async () => {
    const { deps, app } = t();
    const typed = `打我电话13987654321，身份证110105199001011234`;
    const masked = '打我电话139****4321，身份证110105************';
    const { c } = await namedCase(typed);
    for (const reader of [staffA, office]) {
      const queue = await reader.get(`/api/cases?unitId=${tree.deptA.id}&pageSize=200`);
      expect(queue.statusCode).toBe(200);
      expect(queue.body).not.toContain('13987654321');
      expect(queue.body).not.toContain('199001011234');
      const item = queue
        .json<{ items: { id: string; comment: string }[] }>()
        .items.find((i) => i.id === c.id);
      expect(item?.comment).toBe(masked);
      const detail = ok(await reader.get(`/api/cases/${c.id}`));
      expect(JSON.stringify(detail)).not.toContain('13987654321');
      // The contact the rater left for the call-back stays readable to those handling the case.
      expect(detail.rater).toEqual({ name: '李先生', phone: RATER_PHONE });
    }
    // A judgement comment with a number is masked in the detail and its event log too.
    ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
    ok(await staffA.post(`/api/cases/${c.id}/rectification`, { text: '整改' }));
    ok(await staffA.post(`/api/cases/${c.id}/callback`, { at: now(), method: 'phone', summary: '回访' }));
    ok(await staffA.post(`/api/cases/${c.id}/reply`, { text: '答复' }));
    const token = (await judgementTokenOf(deps, c.id)) ?? '';
    const judged = await app.inject({
      method: 'POST',
      url: `/api/public/judgements/${token}`,
      payload: { judgement: 'not_satisfied', comment: '还是不行，回电13711112222' },
    });
    expect(judged.statusCode, judged.body).toBe(200);
    const after = await staffA.get(`/api/cases/${c.id}`);
    expect(after.body).not.toContain('13711112222');
    expect(after.json<{ judgementComment: string }>().judgementComment).toBe('还是不行，回电137****2222');
  });

  it('refuses every staff credential on the judgement link, closing nothing, and audits who tried', async () => {
    const { deps, app } = t();
    const { c } = await namedCase();
    ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
    ok(await staffA.post(`/api/cases/${c.id}/rectification`, { text: '整改' }));
    ok(await staffA.post(`/api/cases/${c.id}/callback`, { at: now(), method: 'phone', summary: '回访' }));
    ok(await staffA.post(`/api/cases/${c.id}/reply`, { text: '答复' }));
    const token = (await judgementTokenOf(deps, c.id)) ?? '';
    const url = `/api/public/judgements/${token}`;
    const narrow = await createToken(deps, SYSTEM, { name: 'narrow', scopes: ['registry:read'] });
    const wide = await createToken(deps, SYSTEM, { name: 'wide', scopes: [...TOKEN_SCOPES] });
    const device = await createDevice(deps, SYSTEM, {
      unitId: tree.windowA1.id,
      kind: 'staff',
      name: '窗口 1 工作电脑',
    });
    const seqBefore = await lastAuditSeq(deps);
    const before = await casesSnapshot(deps);
    const body = { judgement: 'satisfied' };
    // Sessions with their CSRF token (the unit's staff, the office), tokens of any scope, a staff device.
    expectError(await staffA.post(url, body), 403, 'staff_cannot_rate');
    expectError(await office.post(url, body), 403, 'staff_cannot_rate');
    expectError(await bearerClient(app, narrow.token).post(url, body), 403, 'staff_cannot_rate');
    expectError(await bearerClient(app, wide.token).post(url, body), 403, 'staff_cannot_rate');
    const byDevice = await app.inject({
      method: 'POST',
      url,
      payload: body,
      headers: { 'x-device-token': device.token },
    });
    expectError(byDevice, 403, 'staff_cannot_rate');
    // Even a malformed body is refused for who sent it, not for what it says.
    expectError(await staffA.post(url, { judgement: 'great' }), 403, 'staff_cannot_rate');
    // Nothing changed but the audit log, which now names who tried.
    const { audit_log: _auditBefore, ...unchanged } = before;
    const { audit_log: _auditAfter, ...after } = await casesSnapshot(deps);
    expect(after).toEqual(unchanged);
    const entries = await deps.database.db
      .selectFrom('auditLog')
      .select(['actorId', 'actorLabel', 'action', 'entityId'])
      .where('seq', '>', seqBefore)
      .orderBy('seq')
      .execute();
    expect(entries.map((e) => [e.actorLabel, e.action, e.entityId])).toEqual([
      [usernames.staffA, 'rater_route.refused_staff', 'POST /api/public/judgements/:token'],
      [usernames.office, 'rater_route.refused_staff', 'POST /api/public/judgements/:token'],
      ['token:narrow', 'rater_route.refused_staff', 'POST /api/public/judgements/:token'],
      ['token:wide', 'rater_route.refused_staff', 'POST /api/public/judgements/:token'],
      [
        `system:device:${device.device.id}`,
        'rater_route.refused_staff',
        'POST /api/public/judgements/:token',
      ],
      [usernames.staffA, 'rater_route.refused_staff', 'POST /api/public/judgements/:token'],
    ]);
    expect(entries.some((e) => e.actorLabel === 'system:rater')).toBe(false);
    // The rater, on their own device, still can.
    const judged = await anonymous.post(url, body);
    expect(judged.statusCode, judged.body).toBe(200);
    expect(judged.json()).toMatchObject({ state: 'closed', judgement: 'satisfied' });
  });

  it('publishes each bad review’s handling without the rater’s identity, personal numbers masked', async () => {
    const { c } = await namedCase(`电话${RATER_PHONE}，身份证110105199001011234，办了三次没办成`);
    ok(await staffA.post(`/api/cases/${c.id}/verify`, { genuine: true }));
    ok(await staffA.post(`/api/cases/${c.id}/rectification`, { text: '简化流程，一次办结' }));
    const listed = await anonymous.get(`/api/public/units/${tree.deptA.code}/cases?pageSize=200`);
    expect(listed.statusCode).toBe(200);
    const item = listed
      .json<{ items: Record<string, unknown>[] }>()
      .items.find((i) => i.id === c.id) as Record<string, unknown>;
    expect(item).toMatchObject({
      level: 1,
      state: 'rectifying',
      stateName: '整改中',
      dueOn: '2026-04-06',
      unitName: '救助窗口',
      // Not replied yet: the rectification text is not published before the reply.
      replyText: null,
      rectificationText: null,
    });
    expect(item.comment).toBe('电话139****5678，身份证110105************，办了三次没办成');
    for (const text of [listed.body, (await anonymous.get(`/api/public/cases/${c.id}`)).body]) {
      expect(text).not.toContain(RATER_PHONE);
      expect(text).not.toContain('110105199001011234');
      expect(text).not.toContain('李先生');
      expect(text).not.toContain('13800000001');
      expect(text).not.toContain('王科长');
      expect(text).not.toContain('test-address');
    }
    ok(await staffA.post(`/api/cases/${c.id}/callback`, { at: now(), method: 'phone', summary: '回访' }));
    ok(await staffA.post(`/api/cases/${c.id}/reply`, { text: '已简化流程' }));
    const one = await anonymous.get(`/api/public/cases/${c.id}`);
    expect(one.json()).toMatchObject({
      state: 'awaiting_judgement',
      replyText: '已简化流程',
      rectificationText: '简化流程，一次办结',
    });
    // Department B's page does not list department A's reviews.
    const other = await anonymous.get(`/api/public/units/${tree.deptB.code}/cases`);
    expect(other.json<{ items: { id: string }[] }>().items.map((i) => i.id)).not.toContain(c.id);
    expectError(await anonymous.get('/api/public/units/NO-SUCH-UNIT/cases'), 404, 'not_found');
    expectError(
      await anonymous.get(`/api/public/units/${tree.deptA.code}/cases?periodId=none`),
      404,
      'not_found',
    );
    expectError(await anonymous.get('/api/public/cases/no-such-case'), 404, 'not_found');
  });

  it('filters the public list by period', async () => {
    const { deps } = t();
    const { c } = await namedCase();
    const [period2025] = await deps.database.db
      .insertInto('periods')
      .values({
        id: 'p-2025-test',
        code: 'P2025T',
        kind: 'year',
        year: 2025,
        seq: 1,
        name: '2025年度',
        startDate: '2025-01-01',
        endDate: '2025-12-31',
        createdAt: '2025-01-01T00:00:00.000Z',
      })
      .returning('id')
      .execute();
    const empty = await anonymous.get(
      `/api/public/units/${tree.deptA.code}/cases?periodId=${period2025?.id ?? ''}`,
    );
    expect(empty.json()).toMatchObject({ items: [], total: 0 });
    const all = await anonymous.get(`/api/public/units/${tree.deptA.code}/cases?pageSize=200`);
    expect(all.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(c.id);
    // The public page names its period by dates (the public cannot list periods).
    const byDates = (from: string, to: string) =>
      anonymous.get(`/api/public/units/${tree.deptA.code}/cases?pageSize=200&from=${from}&to=${to}`);
    const before = await byDates('2025-01-01', '2025-12-31');
    expect(before.json()).toMatchObject({ items: [], total: 0 });
    const day =
      all.json<{ items: { id: string; date: string }[] }>().items.find((i) => i.id === c.id)?.date ?? '';
    const around = await byDates(day, day);
    expect(around.json<{ items: { id: string }[] }>().items.map((i) => i.id)).toContain(c.id);
    expectError(await byDates('2026-02-01', '2026-01-01'), 400, 'invalid_range');
  });

  it('lets the office read and drain the outbox; nobody else', async () => {
    const { deps } = t();
    const { c } = await namedCase();
    const res = await office.get(`/api/outbox?unsent=true&relatedId=${c.id}`);
    expect(res.statusCode).toBe(200);
    const [message] = res.json<{ id: string; recipient: string; attempts: number }[]>();
    if (!message) throw new Error('no message');
    expect(message.recipient).toBe('13800000001');
    expectError(await staffA.get('/api/outbox?unsent=true'), 403, 'forbidden');
    expectError(await leader.get('/api/outbox'), 403, 'forbidden');
    expectError(await anonymous.get('/api/outbox'), 401, 'not_signed_in');
    expectError(await staffA.post(`/api/outbox/${message.id}/sent`, { ok: true }), 403, 'forbidden');

    // An SMS gateway drains the outbox with an API token scoped outbox:drain, and can do nothing else.
    const created = await office.post('/api/api-tokens', { name: '短信网关', scopes: ['outbox:drain'] });
    expect(created.statusCode).toBe(201);
    const gateway = bearerClient(t().app, created.json<{ token: string }>().token);
    expect(
      (await gateway.get(`/api/outbox?unsent=true&relatedId=${c.id}`)).json<{ id: string }[]>()[0]?.id,
    ).toBe(message.id);
    expectError(await gateway.get('/api/cases'), 403, 'forbidden');

    const failed = await office.post(`/api/outbox/${message.id}/sent`, {
      ok: false,
      error: 'gateway timeout',
    });
    expect(failed.json()).toMatchObject({ sentAt: null, attempts: 1, lastError: 'gateway timeout' });
    const sent = await office.post(`/api/outbox/${message.id}/sent`, { ok: true });
    expect(sent.json()).toMatchObject({ attempts: 2, lastError: null });
    expect(sent.json<{ sentAt: string | null }>().sentAt).not.toBeNull();
    // Marking it again changes nothing; it has left the unsent list.
    expect((await office.post(`/api/outbox/${message.id}/sent`, { ok: true })).json()).toMatchObject({
      attempts: 2,
    });
    const unsent = await office.get(`/api/outbox?unsent=true&relatedId=${c.id}`);
    expect(unsent.json<{ id: string }[]>().map((m) => m.id)).not.toContain(message.id);

    const before = await casesSnapshot(deps);
    expectError(await office.post('/api/outbox/no-such/sent', { ok: true }), 404, 'not_found');
    expectError(await office.post(`/api/outbox/${message.id}/sent`, { ok: 'yes' }), 400, 'invalid_input');
    expectError(await office.post(`/api/outbox/${message.id}/sent`, {}), 400, 'invalid_input');
    expectError(await office.get('/api/outbox?limit=0'), 400, 'invalid_input');
    expect(await casesSnapshot(deps)).toEqual(before);
  });
});
