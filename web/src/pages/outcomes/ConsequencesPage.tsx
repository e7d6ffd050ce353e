import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Select, Space, Switch, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { scoringApi, scoringKeys } from '../scoring/api';
import { useScoringAccess } from '../scoring/menu';
import { outcomesApi, outcomesKeys, type ConsequenceRule, type ConsequenceView } from './api';
import { ConsequenceStatusTag, consequenceText } from './shared';

/** 结果运用: consequences in force (open until they end), newest first, with links to each unit's record. */
export function ConsequencesPage() {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const [open, setOpen] = useState(true);
  const q = useQuery({
    queryKey: outcomesKeys.consequences({ open }),
    queryFn: () => outcomesApi.consequences({ open }),
    enabled: access.read,
  });
  if (!access.read) return <NoPermission />;
  return (
    <>
      <PageTitle title={t('outcomes.list.title')} description={t('outcomes.list.description')} />
      <Card
        size="small"
        title={t(open ? 'outcomes.list.open' : 'outcomes.list.all')}
        extra={
          <Space>
            {t('outcomes.list.onlyOpen')}
            <Switch checked={open} onChange={setOpen} />
          </Space>
        }
      >
        {q.error && <Alert type="error" message={errorText(q.error)} />}
        <Table<ConsequenceView>
          rowKey="id"
          loading={q.isLoading}
          dataSource={q.data ?? []}
          columns={[
            {
              title: t('outcomes.col.unit'),
              render: (_, c) => (
                <Link to={`/outcomes/units/${c.unitId}`}>
                  {c.parentName ? `${c.parentName} ` : ''}
                  {c.unitName}
                </Link>
              ),
            },
            { title: t('outcomes.col.measure'), render: (_, c) => consequenceText(t, c) },
            {
              title: t('outcomes.col.target'),
              render: (_, c) => `${t(`outcomes.target.${c.target}`)}${c.subject ? ` ${c.subject}` : ''}`,
            },
            {
              title: t('outcomes.col.period'),
              render: (_, c) => (
                <Link to={`/runs/${c.runId}/outcomes`}>{`${c.schemeName} · ${c.periodName}`}</Link>
              ),
            },
            {
              title: t('outcomes.col.until'),
              render: (_, c) => (c.endsOn ? t('outcomes.until', { from: c.startsOn, to: c.endsOn }) : '—'),
            },
            {
              title: t('outcomes.col.decision'),
              render: (_, c) => <ConsequenceStatusTag status={c.status} open={c.open} />,
            },
          ]}
        />
      </Card>
    </>
  );
}

/** 结果运用规则: a scheme's consequence rules, loaded from a seed model's preset. */
export function RulesPage() {
  const { t } = useTranslation();
  const access = useScoringAccess();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [params, setParams] = useSearchParams();
  const schemeId = params.get('scheme') ?? undefined;
  const schemes = useQuery({
    queryKey: scoringKeys.schemes,
    queryFn: scoringApi.schemes,
    enabled: access.read,
  });
  const presets = useQuery({
    queryKey: outcomesKeys.presets,
    queryFn: outcomesApi.presets,
    enabled: access.read,
  });
  const rules = useQuery({
    queryKey: outcomesKeys.rules(schemeId ?? ''),
    queryFn: () => outcomesApi.rules(schemeId ?? ''),
    enabled: access.read && schemeId !== undefined,
  });
  const [preset, setPreset] = useState<string | undefined>(undefined);
  if (!access.read) return <NoPermission />;
  const save = async (next: ConsequenceRule[]) => {
    if (!schemeId) return;
    try {
      await outcomesApi.putRules(schemeId, next);
      void client.invalidateQueries({ queryKey: ['outcomes'] });
      void message.success(t('outcomes.savedToast'));
    } catch (e) {
      void message.error(errorText(e));
    }
  };
  const current = rules.data?.rules ?? [];
  return (
    <>
      <PageTitle title={t('outcomes.rules.title')} description={t('outcomes.rules.description')} />
      <Card
        size="small"
        title={
          <Select<string>
            style={{ width: 280 }}
            aria-label={t('outcomes.rules.scheme')}
            placeholder={t('outcomes.rules.scheme')}
            value={schemeId}
            onChange={(v) => setParams({ scheme: v })}
            options={(schemes.data ?? []).map((s) => ({ value: s.id, label: s.name }))}
          />
        }
        extra={
          access.manage && schemeId ? (
            <Space>
              <Select<string>
                style={{ width: 300 }}
                placeholder={t('outcomes.rules.preset')}
                value={preset}
                onChange={setPreset}
                options={(presets.data ?? []).map((p) => ({ value: p.key, label: p.name }))}
              />
              <Button
                disabled={!preset}
                onClick={() => {
                  const p = presets.data?.find((x) => x.key === preset);
                  if (p)
                    void save([...current.filter((r) => !p.rules.some((n) => n.key === r.key)), ...p.rules]);
                }}
              >
                {t('outcomes.rules.load')}
              </Button>
            </Space>
          ) : null
        }
      >
        {!schemeId ? (
          <Typography.Text type="secondary">{t('outcomes.rules.pick')}</Typography.Text>
        ) : (
          <Table<ConsequenceRule>
            rowKey="key"
            loading={rules.isLoading}
            dataSource={current}
            pagination={false}
            locale={{ emptyText: t('outcomes.rules.none') }}
            columns={[
              { title: t('outcomes.col.rule'), dataIndex: 'name' },
              {
                title: t('outcomes.col.basis'),
                render: (_, r) =>
                  r.trigger.kind === 'flag'
                    ? t(`outcomes.trigger.${r.trigger.flag}`)
                    : r.trigger.kind === 'list'
                      ? t(`outcomes.trigger.${r.trigger.list}ListAny`)
                      : t('outcomes.trigger.grade', { grade: r.trigger.grade }),
              },
              {
                title: t('outcomes.col.measure'),
                render: (_, r) =>
                  consequenceText(t, {
                    kind: r.kind,
                    percent: r.percent ?? null,
                    months: r.months ?? null,
                    basis: { bonusScore: null } as never,
                  }),
              },
              { title: t('outcomes.col.target'), render: (_, r) => t(`outcomes.target.${r.target}`) },
              {
                title: '',
                render: (_, r) =>
                  access.manage ? (
                    <Button
                      size="small"
                      danger
                      onClick={() => void save(current.filter((x) => x.key !== r.key))}
                    >
                      {t('outcomes.rules.remove')}
                    </Button>
                  ) : null,
              },
            ]}
          />
        )}
      </Card>
    </>
  );
}
