/**
 * The consumer's view of handling names the bureau and the role of whoever took a step
 * (北京市朝阳区市场监督管理局 · 承办人), never a staff account: no username and no staff id in any reply.
 */
import { seed } from '../../bff/src/seed';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { BUREAUS, createStaff, insertCase, seedBureaus, signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';

let h: Harness;
let zhang: StaffClient;
let li: StaffClient;
let wang: StaffClient;
let consumer: { accessToken: string; user: { id: string } };
const USERNAMES = ['cy-zhangsan', 'bj-lisi', 'hd-wangwu'];
let staffIds: string[];

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  await seedBureaus(h);
  await createStaff(h, { username: 'cy-zhangsan', role: 'handler', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '110105' });
  await createStaff(h, { username: 'bj-lisi', role: 'supervisor', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '11' });
  await createStaff(h, { username: 'hd-wangwu', role: 'handler', bureauCode: BUREAUS.haidian.code, regionPrefix: '110108' });
  [zhang, li, wang] = await Promise.all(USERNAMES.map((u) => signIn(h, u)));
  staffIds = (await h.deps.models.Staff.find({}, { _id: 1 }).lean()).map((s) => String(s._id));
  consumer = await loginAs(h, 'wechat', 'wx-timeline-consumer');
});
afterAll(() => h.close());

async function act(who: StaffClient, number: string, body: Record<string, unknown>) {
  const current = await who.get(`/admin/cases/${number}`);
  const res = await who.post(`/admin/cases/${number}/transitions`, { version: current.body.version, ...body });
  expect(res.status).toBe(200);
  return res;
}

const asConsumer = (method: 'GET' | 'POST', path: string, body?: unknown) => h.http(method, `/api/v1${path}`, { token: consumer.accessToken, ...(body ? { body } : {}) });

/** No staff username or id anywhere in a reply. */
function expectNoStaffAccount(body: unknown) {
  const text = JSON.stringify(body);
  for (const name of [...USERNAMES, 'demo']) expect(text).not.toContain(name);
  for (const id of staffIds) expect(text).not.toContain(id);
  expect(text).not.toContain('staff:');
}

const CHAOYANG_HANDLER = '北京市朝阳区市场监督管理局 · 承办人';
const CHAOYANG_SUPERVISOR = '北京市朝阳区市场监督管理局 · 监管主管';
const HAIDIAN_HANDLER = '北京市海淀区市场监督管理局 · 承办人';

describe('a case handled by three staff members of two bureaus', () => {
  let number: string;

  beforeAll(async () => {
    number = await insertCase(h, { owner: { userId: consumer.user.id, platform: 'wechat' }, bureauCode: BUREAUS.chaoyang.code });
    await act(zhang, number, { action: 'accept' });
    await act(li, number, { action: 'reassign', toBureau: BUREAUS.haidian.code, reason: '被投诉方经营地在海淀区，改由海淀区局办理' });
    await act(wang, number, { action: 'start_mediation' });
  });

  it('the case shows each staff step with the bureau and the role at the time, the actor only as staff', async () => {
    const res = await asConsumer('GET', `/complaints/${number}`);
    expect(res.status).toBe(200);
    expect(res.body.timeline.map((t: { action: string; actor: string; actorLabel?: string }) => [t.action, t.actor, t.actorLabel])).toEqual([
      ['submit', 'consumer', undefined],
      ['accept', 'staff', CHAOYANG_HANDLER],
      ['reassign', 'staff', CHAOYANG_SUPERVISOR],
      ['start_mediation', 'staff', HAIDIAN_HANDLER],
    ]);
    expectNoStaffAccount(res.body);
  });

  it('the progress steps say who in the same words, and name no account', async () => {
    const res = await asConsumer('GET', `/complaints/${number}/progress`);
    expect(res.status).toBe(200);
    // Reassignment inside a region is internal work: the progress leaves it out.
    expect(res.body.steps.map((s: { by?: string }) => s.by)).toEqual([undefined, CHAOYANG_HANDLER, HAIDIAN_HANDLER]);
    expectNoStaffAccount(res.body);
  });

  it('the list and the withdraw reply name no account either', async () => {
    const list = await asConsumer('GET', '/complaints');
    expect(list.status).toBe(200);
    expectNoStaffAccount(list.body);
    const withdrawn = await asConsumer('POST', `/complaints/${number}/withdraw`, { reason: '已与商家协商解决' });
    expect(withdrawn.status).toBe(200);
    expect(withdrawn.body.timeline.at(-1)).toMatchObject({ action: 'withdraw', actor: 'consumer' });
    expect(withdrawn.body.timeline[1]).toMatchObject({ actor: 'staff', actorLabel: CHAOYANG_HANDLER });
    expectNoStaffAccount(withdrawn.body);
  });

  it('staff still see which account took each step', async () => {
    const res = await zhang.get(`/admin/cases/${number}`);
    expect(res.status).toBe(404);
    const mine = await wang.get(`/admin/cases/${number}`);
    expect(mine.body.timeline.slice(1).map((t: { actor: string }) => t.actor)).toEqual(['staff:cy-zhangsan', 'staff:bj-lisi', 'staff:hd-wangwu', 'consumer']);
  });
});

it('steps recorded before the role and bureau were kept take them from the account, or say 工作人员 when it is gone', async () => {
  const at = new Date();
  const number = await insertCase(h, {
    owner: { userId: consumer.user.id, platform: 'wechat' },
    bureauCode: BUREAUS.chaoyang.code,
    status: 'mediating',
    extra: {
      timeline: [
        { at, actor: 'consumer', action: 'submit', from: null, to: 'submitted' },
        { at, actor: 'staff:cy-zhangsan', action: 'accept', from: 'submitted', to: 'accepted' },
        { at, actor: 'staff:left-long-ago', action: 'start_mediation', from: 'accepted', to: 'mediating' },
      ],
    },
  });
  const res = await asConsumer('GET', `/complaints/${number}`);
  expect(res.body.timeline.map((t: { actorLabel?: string }) => t.actorLabel)).toEqual([undefined, CHAOYANG_HANDLER, '市场监督管理部门 · 工作人员']);
  expectNoStaffAccount(res.body);
  expect(JSON.stringify(res.body)).not.toContain('left-long-ago');
  const progress = await asConsumer('GET', `/complaints/${number}/progress`);
  expect(progress.body.steps.map((s: { by?: string }) => s.by)).toEqual([undefined, CHAOYANG_HANDLER, '市场监督管理部门 · 工作人员']);
});
