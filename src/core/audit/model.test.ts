import { describe, expect, it } from 'vitest';
import { chainHash, checkChain, GENESIS_HASH, type AuditEntry, type AuditEntryContent } from './model.js';

/*
 * Pure rules of the hash chain: no database is involved, so these run once (the service tests run
 * the same checks against rows on both databases).
 */

function content(seq: number, detail: Record<string, unknown> = { name: `单位${seq}` }): AuditEntryContent {
  return {
    seq,
    at: `2026-03-16T02:00:0${seq % 10}.000Z`,
    actorId: 'acct-1',
    actorLabel: 'office',
    action: 'unit.changed',
    entityType: 'unit',
    entityId: `unit-${seq}`,
    beforeDigest: null,
    afterDigest: 'a'.repeat(64),
    detail: JSON.stringify(detail),
  };
}

/** A well-formed chain of n entries. */
function chain(n: number): AuditEntry[] {
  const out: AuditEntry[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq += 1) {
    const c = content(seq);
    const hash = chainHash(prevHash, c);
    out.push({ ...c, prevHash, hash });
    prevHash = hash;
  }
  return out;
}

describe('chainHash', () => {
  it('is a SHA-256 hex digest that depends on the previous hash and on every field', () => {
    const base = content(1);
    const hash = chainHash(GENESIS_HASH, base);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(chainHash(GENESIS_HASH, { ...base })).toBe(hash);
    expect(chainHash('1'.repeat(64), base)).not.toBe(hash);
    const changes: Partial<AuditEntryContent>[] = [
      { seq: 2 },
      { at: '2026-03-16T02:00:02.000Z' },
      { actorId: null },
      { actorLabel: 'admin' },
      { action: 'unit.created' },
      { entityType: 'staff' },
      { entityId: 'unit-2' },
      { beforeDigest: 'b'.repeat(64) },
      { afterDigest: null },
      { detail: '{"name":"单位2"}' },
    ];
    for (const change of changes) {
      expect(chainHash(GENESIS_HASH, { ...base, ...change }), JSON.stringify(change)).not.toBe(hash);
    }
  });

  it('does not depend on the order the fields were written in', () => {
    const base = content(1);
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as unknown as AuditEntryContent;
    expect(chainHash(GENESIS_HASH, reordered)).toBe(chainHash(GENESIS_HASH, base));
  });
});

describe('checkChain', () => {
  it('passes an intact chain and hands on where the next page must continue', () => {
    const entries = chain(5);
    const { result, state } = checkChain(entries);
    expect(result).toBeNull();
    expect(state).toEqual({ expectedPrev: entries[4]?.hash, expectedSeq: 6, checked: 5 });
    expect(checkChain([]).result).toBeNull();
  });

  it('reports an altered entry as hash_mismatch at that entry', () => {
    const entries = chain(5);
    entries[1] = { ...(entries[1] as AuditEntry), detail: '{"name":"改过的名字"}' };
    expect(checkChain(entries).result).toEqual({
      ok: false,
      entries: 1,
      brokenAt: 2,
      reason: 'hash_mismatch',
    });
  });

  it('reports a removed entry as seq_gap where it is missing', () => {
    const entries = chain(5);
    entries.splice(2, 1);
    expect(checkChain(entries).result).toEqual({ ok: false, entries: 2, brokenAt: 3, reason: 'seq_gap' });
    expect(checkChain(chain(3).slice(1)).result).toMatchObject({ brokenAt: 1, reason: 'seq_gap' });
  });

  it('reports an entry altered and re-hashed as prev_hash_mismatch at the entry after it', () => {
    const entries = chain(5);
    const second = entries[1] as AuditEntry;
    const forged = { ...second, detail: '{"name":"伪造"}' };
    const { prevHash, hash: _hash, ...forgedContent } = forged;
    entries[1] = { ...forged, hash: chainHash(prevHash, forgedContent) };
    expect(checkChain(entries).result).toEqual({
      ok: false,
      entries: 2,
      brokenAt: 3,
      reason: 'prev_hash_mismatch',
    });
  });

  it('reports a first entry that does not start from the genesis hash', () => {
    const entries = chain(2);
    const first = entries[0] as AuditEntry;
    const { prevHash: _p, hash: _h, ...c } = first;
    entries[0] = { ...first, prevHash: 'f'.repeat(64), hash: chainHash('f'.repeat(64), c) };
    expect(checkChain(entries).result).toEqual({
      ok: false,
      entries: 0,
      brokenAt: 1,
      reason: 'prev_hash_mismatch',
    });
  });

  it('checks page by page exactly as it checks the whole, counting entries across pages', () => {
    const entries = chain(7);
    const first = checkChain(entries.slice(0, 4));
    expect(first.result).toBeNull();
    const second = checkChain(entries.slice(4), first.state);
    expect(second.result).toBeNull();
    expect(second.state).toEqual(checkChain(entries).state);

    entries[5] = { ...(entries[5] as AuditEntry), actorLabel: 'someone-else' };
    const broken = checkChain(entries.slice(4), checkChain(entries.slice(0, 4)).state);
    expect(broken.result).toEqual({ ok: false, entries: 5, brokenAt: 6, reason: 'hash_mismatch' });
  });
});
