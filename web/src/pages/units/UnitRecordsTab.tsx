import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { Alert, App, Button, Empty, Popconfirm, Space, Table, Tag, type TableColumnsType } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { keys } from '../../queries';
import type { Unit } from '../../types';

interface UnitRecord {
  id: string;
  active: boolean;
}

/** What the tab hands its editor dialog: the record to edit (null: a new one) and how to finish. */
export interface RecordEditorProps<R> {
  record: R | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}

/**
 * The list behind the 服务事项 and 人员 tabs: a unit's records, which can be added, edited, disabled
 * and enabled again (never deleted: ratings refer to them). `texts` names the i18n section whose
 * keys (add, empty, emptyReadOnly, disableConfirm, enableConfirm, disabled, enabled) both share.
 */
export function UnitRecordsTab<R extends UnitRecord>({
  unit,
  readOnly,
  texts,
  queryKey,
  load,
  columns,
  setActive,
  renderEditor,
}: {
  unit: Unit;
  readOnly: boolean;
  texts: 'items' | 'staff';
  queryKey: QueryKey;
  load: () => Promise<R[]>;
  /** The record's own columns; status and actions follow. */
  columns: TableColumnsType<R>;
  setActive: (record: R, active: boolean) => Promise<unknown>;
  /** Called, not mounted as a component, so that the parent's closure over it cannot remount the dialog. */
  renderEditor: (props: RecordEditorProps<R>) => ReactNode;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const records = useQuery({ queryKey, queryFn: load });
  const [editing, setEditing] = useState<R | 'new' | null>(null);

  const refresh = async () => {
    await Promise.all([
      client.invalidateQueries({ queryKey }),
      client.invalidateQueries({ queryKey: keys.unit(unit.id) }),
      client.invalidateQueries({ queryKey: keys.audit }),
    ]);
  };

  const toggle = async (record: R) => {
    try {
      await setActive(record, !record.active);
      void message.success(record.active ? t(`${texts}.disabled`) : t(`${texts}.enabled`));
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  return (
    <>
      {!readOnly && (
        <div style={{ marginBottom: 12 }}>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
            {t(`${texts}.add`)}
          </Button>
        </div>
      )}
      {records.isError && <Alert type="error" showIcon title={errorText(records.error)} />}
      <Table<R>
        size="small"
        rowKey="id"
        loading={records.isPending}
        dataSource={records.data ?? []}
        pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
        locale={{
          emptyText: (
            <Empty
              image={Empty.PRESENTED_IMAGE_SIMPLE}
              description={readOnly ? t(`${texts}.emptyReadOnly`) : t(`${texts}.empty`)}
            />
          ),
        }}
        columns={[
          ...columns,
          {
            title: t('fields.status'),
            dataIndex: 'active',
            width: 90,
            render: (active: boolean) =>
              active ? <Tag color="success">{t('common.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>,
          },
          ...(readOnly
            ? []
            : [
                {
                  title: t('common.actions'),
                  key: 'actions',
                  width: 140,
                  render: (_: unknown, record: R) => (
                    <Space size={4}>
                      <Button type="link" size="small" onClick={() => setEditing(record)}>
                        {t('common.edit')}
                      </Button>
                      <Popconfirm
                        title={record.active ? t(`${texts}.disableConfirm`) : t(`${texts}.enableConfirm`)}
                        onConfirm={() => void toggle(record)}
                      >
                        <Button type="link" size="small" danger={record.active}>
                          {record.active ? t('common.disable') : t('common.enable')}
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
                },
              ]),
        ]}
      />
      {editing &&
        renderEditor({
          record: editing === 'new' ? null : editing,
          onClose: () => setEditing(null),
          onSaved: async () => {
            void message.success(t('common.saved'));
            setEditing(null);
            await refresh();
          },
        })}
    </>
  );
}
