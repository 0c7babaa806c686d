/** The dashboard: figures for a period and region read from the per-day counters, and hotspots. */
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { StaffSession } from '../staff/staff.service';
import { requireRole } from '../staff/access';
import * as audit from '../audit/audit.service';
import { findRegion } from '../regions/regions.service';
import { CATEGORY_TREE, PROBLEM_TYPE_TREE, findNode } from '../../../../shared/complaint/categories';
import { CHANNEL_LABELS, type Channel } from '../../../../shared/complaint/intake';
import { COMPLAINT_STATUSES, FINAL_STATUSES, STATUS_LABELS, type ComplaintStatus } from '../../../../shared/complaint/status';
import { beijingDate } from '../../../../shared/calendar/working-days';
import type { HotspotView, InsightQuery, InsightView } from '../../../../shared/api/insight';
import { readDays, respondentNames, sumDocs, type CounterDoc, type Counts } from './counters';
import { dimension, dimensions, HOTSPOT_RULE, isHotspot, percentile } from './figures';

export interface InsightScope {
  /** The counter documents' scope key: `b:<bureau>` or `r:<region prefix>`. */
  key: string;
  region: string;
  level: InsightView['scope']['level'];
  label: string;
}

const OUT_OF_SCOPE = () => new AppError(403, 'REGION_OUT_OF_SCOPE', '所选地区不在您的管辖范围内');
const LEVELS = { 0: 'all', 2: 'province', 4: 'city', 6: 'county' } as const;

/** Which counters a staff member reads: a handler their bureau's, others their region or a part of it. */
export async function resolveScope(deps: Deps, staff: StaffSession, region?: string): Promise<InsightScope> {
  if (staff.role === 'handler') {
    if (region !== undefined) throw OUT_OF_SCOPE();
    const bureau = await deps.models.Bureau.findOne({ code: staff.bureauCode }, { name: 1, regionCode: 1 }).lean();
    return { key: `b:${staff.bureauCode}`, region: bureau?.regionCode ?? '', level: 'bureau', label: bureau?.name ?? staff.bureauCode };
  }
  const own = staff.role === 'admin' ? '' : staff.regionPrefix;
  const chosen = region ?? own;
  if (!chosen.startsWith(own)) throw OUT_OF_SCOPE();
  const level = LEVELS[chosen.length as keyof typeof LEVELS];
  if (!level) throw new AppError(400, 'REGION_INVALID', '地区应为省、市或区县');
  return { key: `r:${chosen}`, region: chosen, level, label: chosen ? findRegion(chosen)?.fullName ?? chosen : '全国' };
}

export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

const shiftDay = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** The counter documents of one scope for some ranges of days (inclusive), by day, in one indexed query. */
const loadDays = (deps: Deps, scopeKey: string, ranges: Array<[string, string]>): Promise<Map<string, CounterDoc>> => readDays(deps.conn, scopeKey, ranges);

/** The days the hotspot rule looks at, up to `today`: the recent week and the weeks before it. */
function hotspotDays(today: string) {
  return {
    recent: daysBetween(shiftDay(today, 1 - HOTSPOT_RULE.recentDays), today),
    base: daysBetween(shiftDay(today, 1 - HOTSPOT_RULE.recentDays - 7 * HOTSPOT_RULE.baselineWeeks), shiftDay(today, -HOTSPOT_RULE.recentDays)),
  };
}
const hotspotRange = (today: string): [string, string] => [shiftDay(today, 1 - HOTSPOT_RULE.recentDays - 7 * HOTSPOT_RULE.baselineWeeks), today];

/** The order of `localeCompare`, from one collator made once (thousands of keys are sorted per read). */
const keyOrder = new Intl.Collator();
const byCount = (a: { count: number; key: string }, b: { count: number; key: string }) => b.count - a.count || keyOrder.compare(a.key, b.key);

function buckets(values: Map<string, number>, label: (key: string) => string, limit?: number) {
  let entries = [...values];
  if (limit && entries.length > limit) {
    // Only the entries that can make the first `limit` are sorted (a national period has thousands of respondents).
    const threshold = entries.map(([, count]) => count).sort((a, b) => b - a)[limit - 1];
    entries = entries.filter(([, count]) => count >= threshold);
  }
  const out = entries.map(([key, count]) => ({ key, count })).sort(byCount);
  return (limit ? out.slice(0, limit) : out).map(({ key, count }) => ({ key, label: label(key), count }));
}

