import { useState } from 'react';
import Taro, { useDidShow } from '@tarojs/taro';
import { Text, View } from '@tarojs/components';
import { Button } from '@nutui/nutui-react-taro';
import { messageOf } from '../../services/api';
import { ensureSession, renewSession } from '../../services/session';
import type { Platform } from '../../platform/types';
import './index.scss';

type SignIn = { state: 'pending' } | { state: 'ready'; platform: Platform; verified: boolean } | { state: 'failed'; message: string };

const PLATFORM_NAMES: Record<Platform, string> = { wechat: '微信', alipay: '支付宝' };

export default function Index() {
  const [signIn, setSignIn] = useState<SignIn>({ state: 'pending' });

  const signInWith = (start: () => ReturnType<typeof ensureSession>) => {
    setSignIn({ state: 'pending' });
    start().then(
      (session) => setSignIn({ state: 'ready', platform: session.user.platform, verified: session.user.verified }),
      (err: unknown) => setSignIn({ state: 'failed', message: messageOf(err) }),
    );
  };

  // Again on every show, so a verification done meanwhile shows here.
  useDidShow(() => signInWith(ensureSession));

  return (
    <View className="home">
      <View className="home-banner">
        <Text className="home-title">消费者投诉举报</Text>
        <Text className="home-subtitle">向市场监管部门反映消费纠纷，办理进度随时可查</Text>
      </View>

      <View className="card home-signin">
        {signIn.state === 'pending' && <Text className="signin-status hint">正在登录…</Text>}
        {signIn.state === 'ready' && (
          <View className="signin-row">
            <Text className="signin-status signin-ready">
              已登录 · {PLATFORM_NAMES[signIn.platform]}账号 · {signIn.verified ? '已实名' : '未实名'}
            </Text>
            <Text className="link btn-me" onClick={() => Taro.navigateTo({ url: '/pages/me/index' })}>
              {signIn.verified ? '我的' : '去实名认证'}
            </Text>
          </View>
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
        <Button className="btn-report" block size="large" onClick={() => Taro.navigateTo({ url: '/pages/report-new/index' })}>
          我要举报
        </Button>
        <Button
          className="btn-list"
          block
          size="large"
          onClick={() => Taro.navigateTo({ url: '/pages/complaints/index' })}
        >
          我的投诉举报
        </Button>
      </View>

      <View className="card">
        <Text className="home-notice-title">投诉须知</Text>
        <Text className="hint home-notice">
          投诉用于解决您与经营者之间的消费纠纷，需先完成实名认证；举报用于向监管部门反映经营者的违法行为，可以匿名。请如实填写，提交后可在“我的投诉举报”中查看受理期限和办理进度。
        </Text>
      </View>
    </View>
  );
}
