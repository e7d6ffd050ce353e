/*
 * Spreadsheet import of the unit registry, the pure part (no I/O):
 *   1. `readSheets` turns the cells of a clerk's workbook into records: it finds each sheet's header row
 *      (by its column names, not the sheet's name), skips titles, blank lines, repeated headers and notes
 *      and says why, and normalises every cell (full-width characters, stray spaces, numbers and dates).
 *   2. `planImport` compares the records with a snapshot of the registry and says, row by row, what would
 *      be created or changed, or why a row is in error, with the same rules as the API.
 * Messages are Chinese, for the clerk; codes are stable English snake_case, for the console.
 */
import {
  excelSerialToDate,
  isNotesText,
  normalizeHeader,
  normalizeValue,
  numberText,
  parseDate,
  ZERO_WIDTH,
  type RawCell,
  type RawSheet,
  type ValueKind,
} from '../core/spreadsheet/cells.js';

import {
  isValidCode,
  normalizeTags,
  parentsFirst,
  UNIT_KIND_NAMES,
  UNIT_KINDS,
  type ServiceMode,
  type UnitKind,
} from './model.js';

export const IMPORT_ENTITIES = ['unit', 'service_item', 'staff'] as const;
export type ImportEntity = (typeof IMPORT_ENTITIES)[number];

/** The sheet names of an export, and how a clerk names each kind of row. */
export const ENTITY_NAMES: Record<ImportEntity, string> = {
  unit: '单位',
  service_item: '服务事项',
  staff: '人员',
};

// --- the columns --------------------------------------------------------------------------------

export interface ColumnSpec {
  field: string;
  /** The Chinese header an export writes. */
  label: string;
  kind: ValueKind;
  /** A sheet is recognised only when its header row has every required column. */
  required: boolean;
  /** Other headers accepted besides the label and the English field name. */
  aliases: readonly string[];
}

const col = (
  field: string,
  label: string,
  kind: ValueKind,
  required: boolean,
  ...aliases: string[]
): ColumnSpec => ({ field, label, kind, required, aliases });

/** The columns of each sheet, in the order an export writes them. */
export const COLUMNS: Record<ImportEntity, readonly ColumnSpec[]> = {
  unit: [
    col('code', '单位编码', 'id', true, '单位代码'),
    col('name', '单位名称', 'text', true),
    col('shortName', '简称', 'text', false, '单位简称'),
    col('kind', '类型', 'enum', false, '单位类型'),
    col('parentCode', '上级单位编码', 'id', false, '上级单位代码', '上级编码'),
    col('category', '类别', 'id', false, '单位类别'),
    col('tags', '标签', 'tags', false),
    col('sortOrder', '排序', 'integer', false, '排序号'),
    col('responsibleName', '负责人', 'text', false),
    col('responsiblePhone', '负责人电话', 'phone', false),
    col('effectiveFrom', '生效日期', 'date', false),
  ],
  service_item: [
    col('code', '事项编码', 'id', true, '事项代码'),
    col('name', '事项名称', 'text', true),
    col('unitCode', '所属单位编码', 'id', true, '所属单位代码'),
    col('mode', '办理方式', 'enum', false),
    col('active', '状态', 'enum', false),
  ],
  staff: [
    col('staffNo', '工号', 'id', true),
    col('name', '姓名', 'text', true),
    col('unitCode', '所属单位编码', 'id', true, '所属单位代码'),
    col('position', '职务', 'text', false),
    col('phone', '电话', 'phone', false, '联系电话'),
    col('active', '状态', 'enum', false),
  ],
};

const KEY_FIELD: Record<ImportEntity, string> = { unit: 'code', service_item: 'code', staff: 'staffNo' };

function label(entity: ImportEntity, field: string): string {
  return COLUMNS[entity].find((c) => c.field === field)?.label ?? field;
}

interface CellReading {
  text: string;
  problem?: { code: string; message: (columnLabel: string) => string };
}

function readCell(cell: RawCell | undefined, kind: ValueKind): CellReading {
  if (cell === null || cell === undefined) return { text: '' };
  if (typeof cell === 'string') return { text: normalizeValue(kind, cell) };
  if (typeof cell === 'boolean') return { text: cell ? 'true' : 'false' };
  if (typeof cell === 'number') {
    if (kind === 'date') {
      const asText = numberText(cell);
      return { text: /^\d{8}$/.test(asText) ? asText : (excelSerialToDate(cell) ?? asText) };
    }
    const text = numberText(cell);
    if (Number.isInteger(cell) && !Number.isSafeInteger(cell)) {
      return {
        text,
        problem: {
          code: 'number_precision_lost',
          message: (l) =>
            `${l}是超过 15 位的数字，Excel 已丢掉末尾几位（${text}）；请把这一列设为“文本”格式后重新填写`,
        },
      };
    }
    return { text: normalizeValue(kind, text) };
  }
  if ('date' in cell) return { text: cell.date };
  const shown = cell.text;
  return cell.problem === 'excel_error'
    ? {
        text: '',
        problem: {
          code: 'cell_error',
          message: (l) => `${l}单元格是 Excel 错误值 ${shown}，请先在 Excel 中改正`,
        },
      }
    : {
        text: '',
        problem: {
          code: 'formula_without_result',
          message: (l) => `${l}是公式，但文件里没有保存计算结果；请用 Excel 打开并保存后再导入`,
        },
      };
}

/** What a cell shows, for recognising headers, notes and blank lines. */
function displayText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell.replace(ZERO_WIDTH, '').normalize('NFKC').trim();
  if (typeof cell === 'number') return numberText(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if ('date' in cell) return cell.date;
  return cell.text;
}

// --- reading sheets -----------------------------------------------------------------------------

export interface SheetInfo {
  name: string;
  entity: ImportEntity | null;
  message: string;
}

export type SkipReason = 'blank' | 'title' | 'header' | 'notes' | 'unknown_sheet';

