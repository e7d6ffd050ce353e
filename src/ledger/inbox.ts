import type { Actor } from '../core/auth/model.js';
import { actorLabel } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { LedgerTopicsTable } from '../core/db/schema.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isoNow, isValidDate } from '../core/time.js';
import * as registryStore from '../registry/store.js';
import {
  buildModel,
  classify,
  countComment,
  emptyCounts,
  NO_TOPIC,
  type ClassifierModel,
  type TopicDefinition,
} from './classifier.js';
import { clusterComments } from './clusters.js';
import { TOPIC_PRESETS } from './presets.js';
import { loadTree, requireOffice, requirePermission, unitsForRequest } from './scope.js';
import { contentWords, defaultSegmenter, textFeatures } from './segment.js';
import { commentSources, inboxText, sourceName } from './sources.js';
import * as store from './store.js';
import type {
  ClusterView,
  CommentPage,
  CommentView,
  KeywordView,
  SuggestionView,
  TopicListView,
  TopicView,
} from './types.js';

/*
 * The comment inbox and its topics as use cases: collecting comments from the registered sources, topic
 * lists and their keywords, suggestions with the words behind them, bulk confirmation and correction
 * (which teach the classifier), and clusters of what no topic claimed.
 */

const MAX_KEYWORDS = 200;

// --- the classifier of a list, cached per app node by the list's revision -------------------------

interface CachedModel {
  revision: number;
  model: ClassifierModel;
  names: Map<string, string>;
}
const models = new WeakMap<object, Map<string, CachedModel>>();

function parseKeywords(json: string): KeywordView[] {
  try {
    const raw = JSON.parse(json) as unknown;
    if (!Array.isArray(raw)) return [];
    return raw.flatMap((k: unknown) => {
      if (typeof k !== 'object' || k === null) return [];
      const { word, weight } = k as { word?: unknown; weight?: unknown };
      return typeof word === 'string' && typeof weight === 'number' ? [{ word, weight }] : [];
    });
  } catch {
    return [];
  }
}

/** The list's classifier: keywords of its active topics and every assignment in it (rebuilt when the revision moves). */
async function modelOf(deps: Deps, db: Executor, listId: string): Promise<CachedModel> {
  const list = await store.topicListById(db, listId);
  if (!list) throw new NotFound('topic list', listId);
  const cache = models.get(deps.database) ?? new Map<string, CachedModel>();
  models.set(deps.database, cache);
  const hit = cache.get(listId);
  if (hit && hit.revision === list.revision) return hit;
  const topics = (await store.topicsOf(db, listId)).filter((t) => t.archived === 0);
  const definitions: TopicDefinition[] = topics.map((t) => ({
    id: t.id,
    name: t.name,
    keywords: parseKeywords(t.keywords),
  }));
  const segmenter = defaultSegmenter();
  const keywords = definitions.flatMap((t) => t.keywords.map((k) => k.word));
  const active = new Set(topics.map((t) => t.id));
  const counts = emptyCounts();
  for (const a of await store.trainingSet(db, listId)) {
    const topic = a.topicId ?? NO_TOPIC;
    if (topic !== NO_TOPIC && !active.has(topic)) continue;
    countComment(counts, topic, textFeatures(a.text, segmenter, keywords));
  }
  const cached = {
    revision: list.revision,
    model: buildModel(definitions, counts),
    names: new Map(topics.map((t) => [t.id, t.name])),
  };
  cache.set(listId, cached);
  return cached;
}

function suggest(cached: CachedModel, text: string): SuggestionView | null {
  const s = classify(cached.model, textFeatures(text, defaultSegmenter(), cached.model.keywords));
  if (s.topicId === null) return null;
  return {
    topicId: s.topicId,
    topicName: cached.names.get(s.topicId) ?? '',
    score: s.score,
    margin: s.margin,
    because: s.because.slice(0, 8),
  };
}

// --- topic lists --------------------------------------------------------------------------------

function topicView(t: LedgerTopicsTable, assigned: Map<string, number>): TopicView {
  return {
    id: t.id,
    listId: t.listId,
    name: t.name,
    keywords: parseKeywords(t.keywords),
    position: t.position,
    archived: t.archived === 1,
    assigned: assigned.get(t.id) ?? 0,
  };
}

async function listView(db: Executor, listId: string): Promise<TopicListView> {
  const list = await store.topicListById(db, listId);
  if (!list) throw new NotFound('topic list', listId);
  const assigned = await store.assignedCounts(db, listId);
  return {
    id: list.id,
    name: list.name,
    presetKey: list.presetKey,
    revision: list.revision,
    topics: (await store.topicsOf(db, listId)).map((t) => topicView(t, assigned)),
  };
}

