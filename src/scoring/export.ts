import ExcelJS from 'exceljs';
import type { Actor } from '../core/auth/model.js';
import type { Deps } from '../core/context.js';
import { getRun } from './service.js';
import type { RunDetail } from './types.js';

/*
 * The full table of a run as an .xlsx (exceljs): every unit with every component's points, the
 * total, its interval, rank, grade, flags and rank change, then the lists and the review stages.
 */

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const STATUS_NAMES: Record<string, string> = {
  computed: '已计算',
  in_review: '审议中',
  approved: '已审定',
  published: '已公布',
  superseded: '已被新计算取代',
};

const FLAG_NAMES: Record<string, string> = {
  vetoed: '一票否决',
  promoted: '例外晋级',
  small_sample: '样本不足',
  indistinct: '与相邻名次无明显差别',
  largest_decline: '降幅最大',
  declined_two_running: '连续两期下降',
};

/** The workbook of a run, built from the run's detail (the same numbers the console shows). */
export async function runWorkbook(run: RunDetail): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Minping';
  const table = workbook.addWorksheet('结果', { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }] });
  const components = run.components.filter((c) => c.depth > 0);
  const header = [
    '名次',
    '单位编码',
    '单位名称',
    ...components.map((c) => `${'　'.repeat(c.depth - 1)}${c.name}（${c.maxPoints}）`),
    '总分',
    '95% 下限',
    '95% 上限',
    '等次',
    '按实际得分',
    '上期名次',
    '名次变化',
    '标记',
    '主要问题',
  ];
  table.columns = header.map((h, i) => ({
    header: h,
    width: i === 2 ? 28 : i === header.length - 1 ? 40 : 12,
  }));
  table.getRow(1).font = { bold: true };
  const numberFormat = run.precision > 0 ? `0.${'0'.repeat(run.precision)}` : '0';
  for (const unit of run.units) {
    const row = table.addRow([
      unit.rank,
      unit.code,
      unit.name,
      ...components.map((c) => unit.components[c.id] ?? null),
      unit.total,
      unit.interval?.low ?? null,
      unit.interval?.high ?? null,
      unit.grade,
      unit.bonusScore,
      unit.previousRank,
      unit.rankChange,
      unit.flags.map((f) => FLAG_NAMES[f] ?? f).join('、'),
      run.problems[unit.unitId] ?? '',
    ]);
    for (let col = 4; col <= 4 + components.length + 2; col += 1) row.getCell(col).numFmt = numberFormat;
  }

  const names = new Map(run.units.map((u) => [u.unitId, `${u.name}（${u.code}）`]));
  const lists = workbook.addWorksheet('名单');
  lists.columns = [
    { header: '名单', width: 12 },
    { header: '序号', width: 8 },
    { header: '单位', width: 36 },
  ];
  lists.getRow(1).font = { bold: true };
  for (const [label, ids] of [
    ['拟定先进', run.proposed.best],
    ['拟定后进', run.proposed.worst],
    ['现行先进', run.current.best],
    ['现行后进', run.current.worst],
  ] as const) {
    ids.forEach((id, i) => lists.addRow([label, i + 1, names.get(id) ?? id]));
  }

  const about = workbook.addWorksheet('说明');
  about.columns = [
    { header: '项目', width: 18 },
    { header: '内容', width: 80 },
  ];
  about.getRow(1).font = { bold: true };
  about.addRow(['方案', `${run.schemeName}（第 ${run.version} 版）`]);
  about.addRow(['期间', run.periodName]);
  about.addRow(['排名组', run.groupName]);
  about.addRow(['状态', STATUS_NAMES[run.status] ?? run.status]);
  about.addRow(['计算时间', run.computedAt]);
  about.addRow(['公布时间', run.publishedAt ?? '']);
  about.addRow(['输入摘要（SHA-256）', run.inputsDigest]);
  about.addRow(['结果摘要（SHA-256）', run.resultsDigest]);
  about.addRow(['核验', `minping verify result ${run.id}`]);
  for (const review of run.reviews) {
    about.addRow([
      `审议 ${review.stageIndex + 1}`,
      `${review.stageName}（${review.body}，${review.decidedOn}）：${review.decision === 'approve' ? '同意' : `调整：${review.reason ?? ''}`}`,
    ]);
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** GET /api/runs/:id/export.xlsx. */
export async function exportRun(
  deps: Deps,
  actor: Actor,
  id: string,
): Promise<{ filename: string; body: Buffer }> {
  const run = await getRun(deps, actor, id);
  return { filename: `minping-result-${run.id}.xlsx`, body: await runWorkbook(run) };
}
