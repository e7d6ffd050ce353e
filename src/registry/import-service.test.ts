import { sql } from 'kysely';
import { expect, it } from 'vitest';
import { describeEachDatabase, type TestDatabase } from '../../test/support/db.js';
import { makeAccount, makeTree, SYSTEM, uniqueCode } from '../../test/support/factories.js';
import { clerkWorkbook, GBK_CSV, utf8BomCsv, workbook } from '../../test/fixtures/workbooks.js';
import { applyImport, exportRegistry, getImport, uploadImport } from './import-service.js';
import {
  createServiceItem,
  createStaff,
  listServiceItems,
  listStaff,
  listUnits,
  updateUnit,
} from './service.js';

const csv = (name: string, text: string) => ({ filename: name, bytes: utf8BomCsv(text) });

async function unitByCode(db: TestDatabase, code: string) {
  return (await listUnits(db.deps, SYSTEM, { includeInactive: true })).find((u) => u.code === code);
}

async function auditCount(db: TestDatabase, entityType?: string): Promise<number> {
  let q = db.deps.database.db.selectFrom('auditLog').select((eb) => eb.fn.countAll<number>().as('n'));
  if (entityType) q = q.where('entityType', '=', entityType);
  return Number((await q.executeTakeFirstOrThrow()).n);
}