/** GET /api/ledger/topic-lists: every list with its topics (ledger:handle). */
export async function listTopicLists(deps: Deps, actor: Actor): Promise<TopicListView[]> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const out: TopicListView[] = [];
  for (const list of await store.topicLists(db)) out.push(await listView(db, list.id));
  return out;
}

/** The presets a new list can start from. */
export function topicPresets(): { key: string; name: string; topics: string[] }[] {
  return TOPIC_PRESETS.map((p) => ({ key: p.key, name: p.name, topics: p.topics.map((t) => t.name) }));
}

function cleanKeywords(keywords: readonly KeywordView[]): string {
  if (keywords.length > MAX_KEYWORDS) {
    throw new Invalid('too_many_keywords', `A topic has at most ${MAX_KEYWORDS} keywords.`, {
      max: MAX_KEYWORDS,
    });
  }
  const seen = new Map<string, number>();
  for (const k of keywords) {
    const word = k.word.trim();
    if (word === '') continue;
    if (!Number.isFinite(k.weight) || k.weight < 0 || k.weight > 10) {
      throw new Invalid('bad_keyword_weight', `The weight of “${word}” must be between 0 and 10.`, { word });
    }
    seen.set(word, k.weight);
  }
  return JSON.stringify([...seen].map(([word, weight]) => ({ word, weight })));
}

/** POST /api/ledger/topic-lists: a new list, empty or from a preset (ledger:manage). */
export async function createTopicList(
  deps: Deps,
  actor: Actor,
  input: { name: string; presetKey?: string },
): Promise<TopicListView> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'keep the topic lists');
  const preset = input.presetKey === undefined ? null : TOPIC_PRESETS.find((p) => p.key === input.presetKey);
  if (preset === undefined) {
    throw new Invalid('unknown_preset', `There is no preset “${input.presetKey ?? ''}”.`, {
      presetKey: input.presetKey ?? '',
    });
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const now = isoNow(deps.clock);
    const id = newId(deps.clock.now().getTime());
    await store.insertTopicList(trx, {
      id,
      name: input.name.trim(),
      presetKey: preset?.key ?? null,
      revision: 0,
      createdAt: now,
      updatedAt: now,
    });
    for (const [position, t] of (preset?.topics ?? []).entries()) {
      await store.insertTopic(trx, {
        id: newId(deps.clock.now().getTime()),
        listId: id,
        name: t.name,
        keywords: JSON.stringify(t.keywords.map((word) => ({ word, weight: 1 }))),
        position,
        archived: 0,
        createdAt: now,
        updatedAt: now,
      });
    }
    await audit({
      action: 'ledger.topic_list_created',
      entityType: 'ledger_topic_list',
      entityId: id,
      before: null,
      after: { name: input.name.trim(), presetKey: preset?.key ?? null },
    });
    return listView(trx, id);
  });
}

/** POST /api/ledger/topic-lists/:id/topics: a topic with its keywords (ledger:manage). */
export async function createTopic(
  deps: Deps,
  actor: Actor,
  listId: string,
  input: { name: string; keywords: KeywordView[] },
): Promise<TopicListView> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'keep the topic lists');
  return inTransaction(deps, actor, async (trx, audit) => {
    const list = await store.topicListById(trx, listId);
    if (!list) throw new NotFound('topic list', listId);
    const topics = await store.topicsOf(trx, listId);
    const name = input.name.trim();
    if (topics.some((t) => t.name === name)) {
      throw new Conflict('topic_exists', `The list already has a topic “${name}”.`, { name });
    }
    const now = isoNow(deps.clock);
    const id = newId(deps.clock.now().getTime());
    const keywords = cleanKeywords(input.keywords);
    await store.insertTopic(trx, {
      id,
      listId,
      name,
      keywords,
      position: topics.length,
      archived: 0,
      createdAt: now,
      updatedAt: now,
    });
    await store.bumpRevision(trx, listId, now);
    await audit({
      action: 'ledger.topic_created',
      entityType: 'ledger_topic',
      entityId: id,
      before: null,
      after: { listId, name, keywords: JSON.parse(keywords) as unknown },
    });
    return listView(trx, listId);
  });
}

