import { hasPermission, actorLabel, type Actor } from '../core/auth/model.js';
import { accountById } from '../core/auth/store.js';
import { loadCalendar } from '../core/calendar/store.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import { Forbidden, Invalid } from '../core/errors.js';
import { addDays, isoNow, isValidDate } from '../core/time.js';
import { rotation } from './model.js';
import * as store from './store.js';
import type { RotaEntryView } from './types.js';

/*
 * The office's duty rota (值班表) for the 办不成事 window: who coordinates the matters filed on each working day.
 * A matter goes to the coordinator on duty the day it is filed (model.ts, onDuty).
 */

function checkRange(from: string, to: string): void {
  if (!isValidDate(from) || !isValidDate(to) || from > to || addDays(from, 366) < to) {
    throw new Invalid('window_rota_invalid', 'The rota’s dates must run forwards and span at most a year.', {
      from,
      to,
    });
  }
}

async function views(db: Executor, rows: { date: string; accountId: string }[]): Promise<RotaEntryView[]> {
  const names = new Map<string, string>();
  for (const id of new Set(rows.map((r) => r.accountId))) {
    names.set(id, (await accountById(db, id))?.displayName ?? id);
  }
  return rows.map((r) => ({
    date: r.date,
    accountId: r.accountId,
    name: names.get(r.accountId) ?? r.accountId,
  }));
}

/** GET /api/window/rota: who is on duty on the days from–to (window:handle). */
export async function getRota(
  deps: Deps,
  actor: Actor,
  q: { from: string; to: string },
): Promise<RotaEntryView[]> {
  if (!hasPermission(actor, 'window:handle')) throw new Forbidden();
  checkRange(q.from, q.to);
  const db = deps.database.db;
  return views(db, await store.rotaBetween(db, q.from, q.to));
}

/**
 * PUT /api/window/rota: the working days from–to are given in turn to the listed coordinators (office
 * accounts), replacing the rota of those days; an empty list clears them (window:manage).
 */
export async function setRota(
  deps: Deps,
  actor: Actor,
  input: { from: string; to: string; accountIds: string[] },
): Promise<RotaEntryView[]> {
  if (!hasPermission(actor, 'window:manage')) {
    throw new Forbidden('office_only', 'Only the assessment office may keep the duty rota.');
  }
  checkRange(input.from, input.to);
  return inTransaction(deps, actor, async (trx, audit) => {
    for (const id of input.accountIds) {
      const a = await accountById(trx, id);
      if (!a || a.active !== 1 || (a.role !== 'office' && a.role !== 'admin')) {
        throw new Invalid('window_coordinator_invalid', 'A coordinator must be an active office account.', {
          accountId: id,
        });
      }
    }
    const calendar = await loadCalendar(trx);
    const entries = rotation(input.from, input.to, input.accountIds, calendar);
    const before = await store.rotaBetween(trx, input.from, input.to);
    const now = isoNow(deps.clock);
    await store.replaceRota(
      trx,
      input.from,
      input.to,
      entries.map((e) => ({ ...e, updatedBy: actorLabel(actor), updatedAt: now })),
    );
    await audit({
      action: 'window.rota',
      entityType: 'window_rota',
      entityId: `${input.from}..${input.to}`,
      before: { days: before.length },
      after: { days: entries.length, accountIds: input.accountIds },
    });
    return views(trx, entries);
  });
}
