/**
 * Case export: the queue's filters inside the staff member's scope, streamed from a database
 * cursor into a CSV or XLSX file so memory stays flat however many rows there are. Progress is
 * kept in Redis for the admin page; every export is audited when it starts and when it ends.
 */
import { randomUUID } from 'node:crypto';
import { PassThrough, Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { StaffSession } from '../staff/staff.service';
import { caseFilter, CASE_FILTER_OPTIONS } from '../handling/handling.service';
import * as audit from '../audit/audit.service';
import { beijingDate } from '../../../../shared/calendar/working-days';
import type { ExportFormat, ExportProgress, ExportQuery } from '../../../../shared/api/admin';
import { COLUMNS, EXPORT_PROJECTION, rowOf, yuan, type Cell, type ExportCase, type RowContext } from './export.columns';
import { caseField, casePlace } from '../complaints/case-seal';

/** Progress is written every this many rows. */
export const PROGRESS_EVERY = 1000;
const PROGRESS_TTL_S = 3600;
/** Documents per round trip to the database. */
export const BATCH_SIZE = 500;

const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export interface ExportDownload {
  exportId: string;
  total: number;
  contentType: string;
  /** The file name for people (Chinese) and the ASCII one for clients that know no better. */
  filename: { utf8: string; ascii: string };
  body: Readable;
  /** Rows taken from the database so far: behind the client's reading by at most a batch and the stream buffers. */
  rowsRead(): number;
}

type FinalState = Exclude<ExportProgress['state'], 'preparing' | 'running'>;

/** The error a stream gets when the client went away before the end. */
const PREMATURE_CLOSE = 'ERR_STREAM_PREMATURE_CLOSE';
const prematureClose = () => Object.assign(new Error('the response was closed before the file was complete'), { code: PREMATURE_CLOSE });

const progressKey = (deps: Deps, staff: StaffSession, exportId: string) => deps.key('export', staff.staffId, exportId);

/** The filters as given, for the audit log (no defaults, no export options). */
function filtersOf(query: ExportQuery): Record<string, unknown> {
  const { format: _format, personal: _personal, exportId: _id, ...filters } = query;
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
}

/** Rows from the cursor; stops reading (and closes the cursor) as soon as the consumer stops. */
async function* rowsOf(cursor: AsyncIterable<ExportCase> & { close(): Promise<unknown> }, ctx: RowContext, counted: () => void): AsyncGenerator<Cell[]> {
  try {
    for await (const doc of cursor) {
      yield rowOf(doc, ctx);
      counted();
    }
  } finally {
    await cursor.close();
  }
}

function csvStream(rows: AsyncGenerator<Cell[]>, done: (err?: Error | null) => void): Readable {
  const out = new PassThrough();
  const amountAt = COLUMNS.findIndex((c) => c.amount);
  const stringifier = stringify({
    // Excel reads UTF-8 without a byte order mark as the local code page: Chinese would be garbled.
    bom: true,
    header: true,
    record_delimiter: 'windows',
    columns: COLUMNS.map((c) => c.header),
    cast: { number: (value, context) => (context.index === amountAt ? yuan(value) : String(value)) },
  });
  pipeline(Readable.from(rows), stringifier, out, (err) => done(err));
  return out;
}

function xlsxStream(rows: AsyncGenerator<Cell[]>, done: (err?: Error | null) => void): Readable {
  const out = new PassThrough();
  // Shared strings would keep every distinct text in memory until the end: rows go out inline.
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useSharedStrings: false, useStyles: true });
  const sheet = workbook.addWorksheet('案件', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c, i) => ({ header: c.header, key: String(i), width: c.width, ...(c.amount ? { style: { numFmt: '0.00' } } : {}) }));
  const amountAt = COLUMNS.findIndex((c) => c.amount);
  // The writer does not wait for the reader: pause while the response is full, stop when it is gone.
  const drained = () => new Promise<void>((resolve) => {
    const settle = () => {
      out.off('drain', settle);
      out.off('close', settle);
      resolve();
    };
    out.once('drain', settle);
    out.once('close', settle);
  });
  void (async () => {
    try {
      for await (const row of rows) {
        if (amountAt >= 0 && typeof row[amountAt] === 'number') row[amountAt] = (row[amountAt] as number) / 100;
        sheet.addRow(row).commit();
        if (out.writableNeedDrain) await drained();
        if (out.destroyed) {
          await rows.return(undefined);
          done(prematureClose());
          return;
        }
      }
      sheet.commit();
      await workbook.commit();
      done(null);
    } catch (err) {
      out.destroy(err as Error);
      done(err as Error);
    }
  })();
  return out;
}

/**
 * Starts an export: checks the request, counts the rows, records the start in the audit log and
 * returns the file as a stream. The end (complete, aborted by the client, or failed) is recorded
 * when the stream settles, with the number of rows written.
 */
