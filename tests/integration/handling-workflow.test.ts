import mongoose from 'mongoose';
import { seed } from '../../bff/src/seed';
import { caseField, casePlace } from '../../bff/src/modules/complaints/case-seal';
import { addWorkingDays, beijingDate, workingDaysBetween } from '../../shared/calendar/working-days';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { BUREAUS, createStaff, insertCase, seedBureaus, signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';

let h: Harness;
let handler: StaffClient;
let haidian: StaffClient;
let supervisor: StaffClient;
let admin: StaffClient;
let consumer: { accessToken: string; user: { id: string } };
const today = () => beijingDate(new Date());

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  await seedBureaus(h);
  await createStaff(h, { username: 'hd-handler', role: 'handler', bureauCode: BUREAUS.haidian.code, regionPrefix: '110108' });
  await createStaff(h, { username: 'bj-super', role: 'supervisor', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '11' });
  await createStaff(h, { username: 'root', role: 'admin', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '' });
  [handler, haidian, supervisor, admin] = await Promise.all([signIn(h, 'demo'), signIn(h, 'hd-handler'), signIn(h, 'bj-super'), signIn(h, 'root')]);
  consumer = await loginAs(h, 'wechat', 'wx-handling-consumer');
});
afterAll(() => h.close());

const newCase = (extra: Parameters<typeof insertCase>[1] extends infer T ? Partial<T> : never = {}) =>
  insertCase(h, { owner: { userId: consumer.user.id, platform: 'wechat' }, bureauCode: BUREAUS.chaoyang.code, ...extra });

async function act(who: StaffClient, number: string, body: Record<string, unknown>) {
  const current = await who.get(`/admin/cases/${number}`);
  return who.post(`/admin/cases/${number}/transitions`, { version: current.body.version, ...body });
}

