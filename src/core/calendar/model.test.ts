import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  calendarFrom,
  isWorkingDay,
  normalizeDate,
  parseCalendarList,
  PLAIN_CALENDAR,
  workingDaysBetween,
} from './model.js';

// The State Council's 2026 National Day / Mid-Autumn arrangement as an office would type it,
// plus New Year 2027 and the January make-up day, for deadlines across the year end.
const LIST = `
# 2026 国庆节、中秋节
2026-10-01 休 国庆节
2026-10-02 休
2026-10-05 休
2026-10-06 休
2026-10-07 休
2026-09-27 班 国庆调休
2026-10-10 班 国庆调休
2027/1/1 holiday 元旦
2027年1月4日 班 元旦调休
`;
const calendar = calendarFrom(parseCalendarList(LIST).entries);

describe('working days', () => {
  it('counts weekdays as working days and weekends as days off on a plain calendar', () => {
    expect(isWorkingDay('2026-11-20', PLAIN_CALENDAR)).toBe(true); // Friday
    expect(isWorkingDay('2026-11-21', PLAIN_CALENDAR)).toBe(false); // Saturday
    expect(isWorkingDay('2026-11-22', PLAIN_CALENDAR)).toBe(false); // Sunday
  });

  it('honours holidays on weekdays and make-up working days on weekends', () => {
    expect(isWorkingDay('2026-10-01', calendar)).toBe(false); // Thursday, National Day
    expect(isWorkingDay('2026-09-27', calendar)).toBe(true); // Sunday, 调休
    expect(isWorkingDay('2026-10-10', calendar)).toBe(true); // Saturday, 调休
  });

  it('does not count the day of receipt', () => {
    // Received Friday 2026-11-20: one working day → Monday 23rd.
    expect(addWorkingDays('2026-11-20', 1, PLAIN_CALENDAR)).toBe('2026-11-23');
    // Received Saturday: one working day → Monday too.
    expect(addWorkingDays('2026-11-21', 1, PLAIN_CALENDAR)).toBe('2026-11-23');
  });

  it('gives 15 working days across the National Day holiday, counting the make-up Saturday', () => {
    // From Friday 2026-09-25: 27 (Sunday, 调休) 28 29 30 | 8 9 10 (Saturday, 调休) | 12 13 14 15 16 | 19 20 21
    // → the 15th working day is 10-21.
    expect(addWorkingDays('2026-09-25', 15, calendar)).toBe('2026-10-21');
    // Without the calendar the same count ends on 10-16.
    expect(addWorkingDays('2026-09-25', 15, PLAIN_CALENDAR)).toBe('2026-10-16');
  });

  it('spans a year end with a holiday and a make-up day', () => {
    // From Wednesday 2026-12-30: 31(Th), [1 Jan holiday], 4 Jan (Monday, listed as 调休 anyway), 5, 6.
    expect(addWorkingDays('2026-12-30', 3, calendar)).toBe('2027-01-05');
    expect(addWorkingDays('2026-12-30', 1, calendar)).toBe('2026-12-31');
  });

  it('with zero days gives the first working day on or after the date', () => {
    expect(addWorkingDays('2026-10-01', 0, calendar)).toBe('2026-10-08');
    expect(addWorkingDays('2026-11-20', 0, calendar)).toBe('2026-11-20');
    expect(() => addWorkingDays('2026-11-20', -1, calendar)).toThrow(RangeError);
  });

  it('counts working days elapsed in (from, to]', () => {
    expect(workingDaysBetween('2026-09-30', '2026-10-08', calendar)).toBe(1);
    expect(workingDaysBetween('2026-11-20', '2026-11-20', calendar)).toBe(0);
    expect(workingDaysBetween('2026-11-20', '2026-11-27', PLAIN_CALENDAR)).toBe(5);
  });
});

describe('reading a holiday list', () => {
  it('reads Chinese and English words and date styles, and reports bad lines by number', () => {
    const result = parseCalendarList(
      '2026-05-01 休 劳动节\n2026-5-9 班\nnot a date 休\n2026-05-02 maybe\n2026-05-01 休\n',
    );
    expect(result.entries.map((e) => [e.date, e.kind])).toEqual([
      ['2026-05-01', 'holiday'],
      ['2026-05-09', 'workday'],
    ]);
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5]);
  });

  it('normalises dates and refuses impossible ones', () => {
    expect(normalizeDate('2027年1月4日')).toBe('2027-01-04');
    expect(normalizeDate('2026.2.3')).toBe('2026-02-03');
    expect(normalizeDate('2026-02-30')).toBeNull();
  });
});
