import { useCallback, useState } from 'react';
import Taro, { useDidShow, usePullDownRefresh, useRouter } from '@tarojs/taro';
import { Text, Textarea, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { getComplaint, getProgress, giveFeedback, messageOf, type ComplaintDetail, type Progress } from '../../services/api';
import { formatDate, formatTime } from '../../utils/date';
import NotifyStatus from '../../components/NotifyStatus';
import SubscribePrompt from '../../components/SubscribePrompt';
import { CASE_TYPE_LABELS, FINAL_STATUSES } from '@shared/complaint/status';
import './index.scss';

type Loaded = { state: 'loading' } | { state: 'ready'; detail: ComplaintDetail; progress: Progress } | { state: 'failed'; message: string };

/** One case: its steps so far, the next legal deadline, and feedback once it is closed. */
export default function CasePage() {
  const { params } = useRouter();
  const number = params.number ?? '';
  const [loaded, setLoaded] = useState<Loaded>({ state: 'loading' });
  const [satisfied, setSatisfied] = useState<boolean>();
  const [text, setText] = useState('');
  const [sending, setSending] = useState(false);
  const [feedbackError, setFeedbackError] = useState<string>();

  const load = useCallback(
    () =>
      Promise.all([getComplaint(number), getProgress(number)]).then(
        ([detail, progress]) => setLoaded({ state: 'ready', detail, progress }),
        (err: unknown) => setLoaded({ state: 'failed', message: messageOf(err) }),
      ),
    [number],
  );

  useDidShow(() => {
    load();
  });
  usePullDownRefresh(() => {
    load().finally(() => Taro.stopPullDownRefresh());
  });

  async function send() {
    if (satisfied === undefined) {
      setFeedbackError('请选择满意或不满意');
      return;
    }
    setSending(true);
    setFeedbackError(undefined);
    try {
      const progress = await giveFeedback(number, { satisfied, ...(text.trim() ? { text: text.trim() } : {}) });
      setLoaded((l) => (l.state === 'ready' ? { ...l, progress } : l));
      Taro.showToast({ title: '感谢您的评价', icon: 'success' });
    } catch (err) {
      setFeedbackError(messageOf(err));
    } finally {
      setSending(false);
    }
  }

  if (loaded.state === 'loading') return <Text className="hint case-note">正在加载…</Text>;
  if (loaded.state === 'failed') {
    return (
      <View className="case-note">
        <Text className="error-text">{loaded.message}</Text>
        <Button className="btn-reload" size="small" onClick={() => load()}>
          重新加载
        </Button>
      </View>
    );
  }

  const { detail, progress } = loaded;
  const next = progress.nextDeadline;
  // Each step's subscription message, matched by the step's time (one instant per transition).
  const notifications = new Map(detail.timeline.map((t) => [t.at, t.notification]));
  return (
    <View className="case-page">
      <View className="card case-head">
        <Text className="case-number">{detail.number}</Text>
        <Text className="case-status">{progress.statusLabel}</Text>
        <Text className="case-respondent">{detail.respondentName}</Text>
        {next && (
          <View className={`case-deadline ${next.daysLeft < 0 ? 'is-overdue' : ''}`}>
            <Text>
              {next.label}：{next.due}
              {next.provisional ? '（暂定）' : ''}
            </Text>
            {next.provisional && <Text className="hint case-deadline-provisional">该年度节假日安排尚未公布，期限暂按周末推算，公布后将重新计算。</Text>}
            <Text className="case-deadline-left">
              {next.paused ? '检验检测中，暂停计时' : next.daysLeft >= 0 ? `还有 ${next.daysLeft} 个工作日` : '已超过期限'}
            </Text>
          </View>
        )}
      </View>

      <View className="card">
        <Text className="section-title">办理记录</Text>
        <View className="progress-steps">
          {progress.steps.map((s, i) => (
            <View key={`${s.at}-${i}`} className={`progress-step ${i === progress.steps.length - 1 ? 'is-current' : ''}`}>
              <View className="step-dot" />
              <View className="step-body">
                <Text className="step-label">
                  {s.label} · {s.statusLabel}
                </Text>
                <Text className="step-time">{formatTime(s.at)}</Text>
                {s.by && <Text className="step-by">{s.by}</Text>}
                {s.note && <Text className="step-note">{s.note}</Text>}
                <NotifyStatus notification={notifications.get(s.at)} />
              </View>
            </View>
          ))}
        </View>
      </View>

      {!FINAL_STATUSES.includes(detail.status) && <SubscribePrompt status={detail.status} type={detail.type} />}

      <View className="card">
        <Text className="section-title">{CASE_TYPE_LABELS[detail.type]}内容</Text>
        <Text className="case-description">{detail.description}</Text>
      </View>

      {progress.feedback && (
        <View className="card feedback-done">
          <Text className="section-title">我的评价</Text>
          <Text>{progress.feedback.satisfied ? '满意' : '不满意'}</Text>
          {progress.feedback.text && <Text className="step-note">{progress.feedback.text}</Text>}
        </View>
      )}

      {progress.canGiveFeedback && (
        <View className="card feedback-form">
          <Text className="section-title">对办理结果评价</Text>
          <View className="feedback-choices">
            <Button className="btn-satisfied" type={satisfied === true ? 'primary' : 'default'} onClick={() => setSatisfied(true)}>
              满意
            </Button>
            <Button className="btn-unsatisfied" type={satisfied === false ? 'primary' : 'default'} onClick={() => setSatisfied(false)}>
              不满意
            </Button>
          </View>
          <Textarea
            className="feedback-text"
            value={text}
            maxlength={500}
            placeholder="可以补充您的意见（选填）"
            onInput={(e) => setText(e.detail.value)}
          />
          {feedbackError && <Text className="error-text">{feedbackError}</Text>}
          <Button className="btn-feedback" type="primary" block loading={sending} onClick={send}>
            提交评价
          </Button>
        </View>
      )}
    </View>
  );
}
