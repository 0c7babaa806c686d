/**
 * Browser preview: plays the vendor's client through the BFF sandbox, as a test identity kept
 * in localStorage ("sandbox.identity"). `?as=alipay` in the URL, remembered in
 * "sandbox.platform", makes it an Alipay user instead of a WeChat one.
 */
import { send } from '../services/http';
import type { LoginCode, Platform } from './types';

const IDENTITY_KEY = 'sandbox.identity';
const PLATFORM_KEY = 'sandbox.platform';

function sandboxPlatform(): Platform {
  const hashQuery = window.location.hash.split('?')[1] ?? '';
  const asked = new URLSearchParams(window.location.search).get('as') ?? new URLSearchParams(hashQuery).get('as');
  // Remembered so a later re-login on a page without the parameter stays the same user.
  if (asked === 'alipay' || asked === 'wechat') window.localStorage.setItem(PLATFORM_KEY, asked);
  return window.localStorage.getItem(PLATFORM_KEY) === 'alipay' ? 'alipay' : 'wechat';
}

function sandboxIdentity(): string {
  let identity = window.localStorage.getItem(IDENTITY_KEY);
  if (!identity) {
    identity = `h5-user-${Math.random().toString(36).slice(2, 10)}`;
    window.localStorage.setItem(IDENTITY_KEY, identity);
  }
  return identity;
}

export async function getLoginCode(): Promise<LoginCode> {
  const platform = sandboxPlatform();
  const identity = sandboxIdentity();
  const { code } =
    platform === 'alipay'
      ? await send<{ code: string }>('/sandbox/alipay/code', { method: 'POST', body: { userId: identity } })
      : await send<{ code: string }>('/sandbox/wechat/code', { method: 'POST', body: { openid: identity } });
  return { platform, code };
}
