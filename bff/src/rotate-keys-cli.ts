/**
 * `npm run rotate-keys [-- --batch N]`: re-seals every sealed value under PII_KEY_ID (see
 * jobs/rotate-keys.ts), with the BFF's own environment (MONGODB_URI, PII_KEYS with the old and
 * the new key, PII_KEY_ID the new one). Ctrl-C stops after the current batch; running it again
 * goes on from there. Prints counts per collection and the rate; values that do not open are
 * named by place (never by value) and make the exit status 2.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/bff';
import { connectDb } from './infra/db';
import { createPii } from './infra/pii';
import { rotateKeys, type Counts } from './jobs/rotate-keys';

const say = (line: string) => process.stdout.write(`${line}\n`);
const line = (collection: string, c: Counts) =>
  `${collection}: ${c.scanned} read, ${c.updated} re-sealed (${c.values} values), ${c.retried} retried after a concurrent change, ${c.failed} not opening`;

async function main() {
  const { values } = parseArgs({ options: { batch: { type: 'string' } } });
  const batchSize = values.batch === undefined ? 500 : Number(values.batch);
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > 10_000) throw new Error('--batch must be a whole number from 1 to 10000');
  const config = loadConfig();
  const pii = createPii(config.pii);
  const conn = await connectDb(config.mongodbUri);
  const stop = new AbortController();
  process.once('SIGINT', () => {
    say('stopping after this batch; run again to go on');
    stop.abort();
  });
  try {
    say(`re-sealing under key "${pii.current}"`);
    let lastPrinted = 0;
    const result = await rotateKeys(conn, pii, {
      batchSize,
      signal: stop.signal,
      onProgress: (p) => {
        if (Date.now() - lastPrinted < 2000) return;
        lastPrinted = Date.now();
        say(`  ${line(p.collection, p.counts)}; ${p.rate.toFixed(0)} documents/s`);
      },
      onFailure: (place) => say(`  does not open: ${place.collection} ${String(place.id)} ${place.field}`),
    });
    for (const [collection, c] of Object.entries(result.counts)) say(line(collection, c));
    const failed = Object.values(result.counts).reduce((n, c) => n + c.failed, 0);
    say(result.complete ? `done in ${result.seconds.toFixed(1)} s` : `stopped after ${result.seconds.toFixed(1)} s; run again to go on`);
    if (failed) process.exitCode = 2;
  } finally {
    await conn.close();
  }
}

main().catch((err) => {
  process.stderr.write(`rotate-keys failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
