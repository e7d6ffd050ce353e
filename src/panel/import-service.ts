/*
 * Importing the evaluator pool from .xlsx or .csv, with the registry import's flow: an upload is read and
 * planned (new / changed / unchanged / error per line) and stored as a preview; applying it plans again
 * in one transaction and, only if no line is in error and nothing changed since the preview, writes every
 * line — all of them or none. Evaluators are matched by mobile number.
 */
import { actorId, actorLabel, type Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { EvaluatorsTable, PanelImportsTable } from '../core/db/schema.js';
import { canonicalJson, sha256Hex } from '../core/digest.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isoNow } from '../core/time.js';
import { normalizeHeader, type RawCell, type RawSheet } from '../core/spreadsheet/cells.js';
import { readSpreadsheet } from '../core/spreadsheet/files.js';
import {
  planPoolLines,
  POOL_COLUMNS,
  type ExistingEvaluator,
  type PoolField,
  type PoolLine,
} from './model.js';
import { requirePanel, today, unitIndex } from './service.js';
import * as store from './store.js';
import { IMPORT_OPS, type ImportOp, type PoolImportPreview } from './types.js';

/** More lines than this in one file are refused (split the file). */
export const MAX_POOL_ROWS = 30_000;

interface Payload {
  lines: PoolLine[];
  planDigest: string;
}

function cellText(cell: RawCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  if (typeof cell === 'boolean') return cell ? '是' : '否';
  if ('date' in cell) return cell.date;
  return cell.text;
}

/** The pool lines of a file: the first sheet with a header naming 姓名 and 手机号; rows below it. */
export function readPoolLines(sheets: readonly RawSheet[]): PoolLine[] {
  for (const sheet of sheets) {
    for (let h = 0; h < Math.min(sheet.rows.length, 10); h++) {
      const header = sheet.rows[h];
      if (!header) continue;
      const fields = header.cells.map((c) => {
        const text = normalizeHeader(cellText(c));
        return POOL_COLUMNS.find((col) => col.accept.some((a) => normalizeHeader(a) === text))?.field ?? null;
      });
      if (!fields.includes('name') || !fields.includes('mobile')) continue;
      const lines: PoolLine[] = [];
      for (const row of sheet.rows.slice(h + 1)) {
        const values: Partial<Record<PoolField, string>> = {};
        fields.forEach((f, i) => {
          if (f) values[f] = cellText(row.cells[i]).trim();
        });
        if (Object.values(values).every((v) => !v)) continue;
        lines.push({ row: row.row, values });
      }
      return lines;
    }
  }
  throw new Invalid(
    'no_pool_header',
    'No sheet has a header row with 姓名 and 手机号. Use the columns 姓名, 手机号, 群体, 区域, 基层, 标签, 回避单位.',
    {},
  );
}

async function plan(db: Executor, lines: readonly PoolLine[], day: string) {
  const [rows, groups, index] = await Promise.all([
    store.listEvaluators(db),
    store.listGroups(db),
    unitIndex(db, day),
  ]);
  const existing: ExistingEvaluator[] = rows.map((r) => ({
    id: r.id,
    name: r.name,
    mobile: r.mobile,
    groups: JSON.parse(r.groups) as string[],
    regionId: r.regionId,
    grassroots: r.grassroots === 1,
    tags: JSON.parse(r.tags) as string[],
    conflicts: JSON.parse(r.conflicts) as string[],
    active: r.active === 1,
  }));
  const groupLookup = new Map<string, string>();
  for (const g of groups) {
    groupLookup.set(g.name, g.code);
    groupLookup.set(g.code, g.code);
  }
  return planPoolLines(lines, existing, { groups: groupLookup, units: index.lookup });
}

type Planned = Awaited<ReturnType<typeof plan>>;

const digestOfPlan = (planned: Planned) =>
  sha256Hex(
    canonicalJson(planned.map((l) => ({ row: l.row, op: l.op, values: l.values, id: l.evaluatorId }))),
  );

function present(row: PanelImportsTable, planned: Planned): PoolImportPreview {
  const summary = Object.fromEntries(IMPORT_OPS.map((op) => [op, 0])) as Record<ImportOp, number>;
  for (const l of planned) summary[l.op] += 1;
  return {
    id: row.id,
    filename: row.filename,
    createdAt: row.createdAt,
    status: row.status === 'applied' ? 'applied' : 'previewed',
    summary,
    lines: planned.map(({ values: _v, evaluatorId: _e, ...line }) => line),
  };
}

/** Reads an uploaded pool file, plans it and stores the preview; nothing in the pool changes yet. */
export async function previewPoolImport(
  deps: Deps,
  actor: Actor,
  upload: { filename: string; bytes: Buffer },
): Promise<PoolImportPreview> {
  requirePanel(actor, 'panel:manage');
  const filename = (upload.filename.split(/[\\/]/).pop() ?? 'upload').slice(0, 200) || 'upload';
  const lines = readPoolLines(await readSpreadsheet(filename, upload.bytes));
  if (lines.length > MAX_POOL_ROWS) {
    throw new Invalid(
      'too_many_rows',
      `The file has ${lines.length} lines; at most ${MAX_POOL_ROWS} at once. Split it.`,
      {
        rows: lines.length,
        limit: MAX_POOL_ROWS,
      },
    );
  }
  const planned = await plan(deps.database.db, lines, today(deps));
  const payload: Payload = { lines, planDigest: digestOfPlan(planned) };
  const row: PanelImportsTable = {
    id: newId(),
    filename,
    createdBy: actorId(actor) ?? actorLabel(actor),
    createdAt: isoNow(deps.clock),
    payload: JSON.stringify(payload),
    status: 'previewed',
    appliedAt: null,
  };
  await store.insertImport(deps.database.db, row);
  return present(row, planned);
}

/** A stored preview, planned again against the pool as it is now. */
export async function getPoolImport(deps: Deps, actor: Actor, id: string): Promise<PoolImportPreview> {
  requirePanel(actor, 'panel:manage');
  const row = await store.importById(deps.database.db, id);
  if (!row) throw new NotFound('import', id);
  const payload = JSON.parse(row.payload) as Payload;
  return present(row, await plan(deps.database.db, payload.lines, today(deps)));
}

/** Applies a preview: every line or none; refused while any line is in error or the pool changed since. */
export async function applyPoolImport(deps: Deps, actor: Actor, id: string): Promise<PoolImportPreview> {
  requirePanel(actor, 'panel:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.importById(trx, id);
    if (!row) throw new NotFound('import', id);
    if (row.status === 'applied')
      throw new Conflict('import_applied', 'This import has been applied already.', {});
    const payload = JSON.parse(row.payload) as Payload;
    const planned = await plan(trx, payload.lines, today(deps));
    const errors = planned.filter((l) => l.op === 'error');
    if (errors.length) {
      throw new Conflict(
        'import_has_errors',
        `${errors.length} line(s) are in error (first: row ${errors[0]?.row}). Correct the file and upload it again; nothing was imported.`,
        { errors: errors.length, row: errors[0]?.row ?? 0 },
      );
    }
    if (digestOfPlan(planned) !== payload.planDigest) {
      throw new Conflict(
        'import_stale',
        'The pool changed since this preview. Upload the file again to see the current preview.',
        {},
      );
    }
    const now = isoNow(deps.clock);
    const inserts: EvaluatorsTable[] = [];
    let updated = 0;
    for (const l of planned) {
      if (!l.values || l.op === 'unchanged') continue;
      const fields = {
        name: l.values.name,
        mobile: l.values.mobile,
        groups: JSON.stringify(l.values.groups),
        regionId: l.values.regionId,
        grassroots: l.values.grassroots ? 1 : 0,
        tags: JSON.stringify(l.values.tags),
        conflicts: JSON.stringify(l.values.conflicts),
        active: 1,
        updatedAt: now,
      };
      if (l.op === 'new') inserts.push({ id: newId(), ...fields, createdAt: now });
      else if (l.evaluatorId) {
        await store.updateEvaluator(trx, l.evaluatorId, fields);
        updated += 1;
      }
    }
    await store.insertEvaluators(trx, inserts);
    if (!(await store.markImportApplied(trx, id, row.payload, now))) {
      throw new Conflict('import_applied', 'This import has been applied already.', {});
    }
    await audit({
      action: 'panel.import.apply',
      entityType: 'panel_import',
      entityId: id,
      before: null,
      after: { filename: row.filename, created: inserts.length, updated },
      detail: { filename: row.filename, created: inserts.length, updated, rows: planned.length },
    });
    return present({ ...row, status: 'applied', appliedAt: now }, planned);
  });
}
