/**
 * The OpenAPI document is the contract: every operation states the statuses it can answer (no
 * catch-all), and generated requests over every route, well-formed or not, signed in or not, get
 * one of those statuses and never a 5xx. Also: unknown methods answer a JSON 405, the request log
 * records the status actually sent, and downloads are documented as what they send.
 */
import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import fc from 'fast-check';
import { startHarness, type Harness } from '../support/harness';
import { complaintBody, reportBody, verifiedConsumer } from '../support/consumers';
import { seed, DEMO_ADMIN_USERNAME } from '../../bff/src/seed';
import { signIn, type StaffClient } from '../support/handling';

const STAFF_PASSWORD = 'staff-password-1';
/** At least this many generated requests over the whole document. */
const TOTAL_REQUESTS = 2000;
/** Fixed so a run is repeatable; FUZZ_SEED explores other inputs. */
const SEED = Number(process.env.FUZZ_SEED ?? 20261127);

type Operation = {
  parameters?: Array<{ name: string; in: 'path' | 'query'; required?: boolean; schema?: JsonSchema }>;
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, unknown> }>;
  security?: Array<Record<string, unknown>>;
};
type JsonSchema = { type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema; enum?: unknown[]; anyOf?: JsonSchema[]; oneOf?: JsonSchema[] };
type Doc = { paths: Record<string, Record<string, Operation>> };

let h: Harness;
let doc: Doc;
let consumer: { accessToken: string };
let staff: StaffClient;
let caseNumber: string;

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  consumer = await verifiedConsumer(h, 'wechat', `contract-${randomUUID()}`);
  const filed = await h.http('POST', '/api/v1/complaints', { token: consumer.accessToken, body: complaintBody(), headers: { 'idempotency-key': randomUUID() } });
  caseNumber = filed.body.number;
  staff = await signIn(h, DEMO_ADMIN_USERNAME, STAFF_PASSWORD);
  doc = (await h.http('GET', '/api/v1/openapi.json')).body as Doc;
}, 120_000);
afterAll(async () => h?.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

test('every operation lists its statuses: no catch-all, an error body for each error status', () => {
  const ops = operations();
  expect(ops.length).toBeGreaterThan(40);
  for (const { path, method, op } of ops) {
    const statuses = Object.keys(op.responses);
    expect({ op: `${method} ${path}`, defaultDocumented: statuses.includes('default') }).toEqual({ op: `${method} ${path}`, defaultDocumented: false });
    expect(statuses.some((s) => /^2\d\d$/.test(s))).toBe(true);
    for (const s of statuses.filter((x) => Number(x) >= 400)) expect(Object.keys(op.responses[s].content ?? {})).toEqual(['application/json']);
    if (op.security) expect(statuses).toContain('401');
  }
});

test('downloads are documented as 200 with the file, as they answer', () => {
  for (const path of ['/api/v1/uploads/{fileId}', '/api/v1/admin/evidence/{fileId}']) {
    const responses = doc.paths[path].get.responses;
    expect(Object.keys(responses)).toContain('200');
    expect(Object.keys(responses)).not.toContain('204');
    expect(Object.keys(responses['200'].content ?? {}).length).toBeGreaterThan(0);
  }
});

/** Any method, even those fetch refuses to send (TRACE). */
function rawRequest(method: string, path: string, token: string): Promise<{ status: number; body: any; headers: Headers }> {
  return new Promise((resolve, reject) => {
    const req = request(h.url + path, { method, headers: { authorization: `Bearer ${token}` } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => {
        const headers = new Headers();
        for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
        resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined, headers });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

test.each(['TRACE', 'QUERY', 'PATCH', 'PUT'])('%s answers a JSON 405, and the log records 405', async (method) => {
  const reply = await rawRequest(method, '/api/v1/complaints', consumer.accessToken);
  expect(reply.status).toBe(405);
  expect(reply.body.error.code).toBe('METHOD_NOT_ALLOWED');
  const requestId = reply.headers.get('x-request-id');
  const logged = h.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'request' && l.requestId === requestId);
  expect(logged?.status).toBe(405);
});

test('the request log records the status sent for errors', async () => {
  const replies = await Promise.all([
    h.http('GET', '/api/v1/me'),
    h.http('GET', '/api/v1/complaints/TS202601010000018', { token: consumer.accessToken }),
    h.http('POST', '/api/v1/complaints', { token: consumer.accessToken, raw: '{"broken' }),
  ]);
  const logged = h.logs.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request');
  for (const reply of replies) {
    expect(reply.status).toBeGreaterThanOrEqual(400);
    expect(logged.find((l) => l.requestId === reply.headers.get('x-request-id'))?.status).toBe(reply.status);
  }
});

/** A value that fits the schema's shape some of the time and breaks it the rest. */
function valueFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const wild = fc.oneof(
    fc.string(),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(''),
    fc.string({ unit: 'binary', maxLength: 300 }),
    fc.constantFrom('$where', '{"$gt":""}', '../../etc/passwd', '=HYPERLINK("x")', '\u0000', 'a'.repeat(5000), '110105', '2026-02-30', 'TS202602300000013'),
    fc.array(fc.string(), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('$gt', '$ne', 'a', '__proto__', 'constructor'), fc.string(), { maxKeys: 2 }),
  );
  if (!schema || depth > 3) return wild;
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), wild);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return fc.oneof(...variants.map((v) => valueFor(v, depth + 1)), wild);
  if (schema.type === 'object' && schema.properties) {
    const shaped = fc.record(
      Object.fromEntries(Object.entries(schema.properties).map(([k, v]) => [k, valueFor(v, depth + 1)])),
      { requiredKeys: [] },
    );
    return fc.oneof({ weight: 3, arbitrary: shaped }, { weight: 1, arbitrary: wild });
  }
  if (schema.type === 'array') return fc.oneof(fc.array(valueFor(schema.items, depth + 1), { maxLength: 4 }), wild);
  return wild;
}

// "." and ".." are not values a URL can carry in a segment: clients resolve them away.
const pathValue = (name: string) =>
  fc
    .oneof(
    fc.constantFrom(...(name === 'number' ? [caseNumber, 'TS202602300000013', 'JB202601010000011'] : []), 'x', '0', '000000000000000000000000', 'not-a-thing', '..', '%00'),
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
  )
    .filter((v) => !/^\.{1,2}$/.test(v));

type Generated = { path: string; query: Record<string, unknown>; body?: { kind: 'json'; value: unknown } | { kind: 'raw'; text: string; type: string }; auth: 'none' | 'valid' | 'forged' };

function requestFor(path: string, op: Operation, endsSession: boolean): fc.Arbitrary<Generated> {
  const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
  const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query');
  const bodySchema = op.requestBody?.content['application/json']?.schema;
  const body = fc.oneof(
    { weight: 4, arbitrary: valueFor(bodySchema).map((value) => ({ kind: 'json' as const, value })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ kind: 'raw' as const, text, type: 'application/json' })) },
    { weight: 1, arbitrary: fc.string({ maxLength: 200 }).map((text) => ({ kind: 'raw' as const, text, type: 'text/plain' })) },
  );
  return fc.record({
    path: fc.tuple(...pathParams.map((p) => pathValue(p.name))).map((values) =>
      pathParams.reduce((p, param, i) => p.replace(`{${param.name}}`, encodeURIComponent(String(values[i]))), path),
    ),
    query: fc.record(Object.fromEntries(queryParams.map((p) => [p.name, valueFor(p.schema)])), { requiredKeys: [] }),
    body: op.requestBody ? body : fc.constant(undefined),
    // A request that ends the session never gets the real one: the rest of the run needs it.
    auth: endsSession ? fc.constantFrom('none' as const, 'forged' as const) : fc.constantFrom('none' as const, 'valid' as const, 'valid' as const, 'forged' as const),
  });
}

