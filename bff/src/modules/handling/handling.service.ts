/** Staff work on cases: the queue in their scope, one case, and state transitions. */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { StaffSession } from '../staff/staff.service';
import { toDetail, toSummary } from '../complaints/complaints.service';
import type { Case, Delivery } from '../complaints/complaint.model';
import { buildDelivery } from '../notify/outbox';
import { availableActions, findTransition, type Actor } from '../../../../shared/complaint/workflow';
import type { ComplaintStatus } from '../../../../shared/complaint/status';
import { isValidCaseNumber } from '../../../../shared/complaint/case-number';
import { addWorkingDays, beijingDate, workingDaysBetween } from '../../../../shared/calendar/working-days';

/** Working days from acceptance to the end of mediation (Order 20, Art 21(5)). */
export const MEDIATION_WITHIN_WORKING_DAYS = 45;

type CaseDoc = Case & { _id: mongoose.Types.ObjectId };

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The cases a staff member may see; anything outside answers 404. */
export function scopeFilter(staff: StaffSession): Record<string, unknown> {
  if (staff.role === 'handler') return { bureauCode: staff.bureauCode };
  return { bureauCode: mongoose.trusted({ $regex: `^${escapeRegex(staff.regionPrefix)}` }) };
}

function actorOf(staff: StaffSession): Actor {
  return staff.role;
}

function clock(doc: CaseDoc, today: string) {
  const due =
    doc.status === 'submitted' ? doc.deadlines?.acceptBy : ['accepted', 'mediating'].includes(doc.status) ? doc.deadlines?.mediationBy : undefined;
  if (!due) return { daysLeft: null, overdue: false };
  return { daysLeft: workingDaysBetween(today, due), overdue: today > due };
}

export async function listCases(
  deps: Deps,
  staff: StaffSession,
  query: { status?: ComplaintStatus; q?: string; page: number; pageSize: number },
) {
  const filter: Record<string, unknown> = { ...scopeFilter(staff) };
  if (query.status) filter.status = query.status;
  if (query.q) {
    const q = query.q;
    filter.$or = isValidCaseNumber(q)
      ? [{ number: q }]
      : [{ 'respondent.name': mongoose.trusted({ $regex: escapeRegex(q), $options: 'i' }) }];
  }
  const { Case } = deps.models;
  const [docs, total] = await Promise.all([
    Case.find(filter)
      .sort({ receivedAt: -1 })
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .lean<CaseDoc[]>(),
    Case.countDocuments(filter),
  ]);
  const today = beijingDate(new Date());
  return {
    items: docs.map((d) => ({ ...toSummary(d), ...clock(d, today), version: d.version })),
    total,
    page: query.page,
    pageSize: query.pageSize,
  };
}

async function loadInScope(deps: Deps, staff: StaffSession, number: string): Promise<CaseDoc> {
  if (!isValidCaseNumber(number)) throw new AppError(400, 'CASE_NUMBER_INVALID', '投诉编号有误，请核对后再试');
  const doc = await deps.models.Case.findOne({ number, ...scopeFilter(staff) }).lean<CaseDoc>();
  if (!doc) throw new AppError(404, 'NOT_FOUND', '案件不存在或不在您的管辖范围内');
  return doc;
}

function caseView(doc: CaseDoc, staff: StaffSession) {
  const today = beijingDate(new Date());
  // lean() returns the deliveries map as a plain object.
  const deliveries = Object.values((doc.deliveries ?? {}) as unknown as Record<string, Delivery>)
    .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    .map((d) => ({
      key: d.key,
      event: d.event,
      platform: d.platform,
      templateId: d.templateId,
      status: d.status,
      attempts: d.attempts ?? 0,
      at: (d.doneAt ?? d.createdAt).toISOString(),
      ...(d.error ? { error: d.error } : {}),
    }));
  return {
    ...toDetail(doc),
    ...clock(doc, today),
    version: doc.version,
    complainant: { platform: doc.owner.platform },
    actions: availableActions(doc.status as ComplaintStatus, actorOf(staff)).map((t) => ({
      action: t.action,
      label: t.label,
      needsReason: t.needsReason,
    })),
    deliveries,
  };
}

export async function getCase(deps: Deps, staff: StaffSession, number: string) {
  return caseView(await loadInScope(deps, staff, number), staff);
}

/**
 * Applies one transition of the state machine. The state change, the timeline entry and the
 * outbox entry of the message it sends are one conditional single-document update, so a
 * concurrent change makes this one fail with 409 and a crash never leaves half of it.
 */
export async function transition(
  deps: Deps,
  staff: StaffSession,
  number: string,
  input: { action: string; reason?: string; version: number },
) {
  const doc = await loadInScope(deps, staff, number);
  if (doc.version !== input.version) throw new AppError(409, 'VERSION_CONFLICT', '案件已被他人更新，请刷新后再试');
  const t = findTransition(input.action, doc.status as ComplaintStatus);
  if (!t || !t.actors.includes(actorOf(staff))) {
    throw new AppError(422, 'TRANSITION_NOT_ALLOWED', '当前状态下不能进行此操作');
  }
  if (t.needsReason && !input.reason) {
    throw new AppError(400, 'VALIDATION_FAILED', '请填写原因', [{ path: 'reason', message: '请填写原因' }]);
  }

  const now = new Date();
  const today = beijingDate(now);
  const nextVersion = doc.version + 1;
  const $set: Record<string, unknown> = { status: t.to };
  if (t.deadline === 'start_mediation_clock') $set['deadlines.mediationBy'] = addWorkingDays(today, MEDIATION_WITHIN_WORKING_DAYS);
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
          facts: { number: doc.number, respondent: doc.respondent.name, status: t.to, at: now, note: input.reason },
        })
      : undefined;
    if (delivery) {
      $set[`deliveries.${delivery.key}`] = delivery;
      $inc.outboxPending = 1;
    }
  }

  const updated = await deps.models.Case.findOneAndUpdate(
    { _id: doc._id, version: doc.version, status: doc.status },
    {
      $set,
      $inc,
      $push: {
        timeline: { at: now, actor: `staff:${staff.username}`, action: t.action, from: doc.status, to: t.to, ...(input.reason ? { note: input.reason } : {}) },
      },
    },
    { returnDocument: 'after' },
  ).lean<CaseDoc>();
  if (!updated) throw new AppError(409, 'VERSION_CONFLICT', '案件已被他人更新，请刷新后再试');
  deps.logger.info({ number: doc.number, action: t.action, staff: staff.staffId }, 'case transition');
  return caseView(updated, staff);
}
