import type { Actor } from '../core/auth/model.js';
import { actorLabel } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { LedgerProblemsTable } from '../core/db/schema.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isoNow } from '../core/time.js';
import { mainProblemsText } from './model.js';
import {
  assertUnitInScope,
  loadTree,
  requireOffice,
  requirePermission,
  unitsForRequest,
  type Tree,
} from './scope.js';
import * as store from './store.js';
import { sourceName } from './sources.js';
import type { ProblemCommentView, ProblemView } from './types.js';

/*
 * Problem lists per unit (问题清单): a clerk turns a cluster (or a hand-picked set) of comments into a
 * problem with an edited title; the count and examples come from the comments behind it. A unit's problems,
 * largest first, are the main problems (主要问题) a scoring run shows for the hardest sections.
 */

async function views(db: Executor, tree: Tree, rows: readonly LedgerProblemsTable[]): Promise<ProblemView[]> {
  const comments = await store.problemComments(
    db,
    rows.map((r) => r.id),
  );
  const topics = new Map(
    (
      await store.topicsByIds(
        db,
        rows.flatMap((r) => (r.topicId === null ? [] : [r.topicId])),
      )
    ).map((t) => [t.id, t.name]),
  );
  const items = await store.itemsByOrigin(
    db,
    'problem',
    rows.map((r) => r.id),
  );
  return rows.map((r) => {
    const list = comments.get(r.id) ?? [];
    return {
      id: r.id,
      unitId: r.unitId,
      unitName: tree.names.get(r.unitId) ?? '',
      topicId: r.topicId,
      topicName: r.topicId === null ? null : (topics.get(r.topicId) ?? null),
      title: r.title,
      phrase: r.phrase,
      count: list.length,
      examples: list.slice(0, 3).map((c) => c.text),
      itemIds: items.filter((i) => i.originRef === r.id).map((i) => i.id),
      createdAt: r.createdAt,
      updatedAt: r.updatedAt,
    };
  });
}

/** GET /api/ledger/problems: the problems of a unit's subtree (or all the actor sees), largest first (ledger:handle). */
export async function listProblems(deps: Deps, actor: Actor, q: { unitId?: string }): Promise<ProblemView[]> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  const rows = await store.problemsOfUnits(db, unitsForRequest(actor, tree, q.unitId));
  return (await views(db, tree, rows)).sort((a, b) => b.count - a.count || (a.id < b.id ? -1 : 1));
}

/**
 * POST /api/ledger/problems: a problem of one unit from comments of that unit's subtree, with a title the
 * clerk wrote or accepted (ledger:manage).
 */
export async function createProblem(
  deps: Deps,
  actor: Actor,
  input: { unitId: string; title: string; topicId?: string | null; phrase?: string; commentIds: string[] },
): Promise<ProblemView> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'draw up problem lists');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    assertUnitInScope(actor, tree, input.unitId);
    const comments = await store.commentsByIds(trx, input.commentIds);
    const byId = new Set(comments.map((c) => c.id));
    for (const id of input.commentIds) if (!byId.has(id)) throw new NotFound('comment', id);
    for (const c of comments) {
      // A comment of another unit's subtree cannot be this unit's problem.
      let u: string | null | undefined = c.unitId;
      while (u && u !== input.unitId) u = tree.parents.get(u);
      if (u !== input.unitId) {
        throw new Invalid(
          'comment_of_other_unit',
          'A comment belongs to a unit outside this unit’s subtree.',
          {
            commentId: c.id,
          },
        );
      }
    }
    if (input.topicId) {
      const topic = await store.topicById(trx, input.topicId);
      if (!topic) throw new NotFound('topic', input.topicId);
    }
    const now = isoNow(deps.clock);
    const row: LedgerProblemsTable = {
      id: newId(deps.clock.now().getTime()),
      unitId: input.unitId,
      topicId: input.topicId ?? null,
      title: input.title.trim(),
      phrase: input.phrase?.trim() ?? '',
      createdBy: actorLabel(actor),
      createdAt: now,
      updatedAt: now,
    };
    await store.insertProblem(trx, row);
    await store.addProblemComments(trx, row.id, input.commentIds);
    await audit({
      action: 'ledger.problem_created',
      entityType: 'ledger_problem',
      entityId: row.id,
      before: null,
      after: { unitId: row.unitId, title: row.title, comments: input.commentIds.length },
    });
    const [view] = await views(trx, tree, [row]);
    if (!view) throw new NotFound('problem', row.id);
    return view;
  });
}

/** PATCH /api/ledger/problems/:id: edit the title or topic, add comments (ledger:manage). */
export async function updateProblem(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { title?: string; topicId?: string | null; addCommentIds?: string[] },
): Promise<ProblemView> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'draw up problem lists');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const problem = await store.problemById(trx, id);
    if (!problem) throw new NotFound('problem', id);
    assertUnitInScope(actor, tree, problem.unitId);
    const now = isoNow(deps.clock);
    const changes: Parameters<typeof store.updateProblem>[2] = { updatedAt: now };
    if (input.title !== undefined) changes.title = input.title.trim();
    if (input.topicId !== undefined) changes.topicId = input.topicId;
    await store.updateProblem(trx, id, changes);
    if (input.addCommentIds && input.addCommentIds.length > 0) {
      const found = await store.commentsByIds(trx, input.addCommentIds);
      if (found.length !== new Set(input.addCommentIds).size) {
        throw new NotFound('comment', input.addCommentIds.find((c) => !found.some((f) => f.id === c)) ?? '');
      }
      await store.addProblemComments(trx, id, input.addCommentIds);
    }
    await audit({
      action: 'ledger.problem_updated',
      entityType: 'ledger_problem',
      entityId: id,
      before: { title: problem.title, topicId: problem.topicId },
      after: { title: changes.title ?? problem.title, topicId: changes.topicId ?? problem.topicId },
      detail: { addedComments: input.addCommentIds?.length ?? 0 },
    });
    const row = await store.problemById(trx, id);
    const [view] = await views(trx, tree, row ? [row] : []);
    if (!view) throw new NotFound('problem', id);
    return view;
  });
}

