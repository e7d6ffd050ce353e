import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { Invalid } from '../core/errors.js';
import {
  applyReviewStage,
  canonicalJson,
  componentPoints,
  computeRanking,
  digestOf,
  schemeProblems,
  validateScheme,
  type ComponentNode,
  type ComponentResult,
  type GroupUnit,
  type Mapping,
  type RankingInput,
  type RankingOutcome,
  type SchemeDefinition,
  type SourceValue,
  type UnitResult,
} from './model.js';

// --- fixtures ------------------------------------------------------------------------------------------

const UNITS: GroupUnit[] = [1, 2, 3, 4, 5, 6].map((i) => ({
  id: `u${i}`,
  code: `A0${i}`,
  name: `Unit ${i}`,
}));

function rating(value: number, sampleSize: number, low?: number, high?: number): SourceValue {
  return { value, sampleSize, low, high, provenance: `${sampleSize} ratings` };
}

function given(value: number): SourceValue {
  return { value, provenance: 'entered by the office from document 2024-7' };
}

const RANK_RULE: Mapping = { kind: 'rank_rule', fullUpTo: 3, stepShare: 0.05, lastRank: 16, floorShare: 0.2 };

/**
 * A 100-point scheme like Caidian's: service 40 (good rate 30, reply rate 10 in steps), the province's rank
 * on a task 40 (Chuzhou's rank rule; units without the task get the average), an inspection score 20.
 */
function fixtureScheme(): SchemeDefinition {
  return {
    precision: 2,
    root: {
      id: 'total',
      name: 'Total',
      maxPoints: 100,
      children: [
        {
          id: 'service',
          name: 'Service',
          maxPoints: 40,
          children: [
            goodRateLeaf(30),
            {
              id: 'reply',
              name: 'Reply rate',
              maxPoints: 10,
              source: { kind: 'rating_statistic', statistic: 'replyRate' },
              mapping: {
                kind: 'steps',
                steps: [
                  { atLeast: 0.6, share: 0.5 },
                  { atLeast: 0.9, share: 1 },
                ],
              },
            },
          ],
        },
        {
          id: 'province',
          name: 'Province rank',
          maxPoints: 40,
          source: { kind: 'imported', series: 'province_rank' },
          mapping: RANK_RULE,
          missing: 'average',
        },
        {
          id: 'inspection',
          name: 'Inspection',
          maxPoints: 20,
          source: { kind: 'imported', series: 'inspection' },
          mapping: { kind: 'direct' },
        },
      ],
    },
    groups: [{ key: 'grassroots', name: 'Grassroots units', kinds: ['grassroots'] }],
    tieBreak: [],
    uncertainty: { minSample: 30, shrink: false },
    grades: [
      { key: 'excellent', name: 'Excellent', maxShare: 0.34 },
      { key: 'good', name: 'Good', minScore: 60 },
      { key: 'poor', name: 'Poor' },
    ],
    veto: { barsTopGrade: true, toBottomList: true },
    promotions: [],
    bonusByActualScore: true,
    lists: { best: 3, worst: 3 },
    review: {
      stages: [
        { name: 'Discipline commission', body: 'District discipline commission', size: 2 },
        { name: 'Party committee', body: 'District party committee', size: 1 },
      ],
    },
  };
}

/*
 * Points by hand (good = rate × 30; reply: ≥ 0.9 → 10, ≥ 0.6 → 5, else 0; province rank rule × 40;
 * inspection direct):
 *        good          reply  service  province                  inspection  total
 * u1  0.95 → 28.5      10     38.5     rank 2 → 40               18          96.5
 * u2  0.90 → 27        5      32       rank 4 → 0.95 × 40 = 38   17.5        87.5
 * u3  0.88 → 26.4      10     36.4     rank 16 → 0.35 × 40 = 14  19          69.4
 * u4  0.80 → 24        0      24       none → average 25.2       15          64.2
 * u5  0.70 → 21        5      26       rank 17 → 0.2 × 40 = 8    none → 0    34
 * u6  0.60 → 18        0      18       rank 10 → 0.65 × 40 = 26  12          56
 * average for u4 = (40 + 38 + 14 + 8 + 26) / 5 = 126 / 5 = 25.2
 * ranks: u1 1, u2 2, u3 3, u4 4, u6 5, u5 6
 */
function fixtureValues(): Record<string, Record<string, SourceValue>> {
  return {
    good: {
      u1: rating(0.95, 200),
      u2: rating(0.9, 150),
      u3: rating(0.88, 120),
      u4: rating(0.8, 100),
      u5: rating(0.7, 80),
      u6: rating(0.6, 60),
    },
    reply: {
      u1: rating(0.92, 50),
      u2: rating(0.75, 40),
      u3: rating(0.95, 40),
      u4: rating(0.5, 40),
      u5: rating(0.65, 40),
      u6: rating(0.3, 40),
    },
    province: { u1: given(2), u2: given(4), u3: given(16), u5: given(17), u6: given(10) },
    inspection: { u1: given(18), u2: given(17.5), u3: given(19), u4: given(15), u6: given(12) },
  };
}

function fixtureInput(patch: Partial<RankingInput> = {}): RankingInput {
  return {
    scheme: fixtureScheme(),
    groupKey: 'grassroots',
    units: UNITS,
    values: fixtureValues(),
    vetoes: [],
    previous: null,
    ...patch,
  };
}

function unit(outcome: RankingOutcome, id: string): UnitResult {
  const found = outcome.units.find((u) => u.unitId === id);
  if (found === undefined) throw new Error(`no result for ${id}`);
  return found;
}

function component(result: UnitResult, id: string): ComponentResult {
  const stack = [result.explanation];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.id === id) return node;
    stack.push(...(node.children ?? []));
  }
  throw new Error(`no component ${id}`);
}

/** A plain scheme whose totals are easy to set: score (direct, 100) + extra (direct, 10) + province rank (10). */
function simpleScheme(patch: Partial<SchemeDefinition> = {}): SchemeDefinition {
  return {
    precision: 2,
    root: {
      id: 'total',
      name: 'Total',
      maxPoints: 120,
      children: [
        {
          id: 'score',
          name: 'Score',
          maxPoints: 100,
          source: { kind: 'imported', series: 'score' },
          mapping: { kind: 'direct' },
        },
        {
          id: 'extra',
          name: 'Extra',
          maxPoints: 10,
          source: { kind: 'imported', series: 'extra' },
          mapping: { kind: 'direct' },
        },
        {
          id: 'province',
          name: 'Province rank',
          maxPoints: 10,
          source: { kind: 'imported', series: 'province_rank' },
          mapping: { kind: 'rank_rule', fullUpTo: 3, stepShare: 0.05, lastRank: 16, floorShare: 0 },
        },
      ],
    },
    groups: [{ key: 'all', name: 'All units', kinds: ['office'] }],
    tieBreak: [],
    uncertainty: { minSample: 0, shrink: false },
    grades: [],
    veto: { barsTopGrade: true, toBottomList: true },
    promotions: [],
    bonusByActualScore: false,
    lists: { best: 0, worst: 0 },
    review: { stages: [] },
    ...patch,
  };
}

