import { deflateSync } from 'node:zlib';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, it } from 'vitest';
import { registerCommentSource } from '../../src/ledger/sources.js';
import { makeAccount, pickTreeOption, screenshot, signIn, useBrowserSuite } from './support.js';

/*
 * The rectification ledger in the browser: the office collects comments, confirms the suggested topics,
 * turns a cluster of unclaimed comments into a problem of 试点县社会救助股 and opens a ledger item; the
 * unit's staff write the plan (returned once with a reason, then approved), report progress, attach a
 * photo and report the result; the office's third review closes the item; staff of another unit cannot
 * open it; the public ledger on a phone shows the unit's figures and the closed item with its evidence.
 */
const e2e = useBrowserSuite('ledger');

/** A small real PNG (a blue square with a lighter band): what a phone photo is to the evidence check. */
function png(size = 96): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = (crcTable[(c ^ x) & 0xff] ?? 0) ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y++) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x++) {
      const band = y > size / 3 && y < (2 * size) / 3;
      row.set(band ? [120, 170, 230] : [29, 79, 145], 1 + x * 3);
    }
    rows.push(row);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const chinaToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

async function openItem(page: Page, id: string) {
  await page.goto(`/ledger/items/${id}`);
  await page.getByTestId('item-reference').waitFor();
}

