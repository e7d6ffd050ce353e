import { expect, it } from 'vitest';
import { describeEachDatabase, openTestDatabase, type TestDatabase } from '../../test/support/db.js';
import { makeTree, SYSTEM, uniqueCode } from '../../test/support/factories.js';
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import { applyPoolImport, getPoolImport, previewPoolImport } from './import-service.js';
import {
  createEvaluator,
  createGroup,
  getEvaluator,
  listEvaluators,
  poolComposition,
  setEvaluatorActive,
  setGrassrootsTarget,
  updateEvaluator,
} from './service.js';

const supervisor: Actor = {
  kind: 'account',
  id: 'sup',
  username: 'sup',
  displayName: '监督员',
  role: 'supervisor',
  unitId: null,
  mustChangePassword: false,
};
const office: Actor = { ...supervisor, id: 'off', username: 'off', displayName: '考核办', role: 'office' };

async function setup(deps: Deps) {
  const tree = await makeTree(deps);
  const p = uniqueCode('g').toLowerCase();
  const teachers = await createGroup(deps, SYSTEM, { code: `${p}-teachers`, name: `一线教师${p}` });
  const firms = await createGroup(deps, SYSTEM, { code: `${p}-firms`, name: `企业代表${p}` });
  return { tree, teachers, firms, p };
}

const auditActions = async (deps: Deps) =>
  (await deps.database.db.selectFrom('auditLog').select(['action', 'detail']).orderBy('seq').execute()).map(
    (r) => r.action,
  );

/** Runs a test on a database of its own (counts in it are exact). */
async function withFresh(db: () => TestDatabase, body: (deps: Deps) => Promise<void>): Promise<void> {
  const fresh = await openTestDatabase(db().dialect);
  try {
    await body(fresh.deps);
  } finally {
    await fresh.close();
  }
}

