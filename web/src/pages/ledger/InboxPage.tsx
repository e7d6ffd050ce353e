import { CheckOutlined, CloudDownloadOutlined, PlusOutlined, StopOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Empty,
  Form,
  Input,
  Modal,
  Segmented,
  Select,
  Space,
  Table,
  Tabs,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { errorText } from '../../api';
import { FormModal } from '../../components/FormModal';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { LevelTag } from '../ratings/shared';
import '../ratings/ratings.css';
import {
  ledgerApi,
  type ClusterView,
  type CommentView,
  type SuggestionView,
  type TopicListView,
} from './api';
import { useLedgerAccess } from './menu';
import './ledger.css';

const PAGE_SIZE = 50;
type Status = 'pending' | 'assigned' | 'all';

/**
 * 意见归集: what people wrote, per unit and period, with the classifier's suggestion and the words behind
 * it; the clerk confirms or corrects topics in bulk, and turns comments or a cluster into a problem.
 */
export function InboxPage() {
  const { t } = useTranslation();
  const access = useLedgerAccess();
  const { message } = App.useApp();
  const client = useQueryClient();
  const navigate = useNavigate();
  const units = useUnits();
  const lists = useQuery({
    queryKey: ['ledger-topic-lists'],
    queryFn: ledgerApi.topicLists,
    enabled: access.handle,
  });
  const sources = useQuery({
    queryKey: ['ledger-sources'],
    queryFn: ledgerApi.sources,
    enabled: access.handle,
  });
  const [listChoice, setListId] = useState<string | undefined>(undefined);
  const listId = listChoice ?? lists.data?.[0]?.id;
  const list = lists.data?.find((l) => l.id === listId);
  const topics = (list?.topics ?? []).filter((tp) => !tp.archived);
  const [unitId, setUnitId] = useState<string | null>(null);
  const [source, setSource] = useState<string | undefined>(undefined);
  const [range, setRange] = useState<[Dayjs, Dayjs] | null>(null);
  const [status, setStatus] = useState<Status>('pending');
  const [topicId, setTopicId] = useState<string | undefined>(undefined);
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string[]>([]);
  const [bulkTopic, setBulkTopic] = useState<string | undefined>(undefined);
  const [collecting, setCollecting] = useState(false);
  const [making, setMaking] = useState<{ commentIds: string[]; title: string; phrase?: string } | null>(null);
  const [tab, setTab] = useState('comments');

  const base = {
    listId,
    unitId: unitId ?? undefined,
    from: range?.[0].format('YYYY-MM-DD'),
    to: range?.[1].format('YYYY-MM-DD'),
  };
  const query = {
    ...base,
    source,
    assigned: status === 'all' || !listId ? undefined : status === 'assigned',
    topicId: status === 'assigned' ? topicId : undefined,
    page,
    pageSize: PAGE_SIZE,
  };
  const comments = useQuery({
    queryKey: ['ledger-comments', query],
    queryFn: () => ledgerApi.comments(query),
    enabled: access.handle && lists.isSuccess,
    placeholderData: (previous) => previous,
  });
  const clusters = useQuery({
    queryKey: ['ledger-clusters', base],
    queryFn: () => ledgerApi.clusters({ ...base, listId: listId ?? '' }),
    enabled: access.handle && tab === 'clusters' && Boolean(listId),
  });

  if (!access.handle) return <NoPermission />;

  const refresh = async () => {
    setSelected([]);
    await Promise.all([
      client.invalidateQueries({ queryKey: ['ledger-comments'] }),
      client.invalidateQueries({ queryKey: ['ledger-clusters'] }),
      client.invalidateQueries({ queryKey: ['ledger-topic-lists'] }),
    ]);
  };
  const assign = async (assignments: { commentId: string; topicId: string | null }[]) => {
    if (!listId || assignments.length === 0) return;
    try {
      const r = await ledgerApi.assign(listId, assignments);
      void message.success(t('ledger.inbox.assigned', { n: r.assigned }));
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const rows = comments.data?.items ?? [];
  const selectedRows = rows.filter((c) => selected.includes(c.id));
  const withSuggestion = selectedRows.filter((c) => c.suggestion);
  const filter =
    <V,>(set: (v: V) => void) =>
    (v: V) => {
      set(v);
      setPage(1);
      setSelected([]);
    };

  return (
    <>
      <PageTitle
        title={t('ledger.inbox.title')}
        description={t('ledger.inbox.description')}
        extra={
          access.manage && (
            <Button icon={<CloudDownloadOutlined />} onClick={() => setCollecting(true)}>
              {t('ledger.inbox.collect')}
            </Button>
          )
        }
      />
      {lists.isSuccess && lists.data.length === 0 && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('ledger.inbox.noLists')}
          action={
            access.manage && (
              <Button size="small" onClick={() => void navigate('/ledger/topics')}>
                {t('ledger.inbox.toTopics')}
              </Button>
            )
          }
        />
      )}
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap>
          <Select<string>
            aria-label={t('ledger.inbox.list')}
            style={{ width: 220 }}
            value={listId}
            placeholder={t('ledger.inbox.list')}
            onChange={filter((v: string) => {
              setListId(v);
              setTopicId(undefined);
            })}
            options={(lists.data ?? []).map((l) => ({ value: l.id, label: l.name }))}
          />
          <UnitTreeSelect
            id="inbox-unit"
            units={units.data ?? []}
            value={unitId}
            onChange={filter(setUnitId)}
            placeholder={t('ledger.allUnits')}
            style={{ width: 260 }}
          />
          <Select<string>
            aria-label={t('ledger.inbox.source')}
            allowClear
            style={{ width: 140 }}
            placeholder={t('ledger.inbox.allSources')}
            value={source}
            onChange={filter(setSource)}
            options={(sources.data ?? []).map((s) => ({ value: s.key, label: s.name }))}
          />
          <DatePicker.RangePicker
            aria-label={t('ledger.inbox.dates')}
            value={range}
            onChange={(v) => filter(setRange)(v && v[0] && v[1] ? [v[0], v[1]] : null)}
          />
        </Space>
      </Card>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          {
            key: 'comments',
            label: t('ledger.inbox.tabComments'),
            children: (
              <Card size="small">
                <Space wrap style={{ marginBottom: 12 }}>
                  <Segmented<Status>
                    value={status}
                    onChange={filter(setStatus)}
                    options={[
                      { value: 'pending', label: t('ledger.inbox.pending') },
                      { value: 'assigned', label: t('ledger.inbox.assignedTab') },
                      { value: 'all', label: t('ledger.inbox.all') },
                    ]}
                  />
                  {status === 'assigned' && (
                    <Select<string>
                      aria-label={t('ledger.inbox.topic')}
                      allowClear
                      style={{ width: 180 }}
                      placeholder={t('ledger.inbox.allTopics')}
                      value={topicId}
                      onChange={filter(setTopicId)}
                      options={topics.map((tp) => ({ value: tp.id, label: tp.name }))}
                    />
                  )}
                </Space>
                {access.manage && (
                  <div className="mp-ledger-bulk" data-testid="bulk-bar">
                    <span>
                      {selected.length > 0
                        ? t('ledger.inbox.selectedN', { n: selected.length })
                        : t('ledger.inbox.selectHint')}
                    </span>
                    <Button
                      type="primary"
                      icon={<CheckOutlined />}
                      disabled={withSuggestion.length === 0}
                      onClick={() =>
                        void assign(
                          withSuggestion.map((c) => ({
                            commentId: c.id,
                            topicId: c.suggestion?.topicId ?? null,
                          })),
                        )
                      }
                    >
                      {t('ledger.inbox.acceptSuggestions', { n: withSuggestion.length })}
                    </Button>
                    <Space.Compact>
                      <Select<string>
                        aria-label={t('ledger.inbox.moveTo')}
                        style={{ width: 160 }}
                        placeholder={t('ledger.inbox.moveTo')}
                        value={bulkTopic}
                        onChange={setBulkTopic}
                        options={topics.map((tp) => ({ value: tp.id, label: tp.name }))}
                      />
                      <Button
                        disabled={selected.length === 0 || !bulkTopic}
                        onClick={() =>
                          void assign(
                            selected.map((commentId) => ({ commentId, topicId: bulkTopic ?? null })),
                          )
                        }
                      >
                        {t('ledger.inbox.assignTo')}
                      </Button>
                    </Space.Compact>
                    <Button
                      icon={<StopOutlined />}
                      disabled={selected.length === 0}
                      onClick={() => void assign(selected.map((commentId) => ({ commentId, topicId: null })))}
                    >
                      {t('ledger.inbox.noTopic')}
                    </Button>
                    <Button
                      icon={<PlusOutlined />}
                      disabled={selected.length === 0}
                      onClick={() =>
                        setMaking({ commentIds: selected, title: selectedRows[0]?.text.slice(0, 24) ?? '' })
                      }
                    >
                      {t('ledger.inbox.makeProblem')}
                    </Button>
                  </div>
                )}
                {comments.isError && <Alert type="error" showIcon title={errorText(comments.error)} />}
                <Table<CommentView>
                  size="small"
                  rowKey="id"
                  loading={comments.isFetching}
                  dataSource={rows}
                  {...(access.manage
                    ? {
                        rowSelection: {
                          selectedRowKeys: selected,
                          onChange: (keys: React.Key[]) => setSelected(keys.map(String)),
                        },
                      }
                    : {})}
                  pagination={{
                    current: page,
                    pageSize: PAGE_SIZE,
                    total: comments.data?.total ?? 0,
                    showSizeChanger: false,
                    hideOnSinglePage: true,
                    showTotal: (n) => t('ledger.inbox.total', { n }),
                    onChange: (p) => {
                      setPage(p);
                      setSelected([]);
                    },
                  }}
                  locale={{
                    emptyText: (
                      <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.inbox.empty')} />
                    ),
                  }}
                  columns={[
                    {
                      title: t('ledger.inbox.comment'),
                      key: 'text',
                      render: (_: unknown, c: CommentView) => (
                        <div>
                          <div className="mp-ledger-comment" data-testid="comment-text">
                            {c.text}
                          </div>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {c.date} · {c.unitName} · {c.sourceName}
                          </Typography.Text>{' '}
                          {c.level !== null && <LevelTag level={c.level} />}
                        </div>
                      ),
                    },
                    {
                      title: t('ledger.inbox.topicColumn'),
                      key: 'topic',
                      width: 330,
                      render: (_: unknown, c: CommentView) => (
                        <TopicCell
                          c={c}
                          list={list}
                          manage={access.manage}
                          onAssign={(topic) => void assign([{ commentId: c.id, topicId: topic }])}
                        />
                      ),
                    },
                  ]}
                />
              </Card>
            ),
          },
          {
            key: 'clusters',
            label: t('ledger.inbox.tabClusters'),
            children: (
              <Clusters
                data={clusters.data}
                loading={clusters.isFetching}
                error={clusters.error}
                canMake={access.manage && Boolean(unitId)}
                manage={access.manage}
                onMake={(c) => setMaking({ commentIds: c.commentIds, title: c.title, phrase: c.phrase })}
              />
            ),
          },
        ]}
      />
      {collecting && <CollectModal onClose={() => setCollecting(false)} onDone={refresh} />}
      {making && (
        <MakeProblemModal
          {...making}
          unitId={unitId}
          topics={topics.map((tp) => ({ value: tp.id, label: tp.name }))}
          onClose={() => setMaking(null)}
          onSaved={async () => {
            setMaking(null);
            void message.success(t('ledger.inbox.problemMade'));
            await refresh();
            await client.invalidateQueries({ queryKey: ['ledger-problems'] });
          }}
        />
      )}
    </>
  );
}

