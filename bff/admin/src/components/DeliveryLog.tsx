/** The subscription messages of a case, or the dead letters of many: what was sent, when, and why not. */
import { Link } from 'react-router';
import { Button, Table, Tag } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import type { DeadLetter, Delivery } from '../api';
import { DELIVERY_STATUS, EVENT_LABELS, PLATFORM_LABELS } from '../labels';
import { formatTime } from '../format';

type Row = Delivery & Partial<Pick<DeadLetter, 'number' | 'respondentName' | 'resends'>>;

interface Props {
  deliveries: Row[];
  loading?: boolean;
  /** Shows the case of each row, for lists that span cases. */
  withCase?: boolean;
  /** Adds a resend button to every dead row. */
  onResend?: (key: string) => void;
  resending?: string;
}

export function DeliveryLog({ deliveries, loading, withCase, onResend, resending }: Props) {
  const columns: ColumnsType<Row> = [
    ...(withCase
      ? [
          {
            title: '案件',
            dataIndex: 'number',
            render: (n: string, r: Row) => (
              <span>
                <Link to={`/cases/${n}`}>{n}</Link> {r.respondentName}
              </span>
            ),
          },
        ]
      : []),
    { title: '时间', dataIndex: 'at', width: 150, render: formatTime },
    { title: '通知', dataIndex: 'event', render: (e: string) => EVENT_LABELS[e] ?? e },
    { title: '平台', dataIndex: 'platform', width: 80, render: (p: string) => PLATFORM_LABELS[p] ?? p },
    {
      title: '结果',
      dataIndex: 'status',
      width: 140,
      render: (s: string) => {
        const view = DELIVERY_STATUS[s] ?? { label: s, color: 'default' };
        return (
          <Tag color={view.color} className={`delivery-${s}`}>
            {view.label}
          </Tag>
        );
      },
    },
    { title: '尝试次数', dataIndex: 'attempts', width: 90 },
    { title: '说明', dataIndex: 'error', render: (e?: string) => e ?? '—' },
    ...(onResend
      ? [
          {
            title: '操作',
            key: 'resend',
            width: 100,
            render: (_: unknown, r: Row) =>
              r.status === 'dead' ? (
                <Button size="small" className="btn-resend" loading={resending === r.key} onClick={() => onResend(r.key)}>
                  重新发送
                </Button>
              ) : null,
          },
        ]
      : []),
  ];
  return (
    <Table<Row>
      rowKey="key"
      size="small"
      columns={columns}
      dataSource={deliveries}
      loading={loading}
      pagination={false}
      locale={{ emptyText: '暂无推送记录' }}
    />
  );
}
