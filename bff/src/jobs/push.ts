/**
 * The push pipeline: a relay moves outbox entries from cases into a BullMQ queue (the entry key
 * is the job id, so a second relay pass adds nothing), and a worker delivers them. Redis holds
 * only the queue: an entry whose job was lost (Redis restarted, worker killed) is still open on
 * its case and the relay enqueues it again once it has been left alone for requeueAfterMs.
 *
 * The relay finds work two ways. A change that writes an entry then announces its case id in a
 * Redis list, and the relay reads those cases by `_id` every poll: no query over all cases. Every
 * outboxScanMs (and at start) it also scans for cases with open entries, which picks up whatever
 * an announcement missed: a crash between the case write and the announcement, a Redis restart.
 */
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import mongoose from 'mongoose';
import type { Deps } from '../context';
import type { Delivery } from '../modules/complaints/complaint.model';
import { deliver } from '../modules/notify/delivery';
import { takeAnnounced } from '../modules/notify/announce';
import { describeDbError, isDatabaseUnavailable } from '../infra/db';

/** While the database cannot serve, a delivery waits this long and tries again, its attempts untouched. */
export const DATABASE_WAIT_MS = 1000;

const QUEUE = 'deliveries';

interface DeliveryJob {
  caseId: string;
  key: string;
}

function connection(deps: Deps) {
  return new IORedis(deps.config.redisUrl, { maxRetriesPerRequest: null });
}

export function createQueue(deps: Deps, conn = connection(deps)) {
  return new Queue<DeliveryJob>(QUEUE, { connection: conn, prefix: `${deps.config.redisPrefix}bull` });
}

/** A resent entry gets a job id of its own: the old job may still be kept as failed. */
export const jobIdOf = (e: Pick<Delivery, 'key' | 'resends'>) => (e.resends ? `${e.key}-r${e.resends}` : e.key);

function lastTouched(e: Delivery): number {
  return Math.max(e.queuedAt?.getTime() ?? 0, e.sendingAt?.getTime() ?? 0);
}

type CaseEntries = { _id: mongoose.Types.ObjectId; deliveries?: unknown };

