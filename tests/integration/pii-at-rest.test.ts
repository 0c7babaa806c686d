/** Personal data at rest: case text sealed and bound to its place, evidence bytes encrypted. */
import { createHash, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { seed } from '../../bff/src/seed';
import { startHarness, type Harness } from '../support/harness';
import { complaintBody, verifiedConsumer } from '../support/consumers';
import { signIn, type StaffClient } from '../support/handling';

const STAFF_PASSWORD = 'staff-password-1';

let h: Harness;
let owner: { accessToken: string; user: { id: string } };
let staff: StaffClient;
beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  owner = await verifiedConsumer(h, 'wechat', 'wx-pii-at-rest');
  staff = await signIn(h, 'demo', STAFF_PASSWORD);
});
afterAll(() => h.close());

const rawCase = (number: string) => h.deps.conn.db!.collection('cases').findOne({ number });

async function fileComplaint(overrides: Record<string, unknown> = {}) {
  const res = await h.http('POST', '/api/v1/complaints', {
    token: owner.accessToken,
    body: complaintBody({ fileAnyway: true, ...overrides }),
    headers: { 'Idempotency-Key': randomUUID() },
  });
  expect(res.status).toBe(201);
  return res.body.number as string;
}

describe('case text at rest', () => {
  const description = `2025年9月在该店购买空调，安装工人王某某（手机13600001111）弄坏了墙面，标记${randomUUID()}`;
  const demandText = `请赔偿墙面修复费用，联系人住址幸福里7号楼${randomUUID().slice(0, 8)}`;
  let number: string;

  beforeAll(async () => {
    number = await fileComplaint({ description, business: { ...complaintBody().business, demands: [{ type: 'compensation', text: demandText }] } });
  });

  it('the raw case document holds no plaintext description or demand text', async () => {
    const raw = JSON.stringify(await rawCase(number));
    expect(raw).not.toContain(description);
    expect(raw).not.toContain('13600001111');
    expect(raw).not.toContain(demandText);
    expect((await rawCase(number))!.description).toMatch(/^v2\./);
  });

  it('the owner still reads the description and the demand text', async () => {
    const detail = await h.http('GET', `/api/v1/complaints/${number}`, { token: owner.accessToken });
    expect(detail.status).toBe(200);
    expect(detail.body.description).toBe(description);
    expect(detail.body.business.demands).toEqual([{ type: 'compensation', text: demandText }]);
  });

  it('staff of the bureau still read the description', async () => {
    const view = await staff.get(`/admin/cases/${number}`);
    expect(view.status).toBe(200);
    expect(view.body.description).toBe(description);
    expect(view.body.intake.business.demands).toEqual([{ type: 'compensation', text: demandText }]);
  });

  it('a staff reason and a consumer withdrawal reason are sealed at rest and shown in the timeline', async () => {
    const own = await fileComplaint({ description: `${description}，另一件` });
    const reason = `已与投诉人李某电话沟通 ${randomUUID().slice(0, 8)}`;
    const current = await staff.get(`/admin/cases/${own}`);
    const accepted = await staff.post(`/admin/cases/${own}/transitions`, { version: current.body.version, action: 'accept', reason });
    expect(accepted.status).toBe(200);
    const withdrawReason = `已和商家私下和解，联系电话13700002222 ${randomUUID().slice(0, 8)}`;
    const withdrawn = await h.http('POST', `/api/v1/complaints/${own}/withdraw`, { token: owner.accessToken, body: { reason: withdrawReason } });
    expect(withdrawn.status).toBe(200);

    const raw = JSON.stringify(await rawCase(own));
    expect(raw).not.toContain(reason);
    expect(raw).not.toContain(withdrawReason);
    expect(raw).not.toContain('13700002222');
    const detail = await h.http('GET', `/api/v1/complaints/${own}`, { token: owner.accessToken });
    expect(detail.body.timeline.map((t: { note?: string }) => t.note)).toContain(withdrawReason);
    const view = await staff.get(`/admin/cases/${own}`);
    expect(view.body.timeline.map((t: { note?: string }) => t.note)).toEqual(expect.arrayContaining([reason, withdrawReason]));
  });
});

