import { casesOfRatings } from '../cases/store.js';
import { maskPersonalData } from '../cases/model.js';
import type { Executor } from '../core/db/database.js';
import { commentedRatings } from '../ratings/store.js';

/*
 * Where the comment inbox's comments come from. Each source is registered here at start-up; an area that
 * produces free text (ratings, bad-review cases, the 办不成事 window, campaign ballots) registers its source
 * with the ledger — the ledger never imports that area's service. The built-in sources read the ratings
 * and cases stores. A source returns what the inbox keeps: unit, date, level and text — never the writer.
 */

export interface CollectedComment {
  /** Stable within the source (a rating id, a case id, a ballot answer id): collecting twice stores once. */
  sourceRef: string;
  unitId: string;
  /** YYYY-MM-DD */
  date: string;
  /** The rating level (1–5) or a scale's answer, when the source has one. */
  level: number | null;
  text: string;
}

export interface CommentSource {
  /** Stored with each comment: rating, case, window, campaign, … */
  key: string;
  /** Shown in the console (Chinese). */
  name: string;
  /** The comments written on days from–to (inclusive), at most `limit`. */
  collect(db: Executor, range: { from: string; to: string; limit: number }): Promise<CollectedComment[]>;
}

const registered = new Map<string, CommentSource>();

/** Adds (or replaces, by key) a comment source; areas call this once at start-up. */
export function registerCommentSource(source: CommentSource): void {
  registered.set(source.key, source);
}

/** The registered sources, built-in ones first. */
export function commentSources(): CommentSource[] {
  return [...registered.values()];
}

/** The display name of a source key (the key itself for a source no longer registered). */
export function sourceName(key: string): string {
  return registered.get(key)?.name ?? key;
}

/** A comment as the inbox stores it: trimmed, phone and ID numbers masked (the public may see problems). */
export function inboxText(text: string): string {
  return maskPersonalData(text.trim());
}

/**
 * Ratings with a comment: a bad review that opened a case comes as that case (source `case`, at the
 * responsible unit, which must rectify it); every other commented rating as `rating`, at the rated unit.
 */
async function ratingsAndCases(
  db: Executor,
  range: { from: string; to: string; limit: number },
  want: 'rating' | 'case',
): Promise<CollectedComment[]> {
  const ratings = await commentedRatings(db, range.from, range.to, range.limit);
  const cases = await casesOfRatings(
    db,
    ratings.map((r) => r.id),
  );
  const out: CollectedComment[] = [];
  for (const r of ratings) {
    const c = cases.get(r.id);
    if (want === 'case' && c) {
      out.push({
        sourceRef: c.caseId,
        unitId: c.responsibleUnitId,
        date: r.day,
        level: r.level,
        text: r.comment,
      });
    } else if (want === 'rating' && !c) {
      out.push({ sourceRef: r.id, unitId: r.unitId, date: r.day, level: r.level, text: r.comment });
    }
  }
  return out;
}

registerCommentSource({
  key: 'rating',
  name: '即时评价',
  collect: (db, range) => ratingsAndCases(db, range, 'rating'),
});
registerCommentSource({
  key: 'case',
  name: '差评工单',
  collect: (db, range) => ratingsAndCases(db, range, 'case'),
});
