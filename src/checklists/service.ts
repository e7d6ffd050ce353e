import { hasPermission, type Actor } from '../core/auth/model.js';
import { loadCalendar } from '../core/calendar/store.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { ChecklistsTable } from '../core/db/schema.js';
import { canonicalJson } from '../core/digest.js';
import { Conflict, Invalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isoNow, isValidDate } from '../core/time.js';
import * as registryStore from '../registry/store.js';
import { treeOn, type UnitTree } from '../registry/tree.js';
import { actorName } from '../core/auth/model.js';
import * as scoringStore from '../scoring/store.js';
import {
  CHECKLIST_PRESETS,
  deadlineOf,
  definitionProblems,
  unitPoints,
  type ChecklistDefinition,
  type ChecklistDetail,
  type ChecklistOverview,
  type ChecklistPreset,
  type ChecklistResultRow,
  type ChecklistSummary,
} from './model.js';
import * as store from './store.js';
import {
  require,
  requireAny,
  READ,
  text,
  today,
  SERIES,
  pointsText,
  pointsOf,
  unitIdsOf,
  definitionOf,
  periodNames,
  summary,
  detail,
  presentEntries,
  checklistRow,
  visibleUnitsOf,
  assertMaySee,
} from './present.js';

/*
 * Quarterly indicator checklists (docs/checklists.md). The office designs a checklist per period and opens
 * it; unit staff fill their units' entries with evidence and submit them before the deadline (working days
 * on the office's calendar); the office accepts or returns each with a reason; closing the checklist sends
 * each unit's completion and bonus points to scoring as imported score values — scoring reads them like any
 * imported series and knows nothing of checklists. Each write is one transaction with its audit entry.
 */

// --- the office's design -------------------------------------------------------------------------

/** GET /api/checklists/presets: the seed models' checklists (Xi'an's “6个1 + X”). */
export function listPresets(actor: Actor): ChecklistPreset[] {
  require(actor, 'scoring:manage');
  return [...CHECKLIST_PRESETS];
}

export interface ChecklistInput {
  name: string;
  periodId: string;
  series: string;
  opensOn: string;
  workingDays: number;
  definition: unknown;
  unitIds: readonly string[];
}

async function checkedInput(
  db: Executor,
  tree: UnitTree,
  input: ChecklistInput,
): Promise<{ name: string; definition: ChecklistDefinition; unitIds: string[] }> {
  const name = text(input.name, 'name', 100);
  if (!(await registryStore.periodById(db, input.periodId))) {
    throw new Invalid('unknown_period', 'The chosen period does not exist.', { field: 'periodId' });
  }
  if (!SERIES.test(input.series)) {
    throw new Invalid(
      'invalid_key',
      'The score series is a key of 1–62 letters, digits, “.”, “_” or “-”, starting with a letter or digit.',
      { field: 'series' },
    );
  }
  if (!isValidDate(input.opensOn)) {
    throw new Invalid('invalid_date', 'The opening day is a date YYYY-MM-DD.', { field: 'opensOn' });
  }
  if (!Number.isInteger(input.workingDays) || input.workingDays < 1 || input.workingDays > 60) {
    throw new Invalid('invalid_working_days', 'Give the units 1 to 60 working days.', {
      field: 'workingDays',
    });
  }
  const first = definitionProblems(input.definition)[0];
  if (first) throw new Invalid(first.code, first.message, { item: first.item });
  const d = input.definition as ChecklistDefinition;
  const definition: ChecklistDefinition = {
    items: d.items.map((i) => ({
      key: i.key,
      title: i.title.normalize('NFC').trim(),
      evidence: i.evidence.normalize('NFC').trim(),
      evidenceKind: i.evidenceKind,
      points: i.points,
    })),
    innovation: d.innovation
      ? {
          maxItems: d.innovation.maxItems,
          maxPointsEach: d.innovation.maxPointsEach,
          maxTotal: d.innovation.maxTotal,
        }
      : null,
  };
  const unitIds = [...new Set(input.unitIds)];
  if (unitIds.length === 0) {
    throw new Invalid('checklist_no_units', 'Choose the units that fill the checklist.', {
      field: 'unitIds',
    });
  }
  for (const unitId of unitIds) {
    if (!tree.isInForce(unitId)) {
      throw new Invalid('unknown_unit', 'The chosen unit does not exist.', { field: 'unitIds', unitId });
    }
  }
  return { name, definition, unitIds };
}

