import type { ErrorCode } from '../core/error-codes.js';
import type { Transaction } from 'kysely';
import { caseById } from '../cases/store.js';
import type { Actor } from '../core/auth/model.js';
import { actorLabel } from '../core/auth/model.js';
import { ESCALATION_STEP_NAMES, workingDaysLeftUntil } from '../core/calendar/escalation.js';
import type { WorkingCalendar } from '../core/calendar/model.js';
import { loadCalendar } from '../core/calendar/store.js';
import { inTransaction, type Audit, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { DB, LedgerItemsTable } from '../core/db/schema.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow, isValidDate } from '../core/time.js';
import {
  DEFAULT_LEDGER_RULES,
  defaultDeadline,
  ITEM_STATE_NAMES,
  itemDueDate,
  itemReference,
  itemTransition,
  ORIGIN_NAMES,
  pendingReview,
  REVIEW_STAGE_NAMES,
  servedInline,
  FOLLOW_UP_KIND_NAMES,
  FOLLOW_UP_METHOD_NAMES,
  type EvidenceType,
  type ItemAction,
  type ItemOrigin,
  type ItemState,
  type ReviewStage,
} from './model.js';
import {
  assertUnitInScope,
  loadTree,
  requireOffice,
  requirePermission,
  unitsForRequest,
  type Tree,
} from './scope.js';
import * as store from './store.js';
import type { AttachmentView, FollowUpView, ItemDetail, ItemPage, ItemSummary } from './types.js';

/*
 * Rectification ledger items (整改台账) as use cases: opening an item from a problem, a bad-review case, an
 * inspection finding or by hand; the unit's plan, progress and result; the office's three reviews; each
 * step in one transaction with an item event and an audit entry. Deadlines count working days on the
 * shared calendar; the warning ladder is the shared one (sweeps.ts issues the warnings).
 */

const rules = DEFAULT_LEDGER_RULES;

// --- presenters -----------------------------------------------------------------------------------

export function attachmentView(a: store.AttachmentRow): AttachmentView {
  return {
    id: a.id,
    stage: a.stage,
    sha256: a.sha256,
    filename: a.filename,
    mime: a.mime,
    size: a.size,
    inline: servedInline(a.mime as EvidenceType),
    url: `/api/ledger/files/${a.sha256}`,
    uploadedBy: a.uploadedBy,
    createdAt: a.createdAt,
  };
}

function summary(
  i: LedgerItemsTable,
  tree: Tree,
  evidence: number,
  today: string,
  calendar: WorkingCalendar,
): ItemSummary {
  const state = i.state as ItemState;
  const overdue = i.dueOn !== null && today > i.dueOn;
  return {
    id: i.id,
    reference: itemReference(i.id),
    origin: i.origin as ItemOrigin,
    originName: ORIGIN_NAMES[i.origin as ItemOrigin],
    originRef: i.originRef,
    unitId: i.unitId,
    unitName: tree.names.get(i.unitId) ?? '',
    responsibleName: i.responsibleName,
    title: i.title,
    target: i.target,
    measures: i.measures,
    state,
    stateName: ITEM_STATE_NAMES[state],
    pendingReview: pendingReview(state),
    openedOn: i.openedOn,
    deadlineOn: i.deadlineOn,
    dueOn: i.dueOn,
    overdue,
    workingDaysLeft: workingDaysLeftUntil(i.dueOn, today, calendar),
    escalation: i.escalation,
    escalationName: i.escalation === 0 ? null : ESCALATION_STEP_NAMES[i.escalation as 1 | 2 | 3],
    reopenCount: i.reopenCount,
    evidence,
    createdAt: i.createdAt,
    closedAt: i.closedAt,
  };
}

async function followUpViews(
  db: Executor,
  tree: Tree,
  rows: Awaited<ReturnType<typeof store.followUpsOfItem>>,
) {
  const attachments = await store.attachmentsOfFollowUps(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((f): FollowUpView => ({
    id: f.id,
    kind: f.kind as FollowUpView['kind'],
    kindName: FOLLOW_UP_KIND_NAMES[f.kind as FollowUpView['kind']],
    method: f.method as FollowUpView['method'],
    methodName: FOLLOW_UP_METHOD_NAMES[f.method as FollowUpView['method']],
    itemId: f.itemId,
    unitId: f.unitId,
    unitName: tree.names.get(f.unitId) ?? '',
    date: f.date,
    inspector: f.inspector,
    findings: f.findings,
    problemBack: f.problemBack === 1,
    attachments: attachments.filter((a) => a.followUpId === f.id).map(attachmentView),
    createdAt: f.createdAt,
  }));
}

export { followUpViews };

async function detail(db: Executor, deps: Deps, tree: Tree, id: string): Promise<ItemDetail> {
  const i = await store.itemById(db, id);
  if (!i) throw new NotFound('ledger item', id);
  const calendar = await loadCalendar(db);
  const attachments = await store.attachmentsOfItem(db, id);
  return {
    ...summary(i, tree, attachments.length, chinaDate(deps.clock.now()), calendar),
    progressText: i.progressText,
    resultText: i.resultText,
    reviews: (await store.reviewsOf(db, id)).map((r) => ({
      id: r.id,
      stage: r.stage as ReviewStage,
      stageName: REVIEW_STAGE_NAMES[r.stage as ReviewStage],
      decision: r.decision as 'approved' | 'returned',
      reason: r.reason,
      reviewedBy: r.reviewedBy,
      reviewedAt: r.reviewedAt,
    })),
    attachments: attachments.map(attachmentView),
    followUps: await followUpViews(db, tree, await store.followUpsOfItem(db, id)),
    warnings: (await store.warningsOf(db, id)).map((w) => ({
      level: w.level,
      name: ESCALATION_STEP_NAMES[w.level as 1 | 2 | 3],
      dueOn: w.dueOn,
      issuedOn: w.issuedOn,
    })),
    events: (await store.eventsOf(db, id)).map((e) => ({
      id: e.id,
      at: e.at,
      actor: e.actorLabel,
      type: e.type,
      payload: JSON.parse(e.payload) as Record<string, unknown>,
    })),
  };
}

// --- reading --------------------------------------------------------------------------------------

/** Loads an item the actor may act on: it exists (404) and its unit lies in the actor's subtree (403 outside_scope). */
async function itemFor(db: Executor, actor: Actor, tree: Tree, id: string): Promise<LedgerItemsTable> {
  const item = await store.itemById(db, id);
  if (!item) throw new NotFound('ledger item', id);
  assertUnitInScope(actor, tree, item.unitId);
  return item;
}

/** GET /api/ledger/items/:id: one item with its reviews, evidence, follow-ups, warnings and events (ledger:handle). */
export async function getItem(deps: Deps, actor: Actor, id: string): Promise<ItemDetail> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  await itemFor(db, actor, tree, id);
  return detail(db, deps, tree, id);
}

/** GET /api/ledger/items: the ledger of a unit's subtree (or all the actor sees), newest first (ledger:handle). */
export async function listItems(
  deps: Deps,
  actor: Actor,
  q: { unitId?: string; state?: ItemState; overdue?: boolean; page?: number; pageSize?: number },
): Promise<ItemPage> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  const today = chinaDate(deps.clock.now());
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const { rows, total } = await store.itemPage(
    db,
    {
      unitIds: unitsForRequest(actor, tree, q.unitId),
      states: q.state ? [q.state] : q.overdue ? ['planning', 'executing', 'finishing'] : null,
      overdueOn: q.overdue ? today : null,
    },
    pageSize,
    (page - 1) * pageSize,
  );
  const calendar = await loadCalendar(db);
  const evidence = await store.evidenceCounts(
    db,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) => summary(r, tree, evidence.get(r.id) ?? 0, today, calendar)),
    total,
    page,
    pageSize,
  };
}

