import { randomBytes } from 'node:crypto';
import { hasPermission, type Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { CampaignRoundsTable, CampaignsTable, CampaignSubjectsTable } from '../core/db/schema.js';
import { canonicalJson, sha256Hex } from '../core/digest.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isoNow, isValidDate } from '../core/time.js';
import * as registryStore from '../registry/store.js';
import { describeKeyTaskFormula, validateQuestionnaire } from './model.js';
import { remixRound, parseQuestionnaire } from './ballots.js';
import { computeRoundResults } from './results.js';
import * as store from './store.js';
import {
  EVALUATOR_SOURCES,
  SUBJECT_KINDS,
  type CampaignChanges,
  type CampaignDetail,
  type CampaignInput,
  type CampaignSummary,
  type RoundResults,
  type RoundState,
  type RoundView,
  type SubjectInput,
  type SubjectKind,
  type SubjectResult,
} from './types.js';

/*
 * Campaigns as use cases for the office: design (subjects, questionnaire, rounds and stages), the
 * lifecycle of a round (draft → open → closed → computed), invitations from an evaluator source, the
 * response monitor with reminders, and results. The evaluator's side is in ballots.ts.
 */

const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,39}$/;
export const MAX_SUBJECTS = 2000;
export const MAX_INVITATIONS = 20000;

export function requireManager(actor: Actor): void {
  if (!hasPermission(actor, 'campaigns:manage')) {
    throw new Forbidden('forbidden', 'Only the assessment office may run evaluation campaigns.');
  }
}

// --- presenting ----------------------------------------------------------------------------------

export const parseList = (text: string): string[] => JSON.parse(text) as string[];

async function detailOf(db: Executor, campaign: CampaignsTable): Promise<CampaignDetail> {
  const subjects = await store.subjectsOf(db, campaign.id);
  const rounds = await store.roundsOf(db, campaign.id);
  const stages = await store.stagesOf(db, campaign.id);
  const names = await registryStore.latestUnitNames(
    db,
    subjects.map((s) => s.unitId),
  );
  const questionnaire = parseQuestionnaire(campaign.questionnaire);
  return {
    id: campaign.id,
    key: campaign.key,
    name: campaign.name,
    subjectKind: campaign.subjectKind as SubjectKind,
    createdAt: campaign.createdAt,
    description: campaign.description,
    questionnaire,
    formula: describeKeyTaskFormula(questionnaire),
    named: campaign.named === 1,
    mixSize: campaign.mixSize,
    minResponses: campaign.minResponses,
    frozen: await store.hasBallots(db, campaign.id),
    subjects: subjects.map((s) => ({
      id: s.id,
      kind: s.kind as SubjectKind,
      unitId: s.unitId,
      unitName: names.get(s.unitId) ?? '',
      name: s.name,
      group: s.groupName,
      description: s.description,
      highlights: parseList(s.highlights),
      cooperatingUnitIds: parseList(s.cooperating),
    })),
    rounds: rounds.map((r): RoundView => ({
      id: r.id,
      key: r.key,
      name: r.name,
      periodId: r.periodId,
      opensOn: r.opensOn,
      closesOn: r.closesOn,
      state: r.state as RoundState,
      stages: stages
        .filter((st) => st.roundId === r.id)
        .map((st) => ({
          id: st.id,
          name: st.name,
          source: st.source as (typeof EVALUATOR_SOURCES)[number],
          opensOn: st.opensOn,
          closesOn: st.closesOn,
        })),
    })),
  };
}

// --- design --------------------------------------------------------------------------------------

export const text = (value: string | undefined, max: number, field: string): string => {
  const t = (value ?? '').trim();
  if (t.length > max)
    throw new Invalid('text_too_long', `${field} is longer than ${max} characters.`, { field, max });
  return t;
};

function checkDates(opensOn: string, closesOn: string, field: string): void {
  if (!isValidDate(opensOn) || !isValidDate(closesOn) || closesOn < opensOn) {
    throw new Invalid(
      'invalid_dates',
      'Give real dates (YYYY-MM-DD), the closing date on or after the opening date.',
      {
        field,
      },
    );
  }
}

