/**
 * Local stand-in for Tencent Cloud FaceID IdCardVerification (dev and test only): checks the
 * TC3-HMAC-SHA256 signature like the real gateway and answers from a small table of fictitious
 * people. The table and the counters live in memory only; nothing is written or logged.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import Koa from 'koa';
import Router from '@koa/router';
import { isValidIdNumber } from '../../../shared/identity/id-number';
import { IDENTITY_ACTION, IDENTITY_SERVICE, IDENTITY_VERSION } from '../platforms/identity';
import { parseTc3Authorization, sameSignature, tc3Date, tc3Signature } from '../platforms/tc3';
import { listen, refuseInProduction, type Standin } from './standin';

export interface Person {
  name: string;
  idNumber: string;
}

export interface IdentityStandinOptions {
  secretId: string;
  secretKey: string;
  port?: number;
  people?: Person[];
}

/** Fictitious people with valid numbers (the first two are the standard's own examples). */
export const DEFAULT_PEOPLE: readonly Person[] = [
  { name: '张三', idNumber: '11010519491231002X' },
  { name: '李四', idNumber: '440524198001010013' },
  { name: '王五', idNumber: '110101199003071233' },
  { name: '赵六', idNumber: '310104198507152346' },
  { name: '孙七', idNumber: '440304200002294568' },
  { name: '周八', idNumber: '510107197811020876' },
];

const DESCRIPTIONS: Record<string, string> = {
  '0': '姓名和身份证号一致',
  '-1': '姓名和身份证号不一致',
  '-2': '非法身份证号（长度、校验位等不正确）',
  '-3': '非法姓名（长度、格式等不正确）',
  '-4': '证件库服务异常',
  '-5': '证件库中无此身份证记录',
  '-6': '权威比对系统升级中，请稍后再试',
  '-7': '认证次数超过当日限制',
};
/** Results the control API can force: the provider's faults, and every other code so callers can test their mapping. */
const FAULT_RESULTS = ['-4', '-6', '-7', '0', '-1', '-2', '-3', '-5'];

const MAX_SKEW_S = 300;
const MAX_BODY_BYTES = 64 * 1024;
const NAME = /^(?:\p{Script=Han}+(?:[·•]\p{Script=Han}+)*|[A-Za-z]+(?: [A-Za-z]+)*)$/u;
const SIGNATURE_FAILURE = 'The provided credentials could not be validated. Please check your signature is correct.';

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function verdict(people: Map<string, string>, idCard: string, name: string): string {
  const id = idCard.trim().toUpperCase();
  if (!isValidIdNumber(id)) return '-2';
  const trimmed = name.trim();
  const length = Array.from(trimmed).length;
  if (!NAME.test(trimmed) || length < 2 || length > 30) return '-3';
  const known = people.get(id);
  if (known === undefined) return '-5';
  return known === trimmed ? '0' : '-1';
}

