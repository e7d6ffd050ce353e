import { describe, expect, it } from 'vitest';
import { proportion, roundTo } from './stats.js';

describe('proportion', () => {
  it('gives the share and a Wilson interval that brackets it', () => {
    const p = proportion(45, 50);
    expect(p.value).toBe(0.9);
    // Wilson 95% for 45/50: 0.7864 – 0.9565 (hand-computed).
    expect(roundTo(p.low ?? 0, 4)).toBe(0.7864);
    expect(roundTo(p.high ?? 0, 4)).toBe(0.9565);
  });
  it('stays inside [0, 1] at the edges and is empty for no data', () => {
    const all = proportion(10, 10);
    expect(all.high).toBe(1);
    expect(roundTo(all.low ?? 0, 4)).toBe(0.7225);
    expect(proportion(0, 0)).toEqual({ numerator: 0, denominator: 0, value: null, low: null, high: null });
  });
});

describe('roundTo', () => {
  it('rounds half away from zero despite binary fractions', () => {
    expect(roundTo(0.125, 2)).toBe(0.13);
    expect(roundTo(1.005, 2)).toBe(1.01);
    expect(roundTo(-2.5, 0)).toBe(-3);
    expect(roundTo(93.3333333, 2)).toBe(93.33);
  });
});
