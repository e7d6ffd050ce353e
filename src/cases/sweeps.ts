import type { Transaction } from 'kysely';
import type { Actor } from '../core/auth/model.js';
import { appendAudit } from '../core/audit/service.js';
import { addWorkingDays } from '../core/calendar/model.js';
import { loadCalendar } from '../core/calendar/store.js';
import type { Deps } from '../core/context.js';
import type { CasesTable, DB } from '../core/db/schema.js';
import { newId } from '../core/ids.js';
import { enqueue } from '../core/outbox/service.js';
import type { Sweep } from '../core/sweeps.js';
import { chinaDate, isoNow } from '../core/time.js';
import { treeOn } from '../registry/tree.js';
import {
  CASE_STATE_NAMES,
  dueDate,
  escalationLevel,
  ESCALATION_NAMES,
  rulesFor,
  transition,
  warningStage,
  type CaseState,
  type EscalationLevel,
} from './model.js';
import { caseReference, loadCasesConfig, responsibleRecipient } from './service.js';
import * as store from './store.js';

/*
 * The periodic work of the closed loop. Both sweeps are idempotent: warnings are unique per case,
 * deadline and level, and every case update is conditional on the state it was read in.
 */

const SWEEPER: Actor = { kind: 'system', label: 'sweep' };

async function event(
  trx: Transaction<DB>,
  deps: Deps,
  caseId: string,
  type: string,
  payload: Record<string, unknown>,
): Promise<void> {
  await store.insertEvent(trx, {
    id: newId(deps.clock.now().getTime()),
    caseId,
    at: isoNow(deps.clock),
    actorLabel: 'system:sweep',
    type,
    payload: JSON.stringify(payload),
  });
}

const audit = (trx: Transaction<DB>, deps: Deps, record: Parameters<typeof appendAudit>[4]) =>
  appendAudit(trx, deps.database.dialect, deps.clock, SWEEPER, record);

/**
 * For every case the unit holds (verifying or rectifying): brings its due date up to date with the
 * calendar and the deadline rules as they are today (on today's tree: a scheduled move counts from its day), and issues each warning level it has reached and not
 * yet received for this deadline — 预警单 at the deadline, 紧急预警单 after the configured delay, and the
 * escalation for an admonitory talk (约谈), which the office hears of too. Cases awaiting the rater's
 * judgement get a later judgement date when the calendar gives more working days (never an earlier one).
 */
export async function sweepDeadlines(trx: Transaction<DB>, deps: Deps): Promise<Record<string, number>> {
  const day = chinaDate(deps.clock.now());
  const config = await loadCasesConfig(trx);
  const calendar = await loadCalendar(trx);
  const tree = await treeOn(trx, day);
  const counts = { checked: 0, dueChanged: 0, judgeDueChanged: 0, warnings: 0, urgentWarnings: 0, talks: 0 };
  for (const c of await store.casesHeldByUnits(trx)) {
    counts.checked += 1;
    const state = c.state as CaseState;
    const rules = rulesFor(config, tree.ancestry(c.unitId));
    const due = dueDate(state, c.openedOn, c.rectifyFrom, rules, calendar);
    const changes: Partial<CasesTable> = {};
    if (due !== c.dueOn) {
      changes.dueOn = due;
      counts.dueChanged += 1;
      await event(trx, deps, c.id, 'due_changed', { from: c.dueOn, to: due });
    }
    const level = escalationLevel(due, day, rules, calendar);
    const stage = warningStage(state, c.reopenCount);
    for (let l = 1; l <= level; l++) {
      const issued = await issueWarning(
        trx,
        deps,
        c,
        stage,
        l as Exclude<EscalationLevel, 0>,
        due ?? day,
        day,
      );
      if (!issued) continue;
      if (l === 1) counts.warnings += 1;
      else if (l === 2) counts.urgentWarnings += 1;
      else counts.talks += 1;
    }
    if (level > c.escalation) changes.escalation = level;
    if (Object.keys(changes).length > 0) {
      await store.updateCase(trx, c.id, c.state, { ...changes, updatedAt: isoNow(deps.clock) });
    }
  }
  // The rater's time to judge follows the calendar too, but only ever grows: the SMS already told the
  // rater a date, and a deadline promised is not taken back when a holiday is withdrawn.
  for (const c of await store.casesAwaitingJudgement(trx)) {
    if (c.repliedAt === null) continue;
    const rules = rulesFor(config, tree.ancestry(c.unitId));
    const due = addWorkingDays(chinaDate(new Date(c.repliedAt)), rules.judgeDays, calendar);
    if (c.judgeDueOn !== null && due <= c.judgeDueOn) continue;
    if (!(await store.updateCase(trx, c.id, c.state, { judgeDueOn: due, updatedAt: isoNow(deps.clock) })))
      continue;
    counts.judgeDueChanged += 1;
    await event(trx, deps, c.id, 'judge_due_changed', { from: c.judgeDueOn, to: due });
  }
  return counts;
}

