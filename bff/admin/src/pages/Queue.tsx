import { useEffect, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { Alert, Button, Card, DatePicker, Input, Select, Space, Statistic, Table, TreeSelect, Typography } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import dayjs from 'dayjs';
import { api, type CaseList, type CaseQuery, type CaseSummary, type Dashboard } from '../api';
import { CASE_TYPE_LABELS, COMPLAINT_STATUSES, STATUS_LABELS } from '../labels';
import { CASE_TYPES, type CaseType, type ComplaintStatus } from '../../../../shared/complaint/status';
import { formatTime } from '../format';
import { CATEGORY_TREE, PROBLEM_TYPE_TREE, type CategoryNode } from '../../../../shared/complaint/categories';
import { StatusTag } from '../components/StatusTag';
import { DeadlineBadge, ProvisionalTag, runningDeadline } from '../components/DeadlineBadge';
import { useLoad } from '../useLoad';
import { ExportButtons, ExportProgressBar, useExport } from '../components/Export';

interface TreeOption {
  title: string;
  value: string;
  selectable?: boolean;
  children?: TreeOption[];
}
const toTree = (nodes: CategoryNode[]): TreeOption[] =>
  nodes.map((n) => ({ title: n.name, value: n.code, ...(n.children ? { children: toTree(n.children) } : {}) }));
/** What was bought, and the nature of the problem: a parent selects all its children. */
const CATEGORY_OPTIONS: TreeOption[] = [
  { title: '商品或服务类别', value: '__category', selectable: false, children: toTree(CATEGORY_TREE) },
  { title: '问题类型', value: '__problem', selectable: false, children: toTree(PROBLEM_TYPE_TREE) },
];

const STATUS_OPTIONS = COMPLAINT_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] }));
const TYPE_OPTIONS = CASE_TYPES.map((t) => ({ value: t, label: CASE_TYPE_LABELS[t] }));
const DEADLINE_OPTIONS = [
  { value: 'overdue', label: '已超期' },
  { value: 'dueSoon', label: '即将到期' },
  { value: 'onTime', label: '未超期' },
];
const SORT_OPTIONS = [
  { value: 'received_desc', label: '最新收到在前' },
  { value: 'received_asc', label: '最早收到在前' },
  { value: 'due_asc', label: '期限最近在前' },
];
const PAGE_SIZES = [10, 20, 50, 100];

