import { useCallback, useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Button as TaroButton, Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { messageOf } from '../../services/api';
import { loadProfile, logoutEverywhere, savePhone, type ProfileView } from '../../services/identity';
import { phoneButtonProps } from '../../platform/phone';
import { formatDate } from '../../utils/date';
import type { Platform } from '../../platform/types';
import AccountLink from './AccountLink';
import PrivacyActions from './PrivacyActions';
import './index.scss';

type State = { state: 'loading' } | { state: 'ready'; platform: Platform; profile: ProfileView } | { state: 'failed'; message: string };

export default function Me() {
  const [view, setView] = useState<State>({ state: 'loading' });
  const [notice, setNotice] = useState('');

  const load = useCallback(
    () =>
      loadProfile().then(
        ({ user, profile }) => setView({ state: 'ready', platform: user.platform, profile }),
        (err: unknown) => setView({ state: 'failed', message: messageOf(err) }),
      ),
    [],
  );

  // Coming back from the verify page shows the new state.
  useDidShow(() => {
    load();
  });

  if (view.state === 'loading') return <Text className="hint me-note">正在加载…</Text>;
  if (view.state === 'failed') {
    return (
      <View className="me-note">
        <Text className="error-text">{view.message}</Text>
        <Button className="btn-reload" size="small" onClick={() => load()}>
          重新加载
        </Button>
      </View>
    );
  }

  const { profile, platform } = view;
  const phoneButton = phoneButtonProps({
    onGrant: (grant) => {
      setNotice('');
      savePhone(platform, grant).then(
        () => load(),
        (err: unknown) => setNotice(messageOf(err)),
      );
    },
    onError: setNotice,
  });
  const logoutAll = () =>
    logoutEverywhere().then(
      () => {
        Taro.showToast({ title: '已退出所有设备', icon: 'none' });
        load();
      },
      (err: unknown) => setNotice(messageOf(err)),
    );

  return (
    <View className="me">
      <View className="card">
        <Text className="me-section">实名信息</Text>
        {profile.identity ? (
          <View className="me-identity">
            <View className="me-row">
              <Text className="me-label">姓名</Text>
              <Text className="me-value me-name">{profile.identity.name}</Text>
            </View>
            <View className="me-row">
              <Text className="me-label">身份证号</Text>
              <Text className="me-value me-id">{profile.identity.idNumber}</Text>
            </View>
          </View>
        ) : (
          <View className="me-unverified">
            <Text className="hint">尚未实名认证。提交投诉前需要完成实名认证。</Text>
            <Button className="btn-verify" type="primary" block onClick={() => Taro.navigateTo({ url: '/pages/verify/index' })}>
              去实名认证
            </Button>
          </View>
        )}
      </View>

      <View className="card">
        <Text className="me-section">手机号</Text>
        <View className="me-row">
          <Text className="me-value me-phone">{profile.phone ?? '未绑定'}</Text>
          <TaroButton className="btn-phone" size="mini" {...phoneButton}>
            {profile.phone ? '更换' : '授权手机号'}
          </TaroButton>
        </View>
      </View>

      <AccountLink profile={profile} onChanged={() => load()} onError={setNotice} />

      {profile.idConsent && (
        <Text className="hint me-consent">
          您于 {formatDate(profile.idConsent.at)} 同意了身份证号处理规则（版本 {profile.idConsent.version}）。
        </Text>
      )}

      <PrivacyActions profile={profile} onChanged={() => load()} onError={setNotice} />

      {notice && <Text className="error-text me-notice">{notice}</Text>}

      <View className="me-actions">
        <Button className="btn-logout-all" block onClick={logoutAll}>
          退出所有设备上的登录
        </Button>
      </View>
    </View>
  );
}
