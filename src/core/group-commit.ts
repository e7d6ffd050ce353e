import type { Kysely, Transaction } from 'kysely';
import type { DB } from './db/schema.js';

/*
 * Group commit: many small writes (one rating per request) gathered for a few milliseconds and
 * written in ONE database transaction, each caller answered only after that transaction committed.
 * One commit per batch instead of one per request is what keeps ingest fast while every reply still
 * means "stored" (ARCHITECTURE.md, "Data and scale").
 *
 * The batch function sees all items at once, so it can read and write set-wise (one query per batch
 * instead of one per item). It answers each item on its own: an item refused for its content (already
 * rated, invalid) is returned as an error and must be refused BEFORE it writes anything, so the other
 * items commit unharmed. If the batch transaction fails anyway (a unique race with another app node,
 * a lost connection), every item of the batch is tried again alone, so one bad item cannot sink the
 * others.
 */

export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export interface GroupCommitOptions<I, O> {
  /** Runs a batch inside one transaction; returns one outcome per item, in the items' order. */
  run(trx: Transaction<DB>, items: readonly I[]): Promise<Outcome<O>[]>;
  /** Flush when this many items wait (default 200). */
  maxItems?: number;
  /** Flush this long after the first waiting item arrived (default 2 ms)… */
  maxWaitMs?: number;
  /**
   * …unless more items arrived meanwhile: then wait another maxWaitMs, as long as items keep coming and
   * at most this long after the first (default: maxWaitMs, i.e. never wait longer). While requests are
   * still arriving, a batch that waits for them costs one commit for all instead of one per fraction.
   */
  maxFillMs?: number;
  /** Batches that may run at once (1 on SQLite, which has one writer; more on PostgreSQL). */
  concurrency?: number;
}

interface Pending<I, O> {
  item: I;
  resolve(value: O): void;
  reject(error: unknown): void;
}

export interface GroupCommitStats {
  batches: number;
  items: number;
  /** Batches whose transaction failed, after which each item was tried alone. */
  retriedBatches: number;
  largestBatch: number;
}

export class GroupCommit<I, O> {
  private queue: Pending<I, O>[] = [];
  private timer: NodeJS.Timeout | null = null;
  /** When the first waiting item arrived, and how many were waiting at the last look. */
  private firstAt = 0;
  private seen = 0;
  private inFlight = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly maxItems: number;
  private readonly maxWaitMs: number;
  private readonly maxFillMs: number;
  private readonly concurrency: number;
  readonly stats: GroupCommitStats = { batches: 0, items: 0, retriedBatches: 0, largestBatch: 0 };

  constructor(
    private readonly db: Kysely<DB>,
    private readonly options: GroupCommitOptions<I, O>,
  ) {
    this.maxItems = Math.max(1, options.maxItems ?? 200);
    this.maxWaitMs = Math.max(0, options.maxWaitMs ?? 2);
    this.maxFillMs = Math.max(this.maxWaitMs, options.maxFillMs ?? this.maxWaitMs);
    this.concurrency = Math.max(1, options.concurrency ?? 1);
  }

  /** Queues one item; resolves with its outcome once the batch that holds it has committed. */
  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length >= this.maxItems) this.drain();
      else if (this.timer === null) {
        this.firstAt = performance.now();
        this.seen = this.queue.length;
        this.timer = setTimeout(() => this.waited(), this.maxWaitMs);
      }
    });
  }

  /** The wait is over: flush, or wait a little more while items are still arriving (maxFillMs). */
  private waited(): void {
    this.timer = null;
    const grew = this.queue.length > this.seen;
    if (grew && this.inFlight < this.concurrency && performance.now() - this.firstAt < this.maxFillMs) {
      this.seen = this.queue.length;
      this.timer = setTimeout(() => this.waited(), this.maxWaitMs);
      return;
    }
    this.drain();
  }

  /** Resolves when nothing is queued or running (for tests and shutdown). */
  async idle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return;
    if (this.queue.length > 0) this.drain();
    await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private drain(): void {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.inFlight < this.concurrency && this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxItems);
      this.inFlight += 1;
      void this.runBatch(batch).finally(() => {
        this.inFlight -= 1;
        // Items that arrived while this batch ran form the next batch at once: under load, batches
        // grow by themselves and nobody waits for the timer.
        if (this.queue.length > 0) this.drain();
        else if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
    }
    // Anything still queued waits for the next batch to finish, which drains it.
  }

  private async runBatch(batch: Pending<I, O>[]): Promise<void> {
    this.stats.batches += 1;
    this.stats.items += batch.length;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    let outcomes: Outcome<O>[];
    try {
      outcomes = await this.db.transaction().execute(async (trx) => {
        const result = await this.options.run(
          trx,
          batch.map((p) => p.item),
        );
        if (result.length !== batch.length) {
          throw new Error(`group commit: ${result.length} outcomes for ${batch.length} items`);
        }
        return result;
      });
    } catch {
      // The transaction rolled back as a whole: try each item on its own, so only the one that
      // fails again is refused.
      this.stats.retriedBatches += 1;
      for (const pending of batch) await this.runAlone(pending);
      return;
    }
    // Committed: only now does any caller hear back.
    batch.forEach((pending, i) => settle(pending, outcomes[i]!));
  }

  private async runAlone(pending: Pending<I, O>): Promise<void> {
    try {
      const [outcome] = await this.db.transaction().execute((trx) => this.options.run(trx, [pending.item]));
      settle(pending, outcome ?? { ok: false, error: new Error('group commit: no outcome') });
    } catch (error) {
      pending.reject(error);
    }
  }
}

function settle<I, O>(pending: Pending<I, O>, outcome: Outcome<O>): void {
  if (outcome.ok) pending.resolve(outcome.value);
  else pending.reject(outcome.error);
}
