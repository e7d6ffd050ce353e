import { Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Proportion } from './api';

/* Small pieces the rating and case pages share: levels, rates with their intervals. */

export const LEVEL_COLORS: Record<number, string> = {
  5: '#389e0d',
  4: '#7cb305',
  3: '#d48806',
  2: '#d4380d',
  1: '#cf1322',
};

export const LEVEL_TAG_COLORS: Record<number, string> = {
  5: 'green',
  4: 'lime',
  3: 'gold',
  2: 'volcano',
  1: 'red',
};

/** ★n and the level's name as a coloured tag. */
export function LevelTag({ level }: { level: number }) {
  const { t } = useTranslation();
  return (
    <Tag color={LEVEL_TAG_COLORS[level] ?? 'default'} style={{ marginInlineEnd: 0, whiteSpace: 'nowrap' }}>
      ★{level} {t(`levels.${level}`)}
    </Tag>
  );
}

/** 0.9234 → "92.3%"; null → "—". */
export function pct(value: number | null | undefined, digits = 1): string {
  if (value === null || value === undefined) return '—';
  return `${(value * 100).toFixed(digits)}%`;
}

/** A rate with its numerator and denominator and, on hover, the 95% interval. */
export function RateCell({ p }: { p: Proportion }) {
  const { t } = useTranslation();
  if (p.denominator === 0) return <Typography.Text type="secondary">—</Typography.Text>;
  return (
    <Tooltip
      title={t('dashboard.intervalTip', {
        low: pct(p.low),
        high: pct(p.high),
        n: p.numerator,
        d: p.denominator,
      })}
    >
      <span style={{ whiteSpace: 'nowrap' }}>
        {pct(p.value)}{' '}
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          ({p.numerator}/{p.denominator})
        </Typography.Text>
      </span>
    </Tooltip>
  );
}

/** Days left in working days, red when overdue and orange on the last day. */
export function DaysLeft({ days, dueOn }: { days: number | null; dueOn: string | null }) {
  const { t } = useTranslation();
  if (dueOn === null || days === null) return <Typography.Text type="secondary">—</Typography.Text>;
  const color = days < 0 ? '#cf1322' : days <= 1 ? '#d46b08' : undefined;
  const text =
    days < 0
      ? t('cases.overdueDays', { n: -days })
      : days === 0
        ? t('cases.dueToday')
        : t('cases.daysLeft', { n: days });
  return (
    <span style={{ whiteSpace: 'nowrap' }}>
      <div>{dueOn}</div>
      <div style={{ color, fontWeight: color ? 600 : undefined, fontSize: 12 }} data-testid="days-left">
        {text}
      </div>
    </span>
  );
}
