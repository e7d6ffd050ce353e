import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Input, Radio, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { panelApi, type LeaderRules } from '../panel/api';
import {
  campaignsApi,
  type CampaignDetail,
  type EvaluatorEntry,
  type IssuedInvitation,
  type RoundView,
} from './api';

/*
 * Invitations for a stage of a round, from one of three sources: a list typed or pasted (姓名,手机号,群体),
 * a sample drawn from the evaluator pool (its selected members), or a drawn leader panel (each leader gets
 * the subjects of the units paired with them, optionally with their supplementary sheet). Each evaluator
 * gets a one-time link by SMS through the outbox; the links are shown once, for printed sheets.
 */

type Source = 'list' | 'draw' | 'leaders';

export function parseList(text: string): EvaluatorEntry[] {
  return text
    .split('\n')
    .map((line) => line.split(/[,，\t]/).map((c) => c.trim()))
    .filter((cells) => (cells[0] ?? '') !== '' && cells[0] !== '姓名')
    .map(([name = '', phone = '', group = '']) => ({
      name,
      ...(phone ? { phone } : {}),
      ...(group ? { group } : {}),
    }));
}

export function InvitePanel({ campaign, round }: { campaign: CampaignDetail; round: RoundView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const stages = round.stages.filter((s) => s.source !== 'public' && s.source !== 'paper');
  const [stageId, setStageId] = useState<string | undefined>(stages[0]?.id);
  const stage = stages.find((s) => s.id === stageId);
  const [source, setSource] = useState<Source>('list');
  const [list, setList] = useState('');
  const [drawId, setDrawId] = useState<string | undefined>();
  const [supplements, setSupplements] = useState(true);
  const [sendSms, setSendSms] = useState(true);
  const [busy, setBusy] = useState(false);
  const [issued, setIssued] = useState<IssuedInvitation[] | null>(null);
  const draws = useQuery({
    queryKey: ['panel', 'draws'],
    queryFn: panelApi.draws,
    enabled: source !== 'list',
  });
  const usable = (draws.data ?? []).filter(
    (d) => d.state !== 'announced' && d.kind === (source === 'leaders' ? 'leaders' : 'sample'),
  );
  const closed = round.state === 'closed' || round.state === 'computed';

  const evaluators = async (): Promise<EvaluatorEntry[]> => {
    if (source === 'list') return parseList(list);
    if (!drawId) return [];
    if (source === 'draw') {
      const members = await panelApi.members(drawId, true);
      return members
        .filter((m) => m.role === 'selected')
        .map((m) => ({
          ref: m.evaluatorId,
          name: m.name,
          phone: m.mobile,
          ...(m.groups[0] ? { group: m.groups[0] } : {}),
        }));
    }
    const draw = await panelApi.draw(drawId);
    const rules = draw.rules as LeaderRules;
    const assignment = await panelApi.assignment(drawId);
    const subjectsOfUnit = new Map<string, string[]>();
    for (const s of campaign.subjects) {
      subjectsOfUnit.set(s.unitId, [...(subjectsOfUnit.get(s.unitId) ?? []), s.id]);
    }
    return rules.leaders.flatMap((leader) => {
      const unitIds = [
        ...assignment.pairs.filter(([l]) => l === leader.id).map(([, u]) => u),
        ...(supplements ? (assignment.supplements[leader.id] ?? []) : []),
      ];
      const subjectIds = [...new Set(unitIds.flatMap((u) => subjectsOfUnit.get(u) ?? []))];
      return subjectIds.length === 0
        ? []
        : [{ ref: leader.id, name: leader.name, group: t('campaigns.invite.leaderGroup'), subjectIds }];
    });
  };

  const invite = async () => {
    if (!stageId) return;
    setBusy(true);
    try {
      const entries = await evaluators();
      if (entries.length === 0) {
        void message.warning(t('campaigns.invite.nobody'));
        return;
      }
      const result = await campaignsApi.invite(round.id, { stageId, sendSms, evaluators: entries });
      setIssued(result);
      setList('');
      await client.invalidateQueries({ queryKey: ['campaigns', 'monitor', round.id] });
      void message.success(t('campaigns.invite.done', { n: result.length }));
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  if (stages.length === 0) return <Alert type="info" message={t('campaigns.invite.noStage')} />;
  if (closed) return <Alert type="info" message={t('campaigns.invite.closed')} />;
  return (
    <Space direction="vertical" size="middle" style={{ width: '100%' }}>
      <Space wrap>
        <span>{t('campaigns.invite.stage')}</span>
        <Select
          aria-label={t('campaigns.invite.stage')}
          value={stageId}
          style={{ width: 260 }}
          options={stages.map((s) => ({
            value: s.id,
            label: `${s.name} · ${t(`campaigns.sources.${s.source}`)}`,
          }))}
          onChange={(v: string) => setStageId(v)}
        />
        <Radio.Group
          value={source}
          optionType="button"
          onChange={(e) => {
            setSource(e.target.value as Source);
            setDrawId(undefined);
          }}
          options={[
            { value: 'list', label: t('campaigns.invite.fromList') },
            { value: 'draw', label: t('campaigns.invite.fromDraw') },
            { value: 'leaders', label: t('campaigns.invite.fromLeaders') },
          ]}
        />
      </Space>
      {stage && stage.source !== 'directed' && source === 'list' && (
        <Typography.Text type="secondary">
          {t('campaigns.invite.sourceHint', { source: t(`campaigns.sources.${stage.source}`) })}
        </Typography.Text>
      )}
      {source === 'list' ? (
        <Input.TextArea
          aria-label={t('campaigns.invite.list')}
          rows={6}
          value={list}
          placeholder={t('campaigns.invite.listPlaceholder')}
          onChange={(e) => setList(e.target.value)}
        />
      ) : (
        <Space wrap>
          <Select
            aria-label={t('campaigns.invite.draw')}
            placeholder={t(source === 'draw' ? 'campaigns.invite.pickDraw' : 'campaigns.invite.pickLeaders')}
            loading={draws.isLoading}
            value={drawId}
            style={{ width: 360 }}
            options={usable.map((d) => ({ value: d.id, label: `${d.purpose}（${d.selectedCount}）` }))}
            onChange={(v: string) => setDrawId(v)}
            notFoundContent={t('campaigns.invite.noDraws')}
          />
          {source === 'leaders' && (
            <Checkbox checked={supplements} onChange={(e) => setSupplements(e.target.checked)}>
              {t('campaigns.invite.supplements')}
            </Checkbox>
          )}
        </Space>
      )}
      <Space>
        <Checkbox checked={sendSms} onChange={(e) => setSendSms(e.target.checked)}>
          {t('campaigns.invite.sendSms')}
        </Checkbox>
        <Button
          type="primary"
          loading={busy}
          disabled={source === 'list' ? parseList(list).length === 0 : !drawId}
          onClick={() => void invite()}
        >
          {t('campaigns.invite.submit')}
        </Button>
      </Space>
      {issued && (
        <>
          <Alert type="warning" showIcon message={t('campaigns.invite.linksOnce', { n: issued.length })} />
          <Table<IssuedInvitation>
            rowKey="invitationId"
            size="small"
            dataSource={issued}
            pagination={{ pageSize: 20 }}
            columns={[
              { title: t('campaigns.invite.name'), dataIndex: 'name', width: 160 },
              {
                title: t('campaigns.invite.link'),
                dataIndex: 'link',
                render: (link: string) => (
                  <Typography.Text copyable style={{ wordBreak: 'break-all' }}>
                    {link}
                  </Typography.Text>
                ),
              },
            ]}
          />
        </>
      )}
    </Space>
  );
}
