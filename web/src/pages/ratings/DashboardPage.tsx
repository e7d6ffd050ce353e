import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Col, Empty, Row, Select, Space, Spin, Table, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { keys, useUnitNames, useUnits } from '../../queries';
import { useAccount } from '../../session';
import type { Period, PeriodKind } from '../../types';
import { buildUnitTree, chinaToday } from '../../util';
import {
  CHANNELS,
  LEVELS,
  ratingsApi,
  type BreakdownView,
  type Channel,
  type Proportion,
  type Ranked,
  type StatisticsQuery,
  type StatisticsView,
} from './api';
import { Chart, type ChartOption } from './Chart';
import { LEVEL_COLORS, pct, RateCell } from './shared';
import './ratings.css';

const KIND_ORDER: PeriodKind[] = ['year', 'half', 'quarter', 'month'];
/** Periods up to about two months are drawn by day, longer ones by month. */
const DAY_GRAIN_MAX_DAYS = 62;

function daysBetween(from: string, to: string): number {
  return (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
}

/** 评价统计: a unit subtree's rates with their intervals, the trend, levels, channels and where bad reviews come from. */
export function DashboardPage() {
  const { t } = useTranslation();
  const { can, account, scoped } = useAccount();
  const units = useUnits();
  const periods = useQuery({ queryKey: keys.periods, queryFn: api.periods, enabled: can('ratings:read') });
  const list = useMemo(() => units.data ?? [], [units.data]);
  const defaultUnit = useMemo(() => {
    if (scoped && account.unitId) return account.unitId;
    return buildUnitTree(list)[0]?.unit.id ?? null;
  }, [list, scoped, account.unitId]);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [periodId, setPeriodId] = useState<string>('');
  const [channel, setChannel] = useState<Channel | ''>('');
  const scopeId = unitId ?? defaultUnit;
  const period = (periods.data ?? []).find((p) => p.id === periodId);
  const grain =
    period && daysBetween(period.startDate, period.endDate) <= DAY_GRAIN_MAX_DAYS ? 'day' : 'month';

  const query: StatisticsQuery | null = scopeId
    ? {
        scopeType: 'subtree',
        scopeId,
        periodId: periodId || undefined,
        channel: channel || undefined,
      }
    : null;
  const stats = useQuery({
    queryKey: ['statistics', query],
    queryFn: () => ratingsApi.statistics(query as StatisticsQuery),
    enabled: query !== null,
  });
  const breakdown = useQuery({
    queryKey: ['statistics-breakdown', query, grain],
    queryFn: () => ratingsApi.breakdown({ ...(query as StatisticsQuery), grain, limit: 10 }),
    enabled: query !== null,
  });

  if (!can('ratings:read')) return <NoPermission />;

  const today = chinaToday();
  const periodOptions = [
    { value: '', label: t('dashboard.yearToDate') },
    ...KIND_ORDER.map((kind) => ({
      label: t(`periodKinds.${kind}`),
      options: (periods.data ?? [])
        .filter((p: Period) => p.kind === kind)
        .sort((a, b) => b.startDate.localeCompare(a.startDate))
        .map((p) => ({ value: p.id, label: p.name, disabled: p.startDate > today })),
    })).filter((g) => g.options.length > 0),
  ];

  const refresh = () => {
    void stats.refetch();
    void breakdown.refetch();
  };

  return (
    <>
      <PageTitle
        title={t('dashboard.title')}
        description={t('dashboard.description')}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={refresh}>
              {t('common.refresh')}
            </Button>
            <Button
              type="primary"
              icon={<DownloadOutlined />}
              disabled={!query}
              href={query ? ratingsApi.exportUrl({ ...query, grain, limit: 50 }) : undefined}
            >
              {t('dashboard.export')}
            </Button>
          </Space>
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap size={[16, 8]}>
          <Space size={6}>
            <Typography.Text type="secondary">{t('dashboard.unit')}</Typography.Text>
            <UnitTreeSelect
              id="dashboard-unit"
              units={list}
              value={scopeId}
              allowClear={false}
              onChange={(v) => setUnitId(v)}
              style={{ width: 320 }}
            />
          </Space>
          <Space size={6}>
            <Typography.Text type="secondary">{t('dashboard.period')}</Typography.Text>
            <Select
              aria-label={t('dashboard.period')}
              style={{ width: 200 }}
              value={periodId}
              onChange={setPeriodId}
              options={periodOptions}
              loading={periods.isPending}
            />
          </Space>
          <Space size={6}>
            <Typography.Text type="secondary">{t('dashboard.channel')}</Typography.Text>
            <Select<Channel | ''>
              aria-label={t('dashboard.channel')}
              style={{ width: 170 }}
              value={channel}
              onChange={setChannel}
              options={[
                { value: '', label: t('dashboard.allChannels') },
                ...CHANNELS.map((c) => ({ value: c, label: t(`channels.${c}`) })),
              ]}
            />
          </Space>
        </Space>
      </Card>

      {(stats.isError || breakdown.isError) && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          title={errorText(stats.error ?? breakdown.error)}
        />
      )}
      {stats.isPending && query ? (
        <div style={{ textAlign: 'center', padding: 48 }}>
          <Spin />
        </div>
      ) : (
        stats.data && (
          <>
            <Summary view={stats.data} />
            <Kpis view={stats.data} />
            {breakdown.data && <Charts view={stats.data} breakdown={breakdown.data} />}
          </>
        )
      )}
    </>
  );
}

