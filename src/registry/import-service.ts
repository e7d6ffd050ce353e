/*
 * Importing and exporting the registry as spreadsheets: the use cases. An upload is read and planned
 * against the registry and stored as a preview; applying it plans again inside one transaction and,
 * only if nothing is in error and nothing changed since the preview, makes every change through the
 * registry's own service functions (so each change has its audit entry) — all of them or none.
 */
import type { Transaction } from 'kysely';
import { actorId, actorLabel, hasPermission, type Actor } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { DB, ImportsTable } from '../core/db/schema.js';
import { canonicalJson, sha256Hex } from '../core/digest.js';
import { AppError, Conflict, Forbidden, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isoNow } from '../core/time.js';
import {
  exportTables,
  MODE_NAMES,
  planImport,
  readSheets,
  type ImportPlan,
  type ImportSummary,
  type ParsedFile,
  type PlanOp,
  type PlanRow,
  type RegistrySnapshot,
  type SheetInfo,
  type SkippedRow,
} from './import-plan.js';
import { SERVICE_MODES, UNIT_KIND_NAMES, UNIT_KINDS, type ServiceMode, type UnitKind } from './model.js';
import * as registry from './service.js';
import { readSpreadsheet, writeWorkbook, XLSX_MIME } from '../core/spreadsheet/files.js';
import * as store from './store.js';

/** More data rows than this in one file are refused: split the file (the preview must stay readable). */
export const MAX_IMPORT_ROWS = 20_000;

export type ImportStatus = 'previewed' | 'applied';

export interface ImportPreview {
  id: string;
  filename: string;
  createdAt: string;
  status: ImportStatus;
  summary: ImportSummary;
  sheets: SheetInfo[];
  rows: PlanRow[];
  skipped: SkippedRow[];
}

/** What `imports.payload` holds: the rows as read and normalised, and the plan the clerk last saw. */
interface ImportPayload {
  version: 1;
  /** The upload's date (China time): the effective date of unit rows whose 生效日期 is blank. */
  asOf: string;
  file: ParsedFile;
  /** Digest of the plan last shown (upload or GET); apply refuses when its own plan differs. */
  planDigest: string;
  /** The rows as applied, once applied: the record of what the import did. */
  applied: PlanRow[] | null;
}

function requireImport(actor: Actor): void {
  if (!hasPermission(actor, 'registry:import')) {
    throw new Forbidden('forbidden', 'Only the assessment office may import the registry.');
  }
}

// --- the registry as the planner sees it ------------------------------------------------------

interface LoadedRegistry {
  snapshot: RegistrySnapshot;
  unitIds: Map<string, string>;
  categoryIds: Map<string, string>;
  itemIds: Map<string, string>;
  staffIds: Map<string, string>;
}

async function loadRegistry(db: Executor): Promise<LoadedRegistry> {
  const versions = await store.latestVersions(db);
  const categories = await store.listCategories(db);
  const items = await store.listServiceItems(db);
  const staff = await store.listStaff(db);
  const codeOf = new Map(versions.map((v) => [v.unitId, v.code]));
  const categoryCodeOf = new Map(categories.map((c) => [c.id, c.code]));
  return {
    snapshot: {
      units: versions.map((v) => ({
        code: v.code,
        name: v.name,
        shortName: v.shortName,
        kind: v.kind as UnitKind,
        parentCode: v.parentId ? (codeOf.get(v.parentId) ?? null) : null,
        category: v.categoryId ? (categoryCodeOf.get(v.categoryId) ?? null) : null,
        tags: JSON.parse(v.tags) as string[],
        sortOrder: v.sortOrder,
        responsibleName: v.responsibleName,
        responsiblePhone: v.responsiblePhone,
        validFrom: v.validFrom,
        validTo: v.validTo,
      })),
      categories: categories.map((c) => ({ code: c.code, name: c.name })),
      serviceItems: items.map((s) => ({
        code: s.code,
        name: s.name,
        unitCode: codeOf.get(s.unitId) ?? '',
        mode: s.mode as ServiceMode,
        active: s.active === 1,
      })),
      staff: staff.map((s) => ({
        staffNo: s.staffNo,
        name: s.name,
        unitCode: codeOf.get(s.unitId) ?? '',
        position: s.position,
        phone: s.phone,
        active: s.active === 1,
      })),
    },
    unitIds: new Map(versions.map((v) => [v.code, v.unitId])),
    categoryIds: new Map(categories.map((c) => [c.code, c.id])),
    itemIds: new Map(items.map((s) => [s.code, s.id])),
    staffIds: new Map(staff.map((s) => [s.staffNo, s.id])),
  };
}

