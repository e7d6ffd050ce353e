import { QuestionCircleOutlined } from '@ant-design/icons';
import { useInfiniteQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  Modal,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { useAccount } from '../../session';
import { formatTime } from '../../util';
import { FRAUD_FLAGS, ratingsApi, type FraudFlag, type HeldRating } from './api';
import { LevelTag } from './shared';

const PAGE = 50;
const FLAG_COLORS: Record<FraudFlag, string> = {
  burst_device: 'volcano',
  burst_address: 'orange',
  repeated_comment: 'purple',
  outside_hours: 'blue',
};

/** 待审评价: ratings a fraud check held back; the office counts or excludes each, with a note. */
export function HeldPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const client = useQueryClient();
  const units = useUnits();
  const [unitId, setUnitId] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<{ ratings: HeldRating[]; decision: 'count' | 'exclude' } | null>(
    null,
  );
  const [selected, setSelected] = useState<string[]>([]);
  const held = useInfiniteQuery({
    queryKey: ['held', unitId],
    queryFn: ({ pageParam }) =>
      ratingsApi.held({ unitId: unitId ?? undefined, before: pageParam, limit: PAGE }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => (last.length === PAGE ? last[last.length - 1]?.id : undefined),
    enabled: can('ratings:review'),
  });
  const rows = useMemo(() => (held.data?.pages ?? []).flat(), [held.data]);

  if (!can('ratings:review')) return <NoPermission />;

  return (
    <>
      <PageTitle title={t('held.title')} description={t('held.description')} />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Typography.Paragraph style={{ marginBottom: 8 }}>{t('held.flagsIntro')}</Typography.Paragraph>
        <Space orientation="vertical" size={4}>
          {FRAUD_FLAGS.map((flag) => (
            <span key={flag}>
              <Tag color={FLAG_COLORS[flag]}>{t(`flags.${flag}`)}</Tag>
              <Typography.Text type="secondary">{t(`flagHelp.${flag}`)}</Typography.Text>
            </span>
          ))}
        </Space>
      </Card>
      <Card size="small">
        <Space style={{ marginBottom: 12 }} wrap>
          <UnitTreeSelect
            units={units.data ?? []}
            value={unitId}
            onChange={(v) => {
              setUnitId(v);
              setSelected([]);
            }}
            placeholder={t('held.allUnits')}
            style={{ width: 320 }}
          />
          <Typography.Text type="secondary">
            {held.hasNextPage
              ? t('held.loadedMore', { n: rows.length })
              : t('held.loaded', { n: rows.length })}
          </Typography.Text>
          {selected.length > 0 && (
            <>
              <Typography.Text strong>{t('held.selected', { n: selected.length })}</Typography.Text>
              <Button
                size="small"
                type="primary"
                ghost
                onClick={() =>
                  setDeciding({ ratings: rows.filter((r) => selected.includes(r.id)), decision: 'count' })
                }
              >
                {t('held.countSelected')}
              </Button>
              <Button
                size="small"
                danger
                onClick={() =>
                  setDeciding({ ratings: rows.filter((r) => selected.includes(r.id)), decision: 'exclude' })
                }
              >
                {t('held.excludeSelected')}
              </Button>
            </>
          )}
        </Space>
        {held.isError && (
          <Alert type="error" showIcon title={errorText(held.error)} style={{ marginBottom: 12 }} />
        )}
        <Table<HeldRating>
          size="small"
          rowKey="id"
          loading={held.isPending}
          dataSource={rows}
          pagination={false}
          scroll={{ x: 1200 }}
          rowSelection={{ selectedRowKeys: selected, onChange: (keys) => setSelected(keys.map(String)) }}
          locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('held.empty')} /> }}
          columns={[
            { title: t('held.createdAt'), dataIndex: 'createdAt', width: 140, render: formatTime },
            { title: t('held.unit'), dataIndex: 'unitName', width: 180, ellipsis: true },
            {
              title: t('held.level'),
              dataIndex: 'level',
              width: 130,
              render: (level: number) => <LevelTag level={level} />,
            },
            {
              title: t('held.content'),
              key: 'content',
              render: (_: unknown, r: HeldRating) => (
                <div>
                  {r.tags.map((tag) => (
                    <Tag key={tag}>{tag}</Tag>
                  ))}
                  {r.comment && <div className="mp-case-text">{r.comment}</div>}
                </div>
              ),
            },
            {
              title: t('held.flags'),
              dataIndex: 'flags',
              width: 220,
              render: (flags: FraudFlag[]) =>
                flags.map((flag) => (
                  <Tooltip key={flag} title={t(`flagHelp.${flag}`)}>
                    <Tag color={FLAG_COLORS[flag]} style={{ marginBottom: 2 }}>
                      {t(`flags.${flag}`)} <QuestionCircleOutlined />
                    </Tag>
                  </Tooltip>
                )),
            },
            {
              title: t('held.source'),
              key: 'source',
              width: 200,
              render: (_: unknown, r: HeldRating) => (
                <div style={{ fontSize: 12 }}>
                  <div>{t(`channels.${r.channel}`)}</div>
                  {r.externalNo && (
                    <div>
                      {t('held.externalNo')}：{r.externalNo}
                    </div>
                  )}
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                    {t('held.device')} {r.device} · {t('held.address')} {r.address}
                  </Typography.Text>
                </div>
              ),
            },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 130,
              fixed: 'right',
              render: (_: unknown, r: HeldRating) => (
                <Space size={4}>
                  <Button
                    size="small"
                    type="primary"
                    ghost
                    onClick={() => setDeciding({ ratings: [r], decision: 'count' })}
                  >
                    {t('held.count')}
                  </Button>
                  <Button
                    size="small"
                    danger
                    onClick={() => setDeciding({ ratings: [r], decision: 'exclude' })}
                  >
                    {t('held.exclude')}
                  </Button>
                </Space>
              ),
            },
          ]}
        />
        {held.hasNextPage && (
          <div style={{ textAlign: 'center', marginTop: 12 }}>
            <Button loading={held.isFetchingNextPage} onClick={() => void held.fetchNextPage()}>
              {t('held.more')}
            </Button>
          </div>
        )}
      </Card>
      {deciding && (
        <DecideModal
          ratings={deciding.ratings}
          decision={deciding.decision}
          onClose={() => setDeciding(null)}
          onDone={async () => {
            setDeciding(null);
            setSelected([]);
            await client.invalidateQueries({ queryKey: ['held'] });
            await client.invalidateQueries({ queryKey: ['statistics'] });
          }}
        />
      )}
    </>
  );
}

