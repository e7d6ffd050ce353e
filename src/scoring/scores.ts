import type { Transaction } from 'kysely';
import { type Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { DB } from '../core/db/schema.js';
import { Invalid } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow } from '../core/time.js';
import { isNotesText, normalizeHeader, normalizeValue, type RawCell } from '../core/spreadsheet/cells.js';
import { readSpreadsheet } from '../core/spreadsheet/files.js';
import { assertInVisible } from '../registry/scope.js';
import { parseDefinition } from './schemes.js';
import * as store from './store.js';
import type {
  ComponentNode,
  ImportResult,
  ImportRow,
  ImportRowStatus,
  ScoreValueView,
  SeriesSummary,
  SkippedLine,
} from './types.js';
import {
  LineProblem,
  actorIdOf,
  actorName,
  checkKey,
  periodNames,
  periodOf,
  require,
  scopeOf,
  scoreText,
  text,
} from './common.js';

/* Imported scores (导入分数): series, files read and planned line by line, stored with provenance. */

export async function listSeries(deps: Deps, actor: Actor): Promise<SeriesSummary[]> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  const names = await periodNames(db);
  const seriesNames = await importedLeafNames(db);
  return (await store.seriesSummaries(db)).map((r) => ({
    ...r,
    seriesName: seriesNames.get(r.series) ?? null,
    periodName: names.get(r.periodId) ?? '',
  }));
}

/** Series code → the name of the first leaf reading it, in each scheme's latest version (by scheme code). */
async function importedLeafNames(db: Executor): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const visit = (node: ComponentNode) => {
    if (node.source?.kind === 'imported' && !out.has(node.source.series))
      out.set(node.source.series, node.name);
    for (const child of node.children ?? []) visit(child);
  };
  for (const scheme of await store.listSchemes(db)) {
    const version = await store.schemeVersion(db, scheme.id, scheme.latestVersion);
    if (version) visit(parseDefinition(version.definition).root);
  }
  return out;
}

export async function listScores(
  deps: Deps,
  actor: Actor,
  query: { series: string; periodId: string },
): Promise<ScoreValueView[]> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  const rows = await store.scoreHistory(db, query.series, query.periodId);
  const units = await store.unitNames(
    db,
    rows.map((r) => r.unitId),
  );
  const views = rows.map((r) => ({
    id: r.id,
    series: r.series,
    periodId: r.periodId,
    unitId: r.unitId,
    unitCode: units.get(r.unitId)?.code ?? '',
    unitName: units.get(r.unitId)?.name ?? '',
    value: Number(r.value),
    document: r.document,
    note: r.note,
    enteredBy: r.enteredByName,
    enteredAt: r.enteredAt,
    supersededAt: r.supersededAt,
  }));
  // Current values first, by unit code; then the superseded ones, by unit code, newest first.
  const rank = (v: ScoreValueView) => (v.supersededAt === null ? 0 : 1);
  return views.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0) ||
      (a.enteredAt < b.enteredAt ? 1 : a.enteredAt > b.enteredAt ? -1 : 0),
  );
}

interface ScoreLine {
  line: number;
  unitCode: string;
  value: unknown;
  note: string;
}

interface PlannedRow extends ImportRow {
  unitId: string | null;
  valueText: string | null;
  note: string;
  replaces: string | null;
}

/** Decides each line against the units and the current values of the series and period. */
async function planScores(
  db: Executor,
  series: string,
  periodId: string,
  lines: readonly ScoreLine[],
): Promise<PlannedRow[]> {
  const units = await store.unitsByCodes(
    db,
    lines.map((l) => l.unitCode),
  );
  const current = new Map(
    (await store.currentScoreValues(db, series, periodId)).map((r) => [r.unitId, r] as const),
  );
  const seen = new Map<string, number>();
  return lines.map((l) => {
    const base = {
      line: l.line,
      unitCode: l.unitCode,
      unitName: null,
      value: null,
      previous: null,
      unitId: null,
      valueText: null,
      note: l.note,
      replaces: null,
    };
    const failed = (problem: LineProblem) => ({
      status: 'error' as const,
      error: problem.problem,
      errorCode: problem.code,
      errorParams: problem.params,
    });
    const unit = units.get(l.unitCode);
    if (l.unitCode === '') {
      return {
        ...base,
        ...failed({ code: 'empty_unit_code', params: {}, problem: 'The unit code is empty.' }),
      };
    }
    if (!unit) {
      return {
        ...base,
        ...failed({
          code: 'unknown_unit_code',
          params: { code: l.unitCode },
          problem: `No unit has the code ${l.unitCode}.`,
        }),
      };
    }
    const parsed = scoreText(l.value);
    const named = { ...base, unitName: unit.name, unitId: unit.unitId };
    if ('problem' in parsed) return { ...named, ...failed(parsed) };
    const earlier = seen.get(l.unitCode);
    if (earlier !== undefined) {
      return {
        ...named,
        value: Number(parsed.text),
        ...failed({
          code: 'duplicate_unit_line',
          params: { code: l.unitCode, line: earlier },
          problem: `The unit ${l.unitCode} already has a value on line ${earlier}.`,
        }),
      };
    }
    seen.set(l.unitCode, l.line);
    const existing = current.get(unit.unitId);
    const status: ImportRowStatus = !existing
      ? 'new'
      : existing.value === parsed.text
        ? 'unchanged'
        : 'changed';
    return {
      ...named,
      value: Number(parsed.text),
      valueText: parsed.text,
      previous: existing ? Number(existing.value) : null,
      replaces: existing?.id ?? null,
      status,
      error: null,
      errorCode: null,
      errorParams: null,
    };
  });
}

