/**
 * Sends one outbox entry and records its outcome on the case. Safe to run again for the same
 * entry: a recorded outcome is never sent twice, an unrecorded one is sent again.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { TransientError } from '../../http/errors';
import type { Delivery } from '../complaints/complaint.model';
import { refundGrant, spendGrant } from './subscriptions.service';

export type DeliveryStatus = 'sent' | 'skipped' | 'rejected' | 'dead';
const OPEN = ['pending', 'queued'];

async function loadEntry(deps: Deps, caseId: string, key: string): Promise<Delivery | undefined> {
  const doc = await deps.models.Case.findById(caseId, { [`deliveries.${key}`]: 1 }).lean();
  const map = (doc?.deliveries ?? {}) as unknown as Record<string, Delivery>;
  return map[key];
}

async function record(deps: Deps, caseId: string, key: string, status: DeliveryStatus, error?: string): Promise<void> {
  const path = `deliveries.${key}`;
  await deps.models.Case.updateOne(
    { _id: caseId, [`${path}.status`]: mongoose.trusted({ $in: OPEN }) },
    {
      $set: { [`${path}.status`]: status, [`${path}.doneAt`]: new Date(), ...(error ? { [`${path}.error`]: error } : {}) },
      $inc: { outboxPending: -1 },
    },
  );
}

/**
 * @param finalAttempt when true a transient failure is recorded as dead instead of thrown.
 * @returns the recorded status, or undefined when a transient failure should be retried.
 */
export async function deliver(deps: Deps, caseId: string, key: string, finalAttempt: boolean): Promise<DeliveryStatus | 'already'> {
  const entry = await loadEntry(deps, caseId, key);
  if (!entry || !OPEN.includes(entry.status)) return 'already';

  await deps.models.Case.updateOne({ _id: caseId }, { $inc: { [`deliveries.${key}.attempts`]: 1 } });
  if (!entry.grantSpent) {
    if (!(await spendGrant(deps, entry.userId, entry.platform, entry.templateId))) {
      await record(deps, caseId, key, 'skipped', 'NOT_SUBSCRIBED');
      return 'skipped';
    }
    await deps.models.Case.updateOne({ _id: caseId }, { $set: { [`deliveries.${key}.grantSpent`]: true } });
  }

  const adapter = deps.platforms[entry.platform as 'wechat' | 'alipay'];
  try {
    const outcome = await adapter.sendSubscription({
      touser: entry.touser,
      templateId: entry.templateId,
      page: entry.page,
      data: entry.data as Record<string, string>,
      deliveryKey: key,
    });
    if (outcome.status === 'sent') {
      await record(deps, caseId, key, 'sent');
    } else if (outcome.status === 'skipped') {
      await record(deps, caseId, key, 'skipped', outcome.code);
    } else {
      await refundGrant(deps, entry.userId, entry.platform, entry.templateId);
      await record(deps, caseId, key, 'rejected', `${outcome.code} ${outcome.message}`.slice(0, 300));
    }
    return outcome.status;
  } catch (err) {
    if (!(err instanceof TransientError)) throw err;
    if (!finalAttempt) throw err;
    await refundGrant(deps, entry.userId, entry.platform, entry.templateId);
    await record(deps, caseId, key, 'dead', err.message.slice(0, 300));
    return 'dead';
  }
}
