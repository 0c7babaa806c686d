import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../config/bff';
import { createApp } from '../../bff/src/app';
import { closeDeps, createDeps, type Deps } from '../../bff/src/context';
import { createLogger } from '../../bff/src/logger';
import { startPushWorker } from '../../bff/src/jobs/push';
import { seed } from '../../bff/src/seed';
import { hashPassword } from '../../bff/src/modules/staff/staff.service';
import type { Delivery } from '../../bff/src/modules/complaints/complaint.model';
import { startHarness, type Harness } from '../support/harness';
import { complaintBody, verifiedConsumer } from '../support/consumers';
import { control } from '../support/helpers';

const STAFF_PASSWORD = 'staff-password-1';
// The same consumers file more than once against one business: they say they know.
const complaint = complaintBody({ fileAnyway: true });

let h: Harness;
let staff: { cookie: string; csrf: string };
const alipayBase = () => new URL(h.deps.config.alipay.gateway).origin;

beforeAll(async () => {
  h = await startHarness({ PUSH_BACKOFF_MS: '50', PUSH_MAX_ATTEMPTS: '6', PLATFORM_TIMEOUT_MS: '1000', OUTBOX_POLL_MS: '100' });
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  staff = await staffLogin('demo');
});
afterEach(async () => {
  await control(h.sandbox.urls.wechat, '/faults', { send: null });
  await control(alipayBase(), '/faults', {});
});
afterAll(() => h.close());

async function staffLogin(username: string) {
  const res = await h.http('POST', '/api/v1/admin/login', { body: { username, password: STAFF_PASSWORD } });
  expect(res.status).toBe(200);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: res.body.csrfToken as string };
}

async function consumer(platform: 'wechat' | 'alipay', id: string) {
  const s = await verifiedConsumer(h, platform, id);
  return { token: s.accessToken, userId: s.user.id, platform };
}

async function templateId(platform: 'wechat' | 'alipay', event: string): Promise<string> {
  const res = await h.http('GET', `/api/v1/subscriptions/templates?platform=${platform}`);
  return res.body.templates.find((t: { event: string }) => t.event === event).id;
}

/** The consumer taps 允许 in the vendor dialog and the mini program reports the answers. */
async function subscribe(c: { token: string; platform: 'wechat' | 'alipay' }, ids: string[]) {
  const dialog = await h.http('POST', '/api/v1/sandbox/subscribe', { token: c.token, body: { templateIds: ids } });
  expect(dialog.status).toBe(200);
  const res = await h.http('POST', '/api/v1/subscriptions', { token: c.token, body: { platform: c.platform, results: dialog.body.results } });
  expect(res.status).toBe(200);
  return res.body.grants as Record<string, number>;
}

async function fileAndAccept(token: string): Promise<string> {
  const filed = await h.http('POST', '/api/v1/complaints', { token, body: complaint, headers: { 'Idempotency-Key': randomUUID() } });
  expect(filed.status).toBe(201);
  const number: string = filed.body.number;
  const res = await h.http('POST', `/api/v1/admin/cases/${number}/transitions`, {
    headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf },
    body: { action: 'accept', version: 0 },
  });
  expect(res.status).toBe(200);
  return number;
}

async function entryOf(number: string): Promise<Delivery> {
  const doc = await h.deps.models.Case.findOne({ number }, { deliveries: 1 }).lean();
  return Object.values(doc!.deliveries as unknown as Record<string, Delivery>)[0];
}

async function settled(numbers: string[], timeoutMs = 30_000): Promise<Delivery[]> {
  return waitFor(async () => {
    const entries = await Promise.all(numbers.map(entryOf));
    return entries.every((e) => !['pending', 'queued', 'sending'].includes(e.status)) ? entries : undefined;
  }, timeoutMs);
}

async function grantCount(userId: string, platform: string, template: string): Promise<number> {
  return (await h.deps.models.Grant.findOne({ userId, platform, templateId: template }).lean())?.count ?? 0;
}

const wxStats = () => control(h.sandbox.urls.wechat, '/stats');