/** The leaf `good`: the good rate (好评率) mapped linearly from 0 to 1 onto `maxPoints`. */
function goodRateLeaf(maxPoints: number): ComponentNode {
  return {
    id: 'good',
    name: 'Good rate',
    maxPoints,
    source: { kind: 'rating_statistic', statistic: 'goodRate' },
    mapping: { kind: 'linear', from: 0, to: 1 },
  };
}

/** A simple scheme whose root `total` adds these components (its maximum is theirs together). */
function schemeOver(children: ComponentNode[], patch: Partial<SchemeDefinition> = {}): SchemeDefinition {
  const maxPoints = children.reduce((sum, c) => sum + c.maxPoints, 0);
  return simpleScheme({ ...patch, root: { id: 'total', name: 'Total', maxPoints, children } });
}

function simpleRun(
  scores: number[],
  patch: Partial<SchemeDefinition> = {},
  more: Partial<RankingInput> & { extra?: number[]; province?: Record<string, number> } = {},
): RankingOutcome {
  const units = UNITS.slice(0, scores.length);
  const values: Record<string, Record<string, SourceValue>> = { score: {}, extra: {}, province: {} };
  scores.forEach((s, i) => (values.score![units[i]!.id] = given(s)));
  (more.extra ?? []).forEach((s, i) => (values.extra![units[i]!.id] = given(s)));
  for (const [id, rank] of Object.entries(more.province ?? {})) values.province![id] = given(rank);
  return computeRanking({
    scheme: simpleScheme(patch),
    groupKey: 'all',
    units,
    values,
    vetoes: more.vetoes ?? [],
    previous: more.previous ?? null,
  });
}

/** Points of one leaf of `maxPoints` under a mapping, for each value in turn (one unit per value). */
function mapped(mapping: Mapping, values: number[], maxPoints = 10): number[] {
  const scheme = schemeOver([
    {
      id: 'item',
      name: 'Item',
      maxPoints,
      source: { kind: 'rating_statistic', statistic: 'goodRate' },
      mapping,
    },
  ]);
  const units = values.map((_, i) => ({
    id: `m${i}`,
    code: `M${String(i).padStart(2, '0')}`,
    name: `M${i}`,
  }));
  const outcome = computeRanking({
    scheme,
    groupKey: 'all',
    units,
    values: { item: Object.fromEntries(values.map((v, i) => [`m${i}`, given(v)])) },
    vetoes: [],
    previous: null,
  });
  return units.map((u) => component(unit(outcome, u.id), 'item').points);
}

// --- mappings ------------------------------------------------------------------------------------------

describe('mappings', () => {
  it('takes a direct value as points, clamped to the maximum and to zero', () => {
    // 7.5 → 7.5; 12 → clamped to 10; −3 → clamped to 0
    expect(mapped({ kind: 'direct' }, [7.5, 12, -3])).toEqual([7.5, 10, 0]);
  });

  it('maps a linear scale, clamped, and explains it in a sentence', () => {
    // 0.931 × 10 = 9.31; 1.2 → clamped to 1 → 10; −0.1 → 0
    expect(mapped({ kind: 'linear', from: 0, to: 1 }, [0.931, 1.2, -0.1])).toEqual([9.31, 10, 0]);
    const one = computeRanking({
      scheme: simpleSchemeWithGood(),
      groupKey: 'all',
      units: [UNITS[0]!],
      values: { good: { u1: rating(0.931, 500) } },
      vetoes: [],
      previous: null,
    });
    expect(component(one.units[0]!, 'good').working).toBe(
      'good rate 0.931 on a linear scale 0→1 gives 9.31 of 10 points',
    );
  });

  it('maps a linear scale where lower is better (to < from)', () => {
    // complaints per 1,000 from 10 (0 points) to 0 (all points): 2 → (2 − 10) / (0 − 10) = 0.8 → 8;
    // 15 → below 0 → 0; 0 → 10
    expect(mapped({ kind: 'linear', from: 10, to: 0 }, [2, 15, 0])).toEqual([8, 0, 10]);
  });

  it('gives the share of the highest step reached, whatever order the steps are written in', () => {
    const steps: Mapping = {
      kind: 'steps',
      steps: [
        { atLeast: 0.6, share: 0.5 },
        { atLeast: 0.9, share: 1 },
      ],
    };
    // 0.95 ≥ 0.9 → 10; 0.9 ≥ 0.9 → 10; 0.7 ≥ 0.6 → 0.5 × 10 = 5; 0.5 reaches no step → 0
    expect(mapped(steps, [0.95, 0.9, 0.7, 0.5])).toEqual([10, 10, 5, 0]);
  });

  it('applies the rank rule at ranks 3, 4, 16 and 17 (Chuzhou: full to 3, 5 points less per place to 16)', () => {
    // rank 1 → 100%; 3 → 100%; 4 → 1 − 1 × 0.05 = 95%; 16 → 1 − 13 × 0.05 = 35%; 17 → the floor 20%
    // of 10 points: 10, 10, 9.5, 3.5, 2
    expect(mapped(RANK_RULE, [1, 3, 4, 16, 17])).toEqual([10, 10, 9.5, 3.5, 2]);
    // Chuzhou's 150 points cited from the province: rank 4 → 142.5, rank 16 → 52.5, rank 17 → 30
    expect(mapped(RANK_RULE, [3, 4, 16, 17], 150)).toEqual([150, 142.5, 52.5, 30]);
  });
});

function simpleSchemeWithGood(): SchemeDefinition {
  return schemeOver([goodRateLeaf(10)]);
}

// --- the tree, totals and missing values ---------------------------------------------------------------

