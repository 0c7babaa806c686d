/**
 * The retention job: once the retention period of a closed case has passed (counted from its last
 * change, config retention.closedCaseDays), its personal data and evidence are erased, while the
 * anonymous counts stay. Batched, safe to run again, and run once per period across all workers.
 */
import mongoose from 'mongoose';
import type { Deps } from '../context';
import { FINAL_STATUSES } from '../../../shared/complaint/status';
import { ERASABLE_PROJECTION, eraseCase } from '../modules/privacy/erasure';
import { describeDbError, isDatabaseUnavailable } from '../infra/db';

export interface RetentionResult {
  /** Cases whose personal data was erased by this run. */
  erased: number;
  /** Evidence files erased with them. */
  evidence: number;
  /** Cases skipped because they changed while being read (taken again by the next run). */
  skipped: number;
}

/** The closed cases whose retention ended before `now`, erased batch by batch. */
export async function eraseExpired(deps: Deps, now = new Date()): Promise<RetentionResult> {
  const { closedCaseDays, batch } = deps.config.retention;
  const cutoff = new Date(now.getTime() - closedCaseDays * 86_400_000);
  const result: RetentionResult = { erased: 0, evidence: 0, skipped: 0 };
  const seen = new Set<string>();
  for (;;) {
    const docs = await deps.models.Case.find(
      { status: mongoose.trusted({ $in: FINAL_STATUSES }), erasedAt: null, updatedAt: mongoose.trusted({ $lt: cutoff }) },
      ERASABLE_PROJECTION,
    )
      .limit(batch)
      .lean();
    // A case that lost its race stays in the range; it is left for the next run rather than read again.
    const fresh = docs.filter((d) => !seen.has(String(d._id)));
    for (const doc of fresh) {
      seen.add(String(doc._id));
      const r = await eraseCase(deps, doc as Parameters<typeof eraseCase>[1]);
      result.evidence += r.evidence;
      if (r.erased) result.erased += 1;
      else result.skipped += 1;
    }
    if (docs.length < batch || fresh.length === 0) return result;
  }
}

/**
 * Runs `eraseExpired` once per period (periods counted from the epoch, so every process agrees
 * where one starts): the first worker to take the period's key in Redis runs it, as the deadline
 * scanner does. Logs counts only, never what was erased.
 */
export function startRetentionJob(deps: Deps, everyMs = deps.config.retention.scanMs) {
  const checkEveryMs = Math.max(Math.min(Math.floor(everyMs / 5), 60_000), 50);
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      try {
        const period = Math.floor(Date.now() / everyMs);
        const got = await deps.redis.set(deps.key('lock', 'retention', String(everyMs), String(period)), String(process.pid), { NX: true, PX: 2 * everyMs });
        if (!got) return;
        const r = await eraseExpired(deps);
        deps.logger.info({ ...r, period, retentionDays: deps.config.retention.closedCaseDays }, 'retention run');
      } catch (err) {
        deps.logger.error(isDatabaseUnavailable(err) ? { db: describeDbError(err) } : { err }, 'retention run failed');
      } finally {
        running = undefined;
      }
    })();
  };
  tick();
  const timer = setInterval(tick, checkEveryMs);
  return {
    async close() {
      clearInterval(timer);
      await running;
    },
  };
}
