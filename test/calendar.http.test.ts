import { beforeAll, beforeEach, expect, it } from 'vitest';
import { casesSnapshot } from '../src/cases/testing.js';
import { OFFICIAL_LISTS } from '../src/core/calendar/service.js';
import { anonymousClient, describeEachApp, expectError, signInFresh } from './support/checks.js';
import { makeAccount } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * The working-day calendar through HTTP: the office keeps holidays and make-up working days one day at a
 * time or a year's list at once (preview, then all-or-nothing), and can store the shipped official list.
 */

interface Day {
  date: string;
  kind: string;
  name: string;
  weekday: number;
}
interface Year {
  year: number;
  days: Day[];
  workingDays: number;
}
interface Preview {
  year: number | null;
  entries: Day[];
  errors: { line: number; text: string; message: string }[];
  added: Day[];
  changed: { date: string }[];
  removed: Day[];
  unchanged: number;
  applied: boolean;
}

describeEachApp('working-day calendar over HTTP', (t) => {
  let office: Client;
  let staff: Client;
  let leader: Client;
  const names: Record<string, string> = {};

  beforeAll(async () => {
    const { deps } = t();
    names.office = (await makeAccount(deps, 'office')).username;
    names.staff = (await makeAccount(deps, 'unit_staff')).username;
    names.leader = (await makeAccount(deps, 'leader')).username;
  });

  beforeEach(async () => {
    const { app, clock } = t();
    clock.set('2026-03-16T02:00:00.000Z');
    office = await signInFresh(app, names.office ?? '');
    staff = await signInFresh(app, names.staff ?? '');
    leader = await signInFresh(app, names.leader ?? '');
  });

  const year = async (client: Client, y: number) => {
    const res = await client.get(`/api/calendar?year=${y}`);
    expect(res.statusCode).toBe(200);
    return res.json<Year>();
  };

  it('stores the official 2026 arrangement in one call, and says 2027 is not shipped', async () => {
    const { deps } = t();
    expect((await year(office, 2026)).workingDays).toBe(261); // Monday to Friday only
    const res = await office.post('/api/calendar/import-official', { year: 2026 });
    expect(res.statusCode).toBe(200);
    const preview = res.json<Preview>();
    expect(preview).toMatchObject({ year: 2026, applied: true, errors: [], removed: [], unchanged: 0 });
    expect(preview.added).toHaveLength(39);
    const stored = await year(leader, 2026);
    // 19 weekday holidays off, 6 make-up working days on: 261 − 19 + 6.
    expect(stored.workingDays).toBe(248);
    expect(stored.days.find((d) => d.date === '2026-02-14')).toEqual({
      date: '2026-02-14',
      kind: 'workday',
      name: '春节调休',
      weekday: 6,
    });
    expect(stored.days.find((d) => d.date === '2026-10-01')).toMatchObject({
      kind: 'holiday',
      name: '国庆节',
    });
    expect(stored.days.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual([
      '2026-01-04',
      '2026-02-14',
      '2026-02-28',
      '2026-05-09',
      '2026-09-20',
      '2026-10-10',
    ]);
    // Again: nothing to change.
    const again = (await office.post('/api/calendar/import-official', { year: 2026 })).json<Preview>();
    expect(again).toMatchObject({ added: [], changed: [], removed: [], unchanged: 39 });
    const audit = await deps.database.db
      .selectFrom('auditLog')
      .select(['action', 'entityId'])
      .where('action', '=', 'calendar.import_official')
      .execute();
    expect(audit.length).toBeGreaterThanOrEqual(2);

    const before = await casesSnapshot(deps);
    expectError(
      await office.post('/api/calendar/import-official', { year: 2027 }),
      404,
      'official_calendar_unknown',
      {
        year: 2027,
      },
    );
    expectError(await office.post('/api/calendar/import-official', { year: 1999 }), 400, 'invalid_input');
    expectError(await office.post('/api/calendar/import-official', { year: '2026' }), 400, 'invalid_input');
    expectError(await office.post('/api/calendar/import-official', {}), 400, 'invalid_input');
    expectError(await staff.post('/api/calendar/import-official', { year: 2026 }), 403, 'forbidden');
    expect(await casesSnapshot(deps)).toEqual(before);
  });

  it('keeps single days: mark, rename, remove, each audited', async () => {
    const { deps, app } = t();
    const put = (client: Client, date: string, payload: object) =>
      client.request({ method: 'PUT', url: `/api/calendar/${date}`, payload });
    const res = await put(office, '2026-11-02', { kind: 'holiday', name: '地方节日' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ date: '2026-11-02', kind: 'holiday', name: '地方节日', weekday: 1 });
    expect((await put(office, '2026-11-02', { kind: 'holiday', name: '民族节日' })).json()).toMatchObject({
      name: '民族节日',
    });
    expect((await put(office, '2026-11-07', { kind: 'workday' })).json()).toMatchObject({
      kind: 'workday',
      name: '',
      weekday: 6,
    });
    const days = (await year(office, 2026)).days.map((d) => d.date);
    expect(days).toEqual(expect.arrayContaining(['2026-11-02', '2026-11-07']));
    const del = await office.request({ method: 'DELETE', url: '/api/calendar/2026-11-02' });
    expect(del.json()).toEqual({ ok: true });
    expect((await year(office, 2026)).days.map((d) => d.date)).not.toContain('2026-11-02');
    const actions = await deps.database.db
      .selectFrom('auditLog')
      .select('action')
      .where('entityType', '=', 'calendar_day')
      .where('entityId', '=', '2026-11-02')
      .orderBy('seq')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['calendar.set', 'calendar.set', 'calendar.delete']);

    const before = await casesSnapshot(deps);
    expectError(await put(office, '2026-02-30', { kind: 'holiday' }), 400, 'invalid_date');
    expectError(await put(office, '2026-1-5', { kind: 'holiday' }), 400, 'invalid_input');
    expectError(await put(office, '2026-11-03', { kind: 'weekend' }), 400, 'invalid_input');
    expectError(await put(office, '2026-11-03', {}), 400, 'invalid_input');
    expectError(
      await put(office, '2026-11-03', { kind: 'holiday', name: 'x'.repeat(41) }),
      400,
      'invalid_input',
    );
    expectError(await put(office, '2026-11-03', { kind: 'holiday', colour: 'red' }), 400, 'invalid_input');
    expectError(
      await office.request({ method: 'DELETE', url: '/api/calendar/2026-11-03' }),
      404,
      'not_found',
    );
    expectError(
      await office.request({ method: 'DELETE', url: '/api/calendar/2026-13-01' }),
      400,
      'invalid_date',
    );
    expectError(await put(staff, '2026-11-03', { kind: 'holiday' }), 403, 'forbidden');
    expectError(await put(leader, '2026-11-03', { kind: 'holiday' }), 403, 'forbidden');
    expectError(await staff.request({ method: 'DELETE', url: '/api/calendar/2026-11-07' }), 403, 'forbidden');
    expectError(await put(anonymousClient(app), '2026-11-03', { kind: 'holiday' }), 401, 'not_signed_in');
    expectError(await office.get('/api/calendar?year=1999'), 400, 'invalid_input');
    expectError(await office.get('/api/calendar'), 400, 'invalid_input');
    expectError(await office.get('/api/calendar?year=twenty'), 400, 'invalid_input');
    expectError(await anonymousClient(app).get('/api/calendar?year=2026'), 401, 'not_signed_in');
    expect(await casesSnapshot(deps)).toEqual(before);
  });

  it('imports a year’s list: preview with per-line errors, then all or nothing; the list replaces its year', async () => {
    const { deps } = t();
    // A neighbouring year's day and a day of 2028 that the 2028 list will not name.
    await office.request({
      method: 'PUT',
      url: '/api/calendar/2027-12-31',
      payload: { kind: 'holiday', name: '元旦' },
    });
    await office.request({
      method: 'PUT',
      url: '/api/calendar/2028-03-03',
      payload: { kind: 'holiday', name: '旧' },
    });
    await office.request({
      method: 'PUT',
      url: '/api/calendar/2028-01-03',
      payload: { kind: 'workday', name: '旧' },
    });
    const bad = [
      '# 2028',
      '2028-01-01 休 元旦',
      '2028/1/2 holiday 元旦',
      '2028-01-32 休 x',
      '2028-02-01',
      '2028-01-01 班 重复',
    ].join('\n');
    const before = await casesSnapshot(deps);
    const preview = await office.post('/api/calendar/import', { text: bad });
    expect(preview.statusCode).toBe(200);
    const p = preview.json<Preview>();
    expect(p.applied).toBe(false);
    expect(p.errors.map((e) => e.line)).toEqual([4, 5, 6]);
    expect(p.entries.map((e) => e.date)).toEqual(['2028-01-01', '2028-01-02']);
    expect(await casesSnapshot(deps)).toEqual(before);
    expectError(
      await office.post('/api/calendar/import?apply=true', { text: bad }),
      400,
      'calendar_list_invalid',
      {
        errors: 3,
        line: 4,
      },
    );
    expect(await casesSnapshot(deps)).toEqual(before);
    expectError(
      await office.post('/api/calendar/import?apply=true', { text: '# nothing\n\n' }),
      400,
      'calendar_list_empty',
    );
    expectError(
      await office.post('/api/calendar/import', { text: 'x'.repeat(20_001) }),
      400,
      'invalid_input',
    );
    expectError(await office.post('/api/calendar/import', {}), 400, 'invalid_input');
    expectError(
      await office.post('/api/calendar/import?apply=perhaps', { text: '2028-01-01 休' }),
      400,
      'invalid_input',
    );
    expectError(await staff.post('/api/calendar/import', { text: '2028-01-01 休' }), 403, 'forbidden');
    expect(await casesSnapshot(deps)).toEqual(before);

    const good = [
      '2027-12-31 休 元旦',
      '2028-01-01 休 元旦',
      '2028-01-03 休 元旦',
      '2028-01-08 班 元旦调休',
    ].join('\n');
    const dry = (await office.post('/api/calendar/import', { text: good })).json<Preview>();
    expect(dry).toMatchObject({ year: 2028, applied: false, unchanged: 1 });
    expect(dry.added.map((d) => d.date)).toEqual(['2028-01-01', '2028-01-08']);
    expect(dry.changed.map((d) => d.date)).toEqual(['2028-01-03']);
    expect(dry.removed.map((d) => d.date)).toEqual(['2028-03-03']);
    expect(await casesSnapshot(deps)).toEqual(before);
    const applied = (await office.post('/api/calendar/import?apply=true', { text: good })).json<Preview>();
    expect(applied).toMatchObject({ applied: true });
    const days2028 = (await year(office, 2028)).days;
    expect(days2028.map((d) => [d.date, d.kind, d.name])).toEqual([
      ['2028-01-01', 'holiday', '元旦'],
      ['2028-01-03', 'holiday', '元旦'],
      ['2028-01-08', 'workday', '元旦调休'],
    ]);
    // The neighbouring year's day stays.
    expect((await year(office, 2027)).days.map((d) => d.date)).toContain('2027-12-31');
  });

  it('ships a 2026 list that the parser reads without an error', () => {
    for (const text of Object.values(OFFICIAL_LISTS)) {
      expect(text.split('\n').filter((l) => /^\d/.test(l)).length).toBeGreaterThan(30);
    }
  });
});
