/**
 * What the code relies on from the database, checked against whatever MONGODB_URI points at
 * (PostgreSQL + DocumentDB behind FerretDB v2 locally, MongoDB in deployments): indexes including
 * unique ones, conditional single-document updates that stay atomic under races, aggregations with
 * several accumulators, large bulk writes, and TTL indexes. The plans of the product's own queries
 * are read in query-plans.test.ts.
 */
import { randomBytes } from 'node:crypto';
import mongoose, { Schema, type Connection } from 'mongoose';
import { connectDb, isDuplicateKey, isWriteConflict, retryingUpsert } from '../../bff/src/infra/db';
import { requireEnv } from '../support/harness';
import { readPlan } from '../support/plans';
import { buildModels } from '../../bff/src/context';
import { DRAFT_KEEP_DAYS } from '../../bff/src/modules/drafts/draft.model';

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

test('groups with $match, $group (several accumulators), $sort', async () => {
  await Item().insertMany([
    { sku: 'g1', group: 'x', qty: 2 },
    { sku: 'g2', group: 'x', qty: 3 },
    { sku: 'g3', group: 'y', qty: 4 },
  ]);
  const rows = await Item().aggregate<{ _id: string; total: number; n: number; most: number; least: number }>([
    { $match: { sku: mongoose.trusted({ $in: ['g1', 'g2', 'g3'] }) } },
    { $group: { _id: '$group', total: { $sum: '$qty' }, n: { $sum: 1 }, most: { $max: '$qty' }, least: { $min: '$qty' } } },
    { $sort: { _id: 1 } },
  ]);
  expect(rows).toEqual([
    { _id: 'x', total: 5, n: 2, most: 3, least: 2 },
    { _id: 'y', total: 4, n: 1, most: 4, least: 4 },
  ]);
});

test('a bulk write of 2,000 conditional updates in one call completes', async () => {
  const docs = await Item().insertMany(Array.from({ length: 2000 }, (_, i) => ({ sku: `bulk${i}`, group: 'bulk', qty: 0, version: 0 })));
  const result = await Item().bulkWrite(docs.map((d) => ({ updateOne: { filter: { _id: d._id, version: 0 }, update: { $inc: { qty: 1, version: 1 } } } })), { ordered: false });
  expect(result.modifiedCount).toBe(2000);
}, 60_000);

test('a sorted find with a filter and a limit is answered from the compound index', async () => {
  await Item().insertMany(Array.from({ length: 3000 }, (_, i) => ({ sku: `plan${i}`, group: `p${i % 300}`, qty: i })));
  const q = { find: 'items', filter: { group: 'p7' }, sort: { qty: -1 }, limit: 5 };
  const plan = readPlan(await conn.db!.command({ explain: q, verbosity: 'queryPlanner' }));
  expect(plan.fullScans).toEqual([]);
  expect(plan.indexes).toContain('group_1_qty_-1');
  const found = await Item().find({ group: 'p7' }).sort({ qty: -1 }).limit(5).lean();
  expect(found.map((d) => d.qty)).toEqual([2707, 2407, 2107, 1807, 1507]);
});

test('a TTL index removes documents once they expire', async () => {
  const coll = conn.db!.collection<{ _id: string; at: Date }>('expiring');
  await coll.createIndex({ at: 1 }, { expireAfterSeconds: 1 });
  await coll.insertMany([
    { _id: 'old', at: new Date(Date.now() - 3600_000) },
    { _id: 'new', at: new Date(Date.now() + 3600_000) },
  ]);
  // MongoDB's TTL monitor runs every 60 s; the embedded database's (pg_cron) every minute as well.
  const until = Date.now() + 150_000;
  while ((await coll.countDocuments({ _id: 'old' })) > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 2000));
  expect(await coll.find({}).map((d) => d._id).toArray()).toEqual(['new']);
}, 180_000);

test('the product keeps temporary data under TTL indexes: drafts and hotspot marks', async () => {
  const models = buildModels(conn);
  await Promise.all([models.Draft.createIndexes(), models.HotspotMark.createIndexes()]);
  const ttl = async (m: typeof models.Draft | typeof models.HotspotMark) =>
    (await m.collection.indexes()).filter((i) => i.expireAfterSeconds !== undefined).map((i) => [Object.keys(i.key)[0], i.expireAfterSeconds]);
  expect(await ttl(models.Draft)).toEqual([['updatedAt', DRAFT_KEEP_DAYS * 86_400]]);
  expect(await ttl(models.HotspotMark)).toEqual([['at', 8 * 86_400]]);
});

/**
 * Upserts racing to create one document on a unique index: the losers fail with a duplicate key
 * (on the embedded database, sometimes as an exclusion-constraint error), and run again they update
 * the winner's document. 10 rounds of 20 at once: every one succeeds, one document each round.
 */
test('racing upserts of one new document all succeed through retryingUpsert', async () => {
  await Item().createIndexes();
  let raw = 0;
  for (let round = 0; round < 10; round++) {
    const sku = `race-${round}-${randomBytes(3).toString('hex')}`;
    const upsert = () => Item().findOneAndUpdate({ sku }, { $inc: { qty: 1 }, $setOnInsert: { sku } }, { upsert: true, returnDocument: 'after' }).lean();
    const settled = await Promise.allSettled(Array.from({ length: 20 }, () => retryingUpsert(upsert)));
    expect(settled.filter((r) => r.status === 'rejected')).toEqual([]);
    expect(await Item().find({ sku }).lean()).toEqual([expect.objectContaining({ sku, qty: 20 })]);
    // Without the retry a racer may lose (how often depends on timing): always in a way the retry recognises.
    const bare = await Promise.allSettled(Array.from({ length: 20 }, () => Item().findOneAndUpdate({ sku: `${sku}-bare` }, { $inc: { qty: 1 } }, { upsert: true }).lean()));
    const lost = bare.flatMap((r) => (r.status === 'rejected' ? [r.reason as Error] : []));
    expect(lost.filter((e) => !isDuplicateKey(e) && !isWriteConflict(e)).map((e) => e.message)).toEqual([]);
    raw += lost.length;
  }
  process.stdout.write(`racing upserts without a retry: ${raw} of 200 lost\n`);
}, 300_000);
