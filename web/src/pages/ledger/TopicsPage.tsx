import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { FormModal } from '../../components/FormModal';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { ledgerApi, type KeywordView, type TopicListView, type TopicView } from './api';
import { useLedgerAccess } from './menu';
import './ledger.css';

/** 话题分类: the office's topic lists, each topic with its keywords; comments are sorted into them. */
export function TopicsPage() {
  const { t } = useTranslation();
  const access = useLedgerAccess();
  const { message } = App.useApp();
  const client = useQueryClient();
  const lists = useQuery({
    queryKey: ['ledger-topic-lists'],
    queryFn: ledgerApi.topicLists,
    enabled: access.manage,
  });
  const [choice, setChoice] = useState<string | undefined>(undefined);
  const list = lists.data?.find((l) => l.id === choice) ?? lists.data?.[0];
  const [creatingList, setCreatingList] = useState(false);
  const [editing, setEditing] = useState<TopicView | 'new' | null>(null);
  if (!access.manage) return <NoPermission />;
  const refresh = (next?: TopicListView) => {
    if (next) setChoice(next.id);
    return client.invalidateQueries({ queryKey: ['ledger-topic-lists'] });
  };
  const toggle = (topic: TopicView) =>
    ledgerApi
      .updateTopic(topic.id, { archived: !topic.archived })
      .then(() => refresh())
      .catch((e: unknown) => void message.error(errorText(e)));

  return (
    <>
      <PageTitle
        title={t('ledger.topics.title')}
        description={t('ledger.topics.description')}
        extra={
          <Button icon={<PlusOutlined />} onClick={() => setCreatingList(true)}>
            {t('ledger.topics.newList')}
          </Button>
        }
      />
      {lists.isError && <Alert type="error" showIcon title={errorText(lists.error)} />}
      {lists.isSuccess && lists.data.length === 0 && (
        <Empty description={t('ledger.topics.noLists')}>
          <Button type="primary" onClick={() => setCreatingList(true)}>
            {t('ledger.topics.newList')}
          </Button>
        </Empty>
      )}
      {list && (
        <Card
          size="small"
          title={
            <Space>
              <Select<string>
                aria-label={t('ledger.topics.list')}
                style={{ width: 280 }}
                value={list.id}
                onChange={setChoice}
                options={(lists.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
              />
              <Typography.Text type="secondary" style={{ fontWeight: 'normal' }}>
                {t('ledger.topics.revision', { n: list.revision })}
              </Typography.Text>
            </Space>
          }
          extra={
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')}>
              {t('ledger.topics.newTopic')}
            </Button>
          }
        >
          <Typography.Paragraph type="secondary">{t('ledger.topics.howItWorks')}</Typography.Paragraph>
          <Table<TopicView>
            size="small"
            rowKey="id"
            pagination={false}
            dataSource={list.topics}
            rowClassName={(tp) => (tp.archived ? 'mp-inactive' : '')}
            columns={[
              {
                title: t('ledger.topics.topic'),
                dataIndex: 'name',
                width: 180,
                render: (n: string, tp: TopicView) => (
                  <Space>
                    <strong>{n}</strong>
                    {tp.archived && <Tag>{t('ledger.topics.archived')}</Tag>}
                  </Space>
                ),
              },
              {
                title: t('ledger.topics.keywords'),
                key: 'keywords',
                render: (_: unknown, tp: TopicView) => (
                  <div>
                    {tp.keywords.map((k) => (
                      <Tag key={k.word} style={{ marginBottom: 4 }}>
                        {k.word}
                        {k.weight !== 1 && <span className="mp-ledger-weight"> ×{k.weight}</span>}
                      </Tag>
                    ))}
                  </div>
                ),
              },
              {
                title: t('ledger.topics.assigned'),
                dataIndex: 'assigned',
                width: 110,
                align: 'right' as const,
              },
              {
                title: '',
                key: 'actions',
                width: 160,
                render: (_: unknown, tp: TopicView) => (
                  <Space>
                    <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(tp)}>
                      {t('common.edit')}
                    </Button>
                    <Button size="small" type="link" onClick={() => void toggle(tp)}>
                      {tp.archived ? t('ledger.topics.restore') : t('ledger.topics.archive')}
                    </Button>
                  </Space>
                ),
              },
            ]}
          />
        </Card>
      )}
      {creatingList && (
        <NewListModal
          onClose={() => setCreatingList(false)}
          onSaved={async (next) => {
            setCreatingList(false);
            await refresh(next);
          }}
        />
      )}
      {editing && list && (
        <TopicModal
          listId={list.id}
          topic={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await refresh();
          }}
        />
      )}
    </>
  );
}