/** PATCH /api/ledger/topics/:id: rename, change keywords and weights, archive (ledger:manage). */
export async function updateTopic(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { name?: string; keywords?: KeywordView[]; archived?: boolean },
): Promise<TopicListView> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'keep the topic lists');
  return inTransaction(deps, actor, async (trx, audit) => {
    const topic = await store.topicById(trx, id);
    if (!topic) throw new NotFound('topic', id);
    const now = isoNow(deps.clock);
    const changes: Parameters<typeof store.updateTopic>[2] = { updatedAt: now };
    if (input.name !== undefined) {
      const name = input.name.trim();
      const clash = (await store.topicsOf(trx, topic.listId)).find((t) => t.name === name && t.id !== id);
      if (clash) throw new Conflict('topic_exists', `The list already has a topic “${name}”.`, { name });
      changes.name = name;
    }
    if (input.keywords !== undefined) changes.keywords = cleanKeywords(input.keywords);
    if (input.archived !== undefined) changes.archived = input.archived ? 1 : 0;
    await store.updateTopic(trx, id, changes);
    await store.bumpRevision(trx, topic.listId, now);
    await audit({
      action: 'ledger.topic_updated',
      entityType: 'ledger_topic',
      entityId: id,
      before: { name: topic.name, keywords: parseKeywords(topic.keywords), archived: topic.archived === 1 },
      after: {
        name: changes.name ?? topic.name,
        keywords: changes.keywords ? parseKeywords(changes.keywords) : parseKeywords(topic.keywords),
        archived: changes.archived === undefined ? topic.archived === 1 : changes.archived === 1,
      },
    });
    return listView(trx, topic.listId);
  });
}

// --- collecting ---------------------------------------------------------------------------------

const COLLECT_LIMIT = 200_000;

/**
 * POST /api/ledger/comments/collect: brings the comments written on days from–to into the inbox from every
 * registered source (ledger:manage). Collecting again stores nothing twice.
 */
export async function collectComments(
  deps: Deps,
  actor: Actor,
  input: { from: string; to: string },
): Promise<{ sources: { key: string; name: string; found: number; added: number }[] }> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'collect comments');
  for (const date of [input.from, input.to]) {
    if (!isValidDate(date)) throw new Invalid('invalid_date', `${date} is not a date.`, { date });
  }
  if (input.to < input.from) throw new Invalid('bad_range', 'The end date is before the start date.');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const now = isoNow(deps.clock);
    const out: { key: string; name: string; found: number; added: number }[] = [];
    for (const source of commentSources()) {
      const found = await source.collect(trx, { from: input.from, to: input.to, limit: COLLECT_LIMIT });
      let added = 0;
      for (const c of found) {
        const text = inboxText(c.text);
        if (text === '' || !tree.parents.has(c.unitId)) continue;
        const stored = await store.insertCommentIfAbsent(trx, {
          id: newId(deps.clock.now().getTime()),
          source: source.key,
          sourceRef: c.sourceRef,
          unitId: c.unitId,
          date: c.date,
          level: c.level,
          text,
          collectedAt: now,
        });
        if (stored) added += 1;
      }
      out.push({ key: source.key, name: source.name, found: found.length, added });
    }
    await audit({
      action: 'ledger.comments_collected',
      entityType: 'ledger_inbox',
      entityId: `${input.from}..${input.to}`,
      before: null,
      after: { from: input.from, to: input.to, sources: out },
    });
    return { sources: out };
  });
}

// --- the inbox ----------------------------------------------------------------------------------

export interface CommentQuery {
  listId?: string;
  unitId?: string;
  from?: string;
  to?: string;
  periodId?: string;
  source?: string;
  assigned?: boolean;
  topicId?: string;
  page?: number;
  pageSize?: number;
}

async function dateRange(db: Executor, q: CommentQuery): Promise<{ from: string | null; to: string | null }> {
  if (q.periodId === undefined) return { from: q.from ?? null, to: q.to ?? null };
  const period = await registryStore.periodById(db, q.periodId);
  if (!period) throw new NotFound('period', q.periodId);
  return { from: period.startDate, to: period.endDate };
}

/**
 * GET /api/ledger/comments: the inbox of a unit (and its subtree) and period, newest first; with a topic
 * list, each comment's assignment in it or the suggestion with the words behind it (ledger:handle).
 */
export async function listComments(deps: Deps, actor: Actor, q: CommentQuery): Promise<CommentPage> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  const unitIds = unitsForRequest(actor, tree, q.unitId);
  const range = await dateRange(db, q);
  const cached = q.listId === undefined ? null : await modelOf(deps, db, q.listId);
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 50;
  const { rows, total } = await store.commentPage(
    db,
    {
      unitIds,
      ...range,
      source: q.source ?? null,
      listId: q.listId ?? null,
      assigned: q.listId === undefined ? null : (q.assigned ?? null),
      topicId: q.topicId ?? null,
    },
    pageSize,
    (page - 1) * pageSize,
  );
  const items: CommentView[] = rows.map((r) => ({
    id: r.id,
    source: r.source,
    sourceName: sourceName(r.source),
    unitId: r.unitId,
    unitName: tree.names.get(r.unitId) ?? '',
    date: r.date,
    level: r.level,
    text: r.text,
    assigned: r.isAssigned === 1,
    topicId: r.assignedTopicId,
    suggestion: cached === null || r.isAssigned === 1 ? null : suggest(cached, r.text),
  }));
  return { items, total, page, pageSize };
}

