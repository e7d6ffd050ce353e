import { FilePdfOutlined, PaperClipOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  Form,
  Image,
  Input,
  Modal,
  Space,
  Spin,
  Steps,
  Tag,
  Timeline,
  Typography,
  Upload,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { formatTime } from '../../util';
import { EscalationTag } from '../cases/tags';
import { DaysLeft } from '../ratings/shared';
import { ledgerApi, type AttachmentView, type ItemDetail, type ReviewStage } from './api';
import { FollowUpModal } from './FollowUpModal';
import { useLedgerAccess } from './menu';
import { ItemStateTag, unitHolds } from './shared';

const STEP_OF: Record<ItemDetail['state'], number> = {
  planning: 0,
  plan_review: 1,
  executing: 2,
  progress_review: 3,
  finishing: 4,
  result_review: 5,
  closed: 6,
};

const REVIEW_OF: Partial<Record<ItemDetail['state'], ReviewStage>> = {
  plan_review: 'plan',
  progress_review: 'progress',
  result_review: 'result',
};

/** One ledger item: who holds it and until when, what may be done now, the evidence, reviews and visits. */
export function ItemDrawer({ itemId, onClose }: { itemId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const detail = useQuery({ queryKey: ['ledger-item', itemId], queryFn: () => ledgerApi.item(itemId) });
  const item = detail.data;

  const updated = async (next?: ItemDetail) => {
    if (next) client.setQueryData(['ledger-item', itemId], next);
    else await client.invalidateQueries({ queryKey: ['ledger-item', itemId] });
    await client.invalidateQueries({ queryKey: ['ledger-items'] });
    await client.invalidateQueries({ queryKey: ['ledger-follow-ups'] });
  };

  return (
    <Drawer
      open
      size={820}
      onClose={onClose}
      destroyOnHidden
      title={
        item ? (
          <Space>
            <span data-testid="item-reference">{item.reference}</span>
            <ItemStateTag state={item.state} />
            {item.escalation > 0 && <EscalationTag level={item.escalation} />}
          </Space>
        ) : (
          t('ledger.item.title')
        )
      }
    >
      {detail.isPending && (
        <div style={{ textAlign: 'center', padding: 48 }}>
          <Spin />
        </div>
      )}
      {detail.isError && <Alert type="error" showIcon title={errorText(detail.error)} />}
      {item && <ItemBody item={item} onUpdated={updated} />}
    </Drawer>
  );
}

function ItemBody({
  item,
  onUpdated,
}: {
  item: ItemDetail;
  onUpdated: (next?: ItemDetail) => Promise<void>;
}) {
  const { t } = useTranslation();
  const access = useLedgerAccess();
  const [recording, setRecording] = useState(false);
  const review = REVIEW_OF[item.state];
  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Steps
        size="small"
        current={STEP_OF[item.state]}
        status={item.state === 'closed' ? 'finish' : 'process'}
        items={[
          { title: t('ledger.steps.plan') },
          { title: t('ledger.steps.planReview') },
          { title: t('ledger.steps.execute') },
          { title: t('ledger.steps.progressReview') },
          { title: t('ledger.steps.finish') },
          { title: t('ledger.steps.resultReview') },
          { title: t('ledger.steps.closed') },
        ]}
      />
      {item.overdue && unitHolds(item.state) ? (
        <Alert type="error" showIcon title={t('ledger.item.overdue', { date: item.dueOn ?? '' })} />
      ) : (
        <Alert
          type={item.state === 'closed' ? 'success' : 'info'}
          showIcon
          data-testid="item-waiting"
          title={t(`ledger.waiting.${item.state}`)}
          description={
            unitHolds(item.state) && item.dueOn ? t('ledger.item.dueBy', { date: item.dueOn }) : undefined
          }
        />
      )}
      <Descriptions
        size="small"
        bordered
        column={2}
        items={[
          {
            key: 'title',
            label: t('ledger.items.problem'),
            span: 2,
            children: <strong>{item.title}</strong>,
          },
          { key: 'unit', label: t('ledger.items.unit'), children: item.unitName },
          { key: 'responsible', label: t('ledger.items.responsible'), children: item.responsibleName || '—' },
          { key: 'origin', label: t('ledger.item.origin'), children: t(`ledger.origins.${item.origin}`) },
          { key: 'opened', label: t('ledger.item.opened'), children: item.openedOn },
          { key: 'deadline', label: t('ledger.item.deadline'), children: item.deadlineOn },
          {
            key: 'due',
            label: t('ledger.item.currentDue'),
            children: unitHolds(item.state) ? (
              <DaysLeft days={item.workingDaysLeft} dueOn={item.dueOn} />
            ) : (
              '—'
            ),
          },
          ...(item.reopenCount > 0
            ? [{ key: 'reopen', label: t('ledger.item.reopenCount'), children: String(item.reopenCount) }]
            : []),
          ...(item.closedAt
            ? [{ key: 'closed', label: t('ledger.item.closedAt'), children: formatTime(item.closedAt) }]
            : []),
        ]}
      />

      {item.state === 'planning' && <PlanForm item={item} onUpdated={onUpdated} />}
      {item.state === 'executing' && (
        <TextStep item={item} kind="progress" onUpdated={onUpdated} initial={item.progressText} />
      )}
      {item.state === 'finishing' && (
        <>
          {/* Evidence first: the result cannot be reported without it. */}
          <EvidenceCard item={item} onUpdated={onUpdated} />
          <TextStep item={item} kind="result" onUpdated={onUpdated} initial={item.resultText} />
        </>
      )}
      {review && access.manage && <ReviewCard item={item} stage={review} onUpdated={onUpdated} />}

      {(item.target || item.measures) && (
        <Card size="small" title={t('ledger.item.plan')}>
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'target', label: t('ledger.item.target'), children: <Text text={item.target} /> },
              { key: 'measures', label: t('ledger.item.measures'), children: <Text text={item.measures} /> },
              ...(item.progressText
                ? [
                    {
                      key: 'progress',
                      label: t('ledger.item.progress'),
                      children: <Text text={item.progressText} />,
                    },
                  ]
                : []),
              ...(item.resultText
                ? [
                    {
                      key: 'result',
                      label: t('ledger.item.result'),
                      children: <Text text={item.resultText} />,
                    },
                  ]
                : []),
            ]}
          />
        </Card>
      )}

      {item.state !== 'finishing' && <EvidenceCard item={item} onUpdated={onUpdated} />}

      <Card size="small" title={t('ledger.item.reviews')}>
        {item.reviews.length === 0 ? (
          <Typography.Text type="secondary">{t('ledger.item.noReviews')}</Typography.Text>
        ) : (
          <Timeline
            items={item.reviews.map((r) => ({
              color: r.decision === 'approved' ? 'green' : 'red',
              content: (
                <div data-testid="review-entry">
                  <Space size={6}>
                    <strong>{t(`ledger.reviewStages.${r.stage}`)}</strong>
                    <Tag color={r.decision === 'approved' ? 'green' : 'red'}>
                      {t(`ledger.decisions.${r.decision}`)}
                    </Tag>
                  </Space>
                  {r.reason && <div className="mp-case-text">{r.reason}</div>}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {r.reviewedBy} · {formatTime(r.reviewedAt)}
                  </Typography.Text>
                </div>
              ),
            }))}
          />
        )}
      </Card>

      <Card
        size="small"
        title={t('ledger.item.followUps')}
        extra={
          access.manage && (
            <Button size="small" icon={<PlusOutlined />} onClick={() => setRecording(true)}>
              {t('ledger.followUps.record')}
            </Button>
          )
        }
      >
        {item.followUps.length === 0 ? (
          <Typography.Text type="secondary">{t('ledger.item.noFollowUps')}</Typography.Text>
        ) : (
          item.followUps.map((f) => (
            <div key={f.id} className="mp-ledger-followup">
              <Space size={6} wrap>
                <Tag color={f.kind === 'covert' ? 'purple' : 'blue'}>
                  {t(`ledger.followUpKinds.${f.kind}`)}
                </Tag>
                <span>{t(`ledger.followUpMethods.${f.method}`)}</span>
                <Typography.Text type="secondary">
                  {f.date} · {f.inspector}
                </Typography.Text>
                {f.problemBack && <Tag color="red">{t('ledger.followUps.problemBack')}</Tag>}
              </Space>
              <div className="mp-case-text">{f.findings}</div>
              <Thumbnails files={f.attachments} />
            </div>
          ))
        )}
      </Card>

      {item.warnings.length > 0 && (
        <Card size="small" title={t('ledger.item.warnings')}>
          {item.warnings.map((w) => (
            <div key={`${w.level}-${w.dueOn}`}>
              <EscalationTag level={w.level} />{' '}
              {t('ledger.item.warningLine', { issued: w.issuedOn, due: w.dueOn })}
            </div>
          ))}
        </Card>
      )}

      <Card size="small" title={t('ledger.item.events')}>
        <Timeline
          items={item.events.map((e) => ({
            content: (
              <div>
                <span>{t(`ledger.events.${e.type}`, { defaultValue: e.type })}</span>
                {typeof e.payload.reason === 'string' && e.payload.reason && (
                  <span>：{e.payload.reason}</span>
                )}
                {typeof e.payload.filename === 'string' && <span>：{e.payload.filename}</span>}
                <div>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {e.actor} · {formatTime(e.at)}
                  </Typography.Text>
                </div>
              </div>
            ),
          }))}
        />
      </Card>
      {recording && (
        <FollowUpModal
          item={item}
          onClose={() => setRecording(false)}
          onSaved={async () => {
            setRecording(false);
            await onUpdated();
          }}
        />
      )}
    </Space>
  );
}

