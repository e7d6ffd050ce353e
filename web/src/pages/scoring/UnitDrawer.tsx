import { EditOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  Button,
  Card,
  Descriptions,
  Drawer,
  Empty,
  List,
  Space,
  Spin,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import {
  scoringApi,
  scoringKeys,
  type ComponentFlag,
  type ComponentResult,
  type FiredRule,
  type RunDetail,
  type UnitExplanation,
} from './api';
import { useScoringAccess } from './menu';
import { ProblemsModal } from './RunPage';
import { FlagTags, fmt, fmtInterval, mappingText, RankChange, sourceText } from './shared';

const COMPONENT_FLAG_COLORS: Record<ComponentFlag, string> = {
  small_sample: 'orange',
  shrunk: 'gold',
  average_substituted: 'blue',
  no_value: 'default',
};

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A fired rule in the clerk's language: a sentence from its kind and figures; the engine's own text in English. */
function ruleText(
  t: Translate,
  language: string,
  rule: FiredRule,
  componentName: (id: string) => string,
): string {
  if (language === 'en') return rule.detail;
  const p = rule.params;
  const component = typeof p.component === 'string' ? componentName(p.component) : '';
  let variant = '';
  if (rule.rule === 'promotion' && p.maxRank === undefined) variant = 'Barred';
  if (rule.rule === 'grade' && p.placesLeft !== undefined) variant = 'Quota';
  if (rule.rule === 'grade' && p.minScore === undefined && p.placesLeft === undefined) variant = 'Promoted';
  return t(`scoring.ruleText.${rule.rule}${variant}`, {
    ...Object.fromEntries(Object.entries(p).map(([k, v]) => [k, v ?? '—'])),
    component,
    defaultValue: rule.detail,
  });
}

/** Where a leaf's value came from, in Chinese (the engine writes it in English for the log). */
function provenanceText(t: Translate, language: string, provenance: string): string {
  if (language === 'en') return provenance;
  const scorer = /scored by (.+?);/u.exec(provenance);
  const entered = /entered by (.+?) from 《([^》]*)》(?: on (\d{4}-\d{2}-\d{2}))?/u.exec(provenance);
  if (entered) {
    const line = t('scoring.unitDrawer.enteredBy', {
      who: entered[1] ?? '',
      document: entered[2] ?? '',
      date: entered[3] ?? '',
    });
    return scorer ? `${t('scoring.unitDrawer.scoredBy', { scorer: scorer[1] ?? '' })}；${line}` : line;
  }
  return provenance.replace(/ of (\d+) /u, ' / $1 ').replace('(ratings ', '(评价 ');
}

/** How a leaf's value became its points, in the clerk's language. */
function workingText(t: Translate, language: string, c: ComponentResult, precision: number): string | null {
  if (language === 'en') return c.working ?? null;
  if (c.flags.includes('average_substituted'))
    return t('scoring.unitDrawer.workingAverage', { points: fmt(c.points, precision), max: c.maxPoints });
  if (c.value === null || c.value === undefined)
    return t('scoring.unitDrawer.workingNoValue', { points: fmt(c.points, precision), max: c.maxPoints });
  return t('scoring.unitDrawer.workingValue', {
    value: c.value,
    points: fmt(c.points, precision),
    max: c.maxPoints,
  });
}

function leafIds(node: ComponentResult, into = new Map<string, string>()): Map<string, string> {
  into.set(node.id, node.name);
  node.children?.forEach((c) => leafIds(c, into));
  return into;
}

/** A unit's result explained: each component's inputs, mapping and points, and every rule that fired. */
export function UnitDrawer({
  run,
  unitId,
  onClose,
  onProblemsSaved,
}: {
  run: RunDetail;
  unitId: string;
  onClose: () => void;
  onProblemsSaved: (text: string) => void;
}) {
  const { t, i18n } = useTranslation();
  const access = useScoringAccess();
  const [editing, setEditing] = useState(false);
  const unit = useQuery({
    queryKey: scoringKeys.unit(run.id, unitId),
    queryFn: () => scoringApi.unit(run.id, unitId),
  });
  const data: UnitExplanation | undefined = unit.data;
  const p = run.precision;
  const names = data ? leafIds(data.explanation) : new Map<string, string>();
  const problems = run.problems[unitId] ?? data?.problems ?? null;

  return (
    <Drawer
      open
      size={1000}
      onClose={onClose}
      title={
        data
          ? t('scoring.unitDrawer.title', {
              name: data.parentName ? `${data.parentName} ${data.name}` : data.name,
            })
          : t('scoring.unitDrawer.loading')
      }
      data-testid="unit-drawer"
    >
      {unit.isError && <Alert type="error" showIcon title={errorText(unit.error)} />}
      {!data ? (
        !unit.isError && <Spin style={{ display: 'block', padding: 48 }} />
      ) : (
        <Space orientation="vertical" size={12} style={{ width: '100%' }}>
          <Descriptions size="small" bordered column={3}>
            <Descriptions.Item label={t('scoring.run.rank')}>
              <Space>
                <Typography.Text strong>{data.rank}</Typography.Text>
                <RankChange change={data.rankChange} previous={data.previousRank} />
              </Space>
            </Descriptions.Item>
            <Descriptions.Item label={t('scoring.run.total')}>
              <Typography.Text strong data-testid="unit-total">
                {fmt(data.total, p)}
              </Typography.Text>
              {data.explanation.maxPoints ? ` / ${data.explanation.maxPoints}` : ''}
            </Descriptions.Item>
            <Descriptions.Item label={t('scoring.unitDrawer.interval')}>
              {data.interval ? fmtInterval(data.interval, p) : t('scoring.unitDrawer.noInterval')}
            </Descriptions.Item>
            <Descriptions.Item label={t('scoring.run.grade')}>{data.grade ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('scoring.unitDrawer.previousRank')}>
              {data.previousRank ?? '—'}
            </Descriptions.Item>
            <Descriptions.Item label={t('scoring.run.bonus')}>{fmt(data.bonusScore, p)}</Descriptions.Item>
            <Descriptions.Item label={t('scoring.run.flags')} span={3}>
              {data.flags.length ? <FlagTags flags={data.flags} /> : t('scoring.unitDrawer.noFlags')}
            </Descriptions.Item>
          </Descriptions>
          <Card size="small" title={t('scoring.unitDrawer.treeTitle')}>
            <Table<ComponentResult>
              size="small"
              rowKey="id"
              pagination={false}
              dataSource={[data.explanation]}
              expandable={{ defaultExpandAllRows: true }}
              data-testid="explanation-tree"
              columns={[
                {
                  title: t('scoring.unitDrawer.component'),
                  key: 'name',
                  width: 220,
                  render: (_: unknown, c) => (
                    <div>
                      <Typography.Text strong={Boolean(c.children?.length)}>{c.name}</Typography.Text>
                      {c.source && <div className="mp-sc-secondary">{sourceText(t, c.source)}</div>}
                    </div>
                  ),
                },
                {
                  title: t('scoring.unitDrawer.value'),
                  key: 'value',
                  width: 170,
                  render: (_: unknown, c) =>
                    c.source ? (
                      <div>
                        <div>
                          {c.value === null || c.value === undefined
                            ? t('scoring.unitDrawer.noValue')
                            : String(c.value)}
                          {c.recordedValue !== null &&
                            c.recordedValue !== undefined &&
                            c.recordedValue !== c.value && (
                              <Tooltip title={t('scoring.unitDrawer.recordedTip')}>
                                <span className="mp-sc-secondary">
                                  {' '}
                                  ({t('scoring.unitDrawer.recorded', { v: c.recordedValue })})
                                </span>
                              </Tooltip>
                            )}
                        </div>
                        {c.sampleSize !== null && c.sampleSize !== undefined && (
                          <div className="mp-sc-secondary">
                            {t('scoring.unitDrawer.sample', { n: c.sampleSize })}
                          </div>
                        )}
                        {c.valueInterval && (
                          <div className="mp-sc-secondary">
                            95%：{c.valueInterval.low} – {c.valueInterval.high}
                          </div>
                        )}
                      </div>
                    ) : null,
                },
                {
                  title: t('scoring.unitDrawer.working'),
                  key: 'working',
                  render: (_: unknown, c) =>
                    c.source ? (
                      <div>
                        <div className="mp-sc-secondary">{mappingText(t, c.mapping)}</div>
                        <div>{workingText(t, i18n.language, c, p)}</div>
                        {c.provenance && (
                          <div className="mp-sc-secondary">
                            {t('scoring.unitDrawer.provenance')}：
                            {provenanceText(t, i18n.language, c.provenance)}
                          </div>
                        )}
                      </div>
                    ) : (
                      <span className="mp-sc-secondary">{t('scoring.unitDrawer.sumOfChildren')}</span>
                    ),
                },
                {
                  title: t('scoring.unitDrawer.points'),
                  key: 'points',
                  width: 130,
                  align: 'right',
                  render: (_: unknown, c) => (
                    <div>
                      <Typography.Text strong>{fmt(c.points, p)}</Typography.Text>
                      <span className="mp-sc-secondary"> / {c.maxPoints}</span>
                      {c.pointsInterval && (
                        <div className="mp-sc-secondary">{fmtInterval(c.pointsInterval, p)}</div>
                      )}
                    </div>
                  ),
                },
                {
                  title: t('scoring.run.flags'),
                  key: 'flags',
                  width: 120,
                  render: (_: unknown, c) =>
                    c.flags.map((f) => (
                      <Tooltip key={f} title={t(`scoring.componentFlagHelp.${f}`)}>
                        <Tag color={COMPONENT_FLAG_COLORS[f]}>{t(`scoring.componentFlags.${f}`)}</Tag>
                      </Tooltip>
                    )),
                },
              ]}
            />
          </Card>
          <Card size="small" title={t('scoring.unitDrawer.rulesTitle')}>
            {data.rules.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.unitDrawer.noRules')} />
            ) : (
              <List
                size="small"
                dataSource={data.rules}
                renderItem={(rule) => (
                  <List.Item>
                    <Space align="start">
                      <Tag color="geekblue">{t(`scoring.rules.${rule.rule}`)}</Tag>
                      <span>{ruleText(t, i18n.language, rule, (id) => names.get(id) ?? id)}</span>
                    </Space>
                  </List.Item>
                )}
              />
            )}
          </Card>
          <Card
            size="small"
            title={t('scoring.run.problems')}
            extra={
              access.manage &&
              run.status !== 'published' && (
                <Button size="small" icon={<EditOutlined />} onClick={() => setEditing(true)}>
                  {t('common.edit')}
                </Button>
              )
            }
          >
            {problems ? (
              <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
                {problems}
              </Typography.Paragraph>
            ) : (
              <Typography.Text type="secondary">{t('scoring.unitDrawer.noProblems')}</Typography.Text>
            )}
          </Card>
        </Space>
      )}
      {editing && data && (
        <ProblemsModal
          run={run}
          unit={{ unitId, name: data.name }}
          onClose={() => setEditing(false)}
          onSaved={(text) => {
            onProblemsSaved(text);
            setEditing(false);
          }}
        />
      )}
    </Drawer>
  );
}