// --- opening --------------------------------------------------------------------------------------

export interface ItemInput {
  origin: ItemOrigin;
  originRef?: string;
  unitId?: string;
  responsibleName?: string;
  title?: string;
  target?: string;
  measures?: string;
  deadlineOn?: string;
}

async function event(
  trx: Transaction<DB>,
  deps: Deps,
  itemId: string,
  actor: string,
  type: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await store.insertEvent(trx, {
    id: newId(deps.clock.now().getTime()),
    itemId,
    at: isoNow(deps.clock),
    actorLabel: actor,
    type,
    payload: JSON.stringify(payload),
  });
}

export { event as itemEvent };

/**
 * POST /api/ledger/items: opens an item from a problem, a bad-review case, an inspection finding or by
 * hand; the unit, title and deadline default from the origin (ledger:manage). A 办不成事 matter (origin
 * `window`) comes from the window area inside its own transaction (`outer`), with its unit and title.
 */
export async function createItem(
  deps: Deps,
  actor: Actor,
  input: ItemInput,
  outer?: Transaction<DB>,
): Promise<ItemDetail> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'open ledger items');
  return inTransaction(
    deps,
    actor,
    async (trx, audit) => {
      const tree = await loadTree(trx, deps);
      let unitId = input.unitId;
      let title = input.title?.trim();
      if (input.origin !== 'manual') {
        if (!input.originRef) {
          throw new Invalid('origin_required', 'Say which problem, case or inspection the item comes from.');
        }
        if (input.origin === 'problem') {
          const p = await store.problemById(trx, input.originRef);
          if (!p) throw new NotFound('problem', input.originRef);
          unitId ??= p.unitId;
          title ||= p.title;
        } else if (input.origin === 'case') {
          const c = await caseById(trx, input.originRef);
          if (!c) throw new NotFound('case', input.originRef);
          unitId ??= c.responsibleUnitId;
        } else if (input.origin === 'inspection') {
          const f = await store.followUpById(trx, input.originRef);
          if (!f) throw new NotFound('follow-up', input.originRef);
          unitId ??= f.unitId;
          title ||= f.findings.slice(0, 60);
        }
        const existing = await store.itemsByOrigin(trx, input.origin, [input.originRef]);
        const open = existing.find((i) => i.state !== 'closed');
        if (open) {
          throw new Conflict(
            'item_exists',
            `This ${input.origin} already has an open item (${itemReference(open.id)}).`,
            {
              itemId: open.id,
            },
          );
        }
      }
      if (!unitId) throw new Invalid('unit_required', 'Choose the responsible unit.');
      if (!title) throw new Invalid('title_required', 'Write what is to be rectified.');
      assertUnitInScope(actor, tree, unitId);
      const calendar = await loadCalendar(trx);
      const today = chinaDate(deps.clock.now());
      const deadlineOn = input.deadlineOn ?? defaultDeadline(today, rules, calendar);
      if (!isValidDate(deadlineOn))
        throw new Invalid('invalid_date', `${deadlineOn} is not a date.`, { date: deadlineOn });
      if (deadlineOn <= today) {
        throw new Invalid('deadline_past', 'The deadline must lie after today.', { deadlineOn });
      }
      const now = isoNow(deps.clock);
      const id = newId(deps.clock.now().getTime());
      const row: LedgerItemsTable = {
        id,
        origin: input.origin,
        originRef: input.origin === 'manual' ? null : (input.originRef ?? null),
        unitId,
        responsibleName: input.responsibleName?.trim() ?? '',
        title,
        target: input.target?.trim() ?? '',
        measures: input.measures?.trim() ?? '',
        progressText: '',
        resultText: '',
        state: 'planning',
        openedOn: today,
        deadlineOn,
        stageFrom: today,
        dueOn: itemDueDate('planning', today, deadlineOn, rules, calendar),
        escalation: 0,
        reopenCount: 0,
        createdBy: actorLabel(actor),
        createdAt: now,
        updatedAt: now,
        closedAt: null,
      };
      await store.insertItem(trx, row);
      await event(trx, deps, id, actorLabel(actor), 'opened', {
        origin: row.origin,
        originRef: row.originRef,
        deadlineOn,
        dueOn: row.dueOn,
      });
      await audit({
        action: 'ledger.item_opened',
        entityType: 'ledger_item',
        entityId: id,
        before: null,
        after: { origin: row.origin, originRef: row.originRef, unitId, title, deadlineOn },
      });
      return detail(trx, deps, tree, id);
    },
    outer,
  );
}

