import Taro from '@tarojs/taro';
import type { LoginCode } from './types';

/** On Alipay Taro.login is my.getAuthCode({scopes: 'auth_base'}), with authCode handed back as code. */
export async function getLoginCode(): Promise<LoginCode> {
  const { code } = await Taro.login();
  return { platform: 'alipay', code };
}
