/**
 * The export streams: rows are taken from the database only as fast as the reader takes the file.
 * A reader that stops after the first chunk leaves the cursor almost untouched (at most a batch and
 * the stream buffers ahead); reading on delivers every row, in receipt order. The 100,000-row
 * memory figures are measured by `BENCH_ONLY=export npm run bench` (tests/load/export-memory.test.ts).
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

const ROWS = 3000;
let h: Harness;
const admin: StaffSession = { staffId: 'export-admin', username: 'export-admin', displayName: '导出测试', role: 'admin', bureauCode: '110105', regionPrefix: '', csrf: 'x' };

beforeAll(async () => {
  h = await startHarness({ LOG_LEVEL: 'warn' });
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  await insertCases(h.deps, { count: ROWS, seed: 7 });
}, 300_000);
afterAll(() => h.close());

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
  const file = await startExport(h.deps, admin, exportQuery.parse({ format }));
  expect(file.total).toBe(ROWS);
  const { first, readWhilePaused } = await readOneThenWait(file.body, file.rowsRead);
  // Buffering the export (reading the cursor to the end, or ignoring the stream's backpressure)
  // would have read all 3,000 rows by now.
  expect(readWhilePaused).toBeGreaterThan(0);
  expect(readWhilePaused).toBeLessThanOrEqual(2 * BATCH_SIZE);
  const whole = await rest(file.body, first);
  expect(file.rowsRead()).toBe(ROWS);
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