/** The suggestion with the words behind it, or the topic a clerk chose; a picker to confirm or correct. */
function TopicCell({
  c,
  list,
  manage,
  onAssign,
}: {
  c: CommentView;
  list: TopicListView | undefined;
  manage: boolean;
  onAssign: (topicId: string | null) => void;
}) {
  const { t } = useTranslation();
  const names = new Map((list?.topics ?? []).map((tp) => [tp.id, tp.name]));
  const options = [
    ...(list?.topics ?? []).filter((tp) => !tp.archived).map((tp) => ({ value: tp.id, label: tp.name })),
    { value: '', label: t('ledger.inbox.noTopicOption') },
  ];
  return (
    <div>
      {c.assigned ? (
        <Tag color={c.topicId ? 'green' : 'default'} data-testid="assigned-topic">
          {c.topicId ? names.get(c.topicId) : t('ledger.inbox.noTopicOption')}
        </Tag>
      ) : c.suggestion ? (
        <Suggestion s={c.suggestion} />
      ) : (
        <Typography.Text type="secondary">{t('ledger.inbox.noSuggestion')}</Typography.Text>
      )}
      {manage && (
        <Space size={4} style={{ marginTop: 4 }}>
          {!c.assigned && c.suggestion && (
            <Button
              size="small"
              icon={<CheckOutlined />}
              onClick={() => onAssign(c.suggestion?.topicId ?? null)}
            >
              {t('ledger.inbox.accept')}
            </Button>
          )}
          <Select<string>
            size="small"
            style={{ width: 130 }}
            aria-label={t('ledger.inbox.correct')}
            placeholder={c.assigned ? t('ledger.inbox.change') : t('ledger.inbox.correct')}
            value={undefined}
            onChange={(v) => onAssign(v === '' ? null : v)}
            options={options}
          />
        </Space>
      )}
    </div>
  );
}