export interface SkippedRow {
  sheet: string;
  row: number;
  reason: SkipReason;
  message: string;
}

export interface RowError {
  field: string;
  code: string;
  message: string;
}

/** One data row, normalised: field → text ('' for a blank cell; no key when the column is absent). */
export interface ImportRecord {
  sheet: string;
  row: number;
  entity: ImportEntity;
  values: Record<string, string>;
  /** Cells that could not be read (Excel error values, formulas without a result, lost digits). */
  problems: RowError[];
}

/** What was read from a file: how each sheet was understood, what was skipped, and the data rows. */
export interface ParsedFile {
  sheets: SheetInfo[];
  skipped: SkippedRow[];
  records: ImportRecord[];
}

interface HeaderMatch {
  entity: ImportEntity;
  columns: { index: number; spec: ColumnSpec }[];
  ignored: string[];
}

const HEADER_INDEX: Record<ImportEntity, Map<string, ColumnSpec>> = Object.fromEntries(
  IMPORT_ENTITIES.map((entity) => {
    const map = new Map<string, ColumnSpec>();
    for (const spec of COLUMNS[entity]) {
      for (const name of [spec.label, spec.field, ...spec.aliases]) map.set(normalizeHeader(name), spec);
    }
    return [entity, map];
  }),
) as Record<ImportEntity, Map<string, ColumnSpec>>;

/** The entity whose header a row is, with the column of each field; null when the row is no header. */
export function matchHeader(cells: readonly RawCell[]): HeaderMatch | null {
  const texts = cells.map((c) => (typeof c === 'string' ? normalizeHeader(c) : ''));
  let best: HeaderMatch | null = null;
  for (const entity of IMPORT_ENTITIES) {
    const index = HEADER_INDEX[entity];
    const columns: HeaderMatch['columns'] = [];
    const ignored: string[] = [];
    const seen = new Set<string>();
    texts.forEach((text, i) => {
      if (!text) return;
      const spec = index.get(text);
      if (spec && !seen.has(spec.field)) {
        seen.add(spec.field);
        columns.push({ index: i, spec });
      } else {
        ignored.push(displayText(cells[i]));
      }
    });
    const complete = COLUMNS[entity].every((c) => !c.required || seen.has(c.field));
    if (complete && (best === null || columns.length > best.columns.length)) {
      best = { entity, columns, ignored };
    }
  }
  return best;
}

/** Cheap test before `matchHeader`: does the row have the key column's header where the key goes? */
function looksLikeHeader(cells: readonly RawCell[], header: HeaderMatch): boolean {
  const key = header.columns.find((c) => c.spec.field === KEY_FIELD[header.entity]);
  const cell = key ? cells[key.index] : undefined;
  return typeof cell === 'string' && HEADER_INDEX[header.entity].get(normalizeHeader(cell)) === key?.spec;
}

function expectedHeaders(): string {
  return IMPORT_ENTITIES.map(
    (e) => `${ENTITY_NAMES[e]}表：${COLUMNS[e].map((c) => `${c.label}${c.required ? '*' : ''}`).join('、')}`,
  ).join('；');
}

const quote = (text: string, max = 40) => `“${text.length > max ? `${text.slice(0, max)}…` : text}”`;

/** Maximum rows to look through for a header before giving up on a sheet. */
const HEADER_SEARCH_ROWS = 30;

/**
 * Reads sheets into records. A sheet is recognised by a header row (within its first rows) that has
 * every required column of one kind of row; rows above it are titles, blank rows and notes are
 * skipped, and every skip is reported with its reason.
 */
export function readSheets(sheets: readonly RawSheet[]): ParsedFile {
  const out: ParsedFile = { sheets: [], skipped: [], records: [] };
  for (const sheet of sheets) readSheet(sheet, out);
  return out;
}

function readSheet(sheet: RawSheet, out: ParsedFile): void {
  const rows = sheet.rows.map((r) => ({ ...r, texts: r.cells.map(displayText).filter((t) => t !== '') }));
  let last = rows.length - 1;
  while (last >= 0 && rows[last]?.texts.length === 0) last -= 1;
  const used = rows.slice(0, last + 1);
  if (used.length === 0) {
    out.sheets.push({ name: sheet.name, entity: null, message: '空工作表，已忽略。' });
    return;
  }
  let headerAt = -1;
  let header: HeaderMatch | null = null;
  let looked = 0;
  for (let i = 0; i < used.length && looked < HEADER_SEARCH_ROWS; i += 1) {
    const row = used[i];
    if (!row || row.texts.length === 0) continue;
    looked += 1;
    header = matchHeader(row.cells);
    if (header) {
      headerAt = i;
      break;
    }
  }
  if (!header) {
    const first = used.find((r) => r.texts.length > 0);
    const dataRows = used.filter((r) => r.texts.length > 0).length;
    out.sheets.push({
      name: sheet.name,
      entity: null,
      message: `未能识别表头，整张表未导入。表头应包含以下列名（*为必填列，中英文均可）：${expectedHeaders()}。`,
    });
    out.skipped.push({
      sheet: sheet.name,
      row: first?.row ?? 1,
      reason: 'unknown_sheet',
      message: `工作表“${sheet.name}”的表头无法识别，整张表（${dataRows} 行）未导入`,
    });
    return;
  }
  const entity = header.entity;
  for (const row of used.slice(0, headerAt)) {
    out.skipped.push(
      row.texts.length === 0
        ? { sheet: sheet.name, row: row.row, reason: 'blank', message: '空行' }
        : {
            sheet: sheet.name,
            row: row.row,
            reason: 'title',
            message: `表头上方的标题：${quote(row.texts.join(' '))}`,
          },
    );
  }
  const headerRow = used[headerAt];
  if (headerRow) {
    out.skipped.push({
      sheet: sheet.name,
      row: headerRow.row,
      reason: 'header',
      message: `表头（${ENTITY_NAMES[entity]}表）`,
    });
  }
  let inNotes = false;
  let dataCount = 0;
  for (const row of used.slice(headerAt + 1)) {
    const base = { sheet: sheet.name, row: row.row };
    if (row.texts.length === 0) {
      out.skipped.push({ ...base, reason: 'blank', message: '空行' });
      continue;
    }
    const firstText = row.texts[0] ?? '';
    if (isNotesText(firstText) || (inNotes && row.texts.length === 1)) {
      inNotes = true;
      out.skipped.push({ ...base, reason: 'notes', message: `说明文字，不是数据：${quote(firstText)}` });
      continue;
    }
    inNotes = false;
    if (looksLikeHeader(row.cells, header) && matchHeader(row.cells)?.entity === entity) {
      out.skipped.push({ ...base, reason: 'header', message: '重复的表头行' });
      continue;
    }
    const values: Record<string, string> = {};
    const problems: RowError[] = [];
    for (const { index, spec } of header.columns) {
      const reading = readCell(row.cells[index], spec.kind);
      values[spec.field] = reading.text;
      if (reading.problem) {
        problems.push({
          field: spec.field,
          code: reading.problem.code,
          message: reading.problem.message(spec.label),
        });
      }
    }
    out.records.push({ sheet: sheet.name, row: row.row, entity, values, problems });
    dataCount += 1;
  }
  const ignored = header.ignored.length
    ? `；以下列不属于${ENTITY_NAMES[entity]}表，已忽略：${header.ignored.join('、')}`
    : '';
  out.sheets.push({
    name: sheet.name,
    entity,
    message: `识别为${ENTITY_NAMES[entity]}表：表头在第 ${headerRow?.row ?? 1} 行，读到 ${dataCount} 行数据${ignored}。`,
  });
}