async function send(method: string, op: Operation, g: Generated) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(g.query)) if (v !== undefined) search.set(k, typeof v === 'string' ? v : JSON.stringify(v));
  const url = g.path + (search.size ? `?${search}` : '');
  const headers: Record<string, string> = { 'idempotency-key': randomUUID() };
  const scheme = op.security ? Object.keys(op.security[0])[0] : undefined;
  if (g.auth === 'valid' && scheme === 'bearer') headers.authorization = `Bearer ${consumer.accessToken}`;
  if (g.auth === 'valid' && scheme === 'staffCookie') Object.assign(headers, { cookie: staff.cookie, 'x-csrf-token': staff.csrf });
  if (g.auth === 'forged') Object.assign(headers, { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.', cookie: 'sid=forged', 'x-csrf-token': 'forged' });
  if (g.body?.kind === 'json') return h.http(method.toUpperCase(), url, { body: g.body.value, headers });
  if (g.body?.kind === 'raw') return h.http(method.toUpperCase(), url, { raw: g.body.text, headers: { ...headers, 'content-type': g.body.type } });
  return h.http(method.toUpperCase(), url, { headers });
}

test(`at least ${TOTAL_REQUESTS} generated requests over every operation: no 5xx, no undocumented status`, async () => {
  const ops = operations();
  const runs = Math.ceil(TOTAL_REQUESTS / ops.length);
  const seen: Record<string, number> = {};
  const wrong = new Map<string, string>();
  let sent = 0;
  for (const [i, { path, method, op }] of ops.entries()) {
    const endsSession = /logout/.test(path);
    const documented = Object.keys(op.responses);
    // Every answer is recorded rather than thrown, so one run lists every wrong answer at once.
    await fc.assert(
      fc.asyncProperty(requestFor(path, op, endsSession), async (g) => {
        const reply = await send(method, op, g);
        sent += 1;
        seen[reply.status] = (seen[reply.status] ?? 0) + 1;
        if (reply.status >= 500 || !documented.includes(String(reply.status))) {
          const what = `${method.toUpperCase()} ${path} answered ${reply.status}`;
          if (!wrong.has(what)) wrong.set(what, `${what} (${g.path.slice(0, 80)}, auth ${g.auth}): ${JSON.stringify(reply.body).slice(0, 160)}; documented: ${documented.join(', ')}`);
        }
      }),
      { numRuns: runs, seed: SEED + i },
    );
  }
  if (process.env.FUZZ_REPORT) console.log(JSON.stringify(seen));
  expect([...wrong.values()]).toEqual([]);
  expect(sent).toBeGreaterThanOrEqual(TOTAL_REQUESTS);
  // The run reached past validation: some requests succeeded and some were refused for their content.
  expect(Object.keys(seen).filter((s) => s.startsWith('2')).length).toBeGreaterThan(0);
  expect(seen['400']).toBeGreaterThan(100);
}, 600_000);

test('bureau codes and names are validated like every other input', async () => {
  const bad = [
    { code: '00', name: '测试局', regionCode: '00' },
    { code: '110105', name: '朝阳\u0000局', regionCode: '110105' },
    { code: '999999', name: '不存在的地区局', regionCode: '999999' },
    { code: '110108', name: '海淀\u202e局', regionCode: '110108' },
  ];
  for (const body of bad) {
    const reply = await staff.post('/admin/bureaus', body);
    expect({ body, status: reply.status }).toEqual({ body, status: 400 });
  }
  void reportBody;
});
