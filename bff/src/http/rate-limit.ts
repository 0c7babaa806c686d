/**
 * Rate limits kept in Redis (rate-limiter-flexible): one counter per limit and key, each with the
 * limit's window as its expiry, so nothing they write outlives its window.
 */
import { isIP } from 'node:net';
import type { Context, Middleware } from 'koa';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import type { LimitRule } from '../../../config/bff';
import type { Deps } from '../context';
import { AppError } from './errors';

export function rateLimited(retryAfterS: number): AppError {
  const error = new AppError(429, 'RATE_LIMITED', '操作过于频繁，请稍后再试');
  error.retryAfterS = Math.max(1, Math.ceil(retryAfterS));
  return error;
}

/**
 * The client address a limit is keyed by. IPv6 clients get a /64 each from their provider, so the
 * first four groups stand for one client; an IPv4 address in IPv6 form is written as IPv4.
 */
export function clientAddress(ctx: Context): string {
  const ip = ctx.ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  if (isIP(ip) !== 6) return ip || 'unknown';
  const [head, tail = ''] = ip.split('::');
  const groups = head ? head.split(':') : [];
  const rest = tail ? tail.split(':') : [];
  const full = [...groups, ...Array(Math.max(0, 8 - groups.length - rest.length)).fill('0'), ...rest];
  return `${full.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export interface Limiter {
  /** Spends `points` under `key`; over the limit, throws 429 RATE_LIMITED with Retry-After. */
  consume(key: string, points?: number): Promise<{ consumed: number; remaining: number }>;
  /** Gives points back (a reservation larger than what was used). */
  refund(key: string, points: number): Promise<void>;
  /** What is left under `key` now. */
  remaining(key: string): Promise<number>;
  reset(key: string): Promise<void>;
  readonly rule: LimitRule;
}

const cache = new WeakMap<Deps, Map<string, Limiter>>();

/** The limiter named `name` (its Redis keys live under `rl:<name>:`), one per process and name. */
export function limiter(deps: Deps, name: string, rule: LimitRule): Limiter {
  let byName = cache.get(deps);
  if (!byName) cache.set(deps, (byName = new Map()));
  const known = byName.get(name);
  if (known) return known;
  const store = new RateLimiterRedis({
    storeClient: deps.redis,
    // node-redis v4+ answers in its own shape; without this the library assumes ioredis.
    useRedisPackage: true,
    keyPrefix: deps.key('rl', name),
    points: rule.points,
    duration: rule.durationS,
  });
  const made: Limiter = {
    rule,
    async consume(key, points = 1) {
      try {
        const res = await store.consume(key, points);
        return { consumed: res.consumedPoints, remaining: res.remainingPoints };
      } catch (err) {
        if (err instanceof RateLimiterRes) throw rateLimited(err.msBeforeNext / 1000);
        throw err;
      }
    },
    async refund(key, points) {
      if (points > 0) await store.reward(key, points);
    },
    async remaining(key) {
      const res = await store.get(key);
      return res ? Math.max(0, rule.points - res.consumedPoints) : rule.points;
    },
    async reset(key) {
      await store.delete(key);
    },
  };
  byName.set(name, made);
  return made;
}

export interface RateLimitSpec {
  /** Names the counter: routes that share a name share the budget. */
  name: string;
  rule: LimitRule;
  /** The key to count under; undefined skips the limit for this request. */
  key: (ctx: Context) => string | undefined;
}

/** A route middleware that spends one point per request, before anything else the route does. */
export function rateLimit(deps: Deps, spec: RateLimitSpec): Middleware {
  const counter = limiter(deps, spec.name, spec.rule);
  return async (ctx, next) => {
    const key = spec.key(ctx);
    if (key !== undefined) await counter.consume(key);
    await next();
  };
}

/** The usual per-address limit. */
export const perAddress = (deps: Deps, name: string, rule: LimitRule): Middleware => rateLimit(deps, { name, rule, key: clientAddress });

/** The usual per-user limit; put it after requireConsumer. */
export const perUser = (deps: Deps, name: string, rule: LimitRule): Middleware =>
  rateLimit(deps, { name, rule, key: (ctx) => (ctx.state.user as { id: string } | undefined)?.id });
