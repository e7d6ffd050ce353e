import { expect, it } from 'vitest';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../test/support/db.js';
import { makeTree, SYSTEM, type SmallTree } from '../../test/support/factories.js';
import type { Deps } from '../core/context.js';
import type { EvaluatorsTable } from '../core/db/schema.js';
import {
  announceDraw,
  drawMembers,
  drawSelection,
  listPublicDraws,
  performDraw,
  publicDraw,
  publishDraw,
  verifyDraw,
  type DrawRequest,
} from './draw-service.js';
import { commitmentOf, seedFrom } from './random.js';
import { createGroup, setEvaluatorActive } from './service.js';
import * as store from './store.js';

async function withFresh(
  db: () => TestDatabase,
  body: (deps: Deps, tree: SmallTree) => Promise<void>,
): Promise<void> {
  const fresh = await openTestDatabase(db().dialect);
  try {
    await body(fresh.deps, await makeTree(fresh.deps));
  } finally {
    await fresh.close();
  }
}

/**
 * 40 evaluators with fixed ids e01..e40: e01–e10 teachers in department A, e11–e40 entrepreneurs in
 * department B; the odd-numbered ones are grassroots. e02 works in section A1 (a conflict for department A).
 */
async function seedPool(deps: Deps, tree: SmallTree): Promise<void> {
  await createGroup(deps, SYSTEM, { code: 'teachers', name: '一线教师' });
  await createGroup(deps, SYSTEM, { code: 'firms', name: '企业代表' });
  const rows: EvaluatorsTable[] = Array.from({ length: 40 }, (_, i) => {
    const n = i + 1;
    const id = `e${String(n).padStart(2, '0')}`;
    return {
      id,
      name: `评价人${n}`,
      mobile: `135000000${String(n).padStart(2, '0')}`,
      groups: JSON.stringify([n <= 10 ? 'teachers' : 'firms']),
      regionId: n <= 10 ? tree.deptA.id : tree.deptB.id,
      grassroots: n % 2,
      tags: '[]',
      conflicts: JSON.stringify(n === 2 ? [tree.sectionA1.id] : []),
      active: 1,
      createdAt: '2026-03-01T00:00:00.000Z',
      updatedAt: '2026-03-01T00:00:00.000Z',
    };
  });
  await store.insertEvaluators(deps.database.db, rows);
}

const SECRET = 'ab'.repeat(32);

function sample(
  tree: SmallTree,
  over: Partial<Extract<DrawRequest, { kind: 'sample' }>['rules']> = {},
): DrawRequest {
  return {
    kind: 'sample',
    purpose: '中小学午餐保障评价',
    rules: {
      size: 8,
      filters: { groups: [], regions: [], tags: [], grassroots: null },
      quotas: [
        { feature: 'group', value: 'teachers', min: 3, max: 3 },
        { feature: 'grassroots', value: 'yes', min: 4, max: 4 },
      ],
      subjectUnits: [tree.deptA.id],
      rotationDays: 0,
      exclusions: [{ evaluatorId: 'e03', reason: '本人申请回避' }],
      reservePerStratum: 1,
      ...over,
    },
  };
}

/** The sqlite run's selection, compared with the PostgreSQL run's (same ids, secret and public value). */
const selections: string[][] = [];

