import { Alert, App, DatePicker, Form, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, errorText } from '../../api';
import { useRegistryRefresh } from '../../queries';
import type { Unit } from '../../types';
import { chinaToday, fromDay, showFieldError } from '../../util';
import { confirmPublishedResults } from './confirmPublished';

/** 撤销单位: closes a unit from a date on; everything before that date is kept as it was. */
export function DeactivateModal({ unit, onClose }: { unit: Unit; onClose: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<{ effectiveFrom: Dayjs | null }>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const refresh = useRegistryRefresh();
  const today = chinaToday();
  // The earliest possible date is the day after the unit's latest change.
  const earliest = dayjs(unit.validFrom).add(1, 'day').format('YYYY-MM-DD');
  const initial = today < earliest ? earliest : today;

  const submit = async () => {
    let values: { effectiveFrom: Dayjs | null };
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    const date = fromDay(values.effectiveFrom) ?? today;
    setBusy(true);
    setError(null);
    try {
      try {
        await api.deactivateUnit(unit.id, date);
      } catch (e) {
        // Dated inside published periods: nothing was saved; ask before closing it anyway.
        if (!(await confirmPublishedResults(modal, t, e))) throw e;
        await api.deactivateUnit(unit.id, date, true);
      }
      void message.success(t('units.deactivated', { name: unit.name, date }));
      await refresh(unit.id);
      onClose();
    } catch (e) {
      if (!showFieldError(form, e, ['effectiveFrom'])) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={t('units.deactivateTitle', { name: unit.name })}
      okText={t('units.deactivateConfirm')}
      okButtonProps={{ danger: true }}
      confirmLoading={busy}
      onOk={() => void submit()}
      onCancel={onClose}
    >
      <Typography.Paragraph>{t('units.deactivateText')}</Typography.Paragraph>
      <Alert type="info" showIcon title={t('units.deactivateKeeps')} style={{ marginBottom: 16 }} />
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form name="unitClose" form={form} layout="vertical" initialValues={{ effectiveFrom: dayjs(initial) }}>
        <Form.Item
          name="effectiveFrom"
          label={t('units.deactivateDate')}
          extra={t('units.deactivateDateHelp', { earliest })}
          rules={[{ required: true, message: t('units.effectiveRequired') }]}
        >
          <DatePicker allowClear={false} disabledDate={(d) => d.format('YYYY-MM-DD') < earliest} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
