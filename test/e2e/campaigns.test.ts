import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/model.js';
import { advanceRound } from '../../src/campaigns/service.js';
import { inviteSome, seedKeyTaskCampaign } from '../../src/campaigns/testing.js';
import { screenshot, useBrowserSuite } from './support.js';

/*
 * Evaluation campaigns in the browser. The evaluator's phone (390 × 844): the invitation link opens the
 * list of key tasks; the evaluator answers one and half of another, leaves, comes back on a fresh
 * browser and finds the draft, finishes, submits once, gets a receipt and — once the round has closed —
 * checks it. Forged links, used links and a closed round each get a clear page; nothing the page sends
 * names the evaluator.
 */
const e2e = useBrowserSuite('campaigns');
const SYSTEM: Actor = { kind: 'system', label: 'e2e' };

const phone = () =>
  e2e.open({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });

const tokenOf = (link: string) => link.slice(link.indexOf('#') + 1);

async function noSideways(page: Page): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
}

it('an evaluator answers on a phone, leaves, resumes the draft, submits once and checks the receipt', async () => {
  const { deps, fixture } = e2e.server;
  const f = await seedKeyTaskCampaign(deps, SYSTEM, [fixture.civil.id, fixture.labour.id], {
    key: 'e2e-phone',
  });
  const [first, second] = await inviteSome(deps, SYSTEM, f, 2);
  if (!first || !second) throw new Error('no invitations');

  // --- the link from the SMS: the list of the two key tasks, in Chinese, with the anonymity note ---
  const page = await phone();
  const sent: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes('/api/public/ballots/')) sent.push(r.postData() ?? '');
  });
  await page.goto(`/ballot#${first.token}`);
  await page.getByRole('heading', { name: '请对以下 2 个对象进行评价' }).waitFor();
  await page.getByText('评价截止日期').waitFor();
  expect(await page.getByTestId('anonymity-note').innerText()).toContain('匿名');
  await expect.poll(() => page.getByRole('button', { name: /未开始/ }).count()).toBe(2);
  expect(await page.getByRole('button', { name: '提交答卷' }).isDisabled()).toBe(true);
  await noSideways(page);
  await screenshot(page, 'campaign-ballot-list');

  // English on request, and back.
  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('heading', { name: 'Please evaluate the 2 items below' }).waitFor();
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('heading', { name: '请对以下 2 个对象进行评价' }).waitFor();

  // --- the first task: its highlights, every question answered ---
  await page.getByRole('button', { name: /重点工作1/ }).click();
  await page.getByRole('heading', { name: '重点工作1' }).waitFor();
  await page.getByText('新增停车位600余个').waitFor();
  await page.getByRole('radio', { name: '比较满意' }).click();
  await page.getByRole('radio', { name: '较难' }).click();
  await page.getByRole('button', { name: '推诿扯皮、踢皮球' }).click();
  await page.getByLabel('意见建议').fill('希望加快停车位建设进度');
  await noSideways(page);
  await screenshot(page, 'campaign-ballot-subject');
  await page.getByRole('button', { name: '下一个' }).click();

  // --- the second: only satisfaction, then back to the list and save ---
  await page.getByRole('heading', { name: '重点工作2' }).waitFor();
  await page.getByRole('radio', { name: '满意', exact: true }).click();
  await page.getByRole('button', { name: '‹ 返回评价名单' }).click();
  await page.getByRole('button', { name: /重点工作1.*已完成/ }).waitFor();
  await page.getByRole('button', { name: /重点工作2.*未答完/ }).waitFor();
  await page.getByRole('button', { name: '保存草稿' }).click();
  await page.getByTestId('draft-saved').waitFor();
  await page.close();

  // --- back later, in another browser: the draft is there ---
  const again = await phone();
  again.on('request', (r) => {
    if (r.url().includes('/api/public/ballots/')) sent.push(r.postData() ?? '');
  });
  await again.goto(`/ballot#${first.token}`);
  await again.getByTestId('draft-resumed').waitFor();
  await again.getByText('已完成 1 / 2').waitFor();
  await again.getByRole('button', { name: /重点工作2.*未答完/ }).click();
  expect(await again.getByRole('radio', { name: '满意', exact: true }).getAttribute('aria-checked')).toBe(
    'true',
  );
  await screenshot(again, 'campaign-ballot-resumed');
  await again.getByRole('radio', { name: '一般' }).click();
  await again.getByRole('button', { name: '返回名单' }).click();
  await again.getByText('已完成 2 / 2').waitFor();

  // --- submit once: a confirmation, then the receipt ---
  await again.getByRole('button', { name: '提交答卷' }).click();
  await again.getByRole('button', { name: '确认提交' }).click();
  const receipt = (await again.getByTestId('receipt-code').innerText()).trim();
  expect(receipt).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
  await noSideways(again);
  await screenshot(again, 'campaign-ballot-receipt');

  // Nothing sent with a ballot or a draft names the evaluator: only the token and the answers.
  expect(sent.length).toBeGreaterThanOrEqual(3);
  for (const body of sent) {
    const keys = Object.keys(JSON.parse(body) as object).sort();
    expect(keys.join()).toMatch(/^(answers,token|token)$/);
    expect(body).not.toContain(first.name);
    expect(body).not.toContain('1390000');
  }
  expect(await again.locator('body').innerText()).not.toContain(first.name);

  // The same link again: already submitted. A forged one: not valid.
  await again.goto('about:blank');
  await again.goto(`/ballot#${first.token}`);
  await again.getByRole('heading', { name: '您已提交过答卷' }).waitFor();
  await again.goto(`/ballot#${tokenOf(second.link).slice(0, -2)}xx`);
  await again.getByRole('heading', { name: '评价链接无效' }).waitFor();
  await again.getByText('请按邀请短信或邀请函上的链接完整打开').waitFor();
  await screenshot(again, 'campaign-ballot-forged');

  // --- the receipt can be checked once the round has closed ---
  await again.goto(`/public/receipts/${f.roundId}`);
  await again.getByText('本轮评价尚未结束').waitFor();
  await advanceRound(deps, SYSTEM, f.roundId, 'close');
  await again.reload();
  await again.getByRole('heading', { name: '核对评价回执' }).waitFor();
  await again.getByLabel('回执码').fill(receipt.toLowerCase().replace(/-/g, ''));
  await again.getByRole('button', { name: '核对' }).click();
  const found = again.getByTestId('receipt-found');
  await found.waitFor();
  const counted = await found.innerText();
  expect(counted).toContain('重点工作1');
  expect(counted).toContain('比较满意');
  expect(counted).toContain('较难');
  expect(counted).toContain('推诿扯皮、踢皮球');
  expect(counted).toContain('希望加快停车位建设进度');
  expect(counted).toContain('一般');
  await noSideways(again);
  await screenshot(again, 'campaign-receipt-check');
  await again.getByLabel('回执码').fill('2222-3333-4444');
  await again.getByRole('button', { name: '核对' }).click();
  await again.getByTestId('receipt-missing').waitFor();

  // --- the other evaluator, after the close: the evaluation has ended ---
  await again.goto(`/ballot#${second.token}`);
  await again.getByRole('heading', { name: '本轮评价已经结束' }).waitFor();
  await screenshot(again, 'campaign-ballot-closed');
  expect(e2e.errors).toEqual([]);
});
