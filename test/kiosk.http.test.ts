import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { createToken } from '../src/core/auth/service.js';
import { runSweep } from '../src/core/sweeps.js';
import type { Deps } from '../src/core/context.js';
import { alreadyRated } from '../src/ratings/ingest.js';
import { DEFAULT_TAGS, KIOSK_LOOKUP_LIMIT } from '../src/ratings/model.js';
import { applyDefaultRatings } from '../src/ratings/sweeps.js';
import {
  createServiceItem,
  createStaff,
  createUnit,
  type ServiceItemView,
  type StaffView,
  type UnitView,
} from '../src/registry/service.js';
import { bearerClient, describeEachApp, expectError, freshAddress, signInFresh } from './support/checks.js';
import { makeAccount, makeTree, SYSTEM, uniqueCode, type SmallTree } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * 一次一评 at the counter: a window's rating pad (a registered device) asks the person at the window to
 * rate the transaction just recorded there, and rates it through the same ingest as the rating link.
 * Each test sets its own day, so the transactions of one test are long past the waiting period of the
 * next. Every refusal is checked to store nothing.
 */

interface World {
  deps: Deps;
  tree: SmallTree;
  windowA2: UnitView;
  item: ServiceItemView;
  clerk: StaffView;
  /** The office's account; sign in again after moving the clock (sessions last 8 hours). */
  officeUser: string;
  hall: Client;
  /** Tokens of the devices: the pad at window A1, a terminal at window A2, a staff device at A1, a revoked pad. */
  pad: { id: string; token: string };
  terminal: { id: string; token: string };
  staffDevice: string;
  revoked: string;
}

interface Waiting {
  waiting: {
    id: string;
    unitName: string;
    windowName: string | null;
    serviceItemName: string | null;
    staff: string | null;
    mode: string;
    receivedAt: string;
    completedAt: string | null;
    recordedAt: string;
    tags: Record<string, string[]>;
    levels: { level: number; name: string }[];
    dimensions: { key: string }[];
    commentMax: number;
  } | null;
  windowMinutes: number;
  byNumber: boolean;
}

let keyCounter = 0;
const newKey = () => `kiosk-${Date.now().toString(36)}-${(keyCounter += 1)}`;

