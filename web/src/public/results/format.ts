/*
 * Formatting of published figures for citizens: numbers at the run's precision, values by what they
 * measure (a rate as a percentage, an average as stars, a province rank as a place), intervals, rank
 * changes, ties and the mapping of a value to points in words. Pure: the catalogue comes in as `t`.
 */
import type { TFunction } from 'i18next';
import type {
  ComponentMapping,
  ComponentSource,
  Interval,
  PublicResult,
  PublicResultKind,
  PublicComponentSummary,
  PublicResultSummary,
  RatingStatistic,
} from '../types';

/** A figure at the run's precision: 92.345 at 2 → "92.35"; never "-0.00". */
export function fixed(value: number, precision: number): string {
  const text = value.toFixed(Math.max(0, Math.min(precision, 10)));
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** What a leaf's raw value measures, which decides how it is written. */
export type ValueKind = 'proportion' | 'average' | 'rank' | 'number';

const PROPORTIONS: ReadonlySet<RatingStatistic> = new Set<RatingStatistic>([
  'goodRate',
  'badRate',
  'unratedRate',
  'activeGoodRate',
  'replyRate',
  'rectificationRate',
  'rectificationSatisfactionRate',
]);

export function valueKind(
  source: ComponentSource | undefined,
  mapping: ComponentMapping | undefined,
): ValueKind {
  if (mapping?.kind === 'rank_rule') return 'rank';
  if (source?.kind === 'rating_statistic') {
    return PROPORTIONS.has(source.statistic) ? 'proportion' : 'average';
  }
  return 'number';
}

/**
 * A recorded value as the record holds it (the server keeps 6 decimals): at least the run's precision,
 * more where the record has them — 10.005 at 2 → "10.005", 12 → "12.00".
 */
export function recorded(value: number, precision: number): string {
  const text = fixed(value, 6);
  const [whole, decimals = ''] = text.split('.');
  const keep = Math.max(Math.min(precision, 6), decimals.replace(/0+$/, '').length);
  return keep === 0 ? (whole ?? text) : `${whole ?? ''}.${decimals.slice(0, keep)}`;
}

/**
 * A raw value as a citizen reads it: 0.9234 as a rate → "92.3%", 4.567 as an average → "4.57",
 * 5 as a rank → "第 5 名" (through t), anything else as recorded (at least the run's precision).
 */
export function formatValue(t: TFunction, value: number, kind: ValueKind, precision: number): string {
  switch (kind) {
    case 'proportion':
      return `${fixed(value * 100, 1)}%`;
    case 'average':
      return fixed(value, 2);
    case 'rank':
      return t('results.value.rank', { n: Math.round(value) });
    case 'number':
      return recorded(value, precision);
  }
}

/** "样本 980 条，95% 置信区间 91.2%–94.6%" — or only the part that is known; "" when neither is. */
export function sampleSentence(
  t: TFunction,
  sampleSize: number | null | undefined,
  interval: Interval | null | undefined,
  kind: ValueKind,
  precision: number,
): string {
  const parts: string[] = [];
  if (sampleSize !== null && sampleSize !== undefined) parts.push(t('results.sample', { n: sampleSize }));
  if (interval) {
    parts.push(
      t('results.interval', {
        low: formatValue(t, interval.low, kind, precision),
        high: formatValue(t, interval.high, kind, precision),
      }),
    );
  }
  return parts.join(t('results.comma'));
}

const SERIES_FAMILIES = ['province_rank', 'xian_satisfaction'] as const;

/** How a rating statistic or an imported series is named. */
export function sourceWords(t: TFunction, source: ComponentSource): string {
  switch (source.kind) {
    case 'rating_statistic':
      return t('results.source.rating', { statistic: t(`results.statistic.${source.statistic}`) });
    case 'imported': {
      const known = t(`results.series.${source.series}`, { defaultValue: '' });
      if (known) return t('results.source.importedNamed', { series: known });
      // Some series come as one per item: province_rank_task_07, xian_satisfaction_education.
      const family = SERIES_FAMILIES.find((f) => source.series.startsWith(`${f}_`));
      if (family) return t('results.source.importedNamed', { series: t(`results.series.${family}`) });
      return t('results.source.imported');
    }
    case 'score_sheet':
      return t('results.source.sheet');
    case 'campaign':
      return t('results.source.campaign');
  }
}

const share = (s: number): string => `${Number((s * 100).toFixed(1))}%`;

/** A threshold of a mapping as written in a scheme: 0.8 as a rate → "80%", 0.925 → "92.5%", 4.5 → "4.5". */
function threshold(x: number, kind: ValueKind): string {
  if (kind === 'proportion') return `${Number((x * 100).toFixed(2))}%`;
  return String(Number(x.toFixed(4)));
}

/** How the value became points, in a sentence. */
export function mappingWords(t: TFunction, mapping: ComponentMapping, kind: ValueKind): string {
  const v = (x: number) => threshold(x, kind);
  switch (mapping.kind) {
    case 'direct':
      return t('results.mapping.direct');
    case 'linear':
      if (kind === 'number' && mapping.from === 0 && mapping.to === 100)
        return t('results.mapping.percentScale');
      return t(mapping.to >= mapping.from ? 'results.mapping.linearUp' : 'results.mapping.linearDown', {
        from: v(mapping.from),
        to: v(mapping.to),
      });
    case 'steps': {
      const steps = [...mapping.steps].sort((a, b) => b.atLeast - a.atLeast);
      const list = steps
        .map((s) =>
          s.share >= 1
            ? t('results.mapping.stepFull', { atLeast: v(s.atLeast) })
            : t('results.mapping.step', { atLeast: v(s.atLeast), share: share(s.share) }),
        )
        .join(t('results.semicolon'));
      return t('results.mapping.steps', { list });
    }
    case 'rank_rule':
      return t('results.mapping.rankRule', {
        full: mapping.fullUpTo,
        step: share(mapping.stepShare),
        last: mapping.lastRank,
        floor: share(mapping.floorShare),
      });
  }
}

/** Ranks held by more than one unit (shown as 并列). */
export function tiedRanks(rows: readonly { rank: number }[]): Set<number> {
  const seen = new Set<number>();
  const tied = new Set<number>();
  for (const r of rows) {
    if (seen.has(r.rank)) tied.add(r.rank);
    seen.add(r.rank);
  }
  return tied;
}

export type RankMove = { dir: 'up' | 'down'; n: number } | { dir: 'same' } | { dir: 'new' };

/** previous rank − rank → how the unit moved: +3 is up three places. */
export function rankMove(rankChange: number | null): RankMove {
  if (rankChange === null) return { dir: 'new' };
  if (rankChange > 0) return { dir: 'up', n: rankChange };
  if (rankChange < 0) return { dir: 'down', n: -rankChange };
  return { dir: 'same' };
}

/** How a result is shown: two lists, the hardest sections, or (a scheme without lists) the ranking alone. */
export type ResultView = PublicResultKind;

/**
 * A scheme without lists (Tai'an's part of a larger assessment) publishes a ranking only, whatever kind
 * the server files it under; otherwise the server's kind.
 */
export function resultKind(result: Pick<PublicResult, 'kind' | 'best' | 'worst'>): ResultView {
  if (result.best.length === 0 && result.worst.length === 0) return 'ranking';
  return result.kind;
}

/**
 * The short label of a result in the list: 十佳十差 only for lists of ten and ten, 好差名单 for other
 * lists of at least three, and a ranking that names only its first and last (a quarterly satisfaction
 * ranking) a ranking.
 */
export function listKind(summary: Pick<PublicResultSummary, 'kind' | 'listSizes'>): ResultView | 'lists' {
  const { best, worst } = summary.listSizes;
  if (summary.kind === 'worst_only') return worst > 0 ? 'worst_only' : 'ranking';
  if (summary.kind === 'ranking' || (best < 3 && worst < 3)) return 'ranking';
  return best === 10 && worst === 10 ? 'best_worst' : 'lists';
}

/** Newest first; equal times by id so the order is stable. */
export function newestFirst(items: readonly PublicResultSummary[]): PublicResultSummary[] {
  return [...items].sort((a, b) =>
    a.publishedAt === b.publishedAt ? a.id.localeCompare(b.id) : a.publishedAt < b.publishedAt ? 1 : -1,
  );
}

/** An instant as the day in China (UTC+8), the way notices are dated: "2026-01-15". */
export function chinaDay(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso.slice(0, 10);
  return new Date(time + 8 * 3600_000).toISOString().slice(0, 10);
}

/** "2026-01-05" → "2026年1月5日" (Chinese) or "5 January 2026" (English). */
export function longDate(day: string, english: boolean): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!m) return day;
  const [year, month, date] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (!english) return `${year}年${month}月${date}日`;
  const months = [
    'January',
    'February',
    'March',
    'April',
    'May',
    'June',
    'July',
    'August',
    'September',
    'October',
    'November',
    'December',
  ];
  return `${date} ${months[month - 1] ?? ''} ${year}`;
}

