import Taro from '@tarojs/taro';
import type { LoginCode } from './types';

export async function getLoginCode(): Promise<LoginCode> {
  const { code } = await Taro.login();
  return { platform: 'wechat', code };
}
