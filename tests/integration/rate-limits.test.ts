/**
 * Rate limits: every route family that spends money, CPU or storage answers 429 RATE_LIMITED with
 * Retry-After past its limit; uploads keep a byte quota settled before the body is read; and the
 * keys the app writes to Redis expire or stay bounded. Limits are set low here; each test uses
 * client addresses of its own (the app trusts X-Forwarded-For, as behind its proxy in production).
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { seed } from '../../bff/src/seed';
import { MAX_ANNOUNCED, announceOutbox } from '../../bff/src/modules/notify/announce';
import { ID_CONSENT_VERSION } from '../../shared/api/identity';
import { startHarness, type Harness, type Reply } from '../support/harness';
import { complaintBody, fictitiousPerson, reportBody } from '../support/consumers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    TRUST_PROXY: 'true',
    LIMIT_LOGIN_IP: '3/1m',
    LIMIT_LOGIN_CODE: '2/10m',
    LIMIT_REFRESH_IP: '3/1m',
    LIMIT_STAFF_LOGIN_IP: '3/15m',
    LIMIT_IDENTITY_IP: '2/1h',
    LIMIT_PHONE_USER: '2/1d',
    LIMIT_SUBMIT_USER: '2/1d',
    LIMIT_SUBMIT_IP: '3/1h',
    LIMIT_UPLOAD_USER: '3/1d',
    LIMIT_UPLOAD_BYTES_USER: '300000/1d',
    LIMIT_LOOKUP_IP: '5/1m',
  });
  await seed(h.deps, { staffPassword: 'staff-password-1' });
});
afterAll(() => h.close());

let addresses = 0;
/** A client address no other test uses. */
const address = () => {
  addresses += 1;
  return `10.20.${Math.floor(addresses / 250)}.${(addresses % 250) + 1}`;
};

function from(ip: string) {
  return <T = any>(method: string, path: string, opts: { body?: unknown; token?: string; headers?: Record<string, string> } = {}): Promise<Reply<T>> =>
    h.http<T>(method, `/api/v1${path}`, { ...opts, headers: { ...opts.headers, 'x-forwarded-for': ip } });
}

async function signIn(openid: string, ip = address()) {
  const call = from(ip);
  const { code } = (await call('POST', '/sandbox/wechat/code', { body: { openid } })).body;
  const res = await call('POST', '/auth/login', { body: { platform: 'wechat', code } });
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { accessToken: string; refreshToken: string; user: { id: string } };
}

async function verifiedSignIn(openid: string) {
  const ip = address();
  const session = await signIn(openid, ip);
  const person = fictitiousPerson();
  await from(ip)('POST', '/sandbox/identity/people', { body: person });
  const verified = await from(ip)('POST', '/identity/verify', { token: session.accessToken, body: { ...person, consent: true, consentVersion: ID_CONSENT_VERSION } });
  if (verified.status !== 200) throw new Error(`verify: ${verified.status} ${JSON.stringify(verified.body)}`);
  return session;
}

function expectLimited(res: Reply, windowS: number) {
  expect(res.status).toBe(429);
  expect(res.body.error).toEqual({ code: 'RATE_LIMITED', message: '操作过于频繁，请稍后再试' });
  const retry = Number(res.headers.get('retry-after'));
  expect(retry).toBeGreaterThanOrEqual(1);
  expect(retry).toBeLessThanOrEqual(windowS);
}

describe('consumer sign-in', () => {
  it('limits sign-ins per client address', async () => {
    const ip = address();
    for (let i = 0; i < 3; i++) await signIn(`wx-rl-ip-${i}`, ip);
    const { code } = (await from(ip)('POST', '/sandbox/wechat/code', { body: { openid: 'wx-rl-ip-last' } })).body;
    expectLimited(await from(ip)('POST', '/auth/login', { body: { platform: 'wechat', code } }), 60);
    // Another address is not affected.
    expect((await from(address())('POST', '/auth/login', { body: { platform: 'wechat', code } })).status).toBe(200);
  });

  it('limits attempts with one login code, whatever the address', async () => {
    const { code } = (await from(address())('POST', '/sandbox/wechat/code', { body: { openid: 'wx-rl-code' } })).body;
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await from(address())('POST', '/auth/login', { body: { platform: 'wechat', code } }));
    expect(replies.map((r) => r.status)).toEqual([200, 401, 429]);
    expectLimited(replies[2], 600);
  });

  it('limits refreshes per client address', async () => {
    const ip = address();
    let token = (await signIn('wx-rl-refresh')).refreshToken;
    for (let i = 0; i < 3; i++) {
      const res = await from(ip)('POST', '/auth/refresh', { body: { refreshToken: token } });
      expect(res.status).toBe(200);
      token = res.body.refreshToken;
    }
    expectLimited(await from(ip)('POST', '/auth/refresh', { body: { refreshToken: token } }), 60);
  });
});

