import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Form,
  Input,
  InputNumber,
  Space,
  Table,
  Tag,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { checklistKeys, checklistsApi, type ChecklistItemDef, type EntryView } from './api';
import { EntryStatusTag, EvidenceLinks, useChecklistAccess } from './ChecklistsPage';

/** A unit's sheet: each item with what proves it, the unit's note and files, submission and the office's answer. */
export function UnitSheetPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { checklistId = '', unitId = '' } = useParams();
  const access = useChecklistAccess();
  const client = useQueryClient();
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [declare] = Form.useForm<{ title: string; note: string; claimedPoints: number }>();
  const q = useQuery({
    queryKey: checklistKeys.sheet(checklistId, unitId),
    queryFn: () => checklistsApi.sheet(checklistId, unitId),
    enabled: access.read,
  });
  if (!access.read) return <NoPermission />;
  const sheet = q.data;
  const editable = (e: EntryView | null) =>
    access.fill && sheet !== undefined && (e === null || e.status === 'draft' || e.status === 'returned');
  const run = async (work: () => Promise<unknown>, done?: string) => {
    setError(null);
    try {
      await work();
      await client.invalidateQueries({ queryKey: ['checklists'] });
      if (done) void message.success(done);
    } catch (e) {
      setError(errorText(e));
    }
  };
  /** The entry of a basic item, made (with the note typed so far) on first use. */
  const entryOf = async (item: ChecklistItemDef, entry: EntryView | null): Promise<EntryView> =>
    entry && notes[item.key] === undefined
      ? entry
      : checklistsApi.save(checklistId, unitId, {
          itemKey: item.key,
          note: notes[item.key] ?? entry?.note ?? '',
        });

  return (
    <>
      <PageTitle
        title={sheet ? `${sheet.unitName} · ${sheet.checklist.name}` : t('checklists.sheet.title')}
        description={
          sheet
            ? t(sheet.canSubmit ? 'checklists.sheet.open' : 'checklists.sheet.closed', {
                deadline: sheet.checklist.deadline,
                today: sheet.today,
              })
            : ''
        }
        extra={
          sheet ? (
            <Space>
              <Tag color="blue" data-testid="sheet-points">
                {t('checklists.sheet.points', { completion: sheet.completion, bonus: sheet.bonus })}
              </Tag>
              <Link to={`/checklists/${checklistId}`}>{t('checklists.sheet.back')}</Link>
            </Space>
          ) : null
        }
      />
      {q.error && <Alert type="error" title={errorText(q.error)} />}
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="sheet-error" />
      )}
      {sheet && (
        <>
          <Card size="small" title={t('checklists.sheet.basic')} style={{ marginBottom: 16 }}>
            <Table
              rowKey={(r) => r.item.key}
              dataSource={sheet.items}
              pagination={false}
              columns={[
                {
                  title: t('checklists.col.item'),
                  width: '26%',
                  render: (_, { item }) => (
                    <>
                      <Typography.Text strong>{item.title}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary">
                        {t('checklists.sheet.proof', {
                          evidence: item.evidence,
                          kind: t(`checklists.kind.${item.evidenceKind}`),
                        })}
                      </Typography.Text>
                    </>
                  ),
                },
                { title: t('checklists.design.points'), width: 60, render: (_, { item }) => item.points },
                {
                  title: t('checklists.col.note'),
                  render: (_, { item, entry }) =>
                    editable(entry) ? (
                      <Input.TextArea
                        rows={2}
                        value={notes[item.key] ?? entry?.note ?? ''}
                        placeholder={t('checklists.sheet.notePlaceholder')}
                        onChange={(e) => setNotes({ ...notes, [item.key]: e.target.value })}
                        data-testid={`note-${item.key}`}
                      />
                    ) : (
                      (entry?.note ?? '—')
                    ),
                },
                {
                  title: t('checklists.col.evidence'),
                  render: (_, { item, entry }) => (
                    <Space orientation="vertical" size={4}>
                      {entry && <EvidenceLinks entry={entry} />}
                      {editable(entry) && sheet.canSubmit && (
                        <Upload
                          showUploadList={false}
                          accept={
                            item.evidenceKind === 'photo'
                              ? 'image/*'
                              : item.evidenceKind === 'document'
                                ? '.pdf,.tif,.tiff'
                                : 'image/*,.pdf,.tif,.tiff'
                          }
                          beforeUpload={(file) => {
                            void run(
                              async () => {
                                const e = await entryOf(item, entry);
                                await checklistsApi.attach(e.id, file);
                              },
                              t('checklists.sheet.uploaded', { name: file.name }),
                            );
                            return false;
                          }}
                        >
                          <Button size="small" data-testid={`upload-${item.key}`}>
                            {t('checklists.sheet.upload')}
                          </Button>
                        </Upload>
                      )}
                    </Space>
                  ),
                },
                {
                  title: t('checklists.col.status'),
                  width: 190,
                  render: (_, { entry }) => (
                    <Space orientation="vertical" size={2}>
                      <EntryStatusTag status={entry?.status ?? null} />
                      {entry?.status === 'returned' && (
                        <Typography.Text type="danger">
                          {t('checklists.sheet.returned', {
                            reason: entry.returnReason ?? '',
                            until: entry.resubmitBy ?? '',
                          })}
                        </Typography.Text>
                      )}
                    </Space>
                  ),
                },
                {
                  width: 90,
                  render: (_, { item, entry }) =>
                    editable(entry) && sheet.canSubmit ? (
                      <Button
                        size="small"
                        type="primary"
                        disabled={!entry || entry.evidence.length === 0}
                        data-testid={`submit-${item.key}`}
                        onClick={() =>
                          void run(async () => {
                            const e = await entryOf(item, entry);
                            await checklistsApi.submit(e.id);
                          }, t('checklists.sheet.submitted'))
                        }
                      >
                        {t('checklists.sheet.submit')}
                      </Button>
                    ) : null,
                },
              ]}
            />
          </Card>
          {sheet.checklist.definition.innovation && (
            <Card
              size="small"
              title={t('checklists.sheet.innovation', { ...sheet.checklist.definition.innovation })}
            >
              <Table<EntryView>
                rowKey="id"
                dataSource={sheet.innovations}
                pagination={false}
                locale={{ emptyText: t('checklists.sheet.noInnovation') }}
                columns={[
                  { title: t('checklists.col.item'), dataIndex: 'title' },
                  { title: t('checklists.col.note'), dataIndex: 'note' },
                  {
                    title: t('checklists.sheet.claimed'),
                    render: (_, e) =>
                      e.awardedPoints !== null
                        ? `${e.claimedPoints ?? ''} → ${e.awardedPoints}`
                        : e.claimedPoints,
                  },
                  {
                    title: t('checklists.col.evidence'),
                    render: (_, e) => (
                      <Space orientation="vertical" size={4}>
                        <EvidenceLinks entry={e} />
                        {editable(e) && sheet.canSubmit && (
                          <Upload
                            showUploadList={false}
                            beforeUpload={(file) => {
                              void run(
                                () => checklistsApi.attach(e.id, file),
                                t('checklists.sheet.uploaded', { name: file.name }),
                              );
                              return false;
                            }}
                          >
                            <Button size="small">{t('checklists.sheet.upload')}</Button>
                          </Upload>
                        )}
                      </Space>
                    ),
                  },
                  {
                    title: t('checklists.col.status'),
                    render: (_, e) => (
                      <Space orientation="vertical" size={2}>
                        <EntryStatusTag status={e.status} />
                        {e.status === 'returned' && (
                          <Typography.Text type="danger">
                            {t('checklists.sheet.returned', {
                              reason: e.returnReason ?? '',
                              until: e.resubmitBy ?? '',
                            })}
                          </Typography.Text>
                        )}
                      </Space>
                    ),
                  },
                  {
                    render: (_, e) =>
                      editable(e) && sheet.canSubmit ? (
                        <Button
                          size="small"
                          type="primary"
                          disabled={e.evidence.length === 0}
                          onClick={() =>
                            void run(() => checklistsApi.submit(e.id), t('checklists.sheet.submitted'))
                          }
                        >
                          {t('checklists.sheet.submit')}
                        </Button>
                      ) : null,
                  },
                ]}
              />
              {access.fill && sheet.canSubmit && (
                <Form
                  form={declare}
                  layout="inline"
                  style={{ marginTop: 12 }}
                  onFinish={(v) =>
                    void run(async () => {
                      await checklistsApi.save(checklistId, unitId, v);
                      declare.resetFields();
                    }, t('checklists.sheet.declared'))
                  }
                >
                  <Form.Item name="title" rules={[{ required: true }]}>
                    <Input placeholder={t('checklists.sheet.xTitle')} style={{ width: 220 }} />
                  </Form.Item>
                  <Form.Item name="note">
                    <Input placeholder={t('checklists.sheet.xNote')} style={{ width: 300 }} />
                  </Form.Item>
                  <Form.Item name="claimedPoints" rules={[{ required: true }]}>
                    <InputNumber placeholder={t('checklists.sheet.claimed')} min={0.5} step={0.5} />
                  </Form.Item>
                  <Button htmlType="submit">{t('checklists.sheet.declare')}</Button>
                </Form>
              )}
            </Card>
          )}
        </>
      )}
    </>
  );
}