// --- the registry as the planner sees it --------------------------------------------------------

export interface UnitValues {
  name: string;
  shortName: string;
  kind: UnitKind;
  parentCode: string | null;
  /** Category code. */
  category: string | null;
  tags: string[];
  sortOrder: number;
  responsibleName: string;
  responsiblePhone: string;
}

export interface ServiceItemValues {
  name: string;
  unitCode: string;
  mode: ServiceMode;
  active: boolean;
}

export interface StaffValues {
  name: string;
  unitCode: string;
  position: string;
  phone: string;
  active: boolean;
}

/** A unit's latest version (the one a change applies to), by code. */
export interface SnapshotUnit extends UnitValues {
  code: string;
  validFrom: string;
  validTo: string | null;
}

export interface SnapshotServiceItem extends ServiceItemValues {
  code: string;
}

export interface SnapshotStaff extends StaffValues {
  staffNo: string;
}

export interface RegistrySnapshot {
  units: readonly SnapshotUnit[];
  categories: readonly { code: string; name: string }[];
  serviceItems: readonly SnapshotServiceItem[];
  staff: readonly SnapshotStaff[];
}

// --- the plan -----------------------------------------------------------------------------------

export type ImportAction = 'create' | 'update' | 'unchanged' | 'error';
export type ChangeValue = string | number | boolean | string[] | null;

export interface PlanRow {
  sheet: string;
  row: number;
  entity: ImportEntity;
  key: string;
  action: ImportAction;
  changes: Record<string, { from: ChangeValue; to: ChangeValue }>;
  errors: RowError[];
}

interface OpBase {
  sheet: string;
  row: number;
  key: string;
}

/** One write the apply step makes, in an order that puts every parent before its children. */
export type PlanOp =
  | (OpBase & { entity: 'unit'; action: 'create'; values: UnitValues; effectiveFrom: string })
  | (OpBase & { entity: 'unit'; action: 'update'; changes: Partial<UnitValues>; effectiveFrom: string })
  | (OpBase & { entity: 'service_item'; action: 'create'; values: ServiceItemValues })
  | (OpBase & { entity: 'service_item'; action: 'update'; changes: Partial<ServiceItemValues> })
  | (OpBase & { entity: 'staff'; action: 'create'; values: StaffValues })
  | (OpBase & { entity: 'staff'; action: 'update'; changes: Partial<StaffValues> });

export interface ImportSummary {
  create: number;
  update: number;
  unchanged: number;
  errors: number;
  skipped: number;
}

export interface ImportPlan {
  rows: PlanRow[];
  ops: PlanOp[];
  summary: ImportSummary;
}

export const MAX_LENGTHS = {
  unitName: 100,
  shortName: 40,
  responsibleName: 40,
  phone: 30,
  tag: 30,
  tags: 20,
  serviceItemName: 200,
  staffName: 40,
  position: 60,
} as const;
const SORT_ORDER_LIMIT = 100_000;
const PHONE_RE = /^[0-9+\- ]*$/;

const KIND_BY_TEXT = new Map<string, UnitKind>([
  ...UNIT_KINDS.map((k) => [k, k] as const),
  ...UNIT_KINDS.map((k) => [UNIT_KIND_NAMES[k], k] as const),
]);

/** The Chinese names of the service modes, as an export writes them. */
export const MODE_NAMES: Record<ServiceMode, string> = { online: '线上', offline: '线下', both: '线上线下' };

/** A unit kind from its Chinese or English name (辖区, department, …), or null. */
export function parseKind(text: string): UnitKind | null {
  return KIND_BY_TEXT.get(normalizeValue('enum', text)) ?? null;
}

/** A service mode from 线上/线下/线上线下 or online/offline/both; blank means both. */
export function parseMode(text: string): ServiceMode | null {
  const t = normalizeValue('enum', text);
  if (t === '' || t === 'both' || /^线上[+/、,&和及与]?线下$/u.test(t) || t === '线下线上') return 'both';
  if (t === '线上' || t === 'online' || t === '网上') return 'online';
  if (t === '线下' || t === 'offline' || t === '现场') return 'offline';
  return null;
}

