import { beforeAll, beforeEach, expect, it } from 'vitest';
import { caseSweeps } from '../src/cases/sweeps.js';
import { caseOfRating, casesSnapshot, insertBadRating } from '../src/cases/testing.js';
import { verifyCase } from '../src/cases/service.js';
import { importOfficial, setDay } from '../src/core/calendar/service.js';
import { runSweep } from '../src/core/sweeps.js';
import { describeEachApp, expectError, signInFresh } from './support/checks.js';
import { makeAccount, makeTree, SYSTEM, type SmallTree } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * Deadlines in working days as cases meet them: across public holidays, make-up working days and the
 * year end, on the calendar the office keeps, with the deadlines the office sets per jurisdiction.
 */

const chinaMorning = (date: string) => `${date}T01:30:00.000Z`; // 09:30 in China

describeEachApp('case deadlines', (t) => {
  let tree: SmallTree;
  let office: Client;
  let staff: Client;
  const names: Record<string, string> = {};

  beforeAll(async () => {
    const { deps } = t();
    tree = await makeTree(deps);
    await importOfficial(deps, SYSTEM, 2026);
    names.office = (await makeAccount(deps, 'office')).username;
    names.staff = (await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id })).username;
  });

  beforeEach(async () => {
    const { app, clock } = t();
    clock.set('2026-03-16T02:00:00.000Z');
    office = await signInFresh(app, names.office ?? '');
    staff = await signInFresh(app, names.staff ?? '');
  });

  const openOn = async (date: string, unitId = tree.windowA1.id) => {
    const { deps, clock } = t();
    clock.set(chinaMorning(date));
    const rating = await insertBadRating(deps, { unitId });
    return caseOfRating(deps, rating.id);
  };

  const verify = async (id: string) => (await verifyCase(t().deps, SYSTEM, id, { genuine: true })).dueOn;

  it('counts across the National Day holiday and its make-up Saturday', async () => {
    const c = await openOn('2026-09-30'); // Wednesday before 国庆节
    expect(c.dueOn).toBe('2026-10-08'); // 1–7 October off
    // 8, 9, 10 (Saturday, 调休), 12–16, 19–23, 26, 27 → the 15th working day is 27 October.
    expect(await verify(c.id)).toBe('2026-10-27');
  });

  it('counts a make-up Saturday in the Spring Festival as a working day', async () => {
    const c = await openOn('2026-02-13'); // Friday
    expect(c.dueOn).toBe('2026-02-14'); // Saturday, 春节调休
    // 14 | 24–27, 28 (Saturday, 调休) | 2–6 March | 9–12 → 12 March.
    expect(await verify(c.id)).toBe('2026-03-12');
    const sunday = await openOn('2026-02-15'); // Sunday, first day of the break
    expect(sunday.dueOn).toBe('2026-02-24');
  });

  it('crosses the year end on the plain calendar until the office lists the next year’s holidays', async () => {
    const { deps } = t();
    const before = await openOn('2026-12-31'); // Thursday
    expect(before.dueOn).toBe('2027-01-01'); // a Friday: a working day until 2027 is listed
    await setDay(deps, SYSTEM, '2027-01-01', { kind: 'holiday', name: '元旦' });
    const after = await openOn('2026-12-31');
    expect(after.dueOn).toBe('2027-01-04');
    // The open case takes the new calendar at the next sweep.
    for (const sweep of caseSweeps) await runSweep(deps, sweep.name, sweep.work);
    expect((await caseOfRating(deps, before.ratingId)).dueOn).toBe('2027-01-04');
    // 15 working days from 31 December: 4–8, 11–15, 18–22 January.
    expect(await verify(after.id)).toBe('2027-01-22');
  });

  it('lets the office set the deadlines, with overrides per jurisdiction, and refuses bad settings', async () => {
    const { deps } = t();
    const initial = await office.get('/api/settings/cases');
    expect(initial.json()).toEqual({
      rules: { verifyDays: 1, rectifyDays: 15, urgentAfterDays: 3, talkAfterDays: 5, judgeDays: 5 },
      byUnit: [],
    });
    const put = (client: Client, payload: object) =>
      client.request({ method: 'PUT', url: '/api/settings/cases', payload });
    const res = await put(office, {
      rules: { verifyDays: 2, rectifyDays: 5, urgentAfterDays: 2, talkAfterDays: 3, judgeDays: 7 },
      byUnit: [{ unitId: tree.deptB.id, rectifyDays: 7 }],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      rules: { verifyDays: 2, rectifyDays: 5, urgentAfterDays: 2, talkAfterDays: 3, judgeDays: 7 },
      byUnit: [{ unitId: tree.deptB.id, unitName: '市人社局', rectifyDays: 7 }],
    });
    const inA = await openOn('2026-03-16'); // Monday
    expect(inA.dueOn).toBe('2026-03-18');
    expect(await verify(inA.id)).toBe('2026-03-23'); // 5 working days
    const inB = await openOn('2026-03-16', tree.sectionB1.id);
    expect(inB.dueOn).toBe('2026-03-18');
    expect(await verify(inB.id)).toBe('2026-03-25'); // 7 working days in department B
    const audit = await deps.database.db
      .selectFrom('auditLog')
      .select('action')
      .where('action', '=', 'settings.cases')
      .execute();
    expect(audit).toHaveLength(1);

    const before = await casesSnapshot(deps);
    const rules = { verifyDays: 1, rectifyDays: 15, urgentAfterDays: 3, talkAfterDays: 5, judgeDays: 5 };
    const bad: object[] = [
      {},
      { rules: { ...rules, rectifyDays: 0 } },
      { rules: { ...rules, rectifyDays: 121 } },
      { rules: { ...rules, verifyDays: -1 } },
      { rules: { ...rules, judgeDays: 1.5 } },
      { rules: { ...rules, urgentAfterDays: '3' } },
      { rules: { verifyDays: 1, rectifyDays: 15, urgentAfterDays: 3, talkAfterDays: 5 } },
      { rules: { ...rules, extra: 1 } },
      { rules, byUnit: [{ unitId: tree.deptB.id, rectifyDays: 0 }] },
      { rules, byUnit: [{ unitId: tree.deptB.id, colour: 'red' }] },
      { rules, byUnit: 'deptB' },
      { rules, other: true },
    ];
    for (const payload of bad) expectError(await put(office, payload), 400, 'invalid_input');
    expectError(
      await put(office, { rules, byUnit: [{ unitId: 'nowhere', rectifyDays: 5 }] }),
      400,
      'unknown_unit',
      {
        field: 'byUnit.0.unitId',
      },
    );
    expectError(
      await put(office, {
        rules,
        byUnit: [{ unitId: tree.deptB.id }, { unitId: tree.deptB.id, verifyDays: 2 }],
      }),
      400,
      'duplicate_unit',
    );
    expectError(await put(staff, { rules }), 403, 'forbidden');
    expectError(await staff.get('/api/settings/cases'), 403, 'forbidden');
    expect(await casesSnapshot(deps)).toEqual(before);
    // Back to the defaults for the other tests.
    expect((await put(office, { rules })).statusCode).toBe(200);
  });

  it('shows working days left and overdue in the queue, counting only working days', async () => {
    const c = await openOn('2026-04-30'); // Thursday before 劳动节 (1–5 May off, 9 May worked)
    expect(c.dueOn).toBe('2026-05-06');
    const { app, clock } = t();
    const list = async () => {
      const client = await signInFresh(app, names.staff ?? '');
      const res = await client.get('/api/cases?pageSize=200');
      return res
        .json<{ items: { id: string; workingDaysLeft: number; overdue: boolean }[] }>()
        .items.find((i) => i.id === c.id);
    };
    expect(await list()).toMatchObject({ workingDaysLeft: 1, overdue: false });
    clock.set(chinaMorning('2026-05-03'));
    expect(await list()).toMatchObject({ workingDaysLeft: 1, overdue: false });
    clock.set(chinaMorning('2026-05-06'));
    expect(await list()).toMatchObject({ workingDaysLeft: 0, overdue: false });
    clock.set(chinaMorning('2026-05-11')); // 7, 8, 9 (Saturday, 调休), 11 → 4 working days late
    expect(await list()).toMatchObject({ workingDaysLeft: -4, overdue: true });
  });
});
