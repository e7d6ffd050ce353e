import { createHash } from 'node:crypto';
import type { Deps } from '../context.js';
import { inTransaction } from '../context.js';
import { Conflict, Forbidden, Invalid, NotFound, TooManyRequests, Unauthorized } from '../errors.js';
import { newId, newSecret } from '../ids.js';
import { isoNow } from '../time.js';
import {
  generatePassword,
  hasPermission,
  hashPassword,
  loginBlocked,
  mayAssignRole,
  passwordProblem,
  THROTTLE,
  verifyPassword,
  type Actor,
  type Role,
  type TokenScope,
} from './model.js';
import * as store from './store.js';
import type { AccountView, TokenView } from './types.js';

// Declared in types.ts (shared with web/); re-exported for the callers that import them from here.
export type { AccountView, TokenView } from './types.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function presentAccount(row: store.AccountRow): AccountView {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role as Role,
    unitId: row.unitId,
    mustChangePassword: row.mustChangePassword === 1,
    active: row.active === 1,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}

function actorOf(row: store.AccountRow): Actor {
  return {
    kind: 'account',
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    role: row.role as Role,
    unitId: row.unitId,
    mustChangePassword: row.mustChangePassword === 1,
  };
}

// --- sessions --------------------------------------------------------------------------------

export interface SignedIn {
  sessionToken: string;
  csrfToken: string;
  account: AccountView;
}

/**
 * Checks a username and password. Failures are counted per username and per address; past the
 * limits further attempts are refused for the rest of the window, right or wrong.
 */
export async function login(
  deps: Deps,
  input: { username: string; password: string; address: string },
): Promise<SignedIn> {
  const { db } = deps.database;
  const now = deps.clock.now();
  const addressDigest = sha256(`login:${input.address}`);
  const since = new Date(now.getTime() - THROTTLE.windowMinutes * 60_000).toISOString();
  const failures = await store.recentFailures(db, input.username, addressDigest, since);
  if (loginBlocked(failures.forAccount, failures.fromAddress)) {
    throw new TooManyRequests(
      'too_many_attempts',
      `Too many failed sign-ins. Wait ${THROTTLE.windowMinutes} minutes, or ask an administrator to reset the password.`,
      { minutes: THROTTLE.windowMinutes },
    );
  }
  const account = await store.accountByUsername(db, input.username);
  // Hash even for unknown users so that timing does not reveal which usernames exist.
  const ok = account
    ? await verifyPassword(input.password, account.passwordHash)
    : (await verifyPassword(input.password, DUMMY_HASH), false);
  const at = isoNow(deps.clock);
  if (!ok || !account || account.active !== 1) {
    await store.recordLoginAttempt(db, {
      id: newId(),
      at,
      username: input.username,
      addressDigest,
      success: 0,
    });
    throw new Unauthorized('bad_credentials', 'Wrong username or password, or the account is disabled.');
  }
  const sessionToken = newSecret();
  const csrfToken = newSecret();
  const expiresAt = new Date(now.getTime() + deps.sessionMinutes * 60_000).toISOString();
  await db.transaction().execute(async (trx) => {
    await store.clearFailures(trx, input.username);
    await store.recordLoginAttempt(trx, {
      id: newId(),
      at,
      username: input.username,
      addressDigest,
      success: 1,
    });
    await store.deleteExpiredSessions(trx, at);
    await store.pruneLoginAttempts(trx, since);
    await store.insertSession(trx, {
      id: sha256(sessionToken),
      accountId: account.id,
      csrfToken,
      createdAt: at,
      expiresAt,
      lastSeenAt: at,
    });
  });
  return { sessionToken, csrfToken, account: presentAccount(account) };
}

const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export interface SessionInfo {
  actor: Extract<Actor, { kind: 'account' }>;
  sessionId: string;
  csrfToken: string;
  account: AccountView;
}

/** Resolves a session cookie; slides its expiry at most once a minute to spare the database. */
export async function resumeSession(deps: Deps, sessionToken: string): Promise<SessionInfo | null> {
  const { db } = deps.database;
  const sessionId = sha256(sessionToken);
  const found = await store.sessionWithAccount(db, sessionId);
  const now = deps.clock.now();
  if (!found || found.session.expiresAt <= now.toISOString() || found.account.active !== 1) return null;
  if (now.getTime() - Date.parse(found.session.lastSeenAt) > 60_000) {
    const expiresAt = new Date(now.getTime() + deps.sessionMinutes * 60_000).toISOString();
    await store.touchSession(db, sessionId, now.toISOString(), expiresAt);
  }
  const actor = actorOf(found.account) as SessionInfo['actor'];
  return { actor, sessionId, csrfToken: found.session.csrfToken, account: presentAccount(found.account) };
}

