/**
 * Runs a job once per period across all processes. Periods are counted from the epoch, so every
 * process agrees where one starts; each process looks a few times a period and the first to take
 * the period's key in Redis runs the job. A process that dies leaves the next period to the others;
 * a process that starts mid-period finds the period already taken.
 */
import type { Deps } from '../context';
import { describeDbError, isDatabaseUnavailable } from '../infra/db';

export interface PeriodicJob {
  close(): Promise<void>;
}

/**
 * @param job `key` names the period's Redis key, `message` the log line of each run and of a failure
 * @param run the job; what it answers is logged with the period (counts only, never personal data)
 */
export function oncePerPeriod<R extends object>(deps: Deps, job: { key: string; message: string }, everyMs: number, run: () => Promise<R>): PeriodicJob {
  const checkEveryMs = Math.max(Math.min(Math.floor(everyMs / 5), 60_000), 50);
  let running: Promise<void> | undefined;
  const tick = () => {
    running ??= (async () => {
      try {
        const period = Math.floor(Date.now() / everyMs);
        // Kept past its period, so a check late in the period cannot take it again.
        const got = await deps.redis.set(deps.key('lock', job.key, String(everyMs), String(period)), String(process.pid), { NX: true, PX: 2 * everyMs });
        if (!got) return;
        const result = await run();
        deps.logger.info({ ...(result as Record<string, unknown>), period }, job.message);
      } catch (err) {
        deps.logger.error(isDatabaseUnavailable(err) ? { db: describeDbError(err) } : { err }, `${job.message} failed`);
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
