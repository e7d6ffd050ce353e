import { App, Button, Popconfirm } from 'antd';
import { errorText } from '../api';

/**
 * A danger link that revokes a credential after a confirmation; says so, or why not, in a message.
 * `onRevoked` refreshes whatever lists it.
 */
export function RevokeButton({
  label,
  confirmTitle,
  confirmText,
  revokedMessage,
  revoke,
  onRevoked,
}: {
  label: string;
  confirmTitle: string;
  confirmText: string;
  revokedMessage: string;
  revoke: () => Promise<unknown>;
  onRevoked: () => Promise<unknown>;
}) {
  const { message } = App.useApp();

  const confirm = async () => {
    try {
      await revoke();
      void message.success(revokedMessage);
      await onRevoked();
    } catch (e) {
      void message.error(errorText(e));
    }
  };

  return (
    <Popconfirm
      title={confirmTitle}
      description={confirmText}
      okButtonProps={{ danger: true }}
      onConfirm={() => void confirm()}
    >
      <Button type="link" size="small" danger>
        {label}
      </Button>
    </Popconfirm>
  );
}
