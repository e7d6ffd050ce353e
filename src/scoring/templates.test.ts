import { describe, expect, it } from 'vitest';
import { DEMO_CATEGORIES } from '../registry/demo.js';
import {
  applyReviewStage,
  computeRanking,
  leafComponents,
  schemeProblems,
  validateScheme,
  type GroupUnit,
  type RankingOutcome,
  type SchemeDefinition,
  type SourceValue,
  type UnitResult,
} from './model.js';
import { CHUZHOU_PROVINCE_LEAVES, SCHEME_TEMPLATES, schemeTemplate } from './templates.js';

function template(key: string): SchemeDefinition {
  const found = schemeTemplate(key);
  if (!found) throw new Error(`no template ${key}`);
  return found.definition;
}

const unit = (id: string): GroupUnit => ({ id, code: id, name: `单位${id}` });
const v = (value: number, extra: Partial<SourceValue> = {}): SourceValue => ({
  value,
  provenance: 'test',
  ...extra,
});

function resultOf(outcome: RankingOutcome, id: string): UnitResult {
  const found = outcome.units.find((u) => u.unitId === id);
  if (!found) throw new Error(`unit ${id} not in the outcome`);
  return found;
}

/** The published points of one component of a unit's result. */
function pointsOf(result: UnitResult, componentId: string): number {
  const stack = [result.explanation];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.id === componentId) return node.points;
    stack.push(...(node.children ?? []));
  }
  throw new Error(`component ${componentId} not in the result`);
}

function flagsOf(result: UnitResult, componentId: string): string[] {
  const stack = [result.explanation];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.id === componentId) return node.flags;
    stack.push(...(node.children ?? []));
  }
  throw new Error(`component ${componentId} not in the result`);
}

describe('the seed model templates', () => {
  it('offers the five seed models under their keys', () => {
    expect(SCHEME_TEMPLATES.map((t) => t.key)).toEqual(['caidian', 'chuzhou', 'nanchuan', 'xian', 'taian']);
    // Each names the office whose notice it prints.
    expect(SCHEME_TEMPLATES.map((t) => t.definition.issuer)).toEqual([
      '蔡甸区治庸问责办公室',
      '滁州市效能办',
      '南川区纪委监委',
      '西安国际港务区考核办',
      '泰安市考核办',
    ]);
    for (const t of SCHEME_TEMPLATES) {
      expect(t.name.length).toBeGreaterThan(0);
      expect(t.description.length).toBeGreaterThan(20);
    }
  });

  it.each(SCHEME_TEMPLATES.map((t) => [t.key, t] as const))('%s is a sound scheme', (_key, t) => {
    expect(schemeProblems(t.definition)).toEqual([]);
    expect(validateScheme(t.definition)).toBe(t.definition);
    for (const leaf of leafComponents(t.definition)) {
      expect(leaf.source, leaf.id).toBeDefined();
      expect(leaf.mapping, leaf.id).toBeDefined();
    }
  });

  it('ranks groups the demo city has', () => {
    const codes = new Set<string>(DEMO_CATEGORIES.map((c) => c.code));
    for (const t of SCHEME_TEMPLATES) {
      for (const group of t.definition.groups) {
        for (const code of group.categoryCodes ?? []) expect(codes, `${t.key}/${group.key}`).toContain(code);
      }
    }
  });

  it('keeps the papers of the seed articles', () => {
    const points = (key: string) => template(key).root.maxPoints;
    const child = (key: string, id: string) =>
      template(key).root.children?.find((c) => c.id === id)?.maxPoints ?? null;
    expect(points('caidian')).toBe(100);
    expect(
      ['daily_style', 'social_satisfaction', 'supervision', 'big_data'].map((id) => child('caidian', id)),
    ).toEqual([10, 10, 30, 50]);
    expect(points('chuzhou')).toBe(300);
    expect(child('chuzhou', 'province')).toBe(150);
    expect(points('nanchuan')).toBe(100);
    expect(template('nanchuan').lists).toEqual({ best: 0, worst: 10 });
    expect(leafComponents(template('xian')).map((l) => l.maxPoints)).toEqual([100, 100, 100, 100, 100, 100]);
    // Tai'an: 好差评 is 15% of the 1,000-point paper.
    expect(points('taian') / 1000).toBe(0.15);
    expect(template('caidian').review.stages.map((s) => [s.body, s.size])).toEqual([
      ['区纪委常委会', 15],
      ['区政府常务会', 10],
      ['区委常委会', 10],
    ]);
  });

  it('moves the Caidian lists from 20 to 15 to 10 through its three stages', () => {
    const scheme = template('caidian');
    const ids = (prefix: string) => Array.from({ length: 20 }, (_, i) => `${prefix}${i + 1}`);
    let lists = { best: ids('B'), worst: ids('W') };
    lists = applyReviewStage(scheme, 0, lists, { kind: 'approve' });
    expect(lists.best).toEqual(ids('B').slice(0, 15));
    lists = applyReviewStage(scheme, 1, lists, { kind: 'approve' });
    expect(lists.worst).toEqual(ids('W').slice(0, 10));
    lists = applyReviewStage(scheme, 2, lists, { kind: 'approve' });
    expect([lists.best.length, lists.worst.length]).toEqual([10, 10]);
  });
});

