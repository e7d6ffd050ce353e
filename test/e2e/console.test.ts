import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { applyImport } from '../../src/registry/import-service.js';
import { listUnits } from '../../src/registry/service.js';
import { pickTreeOption, screenshot, signIn, useBrowserSuite, writeScratch } from './support.js';

const TIMEOUT = 90_000;

/** The current year in China, for effective dates that are in the past but after 2020. */
const thisYear = () => new Date(Date.now() + 8 * 3600_000).getUTCFullYear();

describe('console in the browser', () => {
  const e2e = useBrowserSuite('console');
  const { errors } = e2e;
  const open = () => e2e.open();

  /** The unit tree on the units page, and one unit in it by its full name. */
  const tree = (page: Page) => page.getByRole('tree');
  const node = (page: Page, name: string) => tree(page).getByTitle(name, { exact: true });

  const pickInTreeSelect = (page: Page, label: string, search: string, option: string) =>
    pickTreeOption(page, page.getByLabel(label, { exact: true }), search, option);

  it(
    'admin signs in with the one-time password, must change it, then lands in the console',
    async () => {
      const page = await open();
      await page.goto('/');
      // The console's bundle loads after the page's load event (public pages share index.html and must not
      // download it), so the redirect can take longer than expect.poll's default second on a busy machine.
      await expect.poll(() => page.url(), { timeout: 15_000 }).toContain('/login');
      await page.getByLabel('用户名').fill('admin');
      await page.getByLabel('密码').fill(e2e.server.adminPassword);
      await screenshot(page, '01-login');
      await page.getByRole('button', { name: '登录' }).click();

      await page.getByText('请先修改一次性密码').waitFor();
      // Nothing but the password form is offered.
      expect(await page.getByRole('menu').count()).toBe(0);
      await page.getByLabel('一次性密码（管理员发给您的密码）').fill(e2e.server.adminPassword);
      await page.getByLabel('新密码', { exact: true }).fill('admin-short');
      await page.getByLabel('再次输入新密码').fill('admin-short');
      await page.getByRole('button', { name: '确认修改' }).click();
      await page.getByText('密码不能包含用户名。').waitFor();
      await screenshot(page, '02-forced-password-change');

      await page.getByLabel('新密码', { exact: true }).fill('Qingshui-River-2026');
      await page.getByLabel('再次输入新密码').fill('Qingshui-River-2026');
      await page.getByRole('button', { name: '确认修改' }).click();

      // Every account lands on its workbench (工作台).
      await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
      await expect.poll(() => new URL(page.url()).pathname).toBe('/');
      await page.getByTestId('current-user').getByText('系统管理员').waitFor();
      const menu = page.getByRole('menu');
      for (const item of ['单位管理', '考核周期', '导入导出', '账号管理', 'API 令牌', '审计日志']) {
        await menu.getByText(item, { exact: true }).waitFor();
      }
      await menu.getByText('差评整改').waitFor();
      await screenshot(page, '03-admin-console');
    },
    TIMEOUT,
  );

  it(
    'office browses and searches the tree, adds a sub-unit, changes a unit from a date, and cannot make a cycle',
    async () => {
      const page = await open();
      await signIn(page, 'office');
      await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
      await page.getByRole('menu').getByText('单位管理', { exact: true }).click();
      await page.getByRole('heading', { name: '单位管理', exact: true }).waitFor();
      await tree(page).getByRole('treeitem').first().waitFor();
      await screenshot(page, '04-units-tree');

      // Search keeps the ancestors of each match; the tests' own county is found by name.
      await page.getByLabel('搜索单位').fill('试点县');
      await node(page, '试点县').waitFor();
      await node(page, '试点县人社局').waitFor();
      await page.getByLabel('搜索单位').fill('试点县救助');
      await node(page, '试点县救助服务窗口').waitFor();
      await node(page, '试点县民政局').waitFor();
      expect(await node(page, '试点县人社局').count()).toBe(0);
      await screenshot(page, '05-units-search');

      // Open a department and add a section under it.
      await node(page, '试点县民政局').click();
      await page.getByRole('tab', { name: /基本信息/ }).waitFor();
      await screenshot(page, '06-unit-detail');
      await page.getByRole('button', { name: '新增下级单位' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByText('在“试点县民政局”下新增下级单位').waitFor();
      await dialog.getByLabel('编码').fill('E2E-HYDJ');
      await dialog.getByLabel('名称', { exact: true }).fill('试点县婚姻登记股');
      await screenshot(page, '07-create-child');
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.getByText('已新增单位“试点县婚姻登记股”').waitFor();
      await node(page, '试点县婚姻登记股').waitFor();
      await page.locator('.ant-card-head').getByText('试点县婚姻登记股').waitFor();

      // Same code again: the server's duplicate error appears next to the code field.
      await page.locator('.ant-breadcrumb').getByText('试点县民政局').click();
      await page.locator('.ant-card-head').getByText('试点县民政局').waitFor();
      await page.getByRole('button', { name: '新增下级单位' }).click();
      await dialog.getByLabel('编码').fill('E2E-HYDJ');
      await dialog.getByLabel('名称', { exact: true }).fill('重复编码测试');
      await dialog.getByRole('button', { name: '创建' }).click();
      await dialog.getByText('已存在相同的编码').waitFor();
      await screenshot(page, '08-duplicate-code');
      await dialog.getByRole('button', { name: '取消' }).click();

      // Rename the department from 1 January of this year: the history gets a second version.
      const effective = `${thisYear()}-01-01`;
      await page.getByLabel('名称', { exact: true }).fill('试点县民政和养老服务局');
      await page.getByLabel('负责人', { exact: true }).fill('赵敏');
      const date = page.getByLabel('生效日期');
      await date.click();
      await date.fill(effective);
      await date.press('Enter');
      await screenshot(page, '09-edit-with-effective-date');
      await page.getByRole('button', { name: '保存修改' }).click();
      await page.getByText(`已保存，自 ${effective} 起生效`).waitFor();
      await node(page, '试点县民政和养老服务局').waitFor();

      await page.getByRole('tab', { name: /历史/ }).click();
      const history = page.getByRole('tabpanel');
      await history.getByText(`2020-01-01 ~ ${effective}`).waitFor();
      await history.getByText(`${effective} ~ 至今`).waitFor();
      await history.getByText('试点县民政局', { exact: true }).waitFor();
      expect(await history.locator('tbody tr').count()).toBe(2);
      await screenshot(page, '10-unit-history');

      // Moving the department under its own section is refused with the Chinese message.
      await page.getByRole('tab', { name: /基本信息/ }).click();
      await pickInTreeSelect(page, '上级单位', '救助', '试点县社会救助股');
      await page.getByRole('button', { name: '保存修改' }).click();
      await page.getByText('不能把单位移到它自己或它的下级单位之下。').waitFor();
      await screenshot(page, '11-tree-cycle-error');
    },
    TIMEOUT,
  );

  it(
    'import: a workbook or CSV file with an error cannot be applied; the corrected workbook is applied and its unit appears',
    async () => {
      const { deps, scratch } = e2e.server;
      const page = await open();
      await signIn(page, 'office');
      await page.getByRole('menu').getByText('导入导出').click();
      await page.getByRole('heading', { name: '导入导出' }).waitFor();
      await screenshot(page, '12-import-page');

      const header = [
        '单位编码',
        '单位名称',
        '简称',
        '类型',
        '上级单位编码',
        '类别',
        '标签',
        '排序',
        '负责人',
        '负责人电话',
        '生效日期',
      ];
      const unitsNamed = async (codes: string[]) =>
        (await deps.database.db.selectFrom('units').select('code').where('code', 'in', codes).execute()).map(
          (u) => u.code,
        );
      /** A workbook as a clerk saves it from Excel: one sheet 单位, the header row, then the units. */
      const workbook = async (name: string, rows: (string | number)[][]) => {
        const book = new ExcelJS.Workbook();
        const sheet = book.addWorksheet('单位');
        sheet.addRow(header);
        for (const row of rows) sheet.addRow(row);
        const path = join(scratch, name);
        await writeFile(path, Buffer.from(await book.xlsx.writeBuffer()));
        return path;
      };
      /** The preview's rows in error, as the clerk reads them: sheet, row, code and the reason. */
      const errorRows = async () =>
        (await page.locator('tr.mp-row-error').allInnerTexts()).map((text) =>
          text.replace(/\s+/g, ' ').trim(),
        );
      const applyButton = page.getByRole('button', { name: '确认导入' });

      // The workbook: row 2 is fine, row 3 names a parent unit that exists nowhere.
      const badBook = await workbook('单位-有错误.xlsx', [
        ['E2E-IMP-OK', '试点县医疗保障局', '', '部门', 'E2E-SDX', '', '', '', '', '', '2026-01-01'],
        ['E2E-IMP-BAD', '无主单位', '', '部门', 'NO-SUCH-PARENT', '', '', '', '', '', '2026-01-01'],
      ]);
      await page.locator('input[type=file]').setInputFiles(badBook);
      await page.getByText('第二步：核对预览 — 单位-有错误.xlsx').waitFor();
      await page.locator('.mp-row-error').first().waitFor();
      await page.getByText('1 行存在错误，暂不能导入', { exact: false }).waitFor();
      const inError = await errorRows();
      expect(inError).toHaveLength(1);
      expect(inError[0]).toMatch(/^单位 3 单位 E2E-IMP-BAD 错误 /);
      expect(inError[0]).toContain('上级单位编码 NO-SUCH-PARENT 不存在（既不在系统中，也不在本文件中）');
      expect(await applyButton.isDisabled()).toBe(true);
      await screenshot(page, '13-import-preview-errors-xlsx');
      // Even past the console, the server refuses to apply it, and nothing of the file was imported.
      const previewed = await deps.database.db
        .selectFrom('imports')
        .select(['id', 'status'])
        .where('filename', '=', '单位-有错误.xlsx')
        .executeTakeFirstOrThrow();
      expect(previewed.status).toBe('previewed');
      await expect(applyImport(deps, { kind: 'system', label: 'e2e' }, previewed.id)).rejects.toMatchObject({
        code: 'import_has_errors',
      });
      expect(await unitsNamed(['E2E-IMP-OK', 'E2E-IMP-BAD'])).toEqual([]);

      // The same mistake in a CSV file is caught the same way.
      const bad = await writeScratch(
        e2e.server,
        '单位-有错误.csv',
        [
          header.join(','),
          'E2E-IMP-OK,试点县医疗保障局,,部门,E2E-SDX,,,,,,2026-01-01',
          'E2E-IMP-BAD,无主单位,,部门,NO-SUCH-PARENT,,,,,,2026-01-01',
        ].join('\n') + '\n',
      );
      await page.locator('input[type=file]').setInputFiles(bad);
      await page.getByText('第二步：核对预览 — 单位-有错误.csv').waitFor();
      await page.locator('.mp-row-error').first().waitFor();
      const csvErrors = await errorRows();
      expect(csvErrors).toHaveLength(1);
      expect(csvErrors[0]).toContain('E2E-IMP-BAD');
      expect(csvErrors[0]).toContain('上级单位编码 NO-SUCH-PARENT 不存在');
      expect(await applyButton.isDisabled()).toBe(true);
      await screenshot(page, '13-import-preview-errors-csv');
      expect(await unitsNamed(['E2E-IMP-OK', 'E2E-IMP-BAD'])).toEqual([]);

      // The clerk corrects the workbook (the stray row removed) and uploads it again.
      const good = await workbook('单位-正确.xlsx', [
        ['E2E-IMP-OK', '试点县医疗保障局', '医保局', '部门', 'E2E-SDX', '', '民生', '', '', '', '2026-01-01'],
      ]);
      await page.locator('input[type=file]').setInputFiles(good);
      await page.getByText('第二步：核对预览 — 单位-正确.xlsx').waitFor();
      await page.getByText(/核对无误后可以导入/).waitFor();
      expect(await page.locator('tr.mp-row-error').count()).toBe(0);
      await screenshot(page, '14-import-preview-good');
      await applyButton.click();
      await page.getByRole('tooltip').getByRole('button', { name: /确/ }).click();
      await page.getByText('“单位-正确.xlsx”已导入', { exact: false }).waitFor();
      await screenshot(page, '15-import-applied');
      expect(await unitsNamed(['E2E-IMP-OK', 'E2E-IMP-BAD'])).toEqual(['E2E-IMP-OK']);

      await page.getByRole('button', { name: '查看单位' }).click();
      await page.getByLabel('搜索单位').fill('医疗保障');
      await node(page, '试点县医疗保障局').waitFor();
    },
    TIMEOUT,
  );

  it(
    'switching to English survives a reload',
    async () => {
      const page = await open();
      await signIn(page, 'office');
      await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
      await page.getByRole('menu').getByText('单位管理', { exact: true }).click();
      await page.getByRole('heading', { name: '单位管理', exact: true }).waitFor();
      await page.getByText('English', { exact: true }).click();
      await page.getByRole('heading', { name: 'Units', exact: true }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Units', exact: true }).waitFor();
      await page.getByRole('button', { name: 'Sign out' }).waitFor();
      await page.getByRole('menu').getByText('Audit log').waitFor();
      // Ant Design's own texts follow too.
      await page.getByPlaceholder(/^Today/).waitFor();
      await screenshot(page, '16-english');
      await page.getByRole('menu').getByText('Workbench').click();
      await page.getByRole('heading', { name: 'Workbench', exact: true }).waitFor();
      await page.getByText('Overdue cases', { exact: true }).first().waitFor();
      await page.getByRole('menu').getByText('Periods').click();
      await page.getByRole('heading', { name: 'Periods' }).waitFor();
      await page.getByRole('button', { name: 'New period' }).click();
      await page.getByRole('dialog').getByText('Create the whole year').waitFor();
      await page.getByRole('dialog').getByLabel('Year', { exact: true }).fill('2099');
      await page.getByRole('dialog').getByRole('button', { name: 'Create' }).click();
      await page.getByText(/Created 4 period/).waitFor();
      await screenshot(page, '17-english-periods');
    },
    TIMEOUT,
  );

  it(
    'unit staff see only their own subtree',
    async () => {
      const page = await open();
      await signIn(page, 'unit');
      await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
      await page.getByRole('menu').getByText('单位管理', { exact: true }).click();
      await page.getByRole('heading', { name: '单位管理', exact: true }).waitFor();
      const account = await e2e.server.deps.database.db
        .selectFrom('accounts')
        .select(['id', 'unitId', 'role'])
        .where('username', '=', 'unit')
        .executeTakeFirstOrThrow();
      expect(account.role).toBe('unit_staff');
      const visible = await listUnits(e2e.server.deps, {
        kind: 'account',
        id: account.id,
        username: 'unit',
        displayName: 'unit',
        role: 'unit_staff',
        unitId: account.unitId,
        mustChangePassword: false,
      });
      const own = visible.find((u) => u.id === account.unitId);
      expect(own).toBeDefined();
      await node(page, own?.name ?? '').waitFor();
      // The test's own county is outside every demo unit's subtree.
      expect(visible.some((u) => u.id === e2e.server.fixture.county.id)).toBe(false);
      expect(await node(page, '试点县').count()).toBe(0);
      // No menu entries beyond what the role may do; no top-level unit button.
      const menu = page.getByRole('menu');
      await menu.getByText('单位管理').waitFor();
      expect(await menu.getByText('账号管理').count()).toBe(0);
      expect(await menu.getByText('审计日志').count()).toBe(0);
      expect(await page.getByRole('button', { name: '新增顶级单位' }).count()).toBe(0);
      await screenshot(page, '18-unit-staff-tree');

      // Opening a unit outside the subtree by its address shows a refusal, not the unit.
      await page.goto(`/units/${e2e.server.fixture.civil.id}`);
      await page.getByText('该单位不在您的账号负责的范围内。').waitFor();
      await screenshot(page, '19-unit-staff-outside');
    },
    TIMEOUT,
  );

  it(
    'office creates an account and an API token (secrets shown once), adds a service item, closes a unit and reads its audit trail',
    async () => {
      const page = await open();
      await signIn(page, 'office');
      await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
      await page.getByRole('menu').getByText('单位管理', { exact: true }).click();
      await page.getByRole('heading', { name: '单位管理', exact: true }).waitFor();
      await screenshot(page, '20-units-overview');

      // A unit staff account for the labour bureau: the one-time password is shown once.
      await page.getByRole('menu').getByText('账号管理').click();
      await page.getByRole('button', { name: '新建账号' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('用户名').fill('e2e-clerk');
      await dialog.getByLabel('姓名').fill('试点县人社局 联络员');
      await pickInTreeSelect(page, '所属单位', '试点县人社', '试点县人社局');
      await screenshot(page, '21-account-create');
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.getByText('账号已创建').waitFor();
      const secret = await page.getByTestId('one-time-secret').textContent();
      expect(secret).toMatch(/^[A-Za-z0-9]{16}$/);
      await screenshot(page, '22-account-one-time-password');
      await page.getByRole('button', { name: '我已妥善保存' }).click();
      await page.getByRole('cell', { name: 'e2e-clerk' }).waitFor();
      await screenshot(page, '23-accounts');

      // An API token: its secret once, then revoked.
      await page.getByRole('menu').getByText('API 令牌').click();
      await page.getByRole('button', { name: '创建令牌' }).click();
      await dialog.getByText('可选。到期当天结束后令牌失效。').waitFor();
      await dialog.getByLabel('令牌名称').fill('政务大厅评价器');
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.getByText('令牌已创建').waitFor();
      expect(await page.getByTestId('one-time-secret').textContent()).toMatch(/^mpt_/);
      await page.getByRole('button', { name: '我已妥善保存' }).click();
      await page.getByRole('button', { name: '吊销' }).click();
      await page.getByRole('tooltip').getByRole('button', { name: /确/ }).click();
      await page.getByRole('cell', { name: '已吊销' }).waitFor();
      await screenshot(page, '24-tokens');

      // A service item for the labour bureau.
      await page.getByRole('menu').getByText('单位管理').click();
      await page.getByLabel('搜索单位').fill('试点县人社局');
      await node(page, '试点县人社局').click();
      await page.getByRole('tab', { name: /服务事项/ }).click();
      await page.getByRole('button', { name: '新增服务事项' }).click();
      await dialog.getByLabel('事项编码').fill('E2E-SYDJ');
      await dialog.getByLabel('事项名称').fill('失业登记');
      await dialog.getByText('线下', { exact: true }).click();
      await dialog.getByRole('button', { name: '创建' }).click();
      await page.getByRole('cell', { name: '失业登记' }).waitFor();
      await page.getByRole('tab', { name: '服务事项 (1)' }).waitFor();
      await screenshot(page, '25-service-items');

      // Its audit trail, from the unit's page.
      await page.getByRole('button', { name: '审计记录' }).click();
      await page.getByRole('heading', { name: '审计日志' }).waitFor();
      await page.getByText('仅看单位：试点县人社局').waitFor();
      await page.getByRole('cell', { name: '新增单位' }).waitFor();
      await page.locator('.ant-table-row-expand-icon').first().click();
      await page.getByText('本条哈希').first().waitFor();
      await screenshot(page, '26-audit-unit');

      // Close the relief window from today: it leaves today's tree but is kept, greyed, with closed units shown.
      await page.getByRole('menu').getByText('单位管理').click();
      await page.getByLabel('搜索单位').fill('试点县救助服务窗口');
      await node(page, '试点县救助服务窗口').click();
      await page.getByRole('button', { name: '撤销单位' }).click();
      await dialog.getByText('所有历史信息都会保留', { exact: false }).waitFor();
      await screenshot(page, '27-deactivate');
      await dialog.getByRole('button', { name: '确认撤销' }).click();
      await page
        .locator('.ant-card-head')
        .getByText(/已于 .* 撤销/)
        .waitFor();
      expect(await node(page, '试点县救助服务窗口').count()).toBe(0);
      await page.getByText('显示已撤销单位').click();
      await node(page, '试点县救助服务窗口').waitFor();
      await screenshot(page, '28-closed-unit');
    },
    TIMEOUT,
  );

  it('raised no uncaught errors in the pages', () => {
    expect(errors).toEqual([]);
  });
});
