import { CheckCircleFilled, ClockCircleOutlined, PhoneOutlined } from '@ant-design/icons';
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
  Steps,
  Tag,
  Timeline,
  Typography,
  type FormInstance,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { useAccount } from '../../session';
import { formatTime, showFieldError } from '../../util';
import { DaysLeft, LevelTag } from '../ratings/shared';
import {
  APPEAL_REASONS,
  CALLBACK_METHODS,
  casesApi,
  type AppealReason,
  type CallbackMethod,
  type CaseDetail,
  type CaseEvent,
} from './api';
import { EscalationTag, StateTag, unitHolds } from './tags';

type T = ReturnType<typeof useTranslation>['t'];

const STEP_OF: Record<CaseDetail['state'], number> = {
  verifying: 0,
  appealed: 0,
  rectifying: 1,
  awaiting_judgement: 3,
  closed: 4,
  dismissed: 4,
};

/** One case: what was said, who holds it and until when, what may be done now, and everything done so far. */
export function CaseDrawer({ caseId, onClose }: { caseId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: ['case', caseId], queryFn: () => casesApi.get(caseId) });
  const c = detail.data;

  const updated = async (next: CaseDetail) => {
    client.setQueryData(['case', caseId], next);
    await client.invalidateQueries({ queryKey: ['cases'] });
    await client.invalidateQueries({ queryKey: ['warnings'] });
  };

  return (
    <Drawer
      open
      size={760}
      onClose={onClose}
      destroyOnHidden
      title={
        c ? (
          <Space>
            <span data-testid="case-reference">{c.reference}</span>
            <StateTag state={c.state} />
            {c.escalation > 0 && <EscalationTag level={c.escalation} />}
          </Space>
        ) : (
          t('caseDetail.title')
        )
      }
    >
      {detail.isPending && (
        <div style={{ textAlign: 'center', padding: 48 }}>
          <Spin />
        </div>
      )}
      {detail.isError && <Alert type="error" showIcon title={errorText(detail.error)} />}
      {c && <CaseBody c={c} onUpdated={updated} />}
    </Drawer>
  );
}

