import type { Transaction } from 'kysely';
import {
  actorLabel,
  hasPermission,
  type Actor,
  type Permission,
  requirePermission,
} from '../core/auth/model.js';
import { appendAudit } from '../core/audit/service.js';
import type { WorkingCalendar } from '../core/calendar/model.js';
import { addWorkingDays } from '../core/calendar/model.js';
import { loadCalendar } from '../core/calendar/store.js';
import { loadConfig } from '../core/config.js';
import { inTransaction, type Audit, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { CasesTable, DB, RatingsTable } from '../core/db/schema.js';
import { sha256Hex } from '../core/digest.js';
import { Conflict, Invalid, NotFound, type ErrorCode } from '../core/errors.js';
import { newId, newSecret } from '../core/ids.js';
import { enqueue } from '../core/outbox/service.js';
import { getSetting, putSetting } from '../core/settings/store.js';
import { chinaDate, isoNow, isValidDate } from '../core/time.js';
import { adjustActivity, isBadLevel, parseScopes, removeRating } from '../ratings/port.js';
import { assertOverrideUnitsExist, overridesByUnit } from '../registry/service.js';
import { assertAnyInScope, narrowedVisible } from '../registry/scope.js';
import * as registryStore from '../registry/store.js';
import { chainOn, namesOn, treeOn, type UnitTree } from '../registry/tree.js';
import {
  APPEAL_REASON_NAMES,
  CALLBACK_METHOD_NAMES,
  CASE_STATE_NAMES,
  CASE_STATES,
  caseCounters,
  DEADLINE_FIELDS,
  deadlineProblem,
  dueDate,
  ESCALATION_NAMES,
  JUDGEMENT_NAMES,
  judgementDelta,
  maskPersonalData,
  parseCasesConfig,
  rulesFor,
  transition,
  workingDaysLeft,
  type AppealReason,
  type CaseAction,
  type CasesConfig,
  type CaseState,
  type DeadlineRules,
  type EscalationLevel,
  type Judgement,
} from './model.js';
import * as store from './store.js';
import type {
  AppealInput,
  CallbackInput,
  CaseDetail,
  CasePage,
  CaseQuery,
  CasesConfigInput,
  CasesConfigView,
  CaseSummary,
  JudgementView,
  PublicCase,
  PublicCasePage,
  WarningQuery,
  WarningView,
} from './types.js';

/*
 * The bad-review closed loop (差评整改) as use cases: each runs in one transaction, checks who may act
 * and on which case, moves the case through the state machine of model.ts, and records a case event,
 * an audit entry and, where someone must hear of it, an outbox message.
 */

/** Where the deadline rules are kept (JSON of CasesConfig). */
export const CASES_CONFIG_KEY = 'cases.config';

const OPENER: Actor = { kind: 'system', label: 'cases' };

// --- the registry as it stands today (registry/tree.ts) -----------------------------------------

/** Units' names on the tree of the day, by id. */
function namesOf(tree: UnitTree): Map<string, string> {
  return new Map(tree.all().map((u) => [u.unitId, u.name]));
}

export async function loadCasesConfig(db: Executor): Promise<CasesConfig> {
  return parseCasesConfig(await getSetting(db, CASES_CONFIG_KEY));
}

function today(deps: Deps): string {
  return chinaDate(deps.clock.now());
}

// --- events and messages ---------------------------------------------------------------------

export const CASE_EVENT_TYPES = [
  'opened',
  'verified',
  'appealed',
  'appeal_upheld',
  'appeal_rejected',
  'called_back',
  'rectification',
  'replied',
  'judged',
  'reopened',
  'closed_unjudged',
  'warning',
  'due_changed',
  'rating_removed',
] as const;
export type CaseEventType = (typeof CASE_EVENT_TYPES)[number];

async function recordEvent(
  db: Executor,
  deps: Deps,
  actor: Actor,
  caseId: string,
  type: CaseEventType,
  payload: Record<string, unknown>,
): Promise<void> {
  await store.insertEvent(db, {
    id: newId(deps.clock.now().getTime()),
    caseId,
    at: isoNow(deps.clock),
    actorLabel: actorLabel(actor),
    type,
    payload: JSON.stringify(payload),
  });
}

/** Who hears about a case: the responsible person's phone when known, else the unit itself. */
export async function responsibleRecipient(db: Executor, c: CasesTable, day: string): Promise<string> {
  for (const unit of await chainOn(db, c.responsibleUnitId, day)) {
    if (unit.responsibleName !== '' || unit.unitId === c.responsibleUnitId) {
      if (unit.responsiblePhone !== '') return unit.responsiblePhone;
      return `unit:${unit.code}`;
    }
  }
  return `unit:${c.responsibleUnitId}`;
}

/** A short reference the public and the responsible person can quote: 差评-<first 8 of the id>. */
export function caseReference(id: string): string {
  return `差评-${id.replace(/-/g, '').slice(-10).toUpperCase()}`;
}

// --- opening a case (called by the ratings ingest) -------------------------------------------

/**
 * Opens the case for a counted, non-default ★1–2 rating, inside the ingest's transaction: for the named
 * responsible person of the rated unit (or the nearest ancestor that names one), due for verification
 * after the configured working days. A second call for the same rating does nothing.
 */
export async function openCaseForRating(
  trx: Transaction<DB>,
  deps: Deps,
  rating: RatingsTable,
): Promise<void> {
  if (!isBadLevel(rating.level) || rating.isDefault === 1) return;
  if (await store.caseByRating(trx, rating.id)) return;
  const day = today(deps);
  const chain = await chainOn(trx, rating.unitId, day);
  const responsible = chain.find((u) => u.responsibleName !== '') ?? chain[0];
  const rules = rulesFor(
    await loadCasesConfig(trx),
    chain.map((u) => u.unitId),
  );
  const calendar = await loadCalendar(trx);
  const now = isoNow(deps.clock);
  const row: CasesTable = {
    id: newId(deps.clock.now().getTime()),
    ratingId: rating.id,
    unitId: rating.unitId,
    responsibleUnitId: responsible?.unitId ?? rating.unitId,
    responsibleName: responsible?.responsibleName ?? '',
    state: 'verifying',
    named: rating.named === 1 ? 1 : 0,
    calledBack: 0,
    rectified: 0,
    reopenCount: 0,
    ratingDay: rating.day,
    openedAt: now,
    openedOn: day,
    rectifyFrom: day,
    dueOn: dueDate('verifying', day, day, rules, calendar),
    escalation: 0,
    appealReason: null,
    appealText: null,
    appealDecision: null,
    rectificationText: null,
    replyText: null,
    repliedAt: null,
    judgement: null,
    judgedAt: null,
    judgeTokenHash: null,
    closedAt: null,
    updatedAt: now,
    appealEvidence: null,
    appealNote: null,
    judgementComment: null,
    judgeDueOn: null,
  };
  if (!(await store.insertCaseIfAbsent(trx, row))) return;
  await adjustActivity(trx, parseScopes(rating.rollupScopes), rating.day, { badCases: 1 });
  await recordEvent(trx, deps, OPENER, row.id, 'opened', {
    responsibleUnitId: row.responsibleUnitId,
    responsibleName: row.responsibleName,
    named: row.named === 1,
    dueOn: row.dueOn,
    rules,
  });
  const unitName = chain[0]?.name ?? '';
  await enqueue(trx, deps.clock, {
    channel: 'sms',
    recipient:
      responsible && responsible.responsiblePhone !== ''
        ? responsible.responsiblePhone
        : `unit:${responsible?.code ?? rating.unitId}`,
    subject: `差评待核实 ${caseReference(row.id)}`,
    body:
      `【民评】${unitName}收到一条${rating.level}星差评（${caseReference(row.id)}），` +
      `请于${row.dueOn ?? ''}前核实${row.named === 1 ? '，并回访评价人' : ''}，按期整改答复。`,
    relatedType: 'case',
    relatedId: row.id,
  });
  await appendAudit(trx, deps.database.dialect, deps.clock, OPENER, {
    action: 'case.open',
    entityType: 'case',
    entityId: row.id,
    before: null,
    after: auditView(row),
    detail: {
      ratingId: rating.id,
      responsibleUnitId: row.responsibleUnitId,
      responsibleName: row.responsibleName,
      dueOn: row.dueOn,
    },
  });
}

/** What the audit log digests of a case: its state and the facts that move it, never the rater's data. */
function auditView(c: CasesTable) {
  return {
    id: c.id,
    ratingId: c.ratingId,
    state: c.state,
    responsibleUnitId: c.responsibleUnitId,
    responsibleName: c.responsibleName,
    named: c.named,
    calledBack: c.calledBack,
    rectified: c.rectified,
    reopenCount: c.reopenCount,
    dueOn: c.dueOn,
    escalation: c.escalation,
    appealReason: c.appealReason,
    appealDecision: c.appealDecision,
    rectificationText: c.rectificationText,
    replyText: c.replyText,
    judgement: c.judgement,
    closedAt: c.closedAt,
  };
}

// --- access ----------------------------------------------------------------------------------

/** Refuses unit staff whose subtree holds neither the responsible unit nor the rated unit. */
async function assertCaseInScope(db: Executor, deps: Deps, actor: Actor, c: CasesTable): Promise<void> {
  await assertAnyInScope(
    db,
    actor,
    [c.responsibleUnitId, c.unitId],
    today(deps),
    { caseId: c.id },
    'This case belongs to a unit outside the part of the registry you manage.',
  );
}

async function loadCaseFor(
  db: Executor,
  deps: Deps,
  actor: Actor,
  id: string,
  permission: Permission,
): Promise<CasesTable> {
  requirePermission(actor, permission);
  const c = await store.caseById(db, id);
  if (!c) throw new NotFound('case', id);
  await assertCaseInScope(db, deps, actor, c);
  return c;
}

function refuse(c: CasesTable, result: { code: ErrorCode; message: string }): never {
  if (result.code === 'case_wrong_state') {
    const state = c.state as CaseState;
    throw new Conflict(result.code, result.message, { state, stateName: CASE_STATE_NAMES[state] });
  }
  throw new Conflict(result.code, result.message, { state: c.state });
}

function facts(c: CasesTable) {
  return {
    state: c.state as CaseState,
    named: c.named === 1,
    calledBack: c.calledBack === 1,
    rectified: c.rectified === 1,
  };
}

/** The state an action leads to, or the 409 that refuses it. */
function next(c: CasesTable, action: CaseAction): { state: CaseState; reopened: boolean } {
  const result = transition(facts(c), action);
  if (!result.ok) refuse(c, result);
  return { state: result.state, reopened: result.reopened };
}

/** Writes the changes if nobody moved the case meanwhile; otherwise the second actor gets a 409. */
async function save(
  trx: Transaction<DB>,
  deps: Deps,
  before: CasesTable,
  changes: Partial<CasesTable>,
): Promise<CasesTable> {
  const updated = { ...changes, updatedAt: isoNow(deps.clock) };
  if (!(await store.updateCase(trx, before.id, before.state, updated))) {
    const now = await store.caseById(trx, before.id);
    const state = (now?.state ?? before.state) as CaseState;
    throw new Conflict('case_wrong_state', 'Someone else changed this case a moment ago; reload it.', {
      state,
      stateName: CASE_STATE_NAMES[state],
    });
  }
  return { ...before, ...updated };
}

async function rulesOfCase(db: Executor, c: CasesTable, day: string): Promise<DeadlineRules> {
  const chain = await chainOn(db, c.unitId, day);
  return rulesFor(
    await loadCasesConfig(db),
    chain.map((u) => u.unitId),
  );
}

async function ratingOf(db: Executor, c: CasesTable): Promise<RatingsTable> {
  const rating = await store.ratingById(db, c.ratingId);
  if (!rating) throw new NotFound('rating', c.ratingId);
  return rating;
}

/** Runs one case action: load with access checks, act, audit — all in one transaction. */
async function act(
  deps: Deps,
  actor: Actor,
  id: string,
  permission: Permission,
  action: string,
  work: (trx: Transaction<DB>, c: CasesTable, audit: Audit) => Promise<CasesTable>,
): Promise<CaseDetail> {
  const after = await inTransaction(deps, actor, async (trx, audit) => {
    const before = await loadCaseFor(trx, deps, actor, id, permission);
    const updated = await work(trx, before, audit);
    await audit({
      action,
      entityType: 'case',
      entityId: id,
      before: auditView(before),
      after: auditView(updated),
    });
    return updated;
  });
  return getCase(deps, actor, after.id);
}

function cleanText(value: string, field: string, max: number): string {
  const text = value.normalize('NFC').trim();
  if (text === '') throw new Invalid('invalid_input', `The field "${field}" must not be blank.`, { field });
  if (text.length > max) {
    throw new Invalid('invalid_input', `The field "${field}" has at most ${max} characters.`, { field });
  }
  return text;
}

// --- the unit's actions ----------------------------------------------------------------------

/** The unit confirms the review is genuine (属实): it now has the rectification deadline to fix and reply. */
export async function verifyCase(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { genuine: boolean; note?: string | undefined },
): Promise<CaseDetail> {
  if (!input.genuine) {
    throw new Invalid(
      'appeal_instead',
      'A review that is mistaken or malicious is appealed to the office (POST /api/cases/:id/appeal).',
      { field: 'genuine' },
    );
  }
  const note = input.note === undefined ? '' : input.note.trim().slice(0, 1000);
  return act(deps, actor, id, 'cases:handle', 'case.verify', async (trx, c) => {
    const { state } = next(c, { type: 'verify_genuine' });
    const day = today(deps);
    const rules = await rulesOfCase(trx, c, day);
    const dueOn = dueDate(state, c.openedOn, c.rectifyFrom, rules, await loadCalendar(trx));
    const updated = await save(trx, deps, c, { state, dueOn, escalation: 0 });
    await recordEvent(trx, deps, actor, c.id, 'verified', { dueOn, ...(note ? { note } : {}) });
    return updated;
  });
}

/** The unit says the review is mistaken (误评) or malicious (恶意差评): the office reviews it. */
export async function appealCase(
  deps: Deps,
  actor: Actor,
  id: string,
  input: AppealInput,
): Promise<CaseDetail> {
  const text = cleanText(input.text, 'text', 2000);
  const evidence = (input.evidence ?? []).map((e, i) => cleanText(e, `evidence.${i}`, 500));
  return act(deps, actor, id, 'cases:handle', 'case.appeal', async (trx, c) => {
    const { state } = next(c, { type: 'appeal', reason: input.reason });
    const updated = await save(trx, deps, c, {
      state,
      appealReason: input.reason,
      appealText: text,
      appealEvidence: JSON.stringify(evidence),
      dueOn: null,
      escalation: 0,
    });
    await recordEvent(trx, deps, actor, c.id, 'appealed', { reason: input.reason, text, evidence });
    await enqueue(trx, deps.clock, {
      channel: 'console',
      recipient: 'office',
      subject: `差评申诉待复核 ${caseReference(c.id)}`,
      body: `${c.responsibleName || '责任单位'}就差评${caseReference(c.id)}提出申诉（${APPEAL_REASON_NAMES[input.reason]}），请复核。`,
      relatedType: 'case',
      relatedId: c.id,
    });
    return updated;
  });
}

/**
 * The office decides an appeal (申诉复核). Upheld: the case is dismissed and the rating leaves every
 * statistic (its bad-case count included). Rejected: the unit must rectify, the deadline counted from
 * today (the time the office took is not the unit's).
 */
export async function decideAppeal(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { upheld: boolean; note: string },
): Promise<CaseDetail> {
  const note = cleanText(input.note, 'note', 2000);
  return act(deps, actor, id, 'cases:decide', 'case.decide_appeal', async (trx, c) => {
    const { state } = next(c, { type: 'decide_appeal', upheld: input.upheld });
    const day = today(deps);
    if (input.upheld) {
      const rating = await ratingOf(trx, c);
      await removeRating(trx, deps, rating.id, `appeal upheld (case ${c.id}): ${note}`);
      await adjustActivity(trx, parseScopes(rating.rollupScopes), rating.day, { badCases: -1 });
      const updated = await save(trx, deps, c, {
        state,
        appealDecision: 'upheld',
        appealNote: note,
        dueOn: null,
        escalation: 0,
        closedAt: isoNow(deps.clock),
      });
      await recordEvent(trx, deps, actor, c.id, 'appeal_upheld', { note });
      return updated;
    }
    const rules = await rulesOfCase(trx, c, day);
    const dueOn = dueDate(state, c.openedOn, day, rules, await loadCalendar(trx));
    const updated = await save(trx, deps, c, {
      state,
      appealDecision: 'rejected',
      appealNote: note,
      rectifyFrom: day,
      dueOn,
      escalation: 0,
    });
    await recordEvent(trx, deps, actor, c.id, 'appeal_rejected', { note, dueOn });
    await enqueue(trx, deps.clock, {
      channel: 'sms',
      recipient: await responsibleRecipient(trx, c, day),
      subject: `差评申诉未获支持 ${caseReference(c.id)}`,
      body: `【民评】差评${caseReference(c.id)}的申诉经复核未获支持，请于${dueOn ?? ''}前完成整改并答复评价人。`,
      relatedType: 'case',
      relatedId: c.id,
    });
    return updated;
  });
}

/** Records a call-back (回访) to the rater; required before replying when the rater left contact details. */
export async function recordCallback(
  deps: Deps,
  actor: Actor,
  id: string,
  input: CallbackInput,
): Promise<CaseDetail> {
  const summary = cleanText(input.summary, 'summary', 2000);
  const at = new Date(input.at);
  if (Number.isNaN(at.getTime())) {
    throw new Invalid('invalid_input', 'The field "at" must be a date and time (ISO 8601).', { field: 'at' });
  }
  // A few minutes of slack for clocks that differ; a call-back cannot have happened tomorrow.
  if (at.getTime() > deps.clock.now().getTime() + 10 * 60_000) {
    throw new Invalid('callback_in_future', 'A call-back cannot be recorded before it happens.', {
      field: 'at',
    });
  }
  return act(deps, actor, id, 'cases:handle', 'case.callback', async (trx, c) => {
    next(c, { type: 'record_callback' });
    const rating = await ratingOf(trx, c);
    if (at.toISOString() < rating.createdAt) {
      throw new Invalid('callback_before_rating', 'The call-back is dated before the review was given.', {
        field: 'at',
      });
    }
    const updated = await save(trx, deps, c, { calledBack: 1 });
    await recordEvent(trx, deps, actor, c.id, 'called_back', {
      at: at.toISOString(),
      method: input.method,
      methodName: CALLBACK_METHOD_NAMES[input.method],
      summary,
    });
    return updated;
  });
}

/** Records what was rectified (整改情况); a later record replaces the text, every record stays in the log. */
export async function recordRectification(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { text: string },
): Promise<CaseDetail> {
  const text = cleanText(input.text, 'text', 4000);
  return act(deps, actor, id, 'cases:handle', 'case.rectification', async (trx, c) => {
    next(c, { type: 'record_rectification' });
    const updated = await save(trx, deps, c, { rectified: 1, rectificationText: text });
    await recordEvent(trx, deps, actor, c.id, 'rectification', { text });
    return updated;
  });
}

/**
 * The unit replies (答复) and asks the rater to judge the fix. A named rater gets a one-time link by SMS;
 * only its hash is kept. The first reply counts the case as replied and as called back (where named)
 * and rectified — the numerators of 差评回复率 and 回访整改率.
 */
export async function replyToCase(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { text: string },
): Promise<CaseDetail> {
  const text = cleanText(input.text, 'text', 4000);
  return act(deps, actor, id, 'cases:handle', 'case.reply', async (trx, c) => {
    const { state } = next(c, { type: 'reply' });
    const day = today(deps);
    const rules = await rulesOfCase(trx, c, day);
    const calendar = await loadCalendar(trx);
    const rating = await ratingOf(trx, c);
    const contact = c.named === 1 ? await store.contactOf(trx, rating.transactionId) : undefined;
    const phone = contact?.contactPhone.trim() ?? '';
    const token = phone !== '' ? newSecret() : null;
    const updated = await save(trx, deps, c, {
      state,
      replyText: text,
      repliedAt: isoNow(deps.clock),
      judgeTokenHash: token === null ? null : sha256Hex(token),
      judgeDueOn: addWorkingDays(day, rules.judgeDays, calendar),
      dueOn: null,
      escalation: 0,
    });
    if (c.repliedAt === null) {
      await adjustActivity(trx, parseScopes(rating.rollupScopes), rating.day, { replied: 1, rectified: 1 });
    }
    await recordEvent(trx, deps, actor, c.id, 'replied', {
      text,
      judgeDueOn: updated.judgeDueOn,
      judgementLinkSent: token !== null,
    });
    if (token !== null) {
      await enqueue(trx, deps.clock, {
        channel: 'sms',
        recipient: phone,
        subject: `差评整改答复 ${caseReference(c.id)}`,
        body:
          `【民评】您对${await unitName(trx, c.unitId, day)}的评价已答复整改。` +
          // The link must open from a phone's SMS app: the public address, not a bare path.
          `请在${updated.judgeDueOn ?? ''}前评价整改结果：${loadConfig().publicUrl}/j/${token}`,
        relatedType: 'case',
        relatedId: c.id,
      });
    }
    return updated;
  });
}

/**
 * For the ratings side, in its transaction: a rating the office took out of the statistics (fraud review,
 * not an appeal of this case) takes its case with it — the case is dismissed and every count it added
 * (bad review, replied, rectified, judged, satisfied) is subtracted, so no rate is left over a review that no
 * longer counts. Call it with removeRating; it does nothing when the rating has no case or the case is
 * already dismissed.
 */
export async function dismissCaseOfRemovedRating(
  trx: Transaction<DB>,
  deps: Deps,
  rating: RatingsTable,
  reason: string,
): Promise<void> {
  const c = await store.caseByRating(trx, rating.id);
  if (!c) return;
  const result = transition(facts(c), { type: 'rating_removed' });
  if (!result.ok) return;
  const now = isoNow(deps.clock);
  const changes = {
    state: result.state,
    dueOn: null,
    escalation: 0,
    closedAt: c.closedAt ?? now,
    updatedAt: now,
  };
  if (!(await store.updateCase(trx, c.id, c.state, changes))) return;
  const counted = caseCounters(c);
  await adjustActivity(trx, parseScopes(rating.rollupScopes), rating.day, {
    badCases: -counted.badCases,
    replied: -counted.replied,
    rectified: -counted.rectified,
    judged: -counted.judged,
    satisfied: -counted.satisfied,
  });
  await recordEvent(trx, deps, OPENER, c.id, 'rating_removed', { reason });
  await appendAudit(trx, deps.database.dialect, deps.clock, OPENER, {
    action: 'case.rating_removed',
    entityType: 'case',
    entityId: c.id,
    before: auditView(c),
    after: auditView({ ...c, ...changes }),
    detail: { reason },
  });
}

async function unitName(db: Executor, unitId: string, day: string): Promise<string> {
  return (await namesOn(db, [unitId], day)).get(unitId) ?? '';
}

// --- the rater's judgement -------------------------------------------------------------------

async function caseByToken(db: Executor, token: string): Promise<CasesTable> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw new NotFound('judgement', 'token');
  const c = await store.caseByJudgeToken(db, sha256Hex(token));
  if (!c) throw new NotFound('judgement', 'token');
  return c;
}

