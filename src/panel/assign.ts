/*
 * Leader panels (Chuzhou: each leader rates 20–25 units, each unit is rated by 8–9 leaders, a leader never
 * rates a unit in their charge). Pure; the solver is passed in.
 *
 * 1. Balance: the number of ratings T is the smallest both sides allow, T = max(L·leaderMin, U·unitMin)
 *    (L leaders, U units). Each leader then rates ⌊T/L⌋ or ⌈T/L⌉ units and each unit gets ⌊T/U⌋ or ⌈T/U⌉
 *    leaders, within the bounds. If exclusions make that impossible, the plain bounds are used.
 * 2. Randomness: every allowed pair (leaders, then units, both sorted by id) gets a weight w = u/2^48 from
 *    the counter-mode generator; the assignment is the one of maximum total weight that meets the bounds
 *    (a transportation problem: its linear relaxation, solved by HiGHS, has a 0/1 optimum).
 *
 * Infeasible bounds are refused with the reason.
 */
import type { LeaderRules } from './types.js';
import { CounterRng } from './random.js';
import { LpModel, solve, type Solver, type Term } from './solver.js';

export interface AssignmentProblem {
  reason: string;
  code:
    | 'bounds_inverted'
    | 'totals_disjoint'
    | 'leader_too_few_units'
    | 'unit_too_few_leaders'
    | 'bounds_conflict';
}

export type AssignmentResult =
  | {
      ok: true;
      /** [leaderId, unitId] pairs, sorted by leader then unit. */
      pairs: [string, string][];
      total: number;
      /** Whether the balanced bounds held (false: only the plain bounds could). */
      balanced: boolean;
    }
  | { ok: false; problems: AssignmentProblem[] };

/** The reasons the bounds cannot hold, found by counting (no solver). */
export function assignmentProblems(rules: LeaderRules): AssignmentProblem[] {
  const out: AssignmentProblem[] = [];
  const { leaderMin: a, leaderMax: b, unitMin: c, unitMax: d } = rules;
  const L = rules.leaders.length;
  const U = rules.units.length;
  if (a > b || c > d) {
    out.push({ code: 'bounds_inverted', reason: 'A lower bound is above its upper bound.' });
    return out;
  }
  if (L * a > U * d) {
    out.push({
      code: 'totals_disjoint',
      reason: `${L} leaders rating at least ${a} units each make ${L * a} ratings, but ${U} units rated by at most ${d} leaders each take only ${U * d}.`,
    });
  }
  if (L * b < U * c) {
    out.push({
      code: 'totals_disjoint',
      reason: `${U} units rated by at least ${c} leaders each need ${U * c} ratings, but ${L} leaders rating at most ${b} units each give only ${L * b}.`,
    });
  }
  const units = new Set(rules.units);
  const allowedLeaders = new Map(rules.units.map((u) => [u, 0]));
  for (const leader of rules.leaders) {
    const barred = new Set(leader.inCharge);
    const allowed = rules.units.filter((u) => !barred.has(u));
    for (const u of allowed) allowedLeaders.set(u, (allowedLeaders.get(u) ?? 0) + 1);
    if (allowed.length < a) {
      out.push({
        code: 'leader_too_few_units',
        reason: `${leader.name} is in charge of ${units.size - allowed.length} of the ${units.size} units and can rate only ${allowed.length}, fewer than ${a}.`,
      });
    }
  }
  for (const [u, n] of allowedLeaders) {
    if (n < c) {
      out.push({
        code: 'unit_too_few_leaders',
        reason: `Unit ${u} can be rated by only ${n} leaders (the others are in charge of it), fewer than ${c}.`,
      });
    }
  }
  return out;
}

interface Bounds {
  leaderLow: number;
  leaderHigh: number;
  unitLow: number;
  unitHigh: number;
}

