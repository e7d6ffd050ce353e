import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { FormModal } from '../../components/FormModal';
import { keys } from '../../queries';
import type { Staff, Unit } from '../../types';
import { UnitRecordsTab, type RecordEditorProps } from './UnitRecordsTab';

interface StaffValues {
  staffNo: string;
  name: string;
  position?: string;
  phone?: string;
}

/** The 人员 tab: the people who serve at this unit (ratings can name them). */
export function StaffTab({ unit, readOnly }: { unit: Unit; readOnly: boolean }) {
  const { t } = useTranslation();
  return (
    <UnitRecordsTab<Staff>
      unit={unit}
      readOnly={readOnly}
      texts="staff"
      queryKey={keys.staff(unit.id)}
      load={() => api.staff(unit.id)}
      setActive={(person, active) => api.updateStaff(person.id, { active })}
      columns={[
        { title: t('fields.staffNo'), dataIndex: 'staffNo', width: 140 },
        { title: t('fields.staffName'), dataIndex: 'name', width: 140 },
        { title: t('fields.position'), dataIndex: 'position', render: (v: string) => v || '—' },
        { title: t('fields.phone'), dataIndex: 'phone', width: 150, render: (v: string) => v || '—' },
      ]}
      renderEditor={(props) => <StaffModal unit={unit} {...props} />}
    />
  );
}

function StaffModal({ unit, record: person, onClose, onSaved }: { unit: Unit } & RecordEditorProps<Staff>) {
  const { t } = useTranslation();
  const [form] = Form.useForm<StaffValues>();

  const save = async (values: StaffValues) => {
    const common = {
      name: values.name.trim(),
      position: values.position?.trim() ?? '',
      phone: values.phone?.trim() ?? '',
    };
    if (person) await api.updateStaff(person.id, common);
    else await api.createStaff({ ...common, staffNo: values.staffNo.trim(), unitId: unit.id });
    await onSaved();
  };

  return (
    <FormModal<StaffValues>
      form={form}
      name="staff"
      title={person ? t('staff.editTitle') : t('staff.addTitle', { unit: unit.name })}
      okText={person ? t('common.save') : t('common.create')}
      initialValues={person ?? {}}
      fields={['staffNo', 'name', 'position', 'phone']}
      onSave={save}
      onClose={onClose}
    >
      <Form.Item
        name="staffNo"
        label={t('fields.staffNo')}
        rules={[
          { required: true, message: t('staff.noRequired') },
          { pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/, message: t('errors.invalid_code') },
        ]}
      >
        <Input disabled={person !== null} maxLength={40} />
      </Form.Item>
      <Form.Item
        name="name"
        label={t('fields.staffName')}
        rules={[{ required: true, whitespace: true, message: t('staff.nameRequired') }]}
      >
        <Input maxLength={40} />
      </Form.Item>
      <Form.Item name="position" label={t('fields.position')}>
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item
        name="phone"
        label={t('fields.phone')}
        rules={[{ pattern: /^[0-9+\- ]*$/, message: t('units.phoneInvalid') }]}
      >
        <Input maxLength={30} />
      </Form.Item>
    </FormModal>
  );
}