export async function logout(deps: Deps, sessionId: string): Promise<void> {
  await store.deleteSession(deps.database.db, sessionId);
}

/** Changes one's own password; other sessions of the account end, this one stays. */
export async function changePassword(
  deps: Deps,
  session: SessionInfo,
  input: { currentPassword: string; newPassword: string },
): Promise<AccountView> {
  const account = await store.accountById(deps.database.db, session.actor.id);
  if (!account) throw new Unauthorized();
  if (!(await verifyPassword(input.currentPassword, account.passwordHash))) {
    throw new Invalid('wrong_current_password', 'The current password is not right.', {
      field: 'currentPassword',
    });
  }
  if (input.newPassword === input.currentPassword) {
    throw new Invalid('password_unchanged', 'Choose a password different from the current one.', {
      field: 'newPassword',
    });
  }
  assertGoodPassword(input.newPassword, account.username);
  const passwordHash = await hashPassword(input.newPassword, deps.scryptCost);
  return inTransaction(deps, session.actor, async (trx, audit) => {
    const at = isoNow(deps.clock);
    await store.updateAccount(trx, account.id, {
      passwordHash,
      mustChangePassword: 0,
      passwordChangedAt: at,
      updatedAt: at,
    });
    await store.deleteSessionsOf(trx, account.id, session.sessionId);
    await audit({
      action: 'account.password_changed',
      entityType: 'account',
      entityId: account.id,
      before: { passwordChangedAt: account.passwordChangedAt },
      after: { passwordChangedAt: at },
    });
    const updated = await store.accountById(trx, account.id);
    return presentAccount(updated ?? account);
  });
}

function assertGoodPassword(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  const messages: Record<string, string> = {
    password_too_short: 'The password must have at least 10 characters.',
    password_contains_username: 'The password must not contain the username.',
    password_too_simple: 'The password must use at least 5 different characters.',
  };
  if (problem)
    throw new Invalid(problem, messages[problem] ?? 'Choose a stronger password.', { field: 'newPassword' });
}

// --- API tokens ------------------------------------------------------------------------------

/** Resolves `Authorization: Bearer mpt_…`; a revoked or expired token resolves to nothing. */
export async function authenticateToken(deps: Deps, token: string): Promise<Actor | null> {
  const { db } = deps.database;
  const row = await store.tokenByHash(db, sha256(token));
  const now = isoNow(deps.clock);
  if (!row || row.revokedAt !== null || (row.expiresAt !== null && row.expiresAt <= now)) return null;
  if (!row.lastUsedAt || Date.parse(now) - Date.parse(row.lastUsedAt) > 60_000) {
    await store.updateToken(db, row.id, { lastUsedAt: now });
  }
  return {
    kind: 'token',
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as TokenScope[],
    unitId: row.unitId,
  };
}

function presentToken(row: store.ApiTokenRow): TokenView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: JSON.parse(row.scopes) as TokenScope[],
    unitId: row.unitId,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    lastUsedAt: row.lastUsedAt,
  };
}

const unknownUnit = () => new Invalid('unknown_unit', 'The chosen unit does not exist.', { field: 'unitId' });

function requireTokens(actor: Actor): void {
  if (!hasPermission(actor, 'tokens:manage')) throw new Forbidden();
}

export async function listTokens(deps: Deps, actor: Actor): Promise<TokenView[]> {
  requireTokens(actor);
  return (await store.listTokens(deps.database.db)).map(presentToken);
}

