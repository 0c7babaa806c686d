/**
 * Declares each route once: the shared zod schemas parse the request, the same schemas feed
 * the OpenAPI document, and the handler only calls a service.
 */
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { errorBody } from '../../../shared/api/common';
import { validationError } from './middleware';

type Method = 'get' | 'post' | 'delete';

export interface RouteSpec<B extends z.ZodType, Q extends z.ZodType, P extends z.ZodType> {
  method: Method;
  path: string;
  summary: string;
  tag: string;
  security?: 'bearer' | 'staffCookie';
  body?: B;
  query?: Q;
  params?: P;
  response?: z.ZodType;
  /** Content types of a file the route sends instead of JSON (a download). */
  produces?: readonly string[];
  status?: number;
  /**
   * Error statuses this route answers beyond those every route of its kind can: 400 for a route
   * that reads input, 413 and 415 for one with a body, 401 for a signed-in one, 403 for a staff
   * route that changes something (its CSRF check), 503 for all.
   * Each is documented with the error body, so a status the route sends must be listed here.
   */
  errors?: readonly ErrorStatus[];
  middleware?: Middleware[];
}

export type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 423 | 429 | 502 | 503;

const ERROR_DESCRIPTIONS: Record<ErrorStatus, string> = {
  400: 'Invalid request',
  401: 'Not signed in, or the session ended',
  403: 'Not allowed',
  404: 'Not found',
  405: 'Method not allowed',
  409: 'Conflicts with the current state',
  410: 'Gone',
  413: 'Body too large',
  415: 'Unsupported content type',
  422: 'Refused by a rule',
  423: 'Locked',
  429: 'Too many requests (see Retry-After)',
  502: 'An upstream service failed',
  503: 'Temporarily unavailable (see Retry-After)',
};

/** Every error status a route can answer: those of its kind and those it lists. */
export function errorStatuses(spec: Pick<RouteSpec<z.ZodType, z.ZodType, z.ZodType>, 'method' | 'body' | 'query' | 'params' | 'security' | 'errors'>): ErrorStatus[] {
  const all = new Set<ErrorStatus>([503, ...(spec.errors ?? [])]);
  if (spec.body || spec.query || spec.params) all.add(400);
  if (spec.body) {
    all.add(413);
    all.add(415);
  }
  if (spec.security) all.add(401);
  if (spec.security === 'staffCookie' && spec.method !== 'get') all.add(403);
  return [...all].sort((a, b) => a - b);
}

export interface RouteInput<B, Q, P> {
  body: B;
  query: Q;
  params: P;
  ctx: Context;
}

export class Api {
  readonly router: Router;
  readonly registry = new OpenAPIRegistry();

  /**
   * checkReplies: every JSON reply is checked against the schema the document states for it; a
   * reply that differs fails loudly (outside production), so the document cannot drift from the code.
   */
  constructor(prefix: string, private readonly opts: { checkReplies?: boolean } = {}) {
    this.router = new Router({ prefix });
    this.prefix = prefix;
  }

  private readonly prefix: string;

  route<B extends z.ZodType = z.ZodUndefined, Q extends z.ZodType = z.ZodUndefined, P extends z.ZodType = z.ZodUndefined>(
    spec: RouteSpec<B, Q, P>,
    handler: (input: RouteInput<z.output<B>, z.output<Q>, z.output<P>>) => Promise<unknown>,
  ): void {
    this.register(spec);
    const status = spec.status ?? 200;
    const run: Middleware = async (ctx) => {
      const input = {
        body: parse(spec.body, (ctx.request as { body?: unknown }).body ?? {}),
        query: parse(spec.query, { ...ctx.query }),
        params: parse(spec.params, ctx.params),
        ctx,
      } as RouteInput<z.output<B>, z.output<Q>, z.output<P>>;
      const result = await handler(input);
      if (this.opts.checkReplies) checkReply(spec, result);
      if (result === undefined) {
        ctx.status = 204;
      } else {
        ctx.status = status;
        ctx.body = result;
      }
    };
    this.router[spec.method](spec.path, ...(spec.middleware ?? []), run);
  }

  private register(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>): void {
    const path = this.prefix + spec.path.replace(/:(\w+)/g, '{$1}');
    const config: RouteConfig = {
      method: spec.method,
      path,
      summary: spec.summary,
      tags: [spec.tag],
      request: {
        ...(spec.body ? { body: { content: { 'application/json': { schema: spec.body } } } } : {}),
        ...(spec.query ? { query: spec.query as z.ZodObject } : {}),
        ...(spec.params ? { params: spec.params as z.ZodObject } : {}),
      },
      responses: {
        [spec.status ?? (spec.response || spec.produces ? 200 : 204)]: spec.response
          ? { description: 'OK', content: { 'application/json': { schema: spec.response } } }
          : spec.produces
            ? { description: 'File', content: Object.fromEntries(spec.produces.map((type) => [type, { schema: { type: 'string', format: 'binary' } }])) }
            : { description: 'No content' },
        ...Object.fromEntries(
          errorStatuses(spec).map((status) => [status, { description: ERROR_DESCRIPTIONS[status], content: { 'application/json': { schema: errorBody } } }]),
        ),
      },
      ...(spec.security ? { security: [{ [spec.security]: [] }] } : {}),
    };
    this.registry.registerPath(config);
  }

  openapi(info: { title: string; version: string }) {
    this.registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' });
    this.registry.registerComponent('securitySchemes', 'staffCookie', { type: 'apiKey', in: 'cookie', name: 'sid' });
    return new OpenApiGeneratorV31(this.registry.definitions).generateDocument({
      openapi: '3.1.0',
      info,
      servers: [{ url: '/' }],
    });
  }
}

/** The reply a route produced against the one it documents: a body where one is stated, none where not. */
function checkReply(spec: RouteSpec<z.ZodType, z.ZodType, z.ZodType>, result: unknown): void {
  const where = `${spec.method.toUpperCase()} ${spec.path}`;
  if (spec.produces) return;
  if (!spec.response) {
    if (result !== undefined) throw new Error(`${where} answered a body but documents none`);
    return;
  }
  const checked = spec.response.safeParse(result);
  if (!checked.success) throw new Error(`${where} answered a body that differs from its document: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
}

function parse(schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return undefined;
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}
