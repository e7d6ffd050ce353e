import { useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Popconfirm, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { errorText } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { campaignsApi, type CampaignDetail, type RoundState, type RoundView } from './api';
import { InvitePanel } from './InvitePanel';
import { MonitorPanel } from './MonitorPanel';
import { ResultsPanel } from './ResultsPanel';

export const ROUND_COLORS: Record<RoundState, string> = {
  draft: 'default',
  open: 'green',
  closed: 'orange',
  computed: 'blue',
};

const NEXT_STEP: Partial<Record<RoundState, 'open' | 'close' | 'compute'>> = {
  draft: 'open',
  open: 'close',
  closed: 'compute',
};

/** /campaigns/:id — a campaign: its design at a glance, and per round the lifecycle, invitations, monitor, results. */
export function CampaignPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { data: campaign } = useQuery({
    queryKey: ['campaigns', id],
    queryFn: () => campaignsApi.get(id),
  });
  if (!campaign) return null;
  return (
    <>
      <PageTitle
        title={campaign.name}
        description={
          <Space wrap>
            <Tag>{t(`campaigns.subjectKinds.${campaign.subjectKind}`)}</Tag>
            <Typography.Text code>{campaign.key}</Typography.Text>
            {campaign.named && <Tag color="purple">{t('campaigns.detail.named')}</Tag>}
            {campaign.frozen && <Tag color="gold">{t('campaigns.detail.frozen')}</Tag>}
          </Space>
        }
      />
      <Overview campaign={campaign} />
      <Tabs
        style={{ marginTop: 16 }}
        items={campaign.rounds.map((round) => ({
          key: round.id,
          label: (
            <Space size={4}>
              {round.name}
              <Tag color={ROUND_COLORS[round.state]}>{t(`campaigns.roundStates.${round.state}`)}</Tag>
            </Space>
          ),
          children: <RoundPanel campaign={campaign} round={round} />,
        }))}
      />
    </>
  );
}

function Overview({ campaign }: { campaign: CampaignDetail }) {
  const { t } = useTranslation();
  const groups = [...new Set(campaign.subjects.map((s) => s.group).filter((g) => g !== ''))];
  return (
    <Card size="small">
      <Descriptions size="small" column={{ xs: 1, md: 2 }}>
        <Descriptions.Item label={t('campaigns.detail.subjects')}>
          {t('campaigns.detail.subjectCount', { n: campaign.subjects.length })}
          {groups.length > 0 && ` · ${groups.join('、')}`}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaigns.detail.items')}>
          {campaign.questionnaire.items.map((i) => (
            <Tag key={i.key}>{t(`campaigns.itemKinds.${i.kind}`)}</Tag>
          ))}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaigns.detail.scores')}>
          {Object.entries(campaign.questionnaire.satisfactionScores)
            .map(([level, score]) => `${t(`campaigns.levels.${level}`)} ${score}`)
            .join(' / ')}
        </Descriptions.Item>
        <Descriptions.Item label={t('campaigns.detail.minResponses')}>
          {campaign.minResponses}
        </Descriptions.Item>
        {campaign.formula && (
          <Descriptions.Item label={t('campaigns.detail.formula')} span={2}>
            <pre style={{ margin: 0, whiteSpace: 'pre-wrap', fontFamily: 'inherit' }}>{campaign.formula}</pre>
          </Descriptions.Item>
        )}
      </Descriptions>
    </Card>
  );
}

function RoundPanel({ campaign, round }: { campaign: CampaignDetail; round: RoundView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [busy, setBusy] = useState(false);
  const step = NEXT_STEP[round.state];
  const advance = async () => {
    if (!step) return;
    setBusy(true);
    try {
      await campaignsApi.advance(round.id, step);
      await client.invalidateQueries({ queryKey: ['campaigns'] });
      void message.success(t(`campaigns.detail.done.${step}`));
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Card size="small">
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Space wrap>
            <span>{t('campaigns.detail.dates', { opens: round.opensOn, closes: round.closesOn })}</span>
            {round.stages.map((s) => (
              <Tag key={s.id}>
                {s.name} · {t(`campaigns.sources.${s.source}`)} · {s.opensOn}–{s.closesOn}
              </Tag>
            ))}
          </Space>
          {step && (
            <Popconfirm
              title={t(`campaigns.detail.confirm.${step}`)}
              okText={t(`campaigns.detail.steps.${step}`)}
              cancelText={t('common.cancel')}
              onConfirm={() => void advance()}
            >
              <Button type="primary" loading={busy}>
                {t(`campaigns.detail.steps.${step}`)}
              </Button>
            </Popconfirm>
          )}
        </Space>
      </Card>
      <Tabs
        type="card"
        defaultActiveKey={
          round.state === 'computed' ? 'results' : round.state === 'draft' ? 'invite' : 'monitor'
        }
        items={[
          {
            key: 'invite',
            label: t('campaigns.tabs.invite'),
            children: <InvitePanel campaign={campaign} round={round} />,
          },
          {
            key: 'monitor',
            label: t('campaigns.tabs.monitor'),
            children: <MonitorPanel round={round} />,
          },
          {
            key: 'results',
            label: t('campaigns.tabs.results'),
            children: <ResultsPanel campaign={campaign} round={round} />,
          },
        ]}
      />
    </Space>
  );
}
