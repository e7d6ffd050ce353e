import ExcelJS from 'exceljs';
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import { consequenceLabel, FLAG_NAMES, STATUS_NAMES, TARGET_NAMES } from './labels.js';
import type { UnitRecord } from './model.js';
import { unitRecord } from './service.js';

/*
 * A unit's record as .xlsx for the personnel department: one sheet of published results (period,
 * scheme, score, rank of group size, grade, rank change, lists, flags), one of consequences (what, on
 * whom, basis, who confirmed it and when, until when, open or not, appeals and their decisions).
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The workbook of a unit's record, built from the record the console shows. */
export async function recordWorkbook(record: UnitRecord): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Minping';
  const results = workbook.addWorksheet('考核结果', { views: [{ state: 'frozen', ySplit: 2 }] });
  results.addRow([`${record.unitName}（${record.unitCode}）考核结果与结果运用记录`]).font = {
    bold: true,
    size: 14,
  };
  const header = [
    '考核期',
    '考核方案',
    '排名分组',
    '公布时间',
    '总分',
    '名次',
    '参评单位数',
    '等次',
    '名次变化',
    '榜单',
    '标记',
  ];
  results.addRow(header).font = { bold: true };
  results.columns = header.map((_, i) => ({ width: [14, 28, 16, 20, 10, 8, 10, 10, 10, 10, 28][i] ?? 12 }));
  for (const r of record.results) {
    results.addRow([
      r.periodName,
      r.schemeName,
      r.groupName,
      r.publishedAt.slice(0, 10),
      r.total,
      r.rank,
      r.groupSize,
      r.gradeName ?? '',
      r.rankChange === null
        ? ''
        : r.rankChange > 0
          ? `上升${r.rankChange}位`
          : r.rankChange < 0
            ? `下降${-r.rankChange}位`
            : '持平',
      r.onBest ? '先进榜' : r.onWorst ? '后进榜' : '',
      r.flags.map((f) => FLAG_NAMES[f] ?? f).join('、'),
    ]);
  }
  const sheet = workbook.addWorksheet('结果运用', { views: [{ state: 'frozen', ySplit: 1 }] });
  const cHeader = [
    '考核期',
    '措施',
    '对象',
    '当事人',
    '依据',
    '状态',
    '生效日',
    '截止日',
    '是否在期',
    '确认人',
    '确认时间',
    '申诉及决定',
  ];
  sheet.addRow(cHeader).font = { bold: true };
  sheet.columns = cHeader.map((_, i) => ({
    width: [12, 30, 12, 14, 36, 10, 12, 12, 10, 12, 20, 48][i] ?? 12,
  }));
  for (const c of record.consequences) {
    sheet.addRow([
      c.periodName,
      `${c.ruleName}（${consequenceLabel(c)}）`,
      TARGET_NAMES[c.target],
      c.subject ?? '',
      `${c.schemeName} 第${c.basis.rank}名，总分${c.basis.total}${c.basis.rankChange !== null && c.basis.rankChange < 0 ? `，较上期下降${-c.basis.rankChange}位` : ''}`,
      STATUS_NAMES[c.status],
      c.startsOn,
      c.endsOn ?? '',
      c.open ? '是' : '否',
      c.decidedBy,
      c.decidedAt.slice(0, 16).replace('T', ' '),
      c.appeals
        .map(
          (a) =>
            `${a.filedOn} 申诉：${a.grounds}；${a.status === 'pending' ? '待决定' : `${a.status === 'granted' ? '撤销' : '维持'}（${a.decisionReason ?? ''}）`}`,
        )
        .join('\n'),
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** GET /api/outcomes/units/:unitId/record.xlsx */
export async function exportRecord(
  deps: Deps,
  actor: Actor,
  unitId: string,
): Promise<{ filename: string; body: Buffer }> {
  const record = await unitRecord(deps, actor, unitId);
  return { filename: `minping-record-${record.unitCode}.xlsx`, body: await recordWorkbook(record) };
}
