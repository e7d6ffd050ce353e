import { App, Col, DatePicker, Form, Input, InputNumber, Row } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { FormModal } from '../../components/FormModal';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useRegistryRefresh, useUnits } from '../../queries';
import { useAccount } from '../../session';
import type { Unit, UnitKind } from '../../types';
import { chinaToday, fromDay, toDay } from '../../util';
import { CHILD_KIND } from './kinds';
import {
  UnitCategoryItem,
  UnitKindItem,
  UnitNameItem,
  UnitResponsibleNameItem,
  UnitResponsiblePhoneItem,
  UnitShortNameItem,
  UnitTagsItem,
} from './UnitFields';

interface CreateValues {
  code: string;
  name: string;
  shortName?: string;
  kind: UnitKind;
  parentId: string | null;
  categoryId?: string | null;
  tags?: string[];
  sortOrder?: number;
  responsibleName?: string;
  responsiblePhone?: string;
  validFrom: Dayjs | null;
}

const FIELDS = [
  'code',
  'name',
  'shortName',
  'kind',
  'parentId',
  'categoryId',
  'tags',
  'sortOrder',
  'responsibleName',
  'responsiblePhone',
  'validFrom',
];

/** 新增下级单位 / 新增顶级单位. */
export function CreateUnitModal({
  parentId,
  onClose,
  onCreated,
}: {
  parentId: string | null;
  onClose: () => void;
  onCreated: (unit: Unit) => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const { scoped } = useAccount();
  const [form] = Form.useForm<CreateValues>();
  const units = useUnits();
  const refresh = useRegistryRefresh();
  const parent = parentId ? units.data?.find((u) => u.id === parentId) : undefined;

  const save = async (values: CreateValues) => {
    const created = await api.createUnit({
      code: values.code.trim(),
      name: values.name.trim(),
      kind: values.kind,
      parentId: values.parentId ?? null,
      ...(values.shortName?.trim() ? { shortName: values.shortName.trim() } : {}),
      ...(values.categoryId ? { categoryId: values.categoryId } : {}),
      ...(values.tags?.length ? { tags: values.tags } : {}),
      ...(values.sortOrder !== undefined && values.sortOrder !== null ? { sortOrder: values.sortOrder } : {}),
      ...(values.responsibleName?.trim() ? { responsibleName: values.responsibleName.trim() } : {}),
      ...(values.responsiblePhone?.trim() ? { responsiblePhone: values.responsiblePhone.trim() } : {}),
      validFrom: fromDay(values.validFrom) ?? chinaToday(),
    });
    void message.success(t('units.created', { name: created.name }));
    await refresh(parentId ?? undefined);
    onCreated(created);
  };

  return (
    <FormModal<CreateValues>
      form={form}
      name="unitCreate"
      title={parent ? t('units.createChildOf', { name: parent.name }) : t('units.createRoot')}
      okText={t('common.create')}
      initialValues={{
        parentId,
        kind: parent ? CHILD_KIND[parent.kind] : 'jurisdiction',
        validFrom: toDay(chinaToday()),
        tags: [],
      }}
      fields={FIELDS}
      onSave={save}
      onClose={onClose}
      modal={{ width: 720, mask: { closable: false } }}
    >
      <Row gutter={16}>
        <Col span={8}>
          <Form.Item
            name="code"
            label={t('fields.code')}
            extra={t('units.codeHelp')}
            rules={[
              { required: true, message: t('units.codeRequired') },
              { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, message: t('errors.invalid_code') },
            ]}
          >
            <Input maxLength={40} autoFocus />
          </Form.Item>
        </Col>
        <Col span={16}>
          <UnitNameItem />
        </Col>
        <Col span={8}>
          <UnitShortNameItem />
        </Col>
        <Col span={8}>
          <UnitKindItem />
        </Col>
        <Col span={8}>
          <UnitCategoryItem />
        </Col>
        <Col span={16}>
          <Form.Item
            name="parentId"
            label={t('fields.parentId')}
            rules={scoped ? [{ required: true, message: t('units.parentRequired') }] : []}
          >
            <UnitTreeSelect units={units.data ?? []} allowClear={!scoped} placeholder={t('units.noParent')} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="sortOrder" label={t('fields.sortOrder')}>
            <InputNumber min={-100000} max={100000} style={{ width: '100%' }} placeholder="0" />
          </Form.Item>
        </Col>
        <Col span={24}>
          <UnitTagsItem />
        </Col>
        <Col span={8}>
          <UnitResponsibleNameItem />
        </Col>
        <Col span={8}>
          <UnitResponsiblePhoneItem />
        </Col>
        <Col span={8}>
          <Form.Item
            name="validFrom"
            label={t('fields.validFrom')}
            extra={t('units.validFromHelp')}
            rules={[{ required: true, message: t('units.effectiveRequired') }]}
          >
            <DatePicker style={{ width: '100%' }} allowClear={false} />
          </Form.Item>
        </Col>
      </Row>
    </FormModal>
  );
}