describe('staff sign-in', () => {
  it('limits attempts per client address, right or wrong, before any password is checked', async () => {
    const ip = address();
    for (let i = 0; i < 3; i++) expect((await from(ip)('POST', '/admin/login', { body: { username: `nobody-${i}`, password: 'x' } })).status).toBe(401);
    expectLimited(await from(ip)('POST', '/admin/login', { body: { username: 'nobody-3', password: 'x' } }), 15 * 60);
  });
});

describe('identity checks', () => {
  it('limits real-name checks per client address, beside the per-user daily cap', async () => {
    const ip = address();
    const users = [await signIn('wx-rl-idv-1'), await signIn('wx-rl-idv-2'), await signIn('wx-rl-idv-3')];
    const replies = [];
    for (const u of users) {
      replies.push(await from(ip)('POST', '/identity/verify', { token: u.accessToken, body: { ...fictitiousPerson(), consent: true, consentVersion: ID_CONSENT_VERSION } }));
    }
    expect(replies.slice(0, 2).map((r) => r.status)).not.toContain(429);
    expectLimited(replies[2], 3600);
  });

  it('limits phone-number grants per user', async () => {
    const u = await signIn('wx-rl-phone');
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push(await from(address())('POST', '/identity/phone', { token: u.accessToken, body: { platform: 'wechat', code: `no-such-grant-${i}` } }));
    expect(replies.slice(0, 2).map((r) => r.status)).not.toContain(429);
    expectLimited(replies[2], 86_400);
  });
});

describe('submissions', () => {
  const file = (ip: string, token: string, path: '/complaints' | '/reports', name: string) =>
    from(ip)('POST', path, {
      token,
      headers: { 'idempotency-key': randomUUID() },
      body: path === '/complaints' ? complaintBody({ respondent: { name, address: '北京市朝阳区建国路88号', regionCode: '110105' } }) : reportBody(),
    });

  it('limits complaints and reports per user per day, each kind on its own', async () => {
    const u = await verifiedSignIn('wx-rl-submit');
    const complaints = [];
    for (let i = 0; i < 3; i++) complaints.push(await file(address(), u.accessToken, '/complaints', `限流测试商户${i}`));
    expect(complaints.slice(0, 2).map((r) => r.status)).toEqual([201, 201]);
    expectLimited(complaints[2], 86_400);

    const reports = [];
    for (let i = 0; i < 3; i++) reports.push(await file(address(), u.accessToken, '/reports', 'r'));
    expect(reports.slice(0, 2).map((r) => r.status)).toEqual([201, 201]);
    expectLimited(reports[2], 86_400);
  });

  it('limits submissions per client address over all users', async () => {
    const ip = address();
    const a = await verifiedSignIn('wx-rl-submit-a');
    const b = await verifiedSignIn('wx-rl-submit-b');
    expect((await file(ip, a.accessToken, '/complaints', '同址商户甲')).status).toBe(201);
    expect((await file(ip, a.accessToken, '/reports', 'r')).status).toBe(201);
    expect((await file(ip, b.accessToken, '/complaints', '同址商户乙')).status).toBe(201);
    expectLimited(await file(ip, b.accessToken, '/complaints', '同址商户丙'), 3600);
  });
});