function CaseBody({ c, onUpdated }: { c: CaseDetail; onUpdated: (next: CaseDetail) => Promise<void> }) {
  const { t } = useTranslation();
  const step = STEP_OF[c.state];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Steps
        size="small"
        current={step}
        status={c.state === 'dismissed' ? 'error' : c.state === 'closed' ? 'finish' : 'process'}
        items={[
          { title: c.state === 'appealed' ? t('caseDetail.stepAppeal') : t('caseDetail.stepVerify') },
          { title: t('caseDetail.stepRectify') },
          { title: t('caseDetail.stepReply') },
          { title: t('caseDetail.stepJudge') },
          { title: c.state === 'dismissed' ? t('caseStates.dismissed') : t('caseDetail.stepClosed') },
        ]}
      />
      {c.overdue && unitHolds(c.state) && (
        <Alert type="error" showIcon title={t('caseDetail.overdue', { date: c.dueOn ?? '' })} />
      )}
      <Descriptions
        size="small"
        bordered
        column={2}
        items={[
          { key: 'unit', label: t('cases.unit'), children: c.unitName },
          {
            key: 'responsible',
            label: t('cases.responsible'),
            children: `${c.responsibleUnitName}${c.responsibleName ? ` · ${c.responsibleName}` : ''}`,
          },
          { key: 'day', label: t('caseDetail.ratingDay'), children: c.ratingDay },
          {
            key: 'channel',
            label: t('caseDetail.channel'),
            children: t(`channels.${c.channel}`, { defaultValue: c.channel }),
          },
          {
            key: 'due',
            label: c.state === 'verifying' ? t('caseDetail.verifyDue') : t('caseDetail.rectifyDue'),
            children: unitHolds(c.state) ? <DaysLeft days={c.workingDaysLeft} dueOn={c.dueOn} /> : '—',
          },
          {
            key: 'rater',
            label: t('caseDetail.rater'),
            children: c.rater ? (
              <span data-testid="rater-contact">
                <PhoneOutlined /> {c.rater.name} {c.rater.phone}
              </span>
            ) : c.named ? (
              t('caseDetail.raterHidden')
            ) : (
              t('caseDetail.anonymous')
            ),
          },
          ...(c.reopenCount > 0
            ? [{ key: 'reopen', label: t('caseDetail.reopenCount'), children: String(c.reopenCount) }]
            : []),
          ...(c.judgeDueOn && c.state === 'awaiting_judgement'
            ? [{ key: 'judgeDue', label: t('caseDetail.judgeDue'), children: c.judgeDueOn }]
            : []),
          ...(c.judgement
            ? [
                {
                  key: 'judgement',
                  label: t('caseDetail.judgement'),
                  children: `${t(`judgements.${c.judgement}`)}${c.judgementComment ? `：${c.judgementComment}` : ''}`,
                },
              ]
            : []),
        ]}
      />

      <Card size="small" title={t('caseDetail.review')}>
        <Space wrap size={[4, 4]} style={{ marginBottom: c.comment ? 8 : 0 }}>
          <LevelTag level={c.level} />
          {c.tags.map((tag) => (
            <Tag key={tag}>{tag}</Tag>
          ))}
        </Space>
        {c.comment ? (
          <p className="mp-case-text" data-testid="case-comment">
            {c.comment}
          </p>
        ) : (
          <Typography.Text type="secondary">{t('caseDetail.noComment')}</Typography.Text>
        )}
      </Card>

      {c.appealReason && (
        <Card size="small" title={t('caseDetail.appeal')}>
          <Descriptions
            size="small"
            column={1}
            items={[
              {
                key: 'reason',
                label: t('caseDetail.appealReason'),
                children: t(`appealReasons.${c.appealReason}`),
              },
              {
                key: 'text',
                label: t('caseDetail.appealText'),
                children: <p className="mp-case-text">{c.appealText}</p>,
              },
              ...(c.appealEvidence.length > 0
                ? [
                    {
                      key: 'evidence',
                      label: t('caseDetail.evidence'),
                      children: (
                        <ul style={{ margin: 0, paddingInlineStart: 18 }}>
                          {c.appealEvidence.map((e) => (
                            <li key={e}>{e}</li>
                          ))}
                        </ul>
                      ),
                    },
                  ]
                : []),
              ...(c.appealDecision
                ? [
                    {
                      key: 'decision',
                      label: t('caseDetail.appealDecision'),
                      children: `${t(`caseDetail.decision_${c.appealDecision}`)}${c.appealNote ? `：${c.appealNote}` : ''}`,
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      )}

      <Actions c={c} onUpdated={onUpdated} />

      {(c.rectificationText || c.replyText) && (
        <Card size="small" title={t('caseDetail.answers')}>
          <Descriptions
            size="small"
            column={1}
            items={[
              ...(c.rectificationText
                ? [
                    {
                      key: 'rect',
                      label: t('caseDetail.rectification'),
                      children: <p className="mp-case-text">{c.rectificationText}</p>,
                    },
                  ]
                : []),
              ...(c.replyText
                ? [
                    {
                      key: 'reply',
                      label: t('caseDetail.reply'),
                      children: (
                        <div>
                          <p className="mp-case-text">{c.replyText}</p>
                          {c.repliedAt && (
                            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                              {formatTime(c.repliedAt)}
                            </Typography.Text>
                          )}
                        </div>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      )}

      {c.warnings.length > 0 && (
        <Card size="small" title={t('caseDetail.warnings')}>
          <Space orientation="vertical" size={4}>
            {c.warnings.map((w) => (
              <span key={`${w.level}-${w.issuedOn}-${w.dueOn}`}>
                <EscalationTag level={w.level} />{' '}
                {t('caseDetail.warningLine', { issued: w.issuedOn, due: w.dueOn })}
              </span>
            ))}
          </Space>
        </Card>
      )}

      <Card size="small" title={t('caseDetail.timeline')}>
        <Timeline
          items={c.events.map((e) => ({
            key: e.id,
            color: eventColor(e.type),
            content: <EventLine event={e} responsible={c.responsibleUnitName} />,
          }))}
        />
      </Card>
    </Space>
  );
}

function eventColor(type: string): string {
  if (type === 'warning' || type === 'appeal_upheld' || type === 'rating_removed') return 'red';
  if (type === 'reopened' || type === 'due_changed') return 'orange';
  if (type === 'judged' || type === 'closed_unjudged') return 'green';
  return 'blue';
}

function EventLine({ event, responsible }: { event: CaseEvent; responsible: string }) {
  const { t } = useTranslation();
  return (
    <div data-testid="case-event">
      <div>
        <Typography.Text strong>
          {t(`caseEvents.${event.type}`, { defaultValue: event.type })}
        </Typography.Text>
        <Typography.Text type="secondary" style={{ fontSize: 12, marginInlineStart: 8 }}>
          {formatTime(event.at)} · {actorName(event.actor, t)}
        </Typography.Text>
      </div>
      {eventDetails(event, t, responsible)}
    </div>
  );
}

function actorName(actor: string, t: T): string {
  if (actor.startsWith('system:')) return t(`caseDetail.actors.${actor.slice(7)}`, { defaultValue: actor });
  return actor;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');

/** The few facts of an event worth reading, in words rather than JSON. */
function eventDetails(e: CaseEvent, t: T, responsible: string): ReactNode {
  const p = e.payload;
  const lines: string[] = [];
  switch (e.type) {
    case 'opened':
      // A unit that names no responsible person holds the case itself.
      lines.push(
        t('caseDetail.ev.opened', { name: str(p.responsibleName) || responsible, due: str(p.dueOn) || '—' }),
      );
      if (p.named === true) lines.push(t('caseDetail.ev.named'));
      break;
    case 'verified':
      if (str(p.dueOn)) lines.push(t('caseDetail.ev.rectifyDue', { due: str(p.dueOn) }));
      if (str(p.note)) lines.push(str(p.note));
      break;
    case 'appealed':
      lines.push(`${t(`appealReasons.${str(p.reason)}`, { defaultValue: str(p.reason) })}：${str(p.text)}`);
      break;
    case 'appeal_upheld':
    case 'appeal_rejected':
      if (str(p.note)) lines.push(str(p.note));
      if (str(p.dueOn)) lines.push(t('caseDetail.ev.rectifyDue', { due: str(p.dueOn) }));
      break;
    case 'called_back':
      lines.push(
        `${formatTime(str(p.at))} ${t(`callbackMethods.${str(p.method)}`, { defaultValue: str(p.methodName) })}：${str(p.summary)}`,
      );
      break;
    case 'rectification':
    case 'replied':
      lines.push(str(p.text));
      if (e.type === 'replied' && p.judgementLinkSent === true) lines.push(t('caseDetail.ev.linkSent'));
      break;
    case 'judged':
      lines.push(t(`judgements.${str(p.judgement)}`, { defaultValue: str(p.judgementName) }));
      if (str(p.comment)) lines.push(str(p.comment));
      break;
    case 'reopened':
      lines.push(t('caseDetail.ev.rectifyDue', { due: str(p.dueOn) }));
      break;
    case 'warning':
      lines.push(t('caseDetail.ev.warning', { name: str(p.name), due: str(p.dueOn) }));
      break;
    case 'due_changed':
      lines.push(t('caseDetail.ev.dueChanged', { from: str(p.from) || '—', to: str(p.to) || '—' }));
      break;
    case 'rating_removed':
      if (str(p.reason)) lines.push(str(p.reason));
      break;
    default:
      break;
  }
  if (lines.length === 0) return null;
  return (
    <div style={{ color: 'rgba(0,0,0,0.65)', whiteSpace: 'pre-wrap' }}>
      {lines.map((line, i) => (
        <div key={i}>{line}</div>
      ))}
    </div>
  );
}

/** What may be done now, by whom: the unit verifies or appeals, calls back, rectifies, replies; the office decides appeals. */
function Actions({ c, onUpdated }: { c: CaseDetail; onUpdated: (next: CaseDetail) => Promise<void> }) {
  const { t } = useTranslation();
  const { can } = useAccount();
  const [dialog, setDialog] = useState<'verify' | 'appeal' | 'uphold' | 'reject' | null>(null);

  if (c.state === 'verifying' && can('cases:handle')) {
    return (
      <Card size="small" title={t('caseDetail.actions')} className="mp-case-actions">
        <Typography.Paragraph>{t('caseDetail.verifyIntro')}</Typography.Paragraph>
        <Space>
          <Button type="primary" onClick={() => setDialog('verify')}>
            {t('caseDetail.verify')}
          </Button>
          <Button onClick={() => setDialog('appeal')}>{t('caseDetail.appealAction')}</Button>
        </Space>
        {dialog === 'verify' && <VerifyModal c={c} onClose={() => setDialog(null)} onUpdated={onUpdated} />}
        {dialog === 'appeal' && <AppealModal c={c} onClose={() => setDialog(null)} onUpdated={onUpdated} />}
      </Card>
    );
  }
  if (c.state === 'appealed') {
    return (
      <Card size="small" title={t('caseDetail.actions')}>
        {can('cases:decide') ? (
          <>
            <Typography.Paragraph>{t('caseDetail.decideIntro')}</Typography.Paragraph>
            <Space>
              <Button danger onClick={() => setDialog('uphold')}>
                {t('caseDetail.uphold')}
              </Button>
              <Button type="primary" onClick={() => setDialog('reject')}>
                {t('caseDetail.reject')}
              </Button>
            </Space>
            {(dialog === 'uphold' || dialog === 'reject') && (
              <DecideModal
                c={c}
                upheld={dialog === 'uphold'}
                onClose={() => setDialog(null)}
                onUpdated={onUpdated}
              />
            )}
          </>
        ) : (
          <Alert type="info" showIcon title={t('caseDetail.waitingOffice')} />
        )}
      </Card>
    );
  }
  if (c.state === 'rectifying' && can('cases:handle')) return <RectifyPanel c={c} onUpdated={onUpdated} />;
  if (c.state === 'awaiting_judgement') {
    return (
      <Alert
        type="info"
        showIcon
        icon={<ClockCircleOutlined />}
        title={
          c.named
            ? t('caseDetail.awaitingNamed', { date: c.judgeDueOn ?? '' })
            : t('caseDetail.awaitingAnonymous', { date: c.judgeDueOn ?? '' })
        }
      />
    );
  }
  return null;
}

/** Runs an action; shows a refusal next to the field it names, else as a message. */
function useAction(onUpdated: (next: CaseDetail) => Promise<void>) {
  const { message } = App.useApp();
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async <V,>(
    work: () => Promise<CaseDetail>,
    done: string,
    form?: { instance: FormInstance<V>; fields: string[] },
  ): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await onUpdated(await work());
      void message.success(done);
      return true;
    } catch (e) {
      if (!form || !showFieldError(form.instance, e, form.fields)) setError(errorText(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, t };
}

function VerifyModal({
  c,
  onClose,
  onUpdated,
}: {
  c: CaseDetail;
  onClose: () => void;
  onUpdated: (next: CaseDetail) => Promise<void>;
}) {
  const { busy, error, run, t } = useAction(onUpdated);
  const [form] = Form.useForm<{ note?: string }>();
  return (
    <Modal
      open
      title={t('caseDetail.verifyTitle')}
      okText={t('caseDetail.verify')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => {
        const note = (form.getFieldValue('note') as string | undefined)?.trim();
        void run(() => casesApi.verify(c.id, note || undefined), t('caseDetail.verified')).then(
          (ok) => ok && onClose(),
        );
      }}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('caseDetail.verifyText')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="caseVerify">
        <Form.Item name="note" label={t('caseDetail.note')}>
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface AppealValues {
  reason: AppealReason;
  text: string;
  evidence?: string;
}

function AppealModal({
  c,
  onClose,
  onUpdated,
}: {
  c: CaseDetail;
  onClose: () => void;
  onUpdated: (next: CaseDetail) => Promise<void>;
}) {
  const { busy, error, run, t } = useAction(onUpdated);
  const [form] = Form.useForm<AppealValues>();
  const submit = async () => {
    let v: AppealValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const evidence = (v.evidence ?? '')
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const ok = await run(
      () =>
        casesApi.appeal(c.id, {
          reason: v.reason,
          text: v.text.trim(),
          ...(evidence.length ? { evidence } : {}),
        }),
      t('caseDetail.appealed'),
      { instance: form, fields: ['reason', 'text', 'evidence'] },
    );
    if (ok) onClose();
  };
  return (
    <Modal
      open
      title={t('caseDetail.appealTitle')}
      okText={t('caseDetail.appealSubmit')}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => void submit()}
      destroyOnHidden
    >
      <Typography.Paragraph>{t('caseDetail.appealIntro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<AppealValues>
        form={form}
        layout="vertical"
        name="caseAppeal"
        initialValues={{ reason: 'mistaken' }}
      >
        <Form.Item name="reason" label={t('caseDetail.appealReason')} rules={[{ required: true }]}>
          <Radio.Group
            options={APPEAL_REASONS.map((r) => ({
              value: r,
              label: `${t(`appealReasons.${r}`)}：${t(`appealReasonHelp.${r}`)}`,
            }))}
            style={{ display: 'flex', flexDirection: 'column', gap: 4 }}
          />
        </Form.Item>
        <Form.Item
          name="text"
          label={t('caseDetail.appealText')}
          rules={[{ required: true, whitespace: true, message: t('caseDetail.textRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={2000} showCount />
        </Form.Item>
        <Form.Item name="evidence" label={t('caseDetail.evidence')} extra={t('caseDetail.evidenceHelp')}>
          <Input.TextArea rows={3} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function DecideModal({
  c,
  upheld,
  onClose,
  onUpdated,
}: {
  c: CaseDetail;
  upheld: boolean;
  onClose: () => void;
  onUpdated: (next: CaseDetail) => Promise<void>;
}) {
  const { busy, error, run, t } = useAction(onUpdated);
  const [form] = Form.useForm<{ note: string }>();
  const submit = async () => {
    let v: { note: string };
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    const ok = await run(
      () => casesApi.decideAppeal(c.id, upheld, v.note.trim()),
      upheld ? t('caseDetail.upheldDone') : t('caseDetail.rejectedDone'),
      { instance: form, fields: ['note'] },
    );
    if (ok) onClose();
  };
  return (
    <Modal
      open
      title={upheld ? t('caseDetail.uphold') : t('caseDetail.reject')}
      okText={upheld ? t('caseDetail.uphold') : t('caseDetail.reject')}
      okButtonProps={{ danger: upheld }}
      confirmLoading={busy}
      onCancel={onClose}
      onOk={() => void submit()}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {upheld ? t('caseDetail.upholdText') : t('caseDetail.rejectText')}
      </Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="caseDecide">
        <Form.Item
          name="note"
          label={t('caseDetail.decisionNote')}
          rules={[{ required: true, whitespace: true, message: t('caseDetail.textRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

interface CallbackValues {
  at: Dayjs;
  method: CallbackMethod;
  summary: string;
}

/** 整改中: call-back (named reviews), rectification, then the reply, each checked off in order. */
function RectifyPanel({ c, onUpdated }: { c: CaseDetail; onUpdated: (next: CaseDetail) => Promise<void> }) {
  const { t } = useTranslation();
  const callback = useAction(onUpdated);
  const rectify = useAction(onUpdated);
  const reply = useAction(onUpdated);
  const [callbackForm] = Form.useForm<CallbackValues>();
  const [rectForm] = Form.useForm<{ text: string }>();
  const [replyForm] = Form.useForm<{ text: string }>();
  const [editRect, setEditRect] = useState(false);
  const needsCallback = c.named && !c.calledBack;
  const [askedCallback, setCallbackOpen] = useState(false);
  const callbackOpen = needsCallback || askedCallback;
  const canReply = c.rectified && !needsCallback;

  const done = (ok: boolean) =>
    ok ? (
      <CheckCircleFilled style={{ color: '#52c41a' }} />
    ) : (
      <ClockCircleOutlined style={{ color: '#faad14' }} />
    );

  const submitCallback = async () => {
    let v: CallbackValues;
    try {
      v = await callbackForm.validateFields();
    } catch {
      return;
    }
    const ok = await callback.run(
      () => casesApi.callback(c.id, { at: v.at.toISOString(), method: v.method, summary: v.summary.trim() }),
      t('caseDetail.calledBack'),
      { instance: callbackForm, fields: ['at', 'method', 'summary'] },
    );
    if (ok) {
      callbackForm.resetFields();
      setCallbackOpen(false);
    }
  };
  const submitRect = async () => {
    let v: { text: string };
    try {
      v = await rectForm.validateFields();
    } catch {
      return;
    }
    const ok = await rectify.run(
      () => casesApi.rectification(c.id, v.text.trim()),
      t('caseDetail.rectified'),
      {
        instance: rectForm,
        fields: ['text'],
      },
    );
    if (ok) setEditRect(false);
  };
  const submitReply = async () => {
    let v: { text: string };
    try {
      v = await replyForm.validateFields();
    } catch {
      return;
    }
    await reply.run(() => casesApi.reply(c.id, v.text.trim()), t('caseDetail.replied'), {
      instance: replyForm,
      fields: ['text'],
    });
  };

  return (
    <Card size="small" title={t('caseDetail.actions')} className="mp-case-actions">
      <Space orientation="vertical" size={16} style={{ width: '100%' }}>
        <section aria-label={t('caseDetail.callbackTitle')}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {done(c.calledBack)} 1. {t('caseDetail.callbackTitle')}{' '}
            <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 400 }}>
              {c.named ? t('caseDetail.callbackRequired') : t('caseDetail.callbackOptional')}
            </Typography.Text>
          </Typography.Title>
          {c.rater && (
            <Typography.Paragraph>
              <PhoneOutlined /> {t('caseDetail.callTo', { name: c.rater.name, phone: c.rater.phone })}
            </Typography.Paragraph>
          )}
          {c.calledBack && (
            <Typography.Paragraph type="success">{t('caseDetail.calledBackDone')}</Typography.Paragraph>
          )}
          {callback.error && (
            <Alert type="error" showIcon title={callback.error} style={{ marginBottom: 8 }} />
          )}
          {!callbackOpen && (
            // Optional here (anonymous, or already called back): the form only when asked for.
            <Button size="small" onClick={() => setCallbackOpen(true)}>
              {c.calledBack ? t('caseDetail.callbackAgain') : t('caseDetail.callbackAnyway')}
            </Button>
          )}
          {callbackOpen && (
            <Form<CallbackValues>
              form={callbackForm}
              name="caseCallback"
              layout="inline"
              initialValues={{ at: dayjs(), method: 'phone' }}
              style={{ rowGap: 8 }}
            >
              <Form.Item name="at" label={t('caseDetail.callbackAt')} rules={[{ required: true }]}>
                <DatePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  disabledDate={(d) => d.isAfter(dayjs(), 'day')}
                  style={{ width: 180 }}
                />
              </Form.Item>
              <Form.Item name="method" label={t('caseDetail.callbackMethod')} rules={[{ required: true }]}>
                <Select
                  style={{ width: 130 }}
                  options={CALLBACK_METHODS.map((m) => ({ value: m, label: t(`callbackMethods.${m}`) }))}
                />
              </Form.Item>
              <Form.Item
                name="summary"
                label={t('caseDetail.callbackSummary')}
                rules={[{ required: true, whitespace: true, message: t('caseDetail.textRequired') }]}
                style={{ flex: '1 1 100%', marginTop: 8 }}
              >
                <Input.TextArea rows={2} maxLength={2000} placeholder={t('caseDetail.callbackPlaceholder')} />
              </Form.Item>
              <Form.Item style={{ marginTop: 8 }}>
                <Button loading={callback.busy} onClick={() => void submitCallback()}>
                  {t('caseDetail.callbackSubmit')}
                </Button>
              </Form.Item>
            </Form>
          )}
        </section>

        <section aria-label={t('caseDetail.rectTitle')}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {done(c.rectified)} 2. {t('caseDetail.rectTitle')}
          </Typography.Title>
          {c.rectified && !editRect ? (
            <Space orientation="vertical" style={{ width: '100%' }}>
              <p className="mp-case-text">{c.rectificationText}</p>
              <Button
                size="small"
                onClick={() => {
                  rectForm.setFieldsValue({ text: c.rectificationText ?? '' });
                  setEditRect(true);
                }}
              >
                {t('caseDetail.rectAgain')}
              </Button>
            </Space>
          ) : (
            <>
              {rectify.error && (
                <Alert type="error" showIcon title={rectify.error} style={{ marginBottom: 8 }} />
              )}
              <Form form={rectForm} name="caseRectification" layout="vertical">
                <Form.Item
                  name="text"
                  label={t('caseDetail.rectText')}
                  extra={t('caseDetail.rectHelp')}
                  rules={[{ required: true, whitespace: true, message: t('caseDetail.textRequired') }]}
                >
                  <Input.TextArea rows={3} maxLength={4000} showCount />
                </Form.Item>
                <Button loading={rectify.busy} onClick={() => void submitRect()}>
                  {t('caseDetail.rectSubmit')}
                </Button>
              </Form>
            </>
          )}
        </section>

        <section aria-label={t('caseDetail.replyTitle')}>
          <Typography.Title level={5} style={{ marginTop: 0 }}>
            {done(false)} 3. {t('caseDetail.replyTitle')}
          </Typography.Title>
          {!canReply && (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 8 }}
              title={needsCallback ? t('caseDetail.replyNeedsCallback') : t('caseDetail.replyNeedsRect')}
            />
          )}
          {reply.error && <Alert type="error" showIcon title={reply.error} style={{ marginBottom: 8 }} />}
          <Form form={replyForm} name="caseReply" layout="vertical" disabled={!canReply}>
            <Form.Item
              name="text"
              label={t('caseDetail.replyText')}
              extra={c.named ? t('caseDetail.replyHelpNamed') : t('caseDetail.replyHelp')}
              rules={[{ required: true, whitespace: true, message: t('caseDetail.textRequired') }]}
            >
              <Input.TextArea rows={3} maxLength={4000} showCount />
            </Form.Item>
            <Button type="primary" loading={reply.busy} onClick={() => void submitReply()}>
              {t('caseDetail.replySubmit')}
            </Button>
          </Form>
        </section>
      </Space>
    </Card>
  );
}