const planDigest = (plan: ImportPlan) => sha256Hex(canonicalJson({ rows: plan.rows, ops: plan.ops }));

// --- storage ----------------------------------------------------------------------------------

async function findImport(db: Executor, id: string): Promise<ImportsTable> {
  const row = await store.importById(db, id);
  if (!row) throw new NotFound('import', id);
  return row;
}

const readPayload = (row: ImportsTable) => JSON.parse(row.payload) as ImportPayload;

function summarise(rows: readonly PlanRow[], skipped: readonly SkippedRow[]): ImportSummary {
  const count = (action: PlanRow['action']) => rows.filter((r) => r.action === action).length;
  return {
    create: count('create'),
    update: count('update'),
    unchanged: count('unchanged'),
    errors: count('error'),
    skipped: skipped.length,
  };
}

function present(row: ImportsTable, payload: ImportPayload, rows: PlanRow[]): ImportPreview {
  return {
    id: row.id,
    filename: row.filename,
    createdAt: row.createdAt,
    status: row.status === 'applied' ? 'applied' : 'previewed',
    summary: summarise(rows, payload.file.skipped),
    sheets: payload.file.sheets,
    rows,
    skipped: payload.file.skipped,
  };
}

/** The name as the clerk's computer gave it, without any folder part, control characters or excess. */
function cleanFilename(name: string): string {
  const base = [...(name.split(/[\\/]/).pop() ?? '')]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f)
    .join('')
    .trim();
  return (base || 'upload').slice(0, 200);
}

// --- use cases --------------------------------------------------------------------------------

/**
 * Reads an uploaded .xlsx or .csv, plans it against the registry and stores it as a preview.
 * Nothing in the registry changes until the preview is applied.
 */
export async function uploadImport(
  deps: Deps,
  actor: Actor,
  upload: { filename: string; bytes: Buffer },
): Promise<ImportPreview> {
  requireImport(actor);
  const filename = cleanFilename(upload.filename);
  const file = readSheets(await readSpreadsheet(filename, upload.bytes));
  if (file.records.length > MAX_IMPORT_ROWS) {
    throw new Invalid(
      'too_many_rows',
      `The file has ${file.records.length} data rows; at most ${MAX_IMPORT_ROWS} can be imported at once. Split it into several files.`,
      { rows: file.records.length, limit: MAX_IMPORT_ROWS },
    );
  }
  const asOf = registry.today(deps);
  const db = deps.database.db;
  const plan = planImport(file, (await loadRegistry(db)).snapshot, asOf);
  const payload: ImportPayload = { version: 1, asOf, file, planDigest: planDigest(plan), applied: null };
  const row: ImportsTable = {
    id: newId(),
    filename,
    createdBy: actorId(actor) ?? actorLabel(actor),
    createdAt: isoNow(deps.clock),
    payload: JSON.stringify(payload),
    status: 'previewed',
    appliedAt: null,
  };
  await store.insertImport(db, row);
  return present(row, payload, plan.rows);
}

/**
 * An import's preview, planned again against the registry as it is now (and remembered as the plan
 * the clerk has seen). An applied import shows what it did.
 */
export async function getImport(deps: Deps, actor: Actor, id: string): Promise<ImportPreview> {
  requireImport(actor);
  const db = deps.database.db;
  const row = await findImport(db, id);
  const payload = readPayload(row);
  if (row.status === 'applied') return present(row, payload, payload.applied ?? []);
  const plan = planImport(payload.file, (await loadRegistry(db)).snapshot, payload.asOf);
  const digest = planDigest(plan);
  if (digest !== payload.planDigest) {
    const next = { ...payload, planDigest: digest };
    await store.updatePreviewedImportPayload(db, id, JSON.stringify(next));
  }
  return present(row, payload, plan.rows);
}

/**
 * Applies an import in one transaction: plans again, refuses when a row is in error, when the import
 * was already applied, or when the plan differs from the preview; otherwise makes every change through
 * the registry's service functions in the same transaction. If any change fails, nothing is written.
 */
