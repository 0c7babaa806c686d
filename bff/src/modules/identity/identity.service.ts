/**
 * Real-name verification (实名认证), the phone number, and the person's view of their accounts
 * (linking itself is in linking.service.ts). Plaintext names, ID numbers and phones exist only in
 * memory here: they are sealed before storage, masked before any answer, and never logged.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { isDuplicateKey } from '../../infra/db';
import { AppError } from '../../http/errors';
import type { Platform } from '../../../../shared/api/common';
import type { AccountEvent, MaskedIdentity, ProfileView, VerifyBody, VerifyReply } from '../../../../shared/api/identity';
import { maskIdNumber, maskName, maskPhone } from '../../../../shared/identity/mask';
import { beijingDate } from '../../../../shared/calendar/working-days';
import type { VerificationResult } from '../../platforms/identity';
import { ACCOUNT_EVENTS_KEPT } from './identity.model';
import type { SealPlace } from '../../infra/pii';

export interface ConsumerRef {
  id: string;
  platform: Platform;
}

/** The person's name and ID number are bound to their identity document; the phone to its account. */
export const identityPlace = (id: unknown, field: 'name' | 'idNumber'): SealPlace => ({ collection: 'identities', field, id: String(id) });
export const phonePlace = (userId: unknown): SealPlace => ({ collection: 'users', field: 'phone', id: String(userId) });

const PLATFORM_NAMES: Record<Platform, string> = { wechat: '微信', alipay: '支付宝' };

/** Provider answers that hold for the same pair tomorrow too, so a retry may reuse them. */
const DEFINITE: ReadonlySet<VerificationResult> = new Set(['match', 'mismatch', 'no_record', 'invalid_id', 'invalid_name']);

const unavailable = () => new AppError(503, 'IDENTITY_UNAVAILABLE', '身份核验服务暂时不可用，请稍后再试');

/** Every provider answer but a match, as the person should read it. */
function refusal(result: VerificationResult): AppError {
  switch (result) {
    case 'mismatch':
      return new AppError(422, 'IDENTITY_MISMATCH', '姓名与身份证号不一致，请核对后重新输入');
    case 'no_record':
      return new AppError(422, 'IDENTITY_NO_RECORD', '未查询到该身份证号的户籍信息，请核对号码，或咨询户籍所在地公安机关');
    case 'invalid_id':
      return new AppError(422, 'IDENTITY_ID_INVALID', '身份证号无效，请核对后重新输入');
    case 'invalid_name':
      return new AppError(422, 'IDENTITY_NAME_INVALID', '姓名格式不正确，请按身份证上的姓名填写');
    default:
      // Provider trouble and its own daily limit are never the person's failure.
      return unavailable();
  }
}

type StoredEvent = { at: Date; platform: string; action: AccountEvent['action']; method?: 'code' | 'phone' | null };

export type IdentityDoc = {
  _id: unknown;
  idIndex: string;
  name: string;
  idNumber: string;
  accounts: { userId: string; platform: string; verifiedAt: Date; consent: { at: Date; version: string } }[];
  linkedUserIds: string[];
  events: StoredEvent[];
  version: number;
};

/** Lean reads skip schema defaults, and an upsert may store no empty arrays: fill them in once, here. */
function complete(doc: IdentityDoc | null): IdentityDoc | null {
  return doc && { ...doc, accounts: doc.accounts ?? [], linkedUserIds: doc.linkedUserIds ?? [], events: doc.events ?? [] };
}

/** The person's event log with one more entry, bounded to the newest ones. */
export function withEvent(doc: IdentityDoc, platform: Platform, action: AccountEvent['action'], method?: 'code' | 'phone'): StoredEvent[] {
  return [...doc.events, { at: new Date(), platform, action, ...(method ? { method } : {}) }].slice(-ACCOUNT_EVENTS_KEPT);
}

async function userOf(deps: Deps, userId: string) {
  const user = await deps.models.User.findById(userId).lean();
  if (!user) throw new AppError(401, 'AUTH_REQUIRED', '请先登录');
  return user;
}