const ACTIVE_TRUE = new Set(['', '在用', '启用', '有效', '正常', '在职', '是', 'true', 'yes', 'y', '1']);
const ACTIVE_FALSE = new Set(['停用', '禁用', '无效', '离职', '调离', '否', 'false', 'no', 'n', '0']);

/** Whether a row is in use, from 在用/停用/是/否/true/false (and a few synonyms); blank means in use. */
export function parseActive(text: string): boolean | null {
  const t = normalizeValue('enum', text);
  if (ACTIVE_TRUE.has(t)) return true;
  if (ACTIVE_FALSE.has(t)) return false;
  return null;
}

const charCount = (text: string) => [...text].length;

/** Collects a row's errors and reads its fields by the API's rules. */
class RowReader {
  readonly errors: RowError[];
  private readonly entity: ImportEntity;
  constructor(readonly record: ImportRecord) {
    this.entity = record.entity;
    this.errors = [...record.problems];
  }

  has(field: string): boolean {
    return field in this.record.values;
  }

  raw(field: string): string {
    return this.record.values[field] ?? '';
  }

  error(field: string, code: string, message: string): void {
    if (!this.errors.some((e) => e.field === field && e.code === code)) {
      this.errors.push({ field, code, message });
    }
  }

  label(field: string): string {
    return label(this.entity, field);
  }

  code(field: string, required: boolean): string | null | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw(field);
    if (v === '') {
      if (required) this.error(field, 'required', `${this.label(field)}必填`);
      return null;
    }
    if (!isValidCode(v)) {
      this.error(
        field,
        'invalid_code',
        `${this.label(field)} ${quote(v)} 不符合编码规则：1–40 位英文字母、数字、“.”、“_”或“-”，以字母或数字开头`,
      );
    }
    return v;
  }

  text(field: string, max: number, required = false): string | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw(field);
    if (v === '' && required) this.error(field, 'required', `${this.label(field)}必填`);
    else if (charCount(v) > max) {
      this.error(field, 'too_long', `${this.label(field)}最多 ${max} 个字，现有 ${charCount(v)} 个`);
    }
    return v;
  }

  phone(field: string): string | undefined {
    if (!this.has(field)) return undefined;
    const v = this.raw(field);
    if (!PHONE_RE.test(v)) {
      this.error(
        field,
        'invalid_phone',
        `${this.label(field)} ${quote(v)} 只能包含数字、“+”、“-”和空格（一个单元格只填一个号码）`,
      );
    } else if (charCount(v) > MAX_LENGTHS.phone) {
      this.error(field, 'too_long', `${this.label(field)}最多 ${MAX_LENGTHS.phone} 位`);
    }
    return v;
  }

  active(): boolean | undefined {
    if (!this.has('active')) return undefined;
    const v = parseActive(this.raw('active'));
    if (v === null) {
      this.error(
        'active',
        'invalid_active',
        `状态 ${quote(this.raw('active'))} 无法识别，应为“在用”或“停用”（也可填 是/否、true/false）`,
      );
      return undefined;
    }
    return v;
  }
}

const sameValue = (a: ChangeValue, b: ChangeValue) =>
  Array.isArray(a) && Array.isArray(b) ? a.join('\u0000') === b.join('\u0000') : a === b;

function diff<T extends object>(before: T, after: T): Record<string, { from: ChangeValue; to: ChangeValue }> {
  const out: Record<string, { from: ChangeValue; to: ChangeValue }> = {};
  for (const key of Object.keys(after) as (keyof T & string)[]) {
    const from = before[key] as ChangeValue;
    const to = after[key] as ChangeValue;
    if (!sameValue(from, to)) out[key] = { from, to };
  }
  return out;
}

/** For a new row: every field that carries something, shown as changing from nothing. */
function creation(values: object): Record<string, { from: ChangeValue; to: ChangeValue }> {
  const out: Record<string, { from: ChangeValue; to: ChangeValue }> = {};
  for (const [key, value] of Object.entries(values) as [string, ChangeValue][]) {
    if (value === null || value === '' || (Array.isArray(value) && value.length === 0)) continue;
    out[key] = { from: null, to: value };
  }
  return out;
}

function pick<T extends object>(values: T, keys: readonly string[]): Partial<T> {
  const out: Partial<T> = {};
  for (const key of keys as (keyof T & string)[]) out[key] = values[key];
  return out;
}

/** Codes by their lower-case form, to hint at a reference that differs only in case. */
function caseIndex(codes: Iterable<string>): Map<string, string> {
  const out = new Map<string, string>();
  for (const code of codes) if (!out.has(code.toLowerCase())) out.set(code.toLowerCase(), code);
  return out;
}

function referenceMessage(what: string, code: string, byLowerCase: ReadonlyMap<string, string>): string {
  const candidate = byLowerCase.get(code.toLowerCase());
  const hint = candidate ? `；系统或文件中有 ${candidate}，编码区分大小写` : '';
  return `${what} ${code} 不存在（既不在系统中，也不在本文件中）${hint}`;
}

interface Located {
  sheet: string;
  row: number;
}
const where = (r: Located) => `“${r.sheet}”表第 ${r.row} 行`;

interface UnitDraft {
  reader: RowReader;
  row: PlanRow;
  code: string | null;
  present: Partial<UnitValues>;
  effectiveFrom: string | null;
  existing: SnapshotUnit | undefined;
  final: UnitValues | null;
  /** Whether this row is the first with its code (later ones are duplicates and take no part). */
  primary: boolean;
}

/**
 * Compares the records of a file with the registry. Rows are matched on their key (unit code, item code,
 * staff number): same values → unchanged, different → update with the fields that change, unknown → create.
 * Columns absent from a sheet keep their current values; a blank cell in a present column means blank.
 * `defaultDate` is the effective date of unit rows whose 生效日期 is blank (the day of the upload).
 */