// --- moving an item -------------------------------------------------------------------------------

/**
 * Applies an action to an item inside a transaction: the state machine decides, the new stage's due date
 * is computed, the update is conditional on the state read. Shared by the unit's submissions, the office's
 * reviews and a follow-up's "problem is back".
 */
export async function applyItemAction(
  trx: Transaction<DB>,
  deps: Deps,
  actor: Actor,
  audit: Audit,
  item: LedgerItemsTable,
  action: ItemAction,
  changes: Partial<LedgerItemsTable> = {},
  payload: Record<string, unknown> = {},
): Promise<ItemState> {
  const merged = { ...item, ...changes };
  const evidence = (await store.evidenceCounts(trx, [item.id])).get(item.id) ?? 0;
  const result = itemTransition(
    {
      state: item.state as ItemState,
      target: merged.target,
      measures: merged.measures,
      progressText: merged.progressText,
      resultText: merged.resultText,
      evidence,
    },
    action,
  );
  if (!result.ok)
    throw new Conflict(result.code as ErrorCode, result.message, { itemId: item.id, state: item.state });
  const now = isoNow(deps.clock);
  const today = chinaDate(deps.clock.now());
  const moved = result.state !== item.state;
  const update: Partial<LedgerItemsTable> = { ...changes, updatedAt: now };
  if (moved) {
    const calendar = await loadCalendar(trx);
    update.state = result.state;
    update.stageFrom = today;
    update.dueOn = itemDueDate(result.state, today, merged.deadlineOn, rules, calendar);
    update.escalation = 0;
    if (result.state === 'closed') update.closedAt = now;
    if (result.reopened) {
      update.reopenCount = item.reopenCount + 1;
      update.closedAt = null;
      // A reopened item gets a fresh period to rectify: the progress deadline, and the final one moved on.
      const fresh = defaultDeadline(today, rules, calendar);
      update.deadlineOn = fresh;
      update.dueOn = itemDueDate(result.state, today, fresh, rules, calendar);
    }
  }
  if (!(await store.updateItem(trx, item.id, item.state, update))) {
    throw new Conflict('ledger_changed', 'Someone else changed this item just now; reload it and try again.');
  }
  const type = action.type === 'review' ? `review_${action.approve ? 'approved' : 'returned'}` : action.type;
  await event(trx, deps, item.id, actorLabel(actor), type, {
    ...payload,
    from: item.state,
    to: result.state,
    ...(action.type === 'review' ? { stage: action.stage, reason: action.reason } : {}),
  });
  await audit({
    action: `ledger.${type}`,
    entityType: 'ledger_item',
    entityId: item.id,
    before: { state: item.state },
    after: { state: result.state, ...changes },
  });
  return result.state;
}

