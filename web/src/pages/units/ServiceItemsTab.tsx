import { Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { FormModal } from '../../components/FormModal';
import { keys } from '../../queries';
import { SERVICE_MODES, type ServiceItem, type ServiceMode, type Unit } from '../../types';
import { UnitRecordsTab, type RecordEditorProps } from './UnitRecordsTab';

interface ItemValues {
  code: string;
  name: string;
  mode: ServiceMode;
}

/** The 服务事项 tab: the service items the public can rate at this unit. */
export function ServiceItemsTab({ unit, readOnly }: { unit: Unit; readOnly: boolean }) {
  const { t } = useTranslation();
  return (
    <UnitRecordsTab<ServiceItem>
      unit={unit}
      readOnly={readOnly}
      texts="items"
      queryKey={keys.serviceItems(unit.id)}
      load={() => api.serviceItems(unit.id)}
      setActive={(item, active) => api.updateServiceItem(item.id, { active })}
      columns={[
        { title: t('fields.itemCode'), dataIndex: 'code', width: 160 },
        { title: t('fields.itemName'), dataIndex: 'name' },
        {
          title: t('fields.mode'),
          dataIndex: 'mode',
          width: 120,
          render: (mode: ServiceMode) => t(`modes.${mode}`),
        },
      ]}
      renderEditor={(props) => <ItemModal unit={unit} {...props} />}
    />
  );
}

function ItemModal({
  unit,
  record: item,
  onClose,
  onSaved,
}: { unit: Unit } & RecordEditorProps<ServiceItem>) {
  const { t } = useTranslation();
  const [form] = Form.useForm<ItemValues>();

  const save = async (values: ItemValues) => {
    if (item) await api.updateServiceItem(item.id, { name: values.name.trim(), mode: values.mode });
    else
      await api.createServiceItem({
        code: values.code.trim(),
        name: values.name.trim(),
        mode: values.mode,
        unitId: unit.id,
      });
    await onSaved();
  };

  return (
    <FormModal<ItemValues>
      form={form}
      name="serviceItem"
      title={item ? t('items.editTitle') : t('items.addTitle', { unit: unit.name })}
      okText={item ? t('common.save') : t('common.create')}
      initialValues={item ?? { mode: 'both' }}
      fields={['code', 'name', 'mode']}
      onSave={save}
      onClose={onClose}
    >
      <Form.Item
        name="code"
        label={t('fields.itemCode')}
        extra={item ? undefined : t('units.codeHelp')}
        rules={[
          { required: true, message: t('items.codeRequired') },
          { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, message: t('errors.invalid_code') },
        ]}
      >
        <Input disabled={item !== null} maxLength={40} />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('fields.itemName')}
        rules={[{ required: true, whitespace: true, message: t('items.nameRequired') }]}
      >
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="mode" label={t('fields.mode')} rules={[{ required: true }]}>
        <Radio.Group
          optionType="button"
          options={SERVICE_MODES.map((m) => ({ value: m, label: t(`modes.${m}`) }))}
        />
      </Form.Item>
    </FormModal>
  );
}
