import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { pickTreeOption, screenshot, signIn, useBrowserSuite } from './support.js';

/*
 * The 办不成事 window in the browser: a person files on a phone (390 × 844) and gets a receipt code; the
 * office's coordinator accepts and assigns it to a unit, answers for the unit, resolves it; the person
 * looks it up by the code on the phone and judges the result; the office puts it on the rectification
 * ledger. The duty rota and the English pages are looked at too.
 */
const e2e = useBrowserSuite('window');

const phone = () =>
  e2e.open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

async function noSideways(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

const WHAT = '孩子在试点县上小学要居住证，派出所说要先租房备案，房东不配合，教育局说没有居住证不能入学。';

it('a matter filed on a phone is accepted, assigned, answered, resolved, judged on the phone and put on the ledger', async () => {
  // --- the person, on a phone ---
  const mobile = await phone();
  await mobile.goto('/public/window');
  await mobile.getByRole('heading', { name: '“办不成事”反映' }).waitFor();
  await noSideways(mobile);
  await screenshot(mobile, 'window-phone-form');
  // Nothing typed: the browser keeps the form; a name and phone are asked for.
  await mobile.getByLabel('什么事没办成').fill(WHAT);
  await mobile.getByLabel('在哪里办的').fill('试点县政务服务中心');
  await mobile.getByLabel('涉及哪些部门').fill('教育局、公安局');
  await mobile.getByLabel('称呼').fill('孙女士');
  await mobile.getByLabel('手机号码').fill('12');
  await mobile.getByRole('button', { name: '提交反映', exact: true }).click();
  await mobile.getByRole('alert').getByText('请填写能接收办理结果的电话号码').waitFor();
  await mobile.getByLabel('手机号码').fill('13512348888');
  await mobile.getByRole('button', { name: '提交反映', exact: true }).click();
  await mobile.getByRole('heading', { name: '已收到您的反映' }).waitFor();
  const code = (await mobile.getByTestId('receipt-code').innerText()).trim();
  expect(code).toMatch(/^[A-HJKMNP-Z2-9]{10}$/);
  await noSideways(mobile);
  await screenshot(mobile, 'window-phone-filed');
  await mobile.getByRole('link', { name: '查看办理进度' }).click();
  await mobile.getByTestId('matter-state').getByText('已登记，待受理').waitFor();
  expect(await mobile.locator('body').innerText()).not.toContain('13512348888');

  // --- the coordinator, in the console ---
  const office = await e2e.open();
  await signIn(office, 'office');
  await office.getByRole('link', { name: '反映事项' }).click();
  await office.getByRole('heading', { name: '“办不成事”反映' }).waitFor();
  await office.getByText(code).click();
  const drawer = office.locator('.ant-drawer');
  await drawer.getByTestId('matter-what').getByText(WHAT).waitFor();
  // The office sees the phone number to call the person back.
  await drawer.getByText('13512348888').waitFor();
  await drawer.getByRole('button', { name: '受理', exact: true }).click();
  await drawer.getByTestId('matter-state').getByText('待交办').waitFor();
  await drawer.getByRole('button', { name: '交办', exact: true }).click();
  const dialog = office.locator('.ant-modal:visible');
  await pickTreeOption(office, dialog.locator('#window-assign-unit'), '社会救助股', '试点县社会救助股');
  await dialog.getByText('试点县社会救助股', { exact: true }).last().waitFor();
  await dialog.getByLabel('牵头单位').click();
  await office.locator('.ant-select-item-option').getByText('试点县社会救助股').click();
  await screenshot(office, 'window-console-assign');
  await dialog
    .getByRole('button', { name: '确 定', exact: true })
    .or(dialog.getByRole('button', { name: '确定', exact: true }))
    .click();
  await drawer.getByTestId('matter-state').getByText('办理中').waitFor();
  await drawer.getByTestId('assignment').getByText('待答复').waitFor();

  // The unit's answer (the office records it here), then the result.
  await drawer.getByRole('button', { name: '答复（试点县社会救助股）', exact: true }).click();
  await dialog.getByLabel('本单位办理情况').fill('已协调派出所以水电缴费记录替代租房备案，居住证已办好。');
  await dialog.getByRole('button', { name: /确\s?定/ }).click();
  await drawer.getByTestId('matter-state').getByText('待办结').waitFor();
  await drawer.getByRole('button', { name: '办结并告知反映人', exact: true }).click();
  await dialog.getByLabel('告知反映人的办理结果').fill('居住证已办好，孩子可以入学。');
  await dialog.getByRole('button', { name: /确\s?定/ }).click();
  await drawer.getByTestId('matter-state').getByText('已办结待评价').waitFor();
  await screenshot(office, 'window-console-resolved');

  // --- the person judges the result on the phone ---
  await mobile.goto(`/public/window/${code.toLowerCase()}`);
  await mobile.getByTestId('matter-state').getByText('已办结，请您评价').waitFor();
  await mobile.getByTestId('resolution').getByText('居住证已办好，孩子可以入学。').waitFor();
  await mobile.getByRole('radio', { name: '满意', exact: true }).click();
  await mobile.getByLabel('还想说的（选填）').fill('一周就办好了');
  await noSideways(mobile);
  await screenshot(mobile, 'window-phone-judge');
  await mobile.getByRole('button', { name: '提交评价', exact: true }).click();
  await mobile.getByTestId('rated').getByText('您的评价：满意。谢谢！').waitFor();
  await mobile.getByRole('button', { name: 'English', exact: true }).click();
  await mobile.getByTestId('matter-state').getByText('Resolved').waitFor();
  await screenshot(mobile, 'window-phone-judged-en');

  // --- the office sees the judgement and puts the matter on the ledger ---
  await office.reload();
  await drawer.getByTestId('matter-rating').getByText('满意').waitFor();
  await drawer.getByRole('button', { name: '转为整改台账', exact: true }).click();
  await dialog.getByLabel('责任人').fill('李股长');
  await dialog.getByRole('button', { name: /确\s?定/ }).click();
  await drawer.getByText('该事项已转为整改台账事项。').waitFor();
  await screenshot(office, 'window-console-ledger');

  // The queue with the demo's matters; the duty rota.
  await office.keyboard.press('Escape');
  await office.goto('/window');
  await office.getByTestId('window-tile-handling').waitFor();
  await screenshot(office, 'window-console-queue');
  await office.goto('/window-rota');
  await office.getByRole('heading', { name: '“办不成事”值班表' }).waitFor();
  await screenshot(office, 'window-console-rota');
  expect(e2e.errors).toEqual([]);
});
