/*
 * Browser tests: a fresh Minping server in this process (SQLite in a temporary folder, the demo
 * loaded, the first administrator bootstrapped) serving the built console, and Debian's chromium
 * driven by playwright-core. `npm test` builds the console first (`npm run build:web`).
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import {
  chromium,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type Locator,
  type Page,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { DEMO_PASSWORD, loadDemo } from '../../src/cli/demo.js';
import type { Actor } from '../../src/core/auth/model.js';
import { bootstrapAdministrator, createAccountWithPassword } from '../../src/core/auth/service.js';
import { boot } from '../../src/core/boot.js';
import { PROJECT_ROOT } from '../../src/core/config.js';
import type { Deps } from '../../src/core/context.js';
import { buildApp } from '../../src/http/app.js';
import { createUnit, type UnitView } from '../../src/registry/service.js';
import { TEST_SCRYPT } from '../support/db.js';

export { DEMO_PASSWORD };

export const WEB_ROOT = join(PROJECT_ROOT, 'dist', 'web');
export const SCREENSHOTS = join(PROJECT_ROOT, 'test-results', 'screenshots');
const CHROMIUM = process.env.MINPING_CHROMIUM ?? '/usr/bin/chromium';

/** Units the tests own, beside whatever the demo generator creates (their names are unique to them). */
export interface Fixture {
  county: UnitView;
  civil: UnitView;
  relief: UnitView;
  reliefWindow: UnitView;
  labour: UnitView;
}

export interface E2EServer {
  url: string;
  deps: Deps;
  app: FastifyInstance;
  /** The one-time password `admin` was given at first start. */
  adminPassword: string;
  fixture: Fixture;
  /** A temporary folder for files the tests write (uploads). */
  scratch: string;
  close(): Promise<void>;
}

const SYSTEM: Actor = { kind: 'system', label: 'e2e' };

async function makeFixture(deps: Deps): Promise<Fixture> {
  const validFrom = '2020-01-01';
  const county = await createUnit(deps, SYSTEM, {
    code: 'E2E-SDX',
    name: '试点县',
    kind: 'jurisdiction',
    validFrom,
    sortOrder: 100,
  });
  const civil = await createUnit(deps, SYSTEM, {
    code: 'E2E-MZJ',
    name: '试点县民政局',
    kind: 'department',
    parentId: county.id,
    validFrom,
    tags: ['民生'],
  });
  const relief = await createUnit(deps, SYSTEM, {
    code: 'E2E-JZG',
    name: '试点县社会救助股',
    kind: 'section',
    parentId: civil.id,
    validFrom,
  });
  const reliefWindow = await createUnit(deps, SYSTEM, {
    code: 'E2E-JZCK',
    name: '试点县救助服务窗口',
    kind: 'window',
    parentId: relief.id,
    validFrom,
  });
  const labour = await createUnit(deps, SYSTEM, {
    code: 'E2E-RSJ',
    name: '试点县人社局',
    kind: 'department',
    parentId: county.id,
    validFrom,
  });
  return { county, civil, relief, reliefWindow, labour };
}

/** Boots a fresh server on 127.0.0.1 with an ephemeral port. */
export async function startServer(): Promise<E2EServer> {
  if (!existsSync(join(WEB_ROOT, 'index.html'))) {
    throw new Error(
      `The console is not built (${join(WEB_ROOT, 'index.html')} is missing). Run \`npm run build:web\` first; \`npm test\` does it.`,
    );
  }
  const scratch = await mkdtemp(join(tmpdir(), 'minping-e2e-'));
  const deps = await boot(
    { databaseUrl: `sqlite:${join(scratch, 'minping.db')}`, sessionMinutes: 480 },
    { scryptCost: TEST_SCRYPT },
  );
  // The administrator first: bootstrapping only happens while there are no accounts at all.
  const adminPassword = await bootstrapAdministrator(deps);
  if (!adminPassword) throw new Error('bootstrapAdministrator returned no password on an empty database');
  const quiet = console.log;
  console.log = () => undefined;
  try {
    // A fiftieth of the demo's year of ratings: the planted appeals, overdue cases and held ratings are
    // still there, and each browser suite starts in seconds instead of a minute.
    await loadDemo(deps, { quietIfLoaded: true, ratings: { scale: 0.02 } });
  } finally {
    console.log = quiet;
  }
  const fixture = await makeFixture(deps);
  const app = await buildApp(deps, { webRoot: WEB_ROOT });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the server has no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}`,
    deps,
    app,
    adminPassword,
    fixture,
    scratch,
    close: async () => {
      await app.close();
      await deps.database.close();
      await rm(scratch, { recursive: true, force: true });
    },
  };
}

/** An extra account with a known password (not a one-time one). */
export async function makeAccount(
  server: E2EServer,
  input: { username: string; displayName: string; role: 'office' | 'unit_staff'; unitId?: string },
): Promise<void> {
  await createAccountWithPassword(server.deps, SYSTEM, { ...input, password: DEMO_PASSWORD });
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`No chromium at ${CHROMIUM}; install Debian's chromium package.`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/**
 * A clean browser profile (no cookies, no stored language) with a desktop-sized window; `options` change
 * the device (a phone's or a tablet's viewport, touch).
 */
