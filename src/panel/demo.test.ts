import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/support/db.js';
import { SYSTEM } from '../../test/support/factories.js';
import { loadRegistryDemo } from '../registry/demo.js';
import { loadPanelDemo, type PanelDemo } from './demo.js';
import { publicDraw, verifyDraw } from './draw-service.js';
import { poolComposition } from './service.js';

let db: TestDatabase;
let demo: PanelDemo;
beforeAll(async () => {
  db = await openTestDatabase('sqlite');
  await loadRegistryDemo(db.deps, SYSTEM);
  demo = await loadPanelDemo(db.deps, SYSTEM);
});
afterAll(async () => {
  await db.close();
});

it('loads 示范市’s pool of 10,000 in 26 groups with at least 80% from the grassroots', async () => {
  expect(demo.evaluators).toBe(10_000);
  const c = await poolComposition(db.deps, SYSTEM);
  expect(c.byGroup).toHaveLength(26);
  expect(c.byGroup.every((g) => g.count > 0)).toBe(true);
  expect(c.grassrootsShare).toBeGreaterThanOrEqual(80);
  expect(c.belowTarget).toBe(false);
});

it('has two published draws, 1,213 teachers and 720 entrepreneurs, that verify identical', async () => {
  expect(demo.draws.map((d) => d.size)).toEqual([1213, 720]);
  for (const d of demo.draws) {
    expect(await publicDraw(db.deps, d.id)).toMatchObject({ state: 'published', selectedCount: d.size });
    expect(await verifyDraw(db.deps, d.id)).toMatchObject({ identical: true });
  }
});
