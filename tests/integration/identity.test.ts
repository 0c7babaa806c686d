import { AppError } from '../../bff/src/http/errors';
import { createIdentityClient, IDENTITY_ACTION, IDENTITY_VERSION } from '../../bff/src/platforms/identity';
import { tc3Authorization } from '../../bff/src/platforms/tc3';
import { startIdentityStandin } from '../../bff/src/sandbox/identity.standin';
import type { Standin } from '../../bff/src/sandbox/standin';
import { control, deadUrl } from '../support/helpers';

const KEYS = { secretId: 'AKIDsandbox0000000000000000000000000', secretKey: 'sandbox-secret-key-0000000000000000' };
let standin: Standin;
let client: ReturnType<typeof createIdentityClient>;

beforeAll(async () => {
  standin = await startIdentityStandin(KEYS);
  client = createIdentityClient({ baseUrl: standin.url, ...KEYS, region: 'ap-guangzhou' });
});
afterEach(() => control(standin.url, '/reset', {}));
afterAll(() => standin.close());

/** Posts to the stand-in the way Tencent Cloud expects, with every part of the signature under the test's control. */
async function signedPost(opts: { payload: string; sentPayload?: string; timestamp?: number; secretKey?: string }) {
  const host = new URL(standin.url).host;
  const timestamp = opts.timestamp ?? Math.floor(Date.now() / 1000);
  const contentType = 'application/json; charset=utf-8';
  const authorization = tc3Authorization(
    { method: 'POST', headers: { 'content-type': contentType, host }, payload: opts.payload },
    { secretId: KEYS.secretId, secretKey: opts.secretKey ?? KEYS.secretKey, service: 'faceid', timestamp },
  );
  const res = await fetch(`${standin.url}/`, {
    method: 'POST',
    headers: {
      authorization,
      'content-type': contentType,
      'x-tc-action': IDENTITY_ACTION,
      'x-tc-version': IDENTITY_VERSION,
      'x-tc-timestamp': String(timestamp),
    },
    body: opts.sentPayload ?? opts.payload,
  });
  return (await res.json()) as { Response: { Result?: string; Description?: string; Error?: { Code: string }; RequestId: string } };
}
const payload = JSON.stringify({ IdCard: '11010519491231002X', Name: '张三' });

describe('each provider result maps to a verification result', () => {
  test('"0": the name and number belong together, billed', async () => {
    await expect(client.verifyTwoElements({ name: '张三', idNumber: '11010519491231002X' })).resolves.toEqual({ result: 'match', billed: true });
  });

  test('"-1": the number exists under another name, billed', async () => {
    await expect(client.verifyTwoElements({ name: '张三', idNumber: '440524198001010013' })).resolves.toEqual({ result: 'mismatch', billed: true });
  });

  test('"-2": a number with a wrong check character is invalid_id, not billed', async () => {
    await expect(client.verifyTwoElements({ name: '张三', idNumber: '110105194912310021' })).resolves.toEqual({ result: 'invalid_id', billed: false });
  });

  test('"-2": a birth date that is not a calendar day is invalid_id', async () => {
    await expect(client.verifyTwoElements({ name: '张三', idNumber: '110105194902300010' })).resolves.toMatchObject({ result: 'invalid_id' });
  });

  test('"-3": a name with digits is invalid_name, not billed', async () => {
    await expect(client.verifyTwoElements({ name: '张3', idNumber: '11010519491231002X' })).resolves.toEqual({ result: 'invalid_name', billed: false });
  });

  test('"-5": a valid number the registry does not hold is no_record, not billed', async () => {
    await expect(client.verifyTwoElements({ name: '钱九', idNumber: '110101200001010010' })).resolves.toEqual({ result: 'no_record', billed: false });
  });

  test.each([
    ['-4', 'unavailable'],
    ['-6', 'unavailable'],
    ['-7', 'limited'],
  ])('"%s" from the provider is %s, not billed', async (code, result) => {
    await control(standin.url, '/faults', { result: code });

    await expect(client.verifyTwoElements({ name: '张三', idNumber: '11010519491231002X' })).resolves.toEqual({ result, billed: false });
  });
});

