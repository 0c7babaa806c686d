/**
 * Exports of many cases (100,000 by default; EXPORT_TEST_ROWS sets another number) through the
 * real HTTP app, with the process's memory sampled every few milliseconds: the file streams
 * through, so the peak growth stays far below what holding the file (or the cases) would cost.
 * Run by `BENCH_ONLY=export npm run bench`; the figures are printed for the record. `npm test`
 * keeps the quick streaming check (tests/integration/export-streaming.test.ts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import v8 from 'node:v8';
import vm from 'node:vm';
import ExcelJS from 'exceljs';
import { stringify } from 'csv-stringify/sync';
import { seed } from '../../bff/src/seed';
import { insertCases } from '../../bff/src/seed/cases';
import { caseFilter, CASE_FILTER_OPTIONS } from '../../bff/src/modules/handling/handling.service';
import { COLUMNS, EXPORT_PROJECTION, rowOf, yuan, type ExportCase } from '../../bff/src/modules/export/export.columns';
import type { StaffSession } from '../../bff/src/modules/staff/staff.service';
import { isValidCaseNumber } from '../../shared/complaint/case-number';
import { beijingDate } from '../../shared/calendar/working-days';
import { startHarness, type Harness } from '../support/harness';
import { createStaff, signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';
import { csvRecordCounter } from '../support/csv';

const ROWS = Number(process.env.EXPORT_TEST_ROWS ?? 100_000);
const MB = 1024 * 1024;
/**
 * Peak growth allowed while a whole export streams through (server and client in this process).
 * Measured with 100,000 generated cases: CSV 28.9 MB, heap +25 MB, rss +0 MB; XLSX 18.3 MB, heap
 * +22 MB, rss +3 MB. Holding the cases and the file instead (the third test) grew the heap by
 * 481 MB and rss by 336 MB. The limit sits well above the first and far below the second.
 */
const LIMIT = { heapMB: 64, rssMB: 160 };
const MINUTES = 60_000;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let h: Harness;
let admin: StaffClient;
let tmp: string;

/** Samples heapUsed and rss every few milliseconds from a collected baseline; returns the peak growth. */
function memorySampler() {
  gc();
  const base = process.memoryUsage();
  const peak = { heap: 0, rss: 0 };
  const sample = () => {
    const m = process.memoryUsage();
    peak.heap = Math.max(peak.heap, m.heapUsed - base.heapUsed);
    peak.rss = Math.max(peak.rss, m.rss - base.rss);
  };
  const timer = setInterval(sample, 5);
  return {
    stop() {
      sample();
      clearInterval(timer);
      return { peakHeapMB: round(peak.heap / MB), peakRssMB: round(peak.rss / MB) };
    },
  };
}
const round = (n: number) => Math.round(n * 10) / 10;

