import type { ErrorCode } from '../core/error-codes.js';
import { createHash } from 'node:crypto';
import type { Actor } from '../core/auth/model.js';
import { actorLabel, hasPermission } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow, isValidDate } from '../core/time.js';
import { applyItemAction, attachmentView, followUpViews, itemEvent } from './items.js';
import { evidenceProblem, servedInline, sniffType, type FollowUpKind, type FollowUpMethod } from './model.js';
import {
  assertAnyUnitInScope,
  assertUnitInScope,
  loadTree,
  requireOffice,
  requirePermission,
  unitsForRequest,
} from './scope.js';
import * as store from './store.js';
import type { AttachmentView, FollowUpView } from './types.js';

/*
 * Evidence files and follow-ups. A file is stored once under the SHA-256 of its bytes, in the database, so
 * that every app node on PostgreSQL serves it; its type is sniffed from its first bytes, its size limited.
 * Follow-ups (回头看) and covert inspections (暗访) are recorded against an item or a unit; a finding that
 * the problem is back reopens a closed item.
 */

async function storeFile(
  deps: Deps,
  trx: Parameters<typeof store.insertFileIfAbsent>[0],
  bytes: Buffer,
): Promise<{ sha256: string; mime: string }> {
  const problem = evidenceProblem(bytes);
  if (problem) {
    if (problem.code === 'file_too_large')
      throw new Invalid(problem.code, problem.message, { size: bytes.length });
    throw new Invalid(problem.code as ErrorCode, problem.message);
  }
  const mime = sniffType(bytes) ?? 'application/octet-stream';
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await store.insertFileIfAbsent(trx, {
    sha256,
    mime,
    size: bytes.length,
    data: bytes.toString('base64'),
    createdAt: isoNow(deps.clock),
  });
  return { sha256, mime };
}

function cleanFilename(name: string): string {
  // Only the last path part, no control characters, at most 120 characters.
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base.replace(/\p{Cc}/gu, '')].slice(0, 120).join('').trim();
  return clean === '' ? 'evidence' : clean;
}

/**
 * POST /api/ledger/items/:id/evidence: attaches a photo, scan or PDF to an item (ledger:handle within the
 * subtree; not to a closed item — a reopened one takes new evidence).
 */
export async function attachToItem(
  deps: Deps,
  actor: Actor,
  itemId: string,
  file: { filename: string; bytes: Buffer },
): Promise<AttachmentView[]> {
  requirePermission(actor, 'ledger:handle');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const item = await store.itemById(trx, itemId);
    if (!item) throw new NotFound('ledger item', itemId);
    assertUnitInScope(actor, tree, item.unitId);
    if (item.state === 'closed') {
      throw new Conflict(
        'ledger_wrong_state',
        'The item is closed (已销号); evidence can no longer be added.',
      );
    }
    const { sha256, mime } = await storeFile(deps, trx, file.bytes);
    const id = newId(deps.clock.now().getTime());
    const filename = cleanFilename(file.filename);
    await store.insertAttachment(trx, {
      id,
      itemId,
      followUpId: null,
      stage: item.state,
      sha256,
      filename,
      uploadedBy: actorLabel(actor),
      createdAt: isoNow(deps.clock),
    });
    await itemEvent(trx, deps, itemId, actorLabel(actor), 'evidence', { filename, sha256, mime });
    await audit({
      action: 'ledger.evidence_attached',
      entityType: 'ledger_item',
      entityId: itemId,
      before: null,
      after: { filename, sha256, mime, size: file.bytes.length },
    });
    return (await store.attachmentsOfItem(trx, itemId)).map(attachmentView);
  });
}

/**
 * GET /api/ledger/files/:sha256: a stored evidence file for those who may see an item or follow-up it is
 * attached to (ledger:handle within the subtree). Photos are shown inline; PDFs and scans download.
 */
export async function readFile(
  deps: Deps,
  actor: Actor,
  sha256: string,
): Promise<{ bytes: Buffer; mime: string; inline: boolean }> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const file = await store.fileBySha(db, sha256);
  if (!file || file.data === null) throw new NotFound('file', sha256);
  assertAnyUnitInScope(actor, await loadTree(db, deps), await store.unitsHoldingFile(db, sha256));
  const bytes = Buffer.from(file.data, 'base64');
  const mime = sniffType(bytes);
  if (mime === null) throw new NotFound('file', sha256);
  return { bytes, mime, inline: servedInline(mime) };
}

// --- follow-ups ---------------------------------------------------------------------------------

export interface FollowUpInput {
  kind: FollowUpKind;
  method: FollowUpMethod;
  itemId?: string;
  unitId?: string;
  date: string;
  inspector: string;
  findings: string;
  problemBack: boolean;
}

