import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Popconfirm, Row, Statistic, Table, Tag } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { Chart, type ChartOption } from '../ratings/Chart';
import { campaignsApi, type ResponseCount, type ResponseMonitor, type RoundView } from './api';

/*
 * The response monitor of a round: how many of those invited have answered, by subject, group, source
 * and stage, as bar charts of the response rate; subjects below the minimum once their stage has ended
 * are flagged; who has not answered yet, with reminders by SMS. Refreshed every 15 s while open.
 */

const rate = (c: { invited: number; answered: number }) =>
  c.invited === 0 ? 0 : Math.round((1000 * c.answered) / c.invited) / 10;

function rateChart(
  rows: readonly ResponseCount[],
  t: (k: string) => string,
  label: (r: ResponseCount) => string,
) {
  const option: ChartOption = {
    grid: { left: 8, right: 56, top: 28, bottom: 8, containLabel: true },
    tooltip: { trigger: 'axis' },
    legend: { data: [t('campaigns.monitor.answered'), t('campaigns.monitor.invited')], top: 0 },
    xAxis: { type: 'value' },
    yAxis: {
      type: 'category',
      data: rows.map(label),
      inverse: true,
      axisLabel: { width: 140, overflow: 'truncate' },
    },
    series: [
      {
        name: t('campaigns.monitor.answered'),
        type: 'bar',
        itemStyle: { color: '#389e0d' },
        data: rows.map((r) => ({
          value: r.answered,
          itemStyle: { color: r.flagged ? '#cf1322' : '#389e0d' },
        })),
        label: {
          show: true,
          position: 'right',
          formatter: (p) => `${rate(rows[p.dataIndex] ?? { invited: 0, answered: 0 })}%`,
        },
        barGap: '-100%',
        z: 2,
      },
      {
        name: t('campaigns.monitor.invited'),
        type: 'bar',
        data: rows.map((r) => r.invited),
        itemStyle: { color: '#d9dee5' },
        z: 1,
      },
    ],
  };
  return option;
}

export function MonitorPanel({ round }: { round: RoundView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const { data } = useQuery({
    queryKey: ['campaigns', 'monitor', round.id],
    queryFn: () => campaignsApi.monitor(round.id),
    refetchInterval: round.state === 'open' ? 15_000 : false,
  });
  const charts = useMemo(() => (data ? chartsOf(data, t) : null), [data, t]);
  if (!data || !charts) return null;
  const flagged = data.bySubject.filter((s) => s.flagged);
  const remind = async () => {
    setBusy(true);
    try {
      const { queued } = await campaignsApi.remind(round.id);
      void message.success(t('campaigns.monitor.reminded', { n: queued }));
      await client.invalidateQueries({ queryKey: ['campaigns', 'monitor', round.id] });
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const height = (n: number) => Math.max(140, 36 + n * 28);
  return (
    <>
      <Row gutter={16}>
        <Col xs={12} md={6}>
          <Statistic title={t('campaigns.monitor.invited')} value={data.invited} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('campaigns.monitor.answered')} value={data.answered} />
        </Col>
        <Col xs={12} md={6}>
          <Statistic
            title={t('campaigns.monitor.rate')}
            value={rate(data)}
            suffix="%"
            valueStyle={{ color: '#1d4f91' }}
          />
        </Col>
        <Col xs={12} md={6}>
          <Statistic title={t('campaigns.monitor.pending')} value={data.pending.length} />
        </Col>
      </Row>
      {flagged.length > 0 && (
        <Alert
          style={{ marginTop: 12 }}
          type="error"
          showIcon
          message={t('campaigns.monitor.flagged', { names: flagged.map((s) => s.label).join('、') })}
        />
      )}
      <Row gutter={16} style={{ marginTop: 16 }}>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('campaigns.monitor.bySubject')}>
            <Chart
              option={charts.subject}
              height={height(data.bySubject.length)}
              label={t('campaigns.monitor.bySubject')}
            />
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card size="small" title={t('campaigns.monitor.byGroup')}>
            <Chart
              option={charts.group}
              height={height(data.byGroup.length)}
              label={t('campaigns.monitor.byGroup')}
            />
          </Card>
          <Card size="small" title={t('campaigns.monitor.bySource')} style={{ marginTop: 16 }}>
            <Chart
              option={charts.source}
              height={height(data.bySource.length)}
              label={t('campaigns.monitor.bySource')}
            />
          </Card>
          <Card size="small" title={t('campaigns.monitor.byStage')} style={{ marginTop: 16 }}>
            <Chart
              option={charts.stage}
              height={height(data.byStage.length)}
              label={t('campaigns.monitor.byStage')}
            />
          </Card>
        </Col>
      </Row>
      <Card
        size="small"
        style={{ marginTop: 16 }}
        title={t('campaigns.monitor.pendingTitle', { n: data.pending.length })}
        extra={
          round.state === 'open' && data.pending.length > 0 ? (
            <Popconfirm
              title={t('campaigns.monitor.remindConfirm', { n: data.pending.length })}
              okText={t('campaigns.monitor.remind')}
              cancelText={t('common.cancel')}
              onConfirm={() => void remind()}
            >
              <Button loading={busy}>{t('campaigns.monitor.remind')}</Button>
            </Popconfirm>
          ) : null
        }
      >
        <Table
          rowKey="invitationId"
          size="small"
          dataSource={data.pending}
          pagination={{ pageSize: 10 }}
          columns={[
            { title: t('campaigns.invite.name'), dataIndex: 'name' },
            { title: t('campaigns.monitor.group'), dataIndex: 'group' },
            {
              title: t('campaigns.monitor.reminders'),
              dataIndex: 'reminders',
              render: (n: number, r) =>
                n > 0 ? <Tag>{t('campaigns.monitor.remindedOn', { n, date: r.lastRemindedOn })}</Tag> : '—',
            },
          ]}
        />
      </Card>
    </>
  );
}

function chartsOf(data: ResponseMonitor, t: (k: string) => string) {
  const plain = (r: ResponseCount) => r.label || '—';
  return {
    subject: rateChart(data.bySubject, t, plain),
    group: rateChart(data.byGroup, t, plain),
    source: rateChart(data.bySource, t, (r) => t(`campaigns.sources.${r.key}`)),
    stage: rateChart(data.byStage, t, plain),
  };
}