function presentJudgement(c: CasesTable, name: string): JudgementView {
  const state = c.state as CaseState;
  const judgement = c.judgement as Judgement | null;
  return {
    caseReference: caseReference(c.id),
    unitName: name,
    ratingDay: c.ratingDay,
    state,
    stateName: CASE_STATE_NAMES[state],
    // Masked as on the public page: a forwarded link must not carry anybody's phone or ID number.
    replyText: c.replyText === null ? null : maskPersonalData(c.replyText),
    rectificationText: c.rectificationText === null ? null : maskPersonalData(c.rectificationText),
    repliedAt: c.repliedAt,
    judgeDueOn: c.judgeDueOn,
    open: state === 'awaiting_judgement',
    judgement,
    judgementName: judgement === null ? null : JUDGEMENT_NAMES[judgement],
  };
}

/** What the rater sees behind the link: the reply and the rectification, nobody's personal data. */
export async function getJudgement(deps: Deps, token: string): Promise<JudgementView> {
  const db = deps.database.db;
  const c = await caseByToken(db, token);
  return presentJudgement(c, await unitName(db, c.unitId, today(deps)));
}

const RATER: Actor = { kind: 'system', label: 'rater' };

/**
 * The rater judges the fix: satisfied or basically satisfied closes the case; not satisfied reopens it
 * for another round of rectification, due again from today. The link works once.
 */
