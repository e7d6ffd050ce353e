import { DownloadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Radio, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { chinaToday, formatTime } from '../../util';
import { useScoringAccess } from '../scoring/menu';
import { outcomesApi, outcomesKeys, type ConsequenceView, type RecordResult } from './api';
import { ConsequenceStatusTag, consequenceText, TriggerText } from './shared';

/** A unit's record: every published result and every consequence (open ones marked), appeals; .xlsx. */
export function UnitRecordPage() {
  const { t } = useTranslation();
  const { unitId = '' } = useParams();
  const access = useScoringAccess();
  const q = useQuery({
    queryKey: outcomesKeys.record(unitId),
    queryFn: () => outcomesApi.record(unitId),
    enabled: access.read,
  });
  const [action, setAction] = useState<{ kind: 'done' | 'appeal' | 'decide'; c: ConsequenceView } | null>(
    null,
  );
  if (!access.read) return <NoPermission />;
  if (q.error) return <Alert type="error" message={errorText(q.error)} />;
  const data = q.data;
  return (
    <>
      <PageTitle
        title={data ? t('outcomes.record.title', { name: data.unitName }) : t('outcomes.record.titlePlain')}
        description={t('outcomes.record.description')}
        extra={
          <Button icon={<DownloadOutlined />} href={outcomesApi.recordXlsxUrl(unitId)} download>
            {t('outcomes.record.download')}
          </Button>
        }
      />
      <Card size="small" title={t('outcomes.record.consequences')} style={{ marginBottom: 16 }}>
        <Table<ConsequenceView>
          rowKey="id"
          loading={q.isLoading}
          dataSource={data?.consequences ?? []}
          pagination={false}
          locale={{ emptyText: t('outcomes.record.noConsequences') }}
          columns={[
            { title: t('outcomes.col.period'), render: (_, c) => `${c.schemeName} · ${c.periodName}` },
            {
              title: t('outcomes.col.measure'),
              render: (_, c) => (
                <>
                  {consequenceText(t, c)}
                  <br />
                  <Typography.Text type="secondary">{c.ruleName}</Typography.Text>
                </>
              ),
            },
            {
              title: t('outcomes.col.target'),
              render: (_, c) => `${t(`outcomes.target.${c.target}`)}${c.subject ? ` ${c.subject}` : ''}`,
            },
            { title: t('outcomes.col.basis'), render: (_, c) => <TriggerText basis={c.basis} /> },
            {
              title: t('outcomes.col.until'),
              render: (_, c) =>
                c.endsOn
                  ? t('outcomes.until', { from: c.startsOn, to: c.endsOn })
                  : c.doneOn
                    ? t('outcomes.doneOn', { on: c.doneOn })
                    : '—',
            },
            {
              title: t('outcomes.col.decision'),
              render: (_, c) => (
                <Space direction="vertical" size={0}>
                  <ConsequenceStatusTag status={c.status} open={c.open} />
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('outcomes.decidedBy', { who: c.decidedBy, at: formatTime(c.decidedAt) })}
                  </Typography.Text>
                  {c.appeals.map((a) => (
                    <Typography.Text key={a.id} style={{ fontSize: 12 }}>
                      {t('outcomes.appealLine', { on: a.filedOn, grounds: a.grounds })}
                      {a.status === 'pending' ? (
                        <Tag color="blue">{t('outcomes.appealStatus.pending')}</Tag>
                      ) : (
                        `（${t(`outcomes.appealStatus.${a.status}`)}：${a.decisionReason ?? ''}）`
                      )}
                    </Typography.Text>
                  ))}
                </Space>
              ),
            },
            {
              title: '',
              render: (_, c) =>
                access.manage && c.status === 'confirmed' ? (
                  <Space direction="vertical" size={4}>
                    {(c.kind === 'talk' || c.kind === 'public_commitment') && c.doneOn === null && (
                      <Button size="small" onClick={() => setAction({ kind: 'done', c })}>
                        {t('outcomes.markDone')}
                      </Button>
                    )}
                    {c.appeals.some((a) => a.status === 'pending') ? (
                      <Button size="small" type="primary" onClick={() => setAction({ kind: 'decide', c })}>
                        {t('outcomes.decideAppeal')}
                      </Button>
                    ) : (
                      <Button size="small" onClick={() => setAction({ kind: 'appeal', c })}>
                        {t('outcomes.fileAppeal')}
                      </Button>
                    )}
                  </Space>
                ) : null,
            },
          ]}
        />
      </Card>
      <Card size="small" title={t('outcomes.record.results')}>
        <Table<RecordResult>
          rowKey="runId"
          loading={q.isLoading}
          dataSource={data?.results ?? []}
          pagination={false}
          columns={[
            {
              title: t('outcomes.col.period'),
              render: (_, r) => <Link to={`/runs/${r.runId}`}>{r.periodName}</Link>,
            },
            { title: t('outcomes.col.scheme'), render: (_, r) => `${r.schemeName} · ${r.groupName}` },
            { title: t('outcomes.col.total'), dataIndex: 'total' },
            {
              title: t('outcomes.col.rank'),
              render: (_, r) => t('outcomes.rankOf', { rank: r.rank, size: r.groupSize }),
            },
            { title: t('outcomes.col.grade'), render: (_, r) => r.gradeName ?? '—' },
            {
              title: t('outcomes.col.change'),
              render: (_, r) =>
                r.rankChange === null
                  ? '—'
                  : r.rankChange > 0
                    ? `↑${r.rankChange}`
                    : r.rankChange < 0
                      ? `↓${-r.rankChange}`
                      : '0',
            },
            {
              title: t('outcomes.col.lists'),
              render: (_, r) =>
                r.onBest ? (
                  <Tag color="green">{t('outcomes.best')}</Tag>
                ) : r.onWorst ? (
                  <Tag color="red">{t('outcomes.worst')}</Tag>
                ) : null,
            },
          ]}
        />
      </Card>
      {action && <ActionModal action={action} onClose={() => setAction(null)} />}
    </>
  );
}

