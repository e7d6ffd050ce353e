import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Dropdown,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useCategories, useUnits } from '../../queries';
import {
  campaignsApi,
  DEFAULT_SATISFACTION_SCORES,
  EVALUATOR_SOURCES,
  ITEM_KINDS,
  SATISFACTION_LEVELS,
  type CampaignInput,
  type EvaluatorSource,
  type ItemKind,
  type QuestionItem,
  type Questionnaire,
  type SubjectKind,
} from './api';
import { PhonePreview } from './PhonePreview';

/*
 * /campaigns/new — the office designs a campaign: subjects (units from the registry, by category or tag,
 * or key tasks with their lead unit and highlights), a questionnaire from the scales with a phone preview,
 * rounds and their stages with each stage's evaluator source. Saved as a draft; opened from its page.
 */

interface SubjectRow {
  rowKey: string;
  unitId: string;
  name: string;
  group: string;
  description: string;
  highlights: string;
}

interface StageRow {
  name: string;
  source: EvaluatorSource;
  opensOn: string;
  closesOn: string;
}

interface RoundRow {
  key: string;
  name: string;
  opensOn: string;
  closesOn: string;
  stages: StageRow[];
}

const today = () => new Date().toISOString().slice(0, 10);
const yearEnd = () => `${today().slice(0, 4)}-12-31`;
let rowCounter = 0;
const nextRowKey = () => `row-${(rowCounter += 1)}`;

const KEY_BASE: Record<ItemKind, string> = {
  satisfaction: 'sat',
  difficulty: 'dif',
  checklist: 'signs',
  dimensions: 'dims',
  yes_no: 'yes',
  choice: 'choice',
  text: 'advice',
};

