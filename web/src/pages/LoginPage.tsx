import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useQuery } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Input, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { api, ApiError, errorText } from '../api';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { useSession } from '../session';

interface LoginForm {
  username: string;
  password: string;
}

export function LoginPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<LoginForm>();
  const { setSession } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const demo = useQuery({ queryKey: ['demo-accounts'], queryFn: api.demoAccounts, staleTime: Infinity });

  const submit = async (values: LoginForm) => {
    setBusy(true);
    setError(null);
    try {
      const session = await api.login(values.username.trim(), values.password);
      const from = (location.state as { from?: string } | null)?.from ?? '/';
      void navigate(from, { replace: true });
      setSession(session);
    } catch (e) {
      setError(e instanceof ApiError ? e.message : errorText(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="mp-login">
      <div style={{ position: 'fixed', top: 16, right: 20 }}>
        <LanguageSwitch />
      </div>
      <Card className="mp-login-card">
        <div className="mp-login-heading">
          <span className="mp-brand-mark" style={{ width: 44, height: 44, fontSize: 22 }}>
            评
          </span>
          <h1>{t('app.name')}</h1>
          <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
        </div>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
        <Form<LoginForm>
          name="login"
          form={form}
          layout="vertical"
          onFinish={(v) => void submit(v)}
          requiredMark={false}
        >
          <Form.Item
            name="username"
            label={t('login.username')}
            rules={[{ required: true, message: t('login.usernameRequired') }]}
          >
            <Input prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item
            name="password"
            label={t('login.password')}
            rules={[{ required: true, message: t('login.passwordRequired') }]}
          >
            <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          <Button type="primary" htmlType="submit" block size="large" loading={busy}>
            {t('login.submit')}
          </Button>
        </Form>
        {demo.data?.demo && (
          <div style={{ marginTop: 24 }}>
            <Typography.Text strong>{t('login.demoTitle')}</Typography.Text>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12, margin: '4px 0 8px' }}>
              {t('login.demoHint')}
            </Typography.Paragraph>
            <Table
              size="small"
              rowKey="username"
              pagination={false}
              dataSource={demo.data.accounts}
              onRow={(row) => ({
                onClick: () => form.setFieldsValue({ username: row.username, password: row.password }),
                style: { cursor: 'pointer' },
              })}
              columns={[
                {
                  title: t('login.demoAccount'),
                  dataIndex: 'username',
                  render: (username: string) => <Typography.Link>{username}</Typography.Link>,
                },
                {
                  title: t('login.demoRole'),
                  dataIndex: 'role',
                  render: (_: unknown, row) => <Tag>{t(`roles.${row.role}`)}</Tag>,
                },
                { title: t('login.demoLabel'), dataIndex: 'label', ellipsis: true },
              ]}
            />
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t('login.demoPassword', { password: demo.data.accounts[0]?.password ?? '' })}
            </Typography.Text>
          </div>
        )}
      </Card>
    </div>
  );
}
