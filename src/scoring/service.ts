import type { Transaction } from 'kysely';
import { hasPermission, type Actor, type Permission } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { DB, RunReviewsTable, ScoringRunsTable, VetoesTable } from '../core/db/schema.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../core/errors.js';
import { sha256Hex } from '../core/digest.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow, isValidDate } from '../core/time.js';
import { loadRatingsConfig } from '../ratings/config.js';
import { isValidCode, subtreeOf } from '../registry/model.js';
import {
  isNotesText,
  normalizeHeader,
  normalizeValue,
  numberText,
  type RawCell,
} from '../registry/import-plan.js';
import { readSpreadsheet } from '../registry/spreadsheet.js';
import { assertInVisible, visibleUnits } from '../registry/scope.js';
import * as registryStore from '../registry/store.js';
import { unitsWithCategoryOn, type UnitWithCategory } from '../registry/tree.js';
import {
  applyReviewStage,
  canonicalJson,
  componentList,
  componentPoints,
  computeRanking,
  leafComponents,
  schemeProblems,
  validateScheme,
  type ComponentResult,
  type GroupUnit,
  type PreviousRun,
  type RankingInput,
  type RankingOutcome,
  type ReviewDecision,
  type ReviewLists,
  type ReviewStageDef,
  type SchemeDefinition,
  type SchemeProblem,
  type UnitResult,
  type VetoInput,
} from './model.js';
import { collectValues, type PeriodInfo } from './sources.js';
import * as store from './store.js';
import { SCHEME_TEMPLATES } from './templates.js';
import {
  listSizeWarnings,
  periodWarnings,
  problemWarnings,
  refuseUnaccepted,
  sourceWarnings,
} from './warnings.js';
import type {
  ComponentSummary,
  ImportResult,
  ImportRow,
  ImportRowStatus,
  PublicResult,
  PublicResultKind,
  PublicResultSummary,
  ReviewRecord,
  RunDetail,
  RunStatus,
  RunWarning,
  RunSummary,
  SchemeDetail,
  SchemeSummary,
  SchemeTemplateView,
  SchemeVersionDetail,
  SchemeVersionView,
  ScoreValueView,
  SeriesSummary,
  SheetScoreView,
  SkippedLine,
  TaskView,
  UnitResultView,
  UnitRow,
  VetoView,
} from './types.js';

export type { RunDetail, SchemeDetail } from './types.js';

/*
 * Scoring use cases: schemes and their versions, imported scores and score sheets with provenance,
 * vetoes, runs (collect → compute → store with digests), review stages, publication and the public
 * view. Each write is one transaction with its audit entry. Inside a transaction every read goes
 * through `trx` (on SQLite a read through the pool would wait for the transaction and never return).
 */

// --- common --------------------------------------------------------------------------------------

function require(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor, permission)) throw new Forbidden();
}

function requireAny(actor: Actor, permissions: readonly Permission[]): void {
  if (!permissions.some((p) => hasPermission(actor, p))) throw new Forbidden();
}

/** The name provenance shows: the person's display name, a token's name, or the system's label. */
export function actorName(actor: Actor): string {
  switch (actor.kind) {
    case 'account':
      return actor.displayName;
    case 'token':
      return actor.name;
    case 'system':
      return actor.label;
  }
}

const actorIdOf = (actor: Actor): string | null => (actor.kind === 'system' ? null : actor.id);

/** Text a person typed: trimmed; refused when blank (if required) or too long, naming the field. */
function text(value: string | undefined, field: string, max: number, required = true): string {
  const cleaned = (value ?? '').normalize('NFC').trim();
  if (required && cleaned === '') {
    throw new Invalid('invalid_input', `The field "${field}" must not be empty.`, { field });
  }
  if (cleaned.length > max) {
    throw new Invalid('invalid_input', `The field "${field}" has at most ${max} characters.`, { field });
  }
  return cleaned;
}

const KEY_RE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function checkKey(value: string, field: string): void {
  if (!KEY_RE.test(value)) {
    throw new Invalid(
      'invalid_key',
      `The field "${field}" is a key of 1–64 letters, digits, ".", "_" or "-", starting with a letter or digit.`,
      { field },
    );
  }
}

/** Largest magnitude a score may have: anything bigger is a typing mistake. */
const MAX_SCORE = 1e9;

/** Why a line of a score file cannot be stored: a stable code and its params (the console translates them). */
export interface LineProblem {
  code: string;
  params: Record<string, string | number>;
  /** The same in English, for API callers. */
  problem: string;
}

/** A number a person gave, as canonical decimal text, or an explanation of why it is not one. */
export function scoreText(value: unknown): { text: string } | LineProblem {
  let n: number;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const t = normalizeValue('integer', value);
    if (t === '') return { code: 'empty_value', params: {}, problem: 'The value is empty.' };
    if (!/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) {
      return { code: 'not_a_number', params: { value }, problem: `“${value}” is not a number.` };
    }
    n = Number(t);
  } else
    return { code: 'not_a_number', params: { value: String(value) }, problem: 'The value is not a number.' };
  if (!Number.isFinite(n) || Math.abs(n) > MAX_SCORE) {
    return {
      code: 'value_out_of_range',
      params: { max: MAX_SCORE },
      problem: 'The value is not a number between −1,000,000,000 and 1,000,000,000.',
    };
  }
  return { text: numberText(n) };
}

async function periodOf(db: Executor, periodId: string, field = 'periodId'): Promise<PeriodInfo> {
  const period = await registryStore.periodById(db, periodId);
  if (!period) throw new Invalid('unknown_period', 'The chosen period does not exist.', { field });
  return { id: period.id, name: period.name, startDate: period.startDate, endDate: period.endDate };
}

async function periodNames(db: Executor): Promise<Map<string, string>> {
  return new Map((await registryStore.listPeriods(db)).map((p) => [p.id, p.name]));
}

/** The subtree (as the registry stands today) an actor confined to one may act in, else null. */
async function scopeOf(db: Executor, actor: Actor, today: string): Promise<Set<string> | null> {
  return visibleUnits(db, actor, today);
}

// --- schemes -------------------------------------------------------------------------------------

const presentSummary = (row: DB['schemes']): SchemeSummary => ({
  id: row.id,
  code: row.code,
  name: row.name,
  description: row.description,
  latestVersion: row.latestVersion,
  updatedAt: row.updatedAt,
});

const presentVersion = (row: DB['schemeVersions']): SchemeVersionView => ({
  version: row.version,
  note: row.note,
  createdAt: row.createdAt,
  createdBy: row.createdByName,
});

