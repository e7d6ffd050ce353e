import { DownloadOutlined, SendOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Popconfirm, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import { useScoringAccess } from '../scoring/menu';
import {
  outcomesApi,
  outcomesKeys,
  type DocumentSummary,
  type DocumentView,
  type DocumentEditInput,
} from './api';

interface FormValues {
  issuer: string;
  docNumber: string;
  title: string;
  addressee: string;
  signature: string;
  date: string;
  cc: string;
  texts: Record<string, string>;
}

/** A notice or report: edit the draft's texts, issue it, download .docx / PDF. */
export function DocumentPage() {
  const { t } = useTranslation();
  const { documentId = '' } = useParams();
  const access = useScoringAccess();
  const { message } = App.useApp();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: outcomesKeys.document(documentId),
    queryFn: () => outcomesApi.document(documentId),
    enabled: access.read,
  });
  const [form] = Form.useForm<FormValues>();
  const [saving, setSaving] = useState(false);
  const data = q.data;
  useEffect(() => {
    if (!data) return;
    const d = data.document;
    form.setFieldsValue({
      issuer: d.issuer,
      docNumber: d.docNumber,
      title: d.title,
      addressee: d.addressee,
      signature: d.signature,
      date: d.date,
      cc: d.cc,
      texts: Object.fromEntries(
        d.blocks.flatMap((b, i) =>
          b.kind === 'paragraph' || b.kind === 'heading' ? [[String(i), b.text]] : [],
        ),
      ),
    });
  }, [data, form]);
  if (!access.read) return <NoPermission />;
  if (q.error) return <Alert type="error" message={errorText(q.error)} />;
  if (!data) return <Card loading />;
  const draft = data.status === 'draft' && access.manage;

  const save = async (): Promise<DocumentView | null> => {
    const v = await form.validateFields();
    setSaving(true);
    try {
      const input: DocumentEditInput = { ...v, texts: v.texts };
      const next = await outcomesApi.editDocument(documentId, input);
      client.setQueryData(outcomesKeys.document(documentId), next);
      void message.success(t('outcomes.doc.savedToast'));
      return next;
    } catch (e) {
      void message.error(errorText(e));
      return null;
    } finally {
      setSaving(false);
    }
  };
  const issue = async () => {
    if (!(await save())) return;
    try {
      const next = await outcomesApi.issueDocument(documentId);
      client.setQueryData(outcomesKeys.document(documentId), next);
      void message.success(t('outcomes.doc.issuedToast'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  return (
    <>
      <PageTitle
        title={data.document.title}
        description={
          <Space wrap>
            <Tag color={data.status === 'issued' ? 'green' : 'blue'}>
              {t(`outcomes.doc.status.${data.status}`)}
            </Tag>
            {t('outcomes.doc.createdBy', { who: data.createdBy, at: formatTime(data.createdAt) })}
            {data.issuedAt &&
              t('outcomes.doc.issuedBy', { who: data.issuedBy ?? '', at: formatTime(data.issuedAt) })}
            {data.runId && <Link to={`/runs/${data.runId}/outcomes`}>{t('outcomes.doc.fromRun')}</Link>}
          </Space>
        }
        extra={
          <Space>
            <Button icon={<DownloadOutlined />} href={outcomesApi.downloadUrl(documentId, 'docx')} download>
              {t('outcomes.doc.docx')}
            </Button>
            <Button icon={<DownloadOutlined />} href={outcomesApi.downloadUrl(documentId, 'pdf')} download>
              {t('outcomes.doc.pdf')}
            </Button>
          </Space>
        }
      />
      <Typography.Paragraph type="secondary">
        {t('outcomes.doc.digest', { digest: data.dataDigest })}
      </Typography.Paragraph>
      <Card size="small" title={t(draft ? 'outcomes.doc.editTitle' : 'outcomes.doc.viewTitle')}>
        <Form form={form} layout="vertical" disabled={!draft}>
          <Space wrap style={{ width: '100%' }} size={16}>
            <Form.Item
              name="issuer"
              label={t('outcomes.doc.issuer')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input style={{ width: 280 }} maxLength={40} />
            </Form.Item>
            <Form.Item
              name="docNumber"
              label={t('outcomes.doc.docNumber')}
              extra={t('outcomes.doc.docNumberHint')}
            >
              <Input style={{ width: 220 }} maxLength={40} placeholder="示考办〔2026〕1号" />
            </Form.Item>
            <Form.Item
              name="date"
              label={t('outcomes.doc.date')}
              rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/ }]}
            >
              <Input style={{ width: 140 }} />
            </Form.Item>
          </Space>
          <Form.Item
            name="title"
            label={t('outcomes.doc.titleField')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={120} />
          </Form.Item>
          <Form.Item name="addressee" label={t('outcomes.doc.addressee')}>
            <Input maxLength={200} />
          </Form.Item>
          {data.document.blocks.map((b, i) =>
            b.kind === 'paragraph' || b.kind === 'heading' ? (
              <Form.Item
                key={i}
                name={['texts', String(i)]}
                label={b.kind === 'heading' ? t('outcomes.doc.heading') : undefined}
                rules={[{ required: true, whitespace: true }]}
              >
                {b.kind === 'heading' ? (
                  <Input maxLength={200} />
                ) : (
                  <Input.TextArea autoSize maxLength={5000} />
                )}
              </Form.Item>
            ) : b.kind === 'table' ? (
              <div key={i} style={{ marginBottom: 16 }}>
                <Typography.Text strong>{b.caption}</Typography.Text>
                <Table
                  size="small"
                  pagination={false}
                  rowKey={(_, n) => String(n)}
                  dataSource={b.rows.map((r) => Object.fromEntries(r.map((c, n) => [String(n), c])))}
                  columns={b.columns.map((c, n) => ({ title: c, dataIndex: String(n) }))}
                />
              </div>
            ) : (
              <figure key={i} style={{ margin: '0 0 16px' }}>
                <img
                  alt={b.caption}
                  src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(b.svg)}`}
                  style={{ maxWidth: '100%' }}
                />
                <figcaption>{b.caption}</figcaption>
              </figure>
            ),
          )}
          <Space wrap size={16}>
            <Form.Item
              name="signature"
              label={t('outcomes.doc.signature')}
              rules={[{ required: true, whitespace: true }]}
            >
              <Input style={{ width: 280 }} maxLength={60} />
            </Form.Item>
            <Form.Item name="cc" label={t('outcomes.doc.cc')}>
              <Input style={{ width: 420 }} maxLength={300} />
            </Form.Item>
          </Space>
        </Form>
        {draft && (
          <Space>
            <Button loading={saving} onClick={() => void save()}>
              {t('outcomes.doc.save')}
            </Button>
            <Popconfirm title={t('outcomes.doc.issueConfirm')} onConfirm={() => void issue()}>
              <Button type="primary" icon={<SendOutlined />}>
                {t('outcomes.doc.issue')}
              </Button>
            </Popconfirm>
          </Space>
        )}
      </Card>
    </>
  );
}

/** 通报与报告: every document, newest first. */
export function DocumentsPage() {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const q = useQuery({
    queryKey: outcomesKeys.documents(),
    queryFn: () => outcomesApi.documents(),
    enabled: access.read,
  });
  if (!access.read) return <NoPermission />;
  return (
    <>
      <PageTitle title={t('outcomes.docs.title')} description={t('outcomes.docs.description')} />
      <Card size="small">
        <Table<DocumentSummary>
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data ?? []}
          columns={[
            {
              title: t('outcomes.doc.titleField'),
              render: (_, d) => <Link to={`/documents/${d.id}`}>{d.title}</Link>,
            },
            { title: t('outcomes.doc.docNumber'), dataIndex: 'docNumber' },
            { title: t('outcomes.docs.kind'), render: (_, d) => t(`outcomes.docs.kinds.${d.kind}`) },
            {
              title: t('outcomes.docs.status'),
              render: (_, d) => (
                <Tag color={d.status === 'issued' ? 'green' : 'blue'}>
                  {t(`outcomes.doc.status.${d.status}`)}
                </Tag>
              ),
            },
            { title: t('outcomes.docs.created'), render: (_, d) => formatTime(d.createdAt) },
          ]}
        />
      </Card>
    </>
  );
}