function ActionModal({
  action,
  onClose,
}: {
  action: { kind: 'done' | 'appeal' | 'decide'; c: ConsequenceView };
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<{ day?: string; text: string; decision?: 'upheld' | 'granted' }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const pending = action.c.appeals.find((a) => a.status === 'pending');
  const submit = async () => {
    const v = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      if (action.kind === 'done')
        await outcomesApi.done(action.c.id, { doneOn: v.day ?? chinaToday(), note: v.text });
      else if (action.kind === 'appeal')
        await outcomesApi.appeal(action.c.id, { filedOn: v.day ?? chinaToday(), grounds: v.text });
      else if (pending)
        await outcomesApi.decideAppeal(pending.id, { decision: v.decision ?? 'upheld', reason: v.text });
      void client.invalidateQueries({ queryKey: ['outcomes'] });
      void message.success(t('outcomes.savedToast'));
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  const title =
    action.kind === 'done'
      ? t('outcomes.markDone')
      : action.kind === 'appeal'
        ? t('outcomes.fileAppeal')
        : t('outcomes.decideAppeal');
  return (
    <Modal
      open
      title={title}
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={{ loading: saving }}
    >
      <p>
        {action.c.unitName}：{consequenceText(t, action.c)}
      </p>
      {pending && action.kind === 'decide' && (
        <p>{t('outcomes.appealLine', { on: pending.filedOn, grounds: pending.grounds })}</p>
      )}
      {error && <Alert type="error" message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" initialValues={{ day: chinaToday(), decision: 'upheld' }}>
        {action.kind !== 'decide' ? (
          <Form.Item
            name="day"
            label={t(action.kind === 'done' ? 'outcomes.doneDay' : 'outcomes.filedDay')}
            rules={[{ required: true, pattern: /^\d{4}-\d{2}-\d{2}$/, message: 'YYYY-MM-DD' }]}
          >
            <Input placeholder="YYYY-MM-DD" />
          </Form.Item>
        ) : (
          <Form.Item name="decision" label={t('outcomes.appealDecision')}>
            <Radio.Group
              options={[
                { value: 'upheld', label: t('outcomes.appealStatus.upheld') },
                { value: 'granted', label: t('outcomes.appealStatus.granted') },
              ]}
            />
          </Form.Item>
        )}
        <Form.Item
          name="text"
          label={t(
            action.kind === 'done'
              ? 'outcomes.doneNote'
              : action.kind === 'appeal'
                ? 'outcomes.grounds'
                : 'outcomes.reason',
          )}
          rules={[{ required: true, whitespace: true, message: t('outcomes.required') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