export function planImport(file: ParsedFile, registry: RegistrySnapshot, defaultDate: string): ImportPlan {
  const rows: PlanRow[] = file.records.map((r) => ({
    sheet: r.sheet,
    row: r.row,
    entity: r.entity,
    key: r.values[KEY_FIELD[r.entity]] ?? '',
    action: 'error',
    changes: {},
    errors: [],
  }));
  const readers = file.records.map((r) => new RowReader(r));
  const byEntity = (entity: ImportEntity) =>
    file.records.flatMap((r, i) => {
      const reader = readers[i];
      const row = rows[i];
      return r.entity === entity && reader && row ? [{ reader, row }] : [];
    });

  const units = planUnits(byEntity('unit'), registry, defaultDate);
  const codes = new Set([...registry.units.map((u) => u.code), ...units.fileCodes]);
  const knownUnits: KnownUnits = { codes, byLowerCase: caseIndex(codes) };
  const itemOps = planServiceItems(byEntity('service_item'), registry, knownUnits);
  const staffOps = planStaff(byEntity('staff'), registry, knownUnits);

  hintUnitNames(readers, registry);

  readers.forEach((reader, i) => {
    const row = rows[i];
    if (!row) return;
    row.errors = reader.errors;
    if (row.errors.length > 0) row.action = 'error';
  });
  const inError = new Set(rows.filter((r) => r.action === 'error').map((r) => `${r.sheet}\u0000${r.row}`));
  const ops = [...units.ops, ...itemOps, ...staffOps].filter(
    (op) => !inError.has(`${op.sheet}\u0000${op.row}`),
  );
  const count = (action: ImportAction) => rows.filter((r) => r.action === action).length;
  return {
    rows,
    ops,
    summary: {
      create: count('create'),
      update: count('update'),
      unchanged: count('unchanged'),
      errors: count('error'),
      skipped: file.skipped.length,
    },
  };
}

const nameKey = (name: string) => name.normalize('NFKC').replace(/\s+/g, '');

/**
 * Clerks often write the parent's or owner's name where its code belongs. When a wrong reference is
 * exactly the name of one unit (in the registry or the file), the message says which code to write.
 */
function hintUnitNames(readers: readonly RowReader[], registry: RegistrySnapshot): void {
  const codesByName = new Map<string, Set<string>>();
  const add = (name: string, code: string) => {
    const key = nameKey(name);
    if (!key || !code) return;
    const set = codesByName.get(key) ?? new Set<string>();
    set.add(code);
    codesByName.set(key, set);
  };
  for (const u of registry.units) add(u.name, u.code);
  for (const r of readers) {
    if (r.record.entity === 'unit') add(r.raw('name'), r.raw('code'));
  }
  const REFERENCE_ERRORS = new Set(['invalid_code', 'unknown_parent', 'unknown_unit']);
  for (const reader of readers) {
    for (const e of reader.errors) {
      if ((e.field !== 'parentCode' && e.field !== 'unitCode') || !REFERENCE_ERRORS.has(e.code)) continue;
      const codes = [...(codesByName.get(nameKey(reader.raw(e.field))) ?? [])];
      if (codes.length === 1) {
        e.message += `；“${reader.raw(e.field)}”是单位名称，这里请填写它的编码 ${codes[0]}`;
      }
    }
  }
}

function markDuplicates<T extends { reader: RowReader; row: PlanRow }>(
  drafts: readonly T[],
  keyOf: (d: T) => string | null,
  keyField: string,
): Set<T> {
  const first = new Map<string, T>();
  const primary = new Set<T>();
  for (const d of drafts) {
    const key = keyOf(d);
    if (!key) continue;
    const earlier = first.get(key);
    if (earlier) {
      d.reader.error(
        keyField,
        'duplicate_key',
        `${d.reader.label(keyField)} ${key} 重复：与${where(earlier.row)}相同，同一编码只能出现一次`,
      );
    } else {
      first.set(key, d);
      primary.add(d);
    }
  }
  return primary;
}

