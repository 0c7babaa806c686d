/** What the platform-specific files return, whichever platform the build is for. */
export type Platform = 'wechat' | 'alipay';

export interface LoginCode {
  platform: Platform;
  code: string;
}

export type SubscribeResult = 'accept' | 'reject' | 'ban' | 'filter';

/** Template id -> the user's answer in the subscribe dialog. */
export type SubscribeResults = Record<string, SubscribeResult>;

/** Both vendors take at most three one-time templates per dialog. */
export const MAX_TEMPLATES_PER_DIALOG = 3;

/** What the phone button reports: the grant for POST /identity/phone, or why there is none. */
export interface PhoneHandlers {
  onGrant(grant: string): void;
  onError(message: string): void;
}

export const PHONE_DENIED = '未授权手机号，可稍后在“我的”页面重新授权';

/** A local file chosen for upload: a path the platform's uploadFile understands. */
export interface PickedFile {
  path: string;
  size: number;
  kind: 'image' | 'video' | 'pdf';
}