async function count(deps: Deps, table: 'ratings' | 'cases'): Promise<number> {
  const row = await deps.database.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachApp('the window pad rates the transaction just handled', (t) => {
  let w: World;

  beforeAll(async () => {
    const { app, deps } = t();
    const tree = await makeTree(deps);
    const windowA2 = await createUnit(deps, SYSTEM, {
      code: uniqueCode('WIN'),
      name: '低保受理二号窗口',
      kind: 'window',
      parentId: tree.sectionA1.id,
      validFrom: '2020-01-01',
    });
    const item = await createServiceItem(deps, SYSTEM, {
      code: uniqueCode('ITEM'),
      name: '最低生活保障申请',
      unitId: tree.sectionA1.id,
      mode: 'both',
    });
    const clerk = await createStaff(deps, SYSTEM, {
      staffNo: 'SF00012',
      name: '欧阳明',
      unitId: tree.windowA1.id,
    });
    const officeUser = (await makeAccount(deps, 'office')).username;
    const office = await signInFresh(app, officeUser);
    const hallToken = await createToken(deps, SYSTEM, { name: '大厅系统', scopes: ['transactions:write'] });
    const device = async (unitId: string, kind: string) => {
      const res = await office.post('/api/devices', { unitId, kind, name: `${kind} ${unitId}` });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ device: { id: string }; token: string }>();
      return { id: body.device.id, token: body.token };
    };
    const pad = await device(tree.windowA1.id, 'rating_device');
    const terminal = await device(windowA2.id, 'self_service');
    const staffDevice = (await device(tree.windowA1.id, 'staff')).token;
    const revokedPad = await device(tree.windowA1.id, 'rating_device');
    expect((await office.post(`/api/devices/${revokedPad.id}/revoke`)).statusCode).toBe(200);
    w = {
      deps,
      tree,
      windowA2,
      item,
      clerk,
      officeUser,
      hall: bearerClient(app, hallToken.token),
      pad,
      terminal,
      staffDevice,
      revoked: revokedPad.token,
    };
  });

  /** Records a transaction at the clock's current time (received and completed now unless told). */
  async function record(overrides: Record<string, unknown> = {}): Promise<{ id: string; token: string }> {
    const now = t().clock.now().toISOString();
    const res = await w.hall.post('/api/transactions?qr=false', {
      externalNo: uniqueCode('BJ'),
      unitId: w.tree.windowA1.id,
      serviceItemId: w.item.id,
      staffId: w.clerk.id,
      mode: 'offline',
      receivedAt: now,
      completedAt: now,
      contactName: '李先生',
      contactPhone: '13800000000',
      ...overrides,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ id: string; ratingUrl: string }>();
    return { id: body.id, token: body.ratingUrl.replace('/r/', '') };
  }

  const waiting = (deviceToken: string | null, client?: Client): Promise<LightMyRequestResponse> => {
    const options = {
      method: 'GET' as const,
      url: '/api/public/kiosk/waiting',
      headers: deviceToken ? { 'x-device-token': deviceToken } : {},
    };
    return client ? client.request(options) : t().app.inject({ ...options, remoteAddress: freshAddress() });
  };

  const waitingId = async (deviceToken: string): Promise<string | null> => {
    const res = await waiting(deviceToken);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<Waiting>().waiting?.id ?? null;
  };

  const rateAt = (
    deviceToken: string | null,
    transactionId: string,
    body: Record<string, unknown> = {},
    client?: Client,
  ): Promise<LightMyRequestResponse> => {
    const options = {
      method: 'POST' as const,
      url: `/api/public/kiosk/transactions/${transactionId}/rating`,
      payload: { level: 5, tags: [], channel: 'window_device', idempotencyKey: newKey(), ...body },
      headers: deviceToken ? { 'x-device-token': deviceToken } : {},
    };
    return client ? client.request(options) : t().app.inject({ ...options, remoteAddress: freshAddress() });
  };

  const setClock = (iso: string) => t().clock.set(iso);
  const office = () => signInFresh(t().app, w.officeUser);

  describe('which transaction the pad offers', () => {
    it('offers the window’s latest offline transaction recorded within the waiting period and not yet rated', async () => {
      // Monday 2026-03-16, 10:00 China time (02:00Z).
      setClock('2026-03-16T02:00:00.000Z');
      expect(await waiting(w.pad.token).then((r) => r.json<Waiting>())).toEqual({
        waiting: null,
        windowMinutes: 15,
        byNumber: false,
      });

      setClock('2026-03-16T01:40:00.000Z');
      const tooOld = await record(); // 20 minutes before 02:00
      setClock('2026-03-16T01:50:00.000Z');
      const offered = await record({ receivedAt: '2026-03-16T01:20:00.000Z' });
      setClock('2026-03-16T01:52:00.000Z');
      const online = await record({ mode: 'online' });
      setClock('2026-03-16T01:54:00.000Z');
      const otherWindow = await record({ unitId: w.windowA2.id, staffId: null });
      setClock('2026-03-16T01:55:00.000Z');
      // Recorded now, but served yesterday: the person at the window now is someone else.
      const lateRecorded = await record({
        receivedAt: '2026-03-15T07:00:00.000Z',
        completedAt: '2026-03-15T07:30:00.000Z',
      });
      setClock('2026-03-16T01:56:00.000Z');
      const rated = await record();
      const byLink = await t().app.inject({
        method: 'POST',
        url: `/api/public/rate/${rated.token}`,
        payload: { level: 5, channel: 'sms_link', idempotencyKey: newKey() },
        remoteAddress: freshAddress(),
      });
      expect(byLink.statusCode, byLink.body).toBe(201);

      setClock('2026-03-16T02:00:00.000Z');
      const res = await waiting(w.pad.token);
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json<Waiting>();
      expect(body.windowMinutes).toBe(15);
      expect(body.waiting).toMatchObject({
        id: offered.id,
        unitName: w.tree.sectionA1.name,
        windowName: w.tree.windowA1.name,
        serviceItemName: '最低生活保障申请',
        staff: '欧阳（工号 SF00012）',
        mode: 'offline',
        receivedAt: '2026-03-16T01:20:00.000Z',
        completedAt: '2026-03-16T01:50:00.000Z',
        recordedAt: '2026-03-16T01:50:00.000Z',
        commentMax: 500,
      });
      expect(body.waiting?.tags).toEqual({
        '5': DEFAULT_TAGS.offline[5],
        '4': DEFAULT_TAGS.offline[4],
        '3': DEFAULT_TAGS.offline[3],
        '2': DEFAULT_TAGS.offline[2],
        '1': DEFAULT_TAGS.offline[1],
      });
      expect(body.waiting?.levels.map((l) => l.level)).toEqual([5, 4, 3, 2, 1]);
      // Never the person's contact details, nor the staff member's full name.
      expect(res.body).not.toContain('13800000000');
      expect(res.body).not.toContain('李先生');
      expect(res.body).not.toContain('欧阳明');
      expect([tooOld.id, online.id, otherWindow.id, lateRecorded.id, rated.id]).not.toContain(
        body.waiting?.id,
      );

      // The other window's terminal sees only its own window's transaction.
      expect(await waitingId(w.terminal.token)).toBe(otherWindow.id);

      // The period is inclusive: 15 minutes after recording it is still offered, a second later not.
      setClock('2026-03-16T02:05:00.000Z');
      expect(await waitingId(w.pad.token)).toBe(offered.id);
      setClock('2026-03-16T02:05:01.000Z');
      expect(await waitingId(w.pad.token)).toBeNull();
    });

    it('follows the waiting period set by the office (kioskWindowMinutes), validated and kept when left out', async () => {
      setClock('2026-03-17T02:00:00.000Z');
      const first = await record();
      setClock('2026-03-17T02:20:00.000Z');
      expect(await waitingId(w.pad.token)).toBeNull();

      const officeClient = await office();
      const settings = (await officeClient.get('/api/settings/ratings')).json<Record<string, unknown>>();
      expect(settings.kioskWindowMinutes).toBe(15);
      for (const wrong of [0, 241]) {
        expectError(
          await officeClient.request({
            method: 'PUT',
            url: '/api/settings/ratings',
            payload: { ...settings, kioskWindowMinutes: wrong },
          }),
          400,
          'invalid_setting',
          { field: 'kioskWindowMinutes' },
        );
      }
      expect((await officeClient.get('/api/settings/ratings')).json()).toMatchObject({
        kioskWindowMinutes: 15,
      });
      const put = await officeClient.request({
        method: 'PUT',
        url: '/api/settings/ratings',
        payload: { ...settings, kioskWindowMinutes: 30 },
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(await waitingId(w.pad.token)).toBe(first.id);

      // A client that predates the setting sends the configuration without it: the setting stays.
      const { kioskWindowMinutes: _omitted, ...older } = settings;
      const kept = await officeClient.request({
        method: 'PUT',
        url: '/api/settings/ratings',
        payload: older,
      });
      expect(kept.statusCode, kept.body).toBe(200);
      expect(kept.json()).toMatchObject({ kioskWindowMinutes: 30 });

      const back = await officeClient.request({
        method: 'PUT',
        url: '/api/settings/ratings',
        payload: { ...settings, kioskWindowMinutes: 15 },
      });
      expect(back.statusCode, back.body).toBe(200);
      expect(await waitingId(w.pad.token)).toBeNull();
    });
  });

  describe('rating it through the pad', () => {
    it('rates it once under channel window_device with the pad recorded; a retry is answered alike and counted once', async () => {
      const { deps } = t();
      // Wednesday 2026-03-18, 10:00 China time.
      setClock('2026-03-18T01:58:00.000Z');
      const transaction = await record();
      setClock('2026-03-18T02:00:00.000Z');
      expect(await waitingId(w.pad.token)).toBe(transaction.id);

      const ratings = await count(deps, 'ratings');
      // The same content rules as the link: an option of another level is refused, nothing stored.
      expectError(
        await rateAt(w.pad.token, transaction.id, { level: 2, tags: ['服务态度热情'] }),
        400,
        'tag_not_for_level',
        { field: 'tags' },
      );
      expectError(await rateAt(w.pad.token, transaction.id, { level: 6 }), 400, 'invalid_level', {
        field: 'level',
      });
      expect(await count(deps, 'ratings')).toBe(ratings);
      expect(await waitingId(w.pad.token)).toBe(transaction.id);

      const key = newKey();
      const body = { level: 4, tags: ['办事效率高'], comment: '很快', dimensions: { attitude: 5 } };
      const first = await rateAt(w.pad.token, transaction.id, { ...body, idempotencyKey: key });
      expect(first.statusCode, first.body).toBe(201);
      expect(first.json()).toMatchObject({ level: 4, channel: 'window_device' });
      // The answer was lost; the pad sends the same again.
      const retry = await rateAt(w.pad.token, transaction.id, { ...body, idempotencyKey: key });
      expect(retry.statusCode, retry.body).toBe(201);
      expect(retry.json()).toEqual(first.json());
      expect(await count(deps, 'ratings')).toBe(ratings + 1);

      const stored = await deps.database.db
        .selectFrom('ratings')
        .select(['transactionId', 'channel', 'deviceId', 'level', 'status', 'staffId', 'serviceItemId'])
        .where('id', '=', first.json<{ id: string }>().id)
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({
        transactionId: transaction.id,
        channel: 'window_device',
        deviceId: w.pad.id,
        level: 4,
        status: 'counted',
        staffId: w.clerk.id,
        serviceItemId: w.item.id,
      });

      // A second rating, from the pad or through the link, is refused with the link's message.
      const again = expectError(
        await rateAt(w.pad.token, transaction.id, { level: 1, tags: ['多次跑动'] }),
        409,
        'already_rated',
      );
      expect(again.message).toBe(alreadyRated().message);
      expectError(
        await t().app.inject({
          method: 'POST',
          url: `/api/public/rate/${transaction.token}`,
          payload: { level: 1, channel: 'sms_link', idempotencyKey: newKey() },
          remoteAddress: freshAddress(),
        }),
        409,
        'already_rated',
      );
      expect(await count(deps, 'ratings')).toBe(ratings + 1);
      // Rated: the pad goes back to the general rating of its window.
      expect(await waitingId(w.pad.token)).toBeNull();

      // Statistics count it once, under window_device, for the window, its staff member and its item.
      const officeClient = await office();
      const stats = await officeClient.get(
        `/api/statistics?scopeType=subtree&scopeId=${w.tree.windowA1.id}&from=2026-03-18&to=2026-03-18`,
      );
      expect(stats.statusCode, stats.body).toBe(200);
      const s = stats.json<{
        counts: {
          byChannel: Record<string, Record<string, number>>;
          transactions: number;
          activelyRated: number;
        };
        statistics: { total: number };
      }>();
      expect(s.statistics.total).toBe(1);
      expect(s.counts.byChannel).toEqual({ window_device: { '5': 0, '4': 1, '3': 0, '2': 0, '1': 0 } });
      expect(s.counts.transactions).toBe(1);
      expect(s.counts.activelyRated).toBe(1);
      const byStaff = await officeClient.get(
        `/api/statistics?scopeType=staff&scopeId=${w.clerk.id}&from=2026-03-18&to=2026-03-18&channel=window_device`,
      );
      expect(
        byStaff.json<{ statistics: { total: number; byLevel: Record<string, number> } }>().statistics,
      ).toMatchObject({ total: 1, byLevel: { '4': 1 } });
    });

    it('a bad review at the pad opens its case as one through the link does; a terminal rates as self_service', async () => {
      const { deps } = t();
      setClock('2026-03-19T02:00:00.000Z');
      const transaction = await record();
      const cases = await count(deps, 'cases');
      const res = await rateAt(w.pad.token, transaction.id, {
        level: 1,
        tags: ['多次跑动'],
        comment: '材料要求没有一次说清',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(await count(deps, 'cases')).toBe(cases + 1);
      const opened = await deps.database.db
        .selectFrom('cases')
        .select(['ratingId', 'unitId'])
        .where('ratingId', '=', res.json<{ id: string }>().id)
        .executeTakeFirst();
      expect(opened).toEqual({ ratingId: res.json<{ id: string }>().id, unitId: w.tree.windowA1.id });

      const atTerminal = await record({ unitId: w.windowA2.id, staffId: null });
      expect(await waitingId(w.terminal.token)).toBe(atTerminal.id);
      // The channel follows the device's kind, whatever the request says.
      const rated = await rateAt(w.terminal.token, atTerminal.id, { level: 5, channel: 'window_device' });
      expect(rated.statusCode, rated.body).toBe(201);
      expect(rated.json()).toMatchObject({ channel: 'self_service' });
      const device = await deps.database.db
        .selectFrom('ratings')
        .select('deviceId')
        .where('id', '=', rated.json<{ id: string }>().id)
        .executeTakeFirstOrThrow();
      expect(device.deviceId).toBe(w.terminal.id);
    });

    it('a form opened at the end of the period can still be sent within the grace; later the link is the way', async () => {
      setClock('2026-03-20T02:00:00.000Z');
      const late = await record();
      const later = await record();
      // 24 minutes: no longer offered (15), still accepted (15 + 10 minutes to finish the form).
      setClock('2026-03-20T02:24:00.000Z');
      expect(await waitingId(w.pad.token)).toBeNull();
      const inGrace = await rateAt(w.pad.token, late.id);
      expect(inGrace.statusCode, inGrace.body).toBe(201);
      // 25 minutes and a second: refused; the link still works.
      setClock('2026-03-20T02:25:01.000Z');
      const ratings = await count(t().deps, 'ratings');
      expectError(await rateAt(w.pad.token, later.id), 410, 'no_longer_waiting', {
        field: 'id',
        minutes: 25,
      });
      expect(await count(t().deps, 'ratings')).toBe(ratings);
      const byLink = await t().app.inject({
        method: 'POST',
        url: `/api/public/rate/${later.token}`,
        payload: { level: 5, channel: 'sms_link', idempotencyKey: newKey() },
        remoteAddress: freshAddress(),
      });
      expect(byLink.statusCode, byLink.body).toBe(201);
    });
  });

  describe('refusals', () => {
    it('refuses staff devices, revoked tokens, callers without a token and signed-in browsers; nothing stored', async () => {
      const { deps } = t();
      setClock('2026-03-23T02:00:00.000Z');
      const transaction = await record();
      const ratings = await count(deps, 'ratings');

      expectError(await waiting(w.staffDevice), 403, 'staff_cannot_rate');
      expectError(await rateAt(w.staffDevice, transaction.id), 403, 'staff_cannot_rate');
      expectError(await waiting(w.revoked), 401, 'bad_device_token');
      expectError(await rateAt(w.revoked, transaction.id), 401, 'bad_device_token');
      expectError(await waiting('mpd_not-a-registered-device-token'), 401, 'bad_device_token');
      expectError(await waiting(null), 401, 'device_required');
      expectError(await rateAt(null, transaction.id), 401, 'device_required');
      // A browser signed in to the console cannot use the pad's token to rate for the public.
      const officeClient = await office();
      expectError(await waiting(w.pad.token, officeClient), 403, 'staff_cannot_rate');
      expectError(await rateAt(w.pad.token, transaction.id, {}, officeClient), 403, 'staff_cannot_rate');
      expect(await count(deps, 'ratings')).toBe(ratings);
      expect(await waitingId(w.pad.token)).toBe(transaction.id);
    });

    it('never rates a transaction of another window, an online one, or an unknown one; nothing stored', async () => {
      const { deps } = t();
      setClock('2026-03-24T02:00:00.000Z');
      const atA1 = await record();
      const online = await record({ mode: 'online' });
      const ratings = await count(deps, 'ratings');

      // Window A2's terminal cannot rate window A1's transaction, though it is waiting there.
      expectError(await rateAt(w.terminal.token, atA1.id), 403, 'device_other_unit', { field: 'id' });
      expectError(await rateAt(w.pad.token, online.id), 403, 'not_at_window', { field: 'id' });
      expectError(await rateAt(w.pad.token, '01900000-0000-7000-8000-000000000000'), 404, 'not_found');
      expectError(await rateAt(w.pad.token, atA1.id, { level: 5, extra: 1 }), 400, 'invalid_input');
      expect(await count(deps, 'ratings')).toBe(ratings);
      expect(await waitingId(w.pad.token)).toBe(atA1.id);
    });
  });
});

/*
 * A self-service terminal in a hall (a unit with windows under it) serves whoever walks up: the person
 * types the number on their receipt and their phone's last four digits, and rates that transaction
 * through the same ingest. Section A1 is the hall here: windows A1 and A2 lie under it.
 */
describeEachApp('a hall terminal rates the transaction found by its number', (t) => {
  interface Hall {
    tree: SmallTree;
    windowA2: UnitView;
    item: ServiceItemView;
    officeUser: string;
    system: Client;
    terminal: { id: string; token: string };
    /** A second terminal in the same hall, used up by the limit test. */
    guessed: { id: string; token: string };
    pad: { id: string; token: string };
    staffDevice: string;
  }
  let h: Hall;

  beforeAll(async () => {
    const { app, deps } = t();
    const tree = await makeTree(deps);
    const windowA2 = await createUnit(deps, SYSTEM, {
      code: uniqueCode('WIN'),
      name: '综合受理二号窗口',
      kind: 'window',
      parentId: tree.sectionA1.id,
      validFrom: '2020-01-01',
    });
    const item = await createServiceItem(deps, SYSTEM, {
      code: uniqueCode('ITEM'),
      name: '临时救助申请',
      unitId: tree.sectionA1.id,
      mode: 'both',
    });
    const officeUser = (await makeAccount(deps, 'office')).username;
    const office = await signInFresh(app, officeUser);
    const systemToken = await createToken(deps, SYSTEM, { name: '大厅系统', scopes: ['transactions:write'] });
    const device = async (unitId: string, kind: string) => {
      const res = await office.post('/api/devices', { unitId, kind, name: `${kind} ${unitId}` });
      expect(res.statusCode, res.body).toBe(201);
      const body = res.json<{ device: { id: string }; token: string }>();
      return { id: body.device.id, token: body.token };
    };
    h = {
      tree,
      windowA2,
      item,
      officeUser,
      system: bearerClient(app, systemToken.token),
      terminal: await device(tree.sectionA1.id, 'self_service'),
      guessed: await device(tree.sectionA1.id, 'self_service'),
      pad: await device(tree.windowA1.id, 'rating_device'),
      staffDevice: (await device(tree.sectionA1.id, 'staff')).token,
    };
  });

  const setClock = (iso: string) => t().clock.set(iso);

  /** Records a transaction now; its id, number and rating-link token. */
  async function record(
    overrides: Record<string, unknown> = {},
  ): Promise<{ id: string; externalNo: string; token: string }> {
    const now = t().clock.now().toISOString();
    const externalNo = (overrides.externalNo as string | undefined) ?? uniqueCode('HB2026');
    const res = await h.system.post('/api/transactions?qr=false', {
      externalNo,
      unitId: h.tree.windowA1.id,
      serviceItemId: h.item.id,
      mode: 'offline',
      receivedAt: now,
      completedAt: now,
      contactName: '周女士',
      contactPhone: '139-0000-5678',
      ...overrides,
    });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ id: string; ratingUrl: string }>();
    return { id: body.id, externalNo, token: body.ratingUrl.replace('/r/', '') };
  }

  const withDevice = (token: string | null) => (token ? { 'x-device-token': token } : {});

  const lookUp = (
    token: string | null,
    body: Record<string, unknown>,
    client?: Client,
  ): Promise<LightMyRequestResponse> => {
    const options = {
      method: 'POST' as const,
      url: '/api/public/kiosk/by-number',
      payload: body,
      headers: withDevice(token),
    };
    return client ? client.request(options) : t().app.inject({ ...options, remoteAddress: freshAddress() });
  };

  const rateByNumber = (
    token: string | null,
    body: Record<string, unknown>,
    client?: Client,
  ): Promise<LightMyRequestResponse> => {
    const options = {
      method: 'POST' as const,
      url: '/api/public/kiosk/by-number/rating',
      payload: { level: 5, tags: [], channel: 'self_service', idempotencyKey: newKey(), ...body },
      headers: withDevice(token),
    };
    return client ? client.request(options) : t().app.inject({ ...options, remoteAddress: freshAddress() });
  };

  it('offers no waiting transaction at a hall but the number form; a window pad is unchanged', async () => {
    setClock('2026-04-06T02:00:00.000Z');
    const atWindow = await record();
    const hall = await t().app.inject({
      method: 'GET',
      url: '/api/public/kiosk/waiting',
      headers: withDevice(h.terminal.token),
      remoteAddress: freshAddress(),
    });
    expect(hall.statusCode, hall.body).toBe(200);
    expect(hall.json()).toEqual({ waiting: null, windowMinutes: 15, byNumber: true });
    const pad = await t().app.inject({
      method: 'GET',
      url: '/api/public/kiosk/waiting',
      headers: withDevice(h.pad.token),
      remoteAddress: freshAddress(),
    });
    expect(pad.json<Waiting>()).toMatchObject({ waiting: { id: atWindow.id }, byNumber: false });
    // A window's pad does not look up numbers: it rates the transaction waiting at its window.
    const ratings = await count(t().deps, 'ratings');
    expectError(
      await lookUp(h.pad.token, { externalNo: atWindow.externalNo, phoneDigits: '5678' }),
      403,
      'hall_device_only',
    );
    expectError(
      await rateByNumber(h.pad.token, { externalNo: atWindow.externalNo, phoneDigits: '5678' }),
      403,
      'hall_device_only',
    );
    expect(await count(t().deps, 'ratings')).toBe(ratings);
  });

  it('finds a child window’s transaction by number and phone digits and rates it once as self_service', async () => {
    const { deps } = t();
    // Recorded at window A2 on Tuesday; the person comes to the hall's terminal on Thursday at 10:00.
    setClock('2026-04-07T02:00:00.000Z');
    const transaction = await record({ unitId: h.windowA2.id, externalNo: uniqueCode('hb-2026-') });
    setClock('2026-04-09T02:00:00.000Z');

    // Typed in lower case with spaces, as a tablet's keyboard gives it: the same number.
    const typed = ` ${transaction.externalNo.toLowerCase().replace('-', ' - ')} `;
    const found = await lookUp(h.terminal.token, { externalNo: typed, phoneDigits: '5678' });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json()).toMatchObject({
      externalNo: transaction.externalNo,
      transaction: {
        id: transaction.id,
        unitName: h.tree.sectionA1.name,
        windowName: h.windowA2.name,
        serviceItemName: '临时救助申请',
        mode: 'offline',
        completedAt: '2026-04-07T02:00:00.000Z',
        commentMax: 500,
      },
    });
    // Never the person's phone or name.
    expect(found.body).not.toContain('5678');
    expect(found.body).not.toContain('周女士');

    const ratings = await count(deps, 'ratings');
    const key = newKey();
    const body = {
      externalNo: transaction.externalNo,
      phoneDigits: '5678',
      level: 4,
      tags: ['办事效率高'],
      comment: '取号后很快办好',
      idempotencyKey: key,
    };
    const first = await rateByNumber(h.terminal.token, body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ level: 4, channel: 'self_service' });
    // The answer was lost; the terminal sends the same again: the same answer, stored once.
    const retry = await rateByNumber(h.terminal.token, body);
    expect(retry.statusCode, retry.body).toBe(201);
    expect(retry.json()).toEqual(first.json());
    expect(await count(deps, 'ratings')).toBe(ratings + 1);
    const stored = await deps.database.db
      .selectFrom('ratings')
      .select(['transactionId', 'channel', 'deviceId', 'level', 'status', 'named'])
      .where('id', '=', first.json<{ id: string }>().id)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({
      transactionId: transaction.id,
      channel: 'self_service',
      deviceId: h.terminal.id,
      level: 4,
      status: 'counted',
      named: 1,
    });

    // Rated: a second rating, at the terminal or through the link, is refused; so is a new lookup.
    expectError(
      await rateByNumber(h.terminal.token, { ...body, idempotencyKey: newKey(), level: 1 }),
      409,
      'already_rated',
    );
    expectError(
      await lookUp(h.terminal.token, { externalNo: transaction.externalNo, phoneDigits: '5678' }),
      409,
      'already_rated',
    );
    expectError(
      await t().app.inject({
        method: 'POST',
        url: `/api/public/rate/${transaction.token}`,
        payload: { level: 1, channel: 'sms_link', idempotencyKey: newKey() },
        remoteAddress: freshAddress(),
      }),
      409,
      'already_rated',
    );
    // The same key with another rating is a conflict, not a second rating.
    expectError(await rateByNumber(h.terminal.token, { ...body, level: 2 }), 409, 'idempotency_conflict');
    expect(await count(deps, 'ratings')).toBe(ratings + 1);

    // A transaction recorded without a phone is found by its number alone.
    const noPhone = await record({ contactPhone: '', contactName: '' });
    const rated = await rateByNumber(h.terminal.token, { externalNo: noPhone.externalNo });
    expect(rated.statusCode, rated.body).toBe(201);
  });

  it('offers and checks the options of the jurisdiction the transaction belongs to; a hotline system may not use it', async () => {
    const { app, deps } = t();
    setClock('2026-04-09T02:00:00.000Z');
    const office = await signInFresh(app, h.officeUser);
    const own = (level: number) => [`示范市★${level}`];
    const { byUnit: _none, ...config } = (await office.get('/api/settings/ratings')).json<
      Record<string, unknown> & { byUnit: unknown[] }
    >();
    const put = (byUnit: unknown[]) =>
      office.request({ method: 'PUT', url: '/api/settings/ratings', payload: { ...config, byUnit } });
    const saved = await put([
      {
        unitId: h.tree.city.id,
        tags: { offline: { '5': own(5), '4': own(4), '3': own(3), '2': own(2), '1': own(1) } },
      },
    ]);
    expect(saved.statusCode, saved.body).toBe(200);
    try {
      const transaction = await record();
      const lookup = { externalNo: transaction.externalNo, phoneDigits: '5678' };
      const found = await lookUp(h.terminal.token, lookup);
      expect(found.json()).toMatchObject({ transaction: { tags: { '1': ['示范市★1'], '4': ['示范市★4'] } } });
      const ratings = await count(deps, 'ratings');
      expectError(
        await rateByNumber(h.terminal.token, { ...lookup, level: 4, tags: ['办事效率高'] }),
        400,
        'tag_not_for_level',
        { field: 'tags' },
      );
      const hotline = await office.post('/api/devices', {
        unitId: h.tree.sectionA1.id,
        kind: 'hotline',
        name: '回访热线',
      });
      const hotlineToken = hotline.json<{ token: string }>().token;
      expectError(await lookUp(hotlineToken, lookup), 403, 'wrong_device_kind');
      expectError(await rateByNumber(hotlineToken, lookup), 403, 'wrong_device_kind');
      expect(await count(deps, 'ratings')).toBe(ratings);
      const rated = await rateByNumber(h.terminal.token, { ...lookup, level: 4, tags: ['示范市★4'] });
      expect(rated.statusCode, rated.body).toBe(201);
    } finally {
      await put([]);
    }
  });

  it('answers wrong digits, an unknown number and a transaction outside the hall alike; nothing stored', async () => {
    const { deps } = t();
    setClock('2026-04-13T02:00:00.000Z');
    const inHall = await record();
    const otherDepartment = await record({ unitId: h.tree.sectionB1.id, serviceItemId: null });
    const aboveHall = await record({ unitId: h.tree.deptA.id, serviceItemId: null });
    const ratings = await count(deps, 'ratings');
    const misses: Record<string, unknown>[] = [
      { externalNo: inHall.externalNo, phoneDigits: '1234' },
      { externalNo: inHall.externalNo },
      { externalNo: 'HB-NO-SUCH-NUMBER', phoneDigits: '5678' },
      { externalNo: otherDepartment.externalNo, phoneDigits: '5678' },
      { externalNo: aboveHall.externalNo, phoneDigits: '5678' },
    ];
    const bodies = new Set<string>();
    const expectMiss = (res: LightMyRequestResponse) => {
      expectError(res, 404, 'transaction_not_found', { field: 'externalNo' });
      bodies.add(res.body);
    };
    for (const miss of misses) expectMiss(await lookUp(h.terminal.token, miss));
    // Ten minutes later (five misses and five more would reach the limit of ten), through the rating route.
    setClock('2026-04-13T02:10:00.000Z');
    for (const miss of misses) expectMiss(await rateByNumber(h.terminal.token, miss));
    // One answer for every miss: it never tells whether the number exists, elsewhere or here.
    expect([...bodies]).toHaveLength(1);
    expect(await count(deps, 'ratings')).toBe(ratings);
    // The digits are checked for their form first (four of them, or none): not a miss.
    expectError(
      await lookUp(h.terminal.token, { externalNo: inHall.externalNo, phoneDigits: '56' }),
      400,
      'invalid_input',
    );
    setClock('2026-04-13T02:20:00.000Z');
    const found = await lookUp(h.terminal.token, { externalNo: inHall.externalNo, phoneDigits: '5678' });
    expect(found.statusCode, found.body).toBe(200);
  });

  it('refuses an online transaction, an expired one and one rated by default; nothing stored', async () => {
    const { deps } = t();
    setClock('2026-04-14T02:00:00.000Z');
    const online = await record({ mode: 'online' });
    const expiring = await record();
    const defaulted = await record();
    const ratings = await count(deps, 'ratings');
    const digits = { phoneDigits: '5678' };
    expectError(
      await lookUp(h.terminal.token, { externalNo: online.externalNo, ...digits }),
      403,
      'not_at_window',
    );
    expectError(
      await rateByNumber(h.terminal.token, { externalNo: online.externalNo, ...digits }),
      403,
      'not_at_window',
    );
    expect(await count(deps, 'ratings')).toBe(ratings);

    // The default rating falls due after 7 days: the time to rate is over.
    setClock('2026-04-21T02:01:00.000Z');
    await runSweep(deps, 'ratings.defaults', (trx, d) => applyDefaultRatings(trx, d));
    const withDefaults = await count(deps, 'ratings');
    expect(withDefaults).toBeGreaterThan(ratings);
    for (const res of [
      await lookUp(h.terminal.token, { externalNo: defaulted.externalNo, ...digits }),
      await rateByNumber(h.terminal.token, { externalNo: defaulted.externalNo, ...digits }),
    ]) {
      expectError(res, 410, 'transaction_expired', { field: 'externalNo' });
    }

    // The link expires after 30 days (linkValidDays); without a default yet the link decides.
    await deps.database.db
      .updateTable('transactions')
      .set({ tokenExpiresAt: '2026-04-21T02:00:00.000Z', ratingId: null })
      .where('id', '=', expiring.id)
      .execute();
    await deps.database.db.deleteFrom('ratings').where('transactionId', '=', expiring.id).execute();
    const before = await count(deps, 'ratings');
    for (const res of [
      await lookUp(h.terminal.token, { externalNo: expiring.externalNo, ...digits }),
      await rateByNumber(h.terminal.token, { externalNo: expiring.externalNo, ...digits }),
    ]) {
      expectError(res, 410, 'transaction_expired', {
        field: 'externalNo',
        expiresAt: '2026-04-21T02:00:00.000Z',
      });
    }
    expect(await count(deps, 'ratings')).toBe(before);
  });

  it(`limits failed lookups per device to ${KIOSK_LOOKUP_LIMIT} in 10 minutes, counted in the database; then 429 and nothing stored`, async () => {
    const { deps } = t();
    setClock('2026-04-15T02:00:00.000Z');
    const transaction = await record();
    const right = { externalNo: transaction.externalNo, phoneDigits: '5678' };
    const ratings = await count(deps, 'ratings');
    // Successful lookups do not count; misses do, through either route.
    for (let i = 0; i < KIOSK_LOOKUP_LIMIT; i += 1) {
      setClock(`2026-04-15T02:0${Math.floor(i / 2)}:${i % 2 === 0 ? '00' : '30'}.000Z`);
      expect((await lookUp(h.guessed.token, right)).statusCode).toBe(200);
      const guess = { externalNo: `HB-GUESS-${i}`, phoneDigits: '0000' };
      const miss =
        i % 2 === 0 ? await lookUp(h.guessed.token, guess) : await rateByNumber(h.guessed.token, guess);
      expectError(miss, 404, 'transaction_not_found');
    }
    // 02:04:30 now; the first miss was at 02:00:00, so the device may look up again at 02:10:00.
    const limited = expectError(await lookUp(h.guessed.token, right), 429, 'lookup_limit', {
      limit: KIOSK_LOOKUP_LIMIT,
      windowMinutes: 10,
      retryAfterSeconds: 330,
      retryAfterMinutes: 6,
      until: '2026-04-15T02:10:00.000Z',
    });
    expect(limited.message).toContain('QR code');
    expectError(await rateByNumber(h.guessed.token, right), 429, 'lookup_limit');
    expect(await count(deps, 'ratings')).toBe(ratings);
    // The count is the database's, not this process's: the stored failures are what refuse.
    const storedFailures = async () =>
      (
        await deps.database.db
          .selectFrom('kioskLookupFailures')
          .select('at')
          .where('deviceId', '=', h.guessed.id)
          .orderBy('at')
          .execute()
      ).map((r) => r.at);
    expect(await storedFailures()).toHaveLength(KIOSK_LOOKUP_LIMIT);
    // Another terminal of the same hall is not affected.
    expect((await lookUp(h.terminal.token, right)).statusCode).toBe(200);

    setClock('2026-04-15T02:09:59.000Z');
    expectError(await lookUp(h.guessed.token, right), 429, 'lookup_limit', { retryAfterSeconds: 1 });
    setClock('2026-04-15T02:10:00.000Z');
    const rated = await rateByNumber(h.guessed.token, right);
    expect(rated.statusCode, rated.body).toBe(201);
    expect(await count(deps, 'ratings')).toBe(ratings + 1);
    // One more miss brings the device back to the limit: the second miss (02:00:30) is still in the window.
    expectError(await lookUp(h.guessed.token, { externalNo: 'HB-GUESS-X' }), 404, 'transaction_not_found');
    expectError(await lookUp(h.guessed.token, right), 429, 'lookup_limit', {
      until: '2026-04-15T02:10:30.000Z',
    });
    // Misses older than the window are forgotten as new ones are stored.
    const kept = await storedFailures();
    expect(kept).toHaveLength(KIOSK_LOOKUP_LIMIT);
    expect(kept[0]).toBe('2026-04-15T02:00:30.000Z');
  });

  it('refuses callers without a device, staff devices and signed-in browsers before any lookup', async () => {
    const { deps } = t();
    setClock('2026-04-16T02:00:00.000Z');
    const transaction = await record();
    const right = { externalNo: transaction.externalNo, phoneDigits: '5678' };
    const ratings = await count(deps, 'ratings');
    expectError(await lookUp(null, right), 401, 'device_required');
    expectError(await rateByNumber(null, right), 401, 'device_required');
    expectError(await lookUp('mpd_not-a-registered-device-token', right), 401, 'bad_device_token');
    expectError(await lookUp(h.staffDevice, right), 403, 'staff_cannot_rate');
    expectError(await rateByNumber(h.staffDevice, right), 403, 'staff_cannot_rate');
    const office = await signInFresh(t().app, h.officeUser);
    expectError(await lookUp(h.terminal.token, right, office), 403, 'staff_cannot_rate');
    expectError(await rateByNumber(h.terminal.token, right, office), 403, 'staff_cannot_rate');
    expectError(await lookUp(h.terminal.token, { ...right, extra: 1 }), 400, 'invalid_input');
    expect(await count(deps, 'ratings')).toBe(ratings);
    expect((await lookUp(h.terminal.token, right)).statusCode).toBe(200);
  });
});