function Suggestion({ s }: { s: SuggestionView }) {
  const { t } = useTranslation();
  const close = s.margin < 0.5;
  return (
    <div data-testid="suggestion">
      <Space size={4} wrap>
        <Tooltip title={t('ledger.inbox.suggestionHelp')}>
          <Tag color="blue">{t('ledger.inbox.suggested', { name: s.topicName })}</Tag>
        </Tooltip>
        {close && (
          <Tooltip title={t('ledger.inbox.closeCallHelp')}>
            <Tag color="orange">{t('ledger.inbox.closeCall')}</Tag>
          </Tooltip>
        )}
      </Space>
      <div className="mp-ledger-because">
        {s.because.slice(0, 5).map((w) => (
          <span key={w.word} className={`mp-ledger-word mp-ledger-word-${w.source}`}>
            {w.word} +{w.weight.toFixed(w.weight >= 1 && Number.isInteger(w.weight) ? 0 : 2)}
          </span>
        ))}
      </div>
    </div>
  );
}

function Clusters({
  data,
  loading,
  error,
  canMake,
  manage,
  onMake,
}: {
  data: ClusterView[] | undefined;
  loading: boolean;
  error: unknown;
  canMake: boolean;
  manage: boolean;
  onMake: (c: ClusterView) => void;
}) {
  const { t } = useTranslation();
  return (
    <Card size="small" loading={loading && !data}>
      <Typography.Paragraph type="secondary">{t('ledger.inbox.clustersHelp')}</Typography.Paragraph>
      {manage && !canMake && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('ledger.inbox.chooseUnitForProblem')}
        />
      )}
      {error !== null && <Alert type="error" showIcon title={errorText(error)} />}
      {data && data.length === 0 && (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.inbox.noClusters')} />
      )}
      <div className="mp-ledger-clusters">
        {(data ?? []).map((c) => (
          <Card
            key={c.phrase}
            size="small"
            data-testid="cluster"
            title={
              <Space>
                <span>{c.title}</span>
                <Tag color="volcano">{t('ledger.problems.countN', { n: c.count })}</Tag>
              </Space>
            }
            extra={
              manage && (
                <Button size="small" type="primary" disabled={!canMake} onClick={() => onMake(c)}>
                  {t('ledger.inbox.makeProblem')}
                </Button>
              )
            }
          >
            <div style={{ marginBottom: 6 }}>
              <Tag color="geekblue">{c.phrase}</Tag>
              {c.related.slice(0, 6).map((r) => (
                <Tag key={r}>{r}</Tag>
              ))}
            </div>
            <ul className="mp-ledger-examples">
              {c.examples.map((e, i) => (
                <li key={i}>“{e}”</li>
              ))}
            </ul>
          </Card>
        ))}
      </div>
    </Card>
  );
}