/** A stored definition, typed (it was validated when it was stored). */
export function parseDefinition(text: string): SchemeDefinition {
  return JSON.parse(text) as SchemeDefinition;
}

async function schemeDetail(db: Executor, id: string): Promise<SchemeDetail> {
  const scheme = await store.schemeById(db, id);
  if (!scheme) throw new NotFound('scheme', id);
  const versions = await store.schemeVersions(db, id);
  const latest = versions.find((v) => v.version === scheme.latestVersion);
  if (!latest) throw new NotFound('scheme version', `${id}/${scheme.latestVersion}`);
  return {
    ...presentSummary(scheme),
    versions: versions.map(presentVersion),
    definition: parseDefinition(latest.definition),
  };
}

export async function listSchemes(deps: Deps, actor: Actor): Promise<SchemeSummary[]> {
  require(actor, 'scoring:read');
  return (await store.listSchemes(deps.database.db)).map(presentSummary);
}

export async function getScheme(deps: Deps, actor: Actor, id: string): Promise<SchemeDetail> {
  require(actor, 'scoring:read');
  return schemeDetail(deps.database.db, id);
}

export async function getSchemeVersion(
  deps: Deps,
  actor: Actor,
  id: string,
  version: number,
): Promise<SchemeVersionDetail> {
  require(actor, 'scoring:read');
  const row = await store.schemeVersion(deps.database.db, id, version);
  if (!row) throw new NotFound('scheme version', `${id}/${version}`);
  return { ...presentVersion(row), definition: parseDefinition(row.definition) };
}

/** The editor's live check: every problem, none of them an error. */
export function checkScheme(actor: Actor, definition: unknown): { problems: SchemeProblem[] } {
  require(actor, 'scoring:manage');
  return { problems: schemeProblems(definition) };
}

export function listTemplates(actor: Actor): SchemeTemplateView[] {
  require(actor, 'scoring:read');
  return SCHEME_TEMPLATES.map((t) => ({
    key: t.key,
    name: t.name,
    description: t.description,
    definition: t.definition,
  }));
}

export interface SchemeInput {
  code: string;
  name: string;
  description?: string | undefined;
  definition: unknown;
  note?: string | undefined;
}

export async function createScheme(deps: Deps, actor: Actor, input: SchemeInput): Promise<SchemeDetail> {
  require(actor, 'scoring:manage');
  if (!isValidCode(input.code)) {
    throw new Invalid(
      'invalid_code',
      'A code has 1–40 letters, digits, ".", "_" or "-", and starts with a letter or digit.',
      { field: 'code' },
    );
  }
  const name = text(input.name, 'name', 100);
  const description = text(input.description, 'description', 2000, false);
  const note = text(input.note, 'note', 500, false);
  const definition = validateScheme(input.definition);
  return inTransaction(deps, actor, async (trx, audit) => {
    const existing = await store.schemeByCode(trx, input.code);
    if (existing) {
      throw new Conflict('duplicate', `A scheme with the code ${input.code} already exists.`, {
        field: 'code',
      });
    }
    const now = isoNow(deps.clock);
    const scheme = {
      id: newId(),
      code: input.code,
      name,
      description,
      latestVersion: 1,
      createdAt: now,
      updatedAt: now,
    };
    await store.insertScheme(trx, scheme);
    const version = {
      id: newId(),
      schemeId: scheme.id,
      version: 1,
      definition: canonicalJson(definition),
      note,
      createdBy: actorIdOf(actor),
      createdByName: actorName(actor),
      createdAt: now,
    };
    await store.insertSchemeVersion(trx, version);
    await audit({
      action: 'scheme.created',
      entityType: 'scheme',
      entityId: scheme.id,
      before: null,
      after: { ...scheme, definition },
      detail: { code: scheme.code, name, version: 1, note },
    });
    return schemeDetail(trx, scheme.id);
  });
}

export async function addSchemeVersion(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { definition: unknown; note?: string | undefined },
): Promise<SchemeDetail> {
  require(actor, 'scoring:manage');
  const note = text(input.note, 'note', 500, false);
  const definition = validateScheme(input.definition);
  return inTransaction(deps, actor, async (trx, audit) => {
    const scheme = await store.schemeById(trx, id);
    if (!scheme) throw new NotFound('scheme', id);
    const now = isoNow(deps.clock);
    const next = scheme.latestVersion + 1;
    if (!(await store.bumpSchemeVersion(trx, id, scheme.latestVersion, next, now))) {
      throw new Conflict('scheme_changed', 'Someone saved another version at the same moment; reload it.');
    }
    await store.insertSchemeVersion(trx, {
      id: newId(),
      schemeId: id,
      version: next,
      definition: canonicalJson(definition),
      note,
      createdBy: actorIdOf(actor),
      createdByName: actorName(actor),
      createdAt: now,
    });
    await audit({
      action: 'scheme.version_added',
      entityType: 'scheme',
      entityId: id,
      before: { latestVersion: scheme.latestVersion },
      after: { latestVersion: next, definition },
      detail: { version: next, note },
    });
    return schemeDetail(trx, id);
  });
}

// --- imported scores -----------------------------------------------------------------------------

export async function listSeries(deps: Deps, actor: Actor): Promise<SeriesSummary[]> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  const names = await periodNames(db);
  return (await store.seriesSummaries(db)).map((r) => ({ ...r, periodName: names.get(r.periodId) ?? '' }));
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

// --- score sheets (联考) --------------------------------------------------------------------------

async function presentTasks(db: Executor, rows: readonly DB['scoringTasks'][]): Promise<TaskView[]> {
  const units = await store.unitNames(
    db,
    rows.map((r) => r.leadUnitId),
  );
  return rows.map((r) => ({
    id: r.id,
    key: r.key,
    name: r.name,
    leadUnitId: r.leadUnitId,
    leadUnitName: units.get(r.leadUnitId)?.name ?? '',
  }));
}

export async function listTasks(deps: Deps, actor: Actor): Promise<TaskView[]> {
  requireAny(actor, ['scoring:read', 'scoring:sheet']);
  const db = deps.database.db;
  let rows = await store.listTasks(db);
  if (!hasPermission(actor, 'scoring:read')) {
    // Unit staff see the tasks their part of the registry leads: the ones they may score for.
    const scope = await scopeOf(db, actor, chinaDate(deps.clock.now()));
    if (scope) rows = rows.filter((r) => scope.has(r.leadUnitId));
  }
  return presentTasks(db, rows);
}

