import { App, Button, Layout, Space, Tag, Typography } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { Link, Outlet } from 'react-router';
import { api } from '../api';
import { useAuth } from '../auth';
import { ROLE_LABELS } from '../labels';

export function AdminLayout() {
  const { staff, setStaff } = useAuth();
  const { message } = App.useApp();

  async function logout() {
    // Leave locally even if the server call fails: the session expires on its own.
    await api.logout().catch(() => undefined);
    setStaff(null);
    message.success('已退出登录');
  }

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Header style={{ display: 'flex', alignItems: 'center', gap: 24, paddingInline: 24 }}>
        <Link to="/cases" style={{ color: '#fff', fontSize: 18, fontWeight: 600, whiteSpace: 'nowrap' }}>
          12315 投诉举报处理平台
        </Link>
        <Link to="/cases" style={{ color: 'rgba(255,255,255,0.85)' }}>
          案件列表
        </Link>
        <Link to="/insight" style={{ color: 'rgba(255,255,255,0.85)' }} className="nav-insight">
          统计看板
        </Link>
        {staff?.role === 'admin' && (
          <>
            <Link to="/staff" style={{ color: 'rgba(255,255,255,0.85)' }} className="nav-staff">
              人员与机构
            </Link>
            <Link to="/audit" style={{ color: 'rgba(255,255,255,0.85)' }} className="nav-audit">
              审计日志
            </Link>
          </>
        )}
        <Link to="/deliveries" style={{ color: 'rgba(255,255,255,0.85)' }}>
          发送失败消息
        </Link>
        {staff && (
          <Space size="middle" style={{ marginLeft: 'auto', color: '#fff' }} className="staff-info">
            <span>
              <UserOutlined /> <span className="staff-name">{staff.displayName}</span>
            </span>
            <Typography.Text style={{ color: 'rgba(255,255,255,0.75)' }} className="staff-bureau">
              {staff.bureau.name}
            </Typography.Text>
            <Tag color="blue" className={`role-${staff.role}`}>
              {ROLE_LABELS[staff.role]}
            </Tag>
            <Button type="link" icon={<LogoutOutlined />} onClick={logout} style={{ color: '#fff' }}>
              退出登录
            </Button>
          </Space>
        )}
      </Layout.Header>
      <Layout.Content style={{ padding: 24, width: '100%', maxWidth: 1280, margin: '0 auto' }}>
        <Outlet />
      </Layout.Content>
    </Layout>
  );
}
