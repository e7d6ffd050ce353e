import { describe, expect, it } from 'vitest';
import {
  ancestry,
  nearestSetting,
  normalizeTags,
  parentsFirst,
  periodShape,
  planChange,
  subtreeOf,
  wouldCreateCycle,
} from './model.js';

const parents = new Map<string, string | null>([
  ['city', null],
  ['a', 'city'],
  ['a1', 'a'],
  ['a1w', 'a1'],
  ['b', 'city'],
]);

describe('the unit tree', () => {
  it('lists a unit and its ancestors, nearest first', () => {
    expect(ancestry(parents, 'a1w')).toEqual(['a1w', 'a1', 'a', 'city']);
  });
  it('refuses to put a unit under itself or its descendants, and allows elsewhere', () => {
    expect(wouldCreateCycle(parents, 'a', 'a')).toBe(true);
    expect(wouldCreateCycle(parents, 'a', 'a1w')).toBe(true);
    expect(wouldCreateCycle(parents, 'a', 'b')).toBe(false);
    expect(wouldCreateCycle(parents, 'a', null)).toBe(false);
  });
  it('collects a subtree', () => {
    expect([...subtreeOf(parents, 'a')].sort()).toEqual(['a', 'a1', 'a1w']);
    expect(subtreeOf(parents, 'b')).toEqual(new Set(['b']));
  });
  it('orders import rows parents first and reports cycles by code', () => {
    const rows = [
      { code: 'W', parentCode: 'S' },
      { code: 'S', parentCode: 'D' },
      { code: 'D', parentCode: 'EXISTING' },
    ];
    expect(parentsFirst(rows).ordered?.map((r) => r.code)).toEqual(['D', 'S', 'W']);
    const cyclic = parentsFirst([
      { code: 'X', parentCode: 'Y' },
      { code: 'Y', parentCode: 'X' },
    ]);
    expect(cyclic.cycle).toEqual(['X', 'Y', 'X']);
  });
});

describe('versions over time', () => {
  it('corrects on the latest start date, splits after it, refuses before it or after closing', () => {
    const latest = { validFrom: '2025-01-01', validTo: null };
    expect(planChange(latest, '2025-01-01')).toEqual({ kind: 'correct' });
    expect(planChange(latest, '2026-07-01')).toEqual({ kind: 'split' });
    expect(planChange(latest, '2024-12-31')).toEqual({ kind: 'refuse', code: 'effective_before_latest' });
    expect(planChange({ validFrom: '2025-01-01', validTo: '2026-01-01' }, '2026-02-01')).toEqual({
      kind: 'refuse',
      code: 'unit_inactive',
    });
  });
});

describe('periods', () => {
  it('shapes years, halves, quarters and months with inclusive ends', () => {
    expect(periodShape('year', 2026, 1)).toMatchObject({
      code: '2026',
      startDate: '2026-01-01',
      endDate: '2026-12-31',
      name: '2026年度',
    });
    expect(periodShape('half', 2026, 2)).toMatchObject({
      code: '2026-H2',
      startDate: '2026-07-01',
      endDate: '2026-12-31',
      name: '2026年下半年',
    });
    expect(periodShape('quarter', 2026, 1)).toMatchObject({
      code: '2026-Q1',
      endDate: '2026-03-31',
      name: '2026年第一季度',
    });
    expect(periodShape('month', 2024, 2)).toMatchObject({
      code: '2024-02',
      endDate: '2024-02-29',
      name: '2024年2月',
    });
    expect(periodShape('month', 2026, 2).endDate).toBe('2026-02-28');
  });
});

describe('tags', () => {
  it('splits on Chinese and ASCII separators, trims, de-duplicates and sorts', () => {
    expect(normalizeTags('窗口， 审批；重点 窗口')).toEqual(['审批', '窗口', '重点'].sort());
    expect(normalizeTags(['ＡＢ ', 'AB'])).toEqual(['AB']);
  });
});

describe('nearestSetting', () => {
  it('takes the value of the nearest unit up the ancestry that sets one', () => {
    const own: Record<string, number | undefined> = { hall: 2, city: 3 };
    expect(nearestSetting(['window', 'hall', 'city'], (id) => own[id])).toBe(2);
    expect(nearestSetting(['window', 'city'], (id) => own[id])).toBe(3);
    expect(nearestSetting(['window'], (id) => own[id])).toBeUndefined();
    // A falsy value set on a unit still counts as set.
    expect(nearestSetting(['window', 'hall'], (id) => ({ window: 0, hall: 5 })[id])).toBe(0);
  });
});
