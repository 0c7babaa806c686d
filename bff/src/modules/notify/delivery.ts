/**
 * Sends one outbox entry and records its outcome on the case. Safe to run again for the same
 * entry: a recorded outcome is never sent twice, an unrecorded one is sent again.
 *
 * Delivery is at-least-once. Neither vendor takes an idempotency key for subscription messages,
 * so the one moment that can repeat a message is a crash after the vendor accepted it and before
 * the outcome was written (one HTTP answer and one database write). Such an entry is left in
 * 'sending' and the next attempt sends it again: a repeat is preferred to a lost message, and a
 * one-time grant the first send used up makes WeChat refuse the repeat with 43101.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { TransientError } from '../../http/errors';
import type { Delivery } from '../complaints/complaint.model';
import { refundGrant, spendGrant } from './subscriptions.service';
import { caseField, openCaseText } from '../complaints/case-seal';

export type DeliveryStatus = 'sent' | 'skipped' | 'rejected' | 'dead';
export const OPEN_STATUSES = ['pending', 'queued', 'sending'];

async function record(deps: Deps, caseId: string, key: string, status: DeliveryStatus, error?: string): Promise<void> {
  const path = `deliveries.${key}`;
  await deps.models.Case.updateOne(
    { _id: caseId, [`${path}.status`]: mongoose.trusted({ $in: OPEN_STATUSES }) },
    {
      $set: { [`${path}.status`]: status, [`${path}.doneAt`]: new Date(), ...(error ? { [`${path}.error`]: error } : {}) },
      // A message delivered after retries carries no error from the attempts before.
      ...(error ? {} : { $unset: { [`${path}.error`]: 1 } }),
      $inc: { outboxPending: -1, ...(status === 'dead' ? { outboxDead: 1 } : {}) },
    },
  );
}

/** The message's fields: sealed at rest (they can quote a staff note); entries written before that hold them as an object. */
function messageData(deps: Deps, caseId: string, key: string, data: unknown): Record<string, string> {
  if (typeof data !== 'string') return data as Record<string, string>;
  return JSON.parse(openCaseText(deps.pii, caseId, caseField.deliveryData(key), data)) as Record<string, string>;
}

/**
 * @param finalAttempt when true a transient failure is recorded as dead instead of thrown.
 * @returns the recorded status, or 'already' when the entry was settled before; throws TransientError to be retried.
 */
export async function deliver(deps: Deps, caseId: string, key: string, finalAttempt: boolean): Promise<DeliveryStatus | 'already'> {
  const path = `deliveries.${key}`;
  // One write claims the attempt and returns the entry as it was. The grant is marked spent in the
  // same write, before it is spent: a crash in between leaves our count one too high (the vendor
  // still answers 43101), never a message lost.
  const before = await deps.models.Case.findOneAndUpdate(
    { _id: caseId, [`${path}.status`]: mongoose.trusted({ $in: OPEN_STATUSES }) },
    {
      $set: { [`${path}.status`]: 'sending', [`${path}.sendingAt`]: new Date(), [`${path}.grantSpent`]: true },
      $inc: { [`${path}.attempts`]: 1 },
    },
    { projection: { [path]: 1 }, returnDocument: 'before' },
  ).lean<{ deliveries?: unknown }>();
  const entry = ((before?.deliveries ?? {}) as unknown as Record<string, Delivery>)[key];
  if (!entry) return 'already';
  if (!entry.grantSpent && !(await spendGrant(deps, entry.userId, entry.platform, entry.templateId))) {
    await record(deps, caseId, key, 'skipped', 'NOT_SUBSCRIBED');
    return 'skipped';
  }

  const adapter = deps.platforms[entry.platform as 'wechat' | 'alipay'];
  try {
    const outcome = await adapter.sendSubscription({
      touser: entry.touser,
      templateId: entry.templateId,
      page: entry.page,
      data: messageData(deps, caseId, key, entry.data),
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
    if (!finalAttempt) {
      // Back to the queue while the retry waits, so only a send in flight stays 'sending'.
      await deps.models.Case.updateOne(
        { _id: caseId, [`${path}.status`]: 'sending' },
        { $set: { [`${path}.status`]: 'queued', [`${path}.queuedAt`]: new Date(), [`${path}.error`]: err.message.slice(0, 300) } },
      );
      throw err;
    }
    await refundGrant(deps, entry.userId, entry.platform, entry.templateId);
    await record(deps, caseId, key, 'dead', err.message.slice(0, 300));
    return 'dead';
  }
}