export async function identityOfUser(deps: Deps, userId: string): Promise<IdentityDoc | null> {
  const user = await userOf(deps, userId);
  if (!user.identityId) return null;
  return deps.models.Identity.findById(user.identityId).lean<IdentityDoc>().then(complete);
}

function masked(deps: Deps, identity: IdentityDoc, userId: string): MaskedIdentity {
  const account = identity.accounts.find((a) => a.userId === userId);
  return {
    name: maskName(deps.pii.open(identity.name, identityPlace(identity._id, 'name'))),
    idNumber: maskIdNumber(deps.pii.open(identity.idNumber, identityPlace(identity._id, 'idNumber'))),
    verifiedAt: (account?.verifiedAt ?? new Date(0)).toISOString(),
  };
}

/**
 * The other platform's account of the same person, when this account has not been linked to it yet,
 * and whether both carry the same platform-vouched phone number (then that number proves the link).
 */
async function linkableOf(deps: Deps, identity: IdentityDoc, userId: string): Promise<{ platform: Platform; byPhone: boolean } | undefined> {
  const other = identity.accounts.find((a) => a.userId !== userId);
  if (!other || identity.linkedUserIds.includes(userId)) return undefined;
  return { platform: other.platform as Platform, byPhone: await samePhone(deps, userId, other.userId) };
}

/** Both accounts hold a phone number their platform vouched for, and it is the same (blind indexes equal). */
export async function samePhone(deps: Deps, a: string, b: string): Promise<boolean> {
  const users = await deps.models.User.find({ _id: mongoose.trusted({ $in: [a, b] }) }, { 'phone.index': 1 }).lean<{ phone?: { index?: string } | null }[]>();
  return users.length === 2 && Boolean(users[0].phone?.index) && users[0].phone?.index === users[1].phone?.index;
}

/**
 * Spends one of today's provider calls for the user and for the ID number (Beijing days); refuses
 * when either is used up. Counted before the call, so concurrent attempts cannot exceed the limit.
 */
async function spendProviderCall(deps: Deps, userId: string, idIndex: string): Promise<void> {
  const day = beijingDate(new Date());
  const keys = [deps.key('idv', 'calls', 'user', userId, day), deps.key('idv', 'calls', 'id', idIndex, day)];
  const multi = deps.redis.multi();
  for (const key of keys) multi.incr(key).expire(key, 2 * 86_400);
  const replies = await multi.exec();
  const [byUser, byId] = [Number(replies[0]), Number(replies[2])];
  const limit = deps.config.identity.dailyCalls;
  if (byUser > limit || byId > limit) {
    const error = new AppError(429, 'IDENTITY_ATTEMPTS_EXCEEDED', `今日实名认证次数已达上限（${limit} 次），请明天再试`);
    // The count starts again at midnight, Beijing time.
    error.retryAfterS = 86_400 - (Math.floor(Date.now() / 1000 + 8 * 3600) % 86_400);
    throw error;
  }
}

/** The provider's answer for the pair: from the keyed cache when a definite one is there, else one paid call. */
async function check(deps: Deps, userId: string, body: VerifyBody, idIndex: string): Promise<VerificationResult> {
  // Keyed by an HMAC of the pair, so the cache holds no name or number.
  const cacheKey = deps.key('idv', 'result', deps.pii.index('id-name-pair', `${body.idNumber}\u0000${body.name}`));
  const cached = (await deps.redis.get(cacheKey)) as VerificationResult | null;
  if (cached) return cached;
  await spendProviderCall(deps, userId, idIndex);
  const { result } = await deps.identityProvider.verifyTwoElements({ name: body.name, idNumber: body.idNumber });
  deps.logger.info({ event: 'identity.check', userId, result }, 'identity provider answered');
  if (DEFINITE.has(result)) await deps.redis.set(cacheKey, result, { EX: deps.config.identity.resultTtlS });
  return result;
}

