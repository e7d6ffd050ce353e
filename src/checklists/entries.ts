import { createHash } from 'node:crypto';
import { type Actor } from '../core/auth/model.js';
import { loadCalendar } from '../core/calendar/store.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { Executor } from '../core/db/database.js';
import type { ChecklistEntriesTable, ChecklistsTable } from '../core/db/schema.js';
import type { ErrorCode } from '../core/error-codes.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { isoNow } from '../core/time.js';
import { evidenceProblem, servedInline, sniffType } from '../ledger/model.js';
import * as ledgerStore from '../ledger/store.js';
import { assertInTree, visibleIn } from '../registry/scope.js';
import { treeOn, type UnitTree } from '../registry/tree.js';
import { actorName } from '../core/auth/model.js';
import {
  evidenceFits,
  MAX_FILES_PER_ENTRY,
  resubmitByOf,
  submissionProblem,
  unitPoints,
  validPoints,
  type EntryView,
  type UnitSheet,
} from './model.js';
import * as store from './store.js';
import {
  require,
  requireAny,
  READ,
  text,
  today,
  pointsText,
  unitIdsOf,
  definitionOf,
  detail,
  presentEntries,
  checklistRow,
  assertMaySee,
} from './present.js';

/*
 * A unit's sheet: entries for basic items and declared innovation items, their evidence, submission before
 * the deadline, and the office's review (accept, or return with a reason and a few working days to resubmit).
 */

// --- a unit's sheet ------------------------------------------------------------------------------

function assertUnitOnChecklist(row: ChecklistsTable, unitId: string): void {
  if (!unitIdsOf(row).includes(unitId)) {
    throw new Invalid('unit_not_on_checklist', 'This unit is not one of the checklist’s units.', { unitId });
  }
}

/** GET /api/checklists/:id/units/:unitId: a unit's items, entries and points (within the actor's scope). */
export async function unitSheet(deps: Deps, actor: Actor, id: string, unitId: string): Promise<UnitSheet> {
  requireAny(actor, READ);
  const db = deps.database.db;
  const tree = await treeOn(db, today(deps));
  const row = await checklistRow(db, id);
  assertMaySee(tree, actor, row);
  assertInTree(tree, actor, unitId);
  assertUnitOnChecklist(row, unitId);
  const definition = definitionOf(row);
  const entries = await presentEntries(db, tree, await store.entriesOf(db, id, unitId));
  const points = unitPoints(definition, entries);
  const on = today(deps);
  return {
    checklist: await detail(db, tree, row),
    unitId,
    unitCode: tree.unit(unitId)?.code ?? '',
    unitName: tree.name(unitId) ?? unitId,
    canSubmit: row.status === 'open' && on >= row.opensOn && on <= row.deadline,
    today: on,
    items: definition.items.map((item) => ({
      item,
      entry: entries.find((e) => e.kind === 'basic' && e.itemKey === item.key) ?? null,
    })),
    innovations: entries.filter((e) => e.kind === 'innovation'),
    completion: points.completion,
    bonus: points.bonus,
  };
}

export interface EntryInput {
  /** A basic item's key; absent for an innovation item. */
  itemKey?: string | undefined;
  /** An innovation item's title. */
  title?: string | undefined;
  note: string;
  claimedPoints?: number | undefined;
}

function refuse(problem: { code: ErrorCode; message: string } | null): void {
  if (problem) throw new Conflict(problem.code, problem.message);
}

async function entryContext(
  trx: Executor,
  deps: Deps,
  actor: Actor,
  entryId: string,
): Promise<{ entry: ChecklistEntriesTable; row: ChecklistsTable; tree: UnitTree }> {
  const entry = await store.entryById(trx, entryId);
  if (!entry) throw new NotFound('checklist entry', entryId);
  const tree = await treeOn(trx, today(deps));
  assertInTree(tree, actor, entry.unitId);
  const row = await checklistRow(trx, entry.checklistId);
  return { entry, row, tree };
}

