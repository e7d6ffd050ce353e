import { createInstance, type TFunction } from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import en from '../locales/en';
import zhCN from '../locales/zh-CN';
import type { PublicResultSummary } from '../types';
import {
  listKind,
  chinaDay,
  fixed,
  formatValue,
  longDate,
  mappingWords,
  methodOf,
  newestFirst,
  noticeTitle,
  rankMove,
  resultKind,
  sampleSentence,
  sourceWords,
  tiedRanks,
} from './format';
import { parseResultsRoute, resultNoticePath, resultUnitPath } from './routes';

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

describe('figures at the run precision', () => {
  it('rounds to the stated decimals and never shows a negative zero', () => {
    expect(fixed(86.456, 2)).toBe('86.46');
    expect(fixed(90, 1)).toBe('90.0');
    expect(fixed(-0.0004, 2)).toBe('0.00');
    expect(fixed(-1.25, 1)).toBe('-1.3');
  });

  it('writes a rate as a percentage, an average in stars, a rank as a place', () => {
    expect(formatValue(zh, 0.9234, 'proportion', 2)).toBe('92.3%');
    expect(formatValue(zh, 4.567, 'average', 2)).toBe('4.57');
    expect(formatValue(zh, 5, 'rank', 2)).toBe('第 5 名');
    expect(formatValue(zh, 17.5, 'number', 2)).toBe('17.50');
  });

  it('writes a recorded value as the record holds it (up to 6 decimals), never rounded to the run precision', () => {
    expect(formatValue(zh, 10.005, 'number', 2)).toBe('10.005');
    expect(formatValue(zh, 3.141593, 'number', 2)).toBe('3.141593');
    expect(formatValue(zh, 12, 'number', 2)).toBe('12.00');
    expect(formatValue(zh, -0.0000004, 'number', 2)).toBe('0.00');
  });
});

describe('the sample and its 95% interval in words', () => {
  it('says how many ratings and between which rates the true rate lies', () => {
    expect(sampleSentence(zh, 980, { low: 0.912, high: 0.946 }, 'proportion', 2)).toBe(
      '样本 980 条，95% 置信区间 91.2%–94.6%',
    );
    expect(sampleSentence(english, 980, { low: 0.912, high: 0.946 }, 'proportion', 2)).toBe(
      'sample of 980, 95% confidence interval 91.2%–94.6%',
    );
  });

  it('says only what is known', () => {
    expect(sampleSentence(zh, null, { low: 4.512, high: 4.618 }, 'average', 2)).toBe(
      '95% 置信区间 4.51–4.62',
    );
    expect(sampleSentence(zh, 12, null, 'proportion', 2)).toBe('样本 12 条');
    // A rate interval that reaches 100% (few ratings, all good) says so.
    expect(sampleSentence(zh, 10, { low: 0.627, high: 1 }, 'proportion', 2)).toBe(
      '样本 10 条，95% 置信区间 62.7%–100.0%',
    );
    expect(sampleSentence(zh, undefined, null, 'number', 2)).toBe('');
  });
});

