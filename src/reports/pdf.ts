import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError } from '../core/errors.js';
import { documentHtml } from './html.js';
import type { OfficialDocument } from './types.js';

/*
 * PDF by printing the document's HTML with a headless Chromium, when the server has one. Chromium is
 * optional: without it (MINPING_CHROMIUM unset and no /usr/bin/chromium), PDF requests answer 503
 * `pdf_unavailable` and the .docx and the print view still work. Chosen over a pure-JS PDF writer
 * because the report's charts are SVG: a browser lays out the same HTML, tables and SVG charts as the
 * print view, with fonts embedded and text extractable, with no new dependency.
 */

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];

/** The Chromium the server prints with, or null: MINPING_CHROMIUM, else the first one installed. */
export function chromiumPath(): string | null {
  const configured = process.env.MINPING_CHROMIUM;
  if (configured !== undefined) return configured !== '' && existsSync(configured) ? configured : null;
  return CANDIDATES.find((p) => existsSync(p)) ?? null;
}

let fontCss: string | undefined;

/** @font-face rules for Noto Sans SC (shipped as a dependency), pointing at its files on disk. */
function bundledFontCss(): string {
  if (fontCss !== undefined) return fontCss;
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('@fontsource/noto-sans-sc/package.json'));
    const base = pathToFileURL(join(dir, 'files')).href;
    fontCss = ['400', '700']
      .map((w) => readFileSync(join(dir, `${w}.css`), 'utf8').replaceAll('url(./files', `url(${base}`))
      .join('\n');
  } catch {
    fontCss = '';
  }
  return fontCss;
}

export class PdfUnavailable extends AppError {
  constructor() {
    super(
      503,
      'pdf_unavailable',
      'This server has no Chromium to print PDF with; download the .docx, or install chromium (or set MINPING_CHROMIUM).',
    );
  }
}

/** Prints the document to PDF (A4, the page's own margins and page numbers). */
export async function documentPdf(doc: OfficialDocument, timeoutMs = 60_000): Promise<Buffer> {
  const chromium = chromiumPath();
  if (!chromium) throw new PdfUnavailable();
  const dir = await mkdtemp(join(tmpdir(), 'minping-pdf-'));
  try {
    const htmlPath = join(dir, 'document.html');
    const pdfPath = join(dir, 'document.pdf');
    await writeFile(htmlPath, documentHtml(doc, bundledFontCss()), 'utf8');
    await new Promise<void>((resolve, reject) => {
      execFile(
        chromium,
        [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-dev-shm-usage',
          '--no-first-run',
          '--allow-file-access-from-files',
          `--user-data-dir=${join(dir, 'profile')}`,
          '--no-pdf-header-footer',
          '--virtual-time-budget=5000',
          `--print-to-pdf=${pdfPath}`,
          pathToFileURL(htmlPath).href,
        ],
        { timeout: timeoutMs },
        (error) => (error ? reject(new Error(`Chromium could not print: ${error.message}`)) : resolve()),
      );
    });
    return await readFile(pdfPath);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
