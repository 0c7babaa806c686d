import { useEffect, useState } from 'react';
import { Alert, Card, Input, Select, Space, Table } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { api, type AuditEntry, type AuditList } from '../api';
import { actionLabel, AUDIT_LABELS, PII_LABELS, STATUS_LABELS } from '../labels';
import type { ComplaintStatus } from '../../../../shared/complaint/status';
import { formatTime } from '../format';
import { EXPORT_PURPOSE_LABELS, type ExportPurposeCategory } from '../../../../shared/complaint/export-purposes';

const ACTION_OPTIONS = Object.entries(AUDIT_LABELS).map(([value, label]) => ({ value, label }));

const statusText = (s: string) => STATUS_LABELS[s as ComplaintStatus] ?? s;

const EXPORT_STATES: Record<string, string> = { authorised: '已验证', started: '开始', completed: '完成', aborted: '中断', failed: '失败' };

/** An export is stored as JSON (state, format, rows, filters, purpose) for programs; people read a sentence. */
function exportText(detail: string): string {
  try {
    const d = JSON.parse(detail) as {
      state: string;
      format: string;
      personal: string;
      total: number;
      rows?: number;
      filters: Record<string, unknown>;
      purpose?: { category: ExportPurposeCategory; text: string };
    };
    const filters = Object.entries(d.filters).map(([k, v]) => `${k}=${String(v)}`).join(' ');
    return [
      `${d.format.toUpperCase()} ${EXPORT_STATES[d.state] ?? d.state}`,
      d.rows === undefined ? `共 ${d.total} 件` : `${d.rows} / ${d.total} 件`,
      d.personal === 'full' ? '含完整个人信息' : '个人信息已脱敏',
      filters ? `筛选：${filters}` : '全部案件',
      ...(d.purpose ? [`用途：${EXPORT_PURPOSE_LABELS[d.purpose.category] ?? d.purpose.category}（${d.purpose.text}）`] : []),
    ].join('，');
  } catch {
    return detail;
  }
}

/** A transition is stored as "action: from -> to" for programs; people read it in Chinese. */
function detailText(e: AuditEntry): string {
  if (e.action === 'export' && e.detail) return exportText(e.detail);
  const m = e.action === 'transition' && e.detail ? /^(\w+): (\w+) -> (\w+)$/.exec(e.detail) : null;
  return m ? `${actionLabel(m[1])}：${statusText(m[2])} → ${statusText(m[3])}` : (e.detail ?? '');
}

const columns: ColumnsType<AuditEntry> = [
  { title: '时间', dataIndex: 'at', width: 160, render: formatTime },
  { title: '工作人员', dataIndex: 'username', width: 140 },
  { title: '操作', dataIndex: 'action', width: 140, render: (a: string) => AUDIT_LABELS[a] ?? a },
  { title: '案件', dataIndex: 'caseNumber', width: 190, render: (n?: string) => n ?? '—' },
  {
    title: '内容',
    key: 'detail',
    render: (_: unknown, e) => [e.field ? `字段：${PII_LABELS[e.field] ?? e.field}` : '', e.target ?? '', detailText(e)].filter(Boolean).join('　') || '—',
  },
];

/** The audit log, newest first: every staff action and every read of personal data. */
export default function Audit() {
  const [filters, setFilters] = useState<{ action?: string; caseNumber?: string; username?: string }>({});
  const [page, setPage] = useState(1);
  const [data, setData] = useState<AuditList>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  useEffect(() => {
    let current = true;
    setLoading(true);
    api
      .audit({ ...filters, page, pageSize: 50 })
      .then(
        (d) => current && (setData(d), setError(undefined)),
        (err: Error) => current && setError(err.message),
      )
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [filters, page]);

  const set = (change: Partial<typeof filters>) => {
    setFilters((f) => ({ ...f, ...change }));
    setPage(1);
  };

  return (
    <Card title="审计日志">
      <Space wrap style={{ marginBottom: 16 }}>
        <Select allowClear placeholder="全部操作" style={{ width: 160 }} options={ACTION_OPTIONS} onChange={(action?: string) => set({ action })} />
        <Input.Search allowClear placeholder="案件编号" style={{ width: 220 }} onSearch={(v) => set({ caseNumber: v.trim() || undefined })} />
        <Input.Search allowClear placeholder="工作人员用户名" style={{ width: 200 }} onSearch={(v) => set({ username: v.trim() || undefined })} />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} />}
      <Table
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={data?.items}
        loading={loading}
        pagination={{ current: page, pageSize: 50, total: data?.total ?? 0, showSizeChanger: false, onChange: setPage }}
      />
    </Card>
  );
}
