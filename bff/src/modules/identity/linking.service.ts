/**
 * Linking one person's WeChat and Alipay accounts so both see the same cases. A verified name and
 * ID number prove only that someone knows them, so a link also needs proof that both accounts are
 * in the person's hands: a one-time link code shown in one signed-in account and typed into the
 * other, or the same phone number vouched for by each platform. Either account can undo the link.
 */
import { randomInt } from 'node:crypto';
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { Platform } from '../../../../shared/api/common';
import {
  LINK_CODE_ALPHABET,
  LINK_CODE_LENGTH,
  LINK_CODE_TTL_MINUTES,
  type LinkBody,
  type LinkCodeReply,
  type LinkReply,
} from '../../../../shared/api/identity';
import { identityOfUser, samePhone, updateIdentity, withEvent, type ConsumerRef, type IdentityDoc } from './identity.service';

/** A code is answered as expired (rather than unknown) for this long after it was issued. */
const CODE_RECORD_S = 86_400;

interface CodeRecord {
  userId: string;
  identityId: string;
  expiresAt: number;
}

const identityRequired = () => new AppError(403, 'IDENTITY_REQUIRED', '请先完成实名认证，再关联账号');
const alreadyLinked = () => new AppError(409, 'ALREADY_LINKED', '该账号已与另一个平台的账号关联；如需更换，请先解除关联');
const refused = (code: string, message: string) => new AppError(422, code, message);

async function verifiedIdentity(deps: Deps, consumer: ConsumerRef): Promise<IdentityDoc> {
  const identity = await identityOfUser(deps, consumer.id);
  if (!identity) throw identityRequired();
  if (identity.linkedUserIds.includes(consumer.id)) throw alreadyLinked();
  return identity;
}

/** Codes are kept only as a keyed hash: Redis never holds one that could be typed in. */
const codeKeys = (deps: Deps, code: string) => {
  const hash = deps.pii.index('link-code', code);
  return { record: deps.key('link', 'code', hash), spent: deps.key('link', 'spent', hash) };
};

/** A new code for this account (shown here, typed in the other account); it replaces the previous one. */
export async function issueLinkCode(deps: Deps, consumer: ConsumerRef): Promise<LinkCodeReply> {
  const identity = await verifiedIdentity(deps, consumer);
  const code = Array.from({ length: LINK_CODE_LENGTH }, () => LINK_CODE_ALPHABET[randomInt(LINK_CODE_ALPHABET.length)]).join('');
  const expiresAt = Date.now() + LINK_CODE_TTL_MINUTES * 60_000;
  const current = deps.key('link', 'current', consumer.id);
  const previous = await deps.redis.get(current);
  const keys = codeKeys(deps, code);
  const record: CodeRecord = { userId: consumer.id, identityId: String(identity._id), expiresAt };
  const multi = deps.redis.multi();
  if (previous) multi.del(previous);
  await multi
    .set(keys.record, JSON.stringify(record), { EX: CODE_RECORD_S })
    .set(current, keys.record, { EX: LINK_CODE_TTL_MINUTES * 60 })
    .exec();
  return { code, expiresAt: new Date(expiresAt).toISOString() };
}

/** Counts a code entry of this account; past the limit the account waits for the window to pass. */
async function spendAttempt(deps: Deps, userId: string): Promise<void> {
  const { attempts, windowS } = deps.config.linkCode;
  const key = deps.key('link', 'tries', userId);
  // The expiry is set with the first attempt of a window and kept by INCR.
  const replies = await deps.redis.multi().set(key, '0', { EX: windowS, NX: true }).incr(key).exec();
  if (Number(replies[1]) > attempts) {
    throw new AppError(429, 'LINK_ATTEMPTS_EXCEEDED', `关联码输错次数过多，请 ${Math.ceil(windowS / 60)} 分钟后再试`);
  }
}

