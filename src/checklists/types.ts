/*
 * The shapes of quarterly indicator checklists (季度指标清单, Xi'an's “6个1 + 一提升 + X”): the office's
 * definition, the entries units fill with evidence, the office's review and the results sent to scoring.
 * Types and constants only, with no imports, so that the console uses these very declarations.
 */

/** What evidence an item accepts: photos, documents (PDF or a scan), or either. */
export const EVIDENCE_KINDS = ['photo', 'document', 'any'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

/** One basic item (“6个1”: one household survey, one industry meeting, …). */
export interface ChecklistItemDef {
  /** Stable key within the checklist (letters, digits, _ and -). */
  key: string;
  title: string;
  /** What proves it, in words (e.g. 入户调查表、照片，不少于200户). */
  evidence: string;
  evidenceKind: EvidenceKind;
  /** Completion points when the office accepts it. */
  points: number;
}

/** Innovation items (“X”): declared by a unit, bonus points awarded by the office. */
export interface InnovationRule {
  maxItems: number;
  maxPointsEach: number;
  maxTotal: number;
}

export interface ChecklistDefinition {
  items: ChecklistItemDef[];
  innovation: InnovationRule | null;
}

/** draft: the office designs it; open: units fill it; closed: results sent to scoring. */
export const CHECKLIST_STATUSES = ['draft', 'open', 'closed'] as const;
export type ChecklistStatus = (typeof CHECKLIST_STATUSES)[number];

export const ENTRY_STATUSES = ['draft', 'submitted', 'accepted', 'returned'] as const;
export type EntryStatus = (typeof ENTRY_STATUSES)[number];

export interface ChecklistPreset {
  key: string;
  name: string;
  definition: ChecklistDefinition;
}

export interface ChecklistUnit {
  unitId: string;
  unitCode: string;
  unitName: string;
}

export interface ChecklistSummary {
  id: string;
  name: string;
  periodId: string;
  periodName: string;
  /** Score series the results go to: completion points; bonus points go to `<series>.x`. */
  series: string;
  status: ChecklistStatus;
  /** The day units may start submitting. */
  opensOn: string;
  /** Working days after opensOn the units have (the day itself not counted). */
  workingDays: number;
  /** Last day for submissions (working days on the office's calendar); fixed when opened. */
  deadline: string;
  unitCount: number;
  createdAt: string;
  createdBy: string;
  closedAt: string | null;
  closedBy: string | null;
  /** Entries awaiting the office's review. */
  pending: number;
}

export interface ChecklistDetail extends ChecklistSummary {
  definition: ChecklistDefinition;
  units: ChecklistUnit[];
}

export interface EvidenceView {
  id: string;
  sha256: string;
  filename: string;
  mime: string;
  size: number;
  uploadedBy: string;
  createdAt: string;
}

export interface EntryView {
  id: string;
  checklistId: string;
  unitId: string;
  unitName: string;
  kind: 'basic' | 'innovation';
  /** The basic item's key; null for an innovation item. */
  itemKey: string | null;
  title: string;
  note: string;
  /** Points a unit asks for an innovation item. */
  claimedPoints: number | null;
  /** Points counted: a basic item's points when accepted, the office's award for an innovation item. */
  awardedPoints: number | null;
  status: EntryStatus;
  submittedAt: string | null;
  submittedBy: string | null;
  reviewedAt: string | null;
  reviewedBy: string | null;
  returnReason: string | null;
  /** Last day a returned entry may be submitted again. */
  resubmitBy: string | null;
  evidence: EvidenceView[];
}

/** A unit's sheet: every basic item with its entry, and its innovation items. */
export interface UnitSheet {
  checklist: ChecklistDetail;
  unitId: string;
  unitCode: string;
  unitName: string;
  /** Whether the unit may still submit today (before the deadline, checklist open). */
  canSubmit: boolean;
  today: string;
  items: { item: ChecklistItemDef; entry: EntryView | null }[];
  innovations: EntryView[];
  completion: number;
  bonus: number;
}

/** Per unit: accepted items and points (what closing sends to scoring). */
export interface ChecklistResultRow {
  unitId: string;
  unitCode: string;
  unitName: string;
  accepted: number;
  submitted: number;
  items: number;
  completion: number;
  bonus: number;
}

export interface ChecklistOverview extends ChecklistDetail {
  results: ChecklistResultRow[];
  /** Entries submitted and awaiting review, oldest first. */
  queue: EntryView[];
}
