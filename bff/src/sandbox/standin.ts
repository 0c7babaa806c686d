/** What every vendor stand-in shares: the production guard and a loopback HTTP server that closes cleanly. */
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import type Koa from 'koa';

export interface Standin {
  name: string;
  url: string;
  close(): Promise<void>;
}

/** Stand-ins answer like the vendor but hand out codes to anyone: they must never serve real users. */
export function refuseInProduction(name: string): void {
  if (process.env.NODE_ENV === 'production') {
    throw new Error(`the ${name} stand-in refuses to run when NODE_ENV=production`);
  }
}

/** Random token of `bytes` bytes as lowercase hex. */
export const randomHex = (bytes: number) => randomBytes(bytes).toString('hex');

/**
 * A pause that ends early when the stand-in closes, so a simulated slow answer never holds the
 * process open after a test.
 */
export function pauses() {
  const stop = new AbortController();
  return {
    sleep(ms: number): Promise<void> {
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        stop.signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    stop: () => stop.abort(),
    get stopped() {
      return stop.signal.aborted;
    },
  };
}

export async function listen(app: Koa, name: string, port = 0, onClose: () => void = () => undefined): Promise<Standin> {
  const server = app.listen(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    name,
    url: `http://127.0.0.1:${bound}`,
    close() {
      onClose();
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients keep connections alive; without this close() waits for them to time out.
        server.closeAllConnections();
      });
    },
  };
}