describe('a complaint from arrival to closure', () => {
  it('accept -> mediation -> testing pause and resume -> agreement -> closure, each step timed, recorded and announced', async () => {
    const number = await newCase();
    const accepted = await act(handler, number, { action: 'accept' });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ status: 'accepted', version: 1, clock: { kind: 'mediation', paused: false } });
    expect(accepted.body.deadlines.mediationBy).toBe(addWorkingDays(today(), 45));
    expect(accepted.body.actions.map((a: { action: string }) => a.action)).toEqual(['start_mediation', 'pause_for_testing', 'terminate']);

    const mediating = await act(handler, number, { action: 'start_mediation' });
    expect(mediating.body.status).toBe('mediating');

    const paused = await act(handler, number, { action: 'pause_for_testing', reason: '空调送检，委托第三方检测压缩机' });
    expect(paused.body).toMatchObject({ status: 'mediating', testing: { pausedOn: today() }, clock: { paused: true } });
    expect(paused.body.actions.map((a: { action: string }) => a.action)).toEqual(['resume_after_testing', 'terminate']);
    const refusedWhilePaused = await act(handler, number, { action: 'agree' });
    expect(refusedWhilePaused.status).toBe(422);
    expect(refusedWhilePaused.body.error.code).toBe('TRANSITION_NOT_ALLOWED');

    // The testing took three working days: the pause started three working days ago.
    const pausedOn = workingDaysAgo(3);
    await h.deps.models.Case.updateOne({ number }, { $set: { pausedOn } });
    const before = (await handler.get(`/admin/cases/${number}`)).body.deadlines.mediationBy;
    const resumed = await act(handler, number, { action: 'resume_after_testing' });
    expect(resumed.body.testing).toBeNull();
    expect(resumed.body.pauses).toEqual([{ from: pausedOn, to: today(), workingDays: 3, note: '空调送检，委托第三方检测压缩机' }]);
    expect(resumed.body.deadlines.mediationBy).toBe(addWorkingDays(before, 3));

    const agreed = await act(handler, number, { action: 'agree' });
    expect(agreed.body).toMatchObject({ status: 'resolved', clock: null });
    const closed = await act(handler, number, { action: 'close' });
    expect(closed.body).toMatchObject({ status: 'closed', actions: [] });

    expect(closed.body.timeline.map((t: { action: string; from: string | null; to: string }) => [t.action, t.from, t.to])).toEqual([
      ['submit', null, 'submitted'],
      ['accept', 'submitted', 'accepted'],
      ['start_mediation', 'accepted', 'mediating'],
      ['pause_for_testing', 'mediating', 'mediating'],
      ['resume_after_testing', 'mediating', 'mediating'],
      ['agree', 'mediating', 'resolved'],
      ['close', 'resolved', 'closed'],
    ]);
    expect(closed.body.timeline.slice(1).every((t: { actor: string }) => t.actor === 'staff:demo')).toBe(true);
    const events = (await h.deps.models.Case.findOne({ number }).lean())!.deliveries as unknown as Record<string, { event: string }>;
    expect(Object.values(events).map((d) => d.event).sort()).toEqual(['accepted', 'closed', 'mediation_started', 'resolved']);
    const audited = await h.deps.models.AuditEntry.find({ caseNumber: number, action: 'transition' }).lean();
    expect(audited.map((a) => a.detail)).toContain('close: resolved -> closed');
  });

  it('rejects with a legal ground from Art 15 and the facts, told to the consumer', async () => {
    const number = await newCase();
    const res = await act(handler, number, { action: 'reject', reasonCode: 'time_barred', reason: '消费发生于四年前' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('rejected');
    expect(res.body.timeline.at(-1).note).toContain('超过三年');
    expect(res.body.timeline.at(-1).note).toContain('消费发生于四年前');
    expect(res.body.deliveries.map((d: { event: string }) => d.event)).toEqual(['rejected']);
  });

  it.each([
    ['no ground', { action: 'reject', reason: '材料不全' }, 400, 'VALIDATION_FAILED'],
    ['no text', { action: 'reject', reasonCode: 'time_barred' }, 400, 'VALIDATION_FAILED'],
    ['a ground from another list', { action: 'reject', reasonCode: 'party_refuses', reason: '不来调解' }, 400, 'REASON_INVALID'],
    ['an unknown action', { action: 'approve_all' }, 422, 'TRANSITION_NOT_ALLOWED'],
    ['an operator object as reason', { action: 'reject', reasonCode: 'time_barred', reason: { $gt: '' } }, 400, 'VALIDATION_FAILED'],
    ['an unknown field', { action: 'accept', bureauCode: '310104' }, 400, 'VALIDATION_FAILED'],
  ])('refuses a transition with %s and changes nothing', async (_name, body, status, code) => {
    const number = await newCase();
    const res = await act(handler, number, body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(/[\u4e00-\u9fa5]/);
    const after = await h.deps.models.Case.findOne({ number }).lean();
    expect(after).toMatchObject({ status: 'submitted', version: 0 });
    expect(after!.timeline).toHaveLength(1);
  });

  it('terminates mediation with an Art 21 ground', async () => {
    const number = await newCase();
    await act(handler, number, { action: 'accept' });
    const res = await act(handler, number, { action: 'terminate', reasonCode: 'party_refuses', reason: '被投诉人两次未到场' });
    expect(res.body).toMatchObject({ status: 'mediation_ended' });
    expect((await act(handler, number, { action: 'close' })).body.status).toBe('closed');
  });
});

describe('transfer to another bureau', () => {
  it('moves the case, restarts the acceptance clock there, records it and the old bureau gets 404', async () => {
    const receivedAt = new Date(Date.now() - 5 * 86_400_000);
    const number = await newCase({ receivedAt });
    const res = await act(handler, number, {
      action: 'transfer',
      toBureau: BUREAUS.haidian.code,
      reasonCode: 'no_jurisdiction',
      reason: '被投诉人实际经营地在海淀区',
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'submitted', bureau: { code: BUREAUS.haidian.code }, actions: [] });
    expect(res.body.deadlines.acceptBy).toBe(addWorkingDays(today(), 7));
    expect(res.body.transfers).toEqual([
      expect.objectContaining({ kind: 'transfer', fromBureau: '110105', toBureau: '110108', reasonCode: 'no_jurisdiction', by: 'demo' }),
    ]);
    expect(res.body.timeline.at(-1).note).toContain('移送至北京市海淀区市场监督管理局');
    expect(res.body.deliveries.map((d: { event: string }) => d.event)).toEqual(['transferred']);

    expect((await handler.get(`/admin/cases/${number}`)).status).toBe(404);
    const there = await haidian.get(`/admin/cases/${number}`);
    expect(there.status).toBe(200);
    expect(there.body.actions.map((a: { action: string }) => a.action)).toEqual(['accept', 'reject', 'transfer']);
  });

  it.each([
    ['an unknown bureau', '999999', 'BUREAU_UNKNOWN'],
    ['its own bureau', '110105', 'BUREAU_SAME'],
  ])('refuses a transfer to %s', async (_name, toBureau, code) => {
    const number = await newCase();
    const res = await act(handler, number, { action: 'transfer', toBureau, reasonCode: 'no_jurisdiction', reason: '不属本局管辖' });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
  });

  it('lets a supervisor reassign within the region without restarting the clock, and not outside it', async () => {
    const number = await newCase();
    const acceptBy = (await supervisor.get(`/admin/cases/${number}`)).body.deadlines.acceptBy;
    const outside = await act(supervisor, number, { action: 'reassign', toBureau: BUREAUS.xuhui.code, reason: '平衡工作量' });
    expect(outside.status).toBe(400);
    expect(outside.body.error.code).toBe('BUREAU_OUT_OF_SCOPE');
    const res = await act(supervisor, number, { action: 'reassign', toBureau: BUREAUS.haidian.code, reason: '平衡工作量' });
    expect(res.body).toMatchObject({ status: 'submitted', bureau: { code: '110108' }, deadlines: { acceptBy } });
    expect(res.body.timeline.at(-1).note).toBe('改派至北京市海淀区市场监督管理局；平衡工作量');
  });
});

describe('roles', () => {
  it('a handler may not reassign (403) and an admin takes no case action (403)', async () => {
    const number = await newCase();
    const byHandler = await act(handler, number, { action: 'reassign', toBureau: BUREAUS.haidian.code, reason: '平衡工作量' });
    expect(byHandler.status).toBe(403);
    expect(byHandler.body.error.code).toBe('ROLE_FORBIDDEN');
    const byAdmin = await act(admin, number, { action: 'accept' });
    expect(byAdmin.status).toBe(403);
    expect((await admin.get(`/admin/cases/${number}`)).body.actions).toEqual([]);
    expect((await h.deps.models.Case.findOne({ number }).lean())!.status).toBe('submitted');
  });

  it('a consumer action is not a staff action', async () => {
    const number = await newCase();
    const res = await act(handler, number, { action: 'withdraw' });
    expect(res.status).toBe(403);
  });
});

describe('concurrent changes', () => {
  it('answers 409 VERSION_CONFLICT to a stale version and leaves the case as the winner left it', async () => {
    const number = await newCase();
    expect((await handler.post(`/admin/cases/${number}/transitions`, { action: 'accept', version: 0 })).status).toBe(200);
    const stale = await handler.post(`/admin/cases/${number}/transitions`, { action: 'reject', reasonCode: 'time_barred', reason: '超过三年', version: 0 });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('VERSION_CONFLICT');
    expect((await h.deps.models.Case.findOne({ number }).lean())).toMatchObject({ status: 'accepted', version: 1 });
  });

  it('lets exactly one of two racing transitions win', async () => {
    const number = await newCase();
    const [a, b] = await Promise.all([
      handler.post(`/admin/cases/${number}/transitions`, { action: 'accept', version: 0 }),
      supervisor.post(`/admin/cases/${number}/transitions`, { action: 'reject', reasonCode: 'time_barred', reason: '超过三年', version: 0 }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    const doc = await h.deps.models.Case.findOne({ number }).lean();
    expect(doc!.version).toBe(1);
    expect(doc!.timeline).toHaveLength(2);
  });
});

describe('reports', () => {
  it('open a case -> the real-name reporter is told, with 5 working days to confirm -> close', async () => {
    const _id = new mongoose.Types.ObjectId();
    const nameSealed = h.deps.pii.seal('李四', casePlace(_id, caseField.complainant('name')));
    const number = await newCase({ type: 'report', extra: { _id, complainant: { nameSealed, nameMasked: '李*' } } });
    const detail = await handler.get(`/admin/cases/${number}`);
    expect(detail.body.clock.kind).toBe('decide');
    expect(detail.body.actions.map((a: { action: string }) => a.action)).toEqual(['open_case', 'decline', 'transfer']);
    const opened = await act(handler, number, { action: 'open_case' });
    expect(opened.body).toMatchObject({ status: 'case_opened', clock: { kind: 'inform' } });
    expect(opened.body.deadlines.informBy).toBe(addWorkingDays(today(), 5));
    expect(opened.body.deliveries.map((d: { event: string }) => d.event)).toEqual(['report_decided']);
    expect((await act(handler, number, { action: 'close' })).body.status).toBe('closed');
  });

  it('runs no clock to tell an anonymous reporter', async () => {
    const number = await newCase({ type: 'report' });
    const opened = await act(handler, number, { action: 'open_case' });
    expect(opened.body).toMatchObject({ status: 'case_opened', clock: null });
    expect(opened.body.deadlines.informBy).toBeUndefined();
  });

  it('declines with a ground and refuses complaint actions on a report', async () => {
    const number = await newCase({ type: 'report' });
    expect((await act(handler, number, { action: 'accept' })).status).toBe(422);
    const res = await act(handler, number, { action: 'decline', reasonCode: 'leads_insufficient', reason: '未提供被举报人地址' });
    expect(res.body.status).toBe('not_opened');
  });
});

describe('the consumer side', () => {
  it('shows the steps and the next deadline, then takes one feedback after closure', async () => {
    const number = await newCase();
    const token = consumer.accessToken;
    const early = await h.http('GET', `/api/v1/complaints/${number}/progress`, { token });
    expect(early.body).toMatchObject({ status: 'submitted', nextDeadline: { label: '受理期限' }, canGiveFeedback: false });
    const tooEarly = await h.http('POST', `/api/v1/complaints/${number}/feedback`, { token, body: { satisfied: true } });
    expect(tooEarly.status).toBe(422);
    expect(tooEarly.body.error.code).toBe('FEEDBACK_NOT_OPEN');

    await act(handler, number, { action: 'accept' });
    await act(handler, number, { action: 'terminate', reasonCode: 'no_agreement_possible', reason: '双方无法达成一致' });
    await act(handler, number, { action: 'close' });
    const progress = await h.http('GET', `/api/v1/complaints/${number}/progress`, { token });
    expect(progress.body.steps.map((s: { label: string }) => s.label)).toEqual(['提交', '受理', '终止调解', '办结']);
    expect(progress.body).toMatchObject({ statusLabel: '已办结', nextDeadline: null, canGiveFeedback: true });

    const bad = await h.http('POST', `/api/v1/complaints/${number}/feedback`, { token, body: { satisfied: 'yes' } });
    expect(bad.status).toBe(400);
    const given = await h.http('POST', `/api/v1/complaints/${number}/feedback`, { token, body: { satisfied: false, text: '赔偿太少' } });
    expect(given.status).toBe(200);
    expect(given.body).toMatchObject({ feedback: { satisfied: false, text: '赔偿太少' }, canGiveFeedback: false });
    const again = await h.http('POST', `/api/v1/complaints/${number}/feedback`, { token, body: { satisfied: true } });
    expect(again.status).toBe(409);
    expect((await handler.get(`/admin/cases/${number}`)).body.feedback).toMatchObject({ satisfied: false, text: '赔偿太少' });
  });

  it("does not show one consumer's progress to another", async () => {
    const number = await newCase();
    const other = await loginAs(h, 'wechat', 'wx-handling-other');
    expect((await h.http('GET', `/api/v1/complaints/${number}/progress`, { token: other.accessToken })).status).toBe(404);
    expect((await h.http('POST', `/api/v1/complaints/${number}/feedback`, { token: other.accessToken, body: { satisfied: true } })).status).toBe(404);
  });
});

function workingDaysAgo(n: number): string {
  let d = today();
  while (workingDaysBetween(d, today()) < n) {
    const t = new Date(`${d}T00:00:00Z`);
    t.setUTCDate(t.getUTCDate() - 1);
    d = t.toISOString().slice(0, 10);
  }
  return d;
}
