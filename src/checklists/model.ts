import type { ErrorCode } from '../core/error-codes.js';
import { addWorkingDays, type WorkingCalendar } from '../core/calendar/model.js';
import type {
  ChecklistDefinition,
  ChecklistItemDef,
  ChecklistPreset,
  EvidenceKind,
  InnovationRule,
} from './types.js';
import { EVIDENCE_KINDS } from './types.js';
export * from './types.js';

/*
 * Pure rules of quarterly indicator checklists: the Xi'an preset, checking a definition, the deadline in
 * working days, whether a file is the kind of evidence an item asks for, and the points a unit earns.
 */

/** Xi'an's “6个1 + X” (seed 004): six basic items and innovation items for bonus points. */
export const CHECKLIST_PRESETS: readonly ChecklistPreset[] = [
  {
    key: 'xian',
    name: '西安国际港务区“6个1 + 一提升 + X”季度指标',
    definition: {
      items: [
        {
          key: 'household_survey',
          title: '开展一次入户调研（不少于200户）',
          evidence: '入户调查表或汇总表（PDF、扫描件），注明户数',
          evidenceKind: 'document',
          points: 5,
        },
        {
          key: 'industry_meeting',
          title: '召开一次行业会议（邀请群众参加）',
          evidence: '会议现场照片，能看到群众代表',
          evidenceKind: 'photo',
          points: 5,
        },
        {
          key: 'benefit_project',
          title: '总结一件惠民实事',
          evidence: '实事总结材料（PDF）',
          evidenceKind: 'document',
          points: 5,
        },
        {
          key: 'community_talk',
          title: '组织一次社区宣讲',
          evidence: '宣讲现场照片',
          evidenceKind: 'photo',
          points: 5,
        },
        {
          key: 'effect_review',
          title: '研判一次工作成效',
          evidence: '研判会议纪要或分析报告（PDF）',
          evidenceKind: 'document',
          points: 5,
        },
        {
          key: 'highlight_promotion',
          title: '推广一次工作亮点（市级及以上媒体报道）',
          evidence: '媒体报道截图或版面扫描件',
          evidenceKind: 'any',
          points: 5,
        },
      ],
      innovation: { maxItems: 3, maxPointsEach: 2, maxTotal: 5 },
    },
  },
];

/** Photos an item asking for photos accepts. */
const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);
/** Documents: PDF and scans (TIFF). */
const DOCUMENT_TYPES = new Set(['application/pdf', 'image/tiff']);

/** Whether a file of this (sniffed) type is the kind of evidence an item asks for. */
export function evidenceFits(kind: EvidenceKind, mime: string): boolean {
  if (kind === 'photo') return PHOTO_TYPES.has(mime);
  if (kind === 'document') return DOCUMENT_TYPES.has(mime);
  return PHOTO_TYPES.has(mime) || DOCUMENT_TYPES.has(mime);
}

/** Most evidence files one entry holds. */
export const MAX_FILES_PER_ENTRY = 10;
/** Working days a unit has to submit a returned entry again, even past the deadline. */
export const RESUBMIT_WORKING_DAYS = 3;

export interface DefinitionProblem {
  code: ErrorCode;
  message: string;
  /** 1-based item number, or null for the checklist as a whole. */
  item: number | null;
}

const KEY = /^[a-z0-9][a-z0-9_-]{0,39}$/;

/** Points are 0–100 with at most two decimals. */
export function validPoints(value: unknown, min = 0): value is number {
  return (
    typeof value === 'number' &&
    Number.isFinite(value) &&
    value >= min &&
    value <= 100 &&
    Math.abs(Math.round(value * 100) - value * 100) < 1e-9
  );
}

