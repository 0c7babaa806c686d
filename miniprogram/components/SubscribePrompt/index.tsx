/**
 * Asks the consumer, in the vendor's own dialog, for the messages their case may send next, and
 * reports the answers to the BFF. Drop in with the case status: <SubscribePrompt status={c.status} />.
 */
import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import type { CaseType, ComplaintStatus } from '@shared/complaint/status';
import { upcomingEvents } from '@shared/notify/upcoming';
import { messageOf, saveSubscriptions, subscriptionTemplates } from '../../services/api';
import { ensureSession } from '../../services/session';
import { requestSubscribe } from '../../platform/subscribe';
import type { Platform } from '../../platform/types';
import './index.scss';

type Offer = { state: 'loading' } | { state: 'ready'; platform: Platform; ids: string[] } | { state: 'none' };
type Outcome = { state: 'idle' } | { state: 'asking' } | { state: 'done'; accepted: number } | { state: 'failed'; message: string };

export default function SubscribePrompt({ status, type = 'complaint' }: { status: ComplaintStatus; type?: CaseType }) {
  const [offer, setOffer] = useState<Offer>({ state: 'loading' });
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });

  // The template ids must be at hand before the tap: the vendor opens the dialog only from the tap itself.
  useEffect(() => {
    let live = true;
    const events: string[] = upcomingEvents(status, undefined, type);
    ensureSession()
      .then(async ({ user }) => ({ platform: user.platform, templates: await subscriptionTemplates(user.platform) }))
      .then(
        ({ platform, templates }) => {
          const ids = templates.filter((t) => events.includes(t.event)).map((t) => t.id);
          if (live) setOffer(ids.length > 0 ? { state: 'ready', platform, ids } : { state: 'none' });
        },
        () => live && setOffer({ state: 'none' }),
      );
    return () => {
      live = false;
    };
  }, [status, type]);

  if (offer.state === 'none') return null;

  const subscribe = () => {
    if (offer.state !== 'ready' || outcome.state === 'asking') return;
    // No await before this call, or the vendor refuses to show the dialog.
    const asked = requestSubscribe(offer.ids);
    setOutcome({ state: 'asking' });
    asked
      .then((results) => saveSubscriptions(offer.platform, results).then(() => results))
      .then(
        (results) => setOutcome({ state: 'done', accepted: Object.values(results).filter((r) => r === 'accept').length }),
        (err: unknown) => setOutcome({ state: 'failed', message: messageOf(err) }),
      );
  };

  return (
    <View className="card subscribe-prompt">
      <Text className="subscribe-prompt-title">办理进度通知</Text>
      <Text className="hint">受理、调解、办结等进展将通过订阅消息通知您；每次同意可接收一条通知。</Text>
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
        <Text className={outcome.accepted > 0 ? 'subscribe-prompt-status subscribe-status subscribe-prompt-ok' : 'hint subscribe-prompt-status subscribe-status'}>
          {outcome.accepted > 0 ? `已订阅 ${outcome.accepted} 项通知` : '您未同意接收通知，可随时再次订阅'}
        </Text>
      )}
      {outcome.state === 'failed' && <Text className="error-text subscribe-prompt-status subscribe-status">订阅未完成：{outcome.message}</Text>}
    </View>
  );
}
