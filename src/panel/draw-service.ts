/*
 * Draws: announced (rules, pool snapshot and its digest, the commitment to a server secret, and for a
 * sample the strata with each one's probability are recorded and published), then drawn (a public value
 * entered after the announcement and the revealed secret make the seed; the selection is computed and
 * recorded), then published (the public page shows the result as counts). `verifyDraw` recomputes a
 * draw from what was recorded. Kinds: a stratified sample of evaluators, a random order of a list
 * (supervisors), a random share of items to audit, and leader panels.
 *
 * The service API other areas call (campaigns): announceDraw, performDraw, publishDraw, drawSelection,
 * leaderAssignment, contactsOf — see docs/panel.md.
 */
import { randomBytes } from 'node:crypto';
import type { Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { PanelDrawsTable } from '../core/db/schema.js';
import { canonicalJson, digestOf, sha256Hex } from '../core/digest.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow } from '../core/time.js';
import { actorLabel } from '../core/auth/model.js';
import { assignLeaders, supplementaryProblem } from './assign.js';
import {
  auditSubset,
  drawFromList,
  executeDraw,
  planDraw,
  quotasMet,
  type Candidate,
  type DrawPlan,
  type QuotaShortfall,
  type Stratum,
} from './draw.js';
import { maskMobile } from './model.js';
import { commitmentOf, seedFrom } from './random.js';
import { auditUnmasked, requirePanel, today, unitIndex, type UnitIndex } from './service.js';
import { loadSolver } from './solver.js';
import * as store from './store.js';
import {
  QUOTA_FEATURES,
  type AuditRules,
  type DrawKind,
  type DrawMemberView,
  type DrawState,
  type DrawView,
  type ExclusionCounts,
  type LeaderRules,
  type ListRules,
  type PublicDrawView,
  type SampleRules,
  type StratumView,
  type VerifyReport,
} from './types.js';

export type DrawRequest =
  | { kind: 'sample'; purpose: string; rules: Omit<SampleRules, 'asOf'> }
  | { kind: 'list'; purpose: string; rules: ListRules }
  | { kind: 'audit'; purpose: string; rules: AuditRules }
  | { kind: 'leaders'; purpose: string; rules: LeaderRules };

/** What a draw records about its strata before the seed is known (members are in the snapshot). */
interface RecordedPlan {
  strata: StratumView[];
  eligible: number;
  excluded: ExclusionCounts | null;
  deviation: number | null;
}

/** The recorded result of each kind. */
type DrawResult =
  | { kind: 'sample'; selected: string[]; reserve: { id: string; stratum: string; rank: number }[] }
  | { kind: 'list'; selected: string[]; reserve: string[] }
  | { kind: 'audit'; selected: string[] }
  | { kind: 'leaders'; pairs: [string, string][]; balanced: boolean };

// --- validation ------------------------------------------------------------------------------------

const isCount = (n: unknown, max: number) =>
  Number.isInteger(n) && (n as number) >= 0 && (n as number) <= max;

function invalidRule(field: string, message: string): Invalid {
  return new Invalid('invalid_rule', message, { field });
}

async function validateSample(
  db: Executor,
  rules: Omit<SampleRules, 'asOf'>,
  index: UnitIndex,
): Promise<void> {
  if (!isCount(rules.size, 100_000) || rules.size < 1)
    throw invalidRule('size', 'The size is a whole number from 1 to 100,000.');
  if (!isCount(rules.rotationDays, 3650)) throw invalidRule('rotationDays', 'Rotation is 0 to 3,650 days.');
  if (!isCount(rules.reservePerStratum, 100))
    throw invalidRule('reservePerStratum', 'Reserves per stratum are 0 to 100.');
  const groups = new Set((await store.listGroups(db)).map((g) => g.code));
  const checkUnit = (id: string, field: string) => {
    if (!index.parents.has(id))
      throw new Invalid('unknown_unit', `${field}: no unit with id ${id} in the registry.`, {
        field,
        unitId: id,
      });
  };
  for (const g of rules.filters.groups)
    if (!groups.has(g))
      throw new Invalid('unknown_group', `There is no group ${g}.`, { field: 'filters.groups', group: g });
  for (const u of rules.filters.regions) checkUnit(u, 'filters.regions');
  for (const u of rules.subjectUnits) checkUnit(u, 'subjectUnits');
  const seen = new Set<string>();
  rules.quotas.forEach((q, i) => {
    const field = `quotas.${i}`;
    if (!QUOTA_FEATURES.includes(q.feature))
      throw invalidRule(field, `A quota counts by ${QUOTA_FEATURES.join(', ')}.`);
    if (!isCount(q.min, 100_000) || !isCount(q.max, 100_000) || q.min > q.max) {
      throw invalidRule(
        field,
        `Quota ${q.feature} = ${q.value}: min and max are whole numbers with min ≤ max.`,
      );
    }
    if (q.feature === 'group' && !groups.has(q.value))
      throw new Invalid('unknown_group', `There is no group ${q.value}.`, { field, group: q.value });
    if (q.feature === 'region') checkUnit(q.value, field);
    if (q.feature === 'grassroots' && q.value !== 'yes' && q.value !== 'no')
      throw invalidRule(field, 'A grassroots quota counts "yes" or "no".');
    const key = `${q.feature}=${q.value}`;
    if (seen.has(key))
      throw invalidRule(field, `Quota ${key} is given twice; give it once with its min and max.`);
    seen.add(key);
  });
  const excluded = new Set<string>();
  for (const e of rules.exclusions) {
    if (!e.reason.trim()) throw invalidRule('exclusions', 'Give the reason for each manual exclusion.');
    if (excluded.has(e.evaluatorId)) throw invalidRule('exclusions', 'An evaluator is excluded twice.');
    excluded.add(e.evaluatorId);
  }
  const known = await store.evaluatorsByIds(db, [...excluded]);
  if (known.length !== excluded.size)
    throw invalidRule('exclusions', 'A manual exclusion names an evaluator who is not in the pool.');
}

function validateOther(request: DrawRequest, index: UnitIndex): void {
  switch (request.kind) {
    case 'sample':
      return;
    case 'list': {
      const r = request.rules;
      if (new Set(r.items).size !== r.items.length || r.items.some((i) => !i.trim()))
        throw invalidRule('items', 'List each item once, none empty.');
      if (!isCount(r.count, r.items.length) || r.count < 1)
        throw invalidRule('count', `Draw from 1 to ${r.items.length} of the listed items.`);
      return;
    }
    case 'audit': {
      const r = request.rules;
      if (new Set(r.items).size !== r.items.length || !r.items.length)
        throw invalidRule('items', 'List each item to audit once.');
      if (!(r.percent > 0 && r.percent <= 100))
        throw invalidRule('percent', 'The audited share is more than 0% and at most 100%.');
      return;
    }
    case 'leaders': {
      const r = request.rules;
      for (const n of [r.leaderMin, r.leaderMax, r.unitMin, r.unitMax, r.supplementaryCap]) {
        if (!isCount(n, 10_000))
          throw invalidRule('bounds', 'Bounds and the supplementary cap are whole numbers.');
      }
      if (new Set(r.leaders.map((l) => l.id)).size !== r.leaders.length || !r.leaders.length)
        throw invalidRule('leaders', 'List each leader once.');
      if (new Set(r.units).size !== r.units.length || !r.units.length)
        throw invalidRule('units', 'List each unit once.');
      for (const u of [...r.units, ...r.leaders.flatMap((l) => l.inCharge)]) {
        if (!index.parents.has(u))
          throw new Invalid('unknown_unit', `No unit with id ${u} in the registry.`, {
            field: 'units',
            unitId: u,
          });
      }
      return;
    }
  }
}

// --- the pool snapshot -----------------------------------------------------------------------------

/** Every evaluator as the draw sees them (no names, no numbers), sorted by id. */
async function poolSnapshot(db: Executor, index: UnitIndex): Promise<Candidate[]> {
  const [rows, last] = await Promise.all([store.listEvaluators(db), store.lastSelectedOn(db)]);
  return rows.map((r) => ({
    id: r.id,
    active: r.active === 1,
    groups: [...(JSON.parse(r.groups) as string[])].sort(),
    regionPath: r.regionId ? ancestryOf(index, r.regionId) : [],
    grassroots: r.grassroots === 1,
    tags: [...(JSON.parse(r.tags) as string[])].sort(),
    conflicts: [
      ...new Set((JSON.parse(r.conflicts) as string[]).flatMap((u) => ancestryOf(index, u))),
    ].sort(),
    lastDrawnOn: last.get(r.id) ?? null,
  }));
}

function ancestryOf(index: UnitIndex, unitId: string): string[] {
  const chain: string[] = [];
  let current: string | null | undefined = unitId;
  while (current && !chain.includes(current)) {
    chain.push(current);
    current = index.parents.get(current);
  }
  return chain;
}

function shortfallError(shortfalls: readonly QuotaShortfall[]): Invalid {
  const first = shortfalls[0];
  return new Invalid('quota_infeasible', shortfalls.map((s) => s.message).join(' '), {
    feature: first?.feature ?? '',
    value: first?.value ?? '',
    bound: first?.bound ?? '',
    required: first?.required ?? 0,
    reachable: first?.reachable ?? 0,
    failing: shortfalls.length,
  });
}

function recordedPlan(plan: Extract<DrawPlan, { ok: true }>): RecordedPlan {
  return {
    strata: plan.strata.map(({ members: _members, ...s }) => s),
    eligible: plan.eligible,
    excluded: plan.excluded,
    deviation: plan.deviation,
  };
}

// --- use cases -------------------------------------------------------------------------------------

/** The strata, probabilities and any failing quota of a sample draw, without recording anything. */
export async function previewSample(
  deps: Deps,
  actor: Actor,
  rules: Omit<SampleRules, 'asOf'>,
): Promise<{
  ok: boolean;
  strata: StratumView[];
  eligible: number;
  excluded: ExclusionCounts;
  deviation: number | null;
  shortfalls: string[];
}> {
  requirePanel(actor, 'panel:manage');
  const db = deps.database.db;
  const index = await unitIndex(db, today(deps));
  await validateSample(db, rules, index);
  const plan = planDraw(await loadSolver(), await poolSnapshot(db, index), {
    ...rules,
    asOf: chinaDate(deps.clock.now()),
  });
  if (!plan.ok)
    return {
      ok: false,
      strata: [],
      eligible: plan.eligible,
      excluded: plan.excluded,
      deviation: null,
      shortfalls: plan.shortfalls.map((s) => s.message),
    };
  const r = recordedPlan(plan);
  return {
    ok: true,
    strata: r.strata,
    eligible: r.eligible,
    excluded: plan.excluded,
    deviation: plan.deviation,
    shortfalls: [],
  };
}

/**
 * Announces a draw: records its rules, the pool snapshot and digest, a fresh server secret and its
 * commitment (published), and for a sample the strata with their probabilities. Infeasible quotas or
 * bounds are refused with the reason, and nothing is stored.
 */
export async function announceDraw(
  deps: Deps,
  actor: Actor,
  request: DrawRequest,
  options: { secret?: string } = {},
): Promise<DrawView> {
  requirePanel(actor, 'panel:manage');
  const purpose = request.purpose.trim();
  if (!purpose) throw new Invalid('invalid_purpose', 'Say what the draw is for.', { field: 'purpose' });
  const solver = await loadSolver();
  return inTransaction(deps, actor, async (trx, audit) => {
    const index = await unitIndex(trx, today(deps));
    const asOf = chinaDate(deps.clock.now());
    let rules: SampleRules | ListRules | AuditRules | LeaderRules;
    let snapshot: unknown;
    let plan: RecordedPlan = { strata: [], eligible: 0, excluded: null, deviation: null };
    let poolSize: number;
    if (request.kind === 'sample') {
      await validateSample(trx, request.rules, index);
      const sampleRules: SampleRules = { ...request.rules, asOf };
      const pool = await poolSnapshot(trx, index);
      const planned = planDraw(solver, pool, sampleRules);
      if (!planned.ok) throw shortfallError(planned.shortfalls);
      rules = sampleRules;
      snapshot = pool;
      plan = recordedPlan(planned);
      poolSize = pool.length;
    } else {
      validateOther(request, index);
      rules = request.rules;
      if (request.kind === 'leaders') {
        // Refuse infeasible bounds now, not after the announcement (the outcome does not depend on the seed).
        const trial = assignLeaders(solver, request.rules, '0'.repeat(64));
        if (!trial.ok) {
          throw new Invalid('bounds_infeasible', trial.problems.map((p) => p.reason).join(' '), {
            reason: trial.problems[0]?.code ?? '',
          });
        }
        snapshot = {
          leaders: request.rules.leaders.map((l) => l.id).sort(),
          units: [...request.rules.units].sort(),
        };
        poolSize = request.rules.leaders.length;
      } else {
        snapshot = [...request.rules.items].sort();
        poolSize = request.rules.items.length;
      }
    }
    const snapshotText = canonicalJson(snapshot);
    // The secret is random; only the demo and tests pass one, to make a draw they can show again.
    const secret = options.secret ?? randomBytes(32).toString('hex');
    const row: PanelDrawsTable = {
      id: newId(),
      kind: request.kind,
      purpose,
      state: 'announced',
      rules: canonicalJson(rules),
      rulesDigest: digestOf(rules) ?? '',
      snapshot: snapshotText,
      snapshotDigest: sha256Hex(snapshotText),
      poolSize,
      plan: canonicalJson(plan),
      secret,
      commitment: commitmentOf(secret),
      publicValue: null,
      seed: null,
      result: null,
      resultDigest: null,
      announcedAt: isoNow(deps.clock),
      announcedBy: actorLabel(actor),
      drawnAt: null,
      publishedAt: null,
    };
    await store.insertDraw(trx, row);
    await audit({
      action: 'panel.draw.announce',
      entityType: 'panel_draw',
      entityId: row.id,
      before: null,
      after: {
        kind: row.kind,
        purpose,
        rulesDigest: row.rulesDigest,
        snapshotDigest: row.snapshotDigest,
        commitment: row.commitment,
      },
    });
    return presentDraw(row);
  });
}

/** Computes the result of a draw from its recorded rules and snapshot and a seed (pure but for the solver). */
async function computeResult(
  row: Pick<PanelDrawsTable, 'kind' | 'rules' | 'snapshot' | 'plan'>,
  seed: string,
  stratumOf?: Map<string, string>,
): Promise<DrawResult> {
  const kind = row.kind as DrawKind;
  switch (kind) {
    case 'sample': {
      const rules = JSON.parse(row.rules) as SampleRules;
      const pool = JSON.parse(row.snapshot) as Candidate[];
      const plan = planDraw(await loadSolver(), pool, rules);
      if (!plan.ok) throw shortfallError(plan.shortfalls);
      const outcome = executeDraw(plan.strata, rules.reservePerStratum, seed);
      if (stratumOf) for (const st of plan.strata) for (const m of st.members) stratumOf.set(m, st.key);
      return { kind, selected: outcome.selected, reserve: outcome.reserve };
    }
    case 'list': {
      const rules = JSON.parse(row.rules) as ListRules;
      const order = drawFromList(rules.items, seed);
      return { kind, selected: order.slice(0, rules.count), reserve: order.slice(rules.count) };
    }
    case 'audit': {
      const rules = JSON.parse(row.rules) as AuditRules;
      return { kind, selected: auditSubset(rules.items, rules.percent, seed) };
    }
    case 'leaders': {
      const rules = JSON.parse(row.rules) as LeaderRules;
      const r = assignLeaders(await loadSolver(), rules, seed);
      if (!r.ok) throw new Invalid('bounds_infeasible', r.problems.map((p) => p.reason).join(' '), {});
      return { kind, pairs: r.pairs, balanced: r.balanced };
    }
  }
}

/**
 * Draws: the public value entered after the announcement (e.g. the day's lottery numbers) and the
 * revealed secret make the seed; the selection is computed, checked against the quotas and recorded.
 */
export async function performDraw(
  deps: Deps,
  actor: Actor,
  id: string,
  publicValue: string,
): Promise<DrawView> {
  requirePanel(actor, 'panel:manage');
  const value = publicValue.trim();
  if (!value || value.length > 500) {
    throw new Invalid(
      'invalid_public_value',
      'Enter the public value (up to 500 characters), e.g. the lottery numbers drawn after the announcement.',
      { field: 'publicValue' },
    );
  }
  const row = await store.drawById(deps.database.db, id);
  if (!row) throw new NotFound('draw', id);
  if (row.state !== 'announced')
    throw new Conflict('already_drawn', 'This draw has been made already.', { state: row.state });
  const seed = seedFrom(row.secret, value);
  const stratumOf = new Map<string, string>();
  const result = await computeResult(row, seed, stratumOf);
  if (
    result.kind === 'sample' &&
    !quotasMet(JSON.parse(row.snapshot) as Candidate[], JSON.parse(row.rules) as SampleRules, result.selected)
  ) {
    throw new Error('The computed sample does not meet its quotas.');
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const now = isoNow(deps.clock);
    const changes = {
      state: 'drawn',
      publicValue: value,
      seed,
      result: canonicalJson(result),
      resultDigest: digestOf(result),
      drawnAt: now,
    };
    if (!(await store.updateDrawFrom(trx, id, 'announced', changes))) {
      throw new Conflict('already_drawn', 'This draw has been made already.', {});
    }
    if (result.kind === 'sample') {
      const drawnOn = chinaDate(deps.clock.now());
      await store.insertDrawMembers(trx, [
        ...result.selected.map((evaluatorId, i) => ({
          drawId: id,
          evaluatorId,
          role: 'selected',
          stratum: stratumOf.get(evaluatorId) ?? '',
          rank: i + 1,
          drawnOn,
        })),
        ...result.reserve.map((r) => ({
          drawId: id,
          evaluatorId: r.id,
          role: 'reserve',
          stratum: r.stratum,
          rank: r.rank,
          drawnOn,
        })),
      ]);
    }
    await audit({
      action: 'panel.draw.draw',
      entityType: 'panel_draw',
      entityId: id,
      before: { state: 'announced' },
      after: { state: 'drawn', seed, resultDigest: changes.resultDigest },
    });
    return presentDraw({ ...row, ...changes });
  });
}

