import { addWorkingDays, type WorkingCalendar } from '../core/calendar/model.js';
import type { EscalationLadder } from '../core/calendar/escalation.js';
import {
  FOLLOW_UP_KINDS,
  FOLLOW_UP_METHODS,
  ITEM_ORIGINS,
  ITEM_STATES,
  REVIEW_STAGES,
  type FollowUpKind,
  type FollowUpMethod,
  type ItemOrigin,
  type ItemState,
  type ReviewStage,
} from './types.js';

export { FOLLOW_UP_KINDS, FOLLOW_UP_METHODS, ITEM_ORIGINS, ITEM_STATES, REVIEW_STAGES };
export type { FollowUpKind, FollowUpMethod, ItemOrigin, ItemState, ReviewStage };

/*
 * A rectification ledger item (整改台账) as a state machine, with the office's three reviews (Xi'an: plan,
 * progress, result — 整改计划、整改进度、整改结果三次审核), its working-day deadlines and the evidence rule
 * for closing it (销号). Pure: no I/O.
 *
 *   planning ─submit─▶ plan_review ─approve─▶ executing ─submit─▶ progress_review ─approve─▶ finishing
 *      ▲                   │ return               ▲                    │ return              ▲  │ submit
 *      └───────────────────┘                      └────────────────────┘                     │  ▼
 *                                      closed ◀─approve (evidence)─ result_review ─return────┘
 *                                        └──problem is back (回头看/暗访)──▶ executing
 */

export const ITEM_STATE_NAMES: Record<ItemState, string> = {
  planning: '制定整改方案',
  plan_review: '方案待审核',
  executing: '整改中',
  progress_review: '进度待审核',
  finishing: '整改收尾',
  result_review: '结果待审核',
  closed: '已销号',
};

export const REVIEW_STAGE_NAMES: Record<ReviewStage, string> = {
  plan: '整改计划审核',
  progress: '整改进度审核',
  result: '整改结果审核',
};

export const ORIGIN_NAMES: Record<ItemOrigin, string> = {
  problem: '问题清单',
  case: '差评工单',
  inspection: '暗访/回头看发现',
  manual: '手工录入',
  window: '办不成事',
};

export const FOLLOW_UP_KIND_NAMES: Record<FollowUpKind, string> = {
  revisit: '回头看',
  covert: '暗访',
};

export const FOLLOW_UP_METHOD_NAMES: Record<FollowUpMethod, string> = {
  simulated_service: '模拟办事',
  phone: '电话暗访',
  visit: '实地走访',
  other: '其他方式',
};

/** The state each review stage decides from, and where approval and return lead. */
const REVIEWS: Record<ReviewStage, { from: ItemState; approved: ItemState; returned: ItemState }> = {
  plan: { from: 'plan_review', approved: 'executing', returned: 'planning' },
  progress: { from: 'progress_review', approved: 'finishing', returned: 'executing' },
  result: { from: 'result_review', approved: 'closed', returned: 'finishing' },
};

/** The review stage an item waits for in its state, or null when it waits for none. */
export function pendingReview(state: ItemState): ReviewStage | null {
  for (const stage of REVIEW_STAGES) if (REVIEWS[stage].from === state) return stage;
  return null;
}

export interface ItemFacts {
  state: ItemState;
  target: string;
  measures: string;
  progressText: string;
  resultText: string;
  /** Evidence files attached to the item (photos, scans, PDFs). */
  evidence: number;
}

export type ItemAction =
  | { type: 'submit_plan' }
  | { type: 'submit_progress' }
  | { type: 'submit_result' }
  | { type: 'review'; stage: ReviewStage; approve: boolean; reason: string }
  | { type: 'problem_back' };

export type ItemTransition =
  { ok: true; state: ItemState; reopened: boolean } | { ok: false; code: string; message: string };

const refuse = (code: string, message: string): ItemTransition => ({ ok: false, code, message });