/** Stores the new and changed values of a plan, superseding what they replace. */
async function storePlan(
  trx: Transaction<DB>,
  deps: Deps,
  actor: Actor,
  input: { series: string; periodId: string; document: string },
  plan: readonly PlannedRow[],
): Promise<{ stored: number; batchId: string }> {
  const now = isoNow(deps.clock);
  const batchId = newId();
  const writes = plan.filter((r) => r.status === 'new' || r.status === 'changed');
  await store.supersedeScoreValues(
    trx,
    writes.flatMap((r) => (r.replaces ? [r.replaces] : [])),
    now,
  );
  await store.insertScoreValues(
    trx,
    writes.map((r) => ({
      id: newId(),
      series: input.series,
      periodId: input.periodId,
      unitId: r.unitId as string,
      value: r.valueText as string,
      document: input.document,
      note: r.note,
      enteredBy: actorIdOf(actor),
      enteredByName: actorName(actor),
      enteredAt: now,
      batchId,
      supersededAt: null,
    })),
  );
  return { stored: writes.length, batchId };
}

const presentRow = (r: PlannedRow): ImportRow => ({
  line: r.line,
  unitCode: r.unitCode,
  unitName: r.unitName,
  value: r.value,
  previous: r.previous,
  status: r.status,
  error: r.error,
  errorCode: r.errorCode,
  errorParams: r.errorParams,
});

const CODE_HEADERS = new Set(['单位编码', '单位代码', '编码', '代码', 'unitcode', 'unit_code', 'code']);
const VALUE_HEADERS = new Set(['分值', '得分', '分数', '评分', 'value', 'score']);
const NOTE_HEADERS = new Set(['备注', '说明', 'note', 'notes']);

const cellText = (cell: RawCell | undefined): string => {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell.split('\u0000').join('');
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  if ('date' in cell) return cell.date;
  return cell.text;
};

/** The lines of an uploaded score sheet: the first sheet with a 单位编码 and a 分值 column. */
async function readScoreFile(
  filename: string,
  bytes: Buffer,
): Promise<{ lines: ScoreLine[]; skipped: SkippedLine[] }> {
  const sheets = await readSpreadsheet(filename, bytes);
  for (const sheet of sheets) {
    const headerAt = sheet.rows.findIndex((row) => {
      const headers = row.cells.map((c) => normalizeHeader(cellText(c)));
      return headers.some((h) => CODE_HEADERS.has(h)) && headers.some((h) => VALUE_HEADERS.has(h));
    });
    if (headerAt < 0) continue;
    const header = (sheet.rows[headerAt]?.cells ?? []).map((c) => normalizeHeader(cellText(c)));
    const codeCol = header.findIndex((h) => CODE_HEADERS.has(h));
    const valueCol = header.findIndex((h) => VALUE_HEADERS.has(h));
    const noteCol = header.findIndex((h) => NOTE_HEADERS.has(h));
    const lines: ScoreLine[] = [];
    const skipped: SkippedLine[] = [];
    const skip = (line: number, code: string, reason: string, params: Record<string, string> = {}) =>
      skipped.push({ line, reason, code, params });
    sheet.rows.forEach((row, index) => {
      if (index < headerAt) {
        if (row.cells.some((c) => cellText(c).trim() !== '')) {
          skip(row.row, 'title_line', 'A title above the header row, not a score.');
        } else skip(row.row, 'blank_line', 'A blank line.');
        return;
      }
      if (index === headerAt) {
        skip(row.row, 'header_line', 'The header row.');
        return;
      }
      const texts = row.cells.map((c) => cellText(c).trim());
      if (texts.every((t) => t === '')) {
        skip(row.row, 'blank_line', 'A blank line.');
        return;
      }
      const first = texts.find((t) => t !== '') ?? '';
      const code = normalizeValue('id', texts[codeCol] ?? '');
      if (isNotesText(first) && code === first) {
        const text = first.slice(0, 40);
        skip(row.row, 'note_line', `A note, not a score: “${text}”.`, { text });
        return;
      }
      const cell = row.cells[valueCol];
      const value: unknown =
        typeof cell === 'number' ? cell : typeof cell === 'string' ? cell : cellText(cell ?? null);
      lines.push({
        line: row.row,
        unitCode: code,
        value,
        note: noteCol >= 0 ? normalizeValue('text', texts[noteCol] ?? '').slice(0, 500) : '',
      });
    });
    return { lines, skipped };
  }
  throw new Invalid(
    'no_score_columns',
    'No sheet has a header row with a unit code column (单位编码) and a value column (分值). Add them and upload again.',
    { field: 'file' },
  );
}

