import type { Transaction } from 'kysely';
import { actorLabel, type Actor } from '../core/auth/model.js';
import { loadCalendar } from '../core/calendar/store.js';
import { inTransaction, type Audit, type Deps } from '../core/context.js';
import type { DB, WindowMattersTable } from '../core/db/schema.js';
import type { ErrorCode } from '../core/error-codes.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { maskPersonalData } from '../core/mask.js';
import { enqueue } from '../core/outbox/service.js';
import { chinaDate, isoNow, isValidDate } from '../core/time.js';
import { createItem } from '../ledger/items.js';
import { assertUnitInScope, loadTree, type Tree } from '../ledger/scope.js';
import {
  checkHandleDeadline,
  DEFAULT_WINDOW_RULES,
  defaultHandleDeadline,
  mayBecomeLedgerItem,
  type MatterOutcome,
  type MatterState,
} from './model.js';
import {
  apply,
  detail,
  matterEvent as event,
  matterFor,
  requireCoordinator,
  requireHandle,
  unitRecipient,
} from './service.js';
import * as store from './store.js';
import type { MatterDetail } from './types.js';

/*
 * Handling a 办不成事 matter after it was filed: the coordinator on duty accepts or declines it and assigns it
 * to units; each unit answers; the office resolves it, sends it back or reopens it, or turns it into a
 * rectification ledger item. One transaction per step, with a matter event and an audit entry (service.ts).
 */

const rules = DEFAULT_WINDOW_RULES;

// --- the coordinator's steps ----------------------------------------------------------------------

async function coordinatorStep<T>(
  deps: Deps,
  actor: Actor,
  id: string,
  what: string,
  work: (trx: Transaction<DB>, audit: Audit, m: WindowMattersTable, tree: Tree) => Promise<T>,
): Promise<MatterDetail> {
  requireCoordinator(actor, what);
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const m = await store.matterById(trx, id);
    if (!m) throw new NotFound('matter', id);
    await work(trx, audit, m, tree);
    return detail(trx, deps, actor, tree, id);
  });
}

/** POST /api/window/matters/:id/accept: the coordinator acknowledges a filed matter (受理) (window:manage). */
export async function acceptMatter(deps: Deps, actor: Actor, id: string): Promise<MatterDetail> {
  return coordinatorStep(deps, actor, id, 'accept matters', async (trx, audit, m) => {
    const changes: Partial<WindowMattersTable> =
      actor.kind === 'account' && m.coordinatorId === null ? { coordinatorId: actor.id } : {};
    await apply(trx, deps, actor, audit, m, { type: 'accept' }, changes);
  });
}

/** POST /api/window/matters/:id/decline: not a matter for the window (不予受理), with the reason told to the filer. */
export async function declineMatter(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { reason: string },
): Promise<MatterDetail> {
  return coordinatorStep(deps, actor, id, 'decline matters', async (trx, audit, m) => {
    const reason = input.reason.trim();
    await apply(
      trx,
      deps,
      actor,
      audit,
      m,
      { type: 'decline', reason },
      { declinedReason: reason },
      { reason },
    );
    await enqueue(trx, deps.clock, {
      channel: 'sms',
      recipient: m.filerPhone,
      subject: `办不成事反映 ${m.receiptCode}`,
      body: `【民评】您反映的问题（查询码${m.receiptCode}）不属于“办不成事”窗口受理范围：${reason}`,
      relatedType: 'window_matter',
      relatedId: m.id,
    });
  });
}

/**
 * POST /api/window/matters/:id/assign: the coordinator sends an accepted matter to one or several units across
 * levels, one of them leading, with a handling deadline in working days (default 5) (window:manage).
 */
