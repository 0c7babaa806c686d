/** Consent the consumer gave in the vendor's dialog, counted as one-time grants. */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { retryingUpsert } from '../../infra/db';
import { AppError } from '../../http/errors';
import type { Platform } from '../../../../shared/api/common';
import type { SubscribeResult } from '../../../../shared/api/subscriptions';
import { TEMPLATES } from './outbox';

export function listTemplates(platform: Platform) {
  return TEMPLATES[platform].map((t) => ({ id: t.id, event: t.event, title: t.title }));
}

export async function recordResults(
  deps: Deps,
  user: { id: string; platform: Platform },
  platform: Platform,
  results: Record<string, SubscribeResult>,
) {
  if (platform !== user.platform) throw new AppError(400, 'PLATFORM_MISMATCH', '订阅平台与登录平台不一致');
  const known = new Set(TEMPLATES[platform].map((t) => t.id));
  const unknown = Object.keys(results).filter((id) => !known.has(id));
  if (unknown.length) throw new AppError(400, 'TEMPLATE_UNKNOWN', '订阅的消息模板不存在', unknown.map((id) => ({ path: `results.${id}`, message: '模板不存在' })));
  const grants: Record<string, number> = {};
  for (const [templateId, result] of Object.entries(results)) {
    const inc = result === 'accept' ? 1 : 0;
    const doc = await retryingUpsert(() =>
      deps.models.Grant.findOneAndUpdate(
        { userId: user.id, platform, templateId },
        { $inc: { count: inc }, $setOnInsert: { userId: user.id, platform, templateId } },
        { upsert: true, returnDocument: 'after' },
      ).lean(),
    );
    grants[templateId] = doc?.count ?? 0;
  }
  return { grants };
}

/** The grant document of a consumer, platform and template (read only). */
const grantOf = (deps: Deps, userId: string, platform: string, templateId: string) =>
  deps.models.Grant.findOne({ userId, platform, templateId }, { _id: 1, count: 1 }).lean();

/**
 * Spends one grant; false when none is left. The count is read first and then taken down by
 * `_id` with a condition that it is still above zero, so the write is a point update (the
 * embedded database answers only `_id` from an index, and holds its write lock while it looks)
 * and two racing sends of the last grant still spend it once.
 */
export async function spendGrant(deps: Deps, userId: string, platform: string, templateId: string): Promise<boolean> {
  const grant = await grantOf(deps, userId, platform, templateId);
  if (!grant || grant.count <= 0) return false;
  const doc = await deps.models.Grant.findOneAndUpdate(
    { _id: grant._id, count: mongoose.trusted({ $gt: 0 }) },
    { $inc: { count: -1 } },
    { returnDocument: 'after' },
  ).lean();
  return Boolean(doc);
}

export async function refundGrant(deps: Deps, userId: string, platform: string, templateId: string): Promise<void> {
  const grant = await grantOf(deps, userId, platform, templateId);
  if (grant) await deps.models.Grant.updateOne({ _id: grant._id }, { $inc: { count: 1 } });
}
