import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { beforeAll, expect, it } from 'vitest';
import { RULE_PRESETS } from '../src/outcomes/model.js';
import { decide, putRules } from '../src/outcomes/service.js';
import { publish, publishedFixture } from '../src/outcomes/testing.js';
import { chromiumPath } from '../src/reports/pdf.js';
import type { DocumentView } from '../src/reports/types.js';
import { FIXTURE_ACTOR, type ScoringFixture } from '../src/scoring/testing.js';
import { describeEachApp, expectError, signInFresh } from './support/checks.js';
import { makeAccount } from './support/factories.js';
import type { Client } from './support/http.js';

/*
 * Notices over HTTP: drafted from a published result with the consequences confirmed on it, edited while a
 * draft, issued only with a document number and never changed again, downloaded as a .docx whose text is
 * read back from its XML, and as a PDF whose text is extracted (when the machine has Chromium).
 */

/** The visible text of a .docx: the w:t runs of word/document.xml, paragraph by paragraph. */
async function docxParagraphs(body: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(body);
  const xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  return [...xml.matchAll(/<w:p[ >][\s\S]*?<\/w:p>/g)]
    .map((p) => [...p[0].matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''))
    .filter((t) => t !== '');
}

describeEachApp('notices over HTTP', (t) => {
  let f: ScoringFixture;
  let run: string;
  let office: Client;

  beforeAll(async () => {
    const { app, deps, clock } = t();
    clock.set('2026-03-16T02:00:00.000Z');
    ({ f, schemeId: run } = await publishedFixture(deps, 'nthttp'));
    const schemeId = run;
    await putRules(
      deps,
      FIXTURE_ACTOR,
      schemeId,
      RULE_PRESETS.find((p) => p.key === 'nanchuan')?.rules ?? [],
    );
    run = await publish(deps, schemeId, f.period2026);
    await decide(deps, FIXTURE_ACTOR, run, {
      ruleKey: 'no_promotion',
      unitId: f.s4.id,
      decision: 'confirm',
      subject: '张某',
    });
    office = await signInFresh(app, (await makeAccount(deps, 'office')).username);
  });

  it('drafts a notice with the lists and the confirmed consequence, edits it, and issues it once numbered', async () => {
    const res = await office.post('/api/notices', { runId: run });
    expect(res.statusCode).toBe(201);
    const draft = res.json<DocumentView>();
    expect(draft.document.title).toBe('关于2026年度科室满意度考核结果的通报');
    expect(draft.dataDigest).toMatch(/^[0-9a-f]{64}$/);
    const tables = draft.document.blocks.filter((b) => b.kind === 'table');
    // Best [S1] and worst [S4] as approved, then the consequence.
    expect(tables.map((b) => (b.kind === 'table' ? b.rows.map((r) => r[1]) : []))).toEqual([
      ['示范区行政审批科'],
      ['示范区市场监管科'],
      ['3个月内不得提拔重用（科室主要负责人3个月内不得提拔重用）'],
    ]);
    const measures = tables[2];
    expect(measures?.kind === 'table' ? measures.rows[0] : null).toEqual([
      '示范区市场监管科',
      '3个月内不得提拔重用（科室主要负责人3个月内不得提拔重用）',
      '主要负责人 张某',
      '2026年3月16日至2026年6月16日',
    ]);

    expectError(await office.post(`/api/documents/${draft.id}/issue`), 400, 'doc_number_required');
    const opening = draft.document.blocks.findIndex((b) => b.kind === 'paragraph');
    const edited = await office.patch(`/api/documents/${draft.id}`, {
      docNumber: '示考办〔2026〕3号',
      texts: { [String(opening)]: '经区委常委会审定，现将2026年度科室满意度考核结果通报如下。' },
    });
    expect(edited.statusCode).toBe(200);
    const table = String(draft.document.blocks.findIndex((b) => b.kind === 'table'));
    expectError(
      await office.patch(`/api/documents/${draft.id}`, { texts: { [table]: '表格不能改' } }),
      400,
      'not_text_block',
    );
    const issued = await office.post(`/api/documents/${draft.id}/issue`);
    expect(issued.json<DocumentView>()).toMatchObject({
      status: 'issued',
      document: { docNumber: '示考办〔2026〕3号' },
    });
    expectError(
      await office.patch(`/api/documents/${draft.id}`, { title: '改标题' }),
      409,
      'document_issued',
    );

    const docx = await office.get(`/api/documents/${draft.id}/download?format=docx`);
    expect(docx.statusCode).toBe(200);
    const paragraphs = await docxParagraphs(docx.rawPayload);
    expect(paragraphs.slice(0, 4)).toEqual([
      '考核办公室',
      '示考办〔2026〕3号',
      '关于2026年度科室满意度考核结果的通报',
      '各有关单位：',
    ]);
    expect(paragraphs).toContain('经区委常委会审定，现将2026年度科室满意度考核结果通报如下。');
    expect(paragraphs).toContain('二、后1名单位');
    expect(paragraphs).toContain('2026年3月16日');
  });

  it.runIf(chromiumPath() !== null)(
    'prints the notice to a PDF whose Chinese text can be extracted',
    async () => {
      const draft = (await office.post('/api/notices', { runId: run })).json<DocumentView>();
      const pdf = await office.get(`/api/documents/${draft.id}/download?format=pdf`);
      expect(pdf.statusCode).toBe(200);
      expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
      const dir = mkdtempSync(join(tmpdir(), 'notice-'));
      writeFileSync(join(dir, 'n.pdf'), pdf.rawPayload);
      const text = execFileSync('pdftotext', ['-layout', join(dir, 'n.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain('关于2026年度科室满意度考核结果的通报');
      expect(text).toContain('市场监管科');
      expect(text).toMatch(/—\s*1\s*—/); // the page number, odd pages right
    },
  );
});
