import { describe, expect, it } from 'vitest';
import { AppError } from '../core/errors.js';
import {
  computeResults,
  describeKeyTaskFormula,
  difficultyCoefficient,
  measureOf,
  meanEstimate,
  parseMeasure,
  validateBallot,
  validateQuestionnaire,
} from './model.js';
import { DEFAULT_SATISFACTION_SCORES, type Questionnaire, type SubjectAnswers } from './types.js';

/** Tai'an's key-task sheet plus one of each other kind. */
const TAIAN: Questionnaire = {
  intro: '请对以下重点工作进行评价',
  items: [
    { key: 'sat', kind: 'satisfaction', prompt: '您对该项工作的满意程度' },
    { key: 'dif', kind: 'difficulty', prompt: '您认为该项工作的难度' },
    { key: 'signs', kind: 'checklist', prompt: '是否存在以下问题', required: false },
    {
      key: 'social',
      kind: 'dimensions',
      prompt: '社会满意度',
      required: false,
      dimensions: [
        { key: 'attitude', name: '服务态度' },
        { key: 'efficiency', name: '办事效率' },
      ],
    },
    { key: 'aware', kind: 'yes_no', prompt: '您是否了解该项工作', required: false },
    {
      key: 'channel',
      kind: 'choice',
      prompt: '您通过什么渠道了解',
      required: false,
      options: [
        { key: 'tv', label: '电视' },
        { key: 'net', label: '网络' },
      ],
      multiple: true,
    },
    { key: 'advice', kind: 'text', prompt: '意见建议', maxLength: 10 },
  ],
  satisfactionScores: { ...DEFAULT_SATISFACTION_SCORES },
  keyTask: {
    satisfaction: 'sat',
    difficulty: 'dif',
    formula: { kind: 'linear', centre: 3, perLevel: 0.05 },
    cap: 100,
  },
};

function codeOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('questionnaire', () => {
  it('accepts a valid questionnaire and refuses what the schema or the rules forbid', () => {
    expect(validateQuestionnaire(TAIAN)).toEqual(TAIAN);
    expect(codeOf(() => validateQuestionnaire({ ...TAIAN, items: [] }))).toBe('invalid_questionnaire');
    expect(
      codeOf(() => validateQuestionnaire({ ...TAIAN, items: [{ key: 'x', kind: 'stars', prompt: 'p' }] })),
    ).toBe('invalid_questionnaire');
    expect(codeOf(() => validateQuestionnaire({ ...TAIAN, extra: 1 }))).toBe('invalid_questionnaire');
    const twice = { ...TAIAN, items: [...TAIAN.items, { key: 'sat', kind: 'yes_no', prompt: 'again' }] };
    expect(codeOf(() => validateQuestionnaire(twice))).toBe('duplicate_item');
    const wrongKeyTask = { ...TAIAN, keyTask: { ...TAIAN.keyTask, difficulty: 'sat' } };
    expect(codeOf(() => validateQuestionnaire(wrongKeyTask))).toBe('invalid_key_task');
  });

  it('writes the key-task formula out in Chinese', () => {
    expect(describeKeyTaskFormula(TAIAN)).toBe(
      [
        '满意度得分 = 各评价人得分的平均值（满意 100、比较满意 80、基本满意 60、不满意 0）',
        '难度值 = 各评价人难度的平均值（很难 5、较难 4、一般 3、较容易 2、很容易 1）',
        '难度系数 = 1 + 0.05 × (难度值 − 3)',
        '重点工作得分 = 满意度得分 × 难度系数，最高 100',
      ].join('\n'),
    );
  });
});