/** Publishes a drawn draw: its public page then shows the seed and the result as counts. */
export async function publishDraw(deps: Deps, actor: Actor, id: string): Promise<DrawView> {
  requirePanel(actor, 'panel:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.drawById(trx, id);
    if (!row) throw new NotFound('draw', id);
    if (row.state !== 'drawn') {
      throw new Conflict(
        row.state === 'published' ? 'already_published' : 'not_drawn',
        row.state === 'published' ? 'This draw is published already.' : 'Make the draw before publishing it.',
        { state: row.state },
      );
    }
    const publishedAt = isoNow(deps.clock);
    await store.updateDrawFrom(trx, id, 'drawn', { state: 'published', publishedAt });
    await audit({
      action: 'panel.draw.publish',
      entityType: 'panel_draw',
      entityId: id,
      before: { state: 'drawn' },
      after: { state: 'published' },
    });
    return presentDraw({ ...row, state: 'published', publishedAt });
  });
}

// --- reading ---------------------------------------------------------------------------------------

function selectedCount(result: DrawResult | null): number {
  if (!result) return 0;
  return result.kind === 'leaders' ? result.pairs.length : result.selected.length;
}

function presentDraw(row: Omit<PanelDrawsTable, 'snapshot'>): DrawView {
  const plan = JSON.parse(row.plan) as RecordedPlan;
  const revealed = row.state !== 'announced';
  return {
    id: row.id,
    kind: row.kind as DrawKind,
    purpose: row.purpose,
    state: row.state as DrawState,
    rules: JSON.parse(row.rules) as DrawView['rules'],
    snapshotDigest: row.snapshotDigest,
    rulesDigest: row.rulesDigest,
    commitment: row.commitment,
    secret: revealed ? row.secret : null,
    publicValue: row.publicValue,
    seed: row.seed,
    resultDigest: row.resultDigest,
    strata: plan.strata,
    eligible: plan.eligible,
    excluded: plan.excluded,
    deviation: plan.deviation,
    announcedAt: row.announcedAt,
    announcedBy: row.announcedBy,
    drawnAt: row.drawnAt,
    publishedAt: row.publishedAt,
    selectedCount: selectedCount(row.result ? (JSON.parse(row.result) as DrawResult) : null),
  };
}

