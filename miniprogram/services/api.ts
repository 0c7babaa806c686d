/** Calls to the consumer API as the signed-in user; a refused token costs one silent login and one retry. */
import Taro from '@tarojs/taro';
import type { ComplaintCreate, ComplaintDetail, ComplaintSummary, ReportCreate } from '@shared/api/complaints';
import type { JurisdictionRecommendation, RegionItem } from '@shared/api/regions';
import type { DraftData, DraftView } from '@shared/api/drafts';
import type { UploadReply } from '@shared/api/uploads';
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

export type { ComplaintCreate, ReportCreate } from '@shared/api/complaints';
export type { RegionItem, JurisdictionRecommendation } from '@shared/api/regions';
export type { DraftData, DraftView } from '@shared/api/drafts';
export type { UploadReply } from '@shared/api/uploads';

/** A report just filed has no acceptance deadline; a complaint always has one. */
export type CaseCreated = ComplaintSummary;

export function createReport(body: ReportCreate, idempotencyKey: string): Promise<CaseCreated> {
  return request('/reports', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey } });
}

export function withdrawComplaint(number: string, reason?: string): Promise<ComplaintDetail> {
  return request(`/complaints/${number}/withdraw`, { method: 'POST', body: reason ? { reason } : {} });
}

export async function listRegions(parent?: string): Promise<RegionItem[]> {
  const reply = await request<{ items: RegionItem[] }>(parent ? `/regions?parent=${parent}` : '/regions');
  return reply.items;
}

export function recommendJurisdiction(query: Record<string, string | undefined>): Promise<JurisdictionRecommendation> {
  const qs = Object.entries(query)
    .filter((e): e is [string, string] => Boolean(e[1]))
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
    .join('&');
  return request(`/jurisdiction?${qs}`);
}

export async function suggestRespondents(q: string): Promise<Array<{ name: string; creditCode?: string; cases: number }>> {
  const reply = await request<{ items: Array<{ name: string; creditCode?: string; cases: number }> }>(`/respondents?q=${encodeURIComponent(q)}`);
  return reply.items;
}

/** The saved draft, or null when there is none. */
export async function loadDraft(kind: DraftView['kind']): Promise<DraftView | null> {
  try {
    return await request<DraftView>(`/drafts/${kind}`);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export function saveDraft(kind: DraftView['kind'], data: DraftData): Promise<DraftView> {
  return request(`/drafts/${kind}`, { method: 'POST', body: { data } });
}

export function deleteDraft(kind: DraftView['kind']): Promise<void> {
  return request(`/drafts/${kind}`, { method: 'DELETE' });
}

/** Sends one local file (a path from the platform's chooser) as multipart field "file". */
export async function uploadEvidence(filePath: string, kind: 'image' | 'video' | 'pdf'): Promise<UploadReply> {
  // Alipay needs to know the kind of file (it only picks photos and videos); the BFF decides the type from the bytes anyway.
  const fileType = kind === 'pdf' ? undefined : kind;
  const upload = async (token: string) => {
    const res = await Taro.uploadFile({
      url: `${API_BASE}/api/v1/uploads`,
      filePath,
      name: 'file',
      ...(fileType ? { fileType } : {}),
      header: { Authorization: `Bearer ${token}` },
    } as Taro.uploadFile.Option);
    const data = typeof res.data === 'string' && res.data ? JSON.parse(res.data) : res.data;
    if (res.statusCode >= 200 && res.statusCode < 300) return data as UploadReply;
    const error = (data as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(res.statusCode, error?.code ?? `HTTP_${res.statusCode}`, error?.message ?? '上传失败，请稍后重试');
  };
  const session = await ensureSession();
  try {
    return await upload(session.accessToken);
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 401)) throw err;
    return upload((await renewSession(session.accessToken)).accessToken);
  }
}
