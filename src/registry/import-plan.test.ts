import { describe, expect, it } from 'vitest';
import {
  exportTables,
  matchHeader,
  parseActive,
  parseKind,
  parseMode,
  planImport,
  readSheets,
  treeOrder,
  type ExportTable,
  type PlanRow,
  type RegistrySnapshot,
  type SnapshotUnit,
} from './import-plan.js';
import {
  excelSerialToDate,
  isNotesText,
  normalizeHeader,
  normalizeValue,
  numberText,
  parseDate,
  type RawCell,
  type RawSheet,
} from '../core/spreadsheet/cells.js';

const TODAY = '2026-03-16';

/** A sheet from rows of cells, numbered from 1 (or from `start`). */
function sheet(name: string, rows: RawCell[][], start = 1): RawSheet {
  return { name, rows: rows.map((cells, i) => ({ row: start + i, cells })) };
}

const UNIT_HEADER = ['单位编码', '单位名称', '类型', '上级单位编码', '生效日期'];

function unit(code: string, overrides: Partial<SnapshotUnit> = {}): SnapshotUnit {
  return {
    code,
    name: `单位${code}`,
    shortName: '',
    kind: 'department',
    parentCode: null,
    category: null,
    tags: [],
    sortOrder: 0,
    responsibleName: '',
    responsiblePhone: '',
    validFrom: '2020-01-01',
    validTo: null,
    ...overrides,
  };
}

const EMPTY: RegistrySnapshot = { units: [], categories: [], serviceItems: [], staff: [] };

function registry(partial: Partial<RegistrySnapshot> = {}): RegistrySnapshot {
  return { ...EMPTY, ...partial };
}

function plan(sheets: RawSheet[], reg: RegistrySnapshot = EMPTY) {
  return planImport(readSheets(sheets), reg, TODAY);
}

const byKey = (rows: PlanRow[], key: string) => {
  const found = rows.find((r) => r.key === key);
  if (!found) throw new Error(`no row ${key}`);
  return found;
};
const codesOf = (rows: PlanRow[], key: string) => byKey(rows, key).errors.map((e) => e.code);

