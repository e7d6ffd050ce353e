import { expect, it } from 'vitest';
import { getCase, listCases, loadCasesConfig, putCasesConfig, verifyCase } from '../src/cases/service.js';
import { sweepDeadlines } from '../src/cases/sweeps.js';
import { caseOfRating, insertBadRating } from '../src/cases/testing.js';
import type { Deps } from '../src/core/context.js';
import { deactivateUnit, updateUnit } from '../src/registry/service.js';
import { chainOn, editingTree, namesOn, treeOn } from '../src/registry/tree.js';
import { describeEachDatabase } from './support/db.js';
import { makeAccount, makeTree, SYSTEM, type SmallTree } from './support/factories.js';

/*
 * The tree on a day (docs/registry.md): a section's move to another department scheduled for a future
 * date changes nothing before that date — not the case deadlines, not who sees and opens the case.
 */

const MONDAY = '2026-03-16T02:00:00.000Z'; // 10:00 in China
const MOVE_DAY = '2026-04-01';

/** Department A gives 5 working days to rectify, department B 10; section A1 moves from A to B on 1 April. */
async function scheduledMove(deps: Deps): Promise<SmallTree> {
  const tree = await makeTree(deps);
  const { rules } = await loadCasesConfig(deps.database.db);
  await putCasesConfig(deps, SYSTEM, {
    rules,
    byUnit: [
      { unitId: tree.deptA.id, rectifyDays: 5 },
      { unitId: tree.deptB.id, rectifyDays: 10 },
    ],
  });
  await updateUnit(deps, SYSTEM, tree.sectionA1.id, { parentId: tree.deptB.id, effectiveFrom: MOVE_DAY });
  return tree;
}

async function sweep(deps: Deps) {
  return deps.database.db.transaction().execute((trx) => sweepDeadlines(trx, deps));
}

async function dueChanges(deps: Deps, caseId: string) {
  return deps.database.db
    .selectFrom('caseEvents')
    .select('payload')
    .where('caseId', '=', caseId)
    .where('type', '=', 'due_changed')
    .execute();
}

describeEachDatabase('the tree on a day: a scheduled move', (db) => {
  it('keeps the deadline of today’s department until the move takes effect', async () => {
    const { deps, clock } = db();
    clock.set(MONDAY);
    const tree = await scheduledMove(deps);
    const rating = await insertBadRating(deps, { unitId: tree.windowA1.id });
    const { id } = await caseOfRating(deps, rating.id);
    await verifyCase(deps, SYSTEM, id, { genuine: true });
    // Department A's 5 working days from Monday 16 March: 17, 18, 19, 20, 23 March.
    expect((await caseOfRating(deps, rating.id)).dueOn).toBe('2026-03-23');

    await sweep(deps);
    await sweep(deps);
    expect((await caseOfRating(deps, rating.id)).dueOn).toBe('2026-03-23');
    expect(await dueChanges(deps, id)).toHaveLength(0);

    // From 1 April the section is department B's: its 10 working days count (16 March → 30 March).
    clock.set(`${MOVE_DAY}T02:00:00.000Z`);
    await sweep(deps);
    expect((await caseOfRating(deps, rating.id)).dueOn).toBe('2026-03-30');
    expect(await dueChanges(deps, id)).toHaveLength(1);
  });

  it('leaves the case in today’s department’s queue and out of the future department’s', async () => {
    const { deps, clock } = db();
    clock.set(MONDAY);
    const tree = await scheduledMove(deps);
    const staffA = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
    const staffB = await makeAccount(deps, 'unit_staff', { unitId: tree.deptB.id });
    const rating = await insertBadRating(deps, { unitId: tree.windowA1.id });
    const { id } = await caseOfRating(deps, rating.id);

    expect((await listCases(deps, staffA)).items.map((c) => c.id)).toContain(id);
    expect((await getCase(deps, staffA, id)).id).toBe(id);
    expect((await listCases(deps, staffB)).items.map((c) => c.id)).not.toContain(id);
    await expect(getCase(deps, staffB, id)).rejects.toMatchObject({ status: 403, code: 'outside_scope' });

    // On the day of the move the case follows the section to department B.
    clock.set(`${MOVE_DAY}T02:00:00.000Z`);
    expect((await listCases(deps, staffB)).items.map((c) => c.id)).toContain(id);
    expect((await getCase(deps, staffB, id)).id).toBe(id);
    expect((await listCases(deps, staffA)).items.map((c) => c.id)).not.toContain(id);
    await expect(getCase(deps, staffA, id)).rejects.toMatchObject({ status: 403, code: 'outside_scope' });
  });
});

describeEachDatabase('registry/tree', (db) => {
  it('answers units, parents, ancestry, subtree and names for a day, scheduled versions aside', async () => {
    const { deps, clock } = db();
    clock.set(MONDAY);
    const tree = await makeTree(deps);
    await updateUnit(deps, SYSTEM, tree.sectionA1.id, {
      parentId: tree.deptB.id,
      name: '救助科',
      effectiveFrom: MOVE_DAY,
    });
    const db0 = deps.database.db;
    const now = await treeOn(db0, '2026-03-16');
    expect(now.parent(tree.sectionA1.id)).toBe(tree.deptA.id);
    expect(now.ancestry(tree.windowA1.id)).toEqual([
      tree.windowA1.id,
      tree.sectionA1.id,
      tree.deptA.id,
      tree.city.id,
    ]);
    expect([...now.subtree(tree.deptB.id)].sort()).toEqual([tree.deptB.id, tree.sectionB1.id].sort());
    expect(now.name(tree.sectionA1.id)).toBe('社会救助科');
    const later = await treeOn(db0, MOVE_DAY);
    expect(later.ancestry(tree.windowA1.id)).toEqual([
      tree.windowA1.id,
      tree.sectionA1.id,
      tree.deptB.id,
      tree.city.id,
    ]);
    expect(later.name(tree.sectionA1.id)).toBe('救助科');
    expect((await chainOn(db0, tree.windowA1.id, '2026-03-16')).map((u) => u.unitId)).toEqual(
      now.ancestry(tree.windowA1.id),
    );
    expect((await namesOn(db0, [tree.sectionA1.id], '2026-03-16')).get(tree.sectionA1.id)).toBe('社会救助科');
    // Before the units existed, the tree has none of them.
    expect((await treeOn(db0, '2019-12-31')).unit(tree.city.id)).toBeUndefined();
    // Only registry editing sees the scheduled version.
    expect((await editingTree(db0)).parent(tree.sectionA1.id)).toBe(tree.deptB.id);
  });

  it('keeps a closed unit at its last place, not in force', async () => {
    const { deps, clock } = db();
    clock.set(MONDAY);
    const tree = await makeTree(deps);
    await deactivateUnit(deps, SYSTEM, tree.sectionB1.id, { effectiveFrom: '2026-03-01' });
    const now = await treeOn(deps.database.db, '2026-03-16');
    expect(now.isInForce(tree.sectionB1.id)).toBe(false);
    expect(now.parent(tree.sectionB1.id)).toBe(tree.deptB.id);
    expect(now.inForce().map((u) => u.unitId)).not.toContain(tree.sectionB1.id);
    expect(now.subtree(tree.deptB.id).has(tree.sectionB1.id)).toBe(true);
  });
});
