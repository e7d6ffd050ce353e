import { Alert, App, Col, DatePicker, Form, Input, InputNumber, Modal, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useCategories, useRegistryRefresh, useUnits } from '../../queries';
import { useAccount } from '../../session';
import { UNIT_KINDS, type Unit, type UnitKind } from '../../types';
import { chinaToday, fromDay, showFieldError, toDay } from '../../util';
import { CHILD_KIND } from './kinds';

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
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const units = useUnits();
  const categories = useCategories();
  const refresh = useRegistryRefresh();
  const parent = parentId ? units.data?.find((u) => u.id === parentId) : undefined;

  const submit = async () => {
    let values: CreateValues;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const created = await api.createUnit({
        code: values.code.trim(),
        name: values.name.trim(),
        kind: values.kind,
        parentId: values.parentId ?? null,
        ...(values.shortName?.trim() ? { shortName: values.shortName.trim() } : {}),
        ...(values.categoryId ? { categoryId: values.categoryId } : {}),
        ...(values.tags?.length ? { tags: values.tags } : {}),
        ...(values.sortOrder !== undefined && values.sortOrder !== null
          ? { sortOrder: values.sortOrder }
          : {}),
        ...(values.responsibleName?.trim() ? { responsibleName: values.responsibleName.trim() } : {}),
        ...(values.responsiblePhone?.trim() ? { responsiblePhone: values.responsiblePhone.trim() } : {}),
        validFrom: fromDay(values.validFrom) ?? chinaToday(),
      });
      void message.success(t('units.created', { name: created.name }));
      await refresh(parentId ?? undefined);
      onCreated(created);
    } catch (e) {
      if (!showFieldError(form, e, FIELDS)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      width={720}
      title={parent ? t('units.createChildOf', { name: parent.name }) : t('units.createRoot')}
      okText={t('common.create')}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
      mask={{ closable: false }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<CreateValues>
        name="unitCreate"
        form={form}
        layout="vertical"
        initialValues={{
          parentId,
          kind: parent ? CHILD_KIND[parent.kind] : 'jurisdiction',
          validFrom: toDay(chinaToday()),
          tags: [],
        }}
        onValuesChange={() => setError(null)}
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
            <Form.Item
              name="name"
              label={t('fields.name')}
              rules={[{ required: true, whitespace: true, message: t('units.nameRequired') }]}
            >
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="shortName" label={t('fields.shortName')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="kind" label={t('fields.kind')} rules={[{ required: true }]}>
              <Select options={UNIT_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="categoryId" label={t('fields.categoryId')}>
              <Select
                allowClear
                placeholder={t('units.noCategory')}
                options={(categories.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
                notFoundContent={t('units.noCategories')}
              />
            </Form.Item>
          </Col>
          <Col span={16}>
            <Form.Item
              name="parentId"
              label={t('fields.parentId')}
              rules={scoped ? [{ required: true, message: t('units.parentRequired') }] : []}
            >
              <UnitTreeSelect
                units={units.data ?? []}
                allowClear={!scoped}
                placeholder={t('units.noParent')}
              />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="sortOrder" label={t('fields.sortOrder')}>
              <InputNumber min={-100000} max={100000} style={{ width: '100%' }} placeholder="0" />
            </Form.Item>
          </Col>
          <Col span={24}>
            <Form.Item name="tags" label={t('fields.tags')} extra={t('units.tagsHelp')}>
              <Select mode="tags" tokenSeparators={[',', '，', '、', ';', '；']} open={false} suffix={null} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item name="responsibleName" label={t('fields.responsibleName')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
          <Col span={8}>
            <Form.Item
              name="responsiblePhone"
              label={t('fields.responsiblePhone')}
              rules={[{ pattern: /^[0-9+\- ]*$/, message: t('units.phoneInvalid') }]}
            >
              <Input maxLength={30} />
            </Form.Item>
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
      </Form>
    </Modal>
  );
}
