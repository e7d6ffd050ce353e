import { type Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { DB, RunReviewsTable, ScoringRunsTable } from '../core/db/schema.js';
import { Invalid, NotFound } from '../core/errors.js';
import { sha256Hex } from '../core/digest.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow } from '../core/time.js';
import { loadRatingsConfig } from '../ratings/config.js';
import { subtreeOf } from '../registry/model.js';
import { unitsWithCategoryOn, type UnitWithCategory } from '../registry/tree.js';
import {
  canonicalJson,
  componentList,
  componentPoints,
  computeRanking,
  leafComponents,
  type GroupUnit,
  type PreviousRun,
  type RankingInput,
  type RankingOutcome,
  type ReviewLists,
  type SchemeDefinition,
  type UnitResult,
  type VetoInput,
} from './model.js';
import { collectValues, type PeriodInfo } from './sources.js';
import * as store from './store.js';
import { periodWarnings, refuseUnaccepted, sourceWarnings } from './warnings.js';
import type {
  ComponentSummary,
  ReviewRecord,
  RunDetail,
  RunStatus,
  RunWarning,
  RunSummary,
  UnitResultView,
  UnitRow,
} from './types.js';
import { actorIdOf, actorName, periodNames, periodOf, require } from './common.js';
import { parseDefinition } from './schemes.js';

/* Runs: collect the inputs, compute the ranking, store it with digests; read runs and their units. */

/**
 * The members of a ranking group: units in force on the period's last day that match any of the
 * group's categories, kinds or codes (and lie under `withinCode` when it is given), sorted by code, each
 * with the name of its parent on that day (when it has one).
 */
export async function groupMembers(
  db: Executor,
  scheme: SchemeDefinition,
  groupKey: string,
  period: PeriodInfo,
): Promise<GroupUnit[]> {
  const group = scheme.groups.find((g) => g.key === groupKey);
  if (!group) {
    throw new Invalid('unknown_group', `The scheme has no ranking group “${groupKey}”.`, {
      field: 'groupKey',
    });
  }
  const units = await unitsWithCategoryOn(db, period.endDate);
  const byId = new Map(units.map((u) => [u.unitId, u]));
  let within: Set<string> | null = null;
  if (group.withinCode) {
    const root = units.find((u) => u.code === group.withinCode);
    within = root ? subtreeOf(new Map(units.map((u) => [u.unitId, u.parentId])), root.unitId) : new Set();
  }
  const categories = new Set(group.categoryCodes ?? []);
  const kinds = new Set(group.kinds ?? []);
  const codes = new Set(group.unitCodes ?? []);
  return asGroupUnits(
    units.filter(
      (u) =>
        (within === null || within.has(u.unitId)) &&
        ((u.categoryCode !== null && categories.has(u.categoryCode)) ||
          kinds.has(u.kind) ||
          codes.has(u.code)),
    ),
    byId,
  );
}

/** Units as a group lists them: by code, each with its parent's name on the same day. */
function asGroupUnits(
  units: readonly UnitWithCategory[],
  byId: ReadonlyMap<string, UnitWithCategory>,
): GroupUnit[] {
  return units
    .map((u): GroupUnit => {
      // The parent as it stood on the same day: a section is told apart by its department.
      const parent = u.parentId === null ? undefined : byId.get(u.parentId);
      return parent === undefined
        ? { id: u.unitId, code: u.code, name: u.name }
        : { id: u.unitId, code: u.code, name: u.name, parentName: parent.name };
    })
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * The given units (a run's recorded members) as they stood on the period's last day; a unit no longer
 * in force that day is left out, so that verify names the difference.
 */
async function recordedMembers(
  db: Executor,
  ids: readonly string[],
  period: PeriodInfo,
): Promise<GroupUnit[]> {
  const units = await unitsWithCategoryOn(db, period.endDate);
  const byId = new Map(units.map((u) => [u.unitId, u]));
  return asGroupUnits(
    ids.flatMap((id) => byId.get(id) ?? []),
    byId,
  );
}

/** The previous published run's ranks, and the units that declined in it, for rank changes. */
async function previousRun(
  db: Executor,
  schemeId: string,
  groupKey: string,
  period: PeriodInfo,
  asOf: string,
): Promise<PreviousRun | null> {
  const row = await store.previousPublishedRun(db, schemeId, groupKey, period.startDate, asOf);
  if (!row) return null;
  const outcome = JSON.parse(row.outcome) as RankingOutcome;
  const ranks: Record<string, number> = {};
  const declined: string[] = [];
  for (const u of outcome.units) {
    ranks[u.unitId] = u.rank;
    if (u.rankChange !== null && u.rankChange < 0) declined.push(u.unitId);
  }
  return { runId: row.id, periodName: row.periodName, ranks, declined };
}

/**
 * Everything the engine needs for a run, collected from the records as they stood at `asOf`. Used by
 * the run itself and, with `recount`, by `minping verify result`.
 */
export async function collectInput(
  db: Executor,
  args: {
    schemeId: string;
    definition: SchemeDefinition;
    groupKey: string;
    period: PeriodInfo;
    asOf: string;
    recount: boolean;
    /** Verify passes the goodFrom the run recorded; a run reads the ratings setting as it is now. */
    goodFrom?: number | undefined;
    /**
     * Verify passes the ids of the members the run recorded: a run's units are those of its group when
     * it was computed, and registry work since (a section added inside the period) does not change them.
     * Their codes, names and parents are read again.
     */
    memberIds?: readonly string[] | undefined;
  },
): Promise<RankingInput> {
  const units = args.memberIds
    ? await recordedMembers(db, args.memberIds, args.period)
    : await groupMembers(db, args.definition, args.groupKey, args.period);
  if (units.length === 0) {
    throw new Invalid(
      'empty_group',
      `No unit in force on ${args.period.endDate} belongs to the ranking group “${args.groupKey}”. Check the group's categories, kinds and codes.`,
      { field: 'groupKey' },
    );
  }
  const readsRatings = leafComponents(args.definition).some((l) => l.source?.kind === 'rating_statistic');
  const goodFrom = args.goodFrom ?? (await loadRatingsConfig(db)).goodFrom;
  const values = await collectValues(db, args.definition, {
    period: args.period,
    units,
    asOf: args.asOf,
    recount: args.recount,
    goodFrom,
  });
  const vetoRows = await store.vetoesAsOf(
    db,
    args.period.id,
    args.schemeId,
    units.map((u) => u.id),
    args.asOf,
  );
  const vetoes: VetoInput[] = vetoRows
    .map((v) => ({ id: v.id, unitId: v.unitId, reason: v.reason, evidence: v.evidence }))
    .sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : a.id < b.id ? -1 : 1));
  const previous = await previousRun(db, args.schemeId, args.groupKey, args.period, args.asOf);
  return {
    scheme: args.definition,
    groupKey: args.groupKey,
    units,
    values,
    vetoes,
    previous,
    // The setting the rating statistics were counted with, recorded for verify.
    ...(readsRatings ? { ratings: { goodFrom } } : {}),
  };
}

export const componentSummaries = (definition: SchemeDefinition): ComponentSummary[] =>
  componentList(definition).map(({ id, name, maxPoints, depth }) => ({ id, name, maxPoints, depth }));

export const presentReview = (r: RunReviewsTable): ReviewRecord => ({
  stageIndex: r.stageIndex,
  stageName: r.stageName,
  body: r.body,
  decidedOn: r.decidedOn,
  decision: r.decision as 'approve' | 'amend',
  reason: r.reason,
  best: JSON.parse(r.best) as string[],
  worst: JSON.parse(r.worst) as string[],
  recordedBy: r.recordedByName,
  recordedAt: r.recordedAt,
});

export interface RunContext {
  run: ScoringRunsTable;
  scheme: DB['schemes'];
  definition: SchemeDefinition;
  period: PeriodInfo;
  outcome: RankingOutcome;
  reviews: RunReviewsTable[];
}

export async function loadRun(db: Executor, id: string): Promise<RunContext> {
  const run = await store.runById(db, id);
  if (!run) throw new NotFound('run', id);
  const scheme = await store.schemeById(db, run.schemeId);
  const version = await store.schemeVersion(db, run.schemeId, run.schemeVersion);
  if (!scheme || !version) throw new NotFound('scheme version', `${run.schemeId}/${run.schemeVersion}`);
  const period = await periodOf(db, run.periodId);
  return {
    run,
    scheme,
    definition: parseDefinition(version.definition),
    period,
    outcome: JSON.parse(run.outcome) as RankingOutcome,
    reviews: await store.reviewsOf(db, id),
  };
}

export const currentLists = (outcome: RankingOutcome, reviews: readonly RunReviewsTable[]): ReviewLists => {
  const last = reviews[reviews.length - 1];
  return last
    ? { best: JSON.parse(last.best) as string[], worst: JSON.parse(last.worst) as string[] }
    : { best: [...outcome.best], worst: [...outcome.worst] };
};

function nextStageOf(ctx: {
  run: ScoringRunsTable;
  definition: SchemeDefinition;
  reviews: readonly unknown[];
}) {
  if (ctx.run.status !== 'computed' && ctx.run.status !== 'in_review') return null;
  return ctx.reviews.length < ctx.definition.review.stages.length ? ctx.reviews.length : null;
}

export function summaryOf(ctx: Pick<RunContext, 'run' | 'scheme' | 'definition' | 'period'>): RunSummary {
  const { run } = ctx;
  return {
    id: run.id,
    schemeId: run.schemeId,
    schemeName: ctx.scheme.name,
    version: run.schemeVersion,
    periodId: run.periodId,
    periodName: ctx.period.name,
    groupKey: run.groupKey,
    groupName: ctx.definition.groups.find((g) => g.key === run.groupKey)?.name ?? run.groupKey,
    status: run.status as RunStatus,
    unitCount: run.unitCount,
    computedAt: run.computedAt,
    computedBy: run.computedByName,
    publishedAt: run.publishedAt,
  };
}

export function unitRow(u: UnitResult): UnitRow {
  return {
    unitId: u.unitId,
    code: u.code,
    name: u.name,
    parentName: u.parentName ?? null,
    total: u.total,
    interval: u.interval,
    rank: u.rank,
    grade: u.grade,
    bonusScore: u.bonusScore,
    previousRank: u.previousRank,
    rankChange: u.rankChange,
    flags: [...u.flags],
    components: componentPoints(u),
  };
}

export async function runDetail(db: Executor, ctx: RunContext): Promise<RunDetail> {
  const problems: Record<string, string> = {};
  for (const p of await store.problemsOf(db, ctx.run.id)) problems[p.unitId] = p.text;
  return {
    ...summaryOf(ctx),
    precision: ctx.outcome.precision,
    inputsDigest: ctx.run.inputsDigest,
    resultsDigest: ctx.run.resultsDigest,
    supersededBy: ctx.run.supersededBy,
    units: ctx.outcome.units.map(unitRow),
    proposed: { best: [...ctx.outcome.best], worst: [...ctx.outcome.worst] },
    current: currentLists(ctx.outcome, ctx.reviews),
    largestDecline: [...ctx.outcome.largestDecline],
    declinedTwoRunning: [...ctx.outcome.declinedTwoRunning],
    stages: ctx.definition.review.stages,
    reviews: ctx.reviews.map(presentReview),
    nextStage: nextStageOf(ctx),
    problems,
    components: componentSummaries(ctx.definition),
  };
}

export interface RunRequest {
  schemeId: string;
  version?: number | undefined;
  periodId: string;
  groupKey: string;
}

/** A run's scheme version, period and inputs as they are now, with the warnings computing it would raise. */
async function prepareRun(db: Executor, deps: Deps, input: RunRequest, now: string) {
  const scheme = await store.schemeById(db, input.schemeId);
  if (!scheme) throw new Invalid('unknown_scheme', 'The scheme does not exist.', { field: 'schemeId' });
  const versionNo = input.version ?? scheme.latestVersion;
  const version = await store.schemeVersion(db, scheme.id, versionNo);
  if (!version) {
    throw new Invalid('unknown_version', `The scheme has no version ${versionNo}.`, { field: 'version' });
  }
  const definition = parseDefinition(version.definition);
  const period = await periodOf(db, input.periodId);
  const rankingInput = await collectInput(db, {
    schemeId: scheme.id,
    definition,
    groupKey: input.groupKey,
    period,
    asOf: now,
    recount: false,
  });
  const warnings = [...periodWarnings(period, chinaDate(deps.clock.now())), ...sourceWarnings(rankingInput)];
  return { scheme, versionNo, definition, period, rankingInput, warnings };
}

/** POST /api/runs/check: the warnings computing this run now would raise, without computing it. */
export async function runRequestWarnings(
  deps: Deps,
  actor: Actor,
  input: RunRequest,
): Promise<{ warnings: RunWarning[] }> {
  require(actor, 'scoring:manage');
  return { warnings: (await prepareRun(deps.database.db, deps, input, isoNow(deps.clock))).warnings };
}

/** POST /api/runs: collects, computes and stores a run in one transaction. */
export async function computeRun(
  deps: Deps,
  actor: Actor,
  input: RunRequest & { acceptWarnings?: readonly string[] | undefined },
): Promise<RunDetail> {
  require(actor, 'scoring:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const now = isoNow(deps.clock);
    const prepared = await prepareRun(trx, deps, input, now);
    const { scheme, versionNo, definition, period, rankingInput } = prepared;
    refuseUnaccepted(prepared.warnings, input.acceptWarnings ?? []);
    const outcome = computeRanking(rankingInput);
    // The digests hash the very text stored (digestOf would serialise each again: half a run's time).
    const inputsJson = canonicalJson(rankingInput);
    const outcomeJson = canonicalJson(outcome);
    const noStages = definition.review.stages.length === 0;
    const run: ScoringRunsTable = {
      id: newId(),
      schemeId: scheme.id,
      schemeVersion: versionNo,
      periodId: period.id,
      groupKey: input.groupKey,
      // A scheme without review stages has nothing to review: its result stands as computed.
      status: noStages ? 'approved' : 'computed',
      inputs: inputsJson,
      inputsDigest: sha256Hex(inputsJson),
      outcome: outcomeJson,
      resultsDigest: sha256Hex(outcomeJson),
      unitCount: outcome.units.length,
      computedBy: actorIdOf(actor),
      computedByName: actorName(actor),
      computedAt: now,
      approvedAt: noStages ? now : null,
      publishedAt: null,
      supersededBy: null,
    };
    await store.insertRun(trx, run);
    const superseded = await store.supersedeRuns(trx, run);
    await audit({
      action: 'run.computed',
      entityType: 'scoring_run',
      entityId: run.id,
      before: null,
      after: { ...run, inputs: run.inputsDigest, outcome: run.resultsDigest },
      detail: {
        schemeId: scheme.id,
        version: versionNo,
        periodId: period.id,
        groupKey: input.groupKey,
        units: run.unitCount,
        inputsDigest: run.inputsDigest,
        resultsDigest: run.resultsDigest,
        superseded,
        // What the clerk confirmed knowing when computing: part of the record.
        acceptedWarnings: prepared.warnings.map((w) => w.message),
      },
    });
    return runDetail(trx, { run, scheme, definition, period, outcome, reviews: [] });
  });
}