export async function createTask(
  deps: Deps,
  actor: Actor,
  input: { key: string; name: string; leadUnitId: string },
): Promise<TaskView> {
  require(actor, 'scoring:manage');
  checkKey(input.key, 'key');
  const name = text(input.name, 'name', 100);
  return inTransaction(deps, actor, async (trx, audit) => {
    if ((await store.unitNames(trx, [input.leadUnitId])).size === 0) {
      throw new Invalid('unknown_unit', 'The lead unit does not exist.', { field: 'leadUnitId' });
    }
    if (await store.taskByKey(trx, input.key)) {
      throw new Conflict('duplicate', `A task with the key ${input.key} already exists.`, { field: 'key' });
    }
    const row = {
      id: newId(),
      key: input.key,
      name,
      leadUnitId: input.leadUnitId,
      createdAt: isoNow(deps.clock),
    };
    await store.insertTask(trx, row);
    await audit({
      action: 'scoring_task.created',
      entityType: 'scoring_task',
      entityId: row.id,
      before: null,
      after: row,
    });
    const [view] = await presentTasks(trx, [row]);
    return view as TaskView;
  });
}

async function taskForSheet(
  db: Executor,
  deps: Deps,
  actor: Actor,
  key: string,
): Promise<DB['scoringTasks']> {
  const task = await store.taskByKey(db, key);
  if (!task) throw new Invalid('unknown_task', `There is no scoring task ${key}.`, { field: 'task' });
  const scope = await scopeOf(db, actor, chinaDate(deps.clock.now()));
  assertInVisible(
    scope,
    task.leadUnitId,
    'Your unit does not lead this task: only the lead unit enters its score sheet.',
  );
  return task;
}

export async function listSheetScores(
  deps: Deps,
  actor: Actor,
  query: { task: string; periodId?: string | undefined },
): Promise<SheetScoreView[]> {
  requireAny(actor, ['scoring:read', 'scoring:sheet']);
  const db = deps.database.db;
  const task = await taskForSheet(db, deps, actor, query.task);
  const rows = await store.sheetHistory(db, task.id, query.periodId ?? null);
  const units = await store.unitNames(db, [...rows.map((r) => r.unitId), ...rows.map((r) => r.scorerUnitId)]);
  return rows.map((r) => ({
    id: r.id,
    task: task.key,
    periodId: r.periodId,
    scorerUnitId: r.scorerUnitId,
    scorerUnitName: units.get(r.scorerUnitId)?.name ?? '',
    unitId: r.unitId,
    unitName: units.get(r.unitId)?.name ?? '',
    value: Number(r.value),
    document: r.document,
    enteredBy: r.enteredByName,
    enteredAt: r.enteredAt,
    supersededAt: r.supersededAt,
  }));
}

/** POST /api/score-sheets: the lead unit scores the units carrying its task; never itself. */
export async function enterSheetScores(
  deps: Deps,
  actor: Actor,
  input: {
    task: string;
    periodId: string;
    document: string;
    entries: readonly { unitId: string; value: number }[];
  },
): Promise<{ stored: number }> {
  require(actor, 'scoring:sheet');
  const document = text(input.document, 'document', 200);
  if (input.entries.length === 0 || input.entries.length > 2000) {
    throw new Invalid('invalid_input', 'Send between 1 and 2,000 entries.', { field: 'entries' });
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const task = await taskForSheet(trx, deps, actor, input.task);
    await periodOf(trx, input.periodId);
    const lead = input.entries.findIndex((e) => e.unitId === task.leadUnitId);
    if (lead >= 0) {
      const leadName = (await store.unitNames(trx, [task.leadUnitId])).get(task.leadUnitId)?.name ?? '';
      throw new Invalid(
        'self_scoring',
        `A lead unit cannot score itself: ${leadName} leads the task “${task.name}”, so its own score must come from elsewhere. Remove entry ${lead + 1}.`,
        { field: `entries.${lead}.unitId`, unitId: task.leadUnitId },
      );
    }
    const seen = new Set<string>();
    const units = await store.unitNames(
      trx,
      input.entries.map((e) => e.unitId),
    );
    const values: string[] = [];
    for (const [i, entry] of input.entries.entries()) {
      if (!units.has(entry.unitId)) {
        throw new Invalid('unknown_unit', `Entry ${i + 1} names a unit that does not exist.`, {
          field: `entries.${i}.unitId`,
        });
      }
      if (seen.has(entry.unitId)) {
        throw new Invalid('duplicate_unit', `Entry ${i + 1} scores a unit a second time.`, {
          field: `entries.${i}.unitId`,
        });
      }
      seen.add(entry.unitId);
      const parsed = scoreText(entry.value);
      if ('problem' in parsed) {
        throw new Invalid('invalid_value', `Entry ${i + 1}: ${parsed.problem}`, {
          field: `entries.${i}.value`,
        });
      }
      values.push(parsed.text);
    }
    const now = isoNow(deps.clock);
    const current = await store.currentSheetScores(trx, task.id, input.periodId, [...seen]);
    const byUnit = new Map(current.map((r) => [r.unitId, r]));
    const rows = input.entries.flatMap((e, i) => {
      const value = values[i] as string;
      if (byUnit.get(e.unitId)?.value === value) return [];
      return [
        {
          id: newId(),
          taskId: task.id,
          periodId: input.periodId,
          scorerUnitId: task.leadUnitId,
          unitId: e.unitId,
          value,
          document,
          enteredBy: actorIdOf(actor),
          enteredByName: actorName(actor),
          enteredAt: now,
          supersededAt: null,
        },
      ];
    });
    await store.supersedeSheetScores(
      trx,
      rows.flatMap((r) => {
        const old = byUnit.get(r.unitId);
        return old ? [old.id] : [];
      }),
      now,
    );
    await store.insertSheetScores(trx, rows);
    await audit({
      action: 'score_sheet.entered',
      entityType: 'scoring_task',
      entityId: task.id,
      before: null,
      after: { stored: rows.length },
      detail: {
        task: task.key,
        periodId: input.periodId,
        document,
        entries: rows.map((r) => ({ unitId: r.unitId, value: r.value })),
      },
    });
    return { stored: rows.length };
  });
}

// --- vetoes (一票否决) ----------------------------------------------------------------------------

