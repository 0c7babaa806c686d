import { useCallback, useEffect, useRef, useState } from 'react';
import { useLocation, useNavigate, useParams } from 'react-router';
import { Alert, App, Button, Card, Descriptions, Empty, Image, Result, Skeleton, Space, Tag, Timeline, Typography } from 'antd';
import type { DescriptionsProps, TimelineProps } from 'antd';
import { ArrowLeftOutlined, EyeOutlined, ReloadOutlined } from '@ant-design/icons';
import { api, ApiError, type CaseAction, type CaseDetail as Case, type PiiField } from '../api';
import {
  actionLabel,
  actorLabel,
  CASE_TYPE_LABELS,
  CLOCK_LABELS,
  PII_LABELS,
  PLATFORM_LABELS,
  STATUS_LABELS,
} from '../labels';
import type { ComplaintStatus } from '../../../../shared/complaint/status';
import { formatTime } from '../format';
import { StatusTag } from '../components/StatusTag';
import { DeadlineBadge, ProvisionalTag } from '../components/DeadlineBadge';
import { CATEGORY_TREE, PROBLEM_TYPE_TREE, findNode, type CategoryNode } from '../../../../shared/complaint/categories';
import {
  BUSINESS_KIND_LABELS,
  CHANNEL_LABELS,
  DEMAND_LABELS,
  formatCents,
  type BusinessKind,
  type Channel,
  type Demand,
} from '../../../../shared/complaint/intake';
import { ReasonModal, type ActionFields } from '../components/ReasonModal';
import { DeliveryLog } from '../components/DeliveryLog';

const statusText = (s: string) => STATUS_LABELS[s as ComplaintStatus] ?? s;

const TIMELINE_COLORS: Record<string, string> = {
  reject: 'red',
  terminate: 'red',
  decline: 'red',
  agree: 'green',
  close: 'green',
  open_case: 'green',
  transfer: 'orange',
  reassign: 'orange',
  pause_for_testing: 'gray',
};

// Decisions against the consumer or reporter are drawn in red.
const NEGATIVE_ACTIONS = new Set(['reject', 'terminate', 'decline']);

function treeName(tree: CategoryNode[], code: unknown): string {
  if (typeof code !== 'string') return '—';
  const parent = findNode(tree, code.split('.')[0]);
  const node = findNode(tree, code);
  return node ? (parent && parent !== node ? `${parent.name} / ${node.name}` : node.name) : code;
}

function demandsText(value: unknown): string {
  if (!Array.isArray(value) || value.length === 0) return '—';
  return value
    .map((d: { type?: string; text?: string }) => `${DEMAND_LABELS[d.type as Demand] ?? d.type}${d.text ? `（${d.text}）` : ''}`)
    .join('、');
}

const FLAG_SOURCES: Record<string, string> = { wordlist: '敏感词', wechat: '微信内容安全' };

function flagsText(value: unknown): string | undefined {
  if (!Array.isArray(value) || value.length === 0) return undefined;
  return value
    .map((f: { source?: string; words?: string[]; verdict?: string }) => `${FLAG_SOURCES[f.source ?? ''] ?? f.source}${f.words?.length ? `：${f.words.join('、')}` : f.verdict ? `：${f.verdict}` : ''}`)
    .join('；') + '（需人工复核）';
}

/** Reads an intake field that may not exist yet, as text. */
function text(value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String).join('、');
  return typeof value === 'object' ? undefined : String(value);
}

type Evidence = { fileId?: string; kind?: 'image' | 'video' | 'pdf'; sha256?: string; size?: number };

const KIND_LABELS: Record<string, string> = { image: '图片', video: '视频', pdf: 'PDF' };

function EvidenceList({ items }: { items: Evidence[] }) {
  if (!items.length) return <Typography.Text type="secondary">未提交证据</Typography.Text>;
  return (
    <Space wrap size={12} className="evidence">
      {items.map((e, i) => {
        const url = e.fileId ? `/api/v1/admin/evidence/${encodeURIComponent(e.fileId)}` : undefined;
        const name = `证据 ${i + 1}（${KIND_LABELS[e.kind ?? ''] ?? '文件'}）`;
        if (url && e.kind === 'image') return <Image key={url} width={96} height={96} src={url} alt={name} style={{ objectFit: 'cover' }} />;
        return (
          <Tag key={e.fileId ?? i}>
            {url ? (
              <a href={url} target="_blank" rel="noreferrer">
                {name}
              </a>
            ) : (
              name
            )}
            {e.sha256 ? <Typography.Text type="secondary"> SHA-256 {e.sha256.slice(0, 12)}…</Typography.Text> : null}
          </Tag>
        );
      })}
    </Space>
  );
}

