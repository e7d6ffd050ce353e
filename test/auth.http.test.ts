import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { DEMO_PASSWORD, loadDemo } from '../src/cli/demo.js';
import { bootstrapAdministrator } from '../src/core/auth/service.js';
import {
  anonymousClient,
  auditCount,
  bearerClient,
  describeEachApp,
  expectError,
  expectUnchanged,
  freshAddress,
  login,
  openCheckedApp,
  registeredRoutes,
  sessionCookieOf,
  signInFresh,
  snapshot,
} from './support/checks.js';
import { makeAccount, makeTree, PASSWORD, uniqueCode } from './support/factories.js';
import { makeFixture, routeOf, ROUTE_CASES } from './support/routes.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** Routes anyone may call (the public pages' API included), and one's own sign-in routes: the only ones open before a one-time password is changed. */
const OPEN_BEFORE_PASSWORD_CHANGE =
  /^(GET|POST) (\/|\/api\/health|\/api\/openapi\.json|\/api\/docs.*|\/api\/auth\/.*|\/api\/public\/.*)$/;

interface TokenCreated {
  token: string;
  view: { id: string; prefix: string; scopes: string[]; expiresAt: string | null; revokedAt: string | null };
}

/** An ISO time written the way a user in China would: local time with +08:00. */
function chinaTime(instant: Date): string {
  return `${new Date(instant.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

describeEachApp('sign-in, sessions, passwords and API tokens', (t) => {
  // --- signing in ---

  it('signs in with an HttpOnly, SameSite=Strict cookie; the database keeps only a hash of it', async () => {
    const { app, deps } = t();
    const leader = await makeAccount(deps, 'leader');
    const res = await login(app, leader.username);
    expect(res.statusCode).toBe(200);
    const body = res.json<{ account: Record<string, unknown>; csrfToken: string; permissions: string[] }>();
    expect(body.account).toMatchObject({
      username: leader.username,
      role: 'leader',
      mustChangePassword: false,
    });
    expect(body.account).not.toHaveProperty('passwordHash');
    expect(body.permissions).toContain('registry:read');
    expect(body.permissions).not.toContain('registry:write');
    expect(body.csrfToken.length).toBeGreaterThanOrEqual(32);

    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^minping_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Strict/);
    expect(setCookie).toMatch(/; Path=\//);
    const value = sessionCookieOf(res).split('=')[1] ?? '';

    const rows = await deps.database.db
      .selectFrom('sessions')
      .selectAll()
      .where('accountId', '=', leader.id)
      .execute();
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(value);
    expect(rows[0]?.id).toBe(sha256(value));

    const session = await app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: { cookie: sessionCookieOf(res) },
    });
    expect(session.statusCode).toBe(200);
    expect(session.json<{ account: { id: string } }>().account.id).toBe(leader.id);
  });

  it('refuses a wrong password and an unknown username alike: 401 bad_credentials, no cookie', async () => {
    const { app, deps } = t();
    const leader = await makeAccount(deps, 'leader');
    const before = await snapshot(deps);
    const wrong = await login(app, leader.username, 'not-the-password');
    const unknown = await login(app, 'nobody-by-this-name', PASSWORD);
    const a = expectError(wrong, 401, 'bad_credentials');
    const b = expectError(unknown, 401, 'bad_credentials');
    expect(a.message).toBe(b.message);
    expect(wrong.headers['set-cookie']).toBeUndefined();
    expect(unknown.headers['set-cookie']).toBeUndefined();
    await expectUnchanged(deps, before);
  });

  it('refuses bad sign-in input with 400 naming the field', async () => {
    const { app } = t();
    const post = (payload: string) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload,
        headers: { 'content-type': 'application/json' },
        remoteAddress: freshAddress(),
      });
    expectError(await post('{"username": "x"}'), 400, 'invalid_input', {
      field: 'password',
      reason: 'required',
    });
    expectError(await post('{"username": "x", "password": "y", "remember": true}'), 400, 'invalid_input', {
      field: 'remember',
      reason: 'unknown_field',
    });
    expectError(await post('{"username": 7, "password": "y"}'), 400, 'invalid_input', { field: 'username' });
    expectError(await post('{"username": "x", '), 400, 'malformed_json');
  });

  // --- throttling ---

  it('after 5 failures for one username refuses even the right password, until the window passes', async () => {
    const { app, deps, clock } = t();
    const leader = await makeAccount(deps, 'leader');
    // From five different addresses: the count is per account, wherever the attempts come from.
    for (let i = 0; i < 5; i += 1) {
      expectError(await login(app, leader.username, `guess-${i}`), 401, 'bad_credentials');
    }
    const sessions = async () =>
      (
        await deps.database.db
          .selectFrom('sessions')
          .select('id')
          .where('accountId', '=', leader.id)
          .execute()
      ).length;
    expectError(await login(app, leader.username, PASSWORD), 429, 'too_many_attempts', { minutes: 15 });
    expect(await sessions()).toBe(0);
    clock.advanceMinutes(14);
    expectError(await login(app, leader.username, PASSWORD), 429, 'too_many_attempts');
    clock.advanceMinutes(2);
    expect((await login(app, leader.username, PASSWORD)).statusCode).toBe(200);
    expect(await sessions()).toBe(1);
  });

  it('after 20 failures from one address refuses every sign-in from it, and only from it', async () => {
    const { app, deps } = t();
    const leader = await makeAccount(deps, 'leader');
    const address = freshAddress();
    // Twenty different accounts, one wrong guess each: no single account reaches its own limit.
    for (let i = 0; i < 20; i += 1) {
      const victim = await makeAccount(deps, 'leader');
      expectError(await login(app, victim.username, 'guess', address), 401, 'bad_credentials');
    }
    expectError(await login(app, leader.username, PASSWORD, address), 429, 'too_many_attempts');
    expect((await login(app, leader.username, PASSWORD, freshAddress())).statusCode).toBe(200);
  });

  it('a password reset by the office lifts the lock on an account', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const leader = await makeAccount(deps, 'leader');
    for (let i = 0; i < 5; i += 1) await login(app, leader.username, `guess-${i}`);
    expectError(await login(app, leader.username, PASSWORD), 429, 'too_many_attempts');
    const reset = await office.post(`/api/accounts/${leader.id}/reset-password`);
    expect(reset.statusCode).toBe(200);
    const { initialPassword } = reset.json<{ initialPassword: string }>();
    expectError(await login(app, leader.username, PASSWORD), 401, 'bad_credentials');
    const res = await login(app, leader.username, initialPassword);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ account: { mustChangePassword: boolean } }>().account.mustChangePassword).toBe(true);
  });

  // --- sessions ---

  it('signing out ends the session: the cookie stops working and the row is gone', async () => {
    const { app, deps } = t();
    const leader = await makeAccount(deps, 'leader');
    const client = await signInFresh(app, leader.username);
    expect((await client.get('/api/units')).statusCode).toBe(200);
    const out = await client.post('/api/auth/logout');
    expect(out.statusCode).toBe(200);
    expect(String(out.headers['set-cookie'])).toMatch(
      /^minping_session=;.*(Max-Age=0|Expires=Thu, 01 Jan 1970)/,
    );
    expectError(await client.get('/api/auth/session'), 401, 'not_signed_in');
    expectError(await client.get('/api/units'), 401, 'not_signed_in');
    const rows = await deps.database.db
      .selectFrom('sessions')
      .select('id')
      .where('accountId', '=', leader.id)
      .execute();
    expect(rows).toEqual([]);
  });

  it('a session ends after 8 hours without use, and lasts as long as it is used', async () => {
    const { app, deps, clock } = t();
    const client = await signInFresh(app, (await makeAccount(deps, 'leader')).username);
    clock.advanceMinutes(479);
    expect((await client.get('/api/auth/session')).statusCode).toBe(200);
    clock.advanceMinutes(479);
    expect((await client.get('/api/units')).statusCode).toBe(200);
    clock.advanceMinutes(481);
    expectError(await client.get('/api/auth/session'), 401, 'not_signed_in');
    expectError(await client.get('/api/units'), 401, 'not_signed_in');
  });

  it('the console’s probe answers “not signed in” with 200 before sign-in, after expiry and after sign-out', async () => {
    const { app, deps, clock } = t();
    const anonymous = await app.inject({ method: 'GET', url: '/api/auth/state' });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json()).toEqual({ signedIn: false, session: null });

    const leader = await makeAccount(deps, 'leader');
    const client = await signInFresh(app, leader.username);
    const signedIn = await client.get('/api/auth/state');
    expect(signedIn.statusCode).toBe(200);
    const body = signedIn.json<{
      signedIn: boolean;
      session: { account: { id: string }; permissions: string[] };
    }>();
    expect(body.signedIn).toBe(true);
    expect(body.session.account.id).toBe(leader.id);
    expect(body.session.permissions).toContain('cases:read');
    expect(body.session.permissions).not.toContain('cases:handle');

    clock.advanceMinutes(481);
    expect((await client.get('/api/auth/state')).json()).toEqual({ signedIn: false, session: null });
    // Any other call of the expired session is still a 401 that sends the console to the login page.
    expectError(await client.get('/api/units'), 401, 'not_signed_in');

    const again = await signInFresh(app, leader.username);
    expect((await again.post('/api/auth/logout')).statusCode).toBe(200);
    expect((await again.get('/api/auth/state')).json()).toEqual({ signedIn: false, session: null });
  });

  it('refuses a cookie write without the session’s X-CSRF-Token and changes nothing; reads need none', async () => {
    const { app, deps } = t();
    const tree = await makeTree(deps);
    const username = (await makeAccount(deps, 'office')).username;
    const office = await signInFresh(app, username);
    const other = await signInFresh(app, username);
    const body = { code: uniqueCode('CSRF'), name: '新窗口', kind: 'window', parentId: tree.sectionA1.id };
    const before = await snapshot(deps);
    const post = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/units',
        payload: body,
        headers: { cookie: office.cookie, ...headers },
      });
    expectError(await post({}), 403, 'csrf_failed');
    expectError(await post({ 'x-csrf-token': 'guessed' }), 403, 'csrf_failed');
    expectError(await post({ 'x-csrf-token': other.csrf }), 403, 'csrf_failed');
    await expectUnchanged(deps, before);
    const read = await app.inject({ method: 'GET', url: '/api/units', headers: { cookie: office.cookie } });
    expect(read.statusCode).toBe(200);
    expect((await post({ 'x-csrf-token': office.csrf })).statusCode).toBe(201);
  });

  it('lets a stale tab sign in again and sign out without the CSRF token', async () => {
    const { app, deps } = t();
    const username = (await makeAccount(deps, 'office')).username;
    const stale = await signInFresh(app, username);
    const again = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: PASSWORD },
      headers: { cookie: stale.cookie },
    });
    expect(again.statusCode).toBe(200);
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie: stale.cookie },
    });
    expect(out.statusCode).toBe(200);
    expectError(
      await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie: stale.cookie } }),
      401,
      'not_signed_in',
    );
  });

  it('sets the session cookie for the browser session only; the server decides when it expires', async () => {
    const { app, deps } = t();
    const leader = await makeAccount(deps, 'leader');
    const res = await login(app, leader.username);
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^minping_session=/);
    expect(setCookie).not.toMatch(/Max-Age|Expires/i);
  });

  it('disabling an account ends its sessions at once and refuses its sign-in until enabled again', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const leader = await makeAccount(deps, 'leader');
    const a = await signInFresh(app, leader.username);
    const b = await signInFresh(app, leader.username);
    const res = await office.patch(`/api/accounts/${leader.id}`, { active: false });
    expect(res.statusCode).toBe(200);
    expect(res.json<{ active: boolean }>().active).toBe(false);
    expectError(await a.get('/api/units'), 401, 'not_signed_in');
    expectError(await b.get('/api/auth/session'), 401, 'not_signed_in');
    const rows = await deps.database.db
      .selectFrom('sessions')
      .select('id')
      .where('accountId', '=', leader.id)
      .execute();
    expect(rows).toEqual([]);
    expectError(await login(app, leader.username), 401, 'bad_credentials');
    expect((await office.patch(`/api/accounts/${leader.id}`, { active: true })).statusCode).toBe(200);
    expect((await login(app, leader.username)).statusCode).toBe(200);
  });

  // --- passwords ---

  it('changes a password: checks the current one and the rules; other sessions end, this one stays', async () => {
    const { app, deps } = t();
    const leader = await makeAccount(deps, 'leader');
    const here = await signInFresh(app, leader.username);
    const elsewhere = await signInFresh(app, leader.username);
    const change = (currentPassword: string, newPassword: string) =>
      here.post('/api/auth/password', { currentPassword, newPassword });
    const before = await snapshot(deps);
    expectError(await change('wrong-password', 'Brand-new-2026'), 400, 'wrong_current_password', {
      field: 'currentPassword',
    });
    expectError(await change(PASSWORD, 'Short-1'), 400, 'password_too_short', { field: 'newPassword' });
    expectError(
      await change(PASSWORD, `x-${leader.username.toUpperCase()}-2026`),
      400,
      'password_contains_username',
      {
        field: 'newPassword',
      },
    );
    expectError(await change(PASSWORD, 'abababababab'), 400, 'password_too_simple', { field: 'newPassword' });
    expectError(await change(PASSWORD, PASSWORD), 400, 'password_unchanged', { field: 'newPassword' });
    await expectUnchanged(deps, before);

    const newPassword = 'Brand-new-2026!';
    const ok = await change(PASSWORD, newPassword);
    expect(ok.statusCode).toBe(200);
    expect(ok.json<{ account: { mustChangePassword: boolean } }>().account.mustChangePassword).toBe(false);
    expect((await here.get('/api/auth/session')).statusCode).toBe(200);
    expectError(await elsewhere.get('/api/auth/session'), 401, 'not_signed_in');
    expectError(await login(app, leader.username, PASSWORD), 401, 'bad_credentials');
    expect((await login(app, leader.username, newPassword)).statusCode).toBe(200);

    const [entry] = await deps.database.db
      .selectFrom('auditLog')
      .selectAll()
      .where('entityId', '=', leader.id)
      .where('action', '=', 'account.password_changed')
      .execute();
    expect(entry?.actorLabel).toBe(leader.username);
    const everything = JSON.stringify(await snapshot(deps));
    expect(everything).not.toContain(newPassword);
  });

  it('an account the office creates must change its one-time password before it may do anything else', async () => {
    const { app, deps } = t();
    const fixture = await makeFixture(deps);
    const office = await signInFresh(app, fixture.usernames.office);
    const created = await office.post('/api/accounts', {
      username: uniqueCode('newstaff').toLowerCase(),
      displayName: '新联络员',
      role: 'unit_staff',
      unitId: fixture.tree.deptA.id,
    });
    expect(created.statusCode).toBe(201);
    const { account, initialPassword } = created.json<{
      account: { id: string; username: string; mustChangePassword: boolean };
      initialPassword: string;
    }>();
    expect(account.mustChangePassword).toBe(true);
    expect(initialPassword).toMatch(/^[A-Za-z0-9]{16}$/);
    expect(JSON.stringify(await snapshot(deps))).not.toContain(initialPassword);

    const res = await login(app, account.username, initialPassword);
    expect(res.statusCode).toBe(200);
    expect(res.json<{ permissions: string[] }>().permissions).toEqual([]);
    const cookie = sessionCookieOf(res);
    const csrf = res.json<{ csrfToken: string }>().csrfToken;
    const newcomer = { cookie, 'x-csrf-token': csrf };

    // Every route that exists, except the open ones and one's own sign-in, answers 403 password_change_required.
    const registered = registeredRoutes(app);
    const guarded = ROUTE_CASES.filter(
      (c) => registered.includes(routeOf(c.key)) && !OPEN_BEFORE_PASSWORD_CHANGE.test(routeOf(c.key)),
    );
    expect(guarded.length).toBeGreaterThanOrEqual(28);
    const wrong: string[] = [];
    for (const routeCase of guarded) {
      const options = await routeCase.build(fixture, 'newcomer');
      const before = await snapshot(deps);
      const r = await app.inject({ ...options, headers: { ...newcomer, ...(options.headers ?? {}) } });
      const code = r.json<{ error?: { code?: string } }>().error?.code;
      if (r.statusCode !== 403 || code !== 'password_change_required') {
        wrong.push(`${routeCase.key}: ${r.statusCode} ${code ?? ''}`);
      }
      expect(await snapshot(deps), routeCase.key).toEqual(before);
    }
    expect(wrong).toEqual([]);

    const session = await app.inject({ method: 'GET', url: '/api/auth/session', headers: newcomer });
    expect(session.statusCode).toBe(200);
    const changed = await app.inject({
      method: 'POST',
      url: '/api/auth/password',
      headers: newcomer,
      payload: { currentPassword: initialPassword, newPassword: 'My-own-secret-42' },
    });
    expect(changed.statusCode).toBe(200);
    expect(changed.json<{ permissions: string[] }>().permissions).toContain('registry:write');
    const units = await app.inject({ method: 'GET', url: '/api/units', headers: newcomer });
    expect(units.statusCode).toBe(200);
    expect(units.json<{ id: string }[]>().map((u) => u.id)).toContain(fixture.tree.deptA.id);
  });

  it('creates the first administrator once, with a one-time password, and never again', async () => {
    const { deps, dialect } = t();
    expect(await bootstrapAdministrator(deps)).toBeNull(); // this database already has accounts
    const fresh = await openCheckedApp(dialect);
    try {
      const password = await bootstrapAdministrator(fresh.deps);
      expect(password).toMatch(/^[A-Za-z0-9]{16}$/);
      expect(await bootstrapAdministrator(fresh.deps)).toBeNull();
      const accounts = await fresh.deps.database.db.selectFrom('accounts').selectAll().execute();
      expect(accounts.map((a) => [a.username, a.role, a.mustChangePassword, a.active])).toEqual([
        ['admin', 'admin', 1, 1],
      ]);
      expect(accounts[0]?.passwordHash).not.toContain(password ?? '');
      const [entry] = await fresh.deps.database.db.selectFrom('auditLog').selectAll().execute();
      expect(entry).toMatchObject({ action: 'account.created', actorLabel: 'system:first-start' });

      const res = await login(fresh.app, 'admin', password ?? '');
      expect(res.statusCode).toBe(200);
      expect(res.json<{ account: { mustChangePassword: boolean } }>().account.mustChangePassword).toBe(true);
      const admin = { cookie: sessionCookieOf(res) };
      expectError(
        await fresh.app.inject({ method: 'GET', url: '/api/accounts', headers: admin }),
        403,
        'password_change_required',
      );
      expect(fresh.leaks).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  // --- accounts ---

  it('refuses bad account input, naming the field, and changes nothing', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const existing = await makeAccount(deps, 'leader');
    const before = await snapshot(deps);
    expectError(
      await office.post('/api/accounts', { username: existing.username, displayName: 'x', role: 'leader' }),
      409,
      'duplicate',
      { field: 'username' },
    );
    expectError(
      await office.post('/api/accounts', { username: 'lonely-staff', displayName: 'x', role: 'unit_staff' }),
      400,
      'unit_required',
      { field: 'unitId' },
    );
    expectError(
      await office.post('/api/accounts', {
        username: 'staff-nowhere',
        displayName: 'x',
        role: 'unit_staff',
        unitId: 'no-such-unit',
      }),
      400,
      'unknown_unit',
      { field: 'unitId' },
    );
    expectError(
      await office.post('/api/accounts', { username: 'has space', displayName: 'x', role: 'leader' }),
      400,
      'invalid_input',
      { field: 'username' },
    );
    expectError(
      await office.post('/api/accounts', { username: 'bossy', displayName: 'x', role: 'emperor' }),
      400,
      'invalid_input',
      { field: 'role' },
    );
    expectError(
      await office.post('/api/accounts', { username: 'blank-name', displayName: '   ', role: 'leader' }),
      400,
      'invalid_input',
      { field: 'displayName' },
    );
    expectError(
      await office.patch(`/api/accounts/${existing.id}`, { displayName: ' ' }),
      400,
      'invalid_input',
      {
        field: 'displayName',
      },
    );
    expectError(await office.patch('/api/accounts/no-such-account', { displayName: 'x' }), 404, 'not_found');
    expectError(await office.post('/api/accounts/no-such-account/reset-password'), 404, 'not_found');
    await expectUnchanged(deps, before);
  });

  it('nobody can disable their own account or change their own role', async () => {
    const { app, deps } = t();
    const me = await makeAccount(deps, 'office');
    const office = await signInFresh(app, me.username);
    const before = await snapshot(deps);
    expectError(await office.patch(`/api/accounts/${me.id}`, { active: false }), 409, 'cannot_change_self');
    expectError(await office.patch(`/api/accounts/${me.id}`, { role: 'leader' }), 409, 'cannot_change_self');
    await expectUnchanged(deps, before);
  });

  // --- API tokens ---

  it('shows a token’s secret once and keeps only its hash', async () => {
    const { app, deps } = t();
    const officeAccount = await makeAccount(deps, 'office');
    const office = await signInFresh(app, officeAccount.username);
    const audits = await auditCount(deps);
    const res = await office.post('/api/api-tokens', { name: '12345 热线', scopes: ['registry:read'] });
    expect(res.statusCode).toBe(201);
    const { token, view } = res.json<TokenCreated & { view: { createdBy: string } }>();
    expect(token).toMatch(/^mpt_[A-Za-z0-9_-]{43}$/);
    expect(view).toMatchObject({ prefix: token.slice(0, 10), scopes: ['registry:read'], revokedAt: null });
    expect(view.createdBy).toBe(officeAccount.username);

    const rows = await deps.database.db
      .selectFrom('apiTokens')
      .selectAll()
      .where('id', '=', view.id)
      .execute();
    expect(rows[0]?.tokenHash).toBe(sha256(token));
    expect(JSON.stringify(await snapshot(deps))).not.toContain(token);
    expect(await auditCount(deps)).toBe(audits + 1);

    const list = await office.get('/api/api-tokens');
    expect(list.statusCode).toBe(200);
    expect(list.json<{ id: string }[]>().some((v) => v.id === view.id)).toBe(true);
    expect(list.body).not.toContain(token);
    expect(list.body).not.toContain('tokenHash');
  });

  it('a token works with Bearer and no CSRF token; a read-only one cannot write; a writing one can also read', async () => {
    const { app, deps } = t();
    const tree = await makeTree(deps);
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const read = bearerClient(
      app,
      (await office.post('/api/api-tokens', { name: 'r', scopes: ['registry:read'] })).json<TokenCreated>()
        .token,
    );
    const writeRes = await office.post('/api/api-tokens', { name: 'w', scopes: ['registry:write'] });
    const write = bearerClient(app, writeRes.json<TokenCreated>().token);
    const unit = () => ({
      code: uniqueCode('TOK'),
      name: '系统推送窗口',
      kind: 'window',
      parentId: tree.sectionA1.id,
    });

    expect((await read.get('/api/units')).statusCode).toBe(200);
    const before = await snapshot(deps);
    expectError(await read.post('/api/units', unit()), 403, 'forbidden');
    await expectUnchanged(deps, before);

    expect((await write.post('/api/units', unit())).statusCode).toBe(201);
    // A system that writes into the registry must be able to look up what it writes to.
    const list = await write.get('/api/units');
    expect(list.statusCode).toBe(200);
    expect(list.json<{ id: string }[]>().map((u) => u.id)).toContain(tree.sectionA1.id);
    // Tokens act for systems, not people: no session, no password change.
    expectError(await write.get('/api/auth/session'), 401, 'not_signed_in');
    expectError(await write.get('/api/accounts'), 403, 'forbidden');
  });

  it('a token bound to a unit sees and changes only that unit’s subtree', async () => {
    const { app, deps } = t();
    const tree = await makeTree(deps);
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const created = await office.post('/api/api-tokens', {
      name: '民政局系统',
      scopes: ['registry:read', 'registry:write'],
      unitId: tree.deptA.id,
    });
    expect(created.statusCode).toBe(201);
    const client = bearerClient(app, created.json<TokenCreated>().token);
    const ours = new Set([
      tree.city.id,
      tree.deptA.id,
      tree.sectionA1.id,
      tree.windowA1.id,
      tree.deptB.id,
      tree.sectionB1.id,
    ]);
    const seen = (await client.get('/api/units'))
      .json<{ id: string }[]>()
      .map((u) => u.id)
      .filter((id) => ours.has(id));
    expect(seen.sort()).toEqual([tree.deptA.id, tree.sectionA1.id, tree.windowA1.id].sort());
    expectError(await client.get(`/api/units/${tree.deptB.id}`), 403, 'outside_scope');
    const before = await snapshot(deps);
    expectError(
      await client.post('/api/units', {
        code: uniqueCode('OUT'),
        name: '越权',
        kind: 'section',
        parentId: tree.deptB.id,
      }),
      403,
      'outside_scope',
    );
    expectError(
      await client.post('/api/categories', { code: uniqueCode('CAT'), name: '越权类别' }),
      403,
      'office_only',
    );
    await expectUnchanged(deps, before);
    const inside = await client.post('/api/units', {
      code: uniqueCode('IN'),
      name: '新窗口',
      kind: 'window',
      parentId: tree.sectionA1.id,
    });
    expect(inside.statusCode).toBe(201);
  });

  it('a revoked token is refused with 401 bad_token', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const { token, view } = (
      await office.post('/api/api-tokens', { name: 'old', scopes: ['registry:read'] })
    ).json<TokenCreated>();
    const client = bearerClient(app, token);
    expect((await client.get('/api/units')).statusCode).toBe(200);
    const revoked = await office.post(`/api/api-tokens/${view.id}/revoke`);
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
    expectError(await client.get('/api/units'), 401, 'bad_token');
    expectError(await office.post(`/api/api-tokens/${view.id}/revoke`), 409, 'already_revoked');
    expectError(await office.post('/api/api-tokens/no-such-token/revoke'), 404, 'not_found');
    expectError(await bearerClient(app, 'mpt_made-up').get('/api/units'), 401, 'bad_token');
  });

  it('an expired token is refused with 401 bad_token', async () => {
    const { app, deps, clock } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const expiresAt = new Date(clock.now().getTime() + 10 * 60_000).toISOString();
    const { token } = (
      await office.post('/api/api-tokens', { name: 'short-lived', scopes: ['registry:read'], expiresAt })
    ).json<TokenCreated>();
    const client = bearerClient(app, token);
    expect((await client.get('/api/units')).statusCode).toBe(200);
    clock.advanceMinutes(11);
    expectError(await client.get('/api/units'), 401, 'bad_token');
  });

  it('honours an expiry written in China time (+08:00), and shows it in UTC', async () => {
    const { app, deps, clock } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const expires = new Date(clock.now().getTime() + 30 * 60_000);
    const res = await office.post('/api/api-tokens', {
      name: 'china-time',
      scopes: ['registry:read'],
      expiresAt: chinaTime(expires),
    });
    expect(res.statusCode).toBe(201);
    const { token, view } = res.json<TokenCreated>();
    expect(view.expiresAt).toBe(expires.toISOString());
    const client = bearerClient(app, token);
    expect((await client.get('/api/units')).statusCode).toBe(200);
    clock.advanceMinutes(31);
    expectError(await client.get('/api/units'), 401, 'bad_token');
  });

  it('refuses bad token input, naming the field, and changes nothing', async () => {
    const { app, deps } = t();
    const office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const before = await snapshot(deps);
    expectError(await office.post('/api/api-tokens', { name: 'x', scopes: [] }), 400, 'invalid_input', {
      field: 'scopes',
    });
    expectError(
      await office.post('/api/api-tokens', { name: '  ', scopes: ['registry:read'] }),
      400,
      'invalid_input',
      {
        field: 'name',
      },
    );
    expectError(
      await office.post('/api/api-tokens', { name: 'x', scopes: ['accounts:manage'] }),
      400,
      'invalid_input',
      {
        field: 'scopes.0',
      },
    );
    expectError(
      await office.post('/api/api-tokens', { name: 'x', scopes: ['registry:read'], expiresAt: 'next week' }),
      400,
      'invalid_input',
      { field: 'expiresAt' },
    );
    expectError(
      await office.post('/api/api-tokens', { name: 'x', scopes: ['registry:read'], unitId: 'no-such-unit' }),
      400,
      'unknown_unit',
      { field: 'unitId' },
    );
    await expectUnchanged(deps, before);
    expectError(
      await anonymousClient(app).post('/api/api-tokens', { name: 'x', scopes: ['registry:read'] }),
      401,
      'not_signed_in',
    );
  });
});

describeEachApp('demo accounts on the login page', (t) => {
  interface DemoAccounts {
    demo: boolean;
    accounts: Record<string, unknown>[];
  }
  const demoAccounts = async () => {
    const res = await anonymousClient(t().app).get('/api/auth/demo-accounts');
    expect(res.statusCode).toBe(200);
    return { body: res.json<DemoAccounts>(), text: res.body };
  };

  it('an ordinary database is not in demo mode: no accounts are offered, even when it has some', async () => {
    const { deps } = t();
    expect((await demoAccounts()).body).toEqual({ demo: false, accounts: [] });
    await makeAccount(deps, 'office');
    await makeAccount(deps, 'admin');
    expect((await demoAccounts()).body).toEqual({ demo: false, accounts: [] });
  });

  it('once the demo is loaded, lists its accounts with what the login page shows, and they sign in', async () => {
    const { app, deps } = t();
    const quiet = console.log;
    console.log = () => undefined;
    try {
      // A fiftieth of the demo's ratings, as the browser tests load it: the accounts are the same.
      expect(await loadDemo(deps, { quietIfLoaded: true, ratings: { scale: 0.02 } })).toBe(true);
    } finally {
      console.log = quiet;
    }
    const { body, text } = await demoAccounts();
    expect(body.demo).toBe(true);
    expect(body.accounts.map((a) => [a.username, a.role])).toEqual([
      ['demo-admin', 'admin'],
      ['office', 'office'],
      ['unit', 'unit_staff'],
      ['leader', 'leader'],
      ['supervisor', 'supervisor'],
    ]);
    for (const account of body.accounts) {
      expect(Object.keys(account).sort()).toEqual(['label', 'password', 'role', 'username']);
      expect(account.password).toBe(DEMO_PASSWORD);
      expect(account.label).toEqual(expect.any(String));
    }
    expect(body.accounts[2]?.label).toMatch(/^单位人员 Unit staff（.+）$/);
    // Nothing stored about the accounts leaks: no hash, no id.
    const stored = await deps.database.db
      .selectFrom('accounts')
      .select(['id', 'passwordHash'])
      .where('username', 'in', ['demo-admin', 'office', 'unit', 'leader', 'supervisor'])
      .execute();
    expect(stored).toHaveLength(5);
    for (const row of stored) {
      expect(text).not.toContain(row.id);
      expect(text).not.toContain(row.passwordHash);
    }
    expect(text).not.toMatch(/hash|scrypt/i);
    for (const account of body.accounts) {
      const res = await login(app, String(account.username), DEMO_PASSWORD);
      expect(res.statusCode, String(account.username)).toBe(200);
      expect(res.json<{ account: { role: string } }>().account.role).toBe(account.role);
    }
  }, 120_000);
});