describe('consent', () => {
  it('counts accepted one-time grants per user, platform and template, and a refusal adds none', async () => {
    const wx = await consumer('wechat', 'wx-consent');
    const ali = await consumer('alipay', '2088000000000301');
    const wxAccepted = await templateId('wechat', 'accepted');
    const wxClosed = await templateId('wechat', 'closed');
    const aliAccepted = await templateId('alipay', 'accepted');

    expect(await subscribe(wx, [wxAccepted, wxClosed])).toEqual({ [wxAccepted]: 1, [wxClosed]: 1 });
    expect(await subscribe(wx, [wxAccepted])).toEqual({ [wxAccepted]: 2 });
    expect(await subscribe(ali, [aliAccepted])).toEqual({ [aliAccepted]: 1 });
    const refused = await h.http('POST', '/api/v1/subscriptions', { token: wx.token, body: { platform: 'wechat', results: { [wxAccepted]: 'reject', [wxClosed]: 'ban' } } });

    expect(refused.body.grants).toEqual({ [wxAccepted]: 2, [wxClosed]: 1 });
    expect(await grantCount(wx.userId, 'wechat', wxAccepted)).toBe(2);
    expect(await grantCount(ali.userId, 'alipay', aliAccepted)).toBe(1);
    expect(await grantCount(ali.userId, 'alipay', wxAccepted)).toBe(0);
  });

  it.each([
    ['a platform other than the one signed in on', { platform: 'alipay', results: { 'ali-tpl-accepted': 'accept' } }, 'PLATFORM_MISMATCH'],
    ['an unknown template among known ones', { platform: 'wechat', results: { 'wx-tpl-accepted': 'accept', 'wx-tpl-nothing': 'accept' } }, 'TEMPLATE_UNKNOWN'],
    ['more than three templates in one dialog', { platform: 'wechat', results: { 'wx-tpl-accepted': 'accept', 'wx-tpl-rejected': 'accept', 'wx-tpl-closed': 'accept', 'wx-tpl-resolved': 'accept' } }, 'VALIDATION_FAILED'],
    ['an answer the vendors never give', { platform: 'wechat', results: { 'wx-tpl-accepted': 'yes' } }, 'VALIDATION_FAILED'],
    ['an operator object', { platform: 'wechat', results: { $inc: 'accept' } }, 'VALIDATION_FAILED'],
  ])('refuses %s with 400 and records nothing', async (_name, body, code) => {
    const wx = await consumer('wechat', 'wx-consent-bad');

    const res = await h.http('POST', '/api/v1/subscriptions', { token: wx.token, body });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await h.deps.models.Grant.countDocuments({ userId: wx.userId })).toBe(0);
  });
});

