import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Table,
  Tabs,
  Tag,
  Typography,
  type FormInstance,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ApiError, errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { useAccount } from '../../session';
import {
  LEVELS,
  ratingsApi,
  type LevelKey,
  type OpeningHours,
  type RatingsConfig,
  type RatingsSettings,
  type Span,
  type TagLevels,
  type UnitOverride,
} from '../ratings/api';
import { LevelTag } from '../ratings/shared';
import {
  casesApi,
  DEADLINE_LIMITS,
  DEADLINE_RULES,
  type CasesConfig,
  type DeadlineOverride,
  type DeadlineRule,
  type DeadlineRules,
} from '../cases/api';

const TABS = ['ratings', 'cases'] as const;
type Tab = (typeof TABS)[number];

/** 业务设置: the rating rules (defaults, thresholds, links, options, fraud checks) and the case deadlines. */
export function SettingsPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const navigate = useNavigate();
  const { tab } = useParams();
  const active: Tab = TABS.includes(tab as Tab) ? (tab as Tab) : 'ratings';
  if (!can('settings:write')) return <NoPermission />;
  return (
    <>
      <PageTitle title={t('settingsPage.title')} description={t('settingsPage.description')} />
      <Tabs
        activeKey={active}
        onChange={(key) => void navigate(`/settings/${key}`)}
        items={[
          { key: 'ratings', label: t('settingsPage.tabRatings'), children: <RatingsSettings /> },
          { key: 'cases', label: t('settingsPage.tabCases'), children: <CasesSettings /> },
        ]}
      />
    </>
  );
}

// --- ratings -------------------------------------------------------------------------------------

interface RatingsValues extends Omit<RatingsConfig, 'openingHours'> {
  openingHours: { workingDays: string; otherDays: string };
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

/** 510–720 → "08:30-12:00"; spans joined with ", ". */
export function spansToText(spans: Span[]): string {
  return spans.map((s) => `${hhmm(s.from)}-${hhmm(s.to)}`).join(', ');
}

/** "08:30-12:00, 13:30-17:30" → spans in minutes after midnight, or null when a part is unreadable. */
export function textToSpans(text: string): Span[] | null {
  const parts = text
    .split(/[,，;；\s]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  const spans: Span[] = [];
  for (const part of parts) {
    const m = /^(\d{1,2})[:：](\d{2})\s*[-–~至到]\s*(\d{1,2})[:：](\d{2})$/.exec(part);
    if (!m) return null;
    const from = Number(m[1]) * 60 + Number(m[2]);
    const to = Number(m[3]) * 60 + Number(m[4]);
    if (Number(m[2]) > 59 || Number(m[4]) > 59 || from > 1440 || to > 1440 || to <= from) return null;
    spans.push({ from, to });
  }
  return spans;
}

const cleanTags = (levels: TagLevels): TagLevels =>
  Object.fromEntries(
    LEVELS.map((l) => [
      String(l),
      [...new Set((levels[String(l) as LevelKey] ?? []).map((x) => x.trim()).filter(Boolean))],
    ]),
  ) as TagLevels;

/** The option tags of each level for one mode, as the installation-wide form and an override edit them. */
function TagFields({ mode }: { mode: 'offline' | 'online' }) {
  const { t } = useTranslation();
  return LEVELS.map((level) => (
    <Form.Item
      key={level}
      name={['tags', mode, String(level)]}
      label={<LevelTag level={level} />}
      rules={[{ required: true, type: 'array', min: 1, message: t('ratingSettings.tagsRequired') }]}
    >
      <Select
        mode="tags"
        tokenSeparators={[',', '，', '、']}
        open={false}
        suffixIcon={null}
        placeholder={t('ratingSettings.tagsPlaceholder')}
      />
    </Form.Item>
  ));
}

/** Opening hours on working days and on other days, as text spans. */
function OpeningHoursFields() {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        name={['openingHours', 'workingDays']}
        label={t('ratingSettings.hoursWorking')}
        extra={t('ratingSettings.hoursHelp')}
      >
        <Input placeholder="08:30-12:00, 13:30-17:30" style={{ width: 320 }} />
      </Form.Item>
      <Form.Item
        name={['openingHours', 'otherDays']}
        label={t('ratingSettings.hoursOther')}
        extra={t('ratingSettings.hoursOtherHelp')}
      >
        <Input placeholder={t('ratingSettings.closed')} style={{ width: 320 }} />
      </Form.Item>
    </>
  );
}

function toValues(config: RatingsConfig): RatingsValues {
  return {
    ...config,
    openingHours: {
      workingDays: spansToText(config.openingHours.workingDays),
      otherDays: spansToText(config.openingHours.otherDays),
    },
  };
}

function RatingsSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const config = useQuery({ queryKey: ['settings', 'ratings'], queryFn: ratingsApi.settings });
  const [form] = Form.useForm<RatingsValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (config.isPending) return <Spin />;
  if (config.isError) return <Alert type="error" showIcon title={errorText(config.error)} />;

