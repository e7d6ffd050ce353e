/*
 * 工作台: the console's landing page. Each account sees what waits for it, drawn from the areas' own
 * read endpoints (nothing is computed here): the office — appeals to decide, overdue cases, held ratings,
 * warnings, runs to review; unit staff — their unit's open cases by deadline; leaders and supervisors —
 * the overdue list, 约谈 and published rankings, read only (supervisors also the latest audit entries).
 */
import { useQueries, useQuery } from '@tanstack/react-query';
import { Alert, Card, Col, Empty, List, Row, Space, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, errorText } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { useAccount } from '../../session';
import { chinaToday, formatTime } from '../../util';
import '../ratings/ratings.css';
import { casesApi, type CaseState, type CaseSummary } from '../cases/api';
import { ratingsApi } from '../ratings/api';
import { scoringApi, type RunSummary } from '../scoring/api';

/** How far back the warnings card looks. */
const WARNING_DAYS = 30;
const LIST_SIZE = 8;

function daysBefore(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

interface Tile {
  key: string;
  label: string;
  value: number | undefined;
  /** Shown after the number when the list was cut (held ratings are read 50 at a time). */
  more?: boolean;
  to: string;
  alert?: boolean;
}

function Tiles({ tiles }: { tiles: Tile[] }) {
  return (
    <div className="mp-case-tiles" data-testid="workbench-tiles">
      {tiles.map((tile) => (
        <Link
          key={tile.key}
          to={tile.to}
          data-testid={`tile-${tile.key}`}
          className={`mp-case-tile${tile.alert && tile.value ? ' mp-case-tile-alert' : ''}`}
        >
          <span className="mp-case-tile-n">
            {tile.value === undefined ? '…' : `${tile.value}${tile.more ? '+' : ''}`}
          </span>
          <span>{tile.label}</span>
        </Link>
      ))}
    </div>
  );
}

function CaseList({ cases, empty }: { cases: CaseSummary[] | undefined; empty: string }) {
  const { t } = useTranslation();
  return (
    <List
      size="small"
      loading={cases === undefined}
      dataSource={cases ?? []}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      renderItem={(c) => (
        <List.Item
          extra={
            c.dueOn ? (
              <Tag color={c.overdue ? 'red' : (c.workingDaysLeft ?? 99) <= 1 ? 'orange' : 'default'}>
                {c.overdue
                  ? t('workbench.overdueSince', { date: c.dueOn })
                  : t('workbench.dueOn', { date: c.dueOn })}
              </Tag>
            ) : null
          }
        >
          <Space size={8} wrap>
            <Link to={`/cases/${c.id}`}>{c.reference}</Link>
            <span>{c.responsibleUnitName || c.unitName}</span>
            <Tag>{t(`caseStates.${c.state}`)}</Tag>
            {c.escalationName && <Tag color="volcano">{c.escalationName}</Tag>}
          </Space>
        </List.Item>
      )}
    />
  );
}

function Section({
  title,
  to,
  children,
  testId,
}: {
  title: string;
  to?: string;
  children: ReactNode;
  testId: string;
}) {
  const { t } = useTranslation();
  return (
    <Card
      size="small"
      title={title}
      data-testid={testId}
      extra={to ? <Link to={to}>{t('workbench.all')}</Link> : null}
      style={{ height: '100%' }}
    >
      {children}
    </Card>
  );
}

const OPEN_FOR_UNIT: CaseState[] = ['verifying', 'rectifying'];

export function WorkbenchPage() {
  const { t } = useTranslation();
  const { account, can } = useAccount();
  const today = chinaToday();
  const readCases = can('cases:read');
  const decides = can('cases:decide');
  // Unit staff handle their cases; the office decides appeals; leaders and supervisors only read.
  const handlesOwn = can('cases:handle') && !decides;
  const reviews = can('ratings:review');
  const manages = can('scoring:manage');
  const readsRuns = can('scoring:read') && !manages;
  const readsAudit = can('audit:read') && !can('accounts:manage');

  const overdue = useQuery({
    queryKey: ['workbench', 'overdue'],
    queryFn: () => casesApi.list({ overdue: true, pageSize: LIST_SIZE }),
    enabled: readCases,
  });
  const appealed = useQuery({
    queryKey: ['workbench', 'appealed'],
    queryFn: () => casesApi.list({ state: 'appealed', pageSize: LIST_SIZE }),
    enabled: decides,
  });
  const own = useQueries({
    queries: OPEN_FOR_UNIT.map((state) => ({
      queryKey: ['workbench', 'own', state],
      queryFn: () => casesApi.list({ state, pageSize: 100 }),
      enabled: handlesOwn,
    })),
  });
  const warnings = useQuery({
    queryKey: ['workbench', 'warnings', today],
    queryFn: () => casesApi.warnings({ from: daysBefore(today, WARNING_DAYS), pageSize: 100 }),
    enabled: readCases,
  });
  const held = useQuery({
    queryKey: ['workbench', 'held'],
    queryFn: () => ratingsApi.held({ limit: 50 }),
    enabled: reviews,
  });
  const runs = useQuery({
    queryKey: ['workbench', 'runs'],
    queryFn: () => scoringApi.runs(),
    enabled: manages || readsRuns,
  });
  const audit = useQuery({
    queryKey: ['workbench', 'audit'],
    queryFn: () => api.audit({ limit: LIST_SIZE }),
    enabled: readsAudit,
  });

  const failed = [overdue, appealed, warnings, held, runs, audit, ...own].find((q) => q.error);
  const ownCases =
    handlesOwn && own.every((q) => q.data)
      ? own
          .flatMap((q) => q.data?.items ?? [])
          .sort((a, b) => (a.dueOn ?? '9999').localeCompare(b.dueOn ?? '9999'))
      : undefined;
  const toReview = (runs.data ?? []).filter((r) => r.status === 'computed' || r.status === 'in_review');
  const published = (runs.data ?? [])
    .filter((r) => r.status === 'published')
    .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? ''));
  const interviews = (warnings.data ?? []).filter((w) => w.level === 3);

  const tiles: Tile[] = [];
  if (decides)
    tiles.push({
      key: 'appeals',
      label: t('workbench.tiles.appeals'),
      value: appealed.data?.total,
      to: '/cases',
    });
  if (handlesOwn) {
    for (const [i, state] of OPEN_FOR_UNIT.entries())
      tiles.push({
        key: state,
        label: t(`workbench.tiles.${state}`),
        value: own[i]?.data?.total,
        to: '/cases',
      });
  }
  if (readCases) {
    tiles.push({
      key: 'overdue',
      label: t('workbench.tiles.overdue'),
      value: overdue.data?.total,
      to: '/cases',
      alert: true,
    });
    tiles.push({
      key: 'warnings',
      label: t('workbench.tiles.warnings', { days: WARNING_DAYS }),
      value: warnings.data?.length,
      more: warnings.data?.length === 100,
      to: '/warnings',
    });
  }
  if (reviews)
    tiles.push({
      key: 'held',
      label: t('workbench.tiles.held'),
      value: held.data?.length,
      more: held.data?.length === 50,
      to: '/held',
    });
  if (manages)
    tiles.push({
      key: 'runs',
      label: t('workbench.tiles.runs'),
      value: runs.data ? toReview.length : undefined,
      to: '/runs',
    });

  const runList = (list: RunSummary[], empty: string) => (
    <List
      size="small"
      loading={runs.isPending}
      dataSource={list.slice(0, LIST_SIZE)}
      locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={empty} /> }}
      renderItem={(r) => (
        <List.Item extra={<Tag>{t(`workbench.runStatus.${r.status}`)}</Tag>}>
          <Space size={8} wrap>
            <Link to={`/runs/${r.id}`}>{r.schemeName}</Link>
            <span>{r.periodName}</span>
            <span>{r.groupName}</span>
          </Space>
        </List.Item>
      )}
    />
  );

  const cards: ReactNode[] = [];
  if (handlesOwn)
    cards.push(
      <Section key="own" testId="wb-own-cases" title={t('workbench.ownCases')} to="/cases">
        <CaseList cases={ownCases?.slice(0, 12)} empty={t('workbench.noOwnCases')} />
      </Section>,
    );
  if (decides)
    cards.push(
      <Section key="appeals" testId="wb-appeals" title={t('workbench.appeals')} to="/cases">
        <CaseList cases={appealed.data?.items} empty={t('workbench.noAppeals')} />
      </Section>,
    );
  if (readCases)
    cards.push(
      <Section key="overdue" testId="wb-overdue" title={t('workbench.overdue')} to="/cases">
        <CaseList cases={overdue.data?.items} empty={t('workbench.noOverdue')} />
      </Section>,
    );
  if (readCases)
    cards.push(
      <Section
        key="warnings"
        testId="wb-warnings"
        title={readsRuns ? t('workbench.interviews') : t('workbench.warnings', { days: WARNING_DAYS })}
        to="/warnings"
      >
        <List
          size="small"
          loading={warnings.isPending}
          dataSource={(readsRuns ? interviews : (warnings.data ?? [])).slice(0, LIST_SIZE)}
          locale={{
            emptyText: (
              <Empty
                image={Empty.PRESENTED_IMAGE_SIMPLE}
                description={readsRuns ? t('workbench.noInterviews') : t('workbench.noWarnings')}
              />
            ),
          }}
          renderItem={(w) => (
            <List.Item extra={<Typography.Text type="secondary">{w.issuedOn}</Typography.Text>}>
              <Space size={8} wrap>
                <Tag color={w.level >= 3 ? 'red' : w.level === 2 ? 'volcano' : 'orange'}>{w.name}</Tag>
                <span>{w.unitName}</span>
                <Link to={`/cases/${w.caseId}`}>{w.caseReference}</Link>
              </Space>
            </List.Item>
          )}
        />
      </Section>,
    );
  if (manages)
    cards.push(
      <Section key="runs" testId="wb-runs" title={t('workbench.runsToReview')} to="/runs">
        {runList(toReview, t('workbench.noRunsToReview'))}
      </Section>,
    );
  if (readsRuns)
    cards.push(
      <Section key="rankings" testId="wb-rankings" title={t('workbench.rankings')} to="/runs">
        {runList(published, t('workbench.noRankings'))}
      </Section>,
    );
  if (readsAudit)
    cards.push(
      <Section key="audit" testId="wb-audit" title={t('workbench.audit')} to="/audit">
        <List
          size="small"
          loading={audit.isPending}
          dataSource={audit.data ?? []}
          renderItem={(e) => (
            <List.Item extra={<Typography.Text type="secondary">{formatTime(e.at)}</Typography.Text>}>
              <Space size={8} wrap>
                <span>{e.actorLabel}</span>
                <span>{t(`auditActions.${e.action}`, { defaultValue: t('workbench.otherAction') })}</span>
                <Typography.Text type="secondary">
                  {t(`entityTypes.${e.entityType}`, { defaultValue: '' })}
                </Typography.Text>
              </Space>
            </List.Item>
          )}
        />
      </Section>,
    );

  return (
    <>
      <PageTitle
        title={t('workbench.title')}
        description={t(`workbench.intro.${account.role}`, { name: account.displayName })}
      />
      {failed?.error && (
        <Alert type="error" showIcon title={errorText(failed.error)} style={{ marginBottom: 12 }} />
      )}
      {(readsRuns || readsAudit) && readCases && (
        <Alert type="info" showIcon title={t('workbench.readOnly')} style={{ marginBottom: 12 }} />
      )}
      {tiles.length > 0 && <Tiles tiles={tiles} />}
      {cards.length > 0 ? (
        <Row gutter={[16, 16]}>
          {cards.map((card, i) => (
            <Col key={i} xs={24} xl={12}>
              {card}
            </Col>
          ))}
        </Row>
      ) : (
        <Card>
          <Empty description={t('workbench.nothing')} />
        </Card>
      )}
    </>
  );
}
