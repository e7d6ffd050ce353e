/*
 * The evaluator pool's pure rules: mobile numbers (normalised, masked), the values an evaluator has, the
 * pool's composition against the grassroots target, and the plan of a pool import (new / changed /
 * unchanged / error per line). The draw and the leader assignment are in draw.ts and assign.ts.
 */
import type { PoolComposition, PoolImportLine } from './types.js';

const MOBILE_RE = /^1[3-9]\d{9}$/;

/** A mobile number as typed becomes 11 digits: full-width digits, spaces, dashes and a +86 prefix go. */
export function normalizeMobile(text: string): string {
  const digits = text.normalize('NFKC').replace(/[\s\-‐‑‒–—―().]/g, '');
  return digits.replace(/^(\+?86)(?=1\d{10}$)/, '');
}

/** True when the text is a mainland mobile number: 11 digits starting 13–19. */
export function isMobile(text: string): boolean {
  return MOBILE_RE.test(text);
}

/** A mobile number as everyone but the pool keepers sees it: 138****1234. */
export function maskMobile(mobile: string): string {
  return mobile.length >= 7 ? `${mobile.slice(0, 3)}****${mobile.slice(-4)}` : '****';
}

/** Free labels: trimmed, NFKC, without empties or repeats, in the order given. */
export function normalizeLabels(values: readonly string[]): string[] {
  const out: string[] = [];
  for (const v of values) {
    const t = v.normalize('NFKC').trim();
    if (t && !out.includes(t)) out.push(t);
  }
  return out;
}

/** Splits a cell listing several values ("教师、企业家; 专家") into its values. */
export function splitList(text: string): string[] {
  return normalizeLabels(text.split(/[、,，;；/|\n]+/u));
}

/** Reads a yes/no cell: 是/否, yes/no, y/n, true/false, 1/0, √; null when unrecognised. */
export function parseYesNo(text: string): boolean | null {
  const t = text.normalize('NFKC').trim().toLowerCase();
  if (['是', 'yes', 'y', 'true', '1', '√', '基层'].includes(t)) return true;
  if (['否', 'no', 'n', 'false', '0', '×', '', '非基层'].includes(t)) return t === '' ? null : false;
  return null;
}

export interface PoolMember {
  groups: readonly string[];
  regionId: string | null;
  grassroots: boolean;
  tags: readonly string[];
  active: boolean;
}

/**
 * The active pool's counts by group, region and tag, and its grassroots share against the office's target
 * (a percentage); `belowTarget` when the share is under it.
 */
export function composition(
  members: readonly PoolMember[],
  grassrootsTarget: number,
  regionNames: ReadonlyMap<string, string>,
  groupNames: ReadonlyMap<string, string>,
): PoolComposition {
  const active = members.filter((m) => m.active);
  const count = (values: (m: PoolMember) => readonly string[]) => {
    const map = new Map<string, number>();
    for (const m of active) for (const v of new Set(values(m))) map.set(v, (map.get(v) ?? 0) + 1);
    return map;
  };
  const byGroup = count((m) => m.groups);
  const byRegion = count((m) => (m.regionId ? [m.regionId] : []));
  const byTag = count((m) => m.tags);
  const grassroots = active.filter((m) => m.grassroots).length;
  const share = active.length ? Math.round((grassroots / active.length) * 1000) / 10 : 0;
  const sorted = (map: Map<string, number>, name: (k: string) => string) =>
    [...map.entries()]
      .map(([key, n]) => ({ key, name: name(key), count: n }))
      .sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  return {
    total: active.length,
    inactive: members.length - active.length,
    grassroots,
    grassrootsShare: share,
    grassrootsTarget,
    belowTarget: active.length > 0 && share < grassrootsTarget,
    byGroup: [...groupNames.keys()]
      .map((key) => ({ key, name: groupNames.get(key) ?? key, count: byGroup.get(key) ?? 0 }))
      .concat(sorted(byGroup, (k) => k).filter((g) => !groupNames.has(g.key))),
    byRegion: sorted(byRegion, (k) => regionNames.get(k) ?? k),
    byTag: sorted(byTag, (k) => k),
  };
}

// --- import ------------------------------------------------------------------------------------

/** The columns of a pool workbook: the Chinese header an export writes and the headers accepted. */
export const POOL_COLUMNS = [
  { field: 'name', label: '姓名', accept: ['姓名', 'name', '评价人'] },
  { field: 'mobile', label: '手机号', accept: ['手机号', '手机', '手机号码', '联系电话', 'mobile', 'phone'] },
  { field: 'groups', label: '群体', accept: ['群体', '群体类别', '类别', 'groups', 'group'] },
  { field: 'region', label: '区域', accept: ['区域', '所在区域', '地区', '乡镇', 'region'] },
  { field: 'grassroots', label: '基层', accept: ['基层', '是否基层', '基层代表', 'grassroots'] },
  { field: 'tags', label: '标签', accept: ['标签', '利益相关方标签', 'tags'] },
  { field: 'conflicts', label: '回避单位', accept: ['回避单位', '利益冲突单位', 'conflicts'] },
] as const;
export type PoolField = (typeof POOL_COLUMNS)[number]['field'];