function Summary({ view }: { view: StatisticsView }) {
  const { t } = useTranslation();
  return (
    <div className="mp-dash-summary" data-testid="dashboard-summary">
      <Typography.Text strong>{view.scope.name}</Typography.Text>
      <Typography.Text type="secondary">
        {view.period.name}（{view.period.from} ~ {view.period.to}）
        {view.channel ? ` · ${t(`channels.${view.channel}`)}` : ''}
      </Typography.Text>
      <Typography.Text type="secondary">
        {t('dashboard.sample', {
          n: view.sampleSize,
          defaults: view.statistics.defaults,
          transactions: view.counts.transactions,
        })}
      </Typography.Text>
      <Typography.Text type="secondary">{t('dashboard.goodFrom', { from: view.goodFrom })}</Typography.Text>
    </div>
  );
}

function Kpi({
  title,
  p,
  hint,
  tone,
  testId,
}: {
  title: string;
  p: Proportion;
  hint: string;
  tone?: 'good' | 'bad';
  testId?: string;
}) {
  const { t } = useTranslation();
  return (
    <Card size="small" className="mp-kpi" data-testid={testId}>
      <div className="mp-kpi-title" title={hint}>
        {title}
      </div>
      <div className={`mp-kpi-value${tone ? ` mp-kpi-${tone}` : ''}`}>{pct(p.value)}</div>
      <div className="mp-kpi-note">
        {p.denominator > 0 && p.low !== null && p.high !== null
          ? t('dashboard.interval', { low: pct(p.low), high: pct(p.high), n: p.numerator, d: p.denominator })
          : t('dashboard.noData')}
      </div>
    </Card>
  );
}

function Kpis({ view }: { view: StatisticsView }) {
  const { t } = useTranslation();
  const s = view.statistics;
  return (
    <Row gutter={[12, 12]} style={{ marginBottom: 12 }}>
      <Col span={6}>
        <Kpi
          testId="kpi-good"
          title={t('dashboard.goodRate')}
          p={s.goodRate}
          hint={t('dashboard.goodRateHint', { from: view.goodFrom })}
          tone="good"
        />
      </Col>
      <Col span={6}>
        <Kpi
          testId="kpi-bad"
          title={t('dashboard.badRate')}
          p={s.badRate}
          hint={t('dashboard.badRateHint')}
          tone="bad"
        />
      </Col>
      <Col span={6}>
        <Kpi title={t('dashboard.unratedRate')} p={s.unratedRate} hint={t('dashboard.unratedRateHint')} />
      </Col>
      <Col span={6}>
        <Kpi
          title={t('dashboard.activeGoodRate')}
          p={s.activeGoodRate}
          hint={t('dashboard.activeGoodRateHint')}
        />
      </Col>
      <Col span={6}>
        <Card size="small" className="mp-kpi">
          <div className="mp-kpi-title">{t('dashboard.average')}</div>
          <div className="mp-kpi-value">{s.average === null ? '—' : s.average.toFixed(2)}</div>
          <div className="mp-kpi-note">
            {t('dashboard.totals', { n: view.sampleSize, active: s.active, defaults: s.defaults })}
          </div>
        </Card>
      </Col>
      <Col span={6}>
        <Kpi title={t('dashboard.replyRate')} p={s.replyRate} hint={t('dashboard.replyRateHint')} />
      </Col>
      <Col span={6}>
        <Kpi
          title={t('dashboard.rectificationRate')}
          p={s.rectificationRate}
          hint={t('dashboard.rectificationRateHint')}
        />
      </Col>
      <Col span={6}>
        <Kpi
          title={t('dashboard.satisfactionRate')}
          p={s.rectificationSatisfactionRate}
          hint={t('dashboard.satisfactionRateHint')}
        />
      </Col>
    </Row>
  );
}

