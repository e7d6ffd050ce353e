import { Alert, App, Button, Col, DatePicker, Form, InputNumber, Row, Space } from 'antd';
import type { Dayjs } from 'dayjs';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText, type UnitChanges } from '../../api';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useRegistryRefresh, useUnits } from '../../queries';
import { useAccount } from '../../session';
import type { UnitDetail, UnitKind } from '../../types';
import { chinaToday, fromDay, showFieldError, toDay } from '../../util';
import { confirmPublishedResults } from './confirmPublished';
import {
  UnitCategoryItem,
  UnitKindItem,
  UnitNameItem,
  UnitResponsibleNameItem,
  UnitResponsiblePhoneItem,
  UnitShortNameItem,
  UnitTagsItem,
} from './UnitFields';

interface EditValues {
  name: string;
  shortName: string;
  kind: UnitKind;
  parentId: string | null;
  categoryId: string | null;
  tags: string[];
  sortOrder: number;
  responsibleName: string;
  responsiblePhone: string;
  effectiveFrom: Dayjs | null;
}

const FIELDS = [
  'name',
  'shortName',
  'kind',
  'parentId',
  'categoryId',
  'tags',
  'sortOrder',
  'responsibleName',
  'responsiblePhone',
  'effectiveFrom',
] as const;

/** The 基本信息 tab: a unit's fields, changed from an effective date on. */
export function UnitEditForm({
  detail,
  readOnly,
  ownRoot,
}: {
  detail: UnitDetail;
  readOnly: boolean;
  ownRoot: boolean;
}) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const { scoped } = useAccount();
  const unit = detail.unit;
  const [form] = Form.useForm<EditValues>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = useRegistryRefresh();
  const units = useUnits();
  const today = chinaToday();
  const earliest = unit.validFrom;

  const initial: EditValues = useMemo(
    () => ({
      name: unit.name,
      shortName: unit.shortName,
      kind: unit.kind,
      parentId: unit.parentId,
      categoryId: unit.categoryId,
      tags: unit.tags,
      sortOrder: unit.sortOrder,
      responsibleName: unit.responsibleName,
      responsiblePhone: unit.responsiblePhone,
      effectiveFrom: toDay(today < earliest ? earliest : today),
    }),
    [unit, today, earliest],
  );

  const submit = async (values: EditValues) => {
    setError(null);
    const changes: UnitChanges = {};
    if (values.name.trim() !== unit.name) changes.name = values.name.trim();
    if ((values.shortName ?? '').trim() !== unit.shortName)
      changes.shortName = (values.shortName ?? '').trim();
    if (values.kind !== unit.kind) changes.kind = values.kind;
    if ((values.parentId ?? null) !== unit.parentId) changes.parentId = values.parentId ?? null;
    if ((values.categoryId ?? null) !== unit.categoryId) changes.categoryId = values.categoryId ?? null;
    const tags = [...new Set((values.tags ?? []).map((x) => x.trim()).filter(Boolean))].sort();
    if (JSON.stringify(tags) !== JSON.stringify([...unit.tags].sort())) changes.tags = tags;
    if ((values.sortOrder ?? 0) !== unit.sortOrder) changes.sortOrder = values.sortOrder ?? 0;
    if ((values.responsibleName ?? '').trim() !== unit.responsibleName)
      changes.responsibleName = (values.responsibleName ?? '').trim();
    if ((values.responsiblePhone ?? '').trim() !== unit.responsiblePhone)
      changes.responsiblePhone = (values.responsiblePhone ?? '').trim();
    if (Object.keys(changes).length === 0) {
      void message.info(t('units.noChanges'));
      return;
    }
    const effectiveFrom = fromDay(values.effectiveFrom) ?? today;
    setBusy(true);
    const save = async (confirmPublished: boolean) => {
      await api.updateUnit(unit.id, {
        ...changes,
        effectiveFrom,
        ...(confirmPublished ? { confirmPublishedResults: true } : {}),
      });
      void message.success(t('units.saved', { date: effectiveFrom }));
      await refresh(unit.id);
    };
    try {
      try {
        await save(false);
      } catch (e) {
        // Dated inside published periods: nothing was saved; ask before saving it anyway.
        if (!(await confirmPublishedResults(modal, t, e))) throw e;
        await save(true);
      }
    } catch (e) {
      if (!showFieldError(form, e, FIELDS)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Form<EditValues>
      name="unitEdit"
      form={form}
      layout="vertical"
      initialValues={initial}
      disabled={readOnly}
      onFinish={(v) => void submit(v)}
      onValuesChange={() => setError(null)}
      style={{ maxWidth: 860 }}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Row gutter={16}>
        <Col span={12}>
          <UnitNameItem />
        </Col>
        <Col span={6}>
          <UnitShortNameItem />
        </Col>
        <Col span={6}>
          <UnitKindItem />
        </Col>
        <Col span={12}>
          <Form.Item
            name="parentId"
            label={t('fields.parentId')}
            extra={ownRoot ? t('units.ownRootParent') : undefined}
          >
            <UnitTreeSelect
              units={units.data ?? []}
              disabledIds={new Set([unit.id])}
              disabled={ownRoot || readOnly}
              fallbackLabel={detail.path.at(-2)?.name}
              allowClear={!scoped}
              placeholder={t('units.noParent')}
            />
          </Form.Item>
        </Col>
        <Col span={12}>
          <UnitCategoryItem />
        </Col>
        <Col span={12}>
          <UnitTagsItem />
        </Col>
        <Col span={12}>
          <Form.Item name="sortOrder" label={t('fields.sortOrder')} extra={t('units.sortOrderHelp')}>
            <InputNumber min={-100000} max={100000} style={{ width: 160 }} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <UnitResponsibleNameItem />
        </Col>
        <Col span={12}>
          <UnitResponsiblePhoneItem />
        </Col>
      </Row>
      {!readOnly && (
        <div className="mp-effective">
          <Form.Item
            name="effectiveFrom"
            label={t('fields.effectiveFrom')}
            rules={[{ required: true, message: t('units.effectiveRequired') }]}
            extra={t('units.effectiveHelp', { earliest })}
            style={{ marginBottom: 12 }}
          >
            <DatePicker
              style={{ width: 200 }}
              disabledDate={(d) => d.format('YYYY-MM-DD') < earliest}
              allowClear={false}
              // Enter confirms a typed date; it must not also save the whole form.
              onKeyDown={(e) => {
                if (e.key === 'Enter') e.preventDefault();
              }}
            />
          </Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={busy}>
              {t('units.save')}
            </Button>
            <Button
              htmlType="button"
              onClick={() => {
                form.resetFields();
                setError(null);
              }}
            >
              {t('common.reset')}
            </Button>
          </Space>
        </div>
      )}
    </Form>
  );
}
