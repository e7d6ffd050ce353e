/*
 * The unit registry's pure rules: kinds, the tree (cycles, subtrees, ancestry), versions over time
 * (an institutional reform must not rewrite a past period) and assessment periods.
 */
import type { PeriodKind, UnitKind } from './types.js';

// Unit kinds, service modes and period kinds are declared in types.ts, which the console imports too.
export { PERIOD_KINDS, SERVICE_MODES, UNIT_KINDS } from './types.js';
export type { PeriodKind, ServiceMode, UnitKind } from './types.js';

export const UNIT_KIND_NAMES: Record<UnitKind, string> = {
  jurisdiction: '辖区',
  department: '部门',
  section: '科室',
  station: '站所',
  window: '窗口',
  company: '公用企业',
};

export const CODE_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$';
const CODE_RE = new RegExp(CODE_PATTERN);

/** True when a code is 1–40 letters, digits, '.', '_' or '-', starting with a letter or digit. */
export function isValidCode(code: string): boolean {
  return CODE_RE.test(code);
}

// --- the tree --------------------------------------------------------------------------------

/** Parent of each unit (null for a root), as of one date. */
export type ParentMap = ReadonlyMap<string, string | null>;

/** The unit and its ancestors, nearest first. Stops at a repeat so that bad data cannot loop forever. */
export function ancestry(parents: ParentMap, unitId: string): string[] {
  const chain: string[] = [];
  const seen = new Set<string>();
  let current: string | null | undefined = unitId;
  while (current && !seen.has(current)) {
    chain.push(current);
    seen.add(current);
    current = parents.get(current);
  }
  return chain;
}

/**
 * The value the nearest unit sets, walking an ancestry from the unit up (a per-unit override: a window's
 * own, else its hall's, else its jurisdiction's); undefined when none sets one.
 */
export function nearestSetting<T>(
  ancestry: readonly string[],
  settingOf: (unitId: string) => T | undefined,
): T | undefined {
  for (const unitId of ancestry) {
    const value = settingOf(unitId);
    if (value !== undefined) return value;
  }
  return undefined;
}

/** Whether giving `unitId` the parent `newParentId` would make the unit its own ancestor. */
export function wouldCreateCycle(parents: ParentMap, unitId: string, newParentId: string | null): boolean {
  if (newParentId === null) return false;
  return ancestry(parents, newParentId).includes(unitId);
}

/** Every unit in the subtree rooted at `rootId`, the root included. */
export function subtreeOf(parents: ParentMap, rootId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const [id, parent] of parents) {
    if (parent === null) continue;
    const list = children.get(parent);
    if (list) list.push(id);
    else children.set(parent, [id]);
  }
  const out = new Set<string>();
  const stack = [rootId];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (out.has(id)) continue;
    out.add(id);
    stack.push(...(children.get(id) ?? []));
  }
  return out;
}

/**
 * Orders units so that every parent comes before its children (for imports whose rows arrive in
 * any order). Units whose parent is outside the list come first. Returns null on a cycle, with the
 * codes caught in it.
 */
export function parentsFirst<T extends { code: string; parentCode: string | null }>(
  rows: readonly T[],
): { ordered: T[]; cycle: null } | { ordered: null; cycle: string[] } {
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (row: T, path: string[]): string[] | null => {
    const s = state.get(row.code);
    if (s === 'done') return null;
    if (s === 'visiting') return [...path.slice(path.indexOf(row.code)), row.code];
    state.set(row.code, 'visiting');
    const parent = row.parentCode ? byCode.get(row.parentCode) : undefined;
    if (parent) {
      const cycle = visit(parent, [...path, row.code]);
      if (cycle) return cycle;
    }
    state.set(row.code, 'done');
    ordered.push(row);
    return null;
  };
  for (const row of rows) {
    const cycle = visit(row, []);
    if (cycle) return { ordered: null, cycle };
  }
  return { ordered, cycle: null };
}

// --- versions over time ----------------------------------------------------------------------

export interface VersionSpan {
  validFrom: string;
  validTo: string | null;
}

/** Whether a version is in force on a date (from inclusive, to exclusive). */
export function inForce(version: VersionSpan, date: string): boolean {
  return version.validFrom <= date && (version.validTo === null || version.validTo > date);
}

export type VersionPlan =
  | { kind: 'correct' }
  | { kind: 'split' }
  | { kind: 'refuse'; code: 'unit_inactive' | 'effective_before_latest' };

/**
 * How to apply a change that takes effect on `effectiveFrom` to a unit whose latest version is `latest`:
 * on the latest version's own start date the version is corrected in place; later, the latest version
 * is closed and a new one begins, so that past periods keep the unit as it was. Earlier is refused.
 */
export function planChange(latest: VersionSpan, effectiveFrom: string): VersionPlan {
  if (latest.validTo !== null) return { kind: 'refuse', code: 'unit_inactive' };
  if (effectiveFrom < latest.validFrom) return { kind: 'refuse', code: 'effective_before_latest' };
  return effectiveFrom === latest.validFrom ? { kind: 'correct' } : { kind: 'split' };
}

// --- periods ---------------------------------------------------------------------------------

const PERIODS_PER_YEAR: Record<PeriodKind, number> = { year: 1, half: 2, quarter: 4, month: 12 };

export interface PeriodShape {
  code: string;
  kind: PeriodKind;
  year: number;
  seq: number;
  name: string;
  startDate: string;
  endDate: string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const QUARTER_NAMES = ['一', '二', '三', '四'];

/** How many periods of a kind a year has (1, 2, 4 or 12). */
export function periodsPerYear(kind: PeriodKind): number {
  return PERIODS_PER_YEAR[kind];
}

/** The code, Chinese name and inclusive date range of the seq-th period of its kind in a year. */
export function periodShape(kind: PeriodKind, year: number, seq: number): PeriodShape {
  const months = 12 / PERIODS_PER_YEAR[kind];
  const firstMonth = (seq - 1) * months + 1;
  const lastMonth = firstMonth + months - 1;
  const lastDay = new Date(Date.UTC(year, lastMonth, 0)).getUTCDate();
  const startDate = `${year}-${pad(firstMonth)}-01`;
  const endDate = `${year}-${pad(lastMonth)}-${pad(lastDay)}`;
  switch (kind) {
    case 'year':
      return { code: `${year}`, kind, year, seq, name: `${year}年度`, startDate, endDate };
    case 'half':
      return {
        code: `${year}-H${seq}`,
        kind,
        year,
        seq,
        name: `${year}年${seq === 1 ? '上' : '下'}半年`,
        startDate,
        endDate,
      };
    case 'quarter':
      return {
        code: `${year}-Q${seq}`,
        kind,
        year,
        seq,
        name: `${year}年第${QUARTER_NAMES[seq - 1] ?? seq}季度`,
        startDate,
        endDate,
      };
    case 'month':
      return { code: `${year}-${pad(seq)}`, kind, year, seq, name: `${year}年${seq}月`, startDate, endDate };
  }
}

// --- tags ------------------------------------------------------------------------------------

/** Tags as a clerk types them ("窗口, 审批；重点") become a sorted list without blanks or repeats. */
export function normalizeTags(input: readonly string[] | string): string[] {
  const parts = typeof input === 'string' ? input.split(/[,，;；、\s]+/) : input;
  return [...new Set(parts.map((t) => t.normalize('NFKC').trim()).filter((t) => t.length > 0))].sort();
}
