import { beforeAll, expect, it } from 'vitest';
import { verifyAuditChain } from '../core/audit/service.js';
import type { Deps } from '../core/context.js';
import { describeEachDatabase, openTestDatabase } from '../../test/support/db.js';
import { SYSTEM } from '../../test/support/factories.js';
import { DEMO_CATEGORIES, loadRegistryDemo, seededRandom, type RegistryDemo } from './demo.js';
import { MERGED_SECTION, RENAMED_DEPARTMENT } from './demo-names.js';
import {
  getUnit,
  listCategories,
  listPeriods,
  listServiceItems,
  listStaff,
  listUnits,
  type UnitView,
} from './service.js';

const LOAD_TIMEOUT = 180_000;

/** Everything that must come out the same on every run: units, items and staff by their codes. */
async function fingerprint(deps: Deps): Promise<string[]> {
  const units = await listUnits(deps, SYSTEM, { asOf: '2026-03-16', includeInactive: true });
  const items = await listServiceItems(deps, SYSTEM);
  const staff = await listStaff(deps, SYSTEM);
  const codeOf = new Map(units.map((u) => [u.id, u.code]));
  return [
    ...units.map(
      (u) => `unit ${u.code} ${u.name} ${u.kind} ${codeOf.get(u.parentId ?? '') ?? '-'} ${u.active}`,
    ),
    ...items.map((i) => `item ${i.code} ${i.name} ${i.mode} ${codeOf.get(i.unitId)}`),
    ...staff.map((s) => `staff ${s.staffNo} ${s.name} ${s.position} ${codeOf.get(s.unitId)}`),
  ].sort();
}

it('seededRandom repeats its sequence for a seed and stays in [0, 1)', () => {
  const a = seededRandom(42);
  const b = seededRandom(42);
  const xs = Array.from({ length: 1000 }, () => a());
  expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
  expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  expect(seededRandom(43)()).not.toBe(xs[0]);
});