function Charts({ view, breakdown }: { view: StatisticsView; breakdown: BreakdownView }) {
  const { t } = useTranslation();
  // Memoised: a re-render (a refetch, the unit names arriving) must not redraw and re-animate the charts.
  const trend = useMemo((): ChartOption => {
    const levelName = (l: number) => `★${l} ${t(`levels.${l}`)}`;
    return {
      tooltip: { trigger: 'axis' },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 48, right: 48, top: 40, bottom: 28 },
      xAxis: { type: 'category', data: breakdown.trend.map((p) => p.bucket) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        ...LEVELS.map((l) => ({
          type: 'bar' as const,
          name: levelName(l),
          stack: 'levels',
          itemStyle: { color: LEVEL_COLORS[l] },
          data: breakdown.trend.map((p) => p.byLevel[String(l) as '5']),
        })),
        {
          type: 'line' as const,
          name: t('dashboard.goodRate'),
          yAxisIndex: 1,
          smooth: true,
          itemStyle: { color: '#1d4f91' },
          data: breakdown.trend.map((p) => (p.goodRate === null ? null : +(p.goodRate * 100).toFixed(1))),
        },
        {
          type: 'line' as const,
          name: t('dashboard.badRate'),
          yAxisIndex: 1,
          smooth: true,
          itemStyle: { color: '#cf1322' },
          lineStyle: { type: 'dashed' },
          data: breakdown.trend.map((p) => (p.badRate === null ? null : +(p.badRate * 100).toFixed(1))),
        },
      ],
    };
  }, [breakdown, t]);

  const counts = view.counts;
  const levels = useMemo((): ChartOption => {
    const levelName = (l: number) => `★${l} ${t(`levels.${l}`)}`;
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      grid: { left: 96, right: 24, top: 12, bottom: 24 },
      yAxis: { type: 'category', data: LEVELS.map(levelName), inverse: true },
      xAxis: { type: 'value', minInterval: 1 },
      series: [
        {
          type: 'bar',
          name: t('dashboard.active'),
          stack: 'all',
          data: LEVELS.map((l) => ({
            value: counts.byLevel[String(l) as '5'] - counts.defaultByLevel[String(l) as '5'],
            itemStyle: { color: LEVEL_COLORS[l] },
          })),
        },
        {
          type: 'bar',
          name: t('dashboard.defaults'),
          stack: 'all',
          itemStyle: { color: '#bfbfbf' },
          data: LEVELS.map((l) => counts.defaultByLevel[String(l) as '5']),
        },
      ],
    };
  }, [counts, t]);

  const channelRows = useMemo(() => [...breakdown.channels].sort((a, b) => b.total - a.total), [breakdown]);
  const channels = useMemo((): ChartOption => {
    const levelName = (l: number) => `★${l} ${t(`levels.${l}`)}`;
    return {
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, type: 'scroll' },
      grid: { left: 110, right: 24, top: 40, bottom: 24 },
      yAxis: {
        type: 'category',
        inverse: true,
        data: channelRows.map((c) => t(`channels.${c.channel}`, { defaultValue: c.name })),
      },
      xAxis: { type: 'value', minInterval: 1 },
      series: LEVELS.map((l) => ({
        type: 'bar' as const,
        name: levelName(l),
        stack: 'levels',
        itemStyle: { color: LEVEL_COLORS[l] },
        data: channelRows.map((c) => c.byLevel[String(l) as '5']),
      })),
    };
  }, [channelRows, t]);

  const empty = view.sampleSize === 0;
  const none = <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.empty')} />;

  return (
    <>
      <Row gutter={[12, 12]}>
        <Col span={14}>
          <Card
            size="small"
            title={t(breakdown.grain === 'day' ? 'dashboard.trendDay' : 'dashboard.trendMonth')}
          >
            {empty || breakdown.trend.length === 0 ? (
              none
            ) : (
              <Chart label={t('dashboard.trendMonth')} option={trend} />
            )}
          </Card>
        </Col>
        <Col span={10}>
          <Card
            size="small"
            title={t('dashboard.levels')}
            extra={
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t('dashboard.levelsNote')}
              </Typography.Text>
            }
          >
            {empty ? none : <Chart label={t('dashboard.levels')} option={levels} />}
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title={t('dashboard.channels')}>
            {empty || channelRows.length === 0 ? (
              none
            ) : (
              <Chart
                label={t('dashboard.channels')}
                option={channels}
                height={Math.max(200, 48 + channelRows.length * 36)}
              />
            )}
          </Card>
        </Col>
        <Col span={14}>
          <RankTable
            paged
            title={t('dashboard.children')}
            rows={breakdown.children}
            detail={(r) => t(`kinds.${r.detail}`, { defaultValue: r.detail })}
          />
        </Col>
        <Col span={12}>
          <RankTable
            testId="rank-windows"
            withParent
            title={t('dashboard.windows')}
            rows={breakdown.windows}
            detail={(r) => t(`kinds.${r.detail}`, { defaultValue: r.detail })}
          />
        </Col>
        <Col span={12}>
          <RankTable
            testId="rank-staff"
            title={t('dashboard.staff')}
            rows={breakdown.staff}
            detail={(r) => r.detail}
            detailTitle={t('fields.staffNo')}
          />
        </Col>
      </Row>
    </>
  );
}

