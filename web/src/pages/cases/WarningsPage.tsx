import { useInfiniteQuery } from '@tanstack/react-query';
import { Alert, Button, Card, DatePicker, Empty, Segmented, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnitNames, useUnits } from '../../queries';
import { useAccount } from '../../session';
import { casesApi, type CaseState, type Warning } from './api';
import { EscalationTag, StateTag } from './tags';

const PAGE_SIZE = 50;

/** 预警督办: the warnings issued for late cases — 预警单, 紧急预警单 and escalations for a talk (约谈). */
export function WarningsPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const units = useUnits();
  const names = useUnitNames();
  // Many windows share a name: the unit above tells them apart.
  const parentName = (id: string) => {
    const parent = names.get(id)?.parentId;
    return parent ? (names.get(parent)?.name ?? '') : '';
  };
  const [unitId, setUnitId] = useState<string | null>(null);
  const [level, setLevel] = useState<number>(0);
  const [range, setRange] = useState<[Dayjs | null, Dayjs | null] | null>(null);
  const from = range?.[0]?.format('YYYY-MM-DD');
  const to = range?.[1]?.format('YYYY-MM-DD');
  const warnings = useInfiniteQuery({
    queryKey: ['warnings', unitId, level, from, to],
    queryFn: ({ pageParam }) =>
      casesApi.warnings({
        unitId: unitId ?? undefined,
        level: level || undefined,
        from,
        to,
        page: pageParam,
        pageSize: PAGE_SIZE,
      }),
    initialPageParam: 1,
    getNextPageParam: (last, all) => (last.length === PAGE_SIZE ? all.length + 1 : undefined),
    enabled: can('cases:read'),
  });
  const rows = useMemo(() => (warnings.data?.pages ?? []).flat(), [warnings.data]);

  if (!can('cases:read')) return <NoPermission />;

  return (
    <>
      <PageTitle title={t('warnings.title')} description={t('warnings.description')} />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Segmented<number>
            value={level}
            onChange={setLevel}
            options={[
              { value: 0, label: t('warnings.all') },
              { value: 1, label: t('escalations.1') },
              { value: 2, label: t('escalations.2') },
              { value: 3, label: t('escalations.3') },
            ]}
          />
          <UnitTreeSelect
            units={units.data ?? []}
            value={unitId}
            onChange={setUnitId}
            placeholder={t('warnings.allUnits')}
            style={{ width: 300 }}
          />
          <DatePicker.RangePicker
            value={range}
            onChange={(v) => setRange(v)}
            placeholder={[t('warnings.from'), t('warnings.to')]}
            allowEmpty={[true, true]}
          />
        </Space>
        {level === 3 && (
          <Alert type="info" showIcon title={t('warnings.talkHint')} style={{ marginBottom: 12 }} />
        )}
        {warnings.isError && (
          <Alert type="error" showIcon title={errorText(warnings.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<Warning>
          size="small"
          rowKey="id"
          loading={warnings.isPending}
          dataSource={rows}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('warnings.empty')} />,
          }}
          columns={[
            { title: t('warnings.issuedOn'), dataIndex: 'issuedOn', width: 110 },
            {
              title: t('warnings.level'),
              dataIndex: 'level',
              width: 120,
              render: (n: number) => <EscalationTag level={n} />,
            },
            {
              title: t('cases.reference'),
              dataIndex: 'caseReference',
              width: 160,
              render: (ref: string, w: Warning) => <Link to={`/cases/${w.caseId}`}>{ref}</Link>,
            },
            {
              title: t('warnings.unit'),
              dataIndex: 'unitName',
              render: (name: string, w: Warning) => (
                <span>
                  {name}
                  {parentName(w.unitId) && (
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {' '}
                      · {parentName(w.unitId)}
                    </Typography.Text>
                  )}
                </span>
              ),
            },
            {
              title: t('cases.responsible'),
              dataIndex: 'responsibleName',
              width: 120,
              render: (name: string) => name || <Typography.Text type="secondary">—</Typography.Text>,
            },
            { title: t('warnings.dueOn'), dataIndex: 'dueOn', width: 110 },
            {
              title: t('warnings.caseState'),
              dataIndex: 'caseState',
              width: 130,
              render: (s: CaseState) => <StateTag state={s} />,
            },
          ]}
        />
        {warnings.hasNextPage && (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button loading={warnings.isFetchingNextPage} onClick={() => void warnings.fetchNextPage()}>
              {t('warnings.more')}
            </Button>
          </div>
        )}
      </Card>
    </>
  );
}
