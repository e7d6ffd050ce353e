import { CheckCircleOutlined, DownloadOutlined, InboxOutlined, ReloadOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Collapse,
  Descriptions,
  Empty,
  Popconfirm,
  Result,
  Row,
  Segmented,
  Space,
  Spin,
  Statistic,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, ApiError, errorText } from '../api';
import { NoPermission } from '../components/NoPermission';
import { PageTitle } from '../components/PageTitle';
import { useAccount } from '../session';
import type { ImportAction, ImportPreview, ImportRow } from '../types';
import { formatTime } from '../util';

const MAX_BYTES = 10 * 1024 * 1024;

const ACTION_COLORS: Record<ImportAction, string> = {
  create: 'green',
  update: 'blue',
  unchanged: 'default',
  error: 'red',
};

const COLUMNS: Record<'unit' | 'service_item' | 'staff', string[]> = {
  unit: [
    '单位编码*',
    '单位名称*',
    '简称',
    '类型',
    '上级单位编码',
    '类别',
    '标签',
    '排序',
    '负责人',
    '负责人电话',
    '生效日期',
  ],
  service_item: ['事项编码*', '事项名称*', '所属单位编码*', '办理方式', '状态'],
  staff: ['工号*', '姓名*', '所属单位编码*', '职务', '电话', '状态'],
};

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A value from a preview's changes, as a clerk reads it (kinds and modes by name, 在用/停用). */
function show(t: Translate, field: string, value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.length ? value.map(String).join('、') : '—';
  if (typeof value === 'boolean') return value ? t('common.active') : t('common.inactive');
  if (typeof value === 'string' && field === 'kind') return t(`kinds.${value}`, { defaultValue: value });
  if (typeof value === 'string' && field === 'mode') return t(`modes.${value}`, { defaultValue: value });
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** 导入导出: spreadsheets in (preview first, then apply) and the registry out. */
export function ImportPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const { message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const [uploading, setUploading] = useState(false);
  const [applying, setApplying] = useState(false);
  const [preview, setPreview] = useState<ImportPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [filter, setFilter] = useState<ImportAction | 'all'>('all');

  if (!can('registry:import')) {
    return <NoPermission />;
  }

  const upload = async (file: File) => {
    setError(null);
    setStale(false);
    setPreview(null);
    setFilter('all');
    if (file.size > MAX_BYTES) {
      setError(t('errors.body_too_large'));
      return;
    }
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      setError(t('errors.unsupported_file'));
      return;
    }
    setUploading(true);
    try {
      const result = await api.uploadImport(file);
      setPreview(result);
      if (result.summary.errors > 0) setFilter('error');
    } catch (e) {
      setError(errorText(e));
    } finally {
      setUploading(false);
    }
  };

  const apply = async () => {
    if (!preview) return;
    setApplying(true);
    setError(null);
    try {
      const applied = await api.applyImport(preview.id);
      setPreview(applied);
      void message.success(t('imports.appliedToast'));
      await client.invalidateQueries();
    } catch (e) {
      if (e instanceof ApiError && e.code === 'import_stale') setStale(true);
      setError(errorText(e));
    } finally {
      setApplying(false);
    }
  };

  // After import_stale: the server recomputes the same file against the registry as it is now.
  const refreshPreview = async () => {
    if (!preview) return;
    try {
      const fresh = await api.getImport(preview.id);
      setPreview(fresh);
      setStale(false);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const reset = () => {
    setPreview(null);
    setError(null);
    setStale(false);
  };

  return (
    <>
      <PageTitle
        title={t('imports.title')}
        description={t('imports.description')}
        extra={
          <Button icon={<DownloadOutlined />} href={api.exportUrl} download>
            {t('imports.download')}
          </Button>
        }
      />
      {preview?.status === 'applied' ? (
        <Card>
          <Result
            status="success"
            title={t('imports.appliedTitle')}
            subTitle={t('imports.appliedText', {
              file: preview.filename,
              create: preview.summary.create,
              update: preview.summary.update,
            })}
            extra={[
              <Button type="primary" key="units" onClick={() => void navigate('/units')}>
                {t('imports.goUnits')}
              </Button>,
              <Button key="again" onClick={reset}>
                {t('imports.again')}
              </Button>,
            ]}
          />
        </Card>
      ) : (
        <Row gutter={16}>
          <Col span={preview ? 24 : 14}>
            <Card size="small" title={t('imports.step1')} style={{ marginBottom: 16 }}>
              <Spin spinning={uploading} description={t('imports.reading')}>
                <Upload.Dragger
                  accept=".xlsx,.csv"
                  multiple={false}
                  showUploadList={false}
                  beforeUpload={(file) => {
                    void upload(file);
                    return false;
                  }}
                >
                  <p className="ant-upload-drag-icon">
                    <InboxOutlined />
                  </p>
                  <p className="ant-upload-text">{t('imports.drop')}</p>
                  <p className="ant-upload-hint">{t('imports.dropHint')}</p>
                </Upload.Dragger>
              </Spin>
              {error && (
                <Alert
                  type="error"
                  showIcon
                  title={error}
                  style={{ marginTop: 12 }}
                  action={
                    stale ? (
                      <Button size="small" icon={<ReloadOutlined />} onClick={() => void refreshPreview()}>
                        {t('imports.refreshPreview')}
                      </Button>
                    ) : undefined
                  }
                />
              )}
            </Card>
            {preview && (
              <PreviewCard
                preview={preview}
                filter={filter}
                onFilter={setFilter}
                applying={applying}
                onApply={() => void apply()}
                stale={stale}
              />
            )}
          </Col>
          {!preview && (
            <Col span={10}>
              <ColumnsHelp />
            </Col>
          )}
        </Row>
      )}
    </>
  );
}

function PreviewCard({
  preview,
  filter,
  onFilter,
  applying,
  onApply,
  stale,
}: {
  preview: ImportPreview;
  filter: ImportAction | 'all';
  onFilter: (f: ImportAction | 'all') => void;
  applying: boolean;
  onApply: () => void;
  stale: boolean;
}) {
  const { t, i18n } = useTranslation();
  const { summary } = preview;
  const rows = useMemo(
    () => preview.rows.filter((r) => filter === 'all' || r.action === filter),
    [preview.rows, filter],
  );
  const nothingToApply = summary.create + summary.update === 0;
  const chinese = i18n.language !== 'en';
  // The server writes row errors and skip reasons in Chinese for the clerk; in English the code is
  // translated where the console knows it.
  const errorLine = (e: ImportRow['errors'][number]) =>
    chinese || !i18n.exists(`errors.${e.code}`)
      ? e.message
      : t(`errors.${e.code}`, { field: t(`fields.${e.field}`, { defaultValue: e.field }) });
  const blocked = summary.errors > 0;

  return (
    <Card
      size="small"
      title={t('imports.step2', { file: preview.filename })}
      extra={<Typography.Text type="secondary">{formatTime(preview.createdAt)}</Typography.Text>}
    >
      <Row gutter={12} style={{ marginBottom: 16 }}>
        {(
          [
            ['create', summary.create, '#389e0d'],
            ['update', summary.update, '#1d4f91'],
            ['unchanged', summary.unchanged, undefined],
            ['errors', summary.errors, summary.errors ? '#cf1322' : undefined],
            ['skipped', summary.skipped, undefined],
          ] as const
        ).map(([key, value, color]) => (
          <Col span={4} key={key}>
            <Card size="small">
              <Statistic
                title={t(`imports.summary.${key}`)}
                value={value}
                styles={color ? { content: { color } } : {}}
              />
            </Card>
          </Col>
        ))}
      </Row>
      {preview.sheets.length > 0 && (
        <Descriptions size="small" column={1} bordered style={{ marginBottom: 16 }}>
          {preview.sheets.map((sheet) => (
            <Descriptions.Item key={sheet.name} label={sheet.name}>
              {sheet.entity ? (
                <Tag color="blue">{t(`imports.entities.${sheet.entity}`)}</Tag>
              ) : (
                <Tag>{t('imports.sheetIgnored')}</Tag>
              )}
              {sheet.message}
            </Descriptions.Item>
          ))}
        </Descriptions>
      )}
      <Space style={{ marginBottom: 8 }}>
        <Segmented<ImportAction | 'all'>
          value={filter}
          onChange={onFilter}
          options={[
            { value: 'all', label: `${t('imports.filterAll')} ${preview.rows.length}` },
            { value: 'error', label: `${t('imports.actions.error')} ${summary.errors}` },
            { value: 'create', label: `${t('imports.actions.create')} ${summary.create}` },
            { value: 'update', label: `${t('imports.actions.update')} ${summary.update}` },
            { value: 'unchanged', label: `${t('imports.actions.unchanged')} ${summary.unchanged}` },
          ]}
        />
      </Space>
      <Table<ImportRow>
        size="small"
        rowKey={(r) => `${r.sheet}:${r.row}`}
        dataSource={rows}
        pagination={{ pageSize: 50, hideOnSinglePage: true, showSizeChanger: false }}
        rowClassName={(r) => (r.action === 'error' ? 'mp-row-error' : '')}
        locale={{
          emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('imports.noRows')} />,
        }}
        columns={[
          { title: t('imports.sheet'), dataIndex: 'sheet', width: 110 },
          { title: t('imports.row'), dataIndex: 'row', width: 64 },
          {
            title: t('imports.entity'),
            dataIndex: 'entity',
            width: 90,
            render: (entity: ImportRow['entity']) => t(`imports.entities.${entity}`),
          },
          { title: t('imports.key'), dataIndex: 'key', width: 140 },
          {
            title: t('imports.action'),
            dataIndex: 'action',
            width: 80,
            render: (action: ImportAction) => (
              <Tag color={ACTION_COLORS[action]}>{t(`imports.actions.${action}`)}</Tag>
            ),
          },
          {
            title: t('imports.detail'),
            key: 'detail',
            render: (_: unknown, r: ImportRow) =>
              r.errors.length > 0 ? (
                <Space orientation="vertical" size={2}>
                  {r.errors.map((e, i) => (
                    <Typography.Text type="danger" key={i}>
                      {!chinese && e.field ? `${t(`fields.${e.field}`, { defaultValue: e.field })}: ` : ''}
                      {errorLine(e)}
                    </Typography.Text>
                  ))}
                </Space>
              ) : Object.keys(r.changes).length > 0 ? (
                <Space orientation="vertical" size={0}>
                  {Object.entries(r.changes).map(([field, change]) => (
                    <span key={field}>
                      <Typography.Text type="secondary">
                        {t(`fields.${field}`, { defaultValue: field })}：
                      </Typography.Text>
                      {r.action === 'update' && (
                        <>
                          <span className="mp-change-from">{show(t, field, change.from)}</span> →{' '}
                        </>
                      )}
                      <span className="mp-change-to">{show(t, field, change.to)}</span>
                    </span>
                  ))}
                </Space>
              ) : (
                <Typography.Text type="secondary">{t('imports.noChange')}</Typography.Text>
              ),
          },
        ]}
      />
      {preview.skipped.length > 0 && (
        <Collapse
          size="small"
          style={{ marginTop: 12 }}
          items={[
            {
              key: 'skipped',
              label: t('imports.skippedTitle', { count: preview.skipped.length }),
              children: (
                <Table
                  size="small"
                  rowKey={(s) => `${s.sheet}:${s.row}`}
                  pagination={false}
                  dataSource={preview.skipped}
                  columns={[
                    { title: t('imports.sheet'), dataIndex: 'sheet', width: 110 },
                    { title: t('imports.row'), dataIndex: 'row', width: 64 },
                    {
                      title: t('imports.reason'),
                      key: 'reason',
                      render: (_: unknown, s: ImportPreview['skipped'][number]) =>
                        chinese ? s.message : `${t(`imports.skipReasons.${s.reason}`)} — ${s.message}`,
                    },
                  ]}
                />
              ),
            },
          ]}
        />
      )}
      <div style={{ marginTop: 16 }}>
        {blocked ? (
          <Alert
            type="error"
            showIcon
            title={t('imports.blockedTitle', { count: summary.errors })}
            description={t('imports.blockedText')}
            style={{ marginBottom: 12 }}
          />
        ) : nothingToApply ? (
          <Alert type="info" showIcon title={t('imports.nothingToApply')} style={{ marginBottom: 12 }} />
        ) : (
          <Alert
            type="success"
            showIcon
            icon={<CheckCircleOutlined />}
            title={t('imports.readyTitle', { create: summary.create, update: summary.update })}
            description={t('imports.readyText')}
            style={{ marginBottom: 12 }}
          />
        )}
        <Popconfirm
          title={t('imports.applyConfirm', { create: summary.create, update: summary.update })}
          onConfirm={onApply}
          disabled={blocked || nothingToApply || stale}
        >
          <Button
            type="primary"
            size="large"
            loading={applying}
            disabled={blocked || nothingToApply || stale}
          >
            {t('imports.apply')}
          </Button>
        </Popconfirm>
      </div>
    </Card>
  );
}

function ColumnsHelp() {
  const { t } = useTranslation();
  return (
    <Card size="small" title={t('imports.columnsTitle')}>
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('imports.columnsIntro')}
      </Typography.Paragraph>
      {(['unit', 'service_item', 'staff'] as const).map((entity) => (
        <div key={entity} style={{ marginBottom: 12 }}>
          <Typography.Text strong>{t(`imports.sheetNames.${entity}`)}</Typography.Text>
          <div style={{ marginTop: 4 }}>
            {COLUMNS[entity].map((c) => (
              <Tag key={c} style={{ marginBottom: 4 }}>
                {c}
              </Tag>
            ))}
          </div>
        </div>
      ))}
      <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginBottom: 0 }}>
        {t('imports.columnsNotes')}
      </Typography.Paragraph>
    </Card>
  );
}