export function DesignerPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const client = useQueryClient();
  const units = useUnits().data ?? [];
  const categories = useCategories().data ?? [];
  const categoryName = useMemo(() => new Map(categories.map((c) => [c.id, c.name])), [categories]);
  const tags = useMemo(() => [...new Set(units.flatMap((u) => u.tags))].sort(), [units]);

  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [description, setDescription] = useState('');
  const [subjectKind, setSubjectKind] = useState<SubjectKind>('key_task');
  const [named, setNamed] = useState(false);
  const [minResponses, setMinResponses] = useState(30);
  const [subjects, setSubjects] = useState<SubjectRow[]>([]);
  const [pickUnit, setPickUnit] = useState<string | null>(null);
  const [items, setItems] = useState<QuestionItem[]>(() => [
    { key: 'sat', kind: 'satisfaction', prompt: t('campaigns.designer.defaults.satisfaction') },
  ]);
  const [intro, setIntro] = useState('');
  const [scores, setScores] = useState({ ...DEFAULT_SATISFACTION_SCORES });
  const [keyTask, setKeyTask] = useState<{
    on: boolean;
    perLevel: number;
    centre: number;
    cap: number | null;
  }>({
    on: true,
    perLevel: 0.05,
    centre: 3,
    cap: 100,
  });
  const [rounds, setRounds] = useState<RoundRow[]>(() => [
    {
      key: 'mid',
      name: t('campaigns.designer.defaults.round'),
      opensOn: today(),
      closesOn: yearEnd(),
      stages: [
        {
          name: t('campaigns.designer.defaults.stage'),
          source: 'directed',
          opensOn: today(),
          closesOn: yearEnd(),
        },
      ],
    },
  ]);
  const [saving, setSaving] = useState(false);

  // --- subjects ---
  const unitName = (id: string) => units.find((u) => u.id === id)?.name ?? '';
  const addUnits = (ids: string[]) =>
    setSubjects((prev) => {
      const have = new Set(prev.map((s) => s.unitId));
      const added = ids
        .filter((id) => !have.has(id))
        .map((id) => {
          const unit = units.find((u) => u.id === id);
          return {
            rowKey: nextRowKey(),
            unitId: id,
            name: unit?.name ?? '',
            group: (unit?.categoryId && categoryName.get(unit.categoryId)) || '',
            description: '',
            highlights: '',
          };
        });
      return [...prev, ...added];
    });
  const addTask = () =>
    setSubjects((prev) => [
      ...prev,
      { rowKey: nextRowKey(), unitId: '', name: '', group: '', description: '', highlights: '' },
    ]);
  const setSubject = (rowKey: string, change: Partial<SubjectRow>) =>
    setSubjects((prev) => prev.map((s) => (s.rowKey === rowKey ? { ...s, ...change } : s)));

  // --- questionnaire ---
  const addItem = (kind: ItemKind) =>
    setItems((prev) => {
      const used = new Set(prev.map((i) => i.key));
      let k = KEY_BASE[kind];
      for (let n = 2; used.has(k); n += 1) k = `${KEY_BASE[kind]}${n}`;
      const prompt = t(`campaigns.designer.defaults.${kind}`);
      const item: QuestionItem =
        kind === 'dimensions'
          ? {
              key: k,
              kind,
              prompt,
              dimensions: [1, 2, 3].map((n) => ({
                key: `d${n}`,
                name: t('campaigns.designer.dimension', { n }),
              })),
            }
          : kind === 'choice'
            ? {
                key: k,
                kind,
                prompt,
                options: [1, 2].map((n) => ({ key: `o${n}`, label: t('campaigns.designer.option', { n }) })),
              }
            : kind === 'text'
              ? { key: k, kind, prompt, maxLength: 500 }
              : { key: k, kind, prompt };
      return [...prev, item];
    });
  const setItem = (index: number, change: Partial<QuestionItem>) =>
    setItems((prev) =>
      prev.map((item, i) => (i === index ? ({ ...item, ...change } as QuestionItem) : item)),
    );

  const satItem = items.find((i) => i.kind === 'satisfaction');
  const difItem = items.find((i) => i.kind === 'difficulty');
  const keyTaskPossible = subjectKind === 'key_task' && satItem !== undefined && difItem !== undefined;
  const questionnaire: Questionnaire = {
    ...(intro.trim() ? { intro: intro.trim() } : {}),
    items,
    satisfactionScores: scores,
    ...(keyTaskPossible && keyTask.on && satItem && difItem
      ? {
          keyTask: {
            satisfaction: satItem.key,
            difficulty: difItem.key,
            formula: { kind: 'linear' as const, centre: keyTask.centre, perLevel: keyTask.perLevel },
            ...(keyTask.cap === null ? {} : { cap: keyTask.cap }),
          },
        }
      : {}),
  };

  // --- rounds ---
  const setRound = (index: number, change: Partial<RoundRow>) =>
    setRounds((prev) => prev.map((r, i) => (i === index ? { ...r, ...change } : r)));
  const setStage = (ri: number, si: number, change: Partial<StageRow>) =>
    setRounds((prev) =>
      prev.map((r, i) =>
        i === ri ? { ...r, stages: r.stages.map((s, j) => (j === si ? { ...s, ...change } : s)) } : r,
      ),
    );

  const save = async () => {
    const input: CampaignInput = {
      key: key.trim(),
      name: name.trim(),
      description: description.trim(),
      subjectKind,
      questionnaire,
      named,
      minResponses,
      subjects: subjects.map((s) => ({
        kind: subjectKind,
        unitId: s.unitId,
        ...(s.name.trim() ? { name: s.name.trim() } : {}),
        group: s.group.trim(),
        description: s.description.trim(),
        highlights: s.highlights
          .split('\n')
          .map((h) => h.trim())
          .filter((h) => h !== ''),
      })),
      rounds: rounds.map((r) => ({ ...r, stages: r.stages.map((s) => ({ ...s })) })),
    };
    setSaving(true);
    try {
      const created = await campaignsApi.create(input);
      await client.invalidateQueries({ queryKey: ['campaigns'] });
      void message.success(t('campaigns.designer.saved'));
      void navigate(`/campaigns/${created.id}`);
    } catch (e) {
      void message.error(errorText(e));
    } finally {
      setSaving(false);
    }
  };

  const ready =
    name.trim() !== '' &&
    key.trim() !== '' &&
    subjects.length > 0 &&
    subjects.every((s) => s.unitId !== '' && (subjectKind === 'unit' || s.name.trim() !== '')) &&
    items.length > 0;

  return (
    <>
      <PageTitle title={t('campaigns.designer.title')} description={t('campaigns.designer.description')} />
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Card title={t('campaigns.designer.basics')}>
          <Row gutter={16}>
            <Col xs={24} md={12}>
              <label className="mp-field-label" htmlFor="cd-name">
                {t('campaigns.designer.name')}
              </label>
              <Input id="cd-name" value={name} maxLength={200} onChange={(e) => setName(e.target.value)} />
            </Col>
            <Col xs={24} md={6}>
              <label className="mp-field-label" htmlFor="cd-key">
                {t('campaigns.designer.key')}
              </label>
              <Input
                id="cd-key"
                value={key}
                maxLength={40}
                placeholder="taian-2026"
                onChange={(e) => setKey(e.target.value)}
              />
            </Col>
            <Col xs={24} md={6}>
              <label className="mp-field-label" htmlFor="cd-min">
                {t('campaigns.designer.minResponses')}
              </label>
              <InputNumber
                id="cd-min"
                min={0}
                max={100000}
                value={minResponses}
                onChange={(v) => setMinResponses(v ?? 0)}
                style={{ width: '100%' }}
              />
            </Col>
          </Row>
          <label className="mp-field-label" htmlFor="cd-desc">
            {t('campaigns.designer.campaignDescription')}
          </label>
          <Input.TextArea
            id="cd-desc"
            rows={2}
            maxLength={4000}
            value={description}
            onChange={(e) => setDescription(e.target.value)}
          />
          <Space style={{ marginTop: 12 }} wrap>
            <span>{t('campaigns.designer.subjectKind')}</span>
            <Radio.Group
              value={subjectKind}
              onChange={(e) => {
                setSubjectKind(e.target.value as SubjectKind);
                setSubjects([]);
              }}
              optionType="button"
              options={[
                { value: 'key_task', label: t('campaigns.subjectKinds.key_task') },
                { value: 'unit', label: t('campaigns.subjectKinds.unit') },
              ]}
            />
            <Checkbox checked={named} onChange={(e) => setNamed(e.target.checked)}>
              {t('campaigns.designer.named')}
            </Checkbox>
          </Space>
        </Card>

        <Card
          title={t('campaigns.designer.subjects', { n: subjects.length })}
          extra={
            subjectKind === 'key_task' ? (
              <Button icon={<PlusOutlined />} onClick={addTask}>
                {t('campaigns.designer.addTask')}
              </Button>
            ) : null
          }
        >
          {subjectKind === 'unit' && (
            <Space wrap style={{ marginBottom: 12 }}>
              <UnitTreeSelect
                units={units}
                value={pickUnit}
                onChange={setPickUnit}
                placeholder={t('campaigns.designer.pickUnit')}
                style={{ width: 320 }}
              />
              <Button
                disabled={!pickUnit}
                onClick={() => {
                  if (pickUnit) addUnits([pickUnit]);
                  setPickUnit(null);
                }}
              >
                {t('campaigns.designer.add')}
              </Button>
              <Select
                placeholder={t('campaigns.designer.byCategory')}
                style={{ width: 200 }}
                value={null}
                options={categories.map((c) => ({ value: c.id, label: c.name }))}
                onChange={(id: string) =>
                  addUnits(units.filter((u) => u.categoryId === id && u.active).map((u) => u.id))
                }
              />
              <Select
                placeholder={t('campaigns.designer.byTag')}
                style={{ width: 200 }}
                value={null}
                options={tags.map((tag) => ({ value: tag, label: tag }))}
                onChange={(tag: string) =>
                  addUnits(units.filter((u) => u.tags.includes(tag) && u.active).map((u) => u.id))
                }
              />
            </Space>
          )}
          <Table<SubjectRow>
            rowKey="rowKey"
            size="small"
            pagination={subjects.length > 20 ? { pageSize: 20 } : false}
            dataSource={subjects}
            locale={{ emptyText: t('campaigns.designer.noSubjects') }}
            columns={[
              {
                title:
                  subjectKind === 'unit' ? t('campaigns.designer.unit') : t('campaigns.designer.taskName'),
                render: (_, s) =>
                  subjectKind === 'unit' ? (
                    unitName(s.unitId)
                  ) : (
                    <Input
                      aria-label={t('campaigns.designer.taskName')}
                      value={s.name}
                      maxLength={100}
                      onChange={(e) => setSubject(s.rowKey, { name: e.target.value })}
                    />
                  ),
              },
              ...(subjectKind === 'key_task'
                ? [
                    {
                      title: t('campaigns.designer.leadUnit'),
                      width: 240,
                      render: (_: unknown, s: SubjectRow) => (
                        <UnitTreeSelect
                          units={units}
                          value={s.unitId || null}
                          onChange={(v) => setSubject(s.rowKey, { unitId: v ?? '' })}
                          placeholder={t('campaigns.designer.leadUnit')}
                          style={{ width: '100%' }}
                        />
                      ),
                    },
                  ]
                : []),
              {
                title: t('campaigns.designer.group'),
                width: 140,
                render: (_, s) => (
                  <Input
                    aria-label={t('campaigns.designer.group')}
                    value={s.group}
                    maxLength={60}
                    onChange={(e) => setSubject(s.rowKey, { group: e.target.value })}
                  />
                ),
              },
              ...(subjectKind === 'key_task'
                ? [
                    {
                      title: t('campaigns.designer.taskDescription'),
                      render: (_: unknown, s: SubjectRow) => (
                        <Input.TextArea
                          aria-label={t('campaigns.designer.taskDescription')}
                          rows={1}
                          autoSize
                          value={s.description}
                          onChange={(e) => setSubject(s.rowKey, { description: e.target.value })}
                        />
                      ),
                    },
                    {
                      title: t('campaigns.designer.highlights'),
                      render: (_: unknown, s: SubjectRow) => (
                        <Input.TextArea
                          aria-label={t('campaigns.designer.highlights')}
                          rows={1}
                          autoSize
                          placeholder={t('campaigns.designer.highlightsHint')}
                          value={s.highlights}
                          onChange={(e) => setSubject(s.rowKey, { highlights: e.target.value })}
                        />
                      ),
                    },
                  ]
                : []),
              {
                width: 48,
                render: (_, s) => (
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('campaigns.designer.remove')}
                    onClick={() => setSubjects((prev) => prev.filter((x) => x.rowKey !== s.rowKey))}
                  />
                ),
              },
            ]}
          />
        </Card>

        <Row gutter={16}>
          <Col xs={24} lg={15}>
            <Card
              title={t('campaigns.designer.questionnaire')}
              extra={
                <Dropdown
                  menu={{
                    items: ITEM_KINDS.map((k) => ({ key: k, label: t(`campaigns.itemKinds.${k}`) })),
                    onClick: ({ key: k }) => addItem(k as ItemKind),
                  }}
                >
                  <Button icon={<PlusOutlined />}>{t('campaigns.designer.addItem')}</Button>
                </Dropdown>
              }
            >
              <label className="mp-field-label" htmlFor="cd-intro">
                {t('campaigns.designer.intro')}
              </label>
              <Input.TextArea
                id="cd-intro"
                rows={2}
                value={intro}
                onChange={(e) => setIntro(e.target.value)}
                style={{ marginBottom: 12 }}
              />
              {items.map((item, index) => (
                <Card
                  key={index}
                  size="small"
                  style={{ marginBottom: 8 }}
                  title={
                    <Space>
                      <Tag color="blue">{t(`campaigns.itemKinds.${item.kind}`)}</Tag>
                      <Typography.Text code>{item.key}</Typography.Text>
                    </Space>
                  }
                  extra={
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={t('campaigns.designer.remove')}
                      onClick={() => setItems((prev) => prev.filter((_, i) => i !== index))}
                    />
                  }
                >
                  <Input
                    aria-label={t('campaigns.designer.prompt')}
                    value={item.prompt}
                    onChange={(e) => setItem(index, { prompt: e.target.value })}
                  />
                  {item.kind !== 'text' && (
                    <Checkbox
                      style={{ marginTop: 6 }}
                      checked={item.required !== false}
                      onChange={(e) => setItem(index, { required: e.target.checked })}
                    >
                      {t('campaigns.designer.required')}
                    </Checkbox>
                  )}
                  {item.kind === 'dimensions' && (
                    <Input
                      style={{ marginTop: 6 }}
                      addonBefore={t('campaigns.designer.dimensions')}
                      value={item.dimensions.map((d) => d.name).join('，')}
                      onChange={(e) =>
                        setItem(index, {
                          dimensions: e.target.value
                            .split(/[,，、]/)
                            .map((n) => n.trim())
                            .filter((n) => n !== '')
                            .map((n, i) => ({ key: `d${i + 1}`, name: n })),
                        })
                      }
                    />
                  )}
                  {item.kind === 'choice' && (
                    <Space direction="vertical" style={{ width: '100%', marginTop: 6 }}>
                      <Input
                        addonBefore={t('campaigns.designer.options')}
                        value={item.options.map((o) => o.label).join('，')}
                        onChange={(e) =>
                          setItem(index, {
                            options: e.target.value
                              .split(/[,，、]/)
                              .map((n) => n.trim())
                              .filter((n) => n !== '')
                              .map((n, i) => ({ key: `o${i + 1}`, label: n })),
                          })
                        }
                      />
                      <Checkbox
                        checked={item.multiple === true}
                        onChange={(e) => setItem(index, { multiple: e.target.checked })}
                      >
                        {t('campaigns.designer.multiple')}
                      </Checkbox>
                    </Space>
                  )}
                  {item.kind === 'text' && (
                    <Space style={{ marginTop: 6 }}>
                      {t('campaigns.designer.maxLength')}
                      <InputNumber
                        min={1}
                        max={2000}
                        value={item.maxLength ?? 500}
                        onChange={(v) => setItem(index, { maxLength: v ?? 500 })}
                      />
                    </Space>
                  )}
                </Card>
              ))}
              <Typography.Title level={5} style={{ marginTop: 12 }}>
                {t('campaigns.designer.scores')}
              </Typography.Title>
              <Space wrap>
                {SATISFACTION_LEVELS.map((level) => (
                  <Space key={level}>
                    {t(`campaigns.levels.${level}`)}
                    <InputNumber
                      aria-label={t(`campaigns.levels.${level}`)}
                      min={0}
                      max={1000}
                      value={scores[level]}
                      onChange={(v) => setScores((prev) => ({ ...prev, [level]: v ?? 0 }))}
                      style={{ width: 80 }}
                    />
                  </Space>
                ))}
              </Space>
              {keyTaskPossible && (
                <>
                  <Typography.Title level={5} style={{ marginTop: 12 }}>
                    <Checkbox
                      checked={keyTask.on}
                      onChange={(e) => setKeyTask((p) => ({ ...p, on: e.target.checked }))}
                    >
                      {t('campaigns.designer.keyTask')}
                    </Checkbox>
                  </Typography.Title>
                  {keyTask.on && (
                    <>
                      <Space wrap>
                        {t('campaigns.designer.perLevel')}
                        <InputNumber
                          step={0.01}
                          min={-1}
                          max={1}
                          value={keyTask.perLevel}
                          onChange={(v) => setKeyTask((p) => ({ ...p, perLevel: v ?? 0 }))}
                        />
                        {t('campaigns.designer.centre')}
                        <InputNumber
                          min={1}
                          max={5}
                          step={0.5}
                          value={keyTask.centre}
                          onChange={(v) => setKeyTask((p) => ({ ...p, centre: v ?? 3 }))}
                        />
                        {t('campaigns.designer.cap')}
                        <InputNumber
                          min={0}
                          value={keyTask.cap}
                          onChange={(v) => setKeyTask((p) => ({ ...p, cap: v }))}
                        />
                      </Space>
                      <Alert
                        style={{ marginTop: 8 }}
                        type="info"
                        message={t('campaigns.designer.formula', {
                          perLevel: keyTask.perLevel,
                          centre: keyTask.centre,
                          cap: keyTask.cap ?? '—',
                        })}
                      />
                    </>
                  )}
                </>
              )}
            </Card>
          </Col>
          <Col xs={24} lg={9}>
            <Card title={t('campaigns.designer.preview')}>
              <PhonePreview
                questionnaire={questionnaire}
                subjectName={
                  subjects[0]?.name ||
                  unitName(subjects[0]?.unitId ?? '') ||
                  t('campaigns.designer.sampleSubject')
                }
                highlights={(subjects[0]?.highlights ?? '').split('\n').filter((h) => h.trim() !== '')}
              />
            </Card>
          </Col>
        </Row>

        <Card
          title={t('campaigns.designer.rounds')}
          extra={
            <Button
              icon={<PlusOutlined />}
              onClick={() =>
                setRounds((prev) => [
                  ...prev,
                  {
                    key: `r${prev.length + 1}`,
                    name: t('campaigns.designer.defaults.round2'),
                    opensOn: today(),
                    closesOn: yearEnd(),
                    stages: [
                      {
                        name: t('campaigns.designer.defaults.stage'),
                        source: 'directed',
                        opensOn: today(),
                        closesOn: yearEnd(),
                      },
                    ],
                  },
                ])
              }
            >
              {t('campaigns.designer.addRound')}
            </Button>
          }
        >
          {rounds.map((round, ri) => (
            <Card
              key={ri}
              size="small"
              style={{ marginBottom: 8 }}
              title={
                <Space wrap>
                  <Input
                    aria-label={t('campaigns.designer.roundName')}
                    value={round.name}
                    onChange={(e) => setRound(ri, { name: e.target.value })}
                    style={{ width: 140 }}
                  />
                  <Input
                    aria-label={t('campaigns.designer.roundKey')}
                    value={round.key}
                    onChange={(e) => setRound(ri, { key: e.target.value })}
                    style={{ width: 90 }}
                  />
                  <Input
                    type="date"
                    aria-label={t('campaigns.designer.opensOn')}
                    value={round.opensOn}
                    onChange={(e) => setRound(ri, { opensOn: e.target.value })}
                  />
                  <Input
                    type="date"
                    aria-label={t('campaigns.designer.closesOn')}
                    value={round.closesOn}
                    onChange={(e) => setRound(ri, { closesOn: e.target.value })}
                  />
                </Space>
              }
              extra={
                rounds.length > 1 && (
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    aria-label={t('campaigns.designer.remove')}
                    onClick={() => setRounds((prev) => prev.filter((_, i) => i !== ri))}
                  />
                )
              }
            >
              {round.stages.map((stage, si) => (
                <Space key={si} wrap style={{ marginBottom: 6 }}>
                  <Typography.Text type="secondary">
                    {t('campaigns.designer.stage', { n: si + 1 })}
                  </Typography.Text>
                  <Input
                    aria-label={t('campaigns.designer.stageName')}
                    value={stage.name}
                    onChange={(e) => setStage(ri, si, { name: e.target.value })}
                    style={{ width: 160 }}
                  />
                  <Select<EvaluatorSource>
                    aria-label={t('campaigns.designer.source')}
                    value={stage.source}
                    style={{ width: 170 }}
                    options={EVALUATOR_SOURCES.map((s) => ({ value: s, label: t(`campaigns.sources.${s}`) }))}
                    onChange={(v) => setStage(ri, si, { source: v })}
                  />
                  <Input
                    type="date"
                    aria-label={t('campaigns.designer.opensOn')}
                    value={stage.opensOn}
                    onChange={(e) => setStage(ri, si, { opensOn: e.target.value })}
                  />
                  <Input
                    type="date"
                    aria-label={t('campaigns.designer.closesOn')}
                    value={stage.closesOn}
                    onChange={(e) => setStage(ri, si, { closesOn: e.target.value })}
                  />
                  {round.stages.length > 1 && (
                    <Button
                      type="text"
                      icon={<DeleteOutlined />}
                      aria-label={t('campaigns.designer.remove')}
                      onClick={() => setRound(ri, { stages: round.stages.filter((_, j) => j !== si) })}
                    />
                  )}
                </Space>
              ))}
              <div>
                <Button
                  size="small"
                  icon={<PlusOutlined />}
                  onClick={() =>
                    setRound(ri, {
                      stages: [
                        ...round.stages,
                        {
                          name: t('campaigns.designer.defaults.stage2'),
                          source: 'draw',
                          opensOn: round.opensOn,
                          closesOn: round.closesOn,
                        },
                      ],
                    })
                  }
                >
                  {t('campaigns.designer.addStage')}
                </Button>
              </div>
            </Card>
          ))}
        </Card>

        <Space>
          <Button type="primary" size="large" loading={saving} disabled={!ready} onClick={() => void save()}>
            {t('campaigns.designer.save')}
          </Button>
          {!ready && <Typography.Text type="secondary">{t('campaigns.designer.notReady')}</Typography.Text>}
        </Space>
      </Space>
    </>
  );
}
