import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { CASE_TYPE_LABELS, STATUS_LABELS } from '@shared/complaint/status';
import {
  messageOf,
  saveSubscriptions,
  subscriptionTemplates,
  type CaseCreated,
  type SubscriptionTemplate,
} from '../../services/api';
import { ensureSession } from '../../services/session';
import { requestSubscribe } from '../../platform/subscribe';
import type { Platform } from '../../platform/types';

interface Props {
  created: CaseCreated;
  onStartAnother: () => void;
}

type Offer =
  | { state: 'loading' }
  | { state: 'ready'; platform: Platform; templates: SubscriptionTemplate[] }
  | { state: 'unavailable' };

type Outcome = { state: 'idle' } | { state: 'asking' } | { state: 'done'; accepted: number } | { state: 'failed'; message: string };

export default function SubmittedView({ created, onStartAnother }: Props) {
  const noun = CASE_TYPE_LABELS[created.type];
  const [offer, setOffer] = useState<Offer>({ state: 'loading' });
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });

  // Template ids must be at hand before the tap: the dialog has to open without waiting.
  useEffect(() => {
    let live = true;
    ensureSession()
      .then(async ({ user }) => ({ platform: user.platform, templates: await subscriptionTemplates(user.platform) }))
      .then(
        ({ platform, templates }) => live && setOffer(templates.length > 0 ? { state: 'ready', platform, templates } : { state: 'unavailable' }),
        () => live && setOffer({ state: 'unavailable' }),
      );
    return () => {
      live = false;
    };
  }, []);

  const subscribe = () => {
    if (offer.state !== 'ready' || outcome.state === 'asking') return;
    const asked = requestSubscribe(offer.templates.map((t) => t.id));
    setOutcome({ state: 'asking' });
    asked
      .then((results) => saveSubscriptions(offer.platform, results).then(() => results))
      .then(
        (results) => setOutcome({ state: 'done', accepted: Object.values(results).filter((r) => r === 'accept').length }),
        (err: unknown) => setOutcome({ state: 'failed', message: messageOf(err) }),
      );
  };

  return (
    <View className="submitted">
      <View className="submitted-head">
        <Text className="submitted-title">{noun}已提交</Text>
        <Text className="submitted-sub">当前状态：{STATUS_LABELS[created.status] ?? created.status}</Text>
      </View>

      <View className="card">
        <View className="result-row">
          <Text className="result-label">{noun}编号</Text>
          <Text className="result-number" userSelect>
            {created.number}
          </Text>
        </View>
        {created.deadlines.acceptBy && (
          <View className="result-row">
            <Text className="result-label">受理期限</Text>
            <Text className="result-deadline">{created.deadlines.acceptBy}</Text>
          </View>
        )}
        {created.jurisdiction && (
          <View className="result-row">
            <Text className="result-label">承办部门</Text>
            <Text className="result-bureau">{created.jurisdiction.bureauName}</Text>
          </View>
        )}
        <Text className="hint">
          {created.deadlines.acceptBy ? '市场监管部门将在受理期限前决定是否受理。' : '市场监管部门将依法核查处理。'}请记下{noun}编号，以便查询。
        </Text>
      </View>

      <View className="card subscribe">
        <Text className="subscribe-title">办理进度通知</Text>
        {offer.state === 'unavailable' ? (
          <Text className="hint subscribe-status">暂时无法订阅通知，可在“我的投诉”中查看进度。</Text>
        ) : (
          <>
            <Text className="hint">投诉受理、办结等进展，将通过订阅消息通知您。</Text>
            <Button
              className="btn-subscribe"
              type="primary"
              fill="outline"
              block
              disabled={offer.state !== 'ready'}
              loading={outcome.state === 'asking'}
              onClick={subscribe}
            >
              订阅办理进度通知
            </Button>
            {outcome.state === 'done' && (
              <Text className={outcome.accepted > 0 ? 'subscribe-status subscribe-ok' : 'hint subscribe-status'}>
                {outcome.accepted > 0 ? `已订阅 ${outcome.accepted} 项通知` : '您未同意接收通知，可随时再次订阅'}
              </Text>
            )}
            {outcome.state === 'failed' && <Text className="error-text subscribe-status">订阅未完成：{outcome.message}</Text>}
          </>
        )}
      </View>

      <View className="form-actions">
        <Button className="btn-view-list" type="primary" block onClick={() => Taro.redirectTo({ url: '/pages/complaints/index' })}>
          查看我的投诉
        </Button>
        <Button className="btn-another" block onClick={onStartAnother}>
          再提交一件{noun}
        </Button>
      </View>
    </View>
  );
}
