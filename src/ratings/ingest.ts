import type { Transaction } from 'kysely';
import type { Deps } from '../core/context.js';
import type { Database } from '../core/db/database.js';
import type { DB } from '../core/db/schema.js';
import { AppError, Conflict, Invalid, NotFound, TooManyRequests } from '../core/errors.js';
import { GroupCommit, type Outcome } from '../core/group-commit.js';
import { newId } from '../core/ids.js';
import { chinaDate } from '../core/time.js';
import { isWorkingDay } from '../core/calendar/model.js';
import * as registryTree from '../registry/tree.js';
import { lastRatingsConfig, ratingsConfigOf } from './config.js';
import { badRatingCounted } from './hooks.js';
import {
  AT_WINDOW_CHANNELS,
  chinaDayStart,
  chinaMinuteOfDay,
  commentFingerprint,
  fraudFlags,
  isBadLevel,
  ratingProblems,
  settingsForUnit,
  type Channel,
  type RatingsSettings,
  type ServiceMode,
  type TagCatalogue,
  type UnitRatingsSettings,
} from './model.js';
import {
  mergeActivityDeltas,
  mergeRatingDeltas,
  parseScopes,
  scopesFor,
  type ActivityDelta,
  type ActivityRollupRow,
  type RatingDelta,
  type RatingRollupRow,
  type RollupScope,
} from './rollups.js';
import { upsertActivityRollups, upsertRatingRollups } from './store.js';
import * as store from './store.js';

/*
 * Rating ingest: every public submission goes through one group-commit queue per database. A batch
 * reads what it needs set-wise (links, earlier answers, fraud counts), decides each item in order —
 * later items see the earlier ones of the same batch — and then writes all accepted ratings, their
 * rollups and any bad-review cases in the batch's one transaction. Items refused for their content
 * are refused before anything is written.
 */

export interface RatingContent {
  level: number;
  tags: string[];
  dimensions: Record<string, number>;
  comment: string;
}

/** Who sent a rating and how; resolved by the route before the rating is queued. */
export interface RatingSource {
  channel: Exclude<Channel, 'default'>;
  /** A registered device's id, or the long-lived cookie of a browser. */
  deviceId: string;
  /** A registered rating device or terminal at the window: not limited per day, no address check. */
  registeredDevice: boolean;
  addressDigest: string;
  idempotencyKey: string;
  /** Digest of what was asked (target and content), to tell a retry from a different request. */
  requestDigest: string;
}

export type Submission =
  | { kind: 'transaction'; tokenHash: string; content: RatingContent; source: RatingSource }
  | {
      kind: 'unit';
      unitId: string;
      mode: ServiceMode;
      content: RatingContent;
      source: RatingSource;
    };

/** What the rater hears back; a retry with the same key hears exactly the same. */
export interface RatingAnswer {
  id: string;
  level: number;
  channel: string;
  createdAt: string;
  /** Held by a fraud check (e.g. outside opening hours): not counted, no case opened until the office decides. */
  held: boolean;
}

export const answerOf = (row: store.RatingRow): RatingAnswer => ({
  id: row.id,
  level: row.level,
  channel: row.channel,
  createdAt: row.createdAt,
  held: row.status === 'held',
});

/** A counted rating to add to the statistics, with its transaction's day when it rated one. */
export interface CountedRating {
  row: store.RatingRow;
  transactionDay: string | null;
}

/** The rollup rows that counting these ratings adds: their rating counts and actively rated transactions. */
export function rollupsOf(ratings: readonly CountedRating[]): {
  ratingRollups: RatingRollupRow[];
  activityRollups: ActivityRollupRow[];
} {
  const deltas: RatingDelta[] = [];
  const activity: ActivityDelta[] = [];
  // Ratings of one transaction's window share its stored scopes: parsed once per distinct text.
  const parsed = new Map<string, RollupScope[]>();
  for (const { row, transactionDay } of ratings) {
    let scopes = parsed.get(row.rollupScopes);
    if (!scopes) {
      scopes = parseScopes(row.rollupScopes);
      parsed.set(row.rollupScopes, scopes);
    }
    const key = { channel: row.channel, level: row.level, isDefault: row.isDefault === 1 };
    for (const scope of scopes) deltas.push({ scope, day: row.day, key, n: 1 });
    if (transactionDay && row.isDefault === 0) {
      activity.push({ scopes, day: transactionDay, delta: { activelyRated: 1 } });
    }
  }
  return { ratingRollups: mergeRatingDeltas(deltas), activityRollups: mergeActivityDeltas(activity) };
}

