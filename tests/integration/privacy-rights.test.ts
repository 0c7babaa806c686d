/** PIPL rights and retention: account cancellation (注销), withdrawal of the identity consent, and erasure of closed cases. */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { ID_CONSENT_VERSION } from '../../shared/api/identity';
import { RETENTION_CLOSED_CASE_DAYS, UNFILED_UPLOAD_KEEP_DAYS } from '../../shared/privacy/retention';
import { seedBureaus } from '../../bff/src/modules/regions/regions.service';
import { eraseUnfiled, verifyChain } from '../../bff/src/modules/evidence/evidence.service';
import { eraseExpired, startRetentionJob } from '../../bff/src/jobs/retention';
import { ERASED_TEXT } from '../../bff/src/modules/privacy/erasure';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { complaintBody, fictitiousPerson } from '../support/consumers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await seedBureaus(h.deps);
});
afterAll(() => h.close());

const db = () => h.deps.conn.db!;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PHONE = '13600136000';
const CONTACT = { phone: '13912340000', address: '北京市海淀区中关村大街99号' };
const DESCRIPTION = '买到的电视机屏幕有坏点，商家拒绝退货，客服态度很差。';

type Session = { accessToken: string; refreshToken: string; user: { id: string } };
let serial = 0;
const newUser = (platform: 'wechat' | 'alipay' = 'wechat'): Promise<Session> =>
  loginAs(h, platform, platform === 'wechat' ? `wx-pipl-${++serial}` : `2088${String(800_000 + ++serial).padStart(12, '0')}`);

async function verifyAs(s: Session, person = fictitiousPerson('苏个人')) {
  await h.http('POST', '/api/v1/sandbox/identity/people', { body: person });
  const res = await h.http('POST', '/api/v1/identity/verify', { token: s.accessToken, body: { ...person, consent: true, consentVersion: ID_CONSENT_VERSION } });
  expect(res.status).toBe(200);
  return person;
}