async function presentVetoes(db: Executor, rows: readonly VetoesTable[]): Promise<VetoView[]> {
  const units = await store.unitNames(
    db,
    rows.map((r) => r.unitId),
  );
  return rows.map((r) => ({
    id: r.id,
    unitId: r.unitId,
    unitName: units.get(r.unitId)?.name ?? '',
    periodId: r.periodId,
    schemeId: r.schemeId,
    reason: r.reason,
    evidence: r.evidence,
    recordedBy: r.recordedByName,
    recordedAt: r.recordedAt,
    revokedAt: r.revokedAt,
    revokeReason: r.revokeReason,
  }));
}

export async function listVetoes(deps: Deps, actor: Actor, periodId?: string): Promise<VetoView[]> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  return presentVetoes(db, await store.listVetoes(db, periodId ?? null));
}

export async function recordVeto(
  deps: Deps,
  actor: Actor,
  input: {
    unitId: string;
    periodId: string;
    schemeId?: string | null | undefined;
    reason: string;
    evidence: string;
  },
): Promise<VetoView> {
  require(actor, 'scoring:manage');
  const reason = text(input.reason, 'reason', 1000);
  const evidence = text(input.evidence, 'evidence', 2000);
  return inTransaction(deps, actor, async (trx, audit) => {
    if ((await store.unitNames(trx, [input.unitId])).size === 0) {
      throw new Invalid('unknown_unit', 'The unit does not exist.', { field: 'unitId' });
    }
    await periodOf(trx, input.periodId);
    const schemeId = input.schemeId ?? null;
    if (schemeId !== null && !(await store.schemeById(trx, schemeId))) {
      throw new Invalid('unknown_scheme', 'The scheme does not exist.', { field: 'schemeId' });
    }
    const row: VetoesTable = {
      id: newId(),
      unitId: input.unitId,
      periodId: input.periodId,
      schemeId,
      reason,
      evidence,
      recordedBy: actorIdOf(actor),
      recordedByName: actorName(actor),
      recordedAt: isoNow(deps.clock),
      revokedAt: null,
      revokeReason: null,
    };
    await store.insertVeto(trx, row);
    await audit({ action: 'veto.recorded', entityType: 'veto', entityId: row.id, before: null, after: row });
    const [view] = await presentVetoes(trx, [row]);
    return view as VetoView;
  });
}

export async function revokeVeto(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { reason: string },
): Promise<VetoView> {
  require(actor, 'scoring:manage');
  const reason = text(input.reason, 'reason', 1000);
  return inTransaction(deps, actor, async (trx, audit) => {
    const before = await store.vetoById(trx, id);
    if (!before) throw new NotFound('veto', id);
    const now = isoNow(deps.clock);
    if (!(await store.revokeVeto(trx, id, now, reason))) {
      throw new Conflict('already_revoked', 'This veto was revoked already.', {
        revokedAt: before.revokedAt,
      });
    }
    const after = { ...before, revokedAt: now, revokeReason: reason };
    await audit({ action: 'veto.revoked', entityType: 'veto', entityId: id, before, after });
    const [view] = await presentVetoes(trx, [after]);
    return view as VetoView;
  });
}

// --- runs ----------------------------------------------------------------------------------------

/**
 * The members of a ranking group: units in force on the period's last day that match any of the
 * group's categories, kinds or codes (and lie under `withinCode` when it is given), sorted by code, each
 * with the name of its parent on that day (when it has one).
 */
export async function groupMembers(
  db: Executor,
  scheme: SchemeDefinition,
  groupKey: string,
  period: PeriodInfo,
): Promise<GroupUnit[]> {
  const group = scheme.groups.find((g) => g.key === groupKey);
  if (!group) {
    throw new Invalid('unknown_group', `The scheme has no ranking group “${groupKey}”.`, {
      field: 'groupKey',
    });
  }
  const units = await unitsWithCategoryOn(db, period.endDate);
  const byId = new Map(units.map((u) => [u.unitId, u]));
  let within: Set<string> | null = null;
  if (group.withinCode) {
    const root = units.find((u) => u.code === group.withinCode);
    within = root ? subtreeOf(new Map(units.map((u) => [u.unitId, u.parentId])), root.unitId) : new Set();
  }
  const categories = new Set(group.categoryCodes ?? []);
  const kinds = new Set(group.kinds ?? []);
  const codes = new Set(group.unitCodes ?? []);
  return asGroupUnits(
    units.filter(
      (u) =>
        (within === null || within.has(u.unitId)) &&
        ((u.categoryCode !== null && categories.has(u.categoryCode)) ||
          kinds.has(u.kind) ||
          codes.has(u.code)),
    ),
    byId,
  );
}

/** Units as a group lists them: by code, each with its parent's name on the same day. */
function asGroupUnits(
  units: readonly UnitWithCategory[],
  byId: ReadonlyMap<string, UnitWithCategory>,
): GroupUnit[] {
  return units
    .map((u): GroupUnit => {
      // The parent as it stood on the same day: a section is told apart by its department.
      const parent = u.parentId === null ? undefined : byId.get(u.parentId);
      return parent === undefined
        ? { id: u.unitId, code: u.code, name: u.name }
        : { id: u.unitId, code: u.code, name: u.name, parentName: parent.name };
    })
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

/**
 * The given units (a run's recorded members) as they stood on the period's last day; a unit no longer
 * in force that day is left out, so that verify names the difference.
 */
async function recordedMembers(
  db: Executor,
  ids: readonly string[],
  period: PeriodInfo,
): Promise<GroupUnit[]> {
  const units = await unitsWithCategoryOn(db, period.endDate);
  const byId = new Map(units.map((u) => [u.unitId, u]));
  return asGroupUnits(
    ids.flatMap((id) => byId.get(id) ?? []),
    byId,
  );
}

/** The previous published run's ranks, and the units that declined in it, for rank changes. */
async function previousRun(
  db: Executor,
  schemeId: string,
  groupKey: string,
  period: PeriodInfo,
  asOf: string,
): Promise<PreviousRun | null> {
  const row = await store.previousPublishedRun(db, schemeId, groupKey, period.startDate, asOf);
  if (!row) return null;
  const outcome = JSON.parse(row.outcome) as RankingOutcome;
  const ranks: Record<string, number> = {};
  const declined: string[] = [];
  for (const u of outcome.units) {
    ranks[u.unitId] = u.rank;
    if (u.rankChange !== null && u.rankChange < 0) declined.push(u.unitId);
  }
  return { runId: row.id, periodName: row.periodName, ranks, declined };
}

/**
 * Everything the engine needs for a run, collected from the records as they stood at `asOf`. Used by
 * the run itself and, with `recount`, by `minping verify result`.
 */
export async function collectInput(
  db: Executor,
  args: {
    schemeId: string;
    definition: SchemeDefinition;
    groupKey: string;
    period: PeriodInfo;
    asOf: string;
    recount: boolean;
    /** Verify passes the goodFrom the run recorded; a run reads the ratings setting as it is now. */
    goodFrom?: number | undefined;
    /**
     * Verify passes the ids of the members the run recorded: a run's units are those of its group when
     * it was computed, and registry work since (a section added inside the period) does not change them.
     * Their codes, names and parents are read again.
     */
    memberIds?: readonly string[] | undefined;
  },
): Promise<RankingInput> {
  const units = args.memberIds
    ? await recordedMembers(db, args.memberIds, args.period)
    : await groupMembers(db, args.definition, args.groupKey, args.period);
  if (units.length === 0) {
    throw new Invalid(
      'empty_group',
      `No unit in force on ${args.period.endDate} belongs to the ranking group “${args.groupKey}”. Check the group's categories, kinds and codes.`,
      { field: 'groupKey' },
    );
  }
  const readsRatings = leafComponents(args.definition).some((l) => l.source?.kind === 'rating_statistic');
  const goodFrom = args.goodFrom ?? (await loadRatingsConfig(db)).goodFrom;
  const values = await collectValues(db, args.definition, {
    period: args.period,
    units,
    asOf: args.asOf,
    recount: args.recount,
    goodFrom,
  });
  const vetoRows = await store.vetoesAsOf(
    db,
    args.period.id,
    args.schemeId,
    units.map((u) => u.id),
    args.asOf,
  );
  const vetoes: VetoInput[] = vetoRows
    .map((v) => ({ id: v.id, unitId: v.unitId, reason: v.reason, evidence: v.evidence }))
    .sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : a.id < b.id ? -1 : 1));
  const previous = await previousRun(db, args.schemeId, args.groupKey, args.period, args.asOf);
  return {
    scheme: args.definition,
    groupKey: args.groupKey,
    units,
    values,
    vetoes,
    previous,
    // The setting the rating statistics were counted with, recorded for verify.
    ...(readsRatings ? { ratings: { goodFrom } } : {}),
  };
}