  const save = async () => {
    let values: RatingsValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const workingDays = textToSpans(values.openingHours.workingDays);
    const otherDays = textToSpans(values.openingHours.otherDays);
    if (!workingDays || !otherDays) {
      const loose: FormInstance = form;
      loose.setFields([
        ...(!workingDays
          ? [{ name: ['openingHours', 'workingDays'], errors: [t('ratingSettings.hoursInvalid')] }]
          : []),
        ...(!otherDays
          ? [{ name: ['openingHours', 'otherDays'], errors: [t('ratingSettings.hoursInvalid')] }]
          : []),
      ]);
      return;
    }
    // byUnit is left out: the overrides below are saved on their own and kept as they are.
    const body: RatingsConfig = {
      defaultAfterDays: values.defaultAfterDays,
      defaultLevel: values.defaultLevel,
      goodFrom: values.goodFrom,
      linkValidDays: values.linkValidDays,
      generalDailyLimit: values.generalDailyLimit,
      kioskWindowMinutes: values.kioskWindowMinutes,
      tags: { online: cleanTags(values.tags.online), offline: cleanTags(values.tags.offline) },
      fraud: values.fraud,
      openingHours: { workingDays, otherDays },
    };
    setBusy(true);
    setError(null);
    try {
      const saved = await ratingsApi.saveSettings(body);
      client.setQueryData(['settings', 'ratings'], saved);
      form.setFieldsValue(toValues(saved));
      void message.success(t('common.saved'));
    } catch (e) {
      // The server names nested fields with dots: tags.online.2, fraud.burstLimit, openingHours.workingDays.1.
      if (e instanceof ApiError && e.field) {
        const path = e.field.split('.');
        const name = path[0] === 'openingHours' ? path.slice(0, 2) : path;
        const loose: FormInstance = form;
        loose.setFields([{ name, errors: [errorText(e)] }]);
        loose.scrollToField(name);
      } else {
        setError(errorText(e));
      }
    } finally {
      setBusy(false);
    }
  };

  const number = (
    name: (string | number)[],
    label: string,
    min: number,
    max: number,
    extra: string,
    unit?: string,
  ) => (
    <Form.Item
      name={name}
      label={label}
      extra={extra}
      rules={[
        { required: true, type: 'integer', min, max, message: t('ratingSettings.range', { min, max }) },
      ]}
    >
      <InputNumber min={min} max={max} precision={0} style={{ width: 140 }} suffix={unit} />
    </Form.Item>
  );

