/** The user's session with the BFF: silent platform login at launch, tokens kept in storage. */
import Taro from '@tarojs/taro';
import { getLoginCode } from '../platform/login';
import type { Platform } from '../platform/types';
import { ApiError, send } from './http';

export interface SessionUser {
  id: string;
  platform: Platform;
  verified: boolean;
}

export interface Session {
  accessToken: string;
  refreshToken: string;
  user: SessionUser;
}

const STORAGE_KEY = 'session';

let current: Session | null = null;
let pending: Promise<Session> | null = null;

function stored(): Session | null {
  if (!current) {
    const value: unknown = Taro.getStorageSync(STORAGE_KEY);
    if (value && typeof value === 'object' && typeof (value as Session).accessToken === 'string') {
      current = value as Session;
    }
  }
  return current;
}

async function loginWithFreshCode(): Promise<Session> {
  const body = await getLoginCode();
  return send<Session>('/auth/login', { method: 'POST', body });
}

async function login(): Promise<Session> {
  let reply: Session;
  try {
    reply = await loginWithFreshCode();
  } catch (err) {
    // Codes are single use and short-lived: a fresh one earns exactly one more try.
    if (!(err instanceof ApiError && err.code === 'LOGIN_CODE_INVALID')) throw err;
    reply = await loginWithFreshCode();
  }
  const session: Session = { accessToken: reply.accessToken, refreshToken: reply.refreshToken, user: reply.user };
  Taro.setStorageSync(STORAGE_KEY, session);
  current = session;
  return session;
}

/** The stored session, or a new one from a silent login. */
export function ensureSession(): Promise<Session> {
  const session = stored();
  return session ? Promise.resolve(session) : renewSession();
}

/**
 * Logs in again. Callers that were refused with the same stale token share one login;
 * one that arrives after another already renewed it gets the new session at once.
 */
export function renewSession(staleToken?: string): Promise<Session> {
  if (current && staleToken !== undefined && current.accessToken !== staleToken) return Promise.resolve(current);
  pending ??= login().finally(() => {
    pending = null;
  });
  return pending;
}
