import { type Actor, requirePermission } from '../auth/model.js';
import { inTransaction, type Deps } from '../context.js';
import type { CalendarDaysTable } from '../db/schema.js';
import { AppError, Invalid, NotFound } from '../errors.js';
import { isoNow, isValidDate } from '../time.js';
import {
  isWorkingDay,
  parseCalendarList,
  weekday,
  type CalendarEntry,
  type CalendarParseResult,
} from './model.js';
import * as store from './store.js';

/*
 * The office maintains the working-day calendar: public holidays (法定节假日) and make-up working days
 * (调休), one day at a time or a year's list at once. Deadlines in working days are counted on it.
 */

export type DayKind = CalendarEntry['kind'];

export interface CalendarDayView {
  date: string;
  kind: DayKind;
  name: string;
  /** 0 Sunday … 6 Saturday, for the console's grid. */
  weekday: number;
}

export interface CalendarYearView {
  year: number;
  days: CalendarDayView[];
  /** Working days in the year on this calendar. */
  workingDays: number;
}

function present(row: Pick<CalendarDaysTable, 'date' | 'kind' | 'name'>): CalendarDayView {
  return { date: row.date, kind: row.kind as DayKind, name: row.name, weekday: weekday(row.date) };
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) {
    throw new Invalid('invalid_year', 'year must be a whole number from 2000 to 2100.', { field: 'year' });
  }
}

function checkDate(date: string): void {
  if (!isValidDate(date)) {
    throw new Invalid('invalid_date', 'The date must be a real date written as YYYY-MM-DD.', {
      field: 'date',
    });
  }
}

/** The holidays and make-up working days listed for a year, with its count of working days. */
export async function getYear(deps: Deps, actor: Actor, year: number): Promise<CalendarYearView> {
  requirePermission(actor, 'registry:read');
  checkYear(year);
  const rows = await store.daysBetween(deps.database.db, `${year}-01-01`, `${year}-12-31`);
  const calendar = await store.loadCalendar(deps.database.db);
  let workingDays = 0;
  for (
    let d = new Date(`${year}-01-01T00:00:00Z`);
    d.getUTCFullYear() === year;
    d.setUTCDate(d.getUTCDate() + 1)
  ) {
    if (isWorkingDay(d.toISOString().slice(0, 10), calendar)) workingDays += 1;
  }
  return { year, days: rows.map(present), workingDays };
}

/** Marks one day as a holiday or a working day (or renames it). */
export async function setDay(
  deps: Deps,
  actor: Actor,
  date: string,
  input: { kind: DayKind; name?: string | undefined },
): Promise<CalendarDayView> {
  requirePermission(actor, 'calendar:write');
  checkDate(date);
  const name = (input.name ?? '').normalize('NFC').trim();
  if (name.length > 40) {
    throw new Invalid('invalid_input', 'The field "name" has at most 40 characters.', { field: 'name' });
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.dayOf(trx, date);
    const row = { date, kind: input.kind, name, createdAt: before?.createdAt ?? isoNow(deps.clock) };
    await store.upsertDay(trx, row);
    await audit({
      action: 'calendar.set',
      entityType: 'calendar_day',
      entityId: date,
      before: before ? { kind: before.kind, name: before.name } : null,
      after: { kind: row.kind, name: row.name },
    });
    return present(row);
  });
}

/** Removes a day from the list: it is an ordinary weekday or weekend day again. */
export async function deleteDay(deps: Deps, actor: Actor, date: string): Promise<void> {
  requirePermission(actor, 'calendar:write');
  checkDate(date);
  await inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.dayOf(trx, date);
    if (!before) throw new NotFound('calendar day', date);
    await store.deleteDay(trx, date);
    await audit({
      action: 'calendar.delete',
      entityType: 'calendar_day',
      entityId: date,
      before: { kind: before.kind, name: before.name },
      after: null,
    });
  });
}

export interface ImportPreview {
  /** The year the list is about (the one most of its dates fall in); its days not in the list are removed. */
  year: number | null;
  entries: CalendarDayView[];
  errors: CalendarParseResult['errors'];
  added: CalendarDayView[];
  changed: { date: string; from: CalendarDayView; to: CalendarDayView }[];
  removed: CalendarDayView[];
  unchanged: number;
  applied: boolean;
}

function yearOfList(entries: readonly CalendarEntry[]): number | null {
  const counts = new Map<number, number>();
  for (const e of entries) {
    const y = Number(e.date.slice(0, 4));
    counts.set(y, (counts.get(y) ?? 0) + 1);
  }
  let best: number | null = null;
  for (const [y, n] of counts) if (best === null || n > (counts.get(best) ?? 0)) best = y;
  return best;
}

const MAX_IMPORT_CHARS = 20_000;

/**
 * Reads a year's list (see parseCalendarList for the format) and compares it with what is stored: the
 * list replaces the stored days of its year; a day of a neighbouring year (a New Year break that starts
 * on 31 December) is added or changed, never removed. With `apply`, the whole list is stored in one
 * transaction, or — when any line is unreadable — nothing is.
 */
