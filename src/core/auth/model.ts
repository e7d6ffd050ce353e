import type { ErrorCode } from '../error-codes.js';
import {
  randomBytes,
  randomInt,
  scrypt as scryptCallback,
  timingSafeEqual,
  type ScryptOptions,
} from 'node:crypto';

import { Forbidden } from '../errors.js';
import { PERMISSIONS, type Permission, type Role, type TokenScope } from './types.js';

// Roles, permissions and token scopes are declared in types.ts, which the console imports too.
export { PERMISSIONS, ROLES, TOKEN_SCOPES } from './types.js';
export type { Permission, Role, TokenScope } from './types.js';

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: PERMISSIONS,
  // Today every permission, but listed out rather than PERMISSIONS: a permission added later stays the
  // administrator's until it is given to the office on purpose.
  office: [
    'registry:read',
    'registry:write',
    'registry:import',
    'periods:write',
    'accounts:manage',
    'tokens:manage',
    'audit:read',
    'transactions:write',
    'ratings:read',
    'ratings:review',
    'cases:handle',
    'cases:decide',
    'cases:read',
    'calendar:write',
    'settings:write',
    'outbox:drain',
    'scoring:manage',
    'scoring:read',
    'scoring:sheet',
    'scores:write',
    'panel:read',
    'panel:manage',
    'panel:mobile',
    'campaigns:manage',
    'ledger:manage',
    'ledger:handle',
    'window:manage',
    'window:handle',
    'checklists:fill',
  ],
  // Unit staff act within their subtree: record transactions at their windows, see their statistics,
  // and handle their unit's bad-review cases. They never review ratings or decide appeals.
  unit_staff: [
    'registry:read',
    'registry:write',
    'transactions:write',
    'ratings:read',
    'cases:handle',
    'cases:read',
    'scoring:sheet',
    'ledger:handle',
    'window:handle',
    'checklists:fill',
  ],
  // Leaders and supervisors read the case queue and the warnings (督办), never act on them.
  leader: ['registry:read', 'ratings:read', 'scoring:read', 'cases:read'],
  supervisor: ['registry:read', 'audit:read', 'ratings:read', 'scoring:read', 'panel:read', 'cases:read'],
};

/** Who is acting: a signed-in account, an API token, or the system itself (CLI, sweeps). */
export type Actor =
  | {
      kind: 'account';
      id: string;
      username: string;
      displayName: string;
      role: Role;
      /** Unit staff act only within this unit's subtree. */
      unitId: string | null;
      mustChangePassword: boolean;
    }
  | { kind: 'token'; id: string; name: string; scopes: readonly TokenScope[]; unitId: string | null }
  | { kind: 'system'; label: string };

/** The unit subtree an actor is confined to, or null when it may act anywhere. */
export function unitScopeOf(actor: Actor): string | null {
  if (actor.kind === 'account') return actor.role === 'unit_staff' ? actor.unitId : null;
  if (actor.kind === 'token') return actor.unitId;
  return null;
}

/** True when the actor holds the permission (an account that must change its password holds none). */
export function hasPermission(actor: Actor, permission: Permission): boolean {
  switch (actor.kind) {
    case 'system':
      return true;
    case 'token':
      return (actor.scopes as readonly Permission[]).includes(permission);
    case 'account':
      return !actor.mustChangePassword && ROLE_PERMISSIONS[actor.role].includes(permission);
  }
}

/** The permissions of a role, for the console's menus and the roles page. */
export function permissionsOfRole(role: Role): readonly Permission[] {
  return ROLE_PERMISSIONS[role];
}

/** Only an administrator may create or change an administrator account. */
export function mayAssignRole(actor: Actor, role: Role): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'account') return false;
  return actor.role === 'admin' || role !== 'admin';
}

/** Refuses an actor without the permission (403 forbidden): every service's first line. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor, permission)) throw new Forbidden();
}

/** The name shown to people (a record's "by"): display name, token name or the system job's label. */
export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'account':
      return actor.displayName;
    case 'token':
      return actor.name;
    case 'system':
      return actor.label;
  }
}

/** A label for the audit log: who did it, readable without a join. */
export function actorLabel(actor: Actor): string {
  switch (actor.kind) {
    case 'account':
      return actor.username;
    case 'token':
      return `token:${actor.name}`;
    case 'system':
      return `system:${actor.label}`;
  }
}

export function actorId(actor: Actor): string | null {
  return actor.kind === 'system' ? null : actor.id;
}

/**
 * Whether a unit lies in the subtree rooted at `scopeRoot`, given the unit's ancestor chain
 * (the unit itself first, then its parent, …, up to the root).
 */
export function withinScope(scopeRoot: string | null, ancestry: readonly string[]): boolean {
  return scopeRoot === null || ancestry.includes(scopeRoot);
}

// --- passwords -------------------------------------------------------------------------------

export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** 2^15 × 8 × 128 B = 32 MiB per hash: memory-hard, about 0.1 s on these machines. */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = { N: cost.N, r: cost.r, p: cost.p, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scryptCallback(password.normalize('NFC'), salt, 32, options, (err, key) =>
      err ? reject(err) : resolve(key),
    );
  });
}

/** Hashes a password as `scrypt$N$r$p$salt$hash`, so the cost can rise later without breaking old hashes. */
export async function hashPassword(
  password: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Checks a password against a stored hash in constant time. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const key = await scrypt(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** Why a new password is not acceptable, or null when it is. */
export function passwordProblem(password: string, username: string): ErrorCode | null {
  if (password.length < 10) return 'password_too_short';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'password_contains_username';
  if (new Set(password).size < 5) return 'password_too_simple';
  return null;
}

/** A generated password: 16 characters from an alphabet without look-alikes (0/O, 1/l/I). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

// --- login throttling ------------------------------------------------------------------------

export const THROTTLE = {
  windowMinutes: 15,
  maxFailuresPerAccount: 5,
  maxFailuresPerAddress: 20,
} as const;

/** Whether recent failures block another attempt; counts are failures within the window. */
export function loginBlocked(failuresForAccount: number, failuresFromAddress: number): boolean {
  return (
    failuresForAccount >= THROTTLE.maxFailuresPerAccount ||
    failuresFromAddress >= THROTTLE.maxFailuresPerAddress
  );
}
