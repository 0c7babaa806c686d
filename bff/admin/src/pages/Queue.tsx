import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, Input, Select, Space, Table, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api, type CaseList, type CaseSummary } from '../api';
import { CASE_TYPE_LABELS, COMPLAINT_STATUSES, STATUS_LABELS } from '../labels';
import type { ComplaintStatus } from '../../../../shared/complaint/status';
import { formatTime } from '../format';
import { StatusTag } from '../components/StatusTag';
import { DeadlineBadge, runningDeadline } from '../components/DeadlineBadge';

const STATUS_OPTIONS = COMPLAINT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));
const PAGE_SIZES = [10, 20, 50, 100];

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const isStatus = (s: string | null): s is ComplaintStatus => COMPLAINT_STATUSES.includes(s as ComplaintStatus);

export default function Queue() {
  const navigate = useNavigate();
  // Filters live in the URL, so coming back from a case keeps the same view.
  const [params, setParams] = useSearchParams();
  const rawStatus = params.get('status');
  const status = isStatus(rawStatus) ? rawStatus : undefined;
  const q = params.get('q') ?? '';
  const page = positiveInt(params.get('page'), 1);
  const pageSize = Math.min(positiveInt(params.get('pageSize'), 20), 100);

  const [data, setData] = useState<CaseList>();
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    let current = true;
    setLoading(true);
    api
      .listCases({ status, q: q || undefined, page, pageSize })
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
  }, [status, q, page, pageSize, reloads]);

  function update(changes: Record<string, string | undefined>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value) next.set(key, value);
      else next.delete(key);
    }
    setParams(next);
  }

  const columns: ColumnsType<CaseSummary> = [
    {
      title: '投诉编号',
      dataIndex: 'number',
      render: (number: string) => <Typography.Text code>{number}</Typography.Text>,
    },
    { title: '类型', dataIndex: 'type', width: 72, render: (t: CaseSummary['type']) => CASE_TYPE_LABELS[t] },
    { title: '被投诉方', dataIndex: 'respondentName', ellipsis: true },
    {
      title: '状态',
      dataIndex: 'status',
      width: 110,
      render: (_: unknown, c) => <StatusTag status={c.status} label={c.statusLabel} />,
    },
    {
      title: '收到时间',
      dataIndex: 'receivedAt',
      width: 150,
      render: formatTime,
    },
    {
      // Shows whichever legal clock is running: acceptance, then mediation.
      title: '办理期限',
      key: 'deadline',
      width: 250,
      render: (_: unknown, c) => {
        const due = runningDeadline(c);
        if (!due) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Space size={4} wrap>
            <span>
              {due.kind} {due.date}
            </span>
            <DeadlineBadge daysLeft={c.daysLeft} overdue={c.overdue} />
          </Space>
        );
      },
    },
    {
      title: '操作',
      key: 'open',
      width: 72,
      render: (_: unknown, c) => (
        <Link to={`/cases/${encodeURIComponent(c.number)}`} onClick={(e) => e.stopPropagation()}>
          办理
        </Link>
      ),
    },
  ];

  return (
    <Card
      title="案件列表"
      extra={
        <Space wrap>
          <Select
            id="status-filter"
            allowClear
            placeholder="全部状态"
            style={{ width: 140 }}
            options={STATUS_OPTIONS}
            value={status}
            onChange={(value?: ComplaintStatus) => update({ status: value, page: undefined })}
          />
          <Input.Search
            id="keyword"
            key={q}
            defaultValue={q}
            allowClear
            placeholder="投诉编号或被投诉方"
            style={{ width: 260 }}
            onSearch={(value) => update({ q: value.trim() || undefined, page: undefined })}
          />
        </Space>
      }
    >
      {error && (
        <Alert
          type="error"
          showIcon
          title={error}
          action={<Button onClick={() => setReloads((n) => n + 1)}>重试</Button>}
          style={{ marginBottom: 16 }}
        />
      )}
      <Table<CaseSummary>
        rowKey="number"
        columns={columns}
        dataSource={data?.items}
        loading={loading}
        onRow={(c) => ({
          onClick: () => navigate(`/cases/${encodeURIComponent(c.number)}`),
          style: { cursor: 'pointer' },
        })}
        pagination={{
          current: page,
          pageSize,
          total: data?.total ?? 0,
          pageSizeOptions: PAGE_SIZES,
          showSizeChanger: true,
          showTotal: (total) => `共 ${total} 件`,
        }}
        onChange={(p) =>
          update({
            page: p.current && p.current > 1 ? String(p.current) : undefined,
            pageSize: p.pageSize && p.pageSize !== 20 ? String(p.pageSize) : undefined,
          })
        }
      />
    </Card>
  );
}
