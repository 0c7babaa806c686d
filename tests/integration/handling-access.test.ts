import mongoose from 'mongoose';
import { seed } from '../../bff/src/seed';
import { caseField, casePlace } from '../../bff/src/modules/complaints/case-seal';
import { scanOnce } from '../../bff/src/jobs/deadlines';
import { addWorkingDays, beijingDate } from '../../shared/calendar/working-days';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { BUREAUS, createStaff, insertCase, seedBureaus, signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';

let h: Harness;
let chaoyang: StaffClient;
let haidian: StaffClient;
let bjSuper: StaffClient;
let shSuper: StaffClient;
let admin: StaffClient;
let owner: { userId: string; platform: 'wechat' };

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  // The directory has every county; these two are left out so an admin can add them.
  await h.deps.models.Bureau.deleteMany({ code: mongoose.trusted({ $in: ['110101', '110102'] }) });
  await seedBureaus(h);
  await createStaff(h, { username: 'hd-handler', role: 'handler', bureauCode: BUREAUS.haidian.code, regionPrefix: '110108' });
  await createStaff(h, { username: 'bj-super', role: 'supervisor', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '11' });
  await createStaff(h, { username: 'sh-super', role: 'supervisor', bureauCode: BUREAUS.xuhui.code, regionPrefix: '31' });
  await createStaff(h, { username: 'root', role: 'admin', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '' });
  [chaoyang, haidian, bjSuper, shSuper, admin] = await Promise.all(
    ['demo', 'hd-handler', 'bj-super', 'sh-super', 'root'].map((u) => signIn(h, u)),
  );
  const consumer = await loginAs(h, 'wechat', 'wx-access-consumer');
  owner = { userId: consumer.user.id, platform: 'wechat' };
});
afterAll(() => h.close());

describe('scope: a case outside it answers 404, never 403', () => {
  let number: string;
  beforeAll(async () => {
    number = await insertCase(h, { owner, bureauCode: BUREAUS.chaoyang.code });
  });

  it.each([
    ['a handler of another bureau', () => haidian],
    ['a supervisor of another region', () => shSuper],
  ])('%s gets 404 on read, transition and reveal', async (_who, client) => {
    const c = client();
    const read = await c.get(`/admin/cases/${number}`);
    expect(read.status).toBe(404);
    expect(read.body.error.code).toBe('NOT_FOUND');
    expect((await c.post(`/admin/cases/${number}/transitions`, { action: 'accept', version: 0 })).status).toBe(404);
    expect((await c.post(`/admin/cases/${number}/reveal`, { field: 'phone' })).status).toBe(404);
    const list = await c.get('/admin/cases');
    expect(list.body.items.map((i: { number: string }) => i.number)).not.toContain(number);
    expect((await h.deps.models.Case.findOne({ number }).lean())!.version).toBe(0);
  });

  it('the own handler, the region supervisor and an admin see it', async () => {
    for (const c of [chaoyang, bjSuper, admin]) expect((await c.get(`/admin/cases/${number}`)).status).toBe(200);
  });

  it('a supervisor sees every bureau under the region prefix and nothing else', async () => {
    const hd = await insertCase(h, { owner, bureauCode: BUREAUS.haidian.code });
    const sh = await insertCase(h, { owner, bureauCode: BUREAUS.xuhui.code });
    const numbers = (await bjSuper.get('/admin/cases?pageSize=100')).body.items.map((i: { number: string }) => i.number);
    expect(numbers).toEqual(expect.arrayContaining([number, hd]));
    expect(numbers).not.toContain(sh);
    const shNumbers = (await shSuper.get('/admin/cases?pageSize=100')).body.items.map((i: { number: string }) => i.number);
    expect(shNumbers).toEqual([sh]);
  });
});

