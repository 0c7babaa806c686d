/** Real-name verification, the phone number and account linking, as the signed-in user. */
import type { ProfileView, VerifyBody, VerifyReply } from '@shared/api/identity';
import type { Platform } from '../platform/types';
import { request } from './api';
import { forgetSession, updateSessionUser, type SessionUser } from './session';

export type { ProfileView, VerifyReply };

export async function loadProfile(): Promise<{ user: SessionUser; profile: ProfileView }> {
  const reply = await request<{ user: SessionUser; profile: ProfileView }>('/me');
  updateSessionUser(reply.user);
  return reply;
}

export async function verifyIdentity(body: VerifyBody): Promise<VerifyReply> {
  const reply = await request<VerifyReply>('/identity/verify', { method: 'POST', body });
  await loadProfile().catch(() => undefined);
  return reply;
}

export function linkAccounts(): Promise<{ linked: Platform[] }> {
  return request('/identity/link', { method: 'POST', body: { confirm: true } });
}

export function savePhone(platform: Platform, code: string): Promise<{ phone: string }> {
  return request('/identity/phone', { method: 'POST', body: { platform, code } });
}

/** Ends the sessions on every device, this one included; the next request signs in silently again. */
export async function logoutEverywhere(): Promise<void> {
  await request('/auth/logout-all', { method: 'POST' });
  forgetSession();
}