describe('normalising what clerks type', () => {
  it('matches headers in Chinese or English, ignoring width, case, spaces, stars and bracketed hints', () => {
    expect(normalizeHeader(' 单位 编码 ')).toBe('单位编码');
    expect(normalizeHeader('ＣＯＤＥ')).toBe('code');
    expect(normalizeHeader('ParentCode')).toBe('parentcode');
    expect(normalizeHeader('*单位名称')).toBe('单位名称');
    expect(normalizeHeader('单位名称（必填）')).toBe('单位名称');
    expect(normalizeHeader('生效日期【YYYY-MM-DD】')).toBe('生效日期');
    expect(normalizeHeader('工号*')).toBe('工号');
  });

  it('turns full-width codes, dashes and spaces into their plain forms', () => {
    expect(normalizeValue('id', '　ＳＪ－００１　')).toBe('SJ-001');
    expect(normalizeValue('id', 'SJ—001 ')).toBe('SJ-001');
    expect(normalizeValue('id', '\u200BSJ-001\uFEFF')).toBe('SJ-001');
    expect(normalizeValue('enum', ' Department ')).toBe('department');
    expect(normalizeValue('integer', '１,０００')).toBe('1000');
    expect(normalizeValue('phone', ' ０５７１－８８８８ ８８８８ ')).toBe('0571-8888 8888');
  });

  it('keeps the characters of names but drops padding spaces between Chinese characters', () => {
    expect(normalizeValue('text', '  市民政局（本级）\u3000')).toBe('市民政局（本级）');
    expect(normalizeValue('text', '张\u3000三')).toBe('张三');
    expect(normalizeValue('text', '市 民政局')).toBe('市民政局');
    expect(normalizeValue('text', 'Service  Desk\nNorth')).toBe('Service Desk North');
  });

  it('writes numbers without float noise and keeps long integers exact', () => {
    expect(numberText(1001)).toBe('1001');
    expect(numberText(13800138000)).toBe('13800138000');
    expect(numberText(0.1 + 0.2)).toBe('0.3');
    expect(numberText(12.5)).toBe('12.5');
  });

  it('reads dates as clerks write them and refuses impossible ones', () => {
    for (const text of ['2026-01-01', '2026-1-1', '2026/1/1', '2026.01.01', '2026年1月1日', '20260101']) {
      expect(parseDate(text)).toBe('2026-01-01');
    }
    expect(parseDate('２０２６年３月５日')).toBe('2026-03-05');
    expect(parseDate('2026-03-05 00:00:00')).toBe('2026-03-05');
    expect(parseDate('2026-02-30')).toBeNull();
    expect(parseDate('明年')).toBeNull();
    expect(parseDate('2026-13-01')).toBeNull();
  });

  it('converts Excel date serial numbers', () => {
    expect(excelSerialToDate(46023)).toBe('2026-01-01');
    expect(excelSerialToDate(46023.75)).toBe('2026-01-01');
    expect(excelSerialToDate(12)).toBeNull();
  });

  it('understands kinds, modes and statuses in Chinese or English', () => {
    expect(parseKind('部门')).toBe('department');
    expect(parseKind('Window')).toBe('window');
    expect(parseKind('公用企业')).toBe('company');
    expect(parseKind('局')).toBeNull();
    expect(parseMode('')).toBe('both');
    expect(parseMode('线上')).toBe('online');
    expect(parseMode('OFFLINE')).toBe('offline');
    expect(parseMode('线上＋线下')).toBe('both');
    expect(parseMode('邮寄')).toBeNull();
    expect(parseActive('')).toBe(true);
    expect(parseActive('停用')).toBe(false);
    expect(parseActive('是')).toBe(true);
    expect(parseActive('FALSE')).toBe(false);
    expect(parseActive('也许')).toBeNull();
  });

  it('recognises notes rows', () => {
    expect(isNotesText('填表说明：1. 单位编码必填')).toBe(true);
    expect(isNotesText('注：类型请从下拉列表选择')).toBe(true);
    expect(isNotesText('备注:')).toBe(true);
    expect(isNotesText('制表人：张三')).toBe(true);
    expect(isNotesText('注册登记科')).toBe(false);
    expect(isNotesText('SJ-001')).toBe(false);
  });
});