describe('component points and totals', () => {
  const outcome = computeRanking(fixtureInput());

  it('adds the children of every inner node and ranks by total', () => {
    // see the table above fixtureValues
    expect(outcome.units.map((u) => [u.unitId, u.total, u.rank])).toEqual([
      ['u1', 96.5, 1],
      ['u2', 87.5, 2],
      ['u3', 69.4, 3],
      ['u4', 64.2, 4],
      ['u6', 56, 5],
      ['u5', 34, 6],
    ]);
    // u3: good 0.88 × 30 = 26.4, reply 0.95 ≥ 0.9 → 10, service 36.4; province rank 16 → 14; inspection 19
    expect(componentPoints(unit(outcome, 'u3'))).toEqual({
      total: 69.4,
      service: 36.4,
      good: 26.4,
      reply: 10,
      province: 14,
      inspection: 19,
    });
    expect(unit(outcome, 'u3').explanation.working).toBe(
      'the sum of its parts Service 36.4 + Province rank 14 + Inspection 19 gives 69.4 of 100 points',
    );
    expect(component(unit(outcome, 'u2'), 'province').working).toBe(
      'imported province_rank 4 as a rank earns 95% (ranks 1–3 earn 100%, 5% less per place through 16, ' +
        'then 20%) and gives 38 of 40 points',
    );
  });

  it('names each unit’s parent when the input gives one, so two sections of one name are told apart', () => {
    const units: GroupUnit[] = UNITS.map((u, i) =>
      i === 0
        ? { ...u, name: '登记注册科', parentName: '市场监管局' }
        : i === 1
          ? { ...u, name: '登记注册科', parentName: '行政审批局' }
          : u,
    );
    const named = computeRanking(fixtureInput({ units }));
    expect(unit(named, 'u1')).toMatchObject({ name: '登记注册科', parentName: '市场监管局' });
    expect(unit(named, 'u2')).toMatchObject({ name: '登记注册科', parentName: '行政审批局' });
    // A unit without a parent (or an input without parents) has no parentName at all: old runs digest alike.
    expect('parentName' in unit(named, 'u3')).toBe(false);
    expect(outcome.units.some((u) => 'parentName' in u)).toBe(false);
    // The parent changes nothing else: the same totals and ranks as without it.
    expect(named.units.map((u) => [u.unitId, u.total, u.rank])).toEqual(
      outcome.units.map((u) => [u.unitId, u.total, u.rank]),
    );
  });

  it('gives a unit without a provincial task the average points of the units that have one', () => {
    const province = component(unit(outcome, 'u4'), 'province');
    // (40 + 38 + 14 + 8 + 26) / 5 = 25.2
    expect(province.points).toBe(25.2);
    expect(province.flags).toEqual(['average_substituted']);
    expect(province.value).toBeNull();
    expect(unit(outcome, 'u4').rules.map((r) => r.rule)).toContain('average');
  });

  it('gives a unit without a value zero under the zero rule (the default)', () => {
    const inspection = component(unit(outcome, 'u5'), 'inspection');
    expect(inspection.points).toBe(0);
    expect(inspection.flags).toEqual(['no_value']);
  });

  it('gives zero and no_value under the average rule when no unit has a value', () => {
    const values = fixtureValues();
    delete values.province;
    const none = computeRanking(fixtureInput({ values }));
    // u1: 38.5 + 0 + 18 = 56.5
    expect(unit(none, 'u1').total).toBe(56.5);
    expect(component(unit(none, 'u1'), 'province').flags).toEqual(['no_value']);
  });

  it('rounds once at the end: the total is the rounded sum of unrounded points', () => {
    // precision 0, half away from zero: u1 service 28.5 + 10 = 38.5 → 39, total 96.5 → 97;
    // u3 69.4 → 69; u4 24 + 25.2 + 15 = 64.2 → 64
    const scheme = { ...fixtureScheme(), precision: 0 };
    const coarse = computeRanking(fixtureInput({ scheme }));
    expect(unit(coarse, 'u1').total).toBe(97);
    expect(component(unit(coarse, 'u1'), 'service').points).toBe(39);
    expect(unit(coarse, 'u3').total).toBe(69);
    expect(unit(coarse, 'u4').total).toBe(64);
    // Where rounding each part first would differ: score 0.4 and extra 0.4 round to 0 each, but the total
    // is 0.4 + 0.4 = 0.8 → 1 (rounding the parts first would give 0).
    const parts = computeRanking({
      scheme: simpleScheme({ precision: 0 }),
      groupKey: 'all',
      units: [UNITS[0]!],
      values: { score: { u1: given(0.4) }, extra: { u1: given(0.4) }, province: {} },
      vetoes: [],
      previous: null,
    });
    expect(componentPoints(parts.units[0]!)).toEqual({ total: 1, score: 0, extra: 0, province: 0 });
  });

  it('keeps a bonus figure by actual score when the scheme asks for it, and none otherwise', () => {
    expect(unit(outcome, 'u2').bonusScore).toBe(87.5);
    expect(simpleRun([50]).units[0]!.bonusScore).toBeNull();
  });

  it('refuses a value that is not a finite number', () => {
    const values = fixtureValues();
    values.inspection!.u1 = given(Number.NaN);
    expect(() => computeRanking(fixtureInput({ values }))).toThrow(Invalid);
  });
});

// --- uncertainty -----------------------------------------------------------------------------------------