export default function CaseDetail() {
  const { number = '' } = useParams();
  const navigate = useNavigate();
  const location = useLocation();
  const { message } = App.useApp();

  const [c, setCase] = useState<Case>();
  const [loadError, setLoadError] = useState<ApiError>();
  const [busy, setBusy] = useState<string>();
  const [askReason, setAskReason] = useState<CaseAction>();
  // Revealed values live only in this page's memory; every reveal is audited on the server.
  const [revealed, setRevealed] = useState<Partial<Record<PiiField, string>>>({});
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
    setRevealed({});
    void load();
  }, [load]);

  async function reveal(field: PiiField) {
    if (!c) return;
    try {
      const r = await api.reveal(c.number, field);
      setRevealed((prev) => ({ ...prev, [field]: r.value }));
    } catch (err) {
      message.error(err instanceof Error ? err.message : '查看失败');
    }
  }

  /** Resolves true when the step is settled (done, or the case was reloaded), false to let the user retry. */
  async function run(action: CaseAction, fields: ActionFields = {}): Promise<boolean> {
    if (!c) return false;
    setBusy(action.action);
    try {
      loadSeq.current++;
      setCase(await api.transition(c.number, { action: action.action, ...fields, version: c.version }));
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

  const intake = c.intake as Record<string, Record<string, unknown> | undefined>;
  const respondent = intake.respondent ?? {};
  const business = intake.business ?? {};
  const evidence = Array.isArray(intake.evidence) ? (intake.evidence as Evidence[]) : [];
  const flags = flagsText(intake.flags);
  const linked = text(intake.linkedCases) ?? text(intake.duplicateOf);

  const piiItem = (field: PiiField, masked: string | undefined) => {
    const value = revealed[field] ?? masked;
    const canReveal = c.complainant.revealable.includes(field) && revealed[field] === undefined;
    if (!value && !canReveal) return '—';
    return (
      <Space size={4} className={`pii-${field}`}>
        <span className="pii-value">{value ?? '******'}</span>
        {canReveal && (
          <Button size="small" type="link" icon={<EyeOutlined />} onClick={() => void reveal(field)} className={`reveal-${field}`}>
            查看完整
          </Button>
        )}
      </Space>
    );
  };

  const deadline = (key: 'acceptBy' | 'mediationBy' | 'decideBy' | 'informBy') => {
    const due = c.deadlines[key];
    if (!due) return '—';
    return (
      <Space size={4}>
        <span>{due}</span>
        {c.deadlines.provisional?.includes(key) && <ProvisionalTag />}
      </Space>
    );
  };
  const facts: DescriptionsProps['items'] = [
    { key: 'number', label: '案件编号', children: <Typography.Text copyable>{c.number}</Typography.Text> },
    { key: 'type', label: '类型', children: CASE_TYPE_LABELS[c.type] },
    { key: 'status', label: '状态', children: <StatusTag status={c.status} label={c.statusLabel} /> },
    { key: 'bureau', label: '承办单位', children: c.bureau.name },
    { key: 'receivedAt', label: '收到时间', children: formatTime(c.receivedAt) },
    { key: 'ruleSet', label: '适用规定', children: c.ruleSet.title },
    { key: 'acceptBy', label: c.type === 'report' ? '立案决定期限' : '受理期限', children: deadline(c.type === 'report' ? 'decideBy' : 'acceptBy') },
    { key: 'mediationBy', label: c.type === 'report' ? '告知举报人期限' : '调解期限', children: deadline(c.type === 'report' ? 'informBy' : 'mediationBy') },
    {
      key: 'clock',
      label: '时限提醒',
      span: 2,
      children: !c.clock ? (
        <Typography.Text type="secondary">无进行中的时限</Typography.Text>
      ) : (
        <Space>
          <span>
            {CLOCK_LABELS[c.clock.kind]} {c.clock.due}
          </span>
          <DeadlineBadge daysLeft={c.daysLeft} overdue={c.overdue} paused={c.clock.paused} />
        </Space>
      ),
    },
  ];

  const parties: DescriptionsProps['items'] = [
    { key: 'respondent', label: '被投诉方', children: text(respondent.name) ?? c.respondentName },
    { key: 'creditCode', label: '统一社会信用代码', children: text(respondent.creditCode) ?? '—' },
    { key: 'respondentAddress', label: '经营地址', children: text(respondent.address) ?? '—' },
    { key: 'platform', label: '网络平台', children: text((respondent.platform as { name?: string } | undefined)?.name) ?? '—' },
    {
      key: 'complainant',
      label: c.type === 'report' ? '举报人' : '投诉人',
      children: (
        <Space size={4}>
          {piiItem('name', c.complainant.nameMasked)}
          <Typography.Text type="secondary">（{PLATFORM_LABELS[c.complainant.platform] ?? c.complainant.platform}用户）</Typography.Text>
        </Space>
      ),
    },
    { key: 'idNumber', label: '身份证号', children: piiItem('idNumber', undefined) },
    { key: 'phone', label: '联系电话', children: piiItem('phone', c.complainant.phoneMasked) },
    { key: 'address', label: '联系地址', children: piiItem('address', c.complainant.addressMasked) },
  ];

  const matter: DescriptionsProps['items'] = [
    { key: 'category', label: '分类', children: treeName(CATEGORY_TREE, business.categoryCode) },
    { key: 'problem', label: '问题类型', children: treeName(PROBLEM_TYPE_TREE, business.problemTypeCode) },
    {
      key: 'product',
      label: '商品或服务',
      children: text(business.productName) ? `${text(business.productName)}（${BUSINESS_KIND_LABELS[business.kind as BusinessKind] ?? '—'}）` : '—',
    },
    { key: 'amount', label: '涉及金额', children: typeof business.amountCents === 'number' ? `¥${formatCents(business.amountCents)}` : '—' },
    { key: 'channel', label: '购买渠道', children: CHANNEL_LABELS[business.channel as Channel] ?? '—' },
    { key: 'occurredOn', label: '消费日期', children: text(business.occurredOn) ?? '—' },
    { key: 'demands', label: '诉求', span: 2, children: demandsText(business.demands) },
    {
      key: 'description',
      label: c.type === 'report' ? '举报内容' : '投诉内容',
      span: 2,
      children: <div style={{ whiteSpace: 'pre-wrap' }}>{c.description}</div>,
    },
    { key: 'evidence', label: '证据', span: 2, children: <EvidenceList items={evidence} /> },
    ...(flags ? [{ key: 'flags', label: '提示', span: 2, children: <Tag color="orange">{flags}</Tag> }] : []),
    ...(linked ? [{ key: 'linked', label: '关联案件', span: 2, children: linked }] : []),
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
        {t.note && <Typography.Text type="secondary">说明：{t.note}</Typography.Text>}
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
                type={a.needs.length ? 'default' : 'primary'}
                danger={NEGATIVE_ACTIONS.has(a.action)}
                loading={busy === a.action}
                disabled={busy !== undefined && busy !== a.action}
                onClick={() => (a.needs.length ? setAskReason(a) : void run(a))}
              >
                {a.label}
              </Button>
            ))}
            <Button icon={<ReloadOutlined />} onClick={() => void load()} aria-label="刷新" />
          </Space>
        }
      >
        {c.testing && (
          <Alert
            className="testing-alert"
            type="info"
            showIcon
            style={{ marginBottom: 16 }}
            title={`检验检测中（自 ${c.testing.pausedOn} 起暂停计时）${c.testing.note ? `：${c.testing.note}` : ''}`}
          />
        )}
        <Descriptions bordered column={2} items={facts} styles={{ label: { width: 120 } }} />
      </Card>
      <Card title="当事人">
        <Descriptions bordered column={2} items={parties} styles={{ label: { width: 140 } }} />
      </Card>
      <Card title={c.type === 'report' ? '举报事项' : '投诉事项'}>
        <Descriptions bordered column={2} items={matter} styles={{ label: { width: 120 } }} />
      </Card>
      {(c.transfers.length > 0 || c.pauses.length > 0 || c.feedback) && (
        <Card title="移送、检验检测与评价">
          <Space orientation="vertical" style={{ width: '100%' }}>
            {c.transfers.map((t) => (
              <div key={t.at} className="transfer-entry">
                {formatTime(t.at)} {t.kind === 'transfer' ? '移送' : '改派'}：{t.fromBureau} → {t.toBureau}（{t.by}）{t.reason}
              </div>
            ))}
            {c.pauses.map((p) => (
              <div key={p.from}>
                检验检测 {p.from} 至 {p.to}，暂停 {p.workingDays} 个工作日{p.note ? `：${p.note}` : ''}
              </div>
            ))}
            {c.feedback && (
              <div className="feedback-entry">
                投诉人评价：<Tag color={c.feedback.satisfied ? 'green' : 'red'}>{c.feedback.satisfied ? '满意' : '不满意'}</Tag>
                {c.feedback.text}
              </div>
            )}
          </Space>
        </Card>
      )}
      <Card title="办理记录">
        {timeline.length ? <Timeline items={timeline} titleSpan={4} /> : <Empty description="暂无记录" />}
      </Card>
      <Card title="消息推送记录">
        <DeliveryLog deliveries={c.deliveries} />
      </Card>
      <ReasonModal
        action={askReason}
        currentBureau={c.bureau.code}
        onCancel={() => setAskReason(undefined)}
        onSubmit={(fields) => (askReason ? run(askReason, fields) : Promise.resolve(true))}
      />
    </Space>
  );
}