export interface ScoreImportInput {
  filename: string;
  bytes: Buffer;
  series: string;
  periodId: string;
  document: string;
  apply: boolean;
}

/** POST /api/scores/import: a preview, or (apply) every value stored at once — all or nothing. */
export async function importScores(deps: Deps, actor: Actor, input: ScoreImportInput): Promise<ImportResult> {
  require(actor, 'scoring:manage');
  checkKey(input.series, 'series');
  text(input.periodId, 'periodId', 64);
  const document = text(input.document, 'document', 200);
  const file = await readScoreFile(input.filename, input.bytes);
  if (file.lines.length > 5000) {
    throw new Invalid('too_many_rows', 'A score file has at most 5,000 lines; split it.', { field: 'file' });
  }
  const run = async (db: Executor) => {
    await periodOf(db, input.periodId);
    return planScores(db, input.series, input.periodId, file.lines);
  };
  const result = (plan: PlannedRow[], applied: boolean): ImportResult => ({
    applied,
    series: input.series,
    periodId: input.periodId,
    document,
    rows: plan.map(presentRow),
    skipped: file.skipped,
  });
  if (!input.apply) return result(await run(deps.database.db), false);
  return inTransaction(deps, actor, async (trx, audit) => {
    const plan = await run(trx);
    const errors = plan.filter((r) => r.status === 'error');
    if (errors.length > 0) {
      throw new Invalid(
        'import_has_errors',
        `${errors.length} line(s) have errors (the first is line ${errors[0]?.line ?? 0}: ${errors[0]?.error ?? ''}); nothing was stored. Correct the file and upload it again.`,
        { errors: errors.length, line: errors[0]?.line ?? 0 },
      );
    }
    if (plan.length === 0) {
      throw new Invalid('import_empty', 'The file has no scores under its header row.', { field: 'file' });
    }
    const { stored, batchId } = await storePlan(trx, deps, actor, { ...input, document }, plan);
    await audit({
      action: 'scores.imported',
      entityType: 'score_series',
      entityId: `${input.series}/${input.periodId}`,
      before: null,
      after: { batchId, stored },
      detail: {
        series: input.series,
        periodId: input.periodId,
        document,
        filename: input.filename,
        batchId,
        new: plan.filter((r) => r.status === 'new').length,
        changed: plan.filter((r) => r.status === 'changed').length,
        unchanged: plan.filter((r) => r.status === 'unchanged').length,
      },
    });
    return result(plan, true);
  });
}

/** POST /api/scores: a service system sends values; all or nothing; unchanged values are not repeated. */
export async function storeScores(
  deps: Deps,
  actor: Actor,
  input: {
    series: string;
    periodId: string;
    document: string;
    values: readonly { unitCode: string; value: number }[];
  },
): Promise<{ stored: number; unchanged: number }> {
  require(actor, 'scores:write');
  checkKey(input.series, 'series');
  const document = text(input.document, 'document', 200);
  if (input.values.length === 0 || input.values.length > 5000) {
    throw new Invalid('invalid_input', 'Send between 1 and 5,000 values.', { field: 'values' });
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    await periodOf(trx, input.periodId);
    const plan = await planScores(
      trx,
      input.series,
      input.periodId,
      input.values.map((v, i) => ({ line: i + 1, unitCode: v.unitCode.trim(), value: v.value, note: '' })),
    );
    const bad = plan.find((r) => r.status === 'error');
    if (bad) {
      throw new Invalid(
        bad.unitName === null ? 'unknown_unit' : 'invalid_value',
        `Value ${bad.line} (unit ${bad.unitCode}): ${bad.error ?? ''} Nothing was stored.`,
        { line: bad.line, field: `values.${bad.line - 1}`, unitCode: bad.unitCode },
      );
    }
    const scope = await scopeOf(trx, actor, chinaDate(deps.clock.now()));
    const outside = scope ? plan.find((r) => r.unitId !== null && !scope.has(r.unitId)) : undefined;
    if (outside?.unitId) assertInVisible(scope, outside.unitId);
    const { stored, batchId } = await storePlan(trx, deps, actor, { ...input, document }, plan);
    await audit({
      action: 'scores.stored',
      entityType: 'score_series',
      entityId: `${input.series}/${input.periodId}`,
      before: null,
      after: { batchId, stored },
      detail: { series: input.series, periodId: input.periodId, document, batchId, stored },
    });
    return { stored, unchanged: plan.length - stored };
  });
}
