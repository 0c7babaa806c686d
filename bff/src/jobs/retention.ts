/**
 * The retention job: once the retention period of a closed case has passed (counted from its last
 * change, config retention.closedCaseDays), its personal data and evidence are erased, while the
 * anonymous counts stay. Batched, safe to run again, and run once per period across all workers.
 */
import mongoose from 'mongoose';
import type { Deps } from '../context';
import { FINAL_STATUSES } from '../../../shared/complaint/status';
import { ERASABLE_PROJECTION, eraseCase } from '../modules/privacy/erasure';
import { oncePerPeriod, type PeriodicJob } from './once-per-period';
import { eraseUnfiled } from '../modules/evidence/evidence.service';

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
 * Runs once per period across all workers (see oncePerPeriod): closed cases past their retention
 * (`eraseExpired`), then uploads no case cites past their hold (`eraseUnfiled`). Logs counts only.
 */
export function startRetentionJob(deps: Deps, everyMs = deps.config.retention.scanMs): PeriodicJob {
  return oncePerPeriod(deps, { key: 'retention', message: 'retention run' }, everyMs, async () => {
    const cases = await eraseExpired(deps);
    const unfiled = await eraseUnfiled(deps, new Date(), deps.config.retention.batch);
    return { ...cases, unfiledErased: unfiled.erased, unfiledReleased: unfiled.released, retentionDays: deps.config.retention.closedCaseDays };
  });
}