describeEachDatabase('panel pool service', (db) => {
  it('adds evaluators, refuses a second with the same mobile number, and stores nothing for it', async () => {
    const { deps } = db();
    const { tree, teachers } = await setup(deps);
    const a = await createEvaluator(deps, SYSTEM, {
      name: '王老师',
      mobile: '+86 138-0013-0001',
      groups: [teachers.code],
      regionId: tree.deptA.id,
      grassroots: true,
      tags: ['一线教师', ' 一线教师 '],
      conflicts: [tree.sectionB1.id],
    });
    expect(a).toMatchObject({
      mobile: '138****0001',
      mobileMasked: true,
      tags: ['一线教师'],
      regionName: '市民政局',
    });
    expect(a.conflicts).toEqual([{ id: tree.sectionB1.id, name: '就业服务科' }]);
    const before = (await listEvaluators(deps, SYSTEM, { limit: 500 })).total;
    await expect(
      createEvaluator(deps, SYSTEM, {
        name: '李四',
        mobile: '13800130001',
        groups: [teachers.code],
        regionId: null,
        grassroots: false,
        tags: [],
        conflicts: [],
      }),
    ).rejects.toMatchObject({ code: 'duplicate_mobile', status: 409 });
    expect((await listEvaluators(deps, SYSTEM, { limit: 500 })).total).toBe(before);
    await expect(
      createEvaluator(deps, SYSTEM, {
        name: '李四',
        mobile: '1380013',
        groups: [teachers.code],
        regionId: null,
        grassroots: false,
        tags: [],
        conflicts: [],
      }),
    ).rejects.toMatchObject({ code: 'invalid_mobile' });
    await expect(
      createEvaluator(deps, SYSTEM, {
        name: '李四',
        mobile: '13800130002',
        groups: ['nope'],
        regionId: null,
        grassroots: false,
        tags: [],
        conflicts: [],
      }),
    ).rejects.toMatchObject({ code: 'unknown_group' });
  });

  it('masks mobile numbers; only a pool keeper sees them unmasked, and that read is audited', async () => {
    const { deps } = db();
    const { teachers } = await setup(deps);
    const e = await createEvaluator(deps, SYSTEM, {
      name: '赵六',
      mobile: '13900139999',
      groups: [teachers.code],
      regionId: null,
      grassroots: true,
      tags: [],
      conflicts: [],
    });
    expect((await getEvaluator(deps, supervisor, e.id)).mobile).toBe('139****9999');
    await expect(getEvaluator(deps, supervisor, e.id, true)).rejects.toMatchObject({ status: 403 });
    const shown = await getEvaluator(deps, office, e.id, true);
    expect(shown).toMatchObject({ mobile: '13900139999', mobileMasked: false });
    expect((await auditActions(deps)).at(-1)).toBe('panel.mobile.read');
    const unit: Actor = { ...office, role: 'unit_staff', unitId: 'x' };
    await expect(listEvaluators(deps, unit)).rejects.toMatchObject({ status: 403 });
  });

  it('deactivates instead of deleting, and counts the composition against the grassroots target', async () =>
    withFresh(db, async (deps) => {
      const { tree, teachers, firms } = await setup(deps);
      const mk = (n: number, groups: string[], grassroots: boolean, regionId: string | null) =>
        createEvaluator(deps, SYSTEM, {
          name: `评价人${n}`,
          mobile: `1370000${String(n).padStart(4, '0')}`,
          groups,
          regionId,
          grassroots,
          tags: n % 2 ? ['园区企业'] : [],
          conflicts: [],
        });
      const people = [
        await mk(1, [teachers.code], true, tree.deptA.id),
        await mk(2, [teachers.code], true, tree.deptA.id),
        await mk(3, [teachers.code, firms.code], false, tree.deptB.id),
        await mk(4, [firms.code], true, null),
        await mk(5, [firms.code], false, tree.deptB.id),
      ];
      await setEvaluatorActive(deps, SYSTEM, people[4]?.id ?? '', false);
      const c = await poolComposition(deps, SYSTEM);
      // Active: 1–4; grassroots 1, 2, 4 → 75.0% against the default target of 80%.
      expect(c).toMatchObject({
        total: 4,
        inactive: 1,
        grassroots: 3,
        grassrootsShare: 75,
        grassrootsTarget: 80,
        belowTarget: true,
      });
      expect(
        c.byGroup.filter((g) => g.key === teachers.code || g.key === firms.code).map((g) => [g.key, g.count]),
      ).toEqual([
        [teachers.code, 3],
        [firms.code, 2],
      ]);
      expect(c.byRegion.map((r) => [r.name, r.count])).toEqual([
        ['市民政局', 2],
        ['市人社局', 1],
      ]);
      expect(c.byTag).toEqual([{ key: '园区企业', name: '园区企业', count: 2 }]);
      expect((await setGrassrootsTarget(deps, SYSTEM, 70)).belowTarget).toBe(false);
      const edited = await updateEvaluator(deps, SYSTEM, people[0]?.id ?? '', {
        name: '评价人一',
        mobile: '13700000001',
        groups: [firms.code],
        regionId: null,
        grassroots: false,
        tags: [],
        conflicts: [],
      });
      expect(edited).toMatchObject({ name: '评价人一', groups: [firms.code], grassroots: false });
    }));

  it('imports a workbook: a bad line blocks the whole import, the corrected file applies, the same file again changes nothing', async () =>
    withFresh(db, async (deps) => {
      const { tree, teachers } = await setup(deps);
      const header = '姓名,手机号,群体,区域,基层,标签,回避单位';
      const good = [
        `钱一,13600000001,${teachers.name},${tree.deptA.code},是,一线教师,`,
        `孙二,136 0000 0002,${teachers.code},${tree.deptB.name},否,,${tree.sectionA1.code}`,
      ];
      const bad = `周三,1360000,${teachers.name},${tree.deptA.code},也许,,`;
      const upload = (lines: string[]) => ({
        filename: '样本库.csv',
        bytes: Buffer.from([header, ...lines].join('\n')),
      });
      const first = await previewPoolImport(deps, SYSTEM, upload([...good, bad]));
      expect(first.summary).toEqual({ new: 2, changed: 0, unchanged: 0, error: 1 });
      expect(first.lines[2]).toMatchObject({ row: 4, op: 'error' });
      expect(first.lines[2]?.errors).toEqual([
        '手机号 "1360000" is not an 11-digit mobile number.',
        '基层 "也许" must be 是 or 否.',
      ]);
      await expect(applyPoolImport(deps, SYSTEM, first.id)).rejects.toMatchObject({
        code: 'import_has_errors',
        status: 409,
      });
      expect((await listEvaluators(deps, SYSTEM, { q: '钱一' })).total).toBe(0);

      const fixed = await previewPoolImport(
        deps,
        SYSTEM,
        upload([...good, `周三,13600000003,${teachers.name},${tree.deptA.code},是,,`]),
      );
      expect(fixed.summary).toEqual({ new: 3, changed: 0, unchanged: 0, error: 0 });
      const applied = await applyPoolImport(deps, SYSTEM, fixed.id);
      expect(applied.status).toBe('applied');
      const sun = (await listEvaluators(deps, SYSTEM, { q: '孙二' })).items[0];
      expect(sun).toMatchObject({
        mobile: '136****0002',
        grassroots: false,
        regionName: '市人社局',
        groups: [teachers.code],
      });
      expect(sun?.conflicts.map((c) => c.id)).toEqual([tree.sectionA1.id]);
      await expect(applyPoolImport(deps, SYSTEM, fixed.id)).rejects.toMatchObject({ code: 'import_applied' });

      const again = await previewPoolImport(
        deps,
        SYSTEM,
        upload([
          ...good.slice(0, 1),
          `孙二,13600000002,${teachers.code},${tree.deptB.name},是,,${tree.sectionA1.code}`,
        ]),
      );
      expect(again.summary).toEqual({ new: 0, changed: 1, unchanged: 1, error: 0 });
      expect(again.lines[1]?.changes).toEqual(['grassroots']);
      expect((await getPoolImport(deps, SYSTEM, again.id)).summary.changed).toBe(1);
    }));
});