async function subjectRows(
  db: Executor,
  campaignId: string,
  kind: SubjectKind,
  input: readonly SubjectInput[],
): Promise<CampaignSubjectsTable[]> {
  if (input.length === 0 || input.length > MAX_SUBJECTS) {
    throw new Invalid('invalid_subjects', `A campaign judges from 1 to ${MAX_SUBJECTS} subjects.`, {
      field: 'subjects',
    });
  }
  const unitIds = input.flatMap((s) => [s.unitId, ...(s.cooperatingUnitIds ?? [])]);
  const names = await registryStore.latestUnitNames(db, unitIds);
  const seenUnits = new Set<string>();
  return input.map((s, position) => {
    if (s.kind !== kind) {
      throw new Invalid(
        'invalid_subjects',
        `This campaign judges ${kind === 'unit' ? 'units' : 'key tasks'} only.`,
        {
          field: `subjects[${position}]`,
        },
      );
    }
    for (const id of [s.unitId, ...(s.cooperatingUnitIds ?? [])]) {
      if (!names.has(id)) {
        throw new Invalid('unknown_unit', 'A subject names a unit that is not in the registry.', {
          field: `subjects[${position}]`,
          unitId: id,
        });
      }
    }
    if (kind === 'unit') {
      if (seenUnits.has(s.unitId)) {
        throw new Invalid('duplicate_subject', 'The same unit is listed twice.', { unitId: s.unitId });
      }
      seenUnits.add(s.unitId);
    }
    const name = text(s.name, 100, 'name') || (kind === 'unit' ? (names.get(s.unitId) ?? '') : '');
    if (name === '')
      throw new Invalid('invalid_subjects', 'Name every key task.', { field: `subjects[${position}]` });
    const highlights = (s.highlights ?? []).map((h) => text(h, 500, 'highlights')).filter((h) => h !== '');
    if (highlights.length > 20)
      throw new Invalid('invalid_subjects', 'At most 20 highlights per subject.', {});
    return {
      id: newId(),
      campaignId,
      position,
      kind,
      unitId: s.unitId,
      name,
      groupName: text(s.group, 60, 'group'),
      description: text(s.description, 4000, 'description'),
      highlights: JSON.stringify(highlights),
      cooperating: JSON.stringify([...new Set(s.cooperatingUnitIds ?? [])]),
    };
  });
}

