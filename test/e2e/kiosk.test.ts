/*
 * 一次一评 at the counter, in the browser: a window's rating pad (a tablet, registered as a device)
 * shows the general rating of its window while nothing is waiting; a clerk records a transaction for
 * the window in the console; the pad picks it up by itself and asks the person to rate that
 * transaction; after the rating it thanks and starts over with the general rating again.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/model.js';
import { createDevice } from '../../src/ratings/service.js';
import { createServiceItem, createStaff } from '../../src/registry/service.js';
import { pickTreeOption, screenshot, signIn, useBrowserSuite } from './support.js';

const TIMEOUT = 90_000;
const SYSTEM: Actor = { kind: 'system', label: 'e2e kiosk' };
const ITEM = '临时救助申请';
const CONTACT = { name: '陈淑芬', phone: '13700001111' };

describe('the window pad asks for a rating of the transaction just handled', () => {
  const e2e = useBrowserSuite('kiosk');
  const { errors } = e2e;

  /** The rating pad on the counter: a tablet in landscape, touch, no console session. */
  const tablet = (): Promise<Page> =>
    e2e.open({ viewport: { width: 1180, height: 820 }, deviceScaleFactor: 1, hasTouch: true });

  it(
    'shows the general rating, then the transaction the clerk just recorded, rates it, thanks and resets',
    async () => {
      const { deps, fixture } = e2e.server;
      await createServiceItem(deps, SYSTEM, {
        code: 'E2E-LSJZ',
        name: ITEM,
        unitId: fixture.relief.id,
        mode: 'both',
      });
      await createStaff(deps, SYSTEM, { staffNo: 'E2E0007', name: '赵敏', unitId: fixture.reliefWindow.id });
      const { device, token } = await createDevice(deps, SYSTEM, {
        unitId: fixture.reliefWindow.id,
        kind: 'rating_device',
        name: '救助窗口评价器',
      });

      // --- the pad, set up with its token, shows the general rating while nothing is waiting ---
      const pad = await tablet();
      await pad.goto(`/kiosk/E2E-JZCK?device=${token}`);
      await pad.getByText('窗口综合评价 · 当前没有待评价的办件').waitFor();
      await pad.getByRole('heading', { name: '试点县救助服务窗口' }).waitFor();
      // The token left the address bar (the screen faces the public).
      expect(new URL(pad.url()).search).toBe('');
      await screenshot(pad, 'k01-kiosk-general');

      // --- the clerk records the transaction in the console ---
      const office = await e2e.open();
      await signIn(office, 'office');
      await office.getByTestId('current-user').waitFor();
      await office.getByRole('menu').getByText('办件登记').click();
      await office.getByRole('heading', { name: '办件登记' }).waitFor();
      await pickTreeOption(office, office.getByLabel('办理单位/窗口'), '试点县救助', '试点县救助服务窗口');
      await office.getByLabel('服务事项').click();
      await office.locator('.ant-select-item-option').filter({ hasText: ITEM }).click();
      await office.getByLabel('经办人员').click();
      await office.locator('.ant-select-item-option').filter({ hasText: '赵敏' }).click();
      await office.getByLabel('办事人姓名').fill(CONTACT.name);
      await office.getByLabel('办事人手机').fill(CONTACT.phone);
      await office.getByRole('button', { name: '登记并生成评价码' }).click();
      await office.getByTestId('rating-link').waitFor();

      // --- the pad picks it up by itself and asks for a rating of that transaction ---
      await pad.getByRole('heading', { name: `请为刚才办理的「${ITEM}」评价` }).waitFor();
      await pad.getByText('本次办件评价 · 一次一评').waitFor();
      await pad.getByText('赵（工号 E2E0007）').waitFor();
      await pad.getByText('试点县救助服务窗口').waitFor();
      const shown = await pad.locator('body').innerText();
      expect(shown).not.toContain(CONTACT.name);
      expect(shown).not.toContain(CONTACT.phone);
      expect(shown).not.toContain('当前没有待评价的办件');
      await screenshot(pad, 'k02-kiosk-transaction');

      await pad.getByRole('radio', { name: '满意', exact: true }).tap();
      await pad.getByRole('button', { name: '办事效率高' }).tap();
      await pad.getByRole('button', { name: '服务态度 5 星' }).tap();
      await screenshot(pad, 'k03-kiosk-rating');
      await pad.getByRole('button', { name: '提交评价' }).tap();
      await pad.getByRole('heading', { name: '感谢您的评价！' }).waitFor();
      await pad.getByText(/\d+ 秒后返回首页/).waitFor();
      await screenshot(pad, 'k04-kiosk-thanks');

      // Stored once, for that transaction, from the pad, under window_device.
      const rows = await deps.database.db
        .selectFrom('ratings as r')
        .innerJoin('transactions as t', 't.id', 'r.transactionId')
        .select(['r.level', 'r.channel', 'r.deviceId', 'r.tags', 't.contactPhone', 't.ratingId', 'r.id'])
        .where('r.deviceId', '=', device.id)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        level: 4,
        channel: 'window_device',
        deviceId: device.id,
        tags: '["办事效率高"]',
        contactPhone: CONTACT.phone,
      });
      expect(rows[0]?.ratingId).toBe(rows[0]?.id);

      // --- it resets by itself: the transaction is rated, so the general rating is back ---
      await pad.getByText('窗口综合评价 · 当前没有待评价的办件').waitFor({ timeout: 20_000 });
      await pad.getByRole('radio', { name: '非常满意', exact: true }).waitFor();
      expect(await pad.getByRole('radio', { checked: true }).count()).toBe(0);
      await screenshot(pad, 'k05-kiosk-reset');

      expect(errors).toEqual([]);
    },
    TIMEOUT,
  );
});
