import { Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCategories } from '../../queries';
import { UNIT_KINDS } from '../../types';

// The unit fields that read and check alike when a unit is created and when it is edited; each
// caller lays them out in its own columns.

export function UnitNameItem() {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="name"
      label={t('fields.name')}
      rules={[{ required: true, whitespace: true, message: t('units.nameRequired') }]}
    >
      <Input maxLength={100} />
    </Form.Item>
  );
}

export function UnitShortNameItem() {
  const { t } = useTranslation();
  return (
    <Form.Item name="shortName" label={t('fields.shortName')}>
      <Input maxLength={40} />
    </Form.Item>
  );
}

export function UnitKindItem() {
  const { t } = useTranslation();
  return (
    <Form.Item name="kind" label={t('fields.kind')} rules={[{ required: true }]}>
      <Select options={UNIT_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
    </Form.Item>
  );
}

export function UnitCategoryItem() {
  const { t } = useTranslation();
  const categories = useCategories();
  return (
    <Form.Item name="categoryId" label={t('fields.categoryId')}>
      <Select
        allowClear
        placeholder={t('units.noCategory')}
        options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
        notFoundContent={t('units.noCategories')}
      />
    </Form.Item>
  );
}

export function UnitTagsItem() {
  const { t } = useTranslation();
  return (
    <Form.Item name="tags" label={t('fields.tags')} extra={t('units.tagsHelp')}>
      <Select mode="tags" tokenSeparators={[',', '，', '、', ';', '；']} open={false} suffix={null} />
    </Form.Item>
  );
}

export function UnitResponsibleNameItem() {
  const { t } = useTranslation();
  return (
    <Form.Item name="responsibleName" label={t('fields.responsibleName')}>
      <Input maxLength={40} />
    </Form.Item>
  );
}

export function UnitResponsiblePhoneItem() {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="responsiblePhone"
      label={t('fields.responsiblePhone')}
      rules={[{ pattern: /^[0-9+\- ]*$/, message: t('units.phoneInvalid') }]}
    >
      <Input maxLength={30} />
    </Form.Item>
  );
}
