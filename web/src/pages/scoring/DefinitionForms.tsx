import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import {
  Button,
  Card,
  Checkbox,
  Col,
  Empty,
  Form,
  Input,
  InputNumber,
  Row,
  Select,
  Space,
  Switch,
  Table,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useCategories } from '../../queries';
import { UNIT_KINDS } from '../../types';
import type { GradeDef, PromotionRule, RankingGroupDef, ReviewStageDef, SchemeDefinition } from './api';
import { allNodes, leaves } from './tree';

type Change = (definition: SchemeDefinition) => void;

const round = (v: number) => Math.round(v * 1e6) / 1e6;
const pctIn = (share: number | undefined) => (share === undefined ? null : round(share * 100));
const num = (v: number | string | null) => (typeof v === 'number' ? v : undefined);

function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  return list.map((x, i) => (i === index ? item : x));
}

function move<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const target = index + by;
  if (target < 0 || target >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(index, 1);
  if (item !== undefined) out.splice(target, 0, item);
  return out;
}

/** Drops optional keys left empty, so the definition stays as the model expects. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(
      ([, v]) => v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0),
    ),
  ) as T;
}

function RowActions({
  readOnly,
  onUp,
  onDown,
  onRemove,
}: {
  readOnly: boolean;
  onUp?: () => void;
  onDown?: () => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  if (readOnly) return null;
  return (
    <Space size={0}>
      {onUp && (
        <Button
          type="text"
          size="small"
          icon={<ArrowUpOutlined />}
          aria-label={t('scoring.editor.moveUp')}
          onClick={onUp}
        />
      )}
      {onDown && (
        <Button
          type="text"
          size="small"
          icon={<ArrowDownOutlined />}
          aria-label={t('scoring.editor.moveDown')}
          onClick={onDown}
        />
      )}
      <Button
        type="text"
        size="small"
        danger
        icon={<DeleteOutlined />}
        aria-label={t('scoring.editor.remove')}
        onClick={onRemove}
      />
    </Space>
  );
}

/** One list of the definition as a card: its help line, a table of editable rows and an add button. */
function ListCard<T extends object>({
  title,
  help,
  addLabel,
  onAdd,
  emptyText,
  rows,
  columns,
  readOnly,
}: {
  title: string;
  help: string;
  addLabel: string;
  onAdd: () => void;
  emptyText: string;
  rows: readonly T[];
  columns: TableColumnsType<T>;
  readOnly: boolean;
}) {
  return (
    <Card
      size="small"
      title={title}
      extra={
        !readOnly && (
          <Button size="small" icon={<PlusOutlined />} onClick={onAdd}>
            {addLabel}
          </Button>
        )
      }
    >
      <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
        {help}
      </Typography.Paragraph>
      <Table<T>
        size="small"
        pagination={false}
        rowKey={(_, i) => String(i)}
        dataSource={rows}
        locale={{ emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={emptyText} /> }}
        columns={columns}
      />
    </Card>
  );
}

/** The key and name columns of groups and grades: a key keeps only letters, digits, _ and -. */
function keyNameColumns<T extends { key: string; name: string }>(
  labels: { key: string; name: string },
  widths: { key: number; name: number },
  readOnly: boolean,
  set: (index: number, row: T) => void,
): TableColumnsType<T> {
  return [
    {
      title: labels.key,
      width: widths.key,
      render: (_: unknown, row, i) => (
        <Input
          aria-label={labels.key}
          disabled={readOnly}
          value={row.key}
          onChange={(e) => set(i, { ...row, key: e.target.value.replace(/[^A-Za-z0-9_-]/g, '') })}
        />
      ),
    },
    {
      title: labels.name,
      width: widths.name,
      render: (_: unknown, row, i) => (
        <Input
          aria-label={labels.name}
          disabled={readOnly}
          value={row.name}
          onChange={(e) => set(i, { ...row, name: e.target.value })}
        />
      ),
    },
  ];
}