describe('the Chuzhou template computes', () => {
  // A: vetoed, 4th in the province on task 01, 17th on task 02. B: 1st on task 01 (promoted).
  // C: 16th on task 01 and the lead unit of the service-reform task (so no sheet score of its own).
  // D: carries no provincial task 01 (gets the average) and scores lowest.
  const units = ['A', 'B', 'C', 'D'].map(unit);
  const province = (ranks: Record<string, number>) =>
    Object.fromEntries(Object.entries(ranks).map(([id, rank]) => [id, v(rank)]));
  const all = (value: number) => Object.fromEntries(units.map((u) => [u.id, v(value)]));
  const outcome = computeRanking({
    scheme: template('chuzhou'),
    groupKey: 'departments',
    units,
    values: {
      province_task_01: province({ A: 4, B: 1, C: 16 }),
      province_task_02: province({ A: 17 }),
      province_task_03: all(10),
      province_task_04: all(10),
      province_task_05: all(10),
      chuzhou_service_reform: { A: v(90), B: v(80), D: v(70) },
      chuzhou_petition: all(100),
      chuzhou_work_safety: all(100),
      chuzhou_ecology: all(100),
      leader_review: { A: v(90), B: v(80), C: v(85), D: v(60) },
      party_building: { A: v(95), B: v(90), C: v(100), D: v(60) },
    },
    vetoes: [{ id: 'veto-1', unitId: 'A', reason: '主要负责人严重违纪', evidence: '市纪委通报' }],
    previous: null,
  });
  const [a, b, c, d] = ['A', 'B', 'C', 'D'].map((id) => resultOf(outcome, id)) as [
    UnitResult,
    UnitResult,
    UnitResult,
    UnitResult,
  ];

  it('applies the province rank rule: 1st 100%, 4th 95%, 16th 35%, 17th the floor', () => {
    expect(pointsOf(b, 'province_task_01')).toBe(30);
    expect(pointsOf(a, 'province_task_01')).toBe(28.5);
    expect(pointsOf(c, 'province_task_01')).toBe(10.5);
    expect(pointsOf(a, 'province_task_02')).toBe(10.5);
    // 10th: 100% − 7 × 5% = 65% of 30.
    expect(pointsOf(d, 'province_task_03')).toBe(19.5);
  });

  it('gives a unit without a provincial task the average of the units that have it', () => {
    // (28.5 + 30 + 10.5) / 3 = 23
    expect(pointsOf(d, 'province_task_01')).toBe(23);
    expect(flagsOf(d, 'province_task_01')).toEqual(['average_substituted']);
    // Only A carries task 02: everyone else gets its 10.5.
    expect(pointsOf(b, 'province_task_02')).toBe(10.5);
  });

  it('gives the lead unit the average on its own task, which it does not score', () => {
    // Sheets 90, 80, 70 of 100 on a 20-point task: 18, 16, 14; the lead unit C gets (18 + 16 + 14) / 3.
    expect(pointsOf(a, 'chuzhou_service_reform')).toBe(18);
    expect(pointsOf(c, 'chuzhou_service_reform')).toBe(16);
  });

  it('adds up to the hand-computed totals and ranks', () => {
    // A: province 28.5 + 10.5 + 3 × 19.5 = 97.5; joint 18 + 60 = 78; leaders 27; party 38 → 240.5
    // B: 30 + 10.5 + 58.5 = 99; 16 + 60 = 76; 24; 36 → 235
    // C: 10.5 + 10.5 + 58.5 = 79.5; 16 + 60 = 76; 25.5; 40 → 221
    // D: 23 + 10.5 + 58.5 = 92; 14 + 60 = 74; 18; 24 → 208
    expect(outcome.units.map((u) => [u.unitId, u.total, u.rank])).toEqual([
      ['A', 240.5, 1],
      ['B', 235, 2],
      ['C', 221, 3],
      ['D', 208, 4],
    ]);
    expect(pointsOf(a, 'province')).toBe(97.5);
    expect(pointsOf(d, 'efficiency')).toBe(92);
  });

  it('grades with promotion, veto and bonus by actual score', () => {
    // B is 1st in the province on task 01: promoted to 优秀 whatever its score.
    expect(b.grade).toBe('excellent');
    expect(b.flags).toContain('promoted');
    // A ranks first but is vetoed: not 优秀; 240.5 ≥ 240 makes it 良好; its bonus is still paid on 240.5.
    expect(a.flags).toContain('vetoed');
    expect(a.grade).toBe('good');
    expect(a.bonusScore).toBe(240.5);
    // 221 ≥ 210 is 一般; 208 falls to 较差.
    expect(c.grade).toBe('fair');
    expect(d.grade).toBe('poor');
    expect(outcome.best).not.toContain('A');
  });

  it('promotes on any of the provincial tasks', () => {
    expect(template('chuzhou').promotions[0]?.leaves).toEqual(CHUZHOU_PROVINCE_LEAVES);
    expect(CHUZHOU_PROVINCE_LEAVES).toHaveLength(5);
  });
});