function RankTable({
  title,
  rows,
  detail,
  detailTitle,
  testId,
  withParent = false,
  paged = false,
}: {
  title: string;
  rows: Ranked[];
  detail: (r: Ranked) => string;
  detailTitle?: string;
  testId?: string;
  /** Many windows share a name (户籍窗口): the unit above tells them apart (and the kind column goes). */
  withParent?: boolean;
  /** Ten a page: a city has dozens of departments. */
  paged?: boolean;
}) {
  const { t } = useTranslation();
  const names = useUnitNames();
  const parentName = (id: string) => {
    const parent = names.get(id)?.parentId;
    return parent ? (names.get(parent)?.name ?? '') : '';
  };
  return (
    <Card size="small" title={title} data-testid={testId}>
      <Table<Ranked>
        size="small"
        rowKey="id"
        dataSource={rows}
        pagination={
          paged ? { pageSize: 10, size: 'small', hideOnSinglePage: true, showSizeChanger: false } : false
        }
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('dashboard.noBad')} />,
        }}
        columns={[
          { title: '#', key: 'rank', width: 40, render: (_: unknown, _r: Ranked, i: number) => i + 1 },
          {
            title: t('fields.name'),
            dataIndex: 'name',
            ellipsis: { showTitle: true },
            render: (name: string, r: Ranked) =>
              withParent && parentName(r.id) ? (
                <span title={`${parentName(r.id)} › ${name}`}>
                  {name}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {' '}
                    · {parentName(r.id)}
                  </Typography.Text>
                </span>
              ) : (
                name
              ),
          },
          ...(withParent
            ? []
            : [
                {
                  title: detailTitle ?? t('fields.kind'),
                  key: 'detail',
                  width: 96,
                  render: (_: unknown, r: Ranked) => <Tag>{detail(r)}</Tag>,
                },
              ]),
          { title: t('dashboard.total'), dataIndex: 'total', width: 72, align: 'right' },
          {
            title: t('dashboard.bad'),
            dataIndex: 'bad',
            width: 70,
            align: 'right',
            render: (n: number) => (n > 0 ? <Typography.Text type="danger">{n}</Typography.Text> : n),
          },
          {
            title: t('dashboard.badRate'),
            key: 'badRate',
            width: 130,
            render: (_: unknown, r: Ranked) => <RateCell p={r.badRate} />,
          },
        ]}
      />
    </Card>
  );
}
