/**
 * The mini program's session: a refused access token is renewed with the refresh token and the request
 * retried once; when the refresh token is refused too, a silent login starts over.
 */
type Reply = { statusCode: number; data: unknown };
type Handler = (url: string, data: Record<string, unknown>, headers: Record<string, string>) => Reply;

const storage = new Map<string, unknown>();
let handler: Handler;
const calls: string[] = [];

jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getStorageSync: (key: string) => storage.get(key) ?? '',
    setStorageSync: (key: string, value: unknown) => storage.set(key, value),
    request: async (opts: { url: string; data?: string; header: Record<string, string> }) => {
      const path = opts.url.replace(/^.*\/api\/v1/, '');
      calls.push(path);
      return handler(path, opts.data ? JSON.parse(opts.data) : {}, opts.header);
    },
  },
}));
jest.mock('../../miniprogram/platform/login', () => ({ getLoginCode: async () => ({ platform: 'wechat', code: 'fresh-code' }) }), { virtual: true });

(globalThis as { API_BASE?: string }).API_BASE = '';

const user = { id: 'u1', platform: 'wechat', verified: false };
const session = (n: number) => ({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 900, user });
const unauthorized = (code = 'TOKEN_EXPIRED'): Reply => ({ statusCode: 401, data: { error: { code, message: '登录已过期，请重新登录' } } });

function load() {
  let api!: typeof import('../../miniprogram/services/api');
  jest.isolateModules(() => {
    api = require('../../miniprogram/services/api');
  });
  return api;
}

beforeEach(() => {
  storage.clear();
  calls.length = 0;
  storage.set('session', session(1));
});

test('a 401 is answered by rotating the refresh token and retrying once with the new access token', async () => {
  handler = (path, data, headers) => {
    if (path === '/auth/refresh') return data.refreshToken === 'refresh-1' ? { statusCode: 200, data: session(2) } : unauthorized('REFRESH_INVALID');
    return headers.Authorization === 'Bearer access-2' ? { statusCode: 200, data: { ok: true } } : unauthorized();
  };

  await expect(load().request('/me')).resolves.toEqual({ ok: true });

  expect(calls).toEqual(['/me', '/auth/refresh', '/me']);
  expect((storage.get('session') as { refreshToken: string }).refreshToken).toBe('refresh-2');
});

test('when the refresh token is refused too, a silent login follows and the request is retried', async () => {
  handler = (path, _data, headers) => {
    if (path === '/auth/refresh') return unauthorized('REFRESH_INVALID');
    if (path === '/auth/login') return { statusCode: 200, data: session(3) };
    return headers.Authorization === 'Bearer access-3' ? { statusCode: 200, data: { ok: true } } : unauthorized('SESSION_REVOKED');
  };

  await expect(load().request('/me')).resolves.toEqual({ ok: true });

  expect(calls).toEqual(['/me', '/auth/refresh', '/auth/login', '/me']);
});

test('a request refused again after the renewal fails instead of looping', async () => {
  handler = (path) => (path === '/auth/refresh' ? { statusCode: 200, data: session(2) } : unauthorized());

  await expect(load().request('/me')).rejects.toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });

  expect(calls).toEqual(['/me', '/auth/refresh', '/me']);
});

test('requests refused with the same stale token share one refresh', async () => {
  handler = (path, _data, headers) => {
    if (path === '/auth/refresh') return { statusCode: 200, data: session(2) };
    return headers.Authorization === 'Bearer access-2' ? { statusCode: 200, data: { ok: true } } : unauthorized();
  };
  const api = load();

  await Promise.all([api.request('/a'), api.request('/b'), api.request('/c')]);

  expect(calls.filter((c) => c === '/auth/refresh')).toHaveLength(1);
});

test('other errors are not retried', async () => {
  handler = () => ({ statusCode: 503, data: { error: { code: 'IDENTITY_UNAVAILABLE', message: '身份核验服务暂时不可用，请稍后再试' } } });

  await expect(load().request('/identity/verify')).rejects.toMatchObject({ status: 503, code: 'IDENTITY_UNAVAILABLE' });

  expect(calls).toEqual(['/identity/verify']);
});