describe('reading sheets', () => {
  it('recognises a sheet by its header row, whatever the sheet is called', () => {
    expect(matchHeader(['code', 'name'])?.entity).toBe('unit');
    expect(matchHeader(['code', 'name', 'unitCode', 'mode'])?.entity).toBe('service_item');
    expect(matchHeader(['工号', '姓名', '所属单位编码'])?.entity).toBe('staff');
    expect(matchHeader(['单位名称', '类型'])).toBeNull();
    const file = readSheets([
      sheet('Sheet1', [
        ['工号', '姓名', '所属单位编码'],
        ['E1', '张三', 'SJ'],
      ]),
    ]);
    expect(file.sheets[0]).toMatchObject({ name: 'Sheet1', entity: 'staff' });
    expect(file.records[0]).toMatchObject({
      entity: 'staff',
      row: 2,
      values: { staffNo: 'E1', name: '张三' },
    });
  });

  it('skips a title above the header, blank lines, repeated headers and notes, and says why', () => {
    const file = readSheets([
      sheet('单位', [
        ['示范市2026年单位名册'],
        [],
        ['序号', '单位编码', '单位名称', '类型', '备注'],
        [1, 'SJ-001', '示范市', '辖区', ''],
        [null, '  ', null],
        [2, 'SJ-002', '市民政局', '部门'],
        ['序号', '单位编码', '单位名称', '类型', '备注'],
        [3, 'SJ-003', '市人社局', '部门'],
        ['填表说明：1. 单位编码必填；'],
        ['2. 类型从下拉列表中选择。'],
        [],
        [],
      ]),
    ]);
    expect(file.records.map((r) => [r.row, r.values.code])).toEqual([
      [4, 'SJ-001'],
      [6, 'SJ-002'],
      [8, 'SJ-003'],
    ]);
    expect(file.skipped.map((s) => [s.row, s.reason])).toEqual([
      [1, 'title'],
      [2, 'blank'],
      [3, 'header'],
      [5, 'blank'],
      [7, 'header'],
      [9, 'notes'],
      [10, 'notes'],
    ]);
    expect(file.skipped[0]?.message).toContain('示范市2026年单位名册');
    expect(file.sheets[0]?.message).toContain('表头在第 3 行');
    expect(file.sheets[0]?.message).toContain('序号、备注');
  });

  it('reports a sheet whose header it cannot find, listing the headers it expects', () => {
    const file = readSheets([
      sheet('统计', [
        ['名称', '数量'],
        ['a', 1],
      ]),
      sheet('Sheet3', []),
    ]);
    expect(file.records).toEqual([]);
    expect(file.sheets[0]).toMatchObject({ name: '统计', entity: null });
    expect(file.sheets[0]?.message).toContain('单位编码*');
    expect(file.sheets[0]?.message).toContain('工号*');
    expect(file.sheets[1]).toMatchObject({ name: 'Sheet3', entity: null, message: '空工作表，已忽略。' });
    expect(file.skipped).toEqual([
      { sheet: '统计', row: 1, reason: 'unknown_sheet', message: expect.stringContaining('统计') as string },
    ]);
  });

  it('reads numbers as text, Excel dates as dates and full-width text as plain text', () => {
    const file = readSheets([
      sheet('u', [
        ['单位编码', '单位名称', '负责人电话', '生效日期', '排序'],
        [1001, ' 示范市 ', 13800138000, { date: '2026-01-01' }, 3],
        ['ＳＪ－００２', '市民政局\u3000', '０５７１－８８８８８８８８', 46054, '2'],
        ['SJ-003', 'x', 123456789012345680000, '2026/3/1', null],
      ]),
    ]);
    expect(file.records[0]?.values).toEqual({
      code: '1001',
      name: '示范市',
      responsiblePhone: '13800138000',
      effectiveFrom: '2026-01-01',
      sortOrder: '3',
    });
    expect(file.records[1]?.values).toMatchObject({
      code: 'SJ-002',
      name: '市民政局',
      responsiblePhone: '0571-88888888',
      effectiveFrom: '2026-02-01',
    });
    expect(file.records[2]?.problems.map((p) => p.code)).toEqual(['number_precision_lost']);
  });

  it('turns unreadable cells into row errors', () => {
    const file = readSheets([
      sheet('u', [
        ['单位编码', '单位名称'],
        ['A1', { problem: 'excel_error', text: '#N/A' }],
        ['A2', { problem: 'formula_without_result', text: '' }],
      ]),
    ]);
    const result = planImport(file, EMPTY, TODAY);
    expect(codesOf(result.rows, 'A1')).toContain('cell_error');
    expect(byKey(result.rows, 'A1').errors[0]?.message).toContain('#N/A');
    expect(codesOf(result.rows, 'A2')).toContain('formula_without_result');
  });
});