describeEachDatabase('panel draws', (db) => {
  it('announces with a commitment, draws from the public value, meets the quotas, and verifies identical', async () =>
    withFresh(db, async (deps, tree) => {
      await seedPool(deps, tree);
      const announced = await announceDraw(deps, SYSTEM, sample(tree), { secret: SECRET });
      expect(announced).toMatchObject({
        state: 'announced',
        secret: null,
        seed: null,
        commitment: commitmentOf(SECRET),
      });
      // Eligible: 40 less e02 (conflict: section A1 is under department A) and e03 (excluded by hand) = 38:
      // teachers e01, e04–e10 (8; grassroots e01, e05, e07, e09), firms e11–e40 (30; 15 grassroots).
      expect(announced.eligible).toBe(38);
      expect(announced.excluded).toEqual({
        filteredOut: 0,
        conflict: 1,
        rotation: 0,
        manual: 1,
        inactive: 0,
      });
      expect(announced.strata.map((s) => [s.key, s.eligible, s.drawn])).toEqual([
        ['group:teachers|grassroots:', 4, 1],
        ['group:teachers|grassroots:yes', 4, 2],
        ['group:|grassroots:', 15, 3],
        ['group:|grassroots:yes', 15, 2],
      ]);
      const drawn = await performDraw(deps, SYSTEM, announced.id, '2026-03-16 福彩3D 417');
      expect(drawn).toMatchObject({
        state: 'drawn',
        secret: SECRET,
        seed: seedFrom(SECRET, '2026-03-16 福彩3D 417'),
        selectedCount: 8,
      });
      const { selected, reserve } = await drawSelection(deps, SYSTEM, announced.id);
      expect(selected).toHaveLength(8);
      expect(reserve).toHaveLength(4);
      expect(selected.filter((id) => Number(id.slice(1)) <= 10)).toHaveLength(3);
      expect(selected.filter((id) => Number(id.slice(1)) % 2 === 1)).toHaveLength(4);
      expect(selected).not.toContain('e02');
      expect(selected).not.toContain('e03');
      selections.push(selected);
      if (selections.length === 2) expect(selections[1]).toEqual(selections[0]);
      expect(await verifyDraw(deps, announced.id)).toMatchObject({ identical: true, difference: null });

      const members = await drawMembers(deps, SYSTEM, announced.id);
      const mobiles = members.filter((m) => m.role === 'selected').map((m) => m.mobile);
      expect(mobiles).toHaveLength(8);
      expect(mobiles.filter((m) => !/^135\*{4}\d{4}$/.test(m))).toEqual([]);
      await expect(performDraw(deps, SYSTEM, announced.id, 'again')).rejects.toMatchObject({
        code: 'already_drawn',
      });
    }));

  it('keeps the public page free of names and numbers, and shows the seed only once published', async () =>
    withFresh(db, async (deps, tree) => {
      await seedPool(deps, tree);
      const d = await announceDraw(deps, SYSTEM, sample(tree), { secret: SECRET });
      await performDraw(deps, SYSTEM, d.id, '12345');
      expect(await publicDraw(deps, d.id)).toMatchObject({
        state: 'drawn',
        seed: null,
        secret: null,
        selectedCount: 0,
      });
      await publishDraw(deps, SYSTEM, d.id);
      const page = await publicDraw(deps, d.id);
      expect(page).toMatchObject({
        state: 'published',
        seed: seedFrom(SECRET, '12345'),
        secret: SECRET,
        selectedCount: 8,
        poolSize: 40,
        eligible: 38,
        manualExclusions: 1,
      });
      expect(page.subjectUnits).toEqual([{ id: tree.deptA.id, name: '市民政局' }]);
      const text = JSON.stringify(await listPublicDraws(deps));
      // A mobile number (not a run of digits inside a hex digest), a masked one, a name, a reason, an evaluator id.
      expect(text).not.toMatch(/评价人|(?<![0-9a-f])135\d{8}(?![0-9a-f])|135\*{4}|本人申请回避|"e\d\d"/);
    }));

  it('refuses infeasible quotas with the quota and the amount, and records nothing', async () =>
    withFresh(db, async (deps, tree) => {
      await seedPool(deps, tree);
      const tooMany = sample(tree, { quotas: [{ feature: 'group', value: 'teachers', min: 9, max: 10 }] });
      await expect(announceDraw(deps, SYSTEM, tooMany)).rejects.toMatchObject({
        code: 'quota_infeasible',
        message: 'Quota group = teachers needs at least 9 but only 8 eligible people have it (short by 1).',
        params: { feature: 'group', value: 'teachers', required: 9, reachable: 8 },
      });
      const together = sample(tree, {
        size: 8,
        quotas: [
          { feature: 'group', value: 'teachers', min: 0, max: 2 },
          { feature: 'grassroots', value: 'no', min: 0, max: 1 },
          { feature: 'region', value: tree.deptB.id, min: 0, max: 4 },
        ],
      });
      await expect(announceDraw(deps, SYSTEM, together)).rejects.toMatchObject({ code: 'quota_infeasible' });
      expect(await store.listDraws(deps.database.db)).toEqual([]);
    }));

  it('rotates out people drawn within the rotation period and leaves out the deactivated', async () =>
    withFresh(db, async (deps, tree) => {
      await seedPool(deps, tree);
      const first = await announceDraw(deps, SYSTEM, sample(tree, { quotas: [], size: 20, exclusions: [] }));
      await performDraw(deps, SYSTEM, first.id, 'one');
      const { selected } = await drawSelection(deps, SYSTEM, first.id);
      await setEvaluatorActive(deps, SYSTEM, 'e40', false);
      const second = await announceDraw(
        deps,
        SYSTEM,
        sample(tree, { quotas: [], size: 10, exclusions: [], subjectUnits: [], rotationDays: 90 }),
      );
      const excludedActive = selected.includes('e40') ? 19 : 20;
      expect(second.excluded).toMatchObject({ rotation: excludedActive, inactive: 1 });
      await performDraw(deps, SYSTEM, second.id, 'two');
      const again = await drawSelection(deps, SYSTEM, second.id);
      expect(again.selected.filter((id) => selected.includes(id) || id === 'e40')).toEqual([]);
    }));

  it('verify names the first difference when a recorded result was altered', async () =>
    withFresh(db, async (deps, tree) => {
      await seedPool(deps, tree);
      const d = await announceDraw(deps, SYSTEM, sample(tree), { secret: SECRET });
      await performDraw(deps, SYSTEM, d.id, 'x');
      const row = await store.drawById(deps.database.db, d.id);
      const result = JSON.parse(row?.result ?? '{}') as { selected: string[] };
      const swapped = result.selected[0] === 'e40' ? 'e39' : 'e40';
      const original = result.selected[0];
      result.selected[0] = swapped;
      await deps.database.db
        .updateTable('panelDraws')
        .set({ result: JSON.stringify(result) })
        .where('id', '=', d.id)
        .execute();
      expect(await verifyDraw(deps, d.id)).toMatchObject({
        identical: false,
        difference: `Position 1: recorded ${swapped}, recomputed ${original}.`,
      });
    }));

  it('draws supervisors from a list, ballots to audit, and leader panels with their bounds', async () =>
    withFresh(db, async (deps, tree) => {
      const list = await announceDraw(deps, SYSTEM, {
        kind: 'list',
        purpose: '随机抽取监督员',
        rules: { items: ['甲', '乙', '丙', '丁', '戊'], count: 2 },
      });
      const listDrawn = await performDraw(deps, SYSTEM, list.id, 'p');
      expect(listDrawn.selectedCount).toBe(2);
      expect(await verifyDraw(deps, list.id)).toMatchObject({ identical: true });
      const items = Array.from({ length: 25 }, (_, i) => `ballot-${i}`);
      const audit = await announceDraw(deps, SYSTEM, {
        kind: 'audit',
        purpose: '抽样评议票复核',
        rules: { items, percent: 10 },
      });
      expect((await performDraw(deps, SYSTEM, audit.id, 'q')).selectedCount).toBe(3);
      const units = [tree.deptA.id, tree.deptB.id, tree.sectionA1.id, tree.sectionB1.id];
      const leaders = [
        { id: 'L1', name: '甲领导', inCharge: [tree.deptA.id] },
        { id: 'L2', name: '乙领导', inCharge: [tree.deptB.id] },
        { id: 'L3', name: '丙领导', inCharge: [] },
      ];
      const panel = await announceDraw(deps, SYSTEM, {
        kind: 'leaders',
        purpose: '市领导评议分组',
        rules: { leaders, units, leaderMin: 2, leaderMax: 3, unitMin: 2, unitMax: 2, supplementaryCap: 1 },
      });
      expect((await performDraw(deps, SYSTEM, panel.id, 'r')).selectedCount).toBe(8);
      expect(await verifyDraw(deps, panel.id)).toMatchObject({ identical: true });
      await expect(
        announceDraw(deps, SYSTEM, {
          kind: 'leaders',
          purpose: '不可行',
          rules: { leaders, units, leaderMin: 3, leaderMax: 3, unitMin: 1, unitMax: 2, supplementaryCap: 0 },
        }),
      ).rejects.toMatchObject({
        code: 'bounds_infeasible',
        message:
          '3 leaders rating at least 3 units each make 9 ratings, but 4 units rated by at most 2 leaders each take only 8.',
      });
    }));
});
