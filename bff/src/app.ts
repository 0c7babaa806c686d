/** Builds the Koa app; tests import this, only main.ts listens. */
import path from 'node:path';
import fs from 'node:fs';
import Koa from 'koa';
import { bodyParser } from '@koa/bodyparser';
import serve from 'koa-static';
import type { Deps } from './context';
import { Api } from './http/api';
import { errorMiddleware, requestLogger, securityHeaders } from './http/middleware';
import { healthRouter } from './modules/health/health.routes';
import { authRoutes } from './modules/auth/auth.routes';
import { complaintRoutes } from './modules/complaints/complaints.routes';
import { adminRoutes } from './modules/staff/admin.routes';
import { subscriptionRoutes } from './modules/notify/subscriptions.routes';
import { deliveryRoutes } from './modules/notify/deliveries.routes';
import { catalogRoutes } from './modules/catalog/catalog.routes';
import { sandboxRoutes } from './modules/sandbox/sandbox.routes';
import { identityRoutes } from './modules/identity/identity.routes';
import { privacyRoutes } from './modules/privacy/privacy.routes';
import { regionRoutes } from './modules/regions/regions.routes';
import { evidenceRoutes } from './modules/evidence/evidence.routes';
import { draftRoutes } from './modules/drafts/drafts.routes';
import { staffRoutes } from './modules/staff/staff.routes';
import { insightRoutes } from './modules/insight/insight.routes';
import { auditRoutes } from './modules/audit/audit.routes';
import { feedbackRoutes } from './modules/handling/feedback.routes';
import { exportRoutes } from './modules/export/export.routes';

export const API_PREFIX = '/api/v1';

export function createApi(deps: Deps): Api {
  const api = new Api(API_PREFIX, { checkReplies: !deps.config.production });
  authRoutes(api, deps);
  complaintRoutes(api, deps);
  subscriptionRoutes(api, deps);
  catalogRoutes(api, deps);
  regionRoutes(api, deps);
  evidenceRoutes(api, deps);
  draftRoutes(api, deps);
  adminRoutes(api, deps);
  identityRoutes(api, deps);
  privacyRoutes(api, deps);
  staffRoutes(api, deps);
  insightRoutes(api, deps);
  auditRoutes(api, deps);
  feedbackRoutes(api, deps);
  deliveryRoutes(api, deps);
  exportRoutes(api, deps);
  if (deps.config.sandbox) sandboxRoutes(api, deps);
  return api;
}

/** Serves a built single-page app under a prefix, answering unknown paths with its index.html. */
function spa(prefix: string, dir: string): Koa.Middleware {
  const files = serve(dir, { index: 'index.html', maxage: 0 });
  const index = path.join(dir, 'index.html');
  return async (ctx, next) => {
    if (ctx.path === prefix) return ctx.redirect(`${prefix}/`);
    if (!ctx.path.startsWith(`${prefix}/`)) return next();
    const original = ctx.path;
    ctx.path = original.slice(prefix.length) || '/';
    await files(ctx, async () => undefined);
    ctx.path = original;
    if (ctx.body === undefined && ctx.method === 'GET' && fs.existsSync(index)) {
      ctx.type = 'html';
      ctx.body = fs.createReadStream(index);
    }
    if (ctx.body === undefined) await next();
  };
}

export function createApp(deps: Deps): Koa {
  // Behind our proxies ctx.ip is the address the last of them saw; rate limits are keyed by it.
  const app = new Koa({ proxy: deps.config.trustProxy, maxIpsCount: deps.config.proxyHops });
  // Errors after the response has started (a download whose client went away, a stream that broke)
  // reach Koa's 'error' event, not the error middleware: they go to the log, not to stderr.
  app.on('error', (err: Error & { code?: string }, ctx?: Koa.Context) => {
    if (err.code === 'ERR_STREAM_PREMATURE_CLOSE') deps.logger.info({ path: ctx?.path }, 'client closed the response early');
    else deps.logger.error({ err, path: ctx?.path }, 'response failed');
  });
  const api = createApi(deps);
  const openapi = api.openapi({ title: '12315 消费者投诉举报平台 API', version: '1' });

  // The request log wraps the error middleware, so it records the status the client was sent.
  app.use(requestLogger(deps.logger));
  app.use(errorMiddleware(deps.logger));
  app.use(securityHeaders());
  app.use(healthRouter(deps).routes());
  app.use(
    bodyParser({
      enableTypes: ['json'],
      jsonLimit: '100kb',
      // Only objects and arrays are valid bodies; a bare string or number is refused.
      jsonStrict: true,
    }),
  );
  app.use(async (ctx, next) => {
    if (ctx.path === `${API_PREFIX}/openapi.json`) {
      ctx.body = openapi;
      return;
    }
    await next();
  });
  app.use(api.router.routes());
  app.use(api.router.allowedMethods());
  if (deps.config.staticDirs.admin) app.use(spa('/admin', deps.config.staticDirs.admin));
  if (deps.config.staticDirs.h5) app.use(spa('/h5', deps.config.staticDirs.h5));
  return app;
}
