import { randomUUID } from 'node:crypto';
import { isValidCaseNumber } from '../../shared/complaint/case-number';
import { seed } from '../../bff/src/seed';
import { startPushWorker } from '../../bff/src/jobs/push';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { complaintBody, verifiedConsumer } from '../support/consumers';

const STAFF_PASSWORD = 'staff-password-1';
// fileAnyway: these tests file many complaints against one business on purpose.
const complaint = complaintBody({ fileAnyway: true });

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
});
afterAll(() => h.close());

async function file(token: string, body: unknown = complaint, key = randomUUID()) {
  return h.http('POST', '/api/v1/complaints', { token, body, headers: { 'Idempotency-Key': key } });
}

async function staffLogin() {
  const res = await h.http('POST', '/api/v1/admin/login', { body: { username: 'demo', password: STAFF_PASSWORD } });
  expect(res.status).toBe(200);
  const cookie = res.headers.get('set-cookie')!.split(';')[0];
  return { cookie, csrf: res.body.csrfToken as string };
}

describe('health and contract', () => {
  it('answers /healthz and /readyz with the database and Redis checked', async () => {
    expect((await h.http('GET', '/healthz')).body).toEqual({ status: 'ok' });
    const ready = await h.http('GET', '/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body.checks).toEqual({ database: 'ok', redis: 'ok' });
  });

  it('serves an OpenAPI document generated from the shared schemas', async () => {
    const doc = await h.http('GET', '/api/v1/openapi.json');
    expect(doc.body.openapi).toBe('3.1.0');
    const post = doc.body.paths['/api/v1/complaints'].post;
    const schema = post.requestBody.content['application/json'].schema;
    expect(schema.properties.description.minLength).toBe(20);
    expect(doc.body.paths['/api/v1/admin/cases/{number}/transitions']).toBeDefined();
  });

  it('answers unknown routes with a JSON 404', async () => {
    const res = await h.http('GET', '/api/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('NOT_FOUND');
  });
});

describe('consumer sign-in', () => {
  it('signs a WeChat user in with a code from the stand-in and returns a JWT', async () => {
    const session = await loginAs(h, 'wechat', 'wx-user-login');
    expect(session.accessToken.split('.')).toHaveLength(3);
    const me = await h.http('GET', '/api/v1/me', { token: session.accessToken });
    expect(me.body.user).toMatchObject({ platform: 'wechat', verified: false });
  });

  it('signs an Alipay user in through the signed gateway', async () => {
    const session = await loginAs(h, 'alipay', '2088000000000001');
    const me = await h.http('GET', '/api/v1/me', { token: session.accessToken });
    expect(me.body.user.platform).toBe('alipay');
  });

  it('the same WeChat identity signs in as the same user', async () => {
    const a = await loginAs(h, 'wechat', 'wx-user-same');
    const b = await loginAs(h, 'wechat', 'wx-user-same');
    expect(a.user.id).toBe(b.user.id);
  });

  it('when the code was already used, login answers 401 LOGIN_CODE_INVALID', async () => {
    const { body } = await h.http('POST', '/api/v1/sandbox/wechat/code', { body: { openid: 'wx-user-reuse' } });
    expect((await h.http('POST', '/api/v1/auth/login', { body: { platform: 'wechat', code: body.code } })).status).toBe(200);
    const again = await h.http('POST', '/api/v1/auth/login', { body: { platform: 'wechat', code: body.code } });
    expect(again.status).toBe(401);
    expect(again.body.error.code).toBe('LOGIN_CODE_INVALID');
  });

  it('refuses a request without a token with 401 AUTH_REQUIRED', async () => {
    const res = await h.http('GET', '/api/v1/complaints');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('AUTH_REQUIRED');
  });

  it('rotates a refresh token and refuses the old one', async () => {
    const s = await loginAs(h, 'wechat', 'wx-user-refresh');
    const next = await h.http('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } });
    expect(next.status).toBe(200);
    expect(next.body.refreshToken).not.toBe(s.refreshToken);
    const reused = await h.http('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } });
    expect(reused.status).toBe(401);
    // Reuse of a rotated token revokes the whole family, the newest token included.
    const after = await h.http('POST', '/api/v1/auth/refresh', { body: { refreshToken: next.body.refreshToken } });
    expect(after.status).toBe(401);
  });
});

describe('filing a complaint', () => {
  let token: string;
  beforeAll(async () => {
    token = (await verifiedConsumer(h, 'wechat', 'wx-user-filer')).accessToken;
  });

  it('stores it with a case number that carries a check character and an acceptance deadline', async () => {
    const res = await file(token);
    expect(res.status).toBe(201);
    expect(isValidCaseNumber(res.body.number)).toBe(true);
    expect(res.body).toMatchObject({ status: 'submitted', statusLabel: '待受理', respondentName: complaint.respondent.name });
    expect(res.body.deadlines.acceptBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const list = await h.http('GET', '/api/v1/complaints', { token });
    expect(list.body.items.map((i: { number: string }) => i.number)).toContain(res.body.number);
  });

  it('returns the same case for a retry with the same Idempotency-Key', async () => {
    const key = randomUUID();
    const a = await file(token, complaint, key);
    const b = await file(token, complaint, key);
    expect(b.body.number).toBe(a.body.number);
  });

  it('creates exactly one case for concurrent submits with one key', async () => {
    const before = await h.deps.models.Case.countDocuments({});
    const key = randomUUID();
    const replies = await Promise.all(Array.from({ length: 10 }, () => file(token, complaint, key)));
    expect(new Set(replies.map((r) => r.body.number)).size).toBe(1);
    expect(replies.every((r) => r.status === 201)).toBe(true);
    expect(await h.deps.models.Case.countDocuments({})).toBe(before + 1);
  });

  it('refuses a submit without an Idempotency-Key', async () => {
    const res = await h.http('POST', '/api/v1/complaints', { token, body: complaint });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });

  it.each([
    ['a short description', { ...complaint, description: '太短了' }, 'description'],
    ['a missing respondent', { ...complaint, respondent: undefined }, 'respondent'],
    ['an unknown field', { ...complaint, extra: 1 }, ''],
    ['an operator object', { ...complaint, respondent: { ...complaint.respondent, name: { $gt: '' } } }, 'respondent.name'],
  ])('refuses %s with 400 VALIDATION_FAILED and stores nothing', async (_name, body, field) => {
    const before = await h.deps.models.Case.countDocuments({});
    const res = await file(token, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    if (field) expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
    expect(await h.deps.models.Case.countDocuments({})).toBe(before);
  });

  it('refuses a 2 MB body with 413 and malformed JSON with 400', async () => {
    const big = await h.http('POST', '/api/v1/complaints', {
      token,
      raw: JSON.stringify({ ...complaint, description: 'x'.repeat(2 * 1024 * 1024) }),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    const bad = await h.http('POST', '/api/v1/complaints', { token, raw: '{"respondent":', headers: { 'Idempotency-Key': randomUUID() } });
    expect(bad.status).toBe(400);
  });

  it("does not show one consumer's case to another", async () => {
    const mine = await file(token);
    const other = (await verifiedConsumer(h, 'alipay', '2088000000000099')).accessToken;
    const res = await h.http('GET', `/api/v1/complaints/${mine.body.number}`, { token: other });
    expect(res.status).toBe(404);
    expect((await h.http('GET', '/api/v1/complaints', { token: other })).body.items).toEqual([]);
  });

  it('refuses a mistyped case number before looking it up', async () => {
    const mine = await file(token);
    const n: string = mine.body.number;
    const typo = n.slice(0, -2) + (n.at(-2) === '9' ? '0' : String(Number(n.at(-2)) + 1)) + n.at(-1);
    const res = await h.http('GET', `/api/v1/complaints/${typo}`, { token });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CASE_NUMBER_INVALID');
  });
});

describe('staff accept a case and the consumer is told', () => {
  it('login -> queue -> accept -> outbox -> worker -> WeChat stand-in -> recorded as sent', async () => {
    const consumer = await verifiedConsumer(h, 'wechat', 'wx-user-notified');
    const templates = await h.http('GET', '/api/v1/subscriptions/templates?platform=wechat');
    const accepted = templates.body.templates.find((t: { event: string }) => t.event === 'accepted');
    const dialog = await h.http('POST', '/api/v1/sandbox/subscribe', { token: consumer.accessToken, body: { templateIds: [accepted.id] } });
    const grant = await h.http('POST', '/api/v1/subscriptions', {
      token: consumer.accessToken,
      body: { platform: 'wechat', results: dialog.body.results },
    });
    expect(grant.body.grants[accepted.id]).toBe(1);
    const filed = await file(consumer.accessToken);
    const number: string = filed.body.number;

    const { cookie, csrf } = await staffLogin();
    const queue = await h.http('GET', '/api/v1/admin/cases?status=submitted', { headers: { cookie } });
    const row = queue.body.items.find((i: { number: string }) => i.number === number);
    expect(row).toMatchObject({ status: 'submitted', overdue: false, version: 0 });
    expect(row.daysLeft).toBeGreaterThan(0);

    const detail = await h.http('GET', `/api/v1/admin/cases/${number}`, { headers: { cookie } });
    expect(detail.body.actions.map((a: { action: string }) => a.action)).toEqual(['accept', 'reject', 'transfer']);

    const noCsrf = await h.http('POST', `/api/v1/admin/cases/${number}/transitions`, { headers: { cookie }, body: { action: 'accept', version: 0 } });
    expect(noCsrf.status).toBe(403);
    expect(noCsrf.body.error.code).toBe('CSRF_FAILED');

    const accept = await h.http('POST', `/api/v1/admin/cases/${number}/transitions`, {
      headers: { cookie, 'x-csrf-token': csrf },
      body: { action: 'accept', version: 0 },
    });
    expect(accept.status).toBe(200);
    expect(accept.body).toMatchObject({ status: 'accepted', version: 1 });
    expect(accept.body.deadlines.mediationBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(accept.body.deliveries).toEqual([expect.objectContaining({ event: 'accepted', status: 'pending' })]);

    const stale = await h.http('POST', `/api/v1/admin/cases/${number}/transitions`, {
      headers: { cookie, 'x-csrf-token': csrf },
      body: { action: 'start_mediation', version: 0 },
    });
    expect(stale.status).toBe(409);

    const push = startPushWorker(h.deps);
    try {
      const delivered = await waitFor(async () => {
        const c = await h.http('GET', `/api/v1/admin/cases/${number}`, { headers: { cookie } });
        return c.body.deliveries[0]?.status === 'sent' ? c.body : undefined;
      });
      expect(delivered.deliveries[0]).toMatchObject({ event: 'accepted', platform: 'wechat', status: 'sent' });
    } finally {
      await push.close();
    }
    const messages = await h.http('GET', '/api/v1/sandbox/messages');
    const sent = messages.body.items.filter((m: { touser: string }) => m.touser === 'wx-user-notified');
    expect(sent).toHaveLength(1);
    expect(JSON.stringify(sent[0].data)).toContain(number);
    const timeline = await h.http('GET', `/api/v1/complaints/${number}`, { token: consumer.accessToken });
    expect(timeline.body.timeline.map((t: { to: string }) => t.to)).toEqual(['submitted', 'accepted']);
  });

  it('records a message as skipped when the consumer did not subscribe', async () => {
    const consumer = await verifiedConsumer(h, 'alipay', '2088000000000123');
    const number: string = (await file(consumer.accessToken)).body.number;
    const { cookie, csrf } = await staffLogin();
    await h.http('POST', `/api/v1/admin/cases/${number}/transitions`, { headers: { cookie, 'x-csrf-token': csrf }, body: { action: 'accept', version: 0 } });
    const push = startPushWorker(h.deps);
    try {
      const c = await waitFor(async () => {
        const d = await h.http('GET', `/api/v1/admin/cases/${number}`, { headers: { cookie } });
        return d.body.deliveries[0]?.status === 'skipped' ? d.body : undefined;
      });
      expect(c.deliveries[0].error).toBe('NOT_SUBSCRIBED');
    } finally {
      await push.close();
    }
  });

  it('refuses a wrong password with 401 LOGIN_FAILED', async () => {
    const res = await h.http('POST', '/api/v1/admin/login', { body: { username: 'demo', password: 'wrong-password' } });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('LOGIN_FAILED');
  });
});

async function waitFor<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}