const componentSummaries = (definition: SchemeDefinition): ComponentSummary[] =>
  componentList(definition).map(({ id, name, maxPoints, depth }) => ({ id, name, maxPoints, depth }));

const presentReview = (r: RunReviewsTable): ReviewRecord => ({
  stageIndex: r.stageIndex,
  stageName: r.stageName,
  body: r.body,
  decidedOn: r.decidedOn,
  decision: r.decision as 'approve' | 'amend',
  reason: r.reason,
  best: JSON.parse(r.best) as string[],
  worst: JSON.parse(r.worst) as string[],
  recordedBy: r.recordedByName,
  recordedAt: r.recordedAt,
});

interface RunContext {
  run: ScoringRunsTable;
  scheme: DB['schemes'];
  definition: SchemeDefinition;
  period: PeriodInfo;
  outcome: RankingOutcome;
  reviews: RunReviewsTable[];
}

async function loadRun(db: Executor, id: string): Promise<RunContext> {
  const run = await store.runById(db, id);
  if (!run) throw new NotFound('run', id);
  const scheme = await store.schemeById(db, run.schemeId);
  const version = await store.schemeVersion(db, run.schemeId, run.schemeVersion);
  if (!scheme || !version) throw new NotFound('scheme version', `${run.schemeId}/${run.schemeVersion}`);
  const period = await periodOf(db, run.periodId);
  return {
    run,
    scheme,
    definition: parseDefinition(version.definition),
    period,
    outcome: JSON.parse(run.outcome) as RankingOutcome,
    reviews: await store.reviewsOf(db, id),
  };
}

const currentLists = (outcome: RankingOutcome, reviews: readonly RunReviewsTable[]): ReviewLists => {
  const last = reviews[reviews.length - 1];
  return last
    ? { best: JSON.parse(last.best) as string[], worst: JSON.parse(last.worst) as string[] }
    : { best: [...outcome.best], worst: [...outcome.worst] };
};

function nextStageOf(ctx: {
  run: ScoringRunsTable;
  definition: SchemeDefinition;
  reviews: readonly unknown[];
}) {
  if (ctx.run.status !== 'computed' && ctx.run.status !== 'in_review') return null;
  return ctx.reviews.length < ctx.definition.review.stages.length ? ctx.reviews.length : null;
}

function summaryOf(ctx: Pick<RunContext, 'run' | 'scheme' | 'definition' | 'period'>): RunSummary {
  const { run } = ctx;
  return {
    id: run.id,
    schemeId: run.schemeId,
    schemeName: ctx.scheme.name,
    version: run.schemeVersion,
    periodId: run.periodId,
    periodName: ctx.period.name,
    groupKey: run.groupKey,
    groupName: ctx.definition.groups.find((g) => g.key === run.groupKey)?.name ?? run.groupKey,
    status: run.status as RunStatus,
    unitCount: run.unitCount,
    computedAt: run.computedAt,
    computedBy: run.computedByName,
    publishedAt: run.publishedAt,
  };
}

export function unitRow(u: UnitResult): UnitRow {
  return {
    unitId: u.unitId,
    code: u.code,
    name: u.name,
    parentName: u.parentName ?? null,
    total: u.total,
    interval: u.interval,
    rank: u.rank,
    grade: u.grade,
    bonusScore: u.bonusScore,
    previousRank: u.previousRank,
    rankChange: u.rankChange,
    flags: [...u.flags],
    components: componentPoints(u),
  };
}

async function runDetail(db: Executor, ctx: RunContext): Promise<RunDetail> {
  const problems: Record<string, string> = {};
  for (const p of await store.problemsOf(db, ctx.run.id)) problems[p.unitId] = p.text;
  return {
    ...summaryOf(ctx),
    precision: ctx.outcome.precision,
    inputsDigest: ctx.run.inputsDigest,
    resultsDigest: ctx.run.resultsDigest,
    supersededBy: ctx.run.supersededBy,
    units: ctx.outcome.units.map(unitRow),
    proposed: { best: [...ctx.outcome.best], worst: [...ctx.outcome.worst] },
    current: currentLists(ctx.outcome, ctx.reviews),
    largestDecline: [...ctx.outcome.largestDecline],
    declinedTwoRunning: [...ctx.outcome.declinedTwoRunning],
    stages: ctx.definition.review.stages,
    reviews: ctx.reviews.map(presentReview),
    nextStage: nextStageOf(ctx),
    problems,
    components: componentSummaries(ctx.definition),
  };
}

