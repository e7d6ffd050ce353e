import ExcelJS from 'exceljs';
import { maskPersonalData } from '../cases/model.js';
import type { Actor } from '../core/auth/model.js';
import { ESCALATION_STEP_NAMES } from '../core/calendar/escalation.js';
import type { Deps } from '../core/context.js';
import { chinaDate, isoNow } from '../core/time.js';
import {
  evidenceSummary,
  ITEM_STATE_NAMES,
  itemReference,
  ORIGIN_NAMES,
  type ItemOrigin,
  type ItemState,
} from './model.js';
import { loadTree, requirePermission, unitsForRequest } from './scope.js';
import * as store from './store.js';
import type { LedgerFigures, PublicLedger } from './types.js';

/*
 * What the public sees of the ledger (live, no personal data): per unit and in total, the items raised,
 * in progress, closed and overdue, and the closed items with what was done. And the office's .xlsx export.
 */

const CLOSED_SHOWN = 100;

/** GET /api/public/ledger: figures per unit and in total, and the latest closed items (anyone). */
export async function publicLedger(deps: Deps): Promise<PublicLedger> {
  const db = deps.database.db;
  const today = chinaDate(deps.clock.now());
  const tree = await loadTree(db, deps);
  const totals: LedgerFigures = { raised: 0, inProgress: 0, closed: 0, overdue: 0 };
  const units = (await store.figuresByUnit(db, today))
    .filter((f) => tree.names.has(f.unitId))
    .map((f) => {
      const figures = {
        raised: f.raised,
        inProgress: f.raised - f.closed,
        closed: f.closed,
        overdue: f.overdue,
      };
      totals.raised += figures.raised;
      totals.inProgress += figures.inProgress;
      totals.closed += figures.closed;
      totals.overdue += figures.overdue;
      return {
        unitId: f.unitId,
        code: tree.codes.get(f.unitId) ?? '',
        name: tree.names.get(f.unitId) ?? '',
        ...figures,
      };
    })
    .sort((a, b) => b.raised - a.raised || (a.code < b.code ? -1 : 1));
  const closed = await store.recentlyClosed(db, CLOSED_SHOWN);
  const types = await store.evidenceTypes(
    db,
    closed.map((i) => i.id),
  );
  const closedItems = closed.map((i) => ({
    reference: itemReference(i.id),
    unitName: tree.names.get(i.unitId) ?? '',
    title: maskPersonalData(i.title),
    measures: maskPersonalData(i.measures),
    resultText: maskPersonalData(i.resultText),
    closedAt: i.closedAt ?? '',
    evidence: evidenceSummary(types.get(i.id)),
  }));
  return { asOf: isoNow(deps.clock), totals, units, closedItems };
}

export const XLSX_MIME = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** GET /api/ledger/export.xlsx: the ledger of the actor's subtree, one row per item, with the figures per unit (ledger:handle). */
export async function exportLedger(
  deps: Deps,
  actor: Actor,
  q: { unitId?: string },
): Promise<{ filename: string; contentType: string; body: Buffer }> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  const today = chinaDate(deps.clock.now());
  const unitIds = unitsForRequest(actor, tree, q.unitId);
  const { rows } = await store.itemPage(db, { unitIds, states: null, overdueOn: null }, 100_000, 0);
  const evidence = await store.evidenceCounts(
    db,
    rows.map((r) => r.id),
  );
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Minping';
  const sheet = workbook.addWorksheet('整改台账', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    { header: '编号', width: 18 },
    { header: '责任单位', width: 24 },
    { header: '责任人', width: 10 },
    { header: '问题', width: 36 },
    { header: '来源', width: 14 },
    { header: '整改目标', width: 30 },
    { header: '整改措施', width: 40 },
    { header: '状态', width: 12 },
    { header: '开始日期', width: 12 },
    { header: '整改时限', width: 12 },
    { header: '当前期限', width: 12 },
    { header: '逾期', width: 6 },
    { header: '预警', width: 10 },
    { header: '佐证材料', width: 8 },
    { header: '整改结果', width: 40 },
    { header: '销号时间', width: 20 },
  ];
  sheet.getRow(1).font = { bold: true };
  for (const i of rows) {
    sheet.addRow([
      itemReference(i.id),
      tree.names.get(i.unitId) ?? '',
      i.responsibleName,
      i.title,
      ORIGIN_NAMES[i.origin as ItemOrigin],
      i.target,
      i.measures,
      ITEM_STATE_NAMES[i.state as ItemState],
      i.openedOn,
      i.deadlineOn,
      i.dueOn ?? '',
      i.dueOn !== null && i.state !== 'closed' && today > i.dueOn ? '是' : '',
      i.escalation === 0 ? '' : ESCALATION_STEP_NAMES[i.escalation as 1 | 2 | 3],
      evidence.get(i.id) ?? 0,
      i.resultText,
      i.closedAt ?? '',
    ]);
  }
  const out = await workbook.xlsx.writeBuffer();
  return { filename: `minping-ledger-${today}.xlsx`, contentType: XLSX_MIME, body: Buffer.from(out) };
}
