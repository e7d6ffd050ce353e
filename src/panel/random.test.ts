import { describe, expect, it } from 'vitest';
import { commitmentOf, CounterRng, seedFrom, shuffledPrefix } from './random.js';

// The expected values were computed independently with Python's hashlib, following docs/panel.md:
//   int.from_bytes(hashlib.sha256(seed + i.to_bytes(8, 'big')).digest()[:6], 'big')
const ZERO = '0'.repeat(64);

describe('counter-mode SHA-256 generator', () => {
  it('gives the documented 48-bit values block by block', () => {
    const rng = new CounterRng(ZERO);
    expect([rng.next48(), rng.next48(), rng.next48()]).toEqual([
      48605307990587, 9758206001136, 166397582378852,
    ]);
    const other = new CounterRng('ab'.repeat(32));
    for (let i = 0; i < 5; i++) other.next48();
    expect(other.next48()).toBe(159303692517837);
  });

  it('draws integers below n by rejection and shuffles as a re-implementation would', () => {
    const rng = new CounterRng(ZERO);
    expect([0, 0, 0, 0, 0].map(() => rng.below(10))).toEqual([7, 6, 2, 1, 2]);
    expect(shuffledPrefix(['a', 'b', 'c', 'd', 'e'], 5, new CounterRng(ZERO))).toEqual([
      'c',
      'b',
      'e',
      'a',
      'd',
    ]);
    expect(shuffledPrefix(['a', 'b', 'c', 'd', 'e'], 2, new CounterRng(ZERO))).toEqual(['c', 'b']);
  });

  it('refuses a seed that is not 64 hex digits', () => {
    expect(() => new CounterRng('abc')).toThrow();
    expect(() => new CounterRng('AB'.repeat(32))).toThrow();
  });

  it('derives the seed from the revealed secret and the public value, and the commitment from the secret', () => {
    expect(seedFrom('cd'.repeat(32), ' 2026-12-08 3D 417 ')).toBe(
      '54eb7e58e45ff9ff8556dc23a12ef7c7f2a7d951e876f2cf5cb9afb45a8085ad',
    );
    expect(commitmentOf('cd'.repeat(32))).toBe(
      '3985dac9133f8144ae1ab001dd0a29dffdddb1bf14a5f95aa24c8eed2e5bde2c',
    );
  });
});