/** The state after an action, or why the action is not possible now. */
export function itemTransition(facts: ItemFacts, action: ItemAction): ItemTransition {
  const go = (state: ItemState, reopened = false): ItemTransition => ({ ok: true, state, reopened });
  const wrongState = () =>
    refuse('ledger_wrong_state', `This cannot be done while the item is “${ITEM_STATE_NAMES[facts.state]}”.`);
  switch (action.type) {
    case 'submit_plan':
      if (facts.state !== 'planning') return wrongState();
      if (facts.target.trim() === '' || facts.measures.trim() === '') {
        return refuse('plan_incomplete', 'Write the target and the measures of the rectification first.');
      }
      return go('plan_review');
    case 'submit_progress':
      if (facts.state !== 'executing') return wrongState();
      if (facts.progressText.trim() === '') return refuse('progress_missing', 'Describe the progress first.');
      return go('progress_review');
    case 'submit_result':
      if (facts.state !== 'finishing') return wrongState();
      if (facts.resultText.trim() === '') return refuse('result_missing', 'Describe the result first.');
      if (facts.evidence === 0) {
        return refuse('evidence_required', 'Attach evidence of the rectification (photos, scans) first.');
      }
      return go('result_review');
    case 'review': {
      const rule = REVIEWS[action.stage];
      if (facts.state !== rule.from) {
        const waiting = pendingReview(facts.state);
        return refuse(
          'review_out_of_order',
          waiting === null
            ? `The item waits for no review while it is “${ITEM_STATE_NAMES[facts.state]}”.`
            : `The item waits for the ${REVIEW_STAGE_NAMES[waiting]}, not the ${REVIEW_STAGE_NAMES[action.stage]}.`,
        );
      }
      if (!action.approve) {
        if (action.reason.trim() === '') return refuse('reason_required', 'Say why the item is returned.');
        return go(rule.returned);
      }
      if (rule.approved === 'closed' && facts.evidence === 0) {
        return refuse('evidence_required', 'An item is closed (销号) only with evidence attached.');
      }
      return go(rule.approved);
    }
    case 'problem_back':
      // On a closed item the finding reopens it; on an open one it is recorded without a change of state.
      return facts.state === 'closed' ? go('executing', true) : go(facts.state);
  }
}

/** Whether the responsible unit holds the item (its deadlines run): planning, executing or finishing. */
export function unitHoldsItem(state: ItemState): boolean {
  return state === 'planning' || state === 'executing' || state === 'finishing';
}

// --- deadlines ------------------------------------------------------------------------------------

export interface LedgerRules extends EscalationLadder {
  /** Working days to submit the plan from the item's opening (or its return). */
  planDays: number;
  /** Working days to report progress from the plan's approval (or the report's return). */
  progressDays: number;
  /** Working days from opening to the final deadline when the office sets none. */
  defaultDeadlineDays: number;
}

export const DEFAULT_LEDGER_RULES: LedgerRules = {
  planDays: 5,
  progressDays: 10,
  defaultDeadlineDays: 30,
  urgentAfterDays: 3,
  talkAfterDays: 5,
};

/** The final deadline when the office sets none: `defaultDeadlineDays` working days from opening. */
export function defaultDeadline(openedOn: string, rules: LedgerRules, calendar: WorkingCalendar): string {
  return addWorkingDays(openedOn, rules.defaultDeadlineDays, calendar);
}

/**
 * The due date of the step the unit holds: the plan `planDays` after the stage began, the progress report
 * `progressDays` after it (never after the final deadline), the result by the final deadline (or, when the
 * result was returned after the deadline, `planDays` after the return). Null while the office holds it.
 */
