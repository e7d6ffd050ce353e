import { describe, expect, it } from 'vitest';
import { TEST_SCRYPT } from '../../../test/support/db.js';
import {
  DEFAULT_SCRYPT_COST,
  generatePassword,
  hashPassword,
  hasPermission,
  loginBlocked,
  mayAssignRole,
  passwordProblem,
  PERMISSIONS,
  permissionsOfRole,
  ROLES,
  THROTTLE,
  unitScopeOf,
  verifyPassword,
  withinScope,
  type Actor,
  type Permission,
  type Role,
} from './model.js';

/*
 * Pure rules: no database is involved, so these run once (the database-backed suites run on both).
 */

const account = (role: Role, extra: Partial<Extract<Actor, { kind: 'account' }>> = {}): Actor => ({
  kind: 'account',
  id: `id-${role}`,
  username: role,
  displayName: role,
  role,
  unitId: role === 'unit_staff' ? 'unit-a' : null,
  mustChangePassword: false,
  ...extra,
});

describe('password hashing', () => {
  it('stores scrypt$N$r$p$salt$hash and verifies the right password', async () => {
    const stored = await hashPassword('春天的 password-2026', TEST_SCRYPT);
    const parts = stored.split('$');
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(['scrypt', '1024', '8', '1']);
    expect(Buffer.from(parts[4] ?? '', 'base64url')).toHaveLength(16);
    expect(Buffer.from(parts[5] ?? '', 'base64url')).toHaveLength(32);
    expect(stored).not.toContain('password-2026');
    expect(await verifyPassword('春天的 password-2026', stored)).toBe(true);
  });

  it('uses the production cost by default, and reads the cost back from the stored hash', async () => {
    const stored = await hashPassword('a-long-password', DEFAULT_SCRYPT_COST);
    expect(stored.startsWith(`scrypt$${2 ** 15}$8$1$`)).toBe(true);
    expect(await verifyPassword('a-long-password', stored)).toBe(true);
  });

  it('salts every hash: the same password never gives the same text twice', async () => {
    const a = await hashPassword('same-password-1', TEST_SCRYPT);
    const b = await hashPassword('same-password-1', TEST_SCRYPT);
    expect(a).not.toBe(b);
    expect(await verifyPassword('same-password-1', b)).toBe(true);
  });

  it('refuses a wrong password, one differing only in case or a trailing space', async () => {
    const stored = await hashPassword('Correct-Horse-9', TEST_SCRYPT);
    expect(await verifyPassword('Correct-Horse-8', stored)).toBe(false);
    expect(await verifyPassword('correct-horse-9', stored)).toBe(false);
    expect(await verifyPassword('Correct-Horse-9 ', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('accepts the same password typed in composed or decomposed Unicode', async () => {
    const composed = 'Zürich-Bahnhof-1'.normalize('NFC');
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const stored = await hashPassword(composed, TEST_SCRYPT);
    expect(await verifyPassword(decomposed, stored)).toBe(true);
  });

  it('refuses a tampered hash, salt or cost, and text that is not a hash', async () => {
    const stored = await hashPassword('tamper-proof-1', TEST_SCRYPT);
    const [scheme, n, r, p, salt, hash] = stored.split('$') as [
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const flip = (text: string) => (text[0] === 'A' ? 'B' : 'A') + text.slice(1);
    const variants = [
      [scheme, n, r, p, salt, flip(hash)],
      [scheme, n, r, p, flip(salt), hash],
      [scheme, String(Number(n) * 2), r, p, salt, hash],
      [scheme, n, r, p, salt, hash.slice(0, -4)],
      ['bcrypt', n, r, p, salt, hash],
    ].map((v) => v.join('$'));
    for (const variant of [...variants, `${stored}$extra`, 'tamper-proof-1', '']) {
      expect(await verifyPassword('tamper-proof-1', variant), variant).toBe(false);
    }
  });

  it('generates one-time passwords of 16 characters without look-alikes, each different', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i += 1) {
      const password = generatePassword();
      expect(password).toMatch(/^[A-HJ-NP-Za-km-z2-9]{16}$/);
      seen.add(password);
    }
    expect(seen.size).toBe(50);
  });
});

describe('password rules', () => {
  it('wants at least 10 characters', () => {
    expect(passwordProblem('Abc-12345', 'wang')).toBe('password_too_short');
    expect(passwordProblem('Abc-123456', 'wang')).toBeNull();
  });

  it('refuses a password containing the username, in any case', () => {
    expect(passwordProblem('my-WangLi-2026', 'wangli')).toBe('password_contains_username');
    expect(passwordProblem('wangli2026!!', 'WangLi')).toBe('password_contains_username');
  });

  it('wants at least 5 different characters', () => {
    expect(passwordProblem('abababababab', 'wang')).toBe('password_too_simple');
    expect(passwordProblem('abcdabcdabcd', 'wang')).toBe('password_too_simple');
    expect(passwordProblem('abcdeabcdeab', 'wang')).toBeNull();
  });
});

describe('permissions', () => {
  // The foundation's permissions (later areas add their own; their tests pin those down).
  const FOUNDATION: readonly Permission[] = [
    'registry:read',
    'registry:write',
    'registry:import',
    'periods:write',
    'accounts:manage',
    'tokens:manage',
    'audit:read',
  ];
  // The policy of docs/roles.md, written out in full.
  const EXPECTED: Record<Role, readonly Permission[]> = {
    admin: FOUNDATION,
    office: FOUNDATION,
    unit_staff: ['registry:read', 'registry:write'],
    leader: ['registry:read'],
    supervisor: ['registry:read', 'audit:read'],
  };
  const held = (actor: Actor) => FOUNDATION.filter((p) => hasPermission(actor, p));

  it('every foundation permission is a known permission', () => {
    expect(FOUNDATION.filter((p) => !PERMISSIONS.includes(p))).toEqual([]);
  });

  for (const role of ROLES) {
    it(`${role} holds exactly ${EXPECTED[role].join(', ')} of the foundation's permissions`, () => {
      expect(held(account(role))).toEqual([...EXPECTED[role]]);
      expect(FOUNDATION.filter((p) => permissionsOfRole(role).includes(p))).toEqual([...EXPECTED[role]]);
    });
  }

  it('the administrator holds every permission there is', () => {
    expect(PERMISSIONS.every((p) => hasPermission(account('admin'), p))).toBe(true);
  });

  it('an account that must change its one-time password holds nothing, whatever its role', () => {
    for (const role of ROLES) {
      const actor = account(role, { mustChangePassword: true });
      expect(PERMISSIONS.filter((p) => hasPermission(actor, p))).toEqual([]);
    }
  });

  it('a token holds exactly its scopes', () => {
    const token = (scopes: ('registry:read' | 'registry:write')[]): Actor => ({
      kind: 'token',
      id: 't',
      name: 't',
      scopes,
      unitId: null,
    });
    expect(PERMISSIONS.filter((p) => hasPermission(token(['registry:read']), p))).toEqual(['registry:read']);
    expect(PERMISSIONS.filter((p) => hasPermission(token(['registry:write']), p))).toEqual([
      'registry:write',
    ]);
    expect(PERMISSIONS.filter((p) => hasPermission(token([]), p))).toEqual([]);
  });

  it('the system itself (CLI, sweeps) may do everything', () => {
    const system: Actor = { kind: 'system', label: 'cli' };
    expect(PERMISSIONS.every((p) => hasPermission(system, p))).toBe(true);
  });
});

describe('unit scope', () => {
  it('confines unit staff and unit-bound tokens, and nobody else', () => {
    expect(unitScopeOf(account('unit_staff'))).toBe('unit-a');
    expect(unitScopeOf(account('office', { unitId: 'unit-a' }))).toBeNull();
    expect(unitScopeOf(account('leader'))).toBeNull();
    expect(unitScopeOf({ kind: 'token', id: 't', name: 't', scopes: [], unitId: 'unit-b' })).toBe('unit-b');
    expect(unitScopeOf({ kind: 'token', id: 't', name: 't', scopes: [], unitId: null })).toBeNull();
    expect(unitScopeOf({ kind: 'system', label: 'x' })).toBeNull();
  });

  it('holds a unit whose ancestry passes through the scope root, and no other', () => {
    const windowAncestry = ['window', 'section', 'dept-a', 'city'];
    expect(withinScope('dept-a', windowAncestry)).toBe(true);
    expect(withinScope('window', windowAncestry)).toBe(true);
    expect(withinScope('dept-b', windowAncestry)).toBe(false);
    // A scope is a subtree: its parent lies outside it.
    expect(withinScope('dept-a', ['city'])).toBe(false);
    expect(withinScope(null, windowAncestry)).toBe(true);
  });
});

describe('who may hand out a role', () => {
  it('only an administrator (or the system) may create or change administrators', () => {
    for (const role of ROLES) {
      expect(mayAssignRole(account('admin'), role)).toBe(true);
      expect(mayAssignRole({ kind: 'system', label: 'x' }, role)).toBe(true);
      expect(mayAssignRole(account('office'), role)).toBe(role !== 'admin');
      expect(
        mayAssignRole({ kind: 'token', id: 't', name: 't', scopes: ['registry:write'], unitId: null }, role),
      ).toBe(false);
    }
  });
});

describe('sign-in throttling', () => {
  it('blocks at 5 failures for one username or 20 from one address within the window', () => {
    expect(THROTTLE).toEqual({ windowMinutes: 15, maxFailuresPerAccount: 5, maxFailuresPerAddress: 20 });
    expect(loginBlocked(0, 0)).toBe(false);
    expect(loginBlocked(4, 19)).toBe(false);
    expect(loginBlocked(5, 0)).toBe(true);
    expect(loginBlocked(0, 20)).toBe(true);
    expect(loginBlocked(9, 30)).toBe(true);
  });
});
