/** Complaint and report intake through the HTTP API: every field's limits, jurisdiction, idempotency, duplicates, content checks, withdraw. */
import { randomUUID } from 'node:crypto';
import { seed } from '../../bff/src/seed';
import { caseField, casePlace } from '../../bff/src/modules/complaints/case-seal';
import { addWorkingDays, beijingDate } from '../../shared/calendar/working-days';
import { isValidCaseNumber } from '../../shared/complaint/case-number';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { complaintBody, reportBody, verifiedConsumer } from '../support/consumers';
import { control } from '../support/helpers';

let h: Harness;
let token: string;
beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: 'staff-password-1' });
  token = (await verifiedConsumer(h, 'alipay', '2088000000000777')).accessToken;
});
afterAll(() => h.close());

const file = (body: unknown, opts: { token?: string; key?: string; path?: string } = {}) =>
  h.http('POST', opts.path ?? '/api/v1/complaints', { token: opts.token ?? token, body, headers: { 'Idempotency-Key': opts.key ?? randomUUID() } });

/** A copy of the body with one value replaced at a dotted path (numbers index arrays). */
function withValue(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const copy = structuredClone(body);
  const keys = path.split('.');
  let node: any = copy;
  for (const k of keys.slice(0, -1)) node = node[k];
  if (value === undefined) delete node[keys.at(-1)!];
  else node[keys.at(-1)!] = value;
  return copy;
}

const tomorrow = () => addWorkingDays(beijingDate(new Date()), 1);
const today = () => beijingDate(new Date());
const uniqueName = () => `测试商户${randomUUID().slice(0, 8)}`;
/** A complaint against a business of its own, so duplicate detection stays out of the way. */
const base = () => withValue(withValue(complaintBody(), 'respondent.name', uniqueName()), 'respondent.creditCode', undefined);

describe('field limits (valid values are accepted)', () => {
  it.each<[string, string, unknown]>([
    ['a 2-character respondent name', 'respondent.name', '某店'],
    ['a 100-character respondent name', 'respondent.name', '商'.repeat(100)],
    ['no credit code', 'respondent.creditCode', undefined],
    ['a lower-case credit code', 'respondent.creditCode', '91350100m000100y43'],
    ['a 5-character address', 'respondent.address', '朝阳区一号'],
    ['a 200-character address', 'respondent.address', '址'.repeat(200)],
    ['a known domicile region', 'respondent.domicileRegionCode', '440305'],
    ['an amount of 0', 'business.amountCents', 0],
    ['an amount of 1 亿元', 'business.amountCents', 10_000_000_000],
    ['a purchase today', 'business.occurredOn', today()],
    ['a 1-character product name', 'business.productName', '药'],
    ['a 100-character product name', 'business.productName', '品'.repeat(100)],
    ['a 20-character description', 'description', '问'.repeat(20)],
    ['a 2000-character description', 'description', '问'.repeat(2000)],
    ['every demand', 'business.demands', ['refund', 'return', 'exchange', 'repair', 'compensation', 'apology'].map((type) => ({ type })).concat([{ type: 'other', text: '公开道歉并整改' } as never])],
    ['a services case', 'business', { ...complaintBody().business, kind: 'services', categoryCode: 'services.education', problemTypeCode: 'contract.prepaid' }],
    ['door-to-door sales', 'business.channel', 'door_to_door'],
    ['TV or phone sales', 'business.channel', 'tv_phone'],
    ['another channel', 'business.channel', 'other'],
  ])('accepts %s', async (_name, path, value) => {
    const res = await file(withValue(base(), path, value));
    expect(res.status).toBe(201);
    expect(isValidCaseNumber(res.body.number)).toBe(true);
  });

  it('accepts a purchase on a platform with the platform named', async () => {
    const body = withValue(withValue(base(), 'business.channel', 'online_platform'), 'respondent.platform', { name: '京东', regionCode: '110115' });
    expect((await file(body)).status).toBe(201);
  });
});

