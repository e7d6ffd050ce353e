import { type Actor, requirePermission as require, actorName } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { ConsequenceAppealsTable, ConsequencesTable } from '../core/db/schema.js';
import { canonicalJson } from '../core/digest.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow, isValidDate } from '../core/time.js';
import * as registryStore from '../registry/store.js';
import { getRun, getScheme, getSchemeVersion, listRuns } from '../scoring/service.js';
import type { RunDetail, RunSummary } from '../scoring/types.js';
import {
  isOpen,
  proposalKey,
  proposeConsequences,
  RULE_PRESETS,
  ruleProblems,
  type AppealStatus,
  type AppealView,
  type ConsequenceKind,
  type ConsequenceRule,
  type ConsequenceStatus,
  type ConsequenceView,
  type Proposal,
  type RecordResult,
  type RulePreset,
  type RuleSetView,
  type RunOutcomes,
  type UnitRecord,
} from './model.js';
import * as store from './store.js';

/*
 * Result application use cases: a scheme's consequence rules; a published run's proposals, computed on
 * demand from the run (scoring knows nothing of outcomes); the office's decision on each, one by one;
 * carrying out a talk or commitment; appeals and their decisions; a unit's record. Each write is one
 * transaction with its audit entry. Runs are read through scoring's service before a transaction opens
 * (a published run never changes), so nothing reads through the pool inside one.
 */

const actorIdOf = (actor: Actor): string | null => (actor.kind === 'system' ? null : actor.id);

function text(value: string | undefined | null, field: string, max: number, required = true): string {
  const cleaned = (value ?? '').normalize('NFC').trim();
  if (required && cleaned === '') {
    throw new Invalid('invalid_input', `The field "${field}" must not be empty.`, { field });
  }
  if (cleaned.length > max) {
    throw new Invalid('invalid_input', `The field "${field}" has at most ${max} characters.`, { field });
  }
  return cleaned;
}

function day(value: string, field: string): string {
  if (!isValidDate(value))
    throw new Invalid('invalid_date', `The field "${field}" is a date YYYY-MM-DD.`, { field });
  return value;
}

const today = (deps: Deps): string => chinaDate(deps.clock.now());

// --- rules ---------------------------------------------------------------------------------------

/** GET /api/outcomes/presets: the seed models' rule sets. */
export function listPresets(actor: Actor): RulePreset[] {
  require(actor, 'scoring:read');
  return [...RULE_PRESETS];
}

async function rulesOf(deps: Deps, schemeId: string): Promise<ConsequenceRule[] | null> {
  const row = await store.ruleSet(deps.database.db, schemeId);
  return row ? (JSON.parse(row.rules) as ConsequenceRule[]) : null;
}

/** GET /api/outcomes/rules/:schemeId: the scheme's rules (none until the office sets them). */
export async function getRules(deps: Deps, actor: Actor, schemeId: string): Promise<RuleSetView> {
  require(actor, 'scoring:read');
  await getScheme(deps, actor, schemeId);
  const row = await store.ruleSet(deps.database.db, schemeId);
  return {
    schemeId,
    rules: row ? (JSON.parse(row.rules) as ConsequenceRule[]) : [],
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
  };
}

/** PUT /api/outcomes/rules/:schemeId: replaces the rules; every problem refused with the first. */
export async function putRules(
  deps: Deps,
  actor: Actor,
  schemeId: string,
  rules: unknown,
): Promise<RuleSetView> {
  require(actor, 'scoring:manage');
  await getScheme(deps, actor, schemeId);
  const problems = ruleProblems(rules);
  const first = problems[0];
  if (first) {
    throw new Invalid(first.code, first.message, { rule: first.index === null ? null : first.index + 1 });
  }
  const clean = (rules as ConsequenceRule[]).map((r) => ({ ...r, name: r.name.normalize('NFC').trim() }));
  const at = isoNow(deps.clock);
  const by = actorName(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.ruleSet(trx, schemeId);
    await store.putRuleSet(trx, { schemeId, rules: canonicalJson(clean), updatedAt: at, updatedBy: by });
    await audit({
      action: 'outcome_rules.set',
      entityType: 'scheme',
      entityId: schemeId,
      before: before ? JSON.parse(before.rules) : null,
      after: clean,
    });
    return { schemeId, rules: clean, updatedAt: at, updatedBy: by };
  });
}

// --- proposals and decisions ---------------------------------------------------------------------

async function publishedRun(deps: Deps, actor: Actor, runId: string): Promise<RunDetail> {
  const run = await getRun(deps, actor, runId);
  if (run.status !== 'published' || !run.publishedAt) {
    throw new Conflict('not_published', 'Consequences follow from a published result only.', {
      status: run.status,
    });
  }
  return run;
}

