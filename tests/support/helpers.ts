/** Shared pieces of the integration suites: Redis per test file, the stand-ins' control API, a clock to move. */
import { randomBytes } from 'node:crypto';
import { createClient } from 'redis';

export async function connectRedis() {
  const url = process.env.REDIS_URL;
  if (!url) throw new Error('REDIS_URL is not set: run the suites through `npm test`');
  const client = createClient({ url });
  await client.connect();
  return client;
}

/** A Redis key prefix of its own, so test files sharing one Redis never see each other's tokens. */
export const uniquePrefix = () => `t${randomBytes(4).toString('hex')}:`;

// Control answers are test data read loosely; each test asserts on the fields it needs.
export async function control<T = any>(baseUrl: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(new URL(`/__sandbox${path}`, baseUrl), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path} answered ${res.status}: ${await res.text()}`);
  return (res.status === 204 ? undefined : await res.json()) as T;
}

export function manualClock(start = Date.now()) {
  let at = start;
  return {
    now: () => at,
    advance(ms: number) {
      at += ms;
    },
  };
}

/** Wraps fetch to record which paths were called, in order. */
export function recordingFetch() {
  const paths: string[] = [];
  const wrapped: typeof fetch = (input, init) => {
    paths.push(new URL(input instanceof Request ? input.url : input.toString()).pathname);
    return fetch(input, init);
  };
  return { fetch: wrapped, paths };
}

/** A loopback URL nothing listens on. */
export async function deadUrl(): Promise<string> {
  const net = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port: p } = server.address() as { port: number };
      server.close(() => resolve(p));
    });
  });
  return `http://127.0.0.1:${port}`;
}