export function itemDueDate(
  state: ItemState,
  stageFrom: string,
  deadlineOn: string,
  rules: LedgerRules,
  calendar: WorkingCalendar,
): string | null {
  switch (state) {
    case 'planning':
      return addWorkingDays(stageFrom, rules.planDays, calendar);
    case 'executing': {
      const due = addWorkingDays(stageFrom, rules.progressDays, calendar);
      return due < deadlineOn ? due : deadlineOn;
    }
    case 'finishing':
      return deadlineOn > stageFrom ? deadlineOn : addWorkingDays(stageFrom, rules.planDays, calendar);
    case 'plan_review':
    case 'progress_review':
    case 'result_review':
    case 'closed':
      return null;
  }
}

/** Which deadline a warning is about: the state and the day it began (each entry into a state has its own ladder). */
export function itemWarningStage(state: ItemState, stageFrom: string): string {
  return `${state}:${stageFrom}`;
}

/** A short reference to quote: 台账-0123ABCDEF. */
export function itemReference(id: string): string {
  return `台账-${id.replace(/-/g, '').slice(-10).toUpperCase()}`;
}

// --- evidence files -------------------------------------------------------------------------------

/** Types an evidence file may have, as sniffed from its first bytes (never from its name or header). */
export const EVIDENCE_TYPES = [
  'image/jpeg',
  'image/png',
  'image/gif',
  'image/webp',
  'application/pdf',
  'image/tiff',
] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/** Largest evidence file accepted: 8 MiB (a phone photo or a scanned page). */
export const MAX_EVIDENCE_BYTES = 8 * 1024 * 1024;

const startsWith = (bytes: Uint8Array, signature: readonly number[], offset = 0) =>
  bytes.length >= offset + signature.length && signature.every((b, i) => bytes[offset + i] === b);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** The type of a file from its magic bytes, or null when it is none of the evidence types. */
export function sniffType(bytes: Uint8Array): EvidenceType | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a]))
    return 'image/tiff';
  return null;
}

/**
 * Whether a browser may show the file in the page: only the raster images it renders itself. PDFs (which
 * can carry scripts) and TIFF scans are always downloaded; nothing else is stored at all.
 */
export function servedInline(type: EvidenceType): boolean {
  return type === 'image/jpeg' || type === 'image/png' || type === 'image/gif' || type === 'image/webp';
}

/** A closed item's evidence as the public reads it: photos shown in a page, and documents (PDFs, scans). */
export function evidenceSummary(byType: ReadonlyMap<string, number> | undefined): {
  photos: number;
  documents: number;
} {
  let photos = 0;
  let documents = 0;
  for (const [mime, n] of byType ?? []) {
    if (servedInline(mime as EvidenceType)) photos += n;
    else documents += n;
  }
  return { photos, documents };
}

/** The problem with an evidence upload (size or type), or null when it may be stored. */
export function evidenceProblem(
  bytes: Uint8Array,
  limit = MAX_EVIDENCE_BYTES,
): { code: string; message: string } | null {
  if (bytes.length === 0) return { code: 'file_empty', message: 'The file is empty.' };
  if (bytes.length > limit) {
    return {
      code: 'file_too_large',
      message: `The file is larger than ${Math.round(limit / 1024 / 1024)} MB; send a smaller photo or scan.`,
    };
  }
  if (sniffType(bytes) === null) {
    return {
      code: 'file_type_not_allowed',
      message: 'Only photos (JPEG, PNG, GIF, WebP), scans (TIFF) and PDF files can be attached.',
    };
  }
  return null;
}

// --- what becomes of comments -------------------------------------------------------------------

/** A unit's main problems (主要问题) as one text for a scoring run: "1. title（n条）；2. …", the largest first. */
export function mainProblemsText(problems: readonly { title: string; count: number }[], max = 5): string {
  return [...problems]
    .sort((a, b) => b.count - a.count || (a.title < b.title ? -1 : a.title > b.title ? 1 : 0))
    .slice(0, max)
    .map((p, i) => `${i + 1}. ${p.title}（${p.count}条）`)
    .join('；');
}
