import { inTransaction, type Deps } from '../core/context.js';
import { AppError, Conflict, Invalid } from '../core/errors.js';
import { maskPersonalData } from '../core/mask.js';
import { chinaDate, isoNow, isValidDate } from '../core/time.js';
import { loadTree } from '../ledger/scope.js';
import {
  countsAsSatisfied,
  matterTransition,
  MATTER_RATINGS,
  MATTER_STATE_NAMES,
  normalizeReceiptCode,
  percent,
  type MatterOutcome,
  type MatterRating,
  type MatterState,
} from './model.js';
import { matterEvent, PUBLIC_FILER } from './service.js';
import * as store from './store.js';
import type { PublicMatterView, WindowFigures } from './types.js';

/*
 * What the public sees of the 办不成事 window: a matter looked up by its receipt code (its progress, the units
 * handling it and the result — never contact data or staff names), the filer's judgement of the result, and
 * the window's figures per period (received, resolved, satisfied).
 */

/** The steps the filer is shown (events of the office's internal work are left out). */
const PUBLIC_STEPS = new Set(['filed', 'accept', 'decline', 'assign', 'resolve', 'rate', 'reopen']);

async function matterByCode(db: Deps['database']['db'], text: string) {
  const code = normalizeReceiptCode(text);
  const m = code === null ? undefined : await store.matterByReceipt(db, code);
  if (!m)
    throw new AppError(
      404,
      'window_receipt_unknown',
      'No matter has this receipt code; check it and try again.',
    );
  return m;
}

async function publicView(deps: Deps, db: Deps['database']['db'], code: string): Promise<PublicMatterView> {
  const m = await matterByCode(db, code);
  const tree = await loadTree(db, deps);
  const state = m.state as MatterState;
  const assignments = await store.assignmentsOf(db, [m.id]);
  return {
    receiptCode: m.receiptCode,
    state,
    stateName: MATTER_STATE_NAMES[state],
    what: maskPersonalData(m.what),
    filedOn: m.filedOn,
    dueOn: m.dueOn,
    units: assignments.map((a) => tree.names.get(a.unitId) ?? ''),
    outcome: m.outcome as MatterOutcome | null,
    resolutionText:
      state === 'resolved' || state === 'closed'
        ? maskPersonalData(m.resolutionText)
        : state === 'declined'
          ? m.declinedReason
          : '',
    rating: m.rating as MatterRating | null,
    mayRate: state === 'resolved',
    steps: (await store.eventsOf(db, m.id))
      .filter((e) => PUBLIC_STEPS.has(e.type))
      .map((e) => ({ at: e.at, type: e.type })),
  };
}

/** GET /api/public/window/matters/:code: a matter's progress by its receipt code (anyone holding the code). */
export async function lookUpMatter(deps: Deps, code: string): Promise<PublicMatterView> {
  return publicView(deps, deps.database.db, code);
}

/**
 * POST /api/public/window/matters/:code/rating: the filer judges the result of a resolved matter (满意, 基本满意,
 * 不满意) with an optional comment; once only.
 */
export async function rateMatter(
  deps: Deps,
  code: string,
  input: { rating: MatterRating; comment?: string },
): Promise<PublicMatterView> {
  if (!MATTER_RATINGS.includes(input.rating)) {
    throw new Invalid('invalid_input', 'Choose satisfied, basically satisfied or dissatisfied.', {
      field: 'rating',
    });
  }
  return inTransaction(deps, PUBLIC_FILER, async (trx, audit) => {
    const m = await matterByCode(trx, code);
    const result = matterTransition(m.state as MatterState, { type: 'rate' });
    if (!result.ok) throw new Conflict(result.code, result.message, { state: m.state });
    const comment = input.comment?.trim() ?? '';
    const now = isoNow(deps.clock);
    const ok = await store.updateMatter(trx, m.id, m.state, {
      state: result.state,
      rating: input.rating,
      ratingComment: comment,
      ratedAt: now,
      dueOn: null,
      escalation: 0,
      stageFrom: chinaDate(deps.clock.now()),
      updatedAt: now,
    });
    if (!ok) throw new Conflict('window_already_rated', 'This matter has been rated already.');
    await matterEvent(trx, deps, m.id, 'public', 'rate', {
      rating: input.rating,
      satisfied: countsAsSatisfied(input.rating),
    });
    await audit({
      action: 'window.rate',
      entityType: 'window_matter',
      entityId: m.id,
      before: { state: m.state },
      after: { state: result.state, rating: input.rating },
    });
    return publicView(deps, trx, m.receiptCode);
  });
}

/** The window's figures for matters filed from–to (default: this year up to today). Anyone may read them. */
export async function windowFigures(deps: Deps, q: { from?: string; to?: string }): Promise<WindowFigures> {
  const today = chinaDate(deps.clock.now());
  const from = q.from ?? `${today.slice(0, 4)}-01-01`;
  const to = q.to ?? today;
  if (!isValidDate(from) || !isValidDate(to) || from > to) {
    throw new Invalid('invalid_range', 'The first day must be a date on or before the last.', { from, to });
  }
  const f = await store.figures(deps.database.db, from, to);
  const rated = [...f.ratings.values()].reduce((a, b) => a + b, 0);
  const satisfied = (f.ratings.get('satisfied') ?? 0) + (f.ratings.get('basically') ?? 0);
  return {
    from,
    to,
    received: f.received,
    accepted: f.received - f.declined,
    resolved: f.resolved,
    rated,
    satisfied,
    satisfiedRate: percent(satisfied, rated),
  };
}
