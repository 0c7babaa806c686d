/**
 * Case export: the queue's filters inside the staff member's scope, streamed from a database
 * cursor into a CSV or XLSX file so memory stays flat however many rows there are. Progress is
 * kept in Redis for the admin page; every export is audited when it starts and when it ends.
 *
 * Complainants' names and phones in full take two steps. The page first POSTs the filters, a
 * stated purpose and the staff member's password (a password never travels in a query string,
 * where proxies and logs keep it); the server checks them, counts the rows against the cap and
 * answers with a ticket: random, bound to that staff member and that request, valid for a minute
 * and for one download. The page then lets the browser GET the file with the ticket, so a large
 * file still streams to disk instead of being held in the page's memory as a POST reply would be.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { PassThrough, Readable, pipeline } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import argon2 from 'argon2';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { StaffSession } from '../staff/staff.service';
import { caseFilter, CASE_FILTER_OPTIONS } from '../handling/handling.service';
import * as audit from '../audit/audit.service';
import { beijingDate } from '../../../../shared/calendar/working-days';
import type { ExportFormat, ExportFullBody, ExportProgress, ExportPurpose, ExportQuery, ExportTicket } from '../../../../shared/api/admin';
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

/** A full-data ticket is good for this long, and for one download. */
export const TICKET_TTL_S = 60;
/** Wrong passwords when confirming a full export, within the window, before confirming stops for the window. */
export const REAUTH_MAX_FAILURES = 5;
export const REAUTH_WINDOW_S = 15 * 60;

/** What an export writes: the queue's filters, the format, and for full data the purpose given. */
export type ExportRequest = Omit<ExportQuery, 'personal'> & { personal: 'masked' | 'full'; purpose?: ExportPurpose };

const progressKey = (deps: Deps, staff: StaffSession, exportId: string) => deps.key('export', staff.staffId, exportId);
// Kept under a hash of the ticket: what Redis holds cannot be replayed as a download link.
const ticketKey = (deps: Deps, ticket: string) => deps.key('export-ticket', createHash('sha256').update(ticket).digest('base64url'));
const reauthKey = (deps: Deps, staff: StaffSession) => deps.key('export-reauth', staff.staffId);

/** The filters as given, for the audit log (no defaults, no export options). */
function filtersOf(query: ExportRequest): Record<string, unknown> {
  const { format: _format, personal: _personal, exportId: _id, purpose: _purpose, ...filters } = query;
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined));
}

/** The same rule as revealing one field on the case page: handlers and supervisors, never admins. */
function requireMayOpen(staff: StaffSession): void {
  if (staff.role === 'admin') throw new AppError(403, 'ROLE_FORBIDDEN', '管理员不办理案件，不能导出投诉人完整信息');
}

const tooMany = (total: number, limit: number) =>
  new AppError(422, 'EXPORT_TOO_LARGE', `筛选结果共 ${total} 件，超过导出完整信息的上限 ${limit} 件，请缩小筛选范围（如日期、状态）后再导出`, undefined, { total, limit });

/**
 * Checks the password against the staff record. Each attempt takes a slot first (one atomic
 * increment, the window running from the first), so parallel guesses cannot slip past the limit;
 * a right password clears the count, wrong ones are audited, and past the limit confirming stops
 * until the window ends.
 */
async function confirmPassword(deps: Deps, staff: StaffSession, password: string): Promise<void> {
  const key = reauthKey(deps, staff);
  const replies = await deps.redis.multi().set(key, '0', { NX: true, EX: REAUTH_WINDOW_S }).incr(key).exec();
  const attempt = Number(replies[1]);
  const locked = () => new AppError(429, 'REAUTH_LOCKED', `密码连续输错 ${REAUTH_MAX_FAILURES} 次，${REAUTH_WINDOW_S / 60} 分钟内不能导出完整信息`);
  if (attempt > REAUTH_MAX_FAILURES) throw locked();
  const record = await deps.models.Staff.findOne({ _id: staff.staffId, active: true }, { passwordHash: 1 }).lean();
  if (record && (await argon2.verify(record.passwordHash, password))) {
    await deps.redis.del(key);
    return;
  }
  await audit.record(deps, staff, { action: 'export_reauth_failed', detail: JSON.stringify({ failures: attempt }) });
  if (attempt >= REAUTH_MAX_FAILURES) throw locked();
  throw new AppError(403, 'REAUTH_FAILED', `密码不正确，还可以再试 ${REAUTH_MAX_FAILURES - attempt} 次`);
}

/**
 * The first step of a full export: checks the role, the password and the row cap, audits the
 * purpose, and hands out a single-use ticket for the download.
 */
export async function authoriseFullExport(deps: Deps, staff: StaffSession, body: ExportFullBody): Promise<ExportTicket> {
  requireMayOpen(staff);
  await confirmPassword(deps, staff, body.password);
  const request: ExportRequest = { ...body.filters, format: body.format, personal: 'full', exportId: body.exportId ?? randomUUID(), purpose: body.purpose };
  const limit = deps.config.export.fullMaxRows;
  const total = await deps.models.Case.countDocuments(await caseFilter(deps, staff, body.filters)).setOptions(CASE_FILTER_OPTIONS);
  if (total > limit) throw tooMany(total, limit);
  const ticket = randomBytes(32).toString('base64url');
  await deps.redis.set(ticketKey(deps, ticket), JSON.stringify({ staffId: staff.staffId, request }), { EX: TICKET_TTL_S });
  const detail = { state: 'authorised', format: request.format, personal: 'full', total, filters: filtersOf(request), purpose: body.purpose };
  await audit.record(deps, staff, { action: 'export', target: request.exportId, detail: JSON.stringify(detail) });
  return { ticket, exportId: request.exportId!, total, expiresInS: TICKET_TTL_S };
}

/** Takes a ticket once: another staff member's, a used or an expired one are all refused alike. */
export async function redeemTicket(deps: Deps, staff: StaffSession, ticket: string): Promise<ExportRequest> {
  const invalid = () => new AppError(410, 'EXPORT_TICKET_INVALID', '导出授权已失效或已使用，请重新填写用途并验证密码');
  const key = ticketKey(deps, ticket);
  const raw = await deps.redis.get(key);
  const stored = raw ? (JSON.parse(raw) as { staffId: string; request: ExportRequest }) : undefined;
  if (!stored || stored.staffId !== staff.staffId) throw invalid();
  // Of two downloads racing with one ticket, only the one that deletes it goes on.
  if ((await deps.redis.del(key)) !== 1) throw invalid();
  return stored.request;
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
    // A lone CR or LF inside a text would otherwise end the record for Excel: such a field is quoted.
    quoted_match: /[\r\n]/,
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
export async function startExport(deps: Deps, staff: StaffSession, query: ExportRequest): Promise<ExportDownload> {
  const full = query.personal === 'full';
  if (full) requireMayOpen(staff);
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
    // Counted again at the download: cases received since the ticket may have crossed the cap.
    if (full && total > deps.config.export.fullMaxRows) throw tooMany(total, deps.config.export.fullMaxRows);
  } catch (err) {
    await progress('failed').catch(() => undefined);
    throw err;
  }
  const facts = { format: query.format, personal: query.personal, total, filters, ...(query.purpose ? { purpose: query.purpose } : {}) };
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
