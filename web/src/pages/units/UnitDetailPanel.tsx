import { AuditOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Breadcrumb,
  Button,
  Card,
  Descriptions,
  Empty,
  Skeleton,
  Space,
  Tabs,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api, ApiError, errorText } from '../../api';
import { keys, useCategoryNames } from '../../queries';
import { useAccount } from '../../session';
import { DeactivateModal } from './DeactivateModal';
import { HistoryTab } from './HistoryTab';
import { ServiceItemsTab } from './ServiceItemsTab';
import { StaffTab } from './StaffTab';
import { UnitEditForm } from './UnitEditForm';
import { KIND_COLORS } from './kinds';

export function UnitDetailPanel({
  unitId,
  onCreateChild,
}: {
  unitId: string;
  onCreateChild: (parentId: string) => void;
}) {
  const { t } = useTranslation();
  const { can, account } = useAccount();
  const categories = useCategoryNames();
  const navigate = useNavigate();
  const [tab, setTab] = useState('basic');
  const [closing, setClosing] = useState(false);
  const detail = useQuery({ queryKey: keys.unit(unitId), queryFn: () => api.unit(unitId) });

  if (detail.isPending) {
    return (
      <Card>
        <Skeleton active />
      </Card>
    );
  }
  if (detail.isError) {
    const notFound = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <Card>
        <Empty description={notFound ? t('units.notFound') : errorText(detail.error)} />
      </Card>
    );
  }

  const { unit, versions, path } = detail.data;
  const closed = unit.validTo !== null;
  const canWrite = can('registry:write');
  const ownRoot = account.role === 'unit_staff' && account.unitId === unit.id;
  const category = unit.categoryId ? categories.get(unit.categoryId) : undefined;

  return (
    <Card
      title={
        <Space size={8} wrap>
          <span style={{ fontSize: 17 }}>{unit.name}</span>
          <Tag color={KIND_COLORS[unit.kind]}>{t(`kinds.${unit.kind}`)}</Tag>
          {closed ? (
            <Tag color="default">{t('units.closedOn', { date: unit.validTo })}</Tag>
          ) : (
            <Tag color="success">{t('units.inForce')}</Tag>
          )}
        </Space>
      }
      extra={
        <Space>
          {can('audit:read') && (
            <Button
              icon={<AuditOutlined />}
              onClick={() => void navigate(`/audit?entityType=unit&entityId=${encodeURIComponent(unit.id)}`)}
            >
              {t('units.auditLink')}
            </Button>
          )}
          {canWrite && !closed && (
            <Button icon={<PlusOutlined />} onClick={() => onCreateChild(unit.id)}>
              {t('units.createChild')}
            </Button>
          )}
          {canWrite && !closed && !ownRoot && (
            <Button danger icon={<StopOutlined />} onClick={() => setClosing(true)}>
              {t('units.deactivate')}
            </Button>
          )}
        </Space>
      }
    >
      <Breadcrumb
        style={{ marginBottom: 12 }}
        items={path.map((p, i) => ({
          key: p.id,
          title: i === path.length - 1 ? p.name : <Link to={`/units/${p.id}`}>{p.name}</Link>,
        }))}
      />
      <Descriptions size="small" column={3} bordered style={{ marginBottom: 16 }}>
        <Descriptions.Item label={t('fields.code')}>
          <Typography.Text copyable>{unit.code}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label={t('fields.shortName')}>{unit.shortName || '—'}</Descriptions.Item>
        <Descriptions.Item label={t('fields.categoryId')}>{category?.name ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('fields.responsibleName')}>
          {unit.responsibleName || '—'}
          {unit.responsiblePhone ? `（${unit.responsiblePhone}）` : ''}
        </Descriptions.Item>
        <Descriptions.Item label={t('fields.tags')}>
          {unit.tags.length ? unit.tags.map((tag) => <Tag key={tag}>{tag}</Tag>) : '—'}
        </Descriptions.Item>
        <Descriptions.Item label={t('units.currentSince')}>{unit.validFrom}</Descriptions.Item>
      </Descriptions>
      {closed && (
        <Alert
          type="warning"
          showIcon
          title={t('units.closedBanner', { date: unit.validTo })}
          style={{ marginBottom: 12 }}
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'basic',
            label: t('units.tabBasic'),
            children: <UnitEditForm detail={detail.data} readOnly={!canWrite || closed} ownRoot={ownRoot} />,
          },
          {
            key: 'items',
            label: `${t('units.tabServiceItems')} (${detail.data.serviceItems})`,
            children: <ServiceItemsTab unit={unit} readOnly={!canWrite} />,
          },
          {
            key: 'staff',
            label: `${t('units.tabStaff')} (${detail.data.staff})`,
            children: <StaffTab unit={unit} readOnly={!canWrite} />,
          },
          {
            key: 'history',
            label: `${t('units.tabHistory')} (${versions.length})`,
            children: <HistoryTab versions={versions} />,
          },
        ]}
      />
      {closing && <DeactivateModal unit={unit} onClose={() => setClosing(false)} />}
    </Card>
  );
}