describe('ballots', () => {
  const subjects = ['task-1', 'task-2'];
  const full = { sat: 'satisfied', dif: 'hard' };

  it('accepts a complete ballot and normalises lists and text', () => {
    const ballot = validateBallot(
      TAIAN,
      subjects,
      {
        'task-1': { ...full, signs: ['shirk.1', 'cold.0'], channel: ['net', 'tv'], advice: '  多修路 ' },
        'task-2': { ...full, advice: '   ' },
      },
      true,
    );
    expect(ballot).toEqual({
      'task-1': { ...full, signs: ['cold.0', 'shirk.1'], channel: ['net', 'tv'], advice: '多修路' },
      'task-2': full,
    });
  });

  it('lets a draft leave subjects and questions out, but not a submitted ballot', () => {
    expect(validateBallot(TAIAN, subjects, { 'task-1': { sat: 'satisfied' } }, false)).toEqual({
      'task-1': { sat: 'satisfied' },
    });
    expect(codeOf(() => validateBallot(TAIAN, subjects, { 'task-1': full }, true))).toBe('answer_missing');
    expect(
      codeOf(() => validateBallot(TAIAN, subjects, { 'task-1': { sat: 'satisfied' }, 'task-2': full }, true)),
    ).toBe('answer_missing');
  });

  it('refuses answers off the scale, unknown subjects and questions, and oversized text', () => {
    const one = (answers: Record<string, unknown>) => () =>
      validateBallot(TAIAN, subjects, { 'task-1': { ...full, ...answers }, 'task-2': full }, true);
    expect(codeOf(one({ sat: 'very_satisfied' }))).toBe('answer_outside_scale');
    expect(codeOf(one({ dif: 3 }))).toBe('answer_outside_scale');
    expect(codeOf(one({ signs: ['bribe.0'] }))).toBe('answer_outside_scale');
    expect(codeOf(one({ signs: ['cold.9'] }))).toBe('answer_outside_scale');
    expect(codeOf(one({ social: { attitude: 'great' } }))).toBe('answer_outside_scale');
    expect(codeOf(one({ social: { speed: 'satisfied' } }))).toBe('answer_outside_scale');
    expect(codeOf(one({ aware: 'yes' }))).toBe('answer_outside_scale');
    expect(codeOf(one({ channel: ['radio'] }))).toBe('answer_outside_scale');
    expect(codeOf(one({ advice: '一二三四五六七八九十十' }))).toBe('text_too_long');
    expect(codeOf(one({ bonus: 1 }))).toBe('unknown_item');
    expect(codeOf(() => validateBallot(TAIAN, subjects, { 'task-9': full }, false))).toBe('unknown_subject');
    // Ten characters (not UTF-16 units) are allowed.
    expect(codeOf(one({ advice: '一二三四五六七八九十' }))).toBe('no error');
  });
});

