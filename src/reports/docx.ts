import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
  type IBorderOptions,
} from 'docx';
import { chineseDate } from './model.js';
import type { DocBlock, OfficialDocument } from './types.js';

/*
 * An official document as .docx in the layout of GB/T 9704-2012 (党政机关公文格式): A4 with margins
 * of 37 mm (top), 35 mm (bottom), 28 mm (left) and 26 mm (right); the issuing office's mark in red 小标宋,
 * the document number in 3号仿宋 and a red line below; the title in 2号小标宋; the body in 3号仿宋 with a
 * two-character first-line indent and a fixed line pitch of 28.95 pt (22 lines a page); first-level
 * headings in 黑体, second-level in 楷体; signature and date right-set four characters in; the record lines
 * (抄送, 印发) between rules; page numbers in 4号宋体 as “— 1 —”, odd pages right, even pages left.
 * Fonts are named as Word and WPS know them; a reader without them substitutes.
 */

const MM = 56.7; // twips per millimetre
const FANGSONG = { ascii: '仿宋', eastAsia: '仿宋', hAnsi: '仿宋', cs: '仿宋' };
const XIAOBIAOSONG = {
  ascii: '方正小标宋简体',
  eastAsia: '方正小标宋简体',
  hAnsi: '方正小标宋简体',
  cs: '方正小标宋简体',
};
const HEITI = { ascii: '黑体', eastAsia: '黑体', hAnsi: '黑体', cs: '黑体' };
const KAITI = { ascii: '楷体', eastAsia: '楷体', hAnsi: '楷体', cs: '楷体' };
const SONGTI = { ascii: '宋体', eastAsia: '宋体', hAnsi: '宋体', cs: '宋体' };
const SIZE_3 = 32; // 3号 = 16 pt, in half-points
const SIZE_2 = 44; // 2号 = 22 pt
const SIZE_4 = 28; // 4号 = 14 pt
const RED = 'FF0000';
const LINE = { line: 579, lineRule: LineRuleType.EXACT }; // 28.95 pt
const INDENT_2 = 640; // two characters of 16 pt
const INDENT_4 = 1280;

const body = (text: string, options: { indent?: boolean; font?: typeof FANGSONG; bold?: boolean } = {}) =>
  new Paragraph({
    spacing: LINE,
    indent: options.indent === false ? {} : { firstLine: INDENT_2 },
    alignment: AlignmentType.JUSTIFIED,
    children: [
      new TextRun({ text, font: options.font ?? FANGSONG, size: SIZE_3, bold: options.bold ?? false }),
    ],
  });

const cellBorder: IBorderOptions = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function table(block: Extract<DocBlock, { kind: 'table' }>): (Paragraph | Table)[] {
  const cell = (text: string, header: boolean) =>
    new TableCell({
      borders: { top: cellBorder, bottom: cellBorder, left: cellBorder, right: cellBorder },
      children: [
        new Paragraph({
          alignment: AlignmentType.CENTER,
          children: [new TextRun({ text, font: header ? HEITI : FANGSONG, size: 24 })],
        }),
      ],
    });
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: LINE,
      children: [new TextRun({ text: block.caption, font: HEITI, size: SIZE_4 })],
    }),
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({ tableHeader: true, children: block.columns.map((c) => cell(c, true)) }),
        ...block.rows.map((r) => new TableRow({ children: r.map((c) => cell(c, false)) })),
      ],
    }),
  ];
}

/** A 1×1 white PNG: the fallback Word requires beside an SVG (Word 2016+, WPS and LibreOffice draw the SVG). */
const FALLBACK_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mP8/x8AAwMCAO+ip1sAAAAASUVORK5CYII=',
  'base64',
);

function chart(block: Extract<DocBlock, { kind: 'chart' }>): Paragraph[] {
  // Text width is 210 − 28 − 26 = 156 mm ≈ 590 px at 96 dpi.
  const scale = Math.min(1, 580 / block.width);
  return [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      children: [
        new ImageRun({
          type: 'svg',
          data: Buffer.from(block.svg, 'utf8'),
          fallback: { type: 'png', data: FALLBACK_PNG },
          transformation: {
            width: Math.round(block.width * scale),
            height: Math.round(block.height * scale),
          },
          altText: { name: block.caption, description: block.caption, title: block.caption },
        }),
      ],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: LINE,
      children: [new TextRun({ text: block.caption, font: HEITI, size: SIZE_4 })],
    }),
  ];
}

