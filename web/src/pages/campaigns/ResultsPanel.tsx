import { useQuery } from '@tanstack/react-query';
import { Alert, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  campaignsApi,
  CHECKLIST,
  CHECKLIST_INDICATORS,
  DIFFICULTY_LEVELS,
  SATISFACTION_LEVELS,
  type CampaignDetail,
  type Estimate,
  type ItemResult,
  type RoundResults,
  type RoundView,
} from './api';

/*
 * A round's results once computed: per subject its n, the satisfaction score, the difficulty figure and
 * the key-task score with their 95% intervals, and (expanded) every item's distribution.
 */

type Row = RoundResults['subjects'][number];

const fixed = (v: number, digits: number) => v.toFixed(digits);

export function EstimateText({ e, digits = 2 }: { e: Estimate | null | undefined; digits?: number }) {
  if (!e) return <>—</>;
  return (
    <span>
      <strong>{fixed(e.value, digits)}</strong>{' '}
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        [{fixed(e.low, digits)}, {fixed(e.high, digits)}]
      </Typography.Text>
    </span>
  );
}

export function ResultsPanel({ campaign, round }: { campaign: CampaignDetail; round: RoundView }) {
  const { t } = useTranslation();
  const { data } = useQuery({
    queryKey: ['campaigns', 'results', round.id, round.state],
    queryFn: () => campaignsApi.results(round.id),
  });
  if (round.state !== 'computed') return <Alert type="info" message={t('campaigns.results.notYet')} />;
  if (!data) return null;
  const items = campaign.questionnaire.items;
  const prompt = (key: string) => items.find((i) => i.key === key)?.prompt ?? key;
  const dimName = (item: string, dim: string) => {
    const found = items.find((i) => i.key === item);
    return found?.kind === 'dimensions' ? (found.dimensions.find((d) => d.key === dim)?.name ?? dim) : dim;
  };
  const sat = (r: Row) => r.items.find((i) => i.kind === 'satisfaction');
  const dif = (r: Row) => r.items.find((i) => i.kind === 'difficulty');
  const dims = (r: Row) => r.items.find((i) => i.kind === 'dimensions');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Text>
        {t('campaigns.results.summary', { ballots: data.ballots, subjects: data.subjects.length })}
      </Typography.Text>
      {data.formula && (
        <Alert
          type="info"
          message={
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}>{data.formula}</pre>
          }
        />
      )}
      <Table<Row>
        rowKey="subjectId"
        size="small"
        dataSource={data.subjects}
        pagination={data.subjects.length > 30 ? { pageSize: 30 } : false}
        expandable={{
          expandedRowRender: (r) => <Distributions items={r.items} prompt={prompt} dimName={dimName} />,
        }}
        columns={[
          { title: t('campaigns.results.subject'), dataIndex: 'name' },
          { title: 'n', dataIndex: 'n', width: 70, sorter: (a, b) => a.n - b.n },
          {
            title: t('campaigns.results.satisfaction'),
            render: (_, r) => {
              const i = sat(r);
              return i?.kind === 'satisfaction' ? <EstimateText e={i.score} /> : '—';
            },
          },
          ...(items.some((i) => i.kind === 'difficulty')
            ? [
                {
                  title: t('campaigns.results.difficulty'),
                  render: (_: unknown, r: Row) => {
                    const i = dif(r);
                    return i?.kind === 'difficulty' ? <EstimateText e={i.difficulty} /> : '—';
                  },
                },
              ]
            : []),
          ...(items.some((i) => i.kind === 'dimensions')
            ? [
                {
                  title: t('campaigns.results.dimensions'),
                  render: (_: unknown, r: Row) => {
                    const i = dims(r);
                    return i?.kind === 'dimensions' && i.mean !== null ? fixed(i.mean, 2) : '—';
                  },
                },
              ]
            : []),
          ...(campaign.questionnaire.keyTask
            ? [
                {
                  title: t('campaigns.results.keyTask'),
                  sorter: (a: Row, b: Row) => (a.keyTask?.score.value ?? 0) - (b.keyTask?.score.value ?? 0),
                  render: (_: unknown, r: Row) =>
                    r.keyTask ? (
                      <Space size={4}>
                        <EstimateText e={r.keyTask.score} />
                        <Tag>×{fixed(r.keyTask.coefficient, 3)}</Tag>
                      </Space>
                    ) : (
                      '—'
                    ),
                },
              ]
            : []),
        ]}
      />
    </Space>
  );
}

function Distributions({
  items,
  prompt,
  dimName,
}: {
  items: ItemResult[];
  prompt: (key: string) => string;
  dimName: (item: string, dim: string) => string;
}) {
  const { t } = useTranslation();
  // In the scale's order (stored results have their keys sorted).
  const line = (dist: Record<string, number>, label: (k: string) => string, order?: readonly string[]) =>
    (order ?? Object.keys(dist)).map((k) => `${label(k)} ${dist[k] ?? 0}`).join(' · ');
  return (
    <Descriptions size="small" column={1} bordered>
      {items.map((item) => (
        <Descriptions.Item key={item.key} label={prompt(item.key)}>
          {item.kind === 'satisfaction' &&
            line(item.distribution, (k) => t(`campaigns.levels.${k}`), SATISFACTION_LEVELS)}
          {item.kind === 'difficulty' &&
            line(item.distribution, (k) => t(`campaigns.difficulty.${k}`), DIFFICULTY_LEVELS)}
          {item.kind === 'dimensions' &&
            item.dimensions.map((d) => (
              <div key={d.key}>
                {dimName(item.key, d.key)}:{' '}
                {line(d.distribution, (k) => t(`campaigns.levels.${k}`), SATISFACTION_LEVELS)} —{' '}
                <EstimateText e={d.score} />
              </div>
            ))}
          {item.kind === 'checklist' &&
            CHECKLIST_INDICATORS.map((i) => `${CHECKLIST[i].label} ${item.indicators[i].count}`).join(' · ')}
          {item.kind === 'yes_no' && `${t('campaigns.yes')} ${item.yes} · ${t('campaigns.no')} ${item.no}`}
          {item.kind === 'choice' && line(item.distribution, (k) => k)}
          {item.kind === 'text' && t('campaigns.results.comments', { n: item.count })}
        </Descriptions.Item>
      ))}
    </Descriptions>
  );
}
