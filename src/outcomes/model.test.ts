import { describe, expect, it } from 'vitest';
import { addMonthsCivil, isOpen, proposeConsequences, RULE_PRESETS, ruleProblems } from './model.js';

describe('addMonthsCivil', () => {
  it('ends on the corresponding day, or the last day of a month without one', () => {
    expect(addMonthsCivil('2026-03-16', 3)).toBe('2026-06-16');
    expect(addMonthsCivil('2026-11-30', 3)).toBe('2027-02-28');
    expect(addMonthsCivil('2027-11-30', 3)).toBe('2028-02-29'); // 2028 is a leap year
    expect(addMonthsCivil('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonthsCivil('2026-08-31', 1)).toBe('2026-09-30');
    expect(addMonthsCivil('2026-12-15', 12)).toBe('2027-12-15');
  });
});

describe('isOpen', () => {
  const bar = {
    status: 'confirmed' as const,
    kind: 'no_promotion' as const,
    endsOn: '2027-02-28',
    doneOn: null,
  };
  it('keeps a lasting consequence open through its last day', () => {
    expect(isOpen(bar, '2027-02-28')).toBe(true);
    expect(isOpen(bar, '2027-03-01')).toBe(false);
    expect(isOpen({ ...bar, status: 'revoked' }, '2027-01-01')).toBe(false);
  });
  it('keeps a talk open until it is held; a bonus cut is never open', () => {
    expect(isOpen({ ...bar, kind: 'talk', endsOn: null }, '2030-01-01')).toBe(true);
    expect(isOpen({ ...bar, kind: 'talk', endsOn: null, doneOn: '2026-05-01' }, '2026-05-02')).toBe(false);
    expect(isOpen({ ...bar, kind: 'bonus_cut', endsOn: null }, '2026-05-02')).toBe(false);
  });
});

describe('ruleProblems', () => {
  it('accepts every preset', () => {
    for (const p of RULE_PRESETS) expect(ruleProblems(p.rules)).toEqual([]);
  });
  it('names the rule of each problem', () => {
    const base = {
      key: 'a',
      name: '降幅最大扣奖金',
      trigger: { kind: 'flag', flag: 'largest_decline' },
      target: 'unit',
    };
    const problems = ruleProblems([
      { ...base, kind: 'bonus_cut', percent: 0 },
      { ...base, key: 'a', kind: 'no_promotion', months: 2.5 },
      { ...base, key: 'c', kind: 'talk', trigger: { kind: 'flag', flag: 'tie' } },
      { ...base, key: 'd', kind: 'reward', percent: 5 },
    ]);
    expect(problems.map((p) => [p.index, p.code])).toEqual([
      [0, 'invalid_percent'],
      [1, 'duplicate_rule_key'],
      [1, 'invalid_months'],
      [2, 'invalid_trigger'],
      [3, 'invalid_percent'],
    ]);
    expect(ruleProblems({}).map((p) => p.code)).toEqual(['invalid_rules']);
  });
});

describe('proposeConsequences', () => {
  const unit = (unitId: string, rank: number, flags: string[], grade: string | null) => ({
    unitId,
    code: unitId.toUpperCase(),
    name: unitId,
    parentName: null,
    total: 100 - rank * 10,
    interval: null,
    rank,
    grade,
    bonusScore: null,
    previousRank: null,
    rankChange: null,
    flags: flags as never[],
    components: {},
  });
  it('fires list rules in list order, flag and grade rules in rank order, rule by rule', () => {
    const run = {
      id: 'r1',
      units: [
        unit('a', 1, [], 'top'),
        unit('b', 2, ['largest_decline'], 'top'),
        unit('c', 3, ['largest_decline'], null),
      ],
      current: { best: ['a'], worst: ['c', 'b'] },
    };
    const proposals = proposeConsequences(
      run,
      [
        {
          key: 'w',
          name: '末位约谈',
          trigger: { kind: 'list', list: 'worst' },
          kind: 'talk',
          target: 'principal',
        },
        {
          key: 'd',
          name: '降幅最大',
          trigger: { kind: 'flag', flag: 'largest_decline' },
          kind: 'bonus_cut',
          target: 'unit',
          percent: 5,
        },
        {
          key: 'g',
          name: '优秀奖励',
          trigger: { kind: 'grade', grade: 'top' },
          kind: 'reward',
          target: 'unit',
        },
      ],
      '2026-03-16',
    );
    expect(proposals.map((p) => `${p.ruleKey}:${p.unitId}:${p.basis.listPosition ?? '-'}`)).toEqual([
      'w:c:1',
      'w:b:2',
      'd:b:-',
      'd:c:-',
      'g:a:-',
      'g:b:-',
    ]);
  });
});
