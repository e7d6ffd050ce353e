import { canonicalJson, sha256Hex } from '../digest.js';
import type { AuditEntry, AuditEntryContent } from './types.js';

// Declared in types.ts (shared with web/); re-exported for the callers that import them from here.
export type { AuditEntry, AuditEntryContent } from './types.js';

/** The hash the first entry chains to. */
export const GENESIS_HASH = '0'.repeat(64);

/** SHA-256 over the previous hash and the canonical JSON of the entry's content. */
export function chainHash(prevHash: string, content: AuditEntryContent): string {
  return sha256Hex(`${prevHash}\n${canonicalJson(content)}`);
}

export type ChainCheck =
  | { ok: true; entries: number; lastHash: string }
  | {
      ok: false;
      entries: number;
      brokenAt: number;
      reason: 'prev_hash_mismatch' | 'hash_mismatch' | 'seq_gap';
    };

/**
 * Walks entries in seq order and reports the first broken link. Feed it in pages: pass the state
 * returned by the previous page.
 */
export function checkChain(
  entries: readonly AuditEntry[],
  state: { expectedPrev: string; expectedSeq: number; checked: number } = {
    expectedPrev: GENESIS_HASH,
    expectedSeq: 1,
    checked: 0,
  },
): { result: ChainCheck | null; state: { expectedPrev: string; expectedSeq: number; checked: number } } {
  let { expectedPrev, expectedSeq, checked } = state;
  for (const entry of entries) {
    if (entry.seq !== expectedSeq) {
      return { result: { ok: false, entries: checked, brokenAt: expectedSeq, reason: 'seq_gap' }, state };
    }
    if (entry.prevHash !== expectedPrev) {
      return {
        result: { ok: false, entries: checked, brokenAt: entry.seq, reason: 'prev_hash_mismatch' },
        state,
      };
    }
    const { prevHash, hash, ...content } = entry;
    if (chainHash(prevHash, content) !== hash) {
      return { result: { ok: false, entries: checked, brokenAt: entry.seq, reason: 'hash_mismatch' }, state };
    }
    expectedPrev = hash;
    expectedSeq += 1;
    checked += 1;
  }
  return { result: null, state: { expectedPrev, expectedSeq, checked } };
}