describe('field limits (invalid values are refused with 400 and nothing is stored)', () => {
  it.each<[string, string, unknown, string]>([
    ['a 1-character respondent name', 'respondent.name', '店', 'respondent.name'],
    ['a 101-character respondent name', 'respondent.name', '商'.repeat(101), 'respondent.name'],
    ['a number as respondent name', 'respondent.name', 12345, 'respondent.name'],
    ['a credit code with a wrong check character', 'respondent.creditCode', '91350100M000100Y44', 'respondent.creditCode'],
    ['a credit code of 17 characters', 'respondent.creditCode', '91350100M000100Y4', 'respondent.creditCode'],
    ['a credit code with a letter outside the set (I)', 'respondent.creditCode', '91350100M000100I43', 'respondent.creditCode'],
    ['a 4-character address', 'respondent.address', '朝阳一号', 'respondent.address'],
    ['a 201-character address', 'respondent.address', '址'.repeat(201), 'respondent.address'],
    ['a 5-digit region', 'respondent.regionCode', '11010', 'respondent.regionCode'],
    ['letters as region', 'respondent.regionCode', 'abcdef', 'respondent.regionCode'],
    ['a platform without region', 'respondent.platform', { name: '京东' }, 'respondent.platform.regionCode'],
    ['a phone of 10 digits', 'consumer.phone', '1381234567', 'consumer.phone'],
    ['a phone not starting with 1[3-9]', 'consumer.phone', '12345678901', 'consumer.phone'],
    ['a 4-character contact address', 'consumer.address', '海淀一号', 'consumer.address'],
    ['an unknown business kind', 'business.kind', 'food', 'business.kind'],
    ['a category that is not a leaf', 'business.categoryCode', 'goods', 'business.categoryCode'],
    ['an unknown category', 'business.categoryCode', 'goods.nothing', 'business.categoryCode'],
    ['a services category on goods', 'business.categoryCode', 'services.travel', 'business.categoryCode'],
    ['a problem type that is not a leaf', 'business.problemTypeCode', 'quality', 'business.problemTypeCode'],
    ['an unknown channel', 'business.channel', 'mail', 'business.channel'],
    ['an empty product name', 'business.productName', '', 'business.productName'],
    ['a 101-character product name', 'business.productName', '品'.repeat(101), 'business.productName'],
    ['a negative amount', 'business.amountCents', -1, 'business.amountCents'],
    ['a fractional amount', 'business.amountCents', 12.5, 'business.amountCents'],
    ['an amount as a string', 'business.amountCents', '100', 'business.amountCents'],
    ['an amount over 1 亿元', 'business.amountCents', 10_000_000_001, 'business.amountCents'],
    ['a date in the future', 'business.occurredOn', tomorrow(), 'business.occurredOn'],
    ['a date that does not exist', 'business.occurredOn', '2025-02-30', 'business.occurredOn'],
    ['a date without dashes', 'business.occurredOn', '20250920', 'business.occurredOn'],
    ['no demands', 'business.demands', [], 'business.demands'],
    ['a repeated demand', 'business.demands', [{ type: 'refund' }, { type: 'refund' }], 'business.demands'],
    ['an unknown demand', 'business.demands', [{ type: 'money' }], 'business.demands.0.type'],
    ['"other" without text', 'business.demands', [{ type: 'other' }], 'business.demands.0.text'],
    ['a 201-character demand text', 'business.demands', [{ type: 'other', text: '求'.repeat(201) }], 'business.demands.0.text'],
    ['a 19-character description', 'description', '问'.repeat(19), 'description'],
    ['a 2001-character description', 'description', '问'.repeat(2001), 'description'],
    ['an evidence id that is not an id', 'evidenceIds', ['abc'], 'evidenceIds.0'],
    ['ten evidence ids', 'evidenceIds', Array.from({ length: 10 }, (_, i) => i.toString(16).padStart(24, '0')), 'evidenceIds'],
    ['an unknown jurisdiction rule', 'jurisdiction', { basis: 'home' }, 'jurisdiction.basis'],
    ['an online purchase without the platform', 'business.channel', 'online_platform', 'respondent.platform'],
    ['an unknown field inside the respondent', 'respondent.owner', '张三', 'respondent'],
    ['a missing consumer', 'consumer', undefined, 'consumer'],
  ])('refuses %s', async (_name, path, value, field) => {
    const before = await h.deps.models.Case.countDocuments({});
    const res = await file(withValue(base(), path, value));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
    expect(await h.deps.models.Case.countDocuments({})).toBe(before);
  });

  it.each([
    ['a region code that does not exist', 'respondent.regionCode', '999999'],
    ['a city instead of a county', 'respondent.regionCode', '110100'],
    ['an unknown domicile region', 'respondent.domicileRegionCode', '110199'],
  ])('refuses %s with 400 REGION_UNKNOWN', async (_name, path, value) => {
    const before = await h.deps.models.Case.countDocuments({});
    const res = await file(withValue(base(), path, value));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('REGION_UNKNOWN');
    expect(await h.deps.models.Case.countDocuments({})).toBe(before);
  });

  /** Every leaf of a valid body, as a dotted path. */
  function leaves(value: unknown, prefix = ''): string[] {
    if (value && typeof value === 'object') {
      return Object.entries(value).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
    }
    return [prefix];
  }

  it('refuses an operator object in any field with 400', async () => {
    const body = withValue(base(), 'respondent.platform', { name: '京东', regionCode: '110115' });
    const paths = [...leaves(body), 'respondent', 'business', 'consumer', 'jurisdiction'];
    const before = await h.deps.models.Case.countDocuments({});
    for (const path of paths) {
      const res = await file(withValue(body, path, { $gt: '' }));
      expect({ path, status: res.status, code: res.body.error?.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
    }
    const report = await file(withValue(reportBody(), 'anonymous', { $ne: false }), { path: '/api/v1/reports' });
    expect(report.status).toBe(400);
    expect(await h.deps.models.Case.countDocuments({})).toBe(before);
  });

  it('refuses a 2 MB JSON body with 413', async () => {
    const res = await h.http('POST', '/api/v1/complaints', {
      token,
      raw: JSON.stringify({ ...base(), description: '问'.repeat(700_000) }),
      headers: { 'Idempotency-Key': randomUUID() },
    });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });
});

describe('jurisdiction', () => {
  it('place of business: the bureau of the respondent’s county, named after the county', async () => {
    const res = await file(withValue(withValue(base(), 'respondent.regionCode', '310105'), 'respondent.address', '上海市长宁区愚园路100号'));
    expect(res.status).toBe(201);
    expect(res.body.jurisdiction).toEqual({ basis: 'place_of_business', regionCode: '310105', bureauCode: '310105', bureauName: '上海市长宁区市场监督管理局', fallback: false });
    expect((await h.deps.models.Case.findOne({ number: res.body.number }).lean())!.bureauCode).toBe('310105');
  });

  it('domicile: the bureau of the registered domicile', async () => {
    const body = withValue(withValue(base(), 'respondent.domicileRegionCode', '440305'), 'jurisdiction', { basis: 'domicile' });
    const res = await file(body);
    expect(res.body.jurisdiction).toMatchObject({ basis: 'domicile', regionCode: '440305', bureauCode: '440305', bureauName: '广东省深圳市南山区市场监督管理局' });
  });

  it('domicile without a domicile region answers 400 DOMICILE_REQUIRED', async () => {
    const res = await file(withValue(base(), 'jurisdiction', { basis: 'domicile' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('DOMICILE_REQUIRED');
  });

  it('platform domicile for a seller on a platform: the platform’s county', async () => {
    let body = withValue(base(), 'business.channel', 'online_platform');
    body = withValue(body, 'respondent.platform', { name: '京东', regionCode: '110115' });
    body = withValue(body, 'jurisdiction', { basis: 'platform_domicile' });
    const res = await file(body);
    expect(res.body.jurisdiction).toMatchObject({ basis: 'platform_domicile', regionCode: '110115', bureauCode: '110115', bureauName: '北京市大兴区市场监督管理局' });
  });

  it('platform domicile for a purchase in a store answers 400 PLATFORM_REQUIRED', async () => {
    const res = await file(withValue(base(), 'jurisdiction', { basis: 'platform_domicile' }));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PLATFORM_REQUIRED');
  });

  it('a county-level city without counties (东莞) has its own bureau', async () => {
    const res = await h.http('GET', '/api/v1/jurisdiction?basis=place_of_business&regionCode=441900');
    expect(res.status).toBe(200);
    expect(res.body.bureau).toMatchObject({ code: '441900', name: '广东省东莞市市场监督管理局' });
  });

  it('recommends the bureau before submitting, for each rule', async () => {
    const q = (s: string) => h.http('GET', `/api/v1/jurisdiction?${s}`);
    expect((await q('basis=place_of_business&regionCode=330110')).body.bureau.name).toBe('浙江省杭州市余杭区市场监督管理局');
    expect((await q('basis=domicile&regionCode=330110&domicileRegionCode=310105')).body.bureau.code).toBe('310105');
    expect((await q('basis=platform_domicile&channel=online_platform&regionCode=330110&platformRegionCode=110115')).body.bureau.code).toBe('110115');
    expect((await q('basis=platform_domicile&channel=store&regionCode=330110&platformRegionCode=110115')).status).toBe(400);
  });

  it('falls back to the default bureau, and says so, when the county has no bureau', async () => {
    await h.deps.models.Bureau.deleteOne({ code: '650102' });
    const res = await file(withValue(base(), 'respondent.regionCode', '650102'));
    expect(res.status).toBe(201);
    expect(res.body.jurisdiction).toMatchObject({ regionCode: '650102', bureauCode: h.deps.config.defaultBureauCode, fallback: true });
  });
});

describe('submit', () => {
  it('returns the acceptance deadline, 7 working days after receipt', async () => {
    const res = await file(base());
    expect(res.body.deadlines.acceptBy).toBe(addWorkingDays(beijingDate(new Date()), 7));
  });

  it('10 concurrent submits with one key produce one case', async () => {
    const body = base();
    const key = randomUUID();
    const before = await h.deps.models.Case.countDocuments({});
    const replies = await Promise.all(Array.from({ length: 10 }, () => file(body, { key })));
    expect(replies.map((r) => r.status)).toEqual(Array(10).fill(201));
    expect(new Set(replies.map((r) => r.body.number)).size).toBe(1);
    expect(await h.deps.models.Case.countDocuments({})).toBe(before + 1);
  });

  it('a complaint needs a verified identity: 403 IDENTITY_REQUIRED', async () => {
    const unverified = (await loginAs(h, 'alipay', '2088000000000555')).accessToken;
    const res = await file(base(), { token: unverified });
    expect(res.status).toBe(403);
    expect(res.body.error).toEqual({ code: 'IDENTITY_REQUIRED', message: '投诉需要先完成实名认证' });
  });

  it('seals the phone and address at rest, shows them masked and never logs them', async () => {
    const res = await file(withValue(base(), 'consumer', { phone: '13987654321', address: '北京市海淀区中关村大街27号' }));
    const doc = await h.deps.models.Case.findOne({ number: res.body.number }).lean();
    expect(JSON.stringify(doc)).not.toContain('13987654321');
    expect(JSON.stringify(doc)).not.toContain('中关村大街27号');
    expect(h.deps.pii.open(doc!.complainant!.phoneSealed!, casePlace(doc!._id, caseField.complainant('phone')))).toBe('13987654321');
    const detail = await h.http('GET', `/api/v1/complaints/${res.body.number}`, { token });
    expect(detail.body.complainant).toEqual({ nameMasked: '张*试', phoneMasked: '139****4321', addressMasked: '北京市海淀区中关****' });
    expect(JSON.stringify(detail.body)).not.toContain('13987654321');
    expect(h.logs.join('')).not.toContain('13987654321');
  });

  it('shows the consumer what was filed', async () => {
    const body = withValue(base(), 'respondent.creditCode', '91110000600037341L');
    const res = await file(body);
    const detail = await h.http('GET', `/api/v1/complaints/${res.body.number}`, { token });
    expect(detail.body).toMatchObject({
      respondent: { name: (body.respondent as { name: string }).name, creditCode: '91110000600037341L', regionCode: '110105' },
      business: { kind: 'goods', categoryCode: 'goods.appliance', amountCents: 329900, demands: [{ type: 'repair' }, { type: 'compensation' }] },
      canWithdraw: true,
    });
    expect(detail.body).not.toHaveProperty('flags');
  });
});

describe('duplicates', () => {
  it('offers the open case against the same respondent, and links both when filed anyway', async () => {
    const body = base();
    const first = await file(body);
    // Same business under a full-width variant of the name.
    const again = withValue(body, 'respondent.name', `${(body.respondent as { name: string }).name.replace('测试', '测试 ')}`);
    const dup = await file(again);
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'DUPLICATE_OPEN_CASE', existing: { number: first.body.number, status: 'submitted' } });
    expect(dup.body.error.message).toContain(first.body.number);

    const anyway = await file({ ...again, fileAnyway: true });
    expect(anyway.status).toBe(201);
    expect(anyway.body.duplicateOf).toBe(first.body.number);
    const original = await h.http('GET', `/api/v1/complaints/${first.body.number}`, { token });
    expect(original.body.linkedCases).toEqual([anyway.body.number]);
    const linked = await h.http('GET', `/api/v1/complaints/${anyway.body.number}`, { token });
    expect(linked.body.linkedCases).toEqual([first.body.number]);
  });

  it('does not count a withdrawn case as open', async () => {
    const body = base();
    const first = await file(body);
    await h.http('POST', `/api/v1/complaints/${first.body.number}/withdraw`, { token, body: {} });
    expect((await file(body)).status).toBe(201);
  });
});

describe('content checks', () => {
  const flagsOf = async (number: string) => (await h.deps.models.Case.findOne({ number }).lean())!;

  it('a word-list hit flags the case for review and keeps it', async () => {
    const res = await file(withValue(base(), 'description', '商家在店内私下组织赌博，还拒绝退还预付的会员费用。'));
    expect(res.status).toBe(201);
    const doc = await flagsOf(res.body.number);
    expect(doc.flagged).toBe(true);
    expect(doc.flags).toEqual([expect.objectContaining({ source: 'wordlist', verdict: 'illegal_trade', words: ['赌博'] })]);
    expect(doc.status).toBe('submitted');
  });

  it('clean text from an Alipay user is not flagged', async () => {
    const res = await file(base());
    expect((await flagsOf(res.body.number)).flagged).toBe(false);
  });

  it('WeChat msg_sec_check flags what only WeChat finds, for WeChat users', async () => {
    await control(h.sandbox.urls.wechat, '/security-words', { words: [{ word: '山寨货', suggest: 'review', label: 21000 }] });
    try {
      const wx = (await verifiedConsumer(h, 'wechat', 'wx-intake-content')).accessToken;
      const res = await file(withValue(base(), 'description', '这家店把山寨货当正品卖，质量很差，要求退货退款并赔偿。'), { token: wx });
      expect(res.status).toBe(201);
      const doc = await flagsOf(res.body.number);
      expect(doc.flagged).toBe(true);
      expect(doc.flags).toEqual([expect.objectContaining({ source: 'wechat', verdict: 'review', label: 21000 })]);
      const alipay = await file(withValue(base(), 'description', '这家店把山寨货当正品卖，质量很差，要求退货退款并赔偿。'));
      expect((await flagsOf(alipay.body.number)).flagged).toBe(false);
    } finally {
      await control(h.sandbox.urls.wechat, '/reset', {});
    }
  });
});

describe('reports', () => {
  it('an unverified consumer files an anonymous report: JB number, no contact details kept', async () => {
    const anon = (await loginAs(h, 'wechat', 'wx-intake-reporter')).accessToken;
    const res = await file(reportBody(), { token: anon, path: '/api/v1/reports' });
    expect(res.status).toBe(201);
    expect(res.body.number).toMatch(/^JB\d{14}[0-9X]$/);
    expect(res.body).toMatchObject({ type: 'report', status: 'submitted', jurisdiction: { bureauCode: '310105' } });
    const doc = await h.deps.models.Case.findOne({ number: res.body.number }).lean();
    expect(doc!.complainant).toBeUndefined();
    expect(doc!.anonymous).toBe(true);
  });

  it('a real-name report keeps the contact sealed', async () => {
    const res = await file(reportBody({ anonymous: false, reporter: { phone: '13700001111', address: '上海市长宁区某路1号' } }), { path: '/api/v1/reports' });
    expect(res.status).toBe(201);
    const detail = await h.http('GET', `/api/v1/complaints/${res.body.number}`, { token });
    expect(detail.body.complainant.phoneMasked).toBe('137****1111');
  });

  it.each([
    ['real-name without contact', reportBody({ anonymous: false }), 'reporter'],
    ['anonymous with contact', reportBody({ reporter: { phone: '13700001111', address: '上海市长宁区某路1号' } }), 'reporter'],
    ['with demands', reportBody({ demands: [{ type: 'refund' }] }), ''],
  ])('refuses a report %s', async (_name, body, field) => {
    const res = await file(body, { path: '/api/v1/reports' });
    expect(res.status).toBe(400);
    if (field) expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
  });
});

describe('withdraw', () => {
  it('withdraws a submitted complaint once; a second time answers 409', async () => {
    const filed = await file(base());
    const res = await h.http('POST', `/api/v1/complaints/${filed.body.number}/withdraw`, { token, body: { reason: '已与商家协商解决' } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'withdrawn', statusLabel: '已撤回', canWithdraw: false });
    expect(res.body.timeline.at(-1)).toMatchObject({ action: 'withdraw', from: 'submitted', to: 'withdrawn', note: '已与商家协商解决' });
    const again = await h.http('POST', `/api/v1/complaints/${filed.body.number}/withdraw`, { token, body: {} });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('TRANSITION_NOT_ALLOWED');
  });

  it('two concurrent withdrawals: one wins, the other gets 409', async () => {
    const filed = await file(base());
    const replies = await Promise.all([0, 1].map(() => h.http('POST', `/api/v1/complaints/${filed.body.number}/withdraw`, { token, body: {} })));
    expect(replies.map((r) => r.status).sort()).toEqual([200, 409]);
    const doc = await h.deps.models.Case.findOne({ number: filed.body.number }).lean();
    expect(doc!.version).toBe(1);
    expect(doc!.timeline.filter((t) => t.action === 'withdraw')).toHaveLength(1);
  });

  it('a closed complaint cannot be withdrawn', async () => {
    const filed = await file(base());
    await h.deps.models.Case.updateOne({ number: filed.body.number }, { $set: { status: 'closed' } });
    const res = await h.http('POST', `/api/v1/complaints/${filed.body.number}/withdraw`, { token, body: {} });
    expect(res.status).toBe(409);
  });

  it("another consumer's complaint answers 404, a mistyped number 400", async () => {
    const filed = await file(base());
    const other = (await verifiedConsumer(h, 'alipay', '2088000000000778')).accessToken;
    expect((await h.http('POST', `/api/v1/complaints/${filed.body.number}/withdraw`, { token: other, body: {} })).status).toBe(404);
    const n: string = filed.body.number;
    const typo = n.slice(0, 3) + (n[3] === '9' ? '0' : String(Number(n[3]) + 1)) + n.slice(4);
    const res = await h.http('POST', `/api/v1/complaints/${typo}/withdraw`, { token, body: {} });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CASE_NUMBER_INVALID');
  });

  it('a number typed in lower case finds the case; one with an impossible date is refused before any lookup', async () => {
    const filed = await file(base());
    const n: string = filed.body.number;
    const typed = await h.http('GET', `/api/v1/complaints/${encodeURIComponent(` ${n.toLowerCase()} `)}`, { token });
    expect(typed.status).toBe(200);
    expect(typed.body.number).toBe(n);
    for (const path of ['/api/v1/complaints/TS202602300000013', '/api/v1/complaints/TS202602300000013/progress']) {
      const res = await h.http('GET', path, { token });
      expect({ path, status: res.status, code: res.body.error.code }).toEqual({ path, status: 400, code: 'CASE_NUMBER_INVALID' });
    }
  });
});

describe('respondent suggestions', () => {
  it('suggests names of earlier cases that start with the typed text', async () => {
    await file(withValue(base(), 'respondent.name', '联想测试百货商店'));
    const res = await h.http('GET', `/api/v1/respondents?q=${encodeURIComponent('联想测试')}`, { token });
    expect(res.status).toBe(200);
    expect(res.body.items).toEqual([{ name: '联想测试百货商店', cases: 1 }]);
  });

  it("never suggests another consumer's respondents, whichever bureau handles them", async () => {
    const other = (await verifiedConsumer(h, 'wechat', 'wx-suggest-other')).accessToken;
    await file(withValue(base(), 'respondent.name', '隔离测试甲电器行'));
    await file(
      withValue(withValue(withValue(base(), 'respondent.name', '隔离测试乙超市'), 'respondent.regionCode', '310104'), 'respondent.address', '上海市徐汇区漕溪北路1号'),
      { token: other },
    );
    const mine = await h.http('GET', `/api/v1/respondents?q=${encodeURIComponent('隔离测试')}`, { token });
    expect(mine.body.items).toEqual([{ name: '隔离测试甲电器行', cases: 1 }]);
    const theirs = await h.http('GET', `/api/v1/respondents?q=${encodeURIComponent('隔离测试')}`, { token: other });
    expect(theirs.body.items).toEqual([{ name: '隔离测试乙超市', cases: 1 }]);
    // A consumer with no cases of their own gets no suggestions at all.
    const newcomer = (await verifiedConsumer(h, 'wechat', 'wx-suggest-new')).accessToken;
    expect((await h.http('GET', `/api/v1/respondents?q=${encodeURIComponent('隔离测试')}`, { token: newcomer })).body.items).toEqual([]);
  });

  it('treats regex characters as text', async () => {
    for (const q of ['.*', '(', '[a-', '\\']) {
      const res = await h.http('GET', `/api/v1/respondents?q=${encodeURIComponent(q)}`, { token });
      expect(res.status).toBe(200);
      expect(res.body.items).toEqual([]);
    }
  });
});