function CollectModal({ onClose, onDone }: { onClose: () => void; onDone: () => Promise<void> }) {
  const { t } = useTranslation();
  const [range, setRange] = useState<[Dayjs, Dayjs]>([dayjs().subtract(30, 'day'), dayjs()]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<{ name: string; found: number; added: number }[] | null>(null);
  return (
    <Modal
      open
      title={t('ledger.inbox.collectTitle')}
      okText={result ? t('common.close') : t('ledger.inbox.collectOk')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => {
        if (result) return onClose();
        setBusy(true);
        setError(null);
        ledgerApi
          .collect(range[0].format('YYYY-MM-DD'), range[1].format('YYYY-MM-DD'))
          .then((r) => {
            setResult(r.sources);
            setBusy(false);
            void onDone();
          })
          .catch((e: unknown) => {
            setError(errorText(e));
            setBusy(false);
          });
      }}
    >
      <Typography.Paragraph type="secondary">{t('ledger.inbox.collectHelp')}</Typography.Paragraph>
      <DatePicker.RangePicker
        value={range}
        onChange={(v) => v && v[0] && v[1] && setRange([v[0], v[1]])}
        disabledDate={(d) => d.isAfter(dayjs(), 'day')}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {result && (
        <Table
          style={{ marginTop: 12 }}
          size="small"
          rowKey="name"
          pagination={false}
          dataSource={result}
          columns={[
            { title: t('ledger.inbox.source'), dataIndex: 'name' },
            { title: t('ledger.inbox.found'), dataIndex: 'found', align: 'right' as const },
            { title: t('ledger.inbox.added'), dataIndex: 'added', align: 'right' as const },
          ]}
        />
      )}
    </Modal>
  );
}

function MakeProblemModal({
  commentIds,
  title,
  phrase,
  unitId,
  topics,
  onClose,
  onSaved,
}: {
  commentIds: string[];
  title: string;
  phrase?: string | undefined;
  unitId: string | null;
  topics: { value: string; label: string }[];
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const units = useUnits();
  const [form] = Form.useForm<{ unitId: string; title: string; topicId?: string }>();
  return (
    <FormModal<{ unitId: string; title: string; topicId?: string }>
      form={form}
      name="make-problem"
      title={t('ledger.inbox.makeProblemTitle', { n: commentIds.length })}
      okText={t('ledger.inbox.makeProblem')}
      initialValues={{ title, ...(unitId ? { unitId } : {}) }}
      fields={['unitId', 'title', 'topicId']}
      onClose={onClose}
      onSave={async (v) => {
        await ledgerApi.createProblem({
          unitId: v.unitId,
          title: v.title,
          ...(v.topicId ? { topicId: v.topicId } : {}),
          ...(phrase ? { phrase } : {}),
          commentIds,
        });
        await onSaved();
      }}
    >
      <Form.Item
        name="unitId"
        label={t('ledger.problems.unit')}
        rules={[{ required: true, message: t('ledger.create.unitRequired') }]}
        extra={t('ledger.inbox.problemUnitHelp')}
      >
        <UnitTreeSelect units={units.data ?? []} />
      </Form.Item>
      <Form.Item
        name="title"
        label={t('ledger.problems.problem')}
        rules={[{ required: true, whitespace: true, message: t('ledger.problems.titleRequired') }]}
        extra={t('ledger.problems.titleHelp')}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="topicId" label={t('ledger.problems.topic')}>
        <Select allowClear options={topics} />
      </Form.Item>
      <Typography.Text type="secondary">
        <Link to="/ledger/problems">{t('ledger.inbox.toProblems')}</Link>
      </Typography.Text>
    </FormModal>
  );
}
