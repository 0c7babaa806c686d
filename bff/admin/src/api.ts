/** Client for the staff API: same-origin session cookie, plus the CSRF token on every POST. */
import type { z } from 'zod';
import type {
  adminCaseDetail,
  adminCaseList,
  adminCaseSummary,
  deliveryView,
  staffSessionReply,
  staffView,
} from '../../../shared/api/admin';
import type { timelineEntry } from '../../../shared/api/complaints';
import type { deadLetterItem, deadLetterList } from '../../../shared/api/deliveries';
import type { ErrorBody } from '../../../shared/api/common';
import type { ComplaintStatus } from '../../../shared/complaint/status';

export type Staff = z.infer<typeof staffView>;
export type CaseSummary = z.infer<typeof adminCaseSummary>;
export type CaseList = z.infer<typeof adminCaseList>;
export type CaseDetail = z.infer<typeof adminCaseDetail>;
export type CaseAction = CaseDetail['actions'][number];
export type TimelineEntry = z.infer<typeof timelineEntry>;
export type Delivery = z.infer<typeof deliveryView>;
export type DeadLetter = z.infer<typeof deadLetterItem>;
export type DeadLetterList = z.infer<typeof deadLetterList>;
type FieldError = NonNullable<ErrorBody['error']['fields']>[number];

export interface CaseQuery {
  status?: ComplaintStatus;
  q?: string;
  page: number;
  pageSize: number;
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

export const api = {
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
    const params = new URLSearchParams({ page: String(query.page), pageSize: String(query.pageSize) });
    if (query.status) params.set('status', query.status);
    if (query.q) params.set('q', query.q);
    return request<CaseList>('GET', `/admin/cases?${params}`);
  },

  getCase(number: string): Promise<CaseDetail> {
    return request<CaseDetail>('GET', caseUrl(number));
  },

  transition(number: string, body: { action: string; reason?: string; version: number }): Promise<CaseDetail> {
    return request<CaseDetail>('POST', `${caseUrl(number)}/transitions`, body);
  },

  deadLetters(page: number, pageSize: number): Promise<DeadLetterList> {
    return request<DeadLetterList>('GET', `/admin/deliveries?status=dead&page=${page}&pageSize=${pageSize}`);
  },

  resendDelivery(key: string): Promise<Delivery> {
    return request<Delivery>('POST', `/admin/deliveries/${encodeURIComponent(key)}/resend`);
  },
};