const ENDS_WITH_JUDGEMENT = /(评议|考核|评价|评选|测评|评比|评)$/;

/**
 * The notice's title: "关于2026年度十佳十差基层单位评议结果的通报". A scheme named for what it does
 * ("…评议", "…考核", "…群众评") is not given a second 评议.
 */
export function noticeTitle(t: TFunction, schemeName: string, periodName: string): string {
  const scheme = schemeName.trim();
  return t(ENDS_WITH_JUDGEMENT.test(scheme) ? 'results.notice.title' : 'results.notice.titleJudged', {
    scheme,
    period: periodName.trim(),
  });
}

export interface Method {
  /** The paper's total. */
  max: number;
  parts: { name: string; maxPoints: number }[];
}

/**
 * The scheme's top-level parts, for the notice's paragraph of method, from the result's component list
 * (the root, if listed, is the one node at the smallest depth); null when there is nothing to say.
 */
export function methodOf(components: readonly PublicComponentSummary[]): Method | null {
  if (components.length === 0) return null;
  const top = Math.min(...components.map((c) => c.depth));
  const atTop = components.filter((c) => c.depth === top);
  const root = atTop.length === 1 ? atTop[0] : undefined;
  const parts = root ? components.filter((c) => c.depth === top + 1) : atTop;
  if (parts.length === 0) return null;
  return { max: root ? root.maxPoints : parts.reduce((sum, c) => sum + c.maxPoints, 0), parts };
}

/** Points as a scheme writes them (100, 7.5), without trailing zeros. */
export const maxPointsText = (n: number): string => String(Number(n.toFixed(4)));