/** Opens a case for each bad review among the ratings that is not a default (the closed loop). */
async function openCases(trx: Transaction<DB>, deps: Deps, rows: readonly store.RatingRow[]): Promise<void> {
  for (const row of rows) {
    if (isBadLevel(row.level) && row.isDefault === 0) await badRatingCounted(trx, deps, row);
  }
}

/**
 * Adds counted ratings to the rollups (under the scopes stored with each), marks actively rated
 * transactions, and opens a case for each bad review that is not a default — all in `trx`.
 */
export async function countRatings(
  trx: Transaction<DB>,
  deps: Deps,
  ratings: readonly CountedRating[],
): Promise<void> {
  if (ratings.length === 0) return;
  const { ratingRollups, activityRollups } = rollupsOf(ratings);
  await upsertRatingRollups(trx, ratingRollups);
  await upsertActivityRollups(trx, activityRollups);
  await openCases(
    trx,
    deps,
    ratings.map((r) => r.row),
  );
}

const key2 = (a: string, b: string) => `${a}\u0000${b}`;

function firstProblem(content: RatingContent, mode: ServiceMode, tags: TagCatalogue): AppError | null {
  const problems = ratingProblems(content, mode, tags);
  const first = problems[0];
  if (!first) return null;
  return new Invalid(first.code, first.message, { field: first.field });
}

/** The subtree ids of stored rollup scopes: the unit's ancestry, unit first, as the tree stood then. */
function ancestryOfScopes(scopesJson: string): string[] {
  return parseScopes(scopesJson).flatMap(([type, id]) => (type === 'subtree' ? [id] : []));
}

/**
 * The options and opening hours that apply to a rated unit. Without overrides (the usual case) this is
 * the installation-wide setting, with no parsing; otherwise resolved along the ancestry the batch already
 * holds — the transaction's stored scopes, or the unit's ancestry read once per batch.
 */
function unitSettings(
  config: RatingsSettings,
  hasOverrides: boolean,
  ancestry: () => string[],
): UnitRatingsSettings {
  return hasOverrides ? settingsForUnit(config, ancestry()) : config;
}

