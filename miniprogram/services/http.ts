/** The one function that talks HTTP to the BFF: absolute URL, JSON both ways, error bodies as ApiError. */
import Taro from '@tarojs/taro';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface SendOptions {
  method?: HttpMethod;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

interface RawResponse {
  statusCode: number;
  data: unknown;
}

const TIMEOUT_MS = 15_000;

export async function send<T>(path: string, options: SendOptions = {}): Promise<T> {
  const { method = 'GET', body, headers } = options;
  let res: RawResponse;
  try {
    res = await Taro.request({
      url: `${API_BASE}/api/v1${path}`,
      method,
      // Serialised here so every platform sends the same bytes.
      data: body === undefined ? undefined : JSON.stringify(body),
      header: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      dataType: 'json',
      timeout: TIMEOUT_MS,
    });
  } catch (err) {
    const failed = responseOfFailure(err);
    if (!failed) throw new ApiError(0, 'NETWORK_ERROR', '网络连接失败，请检查网络后重试');
    res = failed;
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return parse(res.data) as T;
  throw toApiError(res.statusCode, parse(res.data));
}

/** Alipay fails the call on HTTP error statuses yet still hands over status and body. */
function responseOfFailure(err: unknown): RawResponse | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { statusCode?: unknown; status?: unknown; data?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : e.status;
  return typeof status === 'number' && status > 0 ? { statusCode: status, data: e.data } : null;
}

function parse(data: unknown): unknown {
  if (typeof data !== 'string' || data === '') return data;
  try {
    return JSON.parse(data);
  } catch {
    return data;
  }
}

function toApiError(status: number, data: unknown): ApiError {
  const error = (data as { error?: { code?: unknown; message?: unknown; fields?: unknown } } | null)?.error;
  if (error && typeof error.code === 'string') {
    const message = typeof error.message === 'string' ? error.message : '请求未成功，请稍后重试';
    const fields = Array.isArray(error.fields) ? (error.fields as FieldError[]) : [];
    return new ApiError(status, error.code, message, fields);
  }
  return new ApiError(status, `HTTP_${status}`, '服务暂时不可用，请稍后重试');
}
