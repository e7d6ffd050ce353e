/*
 * The workbench (工作台), each role's landing page, on the demo: the office sees what waits today (appeals,
 * overdue cases, warnings, held ratings, results to review), unit staff their unit's open cases by deadline,
 * leaders and supervisors read cases and warnings without acting. A fresh load logs no failed request, and
 * a session that ends sends the clerk to the login page and back to where they were.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/core/auth/model.js';
import { listCases, listWarnings } from '../../src/cases/service.js';
import { listHeld } from '../../src/ratings/service.js';
import { DEMO_PASSWORD, screenshot, signIn, useBrowserSuite } from './support.js';

const TIMEOUT = 90_000;

describe('the workbench of each role', () => {
  const e2e = useBrowserSuite('workbench');
  const { errors } = e2e;

  async function actorOf(username: string): Promise<Actor> {
    const row = await e2e.server.deps.database.db
      .selectFrom('accounts')
      .select(['id', 'username', 'displayName', 'role', 'unitId'])
      .where('username', '=', username)
      .executeTakeFirstOrThrow();
    return {
      kind: 'account',
      id: row.id,
      username: row.username,
      displayName: row.displayName,
      role: row.role as Extract<Actor, { kind: 'account' }>['role'],
      unitId: row.unitId,
      mustChangePassword: false,
    };
  }

  /** The number a tile shows, once loaded. */
  async function tile(page: Page, key: string): Promise<string> {
    const n = page.getByTestId(`tile-${key}`).locator('.mp-case-tile-n');
    await expect.poll(() => n.textContent(), { timeout: 15_000 }).not.toBe('…');
    return (await n.textContent()) ?? '';
  }

  async function land(page: Page, username: string): Promise<void> {
    await signIn(page, username);
    await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/');
  }

  const china = () => new Date(Date.now() + 8 * 3600_000);
  const daysAgo = (n: number) => new Date(china().getTime() - n * 86400_000).toISOString().slice(0, 10);

  it(
    'the office lands on what waits today, with the same counts as the queues, and a tile opens its queue',
    async () => {
      const deps = e2e.server.deps;
      const office = await actorOf('office');
      const appealed = (await listCases(deps, office, { state: 'appealed', pageSize: 1 })).total;
      const overdue = (await listCases(deps, office, { overdue: true, pageSize: 1 })).total;
      const held = (await listHeld(deps, office, { limit: 50 })).length;
      const warnings = (await listWarnings(deps, office, { from: daysAgo(30), pageSize: 100 })).length;
      expect(overdue).toBeGreaterThan(0);

      const page = await e2e.open();
      await land(page, 'office');
      expect(await tile(page, 'appeals')).toBe(String(appealed));
      expect(await tile(page, 'overdue')).toBe(String(overdue));
      expect(await tile(page, 'held')).toBe(held === 50 ? '50+' : String(held));
      expect(await tile(page, 'warnings')).toBe(warnings === 100 ? '100+' : String(warnings));
      await tile(page, 'runs');
      // The overdue list names cases with their due dates, marked overdue.
      const overdueCard = page.getByTestId('wb-overdue');
      await overdueCard
        .getByText(/^已逾期（期限 \d{4}-\d{2}-\d{2}）$/)
        .first()
        .waitFor();
      await page.getByTestId('wb-appeals').waitFor();
      await page.getByTestId('wb-runs').waitFor();
      expect(await page.getByTestId('wb-audit').count()).toBe(0);
      await screenshot(page, 'wb-01-office');

      // A case in the list opens in the case queue.
      const first = overdueCard.locator('a[href^="/cases/"]').first();
      const reference = (await first.textContent()) ?? '';
      await first.click();
      await page.getByText(reference).first().waitFor();
      await expect.poll(() => new URL(page.url()).pathname).toMatch(/^\/cases\/.+/);

      await page.goto('/');
      await page.getByTestId('tile-overdue').click();
      await page.getByRole('heading', { name: '差评处理', exact: true }).waitFor();
    },
    TIMEOUT,
  );

  it(
    'unit staff see their unit’s open cases by deadline, and nothing of the office’s work',
    async () => {
      const deps = e2e.server.deps;
      const unit = await actorOf('unit');
      const verifying = await listCases(deps, unit, { state: 'verifying', pageSize: 100 });
      const rectifying = await listCases(deps, unit, { state: 'rectifying', pageSize: 100 });

      const page = await e2e.open();
      await land(page, 'unit');
      expect(await tile(page, 'verifying')).toBe(String(verifying.total));
      expect(await tile(page, 'rectifying')).toBe(String(rectifying.total));
      for (const key of ['appeals', 'held', 'runs'])
        expect(await page.getByTestId(`tile-${key}`).count()).toBe(0);
      const own = page.getByTestId('wb-own-cases');
      await own.waitFor();
      const open = [...verifying.items, ...rectifying.items];
      if (open.length === 0) {
        await own.getByText('本单位没有待处理的差评。').waitFor();
      } else {
        await own.locator('a[href^="/cases/"]').first().waitFor();
        // Earliest deadline first.
        const shown = await own.locator('a[href^="/cases/"]').allTextContents();
        const dueOf = new Map(open.map((c) => [c.reference, c.dueOn ?? '9999']));
        const dues = shown.map((r) => dueOf.get(r) ?? '');
        expect(dues).toEqual([...dues].sort());
        expect(dues.every((d) => d !== '')).toBe(true);
      }
      expect(await page.getByText('您可以查看差评和预警督办情况，但不能办理。').count()).toBe(0);
      await screenshot(page, 'wb-02-unit-staff');
    },
    TIMEOUT,
  );

  it(
    'a leader reads overdue cases, interviews and rankings, and can open a case but not act on it',
    async () => {
      const page = await e2e.open();
      await land(page, 'leader');
      await page.getByText('您可以查看差评和预警督办情况，但不能办理。').waitFor();
      await page.getByTestId('wb-overdue').locator('a[href^="/cases/"]').first().waitFor();
      await page.getByTestId('wb-warnings').getByText('约谈', { exact: true }).first().waitFor();
      await page.getByTestId('wb-rankings').waitFor();
      for (const key of ['appeals', 'held', 'runs', 'verifying']) {
        expect(await page.getByTestId(`tile-${key}`).count()).toBe(0);
      }
      await screenshot(page, 'wb-03-leader');

      // The case queue and the warnings are in the leader's menu, read only.
      const menu = page.getByRole('menu');
      await menu.getByText('差评处理').click();
      await page.getByRole('heading', { name: '差评处理', exact: true }).waitFor();
      await page.getByRole('button', { name: /^\d+ 待核实$/ }).click();
      await page.locator('.ant-table-row', { hasText: '待核实' }).first().click();
      // The case opens with its history, and no action offered to a reader.
      await page.locator('.ant-drawer').getByText('办理记录').waitFor();
      await page.waitForTimeout(500);
      expect(await page.getByRole('button', { name: '核实属实' }).count()).toBe(0);
      expect(await page.getByRole('button', { name: '申诉', exact: true }).count()).toBe(0);
      await screenshot(page, 'wb-04-leader-case-read-only');
      await page.goto('/warnings');
      await page.getByRole('heading', { name: '预警督办', exact: true }).waitFor();
      await page.locator('.ant-table-row').first().waitFor();
    },
    TIMEOUT,
  );

  it(
    'a supervisor also sees the latest audit entries in words',
    async () => {
      const page = await e2e.open();
      await land(page, 'supervisor');
      const audit = page.getByTestId('wb-audit');
      await audit.locator('.ant-list-item').first().waitFor();
      await page.getByTestId('wb-rankings').waitFor();
      await page.getByTestId('wb-overdue').waitFor();
      await screenshot(page, 'wb-05-supervisor');
    },
    TIMEOUT,
  );

  it(
    'a fresh load logs no failed request; a session that ends leads to the login page and back',
    async () => {
      const page = await e2e.open();
      const failures: string[] = [];
      page.on('response', (response) => {
        if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
      });
      page.on('console', (message) => {
        if (message.type() === 'error') failures.push(message.text());
      });
      await page.goto('/');
      await page.getByRole('button', { name: '登录', exact: true }).waitFor();
      expect(failures).toEqual([]);

      await land(page, 'office');
      await page.getByRole('menu').getByText('考核周期').click();
      await page.getByRole('heading', { name: '考核周期', exact: true }).waitFor();
      // The session ends on the server (expiry, reset): the next call finds it gone.
      await e2e.server.deps.database.db.deleteFrom('sessions').execute();
      await page.getByRole('menu').getByText('审计日志').click();
      await page.getByRole('button', { name: '登录', exact: true }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/login');
      await screenshot(page, 'wb-06-session-ended');
      await page.getByLabel('用户名').fill('office');
      await page.getByLabel('密码').fill(DEMO_PASSWORD);
      await page.getByRole('button', { name: '登录', exact: true }).click();
      await page.getByRole('heading', { name: '审计日志', exact: true }).waitFor();
      expect(errors).toEqual([]);
    },
    TIMEOUT,
  );
});
