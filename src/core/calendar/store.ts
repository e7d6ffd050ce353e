import type { Executor } from '../db/database.js';
import type { CalendarDaysTable } from '../db/schema.js';
import { calendarFrom, type CalendarEntry, type WorkingCalendar } from './model.js';

/*
 * The office's list of holidays and make-up working days (calendar_days). A year holds a few dozen
 * rows, so deadlines read the whole list rather than a range.
 */

/** The working-day calendar as the office keeps it. */
export async function loadCalendar(db: Executor): Promise<WorkingCalendar> {
  const rows = await db.selectFrom('calendarDays').select(['date', 'kind', 'name']).execute();
  return calendarFrom(rows as CalendarEntry[]);
}

/** The listed days from `from` to `to` (inclusive), in date order. */
export async function daysBetween(db: Executor, from: string, to: string): Promise<CalendarDaysTable[]> {
  return db
    .selectFrom('calendarDays')
    .selectAll()
    .where('date', '>=', from)
    .where('date', '<=', to)
    .orderBy('date')
    .execute();
}

export async function dayOf(db: Executor, date: string): Promise<CalendarDaysTable | undefined> {
  return db.selectFrom('calendarDays').selectAll().where('date', '=', date).executeTakeFirst();
}

/** Sets a day's kind and name, adding the day when it is not listed yet. */
export async function upsertDay(db: Executor, row: CalendarDaysTable): Promise<void> {
  await db
    .insertInto('calendarDays')
    .values(row)
    .onConflict((oc) => oc.column('date').doUpdateSet({ kind: row.kind, name: row.name }))
    .execute();
}

export async function deleteDay(db: Executor, date: string): Promise<number> {
  const result = await db.deleteFrom('calendarDays').where('date', '=', date).executeTakeFirst();
  return Number(result.numDeletedRows);
}