export async function listDraws(deps: Deps, actor: Actor): Promise<DrawView[]> {
  requirePanel(actor, 'panel:read');
  return (await store.listDraws(deps.database.db)).map(presentDraw);
}

export async function getDraw(deps: Deps, actor: Actor, id: string): Promise<DrawView> {
  requirePanel(actor, 'panel:read');
  const row = await store.drawSummaryById(deps.database.db, id);
  if (!row) throw new NotFound('draw', id);
  return presentDraw(row);
}

/** The people a sample draw selected and its reserves (masked unless a pool keeper asks; then audited). */
export async function drawMembers(
  deps: Deps,
  actor: Actor,
  id: string,
  unmasked = false,
): Promise<DrawMemberView[]> {
  requirePanel(actor, unmasked ? 'panel:mobile' : 'panel:read');
  const db = deps.database.db;
  const row = await store.drawSummaryById(db, id);
  if (!row) throw new NotFound('draw', id);
  const members = await store.drawMembers(db, id);
  const people = new Map(
    (
      await store.evaluatorsByIds(
        db,
        members.map((m) => m.evaluatorId),
      )
    ).map((e) => [e.id, e]),
  );
  const index = await unitIndex(db, today(deps));
  if (unmasked && members.length)
    await auditUnmasked(
      deps,
      actor,
      members.map((m) => m.evaluatorId),
      `draw ${id}`,
    );
  return members.map((m) => {
    const e = people.get(m.evaluatorId);
    return {
      rank: m.rank,
      role: m.role as 'selected' | 'reserve',
      stratum: m.stratum,
      evaluatorId: m.evaluatorId,
      name: e?.name ?? '',
      mobile: e ? (unmasked ? e.mobile : maskMobile(e.mobile)) : '',
      groups: e ? (JSON.parse(e.groups) as string[]) : [],
      regionName: e?.regionId ? (index.names.get(e.regionId) ?? null) : null,
      grassroots: e?.grassroots === 1,
    };
  });
}

