/**
 * Per-day counters for the dashboard. Each case contributes a set of counts (received, by
 * status, category, problem type, channel, county, respondent, working days to decision and to
 * closure, mediation outcome, lateness) to one document per scope and day of receipt: its
 * bureau and every level of the bureau's region (all, province, city, county). A change of the
 * case moves the difference between its contribution before and after with one single-document
 * `$inc` upsert per scope document, addressed by `_id`; a dashboard then reads the documents of
 * its scope and period instead of scanning cases. `rebuildStats` recomputes everything from the
 * cases, and the seed builds the same documents from the cases it generates (`CounterTally`).
 *
 * All counter documents live in one collection, `insight_counters`, one document per scope and
 * day: `_id` is `<scope>|<day>` (the single-document address of every write), `scope` and `day`
 * are set when the document is created, and the index {scope, day} answers a dashboard's read
 * of a scope over a period with one range query. Respondent names are kept apart, by the hash
 * the counts use, in `insight_respondents`: the name from the first complaint (filed only after
 * identity verification) about the business, or while there is none, from the first report.
 * Reports may be anonymous, so a later one never renames a business on every dashboard.
 */
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
import type { AnyBulkWriteOperation, Collection } from 'mongodb';
import type { Deps } from '../../context';
import { isDuplicateKey } from '../../infra/db';
import { beijingDate, workingDaysBetween } from '../../../../shared/calendar/working-days';

/** Region prefix lengths that get their own documents: all, province, city, county. */
export const REGION_LEVELS = [0, 2, 4, 6] as const;

/** Timeline actions that decide whether a case is taken up (受理与否 / 立案与否). */
const DECISIONS = new Set(['accept', 'reject', 'open_case', 'decline']);

export type Counts = Record<string, number>;

/** The fields of a case the counters read. */
export interface CaseFacts {
  type: string;
  status: string;
  bureauCode: string;
  receivedAt: Date;
  deadlineState?: string | null;
  wasOverdue?: boolean | null;
  respondent: { name: string; nameKey?: string | null; creditCode?: string | null };
  business?: { categoryCode?: string | null; problemTypeCode?: string | null; channel?: string | null } | null;
  timeline?: Array<{ at: Date; action: string }> | null;
}

export const CASE_FACTS_PROJECTION = {
  type: 1, status: 1, bureauCode: 1, receivedAt: 1, deadlineState: 1, wasOverdue: 1,
  'respondent.name': 1, 'respondent.nameKey': 1, 'respondent.creditCode': 1,
  'business.categoryCode': 1, 'business.problemTypeCode': 1, 'business.channel': 1,
  'timeline.at': 1, 'timeline.action': 1,
} as const;

/** A dimension value as a field name: no dots, never starting with `$`, never a bare number. */
export const encodeKey = (value: string) => `k${value.replace(/\./g, '~')}`;
export const decodeKey = (field: string) => field.slice(1).replace(/~/g, '.');

/** One respondent across spellings: the credit code when there is one, else the normalised name. */
export function respondentKey(r: CaseFacts['respondent']): string {
  const basis = r.creditCode ? `c:${r.creditCode}` : `n:${r.nameKey ?? r.name.normalize('NFKC').replace(/\s+/g, '').toLowerCase()}`;
  return createHash('sha256').update(basis).digest('hex').slice(0, 16);
}

/** What one case adds to the counters of its day of receipt. */
export function contribution(c: CaseFacts): Counts {
  const out: Counts = { n: 1 };
  const add = (dim: string, value: string | null | undefined) => {
    out[`${dim}.${encodeKey(value || 'none')}`] = 1;
  };
  add('type', c.type);
  add('st', c.status);
  add('cat', c.business?.categoryCode);
  add('pt', c.business?.problemTypeCode);
  add('ch', c.business?.channel);
  add('resp', respondentKey(c.respondent));
  if (c.deadlineState === 'overdue') out.overdueNow = 1;
  if (c.wasOverdue || c.deadlineState === 'overdue') out.late = 1;
  const received = beijingDate(c.receivedAt);
  const timeline = c.timeline ?? [];
  const decision = timeline.find((e) => DECISIONS.has(e.action));
  if (decision) out[`dec.${encodeKey(String(workingDaysBetween(received, beijingDate(decision.at))))}`] = 1;
  const closed = c.status === 'closed' ? [...timeline].reverse().find((e) => e.action === 'close') : undefined;
  if (closed) out[`cls.${encodeKey(String(workingDaysBetween(received, beijingDate(closed.at))))}`] = 1;
  if (timeline.some((e) => e.action === 'agree')) out['med.agreed'] = 1;
  else if (timeline.some((e) => e.action === 'terminate')) out['med.ended'] = 1;
  return out;
}