describe('small samples, shrinkage and intervals', () => {
  function goodOnly(shrink: boolean, values: Record<string, SourceValue>): RankingOutcome {
    const scheme = schemeOver([goodRateLeaf(30)], { uncertainty: { minSample: 30, shrink } });
    return computeRanking({
      scheme,
      groupKey: 'all',
      units: UNITS.slice(0, 3),
      values: { good: values },
      vetoes: [],
      previous: null,
    });
  }
  const values = { u1: rating(0.9, 100), u2: rating(0.8, 100), u3: rating(0.5, 10, 0.3, 0.7) };

  it('flags a sample below the minimum without changing it when the scheme does not shrink', () => {
    const outcome = goodOnly(false, values);
    const u3 = unit(outcome, 'u3');
    // 0.5 × 30 = 15
    expect(u3.total).toBe(15);
    expect(component(u3, 'good').flags).toEqual(['small_sample']);
    expect(u3.flags).toEqual(['small_sample']);
    expect(unit(outcome, 'u1').flags).toEqual([]);
  });

  it('shrinks a small sample toward the group mean, and its interval bounds by the same weights', () => {
    const outcome = goodOnly(true, values);
    const good = component(unit(outcome, 'u3'), 'good');
    // mean = (0.9 + 0.8 + 0.5) / 3 = 2.2 / 3 = 0.733333; m = 30, n = 10
    // v' = (10 × 0.5 + 30 × 0.733333) / (10 + 30) = (5 + 22) / 40 = 0.675 → 0.675 × 30 = 20.25 points
    expect(good.value).toBe(0.675);
    expect(good.recordedValue).toBe(0.5);
    expect(good.points).toBe(20.25);
    expect(good.flags).toEqual(['small_sample', 'shrunk']);
    // low′ = (10 × 0.3 + 30 × 0.733333) / 40 = (3 + 22) / 40 = 25 / 40 = 0.625
    // high′ = (10 × 0.7 + 30 × 0.733333) / 40 = (7 + 22) / 40 = 29 / 40 = 0.725
    // points: 0.625 × 30 = 18.75, 0.725 × 30 = 21.75
    expect(good.valueInterval).toEqual({ low: 0.625, high: 0.725 });
    expect(good.pointsInterval).toEqual({ low: 18.75, high: 21.75 });
    const rule = unit(outcome, 'u3').rules.find((r) => r.rule === 'shrinkage');
    expect(rule?.params).toMatchObject({ recorded: 0.5, sampleSize: 10, minSample: 30, value: 0.675 });
    // Units with enough ratings are untouched: 0.9 × 30 = 27
    expect(unit(outcome, 'u1').total).toBe(27);
    expect(component(unit(outcome, 'u1'), 'good').recordedValue).toBeNull();
  });

  it('keeps a shrunk rate interval within 0–100% where shifting it would have left the range', () => {
    const outcome = goodOnly(true, {
      u1: rating(1, 100),
      u2: rating(1, 100),
      u3: rating(0.5, 2, 0.09, 0.91),
    });
    const good = component(unit(outcome, 'u3'), 'good');
    // mean = (1 + 1 + 0.5) / 3 = 0.833333; n = 2, m = 30: v′ = (2 × 0.5 + 30 × 0.833333) / 32 = 26 / 32 = 0.8125
    // (shifting by v′ − v = 0.3125 would have given [0.4025, 1.2225], above 100%)
    // low′ = (2 × 0.09 + 25) / 32 = 25.18 / 32 = 0.786875; high′ = (2 × 0.91 + 25) / 32 = 26.82 / 32 = 0.838125
    expect(good.value).toBe(0.8125);
    expect(good.valueInterval).toEqual({ low: 0.786875, high: 0.838125 });
    // points on 30: 0.8125 × 30 = 24.375 → 24.38; 0.838125 × 30 = 25.14375 → 25.14
    expect(good.points).toBe(24.38);
    expect(good.pointsInterval?.high).toBe(25.14);
  });

  it('keeps a total interval within the paper: never below 0 or above the maximum', () => {
    const outcome = goodOnly(false, {
      u1: rating(0.99, 100, 0.9, 1),
      u2: rating(0.02, 100, 0, 0.2),
      u3: rating(0.5, 100, 0.4, 0.6),
    });
    // u1: 0.99 × 30 = 29.7; points [27, 30], half 1.5 → 29.7 ± 1.5 = [28.2, 31.2] → capped at 30
    expect(unit(outcome, 'u1').interval).toEqual({ low: 28.2, high: 30 });
    // u2: 0.02 × 30 = 0.6; points [0, 6], half 3 → 0.6 ± 3 = [−2.4, 3.6] → floored at 0
    expect(unit(outcome, 'u2').interval).toEqual({ low: 0, high: 3.6 });
    // u3: 15 ± 3 = [12, 18], inside the paper: unchanged
    expect(unit(outcome, 'u3').interval).toEqual({ low: 12, high: 18 });
  });

  it('combines component intervals in quadrature and flags overlapping neighbours as indistinct', () => {
    const scheme = schemeOver([
      goodRateLeaf(30),
      {
        id: 'reply',
        name: 'Reply rate',
        maxPoints: 10,
        source: { kind: 'rating_statistic', statistic: 'replyRate' },
        mapping: { kind: 'linear', from: 0, to: 1 },
      },
    ]);
    const outcome = computeRanking({
      scheme,
      groupKey: 'all',
      units: UNITS.slice(0, 4),
      values: {
        good: {
          u1: rating(0.9, 400, 0.85, 0.95),
          u2: rating(0.85, 400, 0.8, 0.9),
          u3: rating(0.5, 400, 0.45, 0.55),
          u4: rating(0.3, 400),
        },
        reply: {
          u1: rating(0.8, 100, 0.7, 0.9),
          u2: rating(0.8, 100),
          u3: rating(0.5, 100),
          u4: rating(0.2, 100),
        },
      },
      vetoes: [],
      previous: null,
    });
    // u1: 27 + 8 = 35; good [25.5, 28.5] half 1.5, reply [7, 9] half 1 → ±√(1.5² + 1²) = ±√3.25 = ±1.8028
    expect(unit(outcome, 'u1').interval).toEqual({ low: 33.2, high: 36.8 });
    expect(component(unit(outcome, 'u1'), 'reply').pointsInterval).toEqual({ low: 7, high: 9 });
    // u2: 25.5 + 8 = 33.5 ± 1.5 → [32, 35]; overlaps u1's [33.2, 36.8] → both indistinct
    expect(unit(outcome, 'u2').interval).toEqual({ low: 32, high: 35 });
    // u3: 15 + 5 = 20 ± 1.5 → [18.5, 21.5]: clear of u2 (32 > 21.5)
    expect(unit(outcome, 'u3').interval).toEqual({ low: 18.5, high: 21.5 });
    // u4: 9 + 2 = 11, no interval at all
    expect(unit(outcome, 'u4').interval).toBeNull();
    expect(outcome.units.map((u) => [u.unitId, u.flags.includes('indistinct')])).toEqual([
      ['u1', true],
      ['u2', true],
      ['u3', false],
      ['u4', false],
    ]);
  });
});

// --- ties ------------------------------------------------------------------------------------------------

describe('ties', () => {
  it('shares a rank on equal totals (1, 2, 2, 4) and lists the tied units by code', () => {
    // Given out of code order: the engine orders a shared rank by code, not by input order.
    const units = [UNITS[0]!, UNITS[2]!, UNITS[1]!, UNITS[3]!];
    const outcome = computeRanking({
      scheme: simpleScheme(),
      groupKey: 'all',
      units,
      values: { score: { u1: given(90), u2: given(80), u3: given(80), u4: given(70) } },
      vetoes: [],
      previous: null,
    });
    expect(outcome.units.map((u) => [u.unitId, u.rank])).toEqual([
      ['u1', 1],
      ['u2', 2],
      ['u3', 2],
      ['u4', 4],
    ]);
    expect(unit(outcome, 'u2').rules.find((r) => r.rule === 'tie')?.params).toMatchObject({
      rank: 2,
      sharedWith: 1,
    });
    expect(unit(outcome, 'u1').rules.some((r) => r.rule === 'tie')).toBe(false);
  });

  it('breaks a tie by the tie-break components in order, and shares the rank when they are equal too', () => {
    // u2: 75 + 5 = 80, u3: 78 + 2 = 80; tie-break extra: 5 > 2 → u2 2nd, u3 3rd
    const broken = simpleRun([90, 75, 78, 70], { tieBreak: ['extra'] }, { extra: [0, 5, 2, 0] });
    expect(broken.units.map((u) => [u.unitId, u.total, u.rank])).toEqual([
      ['u1', 90, 1],
      ['u2', 80, 2],
      ['u3', 80, 3],
      ['u4', 70, 4],
    ]);
    expect(unit(broken, 'u3').rules.find((r) => r.rule === 'tie')?.params).toMatchObject({
      rank: 3,
      sharedWith: 0,
      tieBreak: 'extra',
    });
    // Now u3 is 77 + 3 = 80 and u2 77 + 3 = 80: the tie-break is equal too → 1, 2, 2, 4
    const shared = simpleRun([90, 77, 77, 70], { tieBreak: ['extra'] }, { extra: [0, 3, 3, 0] });
    expect(shared.units.map((u) => u.rank)).toEqual([1, 2, 2, 4]);
  });
});

