/** Drafts save as the user types and resume on another device or platform of the same account. */
import { randomUUID } from 'node:crypto';
import { seed } from '../../bff/src/seed';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { complaintBody, verifiedConsumer } from '../support/consumers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: 'staff-password-1' });
});
afterAll(() => h.close());

const save = (token: string, body: unknown, kind = 'complaint') => h.http('POST', `/api/v1/drafts/${kind}`, { token, body });

describe('drafts', () => {
  it('saves a half-filled form and resumes it after signing in again elsewhere', async () => {
    const first = await loginAs(h, 'wechat', 'wx-draft-user');
    const saved = await save(first.accessToken, { data: { step: 1, respondent: { name: '某某' }, description: '还没写' } });
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ kind: 'complaint', version: 1, data: { step: 1, respondent: { name: '某某' } } });

    // Another device: a new session of the same account.
    const second = await loginAs(h, 'wechat', 'wx-draft-user');
    const resumed = await h.http('GET', '/api/v1/drafts/complaint', { token: second.accessToken });
    expect(resumed.body.data).toEqual({ step: 1, respondent: { name: '某某' }, description: '还没写' });
  });

  it('keeps the consumer’s phone and address sealed at rest', async () => {
    const user = await loginAs(h, 'wechat', 'wx-draft-sealed');
    await save(user.accessToken, { data: { consumer: { phone: '13911112222', address: '北京市西城区金融街9号' } } });
    const raw = await h.deps.conn.db!.collection('drafts').findOne({ userId: user.user.id });
    expect(raw).not.toBeNull();
    expect(JSON.stringify(raw)).not.toContain('13911112222');
    expect(JSON.stringify(raw)).not.toContain('金融街');
    expect(h.logs.join('')).not.toContain('13911112222');
  });

  it('answers 404 when there is no draft, and keeps drafts per person', async () => {
    const a = await loginAs(h, 'alipay', '2088000000000301');
    await save(a.accessToken, { data: { description: 'A 的草稿' } });
    const b = await loginAs(h, 'alipay', '2088000000000302');
    const res = await h.http('GET', '/api/v1/drafts/complaint', { token: b.accessToken });
    expect(res.status).toBe(404);
  });

  it('a save from a stale copy answers 409 DRAFT_STALE and changes nothing', async () => {
    const s = await loginAs(h, 'alipay', '2088000000000303');
    const v1 = await save(s.accessToken, { data: { description: '第一版' }, baseVersion: 0 });
    expect(v1.body.version).toBe(1);
    const v2 = await save(s.accessToken, { data: { description: '第二版' }, baseVersion: 1 });
    expect(v2.body.version).toBe(2);
    const stale = await save(s.accessToken, { data: { description: '旧设备' }, baseVersion: 1 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('DRAFT_STALE');
    expect((await save(s.accessToken, { data: { description: '又一台新设备' }, baseVersion: 0 })).status).toBe(409);
    expect((await h.http('GET', '/api/v1/drafts/complaint', { token: s.accessToken })).body.data.description).toBe('第二版');
  });

  it('deletes a draft, and filing the complaint removes it', async () => {
    const s = await verifiedConsumer(h, 'alipay', '2088000000000304');
    await save(s.accessToken, { data: { description: '要删除的' } });
    expect((await h.http('DELETE', '/api/v1/drafts/complaint', { token: s.accessToken })).status).toBe(204);
    expect((await h.http('GET', '/api/v1/drafts/complaint', { token: s.accessToken })).status).toBe(404);

    await save(s.accessToken, { data: { description: '即将提交' } });
    const filed = await h.http('POST', '/api/v1/complaints', { token: s.accessToken, body: complaintBody(), headers: { 'Idempotency-Key': randomUUID() } });
    expect(filed.status).toBe(201);
    expect((await h.http('GET', '/api/v1/drafts/complaint', { token: s.accessToken })).status).toBe(404);
  });

  it.each([
    ['an operator object', { data: { respondent: { name: { $gt: '' } } } }],
    ['an unknown field', { data: { secret: 1 } }],
    ['a field over its length', { data: { description: '问'.repeat(2001) } }],
    ['a $-key inside data', { data: { $where: '1' } }],
  ])('refuses %s with 400', async (_name, body) => {
    const s = await loginAs(h, 'alipay', '2088000000000305');
    const res = await save(s.accessToken, body);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect((await h.http('GET', '/api/v1/drafts/complaint', { token: s.accessToken })).status).toBe(404);
  });

  it('refuses an unknown draft kind and a 2 MB body', async () => {
    const s = await loginAs(h, 'alipay', '2088000000000306');
    expect((await save(s.accessToken, { data: {} }, 'letter')).status).toBe(400);
    const big = await h.http('POST', '/api/v1/drafts/complaint', { token: s.accessToken, raw: JSON.stringify({ data: { description: 'x'.repeat(2 * 1024 * 1024) } }) });
    expect(big.status).toBe(413);
  });
});
