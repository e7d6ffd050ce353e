/*
 * 一次一评 at the counter, in the browser: a window's rating pad (a tablet, registered as a device)
 * shows the general rating of its window while nothing is waiting; a clerk records a transaction for
 * the window in the console; the pad picks it up by itself and asks the person to rate that
 * transaction; after the rating it thanks and starts over with the general rating again.
 *
 * At a hall's self-service terminal the person types the number on their receipt and their phone's
 * last four digits instead, rates the transaction found, and the terminal starts over, fields empty.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/model.js';
import { createDevice, recordTransaction } from '../../src/ratings/service.js';
import { createServiceItem, createStaff, createUnit } from '../../src/registry/service.js';
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

  it(
    'at a hall terminal: types the number and phone digits, rates the transaction found, and the page resets',
    async () => {
      const { deps, fixture } = e2e.server;
      const validFrom = '2020-01-01';
      const hall = await createUnit(deps, SYSTEM, {
        code: 'E2E-ZWZX',
        name: '试点县政务服务中心',
        kind: 'station',
        parentId: fixture.county.id,
        validFrom,
      });
      const window = await createUnit(deps, SYSTEM, {
        code: 'E2E-ZHSL',
        name: '综合受理3号窗口',
        kind: 'window',
        parentId: hall.id,
        validFrom,
      });
      const item = await createServiceItem(deps, SYSTEM, {
        code: 'E2E-JZZ',
        name: '居住证办理',
        unitId: hall.id,
        mode: 'both',
      });
      const person = { name: '林晓梅', phone: '138-2468-1357' };
      const number = 'SDX2026040900017';
      const now = deps.clock.now().toISOString();
      await recordTransaction(
        deps,
        SYSTEM,
        {
          externalNo: number,
          unitId: window.id,
          serviceItemId: item.id,
          mode: 'offline',
          receivedAt: now,
          completedAt: now,
          contactName: person.name,
          contactPhone: person.phone,
        },
        { publicUrl: e2e.server.url, qr: false },
      );
      const { device, token } = await createDevice(deps, SYSTEM, {
        unitId: hall.id,
        kind: 'self_service',
        name: '大厅自助评价终端',
      });

      // --- the terminal asks for the number on the receipt ---
      const terminal = await tablet();
      await terminal.goto(`/kiosk/E2E-ZWZX?device=${token}`);
      await terminal.getByRole('heading', { name: '输入办件编号评价' }).waitFor();
      await terminal.getByText('大厅自助评价 · 一次一评').waitFor();
      await terminal.getByRole('button', { name: '对“试点县政务服务中心”综合评价' }).waitFor();
      expect(new URL(terminal.url()).search).toBe('');
      await screenshot(terminal, 'k06-hall-number');

      // --- wrong digits: one plain message, nothing about whose number it is ---
      const numberField = terminal.getByLabel('办件编号');
      const digitsField = terminal.getByLabel('手机号后四位');
      await numberField.fill(number.toLowerCase());
      await digitsField.fill('1234');
      await terminal.getByRole('button', { name: '查找办件' }).tap();
      await terminal
        .getByRole('alert')
        .getByText(/没有找到可以在这里评价的办件/)
        .waitFor();
      await screenshot(terminal, 'k07-hall-not-found');

      await digitsField.fill('1357');
      await terminal.getByRole('button', { name: '查找办件' }).tap();
      await terminal.getByRole('heading', { name: '请为您办理的「居住证办理」评价' }).waitFor();
      await terminal.getByText('综合受理3号窗口').waitFor();
      await terminal.getByText(number, { exact: true }).waitFor();
      const shown = await terminal.locator('body').innerText();
      expect(shown).not.toContain(person.name);
      expect(shown).not.toContain('2468');
      await screenshot(terminal, 'k08-hall-transaction');

      await terminal.getByRole('radio', { name: '非常满意', exact: true }).tap();
      await terminal.getByRole('button', { name: '一次办好' }).tap();
      await terminal.getByRole('button', { name: '提交评价' }).tap();
      await terminal.getByRole('heading', { name: '感谢您的评价！' }).waitFor();
      await screenshot(terminal, 'k09-hall-thanks');

      // Stored once, for that transaction, from the terminal, under self_service.
      const rows = await deps.database.db
        .selectFrom('ratings as r')
        .innerJoin('transactions as t', 't.id', 'r.transactionId')
        .select(['r.level', 'r.channel', 't.externalNo', 't.ratingId', 'r.id'])
        .where('r.deviceId', '=', device.id)
        .execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ level: 5, channel: 'self_service', externalNo: number });
      expect(rows[0]?.ratingId).toBe(rows[0]?.id);

      // --- it starts over by itself, the fields empty for the next person ---
      await terminal.getByRole('heading', { name: '输入办件编号评价' }).waitFor({ timeout: 20_000 });
      expect(await terminal.getByLabel('办件编号').inputValue()).toBe('');
      expect(await terminal.getByLabel('手机号后四位').inputValue()).toBe('');
      await screenshot(terminal, 'k10-hall-reset');

      // Whoever has no number rates the hall in general, and can go back.
      await terminal.getByRole('button', { name: '对“试点县政务服务中心”综合评价' }).tap();
      await terminal.getByText('大厅综合评价').waitFor();
      await terminal.getByRole('heading', { name: '试点县政务服务中心' }).waitFor();
      await terminal.getByRole('radio', { name: '非常满意', exact: true }).waitFor();
      await terminal.getByRole('button', { name: '返回', exact: true }).tap();
      await terminal.getByRole('heading', { name: '输入办件编号评价' }).waitFor();

      expect(errors).toEqual([]);
    },
    TIMEOUT,
  );
});