export async function startIdentityStandin(opts: IdentityStandinOptions): Promise<Standin> {
  refuseInProduction('identity');
  const initialPeople = () => new Map((opts.people ?? DEFAULT_PEOPLE).map((p) => [p.idNumber, p.name]));
  let people = initialPeople();
  const fresh = () => ({
    count: 0,
    billed: 0,
    byResult: {} as Record<string, number>,
    fault: undefined as { result: string; count?: number } | undefined,
  });
  let state = fresh();

  const router = new Router();

  router.post('/', async (ctx) => {
    const RequestId = randomUUID();
    const fail = (Code: string, Message: string) => {
      ctx.body = { Response: { Error: { Code, Message }, RequestId } };
    };
    const payload = await readBody(ctx.req);
    if (payload === undefined) return fail('InvalidParameter', 'The request body is too large.');

    const auth = parseTc3Authorization(ctx.get('authorization'));
    if (!auth) return fail('AuthFailure.SignatureFailure', SIGNATURE_FAILURE);
    const timestamp = Number(ctx.get('x-tc-timestamp'));
    if (!Number.isInteger(timestamp)) return fail('MissingParameter', 'The request is missing a valid X-TC-Timestamp.');
    const serverTime = Math.floor(Date.now() / 1000);
    if (Math.abs(serverTime - timestamp) > MAX_SKEW_S) {
      return fail('AuthFailure.SignatureExpire', `Signature expired. Timestamp:${timestamp}, current server time:${serverTime}.`);
    }
    if (auth.secretId !== opts.secretId) return fail('AuthFailure.SecretIdNotFound', 'The SecretId is not found.');
    const covered = auth.signedHeaders.includes('content-type') && auth.signedHeaders.includes('host');
    if (auth.service !== IDENTITY_SERVICE || auth.date !== tc3Date(timestamp) || !covered) {
      return fail('AuthFailure.SignatureFailure', SIGNATURE_FAILURE);
    }
    const headers = Object.fromEntries(auth.signedHeaders.map((name) => [name, ctx.get(name)]));
    const { signature } = tc3Signature({ method: ctx.method, headers, payload }, { secretKey: opts.secretKey, service: IDENTITY_SERVICE, timestamp });
    if (!sameSignature(signature, auth.signature)) return fail('AuthFailure.SignatureFailure', SIGNATURE_FAILURE);

    const action = ctx.get('x-tc-action');
    if (action !== IDENTITY_ACTION) return fail('InvalidAction', `The requested action \`${action}\` does not exist.`);
    if (ctx.get('x-tc-version') !== IDENTITY_VERSION) return fail('NoSuchVersion', 'The requested version does not exist.');
    let params: { IdCard?: unknown; Name?: unknown };
    try {
      params = JSON.parse(payload) as typeof params;
    } catch {
      return fail('InvalidParameter', 'The request body is not valid JSON.');
    }
    if (typeof params.IdCard !== 'string' || typeof params.Name !== 'string') {
      return fail('MissingParameter', 'The request is missing a required parameter `IdCard` or `Name`.');
    }

    state.count += 1;
    let result: string;
    if (state.fault) {
      result = state.fault.result;
      if (state.fault.count !== undefined && --state.fault.count === 0) state.fault = undefined;
    } else {
      result = verdict(people, params.IdCard, params.Name);
    }
    state.byResult[result] = (state.byResult[result] ?? 0) + 1;
    if (result === '0' || result === '-1') state.billed += 1;
    ctx.body = { Response: { Result: result, Description: DESCRIPTIONS[result], RequestId } };
  });

  const control = new Router({ prefix: '/__sandbox' });

  control.post('/faults', async (ctx) => {
    const raw = await readBody(ctx.req);
    let body: { result?: unknown; count?: unknown } | undefined;
    try {
      body = JSON.parse(raw ?? '') as typeof body;
    } catch {
      body = undefined;
    }
    const count = body?.count;
    const validCount = count === undefined || (Number.isInteger(count) && (count as number) > 0);
    if (body?.result === null) {
      state.fault = undefined;
    } else if (typeof body?.result === 'string' && FAULT_RESULTS.includes(body.result) && validCount) {
      state.fault = { result: body.result, count: count as number | undefined };
    } else {
      ctx.status = 400;
      ctx.body = { error: `body: {result: ${FAULT_RESULTS.map((r) => `"${r}"`).join('|')}|null, count?: positive integer}` };
      return;
    }
    ctx.body = { fault: state.fault ?? null };
  });

  // Registers a fictitious person, so a demo or a browser test can verify someone no earlier run used.
  control.post('/people', async (ctx) => {
    let body: { name?: unknown; idNumber?: unknown } | undefined;
    try {
      body = JSON.parse((await readBody(ctx.req)) ?? '') as typeof body;
    } catch {
      body = undefined;
    }
    const { name, idNumber } = body ?? {};
    if (typeof name !== 'string' || typeof idNumber !== 'string' || verdict(new Map(), idNumber, name) !== '-5') {
      ctx.status = 400;
      ctx.body = { error: 'body: {name, idNumber} with a valid name and ID number' };
      return;
    }
    people.set(idNumber, name);
    ctx.body = { people: people.size };
  });

  control.get('/calls', (ctx) => {
    ctx.body = { count: state.count, billed: state.billed, byResult: state.byResult };
  });

  control.post('/reset', (ctx) => {
    state = fresh();
    people = initialPeople();
    ctx.status = 204;
  });

  const app = new Koa();
  app.use(router.routes()).use(router.allowedMethods());
  app.use(control.routes()).use(control.allowedMethods());
  return listen(app, 'identity', opts.port);
}
