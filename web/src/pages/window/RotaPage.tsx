import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, DatePicker, Empty, Form, Select, Table, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api';
import { NoPermission } from '../../components/NoPermission';
import { PageTitle } from '../../components/PageTitle';
import { windowApi, type RotaEntryView } from './api';
import { useWindowAccess } from './menu';

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

interface RotaValues {
  range: [Dayjs, Dayjs];
  accountIds: string[];
}

/** 值班表: who coordinates the 办不成事 matters of each working day; the office fills a range in turns. */
export function RotaPage() {
  const { t } = useTranslation();
  const access = useWindowAccess();
  const { message } = App.useApp();
  const client = useQueryClient();
  const [form] = Form.useForm<RotaValues>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const from = dayjs().format('YYYY-MM-DD');
  const to = dayjs().add(41, 'day').format('YYYY-MM-DD');
  const rota = useQuery({
    queryKey: ['window-rota', from, to],
    queryFn: () => windowApi.rota(from, to),
    enabled: access.manage,
  });
  const accounts = useQuery({
    queryKey: ['accounts'],
    queryFn: () => api.accounts(),
    enabled: access.manage,
  });
  if (!access.manage) return <NoPermission />;
  const coordinators = (accounts.data ?? []).filter(
    (a) => a.active && (a.role === 'office' || a.role === 'admin'),
  );

  const submit = async (v: RotaValues) => {
    setBusy(true);
    setError(null);
    try {
      const entries = await windowApi.setRota({
        from: v.range[0].format('YYYY-MM-DD'),
        to: v.range[1].format('YYYY-MM-DD'),
        accountIds: v.accountIds,
      });
      await client.invalidateQueries({ queryKey: ['window-rota'] });
      void message.success(t('window.rota.done', { n: entries.length }));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title={t('window.rota.title')} description={t('window.rota.description')} />
      <Card size="small" title={t('window.rota.fill')} style={{ marginBottom: 16 }}>
        <Form<RotaValues> form={form} layout="inline" onFinish={(v) => void submit(v)}>
          <Form.Item
            name="range"
            label={t('window.rota.range')}
            rules={[{ required: true, message: t('window.rota.rangeRequired') }]}
          >
            <DatePicker.RangePicker />
          </Form.Item>
          <Form.Item
            name="accountIds"
            label={t('window.rota.people')}
            rules={[{ required: true, message: t('window.rota.peopleRequired') }]}
          >
            <Select
              mode="multiple"
              style={{ minWidth: 280 }}
              placeholder={t('window.rota.peopleHint')}
              options={coordinators.map((a) => ({ value: a.id, label: a.displayName }))}
            />
          </Form.Item>
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('window.rota.submit')}
            </Button>
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {t('window.rota.hint')}
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
      </Card>
      <Card size="small" title={t('window.rota.upcoming')}>
        <Table<RotaEntryView>
          size="small"
          rowKey="date"
          loading={rota.isFetching}
          dataSource={rota.data ?? []}
          pagination={false}
          locale={{
            emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('window.rota.empty')} />,
          }}
          columns={[
            { title: t('window.rota.date'), dataIndex: 'date', width: 140 },
            {
              title: t('window.rota.weekday'),
              key: 'weekday',
              width: 100,
              render: (_: unknown, r: RotaEntryView) =>
                t(`window.rota.weekdays.${WEEKDAYS[dayjs(r.date).day()] ?? 'mon'}`),
            },
            { title: t('window.rota.coordinator'), dataIndex: 'name' },
          ]}
        />
      </Card>
    </>
  );
}