/** GET /api/checklists: checklists, newest first (unit staff: open and closed ones naming their units). */
export async function listChecklists(deps: Deps, actor: Actor): Promise<ChecklistSummary[]> {
  requireAny(actor, READ);
  const db = deps.database.db;
  const tree = await treeOn(db, today(deps));
  const periods = await periodNames(db);
  const pending = await store.pendingCounts(db);
  const rows = (await store.listChecklists(db)).filter(
    (row) =>
      hasPermission(actor, 'scoring:read') ||
      (row.status !== 'draft' && visibleUnitsOf(tree, actor, row).length > 0),
  );
  return rows.map((row) => summary(row, periods, pending.get(row.id) ?? 0));
}

/** POST /api/checklists: a draft checklist for a period (scoring:manage). */
export async function createChecklist(
  deps: Deps,
  actor: Actor,
  input: ChecklistInput,
): Promise<ChecklistDetail> {
  require(actor, 'scoring:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await treeOn(trx, today(deps));
    const clean = await checkedInput(trx, tree, input);
    const row: ChecklistsTable = {
      id: newId(deps.clock.now().getTime()),
      name: clean.name,
      periodId: input.periodId,
      series: input.series,
      status: 'draft',
      opensOn: input.opensOn,
      workingDays: input.workingDays,
      deadline: deadlineOf(input.opensOn, input.workingDays, await loadCalendar(trx)),
      definition: canonicalJson(clean.definition),
      unitIds: JSON.stringify(clean.unitIds),
      createdAt: isoNow(deps.clock),
      createdBy: actorName(actor),
      closedAt: null,
      closedBy: null,
    };
    await store.insertChecklist(trx, row);
    await audit({
      action: 'checklist.created',
      entityType: 'checklist',
      entityId: row.id,
      before: null,
      after: { name: row.name, periodId: row.periodId, series: row.series, deadline: row.deadline },
    });
    return detail(trx, tree, row);
  });
}

/** PUT /api/checklists/:id: changes a draft (scoring:manage). */
export async function updateChecklist(
  deps: Deps,
  actor: Actor,
  id: string,
  input: ChecklistInput,
): Promise<ChecklistDetail> {
  require(actor, 'scoring:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await checklistRow(trx, id);
    const tree = await treeOn(trx, today(deps));
    const clean = await checkedInput(trx, tree, input);
    const changes = {
      name: clean.name,
      periodId: input.periodId,
      series: input.series,
      opensOn: input.opensOn,
      workingDays: input.workingDays,
      deadline: deadlineOf(input.opensOn, input.workingDays, await loadCalendar(trx)),
      definition: canonicalJson(clean.definition),
      unitIds: JSON.stringify(clean.unitIds),
    };
    if (!(await store.updateChecklist(trx, id, 'draft', changes))) {
      throw new Conflict('checklist_not_draft', 'Only a draft checklist can be changed.', {
        status: before.status,
      });
    }
    await audit({
      action: 'checklist.updated',
      entityType: 'checklist',
      entityId: id,
      before: { name: before.name, deadline: before.deadline, definition: definitionOf(before) },
      after: { name: changes.name, deadline: changes.deadline, definition: clean.definition },
    });
    return detail(trx, tree, await checklistRow(trx, id));
  });
}

/** POST /api/checklists/:id/open: units may fill it; the deadline is fixed on today's calendar. */
export async function openChecklist(deps: Deps, actor: Actor, id: string): Promise<ChecklistDetail> {
  require(actor, 'scoring:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await checklistRow(trx, id);
    const deadline = deadlineOf(row.opensOn, row.workingDays, await loadCalendar(trx));
    if (deadline < today(deps)) {
      throw new Invalid(
        'deadline_in_past',
        `The deadline would be ${deadline}, already past; choose a later opening day.`,
        { deadline },
      );
    }
    if (!(await store.updateChecklist(trx, id, 'draft', { status: 'open', deadline }))) {
      throw new Conflict('checklist_not_draft', 'Only a draft checklist can be opened.', {
        status: row.status,
      });
    }
    await audit({
      action: 'checklist.opened',
      entityType: 'checklist',
      entityId: id,
      before: { status: 'draft' },
      after: { status: 'open', deadline },
    });
    return detail(trx, await treeOn(trx, today(deps)), await checklistRow(trx, id));
  });
}