function planUnits(
  input: readonly { reader: RowReader; row: PlanRow }[],
  registry: RegistrySnapshot,
  defaultDate: string,
): { ops: PlanOp[]; fileCodes: string[] } {
  const existingByCode = new Map(registry.units.map((u) => [u.code, u]));
  const categoryByCode = new Map(registry.categories.map((c) => [c.code, c.code]));
  const categoryByName = new Map(
    registry.categories.map((c) => [c.name.normalize('NFKC').replace(/\s+/g, '').toLowerCase(), c.code]),
  );
  const categoryByCodeLower = new Map(registry.categories.map((c) => [c.code.toLowerCase(), c.code]));

  const drafts: UnitDraft[] = input.map(({ reader, row }) => {
    const code = reader.code('code', true) ?? null;
    const present: Partial<UnitValues> = {};
    const name = reader.text('name', MAX_LENGTHS.unitName, true);
    if (name !== undefined) present.name = name;
    const shortName = reader.text('shortName', MAX_LENGTHS.shortName);
    if (shortName !== undefined) present.shortName = shortName;
    if (reader.has('kind') && reader.raw('kind') !== '') {
      const kind = parseKind(reader.raw('kind'));
      if (kind) present.kind = kind;
      else {
        reader.error(
          'kind',
          'invalid_kind',
          `类型 ${quote(reader.raw('kind'))} 无法识别，应为 ${UNIT_KINDS.map((k) => UNIT_KIND_NAMES[k]).join('/')} 之一`,
        );
      }
    }
    const parentCode = reader.code('parentCode', false);
    if (parentCode !== undefined) present.parentCode = parentCode;
    if (reader.has('category')) {
      const v = reader.raw('category');
      if (v === '') present.category = null;
      else {
        const found =
          categoryByCode.get(v) ??
          categoryByCodeLower.get(v.toLowerCase()) ??
          categoryByName.get(v.replace(/\s+/g, '').toLowerCase());
        if (found) present.category = found;
        else {
          const known = registry.categories.slice(0, 12).map((c) => `${c.code}（${c.name}）`);
          reader.error(
            'category',
            'unknown_category',
            `类别 ${quote(v)} 不存在${known.length ? `；可用的类别：${known.join('、')}` : '；系统中还没有类别'}`,
          );
        }
      }
    }
    if (reader.has('tags')) {
      const tags = normalizeTags(reader.raw('tags'));
      const long = tags.find((t) => charCount(t) > MAX_LENGTHS.tag);
      if (long) {
        reader.error('tags', 'too_long', `标签 ${quote(long)} 太长：每个标签最多 ${MAX_LENGTHS.tag} 个字`);
      } else if (tags.length > MAX_LENGTHS.tags) {
        reader.error('tags', 'too_many', `标签最多 ${MAX_LENGTHS.tags} 个，现有 ${tags.length} 个`);
      } else present.tags = tags;
    }
    if (reader.has('sortOrder') && reader.raw('sortOrder') !== '') {
      const v = reader.raw('sortOrder');
      const n = /^[+-]?\d+$/.test(v) ? Number(v) : /^[+-]?\d+\.0*$/.test(v) ? Number.parseFloat(v) : NaN;
      if (!Number.isInteger(n) || Math.abs(n) > SORT_ORDER_LIMIT) {
        reader.error(
          'sortOrder',
          'invalid_integer',
          `排序 ${quote(v)} 应为 -${SORT_ORDER_LIMIT} 到 ${SORT_ORDER_LIMIT} 之间的整数`,
        );
      } else present.sortOrder = n;
    }
    const responsibleName = reader.text('responsibleName', MAX_LENGTHS.responsibleName);
    if (responsibleName !== undefined) present.responsibleName = responsibleName;
    const responsiblePhone = reader.phone('responsiblePhone');
    if (responsiblePhone !== undefined) present.responsiblePhone = responsiblePhone;
    let effectiveFrom: string | null = defaultDate;
    if (reader.has('effectiveFrom') && reader.raw('effectiveFrom') !== '') {
      effectiveFrom = parseDate(reader.raw('effectiveFrom'));
      if (!effectiveFrom) {
        reader.error(
          'effectiveFrom',
          'invalid_date',
          `生效日期 ${quote(reader.raw('effectiveFrom'))} 不是有效日期；请写成 2026-01-01、2026/1/1 或 2026年1月1日`,
        );
      }
    }
    const existing = code ? existingByCode.get(code) : undefined;
    return { reader, row, code, present, effectiveFrom, existing, final: null, primary: false };
  });

  const primary = markDuplicates(drafts, (d) => d.code, 'code');
  const fileUnits = new Map<string, UnitDraft>();
  for (const d of drafts) {
    if (primary.has(d) && d.code) {
      d.primary = true;
      fileUnits.set(d.code, d);
    }
  }

  // Final values: the current ones (or defaults for a new unit) overlaid with the file's columns.
  for (const d of drafts) {
    if (d.existing) {
      const { code: _c, validFrom: _f, validTo: _t, ...current } = d.existing;
      d.final = { ...current, ...d.present };
    } else {
      if (d.present.kind === undefined && !d.reader.errors.some((e) => e.field === 'kind')) {
        d.reader.error(
          'kind',
          'required',
          `新单位必须填写类型（${UNIT_KINDS.map((k) => UNIT_KIND_NAMES[k]).join('/')}）`,
        );
      }
      d.final = {
        name: '',
        shortName: '',
        kind: 'department',
        parentCode: null,
        category: null,
        tags: [],
        sortOrder: 0,
        responsibleName: '',
        responsiblePhone: '',
        ...d.present,
      };
    }
  }

  // Parents must exist, in the registry or in this file.
  const allCodes = caseIndex([...existingByCode.keys(), ...fileUnits.keys()]);
  for (const d of drafts) {
    const parent = d.final?.parentCode;
    if (
      parent &&
      d.present.parentCode !== undefined &&
      !d.reader.errors.some((e) => e.field === 'parentCode') &&
      !existingByCode.has(parent) &&
      !fileUnits.has(parent)
    ) {
      d.reader.error('parentCode', 'unknown_parent', referenceMessage('上级单位编码', parent, allCodes));
    }
  }

  // No cycles in the tree as it would be: the registry's parents, replaced by the file's.
  const parentOf = new Map<string, string | null>(registry.units.map((u) => [u.code, u.parentCode]));
  for (const [code, d] of fileUnits) if (d.final) parentOf.set(code, d.final.parentCode);
  const safe = new Set<string>();
  for (const [code] of fileUnits) {
    const path: string[] = [];
    const onPath = new Set<string>();
    let current: string | null | undefined = code;
    while (current && !safe.has(current) && !onPath.has(current)) {
      path.push(current);
      onPath.add(current);
      current = parentOf.get(current);
    }
    if (current && onPath.has(current)) {
      const cycle = path.slice(path.indexOf(current));
      const text = [...cycle, current].join(' → ');
      for (const member of cycle) {
        fileUnits
          .get(member)
          ?.reader.error(
            'parentCode',
            'tree_cycle',
            `上级关系形成循环：${text}（单位不能位于自己或自己的下级之下）`,
          );
        parentOf.set(member, null); // reported once; later walks stop here
      }
    }
    for (const c of path) safe.add(c);
  }

  // What would change, and whether the registry's rules for versions allow it.
  const changesOf = new Map<UnitDraft, Record<string, { from: ChangeValue; to: ChangeValue }>>();
  for (const d of drafts) {
    if (!d.final) continue;
    if (d.existing) {
      const { code: _c, validFrom, validTo, ...current } = d.existing;
      const changes = diff(current, d.final);
      changesOf.set(d, changes);
      if (Object.keys(changes).length === 0) continue;
      if (validTo !== null) {
        d.reader.error('code', 'unit_inactive', `单位 ${d.existing.code} 已于 ${validTo} 撤销，不能再修改`);
      } else if (d.effectiveFrom && d.effectiveFrom < validFrom) {
        d.reader.error(
          'effectiveFrom',
          'effective_before_latest',
          `单位 ${d.existing.code} 最近一次变更自 ${validFrom} 起生效，新的变更不能早于这一天（否则会改写过去的考核期）`,
        );
      }
    } else {
      changesOf.set(d, {
        ...creation(d.final),
        ...(d.effectiveFrom ? { effectiveFrom: { from: null, to: d.effectiveFrom } } : {}),
      });
    }
  }
  const isUpdate = (d: UnitDraft) =>
    d.existing !== undefined && Object.keys(changesOf.get(d) ?? {}).length > 0;

  // A new or moved unit's parent must be in force on the unit's effective date, as the parent will
  // be when this row is applied (after the parent's own row).
  const spanAfter = (code: string): { validFrom: string; validTo: string | null } | null => {
    const d = fileUnits.get(code);
    if (d && !d.existing) return d.effectiveFrom ? { validFrom: d.effectiveFrom, validTo: null } : null;
    const e = existingByCode.get(code);
    if (!e) return null;
    if (d && isUpdate(d) && d.effectiveFrom) return { validFrom: d.effectiveFrom, validTo: e.validTo };
    return { validFrom: e.validFrom, validTo: e.validTo };
  };
  for (const d of drafts) {
    const parent = d.final?.parentCode;
    const date = d.effectiveFrom;
    if (!parent || !date) continue;
    const moving = !d.existing || (isUpdate(d) && d.existing.parentCode !== parent);
    if (!moving) continue;
    const span = spanAfter(parent);
    if (!span) continue;
    if (span.validTo !== null && span.validTo <= date) {
      d.reader.error(
        'parentCode',
        'parent_inactive',
        `上级单位 ${parent} 已于 ${span.validTo} 撤销，在本行的生效日期 ${date} 不在册`,
      );
    } else if (span.validFrom > date) {
      d.reader.error(
        'parentCode',
        'parent_inactive',
        `上级单位 ${parent} 的当前版本自 ${span.validFrom} 起生效，晚于本行的生效日期 ${date}；请把生效日期改为 ${span.validFrom} 或之后`,
      );
    }
  }

  for (const d of drafts) {
    d.row.key = d.code ?? '';
    d.row.changes = changesOf.get(d) ?? {};
    // A change that starts a new version shows when: the current version's start → the new one's.
    // A correction of the current version (same date) shows none.
    if (d.existing && isUpdate(d) && d.effectiveFrom && d.effectiveFrom !== d.existing.validFrom) {
      d.row.changes = {
        ...d.row.changes,
        effectiveFrom: { from: d.existing.validFrom, to: d.effectiveFrom },
      };
    }
    d.row.action = d.existing ? (isUpdate(d) ? 'update' : 'unchanged') : 'create';
  }

  const writes = drafts.filter(
    (d) => d.primary && d.code && d.final && d.effectiveFrom && (!d.existing || isUpdate(d)),
  );
  const ordered = parentsFirst(
    writes.map((d) => ({ code: d.code ?? '', parentCode: d.final?.parentCode ?? null, d })),
  );
  const ops: PlanOp[] = (ordered.ordered ?? []).map(({ d }) => {
    const base = {
      sheet: d.row.sheet,
      row: d.row.row,
      key: d.code ?? '',
      effectiveFrom: d.effectiveFrom ?? '',
    };
    const final = d.final as UnitValues;
    return d.existing
      ? {
          ...base,
          entity: 'unit',
          action: 'update',
          changes: pick(final, Object.keys(changesOf.get(d) ?? {})),
        }
      : { ...base, entity: 'unit', action: 'create', values: final };
  });
  return { ops, fileCodes: [...fileUnits.keys()] };
}

