import { PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { formatTime } from '../../util';
import { scoringApi, scoringKeys, type Veto } from './api';
import { useScoringAccess } from './menu';
import { PeriodSelect, usePeriods } from './shared';
import './scoring.css';

/** 一票否决: vetoes recorded against units for a period, with reason and evidence; revoked only with a reason. */
export function VetoesPage() {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const periods = usePeriods();
  const schemes = useQuery({
    queryKey: scoringKeys.schemes,
    queryFn: scoringApi.schemes,
    enabled: access.read,
  });
  const [periodId, setPeriodId] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const [revoking, setRevoking] = useState<Veto | null>(null);
  const vetoes = useQuery({
    queryKey: scoringKeys.vetoes(periodId ?? ''),
    queryFn: () => scoringApi.vetoes(periodId ?? ''),
    enabled: access.read && periodId !== null,
  });
  if (!access.read) return <NoPermission />;
  const schemeName = (id: string | null) =>
    id ? (schemes.data?.find((s) => s.id === id)?.name ?? id) : t('scoring.vetoes.allSchemes');
  const periodName = periods.data?.find((p) => p.id === periodId)?.name ?? '';

  return (
    <>
      <PageTitle
        title={t('scoring.vetoes.title')}
        description={t('scoring.vetoes.description')}
        extra={
          access.manage && (
            <Button
              type="primary"
              danger
              icon={<PlusOutlined />}
              disabled={!periodId}
              onClick={() => setRecording(true)}
            >
              {t('scoring.vetoes.record')}
            </Button>
          )
        }
      />
      <Card size="small">
        <Space style={{ marginBottom: 12 }}>
          <span>{t('scoring.period')}</span>
          <PeriodSelect id="sc-veto-period" value={periodId} onChange={setPeriodId} />
        </Space>
        {vetoes.isError && (
          <Alert type="error" showIcon title={errorText(vetoes.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<Veto>
          size="small"
          rowKey="id"
          loading={vetoes.isFetching}
          dataSource={vetoes.data ?? []}
          pagination={false}
          rowClassName={(v) => (v.revokedAt ? 'mp-sc-superseded' : '')}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={
                  !periodId
                    ? t('scoring.vetoes.pickPeriod')
                    : t('scoring.vetoes.empty', { period: periodName })
                }
              />
            ),
          }}
          columns={[
            { title: t('scoring.unit'), dataIndex: 'unitName', width: 200 },
            {
              title: t('scoring.vetoes.reason'),
              key: 'reason',
              render: (_: unknown, v) => (
                <div>
                  <div>{v.reason}</div>
                  {v.evidence && (
                    <div className="mp-sc-secondary">
                      {t('scoring.vetoes.evidence')}：{v.evidence}
                    </div>
                  )}
                </div>
              ),
            },
            {
              title: t('scoring.vetoes.scheme'),
              key: 'scheme',
              width: 180,
              render: (_: unknown, v) => schemeName(v.schemeId),
            },
            {
              title: t('scoring.vetoes.recorded'),
              key: 'recorded',
              width: 150,
              render: (_: unknown, v) => (
                <div>
                  <div>{v.recordedBy}</div>
                  <div className="mp-sc-secondary">{formatTime(v.recordedAt)}</div>
                </div>
              ),
            },
            {
              title: t('scoring.scores.state'),
              key: 'state',
              width: 220,
              render: (_: unknown, v) =>
                v.revokedAt ? (
                  <div>
                    <Tag>{t('scoring.vetoes.revokedAt', { at: formatTime(v.revokedAt) })}</Tag>
                    <div className="mp-sc-secondary">{v.revokeReason}</div>
                  </div>
                ) : (
                  <Space>
                    <Tag color="red">{t('scoring.vetoes.inForce')}</Tag>
                    {access.manage && (
                      <Typography.Link onClick={() => setRevoking(v)}>
                        {t('scoring.vetoes.revoke')}
                      </Typography.Link>
                    )}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      {recording && periodId && (
        <RecordModal periodId={periodId} periodName={periodName} onClose={() => setRecording(false)} />
      )}
      {revoking && <RevokeModal veto={revoking} onClose={() => setRevoking(null)} />}
    </>
  );
}

function RecordModal({
  periodId,
  periodName,
  onClose,
}: {
  periodId: string;
  periodName: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const units = useUnits();
  const schemes = useQuery({ queryKey: scoringKeys.schemes, queryFn: scoringApi.schemes });
  const [form] = Form.useForm<{ unitId: string; reason: string; evidence: string; schemeId?: string }>();
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    let values;
    try {
      values = await form.validateFields();
    } catch {
      // The form shows what is missing next to each field.
      return;
    }
    setSaving(true);
    setError(null);
    try {
      await scoringApi.recordVeto({
        unitId: values.unitId,
        periodId,
        reason: values.reason.trim(),
        evidence: (values.evidence ?? '').trim(),
        ...(values.schemeId ? { schemeId: values.schemeId } : {}),
      });
      await client.invalidateQueries({ queryKey: scoringKeys.vetoes(periodId) });
      void message.success(t('scoring.vetoes.recordedToast'));
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('scoring.vetoes.recordTitle', { period: periodName })}
      okText={t('scoring.vetoes.record')}
      okButtonProps={{ danger: true, loading: saving }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('scoring.vetoes.recordHint')} />
      <Form form={form} layout="vertical">
        <Form.Item
          name="unitId"
          label={t('scoring.unit')}
          rules={[{ required: true, message: t('scoring.vetoes.unitRequired') }]}
        >
          <UnitTreeSelect units={units.data ?? []} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('scoring.vetoes.reason')}
          rules={[{ required: true, whitespace: true, message: t('scoring.vetoes.reasonRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={400} />
        </Form.Item>
        <Form.Item
          name="evidence"
          label={t('scoring.vetoes.evidence')}
          help={t('scoring.vetoes.evidenceHelp')}
        >
          <Input.TextArea rows={2} maxLength={400} />
        </Form.Item>
        <Form.Item name="schemeId" label={t('scoring.vetoes.scheme')} help={t('scoring.vetoes.schemeHelp')}>
          <Select
            allowClear
            placeholder={t('scoring.vetoes.allSchemes')}
            options={(schemes.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}

function RevokeModal({ veto, onClose }: { veto: Veto; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setSaving(true);
    setError(null);
    try {
      await scoringApi.revokeVeto(veto.id, reason.trim());
      await client.invalidateQueries({ queryKey: scoringKeys.vetoes(veto.periodId) });
      void message.success(t('scoring.vetoes.revoked'));
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <Modal
      open
      title={t('scoring.vetoes.revokeTitle', { unit: veto.unitName })}
      okText={t('scoring.vetoes.revoke')}
      okButtonProps={{ disabled: !reason.trim(), loading: saving }}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph>
        {t('scoring.vetoes.reason')}：{veto.reason}
      </Typography.Paragraph>
      <Form layout="vertical" component="div">
        <Form.Item
          label={t('scoring.vetoes.revokeReason')}
          htmlFor="sc-revoke-reason"
          required
          help={t('scoring.vetoes.revokeHelp')}
        >
          <Input.TextArea
            id="sc-revoke-reason"
            rows={3}
            maxLength={400}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
        </Form.Item>
      </Form>
      {error && <Alert type="error" showIcon title={error} />}
    </Modal>
  );
}
