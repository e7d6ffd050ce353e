import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Drawer,
  Form,
  Input,
  Modal,
  Radio,
  Select,
  Space,
  Spin,
  Tag,
  Timeline,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorText } from '../../api';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { formatTime } from '../../util';
import { EscalationTag } from '../cases/tags';
import { DaysLeft } from '../ratings/shared';
import { windowApi, type MatterDetail, type MatterOutcome, type MatterState } from './api';
import { useWindowAccess } from './menu';

const STATE_COLORS: Record<MatterState, string> = {
  filed: 'orange',
  accepted: 'gold',
  handling: 'blue',
  replied: 'cyan',
  resolved: 'geekblue',
  closed: 'green',
  declined: 'default',
};

export function MatterStateTag({ state }: { state: MatterState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLORS[state]} style={{ marginInlineEnd: 0 }} data-testid="matter-state">
      {t(`window.states.${state}`)}
    </Tag>
  );
}

type Dialog =
  | { kind: 'decline' }
  | { kind: 'assign' }
  | { kind: 'respond'; unitId: string; unitName: string }
  | { kind: 'return' }
  | { kind: 'resolve' }
  | { kind: 'reopen' }
  | { kind: 'ledger' };

/** One matter: what the person reported, who holds it until when, what may be done now, and every step. */
export function MatterDrawer({ matterId, onClose }: { matterId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const access = useWindowAccess();
  const client = useQueryClient();
  const { message } = App.useApp();
  const detail = useQuery({ queryKey: ['window-matter', matterId], queryFn: () => windowApi.get(matterId) });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const m = detail.data;

  const run = async (work: () => Promise<MatterDetail>, done: string) => {
    setBusy(true);
    setError(null);
    try {
      const next = await work();
      client.setQueryData(['window-matter', matterId], next);
      await client.invalidateQueries({ queryKey: ['window'] });
      void message.success(done);
      setDialog(null);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const actions = (m: MatterDetail) => {
    const out: React.ReactNode[] = [];
    if (access.manage && m.state === 'filed') {
      out.push(
        <Button
          key="accept"
          type="primary"
          loading={busy}
          onClick={() => void run(() => windowApi.accept(m.id), t('window.done.accept'))}
        >
          {t('window.actions.accept')}
        </Button>,
        <Button key="decline" onClick={() => setDialog({ kind: 'decline' })}>
          {t('window.actions.decline')}
        </Button>,
      );
    }
    if (access.manage && m.state === 'accepted') {
      out.push(
        <Button key="assign" type="primary" onClick={() => setDialog({ kind: 'assign' })}>
          {t('window.actions.assign')}
        </Button>,
      );
    }
    if (m.state === 'handling') {
      for (const a of m.assignments.filter((x) => x.respondedAt === null)) {
        out.push(
          <Button
            key={`respond-${a.unitId}`}
            type="primary"
            onClick={() => setDialog({ kind: 'respond', unitId: a.unitId, unitName: a.unitName })}
          >
            {t('window.actions.respond', { unit: a.unitName })}
          </Button>,
        );
      }
    }
    if (access.manage && m.state === 'replied') {
      out.push(
        <Button key="resolve" type="primary" onClick={() => setDialog({ kind: 'resolve' })}>
          {t('window.actions.resolve')}
        </Button>,
        <Button key="return" onClick={() => setDialog({ kind: 'return' })}>
          {t('window.actions.return')}
        </Button>,
      );
    }
    if (access.manage && (m.state === 'resolved' || m.state === 'closed')) {
      out.push(
        <Button
          key="reopen"
          danger={m.rating === 'dissatisfied'}
          onClick={() => setDialog({ kind: 'reopen' })}
        >
          {t('window.actions.reopen')}
        </Button>,
      );
    }
    if (
      access.manage &&
      access.ledger &&
      m.ledgerItemId === null &&
      !['filed', 'accepted', 'declined'].includes(m.state)
    ) {
      out.push(
        <Button key="ledger" onClick={() => setDialog({ kind: 'ledger' })}>
          {t('window.actions.ledger')}
        </Button>,
      );
    }
    return out;
  };

  return (
    <Drawer
      open
      size="large"
      onClose={onClose}
      title={m ? t('window.detail.title', { code: m.receiptCode }) : t('window.detail.loading')}
      extra={m && <MatterStateTag state={m.state} />}
    >
      {detail.isLoading && <Spin />}
      {detail.isError && <Alert type="error" showIcon title={errorText(detail.error)} />}
      {m && (
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <Card size="small" title={t('window.detail.reported')}>
            <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }} data-testid="matter-what">
              {m.what}
            </Typography.Paragraph>
            <Descriptions size="small" column={2}>
              <Descriptions.Item label={t('window.place')}>{m.place || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('window.named')}>{m.unitsNamed || '—'}</Descriptions.Item>
              <Descriptions.Item label={t('window.filer')}>{m.filerName}</Descriptions.Item>
              <Descriptions.Item label={t('window.phone')}>{m.filerPhone}</Descriptions.Item>
              <Descriptions.Item label={t('window.channel')}>
                {t(`window.channels.${m.channel}`)}
              </Descriptions.Item>
              <Descriptions.Item label={t('window.filedOn')}>{m.filedOn}</Descriptions.Item>
              <Descriptions.Item label={t('window.coordinator')}>
                {m.coordinatorName ?? '—'}
              </Descriptions.Item>
              <Descriptions.Item label={t('window.due')}>
                <DaysLeft days={m.workingDaysLeft} dueOn={m.dueOn} />
              </Descriptions.Item>
              {m.escalation > 0 && (
                <Descriptions.Item label={t('window.escalation')}>
                  <EscalationTag level={m.escalation} />
                </Descriptions.Item>
              )}
            </Descriptions>
            {m.repeats > 0 && (
              <Alert
                type="warning"
                showIcon
                title={t('window.detail.repeats', { n: m.repeats, unit: m.leadUnitName ?? '' })}
              />
            )}
          </Card>

          {actions(m).length > 0 && (
            <Card size="small" title={t('window.detail.next')}>
              <Space wrap>{actions(m)}</Space>
              {error && dialog === null && (
                <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />
              )}
            </Card>
          )}

          {m.assignments.length > 0 && (
            <Card size="small" title={t('window.detail.units')}>
              {m.assignments.map((a) => (
                <div key={a.unitId} style={{ marginBottom: 8 }} data-testid="assignment">
                  <Space>
                    <Typography.Text strong>{a.unitName}</Typography.Text>
                    <Tag color={a.lead ? 'blue' : 'default'}>
                      {a.lead ? t('window.lead') : t('window.assist')}
                    </Tag>
                    {a.respondedAt ? (
                      <Tag color="green">{t('window.detail.answered')}</Tag>
                    ) : (
                      <Tag color="orange">{t('window.detail.waiting')}</Tag>
                    )}
                  </Space>
                  {a.responseText && (
                    <Typography.Paragraph
                      type="secondary"
                      style={{ margin: '4px 0 0', whiteSpace: 'pre-wrap' }}
                    >
                      {a.responseText}
                    </Typography.Paragraph>
                  )}
                </div>
              ))}
            </Card>
          )}

          {(m.resolutionText || m.declinedReason || m.rating) && (
            <Card size="small" title={t('window.detail.result')}>
              {m.declinedReason && (
                <Typography.Paragraph>
                  {t('window.detail.declined', { reason: m.declinedReason })}
                </Typography.Paragraph>
              )}
              {m.resolutionText && (
                <Typography.Paragraph>
                  <Tag>{t(`window.outcomes.${m.outcome ?? 'solved'}`)}</Tag> {m.resolutionText}
                </Typography.Paragraph>
              )}
              {m.rating && (
                <Typography.Paragraph data-testid="matter-rating">
                  {t('window.detail.rating')}：
                  <Tag color={m.rating === 'dissatisfied' ? 'red' : 'green'}>
                    {t(`window.ratings.${m.rating}`)}
                  </Tag>
                  {m.ratingComment}
                </Typography.Paragraph>
              )}
            </Card>
          )}

          {m.ledgerItemId && (
            <Alert
              type="info"
              showIcon
              title={t('window.detail.onLedger')}
              action={<Link to={`/ledger/items/${m.ledgerItemId}`}>{t('window.detail.openLedger')}</Link>}
            />
          )}

          <Card size="small" title={t('window.detail.history')}>
            <Timeline
              items={m.events.map((e) => ({
                key: e.id,
                content: (
                  <>
                    <Typography.Text>
                      {t(`window.events.${e.type}`, { defaultValue: e.type })}
                    </Typography.Text>
                    {typeof e.payload.reason === 'string' && (
                      <Typography.Text type="secondary"> — {e.payload.reason}</Typography.Text>
                    )}
                    {typeof e.payload.text === 'string' && (
                      <Typography.Text type="secondary"> — {e.payload.text}</Typography.Text>
                    )}
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {formatTime(e.at)} · {e.actor}
                      </Typography.Text>
                    </div>
                  </>
                ),
              }))}
            />
          </Card>
        </Space>
      )}
      {m && dialog && (
        <StepDialog
          matter={m}
          dialog={dialog}
          busy={busy}
          error={error}
          onCancel={() => {
            setDialog(null);
            setError(null);
          }}
          run={run}
        />
      )}
    </Drawer>
  );
}

interface StepValues {
  reason?: string;
  text?: string;
  outcome?: MatterOutcome;
  unitIds?: string[];
  leadUnitId?: string;
  deadlineOn?: Dayjs;
  title?: string;
  responsibleName?: string;
}

function StepDialog({
  matter,
  dialog,
  busy,
  error,
  onCancel,
  run,
}: {
  matter: MatterDetail;
  dialog: Dialog;
  busy: boolean;
  error: string | null;
  onCancel: () => void;
  run: (work: () => Promise<MatterDetail>, done: string) => Promise<void>;
}) {
  const { t } = useTranslation();
  const units = useUnits();
  const [form] = Form.useForm<StepValues>();
  const chosen = Form.useWatch('unitIds', form) ?? [];
  const names = new Map((units.data ?? []).map((u) => [u.id, u.name]));
  const id = matter.id;
  const submit = (v: StepValues) => {
    switch (dialog.kind) {
      case 'decline':
        return run(() => windowApi.decline(id, v.reason ?? ''), t('window.done.decline'));
      case 'assign':
        return run(
          () =>
            windowApi.assign(id, {
              unitIds: v.unitIds ?? [],
              leadUnitId: v.leadUnitId ?? '',
              ...(v.deadlineOn ? { deadlineOn: v.deadlineOn.format('YYYY-MM-DD') } : {}),
            }),
          t('window.done.assign'),
        );
      case 'respond':
        return run(() => windowApi.respond(id, dialog.unitId, v.text ?? ''), t('window.done.respond'));
      case 'return':
        return run(() => windowApi.sendBack(id, v.reason ?? ''), t('window.done.return'));
      case 'resolve':
        return run(
          () => windowApi.resolve(id, v.outcome ?? 'solved', v.text ?? ''),
          t('window.done.resolve'),
        );
      case 'reopen':
        return run(() => windowApi.reopen(id, v.reason ?? ''), t('window.done.reopen'));
      case 'ledger':
        return run(
          () =>
            windowApi.toLedger(id, {
              ...(v.title ? { title: v.title } : {}),
              ...(v.responsibleName ? { responsibleName: v.responsibleName } : {}),
            }),
          t('window.done.ledger'),
        );
    }
  };
  const title =
    dialog.kind === 'respond'
      ? t('window.actions.respond', { unit: dialog.unitName })
      : t(`window.actions.${dialog.kind}`);
  return (
    <Modal
      open
      title={title}
      okText={t('window.dialog.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      onOk={() => form.submit()}
      onCancel={onCancel}
      destroyOnHidden
    >
      <Form<StepValues>
        form={form}
        layout="vertical"
        initialValues={{ outcome: 'solved', title: matter.what.slice(0, 60) }}
        onFinish={(v) => void submit(v)}
      >
        {(dialog.kind === 'decline' || dialog.kind === 'return' || dialog.kind === 'reopen') && (
          <Form.Item
            name="reason"
            label={t('window.dialog.reason')}
            rules={[{ required: true, whitespace: true, message: t('window.dialog.reasonRequired') }]}
          >
            <Input.TextArea rows={3} maxLength={1000} placeholder={t(`window.dialog.${dialog.kind}Hint`)} />
          </Form.Item>
        )}
        {dialog.kind === 'assign' && (
          <>
            <Form.Item
              name="unitIds"
              label={t('window.dialog.units')}
              rules={[{ required: true, message: t('window.dialog.unitsRequired') }]}
            >
              <MultiUnitPicker />
            </Form.Item>
            <Form.Item
              name="leadUnitId"
              label={t('window.dialog.lead')}
              rules={[{ required: true, message: t('window.dialog.leadRequired') }]}
            >
              <Select
                options={chosen.map((u) => ({ value: u, label: names.get(u) ?? u }))}
                placeholder={t('window.dialog.leadHint')}
              />
            </Form.Item>
            <Form.Item
              name="deadlineOn"
              label={t('window.dialog.deadline')}
              extra={t('window.dialog.deadlineHint')}
            >
              <DatePicker />
            </Form.Item>
          </>
        )}
        {(dialog.kind === 'respond' || dialog.kind === 'resolve') && (
          <>
            {dialog.kind === 'resolve' && (
              <Form.Item name="outcome" label={t('window.dialog.outcome')}>
                <Radio.Group
                  options={(['solved', 'explained'] as const).map((o) => ({
                    value: o,
                    label: t(`window.outcomes.${o}`),
                  }))}
                />
              </Form.Item>
            )}
            <Form.Item
              name="text"
              label={dialog.kind === 'resolve' ? t('window.dialog.resolution') : t('window.dialog.response')}
              rules={[{ required: true, whitespace: true, message: t('window.dialog.textRequired') }]}
            >
              <Input.TextArea rows={4} maxLength={4000} />
            </Form.Item>
          </>
        )}
        {dialog.kind === 'ledger' && (
          <>
            <Typography.Paragraph type="secondary">
              {t('window.dialog.ledgerIntro', { unit: matter.leadUnitName ?? '' })}
            </Typography.Paragraph>
            <Form.Item name="title" label={t('window.dialog.ledgerTitle')}>
              <Input maxLength={60} />
            </Form.Item>
            <Form.Item name="responsibleName" label={t('window.dialog.responsible')}>
              <Input maxLength={40} />
            </Form.Item>
          </>
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Modal>
  );
}

/** Several units from the registry tree: chosen one at a time, shown as removable tags. */
function MultiUnitPicker({ value, onChange }: { value?: string[]; onChange?: (v: string[]) => void }) {
  const { t } = useTranslation();
  const units = useUnits();
  const names = new Map((units.data ?? []).map((u) => [u.id, u.name]));
  const chosen = value ?? [];
  // The picker shows the unit last added; every chosen unit is a tag below it.
  const [last, setLast] = useState<string | null>(null);
  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <UnitTreeSelect
        id="window-assign-unit"
        units={units.data ?? []}
        value={last}
        placeholder={t('window.dialog.addUnit')}
        onChange={(u) => {
          setLast(u);
          if (u && !chosen.includes(u)) onChange?.([...chosen, u]);
        }}
        style={{ width: '100%' }}
      />
      <Space wrap>
        {chosen.map((u) => (
          <Tag key={u} closable onClose={() => onChange?.(chosen.filter((x) => x !== u))}>
            {names.get(u) ?? u}
          </Tag>
        ))}
      </Space>
    </Space>
  );
}