export async function newContext(
  browser: Browser,
  server: E2EServer,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    baseURL: server.url,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...options,
  });
  // Generous: the machines have two cores, and other test files may be running beside these.
  context.setDefaultTimeout(15_000);
  return context;
}

/** What a browser test file shares with its tests: see useBrowserSuite. */
export interface BrowserSuite {
  readonly server: E2EServer;
  readonly browser: Browser;
  /** Uncaught errors of every page the suite opened (each file's last test expects none). */
  readonly errors: string[];
  /** A page in a fresh context (newContext with these options), closed after the test. */
  open(options?: BrowserContextOptions): Promise<Page>;
}

/**
 * Registers the hooks of a browser test file: a fresh server and chromium before its tests; after each
 * test the contexts it opened are closed, a failing test first leaving a picture of each
 * (`failed-<label>-<n>-<test>`); after all, the browser and the server are closed.
 */
export function useBrowserSuite(label: string): BrowserSuite {
  let server: E2EServer | undefined;
  let browser: Browser | undefined;
  const contexts: BrowserContext[] = [];
  const errors: string[] = [];
  // A browser test is a whole story of many steps, each bounded by the context's 15 s: on two shared
  // cores the story as a whole may take longer than the 30 s a unit test gets, without anything hanging.
  vi.setConfig({ testTimeout: 120_000 });

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') {
      for (const [i, context] of contexts.entries()) {
        const page = context.pages()[0];
        if (page) await screenshot(page, `failed-${label}-${i}-${task.name.slice(0, 30)}`);
      }
    }
    await Promise.all(contexts.map((c) => c.close()));
    contexts.length = 0;
  });

  function started<T>(value: T | undefined): T {
    if (value === undefined) throw new Error('The browser suite starts in beforeAll: use it inside tests.');
    return value;
  }

  return {
    get server() {
      return started(server);
    },
    get browser() {
      return started(browser);
    },
    errors,
    async open(options) {
      const context = await newContext(started(browser), started(server), options);
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (error) => errors.push(error.message));
      return page;
    },
  };
}

/** Signs in through the login form and waits for the console. */
export async function signIn(page: Page, username: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/**
 * Picks a unit in a unit tree-select (antd TreeSelect with search): types `search`, clicks `option` in the
 * open list. The list filters as one types, so on a loaded machine a click can land while it re-renders
 * and be lost, leaving the dropdown open over the form: try again until the field shows the choice and
 * the dropdown has closed.
 */
export async function pickTreeOption(
  page: Page,
  input: Locator,
  search: string,
  option: string,
): Promise<void> {
  const field = input.locator(
    "xpath=ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' ant-select ')][1]",
  );
  const openList = page.locator('.ant-select-tree-list:visible');
  for (let attempt = 0; attempt < 3; attempt++) {
    await input.click();
    await input.fill(search);
    await openList.getByText(option, { exact: true }).click();
    try {
      await expect
        .poll(
          async () =>
            (await field.getByText(option, { exact: true }).count()) > 0 && (await openList.count()) === 0,
          {
            timeout: 3_000,
          },
        )
        .toBe(true);
      return;
    } catch {
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`Could not pick ${option} in the unit list.`);
}

/**
 * Clicks a button of the open confirmation popup (antd Popconfirm) once its opening animation is over: on
 * a loaded machine a click during the animation can be lost, and the step then waits for nothing.
 */
export async function confirmPopup(page: Page, name: string | RegExp): Promise<void> {
  const popup = page.locator('.ant-popconfirm:not(.ant-popover-hidden)');
  await popup.waitFor();
  await expect.poll(async () => (await popup.getAttribute('class')) ?? '').not.toMatch(/-(appear|enter)/);
  await popup.getByRole('button', { name }).click();
}

/**
 * The confirmation dialog of an irreversible or warned step (web/src/pages/scoring/Warnings.tsx): waits
 * for it, returns the warning sentences it names, and clicks the button named `name` (or cancels).
 */
export async function confirmDialog(page: Page, name: string | RegExp): Promise<string[]> {
  const dialog = page.locator('.ant-modal-confirm:visible');
  await dialog.getByTestId('confirm-step').waitFor();
  await expect
    .poll(async () => (await page.locator('.ant-modal-wrap:visible').getAttribute('class')) ?? '')
    .not.toMatch(/-(appear|enter)/);
  const warnings = await dialog.locator('[data-testid="run-warnings"] li').allInnerTexts();
  await dialog.getByRole('button', { name }).click();
  await dialog.waitFor({ state: 'detached' });
  return warnings;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  // Let toasts and transitions settle so that the picture shows what a person would see.
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

export async function writeScratch(server: E2EServer, name: string, content: string): Promise<string> {
  const path = join(server.scratch, name);
  await writeFile(path, content, 'utf8');
  return path;
}
