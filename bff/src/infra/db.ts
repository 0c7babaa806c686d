import mongoose, { type Connection } from 'mongoose';

// Query filters built from request data must never carry operators ($gt, $where, ...).
mongoose.set('sanitizeFilter', true);
mongoose.set('strictQuery', true);

export async function connectDb(uri: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 5000, autoIndex: false });
  await conn.asPromise();
  return conn;
}
