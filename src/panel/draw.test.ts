import { beforeAll, describe, expect, it } from 'vitest';
import {
  auditCount,
  auditSubset,
  drawFromList,
  executeDraw,
  planDraw,
  quotasMet,
  type Candidate,
} from './draw.js';
import { sha256Text } from './random.js';
import { loadSolver, type Solver } from './solver.js';
import type { SampleRules } from './types.js';

let solver: Solver;
beforeAll(async () => {
  solver = await loadSolver();
});

function person(id: string, over: Partial<Candidate> = {}): Candidate {
  return {
    id,
    active: true,
    groups: [],
    regionPath: ['town1', 'city'],
    grassroots: true,
    tags: [],
    conflicts: [],
    lastDrawnOn: null,
    ...over,
  };
}

function rules(over: Partial<SampleRules> = {}): SampleRules {
  return {
    size: 4,
    filters: { groups: [], regions: [], tags: [], grassroots: null },
    quotas: [],
    subjectUnits: [],
    rotationDays: 0,
    asOf: '2026-12-07',
    exclusions: [],
    reservePerStratum: 0,
    ...over,
  };
}

// Ten people: a1..a4 in group A, b1..b6 in group B.
const TEN = [
  ...['a1', 'a2', 'a3', 'a4'].map((id) => person(id, { groups: ['A'] })),
  ...['b1', 'b2', 'b3', 'b4', 'b5', 'b6'].map((id) => person(id, { groups: ['B'] })),
];
const SEED = sha256Text('a seed');

describe('planDraw: strata and allocation', () => {
  it('without quotas draws from one stratum: everyone has size/N', () => {
    const plan = planDraw(solver, TEN, rules());
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.strata.map((s) => [s.key, s.eligible, s.drawn, s.probability])).toEqual([
      ['all', 10, 4, 0.4],
    ]);
  });

  it('meets a quota exactly and states each stratum’s probability', () => {
    // Proportional shares would be 1.6 from A and 2.4 from B; the quota "exactly 1 from A" leaves 3 for B.
    const plan = planDraw(solver, TEN, rules({ quotas: [{ feature: 'group', value: 'A', min: 1, max: 1 }] }));
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.strata.map((s) => [s.key, s.eligible, s.drawn, s.probability])).toEqual([
      ['group:', 6, 3, 0.5],
      ['group:A', 4, 1, 0.25],
    ]);
    expect(plan.deviation).toBeCloseTo(1.2, 9); // |1 − 1.6| + |3 − 2.4|
  });

  it('rounds to the nearest proportional allocation when the quotas leave room', () => {
    // 7 of 10 with A at least 1: shares 2.8 (A) and 4.2 (B) round to 3 and 4.
    const plan = planDraw(
      solver,
      TEN,
      rules({ size: 7, quotas: [{ feature: 'group', value: 'A', min: 1, max: 4 }] }),
    );
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.strata.map((s) => s.drawn)).toEqual([4, 3]);
  });

  it('meets quotas on two features at once', () => {
    // A: a1, a2 grassroots, a3, a4 not; B: b1..b4 grassroots, b5, b6 not. Sample 5 with exactly 2 of A and
    // exactly 3 grassroots. Proportional shares: A∧yes 1, A∧no 1, B∧yes 2, B∧no 1 — already meeting both.
    const pool = TEN.map((c) => ({ ...c, grassroots: !['a3', 'a4', 'b5', 'b6'].includes(c.id) }));
    const r = rules({
      size: 5,
      quotas: [
        { feature: 'group', value: 'A', min: 2, max: 2 },
        { feature: 'grassroots', value: 'yes', min: 3, max: 3 },
      ],
    });
    const plan = planDraw(solver, pool, r);
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.strata.map((s) => [s.key, s.eligible, s.drawn])).toEqual([
      // Keys sort by UTF-16 code unit: 'A' comes before '|'.
      ['group:A|grassroots:', 2, 1],
      ['group:A|grassroots:yes', 2, 1],
      ['group:|grassroots:', 2, 1],
      ['group:|grassroots:yes', 4, 2],
    ]);
    const outcome = executeDraw(plan.strata, 0, SEED);
    expect(quotasMet(pool, r, outcome.selected)).toBe(true);
  });

  it('refuses a quota that more than the eligible people would have to meet, saying by how much', () => {
    const plan = planDraw(solver, TEN, rules({ quotas: [{ feature: 'group', value: 'A', min: 5, max: 6 }] }));
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.shortfalls).toEqual([
      expect.objectContaining({ feature: 'group', value: 'A', bound: 'min', required: 5, reachable: 4 }),
    ]);
    expect(plan.shortfalls[0]?.message).toContain('short by 1');
  });

  it('refuses quotas that fail only together, naming the one that gives way and by how much', () => {
    // All of A are grassroots; at least 3 of A but at most 1 grassroots cannot both hold: 2 too many.
    const plan = planDraw(
      solver,
      TEN,
      rules({
        quotas: [
          { feature: 'group', value: 'A', min: 3, max: 4 },
          { feature: 'grassroots', value: 'yes', min: 0, max: 1 },
        ],
      }),
    );
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    const total = plan.shortfalls.reduce((sum, s) => sum + Math.abs(s.required - s.reachable), 0);
    expect(total).toBe(3); // the size of 4 needs 3 more grassroots people than the maximum of 1 allows
    expect(plan.shortfalls.map((s) => s.message).join(' ')).toMatch(/grassroots = yes allows at most 1/);
  });

  it('refuses a size above the eligible count', () => {
    const plan = planDraw(solver, TEN, rules({ size: 11 }));
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.shortfalls[0]).toMatchObject({ bound: 'size', required: 11, reachable: 10 });
  });
});

