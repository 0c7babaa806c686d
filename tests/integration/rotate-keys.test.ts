/** npm run rotate-keys: every sealed value re-sealed under the current key, idempotent, resumable, safe beside the app. */
import { randomBytes, randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { seed } from '../../bff/src/seed';
import { createPii, looksSealed, type Pii } from '../../bff/src/infra/pii';
import { CHECKPOINT_COLLECTION, rotateKeys, TARGETS } from '../../bff/src/jobs/rotate-keys';
import { caseField, casePlace } from '../../bff/src/modules/complaints/case-seal';
import { phonePlace } from '../../bff/src/modules/identity/identity.service';
import { startHarness, type Harness } from '../support/harness';
import { complaintBody, verifiedConsumer } from '../support/consumers';
import { insertCase, signIn, type StaffClient } from '../support/handling';
import { sealV1 } from '../support/sealed';

const STAFF_PASSWORD = 'staff-password-1';
const PDF = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1500 * 1024), Buffer.from('\n%%EOF\n')]);
const DESCRIPTION = '购买的空调安装后第三天就无法制冷，商家拒绝上门维修，安装师傅电话13655556666。';
const LEGACY_DESCRIPTION = '这段描述在加密上线之前保存，仍是明文，轮换时应被加密。';

let h: Harness;
let owner: { accessToken: string; user: { id: string } };
let staff: StaffClient;
let keyA: Pii;
let keyB: Pii;
let number: string;
let legacyNumber: string;
let fileId: string;
const bKey = randomBytes(32);
const cKey = randomBytes(32);


/** Every sealed value in the database, found the way the rotation finds them. */
async function sealedValues() {
  const out: Array<{ collection: string; path: string; value: string; place: ReturnType<typeof casePlace>; maybePlain: boolean }> = [];
  for (const t of TARGETS) {
    for (const doc of await h.deps.conn.db!.collection(t.collection).find({}, { projection: t.projection }).toArray()) {
      for (const e of t.entries(doc)) out.push({ collection: t.collection, ...e });
    }
  }
  return out;
}

const withKeys = (current: string, extra: Record<string, Buffer>) => createPii({ ...h.deps.config.pii, current, keys: { ...h.deps.config.pii.keys, ...extra } });

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  keyA = h.deps.pii;
  keyB = withKeys('b', { b: bKey });
  owner = await verifiedConsumer(h, 'wechat', 'wx-rotate-owner');
  staff = await signIn(h, 'demo', STAFF_PASSWORD);

  // Everything that holds a sealed value, under key A: a case (contact, description, demand text,
  // a staff note and its message), the identity, a draft, an evidence file, the user's phone.
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(PDF)], { type: 'application/pdf' }), 'receipt.pdf');
  const uploaded = await fetch(`${h.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${owner.accessToken}` }, body: form });
  fileId = ((await uploaded.json()) as { fileId: string }).fileId;
  for (let i = 0; i < 3; i += 1) {
    const filed = await h.http('POST', '/api/v1/complaints', {
      token: owner.accessToken,
      body: complaintBody({
        fileAnyway: true,
        description: `${DESCRIPTION}（第${i + 1}件）`,
        business: { ...complaintBody().business, demands: [{ type: 'refund', text: '请全额退款并赔偿上门费用' }] },
        ...(i === 0 ? { evidenceIds: [fileId] } : {}),
      }),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(filed.status).toBe(201);
    number ??= filed.body.number;
  }
  const current = await staff.get(`/admin/cases/${number}`);
  expect((await staff.post(`/admin/cases/${number}/transitions`, { version: current.body.version, action: 'accept', reason: '已电话联系投诉人' })).status).toBe(200);
  expect((await h.http('POST', '/api/v1/drafts/complaint', { token: owner.accessToken, body: { data: { description: '草稿里的住址：幸福里3号' } } })).status).toBe(200);
  await h.deps.conn.db!.collection('users').updateOne(
    { _id: new mongoose.Types.ObjectId(owner.user.id) },
    { $set: { phone: { sealed: keyA.seal('13800001234', phonePlace(owner.user.id)), index: keyA.index('phone', '13800001234'), at: new Date() } } },
  );
  // From before this change: a v1 value, and a description stored as typed.
  const legacyId = new mongoose.Types.ObjectId();
  legacyNumber = await insertCase(h, {
    owner: { userId: owner.user.id, platform: 'wechat' },
    bureauCode: '110105',
    description: LEGACY_DESCRIPTION,
    extra: { _id: legacyId, complainant: { phoneSealed: sealV1(keyA.current, h.deps.config.pii.keys[keyA.current], '13999990000'), phoneMasked: '139****0000' } },
  });
});
afterAll(async () => {
  h.deps.pii = keyA;
  await h.close();
});

