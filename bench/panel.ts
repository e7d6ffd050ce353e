/*
 * The panel's draws at Tai'an's and Chuzhou's scale, pure model code (no database), repeated after a warm-up:
 *
 *   (a) a stratified draw of 1,213 from a pool of 20,000 with quotas on two features — 26 groups (each 40–60
 *       of the sample) and 20 regions (each 50–70) — planDraw (eligibility, 520 strata, the HiGHS allocation)
 *       then executeDraw (the seeded selection with 2 reserves per stratum);
 *   (b) the baseline: a plain random sample of 1,213 of the same 20,000 ids with the same generator
 *       (shuffledPrefix), no quotas;
 *   (c) the Chuzhou leader assignment: 40 leaders × 90 units, 20–25 units per leader and 8–9 leaders per unit,
 *       each leader in charge of 3 units.
 *
 *   npm run bench:panel                 # BENCH_REPS=10 by default
 */
import { loadavg } from 'node:os';
import { assignLeaders } from '../src/panel/assign.js';
import { executeDraw, planDraw, quotasMet, type Candidate } from '../src/panel/draw.js';
import { CounterRng, sha256Text, shuffledPrefix } from '../src/panel/random.js';
import { loadSolver } from '../src/panel/solver.js';
import type { LeaderRules, SampleRules } from '../src/panel/types.js';

const REPS = Number(process.env.BENCH_REPS ?? 10);

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

function time(label: string, work: (rep: number) => void): number {
  work(-1); // warm-up
  const ms: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    const t = performance.now();
    work(rep);
    ms.push(performance.now() - t);
  }
  const m = median(ms);
  console.log(
    `${label}: median ${m.toFixed(1)} ms (min ${Math.min(...ms).toFixed(1)}, max ${Math.max(...ms).toFixed(1)}) over ${REPS}`,
  );
  return m;
}

const solver = await loadSolver();
const rng = new CounterRng(sha256Text('bench pool'));
const groups = Array.from({ length: 26 }, (_, i) => `g${String(i).padStart(2, '0')}`);
const regions = Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(2, '0')}`);
const pool: Candidate[] = Array.from({ length: 20_000 }, (_, i) => ({
  id: `e${String(i).padStart(5, '0')}`,
  active: true,
  groups: [groups[rng.below(26)] ?? 'g00'],
  regionPath: [regions[rng.below(20)] ?? 'r00', 'city'],
  grassroots: rng.real() < 0.8,
  tags: [],
  conflicts: [],
  lastDrawnOn: null,
}));
const rules: SampleRules = {
  size: 1213,
  filters: { groups: [], regions: [], tags: [], grassroots: null },
  quotas: [
    ...groups.map((value) => ({ feature: 'group' as const, value, min: 40, max: 60 })),
    ...regions.map((value) => ({ feature: 'region' as const, value, min: 50, max: 70 })),
  ],
  subjectUnits: [],
  rotationDays: 0,
  asOf: '2026-12-07',
  exclusions: [],
  reservePerStratum: 2,
};

let strata = 0;
const quota = time('(a) draw 1,213 of 20,000, quotas on 26 groups and 20 regions', (rep) => {
  const plan = planDraw(solver, pool, rules);
  if (!plan.ok) throw new Error(plan.shortfalls.map((s) => s.message).join(' '));
  strata = plan.strata.length;
  const out = executeDraw(plan.strata, 2, sha256Text(`bench ${rep}`));
  if (rep === 0 && !quotasMet(pool, rules, out.selected)) throw new Error('quotas not met');
});
const ids = pool.map((c) => c.id);
const plain = time('(b) baseline: plain random 1,213 of 20,000', (rep) => {
  shuffledPrefix(ids, 1213, new CounterRng(sha256Text(`plain ${rep}`)));
});

const pad = (n: number) => String(n).padStart(2, '0');
const chuzhou: LeaderRules = {
  leaders: Array.from({ length: 40 }, (_, i) => ({
    id: `L${pad(i)}`,
    name: `Leader ${i}`,
    inCharge: [0, 1, 2].map((k) => `U${pad((2 * i + k) % 90)}`),
  })),
  units: Array.from({ length: 90 }, (_, i) => `U${pad(i)}`),
  leaderMin: 20,
  leaderMax: 25,
  unitMin: 8,
  unitMax: 9,
  supplementaryCap: 5,
};
const assign = time('(c) Chuzhou assignment, 40 leaders × 90 units', (rep) => {
  const r = assignLeaders(solver, chuzhou, sha256Text(`chuzhou ${rep}`));
  if (!r.ok || r.total !== 800) throw new Error('assignment failed');
});
console.log(
  `strata ${strata}; (a)/(b) = ${(quota / plain).toFixed(1)}×; (a) ${quota < 1000 ? 'under' : 'OVER'} 1 s, (c) ${assign < 1000 ? 'under' : 'OVER'} 1 s; load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