async function upload(token: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PNG)], { type: 'image/png' }), 'photo.png');
  const res = await fetch(`${h.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return ((await res.json()) as { fileId: string }).fileId;
}

async function fileCase(token: string, evidenceIds: string[] = []): Promise<string> {
  const res = await h.http('POST', '/api/v1/complaints', {
    token,
    body: complaintBody({ fileAnyway: true, consumer: CONTACT, description: DESCRIPTION, evidenceIds }),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(res.status).toBe(201);
  return res.body.number as string;
}

const withdraw = async (token: string, number: string) =>
  expect((await h.http('POST', `/api/v1/complaints/${number}/withdraw`, { token, body: { reason: '已与商家和解，联系人苏个人' } })).status).toBe(200);

const rawCase = (number: string) => db().collection('cases').findOne({ number });
const blobOf = async (fileId: string) => (await db().collection('evidences').findOne({ _id: new mongoose.Types.ObjectId(fileId) }))?.blobId as string;
const gridFiles = (blobId: string) => db().collection('evidence.files').countDocuments({ _id: new mongoose.Types.ObjectId(blobId) });
const gridChunks = (blobId: string) => db().collection('evidence.chunks').countDocuments({ files_id: new mongoose.Types.ObjectId(blobId) });
const counters = () => db().collection('insight_counters').find().sort({ _id: 1 }).toArray();

/** Moves a case's last change back, as if it had been closed that many days ago. */
const age = (number: string, days: number) =>
  db().collection('cases').updateOne({ number }, { $set: { updatedAt: new Date(Date.now() - days * 86_400_000) } });

function expectErased(doc: Record<string, any> | null) {
  expect(doc).not.toBeNull();
  expect(doc!.erasedAt).toBeInstanceOf(Date);
  expect(doc!.complainant).toBeUndefined();
  expect(doc!.description).toBe(ERASED_TEXT);
  expect(doc!.evidence).toEqual([]);
  const dump = JSON.stringify(doc);
  for (const secret of [CONTACT.phone, CONTACT.address, DESCRIPTION, '苏个人', 'v1.']) expect(dump).not.toContain(secret);
}

describe('account cancellation (注销)', () => {
  it('is refused while a case is open, naming the case, and changes nothing', async () => {
    const s = await newUser();
    await verifyAs(s);
    const number = await fileCase(s.accessToken);

    const res = await h.http('POST', '/api/v1/account/cancel', { token: s.accessToken, body: { confirm: true } });

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ACCOUNT_HAS_OPEN_CASES');
    expect(res.body.error.message).toBe(`您还有未办结的投诉或举报：${number}（投诉，待受理）。请先撤回投诉或等待办结后再注销账号。`);
    expect(res.body.error.openCases).toEqual([{ number, status: 'submitted', statusLabel: '待受理' }]);
    expect((await h.http('GET', '/api/v1/me', { token: s.accessToken })).body.user.verified).toBe(true);
    expect((await rawCase(number))!.complainant.nameSealed).toMatch(/^v2\./);
  });

  it('needs an explicit confirmation', async () => {
    const s = await newUser();
    const res = await h.http('POST', '/api/v1/account/cancel', { token: s.accessToken, body: { confirm: false } });
    expect(res.status).toBe(400);
    expect(await db().collection('users').countDocuments({ _id: new mongoose.Types.ObjectId(s.user.id) })).toBe(1);
  });

  it('removes the account’s personal data: user, identity, phone, drafts, grants, evidence, sessions, and the closed cases’ personal fields', async () => {
    const openid = `wx-pipl-cancel-${++serial}`;
    const s = (await loginAs(h, 'wechat', openid)) as Session;
    await verifyAs(s);
    const phoneCode = (await h.http('POST', '/api/v1/sandbox/phone', { token: s.accessToken, body: { phone: PHONE } })).body.code;
    expect((await h.http('POST', '/api/v1/identity/phone', { token: s.accessToken, body: { platform: 'wechat', code: phoneCode } })).status).toBe(200);
    const filed = await upload(s.accessToken);
    const loose = await upload(s.accessToken);
    const [filedBlob, looseBlob] = [await blobOf(filed), await blobOf(loose)];
    const number = await fileCase(s.accessToken, [filed]);
    await withdraw(s.accessToken, number);
    expect((await h.http('POST', '/api/v1/drafts/report', { token: s.accessToken, body: { data: { step: 1 } } })).status).toBe(200);
    await h.deps.models.Grant.create({ userId: s.user.id, platform: 'wechat', templateId: 'tpl-accept', count: 2 });
    const identityId = (await db().collection('users').findOne({ platformUserId: openid }))!.identityId;
    const countersBefore = await counters();

    const res = await h.http('POST', '/api/v1/account/cancel', { token: s.accessToken, body: { confirm: true } });

    expect(res.status).toBe(204);
    expect(await db().collection('users').findOne({ platformUserId: openid })).toBeNull();
    expect(await db().collection('users').countDocuments({ _id: new mongoose.Types.ObjectId(s.user.id) })).toBe(0);
    expect(await db().collection('identities').countDocuments({ _id: identityId })).toBe(0);
    expect(await db().collection('drafts').countDocuments({ userId: s.user.id })).toBe(0);
    expect(await db().collection('grants').countDocuments({ userId: s.user.id })).toBe(0);
    expect(await db().collection('evidences').countDocuments({ chain: `u:${s.user.id}` })).toBe(0);
    for (const blob of [filedBlob, looseBlob]) {
      expect(await gridFiles(blob)).toBe(0);
      expect(await gridChunks(blob)).toBe(0);
    }
    expectErased(await rawCase(number));
    expect(await counters()).toEqual(countersBefore);
    expect((await h.http('GET', '/api/v1/me', { token: s.accessToken })).status).toBe(401);
    expect((await h.http('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
    // Signing in again with the same platform id starts a new, empty account.
    const again = await loginAs(h, 'wechat', openid);
    expect(again.user.id).not.toBe(s.user.id);
    expect((await h.http('GET', '/api/v1/complaints', { token: again.accessToken })).body.items).toEqual([]);
    expect((await h.http('GET', '/api/v1/me', { token: again.accessToken })).body.profile).toMatchObject({ identity: null, phone: null });
  });

  it('of one linked account keeps the other: it sees the cancellation and no longer the cancelled account’s cases', async () => {
    const person = fictitiousPerson('何两端');
    const wx = await newUser('wechat');
    const ali = await newUser('alipay');
    await verifyAs(wx, person);
    await verifyAs(ali, person);
    const code = (await h.http('POST', '/api/v1/identity/link-code', { token: wx.accessToken })).body.code;
    expect((await h.http('POST', '/api/v1/identity/links', { token: ali.accessToken, body: { method: 'code', code } })).status).toBe(200);
    const wxCase = await fileCase(wx.accessToken);
    await withdraw(wx.accessToken, wxCase);

    expect((await h.http('POST', '/api/v1/account/cancel', { token: wx.accessToken, body: { confirm: true } })).status).toBe(204);

    const profile = (await h.http('GET', '/api/v1/me', { token: ali.accessToken })).body.profile;
    expect(profile.identity).not.toBeNull();
    expect(profile.linkedPlatforms).toEqual(['alipay']);
    expect(profile.accountEvents[0]).toMatchObject({ action: 'cancelled', platform: 'wechat' });
    expect((await h.http('GET', '/api/v1/complaints', { token: ali.accessToken })).body.items).toEqual([]);
    const identity = await db().collection('identities').findOne({ 'accounts.userId': ali.user.id });
    expect(identity!.accounts.map((a: { userId: string }) => a.userId)).toEqual([ali.user.id]);
    expect(identity!.linkedUserIds).toEqual([]);
  });
});

describe('withdrawing the identity consent (撤回身份信息授权)', () => {
  it('erases the sealed name and ID number, the account becomes unverified, filing needs verification again; filed cases keep their snapshot', async () => {
    const s = await newUser();
    const person = await verifyAs(s);
    const number = await fileCase(s.accessToken);
    const identityId = (await db().collection('users').findOne({ _id: new mongoose.Types.ObjectId(s.user.id) }))!.identityId;

    const res = await h.http('POST', '/api/v1/identity/consent/withdraw', { token: s.accessToken, body: { confirm: true } });

    expect(res.status).toBe(204);
    expect(await db().collection('identities').countDocuments({ _id: identityId })).toBe(0);
    const user = await db().collection('users').findOne({ _id: new mongoose.Types.ObjectId(s.user.id) });
    expect(user).toMatchObject({ verified: false });
    expect(user!.identityId).toBeUndefined();
    const me = (await h.http('GET', '/api/v1/me', { token: s.accessToken })).body;
    expect(me.user.verified).toBe(false);
    expect(me.profile).toMatchObject({ identity: null, idConsent: null });
    const refused = await h.http('POST', '/api/v1/complaints', { token: s.accessToken, body: complaintBody({ fileAnyway: true }), headers: { 'Idempotency-Key': randomUUID() } });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('IDENTITY_REQUIRED');
    // The case file keeps what Order 20 Art 9 requires until its retention ends.
    expect((await rawCase(number))!.complainant.nameSealed).toMatch(/^v2\./);
    expect((await h.http('POST', '/api/v1/identity/verify', { token: s.accessToken, body: { ...person, consent: true, consentVersion: ID_CONSENT_VERSION } })).status).toBe(200);
  });

  it('an unverified account has nothing to withdraw (409)', async () => {
    const s = await newUser();
    const res = await h.http('POST', '/api/v1/identity/consent/withdraw', { token: s.accessToken, body: { confirm: true } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOT_VERIFIED');
  });
});

describe('retention of closed cases', () => {
  it('erases a closed case past its period, and its evidence, while the dashboard counters stay the same; open and recent cases are untouched; a second run changes nothing', async () => {
    const s = await newUser();
    await verifyAs(s);
    const fileId = await upload(s.accessToken);
    const blob = await blobOf(fileId);
    const expired = await fileCase(s.accessToken, [fileId]);
    await withdraw(s.accessToken, expired);
    const recent = await fileCase(s.accessToken);
    await withdraw(s.accessToken, recent);
    const open = await fileCase(s.accessToken);
    // A message sent about the case names its recipient by their platform id.
    const delivery = { key: `${expired}-v1-withdrawn`, event: 'withdrawn', platform: 'wechat', templateId: 'tpl', touser: 'wx-openid-of-the-complainant', userId: s.user.id, page: 'pages/case/index', data: {}, status: 'sent', createdAt: new Date() };
    await db().collection('cases').updateOne({ number: expired }, { $set: { [`deliveries.${delivery.key}`]: delivery } });
    await age(expired, RETENTION_CLOSED_CASE_DAYS + 1);
    await age(recent, RETENTION_CLOSED_CASE_DAYS - 1);
    await age(open, RETENTION_CLOSED_CASE_DAYS + 100);
    const [openBefore, recentBefore, countersBefore] = [await rawCase(open), await rawCase(recent), await counters()];
    expect(countersBefore.length).toBeGreaterThan(0);
    expect(await gridFiles(blob)).toBe(1);

    const first = await eraseExpired(h.deps);

    expect(first).toEqual({ erased: 1, evidence: 1, skipped: 0 });
    expectErased(await rawCase(expired));
    expect((await rawCase(expired))!.deliveries[delivery.key]).toMatchObject({ status: 'sent', touser: 'erased' });
    expect(JSON.stringify(await rawCase(expired))).not.toContain(delivery.touser);
    expect(await gridFiles(blob)).toBe(0);
    expect(await gridChunks(blob)).toBe(0);
    const record = await db().collection('evidences').findOne({ _id: new mongoose.Types.ObjectId(fileId) });
    expect(record).toMatchObject({ erasedAt: expect.any(Date) });
    expect(record!.blobId).toBeUndefined();
    expect(await verifyChain(h.deps, s.user.id)).toMatchObject({ intact: true });
    expect(await counters()).toEqual(countersBefore);
    expect(await rawCase(open)).toEqual(openBefore);
    expect(await rawCase(recent)).toEqual(recentBefore);
    // The consumer still sees the case, without the erased content.
    const detail = (await h.http('GET', `/api/v1/complaints/${expired}`, { token: s.accessToken })).body;
    expect(detail.description).toBe(ERASED_TEXT);
    expect(detail.complainant).toBeUndefined();

    const erasedDoc = await rawCase(expired);
    const second = await eraseExpired(h.deps);

    expect(second).toEqual({ erased: 0, evidence: 0, skipped: 0 });
    expect(await rawCase(expired)).toEqual(erasedDoc);
    expect(await counters()).toEqual(countersBefore);
  });

  it('erases uploads no case cites once their hold ends; a file a case cites, or one a draft saved since lists, stays', async () => {
    const s = await newUser();
    await verifyAs(s);
    const [abandoned, drafted, filed] = [await upload(s.accessToken), await upload(s.accessToken), await upload(s.accessToken)];
    const blobs = { abandoned: await blobOf(abandoned), drafted: await blobOf(drafted), filed: await blobOf(filed) };
    const held = async (id: string) => (await db().collection('evidences').findOne({ _id: new mongoose.Types.ObjectId(id) }))?.heldUntil as Date | undefined;
    // A fresh upload is held for the draft period.
    expect((await held(abandoned))!.getTime()).toBeGreaterThan(Date.now() + (UNFILED_UPLOAD_KEEP_DAYS - 1) * 86_400_000);
    await fileCase(s.accessToken, [filed]);
    // All three uploaded long ago: their holds have ended.
    const past = new Date(Date.now() - 86_400_000);
    await db().collection('evidences').updateMany({ _id: { $in: [abandoned, drafted, filed].map((id) => new mongoose.Types.ObjectId(id)) } }, { $set: { heldUntil: past } });
    // The person comes back to a draft that lists one of them: it is kept as long as the draft.
    const saved = await h.http('POST', '/api/v1/drafts/complaint', {
      token: s.accessToken,
      body: { data: { description: '还没写完', evidence: [{ fileId: drafted, kind: 'image' }] } },
    });
    expect(saved.status).toBe(200);
    expect((await held(drafted))!.getTime()).toBeGreaterThan(Date.now());

    const run = await eraseUnfiled(h.deps);

    expect(run).toEqual({ erased: 1, released: 1 });
    expect(await gridFiles(blobs.abandoned)).toBe(0);
    expect(await db().collection('evidences').findOne({ _id: new mongoose.Types.ObjectId(abandoned) })).toMatchObject({ erasedAt: expect.any(Date) });
    expect(await gridFiles(blobs.drafted)).toBe(1);
    expect(await gridFiles(blobs.filed)).toBe(1);
    // The cited file is left to its case's retention; nothing is held any more but the draft's.
    expect(await held(filed)).toBeUndefined();
    expect(await verifyChain(h.deps, s.user.id)).toMatchObject({ intact: true });
    expect(await eraseUnfiled(h.deps)).toEqual({ erased: 0, released: 0 });
  });

  it('the worker job runs once per period across processes and logs counts only', async () => {
    const s = await newUser();
    await verifyAs(s);
    const numbers = [await fileCase(s.accessToken), await fileCase(s.accessToken)];
    for (const n of numbers) {
      await withdraw(s.accessToken, n);
      await age(n, RETENTION_CLOSED_CASE_DAYS + 30);
    }
    const logsBefore = h.logs.length;

    const jobs = [startRetentionJob(h.deps, 60_000), startRetentionJob(h.deps, 60_000)];
    await new Promise((resolve) => setTimeout(resolve, 500));
    await Promise.all(jobs.map((j) => j.close()));

    const runs = h.logs.slice(logsBefore).filter((l) => l.includes('retention run')).map((l) => JSON.parse(l));
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ erased: 2, skipped: 0, retentionDays: RETENTION_CLOSED_CASE_DAYS });
    for (const n of numbers) expectErased(await rawCase(n));
    const lines = h.logs.slice(logsBefore).filter((l) => l.includes('retention')).join('');
    for (const secret of [CONTACT.phone, CONTACT.address, DESCRIPTION, s.user.id, ...numbers]) expect(lines).not.toContain(secret);
  });
});