describe('personal data', () => {
  it('shows masked values, opens a sealed field on request and audits the view and the reveal', async () => {
    const _id = new mongoose.Types.ObjectId();
    const seal = (field: 'name' | 'phone', value: string) => h.deps.pii.seal(value, casePlace(_id, caseField.complainant(field)));
    const number = await insertCase(h, {
      owner,
      bureauCode: BUREAUS.chaoyang.code,
      extra: { _id, complainant: { nameSealed: seal('name', '张三'), phoneSealed: seal('phone', '13800138000'), nameMasked: '张*', phoneMasked: '138****8000' } },
    });
    const detail = await chaoyang.get(`/admin/cases/${number}`);
    expect(detail.body.complainant).toEqual({ platform: 'wechat', nameMasked: '张*', phoneMasked: '138****8000', revealable: ['name', 'phone'] });
    expect(JSON.stringify(detail.body)).not.toContain('13800138000');

    const phone = await chaoyang.post(`/admin/cases/${number}/reveal`, { field: 'phone' });
    expect(phone.body).toEqual({ field: 'phone', value: '13800138000' });
    const missing = await chaoyang.post(`/admin/cases/${number}/reveal`, { field: 'idNumber' });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('FIELD_NOT_AVAILABLE');
    const bad = await chaoyang.post(`/admin/cases/${number}/reveal`, { field: 'passwordHash' });
    expect(bad.status).toBe(400);
    expect((await admin.post(`/admin/cases/${number}/reveal`, { field: 'phone' })).status).toBe(403);

    const log = await admin.get(`/admin/audit?caseNumber=${number}`);
    expect(log.body.items.map((e: { action: string; field?: string; username: string }) => [e.action, e.field ?? null, e.username])).toEqual(
      expect.arrayContaining([
        ['reveal', 'phone', 'demo'],
        ['case_view', null, 'demo'],
      ]),
    );
    expect(log.body.items.filter((e: { action: string }) => e.action === 'reveal')).toHaveLength(1);
    expect(h.logs.join('')).not.toContain('13800138000');
  });

  it('lets only admins read the audit log', async () => {
    const res = await chaoyang.get('/admin/audit');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('ROLE_FORBIDDEN');
  });
});

describe('the queue', () => {
  let tag: string;
  let numbers: Record<string, string>;
  beforeAll(async () => {
    tag = '队列筛选测试商户';
    const day = (d: string) => new Date(`${d}T10:00:00+08:00`);
    numbers = {
      old: await insertCase(h, { owner, bureauCode: BUREAUS.chaoyang.code, respondentName: `${tag}甲`, receivedAt: day('2026-09-30'), extra: { business: { categoryCode: 'goods.appliance', problemTypeCode: 'quality.defect' } } }),
      recent: await insertCase(h, { owner, bureauCode: BUREAUS.chaoyang.code, respondentName: `${tag}乙`, receivedAt: day('2026-11-20'), extra: { business: { categoryCode: 'services.travel', problemTypeCode: 'price.overcharge' } } }),
      report: await insertCase(h, { owner, bureauCode: BUREAUS.haidian.code, type: 'report', respondentName: `${tag}丙`, receivedAt: day('2026-11-02') }),
    };
  });
  const list = async (c: StaffClient, query: string) =>
    ((await c.get(`/admin/cases?q=${encodeURIComponent(tag)}&${query}`)).body.items as Array<{ number: string }>).map((i) => i.number);

  it('filters by text, type, category, region and dates, and sorts', async () => {
    expect(await list(bjSuper, '')).toEqual([numbers.recent, numbers.report, numbers.old]);
    expect(await list(bjSuper, 'sort=received_asc')).toEqual([numbers.old, numbers.report, numbers.recent]);
    expect(await list(bjSuper, 'type=report')).toEqual([numbers.report]);
    expect(await list(bjSuper, 'category=price')).toEqual([numbers.recent]);
    expect(await list(bjSuper, 'category=goods')).toEqual([numbers.old]);
    expect(await list(bjSuper, 'category=goods.appliance')).toEqual([numbers.old]);
    expect(await list(bjSuper, 'category=goods.app')).toEqual([]);
    expect(await list(bjSuper, 'region=110108')).toEqual([numbers.report]);
    expect(await list(bjSuper, 'from=2026-11-01&to=2026-11-19')).toEqual([numbers.report]);
    expect(await list(bjSuper, 'to=2026-09-30')).toEqual([numbers.old]);
    expect(await list(chaoyang, 'status=submitted')).toEqual([numbers.recent, numbers.old]);
  });

  it('marks overdue and due-soon cases through the scanner and raises them on the dashboard', async () => {
    const before = (await bjSuper.get('/admin/dashboard')).body;
    // The 2026-09-30 complaint was due 2026-10-15; a case received "today" has 7 working days.
    const result = await scanOnce(h.deps, new Date('2026-11-23T02:00:00Z'));
    expect(result.scanned).toBeGreaterThan(0);
    expect(await list(bjSuper, 'overdue=true')).toEqual(expect.arrayContaining([numbers.old]));
    expect(await list(bjSuper, 'overdue=true')).not.toContain(numbers.recent);
    const row = (await bjSuper.get(`/admin/cases?q=${numbers.old}`)).body.items[0];
    expect(row).toMatchObject({ overdue: true, clock: { kind: 'accept', due: '2026-10-15' } });
    expect(await list(bjSuper, 'sort=due_asc')).toEqual([numbers.old, numbers.report, numbers.recent]);
    const after = (await bjSuper.get('/admin/dashboard')).body;
    expect(after.overdue).toBeGreaterThan(before.overdue);
    // A scan does not make a staff member's version stale.
    expect((await h.deps.models.Case.findOne({ number: numbers.old }).lean())!.version).toBe(0);
    // The handler of Haidian is not told about Chaoyang's overdue cases.
    const hdOverdue = (await haidian.get('/admin/cases?overdue=true&pageSize=100')).body.items.map((i: { bureauCode: string }) => i.bureauCode);
    expect(new Set(hdOverdue)).toEqual(new Set(hdOverdue.length ? ['110108'] : []));
  });

  it('marks a case due within two working days as due soon', async () => {
    const today = beijingDate(new Date());
    const number = await insertCase(h, { owner, bureauCode: BUREAUS.chaoyang.code, deadlines: { acceptBy: addWorkingDays(today, 1) } });
    await scanOnce(h.deps);
    expect((await h.deps.models.Case.findOne({ number }).lean())!.deadlineState).toBe('due_soon');
    expect((await chaoyang.get('/admin/cases?dueSoon=true&pageSize=100')).body.items.map((i: { number: string }) => i.number)).toContain(number);
  });

  it.each([['status=unknown'], ['overdue=maybe'], ['from=2026-13-45'], ['page=0'], ['region=abc'], ['sort=version']])(
    'refuses a bad filter %s with 400',
    async (query) => {
      const res = await chaoyang.get(`/admin/cases?${query}`);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    },
  );
});

