/**
 * Announcements of cases whose outbox just got an entry: a Redis list the relay reads, so it
 * finds new work by `_id` instead of querying every case. Best effort by design: a lost
 * announcement (a crash between the case write and this one, a Redis restart) only waits for the
 * relay's next scan, and the case document stays the record of what must be sent.
 */
import type { Deps } from '../../context';

const key = (deps: Deps) => deps.key('outbox', 'announced');

/**
 * The most announcements kept while no relay takes them (every worker down): the oldest beyond it
 * are dropped, and the relay's scan finds their cases, so Redis does not grow without bound.
 */
export const MAX_ANNOUNCED = 100_000;

export async function announceOutbox(deps: Deps, caseId: string): Promise<void> {
  try {
    await deps.redis.multi().rPush(key(deps), caseId).lTrim(key(deps), -MAX_ANNOUNCED, -1).exec();
  } catch (err) {
    deps.logger.warn({ err: (err as Error).message }, 'outbox announcement lost; the next scan finds the entry');
  }
}

/** Takes up to `max` announced case ids, oldest first. */
export async function takeAnnounced(deps: Deps, max: number): Promise<string[]> {
  return (await deps.redis.lPopCount(key(deps), max)) ?? [];
}