describe('results', () => {
  const ballots: SubjectAnswers[] = [
    {
      sat: 'satisfied',
      dif: 'very_hard',
      signs: ['shirk.0', 'shirk.1'],
      aware: true,
      social: { attitude: 'satisfied', efficiency: 'dissatisfied' },
    },
    { sat: 'satisfied', dif: 'hard', signs: ['cold.0', 'shirk.0'], aware: true, advice: '好' },
    {
      sat: 'fairly_satisfied',
      dif: 'hard',
      aware: false,
      channel: ['net', 'tv'],
      social: { attitude: 'fairly_satisfied' },
    },
    { sat: 'basically_satisfied', dif: 'moderate', channel: ['net'] },
    { sat: 'dissatisfied', dif: 'easy' },
  ];
  const [result] = computeResults(
    TAIAN,
    ['task-1'],
    ballots.map((answers) => ({ subjectId: 'task-1', answers })),
  );
  if (!result) throw new Error('no result');
  const item = (key: string) => result.items.find((i) => i.key === key);

  it('gives the satisfaction score by the level map with n and a 95% interval', () => {
    // Scores 100, 100, 80, 60, 0: mean 68, sample variance 1720, half-width 1.96·√1720/√5 = 36.352.
    expect(result.n).toBe(5);
    const sat = item('sat');
    if (sat?.kind !== 'satisfaction' || !sat.score) throw new Error('no score');
    expect(sat.distribution).toEqual({
      satisfied: 2,
      fairly_satisfied: 1,
      basically_satisfied: 1,
      dissatisfied: 1,
    });
    expect(sat.score.value).toBe(68);
    expect(sat.score.n).toBe(5);
    expect(sat.score.low).toBeCloseTo(31.648083, 5);
    expect(sat.score.high).toBe(100); // 104.35 is kept within the scale
  });

  it('gives the difficulty figure and the key-task score', () => {
    // Difficulty 5, 4, 4, 3, 2: mean 3.6; coefficient 1 + 0.05 × 0.6 = 1.03; key task 68 × 1.03 = 70.04.
    const dif = item('dif');
    if (dif?.kind !== 'difficulty' || !dif.difficulty) throw new Error('no difficulty');
    expect(dif.distribution).toEqual({ very_hard: 1, hard: 2, moderate: 1, easy: 1, very_easy: 0 });
    expect(dif.difficulty.value).toBeCloseTo(3.6, 12);
    expect(dif.difficulty.low).toBeCloseTo(2.600611, 5);
    expect(result.keyTask?.coefficient).toBeCloseTo(1.03, 12);
    expect(result.keyTask?.score.value).toBeCloseTo(70.04, 10);
    expect(result.keyTask?.score.low).toBeCloseTo(31.648083 * 1.03, 4);
    expect(result.keyTask?.score.high).toBe(100); // 103 capped at 100
  });

  it('counts 冷懒推乱贪 by ballot and by manifestation, yes/no, choices, dimensions and comments', () => {
    const signs = item('signs');
    if (signs?.kind !== 'checklist') throw new Error('no checklist');
    expect(signs.indicators.shirk.count).toBe(2); // two ballots, three ticks
    expect(signs.indicators.cold.count).toBe(1);
    expect(signs.indicators.greed.count).toBe(0);
    expect(signs.manifestations['shirk.0']).toBe(2);
    expect(signs.manifestations['shirk.1']).toBe(1);
    expect(signs.indicators.shirk.share?.value).toBe(0.4);
    const aware = item('aware');
    if (aware?.kind !== 'yes_no') throw new Error('no yes/no');
    expect([aware.yes, aware.no]).toEqual([2, 1]);
    // Wilson interval of 2/3: 0.2077 … 0.9385.
    expect(aware.share?.low).toBeCloseTo(0.2077, 4);
    expect(aware.share?.high).toBeCloseTo(0.9385, 4);
    expect(item('channel')).toEqual({ key: 'channel', kind: 'choice', distribution: { tv: 1, net: 2 } });
    const social = item('social');
    if (social?.kind !== 'dimensions') throw new Error('no dimensions');
    // attitude 100, 80 → 90; efficiency 0 → 0; mean of the two 45.
    expect(social.dimensions.map((d) => d.score?.value)).toEqual([90, 0]);
    expect(social.mean).toBe(45);
    expect(item('advice')).toEqual({ key: 'advice', kind: 'text', count: 1 });
  });

  it('reads measures a scoring leaf names', () => {
    expect(measureOf(result, parseMeasure(TAIAN, 'satisfaction:sat'))?.value).toBe(68);
    expect(measureOf(result, parseMeasure(TAIAN, 'key_task'))?.value).toBeCloseTo(70.04, 10);
    expect(measureOf(result, parseMeasure(TAIAN, 'dimension:social:attitude'))?.value).toBe(90);
    expect(measureOf(result, parseMeasure(TAIAN, 'dimensions:social'))?.value).toBe(45);
    expect(measureOf(result, parseMeasure(TAIAN, 'checklist:signs:shirk'))?.value).toBe(2);
    expect(measureOf(result, parseMeasure(TAIAN, 'count'))?.value).toBe(5);
    expect(codeOf(() => parseMeasure(TAIAN, 'satisfaction:dif'))).toBe('unknown_measure');
    expect(codeOf(() => parseMeasure(TAIAN, 'checklist:signs:bribe'))).toBe('unknown_measure');
  });

  it('gives a subject without ballots n = 0 and no scores', () => {
    const [empty] = computeResults(TAIAN, ['task-2'], []);
    expect(empty?.n).toBe(0);
    expect(empty?.keyTask).toBeNull();
    expect(meanEstimate(0, 0, 0, 0, 100)).toBeNull();
  });
});

describe('difficulty coefficient', () => {
  it('follows a linear or a stepped formula', () => {
    expect(difficultyCoefficient({ kind: 'linear', centre: 3, perLevel: 0.1 }, 5)).toBeCloseTo(1.2, 12);
    expect(difficultyCoefficient({ kind: 'linear', centre: 3, perLevel: 0.1 }, 1)).toBeCloseTo(0.8, 12);
    const steps = {
      kind: 'steps' as const,
      steps: [
        { atLeast: 3.5, coefficient: 1.05 },
        { atLeast: 4.5, coefficient: 1.1 },
      ],
    };
    expect(difficultyCoefficient(steps, 4.6)).toBe(1.1);
    expect(difficultyCoefficient(steps, 3.5)).toBe(1.05);
    expect(difficultyCoefficient(steps, 3.4)).toBe(1);
  });
});