// --- veto, promotion, grades ---------------------------------------------------------------------------------

describe('veto', () => {
  const veto = { id: 'v1', unitId: 'u1', reason: 'Serious discipline violation', evidence: 'Notice 2024-3' };
  const outcome = computeRanking(fixtureInput({ vetoes: [veto] }));
  const u1 = unit(outcome, 'u1');

  it('keeps the vetoed unit ranked by score with its bonus figure, but bars the top grade', () => {
    // u1 still scores 96.5 and ranks 1st; excellent (top 34%: rank ≤ 0.34 × 6 = 2.04) is barred → good (≥ 60)
    expect([u1.total, u1.rank, u1.bonusScore, u1.grade]).toEqual([96.5, 1, 96.5, 'good']);
    expect(u1.flags).toEqual(['vetoed']);
    expect(u1.rules.find((r) => r.rule === 'veto')?.params).toEqual({
      vetoId: 'v1',
      reason: 'Serious discipline violation',
      evidence: 'Notice 2024-3',
    });
    // u2 (rank 2 ≤ 2.04) is still excellent
    expect(unit(outcome, 'u2').grade).toBe('excellent');
  });

  it('puts the vetoed unit first on the worst list and never on the best list', () => {
    // best: u2, u3, u4 (u1 skipped); worst, worst first: u1 (vetoed), then u5 (rank 6), u6 (rank 5)
    expect(outcome.best).toEqual(['u2', 'u3', 'u4']);
    expect(outcome.worst).toEqual(['u1', 'u5', 'u6']);
  });

  it('without a veto the lists are the top and bottom three', () => {
    const plain = computeRanking(fixtureInput());
    expect(plain.best).toEqual(['u1', 'u2', 'u3']);
    // worst first: u5 (6th), u6 (5th), u4 (4th)
    expect(plain.worst).toEqual(['u5', 'u6', 'u4']);
    // excellent: rank ≤ 2.04 → u1, u2; good (≥ 60): u3 69.4, u4 64.2; poor: u6 56, u5 34
    expect(plain.units.map((u) => u.grade)).toEqual([
      'excellent',
      'excellent',
      'good',
      'good',
      'poor',
      'poor',
    ]);
  });

  it('never puts a unit on both lists in a small group', () => {
    const scheme = { ...fixtureScheme(), lists: { best: 4, worst: 4 } };
    const small = computeRanking(fixtureInput({ scheme }));
    // best: u1, u2, u3, u4; worst first: u5, u6, then u4 and u3 are already on the best list
    expect(small.best).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(small.worst).toEqual(['u5', 'u6']);
  });
});

describe('grades', () => {
  const byScore = [
    { key: 'a', name: 'A', minScore: 90 },
    { key: 'b', name: 'B', minScore: 75 },
    { key: 'c', name: 'C' },
  ];

  it('grades by score: the first grade whose minimum the rounded total reaches', () => {
    // 95 ≥ 90 → A; 90 ≥ 90 → A; 89.99 < 90 but ≥ 75 → B; 75 → B; 60 → C (the last takes everyone left)
    const outcome = simpleRun([95, 90, 89.99, 75, 60], { grades: byScore });
    expect(outcome.units.map((u) => u.grade)).toEqual(['a', 'a', 'b', 'b', 'c']);
    expect(unit(outcome, 'u3').rules.find((r) => r.rule === 'grade')?.detail).toBe(
      'Grade B at rank 3 with total 89.99: total ≥ 75.',
    );
  });

  it('grades by share of the group', () => {
    // 6 units, top half: rank ≤ 0.5 × 6 = 3; u3 and u4 share rank 3 → both inside
    const outcome = simpleRun([90, 80, 70, 70, 50, 40], {
      grades: [
        { key: 'top', name: 'Top half', maxShare: 0.5 },
        { key: 'rest', name: 'Rest' },
      ],
    });
    expect(outcome.units.map((u) => [u.rank, u.grade])).toEqual([
      [1, 'top'],
      [2, 'top'],
      [3, 'top'],
      [3, 'top'],
      [5, 'rest'],
      [6, 'rest'],
    ]);
  });

  it('fills a quota in rank order', () => {
    const quota = [
      { key: 'a', name: 'A', quota: 2 },
      { key: 'b', name: 'B' },
    ];
    expect(simpleRun([90, 80, 70, 60], { grades: quota }).units.map((u) => u.grade)).toEqual([
      'a',
      'a',
      'b',
      'b',
    ]);
  });

  it('never splits a tie at a quota edge, and closes the grade to lower ranks', () => {
    const quota = [
      { key: 'a', name: 'A', quota: 2 },
      { key: 'b', name: 'B' },
    ];
    // u1 takes 1 of 2 places; u2 and u3 share rank 2 and need 2 places with 1 left → neither; u4 (rank 4)
    // would fit the place left but may not pass the tied units → B
    const outcome = simpleRun([90, 80, 80, 70], { grades: quota });
    expect(outcome.units.map((u) => [u.unitId, u.rank, u.grade])).toEqual([
      ['u1', 1, 'a'],
      ['u2', 2, 'b'],
      ['u3', 2, 'b'],
      ['u4', 4, 'b'],
    ]);
    expect(unit(outcome, 'u2').rules.find((r) => r.params.placesLeft !== undefined)?.params).toMatchObject({
      grade: 'a',
      quota: 2,
      placesLeft: 1,
    });
    // With a quota of 3 the tied pair fits: A, A, A, B
    const roomy = simpleRun([90, 80, 80, 70], { grades: [{ key: 'a', name: 'A', quota: 3 }, quota[1]!] });
    expect(roomy.units.map((u) => u.grade)).toEqual(['a', 'a', 'a', 'b']);
  });
});

