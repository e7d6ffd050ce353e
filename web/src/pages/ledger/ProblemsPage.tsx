import { CopyOutlined, EditOutlined, MergeCellsOutlined, ScissorOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  Modal,
  Radio,
  Space,
  Spin,
  Table,
  Tag,
  Typography,
} from 'antd';
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
import { ledgerApi, type ProblemView } from './api';
import { useLedgerAccess } from './menu';
import './ledger.css';

/** 问题清单: each unit's problems, largest first; the clerk edits titles, merges and splits, opens items. */
export function ProblemsPage() {
  const { t } = useTranslation();
  const access = useLedgerAccess();
  const navigate = useNavigate();
  const client = useQueryClient();
  const units = useUnits();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [editing, setEditing] = useState<ProblemView | null>(null);
  const [splitting, setSplitting] = useState<ProblemView | null>(null);
  const [merging, setMerging] = useState(false);
  const [showMain, setShowMain] = useState(false);
  const problems = useQuery({
    queryKey: ['ledger-problems', unitId],
    queryFn: () => ledgerApi.problems(unitId ?? undefined),
    enabled: access.handle,
  });
  if (!access.handle) return <NoPermission />;
  const refresh = async () => {
    setSelected([]);
    await client.invalidateQueries({ queryKey: ['ledger-problems'] });
  };
  const chosen = (problems.data ?? []).filter((p) => selected.includes(p.id));
  const sameUnit = chosen.length > 1 && chosen.every((p) => p.unitId === chosen[0]?.unitId);

  return (
    <>
      <PageTitle
        title={t('ledger.problems.title')}
        description={t('ledger.problems.description')}
        extra={
          unitId && (
            <Button icon={<CopyOutlined />} onClick={() => setShowMain(true)}>
              {t('ledger.problems.mainProblems')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <UnitTreeSelect
            units={units.data ?? []}
            value={unitId}
            onChange={(v) => {
              setUnitId(v);
              setSelected([]);
            }}
            placeholder={t('ledger.allUnits')}
            style={{ width: 300 }}
          />
          {access.manage && (
            <>
              <Button
                icon={<MergeCellsOutlined />}
                disabled={!sameUnit}
                onClick={() => setMerging(true)}
                data-testid="merge-problems"
              >
                {t('ledger.problems.merge', { n: chosen.length })}
              </Button>
              {chosen.length > 1 && !sameUnit && (
                <Typography.Text type="secondary">{t('ledger.problems.mergeSameUnit')}</Typography.Text>
              )}
              {chosen.length <= 1 && (
                <Typography.Text type="secondary">{t('ledger.problems.mergeHint')}</Typography.Text>
              )}
            </>
          )}
        </Space>
        {problems.isError && <Alert type="error" showIcon title={errorText(problems.error)} />}
        <Table<ProblemView>
          size="small"
          rowKey="id"
          loading={problems.isFetching}
          dataSource={problems.data ?? []}
          pagination={{ pageSize: 20, hideOnSinglePage: true, showSizeChanger: false }}
          {...(access.manage
            ? {
                rowSelection: {
                  selectedRowKeys: selected,
                  onChange: (keys: React.Key[]) => setSelected(keys.map(String)),
                },
              }
            : {})}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  <span>
                    {t('ledger.problems.empty')}{' '}
                    <Link to="/ledger/inbox">{t('ledger.problems.toInbox')}</Link>
                  </span>
                }
              />
            ),
          }}
          columns={[
            {
              title: t('ledger.problems.problem'),
              key: 'title',
              render: (_: unknown, p: ProblemView) => (
                <div>
                  <div className="mp-ledger-title-cell" data-testid="problem-title">
                    {p.title}
                    {access.manage && (
                      <Button
                        type="text"
                        size="small"
                        icon={<EditOutlined />}
                        aria-label={t('ledger.problems.editTitle')}
                        onClick={() => setEditing(p)}
                      />
                    )}
                  </div>
                  <ul className="mp-ledger-examples">
                    {p.examples.map((e, i) => (
                      <li key={i}>“{e}”</li>
                    ))}
                  </ul>
                </div>
              ),
            },
            { title: t('ledger.problems.unit'), dataIndex: 'unitName', width: 180 },
            {
              title: t('ledger.problems.topic'),
              dataIndex: 'topicName',
              width: 120,
              render: (n: string | null) =>
                n ? <Tag>{n}</Tag> : <Typography.Text type="secondary">—</Typography.Text>,
            },
            {
              title: t('ledger.problems.count'),
              dataIndex: 'count',
              width: 90,
              align: 'right' as const,
              render: (n: number) => <strong>{n}</strong>,
            },
            {
              title: t('ledger.problems.actions'),
              key: 'actions',
              width: 200,
              render: (_: unknown, p: ProblemView) => (
                <Space orientation="vertical" size={4}>
                  {p.itemIds.length > 0 ? (
                    p.itemIds.map((id) => (
                      <Link key={id} to={`/ledger/items/${id}`}>
                        {t('ledger.problems.viewItem')}
                      </Link>
                    ))
                  ) : access.manage ? (
                    <Button
                      size="small"
                      type="primary"
                      ghost
                      onClick={() =>
                        void navigate(`/ledger/items?new=problem&ref=${encodeURIComponent(p.id)}`)
                      }
                    >
                      {t('ledger.problems.raiseItem')}
                    </Button>
                  ) : (
                    <Typography.Text type="secondary">{t('ledger.problems.noItem')}</Typography.Text>
                  )}
                  {access.manage && p.count > 1 && (
                    <Button size="small" icon={<ScissorOutlined />} onClick={() => setSplitting(p)}>
                      {t('ledger.problems.split')}
                    </Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>
      {editing && (
        <TitleModal
          problem={editing}
          onClose={() => setEditing(null)}
          onSaved={async () => {
            setEditing(null);
            await refresh();
          }}
        />
      )}
      {splitting && (
        <SplitModal
          problem={splitting}
          onClose={() => setSplitting(null)}
          onSaved={async () => {
            setSplitting(null);
            await refresh();
          }}
        />
      )}
      {merging && (
        <MergeModal
          problems={chosen}
          onClose={() => setMerging(false)}
          onSaved={async () => {
            setMerging(false);
            await refresh();
          }}
        />
      )}
      {showMain && unitId && <MainProblemsModal unitId={unitId} onClose={() => setShowMain(false)} />}
    </>
  );
}

function TitleModal({
  problem,
  onClose,
  onSaved,
}: {
  problem: ProblemView;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ title: string }>();
  return (
    <FormModal<{ title: string }>
      form={form}
      name="problem-title"
      title={t('ledger.problems.editTitle')}
      okText={t('common.save')}
      initialValues={{ title: problem.title }}
      fields={['title']}
      onClose={onClose}
      onSave={async (v) => {
        await ledgerApi.updateProblem(problem.id, { title: v.title });
        await onSaved();
      }}
    >
      <Form.Item
        name="title"
        label={t('ledger.problems.problem')}
        rules={[{ required: true, whitespace: true, message: t('ledger.problems.titleRequired') }]}
        extra={t('ledger.problems.titleHelp')}
      >
        <Input maxLength={200} />
      </Form.Item>
    </FormModal>
  );
}

function MergeModal({
  problems,
  onClose,
  onSaved,
}: {
  problems: ProblemView[];
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [keep, setKeep] = useState(problems.find((p) => p.itemIds.length > 0)?.id ?? problems[0]?.id ?? '');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const total = problems.reduce((n, p) => n + p.count, 0);
  return (
    <Modal
      open
      title={t('ledger.problems.mergeTitle', { n: problems.length })}
      okText={t('ledger.problems.mergeOk')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => {
        setBusy(true);
        ledgerApi
          .mergeProblems(
            keep,
            problems.filter((p) => p.id !== keep).map((p) => p.id),
          )
          .then(onSaved)
          .catch((e: unknown) => setError(errorText(e)))
          .finally(() => setBusy(false));
      }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph>{t('ledger.problems.mergeKeep', { total })}</Typography.Paragraph>
      <Radio.Group value={keep} onChange={(e) => setKeep(String(e.target.value))}>
        <Space orientation="vertical">
          {problems.map((p) => (
            <Radio key={p.id} value={p.id}>
              {p.title}{' '}
              <Typography.Text type="secondary">
                （{t('ledger.problems.countN', { n: p.count })}）
              </Typography.Text>
            </Radio>
          ))}
        </Space>
      </Radio.Group>
    </Modal>
  );
}

function SplitModal({
  problem,
  onClose,
  onSaved,
}: {
  problem: ProblemView;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const comments = useQuery({
    queryKey: ['ledger-problem-comments', problem.id],
    queryFn: () => ledgerApi.problemComments(problem.id),
  });
  const [chosen, setChosen] = useState<string[]>([]);
  const [title, setTitle] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const all = comments.data ?? [];
  return (
    <Modal
      open
      width={720}
      title={t('ledger.problems.splitTitle', { title: problem.title })}
      okText={t('ledger.problems.splitOk', { n: chosen.length })}
      okButtonProps={{ disabled: chosen.length === 0 || chosen.length >= all.length || title.trim() === '' }}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => {
        setBusy(true);
        ledgerApi
          .splitProblem(problem.id, title, chosen)
          .then(onSaved)
          .catch((e: unknown) => setError(errorText(e)))
          .finally(() => setBusy(false));
      }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Typography.Paragraph type="secondary">{t('ledger.problems.splitHelp')}</Typography.Paragraph>
      {comments.isPending ? (
        <Spin />
      ) : (
        <div className="mp-ledger-split-list">
          <Checkbox.Group value={chosen} onChange={(v) => setChosen(v.map(String))} style={{ width: '100%' }}>
            <Space orientation="vertical" style={{ width: '100%' }}>
              {all.map((c) => (
                <Checkbox key={c.id} value={c.id}>
                  <span>{c.text}</span>{' '}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {c.date} · {c.sourceName}
                  </Typography.Text>{' '}
                  {c.level !== null && <LevelTag level={c.level} />}
                </Checkbox>
              ))}
            </Space>
          </Checkbox.Group>
        </div>
      )}
      <Input
        style={{ marginTop: 12 }}
        aria-label={t('ledger.problems.newTitle')}
        placeholder={t('ledger.problems.newTitle')}
        maxLength={200}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />
    </Modal>
  );
}

function MainProblemsModal({ unitId, onClose }: { unitId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const main = useQuery({ queryKey: ['ledger-main', unitId], queryFn: () => ledgerApi.mainProblems(unitId) });
  return (
    <Modal
      open
      title={t('ledger.problems.mainProblems')}
      onCancel={onClose}
      footer={
        <Button
          type="primary"
          icon={<CopyOutlined />}
          disabled={!main.data?.text}
          onClick={() =>
            void navigator.clipboard
              .writeText(main.data?.text ?? '')
              .then(() => message.success(t('ledger.problems.copied')))
          }
        >
          {t('ledger.problems.copy')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('ledger.problems.mainHelp')}</Typography.Paragraph>
      {main.isPending ? (
        <Spin />
      ) : (
        <div className="mp-case-text">{main.data?.text || t('ledger.problems.none')}</div>
      )}
    </Modal>
  );
}
