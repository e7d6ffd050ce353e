import { type Actor, requirePermission as require, actorName } from '../core/auth/model.js';
import { inTransaction, type Deps } from '../core/context.js';
import type { DocumentsTable } from '../core/db/schema.js';
import { canonicalJson, sha256Hex } from '../core/digest.js';
import { Conflict, Invalid, NotFound } from '../core/errors.js';
import { newId } from '../core/ids.js';
import { chinaDate, isoNow } from '../core/time.js';
import { consequencesOfRun } from '../outcomes/service.js';
import { getRun, getSchemeVersion, publicResult } from '../scoring/service.js';
import { documentDocx } from './docx.js';
import { documentHtml } from './html.js';
import { applyEdit, type DocumentEdit } from './model.js';
import { buildNotice } from './notice.js';
import { documentPdf } from './pdf.js';
import * as store from './store.js';
import type {
  DocumentKind,
  DocumentStatus,
  DocumentSummary,
  DocumentView,
  OfficialDocument,
} from './types.js';

/*
 * Document use cases: a notice drafted from a published run (and the consequences confirmed on it), edited
 * by the office while a draft, issued (then never changed), downloaded as .docx, PDF or HTML. Each write is
 * one transaction with its audit entry; the data a document was built from is digested and kept with it.
 */

function present(row: DocumentsTable): DocumentView {
  return {
    id: row.id,
    kind: row.kind as DocumentKind,
    status: row.status as DocumentStatus,
    runId: row.runId,
    periodId: row.periodId,
    document: JSON.parse(row.content) as OfficialDocument,
    dataDigest: row.dataDigest,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    updatedAt: row.updatedAt,
    issuedAt: row.issuedAt,
    issuedBy: row.issuedBy,
  };
}

/** Stores a new draft built from `data`, with the digest of that data. */
export async function storeDraft(
  deps: Deps,
  actor: Actor,
  input: {
    kind: DocumentKind;
    runId: string | null;
    periodId: string | null;
    document: OfficialDocument;
    data: unknown;
  },
): Promise<DocumentView> {
  const at = isoNow(deps.clock);
  const row: DocumentsTable = {
    id: newId(),
    kind: input.kind,
    status: 'draft',
    runId: input.runId,
    periodId: input.periodId,
    content: canonicalJson(input.document),
    dataDigest: sha256Hex(canonicalJson(input.data)),
    createdAt: at,
    createdBy: actorName(actor),
    updatedAt: at,
    issuedAt: null,
    issuedBy: null,
  };
  await inTransaction(deps, actor, async (trx, audit) => {
    await store.insertDocument(trx, row);
    await audit({
      action: `${input.kind}.drafted`,
      entityType: 'document',
      entityId: row.id,
      before: null,
      after: {
        runId: row.runId,
        periodId: row.periodId,
        title: input.document.title,
        dataDigest: row.dataDigest,
      },
    });
  });
  return present(row);
}

/** POST /api/notices: drafts the notice of a published run, with the consequences confirmed on it. */
export async function draftNotice(
  deps: Deps,
  actor: Actor,
  input: { runId: string },
  publicUrl: string,
): Promise<DocumentView> {
  require(actor, 'scoring:manage');
  const run = await getRun(deps, actor, input.runId);
  if (run.status !== 'published') {
    throw new Conflict('not_published', 'A notice is drafted from a published result.', {
      status: run.status,
    });
  }
  const result = await publicResult(deps, input.runId);
  const definition = (await getSchemeVersion(deps, actor, run.schemeId, run.version)).definition;
  const consequences = (await consequencesOfRun(deps, actor, input.runId)).filter(
    (c) => c.status === 'confirmed',
  );
  const document = buildNotice({
    result,
    gradeNames: Object.fromEntries(definition.grades.map((g) => [g.key, g.name])),
    consequences,
    date: chinaDate(deps.clock.now()),
    resultUrl: `${publicUrl.replace(/\/+$/, '')}/public/results/${input.runId}`,
  });
  return storeDraft(deps, actor, {
    kind: 'notice',
    runId: input.runId,
    periodId: run.periodId,
    document,
    data: { result, consequences: consequences.map((c) => ({ ...c, open: undefined })) },
  });
}

