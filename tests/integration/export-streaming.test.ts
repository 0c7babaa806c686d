/**
 * The export streams: rows are taken from the database only as fast as the reader takes the file.
 * A reader that stops after the first chunk leaves the cursor almost untouched (the stream buffers
 * and at most one batch ahead, counted at the database driver); reading on delivers every row, in
 * receipt order. The 100,000-row memory figures are measured by `BENCH_ONLY=export npm run bench` (tests/load/export-memory.test.ts).
 */
import type { Readable } from 'node:stream';
import { seed } from '../../bff/src/seed';
import { insertCases } from '../../bff/src/seed/cases';
import { BATCH_SIZE, startExport } from '../../bff/src/modules/export/export.service';
import type { StaffSession } from '../../bff/src/modules/staff/staff.service';
import { exportQuery } from '../../shared/api/admin';
import { parseCsv } from '../support/csv';
import { startHarness, type Harness } from '../support/harness';
import { STAFF_PASSWORD } from '../support/handling';

const ROWS = 6000;
let h: Harness;
const admin: StaffSession = { staffId: 'export-admin', username: 'export-admin', displayName: '导出测试', role: 'admin', bureauCode: '110105', regionPrefix: '', csrf: 'x' };

beforeAll(async () => {
  h = await startHarness({ LOG_LEVEL: 'warn' }, { monitorCommands: true });
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  await insertCases(h.deps, { count: ROWS, seed: 7 });
}, 300_000);
afterAll(() => h.close());

/** Counts the cases the database has sent (first batches and later ones) from now on. */
function casesFetched() {
  let n = 0;
  const cursorsOnCases = new Set<string>();
  const client = h.deps.conn.getClient();
  const started = (e: { requestId: number; commandName: string; command: Record<string, unknown> }) => {
    if ((e.commandName === 'find' && e.command.find === 'cases') || (e.commandName === 'getMore' && e.command.collection === 'cases')) cursorsOnCases.add(String(e.requestId));
  };
  const succeeded = (e: { requestId: number; reply: { cursor?: { firstBatch?: unknown[]; nextBatch?: unknown[] } } }) => {
    if (cursorsOnCases.has(String(e.requestId))) n += (e.reply.cursor?.firstBatch ?? e.reply.cursor?.nextBatch ?? []).length;
  };
  client.on('commandStarted', started as never);
  client.on('commandSucceeded', succeeded as never);
  return {
    count: () => n,
    stop() {
      client.off('commandStarted', started as never);
      client.off('commandSucceeded', succeeded as never);
    },
  };
}

/** Reads the first chunk, waits while the stream could run ahead, and reports how far the cursor got. */
async function readOneThenWait(body: Readable, rowsRead: () => number) {
  const first = await new Promise<Buffer>((resolve, reject) => {
    body.once('data', (chunk: Buffer) => {
      body.pause();
      resolve(chunk);
    });
    body.once('error', reject);
  });
  await new Promise((r) => setTimeout(r, 1500));
  return { first, readWhilePaused: rowsRead() };
}

async function rest(body: Readable, first: Buffer): Promise<Buffer> {
  const chunks = [first];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

test.each(['csv', 'xlsx'] as const)('a %s export pulls rows only as the reader takes them', async (format) => {
  const fetched = casesFetched();
  const file = await startExport(h.deps, admin, exportQuery.parse({ format }));
  expect(file.total).toBe(ROWS);
  const { first, readWhilePaused } = await readOneThenWait(file.body, file.rowsRead);
  const fetchedWhilePaused = fetched.count();
  // Buffering the export (reading the cursor to the end, or ignoring the stream's backpressure)
  // would have taken all 6,000 cases from the database, and through the file, by now.
  expect(readWhilePaused).toBeGreaterThan(0);
  expect(readWhilePaused).toBeLessThanOrEqual(2 * BATCH_SIZE);
  // The cursor asks for the next batch when the one before is used up: one batch beyond what the streams hold.
  expect(fetchedWhilePaused).toBeLessThanOrEqual(3 * BATCH_SIZE);
  const whole = await rest(file.body, first);
  fetched.stop();
  expect(file.rowsRead()).toBe(ROWS);
  expect(fetched.count()).toBe(ROWS);
  if (format === 'csv') {
    const rows = parseCsv(whole.toString('utf8').replace(/^\uFEFF/, ''));
    expect(rows).toHaveLength(ROWS + 1);
    // Receipt order, oldest first, as the receivedAt index gives it.
    const numbers = rows.slice(1).map((r) => r[0]);
    const received = await h.deps.models.Case.find({}, { number: 1, receivedAt: 1 }).lean();
    const at = new Map(received.map((c) => [c.number, c.receivedAt.getTime()]));
    const times = numbers.map((n) => at.get(n)!);
    expect(times.every((t, i) => i === 0 || times[i - 1] <= t)).toBe(true);
  } else {
    expect(whole.subarray(0, 2).toString()).toBe('PK');
  }
}, 120_000);
