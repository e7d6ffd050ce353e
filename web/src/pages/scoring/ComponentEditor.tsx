import {
  ArrowDownOutlined,
  ArrowUpOutlined,
  DeleteOutlined,
  ExclamationCircleFilled,
  MinusCircleOutlined,
  PlusOutlined,
} from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import {
  Alert,
  AutoComplete,
  Badge,
  Button,
  Card,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Tag,
  Tooltip,
  Tree,
  Typography,
} from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MAPPING_KINDS,
  RATING_STATISTICS,
  SOURCE_KINDS,
  scoringApi,
  scoringKeys,
  type ComponentNode,
  type Mapping,
  type MappingKind,
  type SchemeProblem,
  type SourceKind,
  type SourceSpec,
} from './api';
import { mappingText } from './shared';
import { childrenSum, findNode, isInner } from './tree';

export type Translate = (key: string, options?: Record<string, unknown>) => string;

/** A problem of the live check as a clerk reads it, with the figures of the component it names. */
export function problemText(t: Translate, problem: SchemeProblem, root: ComponentNode): string {
  const node = problem.component ? findNode(root, problem.component) : null;
  return t(`scoring.problems.${problem.code}`, {
    defaultValue: problem.message,
    name: node?.name ?? problem.component ?? '',
    sum: node ? (childrenSum(node) ?? 0) : '',
    points: node?.maxPoints ?? '',
  });
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** "8 / 10" in red when a node's children do not add up to its points. */
export function SumBadge({ node }: { node: ComponentNode }) {
  const { t } = useTranslation();
  const sum = childrenSum(node);
  if (sum === null) return null;
  const ok = sum === round(node.maxPoints);
  return (
    <Tooltip
      title={ok ? t('scoring.editor.sumOk') : t('scoring.editor.sumBad', { sum, points: node.maxPoints })}
    >
      <span className={ok ? 'mp-sc-sum-ok' : 'mp-sc-sum-bad'} data-testid={`sum-${node.id}`}>
        {t('scoring.editor.sumShort', { sum, points: node.maxPoints })}
      </span>
    </Tooltip>
  );
}

interface TreeItem {
  key: string;
  node: ComponentNode;
  children: TreeItem[];
}

const toItems = (node: ComponentNode): TreeItem => ({
  key: node.id,
  node,
  children: (node.children ?? []).map(toItems),
});

/** The component tree: each node with its points, its children's sum and its problems. */
export function ComponentTree({
  root,
  selected,
  onSelect,
  problems,
}: {
  root: ComponentNode;
  selected: string;
  onSelect: (id: string) => void;
  problems: Map<string, SchemeProblem[]>;
}) {
  const { t } = useTranslation();
  const items = useMemo(() => [toItems(root)], [root]);
  const expanded = useMemo(() => {
    const out: string[] = [];
    const walk = (n: ComponentNode) => {
      if (n.children?.length) out.push(n.id);
      n.children?.forEach(walk);
    };
    walk(root);
    return out;
  }, [root]);
  return (
    <Tree<TreeItem>
      blockNode
      showLine
      className="mp-sc-tree"
      treeData={items}
      expandedKeys={expanded}
      selectedKeys={[selected]}
      onSelect={(keys) => {
        const key = keys[0];
        if (typeof key === 'string') onSelect(key);
      }}
      titleRender={(item) => {
        const node = item.node;
        const own = problems.get(node.id) ?? [];
        return (
          <span className="mp-sc-node" data-testid={`node-${node.id}`}>
            <span className="mp-sc-node-name">{node.name || t('scoring.editor.unnamed')}</span>
            <Tag className="mp-sc-points">{t('scoring.pointsN', { n: node.maxPoints })}</Tag>
            <SumBadge node={node} />
            {!isInner(node) && node !== root && (
              <span className="mp-sc-secondary">
                {node.source ? t(`scoring.sourceKinds.${node.source.kind}`) : t('scoring.noSource')}
              </span>
            )}
            {own.length > 0 && (
              <Tooltip title={own.map((p) => problemText(t, p, root)).join('\n')}>
                <Badge count={own.length} size="small" style={{ marginInlineStart: 6 }} />
              </Tooltip>
            )}
          </span>
        );
      }}
    />
  );
}

const pctIn = (share: number | undefined) => (share === undefined ? null : round(share * 100));
const pctOut = (value: number | null) => (value === null ? 0 : Math.round((value / 100) * 1e8) / 1e8);

function defaultSource(kind: SourceKind): SourceSpec {
  switch (kind) {
    case 'rating_statistic':
      return { kind, statistic: 'goodRate' };
    case 'imported':
      return { kind, series: '' };
    case 'score_sheet':
      return { kind, task: '' };
    case 'campaign':
      return { kind, campaign: '', measure: '' };
  }
}

function defaultMapping(kind: MappingKind): Mapping {
  switch (kind) {
    case 'direct':
      return { kind };
    case 'linear':
      return { kind, from: 0, to: 100 };
    case 'steps':
      return {
        kind,
        steps: [
          { atLeast: 90, share: 1 },
          { atLeast: 80, share: 0.8 },
          { atLeast: 60, share: 0.6 },
        ],
      };
    case 'rank_rule':
      return { kind, fullUpTo: 3, stepShare: 0.05, lastRank: 16, floorShare: 0.3 };
  }
}

/** The form of one component: name, points, and for a leaf its source, mapping and missing rule. */
export function NodeForm({
  node,
  isRoot,
  readOnly,
  problems,
  root,
  onChange,
  onRenameId,
  onAddChild,
  onRemove,
  onMove,
}: {
  node: ComponentNode;
  isRoot: boolean;
  readOnly: boolean;
  problems: SchemeProblem[];
  root: ComponentNode;
  onChange: (node: ComponentNode) => void;
  onRenameId: (id: string) => void;
  onAddChild: () => void;
  onRemove: () => void;
  onMove: (by: -1 | 1) => void;
}) {
  const { t } = useTranslation();
  const inner = isInner(node);
  const series = useQuery({ queryKey: scoringKeys.series, queryFn: scoringApi.series, staleTime: 60_000 });
  const tasks = useQuery({ queryKey: scoringKeys.tasks, queryFn: scoringApi.tasks, staleTime: 60_000 });
  const seriesOptions = useMemo(
    () => [...new Set((series.data ?? []).map((s) => s.series))].sort().map((s) => ({ value: s })),
    [series.data],
  );
  const mapping = node.mapping ?? { kind: 'direct' as const };

  return (
    <Card
      size="small"
      title={
        <Space>
          <Tag color={isRoot ? 'blue' : inner ? 'geekblue' : 'default'}>
            {isRoot
              ? t('scoring.editor.rootTitle')
              : inner
                ? t('scoring.editor.innerTitle')
                : t('scoring.editor.leafTitle')}
          </Tag>
          <Typography.Text strong>{node.name || t('scoring.editor.unnamed')}</Typography.Text>
        </Space>
      }
      extra={
        !readOnly && (
          <Space size={4}>
            <Button size="small" icon={<PlusOutlined />} onClick={onAddChild}>
              {t('scoring.editor.addChild')}
            </Button>
            {!isRoot && (
              <>
                <Tooltip title={t('scoring.editor.moveUp')}>
                  <Button size="small" icon={<ArrowUpOutlined />} onClick={() => onMove(-1)} />
                </Tooltip>
                <Tooltip title={t('scoring.editor.moveDown')}>
                  <Button size="small" icon={<ArrowDownOutlined />} onClick={() => onMove(1)} />
                </Tooltip>
                <Popconfirm
                  title={t('scoring.editor.removeConfirm', { name: node.name })}
                  description={inner ? t('scoring.editor.removeInnerHint') : undefined}
                  onConfirm={onRemove}
                >
                  <Button size="small" danger icon={<DeleteOutlined />}>
                    {t('scoring.editor.remove')}
                  </Button>
                </Popconfirm>
              </>
            )}
          </Space>
        )
      }
    >
      {problems.length > 0 && (
        <Alert
          type="error"
          showIcon
          style={{ marginBottom: 12 }}
          data-testid="node-problems"
          title={
            <div>
              {problems.map((p, i) => (
                <div key={i}>{problemText(t, p, root)}</div>
              ))}
            </div>
          }
        />
      )}
      <Form layout="vertical" disabled={readOnly} component="div">
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item label={t('scoring.editor.name')} htmlFor="sc-node-name" required>
              <Input
                id="sc-node-name"
                value={node.name}
                maxLength={80}
                onChange={(e) => onChange({ ...node, name: e.target.value })}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item label={t('scoring.editor.points')} htmlFor="sc-node-points" required>
              <InputNumber
                id="sc-node-points"
                min={0}
                style={{ width: '100%' }}
                value={node.maxPoints}
                onChange={(v) => onChange({ ...node, maxPoints: typeof v === 'number' ? v : 0 })}
              />
            </Form.Item>
          </Col>
          <Col span={6}>
            <Form.Item
              label={t('scoring.editor.id')}
              htmlFor="sc-node-id"
              tooltip={t('scoring.editor.idHelp')}
              required
            >
              <Input
                id="sc-node-id"
                value={node.id}
                maxLength={40}
                onChange={(e) => onRenameId(e.target.value.replace(/[^A-Za-z0-9_-]/g, ''))}
              />
            </Form.Item>
          </Col>
        </Row>
        {inner ? (
          <Alert
            type={childrenSum(node) === round(node.maxPoints) ? 'success' : 'warning'}
            showIcon
            title={t('scoring.editor.innerSum', {
              n: node.children?.length ?? 0,
              sum: childrenSum(node),
              points: node.maxPoints,
            })}
            description={t('scoring.editor.innerHint')}
          />
        ) : isRoot ? (
          <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('scoring.editor.rootEmpty')}>
            {!readOnly && (
              <Button type="primary" icon={<PlusOutlined />} onClick={onAddChild}>
                {t('scoring.editor.addChild')}
              </Button>
            )}
          </Empty>
        ) : (
          <>
            <Typography.Title level={5} className="mp-sc-subtitle">
              {t('scoring.editor.sourceSection')}
            </Typography.Title>
            <Row gutter={12}>
              <Col span={10}>
                <Form.Item label={t('scoring.editor.sourceKind')} htmlFor="sc-source-kind" required>
                  <Select<SourceKind>
                    id="sc-source-kind"
                    placeholder={t('scoring.editor.sourceKindPlaceholder')}
                    value={node.source?.kind}
                    onChange={(kind) => onChange({ ...node, source: defaultSource(kind) })}
                    options={SOURCE_KINDS.map((kind) => ({
                      value: kind,
                      disabled: kind === 'campaign',
                      label:
                        kind === 'campaign' ? (
                          <Tooltip title={t('scoring.editor.campaignLater')}>
                            {t('scoring.sourceKinds.campaign')}（{t('scoring.editor.campaignLater')}）
                          </Tooltip>
                        ) : (
                          t(`scoring.sourceKinds.${kind}`)
                        ),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col span={14}>
                {node.source?.kind === 'rating_statistic' && (
                  <Form.Item label={t('scoring.editor.statistic')} htmlFor="sc-statistic" required>
                    <Select
                      id="sc-statistic"
                      value={node.source.statistic}
                      onChange={(statistic) =>
                        onChange({ ...node, source: { kind: 'rating_statistic', statistic } })
                      }
                      options={RATING_STATISTICS.map((s) => ({
                        value: s,
                        label: t(`scoring.statistics.${s}`),
                      }))}
                    />
                  </Form.Item>
                )}
                {node.source?.kind === 'imported' && (
                  <Form.Item
                    label={t('scoring.editor.series')}
                    htmlFor="sc-series"
                    required
                    tooltip={t('scoring.editor.seriesHelp')}
                  >
                    <AutoComplete
                      id="sc-series"
                      value={node.source.series}
                      options={seriesOptions}
                      placeholder={t('scoring.scores.seriesPlaceholder')}
                      showSearch={{
                        filterOption: (input, option) =>
                          String(option?.value ?? '')
                            .toLowerCase()
                            .includes(input.toLowerCase()),
                      }}
                      onChange={(value: string) =>
                        onChange({ ...node, source: { kind: 'imported', series: value.trim() } })
                      }
                    />
                  </Form.Item>
                )}
                {node.source?.kind === 'score_sheet' && (
                  <Form.Item
                    label={t('scoring.editor.task')}
                    htmlFor="sc-task"
                    required
                    help={(tasks.data ?? []).length === 0 ? t('scoring.editor.noTasks') : undefined}
                  >
                    <Select
                      id="sc-task"
                      value={node.source.task || undefined}
                      placeholder={t('scoring.editor.pickTask')}
                      onChange={(task: string) =>
                        onChange({ ...node, source: { kind: 'score_sheet', task } })
                      }
                      options={(tasks.data ?? []).map((task) => ({
                        value: task.key,
                        label: `${task.name}（${t('scoring.sheets.lead')}：${task.leadUnitName}）`,
                      }))}
                    />
                  </Form.Item>
                )}
                {node.source?.kind === 'campaign' && (
                  <Alert type="info" showIcon title={t('scoring.editor.campaignLater')} />
                )}
              </Col>
            </Row>
            <Typography.Title level={5} className="mp-sc-subtitle">
              {t('scoring.editor.mappingSection')}
            </Typography.Title>
            <Row gutter={12}>
              <Col span={10}>
                <Form.Item label={t('scoring.editor.mappingKind')} htmlFor="sc-mapping-kind">
                  <Select<MappingKind>
                    id="sc-mapping-kind"
                    value={mapping.kind}
                    onChange={(kind) => onChange({ ...node, mapping: defaultMapping(kind) })}
                    options={MAPPING_KINDS.map((kind) => ({
                      value: kind,
                      label: t(`scoring.mappingKinds.${kind}`),
                    }))}
                  />
                </Form.Item>
              </Col>
              <Col span={14}>
                <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginTop: 30 }}>
                  {t(`scoring.mappingHelp.${mapping.kind}`)}
                </Typography.Paragraph>
              </Col>
            </Row>
            <MappingFields mapping={mapping} onChange={(m) => onChange({ ...node, mapping: m })} />
            <Alert type="info" title={mappingText(t, mapping)} style={{ marginBottom: 12 }} />
            <Form.Item label={t('scoring.editor.missing')} tooltip={t('scoring.editor.missingHelp')}>
              <Radio.Group
                value={node.missing ?? 'zero'}
                onChange={(e) => onChange({ ...node, missing: e.target.value as 'zero' | 'average' })}
                options={[
                  { value: 'zero', label: t('scoring.missing.zero') },
                  { value: 'average', label: t('scoring.missing.average') },
                ]}
              />
            </Form.Item>
          </>
        )}
      </Form>
    </Card>
  );
}

function MappingFields({ mapping, onChange }: { mapping: Mapping; onChange: (m: Mapping) => void }) {
  const { t } = useTranslation();
  const num = (v: number | string | null) => (typeof v === 'number' ? v : 0);
  switch (mapping.kind) {
    case 'direct':
      return null;
    case 'linear':
      return (
        <Row gutter={12}>
          <FigureCol
            span={8}
            label={t('scoring.editor.linearFrom')}
            id="sc-linear-from"
            value={mapping.from}
            onChange={(from) => onChange({ ...mapping, from })}
          />
          <FigureCol
            span={8}
            label={t('scoring.editor.linearTo')}
            id="sc-linear-to"
            value={mapping.to}
            onChange={(to) => onChange({ ...mapping, to })}
          />
        </Row>
      );
    case 'steps':
      return (
        <div style={{ marginBottom: 12 }}>
          {mapping.steps.map((step, i) => (
            <Space key={i} style={{ marginBottom: 6 }}>
              <span className="mp-sc-secondary">{t('scoring.editor.stepAtLeast')}</span>
              <InputNumber
                aria-label={t('scoring.editor.stepAtLeast')}
                value={step.atLeast}
                onChange={(v) =>
                  onChange({
                    ...mapping,
                    steps: mapping.steps.map((s, j) => (j === i ? { ...s, atLeast: num(v) } : s)),
                  })
                }
              />
              <span className="mp-sc-secondary">{t('scoring.editor.stepShare')}</span>
              <InputNumber
                aria-label={t('scoring.editor.stepShare')}
                min={0}
                max={100}
                suffix="%"
                value={pctIn(step.share)}
                onChange={(v) =>
                  onChange({
                    ...mapping,
                    steps: mapping.steps.map((s, j) => (j === i ? { ...s, share: pctOut(num(v)) } : s)),
                  })
                }
              />
              <Button
                type="text"
                icon={<MinusCircleOutlined />}
                aria-label={t('scoring.editor.removeStep')}
                onClick={() => onChange({ ...mapping, steps: mapping.steps.filter((_, j) => j !== i) })}
              />
            </Space>
          ))}
          <div>
            <Button
              size="small"
              icon={<PlusOutlined />}
              onClick={() => onChange({ ...mapping, steps: [...mapping.steps, { atLeast: 0, share: 0 }] })}
            >
              {t('scoring.editor.addStep')}
            </Button>
          </div>
        </div>
      );
    case 'rank_rule':
      return (
        <Row gutter={12}>
          <FigureCol
            span={6}
            label={t('scoring.editor.fullUpTo')}
            id="sc-full-up-to"
            rank
            value={mapping.fullUpTo}
            onChange={(fullUpTo) => onChange({ ...mapping, fullUpTo })}
          />
          <FigureCol
            span={6}
            label={t('scoring.editor.stepShareRank')}
            id="sc-step-share"
            share
            value={mapping.stepShare}
            onChange={(stepShare) => onChange({ ...mapping, stepShare })}
          />
          <FigureCol
            span={6}
            label={t('scoring.editor.lastRank')}
            id="sc-last-rank"
            rank
            value={mapping.lastRank}
            onChange={(lastRank) => onChange({ ...mapping, lastRank })}
          />
          <FigureCol
            span={6}
            label={t('scoring.editor.floorShare')}
            id="sc-floor-share"
            share
            value={mapping.floorShare}
            onChange={(floorShare) => onChange({ ...mapping, floorShare })}
          />
        </Row>
      );
  }
}

/**
 * One figure of a mapping in its column: a plain number, a rank (a whole number from 1) or a share
 * (kept as a fraction, edited in per cent). An emptied field counts as 0.
 */
function FigureCol({
  span,
  label,
  id,
  value,
  onChange,
  rank = false,
  share = false,
}: {
  span: number;
  label: string;
  id: string;
  value: number;
  onChange: (value: number) => void;
  rank?: boolean;
  share?: boolean;
}) {
  const num = (v: number | string | null) => (typeof v === 'number' ? v : 0);
  return (
    <Col span={span}>
      <Form.Item label={label} htmlFor={id}>
        <InputNumber
          id={id}
          {...(rank ? { min: 1, precision: 0 } : {})}
          {...(share ? { min: 0, max: 100, suffix: '%' } : {})}
          style={{ width: '100%' }}
          value={share ? pctIn(value) : value}
          onChange={(v) => onChange(share ? pctOut(num(v)) : num(v))}
        />
      </Form.Item>
    </Col>
  );
}

/** The list of every problem, each naming its component; a click selects it. */
export function ProblemSummary({
  problems,
  root,
  checking,
  checkError,
  onSelect: select,
}: {
  problems: SchemeProblem[] | null;
  root: ComponentNode;
  checking: boolean;
  checkError: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useTranslation();
  if (checkError)
    return <Alert type="warning" showIcon title={t('scoring.editor.checkFailed', { error: checkError })} />;
  if (problems === null)
    return <Alert type="info" showIcon title={t('scoring.editor.checking')} data-testid="scheme-check" />;
  if (problems.length === 0)
    return (
      <Alert
        type="success"
        showIcon
        data-testid="scheme-check"
        title={checking ? t('scoring.editor.checking') : t('scoring.editor.checkOk')}
      />
    );
  return (
    <Alert
      type="error"
      showIcon
      icon={<ExclamationCircleFilled />}
      data-testid="scheme-check"
      title={t('scoring.editor.problemsTitle', { n: problems.length })}
      description={
        <ul className="mp-sc-problems">
          {problems.map((p, i) => {
            const node = p.component ? findNode(root, p.component) : null;
            return (
              <li key={i}>
                {node ? (
                  <Typography.Link onClick={() => select(node.id)}>{problemText(t, p, root)}</Typography.Link>
                ) : (
                  <>
                    <span>【{p.component ?? t('scoring.editor.wholeScheme')}】</span>
                    {problemText(t, p, root)}
                  </>
                )}
              </li>
            );
          })}
        </ul>
      }
    />
  );
}
