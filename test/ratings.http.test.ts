import ExcelJS from 'exceljs';
import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../src/core/auth/service.js';
import type { Deps } from '../src/core/context.js';
import { runSweep } from '../src/core/sweeps.js';
import { applyDefaultRatings } from '../src/ratings/sweeps.js';
import {
  createServiceItem,
  createStaff,
  createUnit,
  updateUnit,
  type ServiceItemView,
  type StaffView,
} from '../src/registry/service.js';
import {
  anonymousClient,
  bearerClient,
  describeEachApp,
  expectError,
  freshAddress,
  signInFresh,
} from './support/checks.js';
import { makeAccount, makeTree, SYSTEM, uniqueCode, type SmallTree } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * Instant ratings over HTTP: transactions and their links, the rating page, ratings with retries and
 * refusals, poster and web ratings with their daily limit, devices, fraud holds and their review,
 * default ratings, statistics, settings. Every refusal is checked to store nothing.
 */

interface World {
  deps: Deps;
  tree: SmallTree;
  item: ServiceItemView;
  onlineItem: ServiceItemView;
  clerk: StaffView;
  office: Client;
  staffIn: Client;
  staffOut: Client;
  hall: Client;
  anonymous: Client;
}

let keyCounter = 0;
const newKey = () => `key-${Date.now().toString(36)}-${(keyCounter += 1)}`;