/** The scope documents a case counts in: its bureau, and each level of the bureau's region. */
export function scopeKeys(bureauCode: string, regionCode: string): string[] {
  return [...new Set([`b:${bureauCode}`, ...REGION_LEVELS.map((n) => `r:${regionCode.slice(0, n)}`)])];
}

export const COUNTERS_COLLECTION = 'insight_counters';
const NAMES_COLLECTION = 'insight_respondents';

/** A stored counter document: its address, scope and day, and open-ended counts (one field per dimension value). */
export interface CounterDoc {
  _id: string;
  scope: string;
  day: string;
  [field: string]: unknown;
}

const counterSchema = new Schema(
  { _id: String, scope: { type: String, required: true }, day: { type: String, required: true } },
  // The counts are open-ended: written with `$inc` through the driver, never through documents of this model.
  { versionKey: false, strict: false, collection: COUNTERS_COLLECTION },
);
// A dashboard read: one scope over a range of days.
counterSchema.index({ scope: 1, day: 1 });

export const insightCounterModel = (conn: Connection): Model<CounterDoc> =>
  (conn.models.InsightCounter as Model<CounterDoc> | undefined) ?? conn.model<CounterDoc>('InsightCounter', counterSchema);

/**
 * The counter documents through the model's collection: the counts are open-ended fields written
 * with `$inc`, so they bypass the model's casting (the model declares the collection and its index).
 */
type StoredCounter = { _id: string; scope: string; day: string; [field: string]: any };
const countersCollection = (conn: Connection) => insightCounterModel(conn).collection as unknown as Collection<StoredCounter>;

export const counterId = (scope: string, day: string) => `${scope}|${day}`;

/** A respondent's name on the dashboard: vouched for when it came from a verified complainant; `at` is its case's receipt. */
export interface RespondentName {
  name: string;
  vouched: boolean;
  at: Date;
}

/**
 * Whether a case's respondent name is vouched for: a complaint is filed only by a consumer who
 * passed identity verification; a report needs none and may be anonymous.
 */
export const vouchedFor = (c: Pick<CaseFacts, 'type'>) => c.type === 'complaint';

export const nameOf = (c: CaseFacts): RespondentName => ({ name: c.respondent.name, vouched: vouchedFor(c), at: c.receivedAt });

/** Whether `offer` names a respondent rather than `current`: vouched before unvouched, then the earlier case. */
export function prefers(offer: RespondentName, current: RespondentName | undefined): boolean {
  if (!current) return true;
  if (offer.vouched !== current.vouched) return offer.vouched;
  return offer.at < current.at;
}

/** Respondent names by the hash the counters use (`respondentKey`). */
type StoredName = { _id: string } & RespondentName;
const namesCollection = (conn: Connection) => conn.db!.collection<StoredName>(NAMES_COLLECTION);

/**
 * Offers a name for a respondent, the rule of `prefers` as one conditional upsert: the stored name
 * is replaced only by a preferred one. When the stored one stays, the upsert's insert is refused
 * as a duplicate, which is the expected outcome. Names stored without `vouched` or `at` (before
 * they were kept) count as unvouched and give way to a vouched one.
 */
function nameOp(key: string, offer: RespondentName): AnyBulkWriteOperation<StoredName> {
  const filter = offer.vouched
    ? { _id: key, $or: [{ vouched: { $ne: true } }, { at: { $gt: offer.at } }] }
    : { _id: key, vouched: { $ne: true }, at: { $gt: offer.at } };
  return { updateOne: { filter, update: { $set: { name: offer.name, vouched: offer.vouched, at: offer.at } }, upsert: true } };
}