describe('exclusions', () => {
  it('honours filters, conflicts, rotation, manual exclusions and deactivation', () => {
    const pool = [
      person('p1', { groups: ['A'] }),
      person('p2', { groups: ['B'] }), // filtered out: not in A
      person('p3', { groups: ['A'], conflicts: ['unitX', 'dept'] }), // works under the subject unit
      person('p4', { groups: ['A'], lastDrawnOn: '2026-11-08' }), // drawn 29 days before: rotated out
      person('p5', { groups: ['A'], lastDrawnOn: '2026-11-07' }), // drawn 30 days before: back in
      person('p6', { groups: ['A'] }), // excluded by hand
      person('p7', { groups: ['A'], active: false }),
      person('p8', { groups: ['A'], regionPath: ['town2', 'city'] }), // outside the region filter
    ];
    const plan = planDraw(
      solver,
      pool,
      rules({
        size: 2,
        filters: { groups: ['A'], regions: ['town1'], tags: [], grassroots: true },
        subjectUnits: ['dept'],
        rotationDays: 30,
        exclusions: [{ evaluatorId: 'p6', reason: 'on leave' }],
      }),
    );
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.strata[0]?.members).toEqual(['p1', 'p5']);
    expect(plan.excluded).toEqual({ filteredOut: 2, conflict: 1, rotation: 1, manual: 1, inactive: 1 });
  });
});

describe('executeDraw', () => {
  it('gives the same selection for the same seed and another for another seed', () => {
    const big = Array.from({ length: 200 }, (_, i) => person(`e${String(i).padStart(3, '0')}`));
    const plan = planDraw(solver, big, rules({ size: 20, reservePerStratum: 3 }));
    if (!plan.ok) throw new Error('expected a plan');
    const one = executeDraw(plan.strata, 3, SEED);
    expect(executeDraw(plan.strata, 3, SEED)).toEqual(one);
    expect(executeDraw(plan.strata, 3, sha256Text('another seed')).selected).not.toEqual(one.selected);
    expect(one.selected).toHaveLength(20);
    expect(new Set([...one.selected, ...one.reserve.map((r) => r.id)]).size).toBe(23);
    expect(one.reserve.map((r) => r.rank)).toEqual([1, 2, 3]);
  });

  it('over 10,000 seeded draws selects each possible sample as often as the stated probabilities say (chi-square)', () => {
    // Exactly 1 of A (4 people, p = 1/4) and 3 of B (6 people, p = 1/2): 4 × C(6,3) = 80 equally likely samples.
    const plan = planDraw(solver, TEN, rules({ quotas: [{ feature: 'group', value: 'A', min: 1, max: 1 }] }));
    if (!plan.ok) throw new Error('expected a plan');
    const T = 10_000;
    const samples = new Map<string, number>();
    const perPerson = new Map<string, number>();
    for (let k = 0; k < T; k++) {
      const { selected } = executeDraw(plan.strata, 0, sha256Text(`chi-square ${k}`));
      const key = [...selected].sort().join(',');
      samples.set(key, (samples.get(key) ?? 0) + 1);
      for (const id of selected) perPerson.set(id, (perPerson.get(id) ?? 0) + 1);
    }
    expect(samples.size).toBe(80);
    const expected = T / 80;
    const chi2 = [...samples.values()].reduce((sum, n) => sum + (n - expected) ** 2 / expected, 0);
    // Wilson–Hilferty: the 99.9% point of chi-square with 79 degrees of freedom is ≈ 123.6.
    const df = 79;
    const critical = df * (1 - 2 / (9 * df) + 3.09 * Math.sqrt(2 / (9 * df))) ** 3;
    expect(critical).toBeCloseTo(123.6, 0);
    expect(chi2).toBeLessThan(critical);
    // Each person's frequency is within 4 standard deviations of T·p.
    for (const [id, n] of perPerson) {
      const p = id.startsWith('a') ? 0.25 : 0.5;
      expect(Math.abs(n - T * p)).toBeLessThan(4 * Math.sqrt(T * p * (1 - p)));
    }
  });
});

describe('other things drawn at random', () => {
  it('orders a list of supervisors whatever order it was typed in', () => {
    const a = drawFromList(['s3', 's1', 's2', 's4'], SEED);
    expect(drawFromList(['s1', 's2', 's3', 's4', 's1'], SEED)).toEqual(a);
    expect([...a].sort()).toEqual(['s1', 's2', 's3', 's4']);
  });

  it('audits the ceiling of the percentage', () => {
    expect(auditCount(25, 10)).toBe(3);
    expect(auditCount(30, 10)).toBe(3);
    expect(auditCount(5, 100)).toBe(5);
    const items = Array.from({ length: 25 }, (_, i) => `r${i}`);
    const subset = auditSubset(items, 10, SEED);
    expect(subset).toHaveLength(3);
    expect(auditSubset(items, 10, SEED)).toEqual(subset);
  });
});
