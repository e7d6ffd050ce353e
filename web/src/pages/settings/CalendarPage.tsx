import { ImportOutlined, PlusOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { useAccount } from '../../session';
import { chinaToday, showFieldError } from '../../util';
import { casesApi, type CalendarDay, type CalendarPreview, type DayKind } from '../cases/api';

const KIND_COLORS: Record<DayKind, string> = { holiday: 'red', workday: 'blue' };

/** 工作日历: the holidays and make-up working days that case deadlines are counted on. */
export function CalendarPage() {
  const { t } = useTranslation();
  const { can } = useAccount();
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const [year, setYear] = useState(() => Number(chinaToday().slice(0, 4)));
  const [pasting, setPasting] = useState(false);
  const canWrite = can('calendar:write');
  const calendar = useQuery({
    queryKey: ['calendar', year],
    queryFn: () => casesApi.calendar(year),
    enabled: can('registry:read'),
  });

  if (!can('registry:read')) return <NoPermission />;

  const refresh = () => client.invalidateQueries({ queryKey: ['calendar'] });

  const remove = async (day: CalendarDay) => {
    try {
      await casesApi.deleteDay(day.date);
      void message.success(t('calendar.removed', { date: day.date }));
      await refresh();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  const importOfficial = () =>
    modal.confirm({
      title: t('calendar.officialTitle', { year }),
      content: t('calendar.officialText'),
      okText: t('calendar.officialOk'),
      onOk: async () => {
        try {
          const result = await casesApi.importOfficial(year);
          void message.success(
            t('calendar.applied', {
              added: result.added.length,
              changed: result.changed.length,
              removed: result.removed.length,
            }),
          );
          await refresh();
        } catch (e) {
          void message.error(errorText(e));
        }
      },
    });

  const days = calendar.data?.days ?? [];
  const holidays = days.filter((d) => d.kind === 'holiday').length;
  const workdays = days.length - holidays;

  return (
    <>
      <PageTitle
        title={t('calendar.title')}
        description={t('calendar.description')}
        extra={
          canWrite && (
            <Space>
              <Button icon={<SafetyCertificateOutlined />} onClick={() => void importOfficial()}>
                {t('calendar.official')}
              </Button>
              <Button icon={<ImportOutlined />} onClick={() => setPasting(true)}>
                {t('calendar.paste')}
              </Button>
            </Space>
          )
        }
      />
      <Card size="small" style={{ marginBottom: 12 }}>
        <Space wrap size={24}>
          <Space>
            <Typography.Text>{t('calendar.year')}</Typography.Text>
            <InputNumber
              aria-label={t('calendar.year')}
              min={2000}
              max={2100}
              value={year}
              onChange={(v) => v && setYear(v)}
              style={{ width: 110 }}
            />
          </Space>
          {calendar.data && (
            <Typography.Text data-testid="working-days">
              {t('calendar.summary', { year, working: calendar.data.workingDays, holidays, workdays })}
            </Typography.Text>
          )}
        </Space>
        {calendar.data && days.length === 0 && (
          <Alert
            type="warning"
            showIcon
            style={{ marginTop: 12 }}
            title={t('calendar.emptyYear', { year })}
          />
        )}
      </Card>
      {canWrite && <AddDay onSaved={refresh} />}
      <Card size="small">
        {calendar.isError && <Alert type="error" showIcon title={errorText(calendar.error)} />}
        <Table<CalendarDay>
          size="small"
          rowKey="date"
          loading={calendar.isPending}
          dataSource={days}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('calendar.empty')} />,
          }}
          columns={[
            {
              title: t('calendar.month'),
              key: 'month',
              width: 80,
              render: (_: unknown, d: CalendarDay, i: number) =>
                i === 0 || days[i - 1]?.date.slice(5, 7) !== d.date.slice(5, 7) ? (
                  <span className="mp-cal-month">
                    {t('calendar.monthName', { n: Number(d.date.slice(5, 7)) })}
                  </span>
                ) : null,
            },
            { title: t('calendar.date'), dataIndex: 'date', width: 120 },
            {
              title: t('calendar.weekday'),
              dataIndex: 'weekday',
              width: 90,
              render: (w: number) => t(`calendar.weekdays.${w}`),
            },
            {
              title: t('calendar.kind'),
              dataIndex: 'kind',
              width: 120,
              render: (kind: DayKind) => <Tag color={KIND_COLORS[kind]}>{t(`calendar.kinds.${kind}`)}</Tag>,
            },
            { title: t('calendar.name'), dataIndex: 'name' },
            ...(canWrite
              ? [
                  {
                    title: t('common.actions'),
                    key: 'actions',
                    width: 90,
                    render: (_: unknown, d: CalendarDay) => (
                      <Popconfirm
                        title={t('calendar.removeConfirm', { date: d.date })}
                        description={t('calendar.removeText')}
                        onConfirm={() => void remove(d)}
                      >
                        <Button type="link" size="small" danger>
                          {t('calendar.remove')}
                        </Button>
                      </Popconfirm>
                    ),
                  },
                ]
              : []),
          ]}
        />
      </Card>
      {pasting && <PasteModal onClose={() => setPasting(false)} onApplied={refresh} />}
    </>
  );
}

interface DayValues {
  date: Dayjs;
  kind: DayKind;
  name?: string;
}