describeEachDatabase('registry import', (db) => {
  it('previews without writing, then applies every row with its own audit entry', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    const [city, dept, item, person] = [uniqueCode('C'), uniqueCode('D'), uniqueCode('S'), uniqueCode('E')];
    const upload = csv(
      'units.csv',
      `单位编码,单位名称,类型,上级单位编码,生效日期\n${dept},市民政局,部门,${city},\n${city},示范市,辖区,,2026-01-01\n`,
    );
    const before = await auditCount(db());
    const preview = await uploadImport(deps, office, upload);
    expect(preview).toMatchObject({
      filename: 'units.csv',
      status: 'previewed',
      summary: { create: 2, update: 0, unchanged: 0, errors: 0, skipped: 1 },
      sheets: [{ name: 'units.csv', entity: 'unit' }],
    });
    expect(preview.rows.map((r) => [r.row, r.key, r.action])).toEqual([
      [2, dept, 'create'],
      [3, city, 'create'],
    ]);
    expect(await unitByCode(db(), city)).toBeUndefined();
    expect(await auditCount(db())).toBe(before);

    const applied = await applyImport(deps, office, preview.id);
    expect(applied.status).toBe('applied');
    const cityUnit = await unitByCode(db(), city);
    const deptUnit = await unitByCode(db(), dept);
    expect(cityUnit).toMatchObject({ name: '示范市', kind: 'jurisdiction', validFrom: '2026-01-01' });
    // A blank effective date means the day of the upload (the test clock: 2026-03-16 in China).
    expect(deptUnit).toMatchObject({ parentId: cityUnit?.id, validFrom: '2026-03-16' });
    expect(await auditCount(db())).toBe(before + 3);
    expect(await auditCount(db(), 'import')).toBe(1);

    // Items and staff referring to the new units; an applied import shows what it did.
    const second = await uploadImport(
      deps,
      office,
      csv('items.csv', `事项编码,事项名称,所属单位编码,办理方式,状态\n${item},低保申请,${dept},线上,停用\n`),
    );
    await applyImport(deps, office, second.id);
    const third = await uploadImport(
      deps,
      office,
      csv('staff.csv', `工号,姓名,所属单位编码,职务,电话\n${person},张三,${dept},科员,13800138000\n`),
    );
    await applyImport(deps, office, third.id);
    expect(
      (await listServiceItems(deps, SYSTEM, deptUnit?.id)).map((s) => [s.code, s.mode, s.active]),
    ).toEqual([[item, 'online', false]]);
    expect((await listStaff(deps, SYSTEM, deptUnit?.id)).map((s) => [s.staffNo, s.phone])).toEqual([
      [person, '13800138000'],
    ]);
    const again = await getImport(deps, office, preview.id);
    expect(again.status).toBe('applied');
    expect(again.rows.map((r) => r.action)).toEqual(['create', 'create']);
  });

  it('reads a clerk’s messy workbook, explains what it skipped, and imports the rest', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    const preview = await uploadImport(deps, office, {
      filename: '单位名册.xlsx',
      bytes: await clerkWorkbook(),
    });
    expect(preview.sheets.map((s) => [s.name, s.entity])).toEqual([
      ['单位名册', 'unit'],
      ['事项', 'service_item'],
      ['人员', 'staff'],
      ['Sheet3', null],
    ]);
    expect(preview.sheets[0]?.message).toContain('序号');
    expect(preview.skipped.filter((s) => s.sheet === '单位名册').map((s) => [s.row, s.reason])).toEqual([
      [1, 'title'],
      [2, 'blank'],
      [3, 'header'],
      [6, 'blank'],
      [8, 'blank'],
      [9, 'notes'],
      [10, 'notes'],
    ]);
    expect(preview.rows.map((r) => [r.sheet, r.row, r.key, r.action, r.errors])).toEqual([
      ['单位名册', 4, 'SJ-001', 'create', []],
      ['单位名册', 5, '1001', 'create', []],
      ['单位名册', 7, 'SJ-003', 'create', []],
      ['事项', 2, 'S-001', 'create', []],
      ['事项', 3, 'S-002', 'create', []],
      ['人员', 2, '0042', 'create', []],
    ]);
    expect(preview.rows[0]?.changes).toMatchObject({
      name: { to: '示范市' },
      responsiblePhone: { to: '13800138000' },
      effectiveFrom: { to: '2026-01-01' },
      sortOrder: { to: 1 },
    });
    expect(preview.rows[2]?.changes).toMatchObject({ name: { to: '市人社局' }, sortOrder: { to: 3 } });

    await applyImport(deps, office, preview.id);
    const units = await listUnits(deps, SYSTEM);
    const sj1 = units.find((u) => u.code === 'SJ-001');
    expect(units.find((u) => u.code === '1001')).toMatchObject({
      name: '市民政局',
      parentId: sj1?.id,
      responsiblePhone: '0571-88888888',
      sortOrder: 2,
      validFrom: '2026-01-01',
    });
    const items = await listServiceItems(deps, SYSTEM);
    expect(items.find((s) => s.code === 'S-002')).toMatchObject({
      name: '临时救助',
      mode: 'both',
      active: false,
    });
    const staff = (await listStaff(deps, SYSTEM)).find((s) => s.staffNo === '0042');
    expect(staff).toMatchObject({ name: '张三', phone: '13900139000', position: '科长' });
  });

  it('reads a parent code merged down over the rows of its sub-units as that code on each row', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    const [p, a, b] = [uniqueCode('MP'), uniqueCode('MA'), uniqueCode('MB')];
    const bytes = await workbook([
      {
        name: '单位',
        merges: ['C3:C4'],
        rows: [
          ['单位编码', '单位名称', '上级单位编码', '类型'],
          [p, '部门', null, '部门'],
          [a, '一科', p, '科室'],
          [b, '二科', null, '科室'],
        ],
      },
    ]);
    const preview = await uploadImport(deps, office, { filename: 'merged.xlsx', bytes });
    expect(preview.rows.map((r) => [r.key, r.changes.parentCode?.to ?? null])).toEqual([
      [p, null],
      [a, p],
      [b, p],
    ]);
  });

  it('applies once when two clerks apply at the same moment', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    const code = uniqueCode('CC');
    const preview = await uploadImport(
      deps,
      office,
      csv('c.csv', `单位编码,单位名称,类型\n${code},并发,部门\n`),
    );
    const results = await Promise.allSettled([
      applyImport(deps, office, preview.id),
      applyImport(deps, office, preview.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toMatchObject({ code: 'import_already_applied' });
    expect((await listUnits(deps, SYSTEM)).filter((u) => u.code === code)).toHaveLength(1);
  });

  it('reads CSV files saved as GB18030 by Chinese Excel', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    const preview = await uploadImport(deps, office, { filename: '名册.csv', bytes: GBK_CSV });
    expect(preview.rows.map((r) => [r.key, r.action, r.changes.name?.to])).toEqual([
      ['GBK-1', 'create', '示范县'],
      ['GBK-2', 'create', '县民政局'],
    ]);
  });

  it('refuses to apply a file with errors, and to apply twice', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    const code = uniqueCode('X');
    const bad = await uploadImport(
      deps,
      office,
      csv('bad.csv', `单位编码,单位名称,类型,上级单位编码\n${code},x,部门,SJ-999\n`),
    );
    expect(bad.rows[0]?.errors[0]?.message).toBe(
      '上级单位编码 SJ-999 不存在（既不在系统中，也不在本文件中）',
    );
    await expect(applyImport(deps, office, bad.id)).rejects.toMatchObject({
      code: 'import_has_errors',
      status: 409,
    });
    expect(await unitByCode(db(), code)).toBeUndefined();
    expect((await getImport(deps, office, bad.id)).status).toBe('previewed');

    const good = await uploadImport(
      deps,
      office,
      csv('good.csv', `单位编码,单位名称,类型\n${code},x,部门\n`),
    );
    await applyImport(deps, office, good.id);
    await expect(applyImport(deps, office, good.id)).rejects.toMatchObject({
      code: 'import_already_applied',
    });
    await expect(applyImport(deps, office, 'no-such-import')).rejects.toMatchObject({ status: 404 });
  });

  it('refuses a preview made stale by a change to the registry, until it is looked at again', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    const tree = await makeTree(deps);
    const preview = await uploadImport(
      deps,
      office,
      csv('rename.csv', `单位编码,单位名称\n${tree.deptA.code},市民政服务局\n`),
    );
    expect(preview.rows[0]?.changes).toEqual({
      name: { from: '市民政局', to: '市民政服务局' },
      effectiveFrom: { from: '2020-01-01', to: '2026-03-16' },
    });
    await updateUnit(deps, SYSTEM, tree.deptA.id, { name: '市民政总局' });
    await expect(applyImport(deps, office, preview.id)).rejects.toMatchObject({
      code: 'import_stale',
      status: 409,
    });
    const fresh = await getImport(deps, office, preview.id);
    // The other change started a version today, so the import now corrects that version.
    expect(fresh.rows[0]?.changes).toEqual({ name: { from: '市民政总局', to: '市民政服务局' } });
    await applyImport(deps, office, preview.id);
    expect((await unitByCode(db(), tree.deptA.code))?.name).toBe('市民政服务局');
  });

  it('writes nothing when a change fails midway (the last row)', async () => {
    const { deps, dialect } = db();
    const office = await makeAccount(deps, 'office');
    const raw = deps.database.db;
    if (dialect === 'sqlite') {
      await sql`create trigger import_boom before insert on staff when new.staff_no = 'BOOM'
        begin select raise(abort, 'boom'); end`.execute(raw);
    } else {
      await sql`create function import_boom() returns trigger language plpgsql as $$
        begin if new.staff_no = 'BOOM' then raise exception 'boom'; end if; return new; end $$`.execute(raw);
      await sql`create trigger import_boom before insert on staff for each row execute function import_boom()`.execute(
        raw,
      );
    }
    try {
      const [u1, u2] = [uniqueCode('F'), uniqueCode('F')];
      const bytes = await workbook([
        {
          name: '单位',
          rows: [
            ['单位编码', '单位名称', '类型'],
            [u1, '甲', '部门'],
            [u2, '乙', '部门'],
          ],
        },
        {
          name: '人员',
          rows: [
            ['工号', '姓名', '所属单位编码'],
            ['OK1', '张三', u1],
            ['BOOM', '李四', u2],
          ],
        },
      ]);
      const preview = await uploadImport(deps, office, { filename: 'boom.xlsx', bytes });
      expect(preview.summary).toMatchObject({ create: 4, errors: 0 });
      const audits = await auditCount(db());
      await expect(applyImport(deps, office, preview.id)).rejects.toThrow(/boom/);
      expect(await unitByCode(db(), u1)).toBeUndefined();
      expect(await unitByCode(db(), u2)).toBeUndefined();
      expect((await listStaff(deps, SYSTEM)).some((s) => s.staffNo === 'OK1')).toBe(false);
      expect(await auditCount(db())).toBe(audits);
      expect((await getImport(deps, office, preview.id)).status).toBe('previewed');
    } finally {
      await sql`drop trigger import_boom${sql.raw(dialect === 'postgres' ? ' on staff' : '')}`.execute(raw);
    }
  });

  it('lets only the office import', async () => {
    const { deps } = db();
    const tree = await makeTree(deps);
    const upload = csv('u.csv', '单位编码,单位名称,类型\nZ1,x,部门\n');
    for (const actor of [
      await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id }),
      await makeAccount(deps, 'leader'),
      await makeAccount(deps, 'supervisor'),
    ]) {
      await expect(uploadImport(deps, actor, upload)).rejects.toMatchObject({ status: 403 });
    }
    const admin = await makeAccount(deps, 'admin');
    const preview = await uploadImport(deps, admin, upload);
    const leader = await makeAccount(deps, 'leader');
    await expect(getImport(deps, leader, preview.id)).rejects.toMatchObject({ status: 403 });
    await expect(applyImport(deps, leader, preview.id)).rejects.toMatchObject({ status: 403 });
  });

  it('exports what it imports: an export imported again is all unchanged', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    const tree = await makeTree(deps);
    await updateUnit(deps, SYSTEM, tree.sectionA1.id, {
      tags: ['重点', '审批'],
      responsiblePhone: '0571-88888888',
      shortName: '救助科',
      sortOrder: 3,
    });
    await createServiceItem(deps, SYSTEM, {
      code: uniqueCode('S'),
      name: '低保',
      unitId: tree.windowA1.id,
      mode: 'offline',
    });
    await createStaff(deps, SYSTEM, {
      staffNo: uniqueCode('E'),
      name: '王五',
      unitId: tree.deptB.id,
      phone: '13800138000',
    });

    const file = await exportRegistry(deps, office);
    expect(file.filename).toBe('minping-registry-2026-03-16.xlsx');
    const preview = await uploadImport(deps, office, { filename: file.filename, bytes: file.body });
    expect(preview.sheets.map((s) => [s.name, s.entity])).toEqual([
      ['单位', 'unit'],
      ['服务事项', 'service_item'],
      ['人员', 'staff'],
    ]);
    expect(preview.summary).toMatchObject({ create: 0, update: 0, errors: 0 });
    expect(preview.summary.unchanged).toBe(preview.rows.length);
    // Parents come before their children in the export.
    const order = preview.rows.filter((r) => r.entity === 'unit').map((r) => r.key);
    expect(order.indexOf(tree.city.code)).toBeLessThan(order.indexOf(tree.deptA.code));
    expect(order.indexOf(tree.sectionA1.code)).toBeLessThan(order.indexOf(tree.windowA1.code));

    // Unit staff export only their own subtree.
    const unitStaff = await makeAccount(deps, 'unit_staff', { unitId: tree.deptA.id });
    const scoped = await exportRegistry(deps, unitStaff);
    const scopedPreview = await uploadImport(deps, office, { filename: 'scoped.xlsx', bytes: scoped.body });
    expect(
      scopedPreview.rows
        .filter((r) => r.entity === 'unit')
        .map((r) => r.key)
        .sort(),
    ).toEqual([tree.deptA.code, tree.sectionA1.code, tree.windowA1.code].sort());
    expect(scopedPreview.summary.unchanged).toBe(scopedPreview.rows.length);
  });

  it('refuses files it cannot read', async () => {
    const { deps } = db();
    const office = await makeAccount(deps, 'office');
    await expect(
      uploadImport(deps, office, { filename: 'units.xls', bytes: Buffer.from('x') }),
    ).rejects.toMatchObject({ code: 'unsupported_file', status: 400 });
    await expect(
      uploadImport(deps, office, { filename: 'units.xlsx', bytes: Buffer.from('not a zip at all') }),
    ).rejects.toMatchObject({ code: 'unreadable_file' });
    await expect(
      uploadImport(deps, office, { filename: 'empty.csv', bytes: Buffer.alloc(0) }),
    ).rejects.toMatchObject({
      code: 'unreadable_file',
    });
  });
});
