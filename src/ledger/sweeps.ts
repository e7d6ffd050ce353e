import type { Transaction } from 'kysely';
import type { Actor } from '../core/auth/model.js';
import { appendAudit } from '../core/audit/service.js';
import { ESCALATION_STEP_NAMES, escalationStep, type EscalationStep } from '../core/calendar/escalation.js';
import { loadCalendar } from '../core/calendar/store.js';
import type { Deps } from '../core/context.js';
import type { DB, LedgerItemsTable } from '../core/db/schema.js';
import { newId } from '../core/ids.js';
import { enqueue } from '../core/outbox/service.js';
import type { Sweep } from '../core/sweeps.js';
import { chinaDate, isoNow } from '../core/time.js';
import * as registryStore from '../registry/store.js';
import { itemEvent } from './items.js';
import {
  DEFAULT_LEDGER_RULES,
  ITEM_STATE_NAMES,
  itemDueDate,
  itemReference,
  itemWarningStage,
  type ItemState,
} from './model.js';
import * as store from './store.js';

/*
 * The ledger's deadline sweep: for every item its unit holds (planning, executing, finishing), the due date
 * is brought up to date with the calendar, and each rung of the shared warning ladder it has reached is
 * issued once per deadline — 预警单, 紧急预警单, and the escalation for a talk (约谈), which the office hears
 * of too. Idempotent: warnings are unique per item, deadline and level; updates are conditional on the state.
 */

const SWEEPER: Actor = { kind: 'system', label: 'sweep' };

async function recipientOf(trx: Transaction<DB>, item: LedgerItemsTable): Promise<string> {
  const unit = await registryStore.latestVersionOf(trx, item.unitId);
  const phone = unit?.responsiblePhone.trim() ?? '';
  return phone !== '' ? phone : `unit:${unit?.code ?? item.unitId}`;
}

/** Issues due warnings on ledger items (see the file comment). */
export async function sweepLedgerDeadlines(
  trx: Transaction<DB>,
  deps: Deps,
): Promise<Record<string, number>> {
  const day = chinaDate(deps.clock.now());
  const calendar = await loadCalendar(trx);
  const rules = DEFAULT_LEDGER_RULES;
  const counts = { checked: 0, dueChanged: 0, warnings: 0, urgentWarnings: 0, talks: 0 };
  for (const item of await store.itemsHeldByUnits(trx)) {
    counts.checked += 1;
    const state = item.state as ItemState;
    const due = itemDueDate(state, item.stageFrom, item.deadlineOn, rules, calendar);
    const changes: Partial<LedgerItemsTable> = {};
    if (due !== item.dueOn) {
      changes.dueOn = due;
      counts.dueChanged += 1;
      await itemEvent(trx, deps, item.id, 'system:sweep', 'due_changed', { from: item.dueOn, to: due });
    }
    const level = escalationStep(due, day, rules, calendar);
    const stage = itemWarningStage(state, item.stageFrom);
    for (let l = 1; l <= level; l++) {
      const step = l as Exclude<EscalationStep, 0>;
      const id = newId(deps.clock.now().getTime());
      const issued = await store.insertWarningIfAbsent(trx, {
        id,
        itemId: item.id,
        stage,
        level: step,
        unitId: item.unitId,
        dueOn: due ?? day,
        issuedOn: day,
        createdAt: isoNow(deps.clock),
      });
      if (!issued) continue;
      if (step === 1) counts.warnings += 1;
      else if (step === 2) counts.urgentWarnings += 1;
      else counts.talks += 1;
      const name = ESCALATION_STEP_NAMES[step];
      const reference = itemReference(item.id);
      await itemEvent(trx, deps, item.id, 'system:sweep', 'warning', {
        level: step,
        name,
        stage,
        dueOn: due,
      });
      const body =
        step === 3
          ? `【民评】整改台账${reference}（${ITEM_STATE_NAMES[state]}）已逾期（期限${due ?? ''}），经预警仍未办理，已提请对责任人${item.responsibleName}进行约谈。`
          : `【民评】${name}：整改台账${reference}（${ITEM_STATE_NAMES[state]}）已超过期限${due ?? ''}，请立即办理。`;
      await enqueue(trx, deps.clock, {
        channel: 'sms',
        recipient: await recipientOf(trx, item),
        subject: `${name} ${reference}`,
        body,
        relatedType: 'ledger_warning',
        relatedId: id,
      });
      if (step === 3) {
        await enqueue(trx, deps.clock, {
          channel: 'console',
          recipient: 'office',
          subject: `约谈提请 ${reference}`,
          body,
          relatedType: 'ledger_warning',
          relatedId: id,
        });
      }
      await appendAudit(trx, deps.database.dialect, deps.clock, SWEEPER, {
        action: 'ledger.warning',
        entityType: 'ledger_warning',
        entityId: id,
        before: null,
        after: { itemId: item.id, stage, level: step, unitId: item.unitId, dueOn: due, issuedOn: day },
      });
    }
    if (level > item.escalation) changes.escalation = level;
    if (Object.keys(changes).length > 0) {
      await store.updateItem(trx, item.id, item.state, { ...changes, updatedAt: isoNow(deps.clock) });
    }
  }
  return counts;
}

/** The ledger's sweeps; the server and the CLI run them with runSweep. */
export const ledgerSweeps: Sweep[] = [{ name: 'ledger.deadlines', work: sweepLedgerDeadlines }];