/**
 * POST /api/ledger/follow-ups: a 回头看 visit or a 暗访 covert inspection, against an item or a unit. On an
 * item that is closed, "the problem is back" reopens it (ledger:manage).
 */
export async function recordFollowUp(deps: Deps, actor: Actor, input: FollowUpInput): Promise<FollowUpView> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'record follow-ups and covert inspections');
  if (!isValidDate(input.date))
    throw new Invalid('invalid_date', `${input.date} is not a date.`, { date: input.date });
  if (input.date > chinaDate(deps.clock.now())) {
    throw new Invalid('date_in_future', 'The date of the visit lies in the future.', { date: input.date });
  }
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const item = input.itemId === undefined ? undefined : await store.itemById(trx, input.itemId);
    if (input.itemId !== undefined && !item) throw new NotFound('ledger item', input.itemId);
    const unitId = item?.unitId ?? input.unitId;
    if (!unitId) throw new Invalid('unit_required', 'Say which unit or ledger item was inspected.');
    if (item && input.unitId !== undefined && input.unitId !== item.unitId) {
      throw new Invalid('unit_mismatch', 'The item belongs to another unit than the one given.');
    }
    assertUnitInScope(actor, tree, unitId);
    const id = newId(deps.clock.now().getTime());
    await store.insertFollowUp(trx, {
      id,
      kind: input.kind,
      method: input.method,
      itemId: item?.id ?? null,
      unitId,
      date: input.date,
      inspector: input.inspector.trim(),
      findings: input.findings.trim(),
      problemBack: input.problemBack ? 1 : 0,
      createdBy: actorLabel(actor),
      createdAt: isoNow(deps.clock),
    });
    await audit({
      action: 'ledger.follow_up_recorded',
      entityType: 'ledger_follow_up',
      entityId: id,
      before: null,
      after: {
        kind: input.kind,
        method: input.method,
        itemId: item?.id ?? null,
        unitId,
        problemBack: input.problemBack,
      },
    });
    if (item) {
      await itemEvent(trx, deps, item.id, actorLabel(actor), 'follow_up', {
        followUpId: id,
        kind: input.kind,
        problemBack: input.problemBack,
      });
      if (input.problemBack) {
        await applyItemAction(
          trx,
          deps,
          actor,
          audit,
          item,
          { type: 'problem_back' },
          {},
          { followUpId: id },
        );
      }
    }
    const row = await store.followUpById(trx, id);
    const [view] = await followUpViews(trx, tree, row ? [row] : []);
    if (!view) throw new NotFound('follow-up', id);
    return view;
  });
}

/** POST /api/ledger/follow-ups/:id/evidence: a photo or recording transcript of the inspection (ledger:manage). */
export async function attachToFollowUp(
  deps: Deps,
  actor: Actor,
  followUpId: string,
  file: { filename: string; bytes: Buffer },
): Promise<FollowUpView> {
  requirePermission(actor, 'ledger:handle');
  requireOffice(actor, 'record follow-ups and covert inspections');
  return inTransaction(deps, actor, async (trx, audit) => {
    const tree = await loadTree(trx, deps);
    const f = await store.followUpById(trx, followUpId);
    if (!f) throw new NotFound('follow-up', followUpId);
    const { sha256, mime } = await storeFile(deps, trx, file.bytes);
    const filename = cleanFilename(file.filename);
    await store.insertAttachment(trx, {
      id: newId(deps.clock.now().getTime()),
      itemId: null,
      followUpId,
      stage: f.kind,
      sha256,
      filename,
      uploadedBy: actorLabel(actor),
      createdAt: isoNow(deps.clock),
    });
    await audit({
      action: 'ledger.follow_up_evidence',
      entityType: 'ledger_follow_up',
      entityId: followUpId,
      before: null,
      after: { filename, sha256, mime },
    });
    const [view] = await followUpViews(trx, tree, [f]);
    if (!view) throw new NotFound('follow-up', followUpId);
    return view;
  });
}

/** GET /api/ledger/follow-ups: follow-ups and covert inspections of a unit's subtree, newest first (ledger:handle). */
export async function listFollowUps(
  deps: Deps,
  actor: Actor,
  q: { unitId?: string },
): Promise<FollowUpView[]> {
  requirePermission(actor, 'ledger:handle');
  const db = deps.database.db;
  const tree = await loadTree(db, deps);
  const rows = await store.followUpsOfUnits(db, unitsForRequest(actor, tree, q.unitId), 500);
  // Unit staff do not learn of covert inspections until the office acts on them: they see revisits only.
  const visible = hasPermission(actor, 'ledger:manage') ? rows : rows.filter((r) => r.kind === 'revisit');
  return followUpViews(db, tree, visible);
}
