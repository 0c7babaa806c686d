/** Client for the staff API: same-origin session cookie, plus the CSRF token on every POST. */
import type { z } from 'zod';
import type {
  adminCaseDetail,
  adminCaseList,
  adminCaseSummary,
  auditList,
  bureauView,
  dashboardView,
  deliveryView,
  exportProgress,
  exportTicket,
  staffAccountView,
  staffCreateBody,
  staffSessionReply,
  staffUpdateBody,
  staffView,
  CaseQuery,
  ExportFormat,
  PiiField,
} from '../../../shared/api/admin';
import type { timelineEntry } from '../../../shared/api/complaints';
import type { deadLetterItem, deadLetterList } from '../../../shared/api/deliveries';
import type { ErrorBody } from '../../../shared/api/common';
import type { HotspotView, InsightView } from '../../../shared/api/insight';
import type { CaseType, ComplaintStatus } from '../../../shared/complaint/status';

export type { CaseQuery };
export type Staff = z.infer<typeof staffView>;
export type CaseSummary = z.infer<typeof adminCaseSummary>;
export type CaseList = z.infer<typeof adminCaseList>;
export type CaseDetail = z.infer<typeof adminCaseDetail>;
export type CaseAction = CaseDetail['actions'][number];
export type TimelineEntry = z.infer<typeof timelineEntry>;
export type Delivery = z.infer<typeof deliveryView>;
export type Dashboard = z.infer<typeof dashboardView>;
export type Bureau = z.infer<typeof bureauView>;
export type StaffAccount = z.infer<typeof staffAccountView>;
export type StaffCreate = z.input<typeof staffCreateBody>;
export type StaffUpdate = z.input<typeof staffUpdateBody>;
export type AuditList = z.infer<typeof auditList>;
export type AuditEntry = AuditList['items'][number];
export type { PiiField };
export type DeadLetter = z.infer<typeof deadLetterItem>;
export type DeadLetterList = z.infer<typeof deadLetterList>;
export type Insight = InsightView;
export type Hotspot = HotspotView;
export interface RegionOption {
  code: string;
  name: string;
  level: string;
}
export type ExportProgress = z.infer<typeof exportProgress>;
export type ExportTicket = z.infer<typeof exportTicket>;
export type { ExportFormat };
export interface FullExportRequest {
  format: ExportFormat;
  purpose: { category: string; text: string };
  password: string;
  exportId: string;
}
type FieldError = NonNullable<ErrorBody['error']['fields']>[number];


export interface TransitionRequest {
  action: string;
  reasonCode?: string;
  reason?: string;
  toBureau?: string;
  version: number;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: FieldError[],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const BASE = '/api/v1';

// The session cookie is HttpOnly; the CSRF token that goes with it is only ever kept in memory.
let csrfToken: string | undefined;
let onUnauthorized: () => void = () => undefined;

/** Called whenever the server says the session is gone, so the app can show the login page. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

async function request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method === 'POST' && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(BASE + path, {
      method,
      credentials: 'same-origin',
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
  }
  if (res.status === 204) return undefined as T;

  const data: unknown = await res.json().catch(() => undefined);
  if (!res.ok) {
    const error = (data as Partial<ErrorBody> | undefined)?.error;
    // A failed login is an answer to show on the login form, not a lost session.
    if (res.status === 401 && path !== '/admin/login') {
      csrfToken = undefined;
      onUnauthorized();
    }
    throw new ApiError(
      res.status,
      error?.code ?? `HTTP_${res.status}`,
      error?.message ?? `服务暂时不可用（${res.status}），请稍后重试`,
      error?.fields,
    );
  }
  return data as T;
}

type StaffSession = z.infer<typeof staffSessionReply>;

function keepSession(reply: StaffSession): Staff {
  csrfToken = reply.csrfToken;
  return reply.staff;
}

const caseUrl = (number: string) => `/admin/cases/${encodeURIComponent(number)}`;

/** The queue's filters, which an export takes too (not its sort or page). */
const FILTER_KEYS = ['status', 'type', 'category', 'region', 'overdue', 'dueSoon', 'from', 'to', 'q'] as const;

export const api = {
  insight(q: { from: string; to: string; region?: string }): Promise<Insight> {
    const params = new URLSearchParams({ from: q.from, to: q.to, ...(q.region ? { region: q.region } : {}) });
    return request<Insight>('GET', `/admin/stats?${params}`);
  },

  markHotspotSeen(h: { kind: Hotspot['kind']; key: string; region?: string }): Promise<Hotspot> {
    return request<Hotspot>('POST', '/admin/stats/hotspots/seen', h);
  },

  async regions(parent?: string): Promise<RegionOption[]> {
    const reply = await request<{ items: RegionOption[] }>('GET', `/regions${parent ? `?parent=${parent}` : ''}`);
    return reply.items;
  },

  async login(username: string, password: string): Promise<Staff> {
    return keepSession(await request<StaffSession>('POST', '/admin/login', { username, password }));
  },

  async me(): Promise<Staff> {
    return keepSession(await request<StaffSession>('GET', '/admin/me'));
  },

  async logout(): Promise<void> {
    try {
      await request<void>('POST', '/admin/logout');
    } finally {
      csrfToken = undefined;
    }
  },

  listCases(query: CaseQuery): Promise<CaseList> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    return request<CaseList>('GET', `/admin/cases?${params}`);
  },

