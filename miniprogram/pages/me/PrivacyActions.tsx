/** 隐私 on 我的: the privacy policy, withdrawing the identity consent and cancelling the account, each confirmed first. */
import { useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { messageOf } from '../../services/api';
import { cancelAccount, withdrawIdentityConsent, type ProfileView } from '../../services/identity';

interface Props {
  profile: ProfileView;
  onChanged(): void;
  onError(message: string): void;
}

export default function PrivacyActions({ profile, onChanged, onError }: Props) {
  const [busy, setBusy] = useState(false);

  const confirmThen = async (title: string, content: string, confirmText: string, action: () => Promise<void>, done: () => void) => {
    const { confirm } = await Taro.showModal({ title, content, confirmText, confirmColor: '#c8161d' });
    if (!confirm || busy) return;
    setBusy(true);
    onError('');
    try {
      await action();
      done();
    } catch (err) {
      onError(messageOf(err));
    } finally {
      setBusy(false);
    }
  };

  const withdraw = () =>
    confirmThen(
      '撤回身份信息授权',
      '撤回后，本账号的姓名和身份证号将被删除，账号变为未认证，再次投诉需要重新实名认证。已提交的案件按规定保留投诉人信息至保存期满。',
      '确认撤回',
      withdrawIdentityConsent,
      () => {
        Taro.showToast({ title: '已撤回授权', icon: 'none' });
        onChanged();
      },
    );

  const cancel = () =>
    confirmThen(
      '注销账号',
      '注销后，您的实名信息、手机号、草稿、订阅和上传的文件将被删除，已办结案件中的个人信息也将删除，且无法恢复。有未办结的投诉时不能注销。',
      '确认注销',
      cancelAccount,
      () => {
        Taro.showToast({ title: '账号已注销', icon: 'none' });
        Taro.reLaunch({ url: '/pages/index/index' });
      },
    );

  return (
    <View className="card me-privacy">
      <Text className="me-section">个人信息</Text>
      <Text className="link btn-privacy" onClick={() => Taro.navigateTo({ url: '/pages/privacy/index' })}>
        查看《隐私政策》
      </Text>
      <View className="me-privacy-actions">
        {profile.identity && (
          <Button className="btn-withdraw-consent" size="small" loading={busy} onClick={withdraw}>
            撤回身份信息授权
          </Button>
        )}
        <Button className="btn-cancel-account" size="small" type="danger" loading={busy} onClick={cancel}>
          注销账号
        </Button>
      </View>
    </View>
  );
}