async function issueWarning(
  trx: Transaction<DB>,
  deps: Deps,
  c: CasesTable,
  stage: string,
  level: Exclude<EscalationLevel, 0>,
  dueOn: string,
  day: string,
): Promise<boolean> {
  const id = newId(deps.clock.now().getTime());
  const inserted = await store.insertWarningIfAbsent(trx, {
    id,
    caseId: c.id,
    stage,
    level,
    unitId: c.responsibleUnitId,
    dueOn,
    issuedOn: day,
    createdAt: isoNow(deps.clock),
  });
  if (!inserted) return false;
  const name = ESCALATION_NAMES[level];
  const stateName = CASE_STATE_NAMES[c.state as CaseState];
  await event(trx, deps, c.id, 'warning', { level, name, stage, dueOn });
  const reference = caseReference(c.id);
  const body =
    level === 3
      ? `【民评】差评${reference}（${stateName}）已逾期（期限${dueOn}），经预警仍未办理，已提请对责任人${c.responsibleName || ''}进行约谈。`
      : `【民评】${name}：差评${reference}（${stateName}）已超过办理期限${dueOn}，请立即办理。`;
  await enqueue(trx, deps.clock, {
    channel: 'sms',
    recipient: await responsibleRecipient(trx, c, day),
    subject: `${name} ${reference}`,
    body,
    relatedType: 'case_warning',
    relatedId: id,
  });
  if (level === 3) {
    await enqueue(trx, deps.clock, {
      channel: 'console',
      recipient: 'office',
      subject: `约谈提请 ${reference}`,
      body,
      relatedType: 'case_warning',
      relatedId: id,
    });
  }
  await audit(trx, deps, {
    action: 'case.warning',
    entityType: 'case_warning',
    entityId: id,
    before: null,
    after: { caseId: c.id, stage, level, unitId: c.responsibleUnitId, dueOn, issuedOn: day },
  });
  return true;
}

/** Closes the cases whose rater did not judge the reply in time (the reply stands, without a judgement). */
export async function sweepUnjudged(trx: Transaction<DB>, deps: Deps): Promise<Record<string, number>> {
  const day = chinaDate(deps.clock.now());
  let closed = 0;
  for (const c of await store.unjudgedPast(trx, day)) {
    const result = transition(
      {
        state: c.state as CaseState,
        named: c.named === 1,
        calledBack: c.calledBack === 1,
        rectified: c.rectified === 1,
      },
      { type: 'close_unjudged' },
    );
    if (!result.ok) continue;
    const now = isoNow(deps.clock);
    if (!(await store.updateCase(trx, c.id, c.state, { state: result.state, closedAt: now, updatedAt: now })))
      continue;
    await event(trx, deps, c.id, 'closed_unjudged', { judgeDueOn: c.judgeDueOn });
    await audit(trx, deps, {
      action: 'case.close_unjudged',
      entityType: 'case',
      entityId: c.id,
      before: { state: c.state },
      after: { state: result.state, closedAt: now },
    });
    closed += 1;
  }
  return { closed };
}

/** The closed loop's sweeps; the server and the CLI run them with runSweep. */
export const caseSweeps: Sweep[] = [
  { name: 'cases.deadlines', work: sweepDeadlines },
  { name: 'cases.unjudged', work: sweepUnjudged },
];
