/**
 * Erasing the personal data of a closed case (retention ended, or the complainant cancelled their
 * account). What makes the case countable stays (type, status, bureau, dates, respondent, category,
 * timeline steps), so the dashboard counters read the same before and after; what says who
 * complained and what they wrote goes.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { FINAL_STATUSES } from '../../../../shared/complaint/status';
import type { Case } from '../complaints/complaint.model';
import { eraseEvidence } from '../evidence/evidence.service';

/** What an erased free text reads as, for staff and for the consumer. */
export const ERASED_TEXT = '（已按个人信息保存期限删除）';

/** The fields the eraser reads. */
export const ERASABLE_PROJECTION = {
  version: 1, status: 1, evidence: 1, timeline: 1, business: 1, feedback: 1, pauses: 1, deliveries: 1, erasedAt: 1,
} as const;

type ErasableCase = Pick<Case, 'version' | 'status' | 'evidence' | 'timeline' | 'business' | 'feedback' | 'pauses' | 'erasedAt'> & {
  _id: mongoose.Types.ObjectId;
  deliveries?: Record<string, unknown> | Map<string, unknown> | null;
};

export const isFinal = (status: string) => (FINAL_STATUSES as readonly string[]).includes(status);

/**
 * Erases one closed case: the complainant snapshot (name, ID number, phone, address, sealed and
 * masked), the free texts (description, demand texts, notes, feedback), the recipients of its
 * messages, and its evidence (bytes and records). Conditional on the version it read, so it never
 * overwrites a change made meanwhile; answers false then (the next run takes the case again).
 */
export async function eraseCase(deps: Deps, doc: ErasableCase): Promise<{ erased: boolean; evidence: number }> {
  if (!isFinal(doc.status) || doc.erasedAt) return { erased: false, evidence: 0 };
  const evidence = await eraseEvidence(deps, (doc.evidence ?? []).map((e) => e.fileId));
  const deliveries = doc.deliveries instanceof Map ? [...doc.deliveries.keys()] : Object.keys(doc.deliveries ?? {});
  const $set: Record<string, unknown> = {
    description: ERASED_TEXT,
    evidence: [],
    timeline: (doc.timeline ?? []).map(({ note: _note, ...step }) => step),
    pauses: (doc.pauses ?? []).map(({ note: _note, ...pause }) => pause),
    erasedAt: new Date(),
    // The platform id a message went to identifies the person as well as a name does.
    ...Object.fromEntries(deliveries.map((key) => [`deliveries.${key}.touser`, 'erased'])),
  };
  if (doc.business) $set['business.demands'] = doc.business.demands.map(({ text: _text, ...demand }) => demand);
  const $unset: Record<string, 1> = { complainant: 1, pauseNote: 1 };
  if (doc.feedback?.text) $unset['feedback.text'] = 1;
  const res = await deps.models.Case.updateOne(
    { _id: doc._id, version: doc.version, status: doc.status },
    { $set, $unset, $inc: { version: 1 } },
    { timestamps: false },
  );
  return { erased: res.modifiedCount === 1, evidence };
}