/** Creates a token; its secret is returned this once and only its hash is kept. */
export async function createToken(
  deps: Deps,
  actor: Actor,
  input: { name: string; scopes: TokenScope[]; unitId?: string | null; expiresAt?: string | null },
): Promise<{ token: string; view: TokenView }> {
  requireTokens(actor);
  if (input.scopes.length === 0) {
    throw new Invalid('scopes_required', 'Give the token at least one scope.', { field: 'scopes' });
  }
  // Stored as UTC ISO text, which compares correctly as text; "…T10:00:00+08:00" as written would not.
  const expiresAt = input.expiresAt ? new Date(input.expiresAt) : null;
  if (expiresAt && Number.isNaN(expiresAt.getTime())) {
    throw new Invalid('invalid_date', 'expiresAt must be a date and time.', { field: 'expiresAt' });
  }
  const scopes = new Set(input.scopes);
  // A system that writes into the registry must be able to look up what it writes to.
  if (scopes.has('registry:write')) scopes.add('registry:read');
  const secret = `mpt_${newSecret()}`;
  return inTransaction(deps, actor, async (trx, audit) => {
    if (input.unitId && !(await store.unitExists(trx, input.unitId))) throw unknownUnit();
    const row: store.ApiTokenRow = {
      id: newId(),
      name: input.name.trim(),
      prefix: secret.slice(0, 10),
      tokenHash: sha256(secret),
      scopes: JSON.stringify([...scopes].sort()),
      unitId: input.unitId ?? null,
      createdBy: actor.kind === 'account' ? actor.username : 'system',
      createdAt: isoNow(deps.clock),
      expiresAt: expiresAt?.toISOString() ?? null,
      revokedAt: null,
      lastUsedAt: null,
    };
    await store.insertToken(trx, row);
    const view = presentToken(row);
    await audit({
      action: 'token.created',
      entityType: 'api_token',
      entityId: row.id,
      before: null,
      after: view,
    });
    return { token: secret, view };
  });
}

export async function revokeToken(deps: Deps, actor: Actor, id: string): Promise<TokenView> {
  requireTokens(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.tokenById(trx, id);
    if (!row) throw new NotFound('API token', id);
    if (row.revokedAt) throw new Conflict('already_revoked', 'This token is already revoked.');
    const revokedAt = isoNow(deps.clock);
    await store.updateToken(trx, id, { revokedAt });
    const after = presentToken({ ...row, revokedAt });
    await audit({
      action: 'token.revoked',
      entityType: 'api_token',
      entityId: id,
      before: presentToken(row),
      after,
    });
    return after;
  });
}

// --- accounts --------------------------------------------------------------------------------

function requireAccounts(actor: Actor): void {
  if (!hasPermission(actor, 'accounts:manage')) throw new Forbidden();
}

export async function listAccounts(deps: Deps, actor: Actor): Promise<AccountView[]> {
  requireAccounts(actor);
  return (await store.listAccounts(deps.database.db)).map(presentAccount);
}

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  unitId?: string | null;
}

function assertRoleShape(actor: Actor, role: Role, unitId: string | null | undefined): void {
  if (!mayAssignRole(actor, role)) {
    throw new Forbidden('admin_only', 'Only an administrator may create or change administrator accounts.');
  }
  if (role === 'unit_staff' && !unitId) {
    throw new Invalid('unit_required', 'Unit staff accounts must name their unit.', { field: 'unitId' });
  }
}

/** Creates an account with a generated one-time password that must be changed at first sign-in. */
export async function createAccount(
  deps: Deps,
  actor: Actor,
  input: NewAccount,
): Promise<{ account: AccountView; initialPassword: string }> {
  requireAccounts(actor);
  assertRoleShape(actor, input.role, input.unitId);
  const initialPassword = generatePassword();
  const passwordHash = await hashPassword(initialPassword, deps.scryptCost);
  return inTransaction(deps, actor, async (trx, audit) => {
    if (input.unitId && !(await store.unitExists(trx, input.unitId))) throw unknownUnit();
    const at = isoNow(deps.clock);
    const row: store.AccountRow = {
      id: newId(),
      username: input.username.trim(),
      displayName: input.displayName.trim(),
      role: input.role,
      unitId: input.role === 'unit_staff' ? (input.unitId ?? null) : null,
      passwordHash,
      mustChangePassword: 1,
      active: 1,
      createdAt: at,
      updatedAt: at,
      passwordChangedAt: null,
    };
    await store.insertAccount(trx, row);
    const account = presentAccount(row);
    await audit({
      action: 'account.created',
      entityType: 'account',
      entityId: row.id,
      before: null,
      after: account,
    });
    return { account, initialPassword };
  });
}

