/**
 * Staff work on cases: the queue in their scope, one case, the audited reveal of personal data,
 * and the state transitions of shared/complaint/workflow.ts.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { StaffSession } from '../staff/staff.service';
import { staffIntakeView, toDetail, toSummary } from '../complaints/complaints.service';
import type { Case, Delivery } from '../complaints/complaint.model';
import { buildDelivery, deliveryView } from '../notify/outbox';
import * as audit from '../audit/audit.service';
import { availableActions, findTransition, targetStatus, type Actor, type Transition } from '../../../../shared/complaint/workflow';
import { FINAL_STATUSES, type CaseType, type ComplaintStatus } from '../../../../shared/complaint/status';
import { findReason, REASON_LISTS, type Reason } from '../../../../shared/complaint/reasons';
import {
  deadlineState,
  extendForPause,
  initialDeadlines,
  provisionalDeadlines,
  ruleSetFor,
  runningClock,
  type ClockFacts,
  type DeadlineKey,
  type RuleSet,
} from '../../../../shared/complaint/deadlines';
import { normaliseName, queryTerms } from '../../../../shared/complaint/search-terms';
import { isValidCaseNumber, normalizeCaseNumber } from '../../../../shared/complaint/case-number';
import { addWorkingDays, beijingDate, isProvisional, workingDaysBetween } from '../../../../shared/calendar/working-days';
import { piiFields, type CaseFilters, type CaseListQuery, type PiiField, type TransitionInput } from '../../../../shared/api/admin';
import { recordCaseChange } from '../insight/counters';
import { announceOutbox } from '../notify/announce';
import { caseField, casePlace, openCase, sealCaseValue } from '../complaints/case-seal';

export type { CaseFilters, CaseListQuery };

export type CaseDoc = Case & { _id: mongoose.Types.ObjectId };

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const CONFLICT = () => new AppError(409, 'VERSION_CONFLICT', '案件已被他人更新，请刷新后再试');
const NOT_FOUND = () => new AppError(404, 'NOT_FOUND', '案件不存在或不在您的管辖范围内');

/** Codes of the bureaus whose region starts with a prefix. */
async function bureausUnder(deps: Deps, prefix: string): Promise<string[]> {
  const bureaus = await deps.models.Bureau.find({ regionCode: mongoose.trusted({ $regex: `^${escapeRegex(prefix)}` }) }, { code: 1 }).lean();
  return bureaus.map((b) => b.code);
}

/**
 * The cases a staff member may see, as a filter every query includes: an admin sees all, a
 * supervisor the bureaus under a region prefix, a handler their own bureau. Anything outside
 * answers 404, so a case number tells nobody outside the scope that it exists.
 */
export async function scopeFilter(deps: Deps, staff: StaffSession): Promise<Record<string, unknown>> {
  if (staff.role === 'admin') return {};
  if (staff.role === 'handler') return { bureauCode: staff.bureauCode };
  return { bureauCode: mongoose.trusted({ $in: await bureausUnder(deps, staff.regionPrefix) }) };
}

function clockFacts(doc: CaseDoc): ClockFacts {
  return { type: doc.type as CaseType, status: doc.status as ComplaintStatus, deadlines: doc.deadlines, pausedOn: doc.pausedOn };
}

function clockOf(doc: CaseDoc, today: string) {
  const running = runningClock(clockFacts(doc), today);
  const clock = running && { ...running, provisional: isProvisional(beijingDate(doc.receivedAt), running.due) };
  return { clock, daysLeft: clock?.daysLeft ?? null, overdue: clock?.overdue ?? false, deadlines: deadlinesOf(doc) };
}