export async function applyImport(deps: Deps, actor: Actor, id: string): Promise<ImportPreview> {
  requireImport(actor);
  return inTransaction(deps, actor, async (trx, audit) => {
    const appliedAt = isoNow(deps.clock);
    // Claiming the row first serialises two clerks applying at once: the second waits, then finds it applied.
    if (!(await store.claimImportForApply(trx, id, appliedAt))) {
      const existing = await findImport(trx, id);
      throw new Conflict(
        'import_already_applied',
        `This import was already applied${existing.appliedAt ? ` at ${existing.appliedAt}` : ''}. To import the file again, upload it again.`,
        { appliedAt: existing.appliedAt },
      );
    }
    const row = await findImport(trx, id);
    const payload = readPayload(row);
    const loaded = await loadRegistry(trx);
    const plan = planImport(payload.file, loaded.snapshot, payload.asOf);
    if (plan.summary.errors > 0) {
      throw new Conflict(
        'import_has_errors',
        `${plan.summary.errors} row(s) of this import are in error. Correct the file and upload it again; nothing was imported.`,
        { errors: plan.summary.errors },
      );
    }
    if (planDigest(plan) !== payload.planDigest) {
      throw new Conflict(
        'import_stale',
        'The registry has changed since this preview was made. Look at the preview again (it is recomputed) before applying it.',
      );
    }
    for (const op of plan.ops) {
      try {
        await applyOp(deps, actor, trx, op, loaded);
      } catch (error) {
        if (!(error instanceof AppError)) throw error;
        throw new Conflict(
          'import_failed',
          `Row ${op.row} of sheet "${op.sheet}" (${op.key}) could not be applied: ${error.message} Nothing was imported.`,
          { sheet: op.sheet, row: op.row, key: op.key, cause: error.code },
        );
      }
    }
    const applied = { ...row, status: 'applied', appliedAt };
    await store.setImportPayload(trx, id, JSON.stringify({ ...payload, applied: plan.rows }));
    const summary = summarise(plan.rows, payload.file.skipped);
    await audit({
      action: 'import.applied',
      entityType: 'import',
      entityId: id,
      before: { status: 'previewed' },
      after: { status: 'applied', filename: row.filename, summary },
      detail: { filename: row.filename, ...summary },
    });
    return present(applied, payload, plan.rows);
  });
}

async function applyOp(
  deps: Deps,
  actor: Actor,
  trx: Transaction<DB>,
  op: PlanOp,
  loaded: LoadedRegistry,
): Promise<void> {
  const unitId = (code: string) => {
    const id = loaded.unitIds.get(code);
    if (!id) throw new Error(`import: unit ${code} has no id (the plan should have caught this)`);
    return id;
  };
  const categoryId = (code: string | null) => {
    if (code === null) return null;
    const id = loaded.categoryIds.get(code);
    if (!id) throw new Error(`import: category ${code} has no id`);
    return id;
  };
  switch (op.entity) {
    case 'unit': {
      if (op.action === 'create') {
        const v = op.values;
        const view = await registry.createUnit(
          deps,
          actor,
          {
            code: op.key,
            name: v.name,
            shortName: v.shortName,
            kind: v.kind,
            parentId: v.parentCode === null ? null : unitId(v.parentCode),
            categoryId: categoryId(v.category),
            tags: v.tags,
            sortOrder: v.sortOrder,
            responsibleName: v.responsibleName,
            responsiblePhone: v.responsiblePhone,
            validFrom: op.effectiveFrom,
          },
          trx,
        );
        loaded.unitIds.set(op.key, view.id);
      } else {
        const c = op.changes;
        await registry.updateUnit(
          deps,
          actor,
          unitId(op.key),
          {
            name: c.name,
            shortName: c.shortName,
            kind: c.kind,
            parentId:
              c.parentCode === undefined ? undefined : c.parentCode === null ? null : unitId(c.parentCode),
            categoryId: c.category === undefined ? undefined : categoryId(c.category),
            tags: c.tags,
            sortOrder: c.sortOrder,
            responsibleName: c.responsibleName,
            responsiblePhone: c.responsiblePhone,
            effectiveFrom: op.effectiveFrom,
          },
          trx,
        );
      }
      return;
    }
    case 'service_item': {
      if (op.action === 'create') {
        const v = op.values;
        const view = await registry.createServiceItem(
          deps,
          actor,
          { code: op.key, name: v.name, unitId: unitId(v.unitCode), mode: v.mode },
          trx,
        );
        loaded.itemIds.set(op.key, view.id);
        if (!v.active) await registry.updateServiceItem(deps, actor, view.id, { active: false }, trx);
      } else {
        const id = loaded.itemIds.get(op.key);
        if (!id) throw new Error(`import: service item ${op.key} has no id`);
        const c = op.changes;
        await registry.updateServiceItem(
          deps,
          actor,
          id,
          {
            name: c.name,
            unitId: c.unitCode === undefined ? undefined : unitId(c.unitCode),
            mode: c.mode,
            active: c.active,
          },
          trx,
        );
      }
      return;
    }
    case 'staff': {
      if (op.action === 'create') {
        const v = op.values;
        const view = await registry.createStaff(
          deps,
          actor,
          { staffNo: op.key, name: v.name, unitId: unitId(v.unitCode), position: v.position, phone: v.phone },
          trx,
        );
        loaded.staffIds.set(op.key, view.id);
        if (!v.active) await registry.updateStaff(deps, actor, view.id, { active: false }, trx);
      } else {
        const id = loaded.staffIds.get(op.key);
        if (!id) throw new Error(`import: staff member ${op.key} has no id`);
        const c = op.changes;
        await registry.updateStaff(
          deps,
          actor,
          id,
          {
            name: c.name,
            unitId: c.unitCode === undefined ? undefined : unitId(c.unitCode),
            position: c.position,
            phone: c.phone,
            active: c.active,
          },
          trx,
        );
      }
      return;
    }
  }
}