/** The last column: remove a row, and move it where the order of the list matters. */
function rowActionsColumn<T>(
  rows: readonly T[],
  setRows: (rows: T[]) => void,
  { readOnly, movable, width }: { readOnly: boolean; movable: boolean; width?: number },
): TableColumnsType<T>[number] {
  return {
    width,
    render: (_: unknown, _row, i) => (
      <RowActions
        readOnly={readOnly}
        onUp={movable ? () => setRows(move(rows, i, -1)) : undefined}
        onDown={movable ? () => setRows(move(rows, i, 1)) : undefined}
        onRemove={() => setRows(rows.filter((_, j) => j !== i))}
      />
    ),
  };
}

/** 排名分组: which units are ranked together. */
export function GroupsForm({
  definition,
  onChange,
  readOnly,
}: {
  definition: SchemeDefinition;
  onChange: Change;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const categories = useCategories();
  const groups = definition.groups;
  const set = (index: number, group: RankingGroupDef) =>
    onChange({ ...definition, groups: replaceAt(groups, index, compact(group)) });
  return (
    <ListCard<RankingGroupDef>
      title={t('scoring.editor.groupsTitle')}
      help={t('scoring.editor.groupsHelp')}
      addLabel={t('scoring.editor.addGroup')}
      onAdd={() =>
        onChange({
          ...definition,
          groups: [...groups, { key: `group${groups.length + 1}`, name: '' }],
        })
      }
      emptyText={t('scoring.editor.groupsEmpty')}
      rows={groups}
      readOnly={readOnly}
      columns={[
        ...keyNameColumns<RankingGroupDef>(
          { key: t('scoring.editor.groupKey'), name: t('scoring.editor.groupName') },
          { key: 120, name: 160 },
          readOnly,
          set,
        ),
        {
          title: t('scoring.editor.groupKinds'),
          width: 200,
          render: (_: unknown, g, i) => (
            <Select<string[]>
              mode="multiple"
              aria-label={t('scoring.editor.groupKinds')}
              disabled={readOnly}
              style={{ width: '100%' }}
              value={g.kinds ?? []}
              onChange={(kinds) => set(i, { ...g, kinds })}
              options={UNIT_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
            />
          ),
        },
        {
          title: t('scoring.editor.groupCategories'),
          width: 200,
          render: (_: unknown, g, i) => (
            <Select<string[]>
              mode="tags"
              aria-label={t('scoring.editor.groupCategories')}
              disabled={readOnly}
              style={{ width: '100%' }}
              value={g.categoryCodes ?? []}
              onChange={(categoryCodes) => set(i, { ...g, categoryCodes })}
              options={(categories.data ?? []).map((c) => ({ value: c.code, label: c.name }))}
            />
          ),
        },
        {
          title: t('scoring.editor.groupUnitCodes'),
          render: (_: unknown, g, i) => (
            <Select<string[]>
              mode="tags"
              aria-label={t('scoring.editor.groupUnitCodes')}
              disabled={readOnly}
              style={{ width: '100%' }}
              value={g.unitCodes ?? []}
              tokenSeparators={[',', '，', ' ']}
              onChange={(unitCodes) => set(i, { ...g, unitCodes })}
              open={false}
            />
          ),
        },
        {
          title: t('scoring.editor.groupWithin'),
          width: 130,
          render: (_: unknown, g, i) => (
            <Input
              aria-label={t('scoring.editor.groupWithin')}
              disabled={readOnly}
              value={g.withinCode ?? ''}
              onChange={(e) => set(i, { ...g, withinCode: e.target.value.trim() })}
            />
          ),
        },
        rowActionsColumn(groups, (next) => onChange({ ...definition, groups: next }), {
          readOnly,
          movable: false,
          width: 60,
        }),
      ]}
    />
  );
}

/** 等次、一票否决、例外晋级 and the bonus figure. */
export function RulesForm({
  definition,
  onChange,
  readOnly,
}: {
  definition: SchemeDefinition;
  onChange: Change;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const grades = definition.grades;
  const promotions = definition.promotions;
  const setGrade = (index: number, grade: GradeDef) =>
    onChange({ ...definition, grades: replaceAt(grades, index, compact(grade)) });
  const setPromotion = (index: number, rule: PromotionRule) =>
    onChange({ ...definition, promotions: replaceAt(promotions, index, rule) });
  const leafOptions = leaves(definition.root).map((n) => ({ value: n.id, label: n.name || n.id }));
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <ListCard<GradeDef>
        title={t('scoring.editor.gradesTitle')}
        help={t('scoring.editor.gradesHelp')}
        addLabel={t('scoring.editor.addGrade')}
        onAdd={() =>
          onChange({ ...definition, grades: [...grades, { key: `g${grades.length + 1}`, name: '' }] })
        }
        emptyText={t('scoring.editor.gradesEmpty')}
        rows={grades}
        readOnly={readOnly}
        columns={[
          ...keyNameColumns<GradeDef>(
            { key: t('scoring.editor.gradeKey'), name: t('scoring.editor.gradeName') },
            { key: 110, name: 140 },
            readOnly,
            setGrade,
          ),
          {
            title: t('scoring.editor.gradeMinScore'),
            width: 120,
            render: (_: unknown, g, i) => (
              <InputNumber
                aria-label={t('scoring.editor.gradeMinScore')}
                disabled={readOnly}
                value={g.minScore ?? null}
                onChange={(v) => setGrade(i, { ...g, minScore: num(v) })}
              />
            ),
          },
          {
            title: t('scoring.editor.gradeMaxShare'),
            width: 120,
            render: (_: unknown, g, i) => (
              <InputNumber
                aria-label={t('scoring.editor.gradeMaxShare')}
                disabled={readOnly}
                min={0}
                max={100}
                suffix="%"
                value={pctIn(g.maxShare)}
                onChange={(v) => {
                  const n = num(v);
                  setGrade(i, {
                    ...g,
                    maxShare: n === undefined ? undefined : Math.round((n / 100) * 1e8) / 1e8,
                  });
                }}
              />
            ),
          },
          {
            title: t('scoring.editor.gradeQuota'),
            width: 110,
            render: (_: unknown, g, i) => (
              <InputNumber
                aria-label={t('scoring.editor.gradeQuota')}
                disabled={readOnly}
                min={0}
                precision={0}
                value={g.quota ?? null}
                onChange={(v) => setGrade(i, { ...g, quota: num(v) })}
              />
            ),
          },
          rowActionsColumn(grades, (next) => onChange({ ...definition, grades: next }), {
            readOnly,
            movable: true,
          }),
        ]}
      />
      <Card size="small" title={t('scoring.editor.vetoTitle')}>
        <Space orientation="vertical">
          <Checkbox
            disabled={readOnly}
            checked={definition.veto.barsTopGrade}
            onChange={(e) =>
              onChange({ ...definition, veto: { ...definition.veto, barsTopGrade: e.target.checked } })
            }
          >
            {t('scoring.editor.vetoBarsTop')}
          </Checkbox>
          <Checkbox
            disabled={readOnly}
            checked={definition.veto.toBottomList}
            onChange={(e) =>
              onChange({ ...definition, veto: { ...definition.veto, toBottomList: e.target.checked } })
            }
          >
            {t('scoring.editor.vetoToBottom')}
          </Checkbox>
          <Space>
            <Switch
              disabled={readOnly}
              checked={definition.bonusByActualScore}
              onChange={(bonusByActualScore) => onChange({ ...definition, bonusByActualScore })}
              aria-label={t('scoring.editor.bonus')}
            />
            <span>{t('scoring.editor.bonus')}</span>
          </Space>
        </Space>
      </Card>
      <ListCard<PromotionRule>
        title={t('scoring.editor.promotionsTitle')}
        help={t('scoring.editor.promotionsHelp')}
        addLabel={t('scoring.editor.addPromotion')}
        onAdd={() =>
          onChange({
            ...definition,
            promotions: [
              ...promotions,
              {
                id: `p${promotions.length + 1}`,
                label: '',
                leaves: [],
                maxRank: 3,
                grade: grades[0]?.key ?? '',
              },
            ],
          })
        }
        emptyText={t('scoring.editor.promotionsEmpty')}
        rows={promotions}
        readOnly={readOnly}
        columns={[
          {
            title: t('scoring.editor.promotionLabel'),
            width: 220,
            render: (_: unknown, p, i) => (
              <Input
                aria-label={t('scoring.editor.promotionLabel')}
                disabled={readOnly}
                value={p.label}
                onChange={(e) => setPromotion(i, { ...p, label: e.target.value })}
              />
            ),
          },
          {
            title: t('scoring.editor.promotionLeaves'),
            render: (_: unknown, p, i) => (
              <Select<string[]>
                mode="multiple"
                aria-label={t('scoring.editor.promotionLeaves')}
                disabled={readOnly}
                style={{ width: '100%' }}
                value={p.leaves}
                onChange={(ls) => setPromotion(i, { ...p, leaves: ls })}
                options={leafOptions}
              />
            ),
          },
          {
            title: t('scoring.editor.promotionMaxRank'),
            width: 110,
            render: (_: unknown, p, i) => (
              <InputNumber
                aria-label={t('scoring.editor.promotionMaxRank')}
                disabled={readOnly}
                min={1}
                precision={0}
                value={p.maxRank}
                onChange={(v) => setPromotion(i, { ...p, maxRank: num(v) ?? 1 })}
              />
            ),
          },
          {
            title: t('scoring.editor.promotionGrade'),
            width: 140,
            render: (_: unknown, p, i) => (
              <Select<string>
                aria-label={t('scoring.editor.promotionGrade')}
                disabled={readOnly}
                style={{ width: '100%' }}
                value={p.grade || undefined}
                onChange={(grade) => setPromotion(i, { ...p, grade })}
                options={grades.map((g) => ({ value: g.key, label: g.name || g.key }))}
              />
            ),
          },
          rowActionsColumn(promotions, (next) => onChange({ ...definition, promotions: next }), {
            readOnly,
            movable: false,
            width: 50,
          }),
        ]}
      />
    </Space>
  );
}

/** 名单与审议: list sizes and the review stages in order. */
export function ReviewForm({
  definition,
  onChange,
  readOnly,
}: {
  definition: SchemeDefinition;
  onChange: Change;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const stages = definition.review.stages;
  const setStages = (next: ReviewStageDef[]) => onChange({ ...definition, review: { stages: next } });
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Card size="small" title={t('scoring.editor.listsTitle')}>
        <Form layout="inline" disabled={readOnly} component="div">
          <Form.Item label={t('scoring.editor.listBest')} htmlFor="sc-list-best">
            <InputNumber
              id="sc-list-best"
              min={0}
              precision={0}
              value={definition.lists.best}
              onChange={(v) => onChange({ ...definition, lists: { ...definition.lists, best: num(v) ?? 0 } })}
            />
          </Form.Item>
          <Form.Item label={t('scoring.editor.listWorst')} htmlFor="sc-list-worst">
            <InputNumber
              id="sc-list-worst"
              min={0}
              precision={0}
              value={definition.lists.worst}
              onChange={(v) =>
                onChange({ ...definition, lists: { ...definition.lists, worst: num(v) ?? 0 } })
              }
            />
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ fontSize: 13, marginTop: 8, marginBottom: 0 }}>
          {t('scoring.editor.listsHelp')}
        </Typography.Paragraph>
      </Card>
      <ListCard<ReviewStageDef>
        title={t('scoring.editor.stagesTitle')}
        help={t('scoring.editor.stagesHelp')}
        addLabel={t('scoring.editor.addStage')}
        onAdd={() =>
          setStages([
            ...stages,
            {
              name: '',
              body: '',
              size: stages.at(-1)?.size ?? Math.max(definition.lists.best, definition.lists.worst),
            },
          ])
        }
        emptyText={t('scoring.editor.stagesEmpty')}
        rows={stages}
        readOnly={readOnly}
        columns={[
          { title: '#', width: 40, render: (_: unknown, _s, i) => i + 1 },
          {
            title: t('scoring.editor.stageName'),
            render: (_: unknown, s, i) => (
              <Input
                aria-label={`${t('scoring.editor.stageName')} ${i + 1}`}
                disabled={readOnly}
                value={s.name}
                placeholder={t('scoring.editor.stageNamePlaceholder')}
                onChange={(e) => setStages(replaceAt(stages, i, { ...s, name: e.target.value }))}
              />
            ),
          },
          {
            title: t('scoring.editor.stageBody'),
            width: 200,
            render: (_: unknown, s, i) => (
              <Input
                aria-label={`${t('scoring.editor.stageBody')} ${i + 1}`}
                disabled={readOnly}
                value={s.body}
                placeholder={t('scoring.editor.stageBodyPlaceholder')}
                onChange={(e) => setStages(replaceAt(stages, i, { ...s, body: e.target.value }))}
              />
            ),
          },
          {
            title: t('scoring.editor.stageSize'),
            width: 120,
            render: (_: unknown, s, i) => (
              <InputNumber
                aria-label={`${t('scoring.editor.stageSize')} ${i + 1}`}
                disabled={readOnly}
                min={0}
                precision={0}
                value={s.size}
                onChange={(v) => setStages(replaceAt(stages, i, { ...s, size: num(v) ?? 0 }))}
              />
            ),
          },
          rowActionsColumn(stages, setStages, { readOnly, movable: true, width: 100 }),
        ]}
      />
    </Space>
  );
}

