/** What the BFF needs from a mini program platform, whichever vendor is behind it. */
import type { Platform } from '../../../shared/api/common';

export interface LoginIdentity {
  platformUserId: string;
  unionId?: string;
}

export type SendOutcome =
  | { status: 'sent' }
  | { status: 'skipped'; code: string }
  | { status: 'rejected'; code: string; message: string };

export interface SubscriptionMessage {
  touser: string;
  templateId: string;
  page: string;
  data: Record<string, string>;
  deliveryKey: string;
}

export interface PlatformAdapter {
  readonly platform: Platform;
  exchangeLoginCode(code: string): Promise<LoginIdentity>;
  /** Resolves with the vendor's final answer; throws TransientError when worth retrying. */
  sendSubscription(message: SubscriptionMessage): Promise<SendOutcome>;
  /** The phone number the user allowed us to read: a WeChat phone code, or Alipay's encrypted answer. */
  phoneNumber(grant: string): Promise<string>;
  /** The vendor's text security check, where the platform offers one (WeChat msg_sec_check). */
  checkText?(input: { platformUserId: string; content: string }): Promise<{ suggest: 'pass' | 'review' | 'risky'; label: number }>;
}

export type Platforms = Record<Platform, PlatformAdapter>;
