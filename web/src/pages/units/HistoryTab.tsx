import { Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCategoryNames, useUnitNames } from '../../queries';
import type { Unit } from '../../types';

const COMPARED = [
  'name',
  'shortName',
  'kind',
  'parentId',
  'categoryId',
  'tags',
  'sortOrder',
  'responsibleName',
  'responsiblePhone',
] as const;

/** The 历史 tab: every version of the unit, newest first, and what each one changed. */
export function HistoryTab({ versions }: { versions: Unit[] }) {
  const { t } = useTranslation();
  const names = useUnitNames();
  const categories = useCategoryNames();
  const ordered = [...versions].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  const rows = ordered
    .map((version, i) => {
      const previous = i > 0 ? ordered[i - 1] : undefined;
      const changed = previous
        ? COMPARED.filter((f) => JSON.stringify(version[f]) !== JSON.stringify(previous[f]))
        : null;
      return { version, changed, current: i === ordered.length - 1 };
    })
    .reverse();

  return (
    <>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('history.explain')}
      </Typography.Paragraph>
      <Table
        size="small"
        rowKey={(r) => r.version.validFrom}
        pagination={false}
        dataSource={rows}
        columns={[
          {
            title: t('history.period'),
            key: 'period',
            width: 220,
            render: (_, r) => (
              <span>
                {r.version.validFrom} ~ {r.version.validTo ?? t('history.now')}{' '}
                {r.current && r.version.validTo === null && <Tag color="success">{t('history.current')}</Tag>}
              </span>
            ),
          },
          { title: t('fields.name'), key: 'name', render: (_, r) => r.version.name },
          { title: t('fields.kind'), key: 'kind', width: 80, render: (_, r) => t(`kinds.${r.version.kind}`) },
          {
            title: t('fields.parentId'),
            key: 'parent',
            render: (_, r) =>
              r.version.parentId
                ? (names.get(r.version.parentId)?.name ?? r.version.parentId)
                : t('units.topLevel'),
          },
          {
            title: t('fields.categoryId'),
            key: 'category',
            render: (_, r) =>
              r.version.categoryId ? (categories.get(r.version.categoryId)?.name ?? '—') : '—',
          },
          {
            title: t('history.changes'),
            key: 'changes',
            render: (_, r) =>
              r.changed === null ? (
                <Tag>{t('history.firstVersion')}</Tag>
              ) : r.changed.length === 0 ? (
                <Typography.Text type="secondary">{t('history.noFieldChanges')}</Typography.Text>
              ) : (
                r.changed.map((f) => (
                  <Tag key={f} color="blue">
                    {t(`fields.${f}`)}
                  </Tag>
                ))
              ),
          },
        ]}
      />
    </>
  );
}
