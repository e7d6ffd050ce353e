import { CalculatorOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Col, Empty, Form, Row, Select, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import { scoringApi, scoringKeys, type RunStatus, type RunSummary } from './api';
import { useScoringAccess } from './menu';
import { PeriodSelect, RunStatusTag } from './shared';
import { confirmStep, warningCodes } from './Warnings';
import './scoring.css';

/** 考核结果: compute a ranking for a scheme, period and group; the runs so far. */
export function RunsPage() {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const navigate = useNavigate();
  const [filterScheme, setFilterScheme] = useState<string | undefined>(undefined);
  const [filterPeriod, setFilterPeriod] = useState<string | undefined>(undefined);
  const schemes = useQuery({
    queryKey: scoringKeys.schemes,
    queryFn: scoringApi.schemes,
    enabled: access.read,
  });
  const q = { schemeId: filterScheme, periodId: filterPeriod };
  const runs = useQuery({
    queryKey: scoringKeys.runs(q),
    queryFn: () => scoringApi.runs(q),
    enabled: access.read,
  });
  if (!access.read) return <NoPermission />;

  return (
    <>
      <PageTitle title={t('scoring.runs.title')} description={t('scoring.runs.description')} />
      {access.manage && <ComputeCard />}
      <Card
        size="small"
        title={t('scoring.runs.listTitle')}
        extra={
          <Row gutter={8} wrap={false}>
            <Col>
              <Select<string>
                allowClear
                aria-label={t('scoring.runs.scheme')}
                style={{ width: 220 }}
                placeholder={t('scoring.runs.allSchemes')}
                value={filterScheme}
                onChange={setFilterScheme}
                options={(schemes.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
              />
            </Col>
            <Col>
              <PeriodSelect
                value={filterPeriod}
                onChange={setFilterPeriod}
                placeholder={t('scoring.runs.allPeriods')}
              />
            </Col>
            {filterPeriod && (
              <Col>
                <Button type="link" onClick={() => setFilterPeriod(undefined)}>
                  {t('scoring.runs.clear')}
                </Button>
              </Col>
            )}
          </Row>
        }
      >
        {runs.isError && (
          <Alert type="error" showIcon title={errorText(runs.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<RunSummary>
          size="small"
          rowKey="id"
          loading={runs.isFetching}
          dataSource={runs.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          onRow={(r) => ({ onClick: () => void navigate(`/runs/${r.id}`), style: { cursor: 'pointer' } })}
          rowClassName={(r) => (r.status === 'superseded' ? 'mp-sc-muted' : '')}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={access.manage ? t('scoring.runs.emptyManage') : t('scoring.runs.empty')}
              />
            ),
          }}
          columns={[
            {
              title: t('scoring.runs.scheme'),
              key: 'scheme',
              render: (_: unknown, r) => (
                <div>
                  <Typography.Link>{r.schemeName}</Typography.Link>
                  <div className="mp-sc-secondary">{t('scoring.versionN', { n: r.version })}</div>
                </div>
              ),
            },
            { title: t('scoring.period'), dataIndex: 'periodName', width: 130 },
            { title: t('scoring.runs.group'), dataIndex: 'groupName', width: 160 },
            { title: t('scoring.runs.units'), dataIndex: 'unitCount', width: 80 },
            {
              title: t('scoring.runs.status'),
              dataIndex: 'status',
              width: 110,
              render: (s: RunStatus) => <RunStatusTag status={s} />,
            },
            {
              title: t('scoring.runs.computed'),
              key: 'computed',
              width: 170,
              render: (_: unknown, r) => (
                <div>
                  <div>{formatTime(r.computedAt)}</div>
                  <div className="mp-sc-secondary">{r.computedBy}</div>
                </div>
              ),
            },
            {
              title: t('scoring.runs.published'),
              dataIndex: 'publishedAt',
              width: 140,
              render: (v: string | null) => (v ? formatTime(v) : '—'),
            },
          ]}
        />
      </Card>
    </>
  );
}

function ComputeCard() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const [schemeId, setSchemeId] = useState<string | null>(null);
  const [version, setVersion] = useState<number | null>(null);
  const [periodId, setPeriodId] = useState<string | null>(null);
  const [groupKey, setGroupKey] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const schemes = useQuery({ queryKey: scoringKeys.schemes, queryFn: scoringApi.schemes });
  const detail = useQuery({
    queryKey: scoringKeys.scheme(schemeId ?? ''),
    queryFn: () => scoringApi.scheme(schemeId ?? ''),
    enabled: schemeId !== null,
  });
  const chosenVersion = version ?? detail.data?.latestVersion ?? null;
  const versionDef = useQuery({
    queryKey: scoringKeys.schemeVersion(schemeId ?? '', chosenVersion ?? 0),
    queryFn: () => scoringApi.schemeVersion(schemeId ?? '', chosenVersion ?? 0),
    enabled: schemeId !== null && chosenVersion !== null,
  });
  const groups = versionDef.data?.definition.groups ?? [];
  const ready = schemeId && periodId && groupKey && groups.some((g) => g.key === groupKey);

  const compute = async () => {
    if (!schemeId || !periodId || !groupKey) return;
    setBusy(true);
    setError(null);
    try {
      const request = { schemeId, periodId, groupKey, ...(version !== null ? { version } : {}) };
      // Every condition that would make the result misleading is named before anything is computed.
      const { warnings } = await scoringApi.checkRun(request);
      if (warnings.length > 0) {
        const go = await confirmStep(modal, t, {
          title: t('scoring.runs.computeConfirm'),
          warnings,
          okText: t('scoring.runs.compute'),
        });
        if (!go) return;
      }
      const run = await scoringApi.compute({ ...request, acceptWarnings: warningCodes(warnings) });
      client.setQueryData(scoringKeys.run(run.id), run);
      await client.invalidateQueries({ queryKey: ['scoring', 'runs'] });
      void message.success(t('scoring.runs.computedToast', { n: run.unitCount }));
      void navigate(`/runs/${run.id}`);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Card size="small" title={t('scoring.runs.computeTitle')} style={{ marginBottom: 16 }}>
      <Form layout="vertical" component="div">
        <Row gutter={12} align="bottom">
          <Col span={7}>
            <Form.Item label={t('scoring.runs.scheme')} htmlFor="sc-run-scheme" required>
              <Select<string>
                id="sc-run-scheme"
                showSearch={{ optionFilterProp: 'label' }}
                placeholder={t('scoring.runs.pickScheme')}
                value={schemeId ?? undefined}
                onChange={(v) => {
                  setSchemeId(v);
                  setVersion(null);
                  setGroupKey(null);
                }}
                options={(schemes.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
                notFoundContent={
                  <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.runs.noSchemes')} />
                }
              />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item label={t('scoring.runs.version')} htmlFor="sc-run-version">
              <Select<number>
                id="sc-run-version"
                disabled={!detail.data}
                value={chosenVersion ?? undefined}
                onChange={(v) => {
                  setVersion(v === detail.data?.latestVersion ? null : v);
                  setGroupKey(null);
                }}
                options={[...(detail.data?.versions ?? [])]
                  .sort((a, b) => b.version - a.version)
                  .map((v) => ({
                    value: v.version,
                    label:
                      v.version === detail.data?.latestVersion
                        ? `${t('scoring.versionN', { n: v.version })}（${t('scoring.editor.latest')}）`
                        : t('scoring.versionN', { n: v.version }),
                  }))}
              />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item label={t('scoring.period')} htmlFor="sc-run-period" required>
              <PeriodSelect
                id="sc-run-period"
                style={{ width: '100%' }}
                value={periodId}
                onChange={setPeriodId}
              />
            </Form.Item>
          </Col>
          <Col span={5}>
            <Form.Item
              label={t('scoring.runs.group')}
              htmlFor="sc-run-group"
              required
              help={
                schemeId && versionDef.data && groups.length === 0 ? t('scoring.runs.noGroups') : undefined
              }
            >
              <Select<string>
                id="sc-run-group"
                disabled={groups.length === 0}
                placeholder={t('scoring.runs.pickGroup')}
                value={groupKey ?? undefined}
                onChange={setGroupKey}
                options={groups.map((g) => ({ value: g.key, label: g.name }))}
              />
            </Form.Item>
          </Col>
          <Col span={4}>
            <Form.Item>
              <Button
                type="primary"
                icon={<CalculatorOutlined />}
                loading={busy}
                disabled={!ready}
                onClick={() => void compute()}
                block
              >
                {t('scoring.runs.compute')}
              </Button>
            </Form.Item>
          </Col>
        </Row>
      </Form>
      <Typography.Text type="secondary" style={{ fontSize: 13 }}>
        {t('scoring.runs.computeHint')}
      </Typography.Text>
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Card>
  );
}