/** The account whose code this is, once every check passed; the code is spent by this call. */
async function redeemCode(deps: Deps, consumer: ConsumerRef, identity: IdentityDoc, code: string): Promise<string> {
  await spendAttempt(deps, consumer.id);
  const keys = codeKeys(deps, code);
  const [spent, raw] = await Promise.all([deps.redis.get(keys.spent), deps.redis.get(keys.record)]);
  if (spent) throw refused('LINK_CODE_USED', '该关联码已使用过，请在另一个账号中重新生成');
  if (!raw) throw refused('LINK_CODE_INVALID', '关联码不正确，请核对后重新输入');
  const record = JSON.parse(raw) as CodeRecord;
  if (Date.now() > record.expiresAt) {
    throw refused('LINK_CODE_EXPIRED', `关联码已过期（${LINK_CODE_TTL_MINUTES} 分钟内有效），请在另一个账号中重新生成`);
  }
  if (record.userId === consumer.id) throw refused('LINK_CODE_OWN', '这是本账号生成的关联码，请在另一个平台的账号中输入');
  if (record.identityId !== String(identity._id) || !identity.accounts.some((a) => a.userId === record.userId)) {
    throw refused('LINK_CODE_OTHER_IDENTITY', '该关联码来自实名身份不同的账号，不能关联');
  }
  // Single use even when two entries race: only the first marks it spent.
  const first = await deps.redis.set(keys.spent, '1', { EX: CODE_RECORD_S, NX: true });
  if (!first) throw refused('LINK_CODE_USED', '该关联码已使用过，请在另一个账号中重新生成');
  await deps.redis.multi().del(keys.record).del(deps.key('link', 'current', record.userId)).del(deps.key('link', 'tries', consumer.id)).exec();
  return record.userId;
}

/** The other platform's account of the same person, when both carry the same platform-vouched phone. */
async function phoneMatch(deps: Deps, consumer: ConsumerRef, identity: IdentityDoc): Promise<string> {
  const other = identity.accounts.find((a) => a.userId !== consumer.id);
  if (!other) throw new AppError(409, 'NOTHING_TO_LINK', '您的实名身份还没有在另一个平台完成认证，暂无可关联的账号');
  if (!(await samePhone(deps, consumer.id, other.userId))) {
    throw refused('LINK_PHONE_MISMATCH', '两个账号没有授权相同的手机号，请在两个账号中授权同一手机号，或改用关联码关联');
  }
  return other.userId;
}

const linkedPlatforms = (doc: IdentityDoc): Platform[] =>
  doc.accounts.filter((a) => doc.linkedUserIds.includes(a.userId)).map((a) => a.platform as Platform);

/** Links this account with the person's other one after the proof checked out; recorded in the person's event log. */
export async function linkAccounts(deps: Deps, consumer: ConsumerRef, body: LinkBody): Promise<LinkReply> {
  const identity = await verifiedIdentity(deps, consumer);
  const otherId = body.method === 'code' ? await redeemCode(deps, consumer, identity, body.code) : await phoneMatch(deps, consumer, identity);
  const updated = await updateIdentity(deps, identity, (doc) => {
    const held = (id: string) => doc.accounts.some((a) => a.userId === id);
    // Either account may have left the identity meanwhile (consent withdrawn, account cancelled).
    if (!held(consumer.id) || !held(otherId)) throw new AppError(409, 'NOTHING_TO_LINK', '另一个账号已不再关联此实名身份，无法关联');
    if (doc.linkedUserIds.includes(consumer.id)) return null;
    return {
      linkedUserIds: [...new Set([...doc.linkedUserIds, otherId, consumer.id])],
      events: withEvent(doc, consumer.platform, 'linked', body.method),
    };
  });
  deps.logger.info({ event: 'identity.linked', userId: consumer.id, method: body.method }, 'accounts linked');
  return { linked: linkedPlatforms(updated) };
}

/** Separates the person's accounts again: from now on each sees only its own cases. */
export async function unlinkAccounts(deps: Deps, consumer: ConsumerRef): Promise<void> {
  const identity = await identityOfUser(deps, consumer.id);
  if (!identity?.linkedUserIds.includes(consumer.id)) throw new AppError(409, 'NOT_LINKED', '该账号没有与其他平台的账号关联');
  await updateIdentity(deps, identity, (doc) =>
    doc.linkedUserIds.includes(consumer.id) ? { linkedUserIds: [], events: withEvent(doc, consumer.platform, 'unlinked') } : null,
  );
  deps.logger.info({ event: 'identity.unlinked', userId: consumer.id }, 'accounts unlinked');
}

/**
 * Links made before linking needed proof of both accounts carry no 'linked' event: any of them
 * may be a takeover, so they are dropped (the person links again with a code or their phone).
 * Safe to run again; the worker runs it at start. Answers how many identities it separated.
 */
export async function dropUnprovenLinks(deps: Deps): Promise<number> {
  const res = await deps.models.Identity.updateMany(
    // Any account id sorts after '': the linkedUserIds index yields only the linked identities.
    { linkedUserIds: mongoose.trusted({ $gt: '' }), 'events.action': mongoose.trusted({ $ne: 'linked' }) },
    { $set: { linkedUserIds: [] }, $inc: { version: 1 } },
  );
  if (res.modifiedCount) deps.logger.warn({ event: 'identity.unproven_links_dropped', identities: res.modifiedCount }, 'links made without proof dropped');
  return res.modifiedCount;
}
