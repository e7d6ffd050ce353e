import type { Transaction } from 'kysely';
import type { Actor, ScryptCost } from './auth/model.js';
import { appendAudit, type AuditRecord } from './audit/service.js';
import type { Database } from './db/database.js';
import type { DB } from './db/schema.js';
import type { Clock } from './time.js';

/** What every service needs: the database, a clock, and a few tunables. Built once per process. */
export interface Deps {
  database: Database;
  clock: Clock;
  scryptCost: ScryptCost;
  /** Session lifetime in minutes (sliding). */
  sessionMinutes: number;
}

/** Records one change into the audit log, inside the transaction that makes the change. */
export type Audit = (record: AuditRecord) => Promise<void>;

/**
 * Runs a use case in one transaction and gives it an `audit` that records into the same transaction.
 * When `outer` is given (an import applying many rows), the work joins that transaction instead.
 */
export async function inTransaction<T>(
  deps: Deps,
  actor: Actor,
  work: (trx: Transaction<DB>, audit: Audit) => Promise<T>,
  outer?: Transaction<DB>,
): Promise<T> {
  const run = (trx: Transaction<DB>) =>
    work(trx, (record) => appendAudit(trx, deps.database.dialect, deps.clock, actor, record));
  return outer ? run(outer) : deps.database.db.transaction().execute(run);
}
