import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Typography } from 'antd';
import type { CSSProperties, ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** A value to copy, in the secret style, with its copy button. */
export function SecretField({
  value,
  testId,
  style,
}: {
  value: string;
  testId: string;
  style?: CSSProperties;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      void message.success(t('secret.copied'));
    } catch {
      void message.warning(t('secret.copyFailed'));
    }
  };

  return (
    <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
      <div className="mp-secret" data-testid={testId} style={{ flex: 1, ...style }}>
        {value}
      </div>
      <Button icon={<CopyOutlined />} style={{ height: 'auto' }} onClick={() => void copy()}>
        {t('secret.copy')}
      </Button>
    </Space.Compact>
  );
}

/**
 * Shows a one-time password or an API token secret exactly once: the server keeps only its hash,
 * so closing this is the last chance to copy it. `children` stand between the secret and the warning.
 */
export function SecretModal({
  title,
  intro,
  secret,
  testId = 'one-time-secret',
  width,
  onClose,
  children,
}: {
  title: string;
  intro: string;
  secret: string;
  testId?: string;
  width?: number;
  onClose: () => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation();

  return (
    <Modal
      open
      title={title}
      mask={{ closable: false }}
      keyboard={false}
      onCancel={onClose}
      width={width}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('secret.done')}
        </Button>
      }
    >
      <Typography.Paragraph>{intro}</Typography.Paragraph>
      <SecretField value={secret} testId={testId} />
      {children}
      <Alert type="warning" showIcon title={t('secret.onceOnly')} />
    </Modal>
  );
}
