import { afterAll, beforeAll, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from '../../test/support/db.js';
import { SYSTEM } from '../../test/support/factories.js';
import { loadPanelDemo } from '../panel/demo.js';
import { loadRegistryDemo } from '../registry/demo.js';
import { loadCampaignsDemo, type CampaignsDemo } from './demo.js';
import { responseMonitor } from './invitations.js';
import { getCampaign, listCampaigns, roundResults } from './service.js';

let db: TestDatabase;
let demo: CampaignsDemo;
let seconds = 0;
beforeAll(async () => {
  db = await openTestDatabase('sqlite');
  await loadRegistryDemo(db.deps, SYSTEM);
  const panel = await loadPanelDemo(db.deps, SYSTEM);
  const started = performance.now();
  demo = await loadCampaignsDemo(db.deps, SYSTEM, panel.draws);
  seconds = (performance.now() - started) / 1000;
}, 120_000);
afterAll(async () => {
  await db.close();
});

it('loads a key-task campaign of ten tasks: 年中 computed from its ballots, 年末 open and partly answered', async () => {
  const [summary] = await listCampaigns(db.deps, SYSTEM);
  const campaign = await getCampaign(db.deps, SYSTEM, summary?.id ?? '');
  expect(campaign.subjects).toHaveLength(10);
  expect(campaign.frozen).toBe(true);
  const [mid, end] = campaign.rounds;
  expect(mid?.state).toBe('computed');
  expect(end?.state).toBe('open');

  const results = await roundResults(db.deps, SYSTEM, mid?.id ?? '');
  expect(results.subjects).toHaveLength(10);
  // The teachers' and entrepreneurs' samples add to the deputies on the first two tasks.
  const n = results.subjects.map((s) => s.n);
  expect(Math.min(n[0] ?? 0, n[1] ?? 0)).toBeGreaterThan(Math.max(...n.slice(2)) + 50);
  expect(Math.min(...n)).toBeGreaterThanOrEqual(30);
  const scores = results.subjects.map((s) => s.keyTask?.score.value ?? 0);
  expect(new Set(scores.map((v) => v.toFixed(1))).size).toBeGreaterThan(5);
  expect(Math.min(...scores)).toBeGreaterThan(40);

  const monitor = await responseMonitor(db.deps, SYSTEM, end?.id ?? '');
  expect(monitor.invited).toBe(60);
  expect(monitor.answered).toBe(demo.openAnswered);
  expect(monitor.answered).toBeGreaterThan(5);
  expect(monitor.answered).toBeLessThan(45);
  expect(demo.ballots).toBeGreaterThan(250);
  console.log(`campaigns demo: ${demo.ballots} ballots in ${seconds.toFixed(1)} s`);
});
