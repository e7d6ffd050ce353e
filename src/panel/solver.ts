import type { LegacyHighs } from 'highs';

/*
 * The HiGHS solver (WebAssembly, the `highs` package) and a small writer of CPLEX LP text for it. The
 * draw and assignment models take a loaded solver as an argument and stay pure; `loadSolver` loads it
 * once per process.
 */

export type Solver = LegacyHighs;

let loading: Promise<Solver> | null = null;

/** The HiGHS solver, loaded on first use and shared afterwards. */
export async function loadSolver(): Promise<Solver> {
  // The package is CommonJS: under NodeNext its default export is typed as the module itself.
  loading ??= import('highs').then((m) => (m.default as unknown as () => Promise<LegacyHighs>)());
  return loading;
}

export type Term = readonly [coefficient: number, variable: string];

/** A linear model written out as CPLEX LP text. Variable names must be LP-safe (letters, digits, _). */
export class LpModel {
  private readonly objective: Term[] = [];
  private readonly rows: string[] = [];
  private readonly bounds: string[] = [];
  private readonly integers: string[] = [];
  private readonly binaries: string[] = [];

  constructor(private readonly sense: 'Minimize' | 'Maximize') {}

  /** Adds a term to the objective. */
  cost(coefficient: number, variable: string): void {
    if (coefficient !== 0) this.objective.push([coefficient, variable]);
  }

  /** Adds a constraint `terms op rhs`. */
  row(name: string, terms: readonly Term[], op: '<=' | '>=' | '=', rhs: number): void {
    this.rows.push(` ${name}: ${expression(terms)} ${op} ${num(rhs)}`);
  }

  /** Bounds a variable (both ends inclusive). */
  bound(variable: string, low: number, high: number): void {
    this.bounds.push(` ${num(low)} <= ${variable} <= ${num(high)}`);
  }

  /** Marks a variable integral. */
  integer(variable: string): void {
    this.integers.push(variable);
  }

  /** True when some variable must be integral. */
  hasIntegers(): boolean {
    return this.integers.length > 0;
  }

  /** The variables that must be integral. */
  integerNames(): readonly string[] {
    return this.integers;
  }

  /** Marks a variable 0/1. */
  binary(variable: string): void {
    this.binaries.push(variable);
  }

  /** The LP text; `relaxed` leaves out integrality (the linear relaxation). */
  text(relaxed = false): string {
    const lines = [this.sense, ` obj: ${this.objective.length ? expression(this.objective) : '0 z_'}`];
    // z_ is the placeholder of an empty expression, fixed at 0.
    lines.push('Subject To', ...this.rows, 'Bounds', ...this.bounds, ' z_ = 0');
    if (this.integers.length && !relaxed) lines.push('General', ...chunks(this.integers));
    if (this.binaries.length) lines.push('Binary', ...chunks(this.binaries));
    lines.push('End', '');
    return lines.join('\n');
  }
}

function num(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? '+inf' : '-inf';
  return String(value);
}

function expression(terms: readonly Term[]): string {
  if (!terms.length) return '0 z_';
  const parts: string[] = [];
  terms.forEach(([c, v], i) => {
    const sign = c < 0 ? '-' : '+';
    const abs = Math.abs(c);
    const coef = abs === 1 ? '' : `${num(abs)} `;
    parts.push(i === 0 && sign === '+' ? `${coef}${v}` : `${sign} ${coef}${v}`);
  });
  // LP lines are limited in length; break long expressions over lines.
  const out: string[] = [];
  for (let i = 0; i < parts.length; i += 20) out.push(parts.slice(i, i + 20).join(' '));
  return out.join('\n   ');
}

function chunks(names: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < names.length; i += 20) out.push(` ${names.slice(i, i + 20).join(' ')}`);
  return out;
}

export interface Solution {
  status: 'optimal' | 'infeasible' | 'other';
  detail: string;
  objective: number;
  values: Map<string, number>;
}

/**
 * Solves a model and reads every column's value when optimal. The linear relaxation is solved first:
 * when its optimum is already integral (as for quotas on one or two single-valued features, whose
 * constraint matrix is totally unimodular) that is the answer; otherwise the model is solved as a MIP.
 */
export function solve(solver: Solver, model: LpModel, timeLimitSeconds = 20): Solution {
  const relaxed = solveText(solver, model.text(true), timeLimitSeconds);
  if (relaxed.status !== 'optimal' || !model.hasIntegers()) return relaxed;
  const integral = model.integerNames().every((name) => {
    const v = relaxed.values.get(name) ?? 0;
    return Math.abs(v - Math.round(v)) < 1e-7;
  });
  return integral ? relaxed : solveText(solver, model.text(), timeLimitSeconds);
}

function solveText(solver: Solver, text: string, timeLimitSeconds: number): Solution {
  const result = solver.solve(text, { time_limit: timeLimitSeconds, output_flag: false });
  const values = new Map<string, number>();
  if (result.Status === 'Optimal') {
    for (const [name, column] of Object.entries(result.Columns)) {
      values.set(name, (column as { Primal: number }).Primal);
    }
    return { status: 'optimal', detail: result.Status, objective: result.ObjectiveValue, values };
  }
  const infeasible = result.Status === 'Infeasible' || result.Status === 'Primal infeasible or unbounded';
  return { status: infeasible ? 'infeasible' : 'other', detail: result.Status, objective: NaN, values };
}