/** Decides and writes one batch of submissions (see the file comment). */
export async function runIngestBatch(
  trx: Transaction<DB>,
  deps: Deps,
  items: readonly Submission[],
): Promise<Outcome<RatingAnswer>[]> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const today = chinaDate(now);
  const dialect = deps.database.dialect;
  const ancestries = new Map<string, string[]>();
  for (const unitId of new Set(items.flatMap((i) => (i.kind === 'unit' ? [i.unitId] : [])))) {
    ancestries.set(unitId, await registryTree.ancestryInForce(trx, unitId, today));
  }

  // Fraud and limit counts for the batch's devices, addresses and comments, read once for the batch
  // and then kept up to date as the batch's own ratings are decided. Keys are unit + device/address/comment.
  // Which counts to read depends on the configuration (the burst window, the shortest comment compared),
  // which the same read fetches: they are asked with the configuration read last and asked again in the
  // rare batch that finds it changed.
  const dayStart = chinaDayStart(today);
  const devices = [...new Set(items.map((i) => i.source.deviceId))];
  const addresses = [
    ...new Set(items.filter((i) => !i.source.registeredDevice).map((i) => i.source.addressDigest)),
  ];
  const fingerprints = new Map(items.map((i) => [i, commentFingerprint(i.content.comment)]));
  // The daily limit of poster and web ratings counts them (not ratings through a transaction's own link)
  // per unit and device since the start of the day.
  const limited = items.filter((i) => i.kind === 'unit' && !i.source.registeredDevice);
  const countQueries = (settings: RatingsSettings): store.RecentCountQuery[] => {
    const windowStart = new Date(now.getTime() - settings.fraud.burstWindowMinutes * 60_000).toISOString();
    const checked = [...new Set(fingerprints.values())].filter(
      (f) => f.length >= settings.fraud.minCommentLength,
    );
    return [
      { name: 'device', column: 'device_id', keys: devices, since: windowStart },
      { name: 'address', column: 'address_digest', keys: addresses, since: windowStart },
      { name: 'comment', column: 'comment_fingerprint', keys: checked, since: dayStart },
      {
        name: 'device_today',
        column: 'device_id',
        keys: [...new Set(limited.map((i) => i.source.deviceId))],
        since: dayStart,
        withoutTransaction: true,
      },
    ];
  };
  const atWindow = items.some((i) => AT_WINDOW_CHANNELS.includes(i.source.channel));
  const guess = lastRatingsConfig();
  const reads = await store.readBatch(trx, dialect, {
    tokenHashes: [...new Set(items.flatMap((i) => (i.kind === 'transaction' ? [i.tokenHash] : [])))],
    idempotencyKeys: [...new Set(items.map((i) => i.source.idempotencyKey))],
    counts: guess ? countQueries(guess) : [],
    calendarDay: atWindow ? today : null,
  });
  const config = ratingsConfigOf(reads.configText);
  const hasOverrides = Object.keys(config.byUnit).length > 0;
  const counts =
    config === guess ? reads.counts : await store.recentCounts(trx, dialect, countQueries(config));
  const transactions = new Map(reads.transactions.map((t) => [t.tokenHash, t]));
  const earlier = new Map(reads.earlier.map((r) => [r.idempotencyKey ?? '', r]));
  const tally = (name: string) =>
    new Map(counts.filter((r) => r.name === name).map((r) => [key2(r.unitId, r.key), r.n]));
  const fromDevice = tally('device');
  const fromAddress = tally('address');
  const sameComment = tally('comment');
  const todayFromDevice = tally('device_today');
  const calendarKind = reads.calendarKind;
  const workingDay = isWorkingDay(today, {
    holidays: new Set(calendarKind === 'holiday' ? [today] : []),
    workdays: new Set(calendarKind === 'workday' ? [today] : []),
  });
  const minuteOfDay = chinaMinuteOfDay(now);

  const accepted = new Map<string, { digest: string; answer: RatingAnswer }>();
  const takenTransactions = new Set<string>();
  const rows: store.RatingRow[] = [];
  const transactionDays = new Map<string, string>();
  const bump = (map: Map<string, number>, k: string) => map.set(k, (map.get(k) ?? 0) + 1);

  const decide = (item: Submission): RatingAnswer => {
    const { source, content } = item;
    const before =
      accepted.get(source.idempotencyKey) ??
      (() => {
        const row = earlier.get(source.idempotencyKey);
        return row ? { digest: row.requestDigest, answer: answerOf(row) } : undefined;
      })();
    if (before) {
      if (before.digest === source.requestDigest) return before.answer;
      throw new Conflict(
        'idempotency_conflict',
        'This idempotency key was already used for a different rating. Use a new key for a new rating.',
        { field: 'idempotencyKey' },
      );
    }
    let unitId: string;
    let mode: ServiceMode;
    let transaction: store.TransactionRow | undefined;
    let scopesJson: string;
    let settings: UnitRatingsSettings;
    if (item.kind === 'transaction') {
      transaction = transactions.get(item.tokenHash);
      if (!transaction) throw linkNotFound();
      if (transaction.ratingId !== null || takenTransactions.has(transaction.id)) throw alreadyRated();
      if (transaction.tokenExpiresAt <= at) throw linkExpired(transaction.tokenExpiresAt);
      unitId = transaction.unitId;
      mode = transaction.mode as ServiceMode;
      scopesJson = transaction.rollupScopes;
      settings = unitSettings(config, hasOverrides, () => ancestryOfScopes(scopesJson));
    } else {
      const ancestry = ancestries.get(item.unitId) ?? [];
      if (ancestry.length === 0) throw new NotFound('unit', item.unitId);
      unitId = item.unitId;
      mode = item.mode;
      scopesJson = JSON.stringify(scopesFor(ancestry, null, null));
      settings = unitSettings(config, hasOverrides, () => ancestry);
    }
    const problem = firstProblem(content, mode, settings.tags);
    if (problem) throw problem;
    const deviceKey = key2(unitId, source.deviceId);
    if (item.kind === 'unit' && !source.registeredDevice) {
      if ((todayFromDevice.get(deviceKey) ?? 0) >= config.generalDailyLimit) {
        throw new TooManyRequests(
          'daily_limit',
          `This device has already rated this unit ${config.generalDailyLimit} times today. Thank you — please come back tomorrow.`,
          { limit: config.generalDailyLimit },
        );
      }
    }
    const fingerprint = fingerprints.get(item) ?? '';
    const commentKey = key2(unitId, fingerprint);
    const addressKey = key2(unitId, source.addressDigest);
    const flags = fraudFlags(
      content.comment,
      {
        recentFromDevice: fromDevice.get(deviceKey) ?? 0,
        // All terminals of a hall share its address; a registered device is identified by itself.
        recentFromAddress: source.registeredDevice ? 0 : (fromAddress.get(addressKey) ?? 0),
        sameCommentToday: sameComment.get(commentKey) ?? 0,
        openingHours: AT_WINDOW_CHANNELS.includes(source.channel) ? settings.openingHours : null,
        workingDay,
        minuteOfDay,
      },
      config.fraud,
    );
    const row: store.RatingRow = {
      id: newId(),
      transactionId: transaction?.id ?? null,
      unitId,
      serviceItemId: transaction?.serviceItemId ?? null,
      staffId: transaction?.staffId ?? null,
      mode,
      level: content.level,
      tags: JSON.stringify(content.tags),
      dimensions: JSON.stringify(content.dimensions),
      comment: content.comment,
      commentFingerprint: fingerprint,
      channel: source.channel,
      deviceId: source.deviceId,
      addressDigest: source.addressDigest,
      isDefault: 0,
      named: transaction && transaction.contactPhone !== '' ? 1 : 0,
      status: flags.length > 0 ? 'held' : 'counted',
      flags: JSON.stringify(flags),
      idempotencyKey: source.idempotencyKey,
      requestDigest: source.requestDigest,
      rollupScopes: scopesJson,
      day: today,
      createdAt: at,
      reviewedBy: null,
      reviewedAt: null,
      reviewNote: null,
      removedAt: null,
      removedReason: null,
    };
    rows.push(row);
    if (transaction) {
      takenTransactions.add(transaction.id);
      transactionDays.set(transaction.id, transaction.day);
    }
    bump(fromDevice, deviceKey);
    bump(fromAddress, addressKey);
    if (fingerprint.length > 0) bump(sameComment, commentKey);
    if (item.kind === 'unit') bump(todayFromDevice, deviceKey);
    const answer = answerOf(row);
    accepted.set(source.idempotencyKey, { digest: source.requestDigest, answer });
    return answer;
  };

  const outcomes: Outcome<RatingAnswer>[] = items.map((item) => {
    try {
      return { ok: true, value: decide(item) };
    } catch (error) {
      return { ok: false, error };
    }
  });

  const links = rows.flatMap((r) =>
    r.transactionId ? [{ transactionId: r.transactionId, ratingId: r.id }] : [],
  );
  const counted = rows.filter((r) => r.status === 'counted');
  const linked = await store.writeBatch(trx, deps.database, {
    ratings: rows,
    links,
    ...rollupsOf(
      counted.map((row) => ({
        row,
        transactionDay: row.transactionId ? (transactionDays.get(row.transactionId) ?? null) : null,
      })),
    ),
  });
  if (linked.size < links.length) {
    // Another app node rated one of these transactions since this batch read them. Rolling back makes
    // the group commit try each item alone, and the loser then hears already_rated.
    throw new RatedMeanwhile();
  }
  await openCases(trx, deps, counted);
  return outcomes;
}

