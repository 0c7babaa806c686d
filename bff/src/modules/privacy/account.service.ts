/**
 * The person's rights over their data (个人信息保护法 Art 15, 47): withdrawing the consent to
 * process their identity, and cancelling the account (注销).
 *
 * Open cases block cancellation. A complaint the bureau is still handling needs the complainant's
 * name, phone and address (Order 20 Art 9) to contact them and to tell them its decisions, and
 * handling it is the bureau's legal duty; the purpose of the data is not yet met (Art 47(1)) and a
 * law-required retention applies until it is (Art 47, last paragraph). Withdrawing the cases on the
 * person's behalf would end their dispute without their say, so they choose: withdraw the complaint
 * (撤回) or wait until it is closed, then cancel. Closed cases are erased at cancellation.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import { CASE_TYPE_LABELS, FINAL_STATUSES, STATUS_LABELS, type CaseType, type ComplaintStatus } from '../../../../shared/complaint/status';
import { leaveIdentity, type ConsumerRef } from '../identity/identity.service';
import { revokeUserSessions } from '../auth/tokens';
import { deleteOwnerEvidence } from '../evidence/evidence.service';
import { ERASABLE_PROJECTION, eraseCase } from './erasure';

/**
 * Withdraws the consent for the identity data (撤回身份信息授权): this account's verification and
 * links go, and the sealed name and ID number are deleted once no account of the person holds them.
 * Filing a complaint needs verification again. Cases already filed keep the complainant snapshot the
 * case file needs (Order 20 Art 9) until their retention ends.
 */
export async function withdrawConsent(deps: Deps, consumer: ConsumerRef): Promise<void> {
  const user = await deps.models.User.findById(consumer.id, { identityId: 1 }).lean();
  if (!user?.identityId) throw new AppError(409, 'NOT_VERIFIED', '该账号没有实名认证信息，无需撤回');
  await leaveIdentity(deps, consumer, 'consent_withdrawn');
  deps.logger.info({ event: 'identity.consent_withdrawn', userId: consumer.id }, 'identity consent withdrawn');
}

/** Cases of this account still being handled, newest first. */
async function openCases(deps: Deps, userId: string) {
  return deps.models.Case.find(
    { 'owner.userId': userId, status: mongoose.trusted({ $nin: FINAL_STATUSES }) },
    { number: 1, type: 1, status: 1 },
  )
    .sort({ receivedAt: -1 })
    .limit(20)
    .lean();
}

/**
 * Cancels the account (注销): refused while a case is open; otherwise erases the closed cases'
 * personal data and evidence, leaves the verified identity, deletes drafts, subscription grants,
 * the phone and every uploaded file, ends every session and deletes the user document, so the
 * platform id no longer leads to anything. Signing in again starts a new, empty account.
 */
export async function cancelAccount(deps: Deps, consumer: ConsumerRef): Promise<void> {
  const open = await openCases(deps, consumer.id);
  if (open.length) {
    const list = open.map((c) => `${c.number}（${CASE_TYPE_LABELS[c.type as CaseType]}，${STATUS_LABELS[c.status as ComplaintStatus]}）`).join('、');
    throw new AppError(
      409,
      'ACCOUNT_HAS_OPEN_CASES',
      `您还有未办结的投诉或举报：${list}。请先撤回投诉或等待办结后再注销账号。`,
      undefined,
      { openCases: open.map((c) => ({ number: c.number, status: c.status, statusLabel: STATUS_LABELS[c.status as ComplaintStatus] })) },
    );
  }

  let erased = 0;
  const cursor = deps.models.Case.find({ 'owner.userId': consumer.id, erasedAt: null }, ERASABLE_PROJECTION).lean().cursor();
  for await (const doc of cursor) {
    const r = await eraseCase(deps, doc as Parameters<typeof eraseCase>[1]);
    // A case that changed meanwhile (feedback, a message sent) is left for the person to retry.
    if (!r.erased) throw new AppError(409, 'CONFLICT', '您的投诉刚刚有更新，请稍后再试');
    erased += 1;
  }

  await leaveIdentity(deps, consumer, 'cancelled');
  await deps.models.Draft.deleteMany({ userId: consumer.id });
  await deps.models.Grant.deleteMany({ userId: consumer.id });
  const files = await deleteOwnerEvidence(deps, consumer.id);
  await revokeUserSessions(deps, consumer.id);
  await deps.redis.del([deps.key('link', 'current', consumer.id), deps.key('link', 'tries', consumer.id)]);
  await deps.models.User.deleteOne({ _id: consumer.id });
  deps.logger.info({ event: 'account.cancelled', erasedCases: erased, files }, 'account cancelled');
}
