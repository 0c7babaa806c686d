/** Which database errors mean "cannot serve now" (503) and which are the request's or the code's. */
import mongoose from 'mongoose';
import { isDatabaseUnavailable, isDuplicateKey, isWriteConflict } from '../../bff/src/infra/db';

// The driver's classes as Mongoose ships them (the driver is not a direct dependency).
const { MongoNetworkError, MongoServerError, MongoServerSelectionError, MongoNetworkTimeoutError } = mongoose.mongo;

const server = (code: number, errmsg: string, codeName?: string) => new MongoServerError({ ok: 0, code, errmsg, ...(codeName ? { codeName } : {}) });

describe('isDatabaseUnavailable', () => {
  it.each<[string, unknown]>([
    ['a network error', new MongoNetworkError('connection 1 to 127.0.0.1:27017 closed')],
    ['a network timeout', new MongoNetworkTimeoutError('connection timed out')],
    ['no server to select', new MongoServerSelectionError('connect ECONNREFUSED 127.0.0.1:27017', { type: 'Unknown', servers: new Map() } as never)],
    ['Mongoose giving up on a buffered operation', new mongoose.Error('Operation `cases.insertOne()` buffering timed out after 3000ms')],
    ['a primary stepping down', server(189, 'primary stepped down', 'PrimarySteppedDown')],
    ['a node that is not primary', server(10107, 'not primary', 'NotWritablePrimary')],
    ['a server shutting down', server(91, 'shutting down', 'ShutdownInProgress')],
    ['FerretDB with PostgreSQL killed', server(1, 'terminating connection due to unexpected postmaster exit', 'InternalError')],
    ['FerretDB with PostgreSQL gone', server(1, 'msg_insert.go:55: pool.go:90: failed to connect to `user=postgres database=postgres`: dial error', 'InternalError')],
    ['FerretDB with PostgreSQL starting', server(1, 'FATAL: the database system is starting up (SQLSTATE 57P03)', 'InternalError')],
  ])('is true for %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['a duplicate key', server(11000, 'E11000 duplicate key error', 'DuplicateKey')],
    ['another internal error', server(1, 'unexpected value in document', 'InternalError')],
    ['a bad query', server(2, 'unknown operator: $foo', 'BadValue')],
    ['a cast error', new mongoose.Error.CastError('ObjectId', 'x', '_id')],
    ['a validation error', new mongoose.Error.ValidationError()],
    ['a plain error', new Error('failed to connect to the vendor')],
    ['nothing', undefined],
  ])('is false for %s', (_name, err) => {
    expect(isDatabaseUnavailable(err)).toBe(false);
  });
});

describe('isDuplicateKey', () => {
  it.each<[string, unknown]>([
    ['MongoDB E11000', server(11000, 'E11000 duplicate key error collection: t.users index: platform_1_platformUserId_1', 'DuplicateKey')],
    ['the embedded database losing an upsert race on a unique index', server(1, 'conflicting key value violates exclusion constraint "documents_rum_index_2446"', 'InternalError')],
    ['a write error of a bulk write', { index: 3, code: 1, errmsg: 'conflicting key value violates exclusion constraint "documents_rum_index_7"' }],
  ])('is true for %s', (_name, err) => {
    expect(isDuplicateKey(err)).toBe(true);
  });

  it.each<[string, unknown]>([
    ['another internal error', server(1, 'unexpected value in document', 'InternalError')],
    ['the storage gone', server(1, 'terminating connection due to unexpected postmaster exit', 'InternalError')],
    ['nothing', undefined],
  ])('is false for %s', (_name, err) => {
    expect(isDuplicateKey(err)).toBe(false);
  });
});

describe('isWriteConflict', () => {
  it.each<[string, unknown, boolean]>([
    ['MongoDB WriteConflict', server(112, 'WriteConflict error', 'WriteConflict'), true],
    ['a PostgreSQL deadlock behind the embedded database', server(1, 'deadlock detected', 'InternalError'), true],
    ['a serialization failure', server(1, 'could not serialize access due to concurrent update', 'InternalError'), true],
    ['a duplicate key', server(11000, 'E11000 duplicate key error', 'DuplicateKey'), false],
    ['another internal error', server(1, 'unexpected value in document', 'InternalError'), false],
  ])('%s: %s', (_name, err, expected) => {
    expect(isWriteConflict(err)).toBe(expected);
  });
});
