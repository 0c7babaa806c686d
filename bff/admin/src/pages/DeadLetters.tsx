/** Messages given up on after every retry, in the staff member's scope, with a resend for each. */
import { useEffect, useState } from 'react';
import { Alert, App, Button, Card, Pagination, Space, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { api, type DeadLetterList } from '../api';
import { DeliveryLog } from '../components/DeliveryLog';

const PAGE_SIZE = 20;

export default function DeadLetters() {
  const { message } = App.useApp();
  const [page, setPage] = useState(1);
  const [data, setData] = useState<DeadLetterList>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);
  const [reloads, setReloads] = useState(0);
  const [resending, setResending] = useState<string>();

  useEffect(() => {
    let current = true;
    setLoading(true);
    api
      .deadLetters(page, PAGE_SIZE)
      .then(
        (list) => {
          if (!current) return;
          setData(list);
          setError(undefined);
        },
        (err: Error) => current && setError(err.message),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [page, reloads]);

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
