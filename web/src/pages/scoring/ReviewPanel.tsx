import { ArrowDownOutlined, ArrowUpOutlined, CloseOutlined, UndoOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Empty,
  Form,
  Input,
  Radio,
  Row,
  Space,
  Steps,
  Tag,
  Timeline,
  Tooltip,
  Typography,
} from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { chinaToday, formatTime } from '../../util';
import {
  scoringApi,
  type ReviewDecisionKind,
  type ReviewLists,
  type RunDetail,
  type RunWarning,
} from './api';
import { confirmStep, warningCodes } from './Warnings';
import { useScoringAccess } from './menu';

type ListKey = 'best' | 'worst';

/** One list as numbered names; units no longer on it (against `compare`) are shown struck through. */
function NameList({
  ids,
  name,
  removed = [],
  testId,
}: {
  ids: string[];
  name: (id: string) => string;
  removed?: string[];
  testId?: string;
}) {
  const { t } = useTranslation();
  if (ids.length === 0 && removed.length === 0)
    return <Typography.Text type="secondary">{t('scoring.review.emptyList')}</Typography.Text>;
  return (
    <ol className="mp-sc-list" data-testid={testId}>
      {ids.map((id) => (
        <li key={id}>{name(id)}</li>
      ))}
      {removed.map((id) => (
        <li key={`x-${id}`} className="mp-sc-list-removed">
          {name(id)}
        </li>
      ))}
    </ol>
  );
}

/** The lists, the stages, the form of the next stage's decision and the history of decisions. */
export function ReviewPanel({
  run,
  name,
  onChanged,
}: {
  run: RunDetail;
  name: (id: string) => string;
  onChanged: (run: RunDetail) => void;
}) {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const locked = run.status === 'approved' || run.status === 'published';
  const open = access.manage && run.nextStage !== null && !locked && run.status !== 'superseded';
  const kinds: ListKey[] = (['best', 'worst'] as const).filter(
    (k) => run.proposed[k].length > 0 || run.current[k].length > 0,
  );

  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      {run.stages.length > 0 && (
        <Card size="small" title={t('scoring.review.stagesTitle')}>
          <Steps
            size="small"
            current={run.nextStage ?? run.stages.length}
            status={locked ? 'finish' : 'process'}
            items={run.stages.map((s, i) => {
              const record = run.reviews.find((r) => r.stageIndex === i);
              return {
                title: s.name,
                content: record
                  ? `${record.body} · ${record.decidedOn} · ${t(`scoring.review.decisions.${record.decision}`)}`
                  : `${s.body} · ${t('scoring.review.keeps', { n: s.size })}`,
              };
            })}
          />
        </Card>
      )}
      <Row gutter={12}>
        {kinds.length === 0 && (
          <Col span={24}>
            <Card size="small">
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.review.noLists')} />
            </Card>
          </Col>
        )}
        {kinds.map((k) => (
          <Col span={24 / kinds.length} key={k}>
            <Card
              size="small"
              title={t(`scoring.review.lists.${k}`)}
              className={`mp-sc-listcard mp-sc-listcard-${k}`}
            >
              <Row gutter={12}>
                <Col span={12}>
                  <Typography.Text type="secondary">
                    {t('scoring.review.proposed', { n: run.proposed[k].length })}
                  </Typography.Text>
                  <NameList ids={run.proposed[k]} name={name} testId={`proposed-${k}`} />
                </Col>
                <Col span={12}>
                  <Typography.Text strong>
                    {locked
                      ? t('scoring.review.final', { n: run.current[k].length })
                      : t('scoring.review.current', { n: run.current[k].length })}
                  </Typography.Text>
                  <NameList ids={run.current[k]} name={name} testId={`current-${k}`} />
                </Col>
              </Row>
            </Card>
          </Col>
        ))}
      </Row>
      {open && run.nextStage !== null && (
        <DecisionForm
          key={run.reviews.length}
          run={run}
          stageIndex={run.nextStage}
          name={name}
          onChanged={onChanged}
        />
      )}
      {locked && (
        <Alert
          type="success"
          showIcon
          title={t('scoring.run.lockedBanner')}
          description={t('scoring.review.lockedText')}
        />
      )}
      <Card size="small" title={t('scoring.review.historyTitle')}>
        {run.reviews.length === 0 ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.review.historyEmpty')} />
        ) : (
          <Timeline
            data-testid="review-history"
            items={run.reviews.map((r) => ({
              color: r.decision === 'approve' ? 'green' : 'orange',
              content: (
                <div>
                  <Space wrap>
                    <Typography.Text strong>{r.stageName}</Typography.Text>
                    <Tag color={r.decision === 'approve' ? 'green' : 'orange'}>
                      {t(`scoring.review.decisions.${r.decision}`)}
                    </Tag>
                    <span>
                      {r.body} · {r.decidedOn}
                    </span>
                  </Space>
                  {r.reason && (
                    <div>
                      {t('scoring.review.reason')}：{r.reason}
                    </div>
                  )}
                  <div className="mp-sc-secondary">
                    {t('scoring.review.after', {
                      best: r.best.length,
                      worst: r.worst.length,
                    })}{' '}
                    · {t('scoring.review.recordedBy', { who: r.recordedBy, at: formatTime(r.recordedAt) })}
                  </div>
                </div>
              ),
            }))}
          />
        )}
      </Card>
    </Space>
  );
}