describe('the Caidian template computes', () => {
  const units = ['S1', 'S2', 'S3', 'S4'].map(unit);
  const outcome = computeRanking({
    scheme: template('caidian'),
    groupKey: 'sections',
    units,
    values: {
      daily_style: { S1: v(9.5), S2: v(8), S3: v(7), S4: v(9) },
      social_satisfaction: { S1: v(92), S2: v(95), S3: v(80), S4: v(95) },
      npc_inspection: { S1: v(88), S2: v(80), S3: v(70), S4: v(70) },
      cppcc_inspection: { S1: v(90), S2: v(80), S3: v(60), S4: v(70) },
      internet_rating: {
        S1: v(0.98, { sampleSize: 400 }),
        S2: v(0.95, { sampleSize: 250 }),
        S3: v(1, { sampleSize: 12 }),
        S4: v(0.97, { sampleSize: 300 }),
      },
      wechat_hotline: { S1: v(85), S2: v(90), S3: v(70), S4: v(90) },
      accountability: { S1: v(18), S2: v(15), S3: v(12), S4: v(17.5) },
      reply_rate: { S1: v(0.9), S2: v(0.9), S3: v(1), S4: v(0.9) },
      rectification_rate: { S1: v(0.8), S2: v(0.8), S3: v(1), S4: v(0.6) },
    },
    vetoes: [
      { id: 'veto-1', unitId: 'S1', reason: '项目迟迟不落地，业主撤回投资', evidence: '区治庸办调查报告' },
    ],
    previous: null,
  });
  const [s1, s2, s3, s4] = ['S1', 'S2', 'S3', 'S4'].map((id) => resultOf(outcome, id)) as [
    UnitResult,
    UnitResult,
    UnitResult,
    UnitResult,
  ];

  it('maps each component as the paper says', () => {
    // 好评率 98% on the scale 90% → 100% is 80% of 10 points.
    expect(pointsOf(s1, 'internet_rating')).toBe(8);
    // 区人大 88 and 区政协 90 of 100, on 15 points each: 13.2 + 13.5.
    expect(pointsOf(s1, 'supervision')).toBe(26.7);
    // 差评回复率 90% on 80% → 100% is half of 5; 回访整改率 80% on 60% → 100% is half of 5.
    expect(pointsOf(s1, 'bad_review_loop')).toBe(5);
    // 8 + 8.5 + 18 + 5
    expect(pointsOf(s1, 'big_data')).toBe(39.5);
  });

  it('flags a small sample without shrinking it (the scheme only flags)', () => {
    expect(flagsOf(s3, 'internet_rating')).toEqual(['small_sample']);
    expect(pointsOf(s3, 'internet_rating')).toBe(10);
    expect(s3.flags).toContain('small_sample');
  });

  it('adds up to the hand-computed totals and breaks the tie by the big-data points', () => {
    // S1: 9.5 + 9.2 + 13.2 + 13.5 + 8 + 8.5 + 18 + 2.5 + 2.5 = 84.9
    // S4: 9 + 9.5 + 10.5 + 10.5 + 7 + 9 + 17.5 + 2.5 + 0 = 75.5 (big data 36)
    // S2: 8 + 9.5 + 12 + 12 + 5 + 9 + 15 + 2.5 + 2.5 = 75.5 (big data 34)
    // S3: 7 + 8 + 10.5 + 9 + 10 + 7 + 12 + 5 + 5 = 73.5
    expect(outcome.units.map((u) => [u.unitId, u.total, u.rank])).toEqual([
      ['S1', 84.9, 1],
      ['S4', 75.5, 2],
      ['S2', 75.5, 3],
      ['S3', 73.5, 4],
    ]);
    expect([pointsOf(s4, 'big_data'), pointsOf(s2, 'big_data')]).toEqual([36, 34]);
    expect(s4.rules.some((r) => r.rule === 'tie')).toBe(true);
    expect(s2.grade).toBeNull();
  });

  it('puts a vetoed unit on the worst list, whatever its score, and never on the best list', () => {
    expect(s1.flags).toContain('vetoed');
    expect(outcome.worst).toEqual(['S1']);
    expect(outcome.best).toEqual(['S4', 'S2', 'S3']);
  });
});