describe('exceptional promotion', () => {
  const scheme: Partial<SchemeDefinition> = {
    grades: [
      { key: 'excellent', name: 'Excellent', quota: 1 },
      { key: 'good', name: 'Good' },
    ],
    promotions: [
      { id: 'top3', label: 'Top 3 in the province', leaves: ['province'], maxRank: 3, grade: 'excellent' },
    ],
  };

  it('promotes a unit ranked within the rule regardless of score, outside the quota', () => {
    // u1: 95; u2: 60 + province rank 2 → 10 = 70; u3: 90; u4: 50 + rank 5 → 9 = 59
    const outcome = simpleRun([95, 60, 90, 50], scheme, { province: { u2: 2, u4: 5 } });
    expect(outcome.units.map((u) => [u.unitId, u.total, u.grade])).toEqual([
      ['u1', 95, 'excellent'], // the one quota place
      ['u3', 90, 'good'], // quota of 1 used by u1
      ['u2', 70, 'excellent'], // promoted, counted outside the quota
      ['u4', 59, 'good'], // rank 5 > 3: no promotion
    ]);
    const u2 = unit(outcome, 'u2');
    expect(u2.flags).toEqual(['promoted']);
    expect(u2.rules.find((r) => r.rule === 'promotion')?.params).toMatchObject({ rank: 2, maxRank: 3 });
    // A promoted unit ranked first takes no quota place either: u1 85 + rank 1 → 10 = 95 (promoted),
    // u2 90 takes the one place, u3 80 → good
    const first = simpleRun([85, 90, 80], scheme, { province: { u1: 1 } });
    expect(first.units.map((u) => [u.unitId, u.total, u.grade])).toEqual([
      ['u1', 95, 'excellent'],
      ['u2', 90, 'excellent'],
      ['u3', 80, 'good'],
    ]);
  });

  it('lets a veto that bars the top grade win over a promotion into it', () => {
    const veto = { id: 'v9', unitId: 'u2', reason: 'Safety incident', evidence: 'Report 17' };
    const outcome = simpleRun([95, 60, 90, 50], scheme, { province: { u2: 2 }, vetoes: [veto] });
    const u2 = unit(outcome, 'u2');
    expect(u2.grade).toBe('good');
    expect(u2.flags).toEqual(['vetoed']);
    expect(u2.rules.filter((r) => r.rule === 'veto')).toHaveLength(2); // the veto, and the withheld promotion
    expect(u2.rules.some((r) => r.rule === 'promotion')).toBe(false);
  });
});

// --- rank change ---------------------------------------------------------------------------------------------

describe('rank change against the previous published run', () => {
  // Current ranks: u1 1, u2 2, u3 3, u4 4, u6 5, u5 6
  it('reports the change and the largest decline, all units on a tie', () => {
    const previous = {
      runId: 'r1',
      periodName: '2024 Q1',
      ranks: { u1: 2, u2: 1, u3: 3, u4: 6, u6: 4 },
      declined: [],
    };
    const outcome = computeRanking(fixtureInput({ previous }));
    // u1 2 → 1: +1; u2 1 → 2: −1; u3 3 → 3: 0; u4 6 → 4: +2; u6 4 → 5: −1; u5 not ranked then: null
    expect(outcome.units.map((u) => [u.unitId, u.previousRank, u.rankChange])).toEqual([
      ['u1', 2, 1],
      ['u2', 1, -1],
      ['u3', 3, 0],
      ['u4', 6, 2],
      ['u6', 4, -1],
      ['u5', null, null],
    ]);
    // largest decline 1 place, shared by u2 and u6
    expect(outcome.largestDecline).toEqual(['u2', 'u6']);
    expect(unit(outcome, 'u6').flags).toEqual(['largest_decline']);
    expect(outcome.declinedTwoRunning).toEqual([]);
  });

  it('lists units that declined two runs running, largest decline first', () => {
    const previous = {
      runId: 'r2',
      periodName: '2024 Q2',
      ranks: { u1: 1, u2: 1, u3: 1, u4: 4, u5: 6, u6: 3 },
      declined: ['u2', 'u3', 'u5', 'u6'],
    };
    const outcome = computeRanking(fixtureInput({ previous }));
    // declines now: u2 1 → 2 (1), u3 1 → 3 (2), u6 3 → 5 (2); u5 6 → 6 (0, not a decline)
    expect(outcome.largestDecline).toEqual(['u3', 'u6']);
    // two running: u3 (2), u6 (2), u2 (1) — equal declines by code
    expect(outcome.declinedTwoRunning).toEqual(['u3', 'u6', 'u2']);
    expect(unit(outcome, 'u2').flags).toEqual(['declined_two_running']);
    expect(unit(outcome, 'u3').flags).toEqual(['largest_decline', 'declined_two_running']);
    expect(unit(outcome, 'u5').flags).toEqual([]);
  });

  it('has no rank change without a previous run', () => {
    const outcome = computeRanking(fixtureInput());
    expect(outcome.units.every((u) => u.previousRank === null && u.rankChange === null)).toBe(true);
    expect(outcome.largestDecline).toEqual([]);
  });
});

// --- review stages -------------------------------------------------------------------------------------------

describe('review stages', () => {
  const scheme = fixtureScheme(); // stages keep 2, then 1
  const proposed = { best: ['u1', 'u2', 'u3'], worst: ['u5', 'u6', 'u4'] };

  it('approves as proposed by cutting each list to the stage size, order kept', () => {
    expect(applyReviewStage(scheme, 0, proposed, { kind: 'approve' })).toEqual({
      best: ['u1', 'u2'],
      worst: ['u5', 'u6'],
    });
  });

  it('amends by removing and reordering units with a reason', () => {
    const after = applyReviewStage(scheme, 0, proposed, {
      kind: 'amend',
      best: ['u3', 'u1'],
      worst: ['u4'],
      reason: 'u2 is under investigation',
    });
    expect(after).toEqual({ best: ['u3', 'u1'], worst: ['u4'] });
    expect(applyReviewStage(scheme, 1, after, { kind: 'approve' })).toEqual({ best: ['u3'], worst: ['u4'] });
  });

  function refusal(fn: () => unknown): { code: string; params: unknown } {
    try {
      fn();
    } catch (error) {
      if (error instanceof Invalid) return { code: error.code, params: error.params };
      throw error;
    }
    throw new Error('expected a refusal');
  }

  it('refuses an unknown stage, a blank reason, an added unit, a duplicate and a list that is too long', () => {
    expect(refusal(() => applyReviewStage(scheme, 2, proposed, { kind: 'approve' })).code).toBe(
      'unknown_stage',
    );
    expect(refusal(() => applyReviewStage(scheme, -1, proposed, { kind: 'approve' })).code).toBe(
      'unknown_stage',
    );
    const amend = (best: string[], worst: string[], reason = 'because') =>
      applyReviewStage(scheme, 0, proposed, { kind: 'amend', best, worst, reason });
    expect(refusal(() => amend(['u1'], [], '   ')).code).toBe('reason_required');
    expect(refusal(() => amend(['u1', 'u4'], []))).toEqual({
      code: 'not_on_list',
      params: { unitId: 'u4', list: 'best' },
    });
    expect(refusal(() => amend(['u1', 'u1'], [])).code).toBe('duplicate_unit');
    expect(refusal(() => amend(['u1', 'u2', 'u3'], [])).code).toBe('list_too_long'); // 3 > 2
  });
});

// --- scheme problems -----------------------------------------------------------------------------------------