function DecisionForm({
  run,
  stageIndex,
  name,
  onChanged,
}: {
  run: RunDetail;
  stageIndex: number;
  name: (id: string) => string;
  onChanged: (run: RunDetail) => void;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const stage = run.stages[stageIndex];
  const last = stageIndex === run.stages.length - 1;
  const [body, setBody] = useState(stage?.body ?? '');
  const [decidedOn, setDecidedOn] = useState(chinaToday());
  const [decision, setDecision] = useState<ReviewDecisionKind>('approve');
  const [lists, setLists] = useState<ReviewLists>(run.current);
  const [reason, setReason] = useState('');
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!stage) return null;
  const size = stage.size;
  const kinds: ListKey[] = (['best', 'worst'] as const).filter((k) => run.current[k].length > 0);
  const changed = JSON.stringify(lists) !== JSON.stringify(run.current);
  const ready =
    body.trim().length > 0 &&
    decidedOn.length === 10 &&
    (decision === 'approve' || (reason.trim().length > 0 && changed));

  const edit = (k: ListKey, next: string[]) => setLists({ ...lists, [k]: next });
  const moveIn = (k: ListKey, index: number, by: -1 | 1) => {
    const list = [...lists[k]];
    const target = index + by;
    if (target < 0 || target >= list.length) return;
    const [id] = list.splice(index, 1);
    if (id !== undefined) list.splice(target, 0, id);
    edit(k, list);
  };

  const submit = async () => {
    // The lists this stage would leave: an approval keeps the first `size` of each.
    const after: ReviewLists =
      decision === 'amend'
        ? lists
        : { best: run.current.best.slice(0, size), worst: run.current.worst.slice(0, size) };
    const warnings: RunWarning[] = kinds
      .filter((k) => after[k].length !== size)
      .map((k) => ({
        code: 'list_size_differs',
        message: '',
        params: { list: k, count: after[k].length, size, stageName: stage.name },
      }));
    const go = await confirmStep(modal, t, {
      title: last ? t('scoring.review.confirmLast') : t('scoring.review.confirm', { stage: stage.name }),
      ...(last ? { text: t('scoring.review.confirmLastText') } : {}),
      warnings,
      okText: last ? t('scoring.review.submitLast') : t('scoring.review.submit'),
      danger: last,
    });
    if (!go) return;
    setSaving(true);
    setError(null);
    try {
      const next = await scoringApi.review(run.id, {
        stageIndex,
        body: body.trim(),
        decidedOn,
        decision,
        ...(decision === 'amend' ? { best: lists.best, worst: lists.worst, reason: reason.trim() } : {}),
        acceptWarnings: warningCodes(warnings),
      });
      onChanged(next);
      void message.success(
        last ? t('scoring.review.lockedToast') : t('scoring.review.recordedToast', { stage: stage.name }),
      );
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <Card
      size="small"
      title={t('scoring.review.formTitle', { n: stageIndex + 1, stage: stage.name })}
      className="mp-sc-decision"
      extra={last && <Tag color="red">{t('scoring.review.finalStage')}</Tag>}
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {t('scoring.review.formHelp', { body: stage.body, n: size })}
      </Typography.Paragraph>
      <Form layout="vertical" component="div">
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item label={t('scoring.review.body')} htmlFor="sc-review-body" required>
              <Input
                id="sc-review-body"
                value={body}
                maxLength={80}
                onChange={(e) => setBody(e.target.value)}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label={t('scoring.review.decidedOn')} htmlFor="sc-review-date" required>
              <DatePicker
                id="sc-review-date"
                style={{ width: '100%' }}
                allowClear={false}
                value={dayjs(decidedOn)}
                disabledDate={(d) => d.format('YYYY-MM-DD') > chinaToday()}
                onChange={(d) => setDecidedOn(d ? d.format('YYYY-MM-DD') : '')}
              />
            </Form.Item>
          </Col>
          <Col span={10}>
            <Form.Item label={t('scoring.review.decision')} required>
              <Radio.Group
                value={decision}
                onChange={(e) => {
                  setDecision(e.target.value as ReviewDecisionKind);
                  setLists(run.current);
                }}
                options={[
                  { value: 'approve', label: t('scoring.review.decisions.approve') },
                  { value: 'amend', label: t('scoring.review.decisions.amend') },
                ]}
              />
            </Form.Item>
          </Col>
        </Row>
        {decision === 'approve' ? (
          <Alert
            type="info"
            showIcon
            style={{ marginBottom: 12 }}
            title={t('scoring.review.approveHint', { n: size })}
          />
        ) : (
          <>
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              title={t('scoring.review.amendHint', { n: size })}
            />
            <Row gutter={12}>
              {kinds.map((k) => (
                <Col span={24 / kinds.length} key={k}>
                  <Card
                    size="small"
                    type="inner"
                    title={t(`scoring.review.lists.${k}`)}
                    extra={
                      <Space>
                        <Tag color={lists[k].length > size ? 'red' : 'green'}>
                          {t('scoring.review.countOf', { n: lists[k].length, size })}
                        </Tag>
                        <Tooltip title={t('scoring.review.restore')}>
                          <Button
                            size="small"
                            type="text"
                            icon={<UndoOutlined />}
                            onClick={() => edit(k, run.current[k])}
                          />
                        </Tooltip>
                      </Space>
                    }
                  >
                    <ol className="mp-sc-list mp-sc-list-edit" data-testid={`amend-${k}`}>
                      {lists[k].map((id, i) => (
                        <li key={id}>
                          <span className="mp-sc-list-name">{name(id)}</span>
                          <Space size={0}>
                            <Button
                              size="small"
                              type="text"
                              icon={<ArrowUpOutlined />}
                              disabled={i === 0}
                              aria-label={t('scoring.review.up', { name: name(id) })}
                              onClick={() => moveIn(k, i, -1)}
                            />
                            <Button
                              size="small"
                              type="text"
                              icon={<ArrowDownOutlined />}
                              disabled={i === lists[k].length - 1}
                              aria-label={t('scoring.review.down', { name: name(id) })}
                              onClick={() => moveIn(k, i, 1)}
                            />
                            <Button
                              size="small"
                              type="text"
                              danger
                              icon={<CloseOutlined />}
                              aria-label={t('scoring.review.removeUnit', { name: name(id) })}
                              onClick={() =>
                                edit(
                                  k,
                                  lists[k].filter((x) => x !== id),
                                )
                              }
                            />
                          </Space>
                        </li>
                      ))}
                    </ol>
                    {run.current[k].some((id) => !lists[k].includes(id)) && (
                      <div className="mp-sc-secondary">
                        {t('scoring.review.removed')}：
                        {run.current[k]
                          .filter((id) => !lists[k].includes(id))
                          .map(name)
                          .join('、')}
                      </div>
                    )}
                  </Card>
                </Col>
              ))}
            </Row>
            <Form.Item
              label={t('scoring.review.reason')}
              htmlFor="sc-review-reason"
              required
              style={{ marginTop: 12 }}
              help={!changed ? t('scoring.review.amendNoChange') : t('scoring.review.reasonHelp')}
            >
              <Input.TextArea
                id="sc-review-reason"
                rows={3}
                maxLength={1000}
                value={reason}
                onChange={(e) => setReason(e.target.value)}
              />
            </Form.Item>
          </>
        )}
      </Form>
      <Button type="primary" danger={last} loading={saving} disabled={!ready} onClick={() => void submit()}>
        {last ? t('scoring.review.submitLast') : t('scoring.review.submit')}
      </Button>
      {error && (
        <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="review-error" />
      )}
    </Card>
  );
}
