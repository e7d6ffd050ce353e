import { describe, expect, it } from 'vitest';
import { newId } from './ids.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** The 48-bit millisecond timestamp at the front of a UUIDv7. */
const millisOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
/** The 12-bit counter after the version nibble. */
const counterOf = (id: string): number => parseInt(id.replace(/-/g, '').slice(13, 16), 16);

function expectStrictlyIncreasing(ids: string[]): void {
  for (let i = 1; i < ids.length; i += 1) {
    const [before, after] = [ids[i - 1] ?? '', ids[i] ?? ''];
    if (!(before < after)) expect.fail(`id ${i} (${after}) does not sort after id ${i - 1} (${before})`);
  }
}

// Each test starts from a millisecond later than any used before, as the generator keeps its state
// for the whole process.
let base = Date.UTC(2030, 0, 1);
const nextBase = (): number => (base += 60_000);

describe('newId', () => {
  // First, before the tests below move the generator's clock into the future.
  it('makes distinct ids from the real clock, in order', () => {
    const ids = Array.from({ length: 20_000 }, () => newId());
    expect(new Set(ids).size).toBe(ids.length);
    expectStrictlyIncreasing(ids);
  });

  it('is a UUIDv7: version nibble 7, RFC 4122 variant bits, the given millisecond in front', () => {
    const now = nextBase();
    for (let i = 0; i < 200; i += 1) {
      const id = newId(now);
      expect(id).toMatch(UUID_V7);
      const variantByte = parseInt(id.slice(19, 21), 16);
      expect(variantByte & 0xc0).toBe(0x80);
      expect(millisOf(id)).toBe(now);
    }
  });

  it('orders many ids made in one millisecond by a counter, strictly in string order', () => {
    const now = nextBase();
    const ids = Array.from({ length: 1000 }, () => newId(now));
    expectStrictlyIncreasing(ids);
    expect(ids.map(millisOf).every((ms) => ms === now)).toBe(true);
    expect(ids.map(counterOf)).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it('stays ordered past the counter rollover: more than 4096 ids in one millisecond borrow the next', () => {
    const now = nextBase();
    const ids = Array.from({ length: 10_000 }, () => newId(now));
    expectStrictlyIncreasing(ids);
    expect(millisOf(ids[4095] ?? '')).toBe(now);
    expect(counterOf(ids[4095] ?? '')).toBe(0xfff);
    expect(millisOf(ids[4096] ?? '')).toBe(now + 1);
    expect(counterOf(ids[4096] ?? '')).toBe(0);
    expect(millisOf(ids[9999] ?? '')).toBe(now + 2);
    // A real later millisecond that the borrowed ones already passed keeps the order too.
    const after = [newId(now + 1), newId(now + 2), newId(now + 3)];
    expectStrictlyIncreasing([...ids, ...after]);
    expect(millisOf(after[2] ?? '')).toBe(now + 3);
  });

  it('stays ordered when the clock goes backwards', () => {
    const now = nextBase();
    const ids = [newId(now), newId(now + 5), newId(now - 1_000), newId(now - 60_000), newId(now + 5)];
    ids.push(...Array.from({ length: 100 }, (_, i) => newId(now - i)));
    expectStrictlyIncreasing(ids);
    // The timestamp never goes back: ids made under a clock behind stay at the latest millisecond seen.
    expect(ids.slice(1).every((id) => millisOf(id) === now + 5)).toBe(true);
    expect(newId(now + 6) > (ids.at(-1) ?? '')).toBe(true);
  });
});