describe('scheme problems', () => {
  type Edit = (d: SchemeDefinition & Record<string, unknown>) => void;
  const child = (d: SchemeDefinition, id: string): ComponentNode & Record<string, unknown> => {
    const stack = [d.root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.id === id) return node as ComponentNode & Record<string, unknown>;
      stack.push(...(node.children ?? []));
    }
    throw new Error(id);
  };
  function problemsAfter(edit: Edit): [string | null, string][] {
    const d = fixtureScheme() as SchemeDefinition & Record<string, unknown>;
    edit(d);
    return schemeProblems(d).map((p) => [p.component, p.code]);
  }

  it('finds nothing wrong with a sound scheme', () => {
    expect(schemeProblems(fixtureScheme())).toEqual([]);
    expect(validateScheme(fixtureScheme()).root.id).toBe('total');
  });

  it('takes an issuing office of one short line, and refuses a blank, long or multi-line one', () => {
    const forty = '示范市绩效考核办公室'.repeat(4); // 10 characters × 4 = 40
    expect(problemsAfter((d) => (d.issuer = '示范市绩效考核办公室'))).toEqual([]);
    expect(problemsAfter((d) => (d.issuer = forty))).toEqual([]);
    for (const issuer of ['', '   ', `${forty}办`, '示范市\n考核办', 42]) {
      expect(
        problemsAfter((d: Record<string, unknown>) => (d.issuer = issuer)),
        String(issuer),
      ).toEqual([[null, 'bad_issuer']]);
    }
  });

  it('refuses children whose points do not add up, naming the component and both sums', () => {
    const d = fixtureScheme();
    child(d, 'good').maxPoints = 25; // service: 25 + 10 = 35 ≠ 40
    const problems = schemeProblems(d);
    expect(problems).toEqual([
      {
        component: 'service',
        code: 'points_mismatch',
        message: "Component 'service' (Service): its children's points add up to 35, not its own 40.",
      },
    ]);
    expect(() => validateScheme(d)).toThrow(Invalid);
    try {
      validateScheme(d);
    } catch (error) {
      expect(error).toMatchObject({
        code: 'invalid_scheme',
        params: { component: 'service', problem: 'points_mismatch' },
      });
    }
    // 0.1 + 0.2 is within the tolerance of 0.3
    const fine = fixtureScheme();
    fine.root.maxPoints = 0.3;
    fine.root.children = [
      { ...child(fine, 'inspection'), id: 'x', maxPoints: 0.1 },
      { ...child(fine, 'inspection'), id: 'y', maxPoints: 0.2 },
    ];
    expect(schemeProblems(fine)).toEqual([]);
  });

  it('refuses a leaf without a source', () => {
    const problems = schemeProblems(
      (() => {
        const d = fixtureScheme();
        delete child(d, 'inspection').source;
        return d;
      })(),
    );
    expect(problems).toEqual([
      {
        component: 'inspection',
        code: 'no_source',
        message:
          "Component 'inspection' (Inspection) is a leaf without a source: say where its value comes from.",
      },
    ]);
  });

  it('refuses a component that contains itself (the same object) without overflowing the stack', () => {
    const d = fixtureScheme();
    const service = child(d, 'service');
    service.children!.push(service); // now 30 + 10 + 40 = 80 ≠ 40, and a cycle
    expect(schemeProblems(d).map((p) => [p.component, p.code])).toEqual([
      ['service', 'points_mismatch'],
      ['service', 'cycle'],
    ]);
    // A deeper loop: total → a → b → a
    const a: ComponentNode = { id: 'a', name: 'A', maxPoints: 100, children: [] };
    const b: ComponentNode = { id: 'b', name: 'B', maxPoints: 100, children: [a] };
    a.children!.push(b);
    const loop = { ...fixtureScheme(), root: { id: 'total', name: 'Total', maxPoints: 100, children: [a] } };
    expect(schemeProblems(loop).map((p) => [p.component, p.code])).toEqual([['a', 'cycle']]);
    expect(() => validateScheme(loop)).toThrow("Component 'a' (A) contains itself (a cycle).");
  });

  it('refuses a descendant that repeats an ancestor id (a cycle written out as JSON)', () => {
    const d = fixtureScheme();
    child(d, 'good').id = 'service';
    expect(schemeProblems(d).map((p) => [p.component, p.code])).toEqual([['service', 'cycle']]);
  });

  it('stops at 32 levels, so a very deep tree cannot overflow the stack', () => {
    let node: ComponentNode = {
      id: 'leaf',
      name: 'Leaf',
      maxPoints: 100,
      source: { kind: 'imported', series: 's' },
      mapping: { kind: 'direct' },
    };
    for (let i = 0; i < 100_000; i++) node = { id: `n${i}`, name: `N${i}`, maxPoints: 100, children: [node] };
    const problems = schemeProblems({ ...fixtureScheme(), root: node });
    // the root is level 1; the node at level 32 is refused
    expect(problems.map((p) => [p.component, p.code])).toEqual([['n99968', 'too_deep']]);
  });

  const cases: [string, Edit, [string | null, string][]][] = [
    ['a precision out of range', (d) => (d.precision = 7), [[null, 'bad_precision']]],
    ['a fractional precision', (d) => (d.precision = 1.5), [[null, 'bad_precision']]],
    ['a missing root', (d) => delete (d as Partial<SchemeDefinition>).root, [[null, 'missing_field']]],
    [
      'a zero maxPoints',
      (d) => (child(d, 'inspection').maxPoints = 0),
      [['inspection', 'bad_max_points']], // the sum is not checked when a child has no valid points
    ],
    ['an infinite maxPoints', (d) => (d.root.maxPoints = Infinity), [['total', 'bad_max_points']]],
    [
      'a leaf without a mapping',
      (d) => delete child(d, 'inspection').mapping,
      [['inspection', 'no_mapping']],
    ],
    [
      'a linear mapping from == to',
      (d) => (child(d, 'good').mapping = { kind: 'linear', from: 1, to: 1 }),
      [['good', 'bad_mapping']],
    ],
    [
      'empty steps',
      (d) => (child(d, 'reply').mapping = { kind: 'steps', steps: [] }),
      [['reply', 'bad_mapping']],
    ],
    [
      'a step share above 1',
      (d) => (child(d, 'reply').mapping = { kind: 'steps', steps: [{ atLeast: 0.5, share: 1.5 }] }),
      [['reply', 'bad_mapping']],
    ],
    [
      'a rank rule with fullUpTo 0',
      (d) => (child(d, 'province').mapping = { ...RANK_RULE, fullUpTo: 0 }),
      [['province', 'bad_mapping']],
    ],
    [
      'a rank rule with lastRank < fullUpTo',
      (d) => (child(d, 'province').mapping = { ...RANK_RULE, lastRank: 2 }),
      [['province', 'bad_mapping']],
    ],
    [
      'a stepShare above 1',
      (d) => (child(d, 'province').mapping = { ...RANK_RULE, stepShare: 2 }),
      [['province', 'bad_mapping']],
    ],
    [
      'a negative floorShare',
      (d) => (child(d, 'province').mapping = { ...RANK_RULE, floorShare: -0.1 }),
      [['province', 'bad_mapping']],
    ],
    [
      'an unknown rating statistic',
      (d) => (child(d, 'good').source = { kind: 'rating_statistic', statistic: 'happiness' as 'goodRate' }),
      [['good', 'bad_source']],
    ],
    [
      'an unknown missing rule',
      (d) => (child(d, 'province').missing = 'max' as 'zero'),
      [['province', 'bad_missing_rule']],
    ],
    [
      'a node with both children and a source',
      (d) => (child(d, 'service').source = { kind: 'imported', series: 's' }),
      [['service', 'children_and_source']],
    ],
    ['a duplicate id', (d) => (child(d, 'inspection').id = 'good'), [['good', 'duplicate_id']]],
    [
      'a duplicate of an inner id outside its subtree (not a cycle)',
      (d) => (child(d, 'inspection').id = 'service'),
      [['service', 'duplicate_id']],
    ],
    ['a bad id', (d) => (child(d, 'inspection').id = 'in spection'), [['in spection', 'bad_id']]],
    [
      'a component without a name',
      (d) => (child(d, 'inspection').name = ' '),
      [['inspection', 'missing_field']],
    ],
    ['no groups', (d) => (d.groups = []), [[null, 'no_groups']]],
    ['missing groups', (d) => delete (d as Partial<SchemeDefinition>).groups, [[null, 'no_groups']]],
    ['duplicate group keys', (d) => d.groups.push({ ...d.groups[0]! }), [[null, 'duplicate_group']]],
    [
      'a group with no membership criterion',
      (d) => d.groups.push({ key: 'x', name: 'X', withinCode: 'A' }),
      [[null, 'group_without_members']],
    ],
    [
      'a group without a key',
      (d) => d.groups.push({ key: '', name: 'X', kinds: ['k'] }),
      [[null, 'bad_group']],
    ],
    [
      'a promotion with no leaves and a zero maxRank',
      (d) => d.promotions.push({ id: 'p', label: 'P', leaves: [], maxRank: 0, grade: 'good' }),
      [
        [null, 'bad_promotion'],
        [null, 'bad_promotion'],
      ],
    ],
    [
      'two promotions with one id',
      (d) => {
        const rule = { id: 'p', label: 'P', leaves: ['province'], maxRank: 3, grade: 'excellent' };
        d.promotions.push(rule, { ...rule });
      },
      [[null, 'duplicate_promotion']],
    ],
    ['a review stage without a body', (d) => (d.review.stages[0]!.body = ''), [[null, 'bad_stage']]],
    [
      'duplicate grade keys',
      (d) => d.grades.push({ key: 'good', name: 'Again' }),
      [[null, 'duplicate_grade']],
    ],
    ['a grade share above 1', (d) => (d.grades[0]!.maxShare = 1.5), [[null, 'bad_grade']]],
    [
      'a promotion naming an unknown leaf and grade',
      (d) => d.promotions.push({ id: 'p', label: 'P', leaves: ['nope'], maxRank: 3, grade: 'gold' }),
      [
        ['nope', 'unknown_promotion_leaf'],
        [null, 'unknown_promotion_grade'],
      ],
    ],
    [
      'a promotion naming an inner node',
      (d) => d.promotions.push({ id: 'p', label: 'P', leaves: ['service'], maxRank: 3, grade: 'good' }),
      [['service', 'unknown_promotion_leaf']],
    ],
    [
      'a tie-break naming an unknown component',
      (d) => (d.tieBreak = ['good', 'nope']),
      [[null, 'unknown_tie_break']],
    ],
    [
      'review stage sizes that grow',
      (d) => (d.review.stages = [{ ...d.review.stages[1]! }, { ...d.review.stages[0]! }]),
      [[null, 'stage_size_increases']],
    ],
    ['a review stage size of 0', (d) => (d.review.stages[1]!.size = 0), [[null, 'bad_stage_size']]],
    [
      'a review stage larger than the lists',
      (d) => (d.review.stages[0]!.size = 4), // lists hold 3
      [[null, 'stage_larger_than_list']],
    ],
    ['a negative list size', (d) => (d.lists.worst = -1), [[null, 'bad_list_size']]],
    ['a negative minimum sample', (d) => (d.uncertainty.minSample = -5), [[null, 'bad_uncertainty']]],
    [
      'a veto setting that is not a boolean',
      (d) => ((d.veto as Record<string, unknown>).toBottomList = 'yes'),
      [[null, 'bad_veto']],
    ],
    [
      'a missing bonus switch',
      (d) => delete (d as Partial<SchemeDefinition>).bonusByActualScore,
      [[null, 'missing_field']],
    ],
  ];
  it.each(cases)('refuses %s', (_label, edit, expected) => {
    expect(problemsAfter(edit)).toEqual(expected);
  });

  it('refuses something that is not a scheme at all', () => {
    expect(schemeProblems(null).map((p) => p.code)).toEqual(['not_object']);
    expect(schemeProblems([]).map((p) => p.code)).toEqual(['not_object']);
    // every missing field is listed, not only the first
    expect(schemeProblems({}).map((p) => p.code)).toEqual([
      'missing_field', // precision
      'missing_field', // root
      'no_groups',
      'missing_field', // tieBreak
      'missing_field', // uncertainty
      'missing_field', // veto
      'missing_field', // bonusByActualScore
      'missing_field', // grades
      'missing_field', // promotions
      'missing_field', // lists
      'missing_field', // review
    ]);
  });
});