describe('sources and mappings in words', () => {
  it('names where a figure comes from', () => {
    expect(sourceWords(zh, { kind: 'rating_statistic', statistic: 'goodRate' })).toBe('即时评价 好评率');
    expect(sourceWords(zh, { kind: 'imported', series: 'third_party_survey' })).toBe(
      '外部评分 第三方电话抽访',
    );
    expect(sourceWords(zh, { kind: 'imported', series: 'province_rank_task_07' })).toBe(
      '外部评分 省考核名次',
    );
    // A series the catalogue does not know is not shown by its code.
    expect(sourceWords(zh, { kind: 'imported', series: 'xq_2026_b' })).toBe('外部评分');
    expect(sourceWords(zh, { kind: 'score_sheet', task: 'task_07' })).toBe('联考评分（由牵头单位评分）');
  });

  it('explains the rank rule with its numbers (Chuzhou: 3, 5%, 16, floor 30%)', () => {
    expect(
      mappingWords(
        zh,
        { kind: 'rank_rule', fullUpTo: 3, stepShare: 0.05, lastRank: 16, floorShare: 0.3 },
        'rank',
      ),
    ).toBe('第 1–3 名得满分，此后每低一名少得满分的 5%，直到第 16 名；第 16 名以后得满分的 30%');
  });

  it('explains a linear scale and steps with thresholds as the scheme wrote them', () => {
    expect(mappingWords(zh, { kind: 'linear', from: 0.8, to: 1 }, 'proportion')).toBe(
      '80% 及以下得 0 分，100% 及以上得满分，其间按比例计分',
    );
    expect(mappingWords(zh, { kind: 'linear', from: 0, to: 100 }, 'number')).toBe(
      '按百分制得分折算：100 分得满分，其间按比例计分',
    );
    expect(mappingWords(zh, { kind: 'linear', from: 0.2, to: 0.025 }, 'proportion')).toBe(
      '20% 及以上得 0 分，2.5% 及以下得满分，其间按比例计分',
    );
    expect(
      mappingWords(
        zh,
        {
          kind: 'steps',
          steps: [
            { atLeast: 0.9, share: 0.8 },
            { atLeast: 0.95, share: 1 },
          ],
        },
        'proportion',
      ),
    ).toBe('按档计分：达到 95% 得满分；达到 90% 得满分的 80%；未达到最低一档得 0 分');
  });
});

describe('ranks', () => {
  it('finds the ranks that units share', () => {
    expect([...tiedRanks([{ rank: 1 }, { rank: 2 }, { rank: 2 }, { rank: 4 }])]).toEqual([2]);
    expect(tiedRanks([{ rank: 1 }, { rank: 2 }]).size).toBe(0);
  });

  it('reads previous rank − rank as a move', () => {
    expect(rankMove(3)).toEqual({ dir: 'up', n: 3 });
    expect(rankMove(-2)).toEqual({ dir: 'down', n: 2 });
    expect(rankMove(0)).toEqual({ dir: 'same' });
    expect(rankMove(null)).toEqual({ dir: 'new' });
  });

  it('shows a result as the kind the server files it under, and as a ranking when both lists are empty', () => {
    const row = {
      unitId: 'u',
      code: 'A',
      name: 'A',
      parentName: null,
      total: 1,
      rank: 1,
      grade: null,
      flags: [],
      rankChange: null,
      problems: null,
    };
    expect(resultKind({ best: [], worst: [row], kind: 'worst_only' })).toBe('worst_only');
    // Nothing on either list: a ranking, even when filed as worst-only.
    expect(resultKind({ best: [], worst: [], kind: 'worst_only' })).toBe('ranking');
    expect(resultKind({ best: [row], worst: [row], kind: 'best_worst' })).toBe('best_worst');
    expect(resultKind({ best: [], worst: [row], kind: 'best_worst' })).toBe('best_worst');
    // A scheme without lists is filed as a ranking by the server.
    expect(resultKind({ best: [], worst: [], kind: 'ranking' })).toBe('ranking');
    // The list of results labels every kind the server files.
    const kinds: PublicResultSummary['kind'][] = ['best_worst', 'worst_only', 'ranking'];
    expect(kinds.map((k) => zh(`results.kindShort.${k}`))).toEqual(['十佳十差', '最难办事', '排名']);
    expect(kinds.map((k) => english(`results.kindShort.${k}`))).toEqual([
      'Best and worst',
      'Hardest to deal with',
      'Ranking',
    ]);
  });
});

describe('the label of a result in the list', () => {
  const summary = (kind: PublicResultSummary['kind'], best: number, worst: number): PublicResultSummary => ({
    id: 'x',
    publishedAt: '2026-01-01T00:00:00.000Z',
    schemeName: 's',
    periodName: 'p',
    groupName: 'g',
    kind,
    listSizes: { best, worst },
  });
  it('says 十佳十差 only for ten and ten, and calls a quarterly ranking with a first and a last a ranking', () => {
    const label = (s: PublicResultSummary) => zh(`results.kindShort.${listKind(s)}`);
    expect(label(summary('best_worst', 10, 10))).toBe('十佳十差');
    expect(label(summary('best_worst', 5, 5))).toBe('好差名单');
    expect(label(summary('best_worst', 1, 1))).toBe('排名');
    expect(label(summary('worst_only', 0, 10))).toBe('最难办事');
    expect(label(summary('ranking', 0, 0))).toBe('排名');
  });
});

