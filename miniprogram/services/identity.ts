/** Real-name verification, the phone number, account linking and the rights over one's data, as the signed-in user. */
import type { LinkCodeReply, LinkReply, ProfileView, VerifyBody, VerifyReply } from '@shared/api/identity';
import type { Platform } from '../platform/types';
import { request } from './api';
import { forgetSession, updateSessionUser, type SessionUser } from './session';

export type { LinkCodeReply, ProfileView, VerifyReply };

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

/** A one-time code to show here and type into the person's account on the other platform. */
export function issueLinkCode(): Promise<LinkCodeReply> {
  return request('/identity/link-code', { method: 'POST' });
}

/** Links this account with the other one: by the code that account showed, or by the phone number both hold. */
export function linkAccounts(proof: { method: 'code'; code: string } | { method: 'phone' }): Promise<LinkReply> {
  return request('/identity/links', { method: 'POST', body: proof });
}

export async function unlinkAccounts(): Promise<void> {
  await request('/identity/links', { method: 'DELETE' });
}

/** 撤回身份信息授权: this account's name and ID number are deleted; filing needs verification again. */
export async function withdrawIdentityConsent(): Promise<void> {
  await request('/identity/consent/withdraw', { method: 'POST', body: { confirm: true } });
  await loadProfile().catch(() => undefined);
}

/** 注销账号: the server deletes the account's personal data; the next request starts a new, empty account. */
export async function cancelAccount(): Promise<void> {
  await request('/account/cancel', { method: 'POST', body: { confirm: true } });
  forgetSession();
}

export function savePhone(platform: Platform, code: string): Promise<{ phone: string }> {
  return request('/identity/phone', { method: 'POST', body: { platform, code } });
}

/** Ends the sessions on every device, this one included; the next request signs in silently again. */
export async function logoutEverywhere(): Promise<void> {
  await request('/auth/logout-all', { method: 'POST' });
  forgetSession();
}