describe('uploads', () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const png = (size: number) => Buffer.concat([PNG, Buffer.alloc(size - PNG.length, 7)]);

  async function upload(token: string, bytes: Buffer, ip = address()) {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'image/png' }), 'photo.png');
    const res = await fetch(`${h.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': ip }, body: form });
    return { status: res.status, body: (await res.json()) as any, headers: res.headers };
  }

  /** Sends the headers of an upload that claims `declared` bytes and only a few of them, and waits for the answer. */
  function unreadUpload(headers: Record<string, string>, declared: number): Promise<{ status: number; body: any; sent: number }> {
    return new Promise((resolve, reject) => {
      const url = new URL(`${h.url}/api/v1/uploads`);
      const req = http.request({
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: { ...headers, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(declared), 'x-forwarded-for': address() },
      });
      req.on('response', (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => {
          req.destroy();
          resolve({ status: res.statusCode!, body: JSON.parse(text), sent: 1024 });
        });
      });
      req.on('error', (err) => ((err as { code?: string }).code === 'ECONNRESET' ? undefined : reject(err)));
      // A first kilobyte, then nothing: the answer must come without the rest.
      req.write(Buffer.alloc(1024, 1));
    });
  }

  it('limits the number of uploads per user per day', async () => {
    const u = await signIn('wx-rl-upload-count');
    for (let i = 0; i < 3; i++) expect((await upload(u.accessToken, png(100 + i))).status).toBe(201);
    const res = await upload(u.accessToken, png(200));
    expectLimited(res, 86_400);
  });

  it('keeps a byte quota per user per day; a refused upload costs nothing', async () => {
    const u = await signIn('wx-rl-upload-bytes');
    expect((await upload(u.accessToken, png(200_000))).status).toBe(201);

    const over = await upload(u.accessToken, png(150_000));
    expectLimited(over, 86_400);

    expect((await upload(u.accessToken, png(90_000))).status).toBe(201);
  });

  it('refuses an upload over the remaining quota before reading its body', async () => {
    const u = await signIn('wx-rl-upload-unread');
    const res = await unreadUpload({ authorization: `Bearer ${u.accessToken}` }, 40 * 1024 * 1024);
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
  });

  it('refuses an upload without a sign-in before reading its body', async () => {
    const res = await unreadUpload({}, 40 * 1024 * 1024);
    expect(res.status).toBe(401);
  });

  it('refuses a declared body larger than any file may be before reading it', async () => {
    const u = await signIn('wx-rl-upload-huge');
    const res = await unreadUpload({ authorization: `Bearer ${u.accessToken}` }, 200 * 1024 * 1024);
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('EVIDENCE_TOO_LARGE');
  });
});

describe('public look-ups', () => {
  it('share one budget per client address', async () => {
    const ip = address();
    const paths = ['/regions', '/categories', '/bureaus?region=110105', '/regions?parent=11', '/jurisdiction?basis=place_of_business&regionCode=110105'];
    for (const p of paths) expect([p, (await from(ip)('GET', p)).status]).toEqual([p, 200]);
    expectLimited(await from(ip)('GET', '/regions'), 60);
    expect((await from(address())('GET', '/regions')).status).toBe(200);
  });
});

describe('what the app keeps in Redis', () => {
  it('the announcement list keeps at most MAX_ANNOUNCED entries, the newest', async () => {
    const key = h.deps.key('outbox', 'announced');
    await h.deps.redis.rPush(key, Array.from({ length: MAX_ANNOUNCED }, (_, i) => `old-${i}`));
    await announceOutbox(h.deps, 'newest');
    expect(await h.deps.redis.lLen(key)).toBe(MAX_ANNOUNCED);
    expect(await h.deps.redis.lIndex(key, -1)).toBe('newest');
    expect(await h.deps.redis.lIndex(key, 0)).toBe('old-1');
    await h.deps.redis.del(key);
  });

  it('after everything above, every key the app wrote expires', async () => {
    const keys = await h.deps.redis.keys(`${h.deps.config.redisPrefix}*`);
    expect(keys.length).toBeGreaterThan(20);
    const lasting = [];
    for (const key of keys) if ((await h.deps.redis.ttl(key)) < 0) lasting.push(key.slice(h.deps.config.redisPrefix.length));
    expect(lasting).toEqual([]);
  });
});