function deadlinesOf(doc: CaseDoc): Partial<Record<DeadlineKey, string>> & { provisional?: DeadlineKey[] } {
  const dates = Object.fromEntries(Object.entries(doc.deadlines ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'));
  const provisional = provisionalDeadlines(beijingDate(doc.receivedAt), dates);
  return { ...dates, ...(provisional.length ? { provisional } : {}) };
}

/** Start of a Beijing calendar date as an instant. */
const beijingStart = (date: string) => new Date(`${date}T00:00:00+08:00`);


const SORTS = {
  received_desc: { receivedAt: -1 },
  received_asc: { receivedAt: 1 },
  due_asc: { dueOn: 1, receivedAt: 1 },
} as const;

/**
 * The queue's filters as one query, always inside the staff member's scope: the queue, the export
 * and anything else that lists "the cases I see with these filters" build it here.
 */
export async function caseFilter(deps: Deps, staff: StaffSession, query: CaseFilters): Promise<{ $and: Record<string, unknown>[] }> {
  const and: Record<string, unknown>[] = [await scopeFilter(deps, staff)];
  if (query.status) and.push({ status: query.status });
  if (query.type) and.push({ type: query.type });
  // Codes are paths ("goods.appliance", "price.overcharge"): a parent selects its children too,
  // in either tree (what was bought, or the nature of the problem).
  if (query.category) {
    const code = mongoose.trusted({ $regex: `^${escapeRegex(query.category)}(\\.|$)` });
    and.push({ $or: [{ 'business.categoryCode': code }, { 'business.problemTypeCode': code }] });
  }
  if (query.region) and.push({ bureauCode: mongoose.trusted({ $in: await bureausUnder(deps, query.region) }) });
  if (query.overdue !== undefined) and.push({ deadlineState: query.overdue ? 'overdue' : mongoose.trusted({ $ne: 'overdue' }) });
  if (query.dueSoon) and.push({ deadlineState: 'due_soon' });
  if (query.from) and.push({ receivedAt: mongoose.trusted({ $gte: beijingStart(query.from) }) });
  if (query.to) and.push({ receivedAt: mongoose.trusted({ $lt: beijingStart(addDays(query.to, 1)) }) });
  if (query.q) {
    const q = query.q;
    // A case number, or words of the respondent's name: found through the name's indexed terms,
    // the order of the characters confirmed on the normalised name.
    and.push(
      isValidCaseNumber(q)
        ? { number: normalizeCaseNumber(q) }
        : {
            'respondent.terms': mongoose.trusted({ $all: queryTerms(q) }),
            'respondent.nameKey': mongoose.trusted({ $regex: escapeRegex(normaliseName(q)) }),
          },
    );
  }
  return { $and: and };
}

/** Query options for a caseFilter: the category lives in the intake's business details, which this schema may not declare. */
export const CASE_FILTER_OPTIONS = { strictQuery: false } as const;

export async function listCases(deps: Deps, staff: StaffSession, query: CaseListQuery) {
  const filter = await caseFilter(deps, staff, query);
  const { Case } = deps.models;
  const [docs, total] = await Promise.all([
    Case.find(filter, null, CASE_FILTER_OPTIONS)
      .sort(SORTS[query.sort])
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .lean<CaseDoc[]>(),
    Case.countDocuments(filter).setOptions(CASE_FILTER_OPTIONS),
  ]);
  const today = beijingDate(new Date());
  return {
    items: docs.map((d) => ({ ...toSummary(d), ...clockOf(d, today), version: d.version, bureauCode: d.bureauCode })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

function addDays(date: string, days: number): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + days);
  return t.toISOString().slice(0, 10);
}

/** Counts for the dashboard banner, within the staff member's scope. */
export async function dashboard(deps: Deps, staff: StaffSession) {
  const scope = await scopeFilter(deps, staff);
  const { Case } = deps.models;
  const open = mongoose.trusted({ $nin: FINAL_STATUSES });
  const [openCount, dueSoon, overdue, submitted] = await Promise.all([
    Case.countDocuments({ $and: [scope, { status: open }] }),
    Case.countDocuments({ $and: [scope, { deadlineState: 'due_soon' }] }),
    Case.countDocuments({ $and: [scope, { deadlineState: 'overdue' }] }),
    Case.countDocuments({ $and: [scope, { status: 'submitted' }] }),
  ]);
  return { open: openCount, dueSoon, overdue, submitted };
}

async function loadInScope(deps: Deps, staff: StaffSession, number: string): Promise<CaseDoc> {
  if (!isValidCaseNumber(number)) throw new AppError(400, 'CASE_NUMBER_INVALID', '投诉编号有误，请核对后再试');
  const doc = await deps.models.Case.findOne({ $and: [{ number }, await scopeFilter(deps, staff)] }).lean<CaseDoc>();
  if (!doc) throw NOT_FOUND();
  return doc;
}

/** The complainant snapshot the intake writes; absent for anonymous reports. */
type Complainant = Partial<Record<`${PiiField}Sealed` | 'nameMasked' | 'phoneMasked' | 'addressMasked', string>>;
const complainantOf = (doc: CaseDoc): Complainant | undefined => (doc as { complainant?: Complainant }).complainant;

const INTAKE_FIELDS = ['respondent', 'business', 'evidence', 'flags', 'linkedCases', 'duplicateOf', 'jurisdiction'] as const;

function actionView(t: Transition) {
  return {
    action: t.action,
    label: t.label,
    needsReason: t.needs.includes('reason') || t.needs.includes('reasonCode'),
    needs: [...t.needs],
    reasons: t.reasons ? (REASON_LISTS[t.reasons] as readonly Reason[]).map((r) => ({ code: r.code, label: r.label, basis: r.basis })) : [],
  };
}

async function caseView(deps: Deps, stored: CaseDoc, staff: StaffSession) {
  const doc = openCase(deps.pii, stored);
  const today = beijingDate(new Date());
  // lean() returns the deliveries map as a plain object.
  const deliveries = Object.values((doc.deliveries ?? {}) as unknown as Record<string, Delivery>)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map(deliveryView);
  const bureau = await deps.models.Bureau.findOne({ code: doc.bureauCode }).lean();
  const rules = ruleSetFor(beijingDate(doc.receivedAt));
  const who = complainantOf(doc);
  const intake: Record<string, unknown> = {};
  for (const f of INTAKE_FIELDS) {
    const value = (doc as Record<string, unknown>)[f];
    if (value !== undefined) intake[f] = value;
  }
  return {
    ...toDetail(doc),
    ...staffIntakeView(doc),
    ...clockOf(doc, today),
    version: doc.version,
    bureau: { code: doc.bureauCode, name: bureau?.name ?? doc.bureauCode },
    ruleSet: { id: rules.id, title: rules.title },
    complainant: {
      platform: doc.owner.platform,
      ...(who?.nameMasked ? { nameMasked: who.nameMasked } : {}),
      ...(who?.phoneMasked ? { phoneMasked: who.phoneMasked } : {}),
      ...(who?.addressMasked ? { addressMasked: who.addressMasked } : {}),
      revealable: staff.role === 'admin' ? [] : piiFields.filter((f) => !!who?.[`${f}Sealed`]),
    },
    testing: doc.pausedOn ? { pausedOn: doc.pausedOn, ...(doc.pauseNote ? { note: doc.pauseNote } : {}) } : null,
    pauses: (doc.pauses ?? []).map((p) => ({ from: p.from, to: p.to, workingDays: p.workingDays, ...(p.note ? { note: p.note } : {}) })),
    transfers: (doc.transfers ?? []).map((t) => ({
      at: t.at.toISOString(),
      kind: t.kind as 'transfer' | 'reassign',
      fromBureau: t.fromBureau,
      toBureau: t.toBureau,
      ...(t.reasonCode ? { reasonCode: t.reasonCode } : {}),
      reason: t.reason,
      by: t.by,
    })),
    feedback: doc.feedback ? { satisfied: doc.feedback.satisfied, ...(doc.feedback.text ? { text: doc.feedback.text } : {}), at: doc.feedback.at.toISOString() } : null,
    intake,
    actions: availableActions(doc.status as ComplaintStatus, staff.role as Actor, doc.type as CaseType, { paused: !!doc.pausedOn }).map(actionView),
    deliveries,
  };
}

export async function getCase(deps: Deps, staff: StaffSession, number: string) {
  const doc = await loadInScope(deps, staff, number);
  // Opening a case shows the complainant's masked details: a read of personal data, audited.
  await audit.record(deps, staff, { action: 'case_view', caseNumber: doc.number });
  return caseView(deps, doc, staff);
}

/** Opens one sealed field of the complainant for a handler or supervisor in scope; audited. */
export async function reveal(deps: Deps, staff: StaffSession, number: string, field: PiiField) {
  const doc = await loadInScope(deps, staff, number);
  if (staff.role === 'admin') throw new AppError(403, 'ROLE_FORBIDDEN', '管理员不办理案件，不能查看投诉人信息');
  const sealed = complainantOf(doc)?.[`${field}Sealed`];
  if (!sealed) throw new AppError(404, 'FIELD_NOT_AVAILABLE', '该案件没有这项投诉人信息');
  await audit.record(deps, staff, { action: 'reveal', caseNumber: doc.number, field });
  return { field, value: deps.pii.open(sealed, casePlace(doc._id, caseField.complainant(field))) };
}

function missingFields(t: Transition, input: TransitionInput) {
  const fields: Array<{ path: string; message: string }> = [];
  if (t.needs.includes('reasonCode') && !input.reasonCode) fields.push({ path: 'reasonCode', message: '请选择法定事由' });
  if (t.needs.includes('reason') && !input.reason) fields.push({ path: 'reason', message: '请填写原因' });
  if (t.needs.includes('toBureau') && !input.toBureau) fields.push({ path: 'toBureau', message: '请选择接收单位' });
  return fields;
}

export interface UpdateParts {
  $set: Record<string, unknown>;
  $unset: Record<string, 1>;
  $push: Record<string, unknown>;
}

/** What a row's deadline effect changes, written into the update and into the case as it will be. */
export function applyDeadlineEffect(
  effect: Transition['deadline'],
  doc: CaseDoc,
  next: CaseDoc,
  u: UpdateParts,
  at: { now: Date; today: string; rules: RuleSet; type: CaseType; reason?: string },
): void {
  switch (effect) {
    case 'start_mediation_clock':
      next.deadlines!.mediationBy = addWorkingDays(at.today, at.rules.mediationWithin);
      u.$set['deadlines.mediationBy'] = next.deadlines!.mediationBy;
      break;
    case 'restart_first_clock':
      // The clock restarts at the receiving bureau from the day of the transfer.
      for (const [k, v] of Object.entries(initialDeadlines(at.type, at.today, at.rules))) {
        (next.deadlines as Record<string, string>)[k] = v;
        u.$set[`deadlines.${k}`] = v;
      }
      break;
    case 'pause_mediation_clock':
      next.pausedOn = at.today;
      u.$set.pausedOn = at.today;
      u.$set.pauseNote = at.reason;
      break;
    case 'resume_mediation_clock': {
      const pausedOn = doc.pausedOn!;
      const due = doc.deadlines?.mediationBy;
      if (due) {
        next.deadlines!.mediationBy = extendForPause(due, pausedOn, at.today);
        u.$set['deadlines.mediationBy'] = next.deadlines!.mediationBy;
      }
      next.pausedOn = undefined;
      u.$unset.pausedOn = 1;
      u.$unset.pauseNote = 1;
      u.$push.pauses = { from: pausedOn, to: at.today, workingDays: Math.max(0, workingDaysBetween(pausedOn, at.today)), ...(doc.pauseNote ? { note: doc.pauseNote } : {}) };
      break;
    }
    case 'start_inform_clock':
      // Only a real-name reporter is owed the notice (Art 31); an anonymous report has no snapshot.
      if (complainantOf(doc)) {
        next.deadlines!.informBy = addWorkingDays(at.today, at.rules.informReporterWithin);
        u.$set['deadlines.informBy'] = next.deadlines!.informBy;
      }
      u.$set.decidedAt = at.now;
      break;
    case 'stop_clocks':
      if (doc.pausedOn) {
        next.pausedOn = undefined;
        u.$unset.pausedOn = 1;
        u.$unset.pauseNote = 1;
      }
      break;
    case 'none':
      break;
  }
}

/**
 * Everything a step does to a case's clocks, whoever takes it (staff or the consumer): the
 * workflow table's deadline effect, then the marks the queue, the dashboard and the scanner read
 * (deadline state, due date, whether it was ever late). Answers the clock running afterwards.
 */
export function applyClockEffects(
  t: Transition,
  doc: CaseDoc,
  next: CaseDoc,
  u: UpdateParts,
  at: { now: Date; today: string; rules: RuleSet; type: CaseType; reason?: string },
) {
  applyDeadlineEffect(t.deadline, doc, next, u, at);
  // Acting after a deadline passed leaves the case counted as late, whether or not the scanner saw it.
  if (runningClock(clockFacts(doc), at.today)?.overdue) u.$set.wasOverdue = true;
  const clock = runningClock(clockFacts(next), at.today);
  u.$set.deadlineState = deadlineState(clock);
  if (u.$set.deadlineState === 'overdue') u.$set.wasOverdue = true;
  if (clock) u.$set.dueOn = clock.due;
  else u.$unset.dueOn = 1;
  return clock;
}

/** The timeline's note of a transition: the legal ground, where the case went, the staff's words. */
export function timelineNote(t: Transition, reason: Reason | undefined, toBureauName: string | undefined, text: string | undefined): string {
  return [reason?.label, toBureauName ? `${t.action === 'reassign' ? '改派' : '移送'}至${toBureauName}` : undefined, text].filter(Boolean).join('；');
}

/** Seals the free text a transition writes, each value bound to its place in the case. */
function sealTransitionText(deps: Deps, id: mongoose.Types.ObjectId, u: UpdateParts, now: Date): void {
  const seal = (field: string, text: string) => sealCaseValue(deps.pii, id, field, text);
  if (typeof u.$set.pauseNote === 'string') u.$set.pauseNote = seal(caseField.pauseNote, u.$set.pauseNote);
  const pause = u.$push.pauses as { from: string; note?: string } | undefined;
  if (pause?.note) pause.note = seal(caseField.pauseEntryNote(pause.from), pause.note);
  const transfer = u.$push.transfers as { reason?: string } | undefined;
  if (transfer?.reason) transfer.reason = seal(caseField.transferReason(now), transfer.reason);
  const step = u.$push.timeline as { note?: string };
  if (step.note) step.note = seal(caseField.timelineNote(now), step.note);
}

/**
 * Applies one row of the state machine. The state change, the deadline change, the timeline
 * entry and the outbox entry of the message it sends are one conditional single-document
 * update, so a concurrent change makes this one fail with 409 and a crash never leaves half.
 */
export async function transition(deps: Deps, staff: StaffSession, number: string, input: TransitionInput) {
  // Worked on in plain text (a resumed test moves its note); the text is sealed again below.
  const doc = openCase(deps.pii, await loadInScope(deps, staff, number));
  if (doc.version !== input.version) throw CONFLICT();
  const type = doc.type as CaseType;
  const from = doc.status as ComplaintStatus;
  const t = findTransition(input.action, from, type, { paused: !!doc.pausedOn });
  if (!t) throw new AppError(422, 'TRANSITION_NOT_ALLOWED', '当前状态下不能进行此操作');
  if (!t.actors.includes(staff.role as Actor)) throw new AppError(403, 'ROLE_FORBIDDEN', '您的角色无权进行此操作');
  const missing = missingFields(t, input);
  if (missing.length) throw new AppError(400, 'VALIDATION_FAILED', missing[0].message, missing);
  const reason = t.reasons && input.reasonCode ? findReason(t.reasons, input.reasonCode) : undefined;
  if (t.reasons && !reason) {
    throw new AppError(400, 'REASON_INVALID', '请从法定事由中选择', [{ path: 'reasonCode', message: '请从法定事由中选择' }]);
  }

  const now = new Date();
  const today = beijingDate(now);
  const rules = ruleSetFor(beijingDate(doc.receivedAt));
  const to = targetStatus(t, from);
  const $set: Record<string, unknown> = { status: to };
  const $unset: Record<string, 1> = {};
  const $push: Record<string, unknown> = {};
  const next = { ...doc, status: to, deadlines: { ...(doc.deadlines ?? {}) }, pausedOn: doc.pausedOn } as CaseDoc;
  let toBureauName: string | undefined;

  if (t.needs.includes('toBureau')) {
    const target = await deps.models.Bureau.findOne({ code: input.toBureau }).lean();
    if (!target) throw new AppError(400, 'BUREAU_UNKNOWN', '接收单位不存在', [{ path: 'toBureau', message: '接收单位不存在' }]);
    if (target.code === doc.bureauCode) throw new AppError(400, 'BUREAU_SAME', '接收单位与当前承办单位相同', [{ path: 'toBureau', message: '请选择其他单位' }]);
    if (t.action === 'reassign' && !target.regionCode.startsWith(staff.regionPrefix)) {
      throw new AppError(400, 'BUREAU_OUT_OF_SCOPE', '只能改派到您辖区内的单位', [{ path: 'toBureau', message: '只能改派到您辖区内的单位' }]);
    }
    toBureauName = target.name;
    $set.bureauCode = target.code;
    $push.transfers = {
      at: now,
      kind: t.action === 'reassign' ? 'reassign' : 'transfer',
      fromBureau: doc.bureauCode,
      toBureau: target.code,
      ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
      reason: input.reason,
      by: staff.username,
    };
  }

  const clock = applyClockEffects(t, doc, next, { $set, $unset, $push }, { now, today, rules, type, reason: input.reason });

  const note = timelineNote(t, reason, toBureauName, input.reason);
  $push.timeline = { at: now, actor: `staff:${staff.username}`, role: staff.role, bureauCode: staff.bureauCode, action: t.action, from, to, ...(note ? { note } : {}) };
  sealTransitionText(deps, doc._id, { $set, $unset, $push }, now);

  const nextVersion = doc.version + 1;
  const $inc: Record<string, number> = { version: 1 };
  if (t.notify) {
    const owner = await deps.models.User.findById(doc.owner.userId).lean();
    const delivery = owner
      ? buildDelivery({
          platform: doc.owner.platform as 'wechat' | 'alipay',
          userId: doc.owner.userId,
          touser: owner.platformUserId,
          event: t.notify,
          version: nextVersion,
          facts: { number: doc.number, respondent: doc.respondent.name, status: to, at: now, note: input.reason, deadline: clock?.due },
        })
      : undefined;
    if (delivery) {
      const data = sealCaseValue(deps.pii, doc._id, caseField.deliveryData(delivery.key), JSON.stringify(delivery.data));
      $set[`deliveries.${delivery.key}`] = { ...delivery, data };
      $inc.outboxPending = 1;
    }
  }

  const updated = await deps.models.Case.findOneAndUpdate(
    { _id: doc._id, version: doc.version, status: doc.status },
    { $set, $inc, $push, ...(Object.keys($unset).length ? { $unset } : {}) },
    { returnDocument: 'after' },
  ).lean<CaseDoc>();
  if (!updated) throw CONFLICT();
  if ($inc.outboxPending) await announceOutbox(deps, String(doc._id));
  await recordCaseChange(deps, doc, updated);
  await audit.record(deps, staff, { action: 'transition', caseNumber: doc.number, detail: `${t.action}: ${from} -> ${to}`, ...($set.bureauCode ? { target: String($set.bureauCode) } : {}) });
  deps.logger.info({ number: doc.number, action: t.action, staff: staff.staffId }, 'case transition');
  // After a transfer the case leaves this bureau's scope: the reply says so instead of a 404.
  const stillVisible = await deps.models.Case.exists({ $and: [{ _id: doc._id }, await scopeFilter(deps, staff)] });
  return stillVisible ? caseView(deps, updated, staff) : { ...(await caseView(deps, updated, staff)), actions: [] };
}