describe('staff sign-in', () => {
  it('after the failures allowed, even the right password gets the answer a wrong one gets, until an admin unlocks', async () => {
    const allowed = h.deps.config.limits.staffLockPair.points;
    await createStaff(h, { username: 'lock-me', role: 'handler', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '110105' });
    const wrong: Array<{ status: number; body: unknown }> = [];
    for (let i = 0; i < allowed; i++) {
      const res = await h.http('POST', '/api/v1/admin/login', { body: { username: 'lock-me', password: 'wrong-password' } });
      wrong.push({ status: res.status, body: res.body });
    }
    const right = await h.http('POST', '/api/v1/admin/login', { body: { username: 'lock-me', password: STAFF_PASSWORD } });
    expect(new Set([...wrong, { status: right.status, body: right.body }].map((r) => JSON.stringify(r))).size).toBe(1);
    expect(right.status).toBe(401);
    expect(right.body.error.code).toBe('LOGIN_FAILED');
    expect(right.headers.get('set-cookie')).toBeNull();

    const staff = (await admin.get('/admin/staff')).body.items.find((s: { username: string }) => s.username === 'lock-me');
    expect((await admin.post(`/admin/staff/${staff.id}`, { unlock: true })).body.locked).toBe(false);
    expect((await h.http('POST', '/api/v1/admin/login', { body: { username: 'lock-me', password: STAFF_PASSWORD } })).status).toBe(200);
  });

  it('locks an account even when the wrong passwords arrive all at once', async () => {
    await createStaff(h, { username: 'race-me', role: 'handler', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '110105' });
    await Promise.all(
      Array.from({ length: h.deps.config.limits.staffLockPair.points * 2 }, () =>
        h.http('POST', '/api/v1/admin/login', { body: { username: 'race-me', password: 'wrong-password' } }),
      ),
    );
    const right = await h.http('POST', '/api/v1/admin/login', { body: { username: 'race-me', password: STAFF_PASSWORD } });
    expect(right.status).toBe(401);
    expect(right.body.error.code).toBe('LOGIN_FAILED');
  });

  it('refuses a change without the CSRF token or with a wrong one, and changes nothing', async () => {
    const number = await insertCase(h, { owner, bureauCode: BUREAUS.chaoyang.code });
    const attempts: Array<Record<string, string>> = [{ cookie: chaoyang.cookie }, { cookie: chaoyang.cookie, 'x-csrf-token': 'x'.repeat(32) }];
    for (const headers of attempts) {
      const res = await h.http('POST', `/api/v1/admin/cases/${number}/transitions`, { headers, body: { action: 'accept', version: 0 } });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('CSRF_FAILED');
    }
    expect((await h.deps.models.Case.findOne({ number }).lean())!.status).toBe('submitted');
  });

  it('sets an HttpOnly SameSite=Strict cookie that expires, and ends the session on logout', async () => {
    const res = await h.http('POST', '/api/v1/admin/login', { body: { username: 'demo', password: STAFF_PASSWORD } });
    const setCookie = res.headers.get('set-cookie')!;
    expect(setCookie).toMatch(/httponly/i);
    expect(setCookie).toMatch(/samesite=strict/i);
    expect(setCookie).toMatch(/max-age=\d+|expires=/i);
    const cookie = setCookie.split(';')[0];
    const sid = cookie.split('=')[1];
    const ttl = await h.deps.redis.ttl(h.deps.key('sess', sid));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(h.deps.config.staffSessionTtlS);

    const out = await h.http('POST', '/api/v1/admin/logout', { headers: { cookie, 'x-csrf-token': res.body.csrfToken } });
    expect(out.status).toBe(204);
    expect((await h.http('GET', '/api/v1/admin/me', { headers: { cookie } })).status).toBe(401);
  });

  it('a session whose key expired answers 401', async () => {
    const c = await signIn(h, 'demo');
    await h.deps.redis.del(h.deps.key('sess', c.cookie.split('=')[1]));
    expect((await c.get('/admin/me')).status).toBe(401);
  });
});