async function offerNames(conn: Connection, offers: Array<[string, RespondentName]>): Promise<void> {
  if (!offers.length) return;
  await namesCollection(conn)
    .bulkWrite(offers.map(([key, offer]) => nameOp(key, offer)), { ordered: false })
    .catch((err: unknown) => {
      if (!duplicateIndexes(err)) throw err;
    });
}

/** The names of some respondents, by hash, in one query. */
export async function respondentNames(conn: Connection, keys: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const wanted = [...new Set(keys)];
  if (!wanted.length) return out;
  for (const doc of await namesCollection(conn).find({ _id: { $in: wanted } }).toArray()) out[doc._id] = doc.name;
  return out;
}

/** Bureau region codes never change once created, so each process keeps them once read. */
const bureauRegions = new Map<string, string>();
async function regionOf(deps: Deps, bureauCode: string): Promise<string> {
  let region = bureauRegions.get(bureauCode);
  if (region === undefined) {
    const bureau = await deps.models.Bureau.findOne({ code: bureauCode }, { regionCode: 1 }).lean();
    region = bureau?.regionCode ?? '';
    bureauRegions.set(bureauCode, region);
  }
  return region;
}

/** Per day and scope (`<scope>|<day>`), the counts to add so the counters go from `before` to `after`. */
export function changeSet(
  before: { keys: string[]; day: string; counts: Counts } | null,
  after: { keys: string[]; day: string; counts: Counts } | null,
): Map<string, Counts> {
  const out = new Map<string, Counts>();
  const apply = (side: { keys: string[]; day: string; counts: Counts }, sign: 1 | -1) => {
    for (const key of side.keys) {
      const id = counterId(key, side.day);
      const inc = out.get(id) ?? {};
      for (const [field, n] of Object.entries(side.counts)) inc[field] = (inc[field] ?? 0) + sign * n;
      out.set(id, inc);
    }
  };
  if (before) apply(before, -1);
  if (after) apply(after, 1);
  for (const [id, inc] of out) {
    for (const [field, n] of Object.entries(inc)) if (n === 0) delete inc[field];
    if (!Object.keys(inc).length) out.delete(id);
  }
  return out;
}

/** What a case adds, with the region of its bureau: the scope documents, its day and its counts. */
export function caseSide(c: CaseFacts, region: string): { keys: string[]; day: string; counts: Counts } {
  const counts = contribution(c);
  counts[`cty.${encodeKey(region || 'none')}`] = 1;
  return { keys: scopeKeys(c.bureauCode, region), day: beijingDate(c.receivedAt), counts };
}

async function side(deps: Deps, c: CaseFacts | null) {
  if (!c) return null;
  return caseSide(c, await regionOf(deps, c.bureauCode));
}

/** A `$inc` upsert of one counter document, addressed by `_id`; scope and day are set when it is created. */
function incOp(id: string, $inc: Counts): AnyBulkWriteOperation<StoredCounter> {
  const bar = id.lastIndexOf('|');
  return {
    updateOne: {
      filter: { _id: id },
      update: { $inc, $setOnInsert: { scope: id.slice(0, bar), day: id.slice(bar + 1) } },
      upsert: true,
    },
  };
}

/**
 * Moves a case's counts after a change (`before` null for a new case). Runs after the case's own
 * update has succeeded; a failure here is logged and leaves the dashboard off until the next
 * `rebuildStats`, never the case itself.
 */
export async function recordCaseChange(deps: Deps, before: CaseFacts | null, after: CaseFacts | null): Promise<void> {
  try {
    const changes = changeSet(await side(deps, before), await side(deps, after));
    if (changes.size) {
      const ops = [...changes].map(([id, inc]) => incOp(id, inc));
      const counters = countersCollection(deps.conn);
      // Two cases counted at once may both create a day's document: the loser's counts go again, as updates.
      await counters.bulkWrite(ops, { ordered: false }).catch((err) => {
        const lost = duplicateIndexes(err);
        if (!lost) throw err;
        return counters.bulkWrite(lost.map((i) => ops[i]), { ordered: false });
      });
    }
    // A respondent's name is kept once, apart from the counts that name it by a hash; a new case may only offer it.
    if (!before && after) await offerNames(deps.conn, [[respondentKey(after.respondent), nameOf(after)]]);
  } catch (err) {
    deps.logger.error({ err }, 'case counters not updated');
  }
}

