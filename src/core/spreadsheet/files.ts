/*
 * Reading a clerk's .xlsx or .csv into cells, and writing an export. What the cells mean is decided by
 * each import (registry/import-plan.ts, panel, scoring); this file only knows file formats: merged cells, formulas, rich text,
 * Excel dates, number formats, and the encodings CSV files arrive in (UTF-8 with or without a BOM,
 * GB18030/GBK from Chinese Excel, UTF-16 from “Unicode text”).
 */
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { Invalid } from '../errors.js';
import type { RawCell, RawRow, RawSheet } from './cells.js';

/** One sheet to write: a header row and its rows. */
export interface ExportTable {
  name: string;
  header: string[];
  rows: (string | number)[][];
}

export const ACCEPTED_TYPES = ['.xlsx', '.csv'] as const;
export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook that unpacks to more than this is refused before it is opened (a “zip bomb”). */
const MAX_UNPACKED_BYTES = 300 * 1024 * 1024;

const unsupported = (filename: string) =>
  new Invalid(
    'unsupported_file',
    `"${filename}" is not a file the importer reads. Upload an Excel workbook (.xlsx) or a CSV file (.csv); save older .xls workbooks as .xlsx first.`,
    { accepted: ACCEPTED_TYPES.join(', ') },
  );

const unreadable = (detail: string) =>
  new Invalid('unreadable_file', `The file could not be read: ${detail}`, {
    accepted: ACCEPTED_TYPES.join(', '),
  });

const startsWith = (bytes: Uint8Array, signature: readonly number[]) =>
  signature.every((b, i) => bytes[i] === b);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** The lower-case extension of a file name (".xlsx"), or '' when it has none. */