/**
 * GET /api/ledger/units/:unitId/main-problems: the unit's problems as the text of a scoring run's main
 * problems (主要问题), largest first: "1. 排队时间长（12条）；2. …" (ledger:handle).
 */
export async function mainProblems(
  deps: Deps,
  actor: Actor,
  unitId: string,
): Promise<{ unitId: string; text: string; problems: number }> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  assertUnitInScope(actor, tree, unitId);
  const rows = await store.problemsOfUnits(db, [unitId]);
  const list = await views(db, tree, rows);
  return { unitId, text: mainProblemsText(list), problems: list.length };
}

/** GET /api/ledger/problems/:id/comments: every comment behind a problem, oldest first (ledger:handle). */
export async function problemCommentList(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<ProblemCommentView[]> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  const problem = await store.problemById(db, id);
  if (!problem) throw new NotFound('problem', id);
  assertUnitInScope(actor, tree, problem.unitId);
  return (await store.commentsOfProblem(db, id)).map((c) => ({
    id: c.id,
    source: c.source,
    sourceName: sourceName(c.source),
    unitId: c.unitId,
    unitName: tree.names.get(c.unitId) ?? '',
    date: c.date,
    level: c.level,
    text: c.text,
  }));
}

/**
 * POST /api/ledger/problems/:id/merge: the other problems' comments join this one and the others are
 * removed. All must be problems of the same unit, and none of the others may have a ledger item (its item
 * would lose its origin) (ledger:manage).
 */
export async function mergeProblems(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { problemIds: string[] },
): Promise<ProblemView> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'draw up problem lists');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const target = await store.problemById(trx, id);
    if (!target) throw new NotFound('problem', id);
    assertUnitInScope(actor, tree, target.unitId);
    const others = [...new Set(input.problemIds)].filter((p) => p !== id);
    if (others.length === 0) {
      throw new Invalid('nothing_to_merge', 'Choose at least one other problem to merge into this one.');
    }
    const items = await store.itemsByOrigin(trx, 'problem', others);
    const moved: string[] = [];
    for (const otherId of others) {
      const other = await store.problemById(trx, otherId);
      if (!other) throw new NotFound('problem', otherId);
      if (other.unitId !== target.unitId) {
        throw new Invalid('problem_of_other_unit', 'Only problems of the same unit can be merged.', {
          problemId: otherId,
        });
      }
      const item = items.find((i) => i.originRef === otherId);
      if (item) {
        throw new Conflict('item_exists', 'A problem with a ledger item cannot be merged into another.', {
          itemId: item.id,
        });
      }
      const comments = (await store.commentsOfProblem(trx, otherId)).map((c) => c.id);
      await store.addProblemComments(trx, id, comments);
      await store.deleteProblem(trx, otherId);
      moved.push(...comments);
    }
    await store.updateProblem(trx, id, { updatedAt: isoNow(deps.clock) });
    await audit({
      action: 'ledger.problems_merged',
      entityType: 'ledger_problem',
      entityId: id,
      before: { merged: others },
      after: { title: target.title },
      detail: { comments: moved.length },
    });
    const row = await store.problemById(trx, id);
    const [view] = await views(trx, tree, row ? [row] : []);
    if (!view) throw new NotFound('problem', id);
    return view;
  });
}

/**
 * POST /api/ledger/problems/:id/split: some of a problem's comments leave it for a new problem of the same
 * unit and topic, with its own title; at least one comment must stay (ledger:manage).
 */
export async function splitProblem(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { title: string; commentIds: string[] },
): Promise<{ from: ProblemView; created: ProblemView }> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'draw up problem lists');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const problem = await store.problemById(trx, id);
    if (!problem) throw new NotFound('problem', id);
    assertUnitInScope(actor, tree, problem.unitId);
    const behind = new Set((await store.commentsOfProblem(trx, id)).map((c) => c.id));
    const chosen = [...new Set(input.commentIds)];
    const stray = chosen.find((c) => !behind.has(c));
    if (stray !== undefined) {
      throw new Invalid('comment_not_in_problem', 'A chosen comment is not behind this problem.', {
        commentId: stray,
      });
    }
    if (chosen.length >= behind.size) {
      throw new Invalid('split_leaves_nothing', 'Leave at least one comment with the problem being split.');
    }
    const now = isoNow(deps.clock);
    const row: LedgerProblemsTable = {
      id: newId(deps.clock.now().getTime()),
      unitId: problem.unitId,
      topicId: problem.topicId,
      title: input.title.trim(),
      phrase: '',
      createdBy: actorLabel(actor),
      createdAt: now,
      updatedAt: now,
    };
    await store.insertProblem(trx, row);
    await store.addProblemComments(trx, row.id, chosen);
    await store.removeProblemComments(trx, id, chosen);
    await store.updateProblem(trx, id, { updatedAt: now });
    await audit({
      action: 'ledger.problem_split',
      entityType: 'ledger_problem',
      entityId: id,
      before: { comments: behind.size },
      after: { comments: behind.size - chosen.length, newProblemId: row.id, newTitle: row.title },
    });
    const from = await store.problemById(trx, id);
    const [a, b] = await views(trx, tree, from ? [from, row] : [row]);
    if (!a || !b) throw new NotFound('problem', id);
    return { from: a, created: b };
  });
}
