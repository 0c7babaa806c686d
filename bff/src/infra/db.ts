import mongoose, { type ConnectOptions, type Connection } from 'mongoose';

// Query filters built from request data must never carry operators ($gt, $where, ...).
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

/**
 * How long an operation waits for a usable server (driver) or for a lost connection to come back
 * (Mongoose buffering) before it fails: a request in an outage gets its answer in seconds.
 */
export const DB_WAIT_MS = 3000;

/** @param extra further driver options (tests turn on command monitoring to see what reaches the database). */
export async function connectDb(uri: string, extra: ConnectOptions = {}): Promise<Connection> {
  // bufferTimeoutMS is read by Mongoose's driver layer but missing from its ConnectOptions type.
  const options: ConnectOptions & { bufferTimeoutMS: number } = {
    serverSelectionTimeoutMS: DB_WAIT_MS,
    bufferTimeoutMS: DB_WAIT_MS,
    autoIndex: false,
    ...extra,
  };
  const conn = mongoose.createConnection(uri, options);
  await conn.asPromise();
  return conn;
}

/** Server error codes that say the server (or its storage) cannot serve now, not that the request is wrong. */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const UNAVAILABLE_NAMES = new Set([
  'MongoNetworkError',
  'MongoNetworkTimeoutError',
  'MongoServerSelectionError',
  'MongooseServerSelectionError',
  'MongoTopologyClosedError',
  'MongoNotConnectedError',
  'PoolClosedError',
  'PoolClearedError',
  'PoolClearedOnNetworkError',
  'WaitQueueTimeoutError',
]);

/**
 * A MongoDB-compatible server in front of PostgreSQL (FerretDB with DocumentDB) stays up when
 * PostgreSQL goes away and answers InternalError (code 1) with its storage's words: the
 * connection to PostgreSQL refused or cut, or PostgreSQL starting up or shutting down.
 */
const STORAGE_UNAVAILABLE = [
  /failed to connect to/i,
  /unexpected postmaster exit/i,
  /terminating connection/i,
  /connection refused/i,
  /the database system is (starting up|shutting down|in recovery mode|not yet accepting connections)/i,
  /server closed the connection/i,
  /conn(ection)? (is )?closed/i,
  /broken pipe/i,
  /SQLSTATE (08\w{3}|57P0[123])/,
];

const MONGOOSE_BUFFER_TIMEOUT = /buffering timed out after/;

/**
 * True when an error means the database cannot be reached or cannot serve right now (a network
 * failure, no server to select, a server shutting down or stepping down, its storage gone), as
 * opposed to an error in the request or the code. Works on MongoDB and on FerretDB alike.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { name?: unknown; code?: unknown; message?: unknown; hasErrorLabel?: (l: string) => boolean; cause?: unknown };
  const name = typeof e.name === 'string' ? e.name : '';
  const message = typeof e.message === 'string' ? e.message : '';
  if (UNAVAILABLE_NAMES.has(name)) return true;
  if (name === 'MongooseError' && MONGOOSE_BUFFER_TIMEOUT.test(message)) return true;
  if (typeof e.hasErrorLabel === 'function' && (e.hasErrorLabel('ResetPool') || e.hasErrorLabel('SystemOverloadedError'))) return true;
  if (typeof e.code === 'number' && UNAVAILABLE_CODES.has(e.code)) return true;
  if (e.code === 1 && name === 'MongoServerError' && STORAGE_UNAVAILABLE.some((p) => p.test(message))) return true;
  // Mongoose and the driver wrap some of these (bulk writes, cursors).
  if (e.cause && e.cause !== err) return isDatabaseUnavailable(e.cause);
  return false;
}

/**
 * What a log may say of such an error: its kind, never its text (which can quote a query).
 * Named apart from `name` and `code`, which the logger redacts as personal data.
 */
export function describeDbError(err: unknown): { error?: string; errorCode?: unknown; codeName?: unknown } {
  const e = (err ?? {}) as { name?: string; code?: unknown; codeName?: unknown };
  return { error: e.name, errorCode: e.code, codeName: e.codeName };
}
