import { type Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { RunReviewsTable, ScoringRunsTable } from '../core/db/schema.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow, isValidDate } from '../core/time.js';
import {
  applyReviewStage,
  type RankingInput,
  type RankingOutcome,
  type ReviewDecision,
  type ReviewStageDef,
} from './model.js';
import * as store from './store.js';
import {
  listSizeWarnings,
  periodWarnings,
  problemWarnings,
  refuseUnaccepted,
  sourceWarnings,
} from './warnings.js';
import type { RunDetail, RunWarning } from './types.js';
import { actorIdOf, actorName, require, text } from './common.js';
import { type RunContext, currentLists, loadRun, runDetail } from './runs.js';
import { kindOf } from './public.js';

/* Review stages, main problems and publication of a run (审核、发布). */

function refuseLocked(run: ScoringRunsTable): void {
  if (run.status === 'approved' || run.status === 'published') {
    throw new Conflict(
      'run_locked',
      'This result has had its final approval and can no longer change. Compute a new run to change it.',
      { status: run.status },
    );
  }
  if (run.status === 'superseded') {
    throw new Conflict('run_superseded', 'A newer run of this scheme, period and group replaced this one.', {
      supersededBy: run.supersededBy,
    });
  }
}

export interface ReviewInput {
  stageIndex: number;
  body: string;
  decidedOn: string;
  decision: 'approve' | 'amend';
  best?: string[] | undefined;
  worst?: string[] | undefined;
  reason?: string | undefined;
  /** Warning codes the clerk confirmed (a list whose size differs from the stage's). */
  acceptWarnings?: readonly string[] | undefined;
}

/**
 * A body decides on lists it has been given: not before the run was computed, not before the previous
 * stage decided, and not in the future.
 */
function refuseImpossibleDecisionDate(
  decidedOn: string,
  computedAt: string,
  reviews: readonly { decidedOn: string }[],
  deps: Deps,
): void {
  const earliest = [chinaDate(new Date(computedAt)), ...reviews.map((r) => r.decidedOn)].sort().at(-1) ?? '';
  const today = chinaDate(deps.clock.now());
  if (decidedOn < earliest || decidedOn > today) {
    throw new Invalid(
      'bad_decision_date',
      decidedOn > today
        ? `The decision date ${decidedOn} is in the future; record a stage after its meeting.`
        : `The decision date ${decidedOn} is before the lists reached this stage (${earliest}).`,
      { field: 'decidedOn', earliest, latest: today },
    );
  }
}

/** POST /api/runs/:id/reviews: one stage's decision; the last stage approves and locks the run. */
export async function recordReview(
  deps: Deps,
  actor: Actor,
  id: string,
  input: ReviewInput,
): Promise<RunDetail> {
  require(actor, 'scoring:manage');
  const body = text(input.body, 'body', 100);
  if (!isValidDate(input.decidedOn)) {
    throw new Invalid('invalid_date', 'decidedOn must be a date written as YYYY-MM-DD.', {
      field: 'decidedOn',
    });
  }
  const reason = text(input.reason, 'reason', 2000, false);
  if (input.decision === 'amend' && reason === '') {
    throw new Invalid('reason_required', 'An amendment of the lists needs a written reason.', {
      field: 'reason',
    });
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const ctx = await loadRun(trx, id);
    refuseLocked(ctx.run);
    const stages = ctx.definition.review.stages;
    const expected = ctx.reviews.length;
    if (input.stageIndex !== expected) {
      throw new Invalid(
        'wrong_stage',
        expected < stages.length
          ? `The next stage to record is ${expected + 1} (${stages[expected]?.name ?? ''}), not ${input.stageIndex + 1}.`
          : 'Every review stage of this run is recorded.',
        { field: 'stageIndex', expected },
      );
    }
    const stage = stages[expected] as ReviewStageDef;
    refuseImpossibleDecisionDate(input.decidedOn, ctx.run.computedAt, ctx.reviews, deps);
    const before = currentLists(ctx.outcome, ctx.reviews);
    const decision: ReviewDecision =
      input.decision === 'approve'
        ? { kind: 'approve' }
        : { kind: 'amend', best: input.best ?? before.best, worst: input.worst ?? before.worst, reason };
    const after = applyReviewStage(ctx.definition, expected, before, decision);
    refuseUnaccepted(listSizeWarnings(ctx.definition, expected, after), input.acceptWarnings ?? []);
    const now = isoNow(deps.clock);
    const review: RunReviewsTable = {
      id: newId(),
      runId: id,
      stageIndex: expected,
      stageName: stage.name,
      body,
      decidedOn: input.decidedOn,
      decision: input.decision,
      reason: input.decision === 'amend' ? reason : reason || null,
      best: JSON.stringify(after.best),
      worst: JSON.stringify(after.worst),
      recordedBy: actorIdOf(actor),
      recordedByName: actorName(actor),
      recordedAt: now,
    };
    await store.insertReview(trx, review);
    const last = expected === stages.length - 1;
    const status = last ? 'approved' : 'in_review';
    if (
      !(await store.setRunStatus(trx, id, ctx.run.status, { status, ...(last ? { approvedAt: now } : {}) }))
    ) {
      throw new Conflict('run_changed', 'The run changed while this was recorded; reload it.');
    }
    await audit({
      action: last ? 'run.approved' : 'run.reviewed',
      entityType: 'scoring_run',
      entityId: id,
      before: { status: ctx.run.status, lists: before },
      after: { status, lists: after },
      detail: {
        stageIndex: expected,
        stageName: stage.name,
        body,
        decidedOn: input.decidedOn,
        decision: input.decision,
        reason: review.reason,
        best: after.best,
        worst: after.worst,
      },
    });
    return runDetail(trx, await loadRun(trx, id));
  });
}