function Text({ text }: { text: string }) {
  return text ? (
    <div className="mp-case-text">{text}</div>
  ) : (
    <Typography.Text type="secondary">—</Typography.Text>
  );
}

/** The unit writes target and measures and submits the plan for the office's 整改计划审核. */
function PlanForm({
  item,
  onUpdated,
}: {
  item: ItemDetail;
  onUpdated: (next?: ItemDetail) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ target: string; measures: string; responsibleName: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const returned = item.reviews.filter((r) => r.stage === 'plan' && r.decision === 'returned').at(-1);
  return (
    <Card size="small" title={t('ledger.item.planForm')} className="mp-ledger-action">
      {returned && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('ledger.item.returnedBecause', { reason: returned.reason })}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form
        form={form}
        layout="vertical"
        name="ledger-plan"
        initialValues={{
          target: item.target,
          measures: item.measures,
          responsibleName: item.responsibleName,
        }}
        onValuesChange={() => setError(null)}
        onFinish={(v) => {
          setBusy(true);
          ledgerApi
            .plan(item.id, {
              target: v.target,
              measures: v.measures,
              ...(v.responsibleName ? { responsibleName: v.responsibleName } : {}),
            })
            .then(async (next) => {
              void message.success(t('ledger.item.planSent'));
              await onUpdated(next);
            })
            .catch((e: unknown) => setError(errorText(e)))
            .finally(() => setBusy(false));
        }}
      >
        <Form.Item
          name="target"
          label={t('ledger.item.target')}
          rules={[{ required: true, whitespace: true, message: t('ledger.item.targetRequired') }]}
        >
          <Input.TextArea rows={2} maxLength={2000} placeholder={t('ledger.item.targetPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="measures"
          label={t('ledger.item.measures')}
          rules={[{ required: true, whitespace: true, message: t('ledger.item.measuresRequired') }]}
        >
          <Input.TextArea rows={4} maxLength={4000} placeholder={t('ledger.item.measuresPlaceholder')} />
        </Form.Item>
        <Form.Item name="responsibleName" label={t('ledger.items.responsible')}>
          <Input maxLength={60} style={{ maxWidth: 240 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy}>
          {t('ledger.item.submitPlan')}
        </Button>
      </Form>
    </Card>
  );
}

/** The unit reports progress (整改中) or the result with evidence (整改收尾). */
function TextStep({
  item,
  kind,
  initial,
  onUpdated,
}: {
  item: ItemDetail;
  kind: 'progress' | 'result';
  initial: string;
  onUpdated: (next?: ItemDetail) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const stage = kind === 'progress' ? 'progress' : 'result';
  const returned = item.reviews.filter((r) => r.stage === stage && r.decision === 'returned').at(-1);
  const needsEvidence = kind === 'result' && item.evidence === 0;
  return (
    <Card size="small" title={t(`ledger.item.${kind}Form`)} className="mp-ledger-action">
      {returned && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 12 }}
          title={t('ledger.item.returnedBecause', { reason: returned.reason })}
        />
      )}
      {needsEvidence && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('ledger.item.evidenceFirst')} />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Input.TextArea
        aria-label={t(`ledger.item.${kind}`)}
        rows={4}
        maxLength={4000}
        value={text}
        placeholder={t(`ledger.item.${kind}Placeholder`)}
        onChange={(e) => {
          setText(e.target.value);
          setError(null);
        }}
      />
      <Button
        type="primary"
        style={{ marginTop: 12 }}
        loading={busy}
        disabled={text.trim() === '' || needsEvidence}
        onClick={() => {
          setBusy(true);
          (kind === 'progress' ? ledgerApi.progress(item.id, text) : ledgerApi.result(item.id, text))
            .then(async (next) => {
              void message.success(t(`ledger.item.${kind}Sent`));
              await onUpdated(next);
            })
            .catch((e: unknown) => setError(errorText(e)))
            .finally(() => setBusy(false));
        }}
      >
        {t(`ledger.item.submit${kind === 'progress' ? 'Progress' : 'Result'}`)}
      </Button>
    </Card>
  );
}

/** The office's review of the plan, the progress or the result: approve, or return with a reason. */
function ReviewCard({
  item,
  stage,
  onUpdated,
}: {
  item: ItemDetail;
  stage: ReviewStage;
  onUpdated: (next?: ItemDetail) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [returning, setReturning] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decide = (approve: boolean) => {
    setBusy(true);
    setError(null);
    ledgerApi
      .review(item.id, stage, approve, approve ? undefined : reason)
      .then(async (next) => {
        setReturning(false);
        void message.success(t(approve ? 'ledger.review.approvedMsg' : 'ledger.review.returnedMsg'));
        await onUpdated(next);
      })
      .catch((e: unknown) => setError(errorText(e)))
      .finally(() => setBusy(false));
  };
  const closing = stage === 'result';
  return (
    <Card size="small" title={t(`ledger.reviewStages.${stage}`)} className="mp-ledger-action">
      <Typography.Paragraph type="secondary">{t(`ledger.review.help.${stage}`)}</Typography.Paragraph>
      {closing && item.evidence === 0 && (
        <Alert type="warning" showIcon style={{ marginBottom: 12 }} title={t('ledger.review.noEvidence')} />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Space>
        <Button type="primary" loading={busy && !returning} onClick={() => decide(true)}>
          {t(closing ? 'ledger.review.approveClose' : 'ledger.review.approve')}
        </Button>
        <Button danger onClick={() => setReturning(true)}>
          {t('ledger.review.return')}
        </Button>
      </Space>
      <Modal
        open={returning}
        title={t('ledger.review.returnTitle')}
        okText={t('ledger.review.return')}
        okButtonProps={{ danger: true, disabled: reason.trim() === '', loading: busy }}
        onOk={() => decide(false)}
        onCancel={() => setReturning(false)}
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Input.TextArea
          aria-label={t('ledger.review.reason')}
          rows={4}
          maxLength={2000}
          value={reason}
          placeholder={t('ledger.review.reasonPlaceholder')}
          onChange={(e) => setReason(e.target.value)}
        />
      </Modal>
    </Card>
  );
}

/** Evidence files: photos as thumbnails (click to enlarge), PDFs and scans as download links. */
export function Thumbnails({ files }: { files: AttachmentView[] }) {
  const { t } = useTranslation();
  if (files.length === 0) return null;
  const photos = files.filter((f) => f.inline);
  const others = files.filter((f) => !f.inline);
  return (
    <div className="mp-ledger-files">
      <Image.PreviewGroup>
        {photos.map((f) => (
          <div key={f.id} className="mp-ledger-thumb" data-testid="evidence-thumb">
            <Image src={f.url} alt={f.filename} width={104} height={104} style={{ objectFit: 'cover' }} />
            <div className="mp-ledger-thumb-name" title={f.filename}>
              {f.filename}
            </div>
          </div>
        ))}
      </Image.PreviewGroup>
      {others.map((f) => (
        <a key={f.id} className="mp-ledger-doc" href={f.url} data-testid="evidence-doc">
          {f.mime === 'application/pdf' ? <FilePdfOutlined /> : <PaperClipOutlined />}
          <span title={f.filename}>{f.filename}</span>
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('ledger.evidence.size', { kb: Math.max(1, Math.round(f.size / 1024)) })}
          </Typography.Text>
        </a>
      ))}
    </div>
  );
}

function EvidenceCard({
  item,
  onUpdated,
}: {
  item: ItemDetail;
  onUpdated: (next?: ItemDetail) => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  const open = item.state !== 'closed';
  return (
    <Card
      size="small"
      title={t('ledger.item.evidence', { n: item.attachments.length })}
      extra={
        open && (
          <Upload
            accept="image/jpeg,image/png,image/gif,image/webp,image/tiff,application/pdf"
            showUploadList={false}
            multiple
            customRequest={({ file, onSuccess, onError }) => {
              setBusy(true);
              ledgerApi
                .attach(item.id, file as File)
                .then(async () => {
                  onSuccess?.(null);
                  void message.success(t('ledger.evidence.uploaded', { name: (file as File).name }));
                  await onUpdated();
                })
                .catch((e: unknown) => {
                  onError?.(e as Error);
                  void message.error(errorText(e));
                })
                .finally(() => setBusy(false));
            }}
          >
            <Button size="small" icon={<UploadOutlined />} loading={busy} data-testid="evidence-upload">
              {t('ledger.evidence.upload')}
            </Button>
          </Upload>
        )
      }
    >
      {item.attachments.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('ledger.evidence.none')} />
      ) : (
        <Thumbnails files={item.attachments} />
      )}
      {open && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('ledger.evidence.rules')}
        </Typography.Text>
      )}
    </Card>
  );
}
