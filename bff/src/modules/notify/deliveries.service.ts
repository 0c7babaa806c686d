/**
 * What was sent about a case: the consumer's per-step view, and for staff the entries given up
 * on (dead letters) and sending one again.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { StaffSession } from '../staff/staff.service';
import type { Case, Delivery } from '../complaints/complaint.model';
import { scopeFilter } from '../handling/handling.service';
import { deliveryView } from './outbox';
import { findTransition } from '../../../../shared/complaint/workflow';
import type { ComplaintStatus } from '../../../../shared/complaint/status';
import type { ComplaintDetail } from '../../../../shared/api/complaints';
import { NOTIFY_STATE_LABELS, notifyStateOf } from '../../../../shared/notify/status';
import { announceOutbox } from './announce';
import * as audit from '../audit/audit.service';

type CaseDoc = Case & { _id: mongoose.Types.ObjectId };

/** lean() returns the deliveries map as a plain object. */
export const entriesOf = (doc: Pick<Case, 'deliveries'>) => Object.values((doc.deliveries ?? {}) as unknown as Record<string, Delivery>);

/**
 * Adds to each timeline step whose transition sends a message what became of it. A step and its
 * entry are written in one update with one clock reading, so the entry of a step is the one for
 * its event created nearest to it.
 */
export function withNotifications(detail: ComplaintDetail, doc: Pick<Case, 'deliveries' | 'timeline'>): ComplaintDetail {
  const unused = entriesOf(doc);
  const timeline = detail.timeline.map((step, i) => {
    const from = doc.timeline[i]?.from as ComplaintStatus | null | undefined;
    const event = from ? findTransition(step.action, from)?.notify : undefined;
    if (!event) return step;
    const at = Date.parse(step.at);
    let best = -1;
    unused.forEach((e, j) => {
      if (e.event !== event) return;
      if (best < 0 || Math.abs(e.createdAt.getTime() - at) < Math.abs(unused[best].createdAt.getTime() - at)) best = j;
    });
    if (best < 0) return step;
    const [entry] = unused.splice(best, 1);
    const state = notifyStateOf(entry.status);
    return { ...step, notification: { status: state, label: NOTIFY_STATE_LABELS[state] } };
  });
  return { ...detail, timeline };
}


export async function listDead(deps: Deps, staff: StaffSession, query: { page: number; pageSize: number }) {
  const filter = { ...(await scopeFilter(deps, staff)), outboxDead: mongoose.trusted({ $gt: 0 }) };
  const [docs, total] = await Promise.all([
    deps.models.Case.find(filter, { number: 1, respondent: 1, deliveries: 1 })
      .sort({ _id: -1 })
      .skip((query.page - 1) * query.pageSize)
      .limit(query.pageSize)
      .lean<CaseDoc[]>(),
    deps.models.Case.countDocuments(filter),
  ]);
  const items = docs.flatMap((doc) =>
    entriesOf(doc)
      .filter((e) => e.status === 'dead')
      .map((e) => ({ ...deliveryView(e), number: doc.number, respondentName: doc.respondent.name, resends: e.resends ?? 0 })),
  );
  return { items, total, page: query.page, pageSize: query.pageSize };
}

/**
 * Puts a dead entry back into the outbox. Its grant was refunded when it died, so the new attempt
 * spends one again; the relay gives it a job id of its own.
 */
export async function resend(deps: Deps, staff: StaffSession, key: string) {
  const number = key.slice(0, key.indexOf('-v'));
  const path = `deliveries.${key}`;
  const scope = await scopeFilter(deps, staff);
  const doc = await deps.models.Case.findOneAndUpdate(
    { number, ...scope, [`${path}.status`]: 'dead' },
    {
      $set: { [`${path}.status`]: 'pending', [`${path}.grantSpent`]: false },
      $unset: { [`${path}.error`]: 1, [`${path}.doneAt`]: 1, [`${path}.queuedAt`]: 1, [`${path}.sendingAt`]: 1 },
      $inc: { [`${path}.resends`]: 1, outboxPending: 1, outboxDead: -1 },
    },
    { returnDocument: 'after' },
  ).lean<CaseDoc>();
  if (!doc) {
    const existing = await deps.models.Case.findOne({ number, ...scope }, { [path]: 1 }).lean<CaseDoc>();
    const entry = existing ? entriesOf(existing)[0] : undefined;
    if (!entry) throw new AppError(404, 'NOT_FOUND', '消息记录不存在或不在您的管辖范围内');
    throw new AppError(409, 'DELIVERY_NOT_DEAD', '该消息不是发送失败状态，无需重发');
  }
  // A resend sends the consumer a message again: a staff action on the case, audited.
  await audit.record(deps, staff, { action: 'delivery_resend', caseNumber: number, target: key });
  await announceOutbox(deps, String(doc._id));
  deps.logger.info({ number, key, staff: staff.staffId }, 'dead delivery resent');
  return deliveryView((doc.deliveries as unknown as Record<string, Delivery>)[key]);
}
