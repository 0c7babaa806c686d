/**
 * Per-day counters for the dashboard. Each case contributes a set of counts (received, by
 * status, category, problem type, channel, county, respondent, working days to decision and to
 * closure, mediation outcome, lateness) to one document per scope and day of receipt: its
 * bureau and every level of the bureau's region (all, province, city, county). A change of the
 * case moves the difference between its contribution before and after with one single-document
 * `$inc` per scope document, addressed by `_id` alone; a dashboard then reads one document per
 * day instead of scanning cases. `rebuildStats` recomputes everything from the cases.
 */
import { createHash } from 'node:crypto';
import { Schema, type Connection, type Model } from 'mongoose';
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

export const statsId = (scope: string, day: string) => `${scope}|${day}`;

const statsSchema = new Schema({ _id: String }, { strict: false, versionKey: false, collection: 'stats_days' });
export const statsModel = (conn: Connection): Model<Record<string, unknown>> =>
  (conn.models.StatsDay as Model<Record<string, unknown>>) ?? conn.model('StatsDay', statsSchema);

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

/** Per scope document, the counts to add so the counters go from `before` to `after`. */
export function changeSet(
  before: { keys: string[]; day: string; counts: Counts } | null,
  after: { keys: string[]; day: string; counts: Counts } | null,
): Map<string, Counts> {
  const out = new Map<string, Counts>();
  const apply = (side: { keys: string[]; day: string; counts: Counts }, sign: 1 | -1) => {
    for (const key of side.keys) {
      const id = statsId(key, side.day);
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
    const names = after ? { [`names.${encodeKey(respondentKey(after.respondent))}`]: after.respondent.name } : {};
    await statsModel(deps.conn).bulkWrite(
      [...changes].map(([id, $inc]) => ({
        updateOne: { filter: { _id: id }, update: { $inc, ...(after && $inc.n !== undefined ? { $set: names } : {}) }, upsert: true },
      })),
      { ordered: false },
    );
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
export async function rebuildStats(deps: Deps): Promise<{ cases: number; documents: number; ms: number }> {
  const started = Date.now();
  const docs = new Map<string, { counts: Counts; names: Record<string, string> }>();
  let cases = 0;
  const cursor = deps.models.Case.find({}, CASE_FACTS_PROJECTION).lean<CaseFacts[]>().cursor({ batchSize: 1000 });
  for await (const c of cursor) {
    cases += 1;
    const s = (await side(deps, c))!;
    const nameField = encodeKey(respondentKey(c.respondent));
    for (const key of s.keys) {
      const id = statsId(key, s.day);
      let entry = docs.get(id);
      if (!entry) docs.set(id, (entry = { counts: {}, names: {} }));
      for (const [field, n] of Object.entries(s.counts)) entry.counts[field] = (entry.counts[field] ?? 0) + n;
      entry.names[nameField] = c.respondent.name;
    }
  }
  const Stats = statsModel(deps.conn);
  await Stats.deleteMany({});
  const batch: Record<string, unknown>[] = [];
  const flush = async () => {
    if (batch.length) await Stats.collection.insertMany(batch.splice(0) as never[], { ordered: false });
  };
  for (const [id, { counts, names }] of docs) {
    batch.push({ _id: id, ...nest(counts), names });
    if (batch.length >= 50) await flush();
  }
  await flush();
  return { cases, documents: docs.size, ms: Date.now() - started };
}

/** Flattens a stored counter document back to dotted counts (names excluded). */
export function flatten(doc: Record<string, unknown>): Counts {
  const out: Counts = {};
  for (const [k, v] of Object.entries(doc)) {
    if (k === '_id' || k === 'names') continue;
    if (typeof v === 'number') out[k] = v;
    else if (v && typeof v === 'object') for (const [kk, n] of Object.entries(v)) if (typeof n === 'number') out[`${k}.${kk}`] = n;
  }
  return out;
}