/** PUT /api/runs/:id/problems/:unitId: a unit's main problems (主要问题), until publication. */
export async function setProblems(
  deps: Deps,
  actor: Actor,
  id: string,
  unitId: string,
  input: { text: string },
): Promise<{ unitId: string; text: string }> {
  require(actor, 'scoring:manage');
  const value = text(input.text, 'text', 4000, false);
  return inTransaction(deps, actor, async (trx, audit) => {
    const run = await store.runById(trx, id);
    if (!run) throw new NotFound('run', id);
    if (run.status === 'published') {
      throw new Conflict('run_locked', 'This result is published; its main problems can no longer change.', {
        status: run.status,
      });
    }
    if (run.status === 'superseded') refuseLocked(run);
    const outcome = JSON.parse(run.outcome) as RankingOutcome;
    if (!outcome.units.some((u) => u.unitId === unitId)) throw new NotFound('unit in this run', unitId);
    const before = await store.problemOf(trx, id, unitId);
    await store.upsertProblem(trx, {
      runId: id,
      unitId,
      text: value,
      updatedBy: actorIdOf(actor),
      updatedAt: isoNow(deps.clock),
    });
    await audit({
      action: 'run.problems_edited',
      entityType: 'scoring_run',
      entityId: id,
      before: { unitId, text: before?.text ?? null },
      after: { unitId, text: value },
    });
    return { unitId, text: value };
  });
}

/**
 * What publishing a run would put before the public that may mislead: a period not ended, source leaves
 * without values, units on a list that shows main problems without any, final lists of another size than
 * the last stage keeps.
 */
async function publicationWarnings(db: Executor, deps: Deps, ctx: RunContext): Promise<RunWarning[]> {
  const inputs = JSON.parse(ctx.run.inputs) as RankingInput;
  const lists = currentLists(ctx.outcome, ctx.reviews);
  const names = new Map(ctx.outcome.units.map((u) => [u.unitId, u.name]));
  const problems = new Map((await store.problemsOf(db, ctx.run.id)).map((p) => [p.unitId, p.text]));
  const stages = ctx.definition.review.stages.length;
  return [
    ...periodWarnings(ctx.period, chinaDate(deps.clock.now())),
    ...sourceWarnings({ ...inputs, scheme: ctx.definition }),
    ...problemWarnings(
      kindOf(ctx.definition),
      lists.worst.map((id) => ({ id, name: names.get(id) ?? id })),
      problems,
    ),
    ...(stages > 0 ? listSizeWarnings(ctx.definition, stages - 1, lists) : []),
  ];
}

/** GET /api/runs/:id/warnings: what publishing this run now would warn about. */
export async function runWarnings(deps: Deps, actor: Actor, id: string): Promise<{ warnings: RunWarning[] }> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  return { warnings: await publicationWarnings(db, deps, await loadRun(db, id)) };
}

/** POST /api/runs/:id/publish: only an approved run; an earlier publication of the same run set steps aside. */
export async function publishRun(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { acceptWarnings?: readonly string[] | undefined } = {},
): Promise<RunDetail> {
  require(actor, 'scoring:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const run = await store.runById(trx, id);
    if (!run) throw new NotFound('run', id);
    if (run.status !== 'approved') {
      throw new Conflict(
        'not_approved',
        run.status === 'published'
          ? 'This result is published already.'
          : 'Only a result whose final review stage is recorded can be published.',
        { status: run.status },
      );
    }
    const warnings = await publicationWarnings(trx, deps, await loadRun(trx, id));
    refuseUnaccepted(warnings, input.acceptWarnings ?? []);
    const now = isoNow(deps.clock);
    if (!(await store.setRunStatus(trx, id, 'approved', { status: 'published', publishedAt: now }))) {
      throw new Conflict('run_changed', 'The run changed while it was published; reload it.');
    }
    await store.markOlderPublished(trx, run);
    await audit({
      action: 'run.published',
      entityType: 'scoring_run',
      entityId: id,
      before: { status: 'approved' },
      after: { status: 'published', publishedAt: now },
      ...(warnings.length > 0 ? { detail: { acceptedWarnings: warnings.map((w) => w.message) } } : {}),
    });
    return runDetail(trx, await loadRun(trx, id));
  });
}