/** Polls the progress endpoint while a download runs, keeping what it saw. */
function progressWatcher(exportId: string) {
  const seen: Array<{ state: string; done: number; total: number }> = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      const res = await admin.get(`/admin/export/progress/${exportId}`);
      if (res.status === 200) seen.push(res.body);
      await new Promise((r) => setTimeout(r, 1000));
    }
  })();
  return {
    seen,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

async function settled(exportId: string) {
  for (let i = 0; i < 200; i += 1) {
    const p = await admin.get(`/admin/export/progress/${exportId}`);
    if (['done', 'aborted', 'failed'].includes(p.body.state)) return p.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the export never settled');
}

const exportUrl = (format: string, exportId: string) => `${h.url}/api/v1/admin/export?format=${format}&exportId=${exportId}`;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'export-memory-'));
  h = await startHarness({ LOG_LEVEL: 'warn' });
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  const started = Date.now();
  const r = await insertCases(h.deps, { count: ROWS, seed: 100_000 });
  console.log(`seeded ${r.cases} cases (${r.complaints} complaints, ${r.reports} reports, ${r.consumers} consumers) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await createStaff(h, { username: 'root', role: 'admin', bureauCode: '110105', regionPrefix: '' });
  admin = await signIn(h, 'root');
}, 60 * MINUTES);

afterAll(async () => {
  fs.rmSync(tmp, { recursive: true, force: true });
  await h?.close();
});

it(`streams a CSV of all ${ROWS} cases with flat memory, reporting progress on the way`, async () => {
  const exportId = randomUUID();
  const watcher = progressWatcher(exportId);
  const memory = memorySampler();
  const started = Date.now();
  const res = await fetch(exportUrl('csv', exportId), { headers: { cookie: admin.cookie } });
  expect(res.status).toBe(200);
  expect(res.headers.get('x-export-total')).toBe(String(ROWS));
  const counter = csvRecordCounter();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) counter.push(chunk);
  const seconds = (Date.now() - started) / 1000;
  const peak = memory.stop();
  await watcher.stop();
  const figures = { format: 'csv', rows: counter.records - 1, bytes: counter.bytes, seconds, ...peak };
  console.log('export', JSON.stringify(figures));

  expect(counter.records).toBe(ROWS + 1);
  expect(peak.peakHeapMB).toBeLessThan(LIMIT.heapMB);
  expect(peak.peakRssMB).toBeLessThan(LIMIT.rssMB);
  expect(await settled(exportId)).toEqual({ exportId, format: 'csv', total: ROWS, done: ROWS, state: 'done' });
  const running = watcher.seen.filter((p) => p.state === 'running' && p.done > 0 && p.done < ROWS);
  expect(running.length).toBeGreaterThan(0);
  expect(running.map((p) => p.done)).toEqual([...running.map((p) => p.done)].sort((a, b) => a - b));
  const audits = await h.deps.models.AuditEntry.find({ action: 'export', target: exportId }).lean();
  expect(audits.map((a) => JSON.parse(a.detail!).state)).toEqual(['started', 'completed']);
  expect(JSON.parse(audits[1].detail!).rows).toBe(ROWS);
}, 30 * MINUTES);

it(`streams an XLSX of all ${ROWS} cases with flat memory`, async () => {
  const exportId = randomUUID();
  const file = path.join(tmp, 'cases.xlsx');
  const memory = memorySampler();
  const started = Date.now();
  const res = await fetch(exportUrl('xlsx', exportId), { headers: { cookie: admin.cookie } });
  expect(res.status).toBe(200);
  // Straight to disk: the client holds no more of the file than the server does.
  await pipeline(Readable.fromWeb(res.body as never), fs.createWriteStream(file));
  const seconds = (Date.now() - started) / 1000;
  const peak = memory.stop();
  const bytes = fs.statSync(file).size;

  let rows = 0;
  let firstNumber: unknown;
  for await (const sheet of new ExcelJS.stream.xlsx.WorkbookReader(file, { worksheets: 'emit', sharedStrings: 'cache' })) {
    for await (const row of sheet) {
      rows += 1;
      if (rows === 2) firstNumber = (row.values as unknown[])[1];
    }
  }
  console.log('export', JSON.stringify({ format: 'xlsx', rows: rows - 1, bytes, seconds, ...peak }));
  expect(rows).toBe(ROWS + 1);
  expect(isValidCaseNumber(String(firstNumber))).toBe(true);
  expect(peak.peakHeapMB).toBeLessThan(LIMIT.heapMB);
  expect(peak.peakRssMB).toBeLessThan(LIMIT.rssMB);
  expect((await settled(exportId)).state).toBe('done');
}, 30 * MINUTES);

// The limit is set for 100,000 rows; with fewer, even buffering stays under it.
(ROWS >= 100_000 ? it : it.skip)('would fail the limit if it buffered: every case in memory, then the whole file at once', async () => {
  const staff: StaffSession = { staffId: 'x', username: 'root', displayName: 'x', role: 'admin', bureauCode: '110105', regionPrefix: '', csrf: '' };
  const memory = memorySampler();
  const started = Date.now();
  const filter = await caseFilter(h.deps, staff, {});
  const bureaus = await h.deps.models.Bureau.find({}, { code: 1, name: 1 }).lean();
  const docs = await h.deps.models.Case.find(filter, EXPORT_PROJECTION, CASE_FILTER_OPTIONS).lean<ExportCase[]>();
  const ctx = { today: beijingDate(new Date()), bureauNames: new Map(bureaus.map((b) => [b.code, b.name])) };
  const amountAt = COLUMNS.findIndex((c) => c.amount);
  const text = stringify(
    docs.map((d) => rowOf(d, ctx)),
    { bom: true, header: true, record_delimiter: 'windows', columns: COLUMNS.map((c) => c.header), cast: { number: (v, c) => (c.index === amountAt ? yuan(v) : String(v)) } },
  );
  const file = Buffer.from(text);
  const peak = memory.stop();
  console.log('buffering', JSON.stringify({ rows: docs.length, bytes: file.length, seconds: (Date.now() - started) / 1000, ...peak }));
  expect(docs).toHaveLength(ROWS);
  expect(peak.peakHeapMB).toBeGreaterThan(LIMIT.heapMB);
}, 30 * MINUTES);

it('records a download the client gives up on as aborted, with the rows written so far', async () => {
  const ids = { csv: randomUUID(), xlsx: randomUUID() };
  await Promise.all(
    (['csv', 'xlsx'] as const).map(async (format) => {
      const abort = new AbortController();
      const res = await fetch(exportUrl(format, ids[format]), { headers: { cookie: admin.cookie }, signal: abort.signal });
      let received = 0;
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          received += chunk.length;
          if (received > 256 * 1024) abort.abort();
        }
      } catch {
        // The abort ends the loop with an AbortError.
      }
    }),
  );
  for (const format of ['csv', 'xlsx'] as const) {
    const p = await settled(ids[format]);
    expect(p.state).toBe('aborted');
    expect(p.done).toBeLessThan(ROWS);
    const audits = await h.deps.models.AuditEntry.find({ action: 'export', target: ids[format] }).lean();
    const end = JSON.parse(audits[audits.length - 1].detail!);
    expect(end).toMatchObject({ state: 'aborted', format, total: ROWS });
    expect(end.rows).toBeLessThan(ROWS);
  }
}, 30 * MINUTES);
