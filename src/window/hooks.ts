import { registerCommentSource } from '../ledger/sources.js';
import type { MatterRating } from './model.js';
import * as store from './store.js';

/*
 * The window's start-up steps: its matters feed the ledger's comment inbox (意见归集) as the source `window`,
 * at the lead unit they were assigned to, on the day they were filed — the text only, never the filer.
 */

let registered = false;

/** Registers the window's comment source with the ledger (once). */
export function registerWindowSteps(): void {
  if (registered) return;
  registered = true;
  registerCommentSource({
    key: 'window',
    name: '办不成事',
    async collect(db, range) {
      const rows = await store.assignedMattersFiled(db, range.from, range.to, range.limit);
      return rows.map((r) => ({
        sourceRef: r.id,
        unitId: r.leadUnitId ?? '',
        date: r.filedOn,
        // The filer's judgement as a level: 满意 5, 基本满意 3, 不满意 1; none before it is rated.
        level:
          r.rating === null
            ? null
            : { satisfied: 5, basically: 3, dissatisfied: 1 }[r.rating as MatterRating],
        text: r.what,
      }));
    },
  });
}