describe('staff and bureau management', () => {
  it('an admin creates a bureau and a handler who then works only that bureau', async () => {
    const b = await admin.post('/admin/bureaus', { code: '110101', name: '北京市东城区市场监督管理局', regionCode: '110101' });
    expect(b.status).toBe(201);
    expect((await admin.post('/admin/bureaus', { code: '110101', name: '重复', regionCode: '110101' })).status).toBe(409);
    const created = await admin.post('/admin/staff', {
      username: 'dc-handler',
      displayName: '东城承办人',
      role: 'handler',
      bureauCode: '110101',
      password: 'a-long-password',
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ role: 'handler', bureauCode: '110101', regionPrefix: '110101', active: true });
    expect(JSON.stringify(created.body)).not.toMatch(/passwordHash|argon2/);
    expect((await admin.post('/admin/staff', { ...created.body, password: 'a-long-password', id: undefined })).status).toBe(400);
    const dup = await admin.post('/admin/staff', { username: 'dc-handler', displayName: '重复', role: 'handler', bureauCode: '110101', password: 'a-long-password' });
    expect(dup.status).toBe(409);

    const dc = await signIn(h, 'dc-handler', 'a-long-password');
    const here = await insertCase(h, { owner, bureauCode: '110101' });
    expect((await dc.get(`/admin/cases/${here}`)).status).toBe(200);
    expect((await dc.get('/admin/cases')).body.items.map((i: { number: string }) => i.number)).toEqual([here]);

    // Moving the account to another bureau ends its sessions: the old scope must not linger.
    await admin.post(`/admin/staff/${created.body.id}`, { bureauCode: BUREAUS.haidian.code });
    expect((await dc.get('/admin/me')).status).toBe(401);
    const audit = await admin.get('/admin/audit?username=root');
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['bureau_create', 'staff_create', 'staff_update']));
  });

  it.each([
    ['a handler', () => chaoyang],
    ['a supervisor', () => bjSuper],
  ])('refuses %s managing staff or bureaus with 403', async (_who, client) => {
    const c = client();
    expect((await c.get('/admin/staff')).status).toBe(403);
    expect((await c.post('/admin/bureaus', { code: '110102', name: '北京市西城区市场监督管理局', regionCode: '110102' })).status).toBe(403);
    expect(await h.deps.models.Bureau.exists({ code: '110102' })).toBeNull();
  });

  it('refuses a supervisor whose region does not contain the bureau, and an admin disabling itself', async () => {
    const bad = await admin.post('/admin/staff', {
      username: 'odd-super',
      displayName: '错配主管',
      role: 'supervisor',
      bureauCode: BUREAUS.xuhui.code,
      regionPrefix: '11',
      password: 'a-long-password',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('REGION_MISMATCH');
    const me = (await admin.get('/admin/staff')).body.items.find((s: { username: string }) => s.username === 'root');
    expect((await admin.post(`/admin/staff/${me.id}`, { active: false })).body.error.code).toBe('SELF_LOCKOUT');
  });
});