async function proposalsOf(
  deps: Deps,
  run: RunDetail,
): Promise<{ rules: ConsequenceRule[] | null; proposals: Proposal[] }> {
  const rules = await rulesOf(deps, run.schemeId);
  const publishedOn = chinaDate(new Date(run.publishedAt ?? run.computedAt));
  return { rules, proposals: rules ? proposeConsequences(run, rules, publishedOn) : [] };
}

interface Names {
  runs: Map<string, RunSummary>;
}

async function namesOf(deps: Deps, actor: Actor): Promise<Names> {
  return { runs: new Map((await listRuns(deps, actor, {})).map((r) => [r.id, r])) };
}

function presentAppeal(a: ConsequenceAppealsTable): AppealView {
  return {
    id: a.id,
    consequenceId: a.consequenceId,
    filedOn: a.filedOn,
    grounds: a.grounds,
    filedBy: a.filedBy,
    status: a.status as AppealStatus,
    decidedAt: a.decidedAt,
    decidedBy: a.decidedBy,
    decisionReason: a.decisionReason,
  };
}

function present(
  row: ConsequencesTable,
  appeals: readonly ConsequenceAppealsTable[],
  names: Names,
  on: string,
): ConsequenceView {
  const proposal = JSON.parse(row.proposal) as Proposal;
  const status = row.status as ConsequenceStatus;
  const run = names.runs.get(row.runId);
  return {
    ...proposal,
    id: row.id,
    status,
    subject: row.subject,
    note: row.note,
    decidedBy: row.decidedByName,
    decidedAt: row.decidedAt,
    doneOn: row.doneOn,
    doneNote: row.doneNote,
    open: isOpen({ status, kind: row.kind as ConsequenceKind, endsOn: row.endsOn, doneOn: row.doneOn }, on),
    schemeName: run?.schemeName ?? '',
    periodName: run?.periodName ?? '',
    appeals: appeals.filter((a) => a.consequenceId === row.id).map(presentAppeal),
  };
}

async function presentAll(
  deps: Deps,
  actor: Actor,
  rows: readonly ConsequencesTable[],
): Promise<ConsequenceView[]> {
  const appeals = await store.appealsOf(
    deps.database.db,
    rows.map((r) => r.id),
  );
  const names = await namesOf(deps, actor);
  const on = today(deps);
  return rows.map((r) => present(r, appeals, names, on));
}

/** GET /api/outcomes/runs/:runId: what a published run calls for under its scheme's rules, and what was decided. */
export async function runOutcomes(deps: Deps, actor: Actor, runId: string): Promise<RunOutcomes> {
  require(actor, 'scoring:read');
  const run = await publishedRun(deps, actor, runId);
  const { rules, proposals } = await proposalsOf(deps, run);
  const rows = await store.consequencesOfRun(deps.database.db, runId);
  const decided = await presentAll(deps, actor, rows);
  const byKey = new Map(decided.map((c) => [proposalKey(c.ruleKey, c.unitId), c]));
  const items = proposals.map((proposal) => ({
    proposal,
    decision: byKey.get(proposalKey(proposal.ruleKey, proposal.unitId)) ?? null,
  }));
  // Decisions on proposals the current rules no longer make (the rules changed since) stay listed.
  const proposed = new Set(proposals.map((p) => proposalKey(p.ruleKey, p.unitId)));
  rows.forEach((row, i) => {
    const decision = decided[i] ?? null;
    if (!proposed.has(proposalKey(row.ruleKey, row.unitId))) {
      items.push({ proposal: JSON.parse(row.proposal) as Proposal, decision });
    }
  });
  return {
    runId,
    schemeId: run.schemeId,
    schemeName: run.schemeName,
    periodName: run.periodName,
    groupName: run.groupName,
    publishedAt: run.publishedAt ?? '',
    hasRules: rules !== null && rules.length > 0,
    items,
  };
}

export interface DecisionInput {
  ruleKey: string;
  unitId: string;
  decision: 'confirm' | 'reject';
  subject?: string | undefined;
  note?: string | undefined;
}

