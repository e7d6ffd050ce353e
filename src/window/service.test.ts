import { expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../../test/support/db.js';
import { makeAccount, makeTree, SYSTEM } from '../../test/support/factories.js';
import { runSweep } from '../core/sweeps.js';
import { collectComments, listComments } from '../ledger/inbox.js';
import { getItem } from '../ledger/items.js';
import {
  acceptMatter,
  assignMatter,
  declineMatter,
  reopenMatter,
  resolveMatter,
  respondMatter,
  returnMatter,
  toLedgerItem,
} from './handling.js';
import { lookUpMatter, rateMatter, windowFigures } from './public.js';
import { getRota, setRota } from './rota.js';
import { fileMatter, getMatter, listMatters, PUBLIC_FILER } from './service.js';
import { sweepWindowDeadlines } from './sweeps.js';

const FILING = {
  what: '企业统一社会信用代码填错，社保、公积金都办不了，跑了三个部门都说不归自己管',
  place: '市政务服务中心',
  unitsNamed: '市场监管局、社保中心',
  filerName: '李女士',
  filerPhone: '13812345678',
};

async function setUp(db: () => TestDatabase) {
  const { deps, clock } = db();
  clock.set('2026-03-16T02:00:00.000Z'); // Monday, 10:00 in China
  const tree = await makeTree(deps);
  const staffA = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
  const staffB = await makeAccount(deps, 'unit_staff', { unitId: tree.deptB.id });
  const office = await makeAccount(deps, 'office');
  return { deps, clock, tree, staffA, staffB, office };
}

type SetUp = Awaited<ReturnType<typeof setUp>>;

/** A matter filed on the public form and assigned to section A1 (lead) and section B1. */
async function assigned(s: SetUp) {
  const filed = await fileMatter(s.deps, PUBLIC_FILER, 'web', FILING);
  await acceptMatter(s.deps, s.office, filed.id);
  return assignMatter(s.deps, s.office, filed.id, {
    unitIds: [s.tree.sectionA1.id, s.tree.sectionB1.id],
    leadUnitId: s.tree.sectionA1.id,
  });
}

async function outbox(deps: TestDatabase['deps'], relatedId: string) {
  return deps.database.db
    .selectFrom('outbox')
    .select(['channel', 'recipient', 'body'])
    .where('relatedId', '=', relatedId)
    .orderBy('id')
    .execute();
}

describeEachDatabase('the 办不成事 window', (db) => {
  it('takes a matter from the phone form through acceptance, two units’ answers and the result to the filer’s judgement', async () => {
    const s = await setUp(db);
    const { deps, tree, staffA, staffB, office } = s;
    // The office's rota: Monday 16 March to Friday 20 March, one coordinator.
    await setRota(deps, office, { from: '2026-03-16', to: '2026-03-20', accountIds: [office.id] });

    const filed = await fileMatter(deps, PUBLIC_FILER, 'web', FILING);
    expect(filed).toMatchObject({
      state: 'filed',
      stateName: '待受理',
      channel: 'web',
      coordinatorId: office.id,
      filedOn: '2026-03-16',
      dueOn: '2026-03-17',
    });
    expect(filed.receiptCode).toMatch(/^[A-HJKMNP-Z2-9]{10}$/);
    const sms = await outbox(deps, filed.id);
    expect(sms[0]).toMatchObject({ channel: 'sms', recipient: '13812345678' });
    expect(sms[0]?.body).toContain(filed.receiptCode);

    // Unit staff do not see a matter before it is assigned to them.
    await expect(getMatter(deps, staffA, filed.id)).rejects.toMatchObject({ code: 'not_found' });
    expect((await listMatters(deps, staffA, {})).total).toBe(0);

    const accepted = await acceptMatter(deps, office, filed.id);
    expect(accepted).toMatchObject({ state: 'accepted', dueOn: '2026-03-17' });
    const handling = await assignMatter(deps, office, filed.id, {
      unitIds: [tree.sectionA1.id, tree.sectionB1.id],
      leadUnitId: tree.sectionA1.id,
    });
    // Five working days to handle it: Monday 23 March.
    expect(handling).toMatchObject({
      state: 'handling',
      stateName: '办理中',
      leadUnitName: '社会救助科',
      deadlineOn: '2026-03-23',
      dueOn: '2026-03-23',
    });
    expect(handling.assignments.map((a) => [a.unitName, a.lead])).toEqual([
      ['社会救助科', true],
      ['就业服务科', false],
    ]);

    // Unit staff now see it, with the filer's phone masked.
    const seen = await getMatter(deps, staffA, filed.id);
    expect(seen.filerPhone).toBe('138****5678');
    expect((await listMatters(deps, staffB, {})).matters.map((m) => m.id)).toEqual([filed.id]);

    const one = await respondMatter(deps, staffA, filed.id, {
      unitId: tree.sectionA1.id,
      text: '已联系省局更正信用代码',
    });
    expect(one.state).toBe('handling');
    const both = await respondMatter(deps, staffB, filed.id, {
      unitId: tree.sectionB1.id,
      text: '社保登记已补办',
    });
    expect(both).toMatchObject({ state: 'replied', dueOn: '2026-03-18' });

    const resolved = await resolveMatter(deps, office, filed.id, {
      outcome: 'solved',
      text: '信用代码已更正，社保和公积金已办理',
    });
    expect(resolved).toMatchObject({ state: 'resolved', outcome: 'solved', dueOn: null });
    expect((await outbox(deps, filed.id)).at(-1)?.body).toContain('已办结');

    // The filer looks it up by the code (typed in lower case with a dash) and judges the result.
    const code = `${filed.receiptCode.slice(0, 5).toLowerCase()}-${filed.receiptCode.slice(5)}`;
    const looked = await lookUpMatter(deps, code);
    expect(looked).toMatchObject({
      state: 'resolved',
      mayRate: true,
      units: ['社会救助科', '就业服务科'],
      resolutionText: '信用代码已更正，社保和公积金已办理',
    });
    expect(JSON.stringify(looked)).not.toContain('13812345678');
    expect(JSON.stringify(looked)).not.toContain('李女士');
    const rated = await rateMatter(deps, filed.receiptCode, { rating: 'satisfied', comment: '效率很高' });
    expect(rated).toMatchObject({ state: 'closed', rating: 'satisfied', mayRate: false });
    await expect(rateMatter(deps, filed.receiptCode, { rating: 'dissatisfied' })).rejects.toMatchObject({
      code: 'window_already_rated',
      status: 409,
    });

    const detail = await getMatter(deps, office, filed.id);
    expect(detail.events.map((e) => e.type)).toEqual([
      'filed',
      'accept',
      'assign',
      'respond',
      'respond',
      'resolve',
      'rate',
    ]);
    const audit = await deps.database.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityId', '=', filed.id)
      .execute();
    expect(audit.map((a) => a.action).sort()).toEqual(
      [
        'window.accept',
        'window.assign',
        'window.filed',
        'window.rate',
        'window.resolve',
        'window.respond',
        'window.respond',
      ].sort(),
    );
  });

  it('refuses steps out of order, without reasons, and by the wrong people, changing nothing', async () => {
    const s = await setUp(db);
    const { deps, tree, staffA, staffB, office } = s;
    const filed = await fileMatter(deps, PUBLIC_FILER, 'web', FILING);
    await expect(
      assignMatter(deps, office, filed.id, { unitIds: [tree.sectionA1.id], leadUnitId: tree.sectionA1.id }),
    ).rejects.toMatchObject({ code: 'window_wrong_state', status: 409 });
    await expect(
      resolveMatter(deps, office, filed.id, { outcome: 'solved', text: '好' }),
    ).rejects.toMatchObject({
      code: 'window_wrong_state',
    });
    await expect(rateMatter(deps, filed.receiptCode, { rating: 'satisfied' })).rejects.toMatchObject({
      code: 'window_wrong_state',
    });
    await expect(declineMatter(deps, office, filed.id, { reason: '  ' })).rejects.toMatchObject({
      code: 'reason_required',
    });
    await expect(acceptMatter(deps, staffA, filed.id)).rejects.toMatchObject({
      code: 'office_only',
      status: 403,
    });
    await acceptMatter(deps, office, filed.id);
    await expect(acceptMatter(deps, office, filed.id)).rejects.toMatchObject({ code: 'window_wrong_state' });
    await expect(
      assignMatter(deps, office, filed.id, { unitIds: [tree.sectionB1.id], leadUnitId: tree.sectionA1.id }),
    ).rejects.toMatchObject({ code: 'window_units_required' });
    await expect(
      assignMatter(deps, office, filed.id, {
        unitIds: [tree.sectionA1.id],
        leadUnitId: tree.sectionA1.id,
        deadlineOn: '2026-03-16',
      }),
    ).rejects.toMatchObject({ code: 'window_deadline_invalid' });
    await expect(
      assignMatter(deps, office, filed.id, {
        unitIds: [tree.sectionA1.id],
        leadUnitId: tree.sectionA1.id,
        deadlineOn: '2026-06-30',
      }),
    ).rejects.toMatchObject({ code: 'window_deadline_invalid', params: { latest: '2026-04-27' } });
    expect(await getMatter(deps, office, filed.id)).toMatchObject({ state: 'accepted', assignments: [] });

    await assignMatter(deps, office, filed.id, {
      unitIds: [tree.sectionA1.id],
      leadUnitId: tree.sectionA1.id,
    });
    // Staff of department B: not assigned to any of their units.
    await expect(getMatter(deps, staffB, filed.id)).rejects.toMatchObject({
      code: 'outside_scope',
      status: 403,
    });
    await expect(
      respondMatter(deps, staffB, filed.id, { unitId: tree.sectionA1.id, text: '代为答复' }),
    ).rejects.toMatchObject({ code: 'outside_scope' });
    await expect(
      respondMatter(deps, staffA, filed.id, { unitId: tree.windowA1.id, text: '已办' }),
    ).rejects.toMatchObject({ code: 'window_not_assigned' });
    await expect(
      respondMatter(deps, staffA, filed.id, { unitId: tree.sectionA1.id, text: ' ' }),
    ).rejects.toMatchObject({ code: 'window_response_required' });
    await expect(
      resolveMatter(deps, office, filed.id, { outcome: 'solved', text: '好' }),
    ).rejects.toMatchObject({
      code: 'window_wrong_state',
    });
    await expect(returnMatter(deps, office, filed.id, { reason: '再办' })).rejects.toMatchObject({
      code: 'window_wrong_state',
    });
    const after = await getMatter(deps, office, filed.id);
    expect(after).toMatchObject({ state: 'handling' });
    expect(after.assignments[0]?.respondedAt).toBeNull();

    await respondMatter(deps, staffA, filed.id, { unitId: tree.sectionA1.id, text: '已办' });
    await expect(
      resolveMatter(deps, office, filed.id, { outcome: 'solved', text: ' ' }),
    ).rejects.toMatchObject({
      code: 'window_resolution_required',
    });
    await expect(
      resolveMatter(deps, staffA, filed.id, { outcome: 'solved', text: '好' }),
    ).rejects.toMatchObject({
      code: 'office_only',
    });
    await expect(lookUpMatter(deps, 'ABCDEFGHJK')).rejects.toMatchObject({
      code: 'window_receipt_unknown',
      status: 404,
    });
    await expect(lookUpMatter(deps, 'not a code')).rejects.toMatchObject({ code: 'window_receipt_unknown' });
  });

  it('refuses a filing without what, name or a phone, and a clerk’s filing without the permission', async () => {
    const { deps, tree } = await setUp(db);
    const before = await listMatters(deps, SYSTEM, {});
    await expect(fileMatter(deps, PUBLIC_FILER, 'web', { ...FILING, what: '办不了' })).rejects.toMatchObject({
      code: 'window_what_required',
    });
    await expect(fileMatter(deps, PUBLIC_FILER, 'web', { ...FILING, filerName: ' ' })).rejects.toMatchObject({
      code: 'window_name_required',
    });
    await expect(
      fileMatter(deps, PUBLIC_FILER, 'web', { ...FILING, filerPhone: '12' }),
    ).rejects.toMatchObject({
      code: 'window_phone_invalid',
    });
    const leader = await makeAccount(deps, 'leader');
    await expect(fileMatter(deps, leader, 'hall', FILING)).rejects.toMatchObject({ code: 'forbidden' });
    expect((await listMatters(deps, SYSTEM, {})).total).toBe(before.total);

    // A clerk of the hall (unit staff) records a matter brought to the window.
    const clerk = await makeAccount(deps, 'unit_staff', { unitId: tree.windowA1.id });
    const recorded = await fileMatter(deps, clerk, 'hall', FILING);
    expect(recorded).toMatchObject({ channel: 'hall', state: 'filed' });
  });

  it('declines a matter that is not one for the window and tells the filer why', async () => {
    const { deps, office } = await setUp(db);
    const filed = await fileMatter(deps, PUBLIC_FILER, 'web', FILING);
    const declined = await declineMatter(deps, office, filed.id, {
      reason: '属于司法诉讼事项，请向法院起诉',
    });
    expect(declined).toMatchObject({ state: 'declined', stateName: '不予受理', dueOn: null });
    expect((await outbox(deps, filed.id)).at(-1)?.body).toContain('属于司法诉讼事项');
    expect(await lookUpMatter(deps, filed.receiptCode)).toMatchObject({
      state: 'declined',
      resolutionText: '属于司法诉讼事项，请向法院起诉',
      mayRate: false,
    });
  });

  it('returns answers to the units, and reopens a matter the filer was not satisfied with', async () => {
    const s = await setUp(db);
    const { deps, tree, staffA, staffB, office } = s;
    const m = await assigned(s);
    await respondMatter(deps, staffA, m.id, { unitId: tree.sectionA1.id, text: '已解释' });
    await respondMatter(deps, staffB, m.id, { unitId: tree.sectionB1.id, text: '不归我们' });
    const returned = await returnMatter(deps, office, m.id, { reason: '请就业服务科说明原因' });
    expect(returned).toMatchObject({ state: 'handling', dueOn: '2026-03-23' });
    expect(returned.assignments.every((a) => a.respondedAt === null && a.responseText === '')).toBe(true);
    await respondMatter(deps, staffA, m.id, { unitId: tree.sectionA1.id, text: '已解释' });
    await respondMatter(deps, staffB, m.id, { unitId: tree.sectionB1.id, text: '已补办' });
    await resolveMatter(deps, office, m.id, { outcome: 'explained', text: '政策不允许，已解释' });
    await rateMatter(deps, m.receiptCode, { rating: 'dissatisfied', comment: '没解决' });
    const reopened = await reopenMatter(deps, office, m.id, { reason: '群众不满意，重新办理' });
    expect(reopened).toMatchObject({
      state: 'handling',
      reopenCount: 1,
      outcome: null,
      rating: 'dissatisfied',
    });
    await expect(reopenMatter(deps, office, m.id, { reason: '再来' })).rejects.toMatchObject({
      code: 'window_wrong_state',
    });
  });

  it('counts the public figures of a period: received, accepted, resolved, rated and satisfied', async () => {
    const s = await setUp(db);
    const { deps, clock, tree, staffA, staffB, office } = s;
    clock.set('2026-05-11T02:00:00.000Z'); // a Monday no other test files on
    const judged = async (rating: 'satisfied' | 'basically' | 'dissatisfied' | null) => {
      const m = await assigned(s);
      await respondMatter(deps, staffA, m.id, { unitId: tree.sectionA1.id, text: '已办' });
      await respondMatter(deps, staffB, m.id, { unitId: tree.sectionB1.id, text: '已办' });
      await resolveMatter(deps, office, m.id, { outcome: 'solved', text: '已解决' });
      if (rating !== null) await rateMatter(deps, m.receiptCode, { rating });
    };
    await judged('satisfied');
    await judged('basically');
    await judged('dissatisfied');
    await judged(null);
    await assigned(s);
    const declined = await fileMatter(deps, PUBLIC_FILER, 'web', FILING);
    await declineMatter(deps, office, declined.id, { reason: '不属于受理范围' });
    expect(await windowFigures(deps, { from: '2026-05-11', to: '2026-05-11' })).toEqual({
      from: '2026-05-11',
      to: '2026-05-11',
      received: 6,
      accepted: 5,
      resolved: 4,
      rated: 3,
      satisfied: 2,
      satisfiedRate: 66.7,
    });
    await expect(windowFigures(deps, { from: '2026-05-12', to: '2026-05-11' })).rejects.toMatchObject({
      code: 'invalid_range',
    });
  });

  it('turns a matter into a ledger item of its lead unit once, and feeds its text to the comment inbox', async () => {
    const s = await setUp(db);
    const { deps, tree, staffA, office } = s;
    const early = await fileMatter(deps, PUBLIC_FILER, 'web', FILING);
    await expect(toLedgerItem(deps, office, early.id, {})).rejects.toMatchObject({
      code: 'window_wrong_state',
    });
    const m = await assigned(s);
    await expect(toLedgerItem(deps, staffA, m.id, {})).rejects.toMatchObject({ code: 'office_only' });
    const turned = await toLedgerItem(deps, office, m.id, { responsibleName: '王科长' });
    expect(turned.ledgerItemId).not.toBeNull();
    const item = await getItem(deps, office, turned.ledgerItemId ?? '');
    expect(item).toMatchObject({
      origin: 'window',
      originName: '办不成事',
      originRef: m.id,
      unitId: tree.sectionA1.id,
      state: 'planning',
      responsibleName: '王科长',
    });
    expect(item.title).toContain('统一社会信用代码');
    await expect(toLedgerItem(deps, office, m.id, {})).rejects.toMatchObject({ code: 'item_exists' });
    expect((await getMatter(deps, office, m.id)).events.at(-1)?.type).toBe('ledger_item');

    const collected = await collectComments(deps, office, { from: '2026-03-16', to: '2026-03-16' });
    const source = collected.sources.find((x) => x.key === 'window');
    expect(source).toMatchObject({ name: '办不成事' });
    expect(source?.added).toBeGreaterThanOrEqual(1);
    const comments = await listComments(deps, office, { unitId: tree.sectionA1.id, source: 'window' });
    expect(comments.items.map((c) => c.text)).toContain(FILING.what);
    expect(JSON.stringify(comments)).not.toContain('13812345678');
  });

  it('warns the units that have not answered as a missed deadline ages, once per rung', async () => {
    const s = await setUp(db);
    const { deps, clock, tree, staffA } = s;
    const m = await assigned(s);
    await respondMatter(deps, staffA, m.id, { unitId: tree.sectionA1.id, text: '已办' });
    // Due Monday 23 March; Tuesday 24th: one working day late.
    clock.set('2026-03-24T02:00:00.000Z');
    await runSweep(deps, 'window.deadlines', sweepWindowDeadlines);
    await runSweep(deps, 'window.deadlines', sweepWindowDeadlines);
    let now = await getMatter(deps, SYSTEM, m.id);
    expect(now).toMatchObject({
      escalation: 1,
      escalationName: '预警单',
      overdue: true,
      workingDaysLeft: -1,
    });
    expect(now.warnings.map((w) => w.name)).toEqual(['预警单']);
    const warned = (
      await outbox(deps, now.warnings.length > 0 ? ((await warningIds(deps, m.id))[0] ?? '') : '')
    ).map((o) => o.recipient);
    // Only section B1 has not answered: it is warned, section A1 is not.
    expect(warned).toEqual([`unit:${tree.sectionB1.code}`]);
    clock.set('2026-04-03T02:00:00.000Z');
    await runSweep(deps, 'window.deadlines', sweepWindowDeadlines);
    now = await getMatter(deps, SYSTEM, m.id);
    expect(now.warnings.map((w) => w.name)).toEqual(['预警单', '紧急预警单', '约谈']);
  });

  it('keeps a duty rota on working days and sends a matter to whoever is on duty', async () => {
    const { deps, office, staffA } = await setUp(db);
    const second = await makeAccount(deps, 'office');
    // 4–5 April 2026 are holidays (清明) only on an imported calendar; on the plain one the weekend is skipped.
    const rota = await setRota(deps, office, {
      from: '2026-04-06',
      to: '2026-04-13',
      accountIds: [office.id, second.id],
    });
    expect(rota.map((r) => [r.date, r.accountId === office.id ? 'first' : 'second'])).toEqual([
      ['2026-04-06', 'first'],
      ['2026-04-07', 'second'],
      ['2026-04-08', 'first'],
      ['2026-04-09', 'second'],
      ['2026-04-10', 'first'],
      ['2026-04-13', 'second'],
    ]);
    expect(await getRota(deps, staffA, { from: '2026-04-11', to: '2026-04-12' })).toEqual([]);
    await expect(
      setRota(deps, office, { from: '2026-04-06', to: '2026-04-13', accountIds: [staffA.id] }),
    ).rejects.toMatchObject({ code: 'window_coordinator_invalid' });
    await expect(
      setRota(deps, staffA, { from: '2026-04-06', to: '2026-04-13', accountIds: [office.id] }),
    ).rejects.toMatchObject({ code: 'office_only' });
    await expect(
      setRota(deps, office, { from: '2026-04-13', to: '2026-04-06', accountIds: [office.id] }),
    ).rejects.toMatchObject({ code: 'window_rota_invalid' });
    expect((await getRota(deps, office, { from: '2026-04-06', to: '2026-04-13' })).length).toBe(6);

    // Filed on Saturday 11 April: the coordinator of Monday 13 April takes it.
    db().clock.set('2026-04-11T02:00:00.000Z');
    const filed = await fileMatter(deps, PUBLIC_FILER, 'web', FILING);
    expect(filed.coordinatorId).toBe(second.id);
    expect((await listMatters(deps, second, { mine: true })).matters.map((m) => m.id)).toEqual([filed.id]);
  });
});

async function warningIds(deps: TestDatabase['deps'], matterId: string): Promise<string[]> {
  const rows = await deps.database.db
    .selectFrom('windowWarnings')
    .select('id')
    .where('matterId', '=', matterId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}