it('takes comments to a problem, an item reviewed three times and closed with evidence, and the public ledger', async () => {
  const { server } = e2e;
  const { relief, civil, labour } = server.fixture;
  const today = chinaToday();
  const texts = [
    '临时救助审批材料反复提交，跑了三趟',
    '救助审批材料太多，复印件要好几份',
    '申请救助审批材料一次说不清楚',
    '救助审批材料清单没有公示',
    '希望周六上午也能开门',
    '大厅空调开得太冷了',
    '小区物业不管，电梯坏了一个月',
    '物业收费不公开，电梯没人修',
  ];
  registerCommentSource({
    key: 'e2e_hall',
    name: '大厅意见簿',
    collect: async (_db, range) =>
      range.from <= today && today <= range.to
        ? texts.map((text, i) => ({ sourceRef: `e2e-${i}`, unitId: relief.id, date: today, level: 2, text }))
        : [],
  });
  await makeAccount(server, {
    username: 'civil-staff',
    displayName: '民政局 联络员',
    role: 'unit_staff',
    unitId: civil.id,
  });
  await makeAccount(server, {
    username: 'labour-staff',
    displayName: '人社局 联络员',
    role: 'unit_staff',
    unitId: labour.id,
  });

  // --- the office: a topic list, collecting, confirming suggestions ---------------------------------------
  const office = await e2e.open();
  await signIn(office, 'office');
  await office.getByRole('link', { name: '整改台账' }).waitFor();
  await office.goto('/ledger/topics');
  await office.getByRole('button', { name: '新建话题清单' }).first().click();
  await office.getByLabel('从模板开始').click();
  await office.locator('.ant-select-item-option[title^="西安港务区七个方面（"]').click();
  await office.getByLabel('清单名称').fill('试点县七个方面');
  await office.getByRole('button', { name: '创建' }).click();
  await office.getByRole('cell', { name: '物业监管' }).waitFor();
  await screenshot(office, 'ledger-01-topics');

  await office.goto('/ledger/inbox');
  await office.getByRole('button', { name: '归集意见' }).click();
  await office.getByRole('button', { name: '开始归集' }).click();
  const dialog = office.locator('.ant-modal:visible');
  await dialog.getByRole('cell', { name: '大厅意见簿' }).waitFor();
  expect(await dialog.getByRole('row', { name: /大厅意见簿/ }).innerText()).toMatch(/大厅意见簿\s+8\s+8/);
  await dialog.locator('.ant-modal-footer').getByRole('button', { name: '关闭' }).click();

  await office.getByLabel('话题清单').click();
  await office.locator('.ant-select-item-option[title="试点县七个方面"]').click();
  await pickTreeOption(office, office.locator('#inbox-unit'), '救助股', relief.name);
  await office.getByTestId('comment-text').first().waitFor();
  expect(await office.getByTestId('comment-text').count()).toBe(8);
  // The two about the property company are suggested 物业监管, with the words behind it.
  const suggested = office.getByTestId('suggestion').filter({ hasText: '建议：物业监管' });
  expect(await suggested.count()).toBe(2);
  expect(await suggested.first().innerText()).toContain('物业 +1');
  await screenshot(office, 'ledger-02-inbox');
  for (const text of texts.slice(6)) {
    await office
      .getByRole('row', { name: new RegExp(text.slice(0, 6)) })
      .getByRole('checkbox')
      .check();
  }
  await office.getByRole('button', { name: '采纳建议（2）' }).click();
  await office.getByText('已归类 2 条').waitFor();
  await expect.poll(() => office.getByTestId('comment-text').count()).toBe(6);

  // --- the unclaimed four make a cluster, the cluster a problem ---------------------------------------
  await office.getByRole('tab', { name: '未归类意见聚类' }).click();
  const cluster = office.getByTestId('cluster').first();
  await cluster.waitFor();
  expect(await cluster.innerText()).toContain('4 条');
  await screenshot(office, 'ledger-03-clusters');
  await cluster.getByRole('button', { name: '生成问题' }).click();
  await office.getByLabel('问题', { exact: true }).fill('救助审批材料反复提交、清单不公示');
  await office.locator('.ant-modal:visible').getByRole('button', { name: '生成问题' }).click();
  await office.getByText('问题已生成').waitFor();

  await office.goto('/ledger/problems');
  const problemRow = office.getByRole('row', { name: /救助审批材料反复提交/ });
  await problemRow.waitFor();
  expect(await problemRow.innerText()).toContain('4');
  await screenshot(office, 'ledger-04-problems');
  await problemRow.getByRole('button', { name: '立项整改' }).click();
  const create = office.locator('.ant-modal:visible');
  await create.getByLabel('责任人').fill('李股长');
  await create.getByRole('button', { name: '立项' }).click();
  await office.getByTestId('item-reference').waitFor();
  const itemId = office.url().split('/').pop() ?? '';
  expect(await office.getByTestId('item-waiting').innerText()).toContain('等责任单位制定并提交整改方案');
  await screenshot(office, 'ledger-05-item-opened');

  // --- the unit: plan, returned once, then approved ----------------------------------------------------
  const unit = await e2e.open();
  await signIn(unit, 'civil-staff');
  await unit.getByRole('link', { name: '整改台账' }).waitFor();
  await unit.goto('/ledger/items');
  await unit.getByRole('row', { name: /救助审批材料反复提交/ }).click();
  await unit.getByLabel('整改目标').fill('救助申请材料一次告知、一次提交');
  await unit.getByLabel('整改措施').fill('梳理材料');
  await screenshot(unit, 'ledger-06-unit-plan');
  await unit.getByRole('button', { name: '提交方案，送考核办审核' }).click();
  await unit.getByText('方案已提交，等考核办审核').waitFor();
  // Unit staff do not review: the review buttons are the office's.
  expect(await unit.getByRole('button', { name: '审核通过' }).count()).toBe(0);

  await openItem(office, itemId);
  await office.getByRole('button', { name: '退回' }).click();
  await office.getByLabel('退回原因').fill('措施不具体：请逐条写明材料清单和公示方式');
  await office.locator('.ant-modal:visible').getByRole('button', { name: '退回' }).click();
  await office.getByText('已退回责任单位').waitFor();

  await openItem(unit, itemId);
  await unit.getByText('考核办退回：措施不具体').waitFor();
  await unit
    .getByLabel('整改措施')
    .fill('1. 编制救助审批材料清单，窗口和网站公示；2. 材料一次告知，复印件由窗口代为复印。');
  await unit.getByRole('button', { name: '提交方案，送考核办审核' }).click();
  await unit.getByText('方案已提交，等考核办审核').waitFor();

  await openItem(office, itemId);
  await screenshot(office, 'ledger-07-plan-review');
  await office.getByRole('button', { name: '审核通过' }).click();
  await office.getByText('已审核通过').waitFor();

  // --- progress, evidence, result ----------------------------------------------------------------------
  await openItem(unit, itemId);
  await unit.getByLabel('整改进度').fill('材料清单已编制，窗口已张贴，网站公示中');
  await unit.getByRole('button', { name: '报送进度，送考核办审核' }).click();
  await unit.getByText('进度已报送').waitFor();
  await openItem(office, itemId);
  await office.getByRole('button', { name: '审核通过' }).click();
  await office.getByText('已审核通过').waitFor();

  await openItem(unit, itemId);
  expect(await unit.getByRole('button', { name: '报送结果，申请销号' }).isDisabled()).toBe(true);
  const photo = join(server.scratch, '公示照片.png');
  await writeFile(photo, png());
  await unit.locator('input[type=file]').setInputFiles(photo);
  await unit.getByTestId('evidence-thumb').waitFor();
  await unit.getByLabel('整改结果').fill('材料清单已在窗口和网站公示，群众一次提交即可');
  await screenshot(unit, 'ledger-08-unit-evidence');
  await unit.getByRole('button', { name: '报送结果，申请销号' }).click();
  await unit.getByText('结果已报送').waitFor();

  await openItem(office, itemId);
  await office.getByRole('button', { name: '审核通过并销号' }).click();
  await office.locator('.ant-drawer').getByTestId('item-state').filter({ hasText: '已销号' }).waitFor();
  expect(await office.getByTestId('review-entry').count()).toBe(4);
  await screenshot(office, 'ledger-09-closed');

  // Staff of another unit cannot open it: the server refuses, and the list shows none of it.
  const other = await e2e.open();
  await signIn(other, 'labour-staff');
  await other.getByRole('link', { name: '整改台账' }).waitFor();
  await other.goto(`/ledger/items/${itemId}`);
  await other.locator('.ant-drawer .ant-alert-error').waitFor();
  expect(await other.getByRole('row', { name: /救助审批材料/ }).count()).toBe(0);

  // --- the public ledger on a phone ------------------------------------------------------------------------
  const phone = await e2e.open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto('/public/ledger');
  await phone.getByTestId('ledger-figures').waitFor();
  await phone.getByLabel('搜索单位名称').fill('救助股');
  await phone.getByTestId('ledger-unit').filter({ hasText: relief.name }).click();
  const figures = await phone.getByTestId('ledger-figures').innerText();
  expect(figures.replace(/\s+/g, ' ')).toContain('1 问题总数 0 整改中 1 已销号 0 已逾期');
  const closed = phone.getByTestId('ledger-closed-item').filter({ hasText: '救助审批材料反复提交' });
  expect(await closed.innerText()).toContain('照片 1 张，文件 0 份');
  expect(await phone.content()).not.toContain('李股长');
  await screenshot(phone, 'ledger-10-public-phone');
  expect(e2e.errors).toEqual([]);
});