export function extensionOf(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

/**
 * Reads an uploaded file into sheets of cells. The type comes from the name (.xlsx or .csv);
 * anything else is `unsupported_file`, a file that cannot be opened is `unreadable_file`.
 */
export async function readSpreadsheet(filename: string, bytes: Buffer): Promise<RawSheet[]> {
  const ext = extensionOf(filename);
  if (ext !== '.xlsx' && ext !== '.csv') throw unsupported(filename);
  if (bytes.length === 0) throw unreadable('it is empty.');
  if (ext === '.csv') {
    if (startsWith(bytes, ZIP) || startsWith(bytes, OLE)) {
      throw unreadable('it is an Excel workbook named .csv; save it as .xlsx or as CSV and upload again.');
    }
    const base = filename.split(/[\\/]/).pop() ?? filename;
    return [readCsv(base, bytes)];
  }
  return readXlsx(bytes);
}

// --- CSV ----------------------------------------------------------------------------------------

/**
 * CSV bytes as text: UTF-16 when a UTF-16 BOM says so, UTF-8 (BOM dropped) when the bytes are valid
 * UTF-8, otherwise GB18030 — what Chinese Excel writes for “CSV (逗号分隔)”.
 */
export function decodeText(bytes: Uint8Array): string {
  if (startsWith(bytes, [0xff, 0xfe])) return new TextDecoder('utf-16le').decode(bytes);
  if (startsWith(bytes, [0xfe, 0xff])) return new TextDecoder('utf-16be').decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** Comma, tab or semicolon: whichever the first line with content uses most. */
function guessDelimiter(text: string): string {
  const line = text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  const counts = [',', '\t', ';', '，'].map((d) => [d, line.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  const best = counts[0];
  return best && best[1] > 0 ? best[0] : ',';
}

/** A CSV file as one sheet; row numbers are record numbers, as Excel shows them when it opens the file. */
export function readCsv(name: string, bytes: Uint8Array): RawSheet {
  const text = decodeText(bytes).replace(/^\uFEFF/, '');
  let records: string[][];
  try {
    records = parse(text, {
      delimiter: guessDelimiter(text),
      relax_column_count: true,
      relax_quotes: true,
      skip_empty_lines: false,
    });
  } catch (error) {
    throw unreadable(`it is not valid CSV (${error instanceof Error ? error.message : 'parse error'}).`);
  }
  const rows: RawRow[] = records.map((cells, i) => ({
    row: i + 1,
    // Some systems write ="001" so that Excel keeps the leading zeros.
    cells: cells.map((c) => /^="(.*)"$/s.exec(c)?.[1] ?? c),
  }));
  return { name, rows };
}

// --- xlsx ---------------------------------------------------------------------------------------

/**
 * The total unpacked size of a zip archive's entries, from its central directory, or null when the
 * bytes are not a readable zip. Read before unpacking so that a tiny file cannot expand to gigabytes.
 */
export function zipUnpackedSize(bytes: Buffer): number | null {
  const min = Math.max(0, bytes.length - 22 - 0xffff);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= min; i -= 1) {
    if (bytes.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) return null;
  const entries = bytes.readUInt16LE(eocd + 10);
  let offset = bytes.readUInt32LE(eocd + 16);
  let total = 0;
  for (let n = 0; n < entries; n += 1) {
    if (offset + 46 > bytes.length || bytes.readUInt32LE(offset) !== 0x02014b50) return null;
    const size = bytes.readUInt32LE(offset + 24);
    if (size === 0xffffffff) return Number.POSITIVE_INFINITY; // zip64: far beyond any registry
    total += size;
    offset +=
      46 +
      bytes.readUInt16LE(offset + 28) +
      bytes.readUInt16LE(offset + 30) +
      bytes.readUInt16LE(offset + 32);
  }
  return total;
}

function errorText(value: unknown): string {
  return typeof value === 'object' && value !== null && 'error' in value ? String(value.error) : '#ERROR';
}

const isoDate = (d: Date) => (Number.isNaN(d.getTime()) ? '' : d.toISOString().slice(0, 10));

/** One exceljs cell value as a raw cell: formulas give their result, rich text its plain text. */
export function cellOf(value: ExcelJS.CellValue, numFmt?: string): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    // A code typed as 001 in a column formatted "000" is the number 1 shown with its zeros.
    if (numFmt && /^0+$/.test(numFmt) && Number.isInteger(value) && value >= 0) {
      return String(value).padStart(numFmt.length, '0');
    }
    return value;
  }
  if (value instanceof Date) return { date: isoDate(value) };
  if ('richText' in value) return value.richText.map((r) => r.text).join('');
  if ('hyperlink' in value) {
    const text: unknown = value.text;
    if (typeof text === 'string') return text;
    if (text && typeof text === 'object' && 'richText' in text)
      return cellOf(text as ExcelJS.CellRichTextValue);
    return value.hyperlink;
  }
  if ('formula' in value || 'sharedFormula' in value) {
    const result = value.result;
    if (result === undefined || result === null) return { problem: 'formula_without_result', text: '' };
    if (typeof result === 'object' && !(result instanceof Date)) {
      return { problem: 'excel_error', text: errorText(result) };
    }
    return cellOf(result, numFmt);
  }
  if ('error' in value) return { problem: 'excel_error', text: errorText(value) };
  return null;
}

/**
 * An .xlsx workbook as sheets of cells. A merged range gives its value in its first column only, on
 * every row it covers: a merged title reads as one line of text, and a parent code merged down over
 * the rows of its sub-units reads as that code on each of them.
 */
export async function readXlsx(bytes: Buffer): Promise<RawSheet[]> {
  if (startsWith(bytes, OLE)) {
    throw unreadable(
      'it is an old-format (.xls) or password-protected workbook; save it as .xlsx without a password.',
    );
  }
  const unpacked = zipUnpackedSize(bytes);
  if (unpacked === null) throw unreadable('it is not an Excel workbook (.xlsx), or it is damaged.');
  if (unpacked > MAX_UNPACKED_BYTES) throw unreadable('the workbook unpacks to more than 300 MB.');
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  } catch {
    throw unreadable('Excel could not open it as a workbook (.xlsx); it may be damaged.');
  }
  return workbook.worksheets.map((sheet) => {
    const rows: RawRow[] = [];
    sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
      const cells: RawCell[] = [];
      row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
        const master = cell.isMerged ? cell.master : cell;
        // A merge across columns (a title, a note) is one value; a merge down a column (one parent
        // for several rows) means that value in every row it covers.
        if (master.address !== cell.address && master.fullAddress.col !== cell.fullAddress.col) return;
        while (cells.length < colNumber - 1) cells.push(null);
        cells[colNumber - 1] = cellOf(master.value, master.numFmt);
      });
      rows.push({ row: rowNumber, cells });
    });
    // Blank lines between rows with values still count, for the report of what was skipped.
    const filled: RawRow[] = [];
    let next = 1;
    for (const r of rows) {
      for (; next < r.row; next += 1) filled.push({ row: next, cells: [] });
      filled.push(r);
      next = r.row + 1;
    }
    return { name: sheet.name, rows: filled };
  });
}

// --- export -------------------------------------------------------------------------------------

interface RangeValidations {
  add(range: string, validation: ExcelJS.DataValidation): void;
}

const WIDTHS: Record<string, number> = {
  单位名称: 28,
  事项名称: 36,
  简称: 14,
  标签: 20,
  负责人电话: 16,
  电话: 16,
  生效日期: 12,
};

/**
 * The registry export as an .xlsx: one sheet per table, a bold frozen header row, text cells
 * formatted as text (so that Excel keeps codes like 001 as typed when the clerk edits them), and
 * drop-down lists for the columns with fixed choices.
 */
export async function writeWorkbook(
  tables: readonly ExportTable[],
  choices: Record<string, string[]>,
): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Minping';
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = table.header.map((h) => ({
      header: h,
      width: WIDTHS[h] ?? Math.max(10, h.length * 2 + 4),
      style: h === '排序' ? {} : { numFmt: '@' },
    }));
    sheet.getRow(1).font = { bold: true };
    for (const row of table.rows) sheet.addRow(row);
    const last = Math.max(table.rows.length + 200, 1000);
    table.header.forEach((h, i) => {
      const list = choices[h];
      if (!list) return;
      const letter = sheet.getColumn(i + 1).letter;
      // exceljs accepts a range here (and writes one rule), although its typings only name cells.
      const validations = (sheet as unknown as { dataValidations: RangeValidations }).dataValidations;
      validations.add(`${letter}2:${letter}${last}`, {
        type: 'list',
        allowBlank: true,
        formulae: [`"${list.join(',')}"`],
      });
    });
  }
  const out = await workbook.xlsx.writeBuffer();
  return Buffer.from(out);
}