/** Creates a campaign in draft with its subjects, questionnaire, rounds and stages. */
export async function createCampaign(
  deps: Deps,
  actor: Actor,
  input: CampaignInput,
): Promise<CampaignDetail> {
  requireManager(actor);
  if (!KEY.test(input.key)) {
    throw new Invalid('invalid_key', 'The key uses letters, digits, “-” and “_” (up to 40).', {
      field: 'key',
    });
  }
  if (!(SUBJECT_KINDS as readonly string[]).includes(input.subjectKind)) {
    throw new Invalid('invalid_subjects', 'Subjects are units or key tasks.', { field: 'subjectKind' });
  }
  const questionnaire = validateQuestionnaire(input.questionnaire);
  const mixSize = input.mixSize ?? 20;
  const minResponses = input.minResponses ?? 30;
  if (!Number.isInteger(mixSize) || mixSize < 2 || mixSize > 1000) {
    throw new Invalid('invalid_mix_size', 'Ballots are mixed in batches of 2 to 1000.', { field: 'mixSize' });
  }
  if (!Number.isInteger(minResponses) || minResponses < 0) {
    throw new Invalid('invalid_minimum', 'The minimum responses per subject is a whole number.', {});
  }
  if (input.rounds.length === 0 || input.rounds.length > 12) {
    throw new Invalid('invalid_rounds', 'A campaign has from 1 to 12 rounds.', { field: 'rounds' });
  }
  const roundKeys = new Set(input.rounds.map((r) => r.key));
  if (roundKeys.size !== input.rounds.length || input.rounds.some((r) => !KEY.test(r.key))) {
    throw new Invalid('invalid_rounds', 'Each round needs its own key (letters, digits, “-”, “_”).', {});
  }
  const now = isoNow(deps.clock);
  return inTransaction(deps, actor, async (trx, audit) => {
    if (await store.campaignByKey(trx, input.key)) {
      throw new Conflict('duplicate_key', `A campaign with the key “${input.key}” exists already.`, {
        key: input.key,
      });
    }
    const id = newId();
    const row: CampaignsTable = {
      id,
      key: input.key,
      name: text(input.name, 200, 'name'),
      description: text(input.description, 4000, 'description'),
      subjectKind: input.subjectKind,
      questionnaire: JSON.stringify(questionnaire),
      named: input.named ? 1 : 0,
      mixSize,
      minResponses,
      secret: randomBytes(32).toString('base64url'),
      createdBy: 'kind' in actor && actor.kind === 'account' ? actor.username : 'system',
      createdAt: now,
      updatedAt: now,
    };
    if (row.name === '') throw new Invalid('invalid_name', 'Name the campaign.', { field: 'name' });
    await store.insertCampaign(trx, row);
    await store.insertSubjects(trx, await subjectRows(trx, id, input.subjectKind, input.subjects));
    for (const [position, r] of input.rounds.entries()) {
      checkDates(r.opensOn, r.closesOn, `rounds[${position}]`);
      if (r.periodId !== undefined && !(await registryStore.periodById(trx, r.periodId))) {
        throw new Invalid('unknown_period', 'The chosen period does not exist.', {
          field: `rounds[${position}]`,
        });
      }
      const roundId = newId();
      await store.insertRound(trx, {
        id: roundId,
        campaignId: id,
        key: r.key,
        name: text(r.name, 100, 'name'),
        position,
        periodId: r.periodId ?? null,
        opensOn: r.opensOn,
        closesOn: r.closesOn,
        state: 'draft',
        openedAt: null,
        closedAt: null,
        computedAt: null,
        results: null,
        resultsDigest: null,
      });
      if (r.stages.length === 0)
        throw new Invalid('invalid_stages', 'Each round has at least one stage.', {});
      await store.insertStages(
        trx,
        r.stages.map((st, i) => {
          checkDates(st.opensOn, st.closesOn, `rounds[${position}].stages[${i}]`);
          if (!(EVALUATOR_SOURCES as readonly string[]).includes(st.source)) {
            throw new Invalid('invalid_stages', 'Unknown evaluator source.', { source: st.source });
          }
          return {
            id: newId(),
            roundId,
            campaignId: id,
            position: i,
            name: text(st.name, 100, 'name'),
            source: st.source,
            opensOn: st.opensOn,
            closesOn: st.closesOn,
          };
        }),
      );
    }
    await audit({
      action: 'campaign.created',
      entityType: 'campaign',
      entityId: id,
      before: null,
      after: { key: row.key, name: row.name },
    });
    return detailOf(trx, row);
  });
}

export async function listCampaigns(deps: Deps, actor: Actor): Promise<CampaignSummary[]> {
  requireManager(actor);
  return (await store.listCampaigns(deps.database.db)).map((c) => ({
    id: c.id,
    key: c.key,
    name: c.name,
    subjectKind: c.subjectKind as SubjectKind,
    createdAt: c.createdAt,
  }));
}

export async function getCampaign(deps: Deps, actor: Actor, id: string): Promise<CampaignDetail> {
  requireManager(actor);
  const campaign = await store.campaignById(deps.database.db, id);
  if (!campaign) throw new NotFound('campaign', id);
  return detailOf(deps.database.db, campaign);
}

/** Changes a campaign's name, description, questionnaire or subjects; the last two only before any ballot. */
export async function updateCampaign(
  deps: Deps,
  actor: Actor,
  id: string,
  changes: CampaignChanges,
): Promise<CampaignDetail> {
  requireManager(actor);
  const questionnaire =
    changes.questionnaire === undefined ? undefined : validateQuestionnaire(changes.questionnaire);
  return inTransaction(deps, actor, async (trx, audit) => {
    const campaign = await store.campaignById(trx, id);
    if (!campaign) throw new NotFound('campaign', id);
    if ((questionnaire || changes.subjects) && (await store.hasBallots(trx, id))) {
      throw new Conflict(
        'questionnaire_frozen',
        'Evaluators have answered already: the questionnaire and the subjects can no longer change. Start a new campaign for a different questionnaire.',
        { campaignId: id },
      );
    }
    const updated: CampaignsTable = {
      ...campaign,
      name: changes.name === undefined ? campaign.name : text(changes.name, 200, 'name') || campaign.name,
      description:
        changes.description === undefined
          ? campaign.description
          : text(changes.description, 4000, 'description'),
      questionnaire: questionnaire ? JSON.stringify(questionnaire) : campaign.questionnaire,
      updatedAt: isoNow(deps.clock),
    };
    await store.updateCampaign(trx, id, {
      name: updated.name,
      description: updated.description,
      questionnaire: updated.questionnaire,
      updatedAt: updated.updatedAt,
    });
    if (changes.subjects) {
      const rows = await subjectRows(trx, id, campaign.subjectKind as SubjectKind, changes.subjects);
      await store.deleteSubjects(trx, id);
      await store.insertSubjects(trx, rows);
    }
    await audit({
      action: 'campaign.updated',
      entityType: 'campaign',
      entityId: id,
      before: null,
      after: null,
      detail: { fields: Object.keys(changes).join(',') },
    });
    return detailOf(trx, updated);
  });
}