/** Enqueues the open entries of some cases and marks them queued. */
async function enqueueEntries(deps: Deps, queue: Queue<DeliveryJob>, cases: CaseEntries[]): Promise<number> {
  const { maxAttempts, backoffMs, requeueAfterMs } = deps.config.worker;
  const staleBefore = Date.now() - requeueAfterMs;
  const jobs: Parameters<typeof queue.addBulk>[0] = [];
  const marks: Array<{ filter: Record<string, unknown>; update: Record<string, unknown> }> = [];
  for (const c of cases) {
    const entries = Object.values((c.deliveries ?? {}) as unknown as Record<string, Delivery>);
    for (const e of entries) {
      const stale = (e.status === 'queued' || e.status === 'sending') && lastTouched(e) < staleBefore;
      if (e.status !== 'pending' && !stale) continue;
      const jobId = jobIdOf(e);
      if (stale) {
        // A job that finished without settling the entry (it failed on something other than the
        // vendor, or stalled too often) would make the add below a no-op.
        const old = await queue.getJob(jobId);
        const state = old ? await old.getState() : undefined;
        if (old && (state === 'failed' || state === 'completed')) await old.remove();
      }
      jobs.push({
        name: 'send',
        data: { caseId: String(c._id), key: e.key },
        opts: {
          jobId,
          attempts: maxAttempts,
          backoff: { type: 'exponential', delay: backoffMs, jitter: 0.5 },
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      });
      const path = `deliveries.${e.key}`;
      marks.push({
        filter: { _id: c._id, [`${path}.status`]: e.status },
        update: { $set: { [`${path}.status`]: e.status === 'sending' ? 'sending' : 'queued', [`${path}.queuedAt`]: new Date() } },
      });
    }
  }
  if (jobs.length) await queue.addBulk(jobs);
  // Each mark is conditional on the entry's status, one document each, sent together.
  if (marks.length) await deps.models.Case.bulkWrite(marks.map((m) => ({ updateOne: m })), { ordered: false });
  return jobs.length;
}

/**
 * One scan over up to `limit` cases with open entries, after the case id `after` (pages go
 * round, so a backlog larger than a page is worked through). Returns the entries enqueued and
 * where the next pass starts.
 */
export async function relayOnce(
  deps: Deps,
  queue: Queue<DeliveryJob>,
  opts: { after?: string; limit?: number } = {},
): Promise<{ moved: number; next?: string }> {
  const limit = opts.limit ?? 500;
  const filter: Record<string, unknown> = { outboxPending: mongoose.trusted({ $gt: 0 }) };
  if (opts.after) filter._id = mongoose.trusted({ $gt: new mongoose.Types.ObjectId(opts.after) });
  const cases = await deps.models.Case.find(filter, { deliveries: 1 }).sort({ _id: 1 }).limit(limit).lean();
  const moved = await enqueueEntries(deps, queue, cases);
  return { moved, next: cases.length === limit ? String(cases[cases.length - 1]._id) : undefined };
}

/** Enqueues the open entries of the cases announced since the last call, each read by `_id`. */
export async function relayAnnounced(deps: Deps, queue: Queue<DeliveryJob>, max = 500): Promise<{ cases: number; moved: number }> {
  const ids = await takeAnnounced(deps, max);
  const unique = [...new Set(ids)].filter((id) => mongoose.isValidObjectId(id));
  const cases: CaseEntries[] = [];
  for (const id of unique) {
    const c = await deps.models.Case.findById(id, { deliveries: 1, outboxPending: 1 }).lean();
    if (c && (c.outboxPending ?? 0) > 0) cases.push(c);
  }
  return { cases: unique.length, moved: await enqueueEntries(deps, queue, cases) };
}

export function startPushWorker(deps: Deps) {
  const { maxAttempts, concurrency, lockMs, outboxPollMs, outboxScanMs } = deps.config.worker;
  // BullMQ leaves connections it was given open, so they are closed here.
  const connections = [connection(deps), connection(deps)];
  const queue = createQueue(deps, connections[0]);
  const worker = new Worker<DeliveryJob>(
    QUEUE,
    async (job: Job<DeliveryJob>, token?: string) => {
      try {
        return await deliver(deps, job.data.caseId, job.data.key, job.attemptsMade + 1 >= maxAttempts);
      } catch (err) {
        if (!isDatabaseUnavailable(err)) throw err;
        // An outage is not the entry's fault: it must not use up the attempts (and end as dead)
        // nor wait out a long backoff; it is tried again shortly, as often as the outage lasts.
        await job.moveToDelayed(Date.now() + DATABASE_WAIT_MS, token);
        throw new DelayedError();
      }
    },
    {
      connection: connections[1],
      prefix: `${deps.config.redisPrefix}bull`,
      concurrency,
      lockDuration: lockMs,
      stalledInterval: lockMs,
    },
  );
  worker.on('error', (err) => deps.logger.warn({ err: err.message }, 'push worker error'));
  // Messages name the vendor path and error code only, never the recipient.
  worker.on('failed', (job, err) => deps.logger.warn({ key: job?.data.key, attempt: job?.attemptsMade, err: err.message }, 'delivery attempt failed'));

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let after: string | undefined;
  // The first pass scans: entries written while no relay ran were announced to nobody.
  let lastScan = 0;
  let scanning = false;
  const loop = async () => {
    if (stopped) return;
    let more = false;
    try {
      const announced = await relayAnnounced(deps, queue);
      more = announced.cases > 0;
      if (scanning || Date.now() - lastScan >= outboxScanMs) {
        const pass = await relayOnce(deps, queue, { after });
        after = pass.next;
        // A full page that moved entries means a backlog: the scan goes on with the next page at
        // once. A page of entries already queued ends it (each page reads the cases again).
        scanning = pass.next !== undefined && pass.moved > 0;
        if (!scanning) lastScan = Date.now();
        more ||= scanning;
      }
    } catch (err) {
      after = undefined;
      scanning = false;
      // Announcements taken in a failed pass are gone: the next pass scans the cases instead.
      lastScan = 0;
      deps.logger.warn(isDatabaseUnavailable(err) ? { db: describeDbError(err) } : { err: (err as Error).message }, 'outbox relay failed');
    }
    if (!stopped) timer = setTimeout(loop, more ? 0 : outboxPollMs);
  };
  void loop();

  return {
    queue,
    worker,
    async close() {
      stopped = true;
      clearTimeout(timer);
      await worker.close();
      await queue.close();
      await Promise.all(connections.map((c) => c.quit().catch(() => undefined)));
    },
  };
}
