import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  confirmDialog,
  confirmPopup,
  pickTreeOption,
  signIn,
  useBrowserSuite,
  writeScratch,
} from './support.js';

const TIMEOUT = 180_000;
const SHOTS = process.env.MINPING_SHOTS ?? '/tmp/shots';

/*
 * The assessment office's whole round in the browser, on units of the tests' own county (试点县):
 * a two-component scheme built in the editor, a survey imported from a .csv, a run computed for
 * 2025年度, a unit's explanation, two review stages (approve, then amend), publication and the
 * public page.
 *
 * By hand: 第三方测评 is 60 points, linear from 0 (0 points) to 100 (60 points); the survey gives
 * 民政局 90 → 54, 救助股 80 → 48, 人社局 70 → 42. The county's own units have no ratings, so 好评率
 * (40 points, zero when missing) adds 0. Ranks: 民政局 1, 救助股 2, 人社局 3. Lists of 2: best
 * 民政局, 救助股; worst 人社局 alone (救助股 is already on the best list). Stage 1 keeps 2 (approve).
 * Stage 2 keeps 1: the amendment removes 救助股, leaving 民政局 best and 人社局 worst.
 */
describe('scoring in the browser', () => {
  const e2e = useBrowserSuite('scoring');
  const { errors } = e2e;
  const open = () => e2e.open();

  beforeAll(async () => {
    await mkdir(SHOTS, { recursive: true });
  });

  async function shot(page: Page, name: string): Promise<void> {
    await page.waitForTimeout(400);
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  /** Picks an option of the antd Select whose input has this id. */
  async function choose(page: Page, id: string, option: string): Promise<void> {
    await page.locator(`#${id}`).click();
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: option })
      .first()
      .click();
  }

  /** The same for a Select with search: typing narrows a long (virtual) list to the option. */
  async function search(page: Page, id: string, option: string): Promise<void> {
    await page.locator(`#${id}`).click();
    await page.locator(`#${id}`).fill(option);
    await page
      .locator('.ant-select-dropdown:visible .ant-select-item-option')
      .filter({ hasText: option })
      .first()
      .click();
  }

  /** Picks a unit in a unit tree picker, again if a dialog's opening animation swallowed the click. */
  const pickUnit = pickTreeOption;

  const node = (page: Page, id: string): Locator => page.getByTestId(`node-${id}`);

  let runId = '';

  it(
    'office builds a scheme, imports scores, computes, reviews in two stages and publishes',
    async () => {
      const page = await open();
      await signIn(page, 'office');
      await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
      const menu = page.getByRole('menu');
      await menu.getByText('考核评比').waitFor();

      // --- the scheme, built in the editor ---
      await menu.getByText('考核方案', { exact: true }).click();
      await page.getByRole('heading', { name: '考核方案', exact: true }).waitFor();
      await page.getByRole('button', { name: '新建方案' }).click();
      await page.getByTestId('template-caidian').waitFor();
      await shot(page, 'scoring-00-templates');
      await page.getByTestId('template-blank').click();
      await page.getByRole('heading', { name: '新建考核方案' }).waitFor();
      await page.getByLabel('方案编码').fill('E2E-KH');
      await page.getByLabel('方案名称').fill('试点县作风评议');

      // The root alone: the live check says a leaf is missing nowhere yet, but groups and stages are.
      await page.getByTestId('scheme-check').getByText('方案至少需要一个排名分组').waitFor();

      await page.getByRole('button', { name: '添加子项' }).first().click();
      await page.getByLabel('名称', { exact: true }).fill('第三方测评');
      await page.getByLabel('分值', { exact: true }).fill('60');
      await choose(page, 'sc-source-kind', '外部评分');
      await page.locator('#sc-series').fill('e2e_survey');
      await choose(page, 'sc-mapping-kind', '线性换算');
      await page.getByLabel('起点（得 0 分）').fill('0');
      await page.getByLabel('满分点（得满分）').fill('100');

      // 60 of 100: the problem shows next to the total, in the summary, and on the node itself.
      await page.getByTestId('scheme-check').getByText('“总分”的子项分值之和 60 ≠ 100').waitFor();
      await expect.poll(() => page.getByTestId('sum-total').textContent()).toBe('子项 60/100');
      await node(page, 'total').click();
      await page.getByTestId('node-problems').getByText('“总分”的子项分值之和 60 ≠ 100').waitFor();
      await shot(page, 'scoring-01-editor-problem');

      await page.getByRole('button', { name: '添加子项' }).first().click();
      await page.getByLabel('名称', { exact: true }).fill('群众好评');
      await page.getByLabel('分值', { exact: true }).fill('40');
      // A leaf without a source is named as such until one is chosen.
      await page.getByTestId('scheme-check').getByText('“群众好评”没有数据来源').waitFor();
      await choose(page, 'sc-source-kind', '即时评价');
      await choose(page, 'sc-statistic', '好评率');
      await choose(page, 'sc-mapping-kind', '线性换算');
      await page.getByLabel('满分点（得满分）').fill('1');
      await expect.poll(() => page.getByTestId('sum-total').textContent()).toBe('子项 100/100');

      // The ranking group: the county's two departments and its section.
      await page.getByRole('tab', { name: /排名分组/ }).click();
      await page.getByRole('button', { name: '添加分组' }).click();
      await page.getByLabel('分组代码').fill('e2e');
      await page.getByLabel('分组名称').fill('试点县单位');
      const codes = page.getByLabel('指定单位编码');
      await codes.click();
      await page.keyboard.type('E2E-MZJ,E2E-RSJ,E2E-JZG,');
      await page.keyboard.press('Escape');

      // Lists of 2, then two stages: keep 2, then keep 1.
      await page.getByRole('tab', { name: '名单与审议' }).click();
      await page.getByLabel('最好名单（十佳）人数').fill('2');
      await page.getByLabel('最差名单（十差）人数').fill('2');
      await page.getByRole('button', { name: '添加环节' }).click();
      await page.getByLabel('环节名称 1').fill('纪委常委会审议');
      await page.getByLabel('审议机构 1').fill('县纪委');
      await page.getByLabel('本环节后保留 1').fill('2');
      await page.getByRole('button', { name: '添加环节' }).click();
      await page.getByLabel('环节名称 2').fill('县委常委会审定');
      await page.getByLabel('审议机构 2').fill('县委');
      await page.getByLabel('本环节后保留 2').fill('1');

      await page.getByTestId('scheme-check').getByText('方案检查通过').waitFor();
      await shot(page, 'scoring-02-editor-ok');
      await page.getByRole('button', { name: '保存方案' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('修改说明').fill('试点县作风评议首版');
      await dialog.getByRole('button', { name: '保存' }).click();
      await page.getByText('已保存为第 1 版').waitFor();
      await page.getByRole('heading', { name: /试点县作风评议/ }).waitFor();
      await page.getByRole('tab', { name: '排名分组（1）' }).click();
      await shot(page, 'scoring-03-editor-saved');

      // --- the survey, imported from a .csv ---
      await menu.getByText('外部评分', { exact: true }).click();
      await page.getByRole('heading', { name: '外部评分', exact: true }).waitFor();
      await page.locator('#sc-import-series').fill('e2e_survey');
      await search(page, 'sc-import-period', '2025年度');
      await page.getByLabel('依据文件').fill('试点县2025年第三方满意度测评报告');
      const csv = await writeScratch(
        e2e.server,
        'survey.csv',
        ['单位编码,分值', 'E2E-MZJ,90', 'E2E-RSJ,70', 'E2E-JZG,80', 'NO-SUCH-UNIT,50', ''].join('\n'),
      );
      await page.locator('input[type=file]').setInputFiles(csv);
      // The unknown unit is an error: nothing can be imported until the file is fixed.
      const preview = page.getByTestId('import-preview');
      await preview.getByText('NO-SUCH-UNIT', { exact: true }).waitFor();
      await page.getByText('有 1 行错误，不能导入').waitFor();
      // The line's problem is told in Chinese (translated from its code), not in the server's English.
      await preview.getByText('没有编码为 NO-SUCH-UNIT 的单位', { exact: true }).waitFor();
      expect(await preview.getByText('No unit has the code').count()).toBe(0);
      expect(await page.getByRole('button', { name: '确认导入' }).isDisabled()).toBe(true);
      await shot(page, 'scoring-04-import-error');

      const fixed = await writeScratch(
        e2e.server,
        'survey-fixed.csv',
        ['单位编码,分值', 'E2E-MZJ,90', 'E2E-RSJ,70', 'E2E-JZG,80', ''].join('\n'),
      );
      await page.locator('input[type=file]').setInputFiles(fixed);
      await page.getByText('可以导入 3 个分值').waitFor();
      await shot(page, 'scoring-05-import-preview');
      await page.getByRole('button', { name: '确认导入' }).click();
      await confirmPopup(page, /确\s*定|OK/);
      await page.getByText('已导入 3 个分值').first().waitFor();
      const values = page.getByTestId('score-values');
      await values.getByText('试点县民政局').waitFor();
      await values.getByText('试点县2025年第三方满意度测评报告').first().waitFor();
      await shot(page, 'scoring-06-imported');

      // --- the run ---
      await menu.getByText('考核结果', { exact: true }).click();
      await page.getByRole('heading', { name: '考核结果', exact: true }).waitFor();
      await search(page, 'sc-run-scheme', '试点县作风评议');
      await search(page, 'sc-run-period', '2025年度');
      await choose(page, 'sc-run-group', '试点县单位');
      await page.getByRole('button', { name: '开始计算' }).click();
      // The county's units have no ratings: the dialog says so before anything is computed.
      expect(await confirmDialog(page, '已知悉，仍然开始计算')).toEqual([
        '“群众好评”没有任何单位的数据：全部 3 个单位将按零分计分，而不是按实际表现计分。',
      ]);
      await page.getByText('已计算 3 个单位的结果').waitFor();
      await expect.poll(() => page.url()).toMatch(/\/runs\/[^/]+$/);
      runId = page.url().split('/').at(-1) ?? '';

      const rows = page.getByTestId('results-table').locator('tbody tr.ant-table-row');
      await expect.poll(() => rows.count()).toBe(3);
      const table = await rows.allInnerTexts();
      expect(table[0]).toContain('试点县民政局');
      expect(table[0]).toContain('54.00');
      expect(table[1]).toContain('试点县社会救助股');
      expect(table[1]).toContain('48.00');
      // The section is told apart by its department, shown under its name.
      expect(await rows.nth(1).getByTestId('unit-parent').textContent()).toBe('试点县民政局');
      expect(table[2]).toContain('试点县人社局');
      expect(table[2]).toContain('42.00');
      await page.getByTestId('run-state').getByText('待审议：第 1/2 个环节“纪委常委会审议”').waitFor();
      await shot(page, 'scoring-07-run');

      // A unit's explanation: the survey value, its mapping and points, and where the value came from.
      await rows.nth(1).click();
      const drawer = page.getByTestId('unit-drawer');
      await drawer.getByText('试点县民政局 试点县社会救助股：得分说明').waitFor();
      await expect.poll(() => drawer.getByTestId('unit-total').textContent()).toBe('48.00');
      const tree = drawer.getByTestId('explanation-tree');
      await tree.getByText('第三方测评').waitFor();
      await tree.getByText('外部评分 · e2e_survey').waitFor();
      await tree.getByText('线性换算：0 得 0 分，100 得满分').waitFor();
      await tree.getByText(/试点县2025年第三方满意度测评报告/).waitFor();
      await shot(page, 'scoring-08-explanation');
      await page.locator('.ant-drawer-close').click();

      // --- review: stage 1 approves, stage 2 amends with a reason ---
      await page.getByRole('tab', { name: /名单审议/ }).click();
      await expect
        .poll(() => page.getByTestId('proposed-best').innerText())
        .toBe('试点县民政局\n试点县社会救助股');
      // A unit on the best list is not proposed for the worst one too.
      await expect.poll(() => page.getByTestId('proposed-worst').innerText()).toBe('试点县人社局');
      await page.getByText('登记第 1 个环节：纪委常委会审议').waitFor();
      await shot(page, 'scoring-09-review');
      await page.getByRole('button', { name: '登记审议决定' }).click();
      // The stage keeps 2 on each list, and the worst list has only 人社局.
      expect(await confirmDialog(page, '已知悉，仍然登记审议决定')).toEqual([
        '最差名单现有 1 个单位，而“纪委常委会审议”规定保留 2 个。',
      ]);
      await page.getByText('已登记“纪委常委会审议”的审议决定').waitFor();
      await page.getByText('登记第 2 个环节：县委常委会审定').waitFor();

      await page.getByLabel('调整名单').check();
      // Without a change and a reason the decision cannot be recorded.
      expect(await page.getByRole('button', { name: '登记最终审定' }).isDisabled()).toBe(true);
      await page.getByRole('button', { name: '从名单中删去 试点县社会救助股' }).click();
      await expect.poll(() => page.getByTestId('amend-best').innerText()).toBe('试点县民政局');
      await expect.poll(() => page.getByTestId('amend-worst').innerText()).toBe('试点县人社局');
      expect(await page.getByRole('button', { name: '登记最终审定' }).isDisabled()).toBe(true);
      await page.getByLabel('调整理由').fill('救助股与相邻单位得分差距小，经县委常委会研究不列入名单');
      await shot(page, 'scoring-10-amend');
      await page.getByRole('button', { name: '登记最终审定' }).click();
      // Final approval locks the result: asked once more, with no warning (stage 2 keeps 1 and 1).
      await page.locator('.ant-modal-confirm-title', { hasText: '确认最终审定？' }).waitFor();
      await shot(page, 'scoring-10b-confirm-final');
      expect(await confirmDialog(page, '登记最终审定')).toEqual([]);
      await page.getByTestId('run-state').getByText('已审定，结果已锁定').waitFor();
      await expect.poll(() => page.getByTestId('current-best').innerText()).toBe('试点县民政局');
      await expect.poll(() => page.getByTestId('current-worst').innerText()).toBe('试点县人社局');
      const history = page.getByTestId('review-history');
      await history
        .getByText('救助股与相邻单位得分差距小，经县委常委会研究不列入名单', { exact: false })
        .waitFor();
      await shot(page, 'scoring-11-locked');

      // --- publication ---
      // The checks before publication name the leaf without values; the dialog names it again.
      await page
        .getByTestId('run-warnings-panel')
        .getByText('“群众好评”没有任何单位的数据', { exact: false })
        .waitFor();
      await page.getByRole('button', { name: '发布' }).click();
      await page.locator('.ant-modal-confirm-title', { hasText: '确认向社会发布这份结果？' }).waitFor();
      await shot(page, 'scoring-11b-confirm-publish');
      expect(await confirmDialog(page, '已知悉，仍然发布')).toEqual([
        '“群众好评”没有任何单位的数据：全部 3 个单位将按零分计分，而不是按实际表现计分。',
      ]);
      await page
        .getByTestId('run-state')
        .getByText(/已于 .* 发布/)
        .waitFor();
      await page.getByRole('link', { name: /公开页面/ }).waitFor();
      await shot(page, 'scoring-12-published');
    },
    TIMEOUT,
  );

  it(
    'computing a period that has not ended names it with each leaf without values, and cancelling computes nothing',
    async () => {
      const page = await open();
      await signIn(page, 'office');
      await page.goto('/runs');
      await page.getByRole('heading', { name: '考核结果', exact: true }).waitFor();
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      await rows.first().waitFor();
      const before = await rows.count();
      await search(page, 'sc-run-scheme', '试点县作风评议');
      // The current year: on the machine's clock it has not ended (its 31 December is still ahead).
      const year = new Date().getFullYear();
      await search(page, 'sc-run-period', `${year}年度`);
      await choose(page, 'sc-run-group', '试点县单位');
      await page.getByRole('button', { name: '开始计算' }).click();
      await page.locator('.ant-modal-confirm-title', { hasText: '计算前请确认' }).waitFor();
      await shot(page, 'scoring-07b-compute-warnings');
      expect(await confirmDialog(page, /取\s*消/)).toEqual([
        `考核周期“${year}年度”到 ${year}-12-31 才结束，现在的数据还不完整。`,
        '“第三方测评”没有任何单位的数据：全部 3 个单位将按零分计分，而不是按实际表现计分。',
        '“群众好评”没有任何单位的数据：全部 3 个单位将按零分计分，而不是按实际表现计分。',
      ]);
      expect(page.url()).toMatch(/\/runs$/);
      expect(await rows.count()).toBe(before);
    },
    TIMEOUT,
  );

  it(
    'the public page lists the published units in rank order',
    async () => {
      expect(runId).not.toBe('');
      const page = await open();
      await page.goto(`/public/results/${runId}`);
      await page.getByText('试点县作风评议').first().waitFor({ timeout: 20_000 });
      await page.getByText('试点县人社局').first().waitFor();
      const body = await page.locator('body').innerText();
      const at = (name: string) => body.indexOf(name);
      // The full ranking: 民政局, then 救助股, then 人社局 (the last one also heads the worst list).
      expect(at('试点县民政局')).toBeGreaterThanOrEqual(0);
      const table = page.locator('table').last();
      // Each row links its unit's name; a section also names its department (救助股 under 民政局).
      const order = await table.locator('tbody tr td > a').allInnerTexts();
      expect(order).toEqual(['试点县民政局', '试点县社会救助股', '试点县人社局']);
      const parents = await table.locator('tbody tr .rs-parent').allInnerTexts();
      expect(parents).toEqual(['试点县', '试点县民政局', '试点县']);
      await shot(page, 'scoring-13-public');
    },
    TIMEOUT,
  );

  it(
    'office sets a joint task whose lead unit cannot score itself, and records and revokes a veto',
    async () => {
      const page = await open();
      await signIn(page, 'office');
      const menu = page.getByRole('menu');
      await menu.getByText('联考评分', { exact: true }).click();
      await page.getByRole('heading', { name: '联考评分', exact: true }).waitFor();
      await page.getByRole('button', { name: '新建联考任务' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByLabel('任务代码').fill('e2e_joint');
      await dialog.getByLabel('任务名称').fill('试点县联合督查');
      await pickUnit(page, dialog.getByLabel('牵头单位'), '试点县民政', '试点县民政局');
      await dialog
        .getByRole('button', { name: '创 建' })
        .or(dialog.getByRole('button', { name: '创建' }))
        .click();
      await page.getByText('已新建联考任务“试点县联合督查”').waitFor();

      await search(page, 'sc-sheet-period', '2025年度');
      await page.getByLabel('依据文件').fill('试点县联合督查评分表');
      const unitPicker = (n: number) => page.locator('[id^=sc-sheet-unit-]').nth(n);
      await pickUnit(page, unitPicker(0), '试点县人社', '试点县人社局');
      await page.getByLabel('分值', { exact: true }).first().fill('88');
      await page.getByRole('button', { name: '添加一行' }).click();
      await pickUnit(page, unitPicker(1), '试点县民政', '试点县民政局');
      await page.getByLabel('分值', { exact: true }).nth(1).fill('95');
      await page.getByRole('button', { name: '提交评分' }).click();
      await confirmPopup(page, /确\s*定|OK/);
      // The lead unit on its own sheet: refused, and nothing is stored.
      await page.getByTestId('sheet-error').getByText('牵头单位不能给自己打分').waitFor();
      await page.getByText('该周期还没有录入评分。').waitFor();
      await shot(page, 'scoring-15-sheet-refused');

      await page.getByRole('button', { name: '删除' }).nth(1).click();
      await page.getByRole('button', { name: '提交评分' }).click();
      await confirmPopup(page, /确\s*定|OK/);
      await page.getByText('已保存 1 个评分').waitFor();
      await page.getByRole('cell', { name: '试点县人社局' }).waitFor();
      await shot(page, 'scoring-16-sheet-stored');

      await menu.getByText('一票否决', { exact: true }).click();
      await page.getByRole('heading', { name: '一票否决', exact: true }).waitFor();
      await search(page, 'sc-veto-period', '2026年度');
      // The demo city has vetoes of its own this year; the county's unit is not among them.
      await page.getByRole('row').nth(1).waitFor();
      expect(await page.getByRole('row', { name: /试点县人社局/ }).count()).toBe(0);
      await page.getByRole('button', { name: '登记一票否决' }).click();
      const veto = page.getByRole('dialog');
      await pickUnit(page, veto.getByLabel('单位', { exact: true }), '试点县人社', '试点县人社局');
      await veto.getByLabel('否决理由').fill('发生重大安全生产责任事故');
      await veto.getByLabel('依据').fill('县安委〔2026〕3号');
      await veto.getByRole('button', { name: '登记一票否决' }).click();
      await page.getByText('已登记一票否决').waitFor();
      await page.getByRole('cell', { name: /发生重大安全生产责任事故/ }).waitFor();
      await shot(page, 'scoring-17-veto');
      const row = page.getByRole('row', { name: /试点县人社局/ });
      await row.getByText('撤销', { exact: true }).click();
      const revoke = page.getByRole('dialog');
      expect(
        await revoke
          .getByRole('button', { name: '撤 销' })
          .or(revoke.getByRole('button', { name: '撤销' }))
          .isDisabled(),
      ).toBe(true);
      await revoke.getByLabel('撤销理由').fill('经复核，事故责任不在该单位');
      await revoke
        .getByRole('button', { name: '撤 销' })
        .or(revoke.getByRole('button', { name: '撤销' }))
        .click();
      await page.getByText('已撤销', { exact: true }).first().waitFor();
      await row.getByText('经复核，事故责任不在该单位').waitFor();
      expect(await row.getByText('撤销', { exact: true }).count()).toBe(0);
      await shot(page, 'scoring-18-veto-revoked');
    },
    TIMEOUT,
  );

  it(
    'a template opens in the editor as a sound scheme with its tree, groups and stages',
    async () => {
      const page = await open();
      await signIn(page, 'office');
      await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
      await page.goto('/schemes/new?template=caidian');
      await page.getByTestId('scheme-check').getByText('方案检查通过').waitFor({ timeout: 20_000 });
      await expect.poll(() => page.getByTestId('sum-total').textContent()).toMatch(/^子项 (\d+)\/\1$/);
      await shot(page, 'scoring-19-template-editor');
      await page.getByRole('tab', { name: '名单与审议' }).click();
      await shot(page, 'scoring-20-template-review');
      await page.goto('/runs');
      await page.getByRole('heading', { name: '考核结果', exact: true }).waitFor();
      await page.getByText('试点县作风评议').first().waitFor();
      await shot(page, 'scoring-21-runs');
    },
    TIMEOUT,
  );

  it(
    'a leader reads results and schemes but is offered no buttons that change them',
    async () => {
      const page = await open();
      await signIn(page, 'leader');
      const menu = page.getByRole('menu');
      await menu.getByText('考核结果', { exact: true }).click();
      await page.getByRole('heading', { name: '考核结果', exact: true }).waitFor();
      expect(await page.getByRole('button', { name: '开始计算' }).count()).toBe(0);
      await page.getByText('试点县作风评议').first().click();
      await page.getByTestId('results-table').getByText('试点县民政局', { exact: true }).first().waitFor();
      expect(await page.getByRole('button', { name: '发布' }).count()).toBe(0);
      await menu.getByText('考核方案', { exact: true }).click();
      await page.getByText('试点县作风评议').first().click();
      await page.getByText('您的账号可以查看，但不能修改考核方案和考核结果').waitFor();
      expect(await page.getByRole('button', { name: '添加子项' }).count()).toBe(0);
      expect(await page.getByLabel('名称', { exact: true }).isDisabled()).toBe(true);
      await shot(page, 'scoring-14-leader');
      expect(errors).toEqual([]);
    },
    TIMEOUT,
  );
});