describe('a sealed value moved to another place', () => {
  it('a description copied from another case is refused with SEALED_VALUE_INVALID, never shown', async () => {
    const secret = `我的家庭住址是幸福里9号楼，标记${randomUUID()}`;
    const a = await fileComplaint({ description: secret });
    const b = await fileComplaint({ description: '购买的冰箱使用一周后压缩机异响，商家拒绝退换。' });
    await h.deps.conn.db!.collection('cases').updateOne({ number: b }, { $set: { description: (await rawCase(a))!.description } });

    const mine = await h.http('GET', `/api/v1/complaints/${b}`, { token: owner.accessToken });
    expect(mine.status).toBe(500);
    expect(mine.body.error.code).toBe('SEALED_VALUE_INVALID');
    expect(mine.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(JSON.stringify(mine.body)).not.toContain(secret);

    const view = await staff.get(`/admin/cases/${b}`);
    expect(view.status).toBe(500);
    expect(view.body.error.code).toBe('SEALED_VALUE_INVALID');
    expect(JSON.stringify(view.body)).not.toContain(secret);
    // The log names the place, never the value.
    expect(h.logs.join('')).not.toContain(secret);
  });

  it('a phone copied from another case is refused on reveal instead of showing the other person’s number', async () => {
    const a = await fileComplaint({ consumer: { phone: '13911112222', address: '北京市海淀区中关村大街1号' } });
    const b = await fileComplaint({ consumer: { phone: '13933334444', address: '北京市海淀区中关村大街2号' } });
    const phoneOfA = (await rawCase(a))!.complainant.phoneSealed;
    await h.deps.conn.db!.collection('cases').updateOne({ number: b }, { $set: { 'complainant.phoneSealed': phoneOfA } });

    const revealed = await staff.post(`/admin/cases/${b}/reveal`, { field: 'phone' });
    expect(revealed.status).toBe(500);
    expect(revealed.body.error.code).toBe('SEALED_VALUE_INVALID');
    expect(JSON.stringify(revealed.body)).not.toContain('13911112222');
    // Where it belongs it still opens.
    const own = await staff.post(`/admin/cases/${a}/reveal`, { field: 'phone' });
    expect(own.body).toEqual({ field: 'phone', value: '13911112222' });
  });

  it('the name sealed for one identity does not open as another identity’s name', async () => {
    const other = await verifiedConsumer(h, 'alipay', '2088000000000777');
    const identities = h.deps.conn.db!.collection('identities');
    const users = h.deps.conn.db!.collection('users');
    const mine = await users.findOne({ _id: new mongoose.Types.ObjectId(owner.user.id) });
    const theirs = await users.findOne({ _id: new mongoose.Types.ObjectId(other.user.id) });
    const donor = await identities.findOne({ _id: mine!.identityId });
    await identities.updateOne({ _id: theirs!.identityId }, { $set: { name: donor!.name } });
    const profile = await h.http('GET', '/api/v1/me', { token: other.accessToken });
    expect(profile.status).toBe(500);
    expect(profile.body.error.code).toBe('SEALED_VALUE_INVALID');
  });
});

describe('evidence bytes at rest', () => {
  const MARKER = Buffer.from('EVIDENCE-PLAINTEXT-MARKER-身份证号110105');
  /** A PDF of about 3.5 MB: several encrypted segments, the marker all through it. */
  const pdf = Buffer.concat([
    Buffer.from('%PDF-1.4\n'),
    Buffer.concat(Array.from({ length: Math.ceil((3.5 * 1024 * 1024) / (MARKER.length + 1)) }, () => Buffer.concat([MARKER, Buffer.from('\n')]))),
    Buffer.from('%%EOF\n'),
  ]);
  let fileId: string;
  let blobId: mongoose.Types.ObjectId;

  beforeAll(async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), 'contract.pdf');
    const res = await fetch(`${h.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${owner.accessToken}` }, body: form });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { fileId: string; sha256: string };
    // The hash chain keeps the hash of the bytes as received.
    expect(body.sha256).toBe(createHash('sha256').update(pdf).digest('hex'));
    fileId = body.fileId;
    blobId = new mongoose.Types.ObjectId((await h.deps.models.Evidence.findById(fileId).lean())!.blobId);
  });

  it('the GridFS chunks hold no plaintext bytes, and the data key is sealed', async () => {
    const chunks = await h.deps.conn.db!.collection('evidence.chunks').find({ files_id: blobId }).sort({ n: 1 }).toArray();
    const stored = Buffer.concat(chunks.map((c) => Buffer.from(c.data.buffer)));
    expect(stored.length).toBeGreaterThan(pdf.length);
    expect(stored.includes(MARKER)).toBe(false);
    expect(stored.includes(Buffer.from('%PDF'))).toBe(false);
    const file = await h.deps.conn.db!.collection('evidence.files').findOne({ _id: blobId });
    expect(file!.metadata.cipher.dataKey).toMatch(/^v2\./);
    expect(JSON.stringify(file)).not.toContain(MARKER.toString());
  });

  it('the owner downloads exactly what was uploaded', async () => {
    const res = await fetch(`${h.url}/api/v1/uploads/${fileId}`, { headers: { authorization: `Bearer ${owner.accessToken}` } });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('staff of a case citing it download exactly what was uploaded, reported intact', async () => {
    await fileComplaint({ evidenceIds: [fileId] });
    const res = await fetch(`${h.url}/api/v1/admin/evidence/${fileId}`, { headers: { cookie: staff.cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-evidence-intact')).toBe('true');
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it('a file whose stored bytes were altered is refused, not served altered', async () => {
    const chunks = h.deps.conn.db!.collection('evidence.chunks');
    const first = await chunks.findOne({ files_id: blobId, n: 1 });
    const data = Buffer.from(first!.data.buffer);
    data[100] ^= 1;
    await chunks.updateOne({ _id: first!._id }, { $set: { data } });
    const res = await h.http('GET', `/api/v1/uploads/${fileId}`, { token: owner.accessToken });
    expect(res.status).toBe(500);
    expect(res.body.error.code).toBe('SEALED_VALUE_INVALID');
  });
});