// --- canonical form and determinism -----------------------------------------------------------------------

describe('canonical JSON and digests', () => {
  it('sorts keys at every level, keeps array order and drops undefined members', () => {
    expect(canonicalJson({ b: [2, 1], a: { d: 1, c: null, e: undefined } })).toBe(
      '{"a":{"c":null,"d":1},"b":[2,1]}',
    );
  });

  it('gives the same digest whatever the key order', () => {
    // sha256('{"a":1,"b":[2,1]}'), computed independently
    const expected = createHash('sha256').update('{"a":1,"b":[2,1]}').digest('hex');
    expect(digestOf({ b: [2, 1], a: 1 })).toBe(expected);
    expect(digestOf({ a: 1, b: [2, 1] })).toBe(expected);
    expect(digestOf({ a: 1, b: [1, 2] })).not.toBe(expected);
  });

  it('refuses NaN, Infinity and a value that contains itself', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(Invalid);
    expect(() => canonicalJson([Infinity])).toThrow(Invalid);
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    expect(() => canonicalJson(loop)).toThrow(Invalid);
  });

  it('computes byte-identical results from the same input, whatever order its maps were built in', () => {
    const first = computeRanking(
      fixtureInput({ previous: { runId: 'r', periodName: 'P', ranks: { u1: 3 }, declined: [] } }),
    );
    const values = fixtureValues();
    const reversed = Object.fromEntries(
      Object.entries(values)
        .reverse()
        .map(([leaf, byUnit]) => [leaf, Object.fromEntries(Object.entries(byUnit).reverse())]),
    );
    const second = computeRanking(
      fixtureInput({
        values: reversed,
        previous: { runId: 'r', periodName: 'P', ranks: { u1: 3 }, declined: [] },
      }),
    );
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(digestOf(second)).toBe(digestOf(first));
  });
});
