import { randomBytes } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateUnit } from '../src/registry/service.js';
import { DIALECTS } from './support/db.js';
import { makeAccount, makeTree, SYSTEM, uniqueCode, type SmallTree } from './support/factories.js';
import { errorCode, openTestApp, signIn, type Client, type TestApp } from './support/http.js';
import { clerkWorkbook, GBK_CSV, utf8BomCsv } from './fixtures/workbooks.js';

/*
 * The spreadsheet import and export through HTTP, as the web console uses them: a multipart upload
 * built by hand (boundary and bytes), the preview, apply, and the export read back in.
 */

interface Preview {
  id: string;
  filename: string;
  createdAt: string;
  status: 'previewed' | 'applied';
  summary: { create: number; update: number; unchanged: number; errors: number; skipped: number };
  sheets: { name: string; entity: string | null; message: string }[];
  rows: {
    sheet: string;
    row: number;
    entity: string;
    key: string;
    action: string;
    changes: Record<string, { from: unknown; to: unknown }>;
    errors: { field: string; code: string; message: string }[];
  }[];
  skipped: { sheet: string; row: number; reason: string; message: string }[];
}

/** A multipart/form-data body with one file part, as a browser's FormData sends it. */
function multipart(
  filename: string,
  content: Buffer,
  field = 'file',
  contentType = 'application/octet-stream',
): Pick<InjectOptions, 'headers' | 'payload'> {
  const boundary = `----MinpingBoundary${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
    'utf8',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8');
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([head, content, tail]),
  };
}

const upload = (client: Client, filename: string, content: Buffer) =>
  client.request({ method: 'POST', url: '/api/imports', ...multipart(filename, content) });

const csv = (text: string) => utf8BomCsv(text);

for (const dialect of DIALECTS) {
  describe(`import and export over HTTP [${dialect}]`, () => {
    let t: TestApp;
    let tree: SmallTree;
    let office: Client;

    beforeAll(async () => {
      t = await openTestApp(dialect);
      tree = await makeTree(t.deps);
      const account = await makeAccount(t.deps, 'office');
      office = await signIn(t.app, account.username);
    });
    afterAll(async () => {
      await t.close();
    });

    it('uploads a messy workbook, shows the preview, applies it once', async () => {
      const res = await upload(office, '2026年单位名册.xlsx', await clerkWorkbook());
      expect(res.statusCode, res.body).toBe(201);
      const preview = res.json<Preview>();
      expect(preview).toMatchObject({
        filename: '2026年单位名册.xlsx',
        status: 'previewed',
        summary: { create: 6, update: 0, unchanged: 0, errors: 0 },
      });
      expect(Object.keys(preview).sort()).toEqual(
        ['createdAt', 'filename', 'id', 'rows', 'sheets', 'skipped', 'status', 'summary'].sort(),
      );
      expect(preview.skipped).toContainEqual({
        sheet: '单位名册',
        row: 1,
        reason: 'title',
        message: '表头上方的标题：“示范市2026年单位名册”',
      });
      expect(preview.skipped.map((s) => s.reason)).toEqual(
        expect.arrayContaining(['blank', 'notes', 'header']),
      );
      expect(preview.sheets.find((s) => s.name === 'Sheet3')).toMatchObject({ entity: null });

      const got = await office.get(`/api/imports/${preview.id}`);
      expect(got.statusCode).toBe(200);
      expect(got.json<Preview>().rows).toEqual(preview.rows);

      const applied = await office.post(`/api/imports/${preview.id}/apply`);
      expect(applied.statusCode, applied.body).toBe(200);
      expect(applied.json<Preview>()).toMatchObject({ id: preview.id, status: 'applied' });
      const units = (await office.get('/api/units')).json<{ code: string; name: string }[]>();
      expect(units.find((u) => u.code === 'SJ-001')?.name).toBe('示范市');

      const twice = await office.post(`/api/imports/${preview.id}/apply`);
      expect(twice.statusCode).toBe(409);
      expect(errorCode(twice)).toBe('import_already_applied');
      const after = await office.get(`/api/imports/${preview.id}`);
      expect(after.json<Preview>().status).toBe('applied');
    });

    it('reads CSV in UTF-8 with a BOM and in GB18030', async () => {
      const code = uniqueCode('CSV');
      const utf8 = await upload(
        office,
        'units.csv',
        csv(`code,name,kind,parentCode\n${code},导入科,section,${tree.deptA.code}\n`),
      );
      expect(utf8.statusCode, utf8.body).toBe(201);
      expect(utf8.json<Preview>().rows).toEqual([
        expect.objectContaining({ key: code, action: 'create', errors: [] }),
      ]);
      const gbk = await upload(office, '名册.csv', GBK_CSV);
      expect(gbk.statusCode).toBe(201);
      expect(gbk.json<Preview>().rows.map((r) => r.changes.name?.to)).toEqual(['示范县', '县民政局']);
    });

    it('refuses files of other types, unreadable workbooks, missing files and oversized uploads', async () => {
      const txt = await upload(office, 'units.txt', Buffer.from('code,name\n'));
      expect(txt.statusCode).toBe(400);
      expect(errorCode(txt)).toBe('unsupported_file');
      expect(txt.json<{ error: { message: string } }>().error.message).toMatch(/\.xlsx.*\.csv/);

      const xls = await upload(office, 'units.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
      expect(errorCode(xls)).toBe('unsupported_file');

      const corrupt = await upload(
        office,
        'units.xlsx',
        Buffer.from('PK\u0003\u0004 this is not really a zip'),
      );
      expect(corrupt.statusCode).toBe(400);
      expect(errorCode(corrupt)).toBe('unreadable_file');

      const wrongField = await office.request({
        method: 'POST',
        url: '/api/imports',
        ...multipart('units.csv', csv('code,name\n'), 'upload'),
      });
      expect(wrongField.statusCode).toBe(400);
      expect(errorCode(wrongField)).toBe('file_missing');

      const json = await office.post('/api/imports', { file: 'units.csv' });
      expect(json.statusCode).toBe(415);

      const big = await upload(office, 'big.csv', Buffer.alloc(10 * 1024 * 1024 + 1, 0x41));
      expect(big.statusCode).toBe(413);
      expect(errorCode(big)).toBe('body_too_large');

      // A file over the 1 MB limit of JSON bodies is still fine as an upload (a long ignored column pads it).
      const padding = '说明'.repeat(200);
      const rows = Array.from({ length: 1500 }, (_, i) => `B${i},单位${i},部门,${padding}`).join('\n');
      const content = csv(`code,name,kind,备注\n${rows}\n`);
      expect(content.length).toBeGreaterThan(1024 * 1024);
      const large = await upload(office, 'large.csv', content);
      expect(large.statusCode, large.body.slice(0, 200)).toBe(201);
      expect(large.json<Preview>().summary.create).toBe(1500);
    });

    it('answers 404 for an unknown import', async () => {
      const get = await office.get('/api/imports/00000000-0000-7000-8000-000000000000');
      expect(get.statusCode).toBe(404);
      const apply = await office.post('/api/imports/00000000-0000-7000-8000-000000000000/apply');
      expect(apply.statusCode).toBe(404);
    });

    it('refuses to apply rows in error, and a preview the registry has moved past', async () => {
      const bad = await upload(
        office,
        'bad.csv',
        csv('单位编码,单位名称,类型,上级单位编码\nBAD-1,x,部门,SJ-999\n'),
      );
      const badPreview = bad.json<Preview>();
      expect(badPreview.rows[0]?.errors).toEqual([
        {
          field: 'parentCode',
          code: 'unknown_parent',
          message: '上级单位编码 SJ-999 不存在（既不在系统中，也不在本文件中）',
        },
      ]);
      const refused = await office.post(`/api/imports/${badPreview.id}/apply`);
      expect(refused.statusCode).toBe(409);
      expect(errorCode(refused)).toBe('import_has_errors');

      const rename = await upload(
        office,
        'rename.csv',
        csv(`单位编码,单位名称\n${tree.deptB.code},市人力资源和社会保障局\n`),
      );
      const id = rename.json<Preview>().id;
      await updateUnit(t.deps, SYSTEM, tree.deptB.id, { name: '市人社总局' });
      const stale = await office.post(`/api/imports/${id}/apply`);
      expect(stale.statusCode).toBe(409);
      expect(errorCode(stale)).toBe('import_stale');
      const again = await office.get(`/api/imports/${id}`);
      expect(again.json<Preview>().rows[0]?.changes).toEqual({
        name: { from: '市人社总局', to: '市人力资源和社会保障局' },
      });
      expect((await office.post(`/api/imports/${id}/apply`)).statusCode).toBe(200);
    });

    it('lets only the office and administrators import', async () => {
      const staff = await signIn(
        t.app,
        (await makeAccount(t.deps, 'unit_staff', { unitId: tree.deptA.id })).username,
      );
      const leader = await signIn(t.app, (await makeAccount(t.deps, 'leader')).username);
      const file = csv('code,name,kind\nNOPE-1,x,department\n');
      for (const client of [staff, leader]) {
        const res = await upload(client, 'u.csv', file);
        expect(res.statusCode).toBe(403);
        expect(errorCode(res)).toBe('forbidden');
      }
      const preview = (await upload(office, 'u.csv', file)).json<Preview>();
      expect((await leader.get(`/api/imports/${preview.id}`)).statusCode).toBe(403);
      expect((await staff.post(`/api/imports/${preview.id}/apply`)).statusCode).toBe(403);
      const anonymous = await t.app.inject({
        method: 'POST',
        url: '/api/imports',
        ...multipart('u.csv', file),
      });
      expect(anonymous.statusCode).toBe(401);
      const admin = await signIn(t.app, (await makeAccount(t.deps, 'admin')).username);
      expect((await upload(admin, 'u.csv', file)).statusCode).toBe(201);
    });

    it('exports an .xlsx that imports back as all unchanged', async () => {
      const res = await office.get('/api/exports/registry.xlsx');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      expect(res.headers['content-disposition']).toBe(
        'attachment; filename="minping-registry-2026-03-16.xlsx"',
      );
      const back = await upload(office, 'minping-registry-2026-03-16.xlsx', res.rawPayload);
      expect(back.statusCode).toBe(201);
      const preview = back.json<Preview>();
      expect(preview.sheets.map((s) => s.name)).toEqual(['单位', '服务事项', '人员']);
      expect(preview.summary).toMatchObject({ create: 0, update: 0, errors: 0 });
      expect(preview.summary.unchanged).toBe(preview.rows.length);
      expect(preview.rows.length).toBeGreaterThan(6);

      // Unit staff may export (their subtree); leaders may read the registry too.
      const staff = await signIn(
        t.app,
        (await makeAccount(t.deps, 'unit_staff', { unitId: tree.deptA.id })).username,
      );
      const scoped = await staff.get('/api/exports/registry.xlsx');
      expect(scoped.statusCode).toBe(200);
      const scopedBack = (await upload(office, 'scoped.xlsx', scoped.rawPayload)).json<Preview>();
      const unitKeys = scopedBack.rows.filter((r) => r.entity === 'unit').map((r) => r.key);
      expect(unitKeys).toContain(tree.deptA.code);
      expect(unitKeys).not.toContain(tree.deptB.code);
      expect((await t.app.inject({ method: 'GET', url: '/api/exports/registry.xlsx' })).statusCode).toBe(401);
    });

    it('documents the routes in the OpenAPI document', async () => {
      const doc = (await office.get('/api/openapi.json')).json<{
        paths: Record<string, Record<string, unknown>>;
      }>();
      expect(Object.keys(doc.paths)).toEqual(
        expect.arrayContaining([
          '/api/imports',
          '/api/imports/{id}',
          '/api/imports/{id}/apply',
          '/api/exports/registry.xlsx',
        ]),
      );
      expect(JSON.stringify(doc.paths['/api/imports'])).toContain('multipart/form-data');
    });
  });
}
