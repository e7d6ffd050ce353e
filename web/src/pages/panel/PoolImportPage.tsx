import { InboxOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Space, Table, Tag, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { panelApi, type ImportOp, type PoolImportLine, type PoolImportPreview } from './api';

const OP_COLORS: Record<ImportOp, string> = {
  new: 'green',
  changed: 'blue',
  unchanged: 'default',
  error: 'red',
};

/** /panel/import — upload a pool workbook, see each line's result, apply when nothing is in error. */
export function PoolImportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [preview, setPreview] = useState<PoolImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const upload = async (file: File) => {
    setBusy(true);
    setError(null);
    try {
      setPreview(await panelApi.uploadImport(file));
    } catch (e) {
      setPreview(null);
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  const apply = async () => {
    if (!preview) return;
    setBusy(true);
    try {
      setPreview(await panelApi.applyImport(preview.id));
      void message.success(t('panel.import.applied'));
      void client.invalidateQueries({ queryKey: ['panel'] });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title={t('panel.import.title')} description={t('panel.import.description')} />
      <Upload.Dragger
        accept=".xlsx,.csv"
        showUploadList={false}
        beforeUpload={(file) => {
          void upload(file);
          return false;
        }}
      >
        <p className="ant-upload-drag-icon">
          <InboxOutlined />
        </p>
        <p>{t('panel.import.drop')}</p>
      </Upload.Dragger>
      {error && <Alert style={{ marginTop: 16 }} type="error" showIcon message={error} />}
      {preview && (
        <Card style={{ marginTop: 16 }} title={preview.filename}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Space>
              <span data-testid="import-summary">{t('panel.import.summary', preview.summary)}</span>
              {preview.status === 'applied' ? (
                <Tag color="green">{t('panel.import.applied')}</Tag>
              ) : (
                <Button
                  type="primary"
                  disabled={preview.summary.error > 0}
                  loading={busy}
                  onClick={() => void apply()}
                >
                  {t('panel.import.apply')}
                </Button>
              )}
            </Space>
            {preview.summary.error > 0 && (
              <Alert type="warning" showIcon message={t('panel.import.fixFirst')} />
            )}
            <Table<PoolImportLine>
              rowKey="row"
              size="small"
              dataSource={preview.lines}
              pagination={{ pageSize: 50 }}
              columns={[
                { title: t('panel.import.row'), dataIndex: 'row', width: 70 },
                { title: t('panel.pool.name'), dataIndex: 'name' },
                { title: t('panel.pool.mobile'), dataIndex: 'mobile' },
                {
                  title: t('panel.import.op'),
                  dataIndex: 'op',
                  render: (op: ImportOp) => <Tag color={OP_COLORS[op]}>{t(`panel.import.ops.${op}`)}</Tag>,
                },
                {
                  title: t('panel.import.errors'),
                  key: 'problems',
                  render: (_: unknown, l: PoolImportLine) => [...l.errors, ...l.changes].join('；'),
                },
              ]}
            />
          </Space>
        </Card>
      )}
    </>
  );
}