describe('planning units', () => {
  it('creates, updates and leaves alone, showing each changed field', () => {
    const reg = registry({
      units: [
        unit('CITY', { kind: 'jurisdiction', name: '示范市' }),
        unit('MZJ', { parentCode: 'CITY', name: '民政局' }),
      ],
    });
    const result = plan(
      [
        sheet('单位', [
          UNIT_HEADER,
          ['CITY', '示范市', '辖区', '', ''],
          ['MZJ', '市民政局', '部门', 'CITY', '2026-04-01'],
          ['RSJ', '市人社局', '部门', 'CITY', ''],
        ]),
      ],
      reg,
    );
    expect(byKey(result.rows, 'CITY')).toMatchObject({ action: 'unchanged', changes: {} });
    expect(byKey(result.rows, 'MZJ')).toMatchObject({
      action: 'update',
      changes: { name: { from: '民政局', to: '市民政局' } },
    });
    expect(byKey(result.rows, 'RSJ')).toMatchObject({
      action: 'create',
      changes: {
        name: { from: null, to: '市人社局' },
        kind: { from: null, to: 'department' },
        parentCode: { from: null, to: 'CITY' },
        effectiveFrom: { from: null, to: TODAY },
      },
    });
    expect(result.summary).toEqual({ create: 1, update: 1, unchanged: 1, errors: 0, skipped: 1 });
    expect(result.ops.map((o) => [o.key, o.action])).toEqual([
      ['MZJ', 'update'],
      ['RSJ', 'create'],
    ]);
    expect(result.ops[0]).toMatchObject({ changes: { name: '市民政局' }, effectiveFrom: '2026-04-01' });
  });

  it('keeps the values of columns the sheet does not have, and clears those left blank', () => {
    const reg = registry({
      units: [unit('A', { tags: ['重点'], shortName: '甲', responsibleName: '王五' })],
    });
    const result = plan(
      [
        sheet('u', [
          ['单位编码', '单位名称', '简称'],
          ['A', '单位A', ''],
        ]),
      ],
      reg,
    );
    expect(byKey(result.rows, 'A')).toMatchObject({
      action: 'update',
      changes: { shortName: { from: '甲', to: '' } },
    });
  });

  it('orders new units parents first whatever the row order, with parents in the file or the registry', () => {
    const reg = registry({ units: [unit('CITY', { kind: 'jurisdiction' })] });
    const result = plan(
      [
        sheet('u', [
          UNIT_HEADER,
          ['W1', '窗口', '窗口', 'S1', ''],
          ['S1', '科室', '科室', 'D1', ''],
          ['D1', '部门', '部门', 'CITY', ''],
        ]),
      ],
      reg,
    );
    expect(result.summary.errors).toBe(0);
    expect(result.ops.map((o) => o.key)).toEqual(['D1', 'S1', 'W1']);
  });

  it('names a parent that exists neither in the registry nor in the file', () => {
    const result = plan([sheet('单位', [UNIT_HEADER, ['SJ-001', '示范市', '辖区', 'SJ-999', '']])]);
    expect(byKey(result.rows, 'SJ-001')).toMatchObject({
      action: 'error',
      errors: [
        {
          field: 'parentCode',
          code: 'unknown_parent',
          message: '上级单位编码 SJ-999 不存在（既不在系统中，也不在本文件中）',
        },
      ],
    });
    expect(result.ops).toEqual([]);
  });

  it('hints at a parent code that differs only in case', () => {
    const result = plan(
      [sheet('u', [UNIT_HEADER, ['sj-1', 'x', '部门', 'SJ-1', '']])],
      registry({ units: [unit('SJ-1')] }),
    );
    expect(result.rows[0]?.errors).toEqual([]);
    const wrong = plan(
      [sheet('u', [UNIT_HEADER, ['B', 'x', '部门', 'sj-1', '']])],
      registry({ units: [unit('SJ-1')] }),
    );
    expect(wrong.rows[0]?.errors[0]?.message).toContain('区分大小写');
  });

  it('says which code to write when a clerk wrote the parent’s name instead', () => {
    const reg = registry({ units: [unit('MZJ', { name: '市民政局' })] });
    const result = plan(
      [
        sheet('u', [
          UNIT_HEADER,
          ['K1', '救助科', '科室', '市民政局', ''],
          ['K2', '二科', '科室', '救助科', ''],
        ]),
        sheet('p', [
          ['工号', '姓名', '所属单位编码'],
          ['E1', '张三', '市民政局'],
        ]),
      ],
      reg,
    );
    expect(byKey(result.rows, 'K1').errors[0]?.message).toContain('这里请填写它的编码 MZJ');
    expect(byKey(result.rows, 'K2').errors[0]?.message).toContain('这里请填写它的编码 K1');
    expect(byKey(result.rows, 'E1').errors[0]?.message).toContain('这里请填写它的编码 MZJ');
  });

  it('refuses cycles inside the file and through the registry, naming the codes', () => {
    const result = plan([
      sheet('u', [
        UNIT_HEADER,
        ['A', 'a', '部门', 'B', ''],
        ['B', 'b', '部门', 'C', ''],
        ['C', 'c', '部门', 'A', ''],
        ['D', 'd', '部门', 'A', ''],
        ['E', 'e', '部门', 'E', ''],
      ]),
    ]);
    for (const code of ['A', 'B', 'C']) {
      expect(codesOf(result.rows, code)).toEqual(['tree_cycle']);
    }
    expect(byKey(result.rows, 'A').errors[0]?.message).toContain('A → B → C → A');
    expect(codesOf(result.rows, 'D')).toEqual([]);
    expect(codesOf(result.rows, 'E')).toEqual(['tree_cycle']);

    // CITY → DEPT in the registry; the file puts CITY under DEPT.
    const reg = registry({ units: [unit('CITY'), unit('DEPT', { parentCode: 'CITY' })] });
    const through = plan([sheet('u', [UNIT_HEADER, ['CITY', '单位CITY', '部门', 'DEPT', '']])], reg);
    expect(codesOf(through.rows, 'CITY')).toEqual(['tree_cycle']);
    // …but moving both at once, so that the final tree has no cycle, is fine.
    const swap = plan(
      [
        sheet('u', [
          UNIT_HEADER,
          ['CITY', '单位CITY', '部门', 'DEPT', ''],
          ['DEPT', '单位DEPT', '部门', '', ''],
        ]),
      ],
      reg,
    );
    expect(swap.summary.errors).toBe(0);
    expect(swap.ops.map((o) => o.key)).toEqual(['DEPT', 'CITY']);
  });

  it('reports a duplicate code on its second occurrence, naming the first row (across sheets too)', () => {
    const result = plan([
      sheet('单位', [UNIT_HEADER, ['A', 'a', '部门', '', ''], ['B', 'b', '部门', '', '']]),
      sheet('补充', [UNIT_HEADER, ['A', 'a2', '部门', '', '']]),
    ]);
    const second = result.rows.find((r) => r.sheet === '补充');
    expect(second?.errors).toEqual([
      expect.objectContaining({
        code: 'duplicate_key',
        message: expect.stringContaining('“单位”表第 2 行') as string,
      }),
    ]);
    expect(byKey(result.rows, 'A').action).toBe('create');
  });

  it('validates fields with the API rules', () => {
    const result = plan([
      sheet('u', [
        ['单位编码', '单位名称', '简称', '类型', '标签', '排序', '负责人电话', '生效日期'],
        ['-bad', 'x', '', '部门', '', '', '', ''],
        ['N1', '', '', '部门', '', '', '', ''],
        ['N2', 'x', '简'.repeat(41), '局', '', '1.5', '0571(8888)', '2026-02-30'],
        ['N3', 'x', '', '', Array.from({ length: 21 }, (_, i) => `t${i}`).join(','), '200000', '', ''],
      ]),
    ]);
    expect(codesOf(result.rows, '-bad')).toEqual(['invalid_code']);
    expect(codesOf(result.rows, 'N1')).toEqual(['required']);
    expect(codesOf(result.rows, 'N2').sort()).toEqual(
      ['invalid_date', 'invalid_integer', 'invalid_kind', 'invalid_phone', 'too_long'].sort(),
    );
    expect(codesOf(result.rows, 'N3').sort()).toEqual(['invalid_integer', 'required', 'too_many'].sort());
  });

  it('reads categories by code or by name, and refuses unknown ones', () => {
    const reg = registry({ categories: [{ code: 'APPROVAL', name: '审批科室' }] });
    const result = plan(
      [
        sheet('u', [
          ['单位编码', '单位名称', '类型', '类别'],
          ['A', 'a', '科室', 'APPROVAL'],
          ['B', 'b', '科室', '审批科室'],
          ['C', 'c', '科室', '窗口单位'],
        ]),
      ],
      reg,
    );
    expect(byKey(result.rows, 'A').changes.category).toEqual({ from: null, to: 'APPROVAL' });
    expect(byKey(result.rows, 'B').changes.category).toEqual({ from: null, to: 'APPROVAL' });
    expect(byKey(result.rows, 'C').errors[0]).toMatchObject({ code: 'unknown_category' });
    expect(byKey(result.rows, 'C').errors[0]?.message).toContain('APPROVAL（审批科室）');
  });

  it('normalises tags as the API does, so the same tags in another order are unchanged', () => {
    const reg = registry({ units: [unit('A', { tags: ['审批', '重点'] })] });
    const result = plan(
      [
        sheet('u', [
          ['单位编码', '单位名称', '标签'],
          ['A', '单位A', '重点；审批 '],
        ]),
      ],
      reg,
    );
    expect(byKey(result.rows, 'A').action).toBe('unchanged');
  });

  it('applies the rules of versions: no change before the latest version, none to a closed unit', () => {
    const reg = registry({
      units: [unit('A', { validFrom: '2026-01-01' }), unit('B', { validTo: '2025-12-31' })],
    });
    const result = plan(
      [sheet('u', [UNIT_HEADER, ['A', '新名', '部门', '', '2025-06-01'], ['B', '新名', '部门', '', '']])],
      reg,
    );
    expect(codesOf(result.rows, 'A')).toEqual(['effective_before_latest']);
    expect(codesOf(result.rows, 'B')).toEqual(['unit_inactive']);
    // A closed unit left as it is, is just unchanged.
    const same = plan([sheet('u', [UNIT_HEADER, ['B', '单位B', '部门', '', '']])], reg);
    expect(same.rows[0]?.action).toBe('unchanged');
  });

  it('requires a parent in force on the effective date, as it will be when the row is applied', () => {
    const reg = registry({
      units: [unit('OLD', { validTo: '2025-01-01' }), unit('LATE', { validFrom: '2026-06-01' }), unit('P')],
    });
    const result = plan(
      [
        sheet('u', [
          UNIT_HEADER,
          ['C1', 'c', '科室', 'OLD', ''],
          ['C2', 'c', '科室', 'LATE', ''],
          ['C3', 'c', '科室', 'NEWP', '2026-03-01'],
          ['NEWP', 'p', '部门', '', '2026-04-01'],
          ['P', '改名', '部门', '', '2026-05-01'],
          ['C4', 'c', '科室', 'P', '2026-04-15'],
          ['C5', 'c', '科室', 'P', '2026-05-01'],
        ]),
      ],
      reg,
    );
    expect(codesOf(result.rows, 'C1')).toEqual(['parent_inactive']);
    expect(byKey(result.rows, 'C1').errors[0]?.message).toContain('已于 2025-01-01 撤销');
    expect(codesOf(result.rows, 'C2')).toEqual(['parent_inactive']);
    expect(codesOf(result.rows, 'C3')).toEqual(['parent_inactive']);
    expect(codesOf(result.rows, 'C4')).toEqual(['parent_inactive']);
    expect(codesOf(result.rows, 'C5')).toEqual([]);
    // Only rows without errors become writes; the parent's update comes before its new child.
    expect(result.ops.map((o) => o.key)).toEqual(['NEWP', 'P', 'C5']);
  });

  it('shows when a change starts a new version, and shows no date for a correction', () => {
    const reg = registry({ units: [unit('A', { validFrom: '2026-01-01' })] });
    const result = plan([sheet('u', [UNIT_HEADER, ['A', '新名', '部门', '', '2026-01-01']])], reg);
    expect(result.rows[0]?.changes).toEqual({ name: { from: '单位A', to: '新名' } });
    const later = plan([sheet('u', [UNIT_HEADER, ['A', '新名', '部门', '', '2026-05-01']])], reg);
    expect(later.rows[0]?.changes).toEqual({
      name: { from: '单位A', to: '新名' },
      effectiveFrom: { from: '2026-01-01', to: '2026-05-01' },
    });
    expect(later.ops[0]).toEqual(expect.objectContaining({ changes: { name: '新名' } }));
    // A different date alone changes nothing.
    const same = plan([sheet('u', [UNIT_HEADER, ['A', '单位A', '部门', '', '2026-05-01']])], reg);
    expect(same.rows[0]).toMatchObject({ action: 'unchanged', changes: {} });
  });

  it('requires a kind for a new unit but keeps the current one when left blank', () => {
    const reg = registry({ units: [unit('A', { kind: 'section' })] });
    const result = plan([sheet('u', [UNIT_HEADER, ['A', '单位A', '', '', ''], ['B', 'b', '', '', '']])], reg);
    expect(byKey(result.rows, 'A').action).toBe('unchanged');
    expect(codesOf(result.rows, 'B')).toEqual(['required']);
  });
});

