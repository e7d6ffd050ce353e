import { useQuery } from '@tanstack/react-query';
import { Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useUnitNames } from '../../queries';
import { panelApi, stratumLabel, type Quota, type StratumView } from './api';

/** A function naming quota values: group names for codes, unit names for ids, 是/否 for grassroots. */
export function useValueNames(): (feature: Quota['feature'], value: string) => string {
  const { t } = useTranslation();
  const groups = useQuery({ queryKey: ['panel', 'groups'], queryFn: panelApi.groups });
  const units = useUnitNames();
  const groupNames = new Map((groups.data ?? []).map((g) => [g.code, g.name]));
  return (feature, value) => {
    if (feature === 'group') return groupNames.get(value) ?? value;
    if (feature === 'region') return units.get(value)?.name ?? value;
    return value === 'yes'
      ? t('panel.wizard.features.grassroots')
      : `${t('panel.pool.no')}${t('panel.wizard.features.grassroots')}`;
  };
}

/** The strata of a draw: who is alike, how many are eligible, how many are drawn, each one's probability. */
export function StrataTable({ strata }: { strata: StratumView[] }) {
  const { t } = useTranslation();
  const name = useValueNames();
  return (
    <Table<StratumView>
      rowKey="key"
      size="small"
      pagination={false}
      dataSource={strata}
      columns={[
        {
          title: t('panel.wizard.stratum'),
          key: 'label',
          render: (_: unknown, s) => stratumLabel(s.values, name, t('panel.wizard.other')),
        },
        { title: t('panel.wizard.eligibleN'), dataIndex: 'eligible', width: 110 },
        { title: t('panel.wizard.drawnN'), dataIndex: 'drawn', width: 90 },
        {
          title: t('panel.wizard.probability'),
          dataIndex: 'probability',
          width: 120,
          render: (p: number) => `${(p * 100).toFixed(p > 0 && p < 0.01 ? 3 : 1)}%`,
        },
      ]}
    />
  );
}
