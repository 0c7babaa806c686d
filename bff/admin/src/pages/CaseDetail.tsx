import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { App, Button, Card, Descriptions, Empty, Result, Skeleton, Space, Timeline, Typography } from 'antd';
import type { DescriptionsProps, TimelineProps } from 'antd';
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, ApiError, type CaseAction, type CaseDetail as Case } from '../api';
import {
  actionLabel,
  actorLabel,
  CASE_TYPE_LABELS,
  PLATFORM_LABELS,
  STATUS_LABELS,
} from '../labels';
import type { ComplaintStatus } from '../../../../shared/complaint/status';
import { formatTime } from '../format';
import { StatusTag } from '../components/StatusTag';
import { DeadlineBadge } from '../components/DeadlineBadge';
import { ReasonModal } from '../components/ReasonModal';
import { DeliveryLog } from '../components/DeliveryLog';

const statusText = (s: string) => STATUS_LABELS[s as ComplaintStatus] ?? s;

const TIMELINE_COLORS: Record<string, string> = { reject: 'red', terminate: 'red', agree: 'green', close: 'green' };

export default function CaseDetail() {
  const { number = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();

  const [c, setCase] = useState<Case>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [busy, setBusy] = useState<string>();
  const [askReason, setAskReason] = useState<CaseAction>();
  // Only the newest load may write state, so a slow answer never overwrites a fresher one.
  const loadSeq = useRef(0);

  const load = useCallback(async () => {
    const seq = ++loadSeq.current;
    try {
      const fresh = await api.getCase(number);
      if (seq !== loadSeq.current) return;
      setCase(fresh);
      setLoadError(undefined);
    } catch (err) {
      if (seq !== loadSeq.current) return;
      setLoadError(err instanceof ApiError ? err : new ApiError(0, 'UNKNOWN', '加载失败，请稍后重试'));
    }
  }, [number]);

  useEffect(() => {
    setCase(undefined);
    void load();
  }, [load]);

  /** Resolves true when the step is settled (done, or the case was reloaded), false to let the user retry. */
  async function run(action: CaseAction, reason?: string): Promise<boolean> {
    if (!c) return false;
    setBusy(action.action);
    try {
      loadSeq.current++;
      setCase(await api.transition(c.number, { action: action.action, reason, version: c.version }));
      message.success(`${action.label}操作成功`);
      return true;
    } catch (err) {
      if (err instanceof ApiError && (err.code === 'VERSION_CONFLICT' || err.code === 'TRANSITION_NOT_ALLOWED')) {
        if (err.code === 'VERSION_CONFLICT') message.warning('案件已被他人更新，已为您刷新');
        else message.error(err.message);
        await load();
        return true;
      }
      message.error(err instanceof Error ? err.message : '操作失败，请稍后重试');
      return false;
    } finally {
      setBusy(undefined);
    }
  }

  function back() {
    // Back keeps the queue's filters; a case opened from a link has no history to go back to.
    if (location.key !== 'default') navigate(-1);
    else navigate('/cases');
  }

  const backButton = (
    <Button type="link" icon={<ArrowLeftOutlined />} onClick={back} style={{ paddingInline: 0 }}>
      返回列表
    </Button>
  );

  if (loadError && !c) {
    return (
      <Card>
        <Result
          status={loadError.status === 404 ? '404' : 'error'}
          title={loadError.status === 404 ? '未找到案件' : '案件加载失败'}
          subTitle={loadError.message}
          extra={
            <Space>
              {backButton}
              {loadError.status !== 404 && <Button onClick={() => void load()}>重试</Button>}
            </Space>
          }
        />
      </Card>
    );
  }
  if (!c) {
    return (
      <Card>
        <Skeleton active paragraph={{ rows: 8 }} />
      </Card>
    );
  }

  const facts: DescriptionsProps['items'] = [
    { key: 'number', label: '投诉编号', children: <Typography.Text copyable>{c.number}</Typography.Text> },
    { key: 'type', label: '类型', children: CASE_TYPE_LABELS[c.type] },
    { key: 'status', label: '状态', children: <StatusTag status={c.status} label={c.statusLabel} /> },
    { key: 'respondent', label: '被投诉方', children: c.respondentName },
    { key: 'receivedAt', label: '收到时间', children: formatTime(c.receivedAt) },
    {
      key: 'complainant',
      label: '投诉人',
      children: `${c.complainant.nameMasked ?? '未实名'}（${PLATFORM_LABELS[c.complainant.platform] ?? c.complainant.platform}用户）`,
    },
    { key: 'acceptBy', label: '受理期限', children: c.deadlines.acceptBy ?? '—' },
    { key: 'mediationBy', label: '调解期限', children: c.deadlines.mediationBy ?? '—' },
    {
      key: 'clock',
      label: '时限提醒',
      span: 2,
      children:
        c.daysLeft === null && !c.overdue ? (
          <Typography.Text type="secondary">无进行中的时限</Typography.Text>
        ) : (
          <DeadlineBadge daysLeft={c.daysLeft} overdue={c.overdue} />
        ),
    },
    {
      key: 'description',
      label: '投诉内容',
      span: 2,
      children: <div style={{ whiteSpace: 'pre-wrap' }}>{c.description}</div>,
    },
  ];

  const timeline: TimelineProps['items'] = c.timeline.map((t, i) => ({
    key: `${t.at}-${i}`,
    color: TIMELINE_COLORS[t.action] ?? 'blue',
    title: formatTime(t.at),
    content: (
      <div className="timeline-entry">
        <Space size={8} wrap>
          <Typography.Text strong>{actionLabel(t.action)}</Typography.Text>
          <Typography.Text type="secondary">{actorLabel(t.actor)}</Typography.Text>
        </Space>
        <div>
          {t.from ? `${statusText(t.from)} → ` : ''}
          {statusText(t.to)}
        </div>
        {t.note && <Typography.Text type="secondary">原因：{t.note}</Typography.Text>}
      </div>
    ),
  }));

  return (
    <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
      {backButton}
      <Card
        title={
          <Space>
            <span>案件 {c.number}</span>
            <StatusTag status={c.status} label={c.statusLabel} />
          </Space>
        }
        extra={
          <Space wrap>
            {c.actions.length === 0 && <Typography.Text type="secondary">当前状态无需办理</Typography.Text>}
            {c.actions.map((a) => (
              <Button
                key={a.action}
                data-action={a.action}
                type={a.needsReason ? 'default' : 'primary'}
                danger={a.needsReason}
                loading={busy === a.action}
                disabled={busy !== undefined && busy !== a.action}
                onClick={() => (a.needsReason ? setAskReason(a) : void run(a))}
              >
                {a.label}
              </Button>
            ))}
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label="刷新" />
          </Space>
        }
      >
        <Descriptions bordered column={2} items={facts} styles={{ label: { width: 120 } }} />
      </Card>
      <Card title="办理记录">
        {timeline.length ? <Timeline items={timeline} titleSpan={4} /> : <Empty description="暂无记录" />}
      </Card>
      <Card title="消息推送记录">
        <DeliveryLog deliveries={c.deliveries} />
      </Card>
      <ReasonModal
        action={askReason}
        onCancel={() => setAskReason(undefined)}
        onSubmit={(reason) => (askReason ? run(askReason, reason) : Promise.resolve(true))}
      />
    </Space>
  );
}