export async function importList(
  deps: Deps,
  actor: Actor,
  text: string,
  apply: boolean,
  action = 'calendar.import',
): Promise<ImportPreview> {
  requirePermission(actor, 'calendar:write');
  if (text.length > MAX_IMPORT_CHARS) {
    throw new Invalid('invalid_input', `A list has at most ${MAX_IMPORT_CHARS} characters.`, {
      field: 'text',
    });
  }
  const parsed = parseCalendarList(text);
  const year = yearOfList(parsed.entries);
  const plan = async (db: Parameters<typeof store.daysBetween>[0]) => {
    const dates = parsed.entries.map((e) => e.date);
    const from = [`${year ?? 2000}-01-01`, ...dates].sort()[0] ?? '';
    const to = [`${year ?? 2000}-12-31`, ...dates].sort().reverse()[0] ?? '';
    const stored = new Map((await store.daysBetween(db, from, to)).map((r) => [r.date, r]));
    const listed = new Set(dates);
    const added: CalendarDayView[] = [];
    const changed: ImportPreview['changed'] = [];
    let unchanged = 0;
    for (const e of parsed.entries) {
      const old = stored.get(e.date);
      if (!old) added.push(present(e));
      else if (old.kind !== e.kind || old.name !== e.name) {
        changed.push({ date: e.date, from: present(old), to: present(e) });
      } else unchanged += 1;
    }
    const removed = [...stored.values()]
      .filter((r) => year !== null && r.date.startsWith(`${year}-`) && !listed.has(r.date))
      .map(present);
    return { added, changed, removed, unchanged };
  };
  const preview = (p: Awaited<ReturnType<typeof plan>>, applied: boolean): ImportPreview => ({
    year,
    entries: parsed.entries.map(present),
    errors: parsed.errors,
    ...p,
    applied,
  });
  if (!apply) return preview(await plan(deps.database.db), false);
  if (parsed.errors.length > 0) {
    const first = parsed.errors[0];
    throw new Invalid(
      'calendar_list_invalid',
      `The list has ${parsed.errors.length} unreadable line(s); nothing was stored. Line ${first?.line ?? 0}: ${first?.message ?? ''}`,
      { errors: parsed.errors.length, line: first?.line ?? 0 },
    );
  }
  if (parsed.entries.length === 0) {
    throw new Invalid('calendar_list_empty', 'The list names no dates; nothing was stored.', {
      field: 'text',
    });
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const p = await plan(trx);
    const now = isoNow(deps.clock);
    for (const e of [...p.added, ...p.changed.map((c) => c.to)]) {
      await store.upsertDay(trx, { date: e.date, kind: e.kind, name: e.name, createdAt: now });
    }
    for (const r of p.removed) await store.deleteDay(trx, r.date);
    await audit({
      action,
      entityType: 'calendar_year',
      entityId: String(year),
      before: null,
      after: parsed.entries,
      detail: {
        year,
        added: p.added.length,
        changed: p.changed.length,
        removed: p.removed.length,
        unchanged: p.unchanged,
      },
    });
    return preview(p, true);
  });
}

// --- the official arrangements -----------------------------------------------------------------

/**
 * The State Council's arrangement of public holidays and make-up working days (国务院办公厅关于部分节假日
 * 安排的通知), as a list in the import format. Every day off of each break is listed (weekend days
 * included, so that the calendar shows the break whole). The office must check it against the notice.
 */
export const OFFICIAL_LISTS: Readonly<Record<number, string>> = {
  2026: `# 2026年部分节假日安排（国务院办公厅通知；导入前请与正式通知核对）
2026-01-01 休 元旦
2026-01-02 休 元旦
2026-01-03 休 元旦
2026-01-04 班 元旦调休
2026-02-14 班 春节调休
2026-02-15 休 春节
2026-02-16 休 春节
2026-02-17 休 春节
2026-02-18 休 春节
2026-02-19 休 春节
2026-02-20 休 春节
2026-02-21 休 春节
2026-02-22 休 春节
2026-02-23 休 春节
2026-02-28 班 春节调休
2026-04-04 休 清明节
2026-04-05 休 清明节
2026-04-06 休 清明节
2026-05-01 休 劳动节
2026-05-02 休 劳动节
2026-05-03 休 劳动节
2026-05-04 休 劳动节
2026-05-05 休 劳动节
2026-05-09 班 劳动节调休
2026-06-19 休 端午节
2026-06-20 休 端午节
2026-06-21 休 端午节
2026-09-20 班 国庆节调休
2026-09-25 休 中秋节
2026-09-26 休 中秋节
2026-09-27 休 中秋节
2026-10-01 休 国庆节
2026-10-02 休 国庆节
2026-10-03 休 国庆节
2026-10-04 休 国庆节
2026-10-05 休 国庆节
2026-10-06 休 国庆节
2026-10-07 休 国庆节
2026-10-10 班 国庆节调休
`,
};

/** Years whose official arrangement Minping ships. */
export const OFFICIAL_YEARS = Object.keys(OFFICIAL_LISTS).map(Number);

/** Stores the shipped official arrangement of a year in one call (same rules as an applied import). */
export async function importOfficial(deps: Deps, actor: Actor, year: number): Promise<ImportPreview> {
  requirePermission(actor, 'calendar:write');
  checkYear(year);
  const text = OFFICIAL_LISTS[year];
  if (text === undefined) {
    throw new AppError(
      404,
      'official_calendar_unknown',
      `Minping does not ship the official holiday arrangement for ${year} (for 2027 it was not yet published when this version was made). Import the list from the State Council's notice with POST /api/calendar/import.`,
      { year, known: OFFICIAL_YEARS.join(',') },
    );
  }
  return importList(deps, actor, text, true, 'calendar.import_official');
}
