import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Spin,
  Tabs,
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
  type RatingsConfig,
  type Span,
  type TagLevels,
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
    const clean = (levels: TagLevels): TagLevels =>
      Object.fromEntries(
        LEVELS.map((l) => [
          String(l),
          [...new Set((levels[String(l) as LevelKey] ?? []).map((x) => x.trim()).filter(Boolean))],
        ]),
      ) as TagLevels;
    const body: RatingsConfig = {
      defaultAfterDays: values.defaultAfterDays,
      defaultLevel: values.defaultLevel,
      goodFrom: values.goodFrom,
      linkValidDays: values.linkValidDays,
      generalDailyLimit: values.generalDailyLimit,
      kioskWindowMinutes: values.kioskWindowMinutes,
      tags: { online: clean(values.tags.online), offline: clean(values.tags.offline) },
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
            children: LEVELS.map((level) => (
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
            )),
          }))}
        />
      </Card>
      <Space>
        <Button type="primary" loading={busy} onClick={() => void save()}>
          {t('common.save')}
        </Button>
        <Button onClick={() => form.setFieldsValue(toValues(config.data))}>{t('common.reset')}</Button>
        <Typography.Text type="secondary">{t('ratingSettings.appliesLater')}</Typography.Text>
      </Space>
    </Form>
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
