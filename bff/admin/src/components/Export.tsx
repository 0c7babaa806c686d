/**
 * Export of the queue's current filters: the browser downloads the file itself (a plain link to
 * the export URL), while the page follows the server's progress for that export and says how it ended.
 * With complainants' details in full, a modal first asks for the purpose and the password, which go
 * to the server in a POST; the link then carries only the single-use ticket it answers with.
 */
import { useEffect, useRef, useState } from 'react';
import { App, Button, Checkbox, Progress, Space, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { api, ApiError, type CaseQuery, type ExportFormat, type ExportProgress } from '../api';
import { useAuth } from '../auth';
import { FullExportModal, type FullExportFields } from './FullExportModal';

const POLL_MS = 1000;
/** How long the page waits for the server to take up an export before it gives up on it. */
const START_TIMEOUT_MS = 20_000;
const FORMAT_LABELS: Record<ExportFormat, string> = { csv: 'CSV', xlsx: 'Excel' };

/** A version 4 UUID; crypto.randomUUID exists only on secure origins. */
function uuid(): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function download(url: string) {
  const a = document.createElement('a');
  a.href = url;
  // Same origin: the server's Content-Disposition names the file.
  a.download = '';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

interface Job {
  id: string;
  format: ExportFormat;
  progress?: ExportProgress;
}

export function useExport(query: CaseQuery) {
  const { message } = App.useApp();
  const [job, setJob] = useState<Job>();
  const [full, setFull] = useState(false);
  /** The format of a full export waiting for its purpose and password. */
  const [asking, setAsking] = useState<ExportFormat>();
  const finished = useRef(new Set<string>());

  useEffect(() => {
    if (!job) return undefined;
    const { id, format } = job;
    const started = Date.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stopped = false;
    const end = (text: string, kind: 'success' | 'warning' | 'error') => {
      finished.current.add(id);
      message[kind](text);
      setJob((j) => (j?.id === id ? undefined : j));
    };
    const poll = async () => {
      try {
        const p = await api.exportProgress(id);
        if (stopped) return;
        setJob((j) => (j?.id === id ? { ...j, progress: p } : j));
        if (p.state === 'done') return end(`${FORMAT_LABELS[format]} 导出完成，共 ${p.done} 件`, 'success');
        if (p.state === 'aborted') return end('导出已中断：下载被取消', 'warning');
        if (p.state === 'failed') return end('导出失败，请稍后重试', 'error');
      } catch (err) {
        if (stopped) return;
        // Not there yet: the download request may still be on its way.
        const notYet = err instanceof ApiError && err.status === 404 && Date.now() - started < START_TIMEOUT_MS;
        if (!notYet) return end(err instanceof ApiError && err.status !== 404 ? err.message : '导出没有开始，请检查筛选条件后重试', 'error');
      }
      timer = setTimeout(poll, POLL_MS);
    };
    timer = setTimeout(poll, 300);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [job?.id]);

  function start(format: ExportFormat) {
    if (full) {
      setAsking(format);
      return;
    }
    const id = uuid();
    setJob({ id, format });
    download(api.exportUrl(query, format, id));
  }

  /** Throws the server's refusal for the modal to show; on success the download starts. */
  async function startFull(fields: FullExportFields) {
    if (!asking) return;
    const id = uuid();
    const granted = await api.authoriseFullExport(query, { format: asking, purpose: { category: fields.category, text: fields.text }, password: fields.password, exportId: id });
    setJob({ id, format: asking });
    download(api.fullExportUrl(granted.ticket));
  }

  return { job, start, full, setFull, asking, cancelAsking: () => setAsking(undefined), startFull };
}

export function ExportButtons({ exp }: { exp: ReturnType<typeof useExport> }) {
  const { staff } = useAuth();
  // The same people who may reveal a complainant's details on the case page.
  const mayOpen = staff?.role === 'handler' || staff?.role === 'supervisor';
  const busy = !!exp.job;
  return (
    <Space>
      {mayOpen && (
        <Checkbox className="export-full" checked={exp.full} onChange={(e) => exp.setFull(e.target.checked)}>
          含投诉人姓名和电话
        </Checkbox>
      )}
      <Button className="export-csv" icon={<DownloadOutlined />} disabled={busy} loading={exp.job?.format === 'csv'} onClick={() => exp.start('csv')}>
        导出 CSV
      </Button>
      <Button className="export-xlsx" icon={<DownloadOutlined />} disabled={busy} loading={exp.job?.format === 'xlsx'} onClick={() => exp.start('xlsx')}>
        导出 Excel
      </Button>
      <FullExportModal format={exp.asking} onCancel={exp.cancelAsking} onSubmit={exp.startFull} />
    </Space>
  );
}

export function ExportProgressBar({ exp }: { exp: ReturnType<typeof useExport> }) {
  const job = exp.job;
  if (!job) return null;
  const p = job.progress;
  const percent = p && p.total > 0 ? Math.floor((p.done / p.total) * 100) : 0;
  return (
    <div className="export-progress" style={{ marginBottom: 16 }}>
      <Typography.Text type="secondary">
        {!p || p.state === 'preparing' ? `正在准备${FORMAT_LABELS[job.format]}导出，统计案件数……` : `正在导出 ${p.done} / ${p.total} 件，文件由浏览器下载`}
      </Typography.Text>
      <Progress percent={percent} status="active" />
    </div>
  );
}