  return (
    <>
      <Form<RatingsValues>
        form={form}
        name="ratingsSettings"
        layout="vertical"
        initialValues={toValues(config.data)}
        onValuesChange={() => setError(null)}
      >
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        <Row gutter={16}>
          <Col span={12}>
            <Card size="small" title={t('ratingSettings.basics')} style={{ marginBottom: 16 }}>
              {number(
                ['defaultAfterDays'],
                t('ratingSettings.defaultAfterDays'),
                1,
                90,
                t('ratingSettings.defaultAfterDaysHelp'),
                t('ratingSettings.days'),
              )}
              <Form.Item
                name="defaultLevel"
                label={t('ratingSettings.defaultLevel')}
                extra={t('ratingSettings.defaultLevelHelp')}
              >
                <Select
                  style={{ width: 200 }}
                  options={[3, 4, 5].map((l) => ({ value: l, label: `★${l} ${t(`levels.${l}`)}` }))}
                />
              </Form.Item>
              <Form.Item
                name="goodFrom"
                label={t('ratingSettings.goodFrom')}
                extra={t('ratingSettings.goodFromHelp')}
              >
                <Radio.Group
                  options={[
                    { value: 3, label: t('ratingSettings.goodFrom3') },
                    { value: 4, label: t('ratingSettings.goodFrom4') },
                  ]}
                />
              </Form.Item>
              {number(
                ['linkValidDays'],
                t('ratingSettings.linkValidDays'),
                1,
                365,
                t('ratingSettings.linkValidDaysHelp'),
                t('ratingSettings.days'),
              )}
              {number(
                ['generalDailyLimit'],
                t('ratingSettings.generalDailyLimit'),
                1,
                100,
                t('ratingSettings.generalDailyLimitHelp'),
              )}
              {number(
                ['kioskWindowMinutes'],
                t('ratingSettings.kioskWindowMinutes'),
                1,
                240,
                t('ratingSettings.kioskWindowMinutesHelp'),
                t('ratingSettings.minutes'),
              )}
            </Card>
          </Col>
          <Col span={12}>
            <Card size="small" title={t('ratingSettings.fraud')} style={{ marginBottom: 16 }}>
              <Typography.Paragraph type="secondary">{t('ratingSettings.fraudIntro')}</Typography.Paragraph>
              {number(
                ['fraud', 'burstLimit'],
                t('ratingSettings.burstLimit'),
                1,
                1000,
                t('ratingSettings.burstLimitHelp'),
              )}
              {number(
                ['fraud', 'burstWindowMinutes'],
                t('ratingSettings.burstWindowMinutes'),
                1,
                1440,
                t('ratingSettings.burstWindowHelp'),
                t('ratingSettings.minutes'),
              )}
              {number(
                ['fraud', 'repeatedCommentLimit'],
                t('ratingSettings.repeatedCommentLimit'),
                2,
                1000,
                t('ratingSettings.repeatedCommentHelp'),
              )}
              {number(
                ['fraud', 'minCommentLength'],
                t('ratingSettings.minCommentLength'),
                1,
                100,
                t('ratingSettings.minCommentLengthHelp'),
              )}
              {number(
                ['fraud', 'openingGraceMinutes'],
                t('ratingSettings.openingGraceMinutes'),
                0,
                240,
                t('ratingSettings.openingGraceHelp'),
                t('ratingSettings.minutes'),
              )}
              <OpeningHoursFields />
            </Card>
          </Col>
        </Row>
        <Card size="small" title={t('ratingSettings.tags')} style={{ marginBottom: 16 }}>
          <Typography.Paragraph type="secondary">{t('ratingSettings.tagsIntro')}</Typography.Paragraph>
          <Tabs
            size="small"
            items={(['offline', 'online'] as const).map((mode) => ({
              key: mode,
              label: t(`ratingSettings.mode_${mode}`),
              forceRender: true,
              children: <TagFields mode={mode} />,
            }))}
          />
        </Card>
        <Space style={{ marginBottom: 16 }}>
          <Button type="primary" loading={busy} onClick={() => void save()}>
            {t('common.save')}
          </Button>
          <Button onClick={() => form.setFieldsValue(toValues(config.data))}>{t('common.reset')}</Button>
          <Typography.Text type="secondary">{t('ratingSettings.appliesLater')}</Typography.Text>
        </Space>
      </Form>
      <UnitOverrides settings={config.data} />
    </>
  );
}

// --- per-unit overrides: a jurisdiction's options, a hall's or window's opening hours --------------

type NamedOverride = RatingsSettings['byUnit'][number];

const withoutName = ({ unitName: _name, ...rest }: NamedOverride): UnitOverride => rest;

/** Saves the installation-wide settings as stored with a new list of overrides. */
function saveOverrides(settings: RatingsSettings, byUnit: UnitOverride[]): Promise<RatingsSettings> {
  const { byUnit: _stored, ...config } = settings;
  return ratingsApi.saveSettings({ ...config, byUnit });
}