export async function listRuns(
  deps: Deps,
  actor: Actor,
  query: { schemeId?: string | undefined; periodId?: string | undefined },
): Promise<RunSummary[]> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  const rows = await store.listRuns(db, query);
  const schemes = new Map((await store.listSchemes(db)).map((s) => [s.id, s]));
  const names = await periodNames(db);
  const definitions = new Map<string, SchemeDefinition>();
  const out: RunSummary[] = [];
  for (const run of rows) {
    const key = `${run.schemeId}/${run.schemeVersion}`;
    let definition = definitions.get(key);
    if (!definition) {
      const version = await store.schemeVersion(db, run.schemeId, run.schemeVersion);
      definition = parseDefinition(version?.definition ?? '{"groups":[]}');
      definitions.set(key, definition);
    }
    out.push({
      id: run.id,
      schemeId: run.schemeId,
      schemeName: schemes.get(run.schemeId)?.name ?? '',
      version: run.schemeVersion,
      periodId: run.periodId,
      periodName: names.get(run.periodId) ?? '',
      groupKey: run.groupKey,
      groupName: definition.groups.find((g) => g.key === run.groupKey)?.name ?? run.groupKey,
      status: run.status as RunStatus,
      unitCount: run.unitCount,
      computedAt: run.computedAt,
      computedBy: run.computedByName,
      publishedAt: run.publishedAt,
    });
  }
  return out;
}

export async function getRun(deps: Deps, actor: Actor, id: string): Promise<RunDetail> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  return runDetail(db, await loadRun(db, id));
}

export async function getRunUnit(
  deps: Deps,
  actor: Actor,
  id: string,
  unitId: string,
): Promise<UnitResultView> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  const ctx = await loadRun(db, id);
  const unit = ctx.outcome.units.find((u) => u.unitId === unitId);
  if (!unit) throw new NotFound('unit in this run', unitId);
  return {
    ...unit,
    parentName: unit.parentName ?? null,
    problems: (await store.problemOf(db, id, unitId))?.text ?? null,
  };
}
