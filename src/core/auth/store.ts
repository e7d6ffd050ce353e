import type { Executor } from '../db/database.js';
import type { AccountsTable, ApiTokensTable, SessionsTable } from '../db/schema.js';

export type AccountRow = AccountsTable;

export async function accountByUsername(db: Executor, username: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

export async function accountById(db: Executor, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listAccounts(db: Executor): Promise<AccountRow[]> {
  return db.selectFrom('accounts').selectAll().orderBy('username').execute();
}

export async function countAccounts(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function insertAccount(db: Executor, row: AccountRow): Promise<void> {
  await db.insertInto('accounts').values(row).execute();
}

export async function updateAccount(
  db: Executor,
  id: string,
  changes: Partial<Omit<AccountRow, 'id' | 'createdAt'>>,
): Promise<void> {
  await db.updateTable('accounts').set(changes).where('id', '=', id).execute();
}

export async function insertSession(db: Executor, row: SessionsTable): Promise<void> {
  await db.insertInto('sessions').values(row).execute();
}

export async function sessionWithAccount(
  db: Executor,
  sessionId: string,
): Promise<{ session: SessionsTable; account: AccountRow } | undefined> {
  const session = await db.selectFrom('sessions').selectAll().where('id', '=', sessionId).executeTakeFirst();
  if (!session) return undefined;
  const account = await accountById(db, session.accountId);
  return account ? { session, account } : undefined;
}

export async function touchSession(db: Executor, sessionId: string, lastSeenAt: string, expiresAt: string) {
  await db.updateTable('sessions').set({ lastSeenAt, expiresAt }).where('id', '=', sessionId).execute();
}

export async function deleteSession(db: Executor, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of an account except, optionally, one (used after a password change). */
export async function deleteSessionsOf(db: Executor, accountId: string, keep?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('accountId', '=', accountId);
  if (keep) q = q.where('id', '!=', keep);
  await q.execute();
}

export async function deleteExpiredSessions(db: Executor, now: string): Promise<void> {
  await db.deleteFrom('sessions').where('expiresAt', '<', now).execute();
}

export async function recordLoginAttempt(
  db: Executor,
  row: { id: string; at: string; username: string; addressDigest: string; success: number },
): Promise<void> {
  await db.insertInto('loginAttempts').values(row).execute();
}

/** Failed attempts since `since` for the username and for the address. */
export async function recentFailures(
  db: Executor,
  username: string,
  addressDigest: string,
  since: string,
): Promise<{ forAccount: number; fromAddress: number }> {
  const count = async (column: 'username' | 'addressDigest', value: string) => {
    const row = await db
      .selectFrom('loginAttempts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(column, '=', value)
      .where('success', '=', 0)
      .where('at', '>=', since)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  };
  return {
    forAccount: await count('username', username),
    fromAddress: await count('addressDigest', addressDigest),
  };
}

/** Attempts older than the throttling window matter to nobody; keep the table small. */
export async function pruneLoginAttempts(db: Executor, before: string): Promise<void> {
  await db.deleteFrom('loginAttempts').where('at', '<', before).execute();
}

/** A successful login forgives earlier failures of that username. */
export async function clearFailures(db: Executor, username: string): Promise<void> {
  await db.deleteFrom('loginAttempts').where('username', '=', username).where('success', '=', 0).execute();
}

export type ApiTokenRow = ApiTokensTable;

export async function insertToken(db: Executor, row: ApiTokenRow): Promise<void> {
  await db.insertInto('apiTokens').values(row).execute();
}

export async function tokenByHash(db: Executor, tokenHash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('apiTokens').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst();
}

export async function tokenById(db: Executor, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('apiTokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listTokens(db: Executor): Promise<ApiTokenRow[]> {
  return db.selectFrom('apiTokens').selectAll().orderBy('createdAt', 'desc').execute();
}

export async function updateToken(db: Executor, id: string, changes: Partial<ApiTokenRow>): Promise<void> {
  await db.updateTable('apiTokens').set(changes).where('id', '=', id).execute();
}

export async function unitExists(db: Executor, unitId: string): Promise<boolean> {
  return (
    (await db.selectFrom('units').select('id').where('id', '=', unitId).executeTakeFirst()) !== undefined
  );
}