/** One line of an uploaded pool file, as text by column. */
export interface PoolLine {
  row: number;
  values: Partial<Record<PoolField, string>>;
}

/** An evaluator as stored, reduced to what an import compares. */
export interface ExistingEvaluator {
  id: string;
  name: string;
  mobile: string;
  groups: string[];
  regionId: string | null;
  grassroots: boolean;
  tags: string[];
  conflicts: string[];
  active: boolean;
}

export interface PoolLookups {
  /** Group code or name → code. */
  groups: ReadonlyMap<string, string>;
  /** Unit code or name → unit id (names only when unambiguous). */
  units: ReadonlyMap<string, string>;
}

/** The values an import line sets (the evaluator's fields, resolved to codes and ids). */
export interface PoolValues {
  name: string;
  mobile: string;
  groups: string[];
  regionId: string | null;
  grassroots: boolean;
  tags: string[];
  conflicts: string[];
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');

/** What an import line would do: new / changed (with the fields) / unchanged, or its errors. */
export function planPoolLines(
  lines: readonly PoolLine[],
  existing: readonly ExistingEvaluator[],
  lookups: PoolLookups,
): (PoolImportLine & { values: PoolValues | null; evaluatorId: string | null })[] {
  const byMobile = new Map(existing.map((e) => [e.mobile, e]));
  const seen = new Map<string, number>();
  return lines.map((line) => {
    const errors: string[] = [];
    const v = line.values;
    const name = (v.name ?? '').trim().replace(/\s+/g, ' ');
    const mobile = normalizeMobile(v.mobile ?? '');
    if (!name) errors.push('姓名 is empty.');
    if (!isMobile(mobile)) errors.push(`手机号 "${v.mobile ?? ''}" is not an 11-digit mobile number.`);
    else if (seen.has(mobile))
      errors.push(`手机号 ${maskMobile(mobile)} already appears on row ${seen.get(mobile)}.`);
    else seen.set(mobile, line.row);
    const groups: string[] = [];
    for (const g of splitList(v.groups ?? '')) {
      const code = lookups.groups.get(g);
      if (code === undefined) errors.push(`群体 "${g}" is not one of the office's groups.`);
      else if (!groups.includes(code)) groups.push(code);
    }
    if (!groups.length && !errors.some((e) => e.startsWith('群体')))
      errors.push('群体 is empty: name at least one group.');
    let regionId: string | null = null;
    const regionText = (v.region ?? '').trim();
    if (regionText) {
      regionId = lookups.units.get(regionText) ?? null;
      if (regionId === null)
        errors.push(`区域 "${regionText}" is not a unit code or unique unit name in the registry.`);
    }
    const grassroots = parseYesNo(v.grassroots ?? '');
    if (grassroots === null) errors.push(`基层 "${v.grassroots ?? ''}" must be 是 or 否.`);
    const conflicts: string[] = [];
    for (const u of splitList(v.conflicts ?? '')) {
      const id = lookups.units.get(u);
      if (id === undefined)
        errors.push(`回避单位 "${u}" is not a unit code or unique unit name in the registry.`);
      else if (!conflicts.includes(id)) conflicts.push(id);
    }
    const tags = splitList(v.tags ?? '');
    const base = { row: line.row, name, mobile: isMobile(mobile) ? maskMobile(mobile) : (v.mobile ?? '') };
    if (errors.length)
      return { ...base, op: 'error' as const, changes: [], errors, values: null, evaluatorId: null };
    const values: PoolValues = {
      name,
      mobile,
      groups,
      regionId,
      grassroots: grassroots ?? false,
      tags,
      conflicts,
    };
    const old = byMobile.get(mobile);
    if (!old) return { ...base, op: 'new' as const, changes: [], errors: [], values, evaluatorId: null };
    const changes: string[] = [];
    if (old.name !== name) changes.push('name');
    if (!sameSet(old.groups, groups)) changes.push('groups');
    if (old.regionId !== regionId) changes.push('region');
    if (old.grassroots !== values.grassroots) changes.push('grassroots');
    if (!sameSet(old.tags, tags)) changes.push('tags');
    if (!sameSet(old.conflicts, conflicts)) changes.push('conflicts');
    if (!old.active) changes.push('active');
    return {
      ...base,
      op: changes.length ? ('changed' as const) : ('unchanged' as const),
      changes,
      errors: [],
      values,
      evaluatorId: old.id,
    };
  });
}