/** Flat dotted counts as the nested document MongoDB stores. */
function nest(counts: Counts): Record<string, unknown> {
  const doc: Record<string, Record<string, number> | number> = {};
  for (const [field, n] of Object.entries(counts)) {
    const dot = field.indexOf('.');
    if (dot < 0) doc[field] = n;
    else ((doc[field.slice(0, dot)] ??= {}) as Record<string, number>)[field.slice(dot + 1)] = n;
  }
  return doc;
}

/**
 * Counter documents and respondent names summed in memory from many cases: what `rebuildStats`
 * builds from the stored cases, and the seed from the cases it generates, with the same
 * `contribution`, so both give the same documents.
 */
export class CounterTally {
  /** `<scope>|<day>` -> counts */
  readonly docs = new Map<string, Counts>();
  readonly names = new Map<string, RespondentName>();
  readonly days = new Set<string>();
  cases = 0;

  /** Adds one case; `region` is the region code of its bureau. */
  add(c: CaseFacts, region: string): void {
    this.cases += 1;
    const s = caseSide(c, region);
    this.days.add(s.day);
    const respondent = respondentKey(c.respondent);
    const name = nameOf(c);
    if (prefers(name, this.names.get(respondent))) this.names.set(respondent, name);
    for (const key of s.keys) {
      const id = counterId(key, s.day);
      let counts = this.docs.get(id);
      if (!counts) this.docs.set(id, (counts = {}));
      for (const [field, n] of Object.entries(s.counts)) counts[field] = (counts[field] ?? 0) + n;
    }
  }

  /** The counter documents as stored. */
  *documents(): Generator<CounterDoc> {
    for (const [id, counts] of this.docs) {
      const bar = id.lastIndexOf('|');
      yield { _id: id, scope: id.slice(0, bar), day: id.slice(bar + 1), ...nest(counts) };
    }
  }
}

/** Documents per write command: large batches, the driver splits them further by size. */
const WRITE_BATCH = 2000;

async function inBatches<T>(items: Iterable<T>, size: number, write: (batch: T[]) => Promise<unknown>): Promise<void> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      await write(batch);
      batch = [];
    }
  }
  if (batch.length) await write(batch);
}

/** The positions of the documents an unordered insert refused as duplicates; null for any other error. */
const duplicateIndexes = (err: unknown): number[] | null => {
  const found = (err as { writeErrors?: WriteFailure | WriteFailure[] }).writeErrors;
  const failures = found === undefined ? [] : ([] as WriteFailure[]).concat(found);
  return failures.length && failures.every((w) => isDuplicateKey(w)) ? failures.map((w) => w.index) : null;
};
type WriteFailure = { index: number; code?: number };

/**
 * Adds a tally to the stored counters (the seed: cases written in bulk). The documents are
 * inserted in large batches; those that exist already (an earlier seed, intake, or a racing
 * addition) are refused as duplicates and get the tally's counts with `$inc` upserts by `_id`
 * instead. Respondent names already known are kept unless the tally's is preferred (`prefers`).
 */
export async function addTally(conn: Connection, tally: CounterTally): Promise<{ inserted: number; incremented: number }> {
  const coll = countersCollection(conn);
  let incremented = 0;
  await inBatches(tally.documents(), WRITE_BATCH, async (batch) => {
    await coll.insertMany(batch, { ordered: false }).catch(async (err: unknown) => {
      const dup = duplicateIndexes(err);
      if (!dup) throw err;
      incremented += dup.length;
      await coll.bulkWrite(dup.map((i) => incOp(batch[i]._id, tally.docs.get(batch[i]._id)!)), { ordered: false });
    });
  });
  await inBatches(tally.names, WRITE_BATCH, async (batch) => {
    await namesCollection(conn)
      .insertMany(batch.map(([_id, name]) => ({ _id, ...name })), { ordered: false })
      .catch(async (err: unknown) => {
        const dup = duplicateIndexes(err);
        if (!dup) throw err;
        // Known already: replaced only where the tally's name is preferred.
        await offerNames(conn, dup.map((i) => batch[i]));
      });
  });
  return { inserted: tally.docs.size - incremented, incremented };
}

