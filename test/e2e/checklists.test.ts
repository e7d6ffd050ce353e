import { describe, expect, it } from 'vitest';
import { listChecklists } from '../../src/checklists/service.js';
import { screenshot, signIn, useBrowserSuite } from './support.js';

const SYSTEM = { kind: 'system', label: 'e2e' } as const;
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

/*
 * The demo's quarterly checklist (西安“6个1 + X”) in the browser: the unit's staff member sees the returned
 * item with its reason, is refused a PDF where photos are asked for, fills and submits another item; the
 * office accepts it in the review queue and sees the unit's points rise.
 */
describe('quarterly indicator checklists in the browser', () => {
  const e2e = useBrowserSuite('checklists');

  it('unit staff fill and submit an item; the office accepts it', async () => {
    const deps = e2e.server.deps;
    const [checklist] = await listChecklists(deps, SYSTEM);
    if (!checklist) throw new Error('the demo has no checklist');

    const page = await e2e.open();
    await signIn(page, 'unit');
    await page.getByRole('menu').getByText('季度指标清单').click();
    await page.getByRole('link', { name: checklist.name }).click();
    await page.getByText('各单位得分').waitFor();
    // Unit staff see their own unit only, and no review queue.
    expect(await page.locator('.ant-table-tbody').last().locator('tr').count()).toBe(1);
    expect(await page.getByText('待审核（').count()).toBe(0);
    await page.locator('.ant-table-tbody').last().getByRole('link').click();
    await page.getByText('基础指标').waitFor();
    const unitName =
      ((await page.locator('h1, h2, h3, h4').first().textContent()) ?? '').split(' · ')[0] ?? '';
    expect(unitName).not.toBe('');
    await screenshot(page, 'checklists-01-unit-sheet');

    const talk = page.locator('tr').filter({ hasText: '组织一次社区宣讲' });
    await talk.getByText('退回原因：照片看不出宣讲现场').waitFor();
    // A PDF where photos are asked for: refused, with the reason in words.
    await talk
      .locator('input[type=file]')
      .setInputFiles({ name: '宣讲.pdf', mimeType: 'application/pdf', buffer: PDF });
    await page.getByTestId('sheet-error').getByText('佐证材料类型不符').waitFor();
    await screenshot(page, 'checklists-02-wrong-evidence');

    const review = page.locator('tr').filter({ hasText: '研判一次工作成效' });
    await page.getByTestId('note-effect_review').fill('季度满意度研判会，形成分析报告一份');
    await review
      .locator('input[type=file]')
      .setInputFiles({ name: '研判报告.pdf', mimeType: 'application/pdf', buffer: PDF });
    await review.getByRole('link', { name: '研判报告.pdf' }).waitFor();
    await page.getByTestId('submit-effect_review').click();
    await review.getByText('待审核').waitFor();
    await screenshot(page, 'checklists-03-submitted');

    const office = await e2e.open();
    await signIn(office, 'office');
    await office.getByRole('menu').getByText('季度指标清单').click();
    await office.getByRole('link', { name: checklist.name }).click();
    const row = office.locator('tr').filter({ hasText: '研判一次工作成效' });
    await row.getByRole('link', { name: '研判报告.pdf' }).waitFor();
    await screenshot(office, 'checklists-04-review-queue');
    await row.getByRole('button', { name: '通过' }).click();
    await office
      .locator('.ant-modal')
      .getByRole('button', { name: /确\s?定|OK/ })
      .click();
    await office.getByText('已通过').first().waitFor();
    // The demo unit had two items accepted (10 points); now three.
    const unitRow = office.locator('tr').filter({ hasText: unitName });
    await unitRow.getByText('通过 3 / 已提交 5 / 共 6 项').waitFor();
    await unitRow.getByRole('cell', { name: '15', exact: true }).waitFor();
    await screenshot(office, 'checklists-05-accepted');

    await office.goto('/checklists/new');
    await office.getByRole('button', { name: /载入/ }).click();
    await office.locator('input[value="开展一次入户调研（不少于200户）"]').waitFor();
    await screenshot(office, 'checklists-06-designer');
    expect(e2e.errors).toEqual([]);
  });
});
