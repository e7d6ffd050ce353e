import { chineseDate } from './model.js';
import type { DocBlock, OfficialDocument } from './types.js';

/*
 * An official document as a printable HTML page in the layout of GB/T 9704-2012 (the same measures as
 * the .docx: A4, margins 37/35/28/26 mm, red masthead and line, 2号 title, 3号 body at 28.95 pt, page
 * numbers “— n —” right on odd pages and left on even ones). Chromium prints it to PDF (pdf.ts).
 * `fontCss` brings a Chinese face the printing machine may lack (Noto Sans SC, shipped with the app).
 */

const escape = (s: string): string =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );

const FALLBACK = "'Noto Sans SC', 'WenQuanYi Zen Hei', sans-serif";
const FANGSONG = `'仿宋', 'FangSong', 'FangSong_GB2312', 'STFangsong', ${FALLBACK}`;
const XIAOBIAOSONG = `'方正小标宋简体', 'FZXiaoBiaoSong-B05S', 'SimSun', 'Songti SC', 'Noto Serif CJK SC', ${FALLBACK}`;
const HEITI = `'黑体', 'SimHei', 'STHeiti', ${FALLBACK}`;
const KAITI = `'楷体', 'KaiTi', 'STKaiti', ${FALLBACK}`;

const CSS = `
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font: 14pt 'SimSun', ${FALLBACK}; margin-right: 7mm; } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font: 14pt 'SimSun', ${FALLBACK}; margin-left: 7mm; } }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: ${FANGSONG}; font-size: 16pt; line-height: 28.95pt; color: #000; }
.masthead { text-align: center; color: #e00; font-family: ${XIAOBIAOSONG}; font-size: 36pt; line-height: 1.2; margin: 10mm 0 8mm; letter-spacing: 2pt; }
.number { text-align: center; margin: 0; padding-bottom: 4mm; border-bottom: 2pt solid #e00; }
h1 { font-family: ${XIAOBIAOSONG}; font-size: 22pt; line-height: 35pt; font-weight: normal; text-align: center; margin: 28.95pt 0; }
p { margin: 0; text-indent: 2em; text-align: justify; }
p.addressee { text-indent: 0; }
h2 { font: normal 16pt/28.95pt ${HEITI}; margin: 0; text-indent: 2em; }
h3 { font: normal 16pt/28.95pt ${KAITI}; margin: 0; text-indent: 2em; }
figure { margin: 6pt 0; text-align: center; break-inside: avoid; }
figcaption { font: 14pt/24pt ${HEITI}; }
figure svg { max-width: 100%; height: auto; }
table { width: 100%; border-collapse: collapse; font-size: 12pt; line-height: 18pt; margin: 4pt 0 8pt; }
th, td { border: 0.75pt solid #000; padding: 2pt 4pt; text-align: center; }
th { font-family: ${HEITI}; font-weight: normal; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.caption { font: 14pt/24pt ${HEITI}; text-align: center; text-indent: 0; }
.sign { text-align: right; padding-right: 4em; text-indent: 0; }
.record { margin-top: 28.95pt; font-size: 14pt; line-height: 24pt; break-inside: avoid; }
.record div { border-bottom: 0.75pt solid #000; padding: 0 1em; }
.record div:first-child { border-top: 1pt solid #000; }
`;

function block(b: DocBlock): string {
  switch (b.kind) {
    case 'heading':
      return b.level === 1 ? `<h2>${escape(b.text)}</h2>` : `<h3>${escape(b.text)}</h3>`;
    case 'paragraph':
      return b.text
        .split('\n')
        .map((line) => `<p>${escape(line)}</p>`)
        .join('\n');
    case 'table':
      return [
        `<p class="caption">${escape(b.caption)}</p>`,
        '<table><thead><tr>',
        ...b.columns.map((c) => `<th>${escape(c)}</th>`),
        '</tr></thead><tbody>',
        ...b.rows.map((r) => `<tr>${r.map((c) => `<td>${escape(c)}</td>`).join('')}</tr>`),
        '</tbody></table>',
      ].join('');
    case 'chart':
      // The SVG is the server's own ECharts output (no user text is unescaped in it: ECharts escapes labels).
      return `<figure>${b.svg}<figcaption>${escape(b.caption)}</figcaption></figure>`;
  }
}

/** The document as one self-contained HTML page for printing. */
export function documentHtml(doc: OfficialDocument, fontCss = ''): string {
  const record: string[] = [];
  if (doc.cc.trim() !== '') record.push(`<div>抄送：${escape(doc.cc)}。</div>`);
  record.push(
    `<div>${escape(doc.signature)}<span style="float:right">${escape(chineseDate(doc.date))}印发</span></div>`,
  );
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escape(doc.title)}</title>
<style>${fontCss}${CSS}</style></head>
<body>
<div class="masthead">${escape(doc.issuer)}</div>
<p class="number" style="text-indent:0">${escape(doc.docNumber) || '&#8203;'}</p>
<h1>${escape(doc.title)}</h1>
${doc.addressee.trim() !== '' ? `<p class="addressee">${escape(doc.addressee)}：</p>` : ''}
${doc.blocks.map(block).join('\n')}
<p class="sign" style="margin-top:28.95pt">${escape(doc.signature)}</p>
<p class="sign">${escape(chineseDate(doc.date))}</p>
<div class="record">${record.join('')}</div>
</body></html>`;
}