/** The person's document, created on the first match; a concurrent first creation is tolerated. */
async function identityFor(deps: Deps, body: VerifyBody, idIndex: string): Promise<IdentityDoc> {
  const { Identity } = deps.models;
  // The id is chosen here so the sealed values can be bound to it; an existing document keeps its own.
  const _id = new mongoose.Types.ObjectId();
  try {
    const created = await Identity.findOneAndUpdate(
      { idIndex },
      {
        $setOnInsert: {
          _id,
          idIndex,
          name: deps.pii.seal(body.name, identityPlace(_id, 'name')),
          idNumber: deps.pii.seal(body.idNumber, identityPlace(_id, 'idNumber')),
          version: 0,
        },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean<IdentityDoc>().then(complete);
    if (created) return created;
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
  }
  const winner = await Identity.findOne({ idIndex }).lean<IdentityDoc>().then(complete);
  if (!winner) throw new AppError(409, 'CONFLICT', '操作冲突，请重试');
  return winner;
}

/** Applies `change` under the document's version; a concurrent change makes it read and try again. */
export async function updateIdentity(
  deps: Deps,
  start: IdentityDoc,
  change: (doc: IdentityDoc) => Partial<Pick<IdentityDoc, 'accounts' | 'linkedUserIds' | 'events'>> | null,
): Promise<IdentityDoc> {
  let doc = start;
  for (let attempt = 0; attempt < 5; attempt++) {
    const set = change(doc);
    if (!set) return doc;
    const updated = await deps.models.Identity.findOneAndUpdate(
      { _id: doc._id, version: doc.version },
      { $set: set, $inc: { version: 1 } },
      { returnDocument: 'after' },
    ).lean<IdentityDoc>().then(complete);
    if (updated) return updated;
    const fresh = await deps.models.Identity.findById(doc._id).lean<IdentityDoc>().then(complete);
    if (!fresh) break;
    doc = fresh;
  }
  throw new AppError(409, 'CONFLICT', '操作冲突，请重试');
}

export async function verify(deps: Deps, consumer: ConsumerRef, body: VerifyBody): Promise<VerifyReply> {
  const user = await userOf(deps, consumer.id);
  const idIndex = deps.pii.index('id', body.idNumber);

  if (user.identityId) {
    const current = await deps.models.Identity.findById(user.identityId).lean<IdentityDoc>().then(complete);
    // Asking again with the same person answers from what is stored: no provider call.
    if (current && current.idIndex === idIndex && deps.pii.open(current.name, identityPlace(current._id, 'name')) === body.name) {
      const linkable = await linkableOf(deps, current, consumer.id);
      return { verified: true, identity: masked(deps, current, consumer.id), ...(linkable ? { linkable } : {}) };
    }
    throw new AppError(409, 'IDENTITY_ALREADY_VERIFIED', '该账号已完成实名认证，不能更换为其他身份');
  }

  // Whether another account already holds this identity is told only after the provider matched the
  // pair, so nobody learns it from an ID number alone.
  const result = await check(deps, consumer.id, body, idIndex);
  if (result !== 'match') throw refusal(result);

  const now = new Date();
  const identity = await updateIdentity(deps, await identityFor(deps, body, idIndex), (doc) => {
    const samePlatform = doc.accounts.find((a) => a.platform === consumer.platform);
    if (samePlatform?.userId === consumer.id) return null;
    // One account per platform per person: a second WeChat account cannot take over the identity.
    if (samePlatform) {
      throw new AppError(409, 'IDENTITY_IN_USE', `该身份已在另一个${PLATFORM_NAMES[consumer.platform]}账号完成实名认证`);
    }
    const account = { userId: consumer.id, platform: consumer.platform, verifiedAt: now, consent: { at: now, version: body.consentVersion } };
    return { accounts: [...doc.accounts, account], events: withEvent(doc, consumer.platform, 'verified') };
  });
  await deps.models.User.updateOne({ _id: consumer.id }, { $set: { verified: true, identityId: identity._id } });
  deps.logger.info({ event: 'identity.verified', userId: consumer.id }, 'identity verified');

  const linkable = await linkableOf(deps, identity, consumer.id);
  return { verified: true, identity: masked(deps, identity, consumer.id), ...(linkable ? { linkable } : {}) };
}

/** The user and every account the same person linked to it: whose cases this user may see. */
export async function linkedUserIds(deps: Deps, userId: string): Promise<string[]> {
  const identity = await deps.models.Identity.findOne({ linkedUserIds: userId }, { linkedUserIds: 1 }).lean<Pick<IdentityDoc, 'linkedUserIds'>>();
  return identity ? [...new Set([userId, ...identity.linkedUserIds])] : [userId];
}

/** Plaintext name and ID number for server-side use (the complainant snapshot); never for a reply. */
export async function verifiedPerson(deps: Deps, userId: string): Promise<{ name: string; idNumber: string } | null> {
  const identity = await identityOfUser(deps, userId);
  if (!identity) return null;
  return { name: deps.pii.open(identity.name, identityPlace(identity._id, 'name')), idNumber: deps.pii.open(identity.idNumber, identityPlace(identity._id, 'idNumber')) };
}

export async function maskedIdentity(deps: Deps, userId: string): Promise<MaskedIdentity | null> {
  const identity = await identityOfUser(deps, userId);
  return identity ? masked(deps, identity, userId) : null;
}

/** Stores the number the platform vouched for; only its masked form is answered. */
export async function savePhone(deps: Deps, consumer: ConsumerRef, platform: Platform, grant: string): Promise<{ phone: string }> {
  if (platform !== consumer.platform) {
    throw new AppError(400, 'PLATFORM_MISMATCH', `请在${PLATFORM_NAMES[consumer.platform]}中授权手机号`);
  }
  const phone = await deps.platforms[platform].phoneNumber(grant);
  const record = { sealed: deps.pii.seal(phone, phonePlace(consumer.id)), index: deps.pii.index('phone', phone), at: new Date() };
  await deps.models.User.updateOne({ _id: consumer.id }, { $set: { phone: record } });
  return { phone: maskPhone(phone) };
}

export async function profile(deps: Deps, userId: string): Promise<ProfileView> {
  const user = await userOf(deps, userId);
  const identity = user.identityId ? await deps.models.Identity.findById(user.identityId).lean<IdentityDoc>().then(complete) : null;
  const account = identity?.accounts.find((a) => a.userId === userId);
  const linkedPlatforms: Platform[] =
    identity && identity.linkedUserIds.includes(userId)
      ? identity.accounts.filter((a) => identity.linkedUserIds.includes(a.userId)).map((a) => a.platform as Platform)
      : [user.platform as Platform];
  return {
    identity: identity ? masked(deps, identity, userId) : null,
    phone: user.phone ? maskPhone(deps.pii.open(user.phone.sealed, phonePlace(userId))) : null,
    linkedPlatforms,
    linkable: (identity && (await linkableOf(deps, identity, userId))) ?? null,
    idConsent: account ? { at: account.consent.at.toISOString(), version: account.consent.version } : null,
    accountEvents: (identity?.events ?? [])
      .map((e) => ({ at: e.at.toISOString(), platform: e.platform as Platform, action: e.action, ...(e.method ? { method: e.method } : {}) }))
      .reverse(),
  };
}

/**
 * Takes this account out of the verified person (consent withdrawn or account cancelled): its
 * verification and any link go; the sealed name and ID number go too once no account is left.
 * Cases already filed keep their own sealed snapshot until the retention job erases it.
 */
export async function leaveIdentity(deps: Deps, consumer: ConsumerRef, action: 'consent_withdrawn' | 'cancelled'): Promise<void> {
  const identity = await identityOfUser(deps, consumer.id);
  if (identity) {
    const left = await updateIdentity(deps, identity, (doc) => {
      if (!doc.accounts.some((a) => a.userId === consumer.id) && !doc.linkedUserIds.includes(consumer.id)) return null;
      return {
        accounts: doc.accounts.filter((a) => a.userId !== consumer.id),
        // A link joins exactly the person's accounts; with one of them gone there is nothing left to join.
        linkedUserIds: [],
        events: withEvent(doc, consumer.platform, action),
      };
    });
    // Guarded by the version: an account verifying at this moment keeps the document.
    if (left.accounts.length === 0) await deps.models.Identity.deleteOne({ _id: left._id, version: left.version });
  }
  await deps.models.User.updateOne({ _id: consumer.id }, { $set: { verified: false }, $unset: { identityId: 1 } });
}
