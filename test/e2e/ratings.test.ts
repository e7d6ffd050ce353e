/*
 * Instant ratings and the bad-review loop in the browser: a clerk records a transaction, the person
 * served rates it ★1 on a phone (through a lost connection and a retry), the office finds the case,
 * verifies it, calls back, rectifies and replies, the public page shows the handling without the
 * rater's identity, and the rater judges the fix from the SMS link. Then the office gives a jurisdiction an
 * option of its own for ★1, and a phone rating a transaction there offers it.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { confirmPopup, pickTreeOption, screenshot, signIn, useBrowserSuite } from './support.js';

const TIMEOUT = 90_000;
const CONTACT = { name: '李建国', phone: '13912345678' };
const COMMENT = '低保申请材料没有一次说清，跑了三趟';
const RECTIFICATION = '已制作低保申请一次性告知单，窗口人员逐项讲解';
const REPLY = '感谢您的监督。已向您致歉，并改进了材料告知方式。';

describe('instant ratings and the bad-review loop in the browser', () => {
  const e2e = useBrowserSuite('ratings');
  const { errors } = e2e;
  const consolePage = () => e2e.open();

  /** A phone of the person served: no console session, touch, a narrow screen. */
  async function phone(): Promise<{ context: BrowserContext; page: Page }> {
    const page = await e2e.open({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    return { context: page.context(), page };
  }

  const pickUnit = pickTreeOption;

  it(
    'a ★1 from a phone becomes a case the office verifies, calls back, rectifies and answers; the public sees it, the rater judges it',
    async () => {
      // --- the clerk records the transaction with the person's contact details ---
      const office = await consolePage();
      await signIn(office, 'office');
      await office.getByTestId('current-user').waitFor();
      await office.getByRole('menu').getByText('办件登记').click();
      await office.getByRole('heading', { name: '办件登记' }).waitFor();
      await pickUnit(office, office.getByLabel('办理单位/窗口'), '试点县救助', '试点县救助服务窗口');
      await office.getByLabel('办事人姓名').fill(CONTACT.name);
      await office.getByLabel('办事人手机').fill(CONTACT.phone);
      await office.getByRole('button', { name: '登记并生成评价码' }).click();
      await office.getByTestId('rating-link').waitFor();
      await office.getByRole('img', { name: '评价二维码' }).waitFor();
      const ratingUrl = await office.getByRole('link', { name: '打开评价页' }).getAttribute('href');
      expect(ratingUrl).toMatch(/^\/r\/[A-Za-z0-9_-]{40,}$/);
      await screenshot(office, 'r01-transaction-recorded');

      // --- the person served rates ★1 on a phone; the first submit is lost to the network ---
      const { context: phoneContext, page: rate } = await phone();
      await rate.goto(`${ratingUrl ?? ''}?c=sms`);
      await rate.getByRole('heading', { name: '请评价本次服务' }).waitFor();
      await rate.getByText('试点县救助服务窗口').waitFor();
      await rate.getByRole('radio', { name: '非常不满意', exact: true }).tap();
      await rate.getByRole('button', { name: '未一次性告知' }).tap();
      await rate.getByRole('button', { name: '服务态度 2 星' }).tap();
      await rate.getByLabel('留言（选填）').fill(COMMENT);
      await rate.getByText('不会公开您的姓名和电话').waitFor();
      await screenshot(rate, 'r02-phone-rating');
      await phoneContext.setOffline(true);
      await rate.getByRole('button', { name: '提交评价' }).tap();
      await rate.getByText('网络不稳定，评价还没有提交成功').waitFor();
      await phoneContext.setOffline(false);
      // The retry sends the same idempotency key: stored once.
      await rate.getByRole('button', { name: '重新提交' }).tap();
      await rate.getByRole('heading', { name: '感谢您的反馈，我们会认真整改' }).waitFor();
      await screenshot(rate, 'r03-phone-thanks');
      // The link works once.
      await rate.goto(ratingUrl ?? '');
      await rate.getByRole('heading', { name: '这次服务已经评价过了' }).waitFor();

      // --- the dashboard counts it ---
      await office.getByRole('menu').getByText('评价统计').click();
      await office.getByRole('heading', { name: '评价统计' }).waitFor();
      await pickUnit(office, office.locator('#dashboard-unit'), '试点县', '试点县');
      await expect.poll(() => office.getByTestId('dashboard-summary').innerText()).toContain('试点县');
      await expect.poll(() => office.getByTestId('kpi-bad').innerText()).toContain('100.0%');
      await office.getByTestId('rank-windows').getByText('试点县救助服务窗口').waitFor();
      await screenshot(office, 'r04-dashboard');

      // --- the office finds the case in the queue ---
      await office.getByRole('menu').getByText('差评处理').click();
      await office.getByRole('heading', { name: '差评处理' }).waitFor();
      await pickUnit(office, office.locator('#cases-unit'), '试点县', '试点县');
      const row = office.getByRole('row').filter({ hasText: COMMENT });
      await row.getByText('待核实').waitFor();
      await row.getByText('实名').waitFor();
      await row.getByText(/剩余 \d+ 个工作日|今天到期/).waitFor();
      await screenshot(office, 'r05-case-queue');

      // --- and handles it in the drawer: verify, call back, rectify, reply ---
      await row.click();
      const drawer = office.locator('.ant-drawer');
      await drawer.getByTestId('case-comment').getByText(COMMENT).waitFor();
      await expect.poll(() => drawer.getByTestId('rater-contact').innerText()).toContain(CONTACT.phone);
      const caseId = new URL(office.url()).pathname.split('/').pop() ?? '';
      await drawer.getByRole('button', { name: '核实属实' }).click();
      await office
        .getByRole('dialog', { name: '核实属实' })
        .getByRole('button', { name: '核实属实' })
        .click();
      await drawer.getByTestId('case-state').getByText('整改中').waitFor();

      // Replying before the call-back of a named review is not offered.
      await drawer.getByText('这是实名评价：请先登记回访，再答复。').waitFor();
      await drawer.getByLabel('回访情况').fill('电话联系评价人，说明了低保申请所需材料，并致歉');
      await drawer.getByRole('button', { name: '登记回访' }).click();
      await drawer.getByText('已登记回访。').waitFor();
      await drawer.getByLabel('整改措施和结果').fill(RECTIFICATION);
      await drawer.getByRole('button', { name: '保存整改情况' }).click();
      await drawer.getByText(RECTIFICATION).first().waitFor();
      await drawer.getByLabel('答复内容').fill(REPLY);
      await drawer.getByRole('button', { name: '提交答复' }).click();
      await drawer.getByTestId('case-state').getByText('待评价人确认').waitFor();
      for (const event of ['差评转办', '核实属实', '回访', '整改情况', '答复评价人']) {
        await drawer.getByTestId('case-event').getByText(event, { exact: true }).first().waitFor();
      }
      await office.setViewportSize({ width: 1440, height: 1600 });
      // The picture is of the case, not of the toasts that confirmed each step.
      await expect.poll(() => office.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
      await screenshot(office, 'r06-case-detail');
      await office.locator('.ant-drawer-close').click();
      await row.getByText('待评价人确认').waitFor();

      // --- the public page shows the handling, never the rater ---
      await rate.goto('/public/units/E2E-JZCK');
      await rate.getByRole('heading', { name: '差评整改公示' }).waitFor();
      const item = rate.locator('.pp-case').filter({ hasText: COMMENT });
      await item.getByText('待评价人确认').waitFor();
      await item.getByText(RECTIFICATION).waitFor();
      await item.getByText(REPLY).waitFor();
      const text = await rate.locator('body').innerText();
      expect(text).not.toContain(CONTACT.phone);
      expect(text).not.toContain(CONTACT.name);
      await screenshot(rate, 'r07-public-unit');

      // --- the rater judges the fix from the SMS link (the outbox holds it for the gateway) ---
      const outbox = await office.request.get(`/api/outbox?relatedId=${caseId}`);
      const messages = (await outbox.json()) as { recipient: string; body: string }[];
      const sms = messages.find((m) => m.recipient === CONTACT.phone && m.body.includes('/j/'));
      const token = /\/j\/([A-Za-z0-9_-]+)/.exec(sms?.body ?? '')?.[1];
      expect(token).toBeTruthy();
      await rate.goto(`/j/${token ?? ''}`);
      await rate.getByRole('heading', { name: '请评价整改结果' }).waitFor();
      await rate.getByText(REPLY).waitFor();
      await rate.getByRole('radio', { name: '满意', exact: true }).tap();
      await rate.getByRole('button', { name: '提交' }).tap();
      await rate.getByRole('heading', { name: '感谢您的评价' }).waitFor();
      await rate.goto('/public/units/E2E-JZCK');
      await rate.locator('.pp-case').filter({ hasText: COMMENT }).getByText('已办结').waitFor();

      expect(errors).toEqual([]);
    },
    TIMEOUT,
  );

  it(
    'a jurisdiction’s own ★1 option, set in the console, is offered on a phone rating a transaction there',
    async () => {
      const OWN = '窗口无人值守';
      const office = await consolePage();
      await signIn(office, 'office');
      await office.getByTestId('current-user').waitFor();
      // The hotline's call-back system is registered like a pad; its token is for the system, not a kiosk page.
      await office.getByRole('menu').getByText('设备与海报').click();
      await office.getByRole('button', { name: '登记设备' }).click();
      const register = office.getByRole('dialog', { name: '登记设备' });
      await pickTreeOption(office, register.locator('#deviceCreate_unitId'), '试点县', '试点县');
      await register.locator('#deviceCreate_kind').click();
      await office.locator('.ant-select-item-option').filter({ hasText: '回访热线系统' }).click();
      await register.getByText('坐席回访时通过办件的评价链接代群众提交评价').waitFor();
      await register.getByLabel('设备名称').fill('12345 回访系统');
      await register.getByRole('button', { name: /创\s*建/ }).click();
      const created = office.getByRole('dialog', { name: '设备已登记' });
      await created.getByText('请把令牌配置到热线系统中').waitFor();
      expect(await created.getByTestId('kiosk-url').count()).toBe(0);
      await screenshot(office, 'r08-hotline-device');
      await created.getByRole('button', { name: '我已妥善保存' }).click();
      await created.waitFor({ state: 'hidden' });

      await office.goto('/settings/ratings');
      const section = office.locator('.ant-card').filter({ hasText: '按辖区或单位设置评价选项和办公时间' });
      await section.getByText('还没有单位单独设置').waitFor();
      await section.getByRole('button', { name: '添加单位设置' }).click();
      const dialog = office.getByRole('dialog', { name: '添加单位设置' });
      await pickTreeOption(office, dialog.locator('#ratingOverride_unitId'), '试点县', '试点县');
      await dialog.getByLabel('自定义线下办理（窗口）的评价选项').check();
      // The list starts from the installation's options; the county adds one of its own to ★1.
      const level1 = dialog.locator('#ratingOverride_tags_offline_1');
      await level1.fill(OWN);
      await level1.press('Enter');
      await dialog.locator('.ant-select-selection-item').filter({ hasText: OWN }).waitFor();
      await screenshot(office, 'r09-override-dialog');
      await dialog.getByRole('button', { name: /保\s*存/ }).click();
      await dialog.waitFor({ state: 'hidden' });
      const row = section.getByRole('row').filter({ hasText: '试点县' });
      await row.getByText(/自定义（\d+ 项）/).waitFor();
      await expect.poll(() => row.innerText()).toContain('沿用上级');
      await expect.poll(() => office.locator('.ant-message-notice').count(), { timeout: 10_000 }).toBe(0);
      await screenshot(office, 'r10-overrides-list');

      // A transaction at a window of the county, rated on a phone: ★1 offers the county's option.
      await office.getByRole('menu').getByText('办件登记').click();
      await office.getByRole('heading', { name: '办件登记' }).waitFor();
      await pickUnit(office, office.getByLabel('办理单位/窗口'), '试点县救助', '试点县救助服务窗口');
      await office.getByRole('button', { name: '登记并生成评价码' }).click();
      await office.getByTestId('rating-link').waitFor();
      const ratingUrl = await office.getByRole('link', { name: '打开评价页' }).getAttribute('href');
      const { page: rate } = await phone();
      await rate.goto(ratingUrl ?? '');
      await rate.getByRole('heading', { name: '请评价本次服务' }).waitFor();
      await rate.getByRole('radio', { name: '非常不满意', exact: true }).tap();
      await rate.getByRole('button', { name: OWN }).tap();
      await expect
        .poll(() => rate.getByRole('button', { name: OWN }).getAttribute('aria-pressed'))
        .toBe('true');
      await screenshot(rate, 'r11-phone-own-option');
      await rate.getByRole('button', { name: '提交评价' }).tap();
      await rate.getByRole('heading', { name: '感谢您的反馈，我们会认真整改' }).waitFor();

      // Removing the county's settings brings the installation's options back.
      await office.goto('/settings/ratings');
      await section
        .getByRole('row')
        .filter({ hasText: '试点县' })
        .getByRole('button', { name: /删\s*除/ })
        .click();
      await confirmPopup(office, /删\s*除/);
      await section.getByText('还没有单位单独设置').waitFor();
      expect(errors).toEqual([]);
    },
    TIMEOUT,
  );
});
