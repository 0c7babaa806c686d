/** Evidence uploads: type from the bytes, size limits per kind, hashes, the per-owner hash chain and who may fetch a file. */
import { createHash, randomUUID } from 'node:crypto';
import { seed } from '../../bff/src/seed';
import { verifyChain } from '../../bff/src/modules/evidence/evidence.service';
import { startHarness, type Harness } from '../support/harness';
import { complaintBody, verifiedConsumer } from '../support/consumers';

const MB = 1024 * 1024;
const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const JPEG = Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
const MP4 = Buffer.concat([Buffer.from('000000186674797069736f6d0000020069736f6d', 'hex'), Buffer.alloc(64)]);
/** A Windows executable: "MZ" header and a PE signature. */
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(58), Buffer.from([0x40, 0, 0, 0]), Buffer.from('PE\0\0'), Buffer.alloc(200)]);

const padded = (head: Buffer, size: number) => Buffer.concat([head, Buffer.alloc(size - head.length, 7)]);

let h: Harness;
let owner: { accessToken: string; user: { id: string } };
let other: { accessToken: string; user: { id: string } };
beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: 'staff-password-1' });
  owner = await verifiedConsumer(h, 'wechat', 'wx-evidence-owner');
  other = await verifiedConsumer(h, 'alipay', '2088000000000888');
});
afterAll(() => h.close());

