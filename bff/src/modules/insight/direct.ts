/**
 * The dashboard's figures computed from the cases themselves, as the counters replace: every
 * case of the scope and period read and counted. Used by the benchmark to show what the counters
 * save; the dashboard never calls it.
 */
import mongoose from 'mongoose';
import type { Deps } from '../../context';
import { beijingDate } from '../../../../shared/calendar/working-days';
import { CASE_FACTS_PROJECTION, contribution, encodeKey, nameOf, prefers, respondentKey, type CaseFacts, type Counts, type RespondentName } from './counters';
import { daysBetween, figuresFrom, type InsightScope } from './insight.service';

export async function directFigures(deps: Deps, scope: InsightScope, from: string, to: string) {
  const bureaus = await deps.models.Bureau.find({}, { code: 1, regionCode: 1 }).lean();
  const regionOf = new Map(bureaus.map((b) => [b.code, b.regionCode]));
  const inScope = scope.key.startsWith('b:')
    ? [scope.key.slice(2)]
    : bureaus.filter((b) => b.regionCode.startsWith(scope.region)).map((b) => b.code);
  const filter = {
    bureauCode: mongoose.trusted({ $in: inScope }),
    receivedAt: mongoose.trusted({ $gte: new Date(`${from}T00:00:00+08:00`), $lt: new Date(Date.parse(`${to}T00:00:00+08:00`) + 86_400_000) }),
  };
  const counts: Counts = {};
  const perDay = new Map<string, number>();
  const names = new Map<string, RespondentName>();
  const cursor = deps.models.Case.find(filter, CASE_FACTS_PROJECTION).lean<CaseFacts[]>().cursor({ batchSize: 1000 });
  for await (const c of cursor) {
    const contrib = contribution(c);
    contrib[`cty.${encodeKey(regionOf.get(c.bureauCode) || 'none')}`] = 1;
    for (const [k, n] of Object.entries(contrib)) counts[k] = (counts[k] ?? 0) + n;
    const day = beijingDate(c.receivedAt);
    perDay.set(day, (perDay.get(day) ?? 0) + 1);
    const key = respondentKey(c.respondent);
    if (prefers(nameOf(c), names.get(key))) names.set(key, nameOf(c));
  }
  const named = Object.fromEntries([...names].map(([key, n]) => [key, n.name]));
  return figuresFrom(counts, daysBetween(from, to).map((day) => ({ day, count: perDay.get(day) ?? 0 })), named);
}
