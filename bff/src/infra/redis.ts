import { createClient } from 'redis';

function makeClient(url: string) {
  return createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(retries * 100, 2000) } });
}

export type Redis = ReturnType<typeof makeClient>;

export async function connectRedis(url: string): Promise<Redis> {
  const client = makeClient(url);
  // Reconnection is handled by the client; errors are surfaced through /readyz and failed calls.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
