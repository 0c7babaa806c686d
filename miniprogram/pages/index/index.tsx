import { useEffect, useState } from 'react';
import Taro from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { messageOf } from '../../services/api';
import { ensureSession, renewSession } from '../../services/session';
import type { Platform } from '../../platform/types';
import './index.scss';

type SignIn = { state: 'pending' } | { state: 'ready'; platform: Platform } | { state: 'failed'; message: string };

const PLATFORM_NAMES: Record<Platform, string> = { wechat: '微信', alipay: '支付宝' };

export default function Index() {
  const [signIn, setSignIn] = useState<SignIn>({ state: 'pending' });

  const signInWith = (start: () => ReturnType<typeof ensureSession>) => {
    setSignIn({ state: 'pending' });
    start().then(
      (session) => setSignIn({ state: 'ready', platform: session.user.platform }),
      (err: unknown) => setSignIn({ state: 'failed', message: messageOf(err) }),
    );
  };

  useEffect(() => signInWith(ensureSession), []);

  return (
    <View className="home">
      <View className="home-banner">
        <Text className="home-title">消费者投诉举报</Text>
        <Text className="home-subtitle">向市场监管部门反映消费纠纷，办理进度随时可查</Text>
      </View>

      <View className="card home-signin">
        {signIn.state === 'pending' && <Text className="signin-status hint">正在登录…</Text>}
        {signIn.state === 'ready' && (
          <Text className="signin-status signin-ready">已登录 · {PLATFORM_NAMES[signIn.platform]}账号</Text>
        )}
        {signIn.state === 'failed' && (
          <View className="signin-failed">
            <Text className="signin-status error-text">登录失败：{signIn.message}</Text>
            <Button className="btn-relogin" size="small" onClick={() => signInWith(() => renewSession())}>
              重新登录
            </Button>
          </View>
        )}
      </View>

      <View className="home-actions">
        <Button
          className="btn-new"
          type="primary"
          block
          size="large"
          onClick={() => Taro.navigateTo({ url: '/pages/complaint-new/index' })}
        >
          我要投诉
        </Button>
        <Button
          className="btn-list"
          block
          size="large"
          onClick={() => Taro.navigateTo({ url: '/pages/complaints/index' })}
        >
          我的投诉
        </Button>
      </View>

      <View className="card">
        <Text className="home-notice-title">投诉须知</Text>
        <Text className="hint home-notice">
          投诉用于解决您与经营者之间的消费纠纷。请如实填写被投诉方名称和事情经过，提交后可在“我的投诉”中查看受理期限和办理进度。
        </Text>
      </View>
    </View>
  );
}