async function entryView(trx: Executor, tree: UnitTree, id: string): Promise<EntryView> {
  const row = await store.entryById(trx, id);
  if (!row) throw new NotFound('checklist entry', id);
  const [view] = await presentEntries(trx, tree, [row]);
  if (!view) throw new NotFound('checklist entry', id);
  return view;
}

/**
 * POST /api/checklists/:id/units/:unitId/entries: writes the note of a basic item (made on first use), or
 * declares an innovation item (checklists:fill, within the actor's scope, before the deadline).
 */
export async function saveEntry(
  deps: Deps,
  actor: Actor,
  id: string,
  unitId: string,
  input: EntryInput,
): Promise<EntryView> {
  require(actor, 'checklists:fill');
  const note = text(input.note, 'note', 2000, false);
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await treeOn(trx, today(deps));
    const row = await checklistRow(trx, id);
    assertMaySee(tree, actor, row);
    assertInTree(tree, actor, unitId);
    assertUnitOnChecklist(row, unitId);
    const definition = definitionOf(row);
    const now = isoNow(deps.clock);
    if (input.itemKey !== undefined) {
      const item = definition.items.find((i) => i.key === input.itemKey);
      if (!item)
        throw new Invalid('unknown_checklist_item', 'The checklist has no such item.', {
          itemKey: input.itemKey,
        });
      const existing = await store.entryOfItem(trx, id, unitId, item.key);
      refuse(submissionProblem(existing ?? { status: 'draft', resubmitBy: null }, row, today(deps)));
      if (existing) {
        await store.updateEntry(trx, existing.id, ['draft', 'returned'], { note });
        await audit({
          action: 'checklist.entry_saved',
          entityType: 'checklist_entry',
          entityId: existing.id,
          before: { note: existing.note },
          after: { note },
        });
        return entryView(trx, tree, existing.id);
      }
      const entry = newEntry(deps, actor, {
        id,
        unitId,
        kind: 'basic',
        itemKey: item.key,
        title: item.title,
        note,
        now,
      });
      await store.insertEntry(trx, entry);
      await audit({
        action: 'checklist.entry_saved',
        entityType: 'checklist_entry',
        entityId: entry.id,
        before: null,
        after: { checklistId: id, unitId, itemKey: item.key, note },
      });
      return entryView(trx, tree, entry.id);
    }
    const rule = definition.innovation;
    if (!rule) throw new Invalid('no_innovation', 'This checklist takes no innovation items.');
    refuse(submissionProblem({ status: 'draft', resubmitBy: null }, row, today(deps)));
    const title = text(input.title, 'title', 100);
    const claimed = input.claimedPoints;
    if (!validPoints(claimed, 0.01) || claimed > rule.maxPointsEach) {
      throw new Invalid('invalid_points', `Ask for more than 0 and at most ${rule.maxPointsEach} points.`, {
        max: rule.maxPointsEach,
      });
    }
    const declared = (await store.entriesOf(trx, id, unitId)).filter((e) => e.kind === 'innovation');
    if (declared.length >= rule.maxItems) {
      throw new Conflict(
        'too_many_innovations',
        `A unit declares at most ${rule.maxItems} innovation items.`,
        {
          max: rule.maxItems,
        },
      );
    }
    const entry = {
      ...newEntry(deps, actor, { id, unitId, kind: 'innovation', itemKey: null, title, note, now }),
      claimedPoints: pointsText(claimed),
    };
    await store.insertEntry(trx, entry);
    await audit({
      action: 'checklist.innovation_declared',
      entityType: 'checklist_entry',
      entityId: entry.id,
      before: null,
      after: { checklistId: id, unitId, title, claimedPoints: claimed },
    });
    return entryView(trx, tree, entry.id);
  });
}

