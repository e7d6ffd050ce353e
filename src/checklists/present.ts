import { hasPermission, type Actor, type Permission } from '../core/auth/model.js';
import { type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { ChecklistEntriesTable, ChecklistEvidenceTable, ChecklistsTable } from '../core/db/schema.js';
import { Forbidden, Invalid, NotFound } from '../core/errors.js';
import { chinaDate } from '../core/time.js';
import { assertInTree, visibleIn } from '../registry/scope.js';
import * as registryStore from '../registry/store.js';
import { type UnitTree } from '../registry/tree.js';
import { scoreText } from '../scoring/common.js';
import {
  type ChecklistDefinition,
  type ChecklistDetail,
  type ChecklistStatus,
  type ChecklistSummary,
  type EntryStatus,
  type EntryView,
  type EvidenceView,
} from './model.js';
import * as store from './store.js';

/* Helpers the checklist use cases share: permission checks, clean text, and presenting rows. */

export function require(actor: Actor, permission: Permission): void {
  if (!hasPermission(actor, permission)) throw new Forbidden();
}

export function requireAny(actor: Actor, permissions: readonly Permission[]): void {
  if (!permissions.some((p) => hasPermission(actor, p))) throw new Forbidden();
}

export const READ: readonly Permission[] = ['scoring:read', 'checklists:fill'];

export function text(value: string | undefined | null, field: string, max: number, required = true): string {
  const cleaned = (value ?? '').normalize('NFC').trim();
  if (required && cleaned === '') {
    throw new Invalid('invalid_input', `The field "${field}" must not be empty.`, { field });
  }
  if (cleaned.length > max) {
    throw new Invalid('invalid_input', `The field "${field}" has at most ${max} characters.`, { field });
  }
  return cleaned;
}

export const today = (deps: Deps): string => chinaDate(deps.clock.now());
export const SERIES = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,61}$/;
export const pointsText = (value: number): string => {
  const parsed = scoreText(value);
  if (!('text' in parsed)) throw new Error(`not a number: ${value}`);
  return parsed.text;
};
export const pointsOf = (value: string | null): number | null => (value === null ? null : Number(value));

// --- presenting ----------------------------------------------------------------------------------

export function unitIdsOf(row: ChecklistsTable): string[] {
  return JSON.parse(row.unitIds) as string[];
}

export function definitionOf(row: ChecklistsTable): ChecklistDefinition {
  return JSON.parse(row.definition) as ChecklistDefinition;
}

export async function periodNames(db: Executor): Promise<Map<string, string>> {
  return new Map((await registryStore.listPeriods(db)).map((p) => [p.id, p.name]));
}

export function summary(
  row: ChecklistsTable,
  periods: Map<string, string>,
  pending: number,
): ChecklistSummary {
  return {
    id: row.id,
    name: row.name,
    periodId: row.periodId,
    periodName: periods.get(row.periodId) ?? '',
    series: row.series,
    status: row.status as ChecklistStatus,
    opensOn: row.opensOn,
    workingDays: row.workingDays,
    deadline: row.deadline,
    unitCount: unitIdsOf(row).length,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    closedAt: row.closedAt,
    closedBy: row.closedBy,
    pending,
  };
}

export async function detail(db: Executor, tree: UnitTree, row: ChecklistsTable): Promise<ChecklistDetail> {
  const pending = (await store.pendingCounts(db)).get(row.id) ?? 0;
  return {
    ...summary(row, await periodNames(db), pending),
    definition: definitionOf(row),
    units: unitIdsOf(row).map((unitId) => ({
      unitId,
      unitCode: tree.unit(unitId)?.code ?? '',
      unitName: tree.name(unitId) ?? unitId,
    })),
  };
}

export function presentEvidence(e: ChecklistEvidenceTable): EvidenceView {
  return {
    id: e.id,
    sha256: e.sha256,
    filename: e.filename,
    mime: e.mime,
    size: e.size,
    uploadedBy: e.uploadedBy,
    createdAt: e.createdAt,
  };
}

export async function presentEntries(
  db: Executor,
  tree: UnitTree,
  rows: readonly ChecklistEntriesTable[],
): Promise<EntryView[]> {
  const files = await store.evidenceOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    id: r.id,
    checklistId: r.checklistId,
    unitId: r.unitId,
    unitName: tree.name(r.unitId) ?? r.unitId,
    kind: r.kind === 'innovation' ? 'innovation' : 'basic',
    itemKey: r.itemKey,
    title: r.title,
    note: r.note,
    claimedPoints: pointsOf(r.claimedPoints),
    awardedPoints: pointsOf(r.awardedPoints),
    status: r.status as EntryStatus,
    submittedAt: r.submittedAt,
    submittedBy: r.submittedBy,
    reviewedAt: r.reviewedAt,
    reviewedBy: r.reviewedBy,
    returnReason: r.returnReason,
    resubmitBy: r.resubmitBy,
    evidence: files.filter((f) => f.entryId === r.id).map(presentEvidence),
  }));
}

export async function checklistRow(db: Executor, id: string): Promise<ChecklistsTable> {
  const row = await store.checklistById(db, id);
  if (!row) throw new NotFound('checklist', id);
  return row;
}

/** The units of a checklist the actor may see (all of them for the office, leaders and supervisors). */
export function visibleUnitsOf(tree: UnitTree, actor: Actor, row: ChecklistsTable): string[] {
  const visible = visibleIn(tree, actor);
  return unitIdsOf(row).filter((id) => visible === null || visible.has(id));
}

/** Unit staff see a checklist once it is open, and only when one of its units is theirs. */
export function assertMaySee(tree: UnitTree, actor: Actor, row: ChecklistsTable): void {
  if (hasPermission(actor, 'scoring:read')) return;
  if (row.status === 'draft') throw new NotFound('checklist', row.id);
  // None of its units is the actor's: refused by the scope policy on the first of them.
  if (visibleUnitsOf(tree, actor, row).length === 0) assertInTree(tree, actor, unitIdsOf(row)[0] ?? '');
}
