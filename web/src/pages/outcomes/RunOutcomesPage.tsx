import { CheckOutlined, CloseOutlined, FileWordOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, Modal, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { formatTime } from '../../util';
import { useScoringAccess } from '../scoring/menu';
import { outcomesApi, outcomesKeys, type Proposal, type RunOutcomes } from './api';
import { ConsequenceStatusTag, consequenceText, TriggerText } from './shared';

type Item = RunOutcomes['items'][number];

/** 结果运用 of one published result: each proposed consequence, confirmed or rejected one by one; the notice. */
export function RunOutcomesPage() {
  const { t } = useTranslation();
  const { runId = '' } = useParams();
  const access = useScoringAccess();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const client = useQueryClient();
  const q = useQuery({
    queryKey: outcomesKeys.run(runId),
    queryFn: () => outcomesApi.run(runId),
    enabled: access.read,
  });
  const [deciding, setDeciding] = useState<{ proposal: Proposal; decision: 'confirm' | 'reject' } | null>(
    null,
  );
  const [drafting, setDrafting] = useState(false);
  if (!access.read) return <NoPermission />;
  if (q.error) return <Alert type="error" message={errorText(q.error)} />;
  const data = q.data;

  const draft = async () => {
    setDrafting(true);
    try {
      const doc = await outcomesApi.draftNotice(runId);
      void navigate(`/documents/${doc.id}`);
    } catch (error) {
      void message.error(errorText(error));
    } finally {
      setDrafting(false);
    }
  };

  return (
    <>
      <PageTitle
        title={t('outcomes.run.title')}
        description={
          data
            ? `${data.schemeName} · ${data.periodName} · ${data.groupName} · ${t('outcomes.run.publishedAt', { at: formatTime(data.publishedAt) })}`
            : ''
        }
        extra={
          <Space>
            <Link to={`/runs/${runId}`}>{t('outcomes.run.backToResult')}</Link>
            {access.manage && (
              <Button
                type="primary"
                icon={<FileWordOutlined />}
                loading={drafting}
                onClick={() => void draft()}
              >
                {t('outcomes.run.draftNotice')}
              </Button>
            )}
          </Space>
        }
      />
      {data && !data.hasRules && (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          message={t('outcomes.run.noRules')}
          description={
            <Link to={`/outcome-rules?scheme=${data.schemeId}`}>{t('outcomes.run.setRules')}</Link>
          }
        />
      )}
      <Card size="small" title={t('outcomes.run.proposals')}>
        <Typography.Paragraph type="secondary">{t('outcomes.run.hint')}</Typography.Paragraph>
        <Table<Item>
          rowKey={(i) => `${i.proposal.ruleKey}/${i.proposal.unitId}`}
          loading={q.isLoading}
          dataSource={data?.items ?? []}
          pagination={false}
          locale={{ emptyText: t('outcomes.run.none') }}
          columns={[
            {
              title: t('outcomes.col.unit'),
              render: (_, i) => (
                <Link to={`/outcomes/units/${i.proposal.unitId}`}>
                  {i.proposal.parentName ? `${i.proposal.parentName} ` : ''}
                  {i.proposal.unitName}
                </Link>
              ),
            },
            { title: t('outcomes.col.rule'), render: (_, i) => i.proposal.ruleName },
            { title: t('outcomes.col.measure'), render: (_, i) => consequenceText(t, i.proposal) },
            { title: t('outcomes.col.target'), render: (_, i) => t(`outcomes.target.${i.proposal.target}`) },
            { title: t('outcomes.col.basis'), render: (_, i) => <TriggerText basis={i.proposal.basis} /> },
            {
              title: t('outcomes.col.period'),
              render: (_, i) =>
                i.proposal.endsOn
                  ? t('outcomes.until', { from: i.proposal.startsOn, to: i.proposal.endsOn })
                  : '—',
            },
            {
              title: t('outcomes.col.decision'),
              render: (_, i) =>
                i.decision ? (
                  <Space direction="vertical" size={0}>
                    <ConsequenceStatusTag status={i.decision.status} open={i.decision.open} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {t('outcomes.decidedBy', {
                        who: i.decision.decidedBy,
                        at: formatTime(i.decision.decidedAt),
                      })}
                    </Typography.Text>
                    {i.decision.note && (
                      <Typography.Text style={{ fontSize: 12 }}>{i.decision.note}</Typography.Text>
                    )}
                  </Space>
                ) : access.manage ? (
                  <Space>
                    <Button
                      size="small"
                      type="primary"
                      icon={<CheckOutlined />}
                      onClick={() => setDeciding({ proposal: i.proposal, decision: 'confirm' })}
                    >
                      {t('outcomes.confirm')}
                    </Button>
                    <Button
                      size="small"
                      icon={<CloseOutlined />}
                      onClick={() => setDeciding({ proposal: i.proposal, decision: 'reject' })}
                    >
                      {t('outcomes.reject')}
                    </Button>
                  </Space>
                ) : (
                  <Tag>{t('outcomes.pending')}</Tag>
                ),
            },
          ]}
        />
      </Card>
      {deciding && (
        <DecideModal
          runId={runId}
          proposal={deciding.proposal}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
          onDone={() => {
            setDeciding(null);
            void client.invalidateQueries({ queryKey: ['outcomes'] });
            void message.success(
              t(deciding.decision === 'confirm' ? 'outcomes.confirmedToast' : 'outcomes.rejectedToast'),
            );
          }}
        />
      )}
    </>
  );
}

function DecideModal({
  runId,
  proposal,
  decision,
  onClose,
  onDone,
}: {
  runId: string;
  proposal: Proposal;
  decision: 'confirm' | 'reject';
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ subject?: string; note?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    const values = await form.validateFields();
    setSaving(true);
    setError(null);
    try {
      await outcomesApi.decide(runId, {
        ruleKey: proposal.ruleKey,
        unitId: proposal.unitId,
        decision,
        ...(values.subject ? { subject: values.subject } : {}),
        ...(values.note ? { note: values.note } : {}),
      });
      onDone();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t(decision === 'confirm' ? 'outcomes.confirmTitle' : 'outcomes.rejectTitle')}
      okText={t(decision === 'confirm' ? 'outcomes.confirm' : 'outcomes.reject')}
      onOk={() => void submit()}
      onCancel={onClose}
      okButtonProps={{ loading: saving }}
    >
      <p>
        <strong>{proposal.unitName}</strong>：{consequenceText(t, proposal)}（{proposal.ruleName}）
      </p>
      {error && <Alert type="error" message={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical">
        {decision === 'confirm' && (
          <Form.Item name="subject" label={t('outcomes.subject')} extra={t('outcomes.subjectHint')}>
            <Input maxLength={60} />
          </Form.Item>
        )}
        <Form.Item
          name="note"
          label={t(decision === 'confirm' ? 'outcomes.note' : 'outcomes.rejectReason')}
          rules={
            decision === 'reject'
              ? [{ required: true, whitespace: true, message: t('outcomes.rejectReasonRequired') }]
              : []
          }
        >
          <Input.TextArea rows={3} maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