export async function startExport(deps: Deps, staff: StaffSession, query: ExportQuery): Promise<ExportDownload> {
  const full = query.personal === 'full';
  // The same rule as revealing one field on the case page: handlers and supervisors, never admins.
  if (full && staff.role === 'admin') throw new AppError(403, 'ROLE_FORBIDDEN', '管理员不办理案件，不能导出投诉人完整信息');
  const exportId = query.exportId ?? randomUUID();
  const key = progressKey(deps, staff, exportId);
  let total = 0;
  let done = 0;
  const progress = (state: ExportProgress['state']) =>
    deps.redis.set(key, JSON.stringify({ exportId, format: query.format, total, done, state } satisfies ExportProgress), { EX: PROGRESS_TTL_S });
  // Counting a large selection takes a while on the embedded database: the page sees it is under way.
  await progress('preparing');

  const { Case, Bureau } = deps.models;
  const filters = filtersOf(query);
  let filter: Awaited<ReturnType<typeof caseFilter>>;
  let bureaus: Array<{ code: string; name: string }>;
  try {
    filter = await caseFilter(deps, staff, query);
    [total, bureaus] = await Promise.all([
      Case.countDocuments(filter).setOptions(CASE_FILTER_OPTIONS),
      Bureau.find({}, { _id: 0, code: 1, name: 1 }).lean<Array<{ code: string; name: string }>>(),
    ]);
  } catch (err) {
    await progress('failed').catch(() => undefined);
    throw err;
  }
  const facts = { format: query.format, personal: query.personal, total, filters };
  await audit.record(deps, staff, { action: 'export', target: exportId, detail: JSON.stringify({ state: 'started', ...facts }) });
  await progress('running');

  const projection = full ? { ...EXPORT_PROJECTION, 'complainant.nameSealed': 1, 'complainant.phoneSealed': 1 } : EXPORT_PROJECTION;
  // In receipt order, oldest first, along the receivedAt index; a batch at a time, pulled only as
  // fast as the client reads (the streams below wait for the response to drain).
  const cursor = Case.find(filter, projection, CASE_FILTER_OPTIONS).sort({ receivedAt: 1 }).lean<ExportCase[]>().batchSize(BATCH_SIZE).cursor();
  const ctx: RowContext = {
    today: beijingDate(new Date()),
    bureauNames: new Map(bureaus.map((b) => [b.code, b.name])),
    ...(full ? { open: (sealed, field, c) => deps.pii.open(sealed, casePlace(c._id, caseField.complainant(field))) } : {}),
  };
  const rows = rowsOf(cursor as unknown as AsyncIterable<ExportCase> & { close(): Promise<unknown> }, ctx, () => {
    done += 1;
    if (done % PROGRESS_EVERY === 0) void progress('running').catch(() => undefined);
  });

  let settled = false;
  const finish = (err?: Error | null) => {
    if (settled) return;
    settled = true;
    const state: FinalState = !err ? 'done' : (err as { code?: string }).code === PREMATURE_CLOSE ? 'aborted' : 'failed';
    if (state === 'failed') deps.logger.error({ err, exportId, staff: staff.staffId }, 'export failed');
    // The audit entry first: once the page sees the final state, the log has it.
    const detail = JSON.stringify({ state: state === 'done' ? 'completed' : state, rows: done, ...facts });
    void audit
      .record(deps, staff, { action: 'export', target: exportId, detail })
      .catch((e: unknown) => deps.logger.error({ err: e, exportId }, 'export end not audited'))
      .then(() => progress(state))
      .catch((e: unknown) => deps.logger.error({ err: e, exportId }, 'export progress not saved'));
  };

  const stamp = beijingTimeStamp(new Date());
  return {
    exportId,
    total,
    contentType: CONTENT_TYPES[query.format],
    filename: { utf8: `案件导出-${stamp}.${query.format}`, ascii: `cases-${stamp}.${query.format}` },
    body: query.format === 'csv' ? csvStream(rows, finish) : xlsxStream(rows, finish),
    rowsRead: () => done,
  };
}

/** 20261122-0930 in Beijing time. */
function beijingTimeStamp(at: Date): string {
  const t = new Date(at.getTime() + 8 * 3600_000).toISOString();
  return `${t.slice(0, 10).replaceAll('-', '')}-${t.slice(11, 16).replace(':', '')}`;
}

/** Progress of one of my exports; another staff member's looks like one that does not exist. */
export async function exportProgress(deps: Deps, staff: StaffSession, exportId: string): Promise<ExportProgress> {
  const raw = await deps.redis.get(progressKey(deps, staff, exportId));
  if (!raw) throw new AppError(404, 'EXPORT_NOT_FOUND', '没有找到这次导出，可能尚未开始或已过期');
  return JSON.parse(raw) as ExportProgress;
}
