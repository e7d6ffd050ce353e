import { beforeAll, expect, it } from 'vitest';
import {
  auditCount,
  describeEachApp,
  expectError,
  expectUnchanged,
  lastAudit,
  signInFresh,
  snapshot,
} from './support/checks.js';
import { makeAccount, makeTree, uniqueCode, type SmallTree } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * Every registry route through HTTP as the assessment office: what a success returns, and how each
 * kind of bad input is refused — always with a code that names the problem, and without a trace in
 * the database (every table compared before and after, the audit log included).
 */

const UNIT_KEYS = [
  'active',
  'categoryId',
  'code',
  'id',
  'kind',
  'name',
  'parentId',
  'responsibleName',
  'responsiblePhone',
  'shortName',
  'sortOrder',
  'tags',
  'validFrom',
  'validTo',
];

interface Unit {
  id: string;
  code: string;
  name: string;
  shortName: string;
  parentId: string | null;
  validFrom: string;
  validTo: string | null;
  active: boolean;
}

const idsOf = (tree: SmallTree) =>
  [tree.city, tree.deptA, tree.sectionA1, tree.windowA1, tree.deptB, tree.sectionB1].map((u) => u.id);

/** More than the 1 MB a JSON body may have. */
const OVERSIZE = 'x'.repeat(1024 * 1024 + 1);

