import type { Transaction } from 'kysely';
import { createHash } from 'node:crypto';
import type { Deps } from './context.js';
import { tryLockForTransaction } from './db/database.js';
import type { DB } from './db/schema.js';

/*
 * Periodic sweeps (default ratings, case deadlines and warnings). Each sweep is idempotent on its own
 * (its writes are guarded by unique keys and state checks) and, on PostgreSQL, runs under a
 * transaction-scoped advisory lock taken with try: when another app node holds it, this node skips
 * the round instead of doing the same work twice. The lock is keyed by schema too: another installation
 * (or test run) in the same database must not make this one skip its sweeps.
 */

export interface SweepResult {
  name: string;
  /** False when another node was running the same sweep. */
  ran: boolean;
  /** What the sweep did, e.g. { defaulted: 12 }. */
  counts: Record<string, number>;
}

export type SweepWork = (trx: Transaction<DB>, deps: Deps) => Promise<Record<string, number>>;

// Per database handle, the sweeps running in this process (the advisory lock covers other nodes).
const running = new WeakMap<object, Set<string>>();

function lockKey(name: string): number {
  // A stable 31-bit key per sweep name.
  return createHash('sha256').update(`minping-sweep:${name}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/** Runs one sweep in one transaction, unless it is already running here or on another node. */
export async function runSweep(deps: Deps, name: string, work: SweepWork): Promise<SweepResult> {
  const here = running.get(deps.database) ?? new Set<string>();
  running.set(deps.database, here);
  if (here.has(name)) return { name, ran: false, counts: {} };
  here.add(name);
  try {
    return await deps.database.db.transaction().execute(async (trx) => {
      if (!(await tryLockForTransaction(trx, deps.database.dialect, lockKey(name)))) {
        return { name, ran: false, counts: {} };
      }
      return { name, ran: true, counts: await work(trx, deps) };
    });
  } finally {
    here.delete(name);
  }
}

export interface Sweep {
  name: string;
  work: SweepWork;
}

/** Runs the given sweeps once, one after the other. */
export async function runAllSweeps(deps: Deps, sweeps: readonly Sweep[]): Promise<SweepResult[]> {
  const results: SweepResult[] = [];
  for (const sweep of sweeps) results.push(await runSweep(deps, sweep.name, sweep.work));
  return results;
}

/** Runs the sweeps every `intervalMs` in the background; returns a function that stops it. */
export function scheduleSweeps(
  deps: Deps,
  sweeps: readonly Sweep[],
  intervalMs: number,
  onError: (error: unknown) => void,
): () => void {
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    runAllSweeps(deps, sweeps)
      .catch(onError)
      .finally(() => {
        busy = false;
      });
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