describe('delivery', () => {
  let push: ReturnType<typeof startPushWorker>;
  beforeEach(() => {
    push = startPushWorker(h.deps);
  });
  afterEach(() => push.close());

  it('a grant is spent once: the first message is sent, the next for the same template is skipped and shown as not subscribed', async () => {
    const wx = await consumer('wechat', 'wx-once');
    const accepted = await templateId('wechat', 'accepted');
    await subscribe(wx, [accepted]);

    const first = await fileAndAccept(wx.token);
    const [e1] = await settled([first]);
    const second = await fileAndAccept(wx.token);
    const [e2] = await settled([second]);

    expect(e1).toMatchObject({ status: 'sent', attempts: 1, grantSpent: true });
    expect(e2).toMatchObject({ status: 'skipped', error: 'NOT_SUBSCRIBED' });
    expect(await grantCount(wx.userId, 'wechat', accepted)).toBe(0);
    expect((await wxStats()).deliveriesByKey[e1.key]).toBe(1);
    expect((await wxStats()).deliveriesByKey[e2.key]).toBeUndefined();

    const seen = await h.http('GET', `/api/v1/complaints/${first}`, { token: wx.token });
    expect(seen.body.timeline[0].notification).toBeUndefined();
    expect(seen.body.timeline[1]).toMatchObject({ to: 'accepted', notification: { status: 'sent', label: '已发送通知' } });
    const notSeen = await h.http('GET', `/api/v1/complaints/${second}`, { token: wx.token });
    expect(notSeen.body.timeline[1].notification).toEqual({ status: 'not_subscribed', label: '未订阅通知' });
  });

  it('retries after WeChat is busy spend no further grant and deliver once', async () => {
    const wx = await consumer('wechat', 'wx-busy');
    const accepted = await templateId('wechat', 'accepted');
    await subscribe(wx, [accepted]);
    await subscribe(wx, [accepted]);
    await control(h.sandbox.urls.wechat, '/faults', { send: { errcode: -1, count: 2, openid: 'wx-busy' } });

    const [e] = await settled([await fileAndAccept(wx.token)]);

    expect(e).toMatchObject({ status: 'sent', attempts: 3 });
    expect(e.error).toBeUndefined();
    expect(await grantCount(wx.userId, 'wechat', accepted)).toBe(1);
    expect((await wxStats()).grants['wx-busy'][accepted]).toBe(1);
    expect((await wxStats()).deliveriesByKey[e.key]).toBe(1);
  });

  it('a value WeChat refuses (47003) is recorded as rejected with its message, and the grant is given back', async () => {
    const wx = await consumer('wechat', 'wx-refused');
    const accepted = await templateId('wechat', 'accepted');
    await subscribe(wx, [accepted]);
    await control(h.sandbox.urls.wechat, '/faults', { send: { errcode: 47003, count: 1, openid: 'wx-refused' } });

    const number = await fileAndAccept(wx.token);
    const [e] = await settled([number]);

    expect(e).toMatchObject({ status: 'rejected', attempts: 1, error: expect.stringMatching(/^47003 argument invalid!/) });
    expect(await grantCount(wx.userId, 'wechat', accepted)).toBe(1);
    const seen = await h.http('GET', `/api/v1/complaints/${number}`, { token: wx.token });
    expect(seen.body.timeline[1].notification.status).toBe('failed');
  });

  it('the stand-in failing 10% of sends with -1 and timing out on 5% still delivers every message exactly once, on both platforms', async () => {
    const wxUsers = await Promise.all(Array.from({ length: 40 }, (_, i) => consumer('wechat', `wx-flaky-${i}`)));
    const aliUsers = await Promise.all(Array.from({ length: 15 }, (_, i) => consumer('alipay', `20880000000104${String(i).padStart(2, '0')}`)));
    const wxTpl = await templateId('wechat', 'accepted');
    const aliTpl = await templateId('alipay', 'accepted');
    for (const u of wxUsers) await subscribe(u, [wxTpl]);
    for (const u of aliUsers) await subscribe(u, [aliTpl]);
    const before = await wxStats();
    await control(h.sandbox.urls.wechat, '/faults', { send: { errcode: -1, failRate: 0.1, timeoutRate: 0.05, timeoutMs: 3000 } });
    await control(alipayBase(), '/faults', { send: { failRate: 0.1, timeoutRate: 0.05 } });

    const numbers = [];
    for (const u of [...wxUsers, ...aliUsers]) numbers.push(await fileAndAccept(u.token));
    const entries = await settled(numbers, 60_000);

    expect(entries.map((e) => e.status)).toEqual(numbers.map(() => 'sent'));
    const wxCounts = (await wxStats()).deliveriesByKey;
    const aliCounts = (await control(alipayBase(), '/stats')).deliveriesByKey;
    for (const e of entries) expect([e.key, (e.platform === 'wechat' ? wxCounts : aliCounts)[e.key]]).toEqual([e.key, 1]);
    // The faults did fire: more send calls reached WeChat than messages were delivered.
    expect((await wxStats()).sendCalls - before.sendCalls).toBeGreaterThan(wxUsers.length);
  });

  it('when WeChat refuses the cached token (40001), the worker refreshes it once and the message goes out', async () => {
    const wx = await consumer('wechat', 'wx-stale-token');
    await subscribe(wx, [await templateId('wechat', 'accepted')]);
    await h.deps.redis.set(h.deps.key('wx', 'access_token'), JSON.stringify({ token: `sbx_${'x'.repeat(64)}`, expiresAt: Date.now() + 3600_000 }));
    const before = (await wxStats()).tokenFetches;

    const [e] = await settled([await fileAndAccept(wx.token)]);

    expect(e.status).toBe('sent');
    expect((await wxStats()).tokenFetches - before).toBe(1);
  });
});