export interface RunRequest {
  schemeId: string;
  version?: number | undefined;
  periodId: string;
  groupKey: string;
}

/** A run's scheme version, period and inputs as they are now, with the warnings computing it would raise. */
async function prepareRun(db: Executor, deps: Deps, input: RunRequest, now: string) {
  const scheme = await store.schemeById(db, input.schemeId);
  if (!scheme) throw new Invalid('unknown_scheme', 'The scheme does not exist.', { field: 'schemeId' });
  const versionNo = input.version ?? scheme.latestVersion;
  const version = await store.schemeVersion(db, scheme.id, versionNo);
  if (!version) {
    throw new Invalid('unknown_version', `The scheme has no version ${versionNo}.`, { field: 'version' });
  }
  const definition = parseDefinition(version.definition);
  const period = await periodOf(db, input.periodId);
  const rankingInput = await collectInput(db, {
    schemeId: scheme.id,
    definition,
    groupKey: input.groupKey,
    period,
    asOf: now,
    recount: false,
  });
  const warnings = [...periodWarnings(period, chinaDate(deps.clock.now())), ...sourceWarnings(rankingInput)];
  return { scheme, versionNo, definition, period, rankingInput, warnings };
}

/** POST /api/runs/check: the warnings computing this run now would raise, without computing it. */
export async function runRequestWarnings(
  deps: Deps,
  actor: Actor,
  input: RunRequest,
): Promise<{ warnings: RunWarning[] }> {
  require(actor, 'scoring:manage');
  return { warnings: (await prepareRun(deps.database.db, deps, input, isoNow(deps.clock))).warnings };
}

/** POST /api/runs: collects, computes and stores a run in one transaction. */
export async function computeRun(
  deps: Deps,
  actor: Actor,
  input: RunRequest & { acceptWarnings?: readonly string[] | undefined },
): Promise<RunDetail> {
  require(actor, 'scoring:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const now = isoNow(deps.clock);
    const prepared = await prepareRun(trx, deps, input, now);
    const { scheme, versionNo, definition, period, rankingInput } = prepared;
    refuseUnaccepted(prepared.warnings, input.acceptWarnings ?? []);
    const outcome = computeRanking(rankingInput);
    // The digests hash the very text stored (digestOf would serialise each again: half a run's time).
    const inputsJson = canonicalJson(rankingInput);
    const outcomeJson = canonicalJson(outcome);
    const noStages = definition.review.stages.length === 0;
    const run: ScoringRunsTable = {
      id: newId(),
      schemeId: scheme.id,
      schemeVersion: versionNo,
      periodId: period.id,
      groupKey: input.groupKey,
      // A scheme without review stages has nothing to review: its result stands as computed.
      status: noStages ? 'approved' : 'computed',
      inputs: inputsJson,
      inputsDigest: sha256Hex(inputsJson),
      outcome: outcomeJson,
      resultsDigest: sha256Hex(outcomeJson),
      unitCount: outcome.units.length,
      computedBy: actorIdOf(actor),
      computedByName: actorName(actor),
      computedAt: now,
      approvedAt: noStages ? now : null,
      publishedAt: null,
      supersededBy: null,
    };
    await store.insertRun(trx, run);
    const superseded = await store.supersedeRuns(trx, run);
    await audit({
      action: 'run.computed',
      entityType: 'scoring_run',
      entityId: run.id,
      before: null,
      after: { ...run, inputs: run.inputsDigest, outcome: run.resultsDigest },
      detail: {
        schemeId: scheme.id,
        version: versionNo,
        periodId: period.id,
        groupKey: input.groupKey,
        units: run.unitCount,
        inputsDigest: run.inputsDigest,
        resultsDigest: run.resultsDigest,
        superseded,
        // What the clerk confirmed knowing when computing: part of the record.
        acceptedWarnings: prepared.warnings.map((w) => w.message),
      },
    });
    return runDetail(trx, { run, scheme, definition, period, outcome, reviews: [] });
  });
}

export async function listRuns(
  deps: Deps,
  actor: Actor,
  query: { schemeId?: string | undefined; periodId?: string | undefined },
): Promise<RunSummary[]> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  const rows = await store.listRuns(db, query);
  const schemes = new Map((await store.listSchemes(db)).map((s) => [s.id, s]));
  const names = await periodNames(db);
  const definitions = new Map<string, SchemeDefinition>();
  const out: RunSummary[] = [];
  for (const run of rows) {
    const key = `${run.schemeId}/${run.schemeVersion}`;
    let definition = definitions.get(key);
    if (!definition) {
      const version = await store.schemeVersion(db, run.schemeId, run.schemeVersion);
      definition = parseDefinition(version?.definition ?? '{"groups":[]}');
      definitions.set(key, definition);
    }
    out.push({
      id: run.id,
      schemeId: run.schemeId,
      schemeName: schemes.get(run.schemeId)?.name ?? '',
      version: run.schemeVersion,
      periodId: run.periodId,
      periodName: names.get(run.periodId) ?? '',
      groupKey: run.groupKey,
      groupName: definition.groups.find((g) => g.key === run.groupKey)?.name ?? run.groupKey,
      status: run.status as RunStatus,
      unitCount: run.unitCount,
      computedAt: run.computedAt,
      computedBy: run.computedByName,
      publishedAt: run.publishedAt,
    });
  }
  return out;
}

export async function getRun(deps: Deps, actor: Actor, id: string): Promise<RunDetail> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  return runDetail(db, await loadRun(db, id));
}

export async function getRunUnit(
  deps: Deps,
  actor: Actor,
  id: string,
  unitId: string,
): Promise<UnitResultView> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  const ctx = await loadRun(db, id);
  const unit = ctx.outcome.units.find((u) => u.unitId === unitId);
  if (!unit) throw new NotFound('unit in this run', unitId);
  return {
    ...unit,
    parentName: unit.parentName ?? null,
    problems: (await store.problemOf(db, id, unitId))?.text ?? null,
  };
}

function refuseLocked(run: ScoringRunsTable): void {
  if (run.status === 'approved' || run.status === 'published') {
    throw new Conflict(
      'run_locked',
      'This result has had its final approval and can no longer change. Compute a new run to change it.',
      { status: run.status },
    );
  }
  if (run.status === 'superseded') {
    throw new Conflict('run_superseded', 'A newer run of this scheme, period and group replaced this one.', {
      supersededBy: run.supersededBy,
    });
  }
}

