/** Intake and the consumer's own view of their cases. */
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import { addWorkingDays, beijingDate } from '../../../../shared/calendar/working-days';
import { formatCaseNumber, isValidCaseNumber } from '../../../../shared/complaint/case-number';
import { STATUS_LABELS, type ComplaintStatus, type CaseType } from '../../../../shared/complaint/status';
import type { ComplaintCreate, ComplaintDetail, ComplaintSummary } from '../../../../shared/api/complaints';
import type { Case } from './complaint.model';
import { withNotifications } from '../notify/deliveries.service';

/** Working days to accept or reject a complaint (Order 20, Art 14). */
export const ACCEPT_WITHIN_WORKING_DAYS = 7;

export interface ConsumerRef {
  id: string;
  platform: 'wechat' | 'alipay';
}

type CaseDoc = Case & { _id: unknown };

export function toSummary(doc: CaseDoc): ComplaintSummary {
  return {
    number: doc.number,
    type: doc.type as CaseType,
    status: doc.status as ComplaintStatus,
    statusLabel: STATUS_LABELS[doc.status as ComplaintStatus],
    respondentName: doc.respondent.name,
    receivedAt: doc.receivedAt.toISOString(),
    deadlines: {
      ...(doc.deadlines?.acceptBy ? { acceptBy: doc.deadlines.acceptBy } : {}),
      ...(doc.deadlines?.mediationBy ? { mediationBy: doc.deadlines.mediationBy } : {}),
    },
  };
}

export function toDetail(doc: CaseDoc): ComplaintDetail {
  return {
    ...toSummary(doc),
    description: doc.description,
    timeline: doc.timeline.map((t) => ({
      at: t.at.toISOString(),
      actor: t.actor,
      action: t.action,
      from: t.from ?? null,
      to: t.to,
      ...(t.note ? { note: t.note } : {}),
    })),
  };
}

async function nextSequence(deps: Deps, name: string): Promise<number> {
  const counter = await deps.models.Counter.findOneAndUpdate(
    { _id: name },
    { $inc: { seq: 1 } },
    { upsert: true, returnDocument: 'after' },
  ).lean<{ seq: number }>();
  return counter!.seq;
}

const isDuplicateKey = (err: unknown) => (err as { code?: number }).code === 11000;

/**
 * Files a complaint once per idempotency key: a retry with the same key, even one racing the
 * first, gets the case the first request created.
 */
export async function submitComplaint(
  deps: Deps,
  user: ConsumerRef,
  idempotencyKey: string,
  body: ComplaintCreate,
): Promise<ComplaintSummary> {
  const { Case } = deps.models;
  const existing = await Case.findOne({ 'owner.userId': user.id, idempotencyKey }).lean<CaseDoc>();
  if (existing) return toSummary(existing);

  const receivedAt = new Date();
  const date = beijingDate(receivedAt);
  const type: CaseType = 'complaint';
  const number = formatCaseNumber(type, date, await nextSequence(deps, `case:${type}:${date}`));
  try {
    const doc = await Case.create({
      number,
      type,
      status: 'submitted',
      version: 0,
      bureauCode: deps.config.defaultBureauCode,
      owner: { userId: user.id, platform: user.platform },
      idempotencyKey,
      respondent: { name: body.respondentName },
      description: body.description,
      receivedAt,
      deadlines: { acceptBy: addWorkingDays(date, ACCEPT_WITHIN_WORKING_DAYS) },
      timeline: [{ at: receivedAt, actor: 'consumer', action: 'submit', from: null, to: 'submitted' }],
    });
    return toSummary(doc.toObject() as CaseDoc);
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    const winner = await Case.findOne({ 'owner.userId': user.id, idempotencyKey }).lean<CaseDoc>();
    if (!winner) throw err;
    return toSummary(winner);
  }
}

export async function listMine(deps: Deps, user: ConsumerRef): Promise<ComplaintSummary[]> {
  const docs = await deps.models.Case.find({ 'owner.userId': user.id })
    .sort({ receivedAt: -1 })
    .limit(100)
    .lean<CaseDoc[]>();
  return docs.map(toSummary);
}

export async function getMine(deps: Deps, user: ConsumerRef, number: string): Promise<ComplaintDetail> {
  if (!isValidCaseNumber(number)) throw new AppError(400, 'CASE_NUMBER_INVALID', '投诉编号有误，请核对后再试');
  const doc = await deps.models.Case.findOne({ number, 'owner.userId': user.id }).lean<CaseDoc>();
  if (!doc) throw new AppError(404, 'NOT_FOUND', '没有找到这件投诉');
  return withNotifications(toDetail(doc), doc);
}
