import type { Transaction } from 'kysely';
import type { Actor } from '../core/auth/model.js';
import { appendAudit } from '../core/audit/service.js';
import { ESCALATION_STEP_NAMES, escalationStep, type EscalationStep } from '../core/calendar/escalation.js';
import { loadCalendar } from '../core/calendar/store.js';
import type { Deps } from '../core/context.js';
import type { DB, WindowMattersTable } from '../core/db/schema.js';
import { newId } from '../core/ids.js';
import { enqueue } from '../core/outbox/service.js';
import type { Sweep } from '../core/sweeps.js';
import { chinaDate, isoNow } from '../core/time.js';
import {
  DEFAULT_WINDOW_RULES,
  heldBy,
  matterDueDate,
  MATTER_STATE_NAMES,
  type MatterState,
} from './model.js';
import { matterEvent, unitRecipient } from './service.js';
import * as store from './store.js';

/*
 * The window's deadline sweep: for every matter someone must act on, the due date is brought up to date with
 * the calendar and each rung of the shared warning ladder it reached is issued once per stage — 预警单,
 * 紧急预警单, and the escalation for a talk (约谈). A matter the units hold warns the units that have not
 * answered yet; one the office holds warns the office. Idempotent: a warning is unique per matter, stage
 * and level; updates are conditional on the state.
 */

const SWEEPER: Actor = { kind: 'system', label: 'sweep' };

/** Issues due warnings on 办不成事 matters (see the file comment). */
export async function sweepWindowDeadlines(
  trx: Transaction<DB>,
  deps: Deps,
): Promise<Record<string, number>> {
  const day = chinaDate(deps.clock.now());
  const calendar = await loadCalendar(trx);
  const rules = DEFAULT_WINDOW_RULES;
  const counts = { checked: 0, dueChanged: 0, warnings: 0, urgentWarnings: 0, talks: 0 };
  for (const m of await store.mattersInProgress(trx)) {
    counts.checked += 1;
    const state = m.state as MatterState;
    const due = matterDueDate(state, m.stageFrom, m.deadlineOn, rules, calendar);
    const changes: Partial<WindowMattersTable> = {};
    if (due !== m.dueOn) {
      changes.dueOn = due;
      counts.dueChanged += 1;
      await matterEvent(trx, deps, m.id, 'system:sweep', 'due_changed', { from: m.dueOn, to: due });
    }
    const level = escalationStep(due, day, rules, calendar);
    const stage = `${state}@${m.stageFrom}`;
    for (let l = 1; l <= level; l++) {
      const step = l as Exclude<EscalationStep, 0>;
      const id = newId(deps.clock.now().getTime());
      const issued = await store.insertWarningIfAbsent(trx, {
        id,
        matterId: m.id,
        stage,
        level: step,
        dueOn: due ?? day,
        issuedOn: day,
        createdAt: isoNow(deps.clock),
      });
      if (!issued) continue;
      if (step === 1) counts.warnings += 1;
      else if (step === 2) counts.urgentWarnings += 1;
      else counts.talks += 1;
      const name = ESCALATION_STEP_NAMES[step];
      await matterEvent(trx, deps, m.id, 'system:sweep', 'warning', {
        level: step,
        name,
        stage: state,
        dueOn: due,
      });
      const body =
        step === 3
          ? `【民评】办不成事${m.receiptCode}（${MATTER_STATE_NAMES[state]}）已逾期（期限${due ?? ''}），经预警仍未办理，已提请约谈。`
          : `【民评】${name}：办不成事${m.receiptCode}（${MATTER_STATE_NAMES[state]}）已超过期限${due ?? ''}，请立即办理。`;
      const recipients: string[] = [];
      if (heldBy(state) === 'units') {
        for (const a of await store.assignmentsOf(trx, [m.id])) {
          if (a.respondedAt === null) recipients.push(await unitRecipient(trx, a.unitId));
        }
      }
      for (const recipient of recipients) {
        await enqueue(trx, deps.clock, {
          channel: 'sms',
          recipient,
          subject: `${name} ${m.receiptCode}`,
          body,
          relatedType: 'window_warning',
          relatedId: id,
        });
      }
      if (recipients.length === 0 || step === 3) {
        await enqueue(trx, deps.clock, {
          channel: 'console',
          recipient: m.coordinatorId !== null && step < 3 ? `account:${m.coordinatorId}` : 'office',
          subject: `${step === 3 ? '约谈提请' : name} ${m.receiptCode}`,
          body,
          relatedType: 'window_warning',
          relatedId: id,
        });
      }
      await appendAudit(trx, deps.database.dialect, deps.clock, SWEEPER, {
        action: 'window.warning',
        entityType: 'window_warning',
        entityId: id,
        before: null,
        after: { matterId: m.id, stage, level: step, dueOn: due, issuedOn: day },
      });
    }
    if (level > m.escalation) changes.escalation = level;
    if (Object.keys(changes).length > 0) {
      await store.updateMatter(trx, m.id, m.state, { ...changes, updatedAt: isoNow(deps.clock) });
    }
  }
  return counts;
}

/** The window's sweeps; the server and the CLI run them with runSweep. */
export const windowSweeps: Sweep[] = [{ name: 'window.deadlines', work: sweepWindowDeadlines }];