export interface ReviewInput {
  stageIndex: number;
  body: string;
  decidedOn: string;
  decision: 'approve' | 'amend';
  best?: string[] | undefined;
  worst?: string[] | undefined;
  reason?: string | undefined;
  /** Warning codes the clerk confirmed (a list whose size differs from the stage's). */
  acceptWarnings?: readonly string[] | undefined;
}

/**
 * A body decides on lists it has been given: not before the run was computed, not before the previous
 * stage decided, and not in the future.
 */
function refuseImpossibleDecisionDate(
  decidedOn: string,
  computedAt: string,
  reviews: readonly { decidedOn: string }[],
  deps: Deps,
): void {
  const earliest = [chinaDate(new Date(computedAt)), ...reviews.map((r) => r.decidedOn)].sort().at(-1) ?? '';
  const today = chinaDate(deps.clock.now());
  if (decidedOn < earliest || decidedOn > today) {
    throw new Invalid(
      'bad_decision_date',
      decidedOn > today
        ? `The decision date ${decidedOn} is in the future; record a stage after its meeting.`
        : `The decision date ${decidedOn} is before the lists reached this stage (${earliest}).`,
      { field: 'decidedOn', earliest, latest: today },
    );
  }
}

/** POST /api/runs/:id/reviews: one stage's decision; the last stage approves and locks the run. */
export async function recordReview(
  deps: Deps,
  actor: Actor,
  id: string,
  input: ReviewInput,
): Promise<RunDetail> {
  require(actor, 'scoring:manage');
  const body = text(input.body, 'body', 100);
  if (!isValidDate(input.decidedOn)) {
    throw new Invalid('invalid_date', 'decidedOn must be a date written as YYYY-MM-DD.', {
      field: 'decidedOn',
    });
  }
  const reason = text(input.reason, 'reason', 2000, false);
  if (input.decision === 'amend' && reason === '') {
    throw new Invalid('reason_required', 'An amendment of the lists needs a written reason.', {
      field: 'reason',
    });
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const ctx = await loadRun(trx, id);
    refuseLocked(ctx.run);
    const stages = ctx.definition.review.stages;
    const expected = ctx.reviews.length;
    if (input.stageIndex !== expected) {
      throw new Invalid(
        'wrong_stage',
        expected < stages.length
          ? `The next stage to record is ${expected + 1} (${stages[expected]?.name ?? ''}), not ${input.stageIndex + 1}.`
          : 'Every review stage of this run is recorded.',
        { field: 'stageIndex', expected },
      );
    }
    const stage = stages[expected] as ReviewStageDef;
    refuseImpossibleDecisionDate(input.decidedOn, ctx.run.computedAt, ctx.reviews, deps);
    const before = currentLists(ctx.outcome, ctx.reviews);
    const decision: ReviewDecision =
      input.decision === 'approve'
        ? { kind: 'approve' }
        : { kind: 'amend', best: input.best ?? before.best, worst: input.worst ?? before.worst, reason };
    const after = applyReviewStage(ctx.definition, expected, before, decision);
    refuseUnaccepted(listSizeWarnings(ctx.definition, expected, after), input.acceptWarnings ?? []);
    const now = isoNow(deps.clock);
    const review: RunReviewsTable = {
      id: newId(),
      runId: id,
      stageIndex: expected,
      stageName: stage.name,
      body,
      decidedOn: input.decidedOn,
      decision: input.decision,
      reason: input.decision === 'amend' ? reason : reason || null,
      best: JSON.stringify(after.best),
      worst: JSON.stringify(after.worst),
      recordedBy: actorIdOf(actor),
      recordedByName: actorName(actor),
      recordedAt: now,
    };
    await store.insertReview(trx, review);
    const last = expected === stages.length - 1;
    const status = last ? 'approved' : 'in_review';
    if (
      !(await store.setRunStatus(trx, id, ctx.run.status, { status, ...(last ? { approvedAt: now } : {}) }))
    ) {
      throw new Conflict('run_changed', 'The run changed while this was recorded; reload it.');
    }
    await audit({
      action: last ? 'run.approved' : 'run.reviewed',
      entityType: 'scoring_run',
      entityId: id,
      before: { status: ctx.run.status, lists: before },
      after: { status, lists: after },
      detail: {
        stageIndex: expected,
        stageName: stage.name,
        body,
        decidedOn: input.decidedOn,
        decision: input.decision,
        reason: review.reason,
        best: after.best,
        worst: after.worst,
      },
    });
    return runDetail(trx, await loadRun(trx, id));
  });
}

/** PUT /api/runs/:id/problems/:unitId: a unit's main problems (主要问题), until publication. */
export async function setProblems(
  deps: Deps,
  actor: Actor,
  id: string,
  unitId: string,
  input: { text: string },
): Promise<{ unitId: string; text: string }> {
  require(actor, 'scoring:manage');
  const value = text(input.text, 'text', 4000, false);
  return inTransaction(deps, actor, async (trx, audit) => {
    const run = await store.runById(trx, id);
    if (!run) throw new NotFound('run', id);
    if (run.status === 'published') {
      throw new Conflict('run_locked', 'This result is published; its main problems can no longer change.', {
        status: run.status,
      });
    }
    if (run.status === 'superseded') refuseLocked(run);
    const outcome = JSON.parse(run.outcome) as RankingOutcome;
    if (!outcome.units.some((u) => u.unitId === unitId)) throw new NotFound('unit in this run', unitId);
    const before = await store.problemOf(trx, id, unitId);
    await store.upsertProblem(trx, {
      runId: id,
      unitId,
      text: value,
      updatedBy: actorIdOf(actor),
      updatedAt: isoNow(deps.clock),
    });
    await audit({
      action: 'run.problems_edited',
      entityType: 'scoring_run',
      entityId: id,
      before: { unitId, text: before?.text ?? null },
      after: { unitId, text: value },
    });
    return { unitId, text: value };
  });
}

/**
 * What publishing a run would put before the public that may mislead: a period not ended, source leaves
 * without values, units on a list that shows main problems without any, final lists of another size than
 * the last stage keeps.
 */
async function publicationWarnings(db: Executor, deps: Deps, ctx: RunContext): Promise<RunWarning[]> {
  const inputs = JSON.parse(ctx.run.inputs) as RankingInput;
  const lists = currentLists(ctx.outcome, ctx.reviews);
  const names = new Map(ctx.outcome.units.map((u) => [u.unitId, u.name]));
  const problems = new Map((await store.problemsOf(db, ctx.run.id)).map((p) => [p.unitId, p.text]));
  const stages = ctx.definition.review.stages.length;
  return [
    ...periodWarnings(ctx.period, chinaDate(deps.clock.now())),
    ...sourceWarnings({ ...inputs, scheme: ctx.definition }),
    ...problemWarnings(
      kindOf(ctx.definition),
      lists.worst.map((id) => ({ id, name: names.get(id) ?? id })),
      problems,
    ),
    ...(stages > 0 ? listSizeWarnings(ctx.definition, stages - 1, lists) : []),
  ];
}

