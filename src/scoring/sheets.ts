import { hasPermission, type Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { DB } from '../core/db/schema.js';
import { Conflict, Invalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow } from '../core/time.js';
import { assertInVisible } from '../registry/scope.js';
import * as store from './store.js';
import type { SheetScoreView, TaskView } from './types.js';
import {
  actorIdOf,
  actorName,
  checkKey,
  periodOf,
  require,
  requireAny,
  scopeOf,
  scoreText,
  text,
} from './common.js';

/* Score sheets (联考): tasks handed to raters and the scores they enter. */

async function presentTasks(db: Executor, rows: readonly DB['scoringTasks'][]): Promise<TaskView[]> {
  const units = await store.unitNames(
    db,
    rows.map((r) => r.leadUnitId),
  );
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    leadUnitId: r.leadUnitId,
    leadUnitName: units.get(r.leadUnitId)?.name ?? '',
  }));
}

export async function listTasks(deps: Deps, actor: Actor): Promise<TaskView[]> {
  requireAny(actor, ['scoring:read', 'scoring:sheet']);
  const db = deps.database.db;
  let rows = await store.listTasks(db);
  if (!hasPermission(actor, 'scoring:read')) {
    // Unit staff see the tasks their part of the registry leads: the ones they may score for.
    const scope = await scopeOf(db, actor, chinaDate(deps.clock.now()));
    if (scope) rows = rows.filter((r) => scope.has(r.leadUnitId));
  }
  return presentTasks(db, rows);
}

export async function createTask(
  deps: Deps,
  actor: Actor,
  input: { key: string; name: string; leadUnitId: string },
): Promise<TaskView> {
  require(actor, 'scoring:manage');
  checkKey(input.key, 'key');
  const name = text(input.name, 'name', 100);
  return inTransaction(deps, actor, async (trx, audit) => {
    if ((await store.unitNames(trx, [input.leadUnitId])).size === 0) {
      throw new Invalid('unknown_unit', 'The lead unit does not exist.', { field: 'leadUnitId' });
    }
    if (await store.taskByKey(trx, input.key)) {
      throw new Conflict('duplicate', `A task with the key ${input.key} already exists.`, { field: 'key' });
    }
    const row = {
      id: newId(),
      key: input.key,
      name,
      leadUnitId: input.leadUnitId,
      createdAt: isoNow(deps.clock),
    };
    await store.insertTask(trx, row);
    await audit({
      action: 'scoring_task.created',
      entityType: 'scoring_task',
      entityId: row.id,
      before: null,
      after: row,
    });
    const [view] = await presentTasks(trx, [row]);
    return view as TaskView;
  });
}

async function taskForSheet(
  db: Executor,
  deps: Deps,
  actor: Actor,
  key: string,
): Promise<DB['scoringTasks']> {
  const task = await store.taskByKey(db, key);
  if (!task) throw new Invalid('unknown_task', `There is no scoring task ${key}.`, { field: 'task' });
  const scope = await scopeOf(db, actor, chinaDate(deps.clock.now()));
  assertInVisible(
    scope,
    task.leadUnitId,
    'Your unit does not lead this task: only the lead unit enters its score sheet.',
  );
  return task;
}

export async function listSheetScores(
  deps: Deps,
  actor: Actor,
  query: { task: string; periodId?: string | undefined },
): Promise<SheetScoreView[]> {
  requireAny(actor, ['scoring:read', 'scoring:sheet']);
  const db = deps.database.db;
  const task = await taskForSheet(db, deps, actor, query.task);
  const rows = await store.sheetHistory(db, task.id, query.periodId ?? null);
  const units = await store.unitNames(db, [...rows.map((r) => r.unitId), ...rows.map((r) => r.scorerUnitId)]);
  return rows.map((r) => ({
    id: r.id,
    task: task.key,
    periodId: r.periodId,
    scorerUnitId: r.scorerUnitId,
    scorerUnitName: units.get(r.scorerUnitId)?.name ?? '',
    unitId: r.unitId,
    unitName: units.get(r.unitId)?.name ?? '',
    value: Number(r.value),
    document: r.document,
    enteredBy: r.enteredByName,
    enteredAt: r.enteredAt,
    supersededAt: r.supersededAt,
  }));
}

/** POST /api/score-sheets: the lead unit scores the units carrying its task; never itself. */
export async function enterSheetScores(
  deps: Deps,
  actor: Actor,
  input: {
    task: string;
    periodId: string;
    document: string;
    entries: readonly { unitId: string; value: number }[];
  },
): Promise<{ stored: number }> {
  require(actor, 'scoring:sheet');
  const document = text(input.document, 'document', 200);
  if (input.entries.length === 0 || input.entries.length > 2000) {
    throw new Invalid('invalid_input', 'Send between 1 and 2,000 entries.', { field: 'entries' });
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const task = await taskForSheet(trx, deps, actor, input.task);
    await periodOf(trx, input.periodId);
    const lead = input.entries.findIndex((e) => e.unitId === task.leadUnitId);
    if (lead >= 0) {
      const leadName = (await store.unitNames(trx, [task.leadUnitId])).get(task.leadUnitId)?.name ?? '';
      throw new Invalid(
        'self_scoring',
        `A lead unit cannot score itself: ${leadName} leads the task “${task.name}”, so its own score must come from elsewhere. Remove entry ${lead + 1}.`,
        { field: `entries.${lead}.unitId`, unitId: task.leadUnitId },
      );
    }
    const seen = new Set<string>();
    const units = await store.unitNames(
      trx,
      input.entries.map((e) => e.unitId),
    );
    const values: string[] = [];
    for (const [i, entry] of input.entries.entries()) {
      if (!units.has(entry.unitId)) {
        throw new Invalid('unknown_unit', `Entry ${i + 1} names a unit that does not exist.`, {
          field: `entries.${i}.unitId`,
        });
      }
      if (seen.has(entry.unitId)) {
        throw new Invalid('duplicate_unit', `Entry ${i + 1} scores a unit a second time.`, {
          field: `entries.${i}.unitId`,
        });
      }
      seen.add(entry.unitId);
      const parsed = scoreText(entry.value);
      if ('problem' in parsed) {
        throw new Invalid('invalid_value', `Entry ${i + 1}: ${parsed.problem}`, {
          field: `entries.${i}.value`,
        });
      }
      values.push(parsed.text);
    }
    const now = isoNow(deps.clock);
    const current = await store.currentSheetScores(trx, task.id, input.periodId, [...seen]);
    const byUnit = new Map(current.map((r) => [r.unitId, r]));
    const rows = input.entries.flatMap((e, i) => {
      const value = values[i] as string;
      if (byUnit.get(e.unitId)?.value === value) return [];
      return [
        {
          id: newId(),
          taskId: task.id,
          periodId: input.periodId,
          scorerUnitId: task.leadUnitId,
          unitId: e.unitId,
          value,
          document,
          enteredBy: actorIdOf(actor),
          enteredByName: actorName(actor),
          enteredAt: now,
          supersededAt: null,
        },
      ];
    });
    await store.supersedeSheetScores(
      trx,
      rows.flatMap((r) => {
        const old = byUnit.get(r.unitId);
        return old ? [old.id] : [];
      }),
      now,
    );
    await store.insertSheetScores(trx, rows);
    await audit({
      action: 'score_sheet.entered',
      entityType: 'scoring_task',
      entityId: task.id,
      before: null,
      after: { stored: rows.length },
      detail: {
        task: task.key,
        periodId: input.periodId,
        document,
        entries: rows.map((r) => ({ unitId: r.unitId, value: r.value })),
      },
    });
    return { stored: rows.length };
  });
}