describe('the example of docs/registry-import.md', () => {
  it('plans as the documentation says', () => {
    const reg = registry({
      units: [
        unit('SJ-001', { name: '示范市', kind: 'jurisdiction' }),
        unit('SJ-002', { name: '民政局', parentCode: 'SJ-001' }),
      ],
    });
    const result = plan(
      [
        sheet('单位', [
          ['示范市2026年单位名册'],
          [],
          ['序号', '单位编码', '单位名称', '类型', '上级单位编码', '生效日期'],
          [1, 'ＳＪ－００１', '示范市', '辖区', null, '2020/1/1'],
          [2, 'SJ-002', '市民政局', '部门', 'SJ-001', null],
          [3, 'SJ-003', '社会救助科', '科室', 'SJ-002', '2026年4月1日'],
          ['填表说明：单位编码必填，类型从下拉列表中选择。'],
        ]),
      ],
      reg,
    );
    expect(result.rows.map((r) => [r.row, r.key, r.action])).toEqual([
      [4, 'SJ-001', 'unchanged'],
      [5, 'SJ-002', 'update'],
      [6, 'SJ-003', 'create'],
    ]);
    // A new version of SJ-002 from the upload day: the preview says so.
    expect(byKey(result.rows, 'SJ-002').changes).toEqual({
      name: { from: '民政局', to: '市民政局' },
      effectiveFrom: { from: '2020-01-01', to: '2026-03-16' },
    });
    expect(result.ops).toEqual([
      expect.objectContaining({ key: 'SJ-002', effectiveFrom: '2026-03-16' }),
      expect.objectContaining({ key: 'SJ-003', effectiveFrom: '2026-04-01' }),
    ]);
    const file = readSheets([sheet('单位', [['序号', '单位编码', '单位名称']])]);
    expect(file.sheets[0]?.message).toContain('序号');
  });
});

