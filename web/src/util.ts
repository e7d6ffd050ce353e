import type { FormInstance } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { ApiError, errorText } from './api';
import type { Unit } from './types';

/** Today in China (UTC+8), as the server counts dates: YYYY-MM-DD. */
export function chinaToday(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
}

export const toDay = (value: string | null | undefined): Dayjs | null => (value ? dayjs(value) : null);
export const fromDay = (value: Dayjs | null | undefined): string | undefined =>
  value ? value.format('YYYY-MM-DD') : undefined;

/** An ISO timestamp as local "YYYY-MM-DD HH:mm". */
export function formatTime(iso: string | null | undefined): string {
  return iso ? dayjs(iso).format('YYYY-MM-DD HH:mm') : '';
}

/**
 * Puts an API error next to the form field it names; returns false when the error names no field
 * of this form, so that the caller shows it elsewhere. `aliases` maps server field names to form
 * field names where they differ.
 */
export function showFieldError(
  form: FormInstance,
  error: unknown,
  fields: readonly string[],
  aliases: Record<string, string> = {},
): boolean {
  if (!(error instanceof ApiError) || !error.field) return false;
  const name = aliases[error.field] ?? error.field;
  if (!fields.includes(name)) return false;
  form.setFields([{ name, errors: [errorText(error)] }]);
  return true;
}

export interface UnitNode {
  key: string;
  unit: Unit;
  children: UnitNode[];
}

const byOrder = (a: Unit, b: Unit) =>
  a.sortOrder - b.sortOrder || a.code.localeCompare(b.code, 'zh-CN', { numeric: true });

/** The flat list of units as a forest; a unit whose parent is not in the list becomes a root. */
export function buildUnitTree(units: readonly Unit[]): UnitNode[] {
  const ids = new Set(units.map((u) => u.id));
  const children = new Map<string | null, Unit[]>();
  for (const unit of units) {
    const parent = unit.parentId && ids.has(unit.parentId) ? unit.parentId : null;
    const list = children.get(parent);
    if (list) list.push(unit);
    else children.set(parent, [unit]);
  }
  const seen = new Set<string>();
  const build = (parent: string | null): UnitNode[] =>
    (children.get(parent) ?? [])
      .sort(byOrder)
      .filter((u) => {
        if (seen.has(u.id)) return false;
        seen.add(u.id);
        return true;
      })
      .map((unit) => ({ key: unit.id, unit, children: build(unit.id) }));
  return build(null);
}

/** Whether a unit matches a search by code, name, short name or tag. */
export function unitMatches(unit: Unit, needle: string): boolean {
  const hay = [unit.code, unit.name, unit.shortName, ...unit.tags].join(' ').toLowerCase();
  return hay.includes(needle);
}

/**
 * The units that match a search and all their ancestors (so that the tree stays whole), and the
 * matches themselves.
 */
export function searchUnits(
  units: readonly Unit[],
  query: string,
): { keep: Set<string>; matches: Set<string> } | null {
  const needle = query.normalize('NFKC').trim().toLowerCase();
  if (!needle) return null;
  const byId = new Map(units.map((u) => [u.id, u]));
  const keep = new Set<string>();
  const matches = new Set<string>();
  for (const unit of units) {
    if (!unitMatches(unit, needle)) continue;
    matches.add(unit.id);
    let current: Unit | undefined = unit;
    while (current && !keep.has(current.id)) {
      keep.add(current.id);
      current = current.parentId ? byId.get(current.parentId) : undefined;
    }
  }
  return { keep, matches };
}

/** The ids of a unit's ancestors, nearest first. */
export function ancestorsOf(units: readonly Unit[], id: string): string[] {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out: string[] = [];
  let current = byId.get(id)?.parentId ?? null;
  while (current && !out.includes(current)) {
    out.push(current);
    current = byId.get(current)?.parentId ?? null;
  }
  return out;
}