/** The list of units with their own options or hours, each editable and removable on its own. */
function UnitOverrides({ settings }: { settings: RatingsSettings }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [editing, setEditing] = useState<UnitOverride | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);

  const store = async (byUnit: UnitOverride[]) => {
    const saved = await saveOverrides(settings, byUnit);
    client.setQueryData(['settings', 'ratings'], saved);
    void message.success(t('common.saved'));
  };
  const remove = async (unitId: string) => {
    setError(null);
    try {
      await store(settings.byUnit.filter((o) => o.unitId !== unitId).map(withoutName));
    } catch (e) {
      setError(errorText(e));
    }
  };
  const hours = (h: OpeningHours) =>
    t('ratingOverrides.hoursText', {
      working: spansToText(h.workingDays) || t('ratingSettings.closed'),
      other: spansToText(h.otherDays) || t('ratingSettings.closed'),
    });
  const inherited = <Typography.Text type="secondary">{t('ratingOverrides.inherited')}</Typography.Text>;

  return (
    <Card
      size="small"
      title={t('ratingOverrides.title')}
      extra={
        <Button icon={<PlusOutlined />} onClick={() => setEditing('new')}>
          {t('ratingOverrides.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('ratingOverrides.intro')}</Typography.Paragraph>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Table<NamedOverride>
        size="small"
        rowKey="unitId"
        pagination={false}
        dataSource={settings.byUnit}
        locale={{ emptyText: t('ratingOverrides.none') }}
        columns={[
          { title: t('ratingOverrides.unit'), dataIndex: 'unitName', render: (name: string) => name || '—' },
          ...(['offline', 'online'] as const).map((mode) => ({
            title: t(`ratingOverrides.tags_${mode}`),
            key: mode,
            render: (_: unknown, row: NamedOverride) =>
              row.tags?.[mode] ? (
                <Tag color="blue" title={(row.tags[mode]['1'] ?? []).join('、')}>
                  {t('ratingOverrides.own', {
                    count: LEVELS.reduce(
                      (n, l) => n + (row.tags?.[mode]?.[String(l) as LevelKey]?.length ?? 0),
                      0,
                    ),
                  })}
                </Tag>
              ) : (
                inherited
              ),
          })),
          {
            title: t('ratingOverrides.hours'),
            key: 'hours',
            render: (_: unknown, row: NamedOverride) =>
              row.openingHours ? hours(row.openingHours) : inherited,
          },
          {
            title: t('common.actions'),
            key: 'actions',
            width: 140,
            render: (_: unknown, row: NamedOverride) => (
              <Space size="small">
                <Button type="link" size="small" onClick={() => setEditing(withoutName(row))}>
                  {t('common.edit')}
                </Button>
                <Popconfirm
                  title={t('ratingOverrides.removeConfirm', { name: row.unitName })}
                  okText={t('ratingOverrides.remove')}
                  onConfirm={() => void remove(row.unitId)}
                >
                  <Button type="link" size="small" danger>
                    {t('ratingOverrides.remove')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      {editing && (
        <OverrideModal
          settings={settings}
          initial={editing === 'new' ? null : editing}
          onSave={async (override) => {
            const others = settings.byUnit.filter((o) => o.unitId !== override.unitId).map(withoutName);
            await store([...others, override]);
            setEditing(null);
          }}
          onClose={() => setEditing(null)}
        />
      )}
    </Card>
  );
}

interface OverrideValues {
  unitId?: string;
  ownOffline: boolean;
  ownOnline: boolean;
  ownHours: boolean;
  tags: { offline: TagLevels; online: TagLevels };
  openingHours: { workingDays: string; otherDays: string };
}

/** Adds or edits one unit's override; the parts not chosen stay inherited. */
function OverrideModal({
  settings,
  initial,
  onSave,
  onClose,
}: {
  settings: RatingsSettings;
  initial: UnitOverride | null;
  onSave: (override: UnitOverride) => Promise<void>;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const units = useUnits();
  const [form] = Form.useForm<OverrideValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ownOffline = Form.useWatch('ownOffline', form);
  const ownOnline = Form.useWatch('ownOnline', form);
  const ownHours = Form.useWatch('ownHours', form);
  // Units that already have an override are edited from the list, not added twice.
  const taken = new Set(settings.byUnit.map((o) => o.unitId).filter((id) => id !== initial?.unitId));
  const hoursStart = initial?.openingHours ?? settings.openingHours;
  const initialValues: OverrideValues = {
    ...(initial ? { unitId: initial.unitId } : {}),
    ownOffline: Boolean(initial?.tags?.offline),
    ownOnline: Boolean(initial?.tags?.online),
    ownHours: Boolean(initial?.openingHours),
    // A part switched on starts from the installation-wide setting.
    tags: {
      offline: initial?.tags?.offline ?? settings.tags.offline,
      online: initial?.tags?.online ?? settings.tags.online,
    },
    openingHours: {
      workingDays: spansToText(hoursStart.workingDays),
      otherDays: spansToText(hoursStart.otherDays),
    },
  };

  const submit = async () => {
    let values: OverrideValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    if (!values.unitId) return;
    if (!values.ownOffline && !values.ownOnline && !values.ownHours) {
      setError(t('ratingOverrides.nothingChosen'));
      return;
    }
    const loose: FormInstance = form;
    const override: UnitOverride = { unitId: values.unitId };
    if (values.ownOffline || values.ownOnline) {
      override.tags = {
        ...(values.ownOffline ? { offline: cleanTags(values.tags.offline) } : {}),
        ...(values.ownOnline ? { online: cleanTags(values.tags.online) } : {}),
      };
    }
    if (values.ownHours) {
      const workingDays = textToSpans(values.openingHours.workingDays);
      const otherDays = textToSpans(values.openingHours.otherDays);
      if (!workingDays || !otherDays) {
        loose.setFields([
          ...(!workingDays
            ? [{ name: ['openingHours', 'workingDays'], errors: [t('ratingSettings.hoursInvalid')] }]
            : []),
          ...(!otherDays
            ? [{ name: ['openingHours', 'otherDays'], errors: [t('ratingSettings.hoursInvalid')] }]
            : []),
        ]);
        return;
      }
      override.openingHours = { workingDays, otherDays };
    }
    setBusy(true);
    setError(null);
    try {
      await onSave(override);
    } catch (e) {
      // byUnit.<i>.tags.offline.1, byUnit.<i>.openingHours.workingDays.0, byUnit.<i>.unitId
      const path = e instanceof ApiError && e.field ? e.field.split('.').slice(2) : [];
      const name = path[0] === 'openingHours' ? path.slice(0, 2) : path;
      if (name.length > 0) loose.setFields([{ name, errors: [errorText(e)] }]);
      else setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={760}
      title={initial ? t('ratingOverrides.editTitle') : t('ratingOverrides.addTitle')}
      okText={t('common.save')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Form<OverrideValues>
        form={form}
        name="ratingOverride"
        layout="vertical"
        initialValues={initialValues}
        onValuesChange={() => setError(null)}
      >
        <Form.Item
          name="unitId"
          label={t('ratingOverrides.unit')}
          extra={t('ratingOverrides.unitHelp')}
          rules={[{ required: true, message: t('transactions.unitRequired') }]}
        >
          <UnitTreeSelect
            units={units.data ?? []}
            allowClear={false}
            disabled={initial !== null}
            disabledIds={taken}
          />
        </Form.Item>
        <Form.Item name="ownOffline" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox>{t('ratingOverrides.ownOffline')}</Checkbox>
        </Form.Item>
        {ownOffline && <TagFields mode="offline" />}
        <Form.Item name="ownOnline" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox>{t('ratingOverrides.ownOnline')}</Checkbox>
        </Form.Item>
        {ownOnline && <TagFields mode="online" />}
        <Form.Item name="ownHours" valuePropName="checked" style={{ marginBottom: 8 }}>
          <Checkbox>{t('ratingOverrides.ownHours')}</Checkbox>
        </Form.Item>
        {ownHours && <OpeningHoursFields />}
      </Form>
    </Modal>
  );
}

// --- cases ---------------------------------------------------------------------------------------

interface CasesValues {
  rules: DeadlineRules;
  byUnit: (Partial<DeadlineRules> & { unitId?: string })[];
}

function CasesSettings() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useQueryClient();
  const units = useUnits();
  const config = useQuery({ queryKey: ['settings', 'cases'], queryFn: casesApi.settings });
  const [form] = Form.useForm<CasesValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  if (config.isPending) return <Spin />;
  if (config.isError) return <Alert type="error" showIcon title={errorText(config.error)} />;

  const toValues = (c: CasesConfig): CasesValues => ({
    rules: c.rules,
    byUnit: c.byUnit.map(({ unitName: _name, ...rest }) => rest),
  });

  const save = async () => {
    let values: CasesValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const byUnit: DeadlineOverride[] = (values.byUnit ?? [])
      .filter((row): row is DeadlineOverride => Boolean(row.unitId))
      .map((row) => {
        const out: DeadlineOverride = { unitId: row.unitId };
        for (const rule of DEADLINE_RULES) {
          const v = row[rule];
          if (typeof v === 'number') out[rule] = v;
        }
        return out;
      });
    setBusy(true);
    setError(null);
    try {
      const saved = await casesApi.saveSettings({ rules: values.rules, byUnit });
      client.setQueryData(['settings', 'cases'], saved);
      form.setFieldsValue(toValues(saved));
      void message.success(t('caseSettings.saved'));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const rule = (r: DeadlineRule) => DEADLINE_LIMITS[r];

  return (
    <Form<CasesValues>
      form={form}
      name="casesSettings"
      layout="vertical"
      initialValues={toValues(config.data)}
      onValuesChange={() => setError(null)}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      <Card size="small" title={t('caseSettings.rules')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('caseSettings.intro')}</Typography.Paragraph>
        <Row gutter={16}>
          {DEADLINE_RULES.map((r) => (
            <Col span={8} key={r}>
              <Form.Item
                name={['rules', r]}
                label={t(`caseSettings.${r}`)}
                extra={t(`caseSettings.${r}Help`)}
                rules={[
                  {
                    required: true,
                    type: 'integer',
                    min: rule(r).min,
                    max: rule(r).max,
                    message: t('ratingSettings.range', rule(r)),
                  },
                ]}
              >
                <InputNumber
                  min={rule(r).min}
                  max={rule(r).max}
                  precision={0}
                  suffix={t('caseSettings.workingDays')}
                  style={{ width: 160 }}
                />
              </Form.Item>
            </Col>
          ))}
        </Row>
      </Card>
      <Card size="small" title={t('caseSettings.byUnit')} style={{ marginBottom: 16 }}>
        <Typography.Paragraph type="secondary">{t('caseSettings.byUnitIntro')}</Typography.Paragraph>
        <Form.List name="byUnit">
          {(fields, { add, remove }) => (
            <>
              {fields.length > 0 && (
                // Column heads: once a number is typed its placeholder no longer says what it is.
                <Space wrap style={{ marginBottom: 4 }} aria-hidden="true">
                  <Typography.Text type="secondary" style={{ display: 'inline-block', width: 260 }}>
                    {t('caseSettings.unit')}
                  </Typography.Text>
                  {DEADLINE_RULES.map((r) => (
                    <Typography.Text key={r} type="secondary" style={{ display: 'inline-block', width: 110 }}>
                      {t(`caseSettings.${r}Short`)}
                    </Typography.Text>
                  ))}
                </Space>
              )}
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap style={{ marginBottom: 4 }}>
                  <Form.Item
                    name={[field.name, 'unitId']}
                    rules={[{ required: true, message: t('transactions.unitRequired') }]}
                    style={{ width: 260 }}
                  >
                    <UnitTreeSelect units={units.data ?? []} allowClear={false} />
                  </Form.Item>
                  {DEADLINE_RULES.map((r) => (
                    <Form.Item key={r} name={[field.name, r]}>
                      <InputNumber
                        min={rule(r).min}
                        max={rule(r).max}
                        precision={0}
                        placeholder={t(`caseSettings.${r}Short`)}
                        style={{ width: 110 }}
                      />
                    </Form.Item>
                  ))}
                  <Button
                    type="text"
                    icon={<MinusCircleOutlined />}
                    onClick={() => remove(field.name)}
                    aria-label={t('caseSettings.remove')}
                  />
                </Space>
              ))}
              <Button icon={<PlusOutlined />} onClick={() => add({})}>
                {t('caseSettings.addOverride')}
              </Button>
            </>
          )}
        </Form.List>
      </Card>
      <Space>
        <Button type="primary" loading={busy} onClick={() => void save()}>
          {t('common.save')}
        </Button>
        <Typography.Text type="secondary">{t('caseSettings.appliesAtSweep')}</Typography.Text>
      </Space>
    </Form>
  );
}