describe('planning service items and staff', () => {
  const reg = registry({
    units: [unit('CITY')],
    serviceItems: [{ code: 'S1', name: '低保申请', unitCode: 'CITY', mode: 'both', active: true }],
    staff: [{ staffNo: 'E1', name: '张三', unitCode: 'CITY', position: '科员', phone: '', active: true }],
  });

  it('may refer to units created in the same file, and names unknown ones', () => {
    const result = plan(
      [
        sheet('事项', [
          ['事项编码', '事项名称', '所属单位编码', '办理方式', '状态'],
          ['S1', '低保申请', 'CITY', '', '在用'],
          ['S2', '临时救助', 'NEW', '线下', ''],
          ['S3', '残疾证', 'NOPE', '线上', ''],
          ['S4', '其他', 'CITY', '邮寄', '可能'],
        ]),
        sheet('人员', [
          ['工号', '姓名', '所属单位编码', '职务', '电话', '状态'],
          ['E1', '张　三', 'CITY', '科长', '', '在用'],
          ['E2', '李四', 'NEW', '', '13800138000', '停用'],
          [' E2', '李四', 'NEW', '', '', ''],
        ]),
        sheet('单位', [UNIT_HEADER, ['NEW', '新单位', '部门', 'CITY', '']]),
      ],
      reg,
    );
    expect(byKey(result.rows, 'S1').action).toBe('unchanged');
    expect(byKey(result.rows, 'S2')).toMatchObject({
      action: 'create',
      changes: {
        unitCode: { from: null, to: 'NEW' },
        mode: { from: null, to: 'offline' },
        active: { from: null, to: true },
      },
    });
    expect(byKey(result.rows, 'S3').errors).toEqual([
      expect.objectContaining({
        code: 'unknown_unit',
        message: '所属单位编码 NOPE 不存在（既不在系统中，也不在本文件中）',
      }),
    ]);
    expect(codesOf(result.rows, 'S4').sort()).toEqual(['invalid_active', 'invalid_mode']);
    expect(byKey(result.rows, 'E1')).toMatchObject({
      action: 'update',
      changes: { position: { from: '科员', to: '科长' } },
    });
    const e2 = result.rows.filter((r) => r.key === 'E2');
    expect(e2.map((r) => r.action)).toEqual(['create', 'error']);
    expect(e2[1]?.errors[0]?.code).toBe('duplicate_key');
    // Units first, then items, then staff, whatever the order of the sheets.
    expect(result.ops.map((o) => `${o.entity}:${o.key}`)).toEqual([
      'unit:NEW',
      'service_item:S2',
      'staff:E1',
      'staff:E2',
    ]);
  });

  it('leaves absent columns alone and treats blank mode and status as both and in use', () => {
    const r1 = plan(
      [
        sheet('s', [
          ['事项编码', '事项名称', '所属单位编码'],
          ['S1', '低保申请', 'CITY'],
        ]),
      ],
      registry({
        ...reg,
        serviceItems: [{ code: 'S1', name: '低保申请', unitCode: 'CITY', mode: 'online', active: false }],
      }),
    );
    expect(r1.rows[0]?.action).toBe('unchanged');
    const r2 = plan(
      [
        sheet('s', [
          ['事项编码', '事项名称', '所属单位编码', '办理方式', '状态'],
          ['S1', '低保申请', 'CITY', '', ''],
        ]),
      ],
      registry({
        ...reg,
        serviceItems: [{ code: 'S1', name: '低保申请', unitCode: 'CITY', mode: 'online', active: false }],
      }),
    );
    expect(r2.rows[0]?.changes).toEqual({
      mode: { from: 'online', to: 'both' },
      active: { from: false, to: true },
    });
  });

  it('checks staff numbers, names and phone numbers', () => {
    const result = plan(
      [
        sheet('p', [
          ['工号', '姓名', '所属单位编码', '电话'],
          ['', '无号', 'CITY', ''],
          ['E9', '名'.repeat(41), 'CITY', '138-0013-8000'],
          ['E10', '王五', 'CITY', '138 0013 8000 转 8'],
        ]),
      ],
      reg,
    );
    expect(result.rows[0]?.errors.map((e) => e.code)).toEqual(['required']);
    expect(codesOf(result.rows, 'E9')).toEqual(['too_long']);
    expect(codesOf(result.rows, 'E10')).toEqual(['invalid_phone']);
  });
});

