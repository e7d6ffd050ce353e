import { useQuery } from '@tanstack/react-query';
import { DatePicker, Form, Input, Radio, Select, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/FormModal';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import { casesApi } from '../cases/api';
import { ITEM_ORIGINS, ledgerApi, type ItemDetail, type ItemOrigin } from './api';

interface Values {
  origin: ItemOrigin;
  originRef?: string;
  unitId?: string | null;
  title?: string;
  responsibleName?: string;
  target?: string;
  measures?: string;
  deadlineOn?: Dayjs | null;
}

/**
 * 新建整改事项: from a problem, a bad-review case, an inspection finding or by hand. The unit and the title
 * come from the origin unless the clerk writes them; the deadline defaults to 30 working days.
 */
export function CreateItemModal({
  origin,
  originRef,
  onClose,
  onCreated,
}: {
  origin: ItemOrigin;
  originRef?: string | undefined;
  onClose: () => void;
  onCreated: (item: ItemDetail) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const chosen = Form.useWatch('origin', form) ?? origin;
  const units = useUnits();
  const problems = useQuery({
    queryKey: ['ledger-problems', 'all'],
    queryFn: () => ledgerApi.problems(),
    enabled: chosen === 'problem',
  });
  const cases = useQuery({
    queryKey: ['cases', 'for-ledger'],
    queryFn: () => casesApi.list({ pageSize: 200 }),
    enabled: chosen === 'case',
  });
  const findings = useQuery({
    queryKey: ['ledger-follow-ups', 'all'],
    queryFn: () => ledgerApi.followUps(),
    enabled: chosen === 'inspection',
  });
  const refOptions =
    chosen === 'problem'
      ? (problems.data ?? []).map((p) => ({
          value: p.id,
          label: `${p.unitName} · ${p.title}（${t('ledger.problems.countN', { n: p.count })}）`,
        }))
      : chosen === 'case'
        ? (cases.data?.items ?? []).map((c) => ({
            value: c.id,
            label: `${c.reference} · ${c.responsibleUnitName} · ${c.comment || c.tags.join('、')}`,
          }))
        : (findings.data ?? []).map((f) => ({
            value: f.id,
            label: `${f.date} ${f.kindName} · ${f.unitName} · ${f.findings.slice(0, 40)}`,
          }));

  return (
    <FormModal<Values>
      form={form}
      name="ledger-item"
      title={t('ledger.create.title')}
      okText={t('ledger.create.ok')}
      initialValues={{ origin, ...(originRef ? { originRef } : {}) }}
      fields={['unitId', 'title', 'originRef', 'deadlineOn', 'target', 'measures', 'responsibleName']}
      modal={{ width: 640 }}
      onClose={onClose}
      onSave={async (v) => {
        const created = await ledgerApi.createItem({
          origin: v.origin,
          ...(v.origin !== 'manual' && v.originRef ? { originRef: v.originRef } : {}),
          ...(v.unitId ? { unitId: v.unitId } : {}),
          ...(v.title?.trim() ? { title: v.title.trim() } : {}),
          ...(v.responsibleName?.trim() ? { responsibleName: v.responsibleName.trim() } : {}),
          ...(v.target?.trim() ? { target: v.target.trim() } : {}),
          ...(v.measures?.trim() ? { measures: v.measures.trim() } : {}),
          ...(v.deadlineOn ? { deadlineOn: v.deadlineOn.format('YYYY-MM-DD') } : {}),
        });
        onCreated(created);
      }}
    >
      <Form.Item name="origin" label={t('ledger.create.origin')}>
        <Radio.Group
          optionType="button"
          onChange={() => form.setFieldValue('originRef', undefined)}
          // A 办不成事 matter becomes an item from the window's own pages.
          options={ITEM_ORIGINS.filter((o) => o !== 'window').map((o) => ({
            value: o,
            label: t(`ledger.origins.${o}`),
          }))}
        />
      </Form.Item>
      {chosen !== 'manual' && (
        <Form.Item
          name="originRef"
          label={t(`ledger.create.ref.${chosen}`)}
          rules={[{ required: true, message: t('ledger.create.refRequired') }]}
          extra={t('ledger.create.refHelp')}
        >
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={problems.isFetching || cases.isFetching || findings.isFetching}
            options={refOptions}
            placeholder={t('ledger.create.refPlaceholder')}
          />
        </Form.Item>
      )}
      <Form.Item
        name="unitId"
        label={t('ledger.items.unit')}
        rules={chosen === 'manual' ? [{ required: true, message: t('ledger.create.unitRequired') }] : []}
        extra={chosen === 'manual' ? undefined : t('ledger.create.unitFromOrigin')}
      >
        <UnitTreeSelect units={units.data ?? []} placeholder={t('ledger.create.unitPlaceholder')} />
      </Form.Item>
      <Form.Item
        name="title"
        label={t('ledger.items.problem')}
        rules={chosen === 'manual' ? [{ required: true, message: t('ledger.create.titleRequired') }] : []}
        extra={chosen === 'manual' ? undefined : t('ledger.create.titleFromOrigin')}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="responsibleName" label={t('ledger.items.responsible')}>
        <Input maxLength={60} placeholder={t('ledger.create.responsiblePlaceholder')} />
      </Form.Item>
      <Form.Item name="target" label={t('ledger.item.target')} extra={t('ledger.create.planLater')}>
        <Input.TextArea rows={2} maxLength={2000} />
      </Form.Item>
      <Form.Item name="measures" label={t('ledger.item.measures')}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
      <Form.Item name="deadlineOn" label={t('ledger.item.deadline')} extra={t('ledger.create.deadlineHelp')}>
        <DatePicker disabledDate={(d) => d.isBefore(dayjs().add(1, 'day'), 'day')} />
      </Form.Item>
      <Typography.Text type="secondary">{t('ledger.create.flow')}</Typography.Text>
    </FormModal>
  );
}
