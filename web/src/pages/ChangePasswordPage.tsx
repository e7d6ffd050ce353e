import { LogoutOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api, errorText } from '../api';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PageTitle } from '../components/PageTitle';
import { useSession } from '../session';
import { showFieldError } from '../util';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirm: string;
}

/** The same rules the server applies, checked as the person types. */
function localProblem(password: string, username: string): string | null {
  if (password.length < 10) return 'password_too_short';
  if (password.toLowerCase().includes(username.toLowerCase())) return 'password_contains_username';
  if (new Set(password).size < 5) return 'password_too_simple';
  return null;
}

/**
 * Changing one's password. `forced`: the account signed in with a one-time password and may do
 * nothing else until it has chosen its own.
 */
export function ChangePasswordPage({ forced = false }: { forced?: boolean }) {
  const { t } = useTranslation();
  const { session, setSession, signOut } = useSession();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const [form] = Form.useForm<PasswordForm>();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const username = session?.account.username ?? '';

  const submit = async (values: PasswordForm) => {
    setBusy(true);
    setError(null);
    try {
      const next = await api.changePassword(values.currentPassword, values.newPassword);
      void message.success(t('password.changed'));
      setSession(next);
      if (!forced) void navigate('/units');
      else void navigate('/', { replace: true });
    } catch (e) {
      if (!showFieldError(form, e, ['currentPassword', 'newPassword'])) setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const body = (
    <>
      {forced && (
        <Alert
          type="warning"
          showIcon
          icon={<SafetyCertificateOutlined />}
          title={t('password.forcedTitle')}
          description={t('password.forcedText', { name: session?.account.displayName ?? '' })}
          style={{ marginBottom: 20 }}
        />
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Form<PasswordForm>
        name="password"
        form={form}
        layout="vertical"
        onFinish={(v) => void submit(v)}
        requiredMark={false}
      >
        <Form.Item
          name="currentPassword"
          label={forced ? t('password.oneTime') : t('password.current')}
          rules={[{ required: true, message: t('password.currentRequired') }]}
        >
          <Input.Password autoComplete="current-password" autoFocus />
        </Form.Item>
        <Form.Item
          name="newPassword"
          label={t('password.new')}
          extra={t('password.rules')}
          rules={[
            { required: true, message: t('password.newRequired') },
            {
              validator: async (_rule, value: string | undefined) => {
                const problem = value ? localProblem(value, username) : null;
                if (problem) throw new Error(t(`errors.${problem}`));
              },
            },
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('password.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: async (_rule, value: string | undefined) => {
                if (value && value !== getFieldValue('newPassword')) throw new Error(t('password.mismatch'));
              },
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block={forced}>
          {t('password.submit')}
        </Button>
      </Form>
    </>
  );

  if (!forced) {
    return (
      <>
        <PageTitle title={t('password.title')} />
        <Card style={{ maxWidth: 520 }}>{body}</Card>
      </>
    );
  }
  return (
    <div className="mp-login">
      <div style={{ position: 'fixed', top: 16, right: 20 }}>
        <LanguageSwitch />
      </div>
      <Card
        className="mp-login-card"
        style={{ width: 480 }}
        title={t('password.forcedHeading')}
        extra={
          <Button type="link" icon={<LogoutOutlined />} onClick={() => void signOut()}>
            {t('layout.signOut')}
          </Button>
        }
      >
        <Typography.Paragraph type="secondary" style={{ marginTop: -4 }}>
          {t('password.signedInAs', { username })}
        </Typography.Paragraph>
        {body}
      </Card>
    </div>
  );
}
