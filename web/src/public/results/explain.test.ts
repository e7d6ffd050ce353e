import { createInstance, type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';
import type { ComponentExplanation, FiredRule } from '../types';
import { componentsById, countsOf, gradeName, provenanceWords, ruleSentence } from './explain';

let zh: TFunction;
let english: TFunction;

beforeAll(async () => {
  const make = async (lng: string) => {
    const i18n = createInstance();
    await i18n.init({
      resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
      lng,
      interpolation: { escapeValue: false },
      nsSeparator: false,
    });
    return i18n.t;
  };
  zh = await make('zh-CN');
  english = await make('en');
});

const tree: ComponentExplanation = {
  id: 'root',
  name: '总分',
  maxPoints: 100,
  points: 80,
  flags: [],
  children: [
    {
      id: 'net_rating',
      name: '网络评价',
      maxPoints: 10,
      points: 9,
      source: { kind: 'rating_statistic', statistic: 'goodRate' },
      mapping: { kind: 'linear', from: 0.8, to: 1 },
      flags: ['small_sample', 'shrunk'],
    },
    {
      id: 'task_07',
      name: '省考核第7项',
      maxPoints: 20,
      points: 19,
      source: { kind: 'imported', series: 'province_rank_task_07' },
      mapping: { kind: 'rank_rule', fullUpTo: 3, stepShare: 0.05, lastRank: 16, floorShare: 0.3 },
      flags: [],
    },
  ],
};

const rule = (r: FiredRule['rule'], params: FiredRule['params'], detail = 'engine sentence'): FiredRule => ({
  rule: r,
  detail,
  params,
});

describe('fired rules in words', () => {
  const byId = componentsById(tree);

  it('gives a veto its reason', () => {
    expect(
      ruleSentence(
        zh,
        rule('veto', { vetoId: 'v1', reason: '发生重大安全生产责任事故', evidence: '通报' }),
        byId,
        2,
      ),
    ).toBe('原因：发生重大安全生产责任事故');
  });

  it('names the component and the grade of a promotion', () => {
    expect(
      ruleSentence(
        zh,
        rule('promotion', { promotion: 'p', component: 'task_07', rank: 2, maxRank: 3, grade: 'excellent' }),
        byId,
        2,
      ),
    ).toBe('省考核第7项名列第 2 名（前 3 名以内），不论得分评为“优秀”，不占该等次名额。');
  });

  it('writes a shrunk rate as percentages', () => {
    expect(
      ruleSentence(
        zh,
        rule('shrinkage', {
          component: 'net_rating',
          recorded: 0.6,
          sampleSize: 10,
          minSample: 30,
          mean: 0.9,
          value: 0.825,
        }),
        byId,
        2,
      ),
    ).toBe('网络评价：样本 10 条，少于最低要求的 30 条，数值由 60.0% 向全组平均值 90.0% 收缩为 82.5%。');
  });

  it('tells a shared rank from a tie broken by components', () => {
    expect(
      ruleSentence(
        zh,
        rule('tie', { rank: 4, total: 88.5, tiedOnTotal: 1, sharedWith: 1, tieBreak: null }),
        byId,
        1,
      ),
    ).toBe('总分与另外 1 个单位相同，并列第 4 名。');
    expect(
      ruleSentence(
        english,
        rule('tie', { rank: 5, total: 88.5, tiedOnTotal: 1, sharedWith: 0, tieBreak: '网络评价' }),
        byId,
        1,
      ),
    ).toBe('The total equals that of 1 other unit(s); the points of 网络评价 place it at rank 5.');
  });

  it('writes grades at the run precision, and a grade missed at a tied quota edge', () => {
    expect(
      ruleSentence(
        zh,
        rule('grade', {
          grade: 'good',
          rank: 12,
          total: 251.456,
          minScore: 240,
          maxShare: null,
          quota: null,
        }),
        byId,
        2,
      ),
    ).toBe('第 12 名，总分 251.46 分，评为“良好”。');
    expect(
      ruleSentence(zh, rule('grade', { grade: 'excellent', rank: 8, quota: 8, placesLeft: 1 }), byId, 2),
    ).toBe(
      '并列第 8 名的单位不能全部纳入“优秀”的名额（共 8 个，尚余 1 个）；并列的单位不拆分，因此都未评为“优秀”。',
    );
  });

  it('tells the largest decline from a second decline running', () => {
    const params = { previousRank: 4, rank: 5, decline: 1, previousRun: 'r0' };
    expect(
      ruleSentence(
        zh,
        rule(
          'rank_change',
          params,
          'The largest decline in the group since 2026年第二季度: from rank 4 to 5 (1 place(s)).',
        ),
        byId,
        2,
      ),
    ).toBe('本组名次下降最多：由上期第 4 名降至第 5 名，下降 1 名。');
    expect(
      ruleSentence(
        zh,
        rule(
          'rank_change',
          params,
          'Declined two runs running: from rank 4 to 5 now, after declining in 2026年第二季度 too.',
        ),
        byId,
        2,
      ),
    ).toBe('连续两期名次下降：由上期第 4 名降至第 5 名，上期也比前一期下降。');
  });

  it('shows an unknown grade key as it is', () => {
    expect(gradeName(zh, 'excellent')).toBe('优秀');
    expect(gradeName(zh, '先进')).toBe('先进');
    expect(gradeName(zh, null)).toBe('');
  });
});

describe('provenance for the public', () => {
  it('keeps the document and the day, in the reader’s language', () => {
    expect(provenanceWords(zh, 'from 《2026年第三方电话抽访报告》 on 2026-01-08')).toBe(
      '依据《2026年第三方电话抽访报告》（2026-01-08 录入）',
    );
    expect(provenanceWords(zh, 'scored by 区纪委; from 《联考评分表》 on 2026-01-09')).toBe(
      '评分单位：区纪委；依据《联考评分表》（2026-01-09 录入）',
    );
  });

  it('gives the period a rate counts, and its counts apart', () => {
    const line = '好评率 930/1000 (ratings 2026-01-01…2026-12-31)';
    expect(provenanceWords(zh, line)).toBe('统计期间 2026-01-01 至 2026-12-31');
    expect(countsOf(line)).toEqual({ num: 930, den: 1000 });
    expect(countsOf('from 《表》 on 2026-01-08')).toBeNull();
    expect(provenanceWords(zh, '差评回复率 3/4 (bad reviews 2026-01-01…2026-06-30)')).toBe(
      '统计期间 2026-01-01 至 2026-06-30',
    );
  });

  it('says nothing when the line says nothing it can read', () => {
    expect(provenanceWords(zh, null)).toBeNull();
    expect(provenanceWords(zh, 'something else')).toBeNull();
  });
});