describe('dates and the notice', () => {
  it('lists the newest publication first', () => {
    const item = (id: string, publishedAt: string): PublicResultSummary => ({
      id,
      publishedAt,
      schemeName: 's',
      periodName: 'p',
      groupName: 'g',
      kind: 'best_worst',
      listSizes: { best: 10, worst: 10 },
    });
    const sorted = newestFirst([
      item('a', '2025-07-02T02:00:00.000Z'),
      item('b', '2026-01-15T02:00:00.000Z'),
      item('c', '2025-12-31T23:00:00.000Z'),
    ]);
    expect(sorted.map((r) => r.id)).toEqual(['b', 'c', 'a']);
  });

  it('dates a publication by the day in China', () => {
    // 17:30 UTC on the 14th is 01:30 on the 15th in Beijing.
    expect(chinaDay('2026-01-14T17:30:00.000Z')).toBe('2026-01-15');
    expect(longDate('2026-01-05', false)).toBe('2026年1月5日');
    expect(longDate('2026-01-05', true)).toBe('5 January 2026');
  });

  it('titles the notice without doubling 评议', () => {
    expect(noticeTitle(zh, '十佳十差基层单位', '2026年度')).toBe(
      '关于2026年度十佳十差基层单位评议结果的通报',
    );
    expect(noticeTitle(zh, '最难办事科室评议', '2026年上半年')).toBe(
      '关于2026年上半年最难办事科室评议结果的通报',
    );
  });

  it('states the method from the top-level parts of the scheme', () => {
    const components = [
      { id: 'root', name: '总分', maxPoints: 100, depth: 0 },
      { id: 'style', name: '日常作风', maxPoints: 10, depth: 1 },
      { id: 'net', name: '互联网+大数据', maxPoints: 90, depth: 1 },
      { id: 'net_rating', name: '网络评价', maxPoints: 10, depth: 2 },
    ];
    // 总分 100 = 日常作风 10 + 互联网+大数据 90 (its own part 网络评价 is not named)
    expect(methodOf(components)).toEqual({
      max: 100,
      parts: [components[1], components[2]],
    });
    // Without the root: the parts at the top add up to the paper, 150 + 150 = 300.
    const withoutRoot = [
      { id: 'a', name: '省考核', maxPoints: 150, depth: 1 },
      { id: 'b', name: '联考', maxPoints: 150, depth: 1 },
    ];
    expect(methodOf(withoutRoot)?.max).toBe(300);
    expect(methodOf(withoutRoot)?.parts.map((p) => p.name)).toEqual(['省考核', '联考']);
    // A root alone, or nothing at all: nothing to say.
    expect(methodOf([components[0]!])).toBeNull();
    expect(methodOf([])).toBeNull();
  });
});

describe('addresses of the result pages', () => {
  it('names each page and nothing else', () => {
    expect(parseResultsRoute([])).toEqual({ page: 'results' });
    expect(parseResultsRoute(['r1'])).toEqual({ page: 'result', id: 'r1' });
    expect(parseResultsRoute(['r1', 'notice'])).toEqual({ page: 'result-notice', id: 'r1' });
    expect(parseResultsRoute(['r1', 'units', 'u9'])).toEqual({ page: 'result-unit', id: 'r1', unitId: 'u9' });
    expect(parseResultsRoute(['r1', 'units'])).toBeNull();
    expect(parseResultsRoute(['r1', 'print'])).toBeNull();
    expect(parseResultsRoute(['r1', 'units', 'u9', 'x'])).toBeNull();
  });

  it('builds the addresses it parses', () => {
    expect(resultUnitPath('r 1', 'u/9')).toBe('/public/results/r%201/units/u%2F9');
    expect(resultNoticePath('r1')).toBe('/public/results/r1/notice');
  });
});