export async function listDocuments(
  deps: Deps,
  actor: Actor,
  filter: { runId?: string | undefined; periodId?: string | undefined },
): Promise<DocumentSummary[]> {
  require(actor, 'scoring:read');
  return (await store.listDocuments(deps.database.db, filter)).map((row) => {
    const doc = JSON.parse(row.content) as OfficialDocument;
    return {
      id: row.id,
      kind: row.kind as DocumentKind,
      status: row.status as DocumentStatus,
      title: doc.title,
      docNumber: doc.docNumber,
      runId: row.runId,
      periodId: row.periodId,
      createdAt: row.createdAt,
      issuedAt: row.issuedAt,
    };
  });
}

export async function getDocument(deps: Deps, actor: Actor, id: string): Promise<DocumentView> {
  require(actor, 'scoring:read');
  const row = await store.documentById(deps.database.db, id);
  if (!row) throw new NotFound('document', id);
  return present(row);
}

const issuedAlready = (row: DocumentsTable) =>
  new Conflict('document_issued', 'This document was issued and can no longer change; draft a new one.', {
    issuedAt: row.issuedAt,
  });

/** PATCH /api/documents/:id: edits a draft's texts (tables and charts stay as the data made them). */
export async function editDocument(
  deps: Deps,
  actor: Actor,
  id: string,
  edit: DocumentEdit,
): Promise<DocumentView> {
  require(actor, 'scoring:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.documentById(trx, id);
    if (!row) throw new NotFound('document', id);
    if (row.status !== 'draft') throw issuedAlready(row);
    const before = JSON.parse(row.content) as OfficialDocument;
    const next = applyEdit(before, edit);
    if ('code' in next) throw new Invalid(next.code, next.message, { field: next.field });
    const updatedAt = isoNow(deps.clock);
    await store.updateDraft(trx, id, { content: canonicalJson(next), updatedAt });
    await audit({ action: 'document.edited', entityType: 'document', entityId: id, before, after: next });
    return present({ ...row, content: canonicalJson(next), updatedAt });
  });
}

/** POST /api/documents/:id/issue: issues a draft (it needs its document number); never changes again. */
export async function issueDocument(deps: Deps, actor: Actor, id: string): Promise<DocumentView> {
  require(actor, 'scoring:manage');
  return inTransaction(deps, actor, async (trx, audit) => {
    const row = await store.documentById(trx, id);
    if (!row) throw new NotFound('document', id);
    if (row.status !== 'draft') throw issuedAlready(row);
    const doc = JSON.parse(row.content) as OfficialDocument;
    if (doc.docNumber.trim() === '') {
      throw new Invalid('doc_number_required', 'Give the document its number (发文字号) before issuing it.', {
        field: 'docNumber',
      });
    }
    const issuedAt = isoNow(deps.clock);
    const issuedBy = actorName(actor);
    await store.updateDraft(trx, id, { status: 'issued', issuedAt, issuedBy });
    await audit({
      action: 'document.issued',
      entityType: 'document',
      entityId: id,
      before: { status: 'draft' },
      after: { status: 'issued', docNumber: doc.docNumber, contentDigest: sha256Hex(row.content) },
    });
    return present({ ...row, status: 'issued', issuedAt, issuedBy });
  });
}

const fileName = (view: DocumentView, ext: string): string => `minping-${view.kind}-${view.id}.${ext}`;

/** GET /api/documents/:id/file.(docx|pdf|html) */
export async function documentFile(
  deps: Deps,
  actor: Actor,
  id: string,
  format: 'docx' | 'pdf' | 'html',
): Promise<{ filename: string; body: Buffer }> {
  const view = await getDocument(deps, actor, id);
  switch (format) {
    case 'docx':
      return { filename: fileName(view, 'docx'), body: await documentDocx(view.document) };
    case 'pdf':
      return { filename: fileName(view, 'pdf'), body: await documentPdf(view.document) };
    case 'html':
      return { filename: fileName(view, 'html'), body: Buffer.from(documentHtml(view.document), 'utf8') };
  }
}