function newEntry(
  deps: Deps,
  actor: Actor,
  e: {
    id: string;
    unitId: string;
    kind: string;
    itemKey: string | null;
    title: string;
    note: string;
    now: string;
  },
): ChecklistEntriesTable {
  return {
    id: newId(deps.clock.now().getTime()),
    checklistId: e.id,
    unitId: e.unitId,
    kind: e.kind,
    itemKey: e.itemKey,
    title: e.title,
    note: e.note,
    claimedPoints: null,
    awardedPoints: null,
    status: 'draft',
    submittedAt: null,
    submittedBy: null,
    reviewedAt: null,
    reviewedBy: null,
    returnReason: null,
    resubmitBy: null,
    createdAt: e.now,
    createdBy: actorName(actor),
  };
}

function cleanFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base.replace(/\p{Cc}/gu, '')].slice(0, 120).join('').trim();
  return clean === '' ? 'evidence' : clean;
}

/**
 * POST /api/checklist-entries/:id/evidence: a file proving an entry — of the kind its item asks for, at most
 * 8 MB, type sniffed from the bytes (checklists:fill, within scope, before the deadline).
 */
export async function attachEvidence(
  deps: Deps,
  actor: Actor,
  entryId: string,
  file: { filename: string; bytes: Buffer },
): Promise<EntryView> {
  require(actor, 'checklists:fill');
  const problem = evidenceProblem(file.bytes);
  if (problem) {
    throw new Invalid(problem.code as ErrorCode, problem.message, { size: file.bytes.length });
  }
  const mime = sniffType(file.bytes) ?? 'application/octet-stream';
  return inTransaction(deps, actor, async (trx, audit) => {
    const { entry, row, tree } = await entryContext(trx, deps, actor, entryId);
    refuse(submissionProblem(entry, row, today(deps)));
    const item = definitionOf(row).items.find((i) => i.key === entry.itemKey);
    const kind = item?.evidenceKind ?? 'any';
    if (!evidenceFits(kind, mime)) {
      throw kind === 'photo'
        ? new Invalid('evidence_photo_required', 'This item is proved by photos (JPEG, PNG, GIF, WebP).', {
            got: mime,
          })
        : new Invalid('evidence_document_required', 'This item is proved by a document (PDF or a scan).', {
            got: mime,
          });
    }
    const files = await store.evidenceOf(trx, [entryId]);
    if (files.length >= MAX_FILES_PER_ENTRY) {
      throw new Conflict('too_many_files', `An item holds at most ${MAX_FILES_PER_ENTRY} files.`, {
        max: MAX_FILES_PER_ENTRY,
      });
    }
    const sha256 = createHash('sha256').update(file.bytes).digest('hex');
    const now = isoNow(deps.clock);
    // One store of evidence files: the ledger's, under the file's SHA-256.
    await ledgerStore.insertFileIfAbsent(trx, {
      sha256,
      mime,
      size: file.bytes.length,
      data: file.bytes.toString('base64'),
      createdAt: now,
    });
    const filename = cleanFilename(file.filename);
    await store.insertEvidence(trx, {
      id: newId(deps.clock.now().getTime()),
      entryId,
      sha256,
      filename,
      mime,
      size: file.bytes.length,
      uploadedBy: actorName(actor),
      createdAt: now,
    });
    await audit({
      action: 'checklist.evidence_attached',
      entityType: 'checklist_entry',
      entityId: entryId,
      before: null,
      after: { filename, sha256, mime, size: file.bytes.length },
    });
    return entryView(trx, tree, entryId);
  });
}