/** GET /api/runs/:id/warnings: what publishing this run now would warn about. */
export async function runWarnings(deps: Deps, actor: Actor, id: string): Promise<{ warnings: RunWarning[] }> {
  require(actor, 'scoring:read');
  const db = deps.database.db;
  return { warnings: await publicationWarnings(db, deps, await loadRun(db, id)) };
}

/** POST /api/runs/:id/publish: only an approved run; an earlier publication of the same run set steps aside. */
export async function publishRun(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { acceptWarnings?: readonly string[] | undefined } = {},
): Promise<RunDetail> {
  require(actor, 'scoring:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const run = await store.runById(trx, id);
    if (!run) throw new NotFound('run', id);
    if (run.status !== 'approved') {
      throw new Conflict(
        'not_approved',
        run.status === 'published'
          ? 'This result is published already.'
          : 'Only a result whose final review stage is recorded can be published.',
        { status: run.status },
      );
    }
    const warnings = await publicationWarnings(trx, deps, await loadRun(trx, id));
    refuseUnaccepted(warnings, input.acceptWarnings ?? []);
    const now = isoNow(deps.clock);
    if (!(await store.setRunStatus(trx, id, 'approved', { status: 'published', publishedAt: now }))) {
      throw new Conflict('run_changed', 'The run changed while it was published; reload it.');
    }
    await store.markOlderPublished(trx, run);
    await audit({
      action: 'run.published',
      entityType: 'scoring_run',
      entityId: id,
      before: { status: 'approved' },
      after: { status: 'published', publishedAt: now },
      ...(warnings.length > 0 ? { detail: { acceptedWarnings: warnings.map((w) => w.message) } } : {}),
    });
    return runDetail(trx, await loadRun(trx, id));
  });
}

// --- public --------------------------------------------------------------------------------------

function kindOf(definition: SchemeDefinition): PublicResultKind {
  return definition.lists.best > 0 ? 'best_worst' : definition.lists.worst > 0 ? 'worst_only' : 'ranking';
}

function listSizesOf(ctx: RunContext): { best: number; worst: number } {
  const lists = currentLists(ctx.outcome, ctx.reviews);
  return { best: lists.best.length, worst: lists.worst.length };
}

async function publishedRun(db: Executor, id: string): Promise<RunContext> {
  const run = await store.runById(db, id);
  if (!run || run.status !== 'published') throw new NotFound('published result', id);
  return loadRun(db, id);
}

export async function publicResults(deps: Deps): Promise<PublicResultSummary[]> {
  const db = deps.database.db;
  const rows = (await store.listRuns(db, { status: 'published' })).filter((r) => r.supersededBy === null);
  const out: PublicResultSummary[] = [];
  for (const row of rows) {
    const ctx = await loadRun(db, row.id);
    const summary = summaryOf(ctx);
    out.push({
      id: row.id,
      schemeName: summary.schemeName,
      periodName: summary.periodName,
      groupName: summary.groupName,
      publishedAt: row.publishedAt ?? '',
      kind: kindOf(ctx.definition),
      listSizes: listSizesOf(ctx),
    });
  }
  return out.sort((a, b) => (a.publishedAt < b.publishedAt ? 1 : a.publishedAt > b.publishedAt ? -1 : 0));
}

export async function publicResult(deps: Deps, id: string): Promise<PublicResult> {
  const db = deps.database.db;
  const ctx = await publishedRun(db, id);
  const problems = new Map((await store.problemsOf(db, id)).map((p) => [p.unitId, p.text]));
  const rows = new Map(
    ctx.outcome.units.map((u) => [
      u.unitId,
      {
        unitId: u.unitId,
        code: u.code,
        name: u.name,
        parentName: u.parentName ?? null,
        total: u.total,
        rank: u.rank,
        grade: u.grade,
        flags: [...u.flags],
        rankChange: u.rankChange,
        problems: problems.get(u.unitId) || null,
      },
    ]),
  );
  const lists = currentLists(ctx.outcome, ctx.reviews);
  const pick = (ids: readonly string[]) => ids.flatMap((unitId) => rows.get(unitId) ?? []);
  const summary = summaryOf(ctx);
  return {
    id,
    schemeName: summary.schemeName,
    periodName: summary.periodName,
    groupName: summary.groupName,
    publishedAt: ctx.run.publishedAt ?? '',
    kind: kindOf(ctx.definition),
    listSizes: { best: lists.best.length, worst: lists.worst.length },
    issuer: ctx.definition.issuer?.trim() || null,
    components: componentSummaries(ctx.definition),
    precision: ctx.outcome.precision,
    best: pick(lists.best),
    worst: pick(lists.worst),
    units: [...rows.values()],
    stages: ctx.reviews.map((r) => {
      const { recordedBy: _recordedBy, ...rest } = presentReview(r);
      return rest;
    }),
    inputsDigest: ctx.run.inputsDigest,
    resultsDigest: ctx.run.resultsDigest,
    schemeVersion: ctx.run.schemeVersion,
  };
}

/** Provenance as the public may read it: the document and the date, never who typed it in. */
export function publicProvenance(provenance: string | null | undefined): string | null {
  if (provenance === null || provenance === undefined) return null;
  return provenance.replace(/entered by .*? from 《/gu, 'from 《');
}

function publicExplanation(node: ComponentResult): ComponentResult {
  return {
    ...node,
    ...(node.provenance !== undefined ? { provenance: publicProvenance(node.provenance) } : {}),
    ...(node.children ? { children: node.children.map(publicExplanation) } : {}),
  };
}

export async function publicUnit(deps: Deps, id: string, unitId: string): Promise<UnitResultView> {
  const db = deps.database.db;
  const ctx = await publishedRun(db, id);
  const unit = ctx.outcome.units.find((u) => u.unitId === unitId);
  if (!unit) throw new NotFound('unit in this result', unitId);
  return {
    ...unit,
    parentName: unit.parentName ?? null,
    explanation: publicExplanation(unit.explanation),
    problems: (await store.problemOf(db, id, unitId))?.text || null,
  };
}