async function upload(token: string, bytes: Buffer, name = 'photo.jpg', type = 'image/jpeg', field = 'file') {
  const form = new FormData();
  form.append(field, new Blob([new Uint8Array(bytes)], { type }), name);
  const res = await fetch(`${h.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  return { status: res.status, body: (await res.json()) as any };
}

describe('upload', () => {
  it.each([
    ['a PNG image', PNG, 'image', 'image/png'],
    ['a JPEG image', JPEG, 'image', 'image/jpeg'],
    ['a PDF', PDF, 'pdf', 'application/pdf'],
    ['an MP4 video', MP4, 'video', 'video/mp4'],
  ])('accepts %s, typed by its bytes, with SHA-256 and receive time', async (_name, bytes, kind, contentType) => {
    const before = Date.now();
    const res = await upload(owner.accessToken, bytes, 'evidence.bin', 'application/octet-stream');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind, contentType, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
    expect(res.body.fileId).toMatch(/^[a-f0-9]{24}$/);
    expect(Date.parse(res.body.receivedAt)).toBeGreaterThanOrEqual(before - 1000);
  });

  it('refuses a renamed executable with 415 EVIDENCE_TYPE_REFUSED and stores nothing', async () => {
    const before = await h.deps.models.Evidence.countDocuments({});
    const res = await upload(owner.accessToken, EXE, 'receipt.jpg', 'image/jpeg');
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('EVIDENCE_TYPE_REFUSED');
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await h.deps.models.Evidence.countDocuments({})).toBe(before);
  });

  it('refuses plain text named as a PDF', async () => {
    const res = await upload(owner.accessToken, Buffer.from('just some text, not a document'), 'contract.pdf', 'application/pdf');
    expect(res.status).toBe(415);
  });

  it.each([
    ['an image over 10 MB', PNG, 10 * MB + 1, '图片'],
    ['a PDF over 20 MB', PDF, 20 * MB + 1, 'PDF'],
  ])('refuses %s with 413 EVIDENCE_TOO_LARGE', async (_name, head, size, word) => {
    const res = await upload(owner.accessToken, padded(head, size));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('EVIDENCE_TOO_LARGE');
    expect(res.body.error.message).toContain(word);
  });

  it('refuses a video over 50 MB, the largest limit, while it streams in', async () => {
    const res = await upload(owner.accessToken, padded(MP4, 50 * MB + 1), 'clip.mp4', 'video/mp4');
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('EVIDENCE_TOO_LARGE');
  });

  it('accepts an image of exactly 10 MB', async () => {
    expect((await upload(owner.accessToken, padded(PNG, 10 * MB))).status).toBe(201);
  });

  it('refuses a request without a file, with a wrong field name, or as JSON', async () => {
    const none = await fetch(`${h.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${owner.accessToken}` }, body: new FormData() });
    expect(none.status).toBe(400);
    expect(((await none.json()) as any).error.code).toBe('FILE_REQUIRED');
    expect((await upload(owner.accessToken, PNG, 'a.png', 'image/png', 'picture')).status).toBe(400);
    const json = await h.http('POST', '/api/v1/uploads', { token: owner.accessToken, body: { file: 'x' } });
    expect(json.status).toBe(415);
  });

  it('requires a signed-in consumer', async () => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PNG)]), 'a.png');
    expect((await fetch(`${h.url}/api/v1/uploads`, { method: 'POST', body: form })).status).toBe(401);
  });
});

describe('hash chain', () => {
  it('links every record to the previous one, also under concurrent uploads', async () => {
    const someone = await verifiedConsumer(h, 'alipay', '2088000000000889');
    const replies = await Promise.all(Array.from({ length: 6 }, (_, i) => upload(someone.accessToken, padded(PNG, 100 + i))));
    expect(replies.map((r) => r.status)).toEqual(Array(6).fill(201));
    expect(await verifyChain(h.deps, someone.user.id)).toEqual({ intact: true, records: 6 });
  });

  it('detects an altered record, a removed record and a forged re-hash', async () => {
    const someone = await verifiedConsumer(h, 'alipay', '2088000000000890');
    for (let i = 0; i < 4; i += 1) await upload(someone.accessToken, padded(JPEG, 200 + i));
    const { Evidence } = h.deps.models;
    const chain = `u:${someone.user.id}`;
    expect((await verifyChain(h.deps, someone.user.id)).intact).toBe(true);

    // Someone swaps the recorded hash of the second file.
    await Evidence.updateOne({ chain, seq: 2 }, { $set: { sha256: 'f'.repeat(64) } });
    expect(await verifyChain(h.deps, someone.user.id)).toEqual({ intact: false, records: 4, brokenAt: { seq: 2, reason: 'hash' } });

    // ...and recomputes that record's own hash: the next record's link still gives it away.
    const { recordHash } = await import('../../bff/src/modules/evidence/evidence.service');
    const second = (await Evidence.findOne({ chain, seq: 2 }).lean())!;
    await Evidence.updateOne({ chain, seq: 2 }, { $set: { hash: recordHash(second) } });
    expect(await verifyChain(h.deps, someone.user.id)).toEqual({ intact: false, records: 4, brokenAt: { seq: 3, reason: 'link' } });

    await Evidence.deleteOne({ chain, seq: 3 });
    expect((await verifyChain(h.deps, someone.user.id)).brokenAt).toEqual({ seq: 3, reason: 'sequence' });
  });
});

describe('who may fetch a file', () => {
  let fileId: string;
  let number: string;
  beforeAll(async () => {
    fileId = (await upload(owner.accessToken, PNG, 'receipt.png', 'image/png')).body.fileId;
    const filed = await h.http('POST', '/api/v1/complaints', {
      token: owner.accessToken,
      body: complaintBody({ evidenceIds: [fileId] }),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(filed.status).toBe(201);
    number = filed.body.number;
  });

  async function staffCookie() {
    const res = await h.http('POST', '/api/v1/admin/login', { body: { username: 'demo', password: 'staff-password-1' } });
    return res.headers.get('set-cookie')!.split(';')[0];
  }

  it('the case lists its evidence with kind and hash', async () => {
    const detail = await h.http('GET', `/api/v1/complaints/${number}`, { token: owner.accessToken });
    expect(detail.body.evidence).toEqual([{ fileId, kind: 'image', size: PNG.length, sha256: createHash('sha256').update(PNG).digest('hex') }]);
  });

  it('the owner gets the bytes, inline and sandboxed', async () => {
    const res = await fetch(`${h.url}/api/v1/uploads/${fileId}`, { headers: { authorization: `Bearer ${owner.accessToken}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
  });

  it('another consumer gets 404', async () => {
    const res = await h.http('GET', `/api/v1/uploads/${fileId}`, { token: other.accessToken });
    expect(res.status).toBe(404);
  });

  it('staff of the case’s bureau get the bytes and the integrity verdict', async () => {
    const res = await fetch(`${h.url}/api/v1/admin/evidence/${fileId}`, { headers: { cookie: await staffCookie() } });
    expect(res.status).toBe(200);
    expect(res.headers.get('x-evidence-intact')).toBe('true');
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG);
  });

  it('each staff view of a file is audited with the case and the file; a refused one is not', async () => {
    const views = () => h.deps.models.AuditEntry.find({ action: 'evidence_view' }).sort({ at: 1 }).lean();
    const before = (await views()).length;
    const res = await fetch(`${h.url}/api/v1/admin/evidence/${fileId}`, { headers: { cookie: await staffCookie() } });
    expect(res.status).toBe(200);
    const loose = (await upload(owner.accessToken, JPEG)).body.fileId;
    expect((await h.http('GET', `/api/v1/admin/evidence/${loose}`, { headers: { cookie: await staffCookie() } })).status).toBe(404);
    const after = await views();
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ action: 'evidence_view', caseNumber: number, target: fileId, role: 'handler' });
  });

  it('staff cannot fetch a file no case in their scope cites', async () => {
    const loose = (await upload(owner.accessToken, JPEG)).body.fileId;
    const res = await h.http('GET', `/api/v1/admin/evidence/${loose}`, { headers: { cookie: await staffCookie() } });
    expect(res.status).toBe(404);
    expect((await h.http('GET', `/api/v1/admin/evidence/${fileId}`)).status).toBe(401);
  });

  it('a complaint citing someone else’s file is refused with 400 EVIDENCE_NOT_FOUND', async () => {
    const res = await h.http('POST', '/api/v1/complaints', {
      token: other.accessToken,
      body: complaintBody({ evidenceIds: [fileId] }),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('EVIDENCE_NOT_FOUND');
  });
});
