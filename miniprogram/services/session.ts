/**
 * The user's session with the BFF: silent platform login at launch, tokens kept in storage. A refused
 * access token is renewed with the refresh token; when that is gone too, a silent login starts over.
 */
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

function keep(reply: Session): Session {
  const session: Session = { accessToken: reply.accessToken, refreshToken: reply.refreshToken, user: reply.user };
  Taro.setStorageSync(STORAGE_KEY, session);
  current = session;
  return session;
}

async function login(): Promise<Session> {
  try {
    return keep(await loginWithFreshCode());
  } catch (err) {
    // Codes are single use and short-lived: a fresh one earns exactly one more try.
    if (!(err instanceof ApiError && err.code === 'LOGIN_CODE_INVALID')) throw err;
    return keep(await loginWithFreshCode());
  }
}

/** Rotates the refresh token; any refusal (expired, revoked, reused) falls back to a silent login. */
async function refreshOrLogin(): Promise<Session> {
  const refreshToken = stored()?.refreshToken;
  if (refreshToken) {
    try {
      return keep(await send<Session>('/auth/refresh', { method: 'POST', body: { refreshToken } }));
    } catch (err) {
      if (!(err instanceof ApiError && err.status === 401)) throw err;
    }
  }
  return login();
}

/** The stored session, or a new one from a silent login. */
/** Drops the stored tokens (after the server revoked them); the next request signs in afresh. */
export function forgetSession(): void {
  current = null;
  Taro.removeStorageSync(STORAGE_KEY);
}

/** The stored session with a fresher view of the user, e.g. once real-name verification passed. */
export function updateSessionUser(user: SessionUser): void {
  const session = stored();
  if (session) keep({ ...session, user });
}

export function ensureSession(): Promise<Session> {
  const session = stored();
  return session ? Promise.resolve(session) : renewSession();
}

/**
 * Renews the session. Callers that were refused with the same stale token share one renewal;
 * one that arrives after another already renewed it gets the new session at once. Without a
 * stale token (the user asked to sign in again) it logs in afresh.
 */
export function renewSession(staleToken?: string): Promise<Session> {
  if (current && staleToken !== undefined && current.accessToken !== staleToken) return Promise.resolve(current);
  pending ??= (staleToken === undefined ? login() : refreshOrLogin()).finally(() => {
    pending = null;
  });
  return pending;
}