export async function updateAccount(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { displayName?: string; role?: Role; unitId?: string | null; active?: boolean },
): Promise<AccountView> {
  requireAccounts(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.accountById(trx, id);
    if (!row) throw new NotFound('account', id);
    const before = presentAccount(row);
    // Changing an administrator, or making one, is for administrators only.
    if (!mayAssignRole(actor, before.role)) {
      throw new Forbidden('admin_only', 'Only an administrator may create or change administrator accounts.');
    }
    const role = input.role ?? before.role;
    const unitId = input.unitId !== undefined ? input.unitId : before.unitId;
    assertRoleShape(actor, role, unitId);
    if (
      actor.kind === 'account' &&
      actor.id === id &&
      (input.active === false || (input.role && input.role !== before.role))
    ) {
      throw new Conflict(
        'cannot_change_self',
        'You cannot disable your own account or change your own role.',
      );
    }
    if (unitId && input.unitId !== undefined && !(await store.unitExists(trx, unitId))) throw unknownUnit();
    const changes = {
      displayName: input.displayName?.trim() ?? row.displayName,
      role,
      unitId: role === 'unit_staff' ? unitId : null,
      active: input.active === undefined ? row.active : input.active ? 1 : 0,
      updatedAt: isoNow(deps.clock),
    };
    await store.updateAccount(trx, id, changes);
    if (changes.active === 0) await store.deleteSessionsOf(trx, id);
    const after = presentAccount({ ...row, ...changes });
    await audit({ action: 'account.updated', entityType: 'account', entityId: id, before, after });
    return after;
  });
}

/** Sets a new one-time password; the holder must change it at next sign-in. */
export async function resetPassword(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<{ account: AccountView; initialPassword: string }> {
  requireAccounts(actor);
  const initialPassword = generatePassword();
  const passwordHash = await hashPassword(initialPassword, deps.scryptCost);
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.accountById(trx, id);
    if (!row) throw new NotFound('account', id);
    if (!mayAssignRole(actor, row.role as Role)) {
      throw new Forbidden('admin_only', 'Only an administrator may create or change administrator accounts.');
    }
    const at = isoNow(deps.clock);
    await store.updateAccount(trx, id, {
      passwordHash,
      mustChangePassword: 1,
      passwordChangedAt: at,
      updatedAt: at,
    });
    await store.deleteSessionsOf(trx, id);
    await store.clearFailures(trx, row.username);
    await audit({
      action: 'account.password_reset',
      entityType: 'account',
      entityId: id,
      before: { passwordChangedAt: row.passwordChangedAt },
      after: { passwordChangedAt: at },
    });
    return { account: presentAccount({ ...row, mustChangePassword: 1, updatedAt: at }), initialPassword };
  });
}

/**
 * On the first start of an empty database, creates `admin` with a one-time password and returns it
 * (to be printed once); returns null when accounts exist.
 */
export async function bootstrapAdministrator(deps: Deps): Promise<string | null> {
  if ((await store.countAccounts(deps.database.db)) > 0) return null;
  const password = generatePassword();
  const passwordHash = await hashPassword(password, deps.scryptCost);
  const system: Actor = { kind: 'system', label: 'first-start' };
  await inTransaction(deps, system, async (trx, audit) => {
    const at = isoNow(deps.clock);
    const row: store.AccountRow = {
      id: newId(),
      username: 'admin',
      displayName: '系统管理员',
      role: 'admin',
      unitId: null,
      passwordHash,
      mustChangePassword: 1,
      active: 1,
      createdAt: at,
      updatedAt: at,
      passwordChangedAt: null,
    };
    await store.insertAccount(trx, row);
    await audit({
      action: 'account.created',
      entityType: 'account',
      entityId: row.id,
      before: null,
      after: presentAccount(row),
    });
  });
  return password;
}

/** Creates an account with a known password (the demo's accounts); no change is forced. */
export async function createAccountWithPassword(
  deps: Deps,
  actor: Actor,
  input: NewAccount & { password: string },
): Promise<AccountView> {
  const passwordHash = await hashPassword(input.password, deps.scryptCost);
  return inTransaction(deps, actor, async (trx, audit) => {
    const at = isoNow(deps.clock);
    const row: store.AccountRow = {
      id: newId(),
      username: input.username,
      displayName: input.displayName,
      role: input.role,
      unitId: input.unitId ?? null,
      passwordHash,
      mustChangePassword: 0,
      active: 1,
      createdAt: at,
      updatedAt: at,
      passwordChangedAt: at,
    };
    await store.insertAccount(trx, row);
    const account = presentAccount(row);
    await audit({
      action: 'account.created',
      entityType: 'account',
      entityId: row.id,
      before: null,
      after: account,
    });
    return account;
  });
}
