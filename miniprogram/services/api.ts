/** Calls to the consumer API as the signed-in user; a refused token costs one silent login and one retry. */
import type { ComplaintCreate, ComplaintDetail, ComplaintSummary } from '@shared/api/complaints';
import type { progressView } from '@shared/api/admin';
import type { z } from 'zod';
import type { templateView } from '@shared/api/subscriptions';
import type { Platform, SubscribeResults } from '../platform/types';
import { ApiError, send, type SendOptions } from './http';
import { ensureSession, renewSession } from './session';

export { ApiError };

export type { ComplaintSummary, ComplaintDetail };
export type Progress = z.infer<typeof progressView>;
/** A complaint just filed always carries its acceptance deadline. */
export type ComplaintCreated = ComplaintSummary & { deadlines: { acceptBy: string } };
export type SubscriptionTemplate = z.infer<typeof templateView>;

export async function request<T>(path: string, options: SendOptions = {}): Promise<T> {
  const session = await ensureSession();
  try {
    return await send<T>(path, withToken(options, session.accessToken));
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
    const renewed = await renewSession(session.accessToken);
    return send<T>(path, withToken(options, renewed.accessToken));
  }
}

function withToken(options: SendOptions, token: string): SendOptions {
  return { ...options, headers: { ...options.headers, Authorization: `Bearer ${token}` } };
}

/** The same key on every retry of one form lets the BFF file the complaint only once. */
export function createComplaint(body: ComplaintCreate, idempotencyKey: string): Promise<ComplaintCreated> {
  return request('/complaints', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });
}

export async function listComplaints(): Promise<ComplaintSummary[]> {
  const reply = await request<{ items: ComplaintSummary[] }>('/complaints');
  return reply.items;
}

export function getComplaint(number: string): Promise<ComplaintDetail> {
  return request(`/complaints/${encodeURIComponent(number)}`);
}

export function getProgress(number: string): Promise<Progress> {
  return request(`/complaints/${encodeURIComponent(number)}/progress`);
}

export function giveFeedback(number: string, body: { satisfied: boolean; text?: string }): Promise<Progress> {
  return request(`/complaints/${encodeURIComponent(number)}/feedback`, { method: 'POST', body });
}

export async function subscriptionTemplates(platform: Platform): Promise<SubscriptionTemplate[]> {
  const reply = await request<{ templates: SubscriptionTemplate[] }>(`/subscriptions/templates?platform=${platform}`);
  return reply.templates;
}

export async function saveSubscriptions(platform: Platform, results: SubscribeResults): Promise<Record<string, number>> {
  const reply = await request<{ grants: Record<string, number> }>('/subscriptions', {
    method: 'POST',
    body: { platform, results },
  });
  return reply.grants;
}

/** Text to show a person for any failure. */
export function messageOf(err: unknown): string {
  return err instanceof ApiError ? err.message : '操作未成功，请稍后重试';
}