function DecideModal({
  ratings,
  decision,
  onClose,
  onDone,
}: {
  ratings: HeldRating[];
  decision: 'count' | 'exclude';
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ note: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = async () => {
    let values: { note: string };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    // One at a time, so that a refusal (someone else reviewed it meanwhile) stops with the others done.
    let done = 0;
    try {
      for (const rating of ratings) {
        await ratingsApi.review(rating.id, decision, (values.note ?? '').trim());
        done += 1;
      }
      void message.success(t(decision === 'count' ? 'held.counted' : 'held.excluded', { n: done }));
      await onDone();
    } catch (e) {
      setError(done > 0 ? t('held.partly', { done, error: errorText(e) }) : errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={
        ratings.length > 1
          ? t(decision === 'count' ? 'held.countSelected' : 'held.excludeSelected')
          : t(decision === 'count' ? 'held.countTitle' : 'held.excludeTitle')
      }
      okText={decision === 'count' ? t('held.count') : t('held.exclude')}
      okButtonProps={{ danger: decision === 'exclude' }}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
    >
      <Typography.Paragraph>
        {decision === 'count' ? t('held.countText') : t('held.excludeText')}
      </Typography.Paragraph>
      {ratings.length === 1 && ratings[0] ? (
        <Typography.Paragraph type="secondary">
          {ratings[0].unitName} · <LevelTag level={ratings[0].level} /> · {formatTime(ratings[0].createdAt)}
        </Typography.Paragraph>
      ) : (
        <Typography.Paragraph strong>{t('held.many', { n: ratings.length })}</Typography.Paragraph>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form form={form} layout="vertical" name="heldDecision">
        <Form.Item
          name="note"
          label={t('held.note')}
          extra={t('held.noteHelp')}
          rules={[{ required: decision === 'exclude', whitespace: true, message: t('held.noteRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount />
        </Form.Item>
      </Form>
    </Modal>
  );
}
