import {
  AuditOutlined,
  CheckCircleFilled,
  DownloadOutlined,
  EditOutlined,
  GlobalOutlined,
  LockOutlined,
  PrinterOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Badge,
  Button,
  Card,
  Descriptions,
  Empty,
  Input,
  Modal,
  Result,
  Space,
  Spin,
  Table,
  Tabs,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import { scoringApi, scoringKeys, type RunDetail, type UnitRow } from './api';
import { useScoringAccess } from './menu';
import { ReviewPanel } from './ReviewPanel';
import { FlagTags, fmt, fmtInterval, RankChange, RunStatusTag } from './shared';
import { UnitDrawer } from './UnitDrawer';
import { confirmStep, warningCodes, WarningList } from './Warnings';
import './scoring.css';

/** The top-level components of a run: the root's children (the root itself is the total). */
function topComponents(run: RunDetail) {
  const depths = run.components.map((c) => c.depth);
  if (depths.length === 0) return [];
  const min = Math.min(...depths);
  const atMin = run.components.filter((c) => c.depth === min);
  const level = atMin.length === 1 && run.components.length > 1 ? min + 1 : min;
  return run.components.filter((c) => c.depth === level);
}

/** A run: results, lists, review, publication. */
export function RunPage() {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const { runId = '', unitId } = useParams();
  const navigate = useNavigate();
  const client = useQueryClient();
  const { message, modal } = App.useApp();
  const [tab, setTab] = useState('results');
  const [editing, setEditing] = useState<UnitRow | null>(null);
  const [publishing, setPublishing] = useState(false);
  const run = useQuery({
    queryKey: scoringKeys.run(runId),
    queryFn: () => scoringApi.run(runId),
    enabled: access.read,
  });
  const data = run.data;
  // What publishing would warn about, shown before publication so it can be fixed first.
  const warnings = useQuery({
    queryKey: [...scoringKeys.run(runId), 'warnings', data?.status, data?.reviews.length],
    queryFn: () => scoringApi.runWarnings(runId),
    enabled: access.read && data !== undefined && data.status !== 'published' && data.status !== 'superseded',
  });
  const byId = useMemo(() => new Map((data?.units ?? []).map((u) => [u.unitId, u])), [data]);

  if (!access.read) return <NoPermission />;
  if (run.isError)
    return (
      <Result
        status="warning"
        title={errorText(run.error)}
        extra={<Link to="/runs">{t('scoring.run.back')}</Link>}
      />
    );
  if (!data) return <Spin style={{ display: 'block', padding: 48 }} />;

  const published = data.status === 'published';
  const locked = data.status === 'approved' || published;
  const superseded = data.status === 'superseded';
  const top = topComponents(data);
  const p = data.precision;
  const setRun = (next: RunDetail) => {
    client.setQueryData(scoringKeys.run(next.id), next);
    void client.invalidateQueries({ queryKey: ['scoring', 'runs'] });
  };

  const publish = async () => {
    setPublishing(true);
    try {
      const { warnings: found } = await scoringApi.runWarnings(data.id);
      const go = await confirmStep(modal, t, {
        title: t('scoring.run.publishConfirm'),
        text: t('scoring.run.publishConfirmText'),
        warnings: found,
        okText: t('scoring.run.publish'),
      });
      if (!go) return;
      setRun(await scoringApi.publish(data.id, warningCodes(found)));
      void message.success(t('scoring.run.publishedToast'));
    } catch (e) {
      void message.error(errorText(e), 6);
    } finally {
      setPublishing(false);
    }
  };

  const name = (id: string) => byId.get(id)?.name ?? id;

  return (
    <>
      <PageTitle
        title={
          <Space>
            {data.schemeName}
            <RunStatusTag status={data.status} />
          </Space>
        }
        description={t('scoring.run.subtitle', {
          version: data.version,
          period: data.periodName,
          group: data.groupName,
          n: data.unitCount,
        })}
        extra={
          <Space>
            <Link to="/runs">{t('scoring.run.back')}</Link>
            <Button icon={<DownloadOutlined />} href={scoringApi.exportUrl(data.id)} download>
              {t('scoring.run.export')}
            </Button>
            {published && (
              <>
                <Button icon={<GlobalOutlined />} href={scoringApi.publicUrl(data.id)} target="_blank">
                  {t('scoring.run.publicPage')}
                </Button>
                <Button icon={<PrinterOutlined />} href={scoringApi.noticeUrl(data.id)} target="_blank">
                  {t('scoring.run.notice')}
                </Button>
                <Link to={`/runs/${data.id}/outcomes`}>
                  <Button icon={<AuditOutlined />}>{t('outcomes.run.title')}</Button>
                </Link>
              </>
            )}
            {access.manage && data.status === 'approved' && (
              <Button
                type="primary"
                icon={<SendOutlined />}
                loading={publishing}
                onClick={() => void publish()}
              >
                {t('scoring.run.publish')}
              </Button>
            )}
          </Space>
        }
      />
      {published ? (
        <Alert
          type="success"
          showIcon
          icon={<CheckCircleFilled />}
          style={{ marginBottom: 12 }}
          data-testid="run-state"
          title={t('scoring.run.publishedBanner', { at: formatTime(data.publishedAt) })}
          description={t('scoring.run.publishedText')}
        />
      ) : locked ? (
        <Alert
          type="success"
          showIcon
          icon={<LockOutlined />}
          style={{ marginBottom: 12 }}
          data-testid="run-state"
          title={t('scoring.run.lockedBanner')}
          description={access.manage ? t('scoring.run.lockedText') : t('scoring.run.lockedTextRead')}
        />
      ) : superseded ? (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('scoring.run.supersededBanner')}
        />
      ) : (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="run-state"
          title={
            data.nextStage !== null && data.stages[data.nextStage]
              ? t('scoring.run.reviewBanner', {
                  stage: data.stages[data.nextStage]?.name ?? '',
                  n: data.nextStage + 1,
                  total: data.stages.length,
                })
              : t('scoring.run.noStagesBanner')
          }
        />
      )}
      {(warnings.data?.warnings.length ?? 0) > 0 && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="run-warnings-panel"
          title={t('scoring.warnings.title')}
          description={
            <>
              <Typography.Paragraph style={{ marginBottom: 4 }}>
                {t('scoring.warnings.panelIntro')}
              </Typography.Paragraph>
              <WarningList warnings={warnings.data?.warnings ?? []} />
            </>
          }
        />
      )}
      {!access.manage && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('scoring.readOnlyBanner')} />
      )}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'results',
            label: t('scoring.run.tabResults', { n: data.units.length }),
            children: (
              <Card size="small">
                <Table<UnitRow>
                  size="small"
                  rowKey="unitId"
                  data-testid="results-table"
                  dataSource={data.units}
                  pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
                  scroll={{ x: 'max-content' }}
                  onRow={(u) => ({
                    onClick: () => void navigate(`/runs/${data.id}/units/${u.unitId}`),
                    style: { cursor: 'pointer' },
                  })}
                  locale={{
                    emptyText: (
                      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.run.noUnits')} />
                    ),
                  }}
                  columns={[
                    {
                      title: t('scoring.run.rank'),
                      dataIndex: 'rank',
                      width: 70,
                      fixed: 'left',
                      render: (rank: number, u) => (
                        <Space size={4}>
                          <Typography.Text strong>{rank}</Typography.Text>
                          <RankChange change={u.rankChange} previous={u.previousRank} />
                        </Space>
                      ),
                    },
                    {
                      title: t('scoring.unit'),
                      key: 'unit',
                      fixed: 'left',
                      width: 200,
                      render: (_: unknown, u) => (
                        <div>
                          <Typography.Link>{u.name}</Typography.Link>
                          {u.parentName && (
                            <div className="mp-sc-parent" data-testid="unit-parent">
                              {u.parentName}
                            </div>
                          )}
                          <div className="mp-sc-secondary">{u.code}</div>
                        </div>
                      ),
                    },
                    ...top.map((c) => ({
                      title: (
                        <Tooltip title={t('scoring.run.componentTip', { name: c.name, n: c.maxPoints })}>
                          <div className="mp-sc-col-head">
                            {c.name}
                            <div className="mp-sc-secondary">{t('scoring.pointsN', { n: c.maxPoints })}</div>
                          </div>
                        </Tooltip>
                      ),
                      key: `c-${c.id}`,
                      width: 96,
                      align: 'right' as const,
                      render: (_: unknown, u: UnitRow) => fmt(u.components[c.id], p),
                    })),
                    {
                      title: t('scoring.run.total'),
                      key: 'total',
                      width: 130,
                      align: 'right' as const,
                      render: (_: unknown, u) => (
                        <div>
                          <Typography.Text strong>{fmt(u.total, p)}</Typography.Text>
                          {u.interval && (
                            <Tooltip title={t('scoring.run.intervalTip')}>
                              <div className="mp-sc-secondary">{fmtInterval(u.interval, p)}</div>
                            </Tooltip>
                          )}
                        </div>
                      ),
                    },
                    {
                      title: t('scoring.run.grade'),
                      dataIndex: 'grade',
                      width: 90,
                      render: (g: string | null) => g ?? '—',
                    },
                    ...(data.units.some((u) => u.bonusScore !== null)
                      ? [
                          {
                            title: (
                              <Tooltip title={t('scoring.run.bonusTip')}>{t('scoring.run.bonus')}</Tooltip>
                            ),
                            key: 'bonus',
                            width: 90,
                            align: 'right' as const,
                            render: (_: unknown, u: UnitRow) => fmt(u.bonusScore, p),
                          },
                        ]
                      : []),
                    {
                      title: t('scoring.run.flags'),
                      key: 'flags',
                      width: 200,
                      render: (_: unknown, u) => <FlagTags flags={u.flags} />,
                    },
                    {
                      title: t('scoring.run.problems'),
                      key: 'problems',
                      width: 220,
                      render: (_: unknown, u) => (
                        <div onClick={(e) => e.stopPropagation()} className="mp-sc-problem-cell">
                          {data.problems[u.unitId] ? (
                            <Tooltip title={data.problems[u.unitId]}>
                              <span className="mp-sc-clamp">{data.problems[u.unitId]}</span>
                            </Tooltip>
                          ) : (
                            <Typography.Text type="secondary">—</Typography.Text>
                          )}
                          {access.manage && !published && (
                            <Button
                              type="link"
                              size="small"
                              icon={<EditOutlined />}
                              aria-label={t('scoring.run.editProblems', { name: u.name })}
                              onClick={() => setEditing(u)}
                            />
                          )}
                        </div>
                      ),
                    },
                  ]}
                />
              </Card>
            ),
          },
          {
            key: 'review',
            label: (
              <Badge dot={access.manage && data.nextStage !== null && !locked && !superseded} offset={[6, 0]}>
                {t('scoring.run.tabReview')}
              </Badge>
            ),
            children: <ReviewPanel run={data} name={name} onChanged={setRun} />,
          },
          {
            key: 'integrity',
            label: t('scoring.run.tabIntegrity'),
            children: (
              <Card size="small">
                <Descriptions size="small" column={1} bordered>
                  <Descriptions.Item label={t('scoring.run.schemeVersion')}>
                    <Link to={`/schemes/${data.schemeId}/versions/${data.version}`}>
                      {data.schemeName} · {t('scoring.versionN', { n: data.version })}
                    </Link>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('scoring.run.computedAt')}>
                    {formatTime(data.computedAt)} · {data.computedBy}
                  </Descriptions.Item>
                  <Descriptions.Item label={t('scoring.run.inputsDigest')}>
                    <code>{data.inputsDigest}</code>
                  </Descriptions.Item>
                  <Descriptions.Item label={t('scoring.run.resultsDigest')}>
                    <code>{data.resultsDigest}</code>
                  </Descriptions.Item>
                </Descriptions>
                <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 13 }}>
                  {t('scoring.run.verifyHint', { id: data.id })}
                </Typography.Paragraph>
              </Card>
            ),
          },
        ]}
      />
      {editing && (
        <ProblemsModal
          run={data}
          unit={editing}
          onClose={() => setEditing(null)}
          onSaved={(text) => {
            setRun({ ...data, problems: { ...data.problems, [editing.unitId]: text } });
            setEditing(null);
          }}
        />
      )}
      {unitId && (
        <UnitDrawer
          run={data}
          unitId={unitId}
          onClose={() => void navigate(`/runs/${data.id}`)}
          onProblemsSaved={(text) => setRun({ ...data, problems: { ...data.problems, [unitId]: text } })}
        />
      )}
    </>
  );
}

/** 主要问题: the text published beside a unit on the worst list (editable until publication). */
export function ProblemsModal({
  run,
  unit,
  onClose,
  onSaved,
}: {
  run: RunDetail;
  unit: { unitId: string; name: string };
  onClose: () => void;
  onSaved: (text: string) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState(run.problems[unit.unitId] ?? '');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const save = async () => {
    setSaving(true);
    setError(null);
    try {
      const saved = await scoringApi.saveProblems(run.id, unit.unitId, text.trim());
      void message.success(t('scoring.run.problemsSaved'));
      onSaved(saved.text);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('scoring.run.problemsTitle', { name: unit.name })}
      okText={t('common.save')}
      okButtonProps={{ loading: saving }}
      onOk={() => void save()}
      onCancel={onClose}
    >
      <Typography.Paragraph type="secondary">{t('scoring.run.problemsHelp')}</Typography.Paragraph>
      <Input.TextArea
        aria-label={t('scoring.run.problems')}
        rows={5}
        maxLength={2000}
        showCount
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
    </Modal>
  );
}
