import { PrinterOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Button, Card, Col, Row, Statistic, Table, Tag } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/PageTitle';
import { Chart, type ChartOption } from '../ratings/Chart';
import { panelApi, type CountView } from './api';

/** /panel/composition — the pool by group, region and tag; the grassroots share against the target; printable. */
export function CompositionPage() {
  const { t } = useTranslation();
  const { data } = useQuery({ queryKey: ['panel', 'composition'], queryFn: panelApi.composition });
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 120, right: 24, top: 8, bottom: 24 },
      tooltip: {},
      xAxis: { type: 'value' },
      yAxis: { type: 'category', inverse: true, data: (data?.byGroup ?? []).map((g) => g.name) },
      series: [
        {
          type: 'bar',
          data: (data?.byGroup ?? []).map((g) => g.count),
          label: { show: true, position: 'right' },
        },
      ],
    }),
    [data],
  );
  const countColumns = [
    { title: '', dataIndex: 'name' },
    { title: t('panel.composition.count'), dataIndex: 'count', width: 100 },
  ];
  return (
    <div className="panel-print">
      <PageTitle
        title={t('panel.composition.title')}
        description={t('panel.composition.description')}
        extra={
          <Button className="no-print" icon={<PrinterOutlined />} onClick={() => window.print()}>
            {t('panel.composition.print')}
          </Button>
        }
      />
      {data && (
        <>
          <Row gutter={16} style={{ marginBottom: 16 }}>
            <Col span={8}>
              <Card>
                <Statistic title={t('panel.composition.total')} value={data.total} />
              </Card>
            </Col>
            <Col span={8}>
              <Card>
                <Statistic
                  title={t('panel.composition.grassroots')}
                  value={data.grassrootsShare}
                  suffix="%"
                />
                <span>{t('panel.composition.target', { target: data.grassrootsTarget })} </span>
                <Tag color={data.belowTarget ? 'red' : 'green'} data-testid="grassroots-flag">
                  {data.belowTarget ? t('panel.composition.below') : t('panel.composition.ok')}
                </Tag>
              </Card>
            </Col>
          </Row>
          <Card title={t('panel.composition.byGroup')} style={{ marginBottom: 16 }}>
            <Chart
              option={option}
              height={Math.max(200, data.byGroup.length * 24)}
              label={t('panel.composition.byGroup')}
            />
          </Card>
          <Row gutter={16}>
            <Col span={12}>
              <Card title={t('panel.composition.byRegion')}>
                <Table<CountView>
                  rowKey="key"
                  size="small"
                  pagination={false}
                  dataSource={data.byRegion}
                  columns={countColumns}
                />
              </Card>
            </Col>
            <Col span={12}>
              <Card title={t('panel.composition.byTag')}>
                <Table<CountView>
                  rowKey="key"
                  size="small"
                  pagination={false}
                  dataSource={data.byTag}
                  columns={countColumns}
                />
              </Card>
            </Col>
          </Row>
        </>
      )}
    </div>
  );
}
