/*
 * Cells as a spreadsheet reader hands them over, and the normalisation every import applies to what a
 * person typed (full-width characters, stray spaces, Excel numbers and dates, notes under a table).
 * Shared by the registry, panel and scoring imports; what a column means stays in each area.
 */
import { isValidDate } from '../time.js';

/** A problem with a cell that reading cannot repair (an Excel error value, a formula never computed). */
export type CellProblem = 'excel_error' | 'formula_without_result';

/**
 * One cell: text, a number, a boolean, a date (an Excel date cell, as YYYY-MM-DD), a problem, or empty.
 */
export type RawCell =
  string | number | boolean | null | { date: string } | { problem: CellProblem; text: string };

export interface RawRow {
  /** 1-based row number as the clerk sees it in Excel (or the record number of a CSV file). */
  row: number;
  cells: RawCell[];
}

export interface RawSheet {
  name: string;
  rows: RawRow[];
}

/** How a column's text is cleaned. */
export type ValueKind = 'id' | 'text' | 'enum' | 'integer' | 'phone' | 'date' | 'tags';

export const ZERO_WIDTH = /[\u200B-\u200D\u2060\uFEFF]/g;
const DASHES = /[\u2010-\u2015\u2212\uFE58\uFE63]/g;
const CJK = '\\p{Script=Han}\\u3000-\\u303F\\uFF00-\\uFFEF';
const SPACE_BETWEEN_CJK = new RegExp(`(?<=[${CJK}])\\s+(?=[${CJK}])`, 'gu');

/**
 * A header as typed becomes comparable: NFKC, no spaces, lower case, without a required-marker
 * star or a trailing hint in brackets ("单位编码（必填）", "*姓名").
 */
export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKC')
    .replace(ZERO_WIDTH, '')
    .replace(/\s+/g, '')
    .replace(/^\*+|\*+$/g, '')
    .replace(/(\(.*\)|\[.*\]|【.*】|〔.*〕)$/u, '')
    .replace(/^\*+|\*+$/g, '')
    .toLowerCase();
}

/**
 * Text typed by a person, normalised for its kind: codes, choices, numbers, dates and phone numbers
 * get NFKC (ＳＪ－００１ → SJ-001) and trimming; names keep their characters but lose the spaces at
 * either end and between Chinese characters ("张\u3000三" → "张三"), and runs of spaces become one.
 */
export function normalizeValue(kind: ValueKind, text: string): string {
  const cleaned = text.replace(ZERO_WIDTH, '');
  switch (kind) {
    case 'id':
      return cleaned.normalize('NFKC').replace(DASHES, '-').trim();
    case 'enum':
      return cleaned.normalize('NFKC').replace(/\s+/g, '').toLowerCase();
    case 'integer':
      return cleaned.normalize('NFKC').replace(/[\s,]+/g, '');
    case 'date':
      return cleaned.normalize('NFKC').replace(/\s+/g, ' ').trim();
    case 'phone':
      return cleaned.normalize('NFKC').replace(DASHES, '-').replace(/\s+/g, ' ').trim();
    case 'text':
      return cleaned.trim().replace(SPACE_BETWEEN_CJK, '').replace(/\s+/g, ' ');
    case 'tags':
      return cleaned.trim();
  }
}

/** A number as text without float noise (12.300000000000001 → "12.3"); integers stay exact. */
export function numberText(value: number): string {
  if (Number.isInteger(value)) return Number.isSafeInteger(value) ? String(value) : value.toFixed(0);
  return String(Number(value.toPrecision(15)));
}

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);

/** An Excel date serial number (46023 → 2026-01-01), or null when the number cannot be one. */
export function excelSerialToDate(serial: number): string | null {
  if (!Number.isFinite(serial) || serial < 61 || serial > 2958465) return null;
  return new Date(EXCEL_EPOCH + Math.floor(serial) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A date as clerks write it — 2026-01-01, 2026-1-1, 2026/1/1, 2026.1.1, 2026年1月1日, 20260101,
 * optionally followed by a time — as YYYY-MM-DD, or null when it is not a real date.
 */
export function parseDate(text: string): string | null {
  const t = text.normalize('NFKC').trim();
  const m =
    /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(t) ??
    /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$/.exec(t) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(t);
  if (!m) return null;
  const iso = `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
  return isValidDate(iso) ? iso : null;
}

const NOTES_START =
  /^(?:填表说明|填报说明|填写说明|导入说明|注意事项|(?:说明|备注|注|附注|制表人|填表人|审核人|制表日期|填表日期|notes?|remarks?)\s*[:：])/iu;

/** Whether a row's first text opens a block of notes ("填表说明：……", "注：", "制表人：…"). */
export function isNotesText(text: string): boolean {
  return NOTES_START.test(text.normalize('NFKC').trim());
}
