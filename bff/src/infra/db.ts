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

/**
 * A unique-index violation. MongoDB answers E11000 (11000). The embedded database does too for
 * inserts, but a findAndModify upsert that loses a race on a unique index reaches the client as
 * PostgreSQL's exclusion-constraint error (DocumentDB keeps unique indexes as exclusion
 * constraints) with code 1, InternalError: the same event in other words.
 */
export function isDuplicateKey(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  // A bulk write's write errors carry errmsg where thrown errors carry message.
  const e = err as { code?: unknown; message?: unknown; errmsg?: unknown };
  if (e.code === 11000 || e.code === 11001) return true;
  const text = typeof e.message === 'string' ? e.message : typeof e.errmsg === 'string' ? e.errmsg : '';
  return e.code === 1 && /violates exclusion constraint/.test(text);
}

/**
 * A write that lost to a concurrent one and would succeed run again: MongoDB's WriteConflict, or
 * the embedded database's PostgreSQL deadlock or serialization failure (code 1, InternalError).
 */
export function isWriteConflict(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: unknown; message?: unknown; hasErrorLabel?: (l: string) => boolean };
  if (e.code === 112) return true;
  if (typeof e.hasErrorLabel === 'function' && e.hasErrorLabel('TransientTransactionError')) return true;
  return e.code === 1 && typeof e.message === 'string' && /deadlock detected|could not serialize access|SQLSTATE 40(P01|001)/.test(e.message);
}

/**
 * Runs an upsert again when it lost the race to create its document: two upserts of a document
 * that does not exist yet may both try to insert it, and the loser fails on the unique index (or,
 * on the embedded database, in a deadlock), although run again it simply updates the winner's document.
 */
export async function retryingUpsert<T>(run: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= attempts || !(isDuplicateKey(err) || isWriteConflict(err))) throw err;
      // A little apart, so the racers do not meet again.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
