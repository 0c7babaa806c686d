/**
 * Per-day counters for the dashboard. Each case contributes a set of counts (received, by
 * status, category, problem type, channel, county, respondent, working days to decision and to
 * closure, mediation outcome, lateness) to one document per scope and day of receipt: its
 * bureau and every level of the bureau's region (all, province, city, county). A change of the
 * case moves the difference between its contribution before and after with one single-document
 * `$inc` per scope document, addressed by `_id` alone; a dashboard then reads one document per
 * day instead of scanning cases. `rebuildStats` recomputes everything from the cases.
 *
 * Each day's documents live in a collection of their own (`insight_YYYYMMDD`, `_id` = scope),
 * so every read and write names one document by `_id` alone: the one filter the embedded
 * FerretDB answers from an index (an `$in` over `_id`s reads the whole collection there), and a
 * form real MongoDB answers at once too. Old days can be dropped as whole collections.
 */
import { createHash } from 'node:crypto';
import type { Connection } from 'mongoose';
import type { Collection } from 'mongodb';
import type { Deps } from '../../context';
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

export const DAY_COLLECTION_PREFIX = 'insight_';
const NAMES_COLLECTION = 'insight_respondents';
const dayCollectionName = (day: string) => DAY_COLLECTION_PREFIX + day.replaceAll('-', '');

/** Respondent names by the hash the counters use (`respondentKey`). */
const namesCollection = (conn: Connection) => conn.db!.collection<{ _id: string; name: string }>(NAMES_COLLECTION);

/** The names of some respondents, by hash; each read by `_id`. */
export async function respondentNames(conn: Connection, keys: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  await Promise.all(
    [...new Set(keys)].map(async (key) => {
      const doc = await namesCollection(conn).findOne({ _id: key });
      if (doc) out[key] = doc.name;
    }),
  );
  return out;
}

/** The collection of one day's counter documents, keyed by scope. */
export function dayCollection(conn: Connection, day: string) {
  // Counter documents have open-ended fields (one per dimension value).
  return conn.db!.collection<{ _id: string; [field: string]: any }>(dayCollectionName(day));
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
      const id = `${key}|${side.day}`;
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

async function side(deps: Deps, c: CaseFacts | null) {
  if (!c) return null;
  const region = await regionOf(deps, c.bureauCode);
  const counts = contribution(c);
  counts[`cty.${encodeKey(region || 'none')}`] = 1;
  return { keys: scopeKeys(c.bureauCode, region), day: beijingDate(c.receivedAt), counts };
}

/**
 * Moves a case's counts after a change (`before` null for a new case). Runs after the case's own
 * update has succeeded; a failure here is logged and leaves the dashboard off until the next
 * `rebuildStats`, never the case itself.
 */
export async function recordCaseChange(deps: Deps, before: CaseFacts | null, after: CaseFacts | null): Promise<void> {
  try {
    const changes = changeSet(await side(deps, before), await side(deps, after));
    if (!changes.size) return;
    const byDay = new Map<string, Array<[string, Counts]>>();
    for (const [id, inc] of changes) {
      const [scope, day] = id.split('|');
      byDay.set(day, [...(byDay.get(day) ?? []), [scope, inc]]);
    }
    for (const [day, updates] of byDay) {
      await dayCollection(deps.conn, day).bulkWrite(
        updates.map(([scope, $inc]) => ({ updateOne: { filter: { _id: scope }, update: { $inc }, upsert: true } })),
        { ordered: false },
      );
    }
    // A respondent's name is kept once, apart from the counts that name it by a hash.
    if (!before && after) {
      await namesCollection(deps.conn).updateOne({ _id: respondentKey(after.respondent) }, { $set: { name: after.respondent.name } }, { upsert: true });
    }
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
 * Recomputes every counter from the cases (after a bulk load, or to repair counters after a
 * failed update). Meant for a quiet moment: changes made while it runs may be counted twice or
 * not at all until the next rebuild.
 */
export async function rebuildStats(deps: Deps): Promise<{ cases: number; documents: number; days: number; ms: number }> {
  const started = Date.now();
  // day -> scope -> counts
  const days = new Map<string, Map<string, Counts>>();
  const names = new Map<string, string>();
  let cases = 0;
  const cursor = deps.models.Case.find({}, CASE_FACTS_PROJECTION).lean<CaseFacts[]>().cursor({ batchSize: 1000 });
  for await (const c of cursor) {
    cases += 1;
    const s = (await side(deps, c))!;
    names.set(respondentKey(c.respondent), c.respondent.name);
    let docs = days.get(s.day);
    if (!docs) days.set(s.day, (docs = new Map()));
    for (const key of s.keys) {
      let counts = docs.get(key);
      if (!counts) docs.set(key, (counts = {}));
      for (const [field, n] of Object.entries(s.counts)) counts[field] = (counts[field] ?? 0) + n;
    }
  }
  await dropDayCollections(deps.conn);
  // Small batches: the embedded FerretDB stalls on large write commands.
  const insertAll = async <T extends { _id: string }>(coll: Collection<T>, all: T[]) => {
    for (let i = 0; i < all.length; i += 50) await coll.insertMany(all.slice(i, i + 50) as never[], { ordered: false });
  };
  let documents = 0;
  for (const [day, docs] of days) {
    const all = [...docs].map(([scope, counts]) => ({ _id: scope, ...nest(counts) }));
    documents += all.length;
    await insertAll(dayCollection(deps.conn, day), all);
  }
  await insertAll(namesCollection(deps.conn), [...names].map(([_id, name]) => ({ _id, name })));
  return { cases, documents, days: days.size, ms: Date.now() - started };
}

/** Drops every counter collection: the days and the respondent names (a rebuild writes both anew). */
async function dropDayCollections(conn: Connection): Promise<void> {
  const names = await conn.db!.listCollections({}, { nameOnly: true }).toArray();
  for (const { name } of names) if (name.startsWith(DAY_COLLECTION_PREFIX)) await conn.db!.dropCollection(name);
}

/** The stored counter documents of one scope for the given days, each read by `_id`. */
export async function readDays(conn: Connection, scope: string, days: string[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  const queue = [...days];
  const worker = async () => {
    for (let day = queue.shift(); day !== undefined; day = queue.shift()) {
      const doc = await dayCollection(conn, day).findOne({ _id: scope });
      if (doc) out.set(day, doc);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, days.length) }, worker));
  return out;
}

/** Flattens a stored counter document back to dotted counts. */
export function flatten(doc: Record<string, unknown>): Counts {
  const out: Counts = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === '_id') continue;
    if (typeof v === 'number') out[k] = v;
    else if (v && typeof v === 'object') for (const [kk, n] of Object.entries(v)) if (typeof n === 'number') out[`${k}.${kk}`] = n;
  }
  return out;
}