function assignmentModel(
  leaders: readonly string[],
  units: readonly string[],
  allowed: readonly (readonly [number, number])[],
  weights: readonly number[],
  bounds: Bounds,
): LpModel {
  const lp = new LpModel('Maximize');
  const byLeader = leaders.map((): Term[] => []);
  const byUnit = units.map((): Term[] => []);
  allowed.forEach(([li, ui], k) => {
    const x = `x${k}`;
    lp.bound(x, 0, 1);
    lp.cost(weights[k] ?? 0, x);
    byLeader[li]?.push([1, x]);
    byUnit[ui]?.push([1, x]);
  });
  byLeader.forEach((terms, i) => {
    lp.row(`l${i}lo`, terms.length ? terms : [[0, 'z_']], '>=', bounds.leaderLow);
    lp.row(`l${i}hi`, terms.length ? terms : [[0, 'z_']], '<=', bounds.leaderHigh);
  });
  byUnit.forEach((terms, i) => {
    lp.row(`u${i}lo`, terms.length ? terms : [[0, 'z_']], '>=', bounds.unitLow);
    lp.row(`u${i}hi`, terms.length ? terms : [[0, 'z_']], '<=', bounds.unitHigh);
  });
  return lp;
}

/** The balanced, seeded assignment of leaders to units, or the reasons the bounds cannot hold. */
export function assignLeaders(solver: Solver, rules: LeaderRules, seed: string): AssignmentResult {
  const problems = assignmentProblems(rules);
  if (problems.length) return { ok: false, problems };
  const leaders = rules.leaders.map((l) => l.id).sort();
  const units = [...new Set(rules.units)].sort();
  const barred = new Map(rules.leaders.map((l) => [l.id, new Set(l.inCharge)]));
  const allowed: [number, number][] = [];
  leaders.forEach((l, li) =>
    units.forEach((u, ui) => {
      if (!barred.get(l)?.has(u)) allowed.push([li, ui]);
    }),
  );
  const rng = new CounterRng(seed);
  const weights = allowed.map(() => rng.real());
  const L = leaders.length;
  const U = units.length;
  const total = Math.max(L * rules.leaderMin, U * rules.unitMin);
  const plain: Bounds = {
    leaderLow: rules.leaderMin,
    leaderHigh: rules.leaderMax,
    unitLow: rules.unitMin,
    unitHigh: rules.unitMax,
  };
  const balanced: Bounds = {
    leaderLow: Math.max(rules.leaderMin, Math.floor(total / L)),
    leaderHigh: Math.min(rules.leaderMax, Math.ceil(total / L)),
    unitLow: Math.max(rules.unitMin, Math.floor(total / U)),
    unitHigh: Math.min(rules.unitMax, Math.ceil(total / U)),
  };
  for (const [bounds, isBalanced] of [
    [balanced, true],
    [plain, false],
  ] as const) {
    const sol = solve(solver, assignmentModel(leaders, units, allowed, weights, bounds));
    if (sol.status !== 'optimal') continue;
    const pairs: [string, string][] = [];
    let integral = true;
    allowed.forEach(([li, ui], k) => {
      const v = sol.values.get(`x${k}`) ?? 0;
      if (v > 1e-6 && v < 1 - 1e-6) integral = false;
      if (v > 0.5) pairs.push([leaders[li] as string, units[ui] as string]);
    });
    if (!integral) continue;
    return { ok: true, pairs, total: pairs.length, balanced: isBalanced };
  }
  return {
    ok: false,
    problems: [
      {
        code: 'bounds_conflict',
        reason:
          'Each count fits on its own, but the bounds cannot all hold together once leaders are kept off the units in their charge.',
      },
    ],
  };
}

/** Why a leader's supplementary sheet is refused, or null: units must exist, not be assigned or in their charge, and stay within the cap. */
export function supplementaryProblem(
  rules: LeaderRules,
  assigned: ReadonlySet<string>,
  leaderId: string,
  unitIds: readonly string[],
): string | null {
  const leader = rules.leaders.find((l) => l.id === leaderId);
  if (!leader) return `No leader ${leaderId} in this panel.`;
  if (new Set(unitIds).size !== unitIds.length) return 'A unit is listed twice.';
  if (unitIds.length > rules.supplementaryCap) {
    return `At most ${rules.supplementaryCap} units may be added on the supplementary sheet; ${unitIds.length} were given.`;
  }
  for (const u of unitIds) {
    if (!rules.units.includes(u)) return `Unit ${u} is not evaluated in this panel.`;
    if (leader.inCharge.includes(u))
      return `Unit ${u} is in the leader's charge and may not be rated by them.`;
    if (assigned.has(u)) return `Unit ${u} is already on the leader's sheet.`;
  }
  return null;
}