interface KnownUnits {
  codes: ReadonlySet<string>;
  byLowerCase: ReadonlyMap<string, string>;
}

function checkUnitReference(reader: RowReader, known: KnownUnits, unitCode: string | null | undefined) {
  if (unitCode && !known.codes.has(unitCode) && !reader.errors.some((e) => e.field === 'unitCode')) {
    reader.error('unitCode', 'unknown_unit', referenceMessage('所属单位编码', unitCode, known.byLowerCase));
  }
}

/** A row of a sheet whose records are keyed by a code of their own (service items by code, staff by number). */
interface KeyedDraft<V> {
  reader: RowReader;
  row: PlanRow;
  key: string | null;
  /** The fields the row gives. */
  present: Partial<V>;
}

/**
 * Plans a sheet of keyed records: a row whose key exists updates the fields it gives (or changes nothing),
 * any other creates a record from `defaults` and what it gives. Only the first row of a key writes.
 */
function planKeyedRecords<V extends object>(
  drafts: readonly KeyedDraft<V>[],
  keyField: string,
  existingByKey: ReadonlyMap<string, V>,
  defaults: V,
  op: { create(base: OpBase, values: V): PlanOp; update(base: OpBase, changes: Partial<V>): PlanOp },
): PlanOp[] {
  const primary = markDuplicates(drafts, (d) => d.key, keyField);
  const ops: PlanOp[] = [];
  for (const d of drafts) {
    d.row.key = d.key ?? '';
    const current = d.key ? existingByKey.get(d.key) : undefined;
    const base = { sheet: d.row.sheet, row: d.row.row, key: d.key ?? '' };
    if (current) {
      const changes = diff(current, { ...current, ...d.present });
      d.row.changes = changes;
      d.row.action = Object.keys(changes).length > 0 ? 'update' : 'unchanged';
      if (d.row.action === 'update' && primary.has(d)) {
        ops.push(op.update(base, pick({ ...current, ...d.present }, Object.keys(changes))));
      }
    } else {
      const values = { ...defaults, ...d.present };
      d.row.changes = creation(values);
      d.row.action = 'create';
      if (primary.has(d) && d.key) ops.push(op.create(base, values));
    }
  }
  return ops;
}