function positiveInt(value: string | null, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const oneOf = <T extends string>(list: readonly T[], s: string | null): T | undefined => (list.includes(s as T) ? (s as T) : undefined);

/** The queue's filters, read from the URL so coming back from a case keeps the same view. */
function queryFrom(params: URLSearchParams): CaseQuery {
  const deadline = params.get('deadline');
  return {
    status: oneOf(COMPLAINT_STATUSES, params.get('status')),
    type: oneOf(CASE_TYPES, params.get('type')),
    category: params.get('category') ?? undefined,
    region: params.get('region') ?? undefined,
    overdue: deadline === 'overdue' ? true : deadline === 'onTime' ? false : undefined,
    dueSoon: deadline === 'dueSoon' ? true : undefined,
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
    q: params.get('q') ?? undefined,
    sort: oneOf(['received_desc', 'received_asc', 'due_asc'] as const, params.get('sort')),
    page: positiveInt(params.get('page'), 1),
    pageSize: Math.min(positiveInt(params.get('pageSize'), 20), 100),
  };
}

export default function Queue() {
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const query = queryFrom(params);
  const key = params.toString();

  const [dashboard, setDashboard] = useState<Dashboard>();
  const [reloads, setReloads] = useState(0);
  const { data, error, loading } = useLoad<CaseList>(() => api.listCases(queryFrom(new URLSearchParams(key))), [key, reloads]);
  const exp = useExport(query);

  useEffect(() => {
    api.dashboard().then(setDashboard, () => undefined);
  }, [reloads]);

  function update(changes: Record<string, string | undefined>) {
    // From the address as it is now, not as this render saw it: a handler kept from an earlier
    // render (the filters re-render while the list loads) must not undo a filter set since.
    const next = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
    for (const [k, value] of Object.entries(changes)) {
      if (value) next.set(k, value);
      else next.delete(k);
    }
    if (!('page' in changes)) next.delete('page');
    setParams(next);
  }

  const columns: ColumnsType<CaseSummary> = [
    {
      title: '案件编号',
      dataIndex: 'number',
      render: (number: string) => <Typography.Text code>{number}</Typography.Text>,
    },
    { title: '类型', dataIndex: 'type', width: 64, render: (t: CaseSummary['type']) => CASE_TYPE_LABELS[t] },
    { title: '被投诉（举报）方', dataIndex: 'respondentName', ellipsis: true },
    {
      title: '状态',
      dataIndex: 'status',
      width: 100,
      render: (_: unknown, c) => <StatusTag status={c.status} label={c.statusLabel} />,
    },
    { title: '收到时间', dataIndex: 'receivedAt', width: 150, render: formatTime },
    {
      // Shows whichever legal clock is running: acceptance or decision, mediation, telling the reporter.
      title: '办理期限',
      key: 'deadline',
      width: 320,
      render: (_: unknown, c) => {
        const due = runningDeadline(c);
        if (!due) return <Typography.Text type="secondary">—</Typography.Text>;
        return (
          <Space size={4} wrap>
            <span>
              {due.kind} {due.date}
            </span>
            {c.clock?.provisional && <ProvisionalTag />}
            <DeadlineBadge daysLeft={c.daysLeft} overdue={c.overdue} paused={c.clock?.paused} />
          </Space>
        );
      },
    },
    {
      title: '操作',
      key: 'open',
      width: 64,
      render: (_: unknown, c) => (
        <Link to={`/cases/${encodeURIComponent(c.number)}`} onClick={(e) => e.stopPropagation()}>
          办理
        </Link>
      ),
    },
  ];

  const deadline = params.get('deadline') ?? undefined;
  const range: [dayjs.Dayjs, dayjs.Dayjs] | null = query.from && query.to ? [dayjs(query.from), dayjs(query.to)] : null;

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {dashboard && (
        <Card size="small" className="dashboard">
          <Space size={48} wrap>
            <Statistic title="在办案件" value={dashboard.open} />
            <Statistic title="待受理" value={dashboard.submitted} />
            <a className="dashboard-due-soon" onClick={() => update({ deadline: 'dueSoon' })}>
              <Statistic title="即将到期" value={dashboard.dueSoon} styles={{ content: { color: '#d46b08' } }} />
            </a>
            <a className="dashboard-overdue" onClick={() => update({ deadline: 'overdue' })}>
              <Statistic title="已超期" value={dashboard.overdue} styles={{ content: { color: '#cf1322' } }} />
            </a>
          </Space>
        </Card>
      )}
      <Card
        title="案件列表"
        extra={
          <Space>
            <ExportButtons exp={exp} />
            <Select
              id="sort"
              style={{ width: 150 }}
              options={SORT_OPTIONS}
              value={query.sort ?? 'received_desc'}
              onChange={(value: string) => update({ sort: value === 'received_desc' ? undefined : value })}
            />
          </Space>
        }
      >
        <Space wrap style={{ marginBottom: 16 }} className="filters">
          <Select
            id="status-filter"
            allowClear
            placeholder="全部状态"
            style={{ width: 130 }}
            options={STATUS_OPTIONS}
            value={query.status}
            onChange={(value?: ComplaintStatus) => update({ status: value })}
          />
          <Select
            id="type-filter"
            allowClear
            placeholder="投诉和举报"
            style={{ width: 120 }}
            options={TYPE_OPTIONS}
            value={query.type}
            onChange={(value?: CaseType) => update({ type: value })}
          />
          <Select
            id="deadline-filter"
            allowClear
            placeholder="全部期限"
            style={{ width: 120 }}
            options={DEADLINE_OPTIONS}
            value={deadline}
            onChange={(value?: string) => update({ deadline: value })}
          />
          <TreeSelect
            id="category-filter"
            allowClear
            showSearch
            treeNodeFilterProp="title"
            placeholder="全部分类"
            style={{ width: 180 }}
            treeData={CATEGORY_OPTIONS}
            value={query.category}
            onChange={(value?: string) => update({ category: value || undefined })}
          />
          <Input.Search
            id="region-filter"
            key={`r-${query.region ?? ''}`}
            defaultValue={query.region}
            allowClear
            placeholder="区划代码，如 1101"
            style={{ width: 170 }}
            onSearch={(value) => update({ region: /^\d{2,12}$/.test(value.trim()) ? value.trim() : undefined })}
          />
          <DatePicker.RangePicker
            id="date-filter"
            value={range}
            placeholder={['收到日期起', '收到日期止']}
            onChange={(dates) =>
              update({ from: dates?.[0]?.format('YYYY-MM-DD'), to: dates?.[1]?.format('YYYY-MM-DD') })
            }
          />
          <Input.Search
            id="keyword"
            key={`q-${query.q ?? ''}`}
            defaultValue={query.q}
            allowClear
            placeholder="编号或被投诉方名称"
            style={{ width: 240 }}
            onSearch={(value) => update({ q: value.trim() || undefined })}
          />
        </Space>
        <ExportProgressBar exp={exp} />
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
          rowClassName={(c) => (c.overdue ? 'row-overdue' : '')}
          onRow={(c) => ({
            onClick: () => navigate(`/cases/${encodeURIComponent(c.number)}`),
            style: { cursor: 'pointer' },
          })}
          pagination={{
            current: query.page,
            pageSize: query.pageSize,
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
    </Space>
  );
}