/** GET /api/checklists/:id: the checklist with each (visible) unit's points and the review queue. */
export async function getChecklist(deps: Deps, actor: Actor, id: string): Promise<ChecklistOverview> {
  requireAny(actor, READ);
  const db = deps.database.db;
  const tree = await treeOn(db, today(deps));
  const row = await checklistRow(db, id);
  assertMaySee(tree, actor, row);
  const units = new Set(visibleUnitsOf(tree, actor, row));
  const definition = definitionOf(row);
  const entries = (await store.entriesOf(db, id)).filter((e) => units.has(e.unitId));
  const results: ChecklistResultRow[] = [...units].map((unitId) => {
    const mine = entries.filter((e) => e.unitId === unitId);
    const points = unitPoints(
      definition,
      mine.map((e) => ({ ...e, awardedPoints: pointsOf(e.awardedPoints) })),
    );
    return {
      unitId,
      unitCode: tree.unit(unitId)?.code ?? '',
      unitName: tree.name(unitId) ?? unitId,
      accepted: points.accepted,
      submitted: mine.filter((e) => e.kind === 'basic' && e.status !== 'draft').length,
      items: definition.items.length,
      completion: points.completion,
      bonus: points.bonus,
    };
  });
  const queue = entries
    .filter((e) => e.status === 'submitted')
    .sort((a, b) => ((a.submittedAt ?? '') < (b.submittedAt ?? '') ? -1 : 1));
  return {
    ...(await detail(db, tree, row)),
    results,
    queue: await presentEntries(db, tree, queue),
  };
}

// --- closing: the results go to scoring ----------------------------------------------------------

/**
 * POST /api/checklists/:id/close: no entry may await review; each unit's completion points are stored as
 * imported score values of the series and its bonus points of `<series>.x`, for the checklist's period,
 * superseding earlier values. Scoring reads them as `imported` leaves.
 */
export async function closeChecklist(deps: Deps, actor: Actor, id: string): Promise<ChecklistOverview> {
  require(actor, 'scoring:manage');
  await inTransaction(deps, actor, async (trx, audit) => {
    const row = await checklistRow(trx, id);
    if (row.status !== 'open') {
      throw new Conflict('checklist_not_open', 'Only an open checklist is closed.', { status: row.status });
    }
    const entries = await store.entriesOf(trx, id);
    const pending = entries.filter((e) => e.status === 'submitted').length;
    if (pending > 0) {
      throw new Conflict(
        'checklist_reviews_pending',
        `${pending} submitted item(s) await review; accept or return them first.`,
        { pending },
      );
    }
    const definition = definitionOf(row);
    const now = isoNow(deps.clock);
    const by = actorName(actor);
    const document = `《${row.name}》`;
    const results: Record<string, { completion: number; bonus: number }> = {};
    for (const [series, pick] of [
      [row.series, 'completion'],
      [`${row.series}.x`, 'bonus'],
    ] as const) {
      const current = new Map(
        (await scoringStore.currentScoreValues(trx, series, row.periodId)).map((v) => [v.unitId, v]),
      );
      const writes = unitIdsOf(row).map((unitId) => {
        const points = unitPoints(
          definition,
          entries
            .filter((e) => e.unitId === unitId)
            .map((e) => ({ ...e, awardedPoints: pointsOf(e.awardedPoints) })),
        );
        results[unitId] = { completion: points.completion, bonus: points.bonus };
        return { unitId, value: pointsText(points[pick]) };
      });
      const changed = writes.filter((w) => current.get(w.unitId)?.value !== w.value);
      await scoringStore.supersedeScoreValues(
        trx,
        changed.flatMap((w) => {
          const old = current.get(w.unitId);
          return old ? [old.id] : [];
        }),
        now,
      );
      const batchId = newId(deps.clock.now().getTime());
      await scoringStore.insertScoreValues(
        trx,
        changed.map((w) => ({
          id: newId(deps.clock.now().getTime()),
          series,
          periodId: row.periodId,
          unitId: w.unitId,
          value: w.value,
          document,
          note: pick === 'completion' ? '季度指标完成分' : '创新加分（X）',
          enteredBy: actor.kind === 'system' ? null : actor.id,
          enteredByName: by,
          enteredAt: now,
          batchId,
          supersededAt: null,
        })),
      );
    }
    if (!(await store.updateChecklist(trx, id, 'open', { status: 'closed', closedAt: now, closedBy: by }))) {
      throw new Conflict('checklist_not_open', 'Only an open checklist is closed.');
    }
    await audit({
      action: 'checklist.closed',
      entityType: 'checklist',
      entityId: id,
      before: { status: 'open' },
      after: { status: 'closed', series: row.series, periodId: row.periodId, results },
    });
  });
  return getChecklist(deps, actor, id);
}