const categoryLabel = (code: string) => findNode(CATEGORY_TREE, code)?.name ?? (code === 'none' ? '未填写' : code);
const problemLabel = (code: string) => findNode(PROBLEM_TYPE_TREE, code)?.name ?? (code === 'none' ? '未填写' : code);
const channelLabel = (code: string) => CHANNEL_LABELS[code as Channel] ?? (code === 'none' ? '未填写' : code);
const countyLabel = (code: string) => findRegion(code)?.fullName ?? code;

const TOP_RESPONDENTS = 10;
/** The respondents with the most cases, by hash, for their names to be looked up. */
export const topRespondentKeys = (counts: Counts) => buckets(dimension(counts, 'resp'), String, TOP_RESPONDENTS).map((b) => b.key);

/**
 * The figures of a period from summed counters and the daily series; `names` has the names of at
 * least the top respondents (topRespondentKeys).
 */
export function figuresFrom(counts: Counts, perDay: Array<{ day: string; count: number }>, names: Record<string, string>) {
  const received = counts.n ?? 0;
  const dims = dimensions(counts);
  const dimension = (dim: string) => dims.get(dim) ?? new Map<string, number>();
  const types = dimension('type');
  const statuses = dimension('st');
  const open = [...statuses].filter(([s]) => !FINAL_STATUSES.includes(s as ComplaintStatus)).reduce((s, [, n]) => s + n, 0);
  const late = counts.late ?? 0;
  const agreed = counts['med.agreed'] ?? 0;
  const ended = counts['med.ended'] ?? 0;
  const decisions = dimension('dec');
  const closures = dimension('cls');
  const total = (m: Map<string, number>) => [...m.values()].reduce((s, n) => s + n, 0);
  const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : null);
  return {
    totals: {
      received,
      complaints: types.get('complaint') ?? 0,
      reports: types.get('report') ?? 0,
      open,
      overdueNow: counts.overdueNow ?? 0,
      late,
      overdueRate: ratio(late, received),
    },
    perDay,
    byStatus: COMPLAINT_STATUSES.filter((s) => statuses.has(s)).map((s) => ({ key: s, label: STATUS_LABELS[s], count: statuses.get(s)! })),
    byCategory: buckets(dimension('cat'), categoryLabel),
    byProblemType: buckets(dimension('pt'), problemLabel),
    byChannel: buckets(dimension('ch'), channelLabel),
    byCounty: buckets(dimension('cty'), countyLabel),
    toDecision: { count: total(decisions), median: percentile(decisions, 0.5), p90: percentile(decisions, 0.9) },
    toClosure: { count: total(closures), median: percentile(closures, 0.5), p90: percentile(closures, 0.9) },
    mediation: { agreed, ended, successRate: ratio(agreed, agreed + ended) },
    topRespondents: buckets(dimension('resp'), (k) => names[k] ?? '（未知）', TOP_RESPONDENTS),
  };
}

const markSchema = new Schema(
  { _id: String, by: { type: String, required: true }, at: { type: Date, required: true }, recent: { type: Number, required: true } },
  { versionKey: false, collection: 'hotspot_marks' },
);
// A mark is read only within its 7-day window; the database deletes it a day after that.
markSchema.index({ at: 1 }, { expireAfterSeconds: 8 * 86_400 });
export const hotspotMarkModel = (conn: Connection): Model<{ _id: string; by: string; at: Date; recent: number }> =>
  conn.models.HotspotMark ?? conn.model('HotspotMark', markSchema);
const markId = (scopeKey: string, kind: string, key: string) => `${scopeKey}|${kind}|${key}`;
/** A mark covers the 7-day window it was made in; a spike that lasts longer is raised again. */
const MARK_VALID_MS = HOTSPOT_RULE.recentDays * 86_400_000;

/**
 * Respondents and categories whose last 7 days clearly exceed their usual level (see isHotspot).
 * `loaded` has the scope's documents of at least the days the rule looks at, when already read;
 * `alsoNamed` are more respondents whose names the caller needs, read in the same query and
 * returned in `names`.
 */
