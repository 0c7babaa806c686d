import { randomUUID } from 'node:crypto';
import type { Middleware } from 'koa';
import mongoose from 'mongoose';
import { z } from 'zod';
import type { Logger } from '../logger';
import { AppError } from './errors';
import { describeDbError, isDatabaseUnavailable, isWriteConflict } from '../infra/db';
import { SealedValueError } from '../infra/pii';

/** Answered while the database cannot serve; clients may retry after a few seconds. */
export const DATABASE_UNAVAILABLE = 'DATABASE_UNAVAILABLE';
export const DATABASE_BUSY = 'DATABASE_BUSY';
const RETRY_AFTER_S = 5;

/** Maps every thrown error to `{error:{code,message}}`; unknown errors become a logged 500. */
export function errorMiddleware(logger: Logger): Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        throw new AppError(404, 'NOT_FOUND', '请求的资源不存在');
      }
      // The router answers a known path with another method 405 and a method it has never heard of
      // (TRACE, QUERY) 501, both without a body: either way the client sent a method this path does not take.
      if ((ctx.status === 405 || ctx.status === 501) && ctx.body === undefined) {
        throw new AppError(405, 'METHOD_NOT_ALLOWED', '不支持该请求方法');
      }
    } catch (err) {
      const e = toAppError(err);
      if (e.code === DATABASE_BUSY) {
        logger.warn({ db: describeDbError(err), path: ctx.path, requestId: ctx.state.requestId }, 'write conflict');
        ctx.set('Retry-After', '1');
      } else if (e.code === DATABASE_UNAVAILABLE) {
        // The error's kind only: the driver's text can quote the query, and with it personal data.
        logger.warn({ db: describeDbError(err), path: ctx.path, requestId: ctx.state.requestId }, 'database unavailable');
        ctx.set('Retry-After', String(RETRY_AFTER_S));
      } else if (e.status >= 500) logger.error({ err, path: ctx.path, requestId: ctx.state.requestId }, 'request failed');
      if (e.retryAfterS) ctx.set('Retry-After', String(e.retryAfterS));
      ctx.status = e.status;
      const fields = Array.isArray(e.details) ? e.details : undefined;
      ctx.body = { error: { code: e.code, message: e.message, ...(fields ? { fields } : {}), ...e.extra } };
    }
  };
}

function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  if (err instanceof z.ZodError) return validationError(err);
  // A stored value that fails its integrity check (tampered, or copied from another record): the
  // record is not shown at all, and the log names the place, never the value.
  if (err instanceof SealedValueError) return new AppError(500, 'SEALED_VALUE_INVALID', '该记录的加密数据校验未通过，无法显示，请联系系统管理员');
  const e = err as { status?: number; statusCode?: number; type?: string; expose?: boolean; code?: number };
  const status = e.status ?? e.statusCode;
  // Body parser and other HTTP errors from Koa's ecosystem carry their own status.
  if (status === 413) return new AppError(413, 'PAYLOAD_TOO_LARGE', '提交的内容过大');
  if (status === 415) return new AppError(415, 'UNSUPPORTED_MEDIA_TYPE', '请求内容类型不受支持');
  if (status && status >= 400 && status < 500) return new AppError(400, 'BAD_REQUEST', '请求格式不正确');
  if (err instanceof mongoose.Error.CastError) return new AppError(400, 'BAD_REQUEST', '请求参数格式不正确');
  if (isDatabaseUnavailable(err)) return new AppError(503, DATABASE_UNAVAILABLE, '服务暂时不可用，请稍后再试');
  // Lost to a concurrent write where no retry was made: the same request again will go through.
  if (isWriteConflict(err)) return new AppError(503, DATABASE_BUSY, '服务繁忙，请稍后再试');
  return new AppError(500, 'INTERNAL', '服务暂时不可用，请稍后再试');
}

export function validationError(err: z.ZodError): AppError {
  const fields = err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  return new AppError(400, 'VALIDATION_FAILED', fields[0]?.message ?? '提交的内容有误', fields);
}

export function requestLogger(logger: Logger): Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    ctx.state.requestId = ctx.get('x-request-id') || randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info(
        { requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms: Math.round(ms * 10) / 10 },
        'request',
      );
    }
  };
}

export function securityHeaders(): Middleware {
  return async (ctx, next) => {
    await next();
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.set('Referrer-Policy', 'no-referrer');
    ctx.set('X-Frame-Options', 'DENY');
    if (ctx.path.startsWith('/admin')) {
      ctx.set(
        'Content-Security-Policy',
        "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'",
      );
    }
  };
}
