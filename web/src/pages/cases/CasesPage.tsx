import { ReloadOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Empty, Select, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnitNames, useUnits } from '../../queries';
import { useAccount } from '../../session';
import { DaysLeft, LevelTag } from '../ratings/shared';
import '../ratings/ratings.css';
import { CASE_STATES, casesApi, type CaseState, type CaseSummary } from './api';
import { CaseDrawer } from './CaseDrawer';
import { EscalationTag, StateTag, unitHolds } from './tags';

const PAGE_SIZE = 20;

/** 差评处理: the queue of bad-review cases of one's part of the registry, and each case in a drawer. */
export function CasesPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const navigate = useNavigate();
  const { caseId } = useParams();
  const units = useUnits();
  const names = useUnitNames();
  // Many windows share a name (户籍窗口): the unit above tells them apart.
  const parentName = (id: string) => {
    const parent = names.get(id)?.parentId;
    return parent ? (names.get(parent)?.name ?? '') : '';
  };
  const [unitId, setUnitId] = useState<string | null>(null);
  const [state, setState] = useState<CaseState | undefined>(undefined);
  const [overdue, setOverdue] = useState(false);
  const [escalation, setEscalation] = useState<number | undefined>(undefined);
  const [page, setPage] = useState(1);
  const query = { unitId: unitId ?? undefined, state, overdue, escalation, page, pageSize: PAGE_SIZE };
  const cases = useQuery({
    queryKey: ['cases', query],
    queryFn: () => casesApi.list(query),
    enabled: can('cases:read'),
    placeholderData: (previous) => previous,
  });

  // The work waiting, at a glance (each a one-row query for its total), and a click filters the queue.
  const tiles: { key: string; state?: CaseState; overdue?: boolean }[] = [
    { key: 'verifying', state: 'verifying' },
    { key: 'rectifying', state: 'rectifying' },
    { key: 'appealed', state: 'appealed' },
    { key: 'awaiting_judgement', state: 'awaiting_judgement' },
    { key: 'overdue', overdue: true },
  ];
  const counts = useQueries({
    queries: tiles.map((tile) => {
      const q = { unitId: unitId ?? undefined, state: tile.state, overdue: tile.overdue, pageSize: 1 };
      return {
        queryKey: ['cases', 'count', q],
        queryFn: () => casesApi.list(q),
        enabled: can('cases:read'),
      };
    }),
  });

  if (!can('cases:read')) return <NoPermission />;

  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      setPage(1);
    };

  return (
    <>
      <PageTitle
        title={t('cases.title')}
        description={t('cases.description')}
        extra={
          <Button icon={<ReloadOutlined />} onClick={() => void cases.refetch()}>
            {t('common.refresh')}
          </Button>
        }
      />
      <div className="mp-case-tiles">
        {tiles.map((tile, i) => {
          const active = tile.overdue ? overdue && !state : state === tile.state && !overdue;
          const n = counts[i]?.data?.total;
          return (
            <button
              key={tile.key}
              type="button"
              className={`mp-case-tile${active ? ' mp-case-tile-on' : ''}${tile.overdue && n ? ' mp-case-tile-alert' : ''}`}
              onClick={() => {
                setState(active ? undefined : tile.state);
                setOverdue(active ? false : Boolean(tile.overdue));
                setPage(1);
              }}
            >
              <span className="mp-case-tile-n">{n ?? '…'}</span>
              <span>{tile.overdue ? t('cases.overdueTile') : t(`caseStates.${tile.key}`)}</span>
            </button>
          );
        })}
      </div>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <UnitTreeSelect
            id="cases-unit"
            units={units.data ?? []}
            value={unitId}
            onChange={filter(setUnitId)}
            placeholder={t('cases.allUnits')}
            style={{ width: 300 }}
          />
          <Select<CaseState>
            aria-label={t('cases.state')}
            allowClear
            style={{ width: 160 }}
            placeholder={t('cases.allStates')}
            value={state}
            onChange={filter(setState)}
            options={CASE_STATES.map((s) => ({ value: s, label: t(`caseStates.${s}`) }))}
          />
          <Select<number>
            aria-label={t('cases.escalation')}
            allowClear
            style={{ width: 160 }}
            placeholder={t('cases.allEscalations')}
            value={escalation}
            onChange={filter(setEscalation)}
            options={[0, 1, 2, 3].map((n) => ({ value: n, label: t(`escalations.${n}`) }))}
          />
          <Checkbox checked={overdue} onChange={(e) => filter(setOverdue)(e.target.checked)}>
            {t('cases.onlyOverdue')}
          </Checkbox>
        </Space>
        {cases.isError && (
          <Alert type="error" showIcon title={errorText(cases.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<CaseSummary>
          size="small"
          rowKey="id"
          loading={cases.isFetching}
          dataSource={cases.data?.items ?? []}
          rowClassName={(c) => (c.overdue && unitHolds(c.state) ? 'mp-row-overdue' : '')}
          onRow={(c) => ({ onClick: () => void navigate(`/cases/${c.id}`), style: { cursor: 'pointer' } })}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: cases.data?.total ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            showTotal: (n) => t('cases.total', { n }),
            onChange: setPage,
          }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('cases.empty')} />,
          }}
          columns={[
            {
              title: t('cases.reference'),
              dataIndex: 'reference',
              width: 150,
              render: (ref: string, c: CaseSummary) => (
                <Space orientation="vertical" size={0}>
                  <Typography.Link>{ref}</Typography.Link>
                  {c.named && (
                    <Tooltip title={t('cases.namedHelp')}>
                      <Tag color="blue" style={{ fontSize: 11 }}>
                        {t('cases.named')}
                      </Tag>
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            {
              title: t('cases.unit'),
              key: 'unit',
              width: 200,
              render: (_: unknown, c: CaseSummary) => (
                <div>
                  <div>
                    {c.unitName}
                    {parentName(c.unitId) && (
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {' '}
                        · {parentName(c.unitId)}
                      </Typography.Text>
                    )}
                  </div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('cases.responsible')}：{c.responsibleName || c.responsibleUnitName}
                  </Typography.Text>
                </div>
              ),
            },
            {
              title: t('cases.rating'),
              key: 'rating',
              width: 130,
              render: (_: unknown, c: CaseSummary) => (
                <div>
                  <LevelTag level={c.level} />
                  <div style={{ fontSize: 12, color: 'rgba(0,0,0,0.45)' }}>{c.ratingDay}</div>
                </div>
              ),
            },
            {
              title: t('cases.content'),
              key: 'content',
              render: (_: unknown, c: CaseSummary) => (
                <div>
                  {c.tags.map((tag) => (
                    <Tag key={tag} style={{ marginBottom: 2 }}>
                      {tag}
                    </Tag>
                  ))}
                  {c.comment && (
                    <Tooltip title={c.comment}>
                      <div className="mp-comment-cell">{c.comment}</div>
                    </Tooltip>
                  )}
                </div>
              ),
            },
            {
              title: t('cases.state'),
              dataIndex: 'state',
              width: 130,
              render: (s: CaseState, c: CaseSummary) => (
                <Space orientation="vertical" size={2}>
                  <StateTag state={s} />
                  {c.reopenCount > 0 && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('cases.reopened', { n: c.reopenCount })}
                    </Typography.Text>
                  )}
                </Space>
              ),
            },
            {
              title: t('cases.due'),
              key: 'due',
              width: 130,
              render: (_: unknown, c: CaseSummary) =>
                unitHolds(c.state) ? (
                  <DaysLeft days={c.workingDaysLeft} dueOn={c.dueOn} />
                ) : c.state === 'awaiting_judgement' && c.judgeDueOn ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('cases.judgeDue', { date: c.judgeDueOn })}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
            {
              title: t('cases.escalation'),
              dataIndex: 'escalation',
              width: 110,
              render: (n: number) => <EscalationTag level={n} />,
            },
          ]}
        />
      </Card>
      {caseId && <CaseDrawer caseId={caseId} onClose={() => void navigate('/cases')} />}
    </>
  );
}