function AddDay({ onSaved }: { onSaved: () => Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<DayValues>();
  const [busy, setBusy] = useState(false);
  const submit = async () => {
    let v: DayValues;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    try {
      const day = await casesApi.setDay(v.date.format('YYYY-MM-DD'), v.kind, (v.name ?? '').trim());
      void message.success(t('calendar.saved', { date: day.date }));
      form.resetFields();
      await onSaved();
    } catch (e) {
      if (!showFieldError(form, e, ['date', 'kind', 'name'])) void message.error(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card size="small" style={{ marginBottom: 12 }} title={t('calendar.addTitle')}>
      <Form<DayValues>
        form={form}
        name="calendarDay"
        layout="inline"
        initialValues={{ kind: 'holiday' }}
        style={{ rowGap: 8 }}
      >
        <Form.Item
          name="date"
          label={t('calendar.date')}
          rules={[{ required: true, message: t('calendar.dateRequired') }]}
        >
          <DatePicker />
        </Form.Item>
        <Form.Item name="kind" label={t('calendar.kind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'holiday', label: t('calendar.kinds.holiday') },
              { value: 'workday', label: t('calendar.kinds.workday') },
            ]}
          />
        </Form.Item>
        <Form.Item name="name" label={t('calendar.name')}>
          <Input maxLength={40} placeholder={t('calendar.namePlaceholder')} style={{ width: 180 }} />
        </Form.Item>
        <Form.Item>
          <Button type="primary" icon={<PlusOutlined />} loading={busy} onClick={() => void submit()}>
            {t('calendar.add')}
          </Button>
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" style={{ margin: '8px 0 0' }}>
        {t('calendar.addHelp')}
      </Typography.Paragraph>
    </Card>
  );
}

/**
 * The preview names each unreadable line's problem in English only (it has no code); the three
 * messages it can give are put into the reader's language, anything else is shown as it came.
 */
function lineProblem(message: string, t: ReturnType<typeof useTranslation>['t']): string {
  let m = /^“(.*)” is not a date/.exec(message);
  if (m) return t('calendar.errNotDate', { text: m[1] });
  m = /^Say whether (\S+) is a day off/.exec(message);
  if (m) return t('calendar.errNoKind', { date: m[1] });
  m = /^(\S+) is already listed on line (\d+)/.exec(message);
  if (m) return t('calendar.errDuplicate', { date: m[1], line: m[2] });
  return message;
}

function PasteModal({ onClose, onApplied }: { onClose: () => void; onApplied: () => Promise<void> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [preview, setPreview] = useState<CalendarPreview | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const check = async () => {
    setBusy(true);
    setError(null);
    try {
      setPreview(await casesApi.importList(text, false));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const apply = async () => {
    setBusy(true);
    setError(null);
    try {
      const result = await casesApi.importList(text, true);
      void message.success(
        t('calendar.applied', {
          added: result.added.length,
          changed: result.changed.length,
          removed: result.removed.length,
        }),
      );
      await onApplied();
      onClose();
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const dayText = (d: CalendarDay) => `${d.date} ${t(`calendar.kinds.${d.kind}`)} ${d.name}`;
  const canApply = preview !== null && preview.errors.length === 0 && preview.entries.length > 0;

  return (
    <Modal
      open
      width={760}
      title={t('calendar.pasteTitle')}
      onCancel={onClose}
      destroyOnHidden
      footer={
        <Space>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button loading={busy} disabled={!text.trim()} onClick={() => void check()}>
            {t('calendar.preview')}
          </Button>
          <Button type="primary" loading={busy} disabled={!canApply} onClick={() => void apply()}>
            {t('calendar.apply')}
          </Button>
        </Space>
      }
    >
      <Typography.Paragraph>{t('calendar.pasteIntro')}</Typography.Paragraph>
      <pre className="mp-json" style={{ marginBottom: 8 }}>
        {'2027-01-01 休 元旦\n2027/2/6 班 春节调休\n2027年10月1日 休 国庆节'}
      </pre>
      <Input.TextArea
        aria-label={t('calendar.pasteLabel')}
        rows={10}
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setPreview(null);
        }}
        placeholder={t('calendar.pastePlaceholder')}
      />
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} />}
      {preview && (
        <div style={{ marginTop: 12 }} data-testid="calendar-preview">
          {preview.errors.length > 0 ? (
            <Alert
              type="error"
              showIcon
              title={t('calendar.previewErrors', { n: preview.errors.length })}
              description={
                <Table
                  size="small"
                  rowKey="line"
                  pagination={false}
                  dataSource={preview.errors}
                  columns={[
                    { title: t('calendar.line'), dataIndex: 'line', width: 60 },
                    { title: t('calendar.text'), dataIndex: 'text', width: 220 },
                    {
                      title: t('calendar.problem'),
                      dataIndex: 'message',
                      render: (message: string) => lineProblem(message, t),
                    },
                  ]}
                />
              }
            />
          ) : (
            <Alert
              type="success"
              showIcon
              title={t('calendar.previewOk', {
                year: preview.year ?? '',
                n: preview.entries.length,
                added: preview.added.length,
                changed: preview.changed.length,
                removed: preview.removed.length,
                unchanged: preview.unchanged,
              })}
            />
          )}
          {(preview.added.length > 0 || preview.changed.length > 0 || preview.removed.length > 0) && (
            <Descriptions
              size="small"
              column={1}
              style={{ marginTop: 8 }}
              items={[
                ...(preview.added.length
                  ? [
                      {
                        key: 'a',
                        label: t('calendar.added'),
                        children: preview.added.map(dayText).join('；'),
                      },
                    ]
                  : []),
                ...(preview.changed.length
                  ? [
                      {
                        key: 'c',
                        label: t('calendar.changed'),
                        children: preview.changed
                          .map((c) => `${dayText(c.from)} → ${dayText(c.to)}`)
                          .join('；'),
                      },
                    ]
                  : []),
                ...(preview.removed.length
                  ? [
                      {
                        key: 'r',
                        label: t('calendar.removedList'),
                        children: preview.removed.map(dayText).join('；'),
                      },
                    ]
                  : []),
              ]}
            />
          )}
        </div>
      )}
    </Modal>
  );
}
