import { expect, it } from 'vitest';
import { screenshot, signIn, useBrowserSuite, writeScratch } from './support.js';

/*
 * The evaluator pool in the browser: the office imports a pool workbook with one bad line, sees it refused,
 * fixes the file and imports it; draws 4 of the 6 with a quota; makes and publishes the draw; the public
 * draw page shows the counts by stratum and no names.
 */
const e2e = useBrowserSuite('panel');

it('imports a pool with a bad line, fixes it, draws with a quota and shows the public draw page', async () => {
  const page = await e2e.open();
  await signIn(page, 'office');
  await page.getByRole('link', { name: '导入样本库' }).waitFor();
  await page.goto('/panel/import');
  const header = '姓名,手机号,群体,区域,基层,标签,回避单位';
  const lines = [
    '浏览器甲,13912340001,教师,,是,一线教师,',
    '浏览器乙,13912340002,教师,,否,一线教师,',
    '浏览器丙,13912340003,教师,,是,一线教师,',
    '浏览器丁,13912340004,教师,,是,一线教师,',
    '浏览器戊,13912340005,教师,,否,一线教师,',
  ];
  const bad = await writeScratch(
    e2e.server,
    '样本库-有错误.csv',
    [header, ...lines, '浏览器己,1391234,教师,,是,一线教师,'].join('\n'),
  );
  await page.locator('input[type=file]').setInputFiles(bad);
  await page.getByTestId('import-summary').filter({ hasText: '错误 1' }).waitFor();
  await page
    .getByText('不是 11 位手机号', { exact: false })
    .or(page.getByText('is not an 11-digit mobile number', { exact: false }))
    .first()
    .waitFor();
  expect(await page.getByRole('button', { name: '导入' }).isDisabled()).toBe(true);
  await screenshot(page, 'panel-import-error');

  const good = await writeScratch(
    e2e.server,
    '样本库-正确.csv',
    [header, ...lines, '浏览器己,13912340006,教师,,是,一线教师,'].join('\n'),
  );
  await page.locator('input[type=file]').setInputFiles(good);
  await page.getByTestId('import-summary').filter({ hasText: '新增 6' }).waitFor();
  await page.getByRole('button', { name: '导入' }).click();
  await page.getByText('已导入').first().waitFor();

  // A draw of 5 with at least 4 from the grassroots (the demo pool's evaluators and the six just imported).
  await page.goto('/panel/draws/new');
  await page.getByLabel('用途', { exact: true }).fill('浏览器测试抽取');
  await page.getByLabel('人数', { exact: true }).fill('5');
  await page.getByRole('button', { name: '添加配额' }).click();
  await page.getByLabel('按', { exact: true }).click();
  await page.getByTitle('基层').last().click();
  await page.getByLabel('取值', { exact: true }).click();
  await page.getByTitle('是').last().click();
  await page.getByLabel('至少', { exact: true }).fill('4');
  await page.getByLabel('至多', { exact: true }).fill('5');
  await page.getByRole('button', { name: '预览' }).click();
  await page.getByText('入选概率').first().waitFor();
  await screenshot(page, 'panel-draw-preview');
  await page.getByRole('button', { name: '公告' }).click();
  await page.getByText('已公告').first().waitFor();
  await page.getByPlaceholder('输入公告后产生的公开数值', { exact: false }).fill('2026-03-17 福彩3D 905');
  await page.getByRole('button', { name: '抽取' }).click();
  await page.getByRole('button', { name: '发布' }).click();
  await page.getByText('已发布').first().waitFor();
  await screenshot(page, 'panel-draw-record');
  const drawId = page.url().split('/').pop() ?? '';

  await page.goto(`/public/draws/${drawId}`);
  await page.getByTestId('draw-purpose').filter({ hasText: '浏览器测试抽取' }).waitFor();
  await page.getByTestId('draw-strata').waitFor();
  const text = await page.locator('body').innerText();
  expect(text).toContain('共抽中 5 人');
  expect(text).not.toMatch(/浏览器[甲乙丙丁戊己]|139\d{8}/);
  await screenshot(page, 'panel-public-draw');
  expect(e2e.errors).toEqual([]);
});