export async function assignMatter(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { unitIds: string[]; leadUnitId: string; deadlineOn?: string },
): Promise<MatterDetail> {
  return coordinatorStep(deps, actor, id, 'assign matters', async (trx, audit, m, tree) => {
    const unitIds = [...new Set(input.unitIds)];
    for (const u of unitIds) {
      assertUnitInScope(actor, tree, u);
      if (!tree.tree.isInForce(u)) throw new NotFound('unit', u);
    }
    const today = chinaDate(deps.clock.now());
    const calendar = await loadCalendar(trx);
    const deadlineOn = input.deadlineOn ?? defaultHandleDeadline(today, rules, calendar);
    if (!isValidDate(deadlineOn)) {
      throw new Invalid('invalid_date', `${deadlineOn} is not a date.`, { date: deadlineOn });
    }
    const check = checkHandleDeadline(deadlineOn, today, rules, calendar);
    if (!check.ok) {
      throw new Invalid(check.code, 'The deadline must lie after today and within 30 working days.', {
        latest: check.latest,
      });
    }
    await apply(
      trx,
      deps,
      actor,
      audit,
      m,
      { type: 'assign', unitIds, leadUnitId: input.leadUnitId },
      { leadUnitId: input.leadUnitId, deadlineOn },
      { unitIds, leadUnitId: input.leadUnitId, deadlineOn },
    );
    await store.insertAssignments(
      trx,
      unitIds.map((u) => ({
        matterId: m.id,
        unitId: u,
        lead: u === input.leadUnitId ? 1 : 0,
        responseText: '',
        respondedAt: null,
        respondedBy: null,
      })),
    );
    for (const u of unitIds) {
      await enqueue(trx, deps.clock, {
        channel: 'sms',
        recipient: await unitRecipient(trx, u),
        subject: `办不成事交办 ${m.receiptCode}`,
        body: `【民评】“办不成事”窗口交办事项${m.receiptCode}${u === input.leadUnitId ? '（牵头办理）' : '（协同办理）'}，请于${deadlineOn}前办理并答复。`,
        relatedType: 'window_matter',
        relatedId: m.id,
      });
    }
  });
}

/**
 * POST /api/window/matters/:id/respond: a unit the matter is assigned to answers what it did (window:handle,
 * within the actor's subtree). When every unit has answered, the matter waits for the office to resolve it.
 */
export async function respondMatter(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { unitId: string; text: string },
): Promise<MatterDetail> {
  requireHandle(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const m = await matterFor(trx, actor, tree, id);
    const assignments = await store.assignmentsOf(trx, [id]);
    const mine = assignments.find((a) => a.unitId === input.unitId);
    if (!mine) {
      throw new Invalid('window_not_assigned', 'This matter is not assigned to that unit.', {
        unitId: input.unitId,
      });
    }
    assertUnitInScope(actor, tree, input.unitId);
    const text = input.text.trim();
    if (text === '')
      throw new Invalid('window_response_required', 'Write what the unit did.', { field: 'text' });
    const others = assignments.filter((a) => a.unitId !== input.unitId);
    await apply(
      trx,
      deps,
      actor,
      audit,
      m,
      { type: 'respond', allOthersReplied: others.every((a) => a.respondedAt !== null) },
      {},
      { unitId: input.unitId, text },
    );
    await store.recordResponse(trx, id, input.unitId, {
      responseText: text,
      respondedAt: isoNow(deps.clock),
      respondedBy: actorLabel(actor),
    });
    return detail(trx, deps, actor, tree, id);
  });
}

/** POST /api/window/matters/:id/return: the office sends the units' answers back, with a reason (window:manage). */
export async function returnMatter(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { reason: string; deadlineOn?: string },
): Promise<MatterDetail> {
  return coordinatorStep(deps, actor, id, 'return matters', async (trx, audit, m) => {
    const reason = input.reason.trim();
    const deadlineOn = await freshDeadline(trx, deps, input.deadlineOn);
    await apply(
      trx,
      deps,
      actor,
      audit,
      m,
      { type: 'return', reason },
      { deadlineOn },
      { reason, deadlineOn },
    );
    await store.clearResponses(trx, m.id);
  });
}

async function freshDeadline(trx: Transaction<DB>, deps: Deps, asked: string | undefined): Promise<string> {
  const today = chinaDate(deps.clock.now());
  const calendar = await loadCalendar(trx);
  const deadlineOn = asked ?? defaultHandleDeadline(today, rules, calendar);
  const check = isValidDate(deadlineOn)
    ? checkHandleDeadline(deadlineOn, today, rules, calendar)
    : { ok: false as const, code: 'invalid_date' as ErrorCode, latest: '' };
  if (!check.ok) {
    throw new Invalid(check.code, 'The deadline must lie after today and within 30 working days.', {
      latest: check.latest,
    });
  }
  return deadlineOn;
}