test('a fault with a count applies to that many calls only', async () => {
  await control(standin.url, '/faults', { result: '-6', count: 1 });
  const person = { name: '张三', idNumber: '11010519491231002X' };

  expect((await client.verifyTwoElements(person)).result).toBe('unavailable');
  expect((await client.verifyTwoElements(person)).result).toBe('match');
});

test('when the provider cannot be reached, the result is unavailable', async () => {
  const offline = createIdentityClient({ baseUrl: await deadUrl(), ...KEYS });

  await expect(offline.verifyTwoElements({ name: '张三', idNumber: '11010519491231002X' })).resolves.toEqual({ result: 'unavailable', billed: false });
});

test('the call counter counts calls and billed calls without keeping who was checked', async () => {
  await client.verifyTwoElements({ name: '张三', idNumber: '11010519491231002X' });
  await client.verifyTwoElements({ name: '李四', idNumber: '11010519491231002X' });
  await client.verifyTwoElements({ name: '张三', idNumber: '123' });

  const calls = await control(standin.url, '/calls');
  expect(calls).toEqual({ count: 3, billed: 2, byResult: { '0': 1, '-1': 1, '-2': 1 } });
  expect(JSON.stringify(calls)).not.toMatch(/110105|张三|李四/);
});

test('a client with the wrong secret key is refused: verifyTwoElements throws 502 with AuthFailure.SignatureFailure', async () => {
  const wrong = createIdentityClient({ baseUrl: standin.url, secretId: KEYS.secretId, secretKey: 'not-the-key' });

  const error = await wrong.verifyTwoElements({ name: '张三', idNumber: '11010519491231002X' }).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status: 502, code: 'UPSTREAM_ERROR', details: { code: 'AuthFailure.SignatureFailure' } });
  expect((await control(standin.url, '/calls')).count).toBe(0);
});

test('an unknown secret id is refused with AuthFailure.SecretIdNotFound', async () => {
  const stranger = createIdentityClient({ baseUrl: standin.url, secretId: 'AKIDstranger', secretKey: KEYS.secretKey });

  await expect(stranger.verifyTwoElements({ name: '张三', idNumber: '11010519491231002X' })).rejects.toMatchObject({
    details: { code: 'AuthFailure.SecretIdNotFound' },
  });
});

test('a body changed after signing is refused with AuthFailure.SignatureFailure', async () => {
  const answer = await signedPost({ payload, sentPayload: JSON.stringify({ IdCard: '440524198001010013', Name: '张三' }) });

  expect(answer.Response.Error).toEqual({ Code: 'AuthFailure.SignatureFailure', Message: expect.any(String) });
});

test('a correctly signed request is answered with Result, Description and RequestId', async () => {
  const answer = await signedPost({ payload });

  expect(answer).toEqual({ Response: { Result: '0', Description: '姓名和身份证号一致', RequestId: expect.stringMatching(/^[0-9a-f-]{36}$/) } });
});

test('a timestamp 290 seconds old is still accepted', async () => {
  const answer = await signedPost({ payload, timestamp: Math.floor(Date.now() / 1000) - 290 });

  expect(answer.Response.Result).toBe('0');
});

test('a timestamp more than five minutes old is refused with AuthFailure.SignatureExpire', async () => {
  const answer = await signedPost({ payload, timestamp: Math.floor(Date.now() / 1000) - 301 });

  expect(answer.Response.Error).toEqual({ Code: 'AuthFailure.SignatureExpire', Message: expect.stringContaining('Signature expired') });
});

test('a fault with a result code the provider does not have is refused by the control API', async () => {
  const res = await fetch(`${standin.url}/__sandbox/faults`, { method: 'POST', body: JSON.stringify({ result: '-9' }) });

  expect(res.status).toBe(400);
});