/** POST /api/ledger/items/:id/plan: the unit writes its target and measures and submits the plan (ledger:handle). */
export async function submitPlan(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { target: string; measures: string; responsibleName?: string },
): Promise<ItemDetail> {
  requirePermission(actor, 'ledger:handle');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const item = await itemFor(trx, actor, tree, id);
    const changes: Partial<LedgerItemsTable> = {
      target: input.target.trim(),
      measures: input.measures.trim(),
    };
    if (input.responsibleName !== undefined) changes.responsibleName = input.responsibleName.trim();
    await applyItemAction(trx, deps, actor, audit, item, { type: 'submit_plan' }, changes);
    return detail(trx, deps, tree, id);
  });
}

/** POST /api/ledger/items/:id/progress: the unit reports its progress for review (ledger:handle). */
export async function submitProgress(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { text: string },
): Promise<ItemDetail> {
  requirePermission(actor, 'ledger:handle');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const item = await itemFor(trx, actor, tree, id);
    await applyItemAction(
      trx,
      deps,
      actor,
      audit,
      item,
      { type: 'submit_progress' },
      { progressText: input.text.trim() },
    );
    return detail(trx, deps, tree, id);
  });
}

/** POST /api/ledger/items/:id/result: the unit reports the result, evidence attached, for closing (ledger:handle). */
export async function submitResult(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { text: string },
): Promise<ItemDetail> {
  requirePermission(actor, 'ledger:handle');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const item = await itemFor(trx, actor, tree, id);
    await applyItemAction(
      trx,
      deps,
      actor,
      audit,
      item,
      { type: 'submit_result' },
      { resultText: input.text.trim() },
    );
    return detail(trx, deps, tree, id);
  });
}

/**
 * POST /api/ledger/items/:id/review: the office approves or returns (with a reason) the plan, the progress
 * or the result; approving the result closes the item (销号), which needs evidence (ledger:manage).
 */
export async function reviewItem(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { stage: ReviewStage; approve: boolean; reason?: string },
): Promise<ItemDetail> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'review ledger items');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const item = await itemFor(trx, actor, tree, id);
    const reason = input.reason?.trim() ?? '';
    await applyItemAction(trx, deps, actor, audit, item, {
      type: 'review',
      stage: input.stage,
      approve: input.approve,
      reason,
    });
    await store.insertReview(trx, {
      id: newId(deps.clock.now().getTime()),
      itemId: id,
      stage: input.stage,
      decision: input.approve ? 'approved' : 'returned',
      reason,
      reviewedBy: actorLabel(actor),
      reviewedAt: isoNow(deps.clock),
    });
    return detail(trx, deps, tree, id);
  });
}