/** POST /api/checklist-entries/:id/submit: hands an entry with its evidence to the office for review. */
export async function submitEntry(
  deps: Deps,
  actor: Actor,
  entryId: string,
  input: { note?: string | undefined },
): Promise<EntryView> {
  require(actor, 'checklists:fill');
  const note = input.note === undefined ? undefined : text(input.note, 'note', 2000, false);
  return inTransaction(deps, actor, async (trx, audit) => {
    const { entry, row, tree } = await entryContext(trx, deps, actor, entryId);
    refuse(submissionProblem(entry, row, today(deps)));
    if ((await store.evidenceOf(trx, [entryId])).length === 0) {
      throw new Invalid('evidence_required', 'Attach the evidence before submitting.');
    }
    const changes = {
      status: 'submitted',
      submittedAt: isoNow(deps.clock),
      submittedBy: actorName(actor),
      ...(note === undefined ? {} : { note }),
    };
    if (!(await store.updateEntry(trx, entryId, ['draft', 'returned'], changes))) {
      throw new Conflict('entry_already_submitted', 'This item was submitted already.');
    }
    await audit({
      action: 'checklist.entry_submitted',
      entityType: 'checklist_entry',
      entityId: entryId,
      before: { status: entry.status },
      after: { status: 'submitted' },
    });
    return entryView(trx, tree, entryId);
  });
}

/** POST /api/checklist-entries/:id/review: the office accepts (innovation: with the points awarded) or returns it with a reason. */
export async function reviewEntry(
  deps: Deps,
  actor: Actor,
  entryId: string,
  input: { decision: 'accept' | 'return'; reason?: string | undefined; points?: number | undefined },
): Promise<EntryView> {
  require(actor, 'scoring:manage');
  const reason = text(input.reason, 'reason', 500, input.decision === 'return');
  return inTransaction(deps, actor, async (trx, audit) => {
    const { entry, row, tree } = await entryContext(trx, deps, actor, entryId);
    if (entry.status !== 'submitted') {
      throw new Conflict('entry_not_submitted', 'Only a submitted item is reviewed.', {
        status: entry.status,
      });
    }
    const definition = definitionOf(row);
    const now = isoNow(deps.clock);
    let changes: Partial<ChecklistEntriesTable>;
    if (input.decision === 'accept') {
      let awarded: number;
      if (entry.kind === 'innovation') {
        const max = definition.innovation?.maxPointsEach ?? 0;
        if (!validPoints(input.points, 0) || input.points > max) {
          throw new Invalid('invalid_points', `Award from 0 to ${max} points.`, { max });
        }
        awarded = input.points;
      } else {
        awarded = definition.items.find((i) => i.key === entry.itemKey)?.points ?? 0;
      }
      changes = {
        status: 'accepted',
        awardedPoints: pointsText(awarded),
        reviewedAt: now,
        reviewedBy: actorName(actor),
        returnReason: null,
      };
    } else {
      changes = {
        status: 'returned',
        reviewedAt: now,
        reviewedBy: actorName(actor),
        returnReason: reason,
        resubmitBy: resubmitByOf(row.deadline, today(deps), await loadCalendar(trx)),
      };
    }
    if (!(await store.updateEntry(trx, entryId, ['submitted'], changes))) {
      throw new Conflict('entry_not_submitted', 'Only a submitted item is reviewed.');
    }
    await audit({
      action: input.decision === 'accept' ? 'checklist.entry_accepted' : 'checklist.entry_returned',
      entityType: 'checklist_entry',
      entityId: entryId,
      before: { status: 'submitted' },
      after: changes,
    });
    return entryView(trx, tree, entryId);
  });
}

/** GET /api/checklist-files/:sha256: an evidence file, for those who may see a unit whose entry holds it. */
export async function readFile(
  deps: Deps,
  actor: Actor,
  sha256: string,
): Promise<{ bytes: Buffer; mime: string; inline: boolean }> {
  requireAny(actor, READ);
  const db = deps.database.db;
  const units = await store.unitsHoldingFile(db, sha256);
  const file = await ledgerStore.fileBySha(db, sha256);
  if (units.length === 0 || !file || file.data === null) throw new NotFound('file', sha256);
  const tree = await treeOn(db, today(deps));
  const visible = visibleIn(tree, actor);
  if (visible !== null && !units.some((u) => visible.has(u))) {
    const first = units[0] ?? '';
    assertInTree(tree, actor, first);
  }
  const bytes = Buffer.from(file.data, 'base64');
  const mime = sniffType(bytes);
  if (mime === null) throw new NotFound('file', sha256);
  return { bytes, mime, inline: servedInline(mime) };
}