describe('rotate-keys', () => {
  it('re-seals every value under the current key; each opens to what it was', async () => {
    const before = await sealedValues();
    expect(new Set(before.map((v) => v.collection))).toEqual(new Set(['cases', 'identities', 'users', 'drafts', 'evidence.files']));
    const plain = new Map(before.map((v) => [`${v.collection} ${String(v.place.id)} ${v.path}`, v.maybePlain && !looksSealed(v.value) ? v.value : keyA.open(v.value, v.place)]));

    const result = await rotateKeys(h.deps.conn, keyB, { batchSize: 2 });
    expect(result.complete).toBe(true);
    expect(result.counts.cases.updated).toBeGreaterThanOrEqual(4);
    expect(result.counts['evidence.files'].updated).toBe(1);

    const after = await sealedValues();
    expect(after).toHaveLength(before.length);
    for (const v of after) {
      expect(v.value.startsWith('v2.b.')).toBe(true);
      expect(keyB.open(v.value, v.place)).toBe(plain.get(`${v.collection} ${String(v.place.id)} ${v.path}`));
    }
    const legacy = await h.deps.conn.db!.collection('cases').findOne({ number: legacyNumber });
    expect(JSON.stringify(legacy)).not.toContain(LEGACY_DESCRIPTION);
    expect(keyB.open(legacy!.description, casePlace(legacy!._id, caseField.description))).toBe(LEGACY_DESCRIPTION);
    expect(keyB.open(legacy!.complainant.phoneSealed, casePlace(legacy!._id, caseField.complainant('phone')))).toBe('13999990000');
    expect(await h.deps.conn.db!.collection(CHECKPOINT_COLLECTION).countDocuments({})).toBe(0);
  });

  it('a second run changes nothing', async () => {
    const before = await sealedValues();
    const result = await rotateKeys(h.deps.conn, keyB, { batchSize: 2 });
    expect(result.complete).toBe(true);
    for (const c of Object.values(result.counts)) expect(c.updated).toBe(0);
    expect(await sealedValues()).toEqual(before);
  });

  it('the app configured with the new key still shows everything, and the evidence downloads unchanged', async () => {
    h.deps.pii = keyB;
    const detail = await h.http('GET', `/api/v1/complaints/${number}`, { token: owner.accessToken });
    expect(detail.body.description).toBe(`${DESCRIPTION}（第1件）`);
    expect(detail.body.timeline.map((t: { note?: string }) => t.note)).toContain('已电话联系投诉人');
    const file = await fetch(`${h.url}/api/v1/uploads/${fileId}`, { headers: { authorization: `Bearer ${owner.accessToken}` } });
    expect(Buffer.from(await file.arrayBuffer()).equals(PDF)).toBe(true);
    const draft = await h.http('GET', '/api/v1/drafts/complaint', { token: owner.accessToken });
    expect(draft.body.data.description).toBe('草稿里的住址：幸福里3号');
    expect((await staff.post(`/admin/cases/${number}/reveal`, { field: 'phone' })).body.value).toBe('13812345678');
    expect((await h.http('GET', '/api/v1/me', { token: owner.accessToken })).body.profile.phone).toBe('138****1234');
  });

  it('a run stopped after a batch goes on from its checkpoint, not from the start', async () => {
    const keyC = withKeys('c', { b: bKey, c: cKey });
    const cases = await h.deps.conn.db!.collection('cases').countDocuments({});
    const stopped = await rotateKeys(h.deps.conn, keyC, { batchSize: 1, maxBatches: 2 });
    expect(stopped.complete).toBe(false);
    expect(stopped.counts.cases.scanned).toBe(2);
    const checkpoint = await h.deps.conn.db!.collection(CHECKPOINT_COLLECTION).findOne({});
    expect(checkpoint).toMatchObject({ target: 'c', collection: 'cases' });
    const halfway = (await sealedValues()).filter((v) => v.collection === 'cases');
    expect(halfway.some((v) => v.value.startsWith('v2.c.'))).toBe(true);
    expect(halfway.some((v) => v.value.startsWith('v2.b.'))).toBe(true);

    const resumed = await rotateKeys(h.deps.conn, keyC, { batchSize: 1 });
    expect(resumed.complete).toBe(true);
    // Counted on from the checkpoint: every case read once over both runs.
    expect(resumed.counts.cases.scanned).toBe(cases);
    for (const v of await sealedValues()) expect(v.value.startsWith('v2.c.')).toBe(true);
    expect(await h.deps.conn.db!.collection(CHECKPOINT_COLLECTION).countDocuments({})).toBe(0);
    h.deps.pii = keyC;
  });

  it('a value the app changes while the run works on the document is not overwritten', async () => {
    const keyC = h.deps.pii;
    const keyD = withKeys('d', { b: bKey, c: cKey, d: randomBytes(32) });
    const target = await h.deps.conn.db!.collection('cases').findOne({ number });
    const changed = '投诉人补充说明：商家已同意上门，但尚未到场。';
    let raced = false;
    const result = await rotateKeys(h.deps.conn, keyD, {
      batchSize: 10,
      beforeWrite: async (collection, id) => {
        if (raced || collection !== 'cases' || String(id) !== String(target!._id)) return;
        raced = true;
        // The app, still on key c, saves a new description meanwhile.
        await h.deps.conn.db!.collection('cases').updateOne({ _id: target!._id }, { $set: { description: keyC.seal(changed, casePlace(target!._id, caseField.description)) } });
      },
    });
    expect(raced).toBe(true);
    expect(result.counts.cases.retried).toBe(1);
    const after = await h.deps.conn.db!.collection('cases').findOne({ _id: target!._id });
    expect(after!.description.startsWith('v2.d.')).toBe(true);
    expect(keyD.open(after!.description, casePlace(target!._id, caseField.description))).toBe(changed);
  });
});
