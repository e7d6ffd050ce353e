import type { ErrorCode } from '../core/error-codes.js';
import type { DocBlock, OfficialDocument } from './types.js';

export * from './types.js';

/*
 * Pure helpers of official documents: dates and numbers as 公文 writes them, and the checks of an edited
 * document (what the office may change in a draft).
 */

/** 2026-03-16 → 2026年3月16日 (GB/T 9704: Arabic numerals, no leading zeros). */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日`;
}

const NUMERALS = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** 1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (up to 99), for heading numbers 一、二、…. */
export function chineseNumber(n: number): string {
  if (n <= 10) return NUMERALS[n] ?? String(n);
  if (n < 20) return `十${NUMERALS[n - 10] ?? ''}`;
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${NUMERALS[tens] ?? ''}十${ones === 0 ? '' : (NUMERALS[ones] ?? '')}`;
}

/** Numbers the first-level headings 一、二、… and second-level ones （一）（二）… in order. */
export function numberHeadings(blocks: readonly DocBlock[]): DocBlock[] {
  let first = 0;
  let second = 0;
  return blocks.map((b) => {
    if (b.kind !== 'heading') return b;
    if (b.level === 1) {
      first += 1;
      second = 0;
      return { ...b, text: `${chineseNumber(first)}、${b.text}` };
    }
    second += 1;
    return { ...b, text: `（${chineseNumber(second)}）${b.text}` };
  });
}

/** What the office may change in a draft: the texts; tables and charts stay as the data made them. */
export interface DocumentEdit {
  issuer?: string | undefined;
  docNumber?: string | undefined;
  title?: string | undefined;
  addressee?: string | undefined;
  signature?: string | undefined;
  date?: string | undefined;
  cc?: string | undefined;
  /** Replacement texts of the paragraphs and headings, by block index. */
  texts?: Record<string, string> | undefined;
}

/** A problem with an edit: the field and a stable code. */
export interface EditProblem {
  field: string;
  code: ErrorCode;
  message: string;
}

const oneLine = (s: string) => ![...s].some((c) => c < ' ' || c === '\u007f');

/** Applies an edit to a draft, or names the first problem. */
export function applyEdit(doc: OfficialDocument, edit: DocumentEdit): OfficialDocument | EditProblem {
  const next: OfficialDocument = { ...doc, blocks: [...doc.blocks] };
  const lines: [keyof DocumentEdit & keyof OfficialDocument, number, boolean][] = [
    ['issuer', 40, true],
    ['docNumber', 40, false],
    ['title', 120, true],
    ['addressee', 200, false],
    ['signature', 60, true],
    ['cc', 300, false],
  ];
  for (const [field, max, required] of lines) {
    const value = edit[field];
    if (value === undefined) continue;
    if (typeof value !== 'string') return { field, code: 'invalid_input', message: `${field} is text.` };
    const clean = value.normalize('NFC').trim();
    if ((required && clean === '') || [...clean].length > max || !oneLine(clean)) {
      return {
        field,
        code: 'invalid_input',
        message: `${field} is one line of ${required ? 1 : 0}–${max} characters.`,
      };
    }
    next[field] = clean;
  }
  if (edit.date !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(edit.date) || Number.isNaN(Date.parse(`${edit.date}T00:00:00Z`))) {
      return { field: 'date', code: 'invalid_date', message: 'The date is YYYY-MM-DD.' };
    }
    next.date = edit.date;
  }
  for (const [key, value] of Object.entries(edit.texts ?? {})) {
    const index = Number(key);
    const block = Number.isInteger(index) ? next.blocks[index] : undefined;
    if (!block || (block.kind !== 'paragraph' && block.kind !== 'heading')) {
      return {
        field: `texts.${key}`,
        code: 'not_text_block',
        message: `Block ${key} is not a paragraph or heading.`,
      };
    }
    const clean = value.normalize('NFC').trim();
    if (clean === '' || [...clean].length > 5000 || (block.kind === 'heading' && !oneLine(clean))) {
      return {
        field: `texts.${key}`,
        code: 'invalid_input',
        message: `Block ${key} needs 1–5000 characters.`,
      };
    }
    next.blocks[index] = { ...block, text: clean };
  }
  return next;
}
