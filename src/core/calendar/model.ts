import { addDays, isValidDate } from '../time.js';

/*
 * The working-day calendar: Monday to Friday are working days, Saturday and Sunday are not, except
 * where the office's list says otherwise — public holidays (法定节假日) that fall on weekdays, and
 * make-up working days (调休) that fall on weekends. Deadlines in working days are counted on it.
 */

export interface WorkingCalendar {
  /** Dates (YYYY-MM-DD) that are days off although they fall on a weekday. */
  readonly holidays: ReadonlySet<string>;
  /** Dates that are working days although they fall on a weekend (调休). */
  readonly workdays: ReadonlySet<string>;
}

export const PLAIN_CALENDAR: WorkingCalendar = { holidays: new Set(), workdays: new Set() };

/** Day of the week of a YYYY-MM-DD date: 0 Sunday … 6 Saturday. */
export function weekday(date: string): number {
  return new Date(`${date}T00:00:00Z`).getUTCDay();
}

/** Whether staff are expected at work on a date. */
export function isWorkingDay(date: string, calendar: WorkingCalendar): boolean {
  if (calendar.workdays.has(date)) return true;
  if (calendar.holidays.has(date)) return false;
  const day = weekday(date);
  return day !== 0 && day !== 6;
}

/**
 * The date by which something received on `start` must be done when it is allowed `days` working days:
 * the `days`-th working day after `start` (the day of receipt does not count). With 0 days, the first
 * working day on or after `start`.
 */
export function addWorkingDays(start: string, days: number, calendar: WorkingCalendar): string {
  if (!Number.isInteger(days) || days < 0) throw new RangeError('days must be a whole number ≥ 0');
  let date = start;
  if (days === 0) {
    while (!isWorkingDay(date, calendar)) date = addDays(date, 1);
    return date;
  }
  let left = days;
  while (left > 0) {
    date = addDays(date, 1);
    if (isWorkingDay(date, calendar)) left -= 1;
  }
  return date;
}

/** Working days in the interval (from, to]: how many working days have passed since `from` by the end of `to`. */
export function workingDaysBetween(from: string, to: string, calendar: WorkingCalendar): number {
  if (to <= from) return 0;
  let count = 0;
  for (let date = addDays(from, 1); date <= to; date = addDays(date, 1)) {
    if (isWorkingDay(date, calendar)) count += 1;
  }
  return count;
}

export interface CalendarEntry {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
}

export interface CalendarParseResult {
  entries: CalendarEntry[];
  errors: { line: number; text: string; message: string }[];
}

const HOLIDAY_WORDS = new Set(['holiday', 'off', '休', '假', '休息', '放假', '节假日']);
const WORKDAY_WORDS = new Set(['workday', 'work', '班', '上班', '调休', '补班']);

/**
 * Reads a year's list as an office types it, one date a line: `2026-10-01 休 国庆节`,
 * `2026-09-27 班 国庆调休`, `2026/1/1 holiday New Year`. Blank lines and lines starting with # are
 * ignored; every other unreadable line is reported with its number.
 */
export function parseCalendarList(text: string): CalendarParseResult {
  const entries: CalendarEntry[] = [];
  const errors: CalendarParseResult['errors'] = [];
  const seen = new Map<string, number>();
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.normalize('NFKC').trim();
    if (line === '' || line.startsWith('#')) return;
    const [first = '', second = '', ...rest] = line.split(/[\s,，\t]+/);
    const date = normalizeDate(first);
    if (!date) {
      errors.push({ line: index + 1, text: raw, message: `“${first}” is not a date (write 2026-10-01).` });
      return;
    }
    const word = second.toLowerCase();
    const kind = HOLIDAY_WORDS.has(word) ? 'holiday' : WORKDAY_WORDS.has(word) ? 'workday' : null;
    if (!kind) {
      errors.push({
        line: index + 1,
        text: raw,
        message: `Say whether ${date} is a day off (休) or a working day (班).`,
      });
      return;
    }
    const earlier = seen.get(date);
    if (earlier !== undefined) {
      errors.push({ line: index + 1, text: raw, message: `${date} is already listed on line ${earlier}.` });
      return;
    }
    seen.set(date, index + 1);
    entries.push({ date, kind, name: rest.join(' ') });
  });
  entries.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return { entries, errors };
}

/** Accepts 2026-10-01, 2026/10/1, 2026.10.1 and 2026年10月1日; returns YYYY-MM-DD or null. */
export function normalizeDate(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text.trim());
  if (!m) return null;
  const date = `${m[1]}-${m[2]?.padStart(2, '0')}-${m[3]?.padStart(2, '0')}`;
  return isValidDate(date) ? date : null;
}

/** Builds the calendar from a list of entries. */
export function calendarFrom(entries: readonly CalendarEntry[]): WorkingCalendar {
  return {
    holidays: new Set(entries.filter((e) => e.kind === 'holiday').map((e) => e.date)),
    workdays: new Set(entries.filter((e) => e.kind === 'workday').map((e) => e.date)),
  };
}
