import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, InputNumber, Select, Space, Steps, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { errorText } from '../../api';
import { PageTitle } from '../../components/PageTitle';
import { useUnits } from '../../queries';
import { panelApi, type DrawPreview, type Quota, type SampleRequestRules } from './api';
import { StrataTable } from './StrataTable';

interface WizardValues {
  purpose: string;
  size: number;
  groups?: string[];
  tags?: string[];
  regions?: string[];
  grassrootsOnly?: boolean;
  subjectUnits?: string[];
  rotationDays?: number;
  reservePerStratum?: number;
  quotas?: Quota[];
}

function toRules(v: WizardValues): SampleRequestRules {
  return {
    size: v.size,
    filters: {
      groups: v.groups ?? [],
      regions: v.regions ?? [],
      tags: v.tags ?? [],
      grassroots: v.grassrootsOnly ? true : null,
    },
    quotas: (v.quotas ?? [])
      .filter((q) => q.feature && q.value)
      .map((q) => ({ ...q, min: q.min ?? 0, max: q.max ?? v.size })),
    subjectUnits: v.subjectUnits ?? [],
    rotationDays: v.rotationDays ?? 0,
    exclusions: [],
    reservePerStratum: v.reservePerStratum ?? 0,
  };
}

/** /panel/draws/new — purpose and scope, quotas and exclusions, preview (strata and probabilities), announce. */
export function DrawWizardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<WizardValues>();
  const [preview, setPreview] = useState<DrawPreview | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const groups = useQuery({ queryKey: ['panel', 'groups'], queryFn: panelApi.groups });
  const units = useUnits();
  const groupOptions = (groups.data ?? []).map((g) => ({ value: g.code, label: g.name }));
  const unitOptions = (units.data ?? []).map((u) => ({ value: u.id, label: u.name }));
  const quotas = Form.useWatch('quotas', form) ?? [];

  const run = async (announce: boolean) => {
    const values = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      if (announce) {
        const d = await panelApi.announce(values.purpose, toRules(values));
        void navigate(`/panel/draws/${d.id}`);
      } else setPreview(await panelApi.preview(toRules(values)));
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title={t('panel.wizard.title')} description={t('panel.draws.description')} />
      <Steps
        style={{ marginBottom: 16 }}
        current={preview ? 2 : 0}
        items={[
          { title: t('panel.wizard.step1') },
          { title: t('panel.wizard.step2') },
          { title: t('panel.wizard.step3') },
        ]}
      />
      <Form
        form={form}
        layout="vertical"
        initialValues={{ size: 10, rotationDays: 0, reservePerStratum: 2, quotas: [] }}
        onValuesChange={() => setPreview(null)}
      >
        <Card title={t('panel.wizard.step1')} style={{ marginBottom: 16 }}>
          <Form.Item
            name="purpose"
            label={t('panel.draws.purpose')}
            rules={[{ required: true, whitespace: true }]}
          >
            <Input maxLength={200} />
          </Form.Item>
          <Space wrap size="large" align="start">
            <Form.Item name="size" label={t('panel.draws.size')} rules={[{ required: true }]}>
              <InputNumber min={1} max={100000} />
            </Form.Item>
            <Form.Item name="groups" label={t('panel.wizard.filterGroups')}>
              <Select mode="multiple" style={{ minWidth: 220 }} options={groupOptions} />
            </Form.Item>
            <Form.Item name="tags" label={t('panel.wizard.filterTags')}>
              <Select mode="tags" style={{ minWidth: 180 }} />
            </Form.Item>
            <Form.Item name="regions" label={t('panel.wizard.filterRegions')}>
              <Select
                mode="multiple"
                showSearch
                optionFilterProp="label"
                style={{ minWidth: 220 }}
                options={unitOptions}
              />
            </Form.Item>
            <Form.Item name="grassrootsOnly" label={t('panel.wizard.grassrootsOnly')} valuePropName="checked">
              <Switch />
            </Form.Item>
          </Space>
        </Card>
        <Card title={t('panel.wizard.step2')} style={{ marginBottom: 16 }}>
          <Form.List name="quotas">
            {(fields, { add, remove }) => (
              <>
                {fields.map((field, i) => {
                  const feature = quotas[i]?.feature;
                  const valueOptions =
                    feature === 'group'
                      ? groupOptions
                      : feature === 'region'
                        ? unitOptions
                        : [
                            { value: 'yes', label: t('panel.pool.yes') },
                            { value: 'no', label: t('panel.pool.no') },
                          ];
                  return (
                    <Space key={field.key} align="baseline" wrap>
                      <Form.Item
                        name={[field.name, 'feature']}
                        label={t('panel.wizard.feature')}
                        rules={[{ required: true }]}
                      >
                        <Select
                          style={{ width: 120 }}
                          options={(['group', 'region', 'grassroots'] as const).map((f) => ({
                            value: f,
                            label: t(`panel.wizard.features.${f}`),
                          }))}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'value']}
                        label={t('panel.wizard.value')}
                        rules={[{ required: true }]}
                      >
                        <Select
                          showSearch
                          optionFilterProp="label"
                          style={{ width: 220 }}
                          options={valueOptions}
                        />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'min']}
                        label={t('panel.wizard.min')}
                        rules={[{ required: true }]}
                      >
                        <InputNumber min={0} />
                      </Form.Item>
                      <Form.Item
                        name={[field.name, 'max']}
                        label={t('panel.wizard.max')}
                        rules={[{ required: true }]}
                      >
                        <InputNumber min={0} />
                      </Form.Item>
                      <Button
                        icon={<DeleteOutlined />}
                        onClick={() => remove(field.name)}
                        aria-label="remove"
                      />
                    </Space>
                  );
                })}
                <Button icon={<PlusOutlined />} onClick={() => add({ feature: 'group', min: 0 })}>
                  {t('panel.wizard.addQuota')}
                </Button>
              </>
            )}
          </Form.List>
          <Space wrap size="large" style={{ marginTop: 16 }}>
            <Form.Item name="subjectUnits" label={t('panel.wizard.subjects')}>
              <Select
                mode="multiple"
                showSearch
                optionFilterProp="label"
                style={{ minWidth: 260 }}
                options={unitOptions}
              />
            </Form.Item>
            <Form.Item name="rotationDays" label={t('panel.wizard.rotation')}>
              <InputNumber min={0} max={3650} />
            </Form.Item>
            <Form.Item name="reservePerStratum" label={t('panel.wizard.reserve')}>
              <InputNumber min={0} max={100} />
            </Form.Item>
          </Space>
        </Card>
      </Form>
      <Card title={t('panel.wizard.step3')}>
        <Space direction="vertical" style={{ width: '100%' }}>
          <Space>
            <Button onClick={() => void run(false)} loading={busy}>
              {t('panel.wizard.preview')}
            </Button>
            <Button type="primary" disabled={!preview?.ok} loading={busy} onClick={() => void run(true)}>
              {t('panel.wizard.announce')}
            </Button>
            <span>{t('panel.wizard.announceHelp')}</span>
          </Space>
          {error && <Alert type="error" showIcon message={error} />}
          {preview && !preview.ok && (
            <Alert
              type="error"
              showIcon
              message={t('panel.wizard.infeasible')}
              description={preview.shortfalls.join(' ')}
            />
          )}
          {preview?.ok && (
            <>
              <div>
                {t('panel.wizard.eligible', { n: preview.eligible })} ·{' '}
                {t('panel.wizard.deviation', { d: preview.deviation ?? 0 })}
              </div>
              <StrataTable strata={preview.strata} />
            </>
          )}
        </Space>
      </Card>
    </>
  );
}
