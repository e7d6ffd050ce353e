import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/model.js';
import { advanceRound } from '../../src/campaigns/service.js';
import { inviteSome, seedKeyTaskCampaign } from '../../src/campaigns/testing.js';
import { confirmPopup, pickTreeOption, screenshot, signIn, useBrowserSuite } from './support.js';

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
});

it('the office designs a key-task campaign, opens it, invites, watches the response rate move and sees the results', async () => {
  const { deps, fixture } = e2e.server;
  const page = await e2e.open();
  await signIn(page, 'office');
  await page.getByRole('link', { name: '评价活动' }).click();
  await page.getByRole('button', { name: '新建评价' }).click();

  // --- design: two key tasks with their lead units and highlights, satisfaction + difficulty ---
  await page.getByLabel('评价名称').fill('浏览器重点工作评价');
  await page.getByLabel('标识（字母、数字、- _）').fill('e2e-office');
  await page.getByLabel('每个对象最少答卷数').fill('1');
  for (const [name, unit] of [
    ['民生兜底保障', fixture.civil.name],
    ['稳岗就业', fixture.labour.name],
  ] as const) {
    await page.getByRole('button', { name: '添加重点工作' }).click();
    await page.getByLabel('重点工作名称').last().fill(name);
    await pickTreeOption(
      page,
      page.locator('.ant-table-row').last().locator('.ant-select input'),
      unit.slice(0, 4),
      unit,
    );
    await page.getByLabel('工作亮点').last().fill(`${name}亮点一\n${name}亮点二`);
  }
  await page.getByRole('button', { name: '添加题目' }).hover();
  await page.getByRole('menuitem', { name: '难度（五级）' }).click();
  const preview = page.getByTestId('phone-preview');
  await preview.getByText('您认为该项工作的推进难度').waitFor();
  await preview.getByText('民生兜底保障亮点一').waitFor();
  await page.getByText('难度系数 = 1 + 0.05 × (难度值 − 3)').waitFor();
  await screenshot(page, 'campaign-designer');
  await page.getByRole('button', { name: '保存为草稿' }).click();

  // --- the campaign's page: open the round, invite three people from a list ---
  await page.getByRole('heading', { name: '浏览器重点工作评价' }).waitFor();
  await page.getByRole('button', { name: '开启本轮' }).click();
  await confirmPopup(page, '开启本轮');
  await page.getByText('进行中').first().waitFor();
  await page
    .getByLabel('评价人名单')
    .fill('代表甲,13900001111,人大代表\n代表乙,13900002222,人大代表\n委员丙,13900003333,政协委员');
  await page.getByRole('button', { name: '生成邀请' }).click();
  await page.getByText('已生成 3 份邀请。').waitFor();
  const links = await page.locator('.ant-table-row .ant-typography').allInnerTexts();
  expect(links).toHaveLength(3);
  await screenshot(page, 'campaign-invitations');

  await page.getByRole('tab', { name: '回收监控' }).click();
  const rate = page.locator('.ant-statistic').filter({ hasText: '回收率' });
  await expect.poll(() => rate.innerText()).toContain('0%');
  await page.getByText('尚未答卷（3 人）').waitFor();

  // Two evaluators answer on their phones' behalf (the ballot API, as the page would).
  const { submitBallot } = await import('../../src/campaigns/ballots.js');
  const campaign = (await import('../../src/campaigns/store.js')).campaignByKey;
  const row = await campaign(deps.database.db, 'e2e-office');
  if (!row) throw new Error('no campaign');
  const subjects = (await import('../../src/campaigns/store.js')).subjectsOf;
  const ids = (await subjects(deps.database.db, row.id)).map((s) => s.id);
  for (const [i, sat] of [
    [0, 'satisfied'],
    [1, 'fairly_satisfied'],
  ] as const) {
    const link = links[i] ?? '';
    const answers = Object.fromEntries(ids.map((id) => [id, { sat, dif: 'hard' }]));
    await submitBallot(deps, link.slice(link.indexOf('#') + 1), answers);
  }
  await page.reload();
  await page.getByRole('tab', { name: '回收监控' }).click();
  await expect.poll(() => rate.innerText()).toContain('66.7%');
  await page.getByText('尚未答卷（1 人）').waitFor();
  await page.getByRole('img', { name: '按评价对象' }).waitFor();
  await screenshot(page, 'campaign-monitor');

  // --- close, compute, results ---
  await page.getByRole('button', { name: '结束本轮' }).click();
  await confirmPopup(page, '结束本轮');
  await page.getByRole('button', { name: '计算结果' }).click();
  await confirmPopup(page, '计算结果');
  await page.getByRole('tab', { name: '结果' }).click();
  await page.getByText('共 2 份答卷，2 个评价对象').waitFor();
  const first = page.locator('.ant-table-row').filter({ hasText: '民生兜底保障' });
  // (100 + 80) / 2 = 90; difficulty 4 → coefficient 1.05 → 94.5.
  await expect.poll(() => first.innerText()).toContain('90.00');
  expect(await first.innerText()).toContain('94.50');
  expect(await first.innerText()).toContain('×1.050');
  await first.getByRole('button').first().click();
  await page.getByText('满意 1 · 比较满意 1 · 基本满意 0 · 不满意 0').first().waitFor();
  await screenshot(page, 'campaign-results');
  expect(e2e.errors).toEqual([]);
});