describe('the Nanchuan template computes', () => {
  // N1 has plenty of ratings; N2 only ten (shrunk toward the group mean); nobody rated N3.
  const units = ['N1', 'N2', 'N3'].map(unit);
  const outcome = computeRanking({
    scheme: template('nanchuan'),
    groupKey: 'sections',
    units,
    values: {
      active_good_rate: { N1: v(0.97, { sampleSize: 100 }), N2: v(0.88, { sampleSize: 10 }) },
      bad_rate: { N1: v(0.01, { sampleSize: 100 }), N2: v(0.04, { sampleSize: 10 }) },
      reply_rate: { N1: v(0.9, { sampleSize: 40 }) },
      ballot: { N1: v(90), N2: v(80), N3: v(70) },
    },
    vetoes: [],
    previous: null,
  });
  const [n1, n2, n3] = ['N1', 'N2', 'N3'].map((id) => resultOf(outcome, id)) as [
    UnitResult,
    UnitResult,
    UnitResult,
  ];

  it('shrinks a small sample toward the group mean', () => {
    // Mean of the recorded rates (0.97 + 0.88) / 2 = 0.925; (10·0.88 + 30·0.925) / 40 = 0.91375,
    // which on 0.85 → 1.00 is 42.5% of 20 points.
    expect(pointsOf(n2, 'active_good_rate')).toBe(8.5);
    expect(flagsOf(n2, 'active_good_rate')).toEqual(['small_sample', 'shrunk']);
    // 差评率, lower is better: (10·0.04 + 30·0.025) / 40 = 0.02875 on 0.05 → 0 is 42.5% of 20.
    expect(pointsOf(n2, 'bad_rate')).toBe(8.5);
    expect(pointsOf(n1, 'active_good_rate')).toBe(16);
    expect(pointsOf(n1, 'bad_rate')).toBe(16);
  });

  it('gives a section nobody rated the average instead of nothing', () => {
    expect(pointsOf(n3, 'active_good_rate')).toBe(12.25);
    expect(flagsOf(n3, 'active_good_rate')).toEqual(['average_substituted']);
  });

  it('lists the hardest sections, worst first, and no best list', () => {
    // N1: 16 + 16 + 10 + 36 = 78; N3: 12.25 + 12.25 + 10 + 28 = 62.5; N2: 8.5 + 8.5 + 10 + 32 = 59
    expect(outcome.units.map((u) => [u.unitId, u.total])).toEqual([
      ['N1', 78],
      ['N3', 62.5],
      ['N2', 59],
    ]);
    expect(outcome.worst).toEqual(['N2', 'N3', 'N1']);
    expect(outcome.best).toEqual([]);
  });
});

it('shares the templates frozen, so that no caller changes them for the next', () => {
  const scheme = template('caidian');
  expect(() => {
    scheme.lists.best = 5;
  }).toThrow(TypeError);
  expect(() => scheme.root.children?.push(scheme.root)).toThrow(TypeError);
  expect(template('caidian').lists.best).toBe(20);
});
