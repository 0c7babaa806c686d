/**
 * 账号关联 on 我的: which platforms share the person's cases, linking with a link code or the same
 * phone number, unlinking, and the record of every link and unlink so a link nobody asked for is seen.
 */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button, Input } from '@nutui/nutui-react-taro';
import { ACCOUNT_EVENT_LABELS, LINK_CODE_LENGTH, LINK_CODE_TTL_MINUTES } from '@shared/api/identity';
import { messageOf } from '../../services/api';
import { issueLinkCode, linkAccounts, unlinkAccounts, type LinkCodeReply, type ProfileView } from '../../services/identity';
import { formatTime } from '../../utils/date';
import type { Platform } from '../../platform/types';

const PLATFORM_NAMES: Record<Platform, string> = { wechat: '微信', alipay: '支付宝' };
const METHOD_NAMES = { code: '关联码', phone: '相同手机号' } as const;

interface Props {
  profile: ProfileView;
  onChanged(): void;
  onError(message: string): void;
}

export default function AccountLink({ profile, onChanged, onError }: Props) {
  const [issued, setIssued] = useState<LinkCodeReply | null>(null);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const linked = profile.linkedPlatforms.length > 1;

  const run = async (action: () => Promise<unknown>) => {
    if (busy) return;
    setBusy(true);
    onError('');
    try {
      await action();
      setIssued(null);
      setCode('');
      onChanged();
    } catch (err) {
      onError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const issue = () => {
    onError('');
    issueLinkCode().then(setIssued, (err: unknown) => onError(messageOf(err)));
  };

  const unlink = async () => {
    const { confirm } = await Taro.showModal({
      title: '解除关联',
      content: '解除后，两个账号只能看到各自提交的投诉。之后可以重新关联。',
      confirmText: '解除关联',
    });
    if (confirm) await run(unlinkAccounts);
  };

  return (
    <View className="card me-link">
      <Text className="me-section">已关联的平台账号</Text>
      <View className="me-row">
        <Text className="me-value me-platforms">{profile.linkedPlatforms.map((p) => PLATFORM_NAMES[p]).join('、')}</Text>
        {linked && (
          <Button className="btn-unlink" size="small" loading={busy} onClick={unlink}>
            解除关联
          </Button>
        )}
      </View>

      {!linked && profile.identity && (
        <View className="me-linkable">
          <Text className="hint">
            {profile.linkable
              ? `您在${PLATFORM_NAMES[profile.linkable.platform]}也以同一身份完成了实名认证。`
              : '您可以关联本人在另一个平台（微信或支付宝）已实名认证的账号。'}
            为确认两个账号都由您本人使用，请在一个账号中生成关联码，{LINK_CODE_TTL_MINUTES} 分钟内在另一个账号中输入。关联后两个账号可以查看彼此的投诉。
          </Text>
          {profile.linkable?.byPhone && (
            <Button className="btn-link-phone" size="small" type="primary" loading={busy} onClick={() => run(() => linkAccounts({ method: 'phone' }))}>
              两个账号手机号相同，直接关联
            </Button>
          )}
          {issued ? (
            <View className="me-code">
              <Text className="me-code-value">{issued.code}</Text>
              <Text className="hint">请在另一个平台的账号“我的”页面输入，{formatTime(issued.expiresAt)} 前有效，只能使用一次。</Text>
            </View>
          ) : (
            <Button className="btn-issue-code" size="small" onClick={issue}>
              生成关联码
            </Button>
          )}
          <View className="me-code-entry">
            <Input
              className="input-link-code"
              name="linkCode"
              value={code}
              placeholder={`输入另一个账号的 ${LINK_CODE_LENGTH} 位关联码`}
              maxLength={12}
              onChange={setCode}
            />
            <Button className="btn-link" size="small" type="primary" loading={busy} onClick={() => run(() => linkAccounts({ method: 'code', code }))}>
              确认关联
            </Button>
          </View>
        </View>
      )}

      {profile.accountEvents.length > 0 && (
        <View className="me-events">
          <Text className="me-label">账号记录</Text>
          {profile.accountEvents.map((e) => (
            <Text className="hint me-event" key={`${e.at}-${e.action}-${e.platform}`}>
              {formatTime(e.at)} {PLATFORM_NAMES[e.platform]}账号{ACCOUNT_EVENT_LABELS[e.action]}
              {e.method ? `（${METHOD_NAMES[e.method]}）` : ''}
            </Text>
          ))}
        </View>
      )}
    </View>
  );
}