/** For other areas (campaigns): the evaluator ids a drawn sample selected, and its reserves in order. */
export async function drawSelection(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<{ selected: string[]; reserve: { id: string; stratum: string; rank: number }[] }> {
  requirePanel(actor, 'panel:read');
  const row = await store.drawSummaryById(deps.database.db, id);
  if (!row) throw new NotFound('draw', id);
  if (row.kind !== 'sample' || !row.result)
    throw new Conflict('not_drawn', 'This is not a drawn sample.', { state: row.state, kind: row.kind });
  const result = JSON.parse(row.result) as Extract<DrawResult, { kind: 'sample' }>;
  return { selected: result.selected, reserve: result.reserve };
}

/** For other areas (campaigns): names and mobile numbers to send invitations to (pool keepers; audited). */
export async function contactsOf(
  deps: Deps,
  actor: Actor,
  evaluatorIds: readonly string[],
): Promise<{ id: string; name: string; mobile: string }[]> {
  requirePanel(actor, 'panel:mobile');
  const rows = await store.evaluatorsByIds(deps.database.db, evaluatorIds);
  if (rows.length)
    await auditUnmasked(
      deps,
      actor,
      rows.map((r) => r.id),
      'contacts',
    );
  return rows.map((r) => ({ id: r.id, name: r.name, mobile: r.mobile }));
}

/** For other areas (campaigns): a drawn leader panel's pairs and each leader's supplementary units. */
export async function leaderAssignment(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<{ pairs: [string, string][]; supplements: Record<string, string[]> }> {
  requirePanel(actor, 'panel:read');
  const db = deps.database.db;
  const row = await store.drawSummaryById(db, id);
  if (!row) throw new NotFound('draw', id);
  if (row.kind !== 'leaders' || !row.result)
    throw new Conflict('not_drawn', 'This is not a drawn leader panel.', {
      state: row.state,
      kind: row.kind,
    });
  const result = JSON.parse(row.result) as Extract<DrawResult, { kind: 'leaders' }>;
  const supplements: Record<string, string[]> = {};
  for (const s of await store.supplementsOf(db, id))
    supplements[s.leaderId] = JSON.parse(s.units) as string[];
  return { pairs: result.pairs, supplements };
}

/** Records a leader's supplementary sheet (units they know well, beyond their assignment, up to the cap). */
export async function putSupplement(
  deps: Deps,
  actor: Actor,
  id: string,
  leaderId: string,
  unitIds: string[],
): Promise<string[]> {
  requirePanel(actor, 'panel:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.drawById(trx, id);
    if (!row) throw new NotFound('draw', id);
    if (row.kind !== 'leaders' || !row.result)
      throw new Conflict('not_drawn', 'Supplementary sheets follow a drawn leader panel.', {});
    const rules = JSON.parse(row.rules) as LeaderRules;
    const result = JSON.parse(row.result) as Extract<DrawResult, { kind: 'leaders' }>;
    const assigned = new Set(result.pairs.filter(([l]) => l === leaderId).map(([, u]) => u));
    const problem = supplementaryProblem(rules, assigned, leaderId, unitIds);
    if (problem) throw new Invalid('invalid_supplement', problem, { leaderId });
    const before = (await store.supplementsOf(trx, id)).find((s) => s.leaderId === leaderId) ?? null;
    await store.upsertSupplement(trx, {
      drawId: id,
      leaderId,
      units: JSON.stringify(unitIds),
      createdAt: isoNow(deps.clock),
      createdBy: actorLabel(actor),
    });
    await audit({
      action: 'panel.supplement.put',
      entityType: 'panel_draw',
      entityId: id,
      before: before ? { leaderId, units: JSON.parse(before.units) as string[] } : null,
      after: { leaderId, units: unitIds },
    });
    return unitIds;
  });
}

// --- public ----------------------------------------------------------------------------------------

/** The public page of a draw: from its announcement on; never names or mobile numbers. */
export async function publicDraw(
  deps: Deps,
  id: string,
  known?: { index: UnitIndex; groups: Map<string, string> },
): Promise<PublicDrawView> {
  const db = deps.database.db;
  const row = await store.drawSummaryById(db, id);
  if (!row) throw new NotFound('draw', id);
  const index = known?.index ?? (await unitIndex(db, today(deps)));
  const groups = known?.groups ?? new Map((await store.listGroups(db)).map((g) => [g.code, g.name]));
  const view = presentDraw(row);
  const published = row.state === 'published';
  const sample = row.kind === 'sample' ? (view.rules as SampleRules) : null;
  return {
    id: row.id,
    kind: view.kind,
    purpose: row.purpose,
    state: view.state,
    size: sample ? sample.size : null,
    quotas: sample ? sample.quotas : [],
    filters: sample ? sample.filters : null,
    rotationDays: sample ? sample.rotationDays : null,
    manualExclusions: sample ? sample.exclusions.length : 0,
    subjectUnits: (sample?.subjectUnits ?? []).map((u) => ({ id: u, name: index.names.get(u) ?? u })),
    snapshotDigest: row.snapshotDigest,
    rulesDigest: row.rulesDigest,
    commitment: row.commitment,
    secret: published ? row.secret : null,
    publicValue: published ? row.publicValue : null,
    seed: published ? row.seed : null,
    resultDigest: published ? row.resultDigest : null,
    poolSize: row.poolSize,
    eligible: view.eligible,
    strata: view.strata,
    labels: labelsOf(sample, view.strata, index, groups),
    selectedCount: published ? view.selectedCount : 0,
    announcedAt: row.announcedAt,
    drawnAt: published ? row.drawnAt : null,
    publishedAt: row.publishedAt,
  };
}

/** Names for the group codes and unit ids a sample's quotas and strata name (for the public page). */
function labelsOf(
  rules: SampleRules | null,
  strata: readonly StratumView[],
  index: UnitIndex,
  groups: ReadonlyMap<string, string>,
): Record<string, string> {
  const labels: Record<string, string> = {};
  const add = (feature: string, value: string) => {
    if (feature === 'group') labels[value] = groups.get(value) ?? value;
    if (feature === 'region') labels[value] = index.names.get(value) ?? value;
  };
  for (const q of rules?.quotas ?? []) add(q.feature, q.value);
  for (const s of strata) for (const [f, vs] of Object.entries(s.values)) for (const v of vs ?? []) add(f, v);
  return labels;
}

/** Every draw the public may see (all announced ones: the announcement is public by design). */
export async function listPublicDraws(deps: Deps): Promise<PublicDrawView[]> {
  const rows = await store.listDraws(deps.database.db);
  const index = await unitIndex(deps.database.db, today(deps));
  const groups = new Map((await store.listGroups(deps.database.db)).map((g) => [g.code, g.name]));
  const out: PublicDrawView[] = [];
  for (const r of rows) out.push(await publicDraw(deps, r.id, { index, groups }));
  return out;
}

// --- verify ----------------------------------------------------------------------------------------

/**
 * Recomputes a draw from what was recorded — the snapshot (against its digest), the rules (against
 * theirs), the commitment (against the revealed secret), the seed (from the secret and the public value),
 * the strata and the result — and reports "identical" or the first difference.
 */
export async function verifyDraw(deps: Deps, id: string): Promise<VerifyReport> {
  const row = await store.drawById(deps.database.db, id);
  if (!row) throw new NotFound('draw', id);
  const checked: string[] = [];
  const differ = (difference: string): VerifyReport => ({ identical: false, difference, checked });
  if (sha256Hex(row.snapshot) !== row.snapshotDigest)
    return differ('The pool snapshot does not match its recorded digest.');
  checked.push('snapshot digest');
  if (digestOf(JSON.parse(row.rules)) !== row.rulesDigest)
    return differ('The rules do not match their recorded digest.');
  checked.push('rules digest');
  if (commitmentOf(row.secret) !== row.commitment)
    return differ('The server secret does not match the commitment published at announcement.');
  checked.push('commitment');
  if (row.kind === 'sample') {
    const planned = planDraw(
      await loadSolver(),
      JSON.parse(row.snapshot) as Candidate[],
      JSON.parse(row.rules) as SampleRules,
    );
    if (!planned.ok) return differ('The recorded rules are infeasible on the recorded snapshot.');
    const recorded = JSON.parse(row.plan) as RecordedPlan;
    const again = recordedPlan(planned);
    for (let i = 0; i < Math.max(recorded.strata.length, again.strata.length); i++) {
      const a = recorded.strata[i];
      const b = again.strata[i];
      if (canonicalJson(a ?? null) !== canonicalJson(b ?? null)) {
        return differ(
          `Stratum ${a?.key ?? b?.key ?? i}: recorded ${a ? `${a.drawn} of ${a.eligible}` : 'absent'}, recomputed ${b ? `${b.drawn} of ${b.eligible}` : 'absent'}.`,
        );
      }
    }
    checked.push('strata and allocation');
  }
  if (row.state === 'announced' || row.publicValue === null || row.seed === null || row.result === null) {
    return { identical: true, difference: null, checked: [...checked, 'not drawn yet'] };
  }
  if (seedFrom(row.secret, row.publicValue) !== row.seed)
    return differ('The seed is not SHA-256(secret|public value).');
  checked.push('seed');
  const recomputed = await computeResult(row, row.seed);
  const recorded = JSON.parse(row.result) as DrawResult;
  const a = listOf(recorded);
  const b = listOf(recomputed);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return differ(`Position ${i + 1}: recorded ${a[i] ?? '(nothing)'}, recomputed ${b[i] ?? '(nothing)'}.`);
  }
  checked.push('selection');
  if (digestOf(recorded) !== row.resultDigest)
    return differ('The result does not match its recorded digest.');
  checked.push('result digest');
  if (recorded.kind === 'sample') {
    const members = await store.drawMembers(deps.database.db, id);
    const stored = members
      .filter((m) => m.role === 'selected')
      .map((m) => m.evaluatorId)
      .sort();
    const expected = [...recorded.selected].sort();
    if (canonicalJson(stored) !== canonicalJson(expected))
      return differ('The people stored as selected differ from the recorded result.');
    checked.push('stored members');
  }
  return { identical: true, difference: null, checked };
}

function listOf(result: DrawResult): string[] {
  switch (result.kind) {
    case 'sample':
      return [...result.selected, ...result.reserve.map((r) => `${r.id} (reserve ${r.stratum} #${r.rank})`)];
    case 'list':
      return [...result.selected, ...result.reserve];
    case 'audit':
      return result.selected;
    case 'leaders':
      return result.pairs.map(([l, u]) => `${l} → ${u}`);
  }
}

export type { Stratum };