/**
 * Recomputes every counter from the cases (after a bulk load, or to repair counters after a
 * failed update). Meant for a quiet moment: changes made while it runs may be counted twice or
 * not at all until the next rebuild.
 */
export async function rebuildStats(deps: Deps): Promise<{ cases: number; documents: number; days: number; ms: number }> {
  const started = Date.now();
  const bureaus = await deps.models.Bureau.find({}, { code: 1, regionCode: 1 }).lean();
  const regions = new Map(bureaus.map((b) => [b.code, b.regionCode]));
  const tally = new CounterTally();
  const cursor = deps.models.Case.find({}, CASE_FACTS_PROJECTION).lean<CaseFacts[]>().cursor({ batchSize: 5000 });
  for await (const c of cursor) tally.add(c, regions.get(c.bureauCode) ?? (await regionOf(deps, c.bureauCode)));
  // The stored documents are replaced as a whole: both collections emptied, then written anew.
  const counters = countersCollection(deps.conn);
  await counters.deleteMany({});
  await namesCollection(deps.conn).deleteMany({});
  await inBatches(tally.documents(), WRITE_BATCH, (batch) => counters.insertMany(batch, { ordered: false }));
  await inBatches(tally.names, WRITE_BATCH, (batch) => namesCollection(deps.conn).insertMany(batch.map(([_id, name]) => ({ _id, ...name })), { ordered: false }));
  return { cases: tally.cases, documents: tally.docs.size, days: tally.days.size, ms: Date.now() - started };
}

/** The stored counter documents of one scope for the given ranges of days (inclusive), in one indexed query. */
export async function readDays(conn: Connection, scope: string, ranges: Array<[from: string, to: string]>): Promise<Map<string, CounterDoc>> {
  const out = new Map<string, CounterDoc>();
  if (!ranges.length) return out;
  const sorted = [...ranges].sort((a, b) => a[0].localeCompare(b[0]));
  // Overlapping or adjacent ranges read as one.
  const merged: Array<[string, string]> = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= nextDay(last[1])) last[1] = to > last[1] ? to : last[1];
    else merged.push([from, to]);
  }
  const dayFilter = merged.map(([from, to]) => ({ day: { $gte: from, $lte: to } }));
  const filter = dayFilter.length === 1 ? { scope, ...dayFilter[0] } : { scope, $or: dayFilter };
  // All in one batch: a period is at most a few hundred documents.
  for (const doc of await countersCollection(conn).find(filter, { batchSize: 10_000 }).toArray()) out.set(doc.day, doc);
  return out;
}

const nextDay = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The sum of some stored counter documents as dotted counts (the same as summing their
 * `flatten`ed counts), added up in their nested form: a dashboard sums thousands of fields.
 * `only` limits the sum to some top-level fields (dimensions).
 */
export function sumDocs(docs: Iterable<Record<string, unknown>>, only?: readonly string[]): Counts {
  const top = new Map<string, number>();
  const nested = new Map<string, Map<string, number>>();
  for (const doc of docs) {
    for (const k of only ?? Object.keys(doc)) {
      if (k === '_id' || k === 'scope' || k === 'day') continue;
      const v = doc[k];
      if (typeof v === 'number') top.set(k, (top.get(k) ?? 0) + v);
      else if (v && typeof v === 'object') {
        let sums = nested.get(k);
        if (!sums) nested.set(k, (sums = new Map()));
        for (const kk in v) {
          const n = (v as Record<string, unknown>)[kk];
          if (typeof n === 'number') sums.set(kk, (sums.get(kk) ?? 0) + n);
        }
      }
    }
  }
  const out: Counts = Object.fromEntries(top);
  for (const [k, sums] of nested) for (const [kk, n] of sums) out[`${k}.${kk}`] = n;
  return out;
}

/** Flattens a stored counter document back to dotted counts. */
export function flatten(doc: Record<string, unknown>): Counts {
  const out: Counts = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === '_id' || k === 'scope' || k === 'day') continue;
    if (typeof v === 'number') out[k] = v;
    else if (v && typeof v === 'object') for (const [kk, n] of Object.entries(v)) if (typeof n === 'number') out[`${k}.${kk}`] = n;
  }
  return out;
}
