import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { makeAccount, makeTree, SYSTEM } from '../../test/support/factories.js';
import { insertBadRating } from '../cases/testing.js';
import { assignComments, collectComments, commentClusters, createTopicList, listComments } from './inbox.js';
import { createItem } from './items.js';
import {
  createProblem,
  listProblems,
  mainProblems,
  mergeProblems,
  problemCommentList,
  splitProblem,
} from './problems.js';
import { registerCommentSource } from './sources.js';

describeEachDatabase('the comment inbox', (db) => {
  it('collects rating comments and bad-review cases once, masked, without the writer', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    // A ★4 rating with a comment (no case), and a ★1 bad review that opens a case.
    await insertBadRating(deps, {
      unitId: tree.windowA1.id,
      level: 4,
      open: false,
      comment: '办理很快，但是停车位太少',
    });
    await insertBadRating(deps, {
      unitId: tree.windowA1.id,
      level: 1,
      contactName: '李女士',
      contactPhone: '13912345678',
      comment: '窗口人员推诿，让我打13912345678问',
    });
    const first = await collectComments(deps, SYSTEM, { from: '2026-03-16', to: '2026-03-16' });
    const again = await collectComments(deps, SYSTEM, { from: '2026-03-16', to: '2026-03-16' });
    const added = (r: typeof first, key: string) => r.sources.find((s) => s.key === key)?.added;
    expect(added(first, 'rating')).toBeGreaterThanOrEqual(1);
    expect(added(first, 'case')).toBeGreaterThanOrEqual(1);
    expect(added(again, 'rating')).toBe(0);
    expect(added(again, 'case')).toBe(0);

    const page = await listComments(deps, SYSTEM, { unitId: tree.deptA.id });
    expect(page.total).toBe(2);
    const bad = page.items.find((c) => c.source === 'case');
    expect(bad).toMatchObject({
      level: 1,
      sourceName: '差评工单',
      text: '窗口人员推诿，让我打139****5678问',
    });
    // The case's comment sits with the responsible unit: the window itself here (nobody named above it).
    expect(bad?.unitId).toBe(tree.windowA1.id);
    expect(JSON.stringify(page)).not.toContain('李女士');
  });

  it('takes comments from a source another area registers at start-up', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    registerCommentSource({
      key: 'test_ballots',
      name: '测评问卷',
      collect: async () => [
        {
          sourceRef: `${tree.deptB.id}-1`,
          unitId: tree.deptB.id,
          date: '2026-03-10',
          level: 2,
          text: '社保窗口排队太久',
        },
      ],
    });
    const result = await collectComments(deps, SYSTEM, { from: '2026-03-01', to: '2026-03-31' });
    expect(result.sources.find((s) => s.key === 'test_ballots')).toEqual({
      key: 'test_ballots',
      name: '测评问卷',
      found: 1,
      added: 1,
    });
    const page = await listComments(deps, SYSTEM, { unitId: tree.deptB.id, source: 'test_ballots' });
    expect(page.items.map((c) => [c.sourceName, c.text])).toEqual([['测评问卷', '社保窗口排队太久']]);
  });

  it('suggests topics with the words behind them; bulk corrections teach later suggestions', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const texts = ['电梯坏了没人修', '电梯停了一周', '电梯又坏了', '物业不管电梯'];
    registerCommentSource({
      key: 'test_survey',
      name: '季度测评',
      collect: async () =>
        texts.map((text, i) => ({
          sourceRef: `${tree.sectionB1.id}-${i}`,
          unitId: tree.sectionB1.id,
          date: '2026-03-12',
          level: null,
          text,
        })),
    });
    await collectComments(deps, SYSTEM, { from: '2026-03-12', to: '2026-03-12' });
    const list = await createTopicList(deps, SYSTEM, { name: '西安七个方面', presetKey: 'xian7' });
    expect(list.topics.map((t) => t.name)).toEqual([
      '教育教学',
      '交通出行',
      '扶贫就业',
      '干部作风',
      '环境卫生',
      '拆迁安置',
      '物业监管',
    ]);
    const property = list.topics.find((t) => t.name === '物业监管');
    const q = { listId: list.id, unitId: tree.sectionB1.id, source: 'test_survey' };
    const before = await listComments(deps, SYSTEM, q);
    const byText = (p: typeof before, text: string) => p.items.find((c) => c.text === text);
    // 物业 is a keyword of 物业监管 (and 电梯 too); 电梯停了一周 holds 电梯.
    expect(byText(before, '物业不管电梯')?.suggestion).toMatchObject({
      topicName: '物业监管',
      because: [
        { word: '物业', weight: 1, source: 'keyword' },
        { word: '电梯', weight: 1, source: 'keyword' },
      ],
    });

    // The clerk confirms two and marks one as belonging to no topic.
    const ids = before.items.map((c) => c.id);
    const a = byText(before, '电梯坏了没人修');
    const b = byText(before, '电梯又坏了');
    const none = byText(before, '电梯停了一周');
    if (!a || !b || !none || !property) throw new Error('fixture');
    const result = await assignComments(deps, SYSTEM, list.id, {
      assignments: [
        { commentId: a.id, topicId: property.id },
        { commentId: b.id, topicId: property.id },
        { commentId: none.id, topicId: null },
      ],
    });
    expect(result).toEqual({ assigned: 3, revision: 1 });
    const after = await listComments(deps, SYSTEM, q);
    expect(after.total).toBe(ids.length);
    expect(byText(after, '电梯坏了没人修')).toMatchObject({
      assigned: true,
      topicId: property.id,
      suggestion: null,
    });
    expect(byText(after, '电梯停了一周')).toMatchObject({ assigned: true, topicId: null });
    // The learnt weight of 电梯 for 物业监管 now adds to its keyword weight.
    const learnt = byText(after, '物业不管电梯')?.suggestion?.because.find((w) => w.word === '电梯');
    expect(learnt?.source).toBe('both');
    expect(learnt?.weight).toBeGreaterThan(1);
    const unassigned = await listComments(deps, SYSTEM, { ...q, assigned: false });
    expect(unassigned.items.map((c) => c.text)).toEqual(['物业不管电梯']);
  });

  it('keeps unit staff to their subtree and the office’s work to the office', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const staffA = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
    await expect(listComments(deps, staffA, { unitId: tree.deptB.id })).rejects.toMatchObject({
      code: 'outside_scope',
    });
    const own = await listComments(deps, staffA, {});
    expect(
      own.items.every((c) => [tree.deptA.id, tree.sectionA1.id, tree.windowA1.id].includes(c.unitId)),
    ).toBe(true);
    await expect(createTopicList(deps, staffA, { name: 'x' })).rejects.toMatchObject({ code: 'office_only' });
    const leader = await makeAccount(deps, 'leader');
    await expect(listComments(deps, leader, {})).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('groups unclaimed comments, and a cluster becomes a problem that feeds the main problems', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const texts = [
      '社区核酸检测点排队太长，站了两个小时',
      '核酸检测点太少，排队排到马路上',
      '核酸检测点排队没人维持秩序',
      '今天天气不错',
    ];
    registerCommentSource({
      key: 'test_hall',
      name: '大厅意见簿',
      collect: async () =>
        texts.map((text, i) => ({
          sourceRef: `${tree.sectionA1.id}-${i}`,
          unitId: tree.sectionA1.id,
          date: '2026-03-13',
          level: null,
          text,
        })),
    });
    await collectComments(deps, SYSTEM, { from: '2026-03-13', to: '2026-03-13' });
    const list = await createTopicList(deps, SYSTEM, { name: '空白清单' });
    const clusters = await commentClusters(deps, SYSTEM, { listId: list.id, unitId: tree.sectionA1.id });
    expect(clusters).toHaveLength(1);
    expect(clusters[0]).toMatchObject({ count: 3, title: '社区核酸检测点排队太长' });

    const problem = await createProblem(deps, SYSTEM, {
      unitId: tree.sectionA1.id,
      title: '核酸检测点排队时间长',
      commentIds: clusters[0]?.commentIds ?? [],
    });
    expect(problem).toMatchObject({ count: 3, unitName: '社会救助科', title: '核酸检测点排队时间长' });
    expect(problem.examples).toHaveLength(3);
    expect((await mainProblems(deps, SYSTEM, tree.sectionA1.id)).text).toBe('1. 核酸检测点排队时间长（3条）');
    const staffB = await makeAccount(deps, 'unit_staff', { unitId: tree.deptB.id });
    expect(await listProblems(deps, staffB, {})).toEqual([]);
    // Comments of one unit cannot make another unit's problem.
    await expect(
      createProblem(deps, SYSTEM, {
        unitId: tree.sectionB1.id,
        title: 'x',
        commentIds: clusters[0]?.commentIds ?? [],
      }),
    ).rejects.toMatchObject({ code: 'comment_of_other_unit' });
  });

  it('merges problems of one unit and splits a problem in two, refusing what would lose data', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const texts = ['停车位太少', '停车难', '门口没有停车位', '叫号机坏了', '取号要排很久'];
    registerCommentSource({
      key: 'test_merge',
      name: '意见簿',
      collect: async () =>
        texts.map((text, i) => ({
          sourceRef: `m-${i}`,
          unitId: tree.sectionA1.id,
          date: '2026-03-14',
          level: null,
          text,
        })),
    });
    await collectComments(deps, SYSTEM, { from: '2026-03-14', to: '2026-03-14' });
    const all = await listComments(deps, SYSTEM, { unitId: tree.sectionA1.id, source: 'test_merge' });
    const id = (text: string) => all.items.find((c) => c.text === text)?.id ?? '';
    const a = await createProblem(deps, SYSTEM, {
      unitId: tree.sectionA1.id,
      title: '停车难',
      commentIds: [id('停车位太少'), id('停车难'), id('叫号机坏了')],
    });
    const b = await createProblem(deps, SYSTEM, {
      unitId: tree.sectionA1.id,
      title: '门口停车',
      commentIds: [id('门口没有停车位')],
    });
    const merged = await mergeProblems(deps, SYSTEM, a.id, { problemIds: [b.id] });
    expect(merged).toMatchObject({ id: a.id, title: '停车难', count: 4 });
    expect((await listProblems(deps, SYSTEM, { unitId: tree.sectionA1.id })).map((p) => p.id)).toEqual([
      a.id,
    ]);

    // The clerk sees the comments behind it and moves the one about the queue machine out.
    const behind = await problemCommentList(deps, SYSTEM, a.id);
    expect(behind.map((c) => c.text).sort()).toEqual(
      ['停车位太少', '停车难', '叫号机坏了', '门口没有停车位'].sort(),
    );
    const split = await splitProblem(deps, SYSTEM, a.id, {
      title: '叫号机故障',
      commentIds: [id('叫号机坏了')],
    });
    expect(split.from.count).toBe(3);
    expect(split.created).toMatchObject({ title: '叫号机故障', count: 1, unitId: tree.sectionA1.id });

    // Refusals change nothing.
    await expect(
      splitProblem(deps, SYSTEM, split.created.id, { title: 'x', commentIds: [id('叫号机坏了')] }),
    ).rejects.toMatchObject({ code: 'split_leaves_nothing' });
    await expect(
      splitProblem(deps, SYSTEM, a.id, { title: 'x', commentIds: [id('取号要排很久')] }),
    ).rejects.toMatchObject({ code: 'comment_not_in_problem' });
    const c = await createProblem(deps, SYSTEM, {
      unitId: tree.sectionA1.id,
      title: '取号排队',
      commentIds: [id('取号要排很久')],
    });
    await createItem(deps, SYSTEM, { origin: 'problem', originRef: c.id });
    await expect(mergeProblems(deps, SYSTEM, a.id, { problemIds: [c.id] })).rejects.toMatchObject({
      code: 'item_exists',
    });
    await expect(mergeProblems(deps, SYSTEM, a.id, { problemIds: [a.id] })).rejects.toMatchObject({
      code: 'nothing_to_merge',
    });
    expect(
      (await listProblems(deps, SYSTEM, { unitId: tree.sectionA1.id })).map((p) => p.count).sort(),
    ).toEqual([1, 1, 3]);
    const staffB = await makeAccount(deps, 'unit_staff', { unitId: tree.deptB.id });
    await expect(problemCommentList(deps, staffB, a.id)).rejects.toMatchObject({ code: 'outside_scope' });
    const staffA = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
    await expect(mergeProblems(deps, staffA, a.id, { problemIds: [c.id] })).rejects.toMatchObject({
      code: 'office_only',
    });
  });
});
