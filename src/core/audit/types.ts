/*
 * The shape of an audit entry, as the hash chain stores it and as GET /api/audit answers it. Types only,
 * with no imports, so that the console (web/) uses these very declarations instead of a copy; the chain's
 * rules live in model.ts.
 */

export interface AuditEntryContent {
  seq: number;
  at: string;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  beforeDigest: string | null;
  afterDigest: string | null;
  /** Canonical JSON text of what changed (field → new value), shown in the console. */
  detail: string;
}

export interface AuditEntry extends AuditEntryContent {
  prevHash: string;
  hash: string;
}

/** An entry as GET /api/audit answers it: the detail parsed from its JSON text (field → new value). */
export type AuditEntryView = Omit<AuditEntry, 'detail'> & { detail: unknown };
