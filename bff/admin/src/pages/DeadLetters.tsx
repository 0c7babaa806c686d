/** Messages given up on after every retry, in the staff member's scope, with a resend for each. */
import { useState } from 'react';
import { Alert, App, Button, Card, Pagination, Space, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api, type DeadLetterList } from '../api';
import { DeliveryLog } from '../components/DeliveryLog';
import { useLoad } from '../useLoad';

const PAGE_SIZE = 20;

export default function DeadLetters() {
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [reloads, setReloads] = useState(0);
  const [resending, setResending] = useState<string>();
  const { data, error, loading } = useLoad<DeadLetterList>(() => api.deadLetters(page, PAGE_SIZE), [page, reloads]);

  async function resend(key: string) {
    setResending(key);
    try {
      await api.resendDelivery(key);
      message.success('已重新加入发送队列');
      setReloads((n) => n + 1);
    } catch (err) {
      message.error((err as Error).message);
    } finally {
      setResending(undefined);
    }
  }

  return (
    <Card
      title="发送失败的订阅消息"
      extra={<Button icon={<ReloadOutlined />} onClick={() => setReloads((n) => n + 1)} aria-label="刷新" />}
    >
      <Space direction="vertical" size="middle" style={{ width: '100%' }}>
        <Typography.Text type="secondary">多次重试后仍未送达的消息。确认平台恢复后，可重新发送；消费者需仍有订阅授权。</Typography.Text>
        {error && <Alert type="error" showIcon message={error} />}
        <DeliveryLog deliveries={data?.items ?? []} loading={loading} withCase onResend={(key) => void resend(key)} resending={resending} />
        {data && data.total > PAGE_SIZE && (
          <Pagination current={page} pageSize={PAGE_SIZE} total={data.total} onChange={setPage} showSizeChanger={false} />
        )}
      </Space>
    </Card>
  );
}
