import { createClient } from 'redis';

export type Redis = ReturnType<typeof createClient>;

export async function connectRedis(url: string): Promise<Redis> {
  const client = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(retries * 100, 2000) } });
  // Reconnection is handled by the client; errors are surfaced through /readyz and failed calls.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}