function NewListModal({
  onClose,
  onSaved,
}: {
  onClose: () => void;
  onSaved: (l: TopicListView) => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; presetKey?: string }>();
  const presets = useQuery({ queryKey: ['ledger-presets'], queryFn: ledgerApi.presets });
  return (
    <FormModal<{ name: string; presetKey?: string }>
      form={form}
      name="topic-list"
      title={t('ledger.topics.newList')}
      okText={t('common.create')}
      fields={['name', 'presetKey']}
      onClose={onClose}
      onSave={async (v) => onSaved(await ledgerApi.createTopicList(v.name, v.presetKey))}
    >
      <Form.Item name="presetKey" label={t('ledger.topics.preset')} extra={t('ledger.topics.presetHelp')}>
        <Select
          allowClear
          placeholder={t('ledger.topics.empty')}
          onChange={(key: string | undefined) => {
            const p = presets.data?.find((x) => x.key === key);
            if (p && !form.getFieldValue('name')) form.setFieldValue('name', p.name);
          }}
          options={(presets.data ?? []).map((p) => ({
            value: p.key,
            label: `${p.name}（${p.topics.join('、')}）`,
          }))}
        />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('ledger.topics.listName')}
        rules={[{ required: true, whitespace: true, message: t('ledger.topics.nameRequired') }]}
      >
        <Input maxLength={100} />
      </Form.Item>
    </FormModal>
  );
}

function TopicModal({
  listId,
  topic,
  onClose,
  onSaved,
}: {
  listId: string;
  topic: TopicView | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string; words: string[] }>();
  const weights = new Map((topic?.keywords ?? []).map((k) => [k.word, k.weight]));
  return (
    <FormModal<{ name: string; words: string[] }>
      form={form}
      name="topic"
      title={topic ? t('ledger.topics.editTopic', { name: topic.name }) : t('ledger.topics.newTopic')}
      okText={t('common.save')}
      modal={{ width: 620 }}
      initialValues={{ name: topic?.name ?? '', words: topic?.keywords.map((k) => k.word) ?? [] }}
      fields={['name', 'keywords']}
      onClose={onClose}
      onSave={async (v) => {
        const keywords: KeywordView[] = [...new Set(v.words.map((w) => w.trim()).filter(Boolean))].map(
          (word) => ({
            word,
            weight: weights.get(word) ?? 1,
          }),
        );
        if (topic) await ledgerApi.updateTopic(topic.id, { name: v.name, keywords });
        else await ledgerApi.createTopic(listId, v.name, keywords);
        await onSaved();
      }}
    >
      <Form.Item
        name="name"
        label={t('ledger.topics.topic')}
        rules={[{ required: true, whitespace: true, message: t('ledger.topics.nameRequired') }]}
      >
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item name="words" label={t('ledger.topics.keywords')} extra={t('ledger.topics.keywordsHelp')}>
        <Select
          mode="tags"
          tokenSeparators={[',', '，', '、', ' ']}
          open={false}
          aria-label={t('ledger.topics.keywords')}
        />
      </Form.Item>
    </FormModal>
  );
}