it('shows the demo’s ledger: items in every state, overdue ones warned, the survey’s comments by topic', async () => {
  const page = await e2e.open();
  await signIn(page, 'office');
  await page.getByRole('link', { name: '整改台账' }).waitFor();
  await page.goto('/ledger/items');
  const tile = (key: string) => page.getByTestId(`tile-${key}`).locator('.mp-case-tile-n');
  await tile('closed').filter({ hasText: /^\d+$/ }).waitFor();
  expect(Number(await tile('closed').innerText())).toBeGreaterThanOrEqual(3);
  expect(Number(await tile('overdue').innerText())).toBeGreaterThan(0);
  expect(Number(await tile('planning').innerText())).toBeGreaterThan(0);
  await screenshot(page, 'ledger-11-demo-items');
  await page.getByTestId('tile-overdue').click();
  await page.locator('.mp-row-overdue').first().click();
  await page.getByTestId('item-reference').waitFor();
  await screenshot(page, 'ledger-12-demo-overdue-item');

  await page.goto('/ledger/inbox');
  await page.getByLabel('话题清单').click();
  await page.locator('.ant-select-item-option[title="西安港务区七个方面"]').click();
  await page.locator('.ant-segmented-item').filter({ hasText: '已归类' }).click();
  await page.getByTestId('assigned-topic').first().waitFor();
  await screenshot(page, 'ledger-13-demo-inbox-survey');

  const phone = await e2e.open({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  await phone.goto('/public/ledger');
  await phone.getByTestId('ledger-closed-item').first().waitFor();
  expect(await phone.getByTestId('ledger-evidence').first().innerText()).toMatch(/照片 [1-9]/);
  await screenshot(phone, 'ledger-14-demo-public');
  expect(e2e.errors).toEqual([]);
});