describe('exporting', () => {
  it('orders units as a tree, parents first', () => {
    const units = [
      { code: 'W', parentCode: 'S' },
      { code: 'B', parentCode: 'CITY' },
      { code: 'S', parentCode: 'A' },
      { code: 'CITY', parentCode: null },
      { code: 'A', parentCode: 'CITY' },
      { code: 'X', parentCode: 'OUTSIDE' },
    ];
    expect(treeOrder(units).map((u) => u.code)).toEqual(['CITY', 'B', 'A', 'S', 'W', 'X']);
  });

  it('writes sheets that the importer reads back as all unchanged', () => {
    const reg: RegistrySnapshot = {
      units: [
        unit('SJ-002', { parentCode: 'SJ-001', tags: ['审批', '重点'], category: 'APPROVAL', sortOrder: 2 }),
        unit('SJ-001', { kind: 'jurisdiction', responsibleName: '王五', responsiblePhone: '0571-88888888' }),
        unit('0001', { parentCode: 'SJ-002', kind: 'window', shortName: '一窗' }),
      ],
      categories: [{ code: 'APPROVAL', name: '审批科室' }],
      serviceItems: [
        { code: 'S1', name: '低保申请', unitCode: 'SJ-002', mode: 'online', active: true },
        { code: 'S2', name: '临时救助', unitCode: 'SJ-002', mode: 'both', active: false },
      ],
      staff: [
        {
          staffNo: '0042',
          name: '张三',
          unitCode: '0001',
          position: '科员',
          phone: '13800138000',
          active: true,
        },
      ],
    };
    const tables: ExportTable[] = exportTables(reg);
    expect(tables.map((t) => t.name)).toEqual(['单位', '服务事项', '人员']);
    expect(tables[0]?.rows.map((r) => r[0])).toEqual(['SJ-001', 'SJ-002', '0001']);
    const sheets = tables.map((t) => sheet(t.name, [t.header, ...t.rows]));
    const result = planImport(readSheets(sheets), reg, TODAY);
    expect(result.summary).toEqual({ create: 0, update: 0, unchanged: 6, errors: 0, skipped: 3 });
    expect(result.ops).toEqual([]);
  });
});