export async function hotspots(
  deps: Deps,
  scope: InsightScope,
  today: string,
  loaded?: Map<string, CounterDoc>,
  alsoNamed: string[] = [],
): Promise<{ hotspots: HotspotView[]; names: Record<string, string> }> {
  const { recent: recentDays, base: baseDays } = hotspotDays(today);
  const docs = loaded ?? (await loadDays(deps, scope.key, [hotspotRange(today)]));
  const pick = (days: string[]) => days.map((d) => docs.get(d)).filter((d): d is CounterDoc => !!d);
  const recent = sumDocs(pick(recentDays), ['resp', 'cat']);
  const base = sumDocs(pick(baseDays), ['resp', 'cat']);
  const found: Array<Omit<HotspotView, 'seen'>> = [];
  for (const [kind, dim] of [
    ['respondent', 'resp'],
    ['category', 'cat'],
  ] as const) {
    const baseline = dimension(base, dim);
    for (const [key, count] of dimension(recent, dim)) {
      // Cases without a category (reports may leave it out) are no concentration of anything.
      if (key === 'none') continue;
      const { hot, usual } = isHotspot(count, baseline.get(key) ?? 0);
      if (hot) found.push({ kind, key, label: kind === 'category' ? categoryLabel(key) : key, recent: count, usual });
    }
  }
  const names = await respondentNames(deps.conn, [...alsoNamed, ...found.filter((h) => h.kind === 'respondent').map((h) => h.key)]);
  for (const h of found) if (h.kind === 'respondent') h.label = names[h.key] ?? '（未知）';
  found.sort((a, b) => b.recent / Math.max(b.usual, 0.5) - a.recent / Math.max(a.usual, 0.5));
  if (!found.length) return { hotspots: [], names };
  const ids = found.map((h) => markId(scope.key, h.kind, h.key));
  const marks = new Map((await hotspotMarkModel(deps.conn).find({ _id: mongoose.trusted({ $in: ids }) }).lean()).map((m) => [m._id, m]));
  const now = Date.now();
  const views = found.map((h, i) => {
    const m = marks.get(ids[i]);
    return { ...h, seen: m && now - m.at.getTime() < MARK_VALID_MS ? { by: m.by, at: m.at.toISOString() } : null };
  });
  return { hotspots: views, names };
}

export async function insight(deps: Deps, staff: StaffSession, query: InsightQuery): Promise<InsightView> {
  const started = performance.now();
  const scope = await resolveScope(deps, staff, query.region);
  const today = beijingDate(new Date());
  const days = daysBetween(query.from, query.to);
  // The period and the hotspot rule's weeks, in one read.
  const loaded = await loadDays(deps, scope.key, [[query.from, query.to], hotspotRange(today)]);
  const inPeriod = days.map((d) => loaded.get(d)).filter((d): d is CounterDoc => !!d);
  const counts = sumDocs(inPeriod);
  const perDay = days.map((day) => ({ day, count: (loaded.get(day)?.n as number | undefined) ?? 0 }));
  // The names of the top respondents and of the hotspots, in one read.
  const hot = await hotspots(deps, scope, today, loaded, topRespondentKeys(counts));
  return {
    scope: { region: scope.region, label: scope.label, level: scope.level },
    period: { from: query.from, to: query.to },
    ...figuresFrom(counts, perDay, hot.names),
    hotspots: hot.hotspots,
    source: { documents: loaded.size, ms: Math.round((performance.now() - started) * 10) / 10 },
  };
}

/** A supervisor marks a hotspot of their view as seen; recorded in the audit log. */
export async function markHotspotSeen(deps: Deps, staff: StaffSession, body: { kind: 'respondent' | 'category'; key: string; region?: string }) {
  requireRole(staff, ['supervisor']);
  const scope = await resolveScope(deps, staff, body.region);
  const today = beijingDate(new Date());
  const current = (await hotspots(deps, scope, today)).hotspots.find((h) => h.kind === body.kind && h.key === body.key);
  if (!current) throw new AppError(404, 'HOTSPOT_NOT_FOUND', '该热点已不存在，请刷新');
  const at = new Date();
  await hotspotMarkModel(deps.conn).updateOne(
    { _id: markId(scope.key, body.kind, body.key) },
    { $set: { by: staff.username, at, recent: current.recent } },
    { upsert: true },
  );
  await audit.record(deps, staff, { action: 'hotspot_seen', target: `${body.kind}:${current.label}`, detail: `${scope.label} 近7日 ${current.recent} 件，常态每周 ${current.usual} 件` });
  return { ...current, seen: { by: staff.username, at: at.toISOString() } };
}