describeEachDatabase('registry demo', (db) => {
  let demo: RegistryDemo;
  let now: UnitView[];

  beforeAll(async () => {
    demo = await loadRegistryDemo(db().deps, SYSTEM);
    now = await listUnits(db().deps, SYSTEM, { asOf: '2026-03-16' });
  }, LOAD_TIMEOUT);

  const ofKind = (kind: UnitView['kind']) => now.filter((u) => u.kind === kind);

  it('has a city of realistic size', async () => {
    const { deps } = db();
    expect(ofKind('jurisdiction')).toHaveLength(6);
    expect(ofKind('department')).toHaveLength(38);
    expect(ofKind('section')).toHaveLength(105);
    const grassroots = ofKind('station').length + ofKind('window').length;
    expect(grassroots).toBeGreaterThanOrEqual(255);
    expect(grassroots).toBeLessThanOrEqual(290);
    expect(ofKind('company').map((u) => u.name)).toEqual(
      expect.arrayContaining(['示范市自来水有限公司', '国网示范市供电公司', '示范市燃气集团有限公司']),
    );
    const items = await listServiceItems(deps, SYSTEM);
    const staff = await listStaff(deps, SYSTEM);
    expect(items.length).toBe(demo.serviceItems);
    expect(items.length).toBeGreaterThanOrEqual(300);
    expect(items.length).toBeLessThanOrEqual(600);
    expect(staff.length).toBe(demo.staff);
    expect(staff.length).toBeGreaterThanOrEqual(1000);
    expect(staff.length).toBeLessThanOrEqual(1500);
    // The merged section is still a unit, closed since the reform.
    expect(demo.units).toBe(now.length + 1);
    expect(await listPeriods(deps, SYSTEM)).toHaveLength(2 + 2 + 4 + 12);
  });

  it('gives every unit a category that fits its kind, and tags some', async () => {
    const categories = new Map((await listCategories(db().deps, SYSTEM)).map((c) => [c.id, c.code]));
    expect([...categories.values()].sort()).toEqual(DEMO_CATEGORIES.map((c) => c.code).sort());
    const fits: Record<UnitView['kind'], string[]> = {
      jurisdiction: ['CITY', 'DISTRICT'],
      department: ['DEPT'],
      section: ['APPROVAL', 'PUBLIC'],
      station: ['GRASSROOTS'],
      window: ['SERVICE'],
      company: ['UTILITY'],
    };
    const all = await listUnits(db().deps, SYSTEM, { asOf: '2026-03-16', includeInactive: true });
    for (const u of all) {
      expect(fits[u.kind], `${u.code} ${u.name}`).toContain(categories.get(u.categoryId ?? ''));
    }
    expect(now.filter((u) => u.tags.includes('重点窗口')).length).toBeGreaterThan(10);
    expect(now.some((u) => u.tags.includes('24小时自助'))).toBe(true);
    const sections = ofKind('section');
    expect(
      sections.every((u) => u.responsibleName.length >= 2 && /^0571-8\d{7}$/.test(u.responsiblePhone)),
    ).toBe(true);
  });

  it('forms one tree with a single root and unique codes', async () => {
    const { deps } = db();
    const roots = now.filter((u) => u.parentId === null);
    expect(roots.map((u) => u.code)).toEqual(['SFS']);
    const ids = new Set(now.map((u) => u.id));
    expect(now.every((u) => u.parentId === null || ids.has(u.parentId))).toBe(true);
    const all = await listUnits(deps, SYSTEM, { asOf: '2026-03-16', includeInactive: true });
    const codes = all.map((u) => u.code);
    expect(new Set(codes).size).toBe(codes.length);
    const itemCodes = (await listServiceItems(deps, SYSTEM)).map((i) => i.code);
    expect(new Set(itemCodes).size).toBe(itemCodes.length);
    const staffNos = (await listStaff(deps, SYSTEM)).map((s) => s.staffNo);
    expect(new Set(staffNos).size).toBe(staffNos.length);
  });

  it('shows the reform of 2025 in the history', async () => {
    const { deps } = db();
    const before = await listUnits(deps, SYSTEM, { asOf: '2024-12-31' });
    const after = await listUnits(deps, SYSTEM, { asOf: '2025-01-01' });
    const old = before.find((u) => u.name === RENAMED_DEPARTMENT.from);
    expect(old).toBeDefined();
    expect(after.find((u) => u.id === old?.id)?.name).toBe(RENAMED_DEPARTMENT.to);
    expect(after.some((u) => u.name === RENAMED_DEPARTMENT.from)).toBe(false);
    const detail = await getUnit(deps, SYSTEM, old?.id ?? '');
    expect(detail.versions.map((v) => [v.name, v.validFrom, v.validTo])).toEqual([
      [RENAMED_DEPARTMENT.from, '2020-01-01', '2025-01-01'],
      [RENAMED_DEPARTMENT.to, '2025-01-01', null],
    ]);

    const june = await listUnits(deps, SYSTEM, { asOf: '2025-06-30' });
    const july = await listUnits(deps, SYSTEM, { asOf: MERGED_SECTION.effectiveFrom });
    const merged = june.find((u) => u.name === MERGED_SECTION.from);
    const into = june.find((u) => u.name === MERGED_SECTION.into);
    expect(merged && into).toBeTruthy();
    const windowsOf = (list: UnitView[], parentId: string | undefined) =>
      list.filter((u) => u.parentId === parentId).map((u) => u.id);
    const movedWindows = windowsOf(june, merged?.id);
    expect(movedWindows.length).toBeGreaterThan(0);
    expect(july.some((u) => u.id === merged?.id)).toBe(false);
    expect(windowsOf(july, into?.id)).toEqual(expect.arrayContaining(movedWindows));
    expect(june.filter((u) => u.kind === 'section')).toHaveLength(106);
    expect(await listServiceItems(deps, SYSTEM, merged?.id ?? '')).toHaveLength(0);
  });

  it('names a department with sections and windows for the unit-staff account', () => {
    const unit = now.find((u) => u.id === demo.staffUnitId);
    expect(unit?.kind).toBe('department');
    expect(unit?.name).toBe(demo.staffUnitName);
    const children = now.filter((u) => u.parentId === demo.staffUnitId);
    expect(children.filter((u) => u.kind === 'section').length).toBeGreaterThanOrEqual(3);
    const childIds = new Set(children.map((u) => u.id));
    expect(now.some((u) => u.kind === 'window' && childIds.has(u.parentId ?? ''))).toBe(true);
  });

  it('records every change in an intact audit chain', async () => {
    const check = await verifyAuditChain(db().deps.database);
    expect(check.ok).toBe(true);
    if (check.ok) expect(check.entries).toBeGreaterThan(demo.units + demo.serviceItems + demo.staff);
  });

  it(
    'is the same demo on every run',
    async () => {
      const other = await openTestDatabase(db().dialect);
      try {
        await loadRegistryDemo(other.deps, SYSTEM);
        expect(await fingerprint(other.deps)).toEqual(await fingerprint(db().deps));
      } finally {
        await other.close();
      }
    },
    LOAD_TIMEOUT,
  );
});
