import { ReloadOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { api, errorText } from '../api';
import { NoPermission } from '../components/NoPermission';
import { PageTitle } from '../components/PageTitle';
import { keys, useCategoryNames, useUnitNames } from '../queries';
import { useAccount } from '../session';
import { AUDIT_ENTITY_TYPES, type AuditEntry } from '../types';
import { formatTime } from '../util';

const PAGE = 50;

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A value in an audit entry, as a person reads it: names instead of ids and codes where known. */
function showValue(
  t: Translate,
  field: string,
  value: unknown,
  names: { units: Map<string, { name: string }>; categories: Map<string, { name: string }> },
): string {
  if (value === null || value === undefined) return '—';
  if (value === '') return t('audit.emptyValue');
  if (typeof value === 'boolean') return value ? t('audit.yes') : t('audit.no');
  if (Array.isArray(value)) {
    if (value.length === 0) return t('audit.emptyValue');
    if (field === 'scopes')
      return value.map((s) => t(`scopes.${String(s)}`, { defaultValue: String(s) })).join('、');
    return value.map(String).join('、');
  }
  if (typeof value === 'string') {
    if (field === 'kind') return t(`kinds.${value}`, { defaultValue: value });
    if (field === 'mode') return t(`modes.${value}`, { defaultValue: value });
    if (field === 'role') return t(`roles.${value}`, { defaultValue: value });
    if (field === 'parentId' || field === 'unitId') {
      const unit = names.units.get(value);
      return unit ? `${unit.name}（${value}）` : value;
    }
    if (field === 'categoryId') return names.categories.get(value)?.name ?? value;
    return value;
  }
  return JSON.stringify(value);
}

/** 审计日志: every change, newest first; each entry carries the hash of the one before it. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const { can } = useAccount();
  const [params, setParams] = useSearchParams();
  const entityType = params.get('entityType') ?? undefined;
  const entityId = params.get('entityId') ?? undefined;
  const actorId = params.get('actorId') ?? undefined;
  const unitNames = useUnitNames();
  const canAccounts = can('accounts:manage');
  const accounts = useQuery({ queryKey: keys.accounts, queryFn: api.accounts, enabled: canAccounts });

  const entries = useInfiniteQuery({
    queryKey: [...keys.audit, { entityType, entityId, actorId }],
    queryFn: ({ pageParam }) =>
      api.audit({
        ...(entityType ? { entityType } : {}),
        ...(entityId ? { entityId } : {}),
        ...(actorId ? { actorId } : {}),
        ...(pageParam ? { beforeSeq: pageParam } : {}),
        limit: PAGE,
      }),
    initialPageParam: 0,
    getNextPageParam: (last) => (last.length < PAGE ? undefined : last[last.length - 1]?.seq),
    enabled: can('audit:read'),
  });

  if (!can('audit:read')) return <NoPermission />;

  const rows = entries.data?.pages.flat() ?? [];
  const setFilter = (key: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    if (key === 'entityType') next.delete('entityId');
    setParams(next);
  };

  const entityLabel = (entry: AuditEntry) => {
    if (entry.entityType === 'unit') {
      const unit = unitNames.get(entry.entityId);
      if (unit) return <Link to={`/units/${entry.entityId}`}>{unit.name}</Link>;
    }
    if (entry.entityType === 'account') {
      const account = accounts.data?.find((a) => a.id === entry.entityId);
      if (account) return account.username;
    }
    const detail = entry.detail as Record<string, unknown> | null;
    const name = detail && typeof detail.name === 'string' ? detail.name : null;
    return name ?? <Typography.Text type="secondary">{entry.entityId.slice(0, 12)}</Typography.Text>;
  };

  /** Who acted, as a person reads it: the account's name, the system's task, or the API token. */
  const actorText = (entry: AuditEntry): string => {
    const label = entry.actorLabel;
    if (label.startsWith('system:')) {
      const task = label.slice('system:'.length);
      return t('audit.system', { label: t(`audit.systemLabels.${task}`, { defaultValue: task }) });
    }
    if (label.startsWith('token:')) return t('audit.token', { name: label.slice('token:'.length) });
    const account = accounts.data?.find((a) => a.id === entry.actorId);
    return account ? `${account.displayName}（${account.username}）` : label;
  };

  const filteredUnit = entityType === 'unit' && entityId ? unitNames.get(entityId) : undefined;

  return (
    <>
      <PageTitle title={t('audit.title')} description={t('audit.description')} />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            allowClear
            style={{ width: 180 }}
            placeholder={t('audit.allTypes')}
            value={entityType}
            onChange={(v: string | undefined) => setFilter('entityType', v)}
            options={AUDIT_ENTITY_TYPES.map((type) => ({ value: type, label: t(`entityTypes.${type}`) }))}
            aria-label={t('audit.entityType')}
          />
          {canAccounts && (
            <Select
              allowClear
              showSearch={{ optionFilterProp: 'label' }}
              style={{ width: 220 }}
              placeholder={t('audit.allActors')}
              value={actorId}
              onChange={(v: string | undefined) => setFilter('actorId', v)}
              options={(accounts.data ?? []).map((a) => ({
                value: a.id,
                label: `${a.displayName}（${a.username}）`,
              }))}
              aria-label={t('audit.actor')}
            />
          )}
          {entityId && (
            <Tag closable onClose={() => setFilter('entityId', undefined)} color="blue">
              {t('audit.onlyEntity', {
                name: filteredUnit?.name ?? entityId,
                type: t(`entityTypes.${entityType ?? 'unit'}`, { defaultValue: entityType ?? '' }),
              })}
            </Tag>
          )}
          <Button icon={<ReloadOutlined />} onClick={() => void entries.refetch()}>
            {t('common.refresh')}
          </Button>
        </Space>
        {entries.isError && (
          <Alert type="error" showIcon title={errorText(entries.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<AuditEntry>
          size="small"
          rowKey="seq"
          loading={entries.isPending}
          dataSource={rows}
          pagination={false}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={entityType || entityId || actorId ? t('audit.emptyFiltered') : t('audit.empty')}
              />
            ),
          }}
          expandable={{
            expandedRowRender: (entry) => <EntryDetail entry={entry} />,
          }}
          columns={[
            { title: t('audit.seq'), dataIndex: 'seq', width: 70 },
            { title: t('audit.at'), dataIndex: 'at', width: 150, render: formatTime },
            {
              title: t('audit.actor'),
              key: 'actor',
              width: 170,
              render: (_: unknown, e: AuditEntry) => actorText(e),
            },
            {
              title: t('audit.action'),
              dataIndex: 'action',
              width: 160,
              render: (action: string) =>
                i18n.exists(`auditActions.${action}`) ? t(`auditActions.${action}`) : action,
            },
            {
              title: t('audit.entityType'),
              dataIndex: 'entityType',
              width: 100,
              render: (type: string) => <Tag>{t(`entityTypes.${type}`, { defaultValue: type })}</Tag>,
            },
            {
              title: t('audit.entity'),
              key: 'entity',
              render: (_: unknown, e: AuditEntry) => entityLabel(e),
            },
            {
              title: t('audit.fields'),
              key: 'fields',
              render: (_: unknown, e: AuditEntry) => {
                const fields = e.detail && typeof e.detail === 'object' ? Object.keys(e.detail) : [];
                return (
                  <Typography.Text type="secondary" ellipsis style={{ maxWidth: 280 }}>
                    {fields.map((f) => t(`fields.${f}`, { defaultValue: f })).join('、') || '—'}
                  </Typography.Text>
                );
              },
            },
          ]}
        />
        <div style={{ textAlign: 'center', marginTop: 12 }}>
          {entries.hasNextPage ? (
            <Button onClick={() => void entries.fetchNextPage()} loading={entries.isFetchingNextPage}>
              {t('audit.loadMore')}
            </Button>
          ) : (
            rows.length > 0 && (
              <Typography.Text type="secondary">{t('audit.end', { count: rows.length })}</Typography.Text>
            )
          )}
        </div>
      </Card>
    </>
  );
}

function EntryDetail({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const units = useUnitNames();
  const categories = useCategoryNames();
  const detail =
    entry.detail && typeof entry.detail === 'object' && !Array.isArray(entry.detail)
      ? (entry.detail as Record<string, unknown>)
      : null;
  return (
    <Row gutter={16}>
      <Col span={14}>
        <Typography.Text strong>{t('audit.changed')}</Typography.Text>
        {detail && Object.keys(detail).length > 0 ? (
          <Descriptions size="small" column={1} bordered style={{ marginTop: 6 }}>
            {Object.entries(detail).map(([field, value]) => (
              <Descriptions.Item key={field} label={t(`fields.${field}`, { defaultValue: field })}>
                {showValue(t, field, value, { units, categories })}
              </Descriptions.Item>
            ))}
          </Descriptions>
        ) : (
          <div>
            <Typography.Text type="secondary">{t('audit.noDetail')}</Typography.Text>
          </div>
        )}
      </Col>
      <Col span={10}>
        <Typography.Text strong>{t('audit.integrity')}</Typography.Text>
        <Descriptions size="small" column={1} style={{ marginTop: 6 }}>
          <Descriptions.Item label={t('audit.entityId')}>
            <Typography.Text code copyable>
              {entry.entityId}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('audit.hash')}>
            <Typography.Text code copyable style={{ wordBreak: 'break-all' }}>
              {entry.hash}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('audit.prevHash')}>
            <Typography.Text code style={{ wordBreak: 'break-all' }}>
              {entry.prevHash}
            </Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
          {t('audit.hashExplain')}
        </Typography.Paragraph>
        <Typography.Text strong>{t('audit.rawJson')}</Typography.Text>
        <pre className="mp-json">{JSON.stringify(entry.detail, null, 2)}</pre>
      </Col>
    </Row>
  );
}
