/**
 * What the code relies on from the database, checked against whatever MONGODB_URI points at
 * (FerretDB locally, MongoDB in deployments): indexes including unique ones, conditional
 * single-document updates that stay atomic under races, and simple aggregations.
 */
import { randomBytes } from 'node:crypto';
import mongoose, { Schema, type Connection } from 'mongoose';
import { connectDb } from '../../bff/src/infra/db';
import { requireEnv } from '../support/harness';

let conn: Connection;
const itemSchema = new Schema({ sku: { type: String, required: true }, group: String, qty: Number, version: { type: Number, default: 0 } });
itemSchema.index({ sku: 1 }, { unique: true });
itemSchema.index({ group: 1, qty: -1 });

beforeAll(async () => {
  const url = new URL(requireEnv('MONGODB_URI'));
  url.pathname = `/compat_${randomBytes(4).toString('hex')}`;
  conn = await connectDb(url.toString());
});
afterAll(async () => {
  await conn.dropDatabase();
  await conn.close();
});

const Item = () => conn.models.Item ?? conn.model('Item', itemSchema);

test('creates indexes, and the unique one refuses a duplicate with code 11000', async () => {
  await Item().createIndexes();
  const names = (await Item().collection.indexes()).map((i) => i.name);
  expect(names).toEqual(expect.arrayContaining(['sku_1', 'group_1_qty_-1']));
  await Item().create({ sku: 'A', group: 'g', qty: 1 });
  await expect(Item().create({ sku: 'A', group: 'g', qty: 2 })).rejects.toMatchObject({ code: 11000 });
});

test('of twenty racing conditional updates on one version, exactly one wins', async () => {
  await Item().create({ sku: 'race', group: 'g', qty: 0, version: 0 });
  const results = await Promise.all(
    Array.from({ length: 20 }, (_, i) =>
      Item().findOneAndUpdate({ sku: 'race', version: 0 }, { $set: { qty: i }, $inc: { version: 1 } }, { returnDocument: 'after' }).lean(),
    ),
  );
  expect(results.filter(Boolean)).toHaveLength(1);
  expect(await Item().findOne({ sku: 'race' }).lean()).toMatchObject({ version: 1 });
});

test('a conditional $inc never goes below its floor under concurrent spending', async () => {
  await Item().create({ sku: 'stock', group: 'g', qty: 5 });
  const spent = await Promise.all(
    Array.from({ length: 12 }, () =>
      Item().findOneAndUpdate({ sku: 'stock', qty: mongoose.trusted({ $gt: 0 }) }, { $inc: { qty: -1 } }, { returnDocument: 'after' }).lean(),
    ),
  );
  expect(spent.filter(Boolean)).toHaveLength(5);
  expect((await Item().findOne({ sku: 'stock' }).lean())?.qty).toBe(0);
});

test('groups with $match, $group (one accumulator), $sort', async () => {
  await Item().insertMany([
    { sku: 'g1', group: 'x', qty: 2 },
    { sku: 'g2', group: 'x', qty: 3 },
    { sku: 'g3', group: 'y', qty: 4 },
  ]);
  const rows = await Item().aggregate<{ _id: string; total: number }>([
    { $match: { sku: mongoose.trusted({ $in: ['g1', 'g2', 'g3'] }) } },
    { $group: { _id: '$group', total: { $sum: '$qty' } } },
    { $sort: { _id: 1 } },
  ]);
  expect(rows).toEqual([
    { _id: 'x', total: 5 },
    { _id: 'y', total: 4 },
  ]);
});

test('a bulk write of 150 updates in one call completes', async () => {
  // FerretDB v1 on SQLite waits forever on an update command of 100+ statements; the embedded
  // database's proxy makes drivers split bulk writes into smaller commands.
  const docs = await Item().insertMany(Array.from({ length: 150 }, (_, i) => ({ sku: `bulk${i}`, group: 'bulk', qty: 0 })));
  const result = await Item().bulkWrite(docs.map((d) => ({ updateOne: { filter: { _id: d._id }, update: { $inc: { qty: 1 } } } })));
  expect(result.modifiedCount).toBe(150);
}, 30_000);

test('a filter naming _id, alone or with conditions, is answered from the _id index', async () => {
  const docs = Array.from({ length: 200 }, (_, i) => ({ _id: `doc-${String(i).padStart(3, '0')}`, version: i % 3 }));
  const coll = conn.db!.collection<{ _id: string; version: number }>('by_id');
  for (let i = 0; i < docs.length; i += 50) await coll.insertMany(docs.slice(i, i + 50));
  for (const filter of [{ _id: 'doc-199' }, { _id: 'doc-199', version: 1 }]) {
    const plan = await conn.db!.command({ explain: { find: 'by_id', filter } });
    const text = JSON.stringify(plan.queryPlanner);
    if (plan.serverInfo?.ferretdbVersion !== undefined) {
      // The embedded FerretDB, as scripts/devdb/patches.mjs builds it: SQLite searches the index.
      expect({ filter, pushdown: plan.filterPushdown, plan: text }).toEqual({ filter, pushdown: true, plan: expect.stringContaining('USING INDEX') });
    } else {
      expect(text).not.toContain('COLLSCAN');
    }
  }
  // The narrowed query still applies the rest of the filter.
  expect(await coll.findOne({ _id: 'doc-199', version: 0 })).toBeNull();
  expect(await coll.findOne({ _id: 'doc-199', version: 1 })).toEqual({ _id: 'doc-199', version: 1 });
  const res = await coll.updateOne({ _id: 'doc-100', version: 0 }, { $set: { version: 9 } });
  expect(res.modifiedCount).toBe(0);
  expect((await coll.updateOne({ _id: 'doc-100', version: 1 }, { $set: { version: 9 } })).modifiedCount).toBe(1);
  expect((await coll.deleteOne({ _id: 'doc-101', version: 0 })).deletedCount).toBe(0);
  expect((await coll.deleteOne({ _id: 'doc-101', version: 2 })).deletedCount).toBe(1);
});