// --- export -----------------------------------------------------------------------------------

/** The fixed choices offered as drop-down lists in an export, by column header. */
export const EXPORT_CHOICES: Record<string, string[]> = {
  类型: UNIT_KINDS.map((k) => UNIT_KIND_NAMES[k]),
  办理方式: SERVICE_MODES.map((m) => MODE_NAMES[m]),
  状态: ['在用', '停用'],
};

/**
 * The registry as an .xlsx the importer reads back unchanged: units in force today in tree order,
 * service items and staff. Unit staff get their own subtree only (the list functions scope it).
 */
export async function exportRegistry(
  deps: Deps,
  actor: Actor,
): Promise<{ filename: string; contentType: string; body: Buffer }> {
  const date = registry.today(deps);
  const units = await registry.listUnits(deps, actor, { asOf: date });
  const items = await registry.listServiceItems(deps, actor);
  const staff = await registry.listStaff(deps, actor);
  const categories = await registry.listCategories(deps, actor);
  // Codes of every unit: the root of a scoped export still names its parent (as the unit's path shows).
  const codeOf = new Map((await store.latestVersions(deps.database.db)).map((v) => [v.unitId, v.code]));
  const categoryCodeOf = new Map(categories.map((c) => [c.id, c.code]));
  const code = (id: string | null) => (id === null ? null : (codeOf.get(id) ?? null));
  const tables = exportTables({
    units: units.map((u) => ({
      code: u.code,
      name: u.name,
      shortName: u.shortName,
      kind: u.kind,
      parentCode: code(u.parentId),
      category: u.categoryId === null ? null : (categoryCodeOf.get(u.categoryId) ?? null),
      tags: u.tags,
      sortOrder: u.sortOrder,
      responsibleName: u.responsibleName,
      responsiblePhone: u.responsiblePhone,
      validFrom: u.validFrom,
    })),
    serviceItems: items.map((s) => ({
      code: s.code,
      name: s.name,
      unitCode: code(s.unitId) ?? '',
      mode: s.mode,
      active: s.active,
    })),
    staff: staff.map((s) => ({
      staffNo: s.staffNo,
      name: s.name,
      unitCode: code(s.unitId) ?? '',
      position: s.position,
      phone: s.phone,
      active: s.active,
    })),
  });
  return {
    filename: `minping-registry-${date}.xlsx`,
    contentType: XLSX_MIME,
    body: await writeWorkbook(tables, EXPORT_CHOICES),
  };
}
