import { CopyOutlined } from '@ant-design/icons';
import { Alert, App, Button, Modal, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/**
 * Shows a one-time password or an API token secret exactly once: the server keeps only its hash,
 * so closing this is the last chance to copy it.
 */
export function SecretModal({
  title,
  intro,
  secret,
  onClose,
}: {
  title: string;
  intro: string;
  secret: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      void message.success(t('secret.copied'));
    } catch {
      void message.warning(t('secret.copyFailed'));
    }
  };

  return (
    <Modal
      open
      title={title}
      mask={{ closable: false }}
      keyboard={false}
      onCancel={onClose}
      footer={
        <Button type="primary" onClick={onClose}>
          {t('secret.done')}
        </Button>
      }
    >
      <Typography.Paragraph>{intro}</Typography.Paragraph>
      <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
        <div className="mp-secret" data-testid="one-time-secret" style={{ flex: 1 }}>
          {secret}
        </div>
        <Button icon={<CopyOutlined />} style={{ height: 'auto' }} onClick={() => void copy()}>
          {t('secret.copy')}
        </Button>
      </Space.Compact>
      <Alert type="warning" showIcon title={t('secret.onceOnly')} />
    </Modal>
  );
}