/** POST /api/outcomes/runs/:runId/decisions: confirms or rejects one proposal, once. */
export async function decide(
  deps: Deps,
  actor: Actor,
  runId: string,
  input: DecisionInput,
): Promise<ConsequenceView> {
  require(actor, 'scoring:manage');
  const run = await publishedRun(deps, actor, runId);
  const { proposals } = await proposalsOf(deps, run);
  const proposal = proposals.find((p) => p.ruleKey === input.ruleKey && p.unitId === input.unitId);
  if (!proposal) {
    throw new Invalid(
      'not_proposed',
      'The scheme’s rules propose no such consequence for this unit in this result.',
      { ruleKey: input.ruleKey, unitId: input.unitId },
    );
  }
  const subject = text(input.subject, 'subject', 60, false) || null;
  const note = text(input.note, 'note', 500, input.decision === 'reject') || null;
  const status: ConsequenceStatus = input.decision === 'confirm' ? 'confirmed' : 'rejected';
  const row: ConsequencesTable = {
    id: newId(),
    runId,
    ruleKey: proposal.ruleKey,
    unitId: proposal.unitId,
    kind: proposal.kind,
    status,
    proposal: canonicalJson(proposal),
    startsOn: proposal.startsOn,
    endsOn: proposal.endsOn,
    subject,
    note,
    decidedBy: actorIdOf(actor),
    decidedByName: actorName(actor),
    decidedAt: isoNow(deps.clock),
    doneOn: null,
    doneNote: null,
  };
  await inTransaction(deps, actor, async (trx, audit) => {
    const earlier = await store.consequenceOf(trx, runId, proposal.ruleKey, proposal.unitId);
    if (earlier) {
      throw new Conflict('already_decided', 'This consequence was decided already; see its record.', {
        status: earlier.status,
        decidedBy: earlier.decidedByName,
        decidedAt: earlier.decidedAt,
      });
    }
    await store.insertConsequence(trx, row);
    await audit({
      action: status === 'confirmed' ? 'consequence.confirmed' : 'consequence.rejected',
      entityType: 'consequence',
      entityId: row.id,
      before: null,
      after: {
        runId,
        ruleKey: row.ruleKey,
        unitId: row.unitId,
        kind: row.kind,
        endsOn: row.endsOn,
        subject,
        note,
      },
    });
  });
  const [view] = await presentAll(deps, actor, [row]);
  if (!view) throw new Error('unreachable');
  return view;
}

async function consequence(deps: Deps, actor: Actor, id: string): Promise<ConsequenceView> {
  const row = await store.consequenceById(deps.database.db, id);
  if (!row) throw new NotFound('consequence', id);
  const [view] = await presentAll(deps, actor, [row]);
  if (!view) throw new Error('unreachable');
  return view;
}

/** GET /api/outcomes/consequences: decided consequences, newest first, of a unit or all; only open ones on request. */
export async function listConsequences(
  deps: Deps,
  actor: Actor,
  query: { unitId?: string | undefined; open?: boolean | undefined },
): Promise<ConsequenceView[]> {
  require(actor, 'scoring:read');
  const rows = await store.listConsequences(deps.database.db, {
    unitId: query.unitId,
    status: query.open ? 'confirmed' : undefined,
  });
  const views = await presentAll(deps, actor, rows);
  return query.open ? views.filter((v) => v.open) : views;
}

/** POST /api/outcomes/consequences/:id/done: a talk was held or a commitment made (recorded once). */
export async function markDone(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { doneOn: string; note: string },
): Promise<ConsequenceView> {
  require(actor, 'scoring:manage');
  const doneOn = day(input.doneOn, 'doneOn');
  const doneNote = text(input.note, 'note', 500);
  await inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.consequenceById(trx, id);
    if (!row) throw new NotFound('consequence', id);
    if (!(['talk', 'public_commitment'] as string[]).includes(row.kind)) {
      throw new Conflict(
        'nothing_to_carry_out',
        'Only a talk or a public commitment is recorded as carried out.',
      );
    }
    if (row.status !== 'confirmed') {
      throw new Conflict('not_confirmed', 'Only a confirmed consequence is carried out.', {
        status: row.status,
      });
    }
    if (row.doneOn !== null) {
      throw new Conflict('already_done', 'This was recorded as carried out already.', { doneOn: row.doneOn });
    }
    if (doneOn < row.startsOn) {
      throw new Invalid('before_start', 'It cannot have been carried out before the result was published.', {
        startsOn: row.startsOn,
      });
    }
    await store.updateConsequence(trx, id, 'confirmed', { doneOn, doneNote });
    await audit({
      action: 'consequence.done',
      entityType: 'consequence',
      entityId: id,
      before: { doneOn: null },
      after: { doneOn, doneNote },
    });
  });
  return consequence(deps, actor, id);
}

