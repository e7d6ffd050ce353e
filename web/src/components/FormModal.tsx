import { Alert, Form, Modal, type FormInstance, type ModalProps } from 'antd';
import { useState, type ReactNode } from 'react';
import { errorText } from '../api';
import { showFieldError } from '../util';

/**
 * A dialog holding one form: OK validates the fields, then saves; a server error that names one of
 * `fields` appears next to that field, any other above the form until the next edit.
 */
export function FormModal<V extends object>({
  form,
  name,
  title,
  okText,
  initialValues,
  fields,
  onSave,
  onClose,
  modal,
  children,
}: {
  form: FormInstance<V>;
  name: string;
  title: ReactNode;
  okText: string;
  initialValues?: Partial<V>;
  fields: readonly string[];
  onSave: (values: V) => Promise<void>;
  onClose: () => void;
  /** The dialog's size and mask, where a large form wants other than the default. */
  modal?: Pick<ModalProps, 'width' | 'mask'>;
  children: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch {
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await onSave(values);
    } catch (e) {
      if (!showFieldError(form, e, fields)) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal
      open
      title={title}
      okText={okText}
      onOk={() => void submit()}
      confirmLoading={busy}
      onCancel={onClose}
      destroyOnHidden
      {...modal}
    >
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<V>
        name={name}
        form={form}
        layout="vertical"
        initialValues={initialValues}
        onValuesChange={() => setError(null)}
      >
        {children}
      </Form>
    </Modal>
  );
}
