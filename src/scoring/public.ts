import { type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import { NotFound } from '../core/errors.js';
import { type ComponentResult, type SchemeDefinition } from './model.js';
import * as store from './store.js';
import type { PublicResult, PublicResultKind, PublicResultSummary, UnitResultView } from './types.js';
import {
  type RunContext,
  componentSummaries,
  currentLists,
  loadRun,
  presentReview,
  summaryOf,
} from './runs.js';

/* What the public sees of published runs (十佳十差 pages). */

export function kindOf(definition: SchemeDefinition): PublicResultKind {
  return definition.lists.best > 0 ? 'best_worst' : definition.lists.worst > 0 ? 'worst_only' : 'ranking';
}

function listSizesOf(ctx: RunContext): { best: number; worst: number } {
  const lists = currentLists(ctx.outcome, ctx.reviews);
  return { best: lists.best.length, worst: lists.worst.length };
}

async function publishedRun(db: Executor, id: string): Promise<RunContext> {
  const run = await store.runById(db, id);
  if (!run || run.status !== 'published') throw new NotFound('published result', id);
  return loadRun(db, id);
}

export async function publicResults(deps: Deps): Promise<PublicResultSummary[]> {
  const db = deps.database.db;
  const rows = (await store.listRuns(db, { status: 'published' })).filter((r) => r.supersededBy === null);
  const out: PublicResultSummary[] = [];
  for (const row of rows) {
    const ctx = await loadRun(db, row.id);
    const summary = summaryOf(ctx);
    out.push({
      id: row.id,
      schemeName: summary.schemeName,
      periodName: summary.periodName,
      groupName: summary.groupName,
      publishedAt: row.publishedAt ?? '',
      kind: kindOf(ctx.definition),
      listSizes: listSizesOf(ctx),
    });
  }
  return out.sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0));
}

export async function publicResult(deps: Deps, id: string): Promise<PublicResult> {
  const db = deps.database.db;
  const ctx = await publishedRun(db, id);
  const problems = new Map((await store.problemsOf(db, id)).map((p) => [p.unitId, p.text]));
  const rows = new Map(
    ctx.outcome.units.map((u) => [
      u.unitId,
      {
        unitId: u.unitId,
        code: u.code,
        name: u.name,
        parentName: u.parentName ?? null,
        total: u.total,
        rank: u.rank,
        grade: u.grade,
        flags: [...u.flags],
        rankChange: u.rankChange,
        problems: problems.get(u.unitId) || null,
      },
    ]),
  );
  const lists = currentLists(ctx.outcome, ctx.reviews);
  const pick = (ids: readonly string[]) => ids.flatMap((unitId) => rows.get(unitId) ?? []);
  const summary = summaryOf(ctx);
  return {
    id,
    schemeName: summary.schemeName,
    periodName: summary.periodName,
    groupName: summary.groupName,
    publishedAt: ctx.run.publishedAt ?? '',
    kind: kindOf(ctx.definition),
    listSizes: { best: lists.best.length, worst: lists.worst.length },
    issuer: ctx.definition.issuer?.trim() || null,
    components: componentSummaries(ctx.definition),
    precision: ctx.outcome.precision,
    best: pick(lists.best),
    worst: pick(lists.worst),
    units: [...rows.values()],
    stages: ctx.reviews.map((r) => {
      const { recordedBy: _recordedBy, ...rest } = presentReview(r);
      return rest;
    }),
    inputsDigest: ctx.run.inputsDigest,
    resultsDigest: ctx.run.resultsDigest,
    schemeVersion: ctx.run.schemeVersion,
  };
}

/** Provenance as the public may read it: the document and the date, never who typed it in. */
export function publicProvenance(provenance: string | null | undefined): string | null {
  if (provenance === null || provenance === undefined) return null;
  return provenance.replace(/entered by .*? from 《/gu, 'from 《');
}

function publicExplanation(node: ComponentResult): ComponentResult {
  return {
    ...node,
    ...(node.provenance !== undefined ? { provenance: publicProvenance(node.provenance) } : {}),
    ...(node.children ? { children: node.children.map(publicExplanation) } : {}),
  };
}

export async function publicUnit(deps: Deps, id: string, unitId: string): Promise<UnitResultView> {
  const db = deps.database.db;
  const ctx = await publishedRun(db, id);
  const unit = ctx.outcome.units.find((u) => u.unitId === unitId);
  if (!unit) throw new NotFound('unit in this result', unitId);
  return {
    ...unit,
    parentName: unit.parentName ?? null,
    explanation: publicExplanation(unit.explanation),
    problems: (await store.problemOf(db, id, unitId))?.text || null,
  };
}