  /** Where the browser downloads a masked export of the queue's current filters (a plain GET: no CSRF token needed). */
  exportUrl(query: CaseQuery, format: ExportFormat, exportId: string): string {
    const params = new URLSearchParams();
    for (const key of FILTER_KEYS) {
      const value = query[key];
      if (value !== undefined && value !== '') params.set(key, String(value));
    }
    params.set('format', format);
    params.set('exportId', exportId);
    return `${BASE}/admin/export?${params}`;
  },

  /** Asks for a full-data export: the purpose and the password go in a POST body, never in a link. */
  authoriseFullExport(query: CaseQuery, body: FullExportRequest): Promise<ExportTicket> {
    const filters: Record<string, string | boolean> = {};
    for (const key of FILTER_KEYS) {
      const value = query[key];
      if (value !== undefined && value !== '') filters[key] = value;
    }
    return request<ExportTicket>('POST', '/admin/export/full', { ...body, filters });
  },

  /** Where the browser downloads a full-data export with its single-use ticket. */
  fullExportUrl(ticket: string): string {
    return `${BASE}/admin/export/full/${encodeURIComponent(ticket)}`;
  },

  exportProgress(exportId: string): Promise<ExportProgress> {
    return request<ExportProgress>('GET', `/admin/export/progress/${encodeURIComponent(exportId)}`);
  },

  dashboard(): Promise<Dashboard> {
    return request<Dashboard>('GET', '/admin/dashboard');
  },

  reveal(number: string, field: PiiField): Promise<{ field: PiiField; value: string }> {
    return request('POST', `${caseUrl(number)}/reveal`, { field });
  },

  async bureaus(): Promise<Bureau[]> {
    return (await request<{ items: Bureau[] }>('GET', '/admin/bureaus')).items;
  },

  createBureau(body: Bureau): Promise<Bureau> {
    return request('POST', '/admin/bureaus', body);
  },

  renameBureau(code: string, name: string): Promise<Bureau> {
    return request('POST', `/admin/bureaus/${encodeURIComponent(code)}`, { name });
  },

  async staff(): Promise<StaffAccount[]> {
    return (await request<{ items: StaffAccount[] }>('GET', '/admin/staff')).items;
  },

  createStaff(body: StaffCreate): Promise<StaffAccount> {
    return request('POST', '/admin/staff', body);
  },

  updateStaff(id: string, body: StaffUpdate): Promise<StaffAccount> {
    return request('POST', `/admin/staff/${encodeURIComponent(id)}`, body);
  },

  audit(query: { action?: string; caseNumber?: string; username?: string; page: number; pageSize: number }): Promise<AuditList> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') params.set(key, String(value));
    return request<AuditList>('GET', `/admin/audit?${params}`);
  },

  getCase(number: string): Promise<CaseDetail> {
    return request<CaseDetail>('GET', caseUrl(number));
  },

  transition(number: string, body: TransitionRequest): Promise<CaseDetail> {
    return request<CaseDetail>('POST', `${caseUrl(number)}/transitions`, body);
  },

  deadLetters(page: number, pageSize: number): Promise<DeadLetterList> {
    return request<DeadLetterList>('GET', `/admin/deliveries?status=dead&page=${page}&pageSize=${pageSize}`);
  },

  resendDelivery(key: string): Promise<Delivery> {
    return request<Delivery>('POST', `/admin/deliveries/${encodeURIComponent(key)}/resend`);
  },
};
