import { DownloadOutlined, PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Empty, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { EscalationTag } from '../cases/tags';
import { DaysLeft } from '../ratings/shared';
import '../ratings/ratings.css';
import { ITEM_STATES, ledgerApi, type ItemOrigin, type ItemState, type ItemSummary } from './api';
import { CreateItemModal } from './CreateItemModal';
import { ItemDrawer } from './ItemDrawer';
import { useLedgerAccess } from './menu';
import { ItemStateTag, unitHolds } from './shared';
import './ledger.css';

const PAGE_SIZE = 20;

/** 整改台账: the items of one's part of the registry, the work waiting at a glance, each item in a drawer. */
export function ItemsPage() {
  const { t } = useTranslation();
  const access = useLedgerAccess();
  const navigate = useNavigate();
  const { itemId } = useParams();
  const [search, setSearch] = useSearchParams();
  const units = useUnits();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [state, setState] = useState<ItemState | undefined>(undefined);
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const query = { unitId: unitId ?? undefined, state, overdue, page, pageSize: PAGE_SIZE };
  const items = useQuery({
    queryKey: ['ledger-items', query],
    queryFn: () => ledgerApi.items(query),
    enabled: access.handle,
    placeholderData: (previous) => previous,
  });
  const tiles: { key: string; state?: ItemState; overdue?: boolean }[] = [
    ...ITEM_STATES.map((s) => ({ key: s, state: s })),
    { key: 'overdue', overdue: true },
  ];
  const counts = useQueries({
    queries: tiles.map((tile) => {
      const q = { unitId: unitId ?? undefined, state: tile.state, overdue: tile.overdue, pageSize: 1 };
      return {
        queryKey: ['ledger-items', 'count', q],
        queryFn: () => ledgerApi.items(q),
        enabled: access.handle,
      };
    }),
  });
  // Opened from a problem or an inspection: /ledger/items?new=problem&ref=…
  const newOrigin = search.get('new') as ItemOrigin | null;
  const [creating, setCreating] = useState(false);

  if (!access.handle) return <NoPermission />;

  const filter =
    <V,>(set: (v: V) => void) =>
    (v: V) => {
      set(v);
      setPage(1);
    };
  const closeCreate = () => {
    setCreating(false);
    if (newOrigin) setSearch({});
  };

  return (
    <>
      <PageTitle
        title={t('ledger.items.title')}
        description={access.manage ? t('ledger.items.description') : t('ledger.items.descriptionUnit')}
        extra={
          <Space>
            <Button icon={<ReloadOutlined />} onClick={() => void items.refetch()}>
              {t('common.refresh')}
            </Button>
            <Button icon={<DownloadOutlined />} href={ledgerApi.exportUrl(unitId ?? undefined)}>
              {t('ledger.items.export')}
            </Button>
            {access.manage && (
              <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
                {t('ledger.items.new')}
              </Button>
            )}
          </Space>
        }
      />
      <div className="mp-case-tiles mp-ledger-tiles">
        {tiles.map((tile, i) => {
          const active = tile.overdue ? overdue && !state : state === tile.state && !overdue;
          const n = counts[i]?.data?.total;
          const waitingOffice = tile.state?.endsWith('_review') ?? false;
          return (
            <button
              key={tile.key}
              type="button"
              data-testid={`tile-${tile.key}`}
              className={`mp-case-tile${active ? ' mp-case-tile-on' : ''}${tile.overdue && n ? ' mp-case-tile-alert' : ''}`}
              onClick={() => {
                setState(active ? undefined : tile.state);
                setOverdue(active ? false : Boolean(tile.overdue));
                setPage(1);
              }}
            >
              <span className="mp-case-tile-n">{n ?? '…'}</span>
              <span>{tile.overdue ? t('ledger.items.overdueTile') : t(`ledger.states.${tile.key}`)}</span>
              <span className="mp-ledger-tile-who">
                {tile.overdue
                  ? t('ledger.items.overdueWho')
                  : tile.state === 'closed'
                    ? '\u00a0'
                    : waitingOffice
                      ? t('ledger.items.officeHolds')
                      : t('ledger.items.unitHolds')}
              </span>
            </button>
          );
        })}
      </div>
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <UnitTreeSelect
            id="ledger-unit"
            units={units.data ?? []}
            value={unitId}
            onChange={filter(setUnitId)}
            placeholder={t('ledger.allUnits')}
            style={{ width: 300 }}
          />
          <Select<ItemState>
            aria-label={t('ledger.items.state')}
            allowClear
            style={{ width: 160 }}
            placeholder={t('ledger.items.allStates')}
            value={state}
            onChange={filter(setState)}
            options={ITEM_STATES.map((s) => ({ value: s, label: t(`ledger.states.${s}`) }))}
          />
          <Checkbox checked={overdue} onChange={(e) => filter(setOverdue)(e.target.checked)}>
            {t('ledger.items.onlyOverdue')}
          </Checkbox>
        </Space>
        {items.isError && (
          <Alert type="error" showIcon title={errorText(items.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<ItemSummary>
          size="small"
          rowKey="id"
          loading={items.isFetching}
          dataSource={items.data?.items ?? []}
          rowClassName={(i) => (i.overdue && unitHolds(i.state) ? 'mp-row-overdue' : '')}
          onRow={(i) => ({
            onClick: () => void navigate(`/ledger/items/${i.id}`),
            style: { cursor: 'pointer' },
          })}
          pagination={{
            current: page,
            pageSize: PAGE_SIZE,
            total: items.data?.total ?? 0,
            showSizeChanger: false,
            hideOnSinglePage: true,
            showTotal: (n) => t('ledger.items.total', { n }),
            onChange: setPage,
          }}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.items.empty')} />,
          }}
          columns={[
            {
              title: t('ledger.items.reference'),
              dataIndex: 'reference',
              width: 150,
              render: (ref: string) => <Typography.Link>{ref}</Typography.Link>,
            },
            {
              title: t('ledger.items.problem'),
              key: 'title',
              render: (_: unknown, i: ItemSummary) => (
                <div>
                  <div className="mp-ledger-title-cell">{i.title}</div>
                  <Space size={4}>
                    <Tag style={{ fontSize: 11 }}>{t(`ledger.origins.${i.origin}`)}</Tag>
                    {i.reopenCount > 0 && (
                      <Tag color="red" style={{ fontSize: 11 }}>
                        {t('ledger.items.reopened', { n: i.reopenCount })}
                      </Tag>
                    )}
                  </Space>
                </div>
              ),
            },
            {
              title: t('ledger.items.unit'),
              key: 'unit',
              width: 200,
              render: (_: unknown, i: ItemSummary) => (
                <div>
                  <div>{i.unitName}</div>
                  {i.responsibleName && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('ledger.items.responsible')}：{i.responsibleName}
                    </Typography.Text>
                  )}
                </div>
              ),
            },
            {
              title: t('ledger.items.state'),
              key: 'state',
              width: 150,
              render: (_: unknown, i: ItemSummary) => (
                <Space orientation="vertical" size={2}>
                  <ItemStateTag state={i.state} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t(`ledger.waiting.${i.state}`)}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('ledger.items.due'),
              key: 'due',
              width: 130,
              render: (_: unknown, i: ItemSummary) =>
                unitHolds(i.state) ? (
                  <DaysLeft days={i.workingDaysLeft} dueOn={i.dueOn} />
                ) : i.state === 'closed' ? (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('ledger.items.closedOn', { date: (i.closedAt ?? '').slice(0, 10) })}
                  </Typography.Text>
                ) : (
                  <Typography.Text type="secondary">—</Typography.Text>
                ),
            },
            {
              title: t('ledger.items.escalation'),
              dataIndex: 'escalation',
              width: 110,
              render: (n: number) => <EscalationTag level={n} />,
            },
            {
              title: t('ledger.items.evidence'),
              dataIndex: 'evidence',
              width: 80,
              align: 'right' as const,
              render: (n: number) => (n > 0 ? n : <Typography.Text type="secondary">0</Typography.Text>),
            },
          ]}
        />
      </Card>
      {(creating || newOrigin) && access.manage && (
        <CreateItemModal
          origin={newOrigin ?? 'manual'}
          originRef={search.get('ref') ?? undefined}
          onClose={closeCreate}
          onCreated={(created) => {
            closeCreate();
            void navigate(`/ledger/items/${created.id}`);
          }}
        />
      )}
      {itemId && <ItemDrawer itemId={itemId} onClose={() => void navigate('/ledger/items')} />}
    </>
  );
}
