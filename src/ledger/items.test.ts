import { expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../../test/support/db.js';
import { makeAccount, makeTree, SYSTEM, type SmallTree } from '../../test/support/factories.js';
import { runSweep } from '../core/sweeps.js';
import { insertBadRating } from '../cases/testing.js';
import { attachToFollowUp, attachToItem, listFollowUps, readFile, recordFollowUp } from './evidence.js';
import {
  createItem,
  getItem,
  listItems,
  reviewItem,
  submitPlan,
  submitProgress,
  submitResult,
} from './items.js';
import { MAX_EVIDENCE_BYTES } from './model.js';
import { publicLedger } from './public.js';
import { sweepLedgerDeadlines } from './sweeps.js';

// A tiny valid-looking JPEG (the signature is what counts) and a PNG.
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\n');

async function setUp(db: () => TestDatabase) {
  const { deps, clock } = db();
  clock.set('2026-03-16T02:00:00.000Z'); // Monday, 10:00 in China
  const tree = await makeTree(deps);
  const staffA = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
  const staffB = await makeAccount(deps, 'unit_staff', { unitId: tree.deptB.id });
  const office = await makeAccount(deps, 'office');
  return { deps, clock, tree, staffA, staffB, office };
}

async function openItem(deps: TestDatabase['deps'], tree: SmallTree, deadlineOn = '2026-04-30') {
  return createItem(deps, SYSTEM, {
    origin: 'manual',
    unitId: tree.sectionA1.id,
    responsibleName: '王科长',
    title: '低保审批材料反复要求补交',
    deadlineOn,
  });
}

describeEachDatabase('a rectification ledger item', (db) => {
  it('goes from plan to closed through the office’s three reviews, closing only with evidence', async () => {
    const { deps, tree, staffA, office } = await setUp(db);
    const item = await openItem(deps, tree);
    expect(item).toMatchObject({
      state: 'planning',
      stateName: '制定整改方案',
      dueOn: '2026-03-23',
      openedOn: '2026-03-16',
    });

    const planned = await submitPlan(deps, staffA, item.id, {
      target: '一次告知',
      measures: '编制材料清单，首问负责',
    });
    expect(planned).toMatchObject({ state: 'plan_review', pendingReview: 'plan', dueOn: null });
    const approved = await reviewItem(deps, office, item.id, { stage: 'plan', approve: true });
    // Progress is due 10 working days after approval: 2026-03-30.
    expect(approved).toMatchObject({ state: 'executing', dueOn: '2026-03-30' });
    await submitProgress(deps, staffA, item.id, { text: '清单已上墙' });
    const returned = await reviewItem(deps, office, item.id, {
      stage: 'progress',
      approve: false,
      reason: '未附培训记录',
    });
    expect(returned).toMatchObject({ state: 'executing' });
    expect(returned.reviews.map((r) => [r.stage, r.decision, r.reason])).toEqual([
      ['plan', 'approved', ''],
      ['progress', 'returned', '未附培训记录'],
    ]);
    await submitProgress(deps, staffA, item.id, { text: '清单已上墙，培训已完成' });
    const finishing = await reviewItem(deps, office, item.id, { stage: 'progress', approve: true });
    expect(finishing).toMatchObject({ state: 'finishing', dueOn: '2026-04-30' });

    // No result without evidence.
    await expect(submitResult(deps, staffA, item.id, { text: '回访群众满意' })).rejects.toMatchObject({
      code: 'evidence_required',
      status: 409,
    });
    await attachToItem(deps, staffA, item.id, { filename: '整改照片.jpg', bytes: JPEG });
    await submitResult(deps, staffA, item.id, { text: '回访群众满意' });
    const closed = await reviewItem(deps, office, item.id, { stage: 'result', approve: true });
    expect(closed).toMatchObject({ state: 'closed', stateName: '已销号', evidence: 1, dueOn: null });
    expect(closed.closedAt).not.toBeNull();
    expect(closed.events.map((e) => e.type)).toEqual([
      'opened',
      'submit_plan',
      'review_approved',
      'submit_progress',
      'review_returned',
      'submit_progress',
      'review_approved',
      'evidence',
      'submit_result',
      'review_approved',
    ]);
  });

  it('refuses a review out of order, a return without a reason, and unit staff reviewing', async () => {
    const { deps, tree, staffA, office } = await setUp(db);
    const item = await openItem(deps, tree);
    await submitPlan(deps, staffA, item.id, { target: '一次告知', measures: '材料清单' });
    await expect(reviewItem(deps, office, item.id, { stage: 'result', approve: true })).rejects.toMatchObject(
      {
        code: 'review_out_of_order',
      },
    );
    await expect(
      reviewItem(deps, office, item.id, { stage: 'plan', approve: false, reason: ' ' }),
    ).rejects.toMatchObject({
      code: 'reason_required',
    });
    await expect(reviewItem(deps, staffA, item.id, { stage: 'plan', approve: true })).rejects.toMatchObject({
      code: 'office_only',
    });
    // Nothing of the refused calls was stored.
    const now = await getItem(deps, office, item.id);
    expect(now.state).toBe('plan_review');
    expect(now.reviews).toEqual([]);
  });

  it('refuses unit staff acting on another unit’s item, and shows them only their own', async () => {
    const { deps, tree, staffA, staffB } = await setUp(db);
    const item = await openItem(deps, tree);
    await expect(submitPlan(deps, staffB, item.id, { target: 'x', measures: 'y' })).rejects.toMatchObject({
      code: 'outside_scope',
      status: 403,
    });
    await expect(
      attachToItem(deps, staffB, item.id, { filename: 'a.jpg', bytes: JPEG }),
    ).rejects.toMatchObject({
      code: 'outside_scope',
    });
    await expect(getItem(deps, staffB, item.id)).rejects.toMatchObject({ code: 'outside_scope' });
    expect((await listItems(deps, staffB, {})).items.map((i) => i.id)).not.toContain(item.id);
    expect((await listItems(deps, staffA, {})).items.map((i) => i.id)).toContain(item.id);
    await expect(
      createItem(deps, staffA, { origin: 'manual', unitId: tree.sectionA1.id, title: 'x' }),
    ).rejects.toMatchObject({
      code: 'office_only',
    });
  });

  it('opens from a bad-review case at its responsible unit, and only once while open', async () => {
    const { deps, tree } = await setUp(db);
    const rating = await insertBadRating(deps, { unitId: tree.windowA1.id });
    const c = await deps.database.db
      .selectFrom('cases')
      .select(['id', 'responsibleUnitId'])
      .where('ratingId', '=', rating.id)
      .executeTakeFirstOrThrow();
    const item = await createItem(deps, SYSTEM, { origin: 'case', originRef: c.id, title: '等候时间过长' });
    expect(item).toMatchObject({ origin: 'case', originName: '差评工单', unitId: c.responsibleUnitId });
    await expect(
      createItem(deps, SYSTEM, { origin: 'case', originRef: c.id, title: '再开一次' }),
    ).rejects.toMatchObject({
      code: 'item_exists',
    });
    await expect(
      createItem(deps, SYSTEM, { origin: 'case', originRef: 'nope', title: 'x' }),
    ).rejects.toMatchObject({
      code: 'not_found',
    });
  });

  it('issues 预警单, 紧急预警单 and 约谈 once each as a missed deadline ages', async () => {
    const { deps, clock, tree } = await setUp(db);
    const item = await openItem(deps, tree);
    // Plan due 2026-03-23 (Mon). 03-24: 1 working day late → warning.
    clock.set('2026-03-24T02:00:00.000Z');
    await runSweep(deps, 'ledger.deadlines', sweepLedgerDeadlines);
    let now = await getItem(deps, SYSTEM, item.id);
    expect(now).toMatchObject({
      escalation: 1,
      escalationName: '预警单',
      overdue: true,
      workingDaysLeft: -1,
    });
    // 03-27 (Fri): 4 working days late (> 3) → urgent warning.
    clock.set('2026-03-27T02:00:00.000Z');
    await runSweep(deps, 'ledger.deadlines', sweepLedgerDeadlines);
    // 04-02 (Thu): 8 working days late, not yet more than 3 + 5; 04-03 (Fri): 9 → talk.
    clock.set('2026-04-02T02:00:00.000Z');
    await runSweep(deps, 'ledger.deadlines', sweepLedgerDeadlines);
    expect((await getItem(deps, SYSTEM, item.id)).escalation).toBe(2);
    clock.set('2026-04-03T02:00:00.000Z');
    const counts = await runSweep(deps, 'ledger.deadlines', sweepLedgerDeadlines);
    await runSweep(deps, 'ledger.deadlines', sweepLedgerDeadlines);
    now = await getItem(deps, SYSTEM, item.id);
    expect(now.warnings.map((w) => [w.level, w.name, w.dueOn])).toEqual([
      [1, '预警单', '2026-03-23'],
      [2, '紧急预警单', '2026-03-23'],
      [3, '约谈', '2026-03-23'],
    ]);
    expect(counts.counts.talks).toBeGreaterThanOrEqual(1);
    const office = await deps.database.db
      .selectFrom('outbox')
      .select('subject')
      .where('relatedType', '=', 'ledger_warning')
      .where('recipient', '=', 'office')
      .execute();
    expect(office.map((o) => o.subject)).toContain(`约谈提请 ${now.reference}`);
  });

  it('a follow-up finding the problem back reopens a closed item; covert inspections stay the office’s', async () => {
    const { deps, clock, tree, staffA, office } = await setUp(db);
    const item = await openItem(deps, tree);
    await submitPlan(deps, staffA, item.id, { target: 't', measures: 'm' });
    await reviewItem(deps, office, item.id, { stage: 'plan', approve: true });
    await submitProgress(deps, staffA, item.id, { text: 'p' });
    await reviewItem(deps, office, item.id, { stage: 'progress', approve: true });
    await attachToItem(deps, staffA, item.id, { filename: 'scan.pdf', bytes: PDF });
    await submitResult(deps, staffA, item.id, { text: 'r' });
    await reviewItem(deps, office, item.id, { stage: 'result', approve: true });
    clock.set('2026-05-11T02:00:00.000Z');
    const visit = await recordFollowUp(deps, office, {
      kind: 'covert',
      method: 'simulated_service',
      itemId: item.id,
      date: '2026-05-08',
      inspector: '督查组张三',
      findings: '模拟办理低保，仍被要求补交材料三次',
      problemBack: true,
    });
    expect(visit).toMatchObject({ kindName: '暗访', methodName: '模拟办事', unitId: tree.sectionA1.id });
    await attachToFollowUp(deps, office, visit.id, { filename: 'photo.png', bytes: PNG });
    const reopened = await getItem(deps, office, item.id);
    expect(reopened).toMatchObject({ state: 'executing', reopenCount: 1, closedAt: null });
    expect(reopened.followUps[0]?.attachments.map((a) => a.mime)).toEqual(['image/png']);
    // A new period: progress due 10 working days from the reopening (Mon 05-11 → Mon 05-25).
    expect(reopened.dueOn).toBe('2026-05-25');
    await recordFollowUp(deps, office, {
      kind: 'revisit',
      method: 'phone',
      unitId: tree.sectionA1.id,
      date: '2026-05-11',
      inspector: '李四',
      findings: '回访群众，反映已改善',
      problemBack: false,
    });
    const seenByStaff = await listFollowUps(deps, staffA, {});
    expect(seenByStaff.map((f) => f.kind)).toEqual(['revisit']);
    expect(
      (await listFollowUps(deps, office, { unitId: tree.sectionA1.id })).map((f) => f.kind).sort(),
    ).toEqual(['covert', 'revisit']);
    await expect(
      recordFollowUp(deps, staffA, {
        kind: 'revisit',
        method: 'phone',
        unitId: tree.sectionA1.id,
        date: '2026-05-11',
        inspector: 'x',
        findings: 'y',
        problemBack: false,
      }),
    ).rejects.toMatchObject({ code: 'office_only' });
  });
});

describeEachDatabase('evidence files', (db) => {
  it('stores a file once by its SHA-256 and serves photos inline, PDFs as downloads, only within the subtree', async () => {
    const { deps, tree, staffA, staffB } = await setUp(db);
    const item = await openItem(deps, tree);
    const once = await attachToItem(deps, staffA, item.id, { filename: '../../etc/现场.jpg', bytes: JPEG });
    const twice = await attachToItem(deps, staffA, item.id, { filename: '现场2.jpg', bytes: JPEG });
    expect(twice).toHaveLength(2);
    expect(once[0]).toMatchObject({
      filename: '现场.jpg',
      mime: 'image/jpeg',
      inline: true,
      size: JPEG.length,
    });
    expect(twice[0]?.sha256).toBe(twice[1]?.sha256);
    const files = await deps.database.db.selectFrom('ledgerFiles').select('sha256').execute();
    expect(files.filter((f) => f.sha256 === once[0]?.sha256)).toHaveLength(1);
    const photo = await readFile(deps, staffA, once[0]?.sha256 ?? '');
    expect(photo.inline).toBe(true);
    expect(photo.bytes.equals(JPEG)).toBe(true);
    await expect(readFile(deps, staffB, once[0]?.sha256 ?? '')).rejects.toMatchObject({
      code: 'outside_scope',
    });
    const withPdf = await attachToItem(deps, staffA, item.id, { filename: 'scan.pdf', bytes: PDF });
    const pdf = await readFile(deps, staffA, withPdf[2]?.sha256 ?? '');
    expect(pdf).toMatchObject({ mime: 'application/pdf', inline: false });
  });

  it('refuses executables, scripts dressed as images, empty and oversized files', async () => {
    const { deps, tree, staffA } = await setUp(db);
    const item = await openItem(deps, tree);
    const attach = (filename: string, bytes: Buffer) =>
      attachToItem(deps, staffA, item.id, { filename, bytes });
    await expect(attach('photo.jpg', Buffer.from('MZ\x90\x00\x03 this is a program'))).rejects.toMatchObject({
      code: 'file_type_not_allowed',
      status: 400,
    });
    await expect(
      attach('x.svg', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>')),
    ).rejects.toMatchObject({
      code: 'file_type_not_allowed',
    });
    await expect(attach('empty.png', Buffer.alloc(0))).rejects.toMatchObject({ code: 'file_empty' });
    const big = Buffer.alloc(MAX_EVIDENCE_BYTES + 1);
    JPEG.copy(big);
    await expect(attach('big.jpg', big)).rejects.toMatchObject({ code: 'file_too_large' });
    expect((await getItem(deps, staffA, item.id)).attachments).toEqual([]);
  });
});

describeEachDatabase('the public ledger', (db) => {
  it('counts raised, in progress, closed and overdue per unit and in total, without personal data', async () => {
    const { deps, clock, tree, staffA, office } = await setUp(db);
    const a = await openItem(deps, tree);
    await openItem(deps, tree);
    await createItem(deps, SYSTEM, {
      origin: 'manual',
      unitId: tree.sectionB1.id,
      title: '就业补贴发放慢',
      responsibleName: '赵主任',
    });
    await submitPlan(deps, staffA, a.id, {
      target: '材料一次告知',
      measures: '公开清单，联系电话13800001111',
    });
    await reviewItem(deps, office, a.id, { stage: 'plan', approve: true });
    await submitProgress(deps, staffA, a.id, { text: 'p' });
    await reviewItem(deps, office, a.id, { stage: 'progress', approve: true });
    await attachToItem(deps, staffA, a.id, { filename: 'x.jpg', bytes: JPEG });
    await submitResult(deps, staffA, a.id, { text: '已公开材料清单' });
    await reviewItem(deps, office, a.id, { stage: 'result', approve: true });
    // The two open items' plans were due 2026-03-23: overdue by 03-24.
    clock.set('2026-03-24T02:00:00.000Z');
    const ledger = await publicLedger(deps);
    const sectionA = ledger.units.find((u) => u.unitId === tree.sectionA1.id);
    const sectionB = ledger.units.find((u) => u.unitId === tree.sectionB1.id);
    expect(sectionA).toMatchObject({ name: '社会救助科', raised: 2, inProgress: 1, closed: 1, overdue: 1 });
    expect(sectionB).toMatchObject({ raised: 1, inProgress: 1, closed: 0, overdue: 1 });
    const closed = ledger.closedItems.find((i) => i.unitName === '社会救助科');
    expect(closed).toMatchObject({
      measures: '公开清单，联系电话138****1111',
      resultText: '已公开材料清单',
      evidence: { photos: 1, documents: 0 },
    });
    expect(JSON.stringify(ledger)).not.toContain('王科长');
    expect(JSON.stringify(ledger)).not.toContain('赵主任');
  });
});