// --- lifecycle -------------------------------------------------------------------------------------

export async function roundAndCampaign(db: Executor, roundId: string) {
  const round = await store.roundById(db, roundId);
  if (!round) throw new NotFound('campaign round', roundId);
  const campaign = await store.campaignById(db, round.campaignId);
  if (!campaign) throw new NotFound('campaign', round.campaignId);
  return { round, campaign };
}

const NEXT: Record<'open' | 'close' | 'compute', { from: RoundState; to: RoundState }> = {
  open: { from: 'draft', to: 'open' },
  close: { from: 'open', to: 'closed' },
  compute: { from: 'closed', to: 'computed' },
};

/** Moves a round one step along draft → open → closed → computed. Closing moves every pooled ballot out. */
export async function advanceRound(
  deps: Deps,
  actor: Actor,
  roundId: string,
  step: 'open' | 'close' | 'compute',
): Promise<RoundResults> {
  requireManager(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const round = await store.roundById(trx, roundId, { dialect: deps.database.dialect, mode: 'update' });
    if (!round) throw new NotFound('campaign round', roundId);
    const campaign = await store.campaignById(trx, round.campaignId);
    if (!campaign) throw new NotFound('campaign', round.campaignId);
    const { from, to } = NEXT[step];
    if (round.state !== from) {
      throw new Conflict(
        'invalid_round_state',
        `The round is ${round.state}; it can only be ${step === 'compute' ? 'computed' : `${step}ed`} when ${from}.`,
        {
          state: round.state,
        },
      );
    }
    const now = isoNow(deps.clock);
    const changes: Partial<CampaignRoundsTable> = { state: to };
    if (step === 'open') changes.openedAt = now;
    if (step === 'close') {
      changes.closedAt = now;
      await remixRound(trx, deps.database.dialect, campaign, round.id);
    }
    if (step === 'compute') {
      const results = await computeRoundResults(trx, round.id, campaign);
      changes.computedAt = now;
      changes.results = canonicalJson(results);
      changes.resultsDigest = sha256Hex(changes.results);
    }
    await store.updateRound(trx, round.id, changes);
    await audit({
      action: `campaign.round_${to}`,
      entityType: 'campaign_round',
      entityId: round.id,
      before: { state: from },
      after: { state: to },
    });
    return resultsOf(trx, { ...round, ...changes }, campaign);
  });
}

async function resultsOf(
  db: Executor,
  round: CampaignRoundsTable,
  campaign: CampaignsTable,
): Promise<RoundResults> {
  const subjects = await store.subjectsOf(db, campaign.id);
  const stored = round.results === null ? [] : (JSON.parse(round.results) as SubjectResult[]);
  const byId = new Map(stored.map((r) => [r.subjectId, r]));
  return {
    roundId: round.id,
    state: round.state as RoundState,
    computedAt: round.computedAt,
    ballots: round.state === 'draft' || round.state === 'open' ? 0 : await store.countBallots(db, round.id),
    formula: describeKeyTaskFormula(parseQuestionnaire(campaign.questionnaire)),
    subjects: subjects.flatMap((s) => {
      const r = byId.get(s.id);
      return r ? [{ ...r, name: s.name, unitId: s.unitId }] : [];
    }),
  };
}

/** A round's results (empty until computed). */
export async function roundResults(deps: Deps, actor: Actor, roundId: string): Promise<RoundResults> {
  requireManager(actor);
  const { round, campaign } = await roundAndCampaign(deps.database.db, roundId);
  return resultsOf(deps.database.db, round, campaign);
}
