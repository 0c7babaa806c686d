import { useCallback, useEffect, useState } from 'react';
import { App, Button, Card, Form, Input, Modal, Select, Space, Switch, Table, Tabs, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { FormInstance } from 'antd/es/form';
import { PlusOutlined } from '@ant-design/icons';
import { api, ApiError, type Bureau, type StaffAccount, type StaffCreate } from '../api';
import { ROLE_LABELS } from '../labels';
import { useAuth } from '../auth';

const ROLE_OPTIONS = Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label }));

/** Puts the server's field errors on the form, or shows the message. */
function showError<T>(err: unknown, form: FormInstance<T>, message: { error: (s: string) => void }) {
  if (err instanceof ApiError && err.fields?.length) form.setFields(err.fields.map((f) => ({ name: f.path as never, errors: [f.message] })));
  else message.error(err instanceof Error ? err.message : '操作失败');
}

function StaffTab({ bureaus }: { bureaus: Bureau[] }) {
  const { message } = App.useApp();
  const { staff: me } = useAuth();
  const [items, setItems] = useState<StaffAccount[]>([]);
  const [loading, setLoading] = useState(false);
  const [creating, setCreating] = useState(false);
  const [form] = Form.useForm<StaffCreate>();
  const role = Form.useWatch('role', form);

  const load = useCallback(() => {
    setLoading(true);
    api
      .staff()
      .then(setItems, (err: Error) => message.error(err.message))
      .finally(() => setLoading(false));
  }, [message]);
  useEffect(load, [load]);

  async function update(s: StaffAccount, body: Parameters<typeof api.updateStaff>[1], done: string) {
    try {
      await api.updateStaff(s.id, body);
      message.success(done);
      load();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '操作失败');
    }
  }

  async function create() {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    try {
      await api.createStaff({ ...values, regionPrefix: values.role === 'supervisor' ? values.regionPrefix : undefined });
      message.success('已新增工作人员');
      setCreating(false);
      load();
    } catch (err) {
      showError(err, form, message);
    }
  }

  const bureauName = (code: string) => bureaus.find((b) => b.code === code)?.name ?? code;
  const columns: ColumnsType<StaffAccount> = [
    { title: '用户名', dataIndex: 'username' },
    { title: '姓名', dataIndex: 'displayName' },
    { title: '角色', dataIndex: 'role', render: (r: StaffAccount['role']) => ROLE_LABELS[r] },
    { title: '所属机构', dataIndex: 'bureauCode', render: bureauName },
    { title: '管辖范围', dataIndex: 'regionPrefix', render: (p: string, s) => (s.role === 'admin' ? '全部' : s.role === 'handler' ? '本机构' : `区划 ${p}*`) },
    {
      title: '状态',
      key: 'state',
      render: (_: unknown, s) => (
        <Space>
          <Switch
            checked={s.active}
            disabled={s.id === me?.id}
            checkedChildren="启用"
            unCheckedChildren="停用"
            onChange={(active) => void update(s, { active }, active ? '已启用' : '已停用，其登录已失效')}
          />
          {s.locked && (
            <Tag color="red">
              已锁定{' '}
              <a onClick={() => void update(s, { unlock: true }, '已解锁')} className={`unlock-${s.username}`}>
                解锁
              </a>
            </Tag>
          )}
        </Space>
      ),
    },
  ];

  return (
    <>
      <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)} style={{ marginBottom: 16 }}>
        新增工作人员
      </Button>
      <Table rowKey="id" columns={columns} dataSource={items} loading={loading} pagination={false} />
      <Modal open={creating} title="新增工作人员" okText="保存" onOk={create} onCancel={() => setCreating(false)} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false} initialValues={{ role: 'handler' }}>
          <Form.Item name="username" label="用户名" rules={[{ required: true, message: '请填写用户名' }]}>
            <Input autoComplete="off" />
          </Form.Item>
          <Form.Item name="displayName" label="姓名" rules={[{ required: true, message: '请填写姓名' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="role" label="角色" rules={[{ required: true }]}>
            <Select options={ROLE_OPTIONS} />
          </Form.Item>
          <Form.Item name="bureauCode" label="所属机构" rules={[{ required: true, message: '请选择所属机构' }]}>
            <Select showSearch optionFilterProp="label" options={bureaus.map((b) => ({ value: b.code, label: `${b.name}（${b.code}）` }))} />
          </Form.Item>
          {role === 'supervisor' && (
            <Form.Item name="regionPrefix" label="辖区代码前缀" extra="如 1101 表示北京市辖区内全部机构" rules={[{ required: true, message: '请填写辖区代码' }]}>
              <Input />
            </Form.Item>
          )}
          <Form.Item name="password" label="初始密码" rules={[{ required: true, min: 10, message: '密码至少 10 位' }]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

function BureauTab({ bureaus, reload }: { bureaus: Bureau[]; reload: () => void }) {
  const { message } = App.useApp();
  const [creating, setCreating] = useState(false);
  const [keyword, setKeyword] = useState('');
  const [form] = Form.useForm<Bureau>();
  const shown = keyword ? bureaus.filter((b) => b.code.includes(keyword) || b.regionCode.startsWith(keyword) || b.name.includes(keyword)) : bureaus;

  async function create() {
    const values = await form.validateFields().catch(() => undefined);
    if (!values) return;
    try {
      await api.createBureau(values);
      message.success('已新增机构');
      setCreating(false);
      reload();
    } catch (err) {
      showError(err, form, message);
    }
  }

  async function rename(b: Bureau, name: string) {
    if (name.trim() === b.name) return;
    try {
      await api.renameBureau(b.code, name.trim());
      message.success('已修改机构名称');
      reload();
    } catch (err) {
      message.error(err instanceof Error ? err.message : '操作失败');
    }
  }

  const columns: ColumnsType<Bureau> = [
    { title: '机构代码', dataIndex: 'code', width: 140 },
    {
      title: '名称',
      dataIndex: 'name',
      render: (name: string, b) => <Input defaultValue={name} variant="borderless" onBlur={(e) => void rename(b, e.target.value)} />,
    },
    { title: '区划代码', dataIndex: 'regionCode', width: 140 },
  ];
  return (
    <>
      <Space style={{ marginBottom: 16 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>
          新增机构
        </Button>
        <Input.Search className="bureau-search" allowClear placeholder="按代码、区划或名称查找" onSearch={(v) => setKeyword(v.trim())} style={{ width: 280 }} />
      </Space>
      <Table rowKey="code" columns={columns} dataSource={shown} pagination={{ pageSize: 50, showTotal: (n) => `共 ${n} 个机构` }} />
      <Modal open={creating} title="新增机构" okText="保存" onOk={create} onCancel={() => setCreating(false)} destroyOnHidden>
        <Form form={form} layout="vertical" preserve={false}>
          <Form.Item name="code" label="机构代码" rules={[{ required: true, pattern: /^\d{6,12}$/, message: '机构代码应为 6 到 12 位数字' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="name" label="名称" rules={[{ required: true, min: 2, message: '请填写机构名称' }]}>
            <Input />
          </Form.Item>
          <Form.Item name="regionCode" label="区县区划代码" extra="机构代码以区县代码开头" rules={[{ required: true, pattern: /^\d{6}$/, message: '区划代码应为 6 位区县代码' }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}

/** Staff accounts and bureaus, for admins. */
export default function Staff() {
  const [bureaus, setBureaus] = useState<Bureau[]>([]);
  const reload = useCallback(() => {
    api.bureaus().then(setBureaus, () => setBureaus([]));
  }, []);
  useEffect(reload, [reload]);
  return (
    <Card title="人员与机构">
      <Tabs
        items={[
          { key: 'staff', label: '工作人员', children: <StaffTab bureaus={bureaus} /> },
          { key: 'bureaus', label: '机构', children: <BureauTab bureaus={bureaus} reload={reload} /> },
        ]}
      />
    </Card>
  );
}