export async function submitJudgement(
  deps: Deps,
  token: string,
  input: { judgement: Judgement; comment?: string | undefined },
): Promise<JudgementView> {
  const comment = (input.comment ?? '').normalize('NFC').trim();
  if (comment.length > 500) {
    throw new Invalid('invalid_input', 'The field "comment" has at most 500 characters.', {
      field: 'comment',
    });
  }
  return inTransaction(deps, RATER, async (trx, audit) => {
    const c = await caseByToken(trx, token);
    if (c.state !== 'awaiting_judgement') {
      throw new Conflict('judgement_closed', 'This link has been used or has expired.', {
        state: c.state,
        stateName: CASE_STATE_NAMES[c.state as CaseState],
      });
    }
    const { state, reopened } = next(c, { type: 'judge', judgement: input.judgement });
    const day = today(deps);
    const rating = await ratingOf(trx, c);
    const delta = judgementDelta(c.judgement as Judgement | null, input.judgement);
    await adjustActivity(trx, parseScopes(rating.rollupScopes), rating.day, delta);
    let changes: Partial<CasesTable> = {
      state,
      judgement: input.judgement,
      judgementComment: comment === '' ? null : comment,
      judgedAt: isoNow(deps.clock),
      // The hash stays until the next reply replaces it: the rater can still open the link and see the
      // outcome, but the case no longer awaits a judgement, so the link cannot be used twice.
      judgeDueOn: null,
    };
    if (reopened) {
      const rules = await rulesOfCase(trx, c, day);
      const dueOn = dueDate(state, c.openedOn, day, rules, await loadCalendar(trx));
      // A new round: the fix and the call-back are to be done again before the next reply.
      changes = {
        ...changes,
        rectifyFrom: day,
        dueOn,
        escalation: 0,
        reopenCount: c.reopenCount + 1,
        rectified: 0,
        calledBack: 0,
      };
    } else {
      changes = { ...changes, closedAt: isoNow(deps.clock) };
    }
    const updated = await save(trx, deps, c, changes);
    await recordEvent(trx, deps, RATER, c.id, 'judged', {
      judgement: input.judgement,
      judgementName: JUDGEMENT_NAMES[input.judgement],
      ...(comment ? { comment } : {}),
    });
    if (reopened) {
      await recordEvent(trx, deps, RATER, c.id, 'reopened', {
        dueOn: updated.dueOn,
        reopenCount: updated.reopenCount,
      });
      await enqueue(trx, deps.clock, {
        channel: 'sms',
        recipient: await responsibleRecipient(trx, c, day),
        subject: `差评整改被评价为不满意 ${caseReference(c.id)}`,
        body: `【民评】评价人对差评${caseReference(c.id)}的整改不满意，案件已重新打开，请于${updated.dueOn ?? ''}前再次整改并答复。`,
        relatedType: 'case',
        relatedId: c.id,
      });
    }
    await audit({
      action: 'case.judge',
      entityType: 'case',
      entityId: c.id,
      before: auditView(c),
      after: auditView(updated),
    });
    return presentJudgement(updated, await unitName(trx, c.unitId, day));
  });
}

