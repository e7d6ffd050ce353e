/*
 * The untranslated-text walk: an administrator (who sees every menu entry) opens every page of the console
 * in Chinese and the test fails on what a clerk should never read there — an i18n key shown raw
 * (`workbench.tiles.held`), a code in snake_case (`awaiting_judgement`, `scoring_run`), a dotted action
 * (`run.published`), an ISO timestamp (`2026-11-20T08:00:00.000Z`) or English words of the interface.
 *
 * Pages are discovered, not listed: every link of the side menu, then, from each of those pages, the first
 * link to a page below it (a run, a case, a scheme…). A page another area adds to the menu is walked too.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { screenshot, signIn, useBrowserSuite } from './support.js';

/**
 * Latin-script words a Chinese page may rightly show: names of things that are written so in Chinese
 * offices (API, Excel, PDF…), the language switch, and the demo's own data (unit codes, device names).
 */
const ALLOWED_WORDS = new Set([
  'API',
  'English',
  'Excel',
  'CSV',
  'PDF',
  'Word',
  'JSON',
  'QR',
  'SMS',
  'ID',
  'URL',
  'SHA',
  'OpenAPI',
  'Bearer',
  'HTTP',
  'HTTPS',
  'ECharts',
  'xlsx',
  'docx',
  'csv',
  'pdf',
  'png',
  'svg',
  'mpt',
  'A4',
  'AI',
  'Wi-Fi',
  'App',
  'Minping',
  'UTC',
  'GB',
  'T',
  'KB',
  'MB',
]);

interface Finding {
  page: string;
  kind: string;
  text: string;
}

/**
 * What a person reads on the page. Identifiers shown as identifiers (in a `<code>` element: a scheme's or a
 * series' code beside its name) are left out: they are what a clerk types into an import, not words.
 */
async function visibleText(page: Page): Promise<string> {
  return page.evaluate(() => {
    const parts = ['.mp-content', '.mp-header', '.ant-layout-sider']
      .map((selector) => document.querySelector(selector))
      .filter((e): e is Element => e !== null)
      .map((e) => {
        const copy = e.cloneNode(true) as HTMLElement;
        Array.from(copy.querySelectorAll('code')).forEach((code) => code.remove());
        // innerText of a detached copy loses layout line breaks; block ends become new lines instead.
        Array.from(copy.querySelectorAll('div, p, li, td, th, tr, h1, h2, h3, span.ant-tag')).forEach(
          (block) => block.append(document.createTextNode('\n')),
        );
        return copy.textContent ?? '';
      });
    return parts.join('\n');
  });
}

/** What a clerk should not read, found in a page's text. */
function untranslated(text: string, allowed: ReadonlySet<string>): { kind: string; text: string }[] {
  const out: { kind: string; text: string }[] = [];
  const seen = new Set<string>();
  const add = (kind: string, value: string) => {
    const key = `${kind}:${value}`;
    if (seen.has(key)) return;
    seen.add(key);
    // A little of the text around it, so that the report says where on the page it stands.
    const at = text.indexOf(value);
    const around = at < 0 ? value : text.slice(Math.max(0, at - 20), at + value.length + 20);
    out.push({ kind, text: `${value} … ${around.replace(/\s+/g, ' ').trim()}` });
  };
  for (const m of text.matchAll(/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?/g)) {
    add('ISO time', m[0]);
  }
  // Strip what is rightly Latin before looking for words: addresses, file names, e-mail, tokens.
  const stripped = text
    // Digests and identifiers with digits (a hash, SF00001, a UUID) are data, not words.
    .replace(/[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/\/[A-Za-z0-9/_:.-]+/g, ' ')
    .replace(/\b[\w.-]+\.(xlsx|docx|csv|pdf|png|svg|json)\b/gi, ' ')
    .replace(/\bmpt_[A-Za-z0-9_…-]*/g, ' ');
  for (const m of stripped.matchAll(/\b[a-z][a-z0-9]*(?:\.[a-z][A-Za-z0-9_]*)+\b/g))
    add('raw key or action', m[0]);
  for (const m of stripped.matchAll(/\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/g)) add('code', m[0]);
  for (const m of stripped.matchAll(/[A-Za-z][A-Za-z'’-]*(?:\s+[A-Za-z][A-Za-z'’-]*)*/g)) {
    const words = m[0].split(/\s+/).filter((w) => !ALLOWED_WORDS.has(w) && !allowed.has(w));
    // Codes of the demo's data (SF00001, E2E-SDX) carry digits or are all capitals: data, not interface.
    const english = words.filter((w) => /^[A-Za-z][a-z'’-]{2,}$/.test(w));
    if (english.length > 0) add('English', english.join(' '));
  }
  return out;
}

describe('every console page reads in Chinese', () => {
  const e2e = useBrowserSuite('walk');
  const { errors } = e2e;

  /** Waits until the page has loaded its data: no spinner, no skeleton, the network quiet. */
  async function settle(page: Page): Promise<void> {
    await page.waitForLoadState('networkidle');
    await expect
      .poll(() => page.locator('.ant-spin-spinning, .ant-skeleton-active').count(), { timeout: 15_000 })
      .toBe(0);
  }

  it('walks the menu and one page below each entry and finds nothing untranslated', async () => {
    const page = await e2e.open();
    await signIn(page, 'demo-admin');
    await page.getByRole('heading', { name: '工作台', exact: true }).waitFor();
    await settle(page);

    const menuLinks = await page
      .locator('.ant-layout-sider a[href^="/"]')
      .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
    const pages = [...new Set(['/', ...menuLinks])];
    expect(pages.length).toBeGreaterThan(15);

    // Usernames are what people type to sign in: Latin by design, and data.
    const usernames = new Set(
      (await e2e.server.deps.database.db.selectFrom('accounts').select('username').execute()).map(
        (a) => a.username,
      ),
    );
    const findings: Finding[] = [];
    const visited = new Set<string>();
    const visit = async (path: string) => {
      visited.add(path);
      await page.goto(path);
      await settle(page);
      for (const f of untranslated(await visibleText(page), usernames)) findings.push({ page: path, ...f });
    };

    for (const path of pages) {
      await visit(path);
      if (path === '/') continue;
      // One page below this one, reached by a link on it (a run, a case, a scheme, a draw…).
      const below = await page
        .locator(`.mp-content a[href^="${path}/"]`)
        .evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''));
      const next = below.find((href) => !visited.has(href) && !/\.(xlsx|docx|pdf|csv)$/.test(href));
      if (next) await visit(next);
    }
    await screenshot(page, 'walk-last-page');
    const report = findings.map((f) => `${f.page}: [${f.kind}] ${f.text}`).join('\n');
    expect(report, `untranslated text on ${visited.size} pages`).toBe('');
    expect(errors).toEqual([]);
  }, 600_000);
});