/** A transaction of the batch was rated by another node meanwhile (see runIngestBatch). */
export class RatedMeanwhile extends Error {
  constructor() {
    super('a transaction of this batch was rated meanwhile by another node');
  }
}

export function linkNotFound(): AppError {
  return new AppError(
    404,
    'link_not_found',
    'This rating link does not exist. Check that the address was copied completely.',
  );
}

export function alreadyRated(): Conflict {
  return new Conflict(
    'already_rated',
    'This service has already been rated. Each service can be rated once — thank you for your feedback.',
  );
}

export function linkExpired(expiresAt: string): AppError {
  return new AppError(410, 'link_expired', 'This rating link has expired; it can no longer be used.', {
    expiresAt,
  });
}

const queues = new WeakMap<Database, GroupCommit<Submission, RatingAnswer>>();

/** The ingest queue of a database (one per process and database). */
export function ingestQueue(deps: Deps): GroupCommit<Submission, RatingAnswer> {
  let queue = queues.get(deps.database);
  if (!queue) {
    queue = new GroupCommit<Submission, RatingAnswer>(deps.database.db, {
      run: (trx, items) => runIngestBatch(trx, deps, items),
      maxItems: 256,
      maxWaitMs: 1,
      // While requests keep arriving (each 1 ms look finds more), the batch waits for them, up to 8 ms:
      // on SQLite a batch blocks the event loop, so a batch cut early leaves the rest of the requests
      // for a second commit (bench/README.md).
      maxFillMs: 8,
      // One batch at a time per node, on both databases: SQLite has one writer, and on PostgreSQL every
      // batch updates the same hot rollup rows (the jurisdiction's, the departments'), so concurrent
      // batches would only queue on those row locks. Measured: 1 in flight gives larger batches and
      // ~40% more ratings per second than 3 (bench/README.md).
      concurrency: 1,
    });
    queues.set(deps.database, queue);
  }
  return queue;
}