function blocks(list: readonly DocBlock[]): (Paragraph | Table)[] {
  return list.flatMap((b) => {
    switch (b.kind) {
      case 'heading':
        return [body(b.text, { font: b.level === 1 ? HEITI : KAITI })];
      case 'paragraph':
        return b.text.split('\n').map((line) => body(line));
      case 'table':
        return table(b);
      case 'chart':
        return chart(b);
    }
  });
}

const pageNumber = (alignment: (typeof AlignmentType)[keyof typeof AlignmentType]) =>
  new Footer({
    children: [
      new Paragraph({
        alignment,
        indent: alignment === AlignmentType.RIGHT ? { right: 280 } : { left: 280 },
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: SONGTI, size: SIZE_4 })],
      }),
    ],
  });

const rule = (color: string, size: number) => ({ style: BorderStyle.SINGLE, size, color, space: 1 });

/** The .docx of an official document. */
export async function documentDocx(doc: OfficialDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { before: 400, after: 400 },
      children: [new TextRun({ text: doc.issuer, font: XIAOBIAOSONG, size: 72, color: RED })],
    }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      border: { bottom: rule(RED, 18) },
      children: [new TextRun({ text: doc.docNumber, font: FANGSONG, size: SIZE_3 })],
    }),
    new Paragraph({ spacing: LINE, children: [] }),
    new Paragraph({
      alignment: AlignmentType.CENTER,
      spacing: { line: 700, lineRule: LineRuleType.EXACT },
      children: [new TextRun({ text: doc.title, font: XIAOBIAOSONG, size: SIZE_2 })],
    }),
    new Paragraph({ spacing: LINE, children: [] }),
  ];
  if (doc.addressee.trim() !== '') children.push(body(`${doc.addressee}：`, { indent: false }));
  children.push(...blocks(doc.blocks));
  children.push(
    new Paragraph({ spacing: LINE, children: [] }),
    new Paragraph({
      spacing: LINE,
      alignment: AlignmentType.RIGHT,
      indent: { right: INDENT_4 },
      children: [new TextRun({ text: doc.signature, font: FANGSONG, size: SIZE_3 })],
    }),
    new Paragraph({
      spacing: LINE,
      alignment: AlignmentType.RIGHT,
      indent: { right: INDENT_4 },
      children: [new TextRun({ text: chineseDate(doc.date), font: FANGSONG, size: SIZE_3 })],
    }),
    new Paragraph({ spacing: LINE, children: [] }),
  );
  const record = (text: string, first: boolean) =>
    new Paragraph({
      spacing: { line: 500, lineRule: LineRuleType.EXACT },
      indent: { left: 280, right: 280 },
      border: { ...(first ? { top: rule('000000', 8) } : {}), bottom: rule('000000', first ? 4 : 8) },
      children: [new TextRun({ text, font: FANGSONG, size: SIZE_4 })],
    });
  if (doc.cc.trim() !== '') children.push(record(`抄送：${doc.cc}。`, true));
  children.push(
    record(`${doc.signature}\u3000\u3000\u3000\u3000${chineseDate(doc.date)}印发`, doc.cc.trim() === ''),
  );

  const document = new Document({
    creator: 'Minping',
    title: doc.title,
    evenAndOddHeaderAndFooters: true,
    sections: [
      {
        properties: {
          page: {
            size: { width: 11906, height: 16838 },
            margin: {
              top: Math.round(37 * MM),
              bottom: Math.round(35 * MM),
              left: Math.round(28 * MM),
              right: Math.round(26 * MM),
              footer: Math.round(21 * MM),
            },
          },
        },
        footers: { default: pageNumber(AlignmentType.RIGHT), even: pageNumber(AlignmentType.LEFT) },
        children,
      },
    ],
  });
  return Packer.toBuffer(document);
}
