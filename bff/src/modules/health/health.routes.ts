import Router from '@koa/router';
import type { Deps } from '../../context';

/** Liveness answers while the process runs; readiness checks the database and Redis. */
export function healthRouter(deps: Deps): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const timeout = <T>(p: Promise<T>) =>
      Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000))]);
    const [db, redis] = await Promise.allSettled([
      timeout(deps.conn.db!.command({ ping: 1 })),
      timeout(deps.redis.ping()),
    ]);
    const checks = { database: db.status === 'fulfilled' ? 'ok' : 'down', redis: redis.status === 'fulfilled' ? 'ok' : 'down' };
    const ready = checks.database === 'ok' && checks.redis === 'ok';
    ctx.status = ready ? 200 : 503;
    ctx.body = { status: ready ? 'ready' : 'not_ready', checks };
  });
  return router;
}