/**
 * POST /api/window/matters/:id/resolve: the office records the result — solved, or explained why it cannot
 * be done — and the filer is told by SMS and invited to judge it (window:manage).
 */
export async function resolveMatter(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { outcome: MatterOutcome; text: string },
): Promise<MatterDetail> {
  return coordinatorStep(deps, actor, id, 'resolve matters', async (trx, audit, m) => {
    const text = input.text.trim();
    await apply(
      trx,
      deps,
      actor,
      audit,
      m,
      { type: 'resolve', outcome: input.outcome, text },
      { outcome: input.outcome, resolutionText: text, resolvedOn: chinaDate(deps.clock.now()) },
      { outcome: input.outcome },
    );
    await enqueue(trx, deps.clock, {
      channel: 'sms',
      recipient: m.filerPhone,
      subject: `办不成事办结 ${m.receiptCode}`,
      body: `【民评】您反映的问题（查询码${m.receiptCode}）已办结：${text.slice(0, 120)}。请凭查询码对办理结果进行评价。`,
      relatedType: 'window_matter',
      relatedId: m.id,
    });
  });
}

/**
 * POST /api/window/matters/:id/reopen: a resolved or judged matter goes back to its units (the filer was not
 * satisfied, or the problem came back), with a reason and a fresh deadline (window:manage).
 */
export async function reopenMatter(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { reason: string; deadlineOn?: string },
): Promise<MatterDetail> {
  return coordinatorStep(deps, actor, id, 'reopen matters', async (trx, audit, m) => {
    const reason = input.reason.trim();
    const deadlineOn = await freshDeadline(trx, deps, input.deadlineOn);
    await apply(
      trx,
      deps,
      actor,
      audit,
      m,
      { type: 'reopen', reason },
      { deadlineOn, reopenCount: m.reopenCount + 1, outcome: null, resolvedOn: null },
      { reason, deadlineOn },
    );
    await store.clearResponses(trx, m.id);
  });
}

/**
 * POST /api/window/matters/:id/ledger-item: a matter that could not be solved, or keeps coming back, becomes
 * a rectification ledger item of its lead unit (整改台账), opened by the ledger in this same transaction
 * (window:manage and ledger:manage).
 */
export async function toLedgerItem(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { title?: string; deadlineOn?: string; responsibleName?: string },
): Promise<MatterDetail> {
  return coordinatorStep(deps, actor, id, 'open ledger items', async (trx, audit, m) => {
    if (!mayBecomeLedgerItem(m.state as MatterState, m.ledgerItemId)) {
      if (m.ledgerItemId !== null) {
        throw new Conflict('item_exists', 'This matter is on the ledger already.', {
          itemId: m.ledgerItemId,
        });
      }
      throw new Conflict('window_wrong_state', 'Only a matter assigned to units can become a ledger item.', {
        state: m.state,
      });
    }
    const title = (input.title?.trim() || maskPersonalData(m.what)).slice(0, 60);
    const item = await createItem(
      deps,
      actor,
      {
        origin: 'window',
        originRef: m.id,
        unitId: m.leadUnitId ?? undefined,
        title,
        ...(input.deadlineOn !== undefined ? { deadlineOn: input.deadlineOn } : {}),
        ...(input.responsibleName !== undefined ? { responsibleName: input.responsibleName } : {}),
      },
      trx,
    );
    if (
      !(await store.updateMatter(trx, m.id, m.state, {
        ledgerItemId: item.id,
        updatedAt: isoNow(deps.clock),
      }))
    ) {
      throw new Conflict(
        'window_changed',
        'Someone else changed this matter just now; reload it and try again.',
      );
    }
    await event(trx, deps, m.id, actorLabel(actor), 'ledger_item', {
      itemId: item.id,
      reference: item.reference,
    });
    await audit({
      action: 'window.ledger_item',
      entityType: 'window_matter',
      entityId: m.id,
      before: { ledgerItemId: null },
      after: { ledgerItemId: item.id },
    });
  });
}
