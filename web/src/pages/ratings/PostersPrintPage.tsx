import { ArrowLeftOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Empty, Space, Spin, Typography } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { useUnits } from '../../queries';
import { useAccount } from '../../session';
import type { Unit } from '../../types';
import { buildUnitTree, type UnitNode } from '../../util';
import { ratingsApi } from './api';
import './ratings.css';

/** A unit and every window under it, one poster a page when printed. */
export function PostersPrintPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const navigate = useNavigate();
  const { unitId } = useParams();
  const units = useUnits();
  const posters = useMemo(() => {
    const list = units.data ?? [];
    const find = (nodes: UnitNode[]): UnitNode | undefined => {
      for (const node of nodes) {
        if (node.unit.id === unitId) return node;
        const found = find(node.children);
        if (found) return found;
      }
      return undefined;
    };
    const root = find(buildUnitTree(list));
    if (!root) return [];
    const out: Unit[] = [root.unit];
    const walk = (node: UnitNode) => {
      for (const child of node.children) {
        if (child.unit.kind === 'window') out.push(child.unit);
        walk(child);
      }
    };
    walk(root);
    return out;
  }, [units.data, unitId]);

  if (!can('registry:read')) return <NoPermission />;
  const root = posters[0];

  return (
    <>
      <div className="mp-no-print">
        <PageTitle
          title={root ? t('posters.title', { name: root.name }) : t('posters.titlePlain')}
          description={t('posters.description', { count: posters.length })}
          extra={
            <Space>
              <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/devices')}>
                {t('posters.back')}
              </Button>
              <Button
                type="primary"
                icon={<PrinterOutlined />}
                disabled={!root}
                onClick={() => window.print()}
              >
                {t('posters.print')}
              </Button>
            </Space>
          }
        />
        <Alert type="info" showIcon title={t('posters.printHint')} style={{ marginBottom: 12 }} />
      </div>
      {units.isPending ? (
        <Spin />
      ) : !root ? (
        <Empty description={t('posters.notFound')} />
      ) : (
        <div className="mp-posters">
          {posters.map((u) => (
            <figure key={u.id} className="mp-poster" style={{ margin: 0 }}>
              <img src={ratingsApi.posterUrl(u.id)} alt={t('devices.posterAlt', { name: u.name })} />
              <figcaption className="mp-poster-name">
                <Typography.Text>{u.name}</Typography.Text> · {u.code}
              </figcaption>
            </figure>
          ))}
        </div>
      )}
    </>
  );
}