/** 计算设置: precision, tie-break and the statistics of uncertainty. */
export function CalculationForm({
  definition,
  onChange,
  readOnly,
}: {
  definition: SchemeDefinition;
  onChange: Change;
  readOnly: boolean;
}) {
  const { t } = useTranslation();
  const componentOptions = allNodes(definition.root)
    .filter((n) => n.id !== definition.root.id)
    .map((n) => ({ value: n.id, label: n.name || n.id }));
  return (
    <Card size="small" title={t('scoring.editor.calcTitle')}>
      <Form layout="vertical" disabled={readOnly} component="div" style={{ maxWidth: 720 }}>
        <Row gutter={12}>
          <Col span={8}>
            <Form.Item
              label={t('scoring.editor.precision')}
              htmlFor="sc-precision"
              help={t('scoring.editor.precisionHelp')}
            >
              <InputNumber
                id="sc-precision"
                min={0}
                max={6}
                precision={0}
                value={definition.precision}
                onChange={(v) => onChange({ ...definition, precision: num(v) ?? 0 })}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              label={t('scoring.editor.minSample')}
              htmlFor="sc-min-sample"
              help={t('scoring.editor.minSampleHelp')}
            >
              <InputNumber
                id="sc-min-sample"
                min={0}
                precision={0}
                value={definition.uncertainty.minSample}
                onChange={(v) =>
                  onChange({
                    ...definition,
                    uncertainty: { ...definition.uncertainty, minSample: num(v) ?? 0 },
                  })
                }
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item label={t('scoring.editor.shrink')} help={t('scoring.editor.shrinkHelp')}>
              <Switch
                aria-label={t('scoring.editor.shrink')}
                checked={definition.uncertainty.shrink}
                onChange={(shrink) =>
                  onChange({ ...definition, uncertainty: { ...definition.uncertainty, shrink } })
                }
              />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item
          label={t('scoring.editor.tieBreak')}
          htmlFor="sc-tie-break"
          help={t('scoring.editor.tieBreakHelp')}
        >
          <Select<string[]>
            id="sc-tie-break"
            mode="multiple"
            value={definition.tieBreak}
            onChange={(tieBreak) => onChange({ ...definition, tieBreak })}
            options={componentOptions}
          />
        </Form.Item>
      </Form>
    </Card>
  );
}
