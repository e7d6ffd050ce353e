import { randomBytes } from 'node:crypto';
import type { Transaction } from 'kysely';
import { actorLabel, hasPermission, type Actor } from '../core/auth/model.js';
import { accountById } from '../core/auth/store.js';
import { ESCALATION_STEP_NAMES, workingDaysLeftUntil } from '../core/calendar/escalation.js';
import type { WorkingCalendar } from '../core/calendar/model.js';
import { loadCalendar } from '../core/calendar/store.js';
import { inTransaction, type Audit, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { DB, WindowMattersTable } from '../core/db/schema.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { maskPersonalData } from '../core/mask.js';
import { enqueue } from '../core/outbox/service.js';
import { addDays, chinaDate, isoNow } from '../core/time.js';
import { assertUnitInScope, loadTree, unitsForRequest, type Tree } from '../ledger/scope.js';
import * as registryStore from '../registry/store.js';
import {
  DEFAULT_WINDOW_RULES,
  maskPhone,
  matterDueDate,
  matterTransition,
  MATTER_STATE_NAMES,
  onDuty,
  receiptCodeFrom,
  type MatterAction,
  type MatterChannel,
  type MatterOutcome,
  type MatterRating,
  type MatterState,
} from './model.js';
import * as store from './store.js';
import type { AssignmentView, MatterDetail, MatterPage, MatterSummary } from './types.js';

/*
 * The 办不成事 window's use cases: a matter is filed (by the public on the web/H5 form, by a clerk at the hall
 * window or the hotline), accepted or declined by the coordinator on duty, assigned to one or several
 * units, answered by each, resolved by the office and judged by the filer; the office may send it back,
 * reopen it, or turn it into a rectification ledger item. Each use case is one transaction with a matter
 * event and an audit entry; deadlines count working days on the shared calendar.
 */

const rules = DEFAULT_WINDOW_RULES;
export const PUBLIC_FILER: Actor = { kind: 'system', label: 'public' };

// --- access ---------------------------------------------------------------------------------------

export function requireHandle(actor: Actor): void {
  if (!hasPermission(actor, 'window:handle')) throw new Forbidden();
}

export function requireCoordinator(actor: Actor, what: string): void {
  requireHandle(actor);
  if (!hasPermission(actor, 'window:manage')) {
    throw new Forbidden('office_only', `Only the assessment office may ${what}.`);
  }
}

/** Refuses unit staff a matter none of whose assigned units lies in their subtree (403 outside_scope). */
function assertMatterVisible(actor: Actor, tree: Tree, assigned: readonly string[]): void {
  if (hasPermission(actor, 'window:manage')) return;
  const visible = unitsForRequest(actor, tree, undefined);
  if (visible === null) return;
  const first = assigned.find((u) => visible.includes(u));
  // Not assigned to any of the actor's units: refused as outside the actor's scope, naming the lead unit.
  assertUnitInScope(actor, tree, first ?? assigned[0] ?? '');
}

// --- presenters -----------------------------------------------------------------------------------

async function coordinatorNames(db: Executor, ids: readonly (string | null)[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const id of new Set(ids)) {
    if (id === null) continue;
    const a = await accountById(db, id);
    out.set(id, a?.displayName ?? id);
  }
  return out;
}

function summary(
  m: WindowMattersTable,
  tree: Tree,
  coordinators: Map<string, string>,
  today: string,
  calendar: WorkingCalendar,
  seesContacts: boolean,
): MatterSummary {
  const state = m.state as MatterState;
  return {
    id: m.id,
    receiptCode: m.receiptCode,
    channel: m.channel as MatterChannel,
    state,
    stateName: MATTER_STATE_NAMES[state],
    what: seesContacts ? m.what : maskPersonalData(m.what),
    place: m.place,
    unitsNamed: m.unitsNamed,
    filerName: m.filerName,
    filerPhone: seesContacts ? m.filerPhone : maskPhone(m.filerPhone),
    coordinatorId: m.coordinatorId,
    coordinatorName: m.coordinatorId === null ? null : (coordinators.get(m.coordinatorId) ?? null),
    leadUnitId: m.leadUnitId,
    leadUnitName: m.leadUnitId === null ? null : (tree.names.get(m.leadUnitId) ?? null),
    filedOn: m.filedOn,
    dueOn: m.dueOn,
    deadlineOn: m.deadlineOn,
    overdue: m.dueOn !== null && today > m.dueOn,
    workingDaysLeft: workingDaysLeftUntil(m.dueOn, today, calendar),
    escalation: m.escalation,
    escalationName: m.escalation === 0 ? null : ESCALATION_STEP_NAMES[m.escalation as 1 | 2 | 3],
    outcome: m.outcome as MatterOutcome | null,
    rating: m.rating as MatterRating | null,
    ledgerItemId: m.ledgerItemId,
    reopenCount: m.reopenCount,
    createdAt: m.createdAt,
  };
}

export async function detail(
  db: Executor,
  deps: Deps,
  actor: Actor,
  tree: Tree,
  id: string,
): Promise<MatterDetail> {
  const m = await store.matterById(db, id);
  if (!m) throw new NotFound('matter', id);
  const calendar = await loadCalendar(db);
  const today = chinaDate(deps.clock.now());
  const assignments = await store.assignmentsOf(db, [id]);
  const repeats =
    m.leadUnitId === null
      ? 0
      : await store.countLedBy(db, m.leadUnitId, addDays(m.filedOn, -90), m.filedOn, id);
  return {
    ...summary(
      m,
      tree,
      await coordinatorNames(db, [m.coordinatorId]),
      today,
      calendar,
      hasPermission(actor, 'window:manage'),
    ),
    assignments: assignments.map((a): AssignmentView => ({
      unitId: a.unitId,
      unitName: tree.names.get(a.unitId) ?? '',
      lead: a.lead === 1,
      responseText: a.responseText,
      respondedAt: a.respondedAt,
      respondedBy: a.respondedBy,
    })),
    declinedReason: m.declinedReason,
    resolutionText: m.resolutionText,
    ratingComment: m.ratingComment,
    ratedAt: m.ratedAt,
    repeats,
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

export async function matterFor(
  db: Executor,
  actor: Actor,
  tree: Tree,
  id: string,
): Promise<WindowMattersTable> {
  const m = await store.matterById(db, id);
  if (!m) throw new NotFound('matter', id);
  const assigned = (await store.assignmentsOf(db, [id])).map((a) => a.unitId);
  if (!hasPermission(actor, 'window:manage') && assigned.length === 0) {
    // Not yet assigned: only the office sees it.
    throw new NotFound('matter', id);
  }
  assertMatterVisible(actor, tree, assigned);
  return m;
}

/** GET /api/window/matters/:id: one matter with its units' replies, warnings and events (window:handle). */
export async function getMatter(deps: Deps, actor: Actor, id: string): Promise<MatterDetail> {
  requireHandle(actor);
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  await matterFor(db, actor, tree, id);
  return detail(db, deps, actor, tree, id);
}

export interface MatterQuery {
  state?: MatterState;
  unitId?: string;
  mine?: boolean;
  overdue?: boolean;
  from?: string;
  to?: string;
  page?: number;
  pageSize?: number;
}

/**
 * GET /api/window/matters: the queue, newest first. The office sees every matter (or those it coordinates,
 * `mine`); unit staff see the matters assigned to units of their subtree (window:handle).
 */
export async function listMatters(deps: Deps, actor: Actor, q: MatterQuery): Promise<MatterPage> {
  requireHandle(actor);
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  const today = chinaDate(deps.clock.now());
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const office = hasPermission(actor, 'window:manage');
  const units = unitsForRequest(actor, tree, q.unitId);
  const filter: store.MatterFilter = {
    unitIds: units,
    states: q.state ? [q.state] : q.overdue ? ['filed', 'accepted', 'handling', 'replied'] : null,
    coordinatorId: q.mine && actor.kind === 'account' ? actor.id : null,
    overdueOn: q.overdue ? today : null,
    from: q.from ?? null,
    to: q.to ?? null,
  };
  if (!office && filter.unitIds === null) filter.unitIds = [];
  const { rows, total } = await store.matterPage(db, filter, pageSize, (page - 1) * pageSize);
  const calendar = await loadCalendar(db);
  const names = await coordinatorNames(
    db,
    rows.map((r) => r.coordinatorId),
  );
  return {
    matters: rows.map((r) => summary(r, tree, names, today, calendar, office)),
    total,
    page,
    pageSize,
  };
}

// --- moving a matter ------------------------------------------------------------------------------

async function event(
  trx: Transaction<DB>,
  deps: Deps,
  matterId: string,
  actor: string,
  type: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await store.insertEvent(trx, {
    id: newId(deps.clock.now().getTime()),
    matterId,
    at: isoNow(deps.clock),
    actorLabel: actor,
    type,
    payload: JSON.stringify(payload),
  });
}

export { event as matterEvent };

/**
 * Applies an action: the state machine decides, the new stage's due date is computed, the update is
 * conditional on the state read (a concurrent change is refused), and an event and an audit entry record it.
 */
export async function apply(
  trx: Transaction<DB>,
  deps: Deps,
  actor: Actor,
  audit: Audit,
  m: WindowMattersTable,
  action: MatterAction,
  changes: Partial<WindowMattersTable> = {},
  payload: Record<string, unknown> = {},
): Promise<MatterState> {
  const result = matterTransition(m.state as MatterState, action);
  if (!result.ok) {
    throw new Conflict(result.code, result.message, { matterId: m.id, state: m.state });
  }
  const update: Partial<WindowMattersTable> = { ...changes, updatedAt: isoNow(deps.clock) };
  if (result.state !== m.state || action.type === 'reopen' || action.type === 'return') {
    const today = chinaDate(deps.clock.now());
    const calendar = await loadCalendar(trx);
    const deadlineOn = changes.deadlineOn !== undefined ? changes.deadlineOn : m.deadlineOn;
    update.state = result.state;
    update.stageFrom = today;
    update.dueOn = matterDueDate(result.state, today, deadlineOn, rules, calendar);
    update.escalation = 0;
  }
  if (!(await store.updateMatter(trx, m.id, m.state, update))) {
    throw new Conflict(
      'window_changed',
      'Someone else changed this matter just now; reload it and try again.',
    );
  }
  await event(trx, deps, m.id, actorLabel(actor), action.type, {
    ...payload,
    from: m.state,
    to: result.state,
  });
  await audit({
    action: `window.${action.type}`,
    entityType: 'window_matter',
    entityId: m.id,
    before: { state: m.state },
    after: { state: result.state, ...changes },
  });
  return result.state;
}

export async function unitRecipient(db: Executor, unitId: string): Promise<string> {
  const unit = await registryStore.latestVersionOf(db, unitId);
  const phone = unit?.responsiblePhone.trim() ?? '';
  return phone !== '' ? phone : `unit:${unit?.code ?? unitId}`;
}

// --- filing ---------------------------------------------------------------------------------------

export interface FileInput {
  what: string;
  place?: string;
  unitsNamed?: string;
  filerName: string;
  filerPhone: string;
}

const PHONE = /^\+?[0-9][0-9\s-]{5,18}[0-9]$/;

function checkFiling(input: FileInput): FileInput {
  const what = input.what.trim();
  const filerName = input.filerName.trim();
  const filerPhone = input.filerPhone.trim();
  if (what.length < 5) {
    throw new Invalid('window_what_required', 'Say what could not get done (at least a few words).', {
      field: 'what',
    });
  }
  if (filerName === '')
    throw new Invalid('window_name_required', 'Give a name to be addressed by.', { field: 'filerName' });
  if (!PHONE.test(filerPhone)) {
    throw new Invalid('window_phone_invalid', 'Give a phone number on which you can be told the result.', {
      field: 'filerPhone',
    });
  }
  return {
    what,
    place: input.place?.trim() ?? '',
    unitsNamed: input.unitsNamed?.trim() ?? '',
    filerName,
    filerPhone,
  };
}

async function freshReceiptCode(db: Executor): Promise<string> {
  for (;;) {
    const code = receiptCodeFrom(randomBytes(16));
    if (!(await store.matterByReceipt(db, code))) return code;
  }
}

/**
 * Files a matter: from the public form (actor PUBLIC_FILER, channel web) or by a clerk at the hall window or
 * the hotline (window:handle). It gets a receipt code, goes to the coordinator on duty, and the filer is
 * sent the code by SMS.
 */
export async function fileMatter(
  deps: Deps,
  actor: Actor,
  channel: MatterChannel,
  raw: FileInput,
): Promise<MatterDetail> {
  if (channel === 'web') {
    if (actor !== PUBLIC_FILER) throw new Forbidden();
  } else {
    requireHandle(actor);
  }
  const input = checkFiling(raw);
  return inTransaction(deps, actor, async (trx, audit) => {
    const today = chinaDate(deps.clock.now());
    const calendar = await loadCalendar(trx);
    const rota = await store.rotaBetween(trx, today, addDays(today, 21));
    const coordinatorId = onDuty(today, new Map(rota.map((r) => [r.date, r.accountId])), calendar);
    const now = isoNow(deps.clock);
    const id = newId(deps.clock.now().getTime());
    const receiptCode = await freshReceiptCode(trx);
    const row: WindowMattersTable = {
      id,
      receiptCode,
      channel,
      what: input.what,
      place: input.place ?? '',
      unitsNamed: input.unitsNamed ?? '',
      filerName: input.filerName,
      filerPhone: input.filerPhone,
      state: 'filed',
      coordinatorId,
      leadUnitId: null,
      filedOn: today,
      stageFrom: today,
      dueOn: matterDueDate('filed', today, null, rules, calendar),
      deadlineOn: null,
      escalation: 0,
      declinedReason: '',
      outcome: null,
      resolutionText: '',
      resolvedOn: null,
      rating: null,
      ratingComment: '',
      ratedAt: null,
      ledgerItemId: null,
      reopenCount: 0,
      recordedBy: actorLabel(actor),
      createdAt: now,
      updatedAt: now,
    };
    await store.insertMatter(trx, row);
    await event(trx, deps, id, actorLabel(actor), 'filed', { channel, coordinatorId, dueOn: row.dueOn });
    await audit({
      action: 'window.filed',
      entityType: 'window_matter',
      entityId: id,
      before: null,
      after: { channel, receiptCode, coordinatorId },
    });
    await enqueue(trx, deps.clock, {
      channel: 'sms',
      recipient: input.filerPhone,
      subject: `办不成事反映 ${receiptCode}`,
      body: `【民评】您反映的“办不成事”问题已登记，查询码${receiptCode}，我们将在1个工作日内受理并告知办理进展。`,
      relatedType: 'window_matter',
      relatedId: id,
    });
    if (coordinatorId !== null) {
      await enqueue(trx, deps.clock, {
        channel: 'console',
        recipient: `account:${coordinatorId}`,
        subject: `办不成事待受理 ${receiptCode}`,
        body: maskPersonalData(input.what).slice(0, 200),
        relatedType: 'window_matter',
        relatedId: id,
      });
    }
    return detail(trx, deps, actor, await loadTree(trx, deps), id);
  });
}
