import { beforeAll, describe, expect, it } from 'vitest';
import { assignLeaders, assignmentProblems, supplementaryProblem } from './assign.js';
import { sha256Text } from './random.js';
import { loadSolver, type Solver } from './solver.js';
import type { LeaderRules } from './types.js';

let solver: Solver;
beforeAll(async () => {
  solver = await loadSolver();
});

const pad = (n: number) => String(n).padStart(2, '0');
const UNITS = Array.from({ length: 90 }, (_, i) => `U${pad(i)}`);

/** Chuzhou-sized: 40 leaders, 90 units; leader i is in charge of units 2i, 2i+1 and 2i+2 (mod 90). */
function chuzhou(over: Partial<LeaderRules> = {}): LeaderRules {
  return {
    leaders: Array.from({ length: 40 }, (_, i) => ({
      id: `L${pad(i)}`,
      name: `Leader ${i}`,
      inCharge: [0, 1, 2].map((k) => `U${pad((2 * i + k) % 90)}`),
    })),
    units: UNITS,
    leaderMin: 20,
    leaderMax: 25,
    unitMin: 8,
    unitMax: 9,
    supplementaryCap: 5,
    ...over,
  };
}

function counts(pairs: [string, string][], side: 0 | 1): Map<string, number> {
  const out = new Map<string, number>();
  for (const p of pairs) out.set(p[side], (out.get(p[side]) ?? 0) + 1);
  return out;
}

describe('leader panels', () => {
  it('assigns 40 leaders to 90 units within 20–25 and 8–9, balanced, never to a unit in their charge', () => {
    const rules = chuzhou();
    const result = assignLeaders(solver, rules, sha256Text('chuzhou 2026'));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    // 40 × 20 = 800 ratings is the least both sides allow (90 × 8 = 720 is less): every leader rates 20, and
    // the 800 fall on 90 units as 80 units × 9 + 10 units × 8.
    expect(result.total).toBe(800);
    expect(result.balanced).toBe(true);
    const perLeader = counts(result.pairs, 0);
    const perUnit = counts(result.pairs, 1);
    expect(perLeader.size).toBe(40);
    expect([...perLeader.values()].every((n) => n === 20)).toBe(true);
    expect([...perUnit.values()].filter((n) => n === 9)).toHaveLength(80);
    expect([...perUnit.values()].filter((n) => n === 8)).toHaveLength(10);
    const inCharge = new Map(rules.leaders.map((l) => [l.id, new Set(l.inCharge)]));
    expect(result.pairs.filter(([l, u]) => inCharge.get(l)?.has(u))).toEqual([]);
    expect(new Set(result.pairs.map((p) => p.join('>'))).size).toBe(800);
  });

  it('is the same for the same seed and different for another', () => {
    const rules = chuzhou({
      leaders: chuzhou().leaders.slice(0, 10),
      units: UNITS.slice(0, 20),
      leaderMin: 8,
      leaderMax: 10,
      unitMin: 4,
      unitMax: 5,
    });
    const a = assignLeaders(solver, rules, sha256Text('one'));
    const b = assignLeaders(solver, rules, sha256Text('one'));
    const c = assignLeaders(solver, rules, sha256Text('two'));
    if (!a.ok || !b.ok || !c.ok) throw new Error('expected assignments');
    expect(b.pairs).toEqual(a.pairs);
    expect(c.pairs).not.toEqual(a.pairs);
  });

  it('refuses bounds whose totals cannot meet, with the numbers', () => {
    const result = assignLeaders(solver, chuzhou({ unitMax: 8 }), sha256Text('x'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual([
      {
        code: 'totals_disjoint',
        reason:
          '40 leaders rating at least 20 units each make 800 ratings, but 90 units rated by at most 8 leaders each take only 720.',
      },
    ]);
  });

  it('refuses a leader in charge of too many units to reach the minimum', () => {
    const rules = chuzhou();
    const first = rules.leaders[0];
    if (first) first.inCharge = UNITS.slice(0, 75);
    const result = assignLeaders(solver, rules, sha256Text('x'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.reason)).toEqual([
      'Leader 0 is in charge of 75 of the 90 units and can rate only 15, fewer than 20.',
    ]);
  });

  it('refuses a unit every leader but a few is in charge of', () => {
    const rules = chuzhou({
      leaders: chuzhou().leaders.map((l, i) => (i < 35 ? { ...l, inCharge: [...l.inCharge, 'U50'] } : l)),
    });
    expect(assignmentProblems(rules).map((p) => p.code)).toEqual(['unit_too_few_leaders']);
    expect(assignmentProblems(rules)[0]?.reason).toBe(
      'Unit U50 can be rated by only 5 leaders (the others are in charge of it), fewer than 8.',
    );
  });

  it('checks a supplementary sheet: known units, not in charge, not already assigned, within the cap', () => {
    const rules = chuzhou();
    const assigned = new Set(['U10', 'U11']);
    expect(supplementaryProblem(rules, assigned, 'L00', ['U50', 'U51'])).toBeNull();
    expect(supplementaryProblem(rules, assigned, 'L00', ['U01'])).toMatch(/in the leader's charge/);
    expect(supplementaryProblem(rules, assigned, 'L00', ['U10'])).toMatch(/already on the leader's sheet/);
    expect(supplementaryProblem(rules, assigned, 'L00', ['U50', 'U51', 'U52', 'U53', 'U54', 'U55'])).toMatch(
      /At most 5/,
    );
    expect(supplementaryProblem(rules, assigned, 'L00', ['ZZ'])).toMatch(/not evaluated/);
  });
});
