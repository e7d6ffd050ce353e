import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOutcomes } from '../../src/outcomes/service.js';
import { listRuns, listSchemes } from '../../src/scoring/service.js';
import { signIn, useBrowserSuite } from './support.js';

const SHOTS = process.env.MINPING_SHOTS ?? '/tmp/shots';
const SYSTEM = { kind: 'system', label: 'e2e' } as const;

/*
 * The office applies a published result in the browser: the demo's Nanchuan result proposes a talk and a
 * three-month promotion bar for the hardest section; the office confirms the bar, drafts the notice, gives
 * it its number and downloads it as Word.
 */
describe('result application in the browser', () => {
  const e2e = useBrowserSuite('outcomes');

  it('office confirms a consequence and downloads the notice', async () => {
    await mkdir(SHOTS, { recursive: true });
    const deps = e2e.server.deps;
    const scheme = (await listSchemes(deps, SYSTEM)).find((s) => s.code === 'nanchuan');
    expect(scheme).toBeDefined();
    const runs = (await listRuns(deps, SYSTEM, { schemeId: scheme?.id })).filter(
      (r) => r.status === 'published',
    );
    const run = runs[0];
    if (!run) throw new Error('the demo has no published Nanchuan result');
    const pending = (await runOutcomes(deps, SYSTEM, run.id)).items.find(
      (i) => i.proposal.kind === 'no_promotion' && !i.decision,
    );
    if (!pending) throw new Error('no pending promotion bar');

    const page = await e2e.open();
    await signIn(page, 'office');
    await page.getByRole('menu').getByText('考核评比').waitFor();
    await page.goto(`/runs/${run.id}/outcomes`);
    await page.getByRole('heading', { name: '结果运用' }).waitFor();
    const row = page
      .locator('tr')
      .filter({ hasText: pending.proposal.unitName })
      .filter({ hasText: '3 个月内不得提拔重用' });
    await row.getByRole('button', { name: '确认' }).click();
    await page.getByLabel('当事人（可选）').fill('科长 张某');
    await page.locator('.ant-modal').getByRole('button', { name: '确认' }).click();
    await row.getByText('已确认').waitFor();
    await page.screenshot({ path: join(SHOTS, 'outcomes-01-run.png'), fullPage: true });

    await page.getByRole('button', { name: '生成通报' }).click();
    await page.getByLabel('发文字号').waitFor();
    await page.getByLabel('发文字号').fill('南考办〔2026〕7号');
    await page.getByRole('button', { name: '保存草稿' }).click();
    await page.getByText('草稿已保存。').waitFor();
    await page.screenshot({ path: join(SHOTS, 'outcomes-02-notice.png'), fullPage: true });
    // The button is a link to the file: fetch it with the page's session, as the browser would.
    const href = await page.getByRole('link', { name: '下载 Word' }).getAttribute('href');
    expect(href).toMatch(/^\/api\/documents\/.+\/download\?format=docx$/);
    const file = await page.request.get(href ?? '');
    expect(file.status()).toBe(200);
    expect(file.headers()['content-disposition']).toMatch(/minping-notice-.+\.docx/);
    const body = await file.body();
    expect(body.subarray(0, 2).toString()).toBe('PK'); // a .docx is a zip
    const JSZip = (await import('jszip')).default;
    const xml = (await (await JSZip.loadAsync(body)).file('word/document.xml')?.async('string')) ?? '';
    expect(xml).toContain('南考办〔2026〕7号');
    expect(xml).toContain('科长 张某');
    expect(e2e.errors).toEqual([]);
  });
});
