/**
 * The push pipeline: a relay moves outbox entries from cases into a BullMQ queue (the entry key
 * is the job id, so a second relay pass adds nothing), and a worker delivers them.
 */
import { Queue, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import mongoose from 'mongoose';
import type { Deps } from '../context';
import type { Delivery } from '../modules/complaints/complaint.model';
import { deliver } from '../modules/notify/delivery';

const QUEUE = 'deliveries';
export const MAX_ATTEMPTS = 8;
/** A queued entry not settled after this long is enqueued again (its job may have been lost with Redis). */
const REQUEUE_AFTER_MS = 60_000;

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

export async function relayOnce(deps: Deps, queue: Queue<DeliveryJob>, limit = 200): Promise<number> {
  const cases = await deps.models.Case.find({ outboxPending: mongoose.trusted({ $gt: 0 }) }, { deliveries: 1 })
    .limit(limit)
    .lean();
  const staleBefore = Date.now() - REQUEUE_AFTER_MS;
  let moved = 0;
  for (const c of cases) {
    const entries = Object.values((c.deliveries ?? {}) as unknown as Record<string, Delivery>);
    for (const e of entries) {
      const due = e.status === 'pending' || (e.status === 'queued' && (e.queuedAt?.getTime() ?? 0) < staleBefore);
      if (!due) continue;
      await queue.add(
        'send',
        { caseId: String(c._id), key: e.key },
        {
          jobId: e.key,
          attempts: MAX_ATTEMPTS,
          backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
          removeOnComplete: { age: 24 * 3600 },
          removeOnFail: { age: 7 * 24 * 3600 },
        },
      );
      await deps.models.Case.updateOne(
        { _id: c._id, [`deliveries.${e.key}.status`]: mongoose.trusted({ $in: ['pending', 'queued'] }) },
        { $set: { [`deliveries.${e.key}.status`]: 'queued', [`deliveries.${e.key}.queuedAt`]: new Date() } },
      );
      moved += 1;
    }
  }
  return moved;
}

export function startPushWorker(deps: Deps) {
  // BullMQ leaves connections it was given open, so they are closed here.
  const connections = [connection(deps), connection(deps)];
  const queue = createQueue(deps, connections[0]);
  const worker = new Worker<DeliveryJob>(
    QUEUE,
    async (job: Job<DeliveryJob>) => deliver(deps, job.data.caseId, job.data.key, job.attemptsMade + 1 >= MAX_ATTEMPTS),
    { connection: connections[1], prefix: `${deps.config.redisPrefix}bull`, concurrency: deps.config.worker.concurrency },
  );
  worker.on('error', (err) => deps.logger.warn({ err: err.message }, 'push worker error'));

  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const loop = async () => {
    if (stopped) return;
    try {
      await relayOnce(deps, queue);
    } catch (err) {
      deps.logger.warn({ err: (err as Error).message }, 'outbox relay failed');
    }
    if (!stopped) timer = setTimeout(loop, deps.config.worker.outboxPollMs);
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
      await Promise.all(connections.map((c) => c.quit()));
    },
  };
}
