import { Card, Col, Empty, Row, Statistic, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { UNIT_KINDS, type Unit } from '../../types';
import { KIND_COLORS } from './kinds';

const COLOR_HEX: Record<string, string> = {
  red: '#cf1322',
  blue: '#1d4f91',
  cyan: '#08979c',
  green: '#389e0d',
  orange: '#d46b08',
  purple: '#531dab',
};

/** What the right-hand side shows before a unit is chosen: the registry in figures, and what to do. */
export function RegistryOverview({
  units,
  asOf,
  emptyText,
}: {
  units: readonly Unit[];
  asOf: string;
  emptyText: string;
}) {
  const { t } = useTranslation();
  const active = units.filter((u) => u.active);
  return (
    <Card>
      {units.length === 0 ? (
        <Empty description={emptyText} />
      ) : (
        <>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {t('units.overviewTitle', { date: asOf, count: active.length })}
          </Typography.Title>
          <Row gutter={[12, 12]} style={{ marginBottom: 20 }}>
            {UNIT_KINDS.map((kind) => (
              <Col span={4} key={kind}>
                <Card size="small">
                  <Statistic
                    title={t(`kinds.${kind}`)}
                    value={active.filter((u) => u.kind === kind).length}
                    styles={{ content: { color: COLOR_HEX[KIND_COLORS[kind] ?? ''] } }}
                  />
                </Card>
              </Col>
            ))}
          </Row>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 0 }}>
            {t('units.overviewHint')}
          </Typography.Paragraph>
        </>
      )}
    </Card>
  );
}