/** POST /api/outcomes/consequences/:id/appeals: records a unit's appeal against a confirmed consequence. */
export async function fileAppeal(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { filedOn: string; grounds: string },
): Promise<ConsequenceView> {
  require(actor, 'scoring:manage');
  const filedOn = day(input.filedOn, 'filedOn');
  const grounds = text(input.grounds, 'grounds', 2000);
  await inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.consequenceById(trx, id);
    if (!row) throw new NotFound('consequence', id);
    if (row.status !== 'confirmed') {
      throw new Conflict('not_confirmed', 'Only a confirmed consequence can be appealed.', {
        status: row.status,
      });
    }
    const appeals = await store.appealsOf(trx, [id]);
    if (appeals.some((a) => a.status === 'pending')) {
      throw new Conflict('appeal_pending', 'An appeal against this consequence awaits its decision.');
    }
    if (filedOn < row.startsOn) {
      throw new Invalid('before_start', 'An appeal cannot be filed before the result was published.', {
        startsOn: row.startsOn,
      });
    }
    const appealId = newId();
    await store.insertAppeal(trx, {
      id: appealId,
      consequenceId: id,
      filedOn,
      grounds,
      filedBy: actorName(actor),
      filedAt: isoNow(deps.clock),
      status: 'pending',
      decidedAt: null,
      decidedBy: null,
      decisionReason: null,
    });
    await audit({
      action: 'consequence.appealed',
      entityType: 'consequence_appeal',
      entityId: appealId,
      before: null,
      after: { consequenceId: id, filedOn, grounds },
    });
  });
  return consequence(deps, actor, id);
}

/** POST /api/outcomes/appeals/:id/decide: upheld (the consequence stands) or granted (it is revoked), with reasons. */
export async function decideAppeal(
  deps: Deps,
  actor: Actor,
  appealId: string,
  input: { decision: 'upheld' | 'granted'; reason: string },
): Promise<ConsequenceView> {
  require(actor, 'scoring:manage');
  const reason = text(input.reason, 'reason', 2000);
  const consequenceId = await inTransaction(deps, actor, async (trx, audit) => {
    const appeal = await store.appealById(trx, appealId);
    if (!appeal) throw new NotFound('appeal', appealId);
    const decidedAt = isoNow(deps.clock);
    if (
      !(await store.decideAppeal(trx, appealId, {
        status: input.decision,
        decidedAt,
        decidedBy: actorName(actor),
        decisionReason: reason,
      }))
    ) {
      throw new Conflict('appeal_decided', 'This appeal was decided already.', { status: appeal.status });
    }
    if (input.decision === 'granted') {
      await store.updateConsequence(trx, appeal.consequenceId, 'confirmed', { status: 'revoked' });
    }
    await audit({
      action: `consequence.appeal_${input.decision}`,
      entityType: 'consequence_appeal',
      entityId: appealId,
      before: { status: 'pending' },
      after: { status: input.decision, reason },
    });
    return appeal.consequenceId;
  });
  return consequence(deps, actor, consequenceId);
}

// --- a unit's record -----------------------------------------------------------------------------

/** GET /api/outcomes/units/:unitId/record: every published result of the unit and every consequence. */
export async function unitRecord(deps: Deps, actor: Actor, unitId: string): Promise<UnitRecord> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  const version = await registryStore.latestVersionOf(db, unitId);
  if (!version) throw new NotFound('unit', unitId);
  const published = (await listRuns(deps, actor, {})).filter((r) => r.status === 'published');
  const results: RecordResult[] = [];
  const gradeNames = new Map<string, Map<string, string>>();
  for (const summary of published) {
    const run = await getRun(deps, actor, summary.id);
    const row = run.units.find((u) => u.unitId === unitId);
    if (!row) continue;
    const versionKey = `${run.schemeId}/${run.version}`;
    let grades = gradeNames.get(versionKey);
    if (!grades) {
      const definition = (await getSchemeVersion(deps, actor, run.schemeId, run.version)).definition;
      grades = new Map(definition.grades.map((g) => [g.key, g.name]));
      gradeNames.set(versionKey, grades);
    }
    results.push({
      runId: run.id,
      schemeName: run.schemeName,
      periodName: run.periodName,
      groupName: run.groupName,
      publishedAt: run.publishedAt ?? '',
      total: row.total,
      rank: row.rank,
      groupSize: run.units.length,
      grade: row.grade,
      gradeName: row.grade ? (grades.get(row.grade) ?? row.grade) : null,
      rankChange: row.rankChange,
      flags: [...row.flags],
      onBest: run.current.best.includes(unitId),
      onWorst: run.current.worst.includes(unitId),
    });
  }
  results.sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0));
  return {
    unitId,
    unitCode: version.code,
    unitName: version.name,
    results,
    consequences: (await listConsequences(deps, actor, { unitId })).filter((c) => c.status !== 'rejected'),
  };
}

/** The consequences decided on a run (any status), for the run's notice. */
export async function consequencesOfRun(deps: Deps, actor: Actor, runId: string): Promise<ConsequenceView[]> {
  require(actor, 'scoring:read');
  return presentAll(deps, actor, await store.consequencesOfRun(deps.database.db, runId));
}
