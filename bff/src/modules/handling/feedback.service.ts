/** The consumer's side of handling: progress in plain words, and feedback once the case is closed. */
import mongoose from 'mongoose';
import { linkedUserIds } from '../identity/identity.service';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { ConsumerRef } from '../complaints/complaints.service';
import type { CaseDoc } from './handling.service';
import { actorLabels } from '../complaints/actors';
import { ACTION_LABELS } from '../../../../shared/complaint/workflow';
import { STATUS_LABELS, type CaseType, type ComplaintStatus } from '../../../../shared/complaint/status';
import { runningClock, type ClockKind } from '../../../../shared/complaint/deadlines';
import { isValidCaseNumber } from '../../../../shared/complaint/case-number';
import { beijingDate, isProvisional } from '../../../../shared/calendar/working-days';
import { caseField, openCase, sealCaseValue } from '../complaints/case-seal';

const CLOCK_LABELS: Record<ClockKind, string> = {
  accept: '受理期限',
  mediation: '调解期限',
  decide: '立案决定期限',
  inform: '告知举报人期限',
};

// Moves between bureaus of one region are internal work; the consumer sees transfers only.
const INTERNAL_ACTIONS = new Set(['reassign']);

async function loadMine(deps: Deps, user: ConsumerRef, number: string): Promise<CaseDoc> {
  if (!isValidCaseNumber(number)) throw new AppError(400, 'CASE_NUMBER_INVALID', '投诉编号有误，请核对后再试');
  const doc = await deps.models.Case.findOne({ number, 'owner.userId': mongoose.trusted({ $in: await linkedUserIds(deps, user.id) }) }).lean<CaseDoc>();
  if (!doc) throw new AppError(404, 'NOT_FOUND', '没有找到这件投诉');
  return doc;
}

async function progressView(deps: Deps, stored: CaseDoc) {
  const doc = openCase(deps.pii, stored);
  const byOf = await actorLabels(deps, doc.timeline);
  const status = doc.status as ComplaintStatus;
  const clock = runningClock(
    { type: doc.type as CaseType, status, deadlines: doc.deadlines, pausedOn: doc.pausedOn },
    beijingDate(new Date()),
  );
  return {
    number: doc.number,
    status,
    statusLabel: STATUS_LABELS[status],
    steps: doc.timeline
      .filter((t) => !INTERNAL_ACTIONS.has(t.action))
      .map((t) => ({
        at: t.at.toISOString(),
        label: ACTION_LABELS[t.action] ?? t.action,
        ...(byOf(t) ? { by: byOf(t) } : {}),
        statusLabel: STATUS_LABELS[t.to as ComplaintStatus] ?? t.to,
        ...(t.note ? { note: t.note } : {}),
      })),
    nextDeadline: clock
      ? { label: CLOCK_LABELS[clock.kind], due: clock.due, daysLeft: clock.daysLeft, paused: clock.paused, provisional: isProvisional(beijingDate(doc.receivedAt), clock.due) }
      : null,
    feedback: doc.feedback
      ? { satisfied: doc.feedback.satisfied, ...(doc.feedback.text ? { text: doc.feedback.text } : {}), at: doc.feedback.at.toISOString() }
      : null,
    canGiveFeedback: status === 'closed' && !doc.feedback,
  };
}

export async function progress(deps: Deps, user: ConsumerRef, number: string) {
  return progressView(deps, await loadMine(deps, user, number));
}

/** One feedback per closed case; the conditional update makes a racing second one lose. */
export async function giveFeedback(deps: Deps, user: ConsumerRef, number: string, body: { satisfied: boolean; text?: string }) {
  const doc = await loadMine(deps, user, number);
  if (doc.status !== 'closed') throw new AppError(422, 'FEEDBACK_NOT_OPEN', '案件办结后才能评价');
  if (doc.feedback) throw new AppError(409, 'FEEDBACK_EXISTS', '您已评价过这件投诉');
  const now = new Date();
  const updated = await deps.models.Case.findOneAndUpdate(
    { _id: doc._id, status: 'closed', feedback: mongoose.trusted({ $exists: false }) },
    {
      $set: { feedback: { satisfied: body.satisfied, ...(body.text ? { text: sealCaseValue(deps.pii, doc._id, caseField.feedbackText, body.text) } : {}), at: now } },
      $inc: { version: 1 },
      $push: {
        timeline: {
          at: now,
          actor: 'consumer',
          action: 'feedback',
          from: 'closed',
          to: 'closed',
          note: sealCaseValue(deps.pii, doc._id, caseField.timelineNote(now), body.satisfied ? '满意' : '不满意'),
        },
      },
    },
    { returnDocument: 'after' },
  ).lean<CaseDoc>();
  if (!updated) throw new AppError(409, 'FEEDBACK_EXISTS', '您已评价过这件投诉');
  return progressView(deps, updated);
}
