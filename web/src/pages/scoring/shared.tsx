import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Select, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { keys } from '../../queries';
import type { Period } from '../../types';
import type { Interval, Mapping, ResultFlag, RunStatus, SourceSpec } from './api';

/* Pieces every scoring page shares: flags, rank changes, numbers, periods, sources and mappings. */

export const FLAG_COLORS: Record<ResultFlag, string> = {
  vetoed: 'red',
  promoted: 'gold',
  small_sample: 'orange',
  indistinct: 'default',
  largest_decline: 'volcano',
  declined_two_running: 'magenta',
};

/** A result flag as a coloured tag that says, on hover, what it means. */
export function FlagTag({ flag }: { flag: ResultFlag }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`scoring.flagHelp.${flag}`)}>
      <Tag color={FLAG_COLORS[flag]} style={{ marginBottom: 2 }} data-flag={flag}>
        {t(`scoring.flags.${flag}`)}
      </Tag>
    </Tooltip>
  );
}

export function FlagTags({ flags }: { flags: readonly ResultFlag[] }) {
  if (flags.length === 0) return null;
  return (
    <span>
      {flags.map((f) => (
        <FlagTag key={f} flag={f} />
      ))}
    </span>
  );
}

/** ↑3 (green), ↓2 (red), — for no change, nothing when there is no previous published period. */
export function RankChange({ change, previous }: { change: number | null; previous: number | null }) {
  const { t } = useTranslation();
  if (change === null || previous === null) {
    return (
      <Tooltip title={t('scoring.rankChangeNone')}>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          —
        </Typography.Text>
      </Tooltip>
    );
  }
  const title = t('scoring.rankChangeTip', { previous });
  if (change === 0)
    return (
      <Tooltip title={title}>
        <MinusOutlined style={{ color: 'rgba(0,0,0,0.35)' }} />
      </Tooltip>
    );
  const up = change > 0;
  return (
    <Tooltip title={title}>
      <span style={{ color: up ? '#389e0d' : '#cf1322', whiteSpace: 'nowrap' }} data-testid="rank-change">
        {up ? <ArrowUpOutlined /> : <ArrowDownOutlined />}
        {Math.abs(change)}
      </span>
    </Tooltip>
  );
}

/** A figure at the run's precision. */
export function fmt(value: number | null | undefined, precision = 2): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  return value.toFixed(precision);
}

export function fmtInterval(interval: Interval | null | undefined, precision = 2): string {
  if (!interval) return '';
  return `${fmt(interval.low, precision)} – ${fmt(interval.high, precision)}`;
}

export const RUN_STATUS_COLORS: Record<RunStatus, string> = {
  computed: 'blue',
  in_review: 'orange',
  approved: 'green',
  published: 'purple',
  superseded: 'default',
};

export function RunStatusTag({ status }: { status: RunStatus }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`scoring.runStatusHelp.${status}`)}>
      <Tag color={RUN_STATUS_COLORS[status]} data-testid="run-status">
        {t(`scoring.runStatus.${status}`)}
      </Tag>
    </Tooltip>
  );
}

export function usePeriods() {
  return useQuery({ queryKey: keys.periods, queryFn: api.periods, staleTime: 60_000 });
}

/** The periods, newest first, by name. */
export function PeriodSelect({
  value,
  onChange,
  id,
  style,
  placeholder,
}: {
  value?: string | null | undefined;
  onChange?: (value: string) => void;
  id?: string;
  style?: React.CSSProperties;
  placeholder?: string;
}) {
  const { t } = useTranslation();
  const periods = usePeriods();
  const sorted = [...(periods.data ?? [])].sort(
    (a: Period, b: Period) => b.endDate.localeCompare(a.endDate) || a.startDate.localeCompare(b.startDate),
  );
  return (
    <Select<string>
      id={id}
      showSearch={{ optionFilterProp: 'label' }}
      style={{ width: 220, ...style }}
      placeholder={placeholder ?? t('scoring.pickPeriod')}
      loading={periods.isPending}
      value={value ?? undefined}
      onChange={(v) => onChange?.(v)}
      options={sorted.map((p) => ({ value: p.id, label: p.name }))}
    />
  );
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A leaf's source as a clerk reads it: 即时评价·好评率, 外部评分·third_party_survey … */
export function sourceText(t: Translate, source: SourceSpec | undefined): string {
  if (!source) return t('scoring.noSource');
  switch (source.kind) {
    case 'rating_statistic':
      return `${t('scoring.sourceKinds.rating_statistic')} · ${t(`scoring.statistics.${source.statistic}`)}`;
    case 'imported':
      return `${t('scoring.sourceKinds.imported')} · ${source.series}`;
    case 'score_sheet':
      return `${t('scoring.sourceKinds.score_sheet')} · ${source.task}`;
    case 'campaign':
      return `${t('scoring.sourceKinds.campaign')} · ${source.campaign} ${source.measure}`;
  }
}

const pct = (share: number) => `${Math.round(share * 1000) / 10}%`;

/** A mapping in one line: 线性 0 → 100, 名次规则 1–3 全分 … */
export function mappingText(t: Translate, mapping: Mapping | undefined): string {
  if (!mapping) return t('scoring.mappingKinds.direct');
  switch (mapping.kind) {
    case 'direct':
      return t('scoring.mappingKinds.direct');
    case 'linear':
      return t('scoring.mappingText.linear', { from: mapping.from, to: mapping.to });
    case 'steps':
      return t('scoring.mappingText.steps', {
        steps: mapping.steps.map((s) => `≥${s.atLeast} → ${pct(s.share)}`).join('；'),
      });
    case 'rank_rule':
      return t('scoring.mappingText.rank_rule', {
        fullUpTo: mapping.fullUpTo,
        step: pct(mapping.stepShare),
        lastRank: mapping.lastRank,
        floor: pct(mapping.floorShare),
      });
  }
}