describe('dead letters', () => {
  const ids = () => ({ cookie: staff.cookie, 'x-csrf-token': staff.csrf });

  it('an entry that fails every attempt is dead, listed for staff in scope, and a resend delivers it', async () => {
    const wx = await consumer('wechat', 'wx-dead');
    await subscribe(wx, [await templateId('wechat', 'accepted')]);
    await control(h.sandbox.urls.wechat, '/faults', { send: { errcode: -1, openid: 'wx-dead' } });
    let push = startPushWorker(h.deps);
    const number = await fileAndAccept(wx.token);
    const [dead] = await settled([number]);
    await push.close();

    expect(dead).toMatchObject({ status: 'dead', attempts: 6, error: expect.stringContaining('errcode -1') });
    const list = await h.http('GET', '/api/v1/admin/deliveries?status=dead', { headers: { cookie: staff.cookie } });
    expect(list.status).toBe(200);
    expect(list.body.items).toContainEqual(expect.objectContaining({ key: dead.key, number, status: 'dead', attempts: 6, resends: 0, respondentName: complaint.respondent.name }));
    const seen = await h.http('GET', `/api/v1/complaints/${number}`, { token: wx.token });
    expect(seen.body.timeline[1].notification.status).toBe('failed');

    const other = await otherBureauStaff();
    const outside = await h.http('POST', `/api/v1/admin/deliveries/${dead.key}/resend`, { headers: { cookie: other.cookie, 'x-csrf-token': other.csrf } });
    expect(outside.status).toBe(404);
    expect((await h.http('GET', '/api/v1/admin/deliveries', { headers: { cookie: other.cookie } })).body.items).toEqual([]);
    const noCsrf = await h.http('POST', `/api/v1/admin/deliveries/${dead.key}/resend`, { headers: { cookie: staff.cookie } });
    expect(noCsrf.status).toBe(403);
    expect((await entryOf(number)).status).toBe('dead');

    await control(h.sandbox.urls.wechat, '/faults', { send: null });
    const resent = await h.http('POST', `/api/v1/admin/deliveries/${dead.key}/resend`, { headers: ids() });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ key: dead.key, status: 'pending' });
    push = startPushWorker(h.deps);
    try {
      const [done] = await settled([number]);
      expect(done).toMatchObject({ status: 'sent', resends: 1 });
    } finally {
      await push.close();
    }
    expect((await wxStats()).deliveriesByKey[dead.key]).toBe(1);
    const doc = await h.deps.models.Case.findOne({ number }).lean();
    expect(doc).toMatchObject({ outboxPending: 0, outboxDead: 0 });

    const again = await h.http('POST', `/api/v1/admin/deliveries/${dead.key}/resend`, { headers: ids() });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('DELIVERY_NOT_DEAD');

    // The resend that went through is in the audit log; the refused ones are not.
    const audited = await h.deps.models.AuditEntry.find({ action: 'delivery_resend' }).lean();
    expect(audited.map((a) => [a.caseNumber, a.target, a.staffId])).toEqual([[number, dead.key, expect.any(String)]]);
  });

  it.each([
    ['a key that is not an outbox key', 400, 'VALIDATION_FAILED', 'deliveries.x'],
    ['a key with an operator', 400, 'VALIDATION_FAILED', '$where'],
    ['a well-formed key of no case', 404, 'NOT_FOUND', 'TS202601010000017-v1-accepted'],
  ])('a resend of %s answers %i %s', async (_name, status, code, key) => {
    const res = await h.http('POST', `/api/v1/admin/deliveries/${encodeURIComponent(key)}/resend`, { headers: ids() });

    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });

  it('the dead-letter list needs a staff session', async () => {
    expect((await h.http('GET', '/api/v1/admin/deliveries')).status).toBe(401);
  });
});

describe('the shared access token', () => {
  it('two BFF instances and a worker, each with its own Redis connection, fetch one token between them', async () => {
    const config = loadConfig({
      NODE_ENV: 'test',
      MONGODB_URI: h.deps.config.mongodbUri,
      REDIS_URL: h.deps.config.redisUrl,
      REDIS_PREFIX: `${h.deps.config.redisPrefix}shared:`,
      WECHAT_API_BASE: h.deps.config.wechat.apiBase,
      ALIPAY_GATEWAY: h.deps.config.alipay.gateway,
      ALIPAY_PRIVATE_KEY: h.deps.config.alipay.privateKey,
      ALIPAY_PUBLIC_KEY: h.deps.config.alipay.alipayPublicKey,
      OUTBOX_POLL_MS: '100',
      LOG_LEVEL: 'silent',
    });
    const instances: Deps[] = await Promise.all([0, 1, 2].map(() => createDeps(config, createLogger({ level: 'silent' }))));
    const servers = instances.slice(0, 2).map((d) => createApp(d).listen(0, '127.0.0.1'));
    const worker = startPushWorker(instances[2]);
    try {
      const users = await Promise.all(Array.from({ length: 6 }, (_, i) => consumer('wechat', `wx-shared-${i}`)));
      const tpl = await templateId('wechat', 'accepted');
      for (const u of users) await subscribe(u, [tpl, tpl]);
      const before = (await wxStats()).tokenFetches;

      const numbers = await Promise.all(users.map((u) => fileAndAccept(u.token)));
      const direct = await Promise.all(
        users.map((u, i) =>
          instances[i % 2].platforms.wechat.sendSubscription({
            touser: `wx-shared-${i}`,
            templateId: tpl,
            page: 'pages/complaints/index',
            data: { thing2: '某某电器有限公司' },
            deliveryKey: `direct-${i}`,
          }),
        ),
      );
      const entries = await settled(numbers);

      expect(direct.map((d) => d.status)).toEqual(users.map(() => 'sent'));
      expect(entries.map((e) => e.status)).toEqual(users.map(() => 'sent'));
      expect((await wxStats()).tokenFetches - before).toBe(1);
    } finally {
      await worker.close();
      for (const s of servers) s.close();
      const keys = await h.deps.redis.keys(`${config.redisPrefix}*`);
      if (keys.length) await h.deps.redis.del(keys);
      await Promise.all(instances.map(closeDeps));
    }
  });
});

async function otherBureauStaff() {
  await h.deps.models.Staff.updateOne(
    { username: 'other-bureau' },
    {
      $setOnInsert: {
        username: 'other-bureau',
        passwordHash: await hashPassword(STAFF_PASSWORD),
        displayName: '外区承办人',
        role: 'handler',
        bureauCode: '310101',
        regionPrefix: '310101',
      },
    },
    { upsert: true },
  );
  return staffLogin('other-bureau');
}

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