async function count(deps: Deps, table: 'ratings' | 'transactions' | 'devices' | 'cases'): Promise<number> {
  const row = await deps.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function rollup(deps: Deps, scopeId: string, grain: 'day' | 'month', bucket: string) {
  const rows = await deps.database.db
    .selectFrom('ratingRollups')
    .select(['channel', 'level', 'isDefault', 'n'])
    .where('scopeId', '=', scopeId)
    .where('grain', '=', grain)
    .where('bucket', '=', bucket)
    .where('n', '!=', 0)
    .orderBy('channel')
    .orderBy('level')
    .execute();
  return rows.map((r) => `${r.channel}:${r.level}${r.isDefault ? 'd' : ''}=${r.n}`);
}

async function activity(deps: Deps, scopeId: string, bucket: string) {
  return deps.database.db
    .selectFrom('activityRollups')
    .select(['transactions', 'activelyRated', 'badCases'])
    .where('scopeId', '=', scopeId)
    .where('bucket', '=', bucket)
    .executeTakeFirst();
}

function tokenOf(res: LightMyRequestResponse): string {
  const url = res.json<{ ratingUrl: string }>().ratingUrl;
  return url.replace('/r/', '');
}

describeEachApp('instant ratings over HTTP', (t) => {
  let w: World;

  beforeAll(async () => {
    const { app, deps } = t();
    const tree = await makeTree(deps);
    const item = await createServiceItem(deps, SYSTEM, {
      code: uniqueCode('ITEM'),
      name: '最低生活保障申请',
      unitId: tree.sectionA1.id,
      mode: 'both',
    });
    const onlineItem = await createServiceItem(deps, SYSTEM, {
      code: uniqueCode('ITEM'),
      name: '网上预约',
      unitId: tree.windowA1.id,
      mode: 'online',
    });
    const clerk = await createStaff(deps, SYSTEM, {
      staffNo: uniqueCode('SF'),
      name: '王丽娟',
      unitId: tree.windowA1.id,
    });
    const office = await makeAccount(deps, 'office');
    const staffIn = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
    const staffOut = await makeAccount(deps, 'unit_staff', { unitId: tree.deptB.id });
    const token = await createToken(deps, SYSTEM, {
      name: '政务服务大厅系统',
      scopes: ['transactions:write', 'ratings:read'],
    });
    w = {
      deps,
      tree,
      item,
      onlineItem,
      clerk,
      office: await signInFresh(app, office.username),
      staffIn: await signInFresh(app, staffIn.username),
      staffOut: await signInFresh(app, staffOut.username),
      hall: bearerClient(app, token.token),
      anonymous: anonymousClient(app),
    };
  });

  const transactionBody = (overrides: Record<string, unknown> = {}) => ({
    externalNo: uniqueCode('BJ'),
    unitId: w.tree.windowA1.id,
    serviceItemId: w.item.id,
    staffId: w.clerk.id,
    mode: 'offline',
    receivedAt: '2026-03-16T09:05:00+08:00',
    completedAt: '2026-03-16T09:40:00+08:00',
    contactName: '李先生',
    contactPhone: '13800000000',
    ...overrides,
  });

  async function newTransaction(overrides: Record<string, unknown> = {}): Promise<string> {
    const res = await w.hall.post('/api/transactions', transactionBody(overrides));
    expect(res.statusCode, res.body).toBe(201);
    return tokenOf(res);
  }

  const rate = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t().app.inject({
      method: 'POST',
      url: `/api/public/rate/${token}`,
      payload: { level: 5, tags: [], channel: 'sms_link', idempotencyKey: newKey(), ...body },
      headers,
      remoteAddress: freshAddress(),
    });

  describe('transactions', () => {
    it('records a transaction and answers with an unguessable rating link, counted under its scopes', async () => {
      const { deps, clock } = t();
      clock.set('2026-03-16T02:00:00.000Z');
      const before = await activity(deps, w.tree.city.id, '2026-03-16');
      const res = await w.hall.post('/api/transactions', transactionBody());
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<Record<string, string>>();
      expect(body.ratingUrl).toMatch(/^\/r\/[A-Za-z0-9_-]{43}$/);
      expect(body.ratingLink).toBe(`http://127.0.0.1:3000${body.ratingUrl}`);
      expect(body.qrSvg).toMatch(/^<svg /);
      expect(body.expiresAt).toBe('2026-04-15T02:00:00.000Z'); // 30 days
      expect(body.defaultDueAt).toBe('2026-03-23T02:00:00.000Z'); // 7 days after recording
      expect(body.day).toBe('2026-03-16');
      // Only the token's digest is stored.
      const stored = await deps.database.db
        .selectFrom('transactions')
        .select(['tokenHash', 'rollupScopes', 'jurisdictionId'])
        .where('id', '=', body.id!)
        .executeTakeFirstOrThrow();
      expect(stored.tokenHash).not.toContain(body.ratingUrl!.slice(3));
      expect(JSON.parse(stored.rollupScopes)).toEqual([
        ['subtree', w.tree.windowA1.id],
        ['subtree', w.tree.sectionA1.id],
        ['subtree', w.tree.deptA.id],
        ['subtree', w.tree.city.id],
        ['staff', w.clerk.id],
        ['item', w.item.id],
      ]);
      expect(stored.jurisdictionId).toBe(w.tree.city.id);
      const after = await activity(deps, w.tree.city.id, '2026-03-16');
      expect((after?.transactions ?? 0) - (before?.transactions ?? 0)).toBe(1);
      expect((await activity(deps, w.clerk.id, '2026-03'))?.transactions).toBeGreaterThanOrEqual(1);
    });

    it('refuses a second transaction with the same external number in the jurisdiction', async () => {
      const { deps } = t();
      const body = transactionBody();
      expect((await w.hall.post('/api/transactions', body)).statusCode).toBe(201);
      const n = await count(deps, 'transactions');
      expectError(await w.hall.post('/api/transactions', body), 409, 'duplicate', { field: 'externalNo' });
      expect(await count(deps, 'transactions')).toBe(n);
    });

    it('refuses every wrong field in turn, naming it, and stores nothing', async () => {
      const { deps } = t();
      const n = await count(deps, 'transactions');
      const cases: [Record<string, unknown>, number, string, string][] = [
        [{ externalNo: undefined }, 400, 'invalid_input', 'externalNo'],
        [{ externalNo: '   ' }, 400, 'invalid_input', 'externalNo'],
        [{ unitId: 'no-such-unit' }, 400, 'unit_not_in_force', 'unitId'],
        [{ serviceItemId: 'no-such-item' }, 400, 'unknown_service_item', 'serviceItemId'],
        [{ staffId: 'no-such-person' }, 400, 'unknown_staff', 'staffId'],
        [{ mode: 'by_post' }, 400, 'invalid_input', 'mode'],
        [{ serviceItemId: w.onlineItem.id, mode: 'offline' }, 400, 'mode_mismatch', 'mode'],
        [{ receivedAt: 'yesterday' }, 400, 'invalid_input', 'receivedAt'],
        [{ receivedAt: '2027-01-01T00:00:00Z', completedAt: null }, 400, 'in_future', 'receivedAt'],
        [{ completedAt: '2026-03-16T08:00:00+08:00' }, 400, 'completed_before_received', 'completedAt'],
        [{ contactPhone: 'call me' }, 400, 'invalid_input', 'contactPhone'],
        [{ colour: 'blue' }, 400, 'invalid_input', 'colour'],
        [
          { unitId: w.tree.sectionB1.id, serviceItemId: null, staffId: null, externalNo: uniqueCode('X') },
          0,
          '',
          '',
        ],
      ];
      for (const [overrides, status, code, field] of cases) {
        if (status === 0) continue;
        const res = await w.hall.post('/api/transactions', transactionBody(overrides));
        expectError(res, status, code, { field });
      }
      // An item of another branch of the tree does not belong with the window.
      const otherItem = await createServiceItem(deps, SYSTEM, {
        code: uniqueCode('ITEM'),
        name: '就业登记',
        unitId: w.tree.sectionB1.id,
        mode: 'both',
      });
      expectError(
        await w.hall.post('/api/transactions', transactionBody({ serviceItemId: otherItem.id })),
        400,
        'service_item_not_of_unit',
        { field: 'serviceItemId' },
      );
      expect(await count(deps, 'transactions')).toBe(n);
    });

    it('lets unit staff record only within their subtree', async () => {
      const { deps } = t();
      expect((await w.staffIn.post('/api/transactions?qr=false', transactionBody())).statusCode).toBe(201);
      const n = await count(deps, 'transactions');
      expectError(await w.staffOut.post('/api/transactions', transactionBody()), 403, 'outside_scope');
      expectError(await w.anonymous.post('/api/transactions', transactionBody()), 401, 'not_signed_in');
      expect(await count(deps, 'transactions')).toBe(n);
    });

    it('answers a batch item by item and writes the valid ones in one go', async () => {
      const { deps } = t();
      const existing = transactionBody();
      expect((await w.hall.post('/api/transactions', existing)).statusCode).toBe(201);
      const n = await count(deps, 'transactions');
      const fresh = transactionBody();
      const res = await w.hall.post('/api/transactions/batch', {
        items: [
          fresh,
          { ...transactionBody(), externalNo: existing.externalNo },
          transactionBody({ unitId: 'nowhere' }),
          { ...transactionBody(), externalNo: fresh.externalNo },
          transactionBody({ serviceItemId: null, staffId: null, mode: 'online' }),
        ],
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<{
        created: number;
        duplicates: number;
        errors: number;
        results: { index: number; status: string; code?: string; field?: string | null }[];
      }>();
      expect(body).toMatchObject({ created: 2, duplicates: 2, errors: 1 });
      expect(body.results.map((r) => `${r.index}:${r.status}:${r.code ?? ''}:${r.field ?? ''}`)).toEqual([
        '0:created::',
        '1:duplicate:duplicate:externalNo',
        '2:error:unit_not_in_force:unitId',
        '3:duplicate:duplicate:externalNo',
        '4:created::',
      ]);
      expect(await count(deps, 'transactions')).toBe(n + 2);
      expectError(
        await w.hall.post('/api/transactions/batch', {
          items: Array.from({ length: 501 }, () => transactionBody()),
        }),
        400,
        'invalid_input',
        { field: 'items' },
      );
    });
  });

  describe('the rating page and rating a transaction', () => {
    it('shows what the rater needs, with the staff member as surname and number only', async () => {
      const token = await newTransaction();
      const res = await w.anonymous.get(`/api/public/rate/${token}`);
      expect(res.statusCode, res.body).toBe(200);
      const page = res.json<Record<string, unknown>>();
      expect(page).toMatchObject({
        unitName: '社会救助科',
        windowName: '救助窗口',
        unitPath: ['示范市', '市民政局', '社会救助科', '救助窗口'],
        serviceItemName: '最低生活保障申请',
        mode: 'offline',
        rated: false,
        ratedByDefault: false,
        expired: false,
      });
      expect(page.staff).toMatch(/^王（工号 SF\d+）$/);
      expect(JSON.stringify(page)).not.toContain('王丽娟');
      expect((page.levels as unknown[]).length).toBe(5);
      expect((page.tags as Record<string, string[]>)['1']).toContain('推诿扯皮（推）');
      expect(res.headers['set-cookie']).toMatch(/minping_device=[A-Za-z0-9_-]+;.*HttpOnly.*SameSite=Lax/);
      expectError(await w.anonymous.get(`/api/public/rate/${'x'.repeat(43)}`), 404, 'link_not_found');
    });

    it('stores a rating once: a retry gets the same answer, a second rating is refused', async () => {
      const { deps, clock } = t();
      clock.set('2026-03-16T03:00:00.000Z');
      const token = await newTransaction();
      const before = await rollup(deps, w.clerk.id, 'day', '2026-03-16');
      const activeBefore = (await activity(deps, w.tree.windowA1.id, '2026-03-16'))?.activelyRated ?? 0;
      const body = {
        level: 4,
        tags: ['办事效率高'],
        dimensions: { attitude: 5 },
        comment: '很好',
        idempotencyKey: newKey(),
      };
      const first = await rate(token, body);
      expect(first.statusCode, first.body).toBe(201);
      const retry = await rate(token, body);
      expect(retry.statusCode).toBe(201);
      expect(retry.json()).toEqual(first.json());
      expectError(await rate(token, { ...body, level: 3, tags: [] }), 409, 'idempotency_conflict', {
        field: 'idempotencyKey',
      });
      expectError(await rate(token, { ...body, idempotencyKey: newKey() }), 409, 'already_rated');
      const stored = await deps.database.db
        .selectFrom('ratings')
        .selectAll()
        .where('id', '=', first.json<{ id: string }>().id)
        .executeTakeFirstOrThrow();
      expect(stored).toMatchObject({
        level: 4,
        channel: 'sms_link',
        status: 'counted',
        named: 1,
        isDefault: 0,
      });
      expect(stored.deviceId.length).toBeGreaterThan(20);
      expect(stored.addressDigest).toMatch(/^[0-9a-f]{64}$/);
      const after = await rollup(deps, w.clerk.id, 'day', '2026-03-16');
      const bump = (list: string[], key: string) =>
        Number(list.find((e) => e.startsWith(`${key}=`))?.split('=')[1] ?? 0);
      expect(bump(after, 'sms_link:4') - bump(before, 'sms_link:4')).toBe(1);
      expect((await activity(deps, w.tree.windowA1.id, '2026-03-16'))?.activelyRated).toBe(activeBefore + 1);
      expect((await w.anonymous.get(`/api/public/rate/${token}`)).json()).toMatchObject({ rated: true });
    });

    it('counts a burst of identical retries once', async () => {
      const { deps } = t();
      const token = await newTransaction();
      const body = { level: 5, idempotencyKey: newKey() };
      const answers = await Promise.all(Array.from({ length: 8 }, () => rate(token, body)));
      expect(answers.map((a) => a.statusCode)).toEqual(Array(8).fill(201));
      expect(new Set(answers.map((a) => a.body)).size).toBe(1);
      const rows = await deps.database.db
        .selectFrom('ratings')
        .select('id')
        .where('idempotencyKey', '=', body.idempotencyKey)
        .execute();
      expect(rows.length).toBe(1);
    });

    it('refuses every wrong field in turn, naming it, and stores nothing', async () => {
      const { deps } = t();
      const token = await newTransaction();
      const n = await count(deps, 'ratings');
      const cases: [Record<string, unknown>, number, string, string][] = [
        [{ level: 0 }, 400, 'invalid_level', 'level'],
        [{ level: 6 }, 400, 'invalid_level', 'level'],
        [{ level: '5' }, 400, 'invalid_input', 'level'],
        [{ level: 5, tags: ['推诿扯皮（推）'] }, 400, 'tag_not_for_level', 'tags'],
        [{ level: 1, tags: ['多次跑动', '多次跑动'] }, 400, 'duplicate_tag', 'tags'],
        [{ dimensions: { mood: 3 } }, 400, 'unknown_dimension', 'dimensions.mood'],
        [{ dimensions: { attitude: 9 } }, 400, 'invalid_level', 'dimensions.attitude'],
        [{ comment: '长'.repeat(501) }, 400, 'comment_too_long', 'comment'],
        [{ channel: 'carrier_pigeon' }, 400, 'invalid_input', 'channel'],
        [{ channel: 'default' }, 400, 'invalid_input', 'channel'],
        [{ channel: 'window_device' }, 400, 'device_required', 'channel'],
        [{ idempotencyKey: 'short' }, 400, 'invalid_input', 'idempotencyKey'],
        [{ idempotencyKey: undefined }, 400, 'invalid_input', 'idempotencyKey'],
        [{ extra: 1 }, 400, 'invalid_input', 'extra'],
      ];
      for (const [overrides, status, code, field] of cases) {
        expectError(await rate(token, overrides), status, code, { field });
      }
      expect(await count(deps, 'ratings')).toBe(n);
      expectError(await rate('x'.repeat(43), {}), 404, 'link_not_found');
      // The link still works after all these refusals.
      expect((await rate(token, { level: 5 })).statusCode).toBe(201);
    });

    it('refuses an expired link with 410 and shows it as expired', async () => {
      const { deps, clock } = t();
      clock.set('2026-03-16T02:00:00.000Z');
      const token = await newTransaction();
      clock.set('2026-04-15T02:00:00.000Z');
      const n = await count(deps, 'ratings');
      expectError(await rate(token, {}), 410, 'link_expired');
      expect((await w.anonymous.get(`/api/public/rate/${token}`)).json()).toMatchObject({ expired: true });
      expect(await count(deps, 'ratings')).toBe(n);
      clock.set('2026-03-16T02:00:00.000Z');
    });

    it('refuses staff: a signed-in account, an API token, a staff device', async () => {
      const { app, deps } = t();
      const token = await newTransaction();
      const n = await count(deps, 'ratings');
      const audited = async () =>
        (
          await deps.database.db
            .selectFrom('auditLog')
            .select(['actorLabel', 'entityId'])
            .where('action', '=', 'rater_route.refused_staff')
            .orderBy('seq')
            .execute()
        ).map((e) => `${e.actorLabel.replace(/\d+$/, '').split(':')[0] ?? ''} ${e.entityId}`);
      const auditedBefore = (await audited()).length;
      const body = { level: 1, channel: 'web', idempotencyKey: newKey() };
      expectError(await w.office.post(`/api/public/rate/${token}`, body), 403, 'staff_cannot_rate');
      expectError(await w.staffIn.post(`/api/public/rate/${token}`, body), 403, 'staff_cannot_rate');
      expectError(await w.hall.post(`/api/public/rate/${token}`, body), 403, 'staff_cannot_rate');
      // A session cookie without its CSRF token is refused before anything else.
      const cookieOnly = await app.inject({
        method: 'POST',
        url: `/api/public/rate/${token}`,
        payload: body,
        headers: { cookie: w.office.cookie },
      });
      expect(cookieOnly.statusCode).toBe(403);
      const device = await w.office.post('/api/devices', {
        unitId: w.tree.windowA1.id,
        kind: 'staff',
        name: '窗口 1 工作电脑',
      });
      expect(device.statusCode, device.body).toBe(201);
      const staffToken = device.json<{ token: string }>().token;
      expectError(await rate(token, {}, { 'x-device-token': staffToken }), 403, 'staff_cannot_rate');
      expectError(await rate(token, {}, { 'x-device-token': 'mpd_unknown' }), 401, 'bad_device_token');
      expect(await count(deps, 'ratings')).toBe(n);
      // Each staff attempt is in the audit log under who made it (never as the public rater).
      const route = 'POST /api/public/rate/:token';
      expect((await audited()).slice(auditedBefore)).toEqual([
        `office ${route}`,
        `unitstaff ${route}`,
        `token ${route}`,
        `system ${route}`,
      ]);
    });

    it('opens a case for a counted bad review, inside the same transaction', async () => {
      const { deps } = t();
      const token = await newTransaction();
      const cases = await count(deps, 'cases');
      const res = await rate(token, { level: 1, tags: ['推诿扯皮（推）'], comment: '让我跑了三次' });
      expect(res.statusCode, res.body).toBe(201);
      const opened = await deps.database.db
        .selectFrom('cases')
        .select(['ratingId', 'named', 'state'])
        .where('ratingId', '=', res.json<{ id: string }>().id)
        .executeTakeFirst();
      expect(opened).toMatchObject({ named: 1 });
      expect(await count(deps, 'cases')).toBe(cases + 1);
    });
  });

  describe('devices, posters and web ratings', () => {
    it('registers devices (office only), lists and revokes them; a rating device records its channel', async () => {
      const { deps } = t();
      const n = await count(deps, 'devices');
      expectError(
        await w.staffIn.post('/api/devices', {
          unitId: w.tree.windowA1.id,
          kind: 'rating_device',
          name: 'x',
        }),
        403,
        'forbidden',
      );
      expectError(
        await w.office.post('/api/devices', { unitId: w.tree.windowA1.id, kind: 'printer', name: 'x' }),
        400,
        'invalid_input',
        { field: 'kind' },
      );
      expect(await count(deps, 'devices')).toBe(n);
      const res = await w.office.post('/api/devices', {
        unitId: w.tree.windowA1.id,
        kind: 'rating_device',
        name: '救助窗口评价器',
      });
      expect(res.statusCode, res.body).toBe(201);
      const { device, token: deviceToken } = res.json<{ device: { id: string }; token: string }>();
      expect(deviceToken).toMatch(/^mpd_/);
      const list = await w.office.get(`/api/devices?unitId=${w.tree.sectionA1.id}`);
      expect(list.json<{ id: string }[]>().map((d) => d.id)).toContain(device.id);

      const token = await newTransaction();
      const rated = await rate(token, { level: 5, channel: 'sms_link' }, { 'x-device-token': deviceToken });
      expect(rated.statusCode, rated.body).toBe(201);
      expect(rated.json()).toMatchObject({ channel: 'window_device' });
      const row = await deps.database.db
        .selectFrom('ratings')
        .select(['deviceId', 'channel'])
        .where('id', '=', rated.json<{ id: string }>().id)
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ deviceId: device.id, channel: 'window_device' });

      // A window device rates its own window without a transaction too, beyond the daily limit.
      const code = (
        await deps.database.db
          .selectFrom('units')
          .select('code')
          .where('id', '=', w.tree.windowA1.id)
          .executeTakeFirstOrThrow()
      ).code;
      for (let i = 0; i < 4; i++) {
        const r = await t().app.inject({
          method: 'POST',
          url: `/api/public/units/${code}/ratings`,
          payload: { level: 4, channel: 'qr_code', idempotencyKey: newKey() },
          headers: { 'x-device-token': deviceToken },
        });
        expect(r.statusCode, r.body).toBe(201);
      }
      const revoked = await w.office.post(`/api/devices/${device.id}/revoke`);
      expect(revoked.json()).toMatchObject({ id: device.id });
      expect(revoked.json<{ revokedAt: string | null }>().revokedAt).not.toBeNull();
      expectError(await w.office.post(`/api/devices/${device.id}/revoke`), 409, 'already_revoked');
      expectError(
        await rate(await newTransaction(), {}, { 'x-device-token': deviceToken }),
        401,
        'bad_device_token',
      );
      const audit = await deps.database.db
        .selectFrom('auditLog')
        .select('action')
        .where('entityId', '=', device.id)
        .orderBy('seq')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['device.registered', 'device.revoked']);
    });

    it('serves the rate form and limits poster ratings per unit, device and day', async () => {
      const { app, deps } = t();
      const code = (
        await deps.database.db
          .selectFrom('units')
          .select('code')
          .where('id', '=', w.tree.sectionB1.id)
          .executeTakeFirstOrThrow()
      ).code;
      const form = await app.inject({ method: 'GET', url: `/api/public/units/${code}/rate-form` });
      expect(form.statusCode, form.body).toBe(200);
      expect(form.json()).toMatchObject({ unit: { code, name: '就业服务科' }, dailyLimit: 3 });
      expectError(
        await app.inject({ method: 'GET', url: '/api/public/units/NOPE/rate-form' }),
        404,
        'not_found',
      );
      const post = (cookie: string | null, body: Record<string, unknown> = {}) =>
        app.inject({
          method: 'POST',
          url: `/api/public/units/${code}/ratings`,
          payload: { level: 5, channel: 'qr_code', idempotencyKey: newKey(), ...body },
          headers: cookie ? { cookie: `minping_device=${cookie}` } : {},
          remoteAddress: freshAddress(),
        });
      const first = await post(null);
      expect(first.statusCode, first.body).toBe(201);
      const setCookie = String(first.headers['set-cookie']);
      expect(setCookie).toMatch(/minping_device=[A-Za-z0-9_-]+;/);
      expect(setCookie).toContain('HttpOnly');
      expect(setCookie).toContain('SameSite=Lax');
      const device = /minping_device=([A-Za-z0-9_-]+)/.exec(setCookie)?.[1] ?? '';
      expect((await post(device)).statusCode).toBe(201);
      expect((await post(device)).statusCode).toBe(201);
      const n = await count(deps, 'ratings');
      expectError(await post(device), 429, 'daily_limit', { limit: 3 });
      expect(await count(deps, 'ratings')).toBe(n);
      expect((await post('another-device-0123456789abc')).statusCode).toBe(201);
      expectError(await post(device, { channel: 'sms_link' }), 400, 'channel_not_allowed', {
        field: 'channel',
      });
      expectError(await post(device, { mode: 'by_post' }), 400, 'invalid_input', { field: 'mode' });
      // The next day the device may rate again.
      t().clock.set('2026-03-17T02:00:00.000Z');
      expect((await post(device)).statusCode).toBe(201);
      t().clock.set('2026-03-16T02:00:00.000Z');
    });

    it('does not count ratings given through transaction links towards the daily limit', async () => {
      const { app, deps } = t();
      // A unit of its own: the device rates three of its transactions through their links first.
      const tree = await makeTree(deps);
      const device = 'link-rater-device-0123456789abc';
      for (let i = 0; i < 3; i++) {
        const token = await newTransaction({ unitId: tree.sectionB1.id, serviceItemId: null, staffId: null });
        const res = await app.inject({
          method: 'POST',
          url: `/api/public/rate/${token}`,
          payload: { level: 5, channel: 'sms_link', idempotencyKey: newKey() },
          headers: { cookie: `minping_device=${device}` },
          remoteAddress: freshAddress(),
        });
        expect(res.statusCode, res.body).toBe(201);
      }
      const code = (
        await deps.database.db
          .selectFrom('units')
          .select('code')
          .where('id', '=', tree.sectionB1.id)
          .executeTakeFirstOrThrow()
      ).code;
      const poster = () =>
        app.inject({
          method: 'POST',
          url: `/api/public/units/${code}/ratings`,
          payload: { level: 5, channel: 'qr_code', idempotencyKey: newKey() },
          headers: { cookie: `minping_device=${device}` },
          remoteAddress: freshAddress(),
        });
      // Poster and web ratings alone count: three more are accepted, the fourth is refused.
      for (let i = 0; i < 3; i++) {
        const res = await poster();
        expect(res.statusCode, res.body).toBe(201);
      }
      expectError(await poster(), 429, 'daily_limit', { limit: 3 });
    });

    it('prints a poster as PNG for callers who may read the unit', async () => {
      const res = await w.staffIn.get(`/api/units/${w.tree.windowA1.id}/poster.png`);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('image/png');
      expect(res.rawPayload.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
      expectError(await w.staffOut.get(`/api/units/${w.tree.windowA1.id}/poster.png`), 403, 'outside_scope');
      expectError(await w.office.get('/api/units/nope/poster.png'), 404, 'not_found');
    });
  });

  describe('fraud checks and the review queue', () => {
    it('holds a burst from one device out of the statistics until the office counts it', async () => {
      const { app, deps } = t();
      // A unit of its own, so that earlier tests' ratings do not count towards the burst.
      const tree = await makeTree(deps);
      const cookie = 'burst-device-0123456789abcdef';
      const statuses: string[] = [];
      const ids: string[] = [];
      for (let i = 0; i < 7; i++) {
        const token = await newTransaction({ unitId: tree.sectionB1.id, serviceItemId: null, staffId: null });
        const res = await app.inject({
          method: 'POST',
          url: `/api/public/rate/${token}`,
          payload: { level: i === 6 ? 2 : 5, channel: 'mobile_h5', idempotencyKey: newKey() },
          headers: { cookie: `minping_device=${cookie}` },
          remoteAddress: freshAddress(),
        });
        expect(res.statusCode, res.body).toBe(201);
        ids.push(res.json<{ id: string }>().id);
      }
      for (const id of ids) {
        statuses.push(
          (
            await deps.database.db
              .selectFrom('ratings')
              .select('status')
              .where('id', '=', id)
              .executeTakeFirstOrThrow()
          ).status,
        );
      }
      // Five earlier ratings within 10 minutes make the sixth a burst.
      expect(statuses).toEqual(['counted', 'counted', 'counted', 'counted', 'counted', 'held', 'held']);
      expect(await rollup(deps, tree.sectionB1.id, 'day', '2026-03-16')).toEqual(['mobile_h5:5=5']);
      const cases = await count(deps, 'cases');

      const held = await w.office.get(`/api/ratings/held?unitId=${tree.city.id}`);
      expect(held.statusCode, held.body).toBe(200);
      const list = held.json<{ id: string; flags: string[]; level: number }[]>();
      expect(list.map((h) => h.id)).toEqual([ids[6], ids[5]]);
      expect(list[0]?.flags).toEqual(['burst_device']);
      // The device shows as a short opaque label, the same for both, never the cookie (a credential).
      expect(held.body).not.toContain(cookie);
      expect(held.body).not.toContain(cookie.slice(0, 12));
      const labels = held.json<{ device: string }[]>().map((h) => h.device);
      expect(labels[0]).toMatch(/^[0-9a-f]{10}$/);
      expect(labels[1]).toBe(labels[0]);
      expectError(await w.staffIn.get('/api/ratings/held'), 403, 'forbidden');

      const counted = await w.office.post(`/api/ratings/${ids[6]}/review`, {
        decision: 'count',
        note: '核实为真实评价',
      });
      expect(counted.statusCode, counted.body).toBe(200);
      expect(counted.json()).toMatchObject({ status: 'counted' });
      // Counted now: in the rollups, and as a bad review it opens its case.
      expect(await rollup(deps, tree.sectionB1.id, 'day', '2026-03-16')).toEqual([
        'mobile_h5:2=1',
        'mobile_h5:5=5',
      ]);
      expect(await count(deps, 'cases')).toBe(cases + 1);
      const excluded = await w.office.post(`/api/ratings/${ids[5]}/review`, {
        decision: 'exclude',
        note: '刷评',
      });
      expect(excluded.json()).toMatchObject({ status: 'excluded' });
      expect(await rollup(deps, tree.sectionB1.id, 'day', '2026-03-16')).toEqual([
        'mobile_h5:2=1',
        'mobile_h5:5=5',
      ]);
      expectError(
        await w.office.post(`/api/ratings/${ids[5]}/review`, { decision: 'count', note: '' }),
        409,
        'not_held',
      );
      expectError(
        await w.office.post(`/api/ratings/${ids[4]}/review`, { decision: 'maybe', note: '' }),
        400,
        'invalid_input',
        { field: 'decision' },
      );
      const audit = await deps.database.db
        .selectFrom('auditLog')
        .select(['action', 'entityId'])
        .where('entityType', '=', 'rating')
        .orderBy('seq')
        .execute();
      expect(
        audit.filter((a) => a.entityId === ids[6] || a.entityId === ids[5]).map((a) => a.action),
      ).toEqual(['rating.counted', 'rating.excluded']);
    });

    it('holds the third identical comment of a day, and window ratings outside opening hours', async () => {
      const { app, deps, clock } = t();
      const tree = await makeTree(deps);
      const post = (body: Record<string, unknown>) =>
        app.inject({
          method: 'POST',
          url: `/api/public/rate/${body.token as string}`,
          payload: { level: 5, channel: 'sms_link', idempotencyKey: newKey(), ...body, token: undefined },
          remoteAddress: freshAddress(),
        });
      const status = async (res: LightMyRequestResponse) =>
        (
          await deps.database.db
            .selectFrom('ratings')
            .select(['status', 'flags'])
            .where('id', '=', res.json<{ id: string }>().id)
            .executeTakeFirstOrThrow()
        ).status;
      const unit = { unitId: tree.sectionB1.id, serviceItemId: null, staffId: null };
      const same = '服务很好，非常满意！';
      expect(await status(await post({ token: await newTransaction(unit), comment: same }))).toBe('counted');
      expect(
        await status(await post({ token: await newTransaction(unit), comment: '服务很好 非常满意' })),
      ).toBe('counted');
      expect(await status(await post({ token: await newTransaction(unit), comment: same }))).toBe('held');

      // 22:30 China time on a working day: a QR rating at the window is held, an SMS rating is not.
      clock.set('2026-03-16T14:30:00.000Z');
      expect(await status(await post({ token: await newTransaction(unit), channel: 'qr_code' }))).toBe(
        'held',
      );
      expect(await status(await post({ token: await newTransaction(unit), channel: 'sms_link' }))).toBe(
        'counted',
      );
      // 10:00 on a weekday the office lists as a holiday: closed, so held.
      await deps.database.db
        .insertInto('calendarDays')
        .values({
          date: '2026-03-18',
          kind: 'holiday',
          name: '测试假日',
          createdAt: '2026-03-01T00:00:00.000Z',
        })
        .execute();
      clock.set('2026-03-18T02:00:00.000Z');
      expect(await status(await post({ token: await newTransaction(unit), channel: 'qr_code' }))).toBe(
        'held',
      );
      // 10:00 on a normal working day: counted.
      clock.set('2026-03-16T02:00:00.000Z');
      expect(await status(await post({ token: await newTransaction(unit), channel: 'qr_code' }))).toBe(
        'counted',
      );
    });
  });

  describe('default ratings', () => {
    it('gives unrated transactions the default level once, as 未评, without a case', async () => {
      const { deps, clock } = t();
      const tree = await makeTree(deps);
      clock.set('2026-03-02T02:00:00.000Z');
      const unit = { unitId: tree.sectionB1.id, serviceItemId: null, staffId: null };
      await newTransaction({ ...unit, receivedAt: '2026-03-02T09:00:00+08:00', completedAt: null });
      await newTransaction({ ...unit, receivedAt: '2026-03-02T09:00:00+08:00', completedAt: null });
      const rated = await newTransaction({
        ...unit,
        receivedAt: '2026-03-02T09:00:00+08:00',
        completedAt: null,
      });
      expect((await rate(rated, { level: 2, tags: ['多次跑动'] })).statusCode).toBe(201);
      const cases = await count(deps, 'cases');
      clock.set('2026-03-09T01:59:00.000Z');
      await runSweep(deps, 'ratings.defaults', (trx, d) => applyDefaultRatings(trx, d));
      expect(await rollup(deps, tree.sectionB1.id, 'month', '2026-03')).toEqual(['sms_link:2=1']);
      clock.set('2026-03-09T02:00:00.000Z');
      const first = await runSweep(deps, 'ratings.defaults', (trx, d) => applyDefaultRatings(trx, d));
      expect(first.counts.defaulted).toBeGreaterThanOrEqual(2);
      const again = await runSweep(deps, 'ratings.defaults', (trx, d) => applyDefaultRatings(trx, d));
      expect(again.counts.defaulted).toBe(0);
      expect(await rollup(deps, tree.sectionB1.id, 'month', '2026-03')).toEqual([
        'default:3d=2',
        'sms_link:2=1',
      ]);
      expect(await rollup(deps, tree.sectionB1.id, 'day', '2026-03-09')).toEqual(['default:3d=2']);
      expect(await activity(deps, tree.sectionB1.id, '2026-03-02')).toMatchObject({
        transactions: 3,
        activelyRated: 1,
      });
      expect(await count(deps, 'cases')).toBe(cases);
      const stats = await w.office.get(
        `/api/statistics?scopeType=subtree&scopeId=${tree.sectionB1.id}&from=2026-03-01&to=2026-03-31`,
      );
      expect(stats.json()).toMatchObject({
        sampleSize: 3,
        statistics: { active: 1, defaults: 2, unratedRate: { numerator: 2, denominator: 3 } },
      });
      clock.set('2026-03-16T02:00:00.000Z');
    });
  });

  describe('settings', () => {
    it('reads the defaults, refuses a level without tags by field, saves and audits a change', async () => {
      const { deps } = t();
      const res = await w.office.get('/api/settings/ratings');
      expect(res.statusCode, res.body).toBe(200);
      const config = res.json<Record<string, unknown> & { tags: { online: Record<string, string[]> } }>();
      expect(config).toMatchObject({
        defaultAfterDays: 7,
        defaultLevel: 3,
        goodFrom: 3,
        linkValidDays: 30,
        generalDailyLimit: 3,
      });
      expectError(
        await w.office.request({
          method: 'PUT',
          url: '/api/settings/ratings',
          payload: { ...config, tags: { ...config.tags, online: { ...config.tags.online, 2: [] } } },
        }),
        400,
        'level_without_tags',
        { field: 'tags.online.2' },
      );
      expectError(
        await w.office.request({
          method: 'PUT',
          url: '/api/settings/ratings',
          payload: { ...config, goodFrom: 9 },
        }),
        400,
        'invalid_setting',
        { field: 'goodFrom' },
      );
      // A default due 90 days on, with links valid 30: such a transaction could be neither rated nor defaulted.
      expectError(
        await w.office.request({
          method: 'PUT',
          url: '/api/settings/ratings',
          payload: { ...config, defaultAfterDays: 90, linkValidDays: 30 },
        }),
        400,
        'invalid_setting',
        { field: 'defaultAfterDays' },
      );
      expectError(
        await w.staffIn.request({ method: 'PUT', url: '/api/settings/ratings', payload: config }),
        403,
        'forbidden',
      );
      const saved = await w.office.request({
        method: 'PUT',
        url: '/api/settings/ratings',
        payload: { ...config, linkValidDays: 14 },
      });
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toMatchObject({ linkValidDays: 14 });
      const created = await w.hall.post('/api/transactions?qr=false', transactionBody());
      expect(created.json()).toMatchObject({ expiresAt: '2026-03-30T02:00:00.000Z' });
      const [entry] = await deps.database.db
        .selectFrom('auditLog')
        .select(['action', 'detail'])
        .where('action', '=', 'settings.ratings_changed')
        .execute();
      expect(entry?.detail).toContain('linkValidDays');
      await w.office.request({ method: 'PUT', url: '/api/settings/ratings', payload: config });
    });
  });
});

// --- statistics with hand-computed expectations --------------------------------------------------

describeEachApp('rating statistics', (t) => {
  let tree: SmallTree;
  let office: Client;
  let hall: Client;
  let staffOut: Client;
  let clerk: StaffView;
  let item: ServiceItemView;
  let periodId: string;

  /*
   * The data, all at 救助窗口 (windowA1) with clerk and item unless said otherwise:
   *   2026-01-20  T1 ★5 sms_link, T2 ★4 qr_code, T3 ★1 web (a bad review, opens a case)
   *   2026-02-10  T4 ★3 sms_link, T5 unrated → default ★3 on 2026-02-17
   *   2026-03-05  T6 ★2 mobile_h5 (bad), T7 unrated (not yet due at the end of the period)
   *   2026-03-05  a poster rating ★5 qr_code of 就业服务科 (department B: outside department A)
   * Period 2026-01-15 … 2026-03-10 for department A's subtree:
   *   counted: ★5 1, ★4 1, ★3 2 (1 default), ★2 1, ★1 1 → total 6, active 5, defaults 1
   *   average (5+4+3+3+2+1)/6 = 3; 好评率 4/6; 差评率 2/6; 未评率 (7 − 5)/7 = 2/7;
   *   主动评价好评率 3/5; bad cases 2, replied 0 → 差评回复率 0/2
   */
  beforeAll(async () => {
    const { app, deps, clock } = t();
    tree = await makeTree(deps);
    item = await createServiceItem(deps, SYSTEM, {
      code: uniqueCode('IT'),
      name: '临时救助',
      unitId: tree.windowA1.id,
      mode: 'both',
    });
    clerk = await createStaff(deps, SYSTEM, {
      staffNo: uniqueCode('SF'),
      name: '赵敏',
      unitId: tree.windowA1.id,
    });
    const periods = await import('../src/registry/service.js').then((m) =>
      m.createPeriods(deps, SYSTEM, { kind: 'quarter', year: 2026, seq: 1 }),
    );
    periodId = periods[0]!.id;
    office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    staffOut = await signInFresh(
      app,
      (await makeAccount(deps, 'unit_staff', { unitId: tree.deptB.id })).username,
    );
    const token = await createToken(deps, SYSTEM, {
      name: 'hall',
      scopes: ['transactions:write', 'ratings:read'],
    });
    hall = bearerClient(app, token.token);
    const transaction = async (at: string) => {
      clock.set(at);
      const res = await hall.post('/api/transactions?qr=false', {
        externalNo: uniqueCode('ST'),
        unitId: tree.windowA1.id,
        serviceItemId: item.id,
        staffId: clerk.id,
        mode: 'offline',
        receivedAt: at,
      });
      expect(res.statusCode, res.body).toBe(201);
      return tokenOf(res);
    };
    const rateAt = async (token: string, at: string, level: number, channel: string) => {
      clock.set(at);
      const res = await app.inject({
        method: 'POST',
        url: `/api/public/rate/${token}`,
        payload: { level, channel, idempotencyKey: newKey() },
        remoteAddress: freshAddress(),
      });
      expect(res.statusCode, res.body).toBe(201);
    };
    // Times are 10:00 China time (02:00Z), within opening hours.
    await rateAt(await transaction('2026-01-20T02:00:00.000Z'), '2026-01-20T02:10:00.000Z', 5, 'sms_link');
    await rateAt(await transaction('2026-01-20T02:00:00.000Z'), '2026-01-20T02:20:00.000Z', 4, 'qr_code');
    await rateAt(await transaction('2026-01-20T02:00:00.000Z'), '2026-01-20T02:30:00.000Z', 1, 'web');
    await rateAt(await transaction('2026-02-10T02:00:00.000Z'), '2026-02-10T02:10:00.000Z', 3, 'sms_link');
    await transaction('2026-02-10T02:00:00.000Z');
    clock.set('2026-02-17T03:00:00.000Z');
    await runSweep(deps, 'ratings.defaults', (trx, d) => applyDefaultRatings(trx, d));
    await rateAt(await transaction('2026-03-05T02:00:00.000Z'), '2026-03-05T02:10:00.000Z', 2, 'mobile_h5');
    await transaction('2026-03-05T02:00:00.000Z');
    const codeB = (
      await deps.database.db
        .selectFrom('units')
        .select('code')
        .where('id', '=', tree.sectionB1.id)
        .executeTakeFirstOrThrow()
    ).code;
    clock.set('2026-03-05T02:30:00.000Z');
    const poster = await app.inject({
      method: 'POST',
      url: `/api/public/units/${codeB}/ratings`,
      payload: { level: 5, channel: 'qr_code', idempotencyKey: newKey() },
      remoteAddress: freshAddress(),
    });
    expect(poster.statusCode, poster.body).toBe(201);
    clock.set('2026-03-10T02:00:00.000Z');
  });

  it('computes every rate of a subtree from the rollups, as written in the docs', async () => {
    const res = await office.get(
      `/api/statistics?scopeType=subtree&scopeId=${tree.deptA.id}&from=2026-01-15&to=2026-03-10`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      sampleSize: number;
      counts: Record<string, unknown>;
      statistics: Record<
        string,
        {
          numerator: number;
          denominator: number;
          value: number | null;
          low: number | null;
          high: number | null;
        }
      > & {
        average: number;
        total: number;
        active: number;
        defaults: number;
      };
    }>();
    expect(body.sampleSize).toBe(6);
    expect(body.counts).toMatchObject({
      byLevel: { 5: 1, 4: 1, 3: 2, 2: 1, 1: 1 },
      defaultByLevel: { 5: 0, 4: 0, 3: 1, 2: 0, 1: 0 },
      byChannel: {
        sms_link: { 5: 1, 4: 0, 3: 1, 2: 0, 1: 0 },
        qr_code: { 5: 0, 4: 1, 3: 0, 2: 0, 1: 0 },
        web: { 5: 0, 4: 0, 3: 0, 2: 0, 1: 1 },
        mobile_h5: { 5: 0, 4: 0, 3: 0, 2: 1, 1: 0 },
        default: { 5: 0, 4: 0, 3: 1, 2: 0, 1: 0 },
      },
      transactions: 7,
      activelyRated: 5,
      badCases: 2,
      replied: 0,
    });
    const s = body.statistics;
    const goodRate = s.goodRate!;
    expect(s.total).toBe(6);
    expect(s.active).toBe(5);
    expect(s.defaults).toBe(1);
    expect(s.average).toBe(3);
    expect(s.goodRate).toMatchObject({ numerator: 4, denominator: 6 });
    expect(goodRate.value).toBeCloseTo(4 / 6, 12);
    // Wilson 95% for 4/6: centre (p + z²/2n)/(1 + z²/n), half-width z·√(p(1−p)/n + z²/4n²)/(1 + z²/n).
    expect(goodRate.low).toBeCloseTo(0.3, 3);
    expect(goodRate.high).toBeCloseTo(0.9032, 3);
    expect(s.badRate).toMatchObject({ numerator: 2, denominator: 6 });
    expect(s.unratedRate).toMatchObject({ numerator: 2, denominator: 7 });
    expect(s.activeGoodRate).toMatchObject({ numerator: 3, denominator: 5 });
    expect(s.replyRate).toMatchObject({ numerator: 0, denominator: 2, value: 0 });
    expect(s.rectificationSatisfactionRate).toMatchObject({ numerator: 0, denominator: 0, value: null });
  });

  it('gives the same counts for a staff member and an item, and filters by channel and period', async () => {
    const staff = await office.get(
      `/api/statistics?scopeType=staff&scopeId=${clerk.id}&from=2026-01-15&to=2026-03-10`,
    );
    expect(staff.json()).toMatchObject({ sampleSize: 6, scope: { type: 'staff' } });
    expect(staff.json<{ scope: { name: string } }>().scope.name).toContain('赵敏');
    const byItem = await office.get(`/api/statistics?scopeType=item&scopeId=${item.id}&periodId=${periodId}`);
    // Q1 (01-01 … 03-31) holds the same six.
    expect(byItem.json()).toMatchObject({ sampleSize: 6, period: { from: '2026-01-01', to: '2026-03-31' } });
    const sms = await office.get(
      `/api/statistics?scopeType=subtree&scopeId=${tree.city.id}&from=2026-01-01&to=2026-03-31&channel=sms_link`,
    );
    expect(sms.json()).toMatchObject({ sampleSize: 2, counts: { byLevel: { 5: 1, 3: 1 } } });
    // February alone (whole month at month grain): ★3 active + ★3 default.
    const feb = await office.get(
      `/api/statistics?scopeType=subtree&scopeId=${tree.windowA1.id}&from=2026-02-01&to=2026-02-28`,
    );
    expect(feb.json()).toMatchObject({ sampleSize: 2, counts: { transactions: 2, activelyRated: 1 } });
    // 2026-01-21 … 2026-02-16 (two partial months at day grain): only T4's ★3.
    const gap = await office.get(
      `/api/statistics?scopeType=subtree&scopeId=${tree.windowA1.id}&from=2026-01-21&to=2026-02-16`,
    );
    expect(gap.json()).toMatchObject({ sampleSize: 1, counts: { byLevel: { 3: 1 }, transactions: 2 } });
    // The city includes department B's poster rating.
    const city = await office.get(
      `/api/statistics?scopeType=subtree&scopeId=${tree.city.id}&from=2026-01-01&to=2026-03-31`,
    );
    expect(city.json()).toMatchObject({ sampleSize: 7, counts: { byLevel: { 5: 2 } } });
  });

  it('refuses callers outside the subtree, unknown scopes and bad periods', async () => {
    expectError(
      await staffOut.get(`/api/statistics?scopeType=subtree&scopeId=${tree.deptA.id}`),
      403,
      'outside_scope',
    );
    expectError(
      await staffOut.get(`/api/statistics?scopeType=staff&scopeId=${clerk.id}`),
      403,
      'outside_scope',
    );
    expectError(await office.get('/api/statistics?scopeType=subtree&scopeId=nope'), 404, 'not_found');
    expectError(
      await office.get(`/api/statistics?scopeType=unit&scopeId=${tree.deptA.id}`),
      400,
      'invalid_input',
      {
        field: 'scopeType',
      },
    );
    expectError(
      await office.get(
        `/api/statistics?scopeType=subtree&scopeId=${tree.deptA.id}&from=2026-03-01&to=2026-02-01`,
      ),
      400,
      'invalid_range',
    );
    expectError(
      await office.get(`/api/statistics?scopeType=subtree&scopeId=${tree.deptA.id}&from=2026-03-01`),
      400,
      'invalid_date',
      { field: 'to' },
    );
    expectError(
      await office.get(`/api/statistics?scopeType=subtree&scopeId=${tree.deptA.id}&periodId=nope`),
      400,
      'unknown_period',
    );
    expectError(
      await anonymousClient(t().app).get(`/api/statistics?scopeType=subtree&scopeId=${tree.deptA.id}`),
      401,
      'not_signed_in',
    );
    expect((await hall.get(`/api/statistics?scopeType=subtree&scopeId=${tree.deptA.id}`)).statusCode).toBe(
      200,
    );
  });

  it('breaks a subtree down by month, channel, window and staff', async () => {
    const res = await office.get(
      `/api/statistics/breakdown?scopeType=subtree&scopeId=${tree.city.id}&from=2026-01-15&to=2026-03-10`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      trend: { bucket: string; total: number; average: number }[];
      channels: { channel: string; total: number }[];
      children: { name: string; bad: number; total: number }[];
      windows: { name: string; bad: number; total: number }[];
      staff: { name: string; bad: number; total: number }[];
    }>();
    expect(body.trend.map((p) => `${p.bucket}:${p.total}`)).toEqual(['2026-01:3', '2026-02:2', '2026-03:2']);
    expect(body.channels.map((c) => `${c.channel}:${c.total}`)).toEqual([
      'qr_code:2',
      'web:1',
      'mobile_h5:1',
      'sms_link:2',
      'default:1',
    ]);
    expect(body.children.map((c) => `${c.name}:${c.bad}/${c.total}`)).toEqual([
      '市民政局:2/6',
      '市人社局:0/1',
    ]);
    expect(body.windows.map((c) => `${c.name}:${c.bad}/${c.total}`)).toEqual(['救助窗口:2/6']);
    expect(body.staff.map((c) => `${c.name}:${c.bad}/${c.total}`)).toEqual(['赵敏:2/6']);
    const daily = await office.get(
      `/api/statistics/breakdown?scopeType=subtree&scopeId=${tree.windowA1.id}&from=2026-03-01&to=2026-03-10&grain=day`,
    );
    expect(
      daily.json<{ trend: { bucket: string; total: number }[] }>().trend.map((p) => `${p.bucket}:${p.total}`),
    ).toEqual(['2026-03-05:1']);
  });

  it('exports the statistics as a workbook', async () => {
    const res = await office.get(
      `/api/statistics/export.xlsx?scopeType=subtree&scopeId=${tree.deptA.id}&from=2026-01-15&to=2026-03-10`,
    );
    expect(res.statusCode).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const summary = workbook.getWorksheet('概况');
    const rows = new Map<string, unknown>();
    summary?.eachRow((row) => rows.set(row.getCell(1).text, row.getCell(2).value));
    expect(rows.get('样本量（计入的评价）')).toBe(6);
    expect(rows.get('平均分')).toBe(3);
    expect(rows.get('差评率')).toBeCloseTo(2 / 6, 12);
    expect(workbook.worksheets.map((s) => s.name)).toEqual([
      '概况',
      '趋势',
      '渠道',
      '下级单位',
      '窗口',
      '人员',
    ]);
  });

  it('publishes a unit’s figures without personal data', async () => {
    const { app, deps } = t();
    const code = (
      await deps.database.db
        .selectFrom('units')
        .select('code')
        .where('id', '=', tree.deptA.id)
        .executeTakeFirstOrThrow()
    ).code;
    const res = await app.inject({
      method: 'GET',
      url: `/api/public/units/${code}/statistics?periodId=${periodId}`,
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ unit: { code, name: '市民政局' }, sampleSize: 6 });
    expect(res.body).not.toContain('赵敏');
    expectError(
      await app.inject({ method: 'GET', url: '/api/public/units/NOPE/statistics' }),
      404,
      'not_found',
    );
  });
});

// --- settings per unit (options, opening hours) and the hotline system --------------------------

describeEachApp('rating settings per unit, and the hotline system', (t) => {
  let tree: SmallTree;
  let office: Client;
  let hall: Client;

  const levels = (prefix: string) => ({
    '5': [`${prefix}·好`],
    '4': [`${prefix}·较好`],
    '3': [`${prefix}·一般`],
    '2': [`${prefix}·差`],
    '1': [`${prefix}·很差`],
  });
  /** 08:00–22:00 on every day: the evening hall. */
  const evening = {
    workingDays: [{ from: 8 * 60, to: 22 * 60 }],
    otherDays: [{ from: 8 * 60, to: 22 * 60 }],
  };

  beforeAll(async () => {
    const { app, deps } = t();
    tree = await makeTree(deps);
    office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
    const token = await createToken(deps, SYSTEM, { name: 'hall', scopes: ['transactions:write'] });
    hall = bearerClient(app, token.token);
  });

  const settings = async () => {
    const res = await office.get('/api/settings/ratings');
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Record<string, unknown> & { byUnit: Record<string, unknown>[] }>();
  };
  /** The configuration as sent back: without the overrides' names. */
  const put = async (byUnit: Record<string, unknown>[], patch: Record<string, unknown> = {}) => {
    const { byUnit: _shown, ...config } = await settings();
    return office.request({
      method: 'PUT',
      url: '/api/settings/ratings',
      payload: { ...config, ...patch, byUnit },
    });
  };

  async function newTransaction(unitId: string, mode = 'offline', at = '2026-03-16T09:05:00+08:00') {
    const res = await hall.post('/api/transactions?qr=false', {
      externalNo: uniqueCode('PU'),
      unitId,
      mode,
      receivedAt: at,
    });
    expect(res.statusCode, res.body).toBe(201);
    return tokenOf(res);
  }

  const rate = (token: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
    t().app.inject({
      method: 'POST',
      url: `/api/public/rate/${token}`,
      payload: { level: 5, tags: [], channel: 'sms_link', idempotencyKey: newKey(), ...body },
      headers,
      remoteAddress: freshAddress(),
    });

  const codeOf = async (unitId: string) =>
    (
      await t()
        .deps.database.db.selectFrom('units')
        .select('code')
        .where('id', '=', unitId)
        .executeTakeFirstOrThrow()
    ).code;

  const pageTags = async (token: string) =>
    (await t().app.inject({ method: 'GET', url: `/api/public/rate/${token}` })).json<{
      tags: Record<string, string[]>;
    }>().tags;

  it('refuses bad overrides by field, with a stable code, and changes nothing', async () => {
    const { deps } = t();
    const before = await settings();
    const audits = async () =>
      (
        await deps.database.db
          .selectFrom('auditLog')
          .select('seq')
          .where('action', '=', 'settings.ratings_changed')
          .execute()
      ).length;
    const auditsBefore = await audits();
    const cases: [Record<string, unknown>[], number, string, string][] = [
      [
        [{ unitId: tree.city.id, tags: { offline: { ...levels('市'), '1': [] } } }],
        400,
        'level_without_tags',
        'byUnit.0.tags.offline.1',
      ],
      [
        [{ unitId: tree.city.id, tags: { online: { ...levels('市'), '4': ['快', '快'] } } }],
        400,
        'duplicate_tag',
        'byUnit.0.tags.online.4',
      ],
      [
        [{ unitId: tree.city.id, tags: { offline: { ...levels('市'), '5': [' 带空格 '] } } }],
        400,
        'invalid_setting',
        'byUnit.0.tags.offline.5',
      ],
      [
        [
          { unitId: tree.deptA.id, openingHours: evening },
          {
            unitId: tree.windowA1.id,
            openingHours: {
              workingDays: [
                { from: 600, to: 720 },
                { from: 700, to: 800 },
              ],
              otherDays: [],
            },
          },
        ],
        400,
        'invalid_setting',
        'byUnit.1.openingHours.workingDays.1',
      ],
      [
        [
          {
            unitId: tree.windowA1.id,
            openingHours: { workingDays: [{ from: 900, to: 800 }], otherDays: [] },
          },
        ],
        400,
        'invalid_setting',
        'byUnit.0.openingHours.workingDays.0',
      ],
      [[{ unitId: 'no-such-unit', openingHours: evening }], 400, 'unknown_unit', 'byUnit.0.unitId'],
      [
        [
          { unitId: tree.deptA.id, openingHours: evening },
          { unitId: tree.deptA.id, tags: { offline: levels('甲') } },
        ],
        400,
        'duplicate_unit',
        'byUnit.1.unitId',
      ],
      [[{ unitId: tree.deptA.id }], 400, 'empty_override', 'byUnit.0'],
      [[{ unitId: tree.deptA.id, tags: { offline: { '5': ['好'] } } }], 400, 'invalid_input', ''],
    ];
    for (const [byUnit, status, code, field] of cases) {
      const res = await put(byUnit);
      if (field === '') expectError(res, status, code);
      else expectError(res, status, code, { field });
    }
    expect(await settings()).toEqual(before);
    expect(await audits()).toBe(auditsBefore);
  });

  it('shows and checks the options of the nearest unit that sets them, else the installation’s', async () => {
    const { app, deps } = t();
    const saved = await put([
      { unitId: tree.city.id, tags: { offline: levels('市'), online: levels('网') } },
      { unitId: tree.deptA.id, tags: { offline: levels('民政') } },
    ]);
    expect(saved.statusCode, saved.body).toBe(200);
    const shown = saved.json<{ byUnit: { unitId: string; unitName: string }[] }>().byUnit;
    expect(shown.map((o) => [o.unitId, o.unitName]).sort()).toEqual(
      [
        [tree.city.id, '示范市'],
        [tree.deptA.id, '市民政局'],
      ].sort(),
    );
    const [entry] = await deps.database.db
      .selectFrom('auditLog')
      .select('detail')
      .where('action', '=', 'settings.ratings_changed')
      .orderBy('seq', 'desc')
      .limit(1)
      .execute();
    expect(entry?.detail).toContain('民政·很差');

    // The rating page of a transaction: its unit's nearest override, per mode.
    const atWindow = await newTransaction(tree.windowA1.id);
    expect((await pageTags(atWindow))['1']).toEqual(['民政·很差']);
    const onlineAtWindow = await newTransaction(tree.windowA1.id, 'online');
    expect((await pageTags(onlineAtWindow))['1']).toEqual(['网·很差']);
    const inB = await newTransaction(tree.sectionB1.id);
    expect((await pageTags(inB))['1']).toEqual(['市·很差']);
    // Another jurisdiction without overrides keeps the national defaults.
    const other = await makeTree(deps);
    const elsewhere = await newTransaction(other.sectionB1.id);
    expect((await pageTags(elsewhere))['1']).toContain('多次跑动');

    // The unit form (码上评, web) offers the unit's catalogue.
    const form = await app.inject({
      method: 'GET',
      url: `/api/public/units/${await codeOf(tree.windowA1.id)}/rate-form`,
    });
    expect(form.json()).toMatchObject({
      tags: { offline: { '1': ['民政·很差'] }, online: { '1': ['网·很差'] } },
    });

    // Ingest checks against the rated unit's catalogue: another jurisdiction's option is refused.
    const n = await count(deps, 'ratings');
    expectError(await rate(inB, { level: 1, tags: ['民政·很差'] }), 400, 'tag_not_for_level', {
      field: 'tags',
    });
    expectError(await rate(inB, { level: 1, tags: ['多次跑动'] }), 400, 'tag_not_for_level', {
      field: 'tags',
    });
    expectError(await rate(elsewhere, { level: 1, tags: ['市·很差'] }), 400, 'tag_not_for_level', {
      field: 'tags',
    });
    const poster = await app.inject({
      method: 'POST',
      url: `/api/public/units/${await codeOf(tree.windowA1.id)}/ratings`,
      payload: { level: 2, tags: ['市·差'], channel: 'qr_code', idempotencyKey: newKey() },
      remoteAddress: freshAddress(),
    });
    expectError(poster, 400, 'tag_not_for_level', { field: 'tags' });
    expect(await count(deps, 'ratings')).toBe(n);
    expect((await rate(inB, { level: 1, tags: ['市·很差'] })).statusCode).toBe(201);
    expect((await rate(atWindow, { level: 1, tags: ['民政·很差'] })).statusCode).toBe(201);
    expect((await rate(elsewhere, { level: 1, tags: ['多次跑动'] })).statusCode).toBe(201);
    expect(await count(deps, 'ratings')).toBe(n + 3);

    // A window's pad offers its unit's options too.
    const device = await office.post('/api/devices', {
      unitId: tree.windowA1.id,
      kind: 'rating_device',
      name: '救助窗口评价器',
    });
    const padToken = device.json<{ token: string }>().token;
    await newTransaction(tree.windowA1.id, 'offline', '2026-03-16T09:55:00+08:00');
    const waiting = await app.inject({
      method: 'GET',
      url: '/api/public/kiosk/waiting',
      headers: { 'x-device-token': padToken },
    });
    expect(waiting.json()).toMatchObject({ waiting: { tags: { '1': ['民政·很差'] } } });

    // Leaving byUnit out keeps the overrides (an older client); sending [] removes them.
    const { byUnit: _kept, ...config } = await settings();
    const kept = await office.request({ method: 'PUT', url: '/api/settings/ratings', payload: config });
    expect(kept.json<{ byUnit: unknown[] }>().byUnit).toHaveLength(2);
    expect((await put([])).json<{ byUnit: unknown[] }>().byUnit).toEqual([]);
    expect((await pageTags(atWindow))['1']).toContain('多次跑动');
  });

  it('resolves along the tree as it stood on the day: a unit moved to another department', async () => {
    const { app, deps, clock } = t();
    const moved = await createUnit(deps, SYSTEM, {
      code: uniqueCode('WM'),
      name: '流动窗口',
      kind: 'window',
      parentId: tree.sectionA1.id,
      validFrom: '2020-01-01',
    });
    await updateUnit(deps, SYSTEM, moved.id, { parentId: tree.sectionB1.id, effectiveFrom: '2026-03-20' });
    expect(
      (
        await put([
          { unitId: tree.deptA.id, tags: { offline: levels('民政') } },
          { unitId: tree.deptB.id, tags: { offline: levels('人社') } },
        ])
      ).statusCode,
    ).toBe(200);
    const code = await codeOf(moved.id);
    const formTags = async () =>
      (await app.inject({ method: 'GET', url: `/api/public/units/${code}/rate-form` })).json<{
        tags: { offline: Record<string, string[]> };
      }>().tags.offline['1'];
    clock.set('2026-03-16T02:00:00.000Z');
    const before = await newTransaction(moved.id);
    expect(await formTags()).toEqual(['民政·很差']);
    clock.set('2026-03-23T02:00:00.000Z');
    expect(await formTags()).toEqual(['人社·很差']);
    // A unit rating today follows today's tree …
    const unitRating = (tags: string[]) =>
      app.inject({
        method: 'POST',
        url: `/api/public/units/${code}/ratings`,
        payload: { level: 1, tags, channel: 'web', idempotencyKey: newKey() },
        remoteAddress: freshAddress(),
      });
    expectError(await unitRating(['民政·很差']), 400, 'tag_not_for_level');
    expect((await unitRating(['人社·很差'])).statusCode).toBe(201);
    // … a transaction of the 16th keeps the tree of its day, as its rating is counted under it.
    expect((await pageTags(before))['1']).toEqual(['民政·很差']);
    expectError(await rate(before, { level: 1, tags: ['人社·很差'] }), 400, 'tag_not_for_level');
    expect((await rate(before, { level: 1, tags: ['民政·很差'] })).statusCode).toBe(201);
    const after = await newTransaction(moved.id, 'offline', '2026-03-23T09:00:00+08:00');
    expect((await pageTags(after))['1']).toEqual(['人社·很差']);
    clock.set('2026-03-16T02:00:00.000Z');
    await put([]);
  });

  it('holds ratings outside the opening hours of the window rated, as set for it or above it', async () => {
    const { deps, clock } = t();
    const hallUnit = await createUnit(deps, SYSTEM, {
      code: uniqueCode('HALL'),
      name: '夜间服务大厅',
      kind: 'section',
      parentId: tree.deptB.id,
      validFrom: '2020-01-01',
    });
    const nightWindow = await createUnit(deps, SYSTEM, {
      code: uniqueCode('WN'),
      name: '夜间窗口',
      kind: 'window',
      parentId: hallUnit.id,
      validFrom: '2020-01-01',
    });
    const early = await createUnit(deps, SYSTEM, {
      code: uniqueCode('WE'),
      name: '早班窗口',
      kind: 'window',
      parentId: hallUnit.id,
      validFrom: '2020-01-01',
    });
    expect(
      (
        await put([
          { unitId: hallUnit.id, openingHours: evening },
          {
            unitId: early.id,
            openingHours: { workingDays: [{ from: 7 * 60, to: 12 * 60 }], otherDays: [] },
          },
        ])
      ).statusCode,
    ).toBe(200);
    const status = async (res: LightMyRequestResponse) => {
      expect(res.statusCode, res.body).toBe(201);
      const row = await deps.database.db
        .selectFrom('ratings')
        .select(['status', 'flags'])
        .where('id', '=', res.json<{ id: string }>().id)
        .executeTakeFirstOrThrow();
      return `${row.status} ${row.flags}`;
    };
    // 20:00 China time on a working day (Monday 16 March): the hall's windows are open, the others not.
    clock.set('2026-03-16T12:00:00.000Z');
    const qr = { level: 5, channel: 'qr_code' };
    expect(await status(await rate(await newTransaction(nightWindow.id), qr))).toBe('counted []');
    expect(await status(await rate(await newTransaction(tree.sectionB1.id), qr))).toBe(
      'held ["outside_hours"]',
    );
    // The early window's own hours win over the hall's.
    expect(await status(await rate(await newTransaction(early.id), qr))).toBe('held ["outside_hours"]');
    // Saturday 10:00: the hall is open every day, the early window only on working days.
    clock.set('2026-03-21T02:00:00.000Z');
    expect(await status(await rate(await newTransaction(nightWindow.id), qr))).toBe('counted []');
    expect(await status(await rate(await newTransaction(early.id), qr))).toBe('held ["outside_hours"]');
    clock.set('2026-03-16T02:00:00.000Z');
    await put([]);
  });

  it('takes ratings from a registered hotline system with channel hotline, without the address check', async () => {
    const { app, deps } = t();
    const register = async (name: string) => {
      const res = await office.post('/api/devices', { unitId: tree.city.id, kind: 'hotline', name });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({ device: { kind: 'hotline' } });
      return res.json<{ device: { id: string }; token: string }>();
    };
    const seatA = await register('12345 回访热线 A 席');
    const seatB = await register('12345 回访热线 B 席');
    const address = freshAddress();
    const viaHotline = async (device: { token: string }) => {
      const res = await app.inject({
        method: 'POST',
        url: `/api/public/rate/${await newTransaction(tree.sectionA1.id)}`,
        payload: { level: 4, channel: 'sms_link', idempotencyKey: newKey() },
        headers: { 'x-device-token': device.token },
        remoteAddress: address,
      });
      expect(res.statusCode, res.body).toBe(201);
      return deps.database.db
        .selectFrom('ratings')
        .select(['channel', 'deviceId', 'status', 'flags'])
        .where('id', '=', res.json<{ id: string }>().id)
        .executeTakeFirstOrThrow();
    };
    // Six ratings of one unit from one address (two seats, three each): no address burst for a hotline.
    const rows = [];
    for (let i = 0; i < 6; i++) rows.push(await viaHotline(i % 2 === 0 ? seatA : seatB));
    expect(rows.map((r) => `${r.channel} ${r.status} ${r.flags}`)).toEqual(
      Array(6).fill('hotline counted []'),
    );
    expect(rows[0]?.deviceId).toBe(seatA.device.id);
    // The same from browsers (a new device cookie each time) is an address burst.
    const browserAddress = freshAddress();
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 6; i++) {
      last = await app.inject({
        method: 'POST',
        url: `/api/public/rate/${await newTransaction(tree.sectionA1.id)}`,
        payload: { level: 4, channel: 'sms_link', idempotencyKey: newKey() },
        remoteAddress: browserAddress,
      });
    }
    const flagged = await deps.database.db
      .selectFrom('ratings')
      .select(['status', 'flags'])
      .where('id', '=', last?.json<{ id: string }>().id ?? '')
      .executeTakeFirstOrThrow();
    expect(flagged).toEqual({ status: 'held', flags: '["burst_address"]' });

    // The channel is the hotline system's only: a browser cannot claim it, and the system rates only links.
    const n = await count(deps, 'ratings');
    expectError(
      await rate(await newTransaction(tree.sectionA1.id), { channel: 'hotline' }),
      400,
      'device_required',
      { field: 'channel' },
    );
    const code = await codeOf(tree.sectionA1.id);
    expectError(
      await app.inject({
        method: 'POST',
        url: `/api/public/units/${code}/ratings`,
        payload: { level: 4, channel: 'web', idempotencyKey: newKey() },
        headers: { 'x-device-token': seatA.token },
      }),
      403,
      'wrong_device_kind',
    );
    expectError(
      await app.inject({
        method: 'GET',
        url: '/api/public/kiosk/waiting',
        headers: { 'x-device-token': seatA.token },
      }),
      403,
      'wrong_device_kind',
    );
    expect(await count(deps, 'ratings')).toBe(n);
  });
});