// --- presenters ------------------------------------------------------------------------------

function parseTags(json: string): string[] {
  try {
    const value = JSON.parse(json) as unknown;
    return Array.isArray(value) ? value.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

function summarize(
  row: store.CaseRow,
  names: ReadonlyMap<string, string>,
  day: string,
  calendar: WorkingCalendar,
): CaseSummary {
  const state = row.state as CaseState;
  const held = state === 'verifying' || state === 'rectifying';
  const left = held ? workingDaysLeft(row.dueOn, day, calendar) : null;
  const escalation = row.escalation as EscalationLevel;
  return {
    id: row.id,
    reference: caseReference(row.id),
    ratingId: row.ratingId,
    unitId: row.unitId,
    unitName: names.get(row.unitId) ?? '',
    responsibleUnitId: row.responsibleUnitId,
    responsibleUnitName: names.get(row.responsibleUnitId) ?? '',
    responsibleName: row.responsibleName,
    state,
    stateName: CASE_STATE_NAMES[state],
    named: row.named === 1,
    calledBack: row.calledBack === 1,
    rectified: row.rectified === 1,
    reopenCount: row.reopenCount,
    ratingDay: row.ratingDay,
    openedAt: row.openedAt,
    openedOn: row.openedOn,
    dueOn: held ? row.dueOn : null,
    workingDaysLeft: left,
    overdue: held && row.dueOn !== null && day > row.dueOn,
    escalation,
    escalationName: escalation === 0 ? null : ESCALATION_NAMES[escalation],
    level: row.level,
    tags: parseTags(row.tags),
    // What the rater typed may hold numbers (phone, ID card): masked for every reader. Only the
    // structured contact left for a call-back (CaseDetail.rater) is shown, to those handling the case.
    comment: maskPersonalData(row.comment),
    channel: row.channel,
    repliedAt: row.repliedAt,
    judgement: row.judgement as Judgement | null,
    judgeDueOn: row.judgeDueOn,
    closedAt: row.closedAt,
  };
}

function parseEvidence(json: string | null): string[] {
  if (json === null) return [];
  return parseTags(json);
}

/**
 * One case with its event log, for those who handle it and those who read it (leaders, supervisors); the
 * rater's contact for a call-back only to those who handle it.
 */
export async function getCase(deps: Deps, actor: Actor, id: string): Promise<CaseDetail> {
  const db = deps.database.db;
  const c = await loadCaseFor(db, deps, actor, id, 'cases:read');
  const row = await store.caseRowById(db, c.id);
  if (!row) throw new NotFound('case', id);
  const day = today(deps);
  const names = await namesOn(db, [row.unitId, row.responsibleUnitId], day);
  const calendar = await loadCalendar(db);
  const contact =
    row.named === 1 && hasPermission(actor, 'cases:handle')
      ? await store.contactOf(db, row.transactionId)
      : undefined;
  const events = await store.eventsOf(db, c.id);
  const warnings = await store.warningsOf(db, c.id);
  return {
    ...summarize(row, names, day, calendar),
    appealReason: row.appealReason as AppealReason | null,
    appealText: row.appealText,
    appealEvidence: parseEvidence(row.appealEvidence),
    appealDecision: row.appealDecision as 'upheld' | 'rejected' | null,
    appealNote: row.appealNote,
    rectificationText: row.rectificationText,
    replyText: row.replyText,
    judgementComment: row.judgementComment === null ? null : maskPersonalData(row.judgementComment),
    judgedAt: row.judgedAt,
    rater: contact ? { name: contact.contactName, phone: contact.contactPhone } : null,
    warnings: warnings.map((w) => ({
      level: w.level,
      name: ESCALATION_NAMES[w.level as Exclude<EscalationLevel, 0>],
      dueOn: w.dueOn,
      issuedOn: w.issuedOn,
    })),
    events: events.map((e) => ({
      id: e.id,
      at: e.at,
      actor: e.actorLabel,
      type: e.type,
      payload: maskedPayload(JSON.parse(e.payload) as Record<string, unknown>),
    })),
  };
}

/** An event's payload with the rater's own words (`comment`) masked, as in the case itself. */
function maskedPayload(payload: Record<string, unknown>): Record<string, unknown> {
  return typeof payload.comment === 'string'
    ? { ...payload, comment: maskPersonalData(payload.comment) }
    : payload;
}

/** Units an actor may see cases of (today), narrowed to a chosen unit's subtree; null means every unit. */
function visibleUnits(tree: UnitTree, actor: Actor, unitId: string | undefined): readonly string[] | null {
  const visible = narrowedVisible(tree, actor, unitId);
  return visible === null ? null : [...visible];
}

/** The case queue: newest first, filtered by unit subtree, state, overdue and escalation level. */
export async function listCases(deps: Deps, actor: Actor, query: CaseQuery = {}): Promise<CasePage> {
  requirePermission(actor, 'cases:read');
  const db = deps.database.db;
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  if (query.state !== undefined && !(CASE_STATES as readonly string[]).includes(query.state)) {
    throw new Invalid('invalid_input', 'Unknown case state.', { field: 'state' });
  }
  const day = today(deps);
  const tree = await treeOn(db, day);
  const names = namesOf(tree);
  const filter: store.CaseFilter = {
    unitIds: visibleUnits(tree, actor, query.unitId),
    states: query.state ? [query.state] : undefined,
    dueBefore: query.overdue ? day : undefined,
    escalation: query.escalation,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
  const [rows, total] = await Promise.all([store.listCases(db, filter), store.countCases(db, filter)]);
  const calendar = await loadCalendar(db);
  return { items: rows.map((r) => summarize(r, names, day, calendar)), total, page, pageSize };
}

// --- warnings --------------------------------------------------------------------------------

/** Warnings (预警单, 紧急预警单, 约谈) issued to units, newest first. */
export async function listWarnings(
  deps: Deps,
  actor: Actor,
  query: WarningQuery = {},
): Promise<WarningView[]> {
  requirePermission(actor, 'cases:read');
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && !isValidDate(value)) {
      throw new Invalid('invalid_date', `${field} must be a date written as YYYY-MM-DD.`, { field });
    }
  }
  const db = deps.database.db;
  const tree = await treeOn(db, today(deps));
  const names = namesOf(tree);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 100;
  const rows = await store.listWarnings(db, {
    unitIds: visibleUnits(tree, actor, query.unitId),
    level: query.level,
    from: query.from,
    to: query.to,
    limit: pageSize,
    offset: (page - 1) * pageSize,
  });
  return rows.map((w) => {
    const state = w.caseState as CaseState;
    return {
      id: w.id,
      caseId: w.caseId,
      caseReference: caseReference(w.caseId),
      level: w.level,
      name: ESCALATION_NAMES[w.level as Exclude<EscalationLevel, 0>],
      unitId: w.unitId,
      unitName: names.get(w.unitId) ?? '',
      ratedUnitId: w.ratedUnitId,
      responsibleName: w.responsibleName,
      dueOn: w.dueOn,
      issuedOn: w.issuedOn,
      createdAt: w.createdAt,
      caseState: state,
      caseStateName: CASE_STATE_NAMES[state],
    };
  });
}

// --- settings --------------------------------------------------------------------------------

async function presentConfig(db: Executor, config: CasesConfig, day: string): Promise<CasesConfigView> {
  const names = await namesOn(db, Object.keys(config.byUnit), day);
  return {
    rules: config.rules,
    byUnit: Object.entries(config.byUnit).map(([unitId, rules]) => ({
      unitId,
      unitName: names.get(unitId) ?? '',
      ...rules,
    })),
  };
}

export async function getCasesConfig(deps: Deps, actor: Actor): Promise<CasesConfigView> {
  requirePermission(actor, 'settings:write');
  const db = deps.database.db;
  return presentConfig(db, await loadCasesConfig(db), today(deps));
}

/**
 * Sets the deadlines in working days, for the installation and per jurisdiction (or any unit; the
 * nearest one in a case's ancestry wins, field by field). Open cases take the new deadlines at the next
 * sweep; warnings already issued stay.
 */
export async function putCasesConfig(
  deps: Deps,
  actor: Actor,
  input: CasesConfigInput,
): Promise<CasesConfigView> {
  requirePermission(actor, 'settings:write');
  for (const field of DEADLINE_FIELDS) {
    const problem = deadlineProblem(field, input.rules[field]);
    if (problem) throw new Invalid('invalid_deadline', problem, { field: `rules.${field}` });
  }
  const byUnit: CasesConfig['byUnit'] = overridesByUnit(input.byUnit ?? [], (entry, at) => {
    const picked: Partial<DeadlineRules> = {};
    for (const field of DEADLINE_FIELDS) {
      const value = entry[field];
      if (value === undefined) continue;
      const problem = deadlineProblem(field, value);
      if (problem) throw new Invalid('invalid_deadline', problem, { field: `${at}.${field}` });
      picked[field] = value;
    }
    return picked;
  });
  return inTransaction(deps, actor, async (trx, audit) => {
    await assertOverrideUnitsExist(trx, byUnit);
    const before = await loadCasesConfig(trx);
    const after: CasesConfig = { rules: { ...input.rules }, byUnit };
    await putSetting(trx, CASES_CONFIG_KEY, JSON.stringify(after));
    await audit({
      action: 'settings.cases',
      entityType: 'settings',
      entityId: CASES_CONFIG_KEY,
      before,
      after,
    });
    return presentConfig(trx, after, today(deps));
  });
}

// --- the public page -------------------------------------------------------------------------

function presentPublic(row: store.CaseRow, names: ReadonlyMap<string, string>): PublicCase {
  const state = row.state as CaseState;
  const held = state === 'verifying' || state === 'rectifying';
  const replied = row.repliedAt !== null;
  const judgement = row.judgement as Judgement | null;
  return {
    id: row.id,
    reference: caseReference(row.id),
    unitName: names.get(row.unitId) ?? '',
    date: row.ratingDay,
    level: row.level,
    tags: parseTags(row.tags),
    comment: maskPersonalData(row.comment),
    state,
    stateName: CASE_STATE_NAMES[state],
    dueOn: held ? row.dueOn : null,
    replyText: replied && row.replyText !== null ? maskPersonalData(row.replyText) : null,
    rectificationText:
      replied && row.rectificationText !== null ? maskPersonalData(row.rectificationText) : null,
    repliedAt: row.repliedAt,
    judgement,
    judgementName: judgement === null ? null : JUDGEMENT_NAMES[judgement],
    closedAt: row.closedAt,
  };
}

/** States the public sees: every case except those dismissed on appeal (their rating no longer counts). */
const PUBLIC_STATES = CASE_STATES.filter((s) => s !== 'dismissed');

/**
 * A unit's bad reviews and how each was handled, for the public: the rated unit and every unit under it,
 * optionally within a period (by the day of the review). No rater's identity, no staff contact.
 */
export async function publicCasesOfUnit(
  deps: Deps,
  code: string,
  query: {
    periodId?: string | undefined;
    from?: string | undefined;
    to?: string | undefined;
    page?: number | undefined;
    pageSize?: number | undefined;
  },
): Promise<PublicCasePage> {
  const db = deps.database.db;
  const unitId = await registryStore.unitIdByCode(db, code);
  if (!unitId) throw new NotFound('unit', code);
  let from = query.from;
  let to = query.to;
  if (from !== undefined && to !== undefined && from > to) {
    throw new Invalid('invalid_range', 'The period ends before it starts.', { field: 'to' });
  }
  if (query.periodId !== undefined) {
    const period = await registryStore.periodById(db, query.periodId);
    if (!period) throw new NotFound('period', query.periodId);
    from = period.startDate;
    to = period.endDate;
  }
  const tree = await treeOn(db, today(deps));
  const names = namesOf(tree);
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  const filter: store.CaseFilter = {
    unitIds: tree.unit(unitId) ? [...tree.subtree(unitId)] : [unitId],
    states: PUBLIC_STATES,
    ratingFrom: from,
    ratingTo: to,
    limit: pageSize,
    offset: (page - 1) * pageSize,
    ratedUnitOnly: true,
  };
  const [rows, total] = await Promise.all([store.listCases(db, filter), store.countCases(db, filter)]);
  return {
    unitName: names.get(unitId) ?? '',
    items: rows.map((r) => presentPublic(r, names)),
    total,
    page,
    pageSize,
  };
}

export async function publicCase(deps: Deps, id: string): Promise<PublicCase> {
  const db = deps.database.db;
  const row = await store.caseRowById(db, id);
  if (!row || row.state === 'dismissed') throw new NotFound('case', id);
  const names = await namesOn(db, [row.unitId], today(deps));
  return presentPublic(row, names);
}