describeEachApp('registry over HTTP', (t) => {
  let office: Client;

  beforeAll(async () => {
    const { app, deps } = t();
    office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
  });

  const raw = (method: 'POST' | 'PATCH', url: string, payload: string) =>
    office.request({ method, url, payload, headers: { 'content-type': 'application/json' } });
  const units = async (query = '') => (await office.get(`/api/units${query}`)).json<Unit[]>();
  const unitIn = async (id: string, query = '') => (await units(query)).find((u) => u.id === id);

  // --- units: success ---

  it('lists the units in force on a date, each with the documented fields', async () => {
    const tree = await makeTree(t().deps);
    const res = await office.get('/api/units');
    expect(res.statusCode).toBe(200);
    const list = res.json<Record<string, unknown>[]>();
    const deptA = list.find((u) => u.id === tree.deptA.id);
    expect(Object.keys(deptA ?? {}).sort()).toEqual(UNIT_KEYS);
    expect(deptA).toEqual({
      id: tree.deptA.id,
      code: tree.deptA.code,
      name: '市民政局',
      shortName: '',
      kind: 'department',
      parentId: tree.city.id,
      categoryId: null,
      tags: [],
      sortOrder: 0,
      responsibleName: '',
      responsiblePhone: '',
      validFrom: '2020-01-01',
      validTo: null,
      active: true,
    });
    const ours = idsOf(tree);
    expect(ours.every((id) => list.some((u) => u.id === id))).toBe(true);
    const before2020 = await units('?asOf=2019-12-31');
    expect(before2020.filter((u) => ours.includes(u.id))).toEqual([]);
  });

  it('finds units by name and brings their ancestors along, so the tree stays whole', async () => {
    const tree = await makeTree(t().deps);
    const found = (await units('?q=%E6%95%91%E5%8A%A9')).map((u) => u.id); // q=救助
    const ours = new Set(idsOf(tree));
    expect(found.filter((id) => ours.has(id)).sort()).toEqual(
      [tree.city.id, tree.deptA.id, tree.sectionA1.id, tree.windowA1.id].sort(),
    );
  });

  it('shows one unit with its versions, its path from the root and what hangs under it', async () => {
    const tree = await makeTree(t().deps);
    expect(
      (
        await office.post('/api/service-items', {
          code: uniqueCode('IT'),
          name: '救助申请',
          unitId: tree.sectionA1.id,
          mode: 'both',
        })
      ).statusCode,
    ).toBe(201);
    expect(
      (
        await office.post('/api/staff', {
          staffNo: uniqueCode('NO'),
          name: '王芳',
          unitId: tree.sectionA1.id,
        })
      ).statusCode,
    ).toBe(201);
    const res = await office.get(`/api/units/${tree.sectionA1.id}`);
    expect(res.statusCode).toBe(200);
    const detail = res.json<{
      unit: Record<string, unknown>;
      versions: Unit[];
      path: { id: string; code: string; name: string }[];
      serviceItems: number;
      staff: number;
    }>();
    expect(Object.keys(detail).sort()).toEqual(['path', 'serviceItems', 'staff', 'unit', 'versions']);
    expect(Object.keys(detail.unit).sort()).toEqual(UNIT_KEYS);
    expect(detail.unit).toMatchObject({ id: tree.sectionA1.id, name: '社会救助科', parentId: tree.deptA.id });
    expect(detail.versions).toHaveLength(1);
    expect(detail.path).toEqual([
      { id: tree.city.id, code: tree.city.code, name: '示范市' },
      { id: tree.deptA.id, code: tree.deptA.code, name: '市民政局' },
      { id: tree.sectionA1.id, code: tree.sectionA1.code, name: '社会救助科' },
    ]);
    expect(detail.serviceItems).toBe(1);
    expect(detail.staff).toBe(1);
  });

  it('creates a unit: 201 with the unit as stored, one audit entry, and it appears in the list', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const audits = await auditCount(deps);
    const code = uniqueCode('NEW');
    const res = await office.post('/api/units', {
      code,
      name: '  便民服务窗口 ',
      kind: 'window',
      parentId: tree.sectionA1.id,
      tags: ['重点', ' 窗口 ', '重点'],
      sortOrder: 3,
      responsibleName: '赵磊',
      responsiblePhone: '0571-8888 8888',
      validFrom: '2026-01-01',
    });
    expect(res.statusCode).toBe(201);
    const unit = res.json<Record<string, unknown> & { id: string }>();
    expect(Object.keys(unit).sort()).toEqual(UNIT_KEYS);
    expect(unit).toMatchObject({
      code,
      name: '便民服务窗口',
      kind: 'window',
      parentId: tree.sectionA1.id,
      tags: ['窗口', '重点'],
      sortOrder: 3,
      responsiblePhone: '0571-8888 8888',
      validFrom: '2026-01-01',
      validTo: null,
      active: true,
    });
    expect(await auditCount(deps)).toBe(audits + 1);
    const [entry] = await lastAudit(deps);
    expect(entry).toMatchObject({ action: 'unit.created', entityType: 'unit', entityId: unit.id });
    expect((await unitIn(unit.id))?.name).toBe('便民服务窗口');
    expect(await unitIn(unit.id, '?asOf=2025-12-31')).toBeUndefined();
  });

  it('renames a unit from a date on; asking as of an earlier date still shows the old name', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const res = await office.patch(`/api/units/${tree.deptA.id}`, {
      name: '市民政服务局',
      effectiveFrom: '2026-01-01',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Unit>()).toMatchObject({ name: '市民政服务局', validFrom: '2026-01-01', validTo: null });
    expect((await unitIn(tree.deptA.id, '?asOf=2025-12-31'))?.name).toBe('市民政局');
    expect((await unitIn(tree.deptA.id, '?asOf=2026-01-01'))?.name).toBe('市民政服务局');
    expect((await unitIn(tree.deptA.id))?.name).toBe('市民政服务局');

    // A second change on the same date corrects that version instead of starting another one.
    expect(
      (await office.patch(`/api/units/${tree.deptA.id}`, { shortName: '民政', effectiveFrom: '2026-01-01' }))
        .statusCode,
    ).toBe(200);
    const detail = (await office.get(`/api/units/${tree.deptA.id}`)).json<{ versions: Unit[] }>();
    expect(detail.versions.map((v) => [v.validFrom, v.validTo, v.name, v.shortName])).toEqual([
      ['2020-01-01', '2026-01-01', '市民政局', ''],
      ['2026-01-01', null, '市民政服务局', '民政'],
    ]);
    const actions = (await lastAudit(deps, 2)).map((e) => e.action);
    expect(actions).toEqual(['unit.corrected', 'unit.changed']);
  });

  it('moves a unit under another parent from a date on', async () => {
    const tree = await makeTree(t().deps);
    const res = await office.patch(`/api/units/${tree.sectionB1.id}`, {
      parentId: tree.deptA.id,
      effectiveFrom: '2026-02-01',
    });
    expect(res.statusCode).toBe(200);
    expect((await unitIn(tree.sectionB1.id, '?asOf=2026-01-31'))?.parentId).toBe(tree.deptB.id);
    expect((await unitIn(tree.sectionB1.id, '?asOf=2026-02-01'))?.parentId).toBe(tree.deptA.id);
  });

  it('closes a unit as of a date: gone from later lists, still there before, and it can change no more', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const res = await office.post(`/api/units/${tree.windowA1.id}/deactivate`, {
      effectiveFrom: '2026-02-01',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Unit>()).toMatchObject({ validTo: '2026-02-01', active: false });
    expect(await unitIn(tree.windowA1.id, '?asOf=2026-01-31')).toBeDefined();
    expect(await unitIn(tree.windowA1.id)).toBeUndefined();
    expect((await unitIn(tree.windowA1.id, '?includeInactive=true'))?.active).toBe(false);

    const before = await snapshot(deps);
    expectError(await office.patch(`/api/units/${tree.windowA1.id}`, { name: '复活' }), 409, 'unit_inactive');
    expectError(
      await office.post(`/api/units/${tree.windowA1.id}/deactivate`, { effectiveFrom: '2026-03-01' }),
      409,
      'unit_inactive',
    );
    await expectUnchanged(deps, before);
  });

  // --- units: refusals ---

  it('refuses malformed JSON, wrong types, unknown and missing fields when creating a unit', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const good = { code: uniqueCode('BAD'), name: '窗口', kind: 'window', parentId: tree.sectionA1.id };
    const before = await snapshot(deps);
    expectError(await raw('POST', '/api/units', '{"code": "X1", "name": '), 400, 'malformed_json');
    expectError(await raw('POST', '/api/units', ''), 400, 'empty_body');
    expectError(await office.post('/api/units', { ...good, code: 42 }), 400, 'invalid_input', {
      field: 'code',
      reason: 'type',
    });
    expectError(await office.post('/api/units', { ...good, sortOrder: '3' }), 400, 'invalid_input', {
      field: 'sortOrder',
      reason: 'type',
    });
    expectError(await office.post('/api/units', { ...good, sortOrder: 1.5 }), 400, 'invalid_input', {
      field: 'sortOrder',
    });
    expectError(await office.post('/api/units', { ...good, tags: '重点' }), 400, 'invalid_input', {
      field: 'tags',
    });
    expectError(await office.post('/api/units', { ...good, tags: [''] }), 400, 'invalid_input', {
      field: 'tags.0',
    });
    expectError(await office.post('/api/units', { ...good, parentId: 7 }), 400, 'invalid_input', {
      field: 'parentId',
    });
    expectError(await office.post('/api/units', { ...good, kind: 'planet' }), 400, 'invalid_input', {
      field: 'kind',
    });
    expectError(await office.post('/api/units', { ...good, name: '' }), 400, 'invalid_input', {
      field: 'name',
    });
    expectError(await office.post('/api/units', { ...good, colour: 'red' }), 400, 'invalid_input', {
      field: 'colour',
      reason: 'unknown_field',
    });
    const { name: _name, ...noName } = good;
    expectError(await office.post('/api/units', noName), 400, 'invalid_input', {
      field: 'name',
      reason: 'required',
    });
    const { kind: _kind, ...noKind } = good;
    expectError(await office.post('/api/units', noKind), 400, 'invalid_input', {
      field: 'kind',
      reason: 'required',
    });
    expectError(await office.post('/api/units', [good]), 400, 'invalid_input', { field: 'body' });
    expectError(await office.post('/api/units', { ...good, name: OVERSIZE }), 413, 'body_too_large');
    await expectUnchanged(deps, before);
  });

  it('refuses invalid codes and impossible dates when creating a unit', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const good = { code: uniqueCode('BAD'), name: '窗口', kind: 'window', parentId: tree.sectionA1.id };
    const before = await snapshot(deps);
    for (const code of ['-lead', 'has space', 'X'.repeat(41), '单位编码', '', 'a/b']) {
      expectError(await office.post('/api/units', { ...good, code }), 400, 'invalid_input', {
        field: 'code',
      });
    }
    expectError(await office.post('/api/units', { ...good, validFrom: '2026-02-30' }), 400, 'invalid_date', {
      field: 'validFrom',
    });
    expectError(await office.post('/api/units', { ...good, validFrom: '2026-13-01' }), 400, 'invalid_date', {
      field: 'validFrom',
    });
    expectError(await office.post('/api/units', { ...good, validFrom: '2026/01/01' }), 400, 'invalid_input', {
      field: 'validFrom',
    });
    expectError(
      await office.post('/api/units', { ...good, responsiblePhone: 'call me' }),
      400,
      'invalid_input',
      {
        field: 'responsiblePhone',
      },
    );
    await expectUnchanged(deps, before);
  });

  it('refuses a duplicate unit code with 409 naming the field', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const before = await snapshot(deps);
    const res = await office.post('/api/units', {
      code: tree.deptA.code,
      name: '重复',
      kind: 'department',
      parentId: tree.city.id,
    });
    expectError(res, 409, 'duplicate', { field: 'code' });
    await expectUnchanged(deps, before);
  });

  it('refuses parents and categories that do not exist, or a parent not yet in force', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const good = { code: uniqueCode('REF'), name: '窗口', kind: 'window' };
    const before = await snapshot(deps);
    expectError(
      await office.post('/api/units', { ...good, parentId: 'no-such-unit' }),
      400,
      'unknown_parent',
      { field: 'parentId' },
    );
    expectError(
      await office.post('/api/units', { ...good, categoryId: 'no-such-category' }),
      400,
      'unknown_category',
      {
        field: 'categoryId',
      },
    );
    expectError(
      await office.post('/api/units', { ...good, parentId: tree.deptA.id, validFrom: '2019-06-01' }),
      400,
      'parent_inactive',
      {
        field: 'parentId',
      },
    );
    expectError(
      await office.patch(`/api/units/${tree.deptA.id}`, { parentId: 'no-such-unit' }),
      400,
      'unknown_parent',
      {
        field: 'parentId',
      },
    );
    expectError(
      await office.patch(`/api/units/${tree.deptA.id}`, { categoryId: 'no-such-category' }),
      400,
      'unknown_category',
      {
        field: 'categoryId',
      },
    );
    await expectUnchanged(deps, before);
  });

  it('refuses to move a unit under itself or into its own subtree: 409 tree_cycle', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const before = await snapshot(deps);
    for (const parentId of [tree.windowA1.id, tree.sectionA1.id, tree.deptA.id]) {
      expectError(await office.patch(`/api/units/${tree.deptA.id}`, { parentId }), 409, 'tree_cycle', {
        field: 'parentId',
      });
    }
    await expectUnchanged(deps, before);
    const detail = (await office.get(`/api/units/${tree.deptA.id}`)).json<{ unit: Unit; versions: Unit[] }>();
    expect(detail.unit.parentId).toBe(tree.city.id);
    expect(detail.versions).toHaveLength(1);
  });

  it('refuses a change dated before the unit last changed: 400 effective_before_latest', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    expect(
      (await office.patch(`/api/units/${tree.deptA.id}`, { name: '新名', effectiveFrom: '2026-01-01' }))
        .statusCode,
    ).toBe(200);
    const before = await snapshot(deps);
    expectError(
      await office.patch(`/api/units/${tree.deptA.id}`, { name: '旧时新名', effectiveFrom: '2025-12-31' }),
      400,
      'effective_before_latest',
      { field: 'effectiveFrom', latest: '2026-01-01' },
    );
    expectError(
      await office.post(`/api/units/${tree.windowA1.id}/deactivate`, { effectiveFrom: '2020-01-01' }),
      400,
      'effective_before_latest',
      { field: 'effectiveFrom' },
    );
    await expectUnchanged(deps, before);
  });

  it('refuses bad unit changes: malformed, wrong types, unknown fields, nothing to change, impossible dates, too large', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const url = `/api/units/${tree.deptA.id}`;
    const before = await snapshot(deps);
    expectError(await raw('PATCH', url, '{"name": "x",}'), 400, 'malformed_json');
    expectError(await office.patch(url, { sortOrder: 'first' }), 400, 'invalid_input', {
      field: 'sortOrder',
      reason: 'type',
    });
    expectError(await office.patch(url, { name: null }), 400, 'invalid_input', { field: 'name' });
    expectError(await office.patch(url, { colour: 'red' }), 400, 'invalid_input', {
      field: 'colour',
      reason: 'unknown_field',
    });
    expectError(await office.patch(url, { code: 'NEWCODE' }), 400, 'invalid_input', {
      field: 'code',
      reason: 'unknown_field',
    });
    expectError(await office.patch(url, {}), 400, 'invalid_input', { reason: 'minProperties' });
    expectError(await office.patch(url, { name: '新名', effectiveFrom: '2026-02-30' }), 400, 'invalid_date', {
      field: 'effectiveFrom',
    });
    expectError(await office.patch(url, { name: OVERSIZE }), 413, 'body_too_large');
    expectError(
      await office.post(`${url}/deactivate`, { effectiveFrom: '2026-02-29' }),
      400,
      'invalid_date',
      { field: 'effectiveFrom' },
    );
    expectError(await office.post(`${url}/deactivate`, { reason: 'reform' }), 400, 'invalid_input', {
      field: 'reason',
      reason: 'unknown_field',
    });
    await expectUnchanged(deps, before);
  });

  it('refuses to close a unit that still has active sub-units', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const before = await snapshot(deps);
    expectError(
      await office.post(`/api/units/${tree.deptB.id}/deactivate`, { effectiveFrom: '2026-02-01' }),
      409,
      'has_active_children',
      {
        count: 1,
      },
    );
    await expectUnchanged(deps, before);
  });

  it('answers unknown unit ids with 404 not_found, and bad list queries with 400', async () => {
    const { deps } = t();
    const before = await snapshot(deps);
    expectError(await office.get('/api/units/no-such-unit'), 404, 'not_found', {
      entity: 'unit',
      id: 'no-such-unit',
    });
    expectError(await office.patch('/api/units/no-such-unit', { name: 'x' }), 404, 'not_found', {
      entity: 'unit',
    });
    expectError(await office.post('/api/units/no-such-unit/deactivate', {}), 404, 'not_found', {
      entity: 'unit',
    });
    expectError(await office.get(`/api/units/${'x'.repeat(65)}`), 400, 'invalid_input', { field: 'id' });
    expectError(await office.get('/api/units?asOf=2026-02-30'), 400, 'invalid_date', { field: 'asOf' });
    expectError(await office.get('/api/units?asOf=yesterday'), 400, 'invalid_input', { field: 'asOf' });
    expectError(await office.get('/api/units?includeInactive=maybe'), 400, 'invalid_input', {
      field: 'includeInactive',
    });
    expectError(await office.get('/api/units?sort=name'), 400, 'invalid_input', {
      field: 'sort',
      reason: 'unknown_field',
    });
    await expectUnchanged(deps, before);
  });

  it('refuses names made only of spaces, which would be stored empty', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const [period] = (await office.post('/api/periods', { kind: 'year', year: 2033 })).json<
      { id: string }[]
    >();
    const before = await snapshot(deps);
    const blank = ' \t　 ';
    const nameRefused = (res: Parameters<typeof expectError>[0]) =>
      expectError(res, 400, 'invalid_input', { field: 'name' });
    nameRefused(
      await office.post('/api/units', {
        code: uniqueCode('BL'),
        name: blank,
        kind: 'window',
        parentId: tree.sectionA1.id,
      }),
    );
    nameRefused(await office.patch(`/api/units/${tree.deptA.id}`, { name: blank }));
    nameRefused(await office.post('/api/categories', { code: uniqueCode('BL'), name: blank }));
    nameRefused(
      await office.post('/api/service-items', {
        code: uniqueCode('BL'),
        name: blank,
        unitId: tree.sectionA1.id,
        mode: 'both',
      }),
    );
    nameRefused(
      await office.post('/api/staff', { staffNo: uniqueCode('BL'), name: blank, unitId: tree.sectionA1.id }),
    );
    nameRefused(await office.patch(`/api/periods/${period?.id ?? ''}`, { name: blank }));
    await expectUnchanged(deps, before);
  });

  // --- categories ---

  it('creates, lists and changes categories', async () => {
    const { deps } = t();
    const audits = await auditCount(deps);
    const code = uniqueCode('CAT');
    const res = await office.post('/api/categories', {
      code,
      name: '有审批权科室',
      nameEn: 'Approving sections',
    });
    expect(res.statusCode).toBe(201);
    const category = res.json<Record<string, unknown> & { id: string }>();
    expect(Object.keys(category).sort()).toEqual([
      'code',
      'createdAt',
      'description',
      'id',
      'name',
      'nameEn',
    ]);
    expect(category).toMatchObject({
      code,
      name: '有审批权科室',
      nameEn: 'Approving sections',
      description: '',
    });
    const list = (await office.get('/api/categories')).json<{ id: string }[]>();
    expect(list.some((c) => c.id === category.id)).toBe(true);
    const patched = await office.patch(`/api/categories/${category.id}`, {
      description: '承担行政审批的科室',
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ code, name: '有审批权科室', description: '承担行政审批的科室' });
    expect(await auditCount(deps)).toBe(audits + 2);

    // A unit can be filed under it.
    const tree = await makeTree(deps);
    expect(
      (await office.patch(`/api/units/${tree.sectionA1.id}`, { categoryId: category.id })).json<{
        categoryId: string;
      }>().categoryId,
    ).toBe(category.id);
  });

  it('refuses bad categories, naming the field, and changes nothing', async () => {
    const { deps } = t();
    const code = uniqueCode('CAT');
    const created = (await office.post('/api/categories', { code, name: '基层站所' })).json<{ id: string }>();
    const before = await snapshot(deps);
    expectError(await office.post('/api/categories', { code, name: '另一个' }), 409, 'duplicate', {
      field: 'code',
    });
    expectError(await raw('POST', '/api/categories', '{"code": '), 400, 'malformed_json');
    expectError(await office.post('/api/categories', { code: 5, name: 'x' }), 400, 'invalid_input', {
      field: 'code',
      reason: 'type',
    });
    expectError(await office.post('/api/categories', { code: 'bad code', name: 'x' }), 400, 'invalid_input', {
      field: 'code',
    });
    expectError(await office.post('/api/categories', { code: uniqueCode('CAT') }), 400, 'invalid_input', {
      field: 'name',
      reason: 'required',
    });
    expectError(
      await office.post('/api/categories', { code: uniqueCode('CAT'), name: 'x', weight: 2 }),
      400,
      'invalid_input',
      {
        field: 'weight',
        reason: 'unknown_field',
      },
    );
    expectError(
      await office.post('/api/categories', { code: uniqueCode('CAT'), name: 'x', description: OVERSIZE }),
      413,
      'body_too_large',
    );
    expectError(await office.patch(`/api/categories/${created.id}`, {}), 400, 'invalid_input', {
      reason: 'minProperties',
    });
    expectError(await office.patch(`/api/categories/${created.id}`, { code: 'NEW' }), 400, 'invalid_input', {
      reason: 'unknown_field',
    });
    expectError(await office.patch('/api/categories/no-such-category', { name: 'x' }), 404, 'not_found', {
      entity: 'category',
    });
    await expectUnchanged(deps, before);
  });

  // --- service items ---

  it('attaches, lists, moves and retires service items', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const code = uniqueCode('ITEM');
    const res = await office.post('/api/service-items', {
      code,
      name: ' 临时救助申请 ',
      unitId: tree.sectionA1.id,
      mode: 'both',
    });
    expect(res.statusCode).toBe(201);
    const item = res.json<Record<string, unknown> & { id: string }>();
    expect(Object.keys(item).sort()).toEqual(['active', 'code', 'id', 'mode', 'name', 'unitId']);
    expect(item).toMatchObject({
      code,
      name: '临时救助申请',
      unitId: tree.sectionA1.id,
      mode: 'both',
      active: true,
    });
    const ofA1 = (await office.get(`/api/service-items?unitId=${tree.sectionA1.id}`)).json<
      { id: string }[]
    >();
    expect(ofA1.map((i) => i.id)).toEqual([item.id]);
    expect((await office.get(`/api/service-items?unitId=${tree.sectionB1.id}`)).json()).toEqual([]);

    const moved = await office.patch(`/api/service-items/${item.id}`, {
      unitId: tree.sectionB1.id,
      active: false,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ unitId: tree.sectionB1.id, active: false, mode: 'both' });
    const ofB1 = (await office.get(`/api/service-items?unitId=${tree.sectionB1.id}`)).json<
      { id: string; active: boolean }[]
    >();
    expect(ofB1).toMatchObject([{ id: item.id, active: false }]);
    expect((await lastAudit(deps))[0]).toMatchObject({ action: 'service_item.updated', entityId: item.id });
  });

  it('refuses bad service items, naming the field, and changes nothing', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const code = uniqueCode('ITEM');
    const item = (
      await office.post('/api/service-items', {
        code,
        name: '申请',
        unitId: tree.sectionA1.id,
        mode: 'offline',
      })
    ).json<{
      id: string;
    }>();
    const good = { code: uniqueCode('ITEM'), name: '办理', unitId: tree.sectionA1.id, mode: 'online' };
    const before = await snapshot(deps);
    expectError(await office.post('/api/service-items', { ...good, code }), 409, 'duplicate', {
      field: 'code',
    });
    expectError(
      await office.post('/api/service-items', { ...good, unitId: 'no-such-unit' }),
      400,
      'unknown_unit',
      { field: 'unitId' },
    );
    expectError(await office.post('/api/service-items', { ...good, mode: 'fax' }), 400, 'invalid_input', {
      field: 'mode',
    });
    expectError(
      await office.post('/api/service-items', { ...good, code: 'two words' }),
      400,
      'invalid_input',
      { field: 'code' },
    );
    expectError(
      await office.post('/api/service-items', { ...good, name: 'x'.repeat(201) }),
      400,
      'invalid_input',
      { field: 'name' },
    );
    const { unitId: _u, ...noUnit } = good;
    expectError(await office.post('/api/service-items', noUnit), 400, 'invalid_input', {
      field: 'unitId',
      reason: 'required',
    });
    expectError(await office.post('/api/service-items', { ...good, active: 'yes' }), 400, 'invalid_input', {
      reason: 'unknown_field',
    });
    expectError(await raw('POST', '/api/service-items', '{'), 400, 'malformed_json');
    expectError(await office.post('/api/service-items', { ...good, name: OVERSIZE }), 413, 'body_too_large');
    expectError(
      await office.patch(`/api/service-items/${item.id}`, { unitId: 'no-such-unit' }),
      400,
      'unknown_unit',
      { field: 'unitId' },
    );
    expectError(await office.patch(`/api/service-items/${item.id}`, { active: 'no' }), 400, 'invalid_input', {
      field: 'active',
      reason: 'type',
    });
    expectError(await office.patch(`/api/service-items/${item.id}`, { code: 'NEW' }), 400, 'invalid_input', {
      reason: 'unknown_field',
    });
    expectError(await office.patch('/api/service-items/no-such-item', { name: 'x' }), 404, 'not_found', {
      entity: 'service item',
    });
    expectError(await office.get('/api/service-items?mode=online'), 400, 'invalid_input', {
      field: 'mode',
      reason: 'unknown_field',
    });
    await expectUnchanged(deps, before);
  });

  // --- staff ---

  it('adds, lists and changes staff members', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const staffNo = uniqueCode('NO');
    const res = await office.post('/api/staff', {
      staffNo,
      name: '陈静',
      unitId: tree.windowA1.id,
      position: '窗口受理员',
      phone: '138 0000 0000',
    });
    expect(res.statusCode).toBe(201);
    const member = res.json<Record<string, unknown> & { id: string }>();
    expect(Object.keys(member).sort()).toEqual([
      'active',
      'id',
      'name',
      'phone',
      'position',
      'staffNo',
      'unitId',
    ]);
    expect(member).toMatchObject({
      staffNo,
      name: '陈静',
      unitId: tree.windowA1.id,
      position: '窗口受理员',
      active: true,
    });
    const list = (await office.get(`/api/staff?unitId=${tree.windowA1.id}`)).json<{ id: string }[]>();
    expect(list.map((s) => s.id)).toEqual([member.id]);
    const changed = await office.patch(`/api/staff/${member.id}`, { position: '窗口负责人', active: false });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ staffNo, position: '窗口负责人', active: false });
  });

  it('refuses bad staff members, naming the field (staffNo for duplicates), and changes nothing', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const staffNo = uniqueCode('NO');
    const member = (
      await office.post('/api/staff', { staffNo, name: '刘洋', unitId: tree.sectionA1.id })
    ).json<{ id: string }>();
    const good = { staffNo: uniqueCode('NO'), name: '周杰', unitId: tree.sectionA1.id };
    const before = await snapshot(deps);
    expectError(await office.post('/api/staff', { ...good, staffNo }), 409, 'duplicate', {
      field: 'staffNo',
    });
    expectError(await office.post('/api/staff', { ...good, staffNo: 'No 1' }), 400, 'invalid_input', {
      field: 'staffNo',
    });
    expectError(
      await office.post('/api/staff', { ...good, phone: 'ask the front desk' }),
      400,
      'invalid_input',
      { field: 'phone' },
    );
    expectError(await office.post('/api/staff', { ...good, unitId: 'no-such-unit' }), 400, 'unknown_unit', {
      field: 'unitId',
    });
    expectError(await office.post('/api/staff', { ...good, name: 123 }), 400, 'invalid_input', {
      field: 'name',
      reason: 'type',
    });
    expectError(await office.post('/api/staff', { ...good, idCard: '330102' }), 400, 'invalid_input', {
      field: 'idCard',
      reason: 'unknown_field',
    });
    const { staffNo: _s, ...noNumber } = good;
    expectError(await office.post('/api/staff', noNumber), 400, 'invalid_input', {
      field: 'staffNo',
      reason: 'required',
    });
    expectError(await raw('POST', '/api/staff', '{"staffNo": "A1" "name": "x"}'), 400, 'malformed_json');
    expectError(await office.post('/api/staff', { ...good, position: OVERSIZE }), 413, 'body_too_large');
    expectError(await office.patch(`/api/staff/${member.id}`, { staffNo: 'OTHER' }), 400, 'invalid_input', {
      reason: 'unknown_field',
    });
    expectError(
      await office.patch(`/api/staff/${member.id}`, { unitId: 'no-such-unit' }),
      400,
      'unknown_unit',
      { field: 'unitId' },
    );
    expectError(await office.patch('/api/staff/no-such-person', { name: 'x' }), 404, 'not_found', {
      entity: 'staff member',
    });
    await expectUnchanged(deps, before);
  });

  // --- periods ---

  it('creates every missing period of a kind in a year at once, and only the missing ones', async () => {
    const { deps } = t();
    const audits = await auditCount(deps);
    const res = await office.post('/api/periods', { kind: 'quarter', year: 2027 });
    expect(res.statusCode).toBe(201);
    const quarters = res.json<Record<string, unknown>[]>();
    expect(Object.keys(quarters[0] ?? {}).sort()).toEqual([
      'code',
      'createdAt',
      'endDate',
      'id',
      'kind',
      'name',
      'seq',
      'startDate',
      'year',
    ]);
    expect(quarters.map((p) => [p.code, p.name, p.startDate, p.endDate])).toEqual([
      ['2027-Q1', '2027年第一季度', '2027-01-01', '2027-03-31'],
      ['2027-Q2', '2027年第二季度', '2027-04-01', '2027-06-30'],
      ['2027-Q3', '2027年第三季度', '2027-07-01', '2027-09-30'],
      ['2027-Q4', '2027年第四季度', '2027-10-01', '2027-12-31'],
    ]);
    expect(await auditCount(deps)).toBe(audits + 4);

    // Asking again creates nothing.
    const before = await snapshot(deps);
    const again = await office.post('/api/periods', { kind: 'quarter', year: 2027 });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual([]);
    await expectUnchanged(deps, before);

    // One month first, then the rest of the year: the eleven missing ones, February 2028 with 29 days.
    const feb = await office.post('/api/periods', { kind: 'month', year: 2028, seq: 2, name: '二月考核' });
    expect(feb.json<{ code: string; name: string; endDate: string }[]>()).toMatchObject([
      { code: '2028-02', name: '二月考核', endDate: '2028-02-29' },
    ]);
    const rest = (await office.post('/api/periods', { kind: 'month', year: 2028 })).json<
      { code: string }[]
    >();
    expect(rest.map((p) => p.code)).toEqual(
      ['01', '03', '04', '05', '06', '07', '08', '09', '10', '11', '12'].map((m) => `2028-${m}`),
    );

    const list = (await office.get('/api/periods')).json<{ code: string; startDate: string }[]>();
    const starts = list.map((p) => p.startDate);
    expect(starts).toEqual([...starts].sort().reverse());
    expect(list.map((p) => p.code)).toContain('2027-Q3');
  });

  it('refuses a period that exists, numbers out of range, and bad kinds or years', async () => {
    const { deps } = t();
    expect((await office.post('/api/periods', { kind: 'half', year: 2029 })).statusCode).toBe(201);
    const before = await snapshot(deps);
    expectError(await office.post('/api/periods', { kind: 'half', year: 2029, seq: 1 }), 409, 'duplicate', {
      field: 'seq',
      code: '2029-H1',
    });
    expectError(
      await office.post('/api/periods', { kind: 'quarter', year: 2029, seq: 5 }),
      400,
      'invalid_period_number',
      { field: 'seq' },
    );
    expectError(
      await office.post('/api/periods', { kind: 'year', year: 2029, seq: 2 }),
      400,
      'invalid_period_number',
      { field: 'seq' },
    );
    expectError(
      await office.post('/api/periods', { kind: 'month', year: 2029, seq: 13 }),
      400,
      'invalid_input',
      { field: 'seq', reason: 'maximum' },
    );
    expectError(
      await office.post('/api/periods', { kind: 'month', year: 2029, seq: 0 }),
      400,
      'invalid_input',
      { field: 'seq', reason: 'minimum' },
    );
    expectError(await office.post('/api/periods', { kind: 'quarter', year: 1999 }), 400, 'invalid_input', {
      field: 'year',
    });
    expectError(await office.post('/api/periods', { kind: 'quarter', year: '2029' }), 400, 'invalid_input', {
      field: 'year',
      reason: 'type',
    });
    expectError(await office.post('/api/periods', { kind: 'decade', year: 2029 }), 400, 'invalid_input', {
      field: 'kind',
    });
    expectError(await office.post('/api/periods', { year: 2029 }), 400, 'invalid_input', {
      field: 'kind',
      reason: 'required',
    });
    expectError(
      await office.post('/api/periods', { kind: 'year', year: 2031, startDate: '2031-01-01' }),
      400,
      'invalid_input',
      {
        reason: 'unknown_field',
      },
    );
    expectError(await raw('POST', '/api/periods', '{"kind": "year", "year": 2031'), 400, 'malformed_json');
    await expectUnchanged(deps, before);
  });

  it('renames a period, and refuses unknown ids and empty names', async () => {
    const { deps } = t();
    const [period] = (await office.post('/api/periods', { kind: 'year', year: 2032 })).json<
      { id: string }[]
    >();
    const res = await office.patch(`/api/periods/${period?.id ?? ''}`, { name: ' 2032年度综合考核 ' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ code: '2032', name: '2032年度综合考核' });
    const before = await snapshot(deps);
    expectError(await office.patch('/api/periods/no-such-period', { name: 'x' }), 404, 'not_found', {
      entity: 'period',
    });
    expectError(await office.patch(`/api/periods/${period?.id ?? ''}`, { name: '' }), 400, 'invalid_input', {
      field: 'name',
    });
    expectError(
      await office.patch(`/api/periods/${period?.id ?? ''}`, { name: 'x', code: '2033' }),
      400,
      'invalid_input',
      {
        field: 'code',
        reason: 'unknown_field',
      },
    );
    await expectUnchanged(deps, before);
  });

  // --- routing ---

  it('answers a route that does not exist with 404 route_not_found', async () => {
    const { deps } = t();
    const tree = await makeTree(deps);
    const before = await snapshot(deps);
    expectError(await office.get('/api/unitz'), 404, 'route_not_found');
    expectError(
      await office.request({ method: 'DELETE', url: `/api/units/${tree.deptA.id}` }),
      404,
      'route_not_found',
    );
    expectError(
      await office.request({ method: 'PUT', url: `/api/units/${tree.deptA.id}`, payload: { name: 'x' } }),
      404,
      'route_not_found',
    );
    await expectUnchanged(deps, before);
  });
});