function planServiceItems(
  input: readonly { reader: RowReader; row: PlanRow }[],
  registry: RegistrySnapshot,
  knownUnits: KnownUnits,
): PlanOp[] {
  const drafts = input.map(({ reader, row }): KeyedDraft<ServiceItemValues> => {
    const key = reader.code('code', true) ?? null;
    const present: Partial<ServiceItemValues> = {};
    const name = reader.text('name', MAX_LENGTHS.serviceItemName, true);
    if (name !== undefined) present.name = name;
    const unitCode = reader.code('unitCode', true);
    if (unitCode) present.unitCode = unitCode;
    checkUnitReference(reader, knownUnits, unitCode);
    if (reader.has('mode')) {
      const mode = parseMode(reader.raw('mode'));
      if (mode) present.mode = mode;
      else {
        reader.error(
          'mode',
          'invalid_mode',
          `办理方式 ${quote(reader.raw('mode'))} 无法识别，应为 线上/线下/线上线下（online/offline/both），空白表示线上线下`,
        );
      }
    }
    const active = reader.active();
    if (active !== undefined) present.active = active;
    return { reader, row, key, present };
  });
  return planKeyedRecords<ServiceItemValues>(
    drafts,
    'code',
    new Map(registry.serviceItems.map(({ code, ...current }) => [code, current])),
    { name: '', unitCode: '', mode: 'both', active: true },
    {
      create: (base, values) => ({ ...base, entity: 'service_item', action: 'create', values }),
      update: (base, changes) => ({ ...base, entity: 'service_item', action: 'update', changes }),
    },
  );
}

function planStaff(
  input: readonly { reader: RowReader; row: PlanRow }[],
  registry: RegistrySnapshot,
  knownUnits: KnownUnits,
): PlanOp[] {
  const drafts = input.map(({ reader, row }): KeyedDraft<StaffValues> => {
    const key = reader.code('staffNo', true) ?? null;
    const present: Partial<StaffValues> = {};
    const name = reader.text('name', MAX_LENGTHS.staffName, true);
    if (name !== undefined) present.name = name;
    const unitCode = reader.code('unitCode', true);
    if (unitCode) present.unitCode = unitCode;
    checkUnitReference(reader, knownUnits, unitCode);
    const position = reader.text('position', MAX_LENGTHS.position);
    if (position !== undefined) present.position = position;
    const phone = reader.phone('phone');
    if (phone !== undefined) present.phone = phone;
    const active = reader.active();
    if (active !== undefined) present.active = active;
    return { reader, row, key, present };
  });
  return planKeyedRecords<StaffValues>(
    drafts,
    'staffNo',
    new Map(registry.staff.map(({ staffNo, ...current }) => [staffNo, current])),
    { name: '', unitCode: '', position: '', phone: '', active: true },
    {
      create: (base, values) => ({ ...base, entity: 'staff', action: 'create', values }),
      update: (base, changes) => ({ ...base, entity: 'staff', action: 'update', changes }),
    },
  );
}

export interface ExportTable {
  name: string;
  entity: ImportEntity;
  header: string[];
  rows: (string | number)[][];
}

/** Units ordered as a tree: every parent before its children, siblings in the order given. */
export function treeOrder<T extends { code: string; parentCode: string | null }>(units: readonly T[]): T[] {
  const codes = new Set(units.map((u) => u.code));
  const children = new Map<string, T[]>();
  const roots: T[] = [];
  for (const u of units) {
    if (u.parentCode && codes.has(u.parentCode) && u.parentCode !== u.code) {
      const list = children.get(u.parentCode);
      if (list) list.push(u);
      else children.set(u.parentCode, [u]);
    } else roots.push(u);
  }
  const out: T[] = [];
  const seen = new Set<string>();
  const visit = (u: T) => {
    if (seen.has(u.code)) return;
    seen.add(u.code);
    out.push(u);
    for (const c of children.get(u.code) ?? []) visit(c);
  };
  for (const r of roots) visit(r);
  for (const u of units) visit(u); // anything caught in a cycle by bad data still comes out
  return out;
}

const activeText = (active: boolean) => (active ? '在用' : '停用');

/**
 * The three sheets of a registry export, with exactly the headers the importer reads, so that
 * an export imported again changes nothing. Units come in tree order.
 */
export function exportTables(data: {
  units: readonly (UnitValues & { code: string; validFrom: string })[];
  serviceItems: readonly SnapshotServiceItem[];
  staff: readonly SnapshotStaff[];
}): ExportTable[] {
  const header = (entity: ImportEntity) => COLUMNS[entity].map((c) => c.label);
  return [
    {
      name: ENTITY_NAMES.unit,
      entity: 'unit',
      header: header('unit'),
      rows: treeOrder(data.units).map((u) => [
        u.code,
        u.name,
        u.shortName,
        UNIT_KIND_NAMES[u.kind],
        u.parentCode ?? '',
        u.category ?? '',
        u.tags.join('、'),
        u.sortOrder,
        u.responsibleName,
        u.responsiblePhone,
        u.validFrom,
      ]),
    },
    {
      name: ENTITY_NAMES.service_item,
      entity: 'service_item',
      header: header('service_item'),
      rows: data.serviceItems.map((s) => [
        s.code,
        s.name,
        s.unitCode,
        MODE_NAMES[s.mode],
        activeText(s.active),
      ]),
    },
    {
      name: ENTITY_NAMES.staff,
      entity: 'staff',
      header: header('staff'),
      rows: data.staff.map((s) => [s.staffNo, s.name, s.unitCode, s.position, s.phone, activeText(s.active)]),
    },
  ];
}
