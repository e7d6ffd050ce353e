import { expect, it } from 'vitest';
import { describeEachDatabase } from '../../test/support/db.js';
import { makeAccount, makeTree, SYSTEM } from '../../test/support/factories.js';
import { createUnit, deactivateUnit, getUnit, listUnits, updateUnit } from './service.js';

describeEachDatabase('registry service', (db) => {
  it('keeps history: a rename from a date leaves earlier dates unchanged', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    await updateUnit(deps, SYSTEM, tree.deptA.id, { name: '市民政服务局', effectiveFrom: '2026-01-01' });
    const before = await listUnits(deps, SYSTEM, { asOf: '2025-06-30' });
    const after = await listUnits(deps, SYSTEM, { asOf: '2026-03-01' });
    expect(before.find((u) => u.id === tree.deptA.id)?.name).toBe('市民政局');
    expect(after.find((u) => u.id === tree.deptA.id)?.name).toBe('市民政服务局');
    const detail = await getUnit(deps, SYSTEM, tree.deptA.id);
    expect(detail.versions.map((v) => [v.validFrom, v.validTo])).toEqual([
      ['2020-01-01', '2026-01-01'],
      ['2026-01-01', null],
    ]);
  });

  it('refuses a move that would make a cycle, and changes nothing', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    await expect(
      updateUnit(deps, SYSTEM, tree.deptA.id, { parentId: tree.windowA1.id }),
    ).rejects.toMatchObject({
      code: 'tree_cycle',
    });
    const detail = await getUnit(deps, SYSTEM, tree.deptA.id);
    expect(detail.versions).toHaveLength(1);
    expect(detail.unit.parentId).toBe(tree.city.id);
  });

  it('closes a unit as of a date; it is still there before that date', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    await expect(
      deactivateUnit(deps, SYSTEM, tree.deptB.id, { effectiveFrom: '2026-02-01' }),
    ).rejects.toMatchObject({
      code: 'has_active_children',
    });
    await deactivateUnit(deps, SYSTEM, tree.sectionB1.id, { effectiveFrom: '2026-02-01' });
    expect(
      (await listUnits(deps, SYSTEM, { asOf: '2026-01-31' })).some((u) => u.id === tree.sectionB1.id),
    ).toBe(true);
    expect(
      (await listUnits(deps, SYSTEM, { asOf: '2026-02-01' })).some((u) => u.id === tree.sectionB1.id),
    ).toBe(false);
    const withClosed = await listUnits(deps, SYSTEM, { asOf: '2026-02-01', includeInactive: true });
    expect(withClosed.find((u) => u.id === tree.sectionB1.id)?.active).toBe(false);
  });

  it('confines unit staff to their subtree', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const staff = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
    const visible = await listUnits(deps, staff);
    expect(visible.map((u) => u.id).sort()).toEqual(
      [tree.deptA.id, tree.sectionA1.id, tree.windowA1.id].sort(),
    );
    await expect(updateUnit(deps, staff, tree.deptB.id, { name: 'x' })).rejects.toMatchObject({
      code: 'outside_scope',
    });
    await expect(
      createUnit(deps, staff, { code: 'ZZ1', name: '越权', kind: 'section', parentId: tree.deptB.id }),
    ).rejects.toMatchObject({ code: 'outside_scope' });
    const ok = await createUnit(deps, staff, {
      code: 'ZZ2',
      name: '新窗口',
      kind: 'window',
      parentId: tree.sectionA1.id,
    });
    expect(ok.parentId).toBe(tree.sectionA1.id);

    // Moves out of the subtree, moves of the staff's own root unit and its closing are the office's.
    const snapshot = async () => ({
      units: await listUnits(deps, SYSTEM, { includeInactive: true }),
      versions: await Promise.all(
        [tree.deptA.id, tree.sectionA1.id, tree.windowA1.id].map(
          async (id) => (await getUnit(deps, SYSTEM, id)).versions,
        ),
      ),
      auditEntries: (
        await deps.database.db
          .selectFrom('auditLog')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    });
    const before = await snapshot();
    const refusals: [string, () => Promise<unknown>][] = [
      [
        'section moved under another department',
        () => updateUnit(deps, staff, tree.sectionA1.id, { parentId: tree.deptB.id }),
      ],
      [
        "window moved under another department's section",
        () => updateUnit(deps, staff, tree.windowA1.id, { parentId: tree.sectionB1.id }),
      ],
      [
        'section moved to the top of the tree',
        () => updateUnit(deps, staff, tree.sectionA1.id, { parentId: null }),
      ],
      [
        'own root unit moved under another department',
        () => updateUnit(deps, staff, tree.deptA.id, { parentId: tree.deptB.id }),
      ],
      [
        'own root unit moved to the top of the tree',
        () => updateUnit(deps, staff, tree.deptA.id, { parentId: null }),
      ],
      [
        'own root unit closed',
        () => deactivateUnit(deps, staff, tree.deptA.id, { effectiveFrom: '2026-04-01' }),
      ],
    ];
    for (const [what, attempt] of refusals) {
      await expect(attempt(), what).rejects.toMatchObject({ status: 403, code: 'outside_scope' });
    }
    expect(await snapshot()).toEqual(before);
    expect((await getUnit(deps, SYSTEM, tree.deptA.id)).unit).toMatchObject({
      parentId: tree.city.id,
      active: true,
    });
    expect((await getUnit(deps, SYSTEM, tree.sectionA1.id)).unit.parentId).toBe(tree.deptA.id);
    // The same move is the office's to make.
    const moved = await updateUnit(deps, SYSTEM, tree.sectionA1.id, { parentId: tree.deptB.id });
    expect(moved.parentId).toBe(tree.deptB.id);
  });
});