/**
 * POST /api/ledger/topic-lists/:id/assign: a clerk confirms or corrects topics in bulk (topic null: no
 * topic of the list). Later suggestions learn from it (ledger:manage).
 */
export async function assignComments(
  deps: Deps,
  actor: Actor,
  listId: string,
  input: { assignments: { commentId: string; topicId: string | null }[] },
): Promise<{ assigned: number; revision: number }> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'confirm topics');
  return inTransaction(deps, actor, async (trx, audit) => {
    const list = await store.topicListById(trx, listId);
    if (!list) throw new NotFound('topic list', listId);
    const topics = new Map((await store.topicsOf(trx, listId)).map((t) => [t.id, t]));
    const comments = new Set(
      (
        await store.commentsByIds(
          trx,
          input.assignments.map((a) => a.commentId),
        )
      ).map((c) => c.id),
    );
    for (const a of input.assignments) {
      if (!comments.has(a.commentId)) throw new NotFound('comment', a.commentId);
      if (a.topicId !== null) {
        const topic = topics.get(a.topicId);
        if (!topic) {
          throw new Invalid('topic_not_in_list', 'The topic does not belong to this list.', {
            topicId: a.topicId,
          });
        }
        if (topic.archived === 1) {
          throw new Invalid('topic_archived', `The topic “${topic.name}” is archived.`, {
            topicId: a.topicId,
          });
        }
      }
    }
    const before = new Map(
      (
        await store.assignmentsByComments(
          trx,
          listId,
          input.assignments.map((a) => a.commentId),
        )
      ).map((a) => [a.commentId, a.topicId]),
    );
    const now = isoNow(deps.clock);
    for (const a of input.assignments) {
      await store.upsertAssignment(trx, {
        commentId: a.commentId,
        listId,
        topicId: a.topicId,
        assignedBy: actorLabel(actor),
        assignedAt: now,
      });
    }
    await store.bumpRevision(trx, listId, now);
    const corrected = input.assignments.filter(
      (a) => before.has(a.commentId) && before.get(a.commentId) !== a.topicId,
    ).length;
    await audit({
      action: 'ledger.comments_assigned',
      entityType: 'ledger_topic_list',
      entityId: listId,
      before: null,
      after: { count: input.assignments.length, corrected },
      detail: {
        count: input.assignments.length,
        corrected,
        sample: input.assignments.slice(0, 20),
      },
    });
    return { assigned: input.assignments.length, revision: list.revision + 1 };
  });
}

/**
 * GET /api/ledger/clusters: the comments of a unit (subtree) and period that no topic claimed — neither
 * assigned in the list nor suggested by it — grouped by shared key phrases (ledger:handle).
 */
export async function commentClusters(
  deps: Deps,
  actor: Actor,
  q: { listId: string; unitId?: string; from?: string; to?: string; periodId?: string },
): Promise<ClusterView[]> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  const unitIds = unitsForRequest(actor, tree, q.unitId);
  const range = await dateRange(db, q);
  const cached = await modelOf(deps, db, q.listId);
  const rows = await store.commentsMatching(
    db,
    { unitIds, ...range, source: null, listId: q.listId, assigned: false, topicId: null },
    50_000,
  );
  const segmenter = defaultSegmenter();
  const inputs = rows
    .filter((r) => suggest(cached, r.text) === null)
    .map((r) => ({ id: r.id, text: r.text, words: contentWords(r.text, segmenter) }));
  const texts = new Map(inputs.map((i) => [i.id, i.text]));
  return clusterComments(inputs).map((c) => ({
    phrase: c.phrase,
    related: c.related,
    title: c.title,
    count: c.memberIds.length,
    commentIds: c.memberIds,
    examples: c.memberIds.slice(0, 3).map((id) => texts.get(id) ?? ''),
  }));
}

/** GET /api/ledger/comment-sources: the sources comments come from, for the inbox's filter (ledger:handle). */
export function listCommentSources(actor: Actor): { key: string; name: string }[] {
  requirePermission(actor, 'ledger:handle');
  return commentSources().map((s) => ({ key: s.key, name: s.name }));
}
