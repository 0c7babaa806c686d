import { useState } from 'react';
import { Navigate, useLocation, type Location } from 'react-router';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { api, ApiError } from '../api';
import { useAuth } from '../auth';

interface Credentials {
  username: string;
  password: string;
}

function loginErrorText(err: unknown): string {
  // The server words LOGIN_FAILED alike for a wrong password, an unknown name and a locked account,
  // with the hint that repeated failures make one wait; RATE_LIMITED says to try later.
  if (err instanceof ApiError) return err.message;
  return '登录失败，请稍后重试';
}

export default function Login() {
  const { staff, setStaff } = useAuth();
  const location = useLocation();
  const [error, setError] = useState<string>();
  const [submitting, setSubmitting] = useState(false);

  if (staff) {
    const from = (location.state as { from?: Location } | null)?.from;
    return <Navigate to={from && from.pathname !== '/login' ? from : '/cases'} replace />;
  }

  async function onFinish({ username, password }: Credentials) {
    setSubmitting(true);
    setError(undefined);
    try {
      setStaff(await api.login(username.trim(), password));
    } catch (err) {
      setError(loginErrorText(err));
    } finally {
      setSubmitting(false);
    }
  }

  return (
    <div
      style={{
        minHeight: '100vh',
        display: 'flex',
        alignItems: 'center',
        justifyContent: 'center',
        background: 'linear-gradient(180deg, #001529 0%, #0b3a6e 100%)',
      }}
    >
      <Card style={{ width: 400, maxWidth: 'calc(100vw - 32px)' }}>
        <Typography.Title level={3} style={{ textAlign: 'center', marginBottom: 4 }}>
          12315 投诉举报处理平台
        </Typography.Title>
        <Typography.Paragraph type="secondary" style={{ textAlign: 'center' }}>
          市场监管部门工作人员登录
        </Typography.Paragraph>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} className="login-error" />}
        <Form<Credentials> layout="vertical" requiredMark={false} onFinish={onFinish} disabled={submitting}>
          <Form.Item label="用户名" name="username" rules={[{ required: true, whitespace: true, message: '请输入用户名' }]}>
            <Input id="username" prefix={<UserOutlined />} autoComplete="username" autoFocus size="large" />
          </Form.Item>
          <Form.Item label="密码" name="password" rules={[{ required: true, message: '请输入密码' }]}>
            <Input.Password id="password" prefix={<LockOutlined />} autoComplete="current-password" size="large" />
          </Form.Item>
          {/* Disabled by the form while submitting, without `loading`: its spinner would change the button's accessible name. */}
          <Button type="primary" htmlType="submit" block size="large">
            {submitting ? '正在登录…' : '登录'}
          </Button>
        </Form>
      </Card>
    </div>
  );
}
