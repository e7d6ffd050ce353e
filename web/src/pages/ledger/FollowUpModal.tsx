import { UploadOutlined } from '@ant-design/icons';
import { Button, Checkbox, DatePicker, Form, Input, Radio, Select, Upload, type UploadFile } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormModal } from '../../components/FormModal';
import { UnitTreeSelect } from '../../components/UnitTreeSelect';
import { useUnits } from '../../queries';
import {
  FOLLOW_UP_KINDS,
  FOLLOW_UP_METHODS,
  ledgerApi,
  type FollowUpKind,
  type FollowUpMethod,
  type ItemDetail,
} from './api';

interface Values {
  kind: FollowUpKind;
  method: FollowUpMethod;
  unitId?: string | null;
  date: Dayjs;
  inspector: string;
  findings: string;
  problemBack: boolean;
}

/** 记录回头看 / 暗访: against an item (from its drawer) or a unit; photos are attached once it is saved. */
export function FollowUpModal({
  item,
  onClose,
  onSaved,
}: {
  item?: ItemDetail;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const units = useUnits();
  const [files, setFiles] = useState<UploadFile[]>([]);
  return (
    <FormModal<Values>
      form={form}
      name="ledger-follow-up"
      title={
        item ? t('ledger.followUps.recordFor', { reference: item.reference }) : t('ledger.followUps.record')
      }
      okText={t('common.save')}
      modal={{ width: 620 }}
      initialValues={{
        kind: item ? 'revisit' : 'covert',
        method: 'visit',
        date: dayjs(),
        problemBack: false,
      }}
      fields={['unitId', 'date', 'inspector', 'findings']}
      onClose={onClose}
      onSave={async (v) => {
        const saved = await ledgerApi.recordFollowUp({
          kind: v.kind,
          method: v.method,
          ...(item ? { itemId: item.id } : v.unitId ? { unitId: v.unitId } : {}),
          date: v.date.format('YYYY-MM-DD'),
          inspector: v.inspector,
          findings: v.findings,
          problemBack: v.problemBack,
        });
        for (const f of files) {
          if (f.originFileObj) await ledgerApi.attachToFollowUp(saved.id, f.originFileObj);
        }
        await onSaved();
      }}
    >
      <Form.Item name="kind" label={t('ledger.followUps.kind')}>
        <Radio.Group
          optionType="button"
          options={FOLLOW_UP_KINDS.map((k) => ({ value: k, label: t(`ledger.followUpKinds.${k}`) }))}
        />
      </Form.Item>
      <Form.Item name="method" label={t('ledger.followUps.method')}>
        <Select
          options={FOLLOW_UP_METHODS.map((m) => ({ value: m, label: t(`ledger.followUpMethods.${m}`) }))}
        />
      </Form.Item>
      {!item && (
        <Form.Item
          name="unitId"
          label={t('ledger.followUps.unit')}
          rules={[{ required: true, message: t('ledger.create.unitRequired') }]}
        >
          <UnitTreeSelect units={units.data ?? []} />
        </Form.Item>
      )}
      <Form.Item name="date" label={t('ledger.followUps.date')} rules={[{ required: true }]}>
        <DatePicker disabledDate={(d) => d.isAfter(dayjs(), 'day')} />
      </Form.Item>
      <Form.Item
        name="inspector"
        label={t('ledger.followUps.inspector')}
        rules={[{ required: true, whitespace: true, message: t('ledger.followUps.inspectorRequired') }]}
      >
        <Input maxLength={60} />
      </Form.Item>
      <Form.Item
        name="findings"
        label={t('ledger.followUps.findings')}
        rules={[{ required: true, whitespace: true, message: t('ledger.followUps.findingsRequired') }]}
      >
        <Input.TextArea rows={4} maxLength={4000} placeholder={t('ledger.followUps.findingsPlaceholder')} />
      </Form.Item>
      {item && (
        <Form.Item
          name="problemBack"
          valuePropName="checked"
          extra={item.state === 'closed' ? t('ledger.followUps.problemBackHelp') : undefined}
        >
          <Checkbox>{t('ledger.followUps.problemBackQuestion')}</Checkbox>
        </Form.Item>
      )}
      <Form.Item label={t('ledger.followUps.photos')}>
        <Upload
          accept="image/jpeg,image/png,image/webp,application/pdf"
          multiple
          listType="picture"
          fileList={files}
          beforeUpload={() => false}
          onChange={({ fileList }) => setFiles(fileList)}
        >
          <Button icon={<UploadOutlined />}>{t('ledger.followUps.addPhotos')}</Button>
        </Upload>
      </Form.Item>
    </FormModal>
  );
}