/** Every problem of a definition, first one first; empty when it may be saved. */
export function definitionProblems(definition: unknown): DefinitionProblem[] {
  const out: DefinitionProblem[] = [];
  const d = definition as Partial<ChecklistDefinition> | null;
  if (!d || !Array.isArray(d.items) || d.items.length === 0) {
    return [{ code: 'checklist_no_items', message: 'A checklist has at least one item.', item: null }];
  }
  if (d.items.length > 30) {
    out.push({ code: 'checklist_too_many_items', message: 'A checklist has at most 30 items.', item: null });
  }
  const keys = new Set<string>();
  d.items.forEach((raw, i) => {
    const item = raw as Partial<ChecklistItemDef>;
    const n = i + 1;
    if (typeof item.key !== 'string' || !KEY.test(item.key)) {
      out.push({
        code: 'invalid_item_key',
        message: `Item ${n}: the key is 1–40 lower-case letters, digits, _ or -.`,
        item: n,
      });
    } else if (keys.has(item.key)) {
      out.push({
        code: 'duplicate_item_key',
        message: `Item ${n}: the key ${item.key} is used twice.`,
        item: n,
      });
    } else keys.add(item.key);
    if (typeof item.title !== 'string' || item.title.trim() === '' || item.title.length > 100) {
      out.push({ code: 'invalid_item_title', message: `Item ${n}: a title of 1–100 characters.`, item: n });
    }
    if (typeof item.evidence !== 'string' || item.evidence.trim() === '' || item.evidence.length > 200) {
      out.push({
        code: 'invalid_item_evidence',
        message: `Item ${n}: say in 1–200 characters what evidence proves it.`,
        item: n,
      });
    }
    if (!(EVIDENCE_KINDS as readonly unknown[]).includes(item.evidenceKind)) {
      out.push({
        code: 'invalid_evidence_kind',
        message: `Item ${n}: the evidence is photo, document or any.`,
        item: n,
      });
    }
    if (!validPoints(item.points, 0.01)) {
      out.push({
        code: 'invalid_points',
        message: `Item ${n}: points above 0 and at most 100, with at most two decimals.`,
        item: n,
      });
    }
  });
  const x = d.innovation as Partial<InnovationRule> | null | undefined;
  if (x !== null && x !== undefined) {
    const okCount = Number.isInteger(x.maxItems) && (x.maxItems ?? 0) >= 1 && (x.maxItems ?? 0) <= 20;
    if (!okCount || !validPoints(x.maxPointsEach, 0.01) || !validPoints(x.maxTotal, 0.01)) {
      out.push({
        code: 'invalid_innovation',
        message: 'Innovation items: 1–20 items, points per item and in total above 0 and at most 100.',
        item: null,
      });
    }
  }
  return out;
}

/** The last day to submit: the given number of working days after the opening day (which does not count). */
export function deadlineOf(opensOn: string, workingDays: number, calendar: WorkingCalendar): string {
  return addWorkingDays(opensOn, workingDays, calendar);
}

/** The last day a returned entry may be submitted again: the deadline, or a few working days after the return. */
export function resubmitByOf(deadline: string, returnedOn: string, calendar: WorkingCalendar): string {
  const grace = addWorkingDays(returnedOn, RESUBMIT_WORKING_DAYS, calendar);
  return grace > deadline ? grace : deadline;
}

/** Whether an entry in this state may be submitted on `today`. */
export function submissionProblem(
  entry: { status: string; resubmitBy: string | null },
  checklist: { status: string; opensOn: string; deadline: string },
  today: string,
): { code: ErrorCode; message: string } | null {
  if (checklist.status !== 'open') {
    return { code: 'checklist_not_open', message: 'The checklist is not open for submissions.' };
  }
  if (today < checklist.opensOn) {
    return { code: 'checklist_not_yet_open', message: `Submissions open on ${checklist.opensOn}.` };
  }
  if (entry.status === 'submitted' || entry.status === 'accepted') {
    return { code: 'entry_already_submitted', message: 'This item was submitted already.' };
  }
  const lastDay =
    entry.status === 'returned' && entry.resubmitBy !== null ? entry.resubmitBy : checklist.deadline;
  if (today > lastDay) {
    return {
      code: 'checklist_deadline_passed',
      message: `The deadline was ${lastDay}; submissions are no longer accepted.`,
    };
  }
  return null;
}

/** Sum of points in hundredths, so that 0.1 + 0.2 is 0.3 on every run. */
export function sumPoints(values: readonly number[]): number {
  return values.reduce((acc, v) => acc + Math.round(v * 100), 0) / 100;
}

/** A unit's completion points (accepted basic items) and bonus points (awarded innovation, capped). */
export function unitPoints(
  definition: ChecklistDefinition,
  entries: readonly {
    kind: string;
    itemKey: string | null;
    status: string;
    awardedPoints: number | null;
  }[],
): { completion: number; bonus: number; accepted: number } {
  const pointsOf = new Map(definition.items.map((i) => [i.key, i.points]));
  const acceptedBasic = entries.filter(
    (e) => e.kind === 'basic' && e.status === 'accepted' && e.itemKey !== null && pointsOf.has(e.itemKey),
  );
  const completion = sumPoints(acceptedBasic.map((e) => pointsOf.get(e.itemKey ?? '') ?? 0));
  const awarded = sumPoints(
    entries
      .filter((e) => e.kind === 'innovation' && e.status === 'accepted')
      .map((e) => e.awardedPoints ?? 0),
  );
  const cap = definition.innovation?.maxTotal ?? 0;
  return { completion, bonus: Math.min(awarded, cap), accepted: acceptedBasic.length };
}
