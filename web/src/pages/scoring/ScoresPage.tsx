import { CheckCircleOutlined, InboxOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Col,
  Collapse,
  Empty,
  Form,
  Input,
  Popconfirm,
  Row,
  Segmented,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import type { i18n, TFunction } from 'i18next';
import { useMemo, useState } from 'react';
import { Trans, useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import {
  scoringApi,
  scoringKeys,
  type ScoreImportResult,
  type ScoreImportStatus,
  type ScoreValue,
  type SeriesSummary,
} from './api';
import { useScoringAccess } from './menu';
import { PeriodSelect } from './shared';
import './scoring.css';

const MAX_BYTES = 10 * 1024 * 1024;
const SERIES_KEY = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;

export const IMPORT_STATUS_COLORS: Record<ScoreImportStatus, string> = {
  new: 'green',
  changed: 'blue',
  unchanged: 'default',
  error: 'red',
};

/** 外部评分: scores from elsewhere, imported from a spreadsheet with their provenance, and their history. */
export function ScoresPage() {
  const { t, i18n } = useTranslation();
  const access = useScoringAccess();
  const { message } = App.useApp();
  const client = useQueryClient();
  const series = useQuery({ queryKey: scoringKeys.series, queryFn: scoringApi.series, enabled: access.read });

  const [key, setKey] = useState('');
  const [periodId, setPeriodId] = useState<string | null>(null);
  const [document, setDocument] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [preview, setPreview] = useState<ScoreImportResult | null>(null);
  const [busy, setBusy] = useState<'preview' | 'apply' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [filter, setFilter] = useState<ScoreImportStatus | 'all'>('all');
  const [shown, setShown] = useState<{ series: string; periodId: string } | null>(null);

  const seriesKeys = useMemo(
    () => [...new Set((series.data ?? []).map((s) => s.series))].sort().map((value) => ({ value })),
    [series.data],
  );

  if (!access.read) return <NoPermission />;

  const keyOk = SERIES_KEY.test(key.trim());
  const ready = keyOk && Boolean(periodId) && document.trim().length > 0;

  const send = async (chosen: File, apply: boolean) => {
    if (!periodId) return;
    setError(null);
    setBusy(apply ? 'apply' : 'preview');
    try {
      const result = await scoringApi.importScores({
        file: chosen,
        series: key.trim(),
        periodId,
        document: document.trim(),
        apply,
      });
      setPreview(result);
      if (!apply && result.rows.some((r) => r.status === 'error')) setFilter('error');
      if (apply) {
        const stored = result.rows.filter((r) => r.status === 'new' || r.status === 'changed').length;
        void message.success(t('scoring.scores.appliedToast', { n: stored }));
        await client.invalidateQueries({ queryKey: ['scoring', 'series'] });
        await client.invalidateQueries({ queryKey: ['scoring', 'scores'] });
        setShown({ series: key.trim(), periodId });
      }
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(null);
    }
  };

  const choose = (chosen: File) => {
    setPreview(null);
    setFilter('all');
    setError(null);
    if (chosen.size > MAX_BYTES) return setError(t('errors.body_too_large'));
    if (!/\.(xlsx|csv)$/i.test(chosen.name)) return setError(t('errors.unsupported_file'));
    setFile(chosen);
    void send(chosen, false);
  };

  const counts = (status: ScoreImportStatus) => preview?.rows.filter((r) => r.status === status).length ?? 0;
  const errors = counts('error');
  const toStore = counts('new') + counts('changed');

  return (
    <>
      <PageTitle title={t('scoring.scores.title')} description={t('scoring.scores.description')} />
      {access.manage && (
        <Card size="small" title={t('scoring.scores.importTitle')} style={{ marginBottom: 16 }}>
          <Form layout="vertical" component="div">
            <Row gutter={12}>
              <Col span={8}>
                <Form.Item
                  label={t('scoring.scores.series')}
                  htmlFor="sc-import-series"
                  required
                  help={
                    key && !keyOk ? (
                      t('scoring.scores.seriesInvalid')
                    ) : (
                      <Trans
                        i18nKey="scoring.scores.seriesHelp"
                        values={{ example: 'third_party_survey' }}
                        components={{ code: <code /> }}
                      />
                    )
                  }
                  validateStatus={key && !keyOk ? 'error' : undefined}
                >
                  <AutoComplete
                    id="sc-import-series"
                    value={key}
                    options={seriesKeys}
                    placeholder={t('scoring.scores.seriesPlaceholder')}
                    onChange={(v: string) => {
                      setKey(v);
                      setPreview(null);
                    }}
                  />
                </Form.Item>
              </Col>
              <Col span={6}>
                <Form.Item label={t('scoring.period')} htmlFor="sc-import-period" required>
                  <PeriodSelect
                    id="sc-import-period"
                    style={{ width: '100%' }}
                    value={periodId}
                    onChange={(v) => {
                      setPeriodId(v);
                      setPreview(null);
                    }}
                  />
                </Form.Item>
              </Col>
              <Col span={10}>
                <Form.Item
                  label={t('scoring.scores.document')}
                  htmlFor="sc-import-document"
                  required
                  help={t('scoring.scores.documentHelp')}
                >
                  <Input
                    id="sc-import-document"
                    value={document}
                    maxLength={200}
                    placeholder={t('scoring.scores.documentPlaceholder')}
                    onChange={(e) => {
                      setDocument(e.target.value);
                      setPreview(null);
                    }}
                  />
                </Form.Item>
              </Col>
            </Row>
          </Form>
          <Spin spinning={busy === 'preview'} description={t('scoring.scores.reading')}>
            <Upload.Dragger
              accept=".xlsx,.csv"
              multiple={false}
              showUploadList={false}
              disabled={!ready}
              beforeUpload={(chosen) => {
                choose(chosen);
                return false;
              }}
            >
              <p className="ant-upload-drag-icon">
                <InboxOutlined />
              </p>
              <p className="ant-upload-text">
                {ready ? t('scoring.scores.drop') : t('scoring.scores.fillFirst')}
              </p>
              <p className="ant-upload-hint">{t('scoring.scores.dropHint')}</p>
            </Upload.Dragger>
          </Spin>
          {error && (
            <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="import-error" />
          )}
          {preview && file && (
            <div style={{ marginTop: 16 }}>
              {preview.applied ? (
                <Alert
                  type="success"
                  showIcon
                  title={t('scoring.scores.appliedTitle', {
                    n: toStore,
                    series: key.trim(),
                    file: file.name,
                  })}
                  action={
                    <Button size="small" onClick={() => setPreview(null)}>
                      {t('scoring.scores.again')}
                    </Button>
                  }
                />
              ) : (
                <>
                  <Row gutter={12} style={{ marginBottom: 12 }}>
                    {(
                      [
                        ['new', '#389e0d'],
                        ['changed', '#1d4f91'],
                        ['unchanged', undefined],
                        ['error', errors ? '#cf1322' : undefined],
                      ] as const
                    ).map(([status, color]) => (
                      <Col span={5} key={status}>
                        <Card size="small">
                          <Statistic
                            title={t(`scoring.scores.status.${status}`)}
                            value={counts(status)}
                            styles={color ? { content: { color } } : {}}
                          />
                        </Card>
                      </Col>
                    ))}
                    <Col span={4}>
                      <Card size="small">
                        <Statistic title={t('scoring.scores.skipped')} value={preview.skipped.length} />
                      </Card>
                    </Col>
                  </Row>
                  <Segmented<ScoreImportStatus | 'all'>
                    style={{ marginBottom: 8 }}
                    value={filter}
                    onChange={setFilter}
                    options={[
                      { value: 'all', label: `${t('scoring.scores.all')} ${preview.rows.length}` },
                      ...(['error', 'new', 'changed', 'unchanged'] as const).map((s) => ({
                        value: s,
                        label: `${t(`scoring.scores.status.${s}`)} ${counts(s)}`,
                      })),
                    ]}
                  />
                  <ImportTable result={preview} filter={filter} />
                  {preview.skipped.length > 0 && (
                    <Collapse
                      size="small"
                      style={{ marginTop: 12 }}
                      items={[
                        {
                          key: 'skipped',
                          label: t('scoring.scores.skippedTitle', { n: preview.skipped.length }),
                          children: (
                            <ul style={{ margin: 0 }}>
                              {preview.skipped.map((s) => (
                                <li key={s.line}>
                                  {t('scoring.scores.lineN', { n: s.line })}：
                                  {coded(t, i18n, 'scoring.scores.skipReasons', s.code, s.params, s.reason)}
                                </li>
                              ))}
                            </ul>
                          ),
                        },
                      ]}
                    />
                  )}
                  <div style={{ marginTop: 12 }}>
                    {errors > 0 ? (
                      <Alert
                        type="error"
                        showIcon
                        style={{ marginBottom: 12 }}
                        title={t('scoring.scores.blocked', { n: errors })}
                        description={t('scoring.scores.blockedText')}
                      />
                    ) : toStore === 0 ? (
                      <Alert
                        type="info"
                        showIcon
                        style={{ marginBottom: 12 }}
                        title={t('scoring.scores.nothing')}
                      />
                    ) : (
                      <Alert
                        type="success"
                        showIcon
                        icon={<CheckCircleOutlined />}
                        style={{ marginBottom: 12 }}
                        title={t('scoring.scores.ready', { n: toStore })}
                        description={t('scoring.scores.readyText')}
                      />
                    )}
                    <Popconfirm
                      title={t('scoring.scores.applyConfirm', { n: toStore, series: key.trim() })}
                      onConfirm={() => void send(file, true)}
                      disabled={errors > 0 || toStore === 0}
                    >
                      <Button
                        type="primary"
                        loading={busy === 'apply'}
                        disabled={errors > 0 || toStore === 0}
                      >
                        {t('scoring.scores.apply')}
                      </Button>
                    </Popconfirm>
                  </div>
                </>
              )}
            </div>
          )}
        </Card>
      )}
      <Row gutter={16}>
        <Col span={9}>
          <Card size="small" title={t('scoring.scores.seriesTitle')}>
            {series.isError && <Alert type="error" showIcon title={errorText(series.error)} />}
            <Table<SeriesSummary>
              size="small"
              rowKey={(s) => `${s.series}:${s.periodId}`}
              loading={series.isFetching}
              dataSource={series.data ?? []}
              pagination={{ pageSize: 15, hideOnSinglePage: true, showSizeChanger: false }}
              rowClassName={(s) =>
                shown && shown.series === s.series && shown.periodId === s.periodId
                  ? 'mp-sc-row-selected'
                  : ''
              }
              onRow={(s) => ({
                onClick: () => setShown({ series: s.series, periodId: s.periodId }),
                style: { cursor: 'pointer' },
              })}
              locale={{
                emptyText: (
                  <Empty
                    image={Empty.PRESENTED_IMAGE_SIMPLE}
                    description={
                      access.manage ? t('scoring.scores.seriesEmptyManage') : t('scoring.scores.seriesEmpty')
                    }
                  />
                ),
              }}
              columns={[
                {
                  title: t('scoring.scores.series'),
                  dataIndex: 'series',
                  // The name a scheme gives the series first; the code (what imports name) below it.
                  render: (code: string, s) => (
                    <div>
                      <div>{s.seriesName ?? t('scoring.scores.unusedSeries')}</div>
                      <code className="mp-sc-secondary">{code}</code>
                    </div>
                  ),
                },
                { title: t('scoring.period'), dataIndex: 'periodName', width: 110 },
                { title: t('scoring.scores.count'), dataIndex: 'count', width: 60 },
                {
                  title: t('scoring.scores.lastEntered'),
                  dataIndex: 'lastEnteredAt',
                  width: 130,
                  render: (v: string) => formatTime(v),
                },
              ]}
            />
          </Card>
        </Col>
        <Col span={15}>
          <ValuesCard
            shown={shown}
            seriesName={(series.data ?? []).find((s) => s.series === shown?.series)?.seriesName ?? null}
          />
        </Col>
      </Row>
    </>
  );
}

/**
 * A line's problem or skip reason in the console's language: the translation of its stable code with its
 * params when the console knows the code, else the server's English text (as the registry import does).
 */
function coded(
  t: TFunction,
  i18n: i18n,
  prefix: string,
  code: string | null,
  params: Record<string, string | number> | null,
  fallback: string | null,
): string | null {
  if (code !== null && i18n.exists(`${prefix}.${code}`)) return t(`${prefix}.${code}`, params ?? {});
  return fallback;
}

function ImportTable({ result, filter }: { result: ScoreImportResult; filter: ScoreImportStatus | 'all' }) {
  const { t, i18n } = useTranslation();
  const rows = result.rows.filter((r) => filter === 'all' || r.status === filter);
  return (
    <Table
      size="small"
      rowKey="line"
      dataSource={rows}
      data-testid="import-preview"
      pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
      rowClassName={(r) => (r.status === 'error' ? 'mp-row-error' : '')}
      locale={{
        emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.scores.noRows')} />,
      }}
      columns={[
        { title: t('scoring.scores.line'), dataIndex: 'line', width: 60 },
        { title: t('scoring.unitCode'), dataIndex: 'unitCode', width: 130 },
        {
          title: t('scoring.unit'),
          dataIndex: 'unitName',
          render: (n: string | null) => n ?? <Typography.Text type="secondary">—</Typography.Text>,
        },
        {
          title: t('scoring.scores.value'),
          dataIndex: 'value',
          width: 90,
          render: (v: number | null) => (v === null ? '—' : String(v)),
        },
        {
          title: t('scoring.scores.statusTitle'),
          dataIndex: 'status',
          width: 80,
          render: (s: ScoreImportStatus) => (
            <Tag color={IMPORT_STATUS_COLORS[s]}>{t(`scoring.scores.status.${s}`)}</Tag>
          ),
        },
        {
          title: t('scoring.scores.reason'),
          key: 'error',
          render: (_: unknown, r: ScoreImportResult['rows'][number]) => {
            const text = coded(t, i18n, 'scoring.scores.rowErrors', r.errorCode, r.errorParams, r.error);
            return text ? (
              <Typography.Text type="danger" data-testid="import-row-error">
                {text}
              </Typography.Text>
            ) : null;
          },
        },
      ]}
    />
  );
}

function ValuesCard({
  shown,
  seriesName,
}: {
  shown: { series: string; periodId: string } | null;
  seriesName: string | null;
}) {
  const { t } = useTranslation();
  const values = useQuery({
    queryKey: scoringKeys.scores(shown?.series ?? '', shown?.periodId ?? ''),
    queryFn: () => scoringApi.scores(shown?.series ?? '', shown?.periodId ?? ''),
    enabled: shown !== null,
  });
  const current = (values.data ?? []).filter((v) => !v.supersededAt).length;
  return (
    <Card
      size="small"
      title={
        shown ? (
          <Space>
            {t('scoring.scores.valuesTitle')}
            {seriesName && <span>{seriesName}</span>}
            <code>{shown.series}</code>
          </Space>
        ) : (
          t('scoring.scores.valuesTitle')
        )
      }
      extra={
        shown && values.data ? (
          <span className="mp-sc-secondary">
            {t('scoring.scores.valuesCount', { n: current, old: values.data.length - current })}
          </span>
        ) : null
      }
    >
      {!shown ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.scores.pickSeries')} />
      ) : (
        <>
          {values.isError && <Alert type="error" showIcon title={errorText(values.error)} />}
          <Table<ScoreValue>
            size="small"
            rowKey="id"
            data-testid="score-values"
            loading={values.isFetching}
            dataSource={values.data ?? []}
            pagination={{ pageSize: 30, hideOnSinglePage: true, showSizeChanger: false }}
            rowClassName={(v) => (v.supersededAt ? 'mp-sc-superseded' : '')}
            columns={[
              {
                title: t('scoring.unit'),
                key: 'unit',
                render: (_: unknown, v) => (
                  <div>
                    <div>{v.unitName}</div>
                    <div className="mp-sc-secondary">{v.unitCode}</div>
                  </div>
                ),
              },
              {
                title: t('scoring.scores.value'),
                dataIndex: 'value',
                width: 90,
                render: (value: number, v) =>
                  v.supersededAt ? (
                    <Typography.Text delete type="secondary">
                      {value}
                    </Typography.Text>
                  ) : (
                    <Typography.Text strong>{value}</Typography.Text>
                  ),
              },
              {
                title: t('scoring.scores.provenance'),
                key: 'provenance',
                render: (_: unknown, v) => (
                  <div>
                    <div>{v.document}</div>
                    <div className="mp-sc-secondary">
                      {v.enteredBy} · {formatTime(v.enteredAt)}
                    </div>
                  </div>
                ),
              },
              {
                title: t('scoring.scores.state'),
                key: 'state',
                width: 150,
                render: (_: unknown, v) =>
                  v.supersededAt ? (
                    <Tag>{t('scoring.scores.supersededAt', { at: formatTime(v.supersededAt) })}</Tag>
                  ) : (
                    <Tag color="green">{t('scoring.scores.current')}</Tag>
                  ),
              },
            ]}
          />
        </>
      )}
    </Card>
  );
}
