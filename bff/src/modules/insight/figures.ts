/**
 * Pure arithmetic over counter documents: sums, percentiles from day histograms, and the
 * hotspot rule. Kept apart from I/O so the same code serves the counters and the tests.
 */
import { decodeKey, type Counts } from './counters';

export function sumCounts(docs: Counts[]): Counts {
  const out: Counts = {};
  for (const d of docs) for (const [k, n] of Object.entries(d)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** The values of one dimension (`st`, `cat`, ...) as decoded key -> count, zeros dropped. */
export function dimension(counts: Counts, dim: string): Map<string, number> {
  return dimensions(counts).get(dim) ?? new Map();
}

/** Every dimension at once (one pass over the counts): dimension -> decoded key -> count, zeros dropped. */
export function dimensions(counts: Counts): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const field in counts) {
    const n = counts[field];
    const dot = field.indexOf('.');
    if (dot < 0 || !(n > 0)) continue;
    const dim = field.slice(0, dot);
    let values = out.get(dim);
    if (!values) out.set(dim, (values = new Map()));
    values.set(decodeKey(field.slice(dot + 1)), n);
  }
  return out;
}

/**
 * Nearest-rank percentile of a histogram of whole days: the smallest day count such that at
 * least `q` of the cases took no longer. Null for no cases.
 */
export function percentile(histogram: Map<string, number>, q: number): number | null {
  const entries = [...histogram].map(([k, n]) => [Number(k), n] as const).sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((s, [, n]) => s + n, 0);
  if (!total) return null;
  const rank = Math.max(1, Math.ceil(q * total));
  let seen = 0;
  for (const [days, n] of entries) {
    seen += n;
    if (seen >= rank) return days;
  }
  return entries[entries.length - 1][0];
}

/** P(X >= k) for X ~ Poisson(lambda). */
export function poissonTail(k: number, lambda: number): number {
  if (k <= 0) return 1;
  let term = Math.exp(-lambda);
  let below = term;
  for (let i = 1; i < k; i++) {
    term *= lambda / i;
    below += term;
  }
  return Math.max(0, 1 - below);
}

export const HOTSPOT_RULE = {
  recentDays: 7,
  baselineWeeks: 8,
  /** Too few cases to call anything a concentration. */
  minRecent: 5,
  /** At least this many times the usual weekly level... */
  minRatio: 1.5,
  /** ...and this unlikely under the usual level (a Poisson count). */
  maxProbability: 0.001,
  /** A key never seen before still has a small usual level, so one new business is not a spike by itself. */
  floorPerWeek: 0.5,
} as const;

/**
 * Whether a count in the last 7 days clearly exceeds its own usual level: at least 5 cases, at
 * least 1.5 times the weekly mean of the 8 weeks before, and less than a 0.1% chance under a
 * Poisson count at that mean. The probability test keeps small numbers from flagging noise
 * (2 after 0 is not a spike); the ratio keeps large steady flows from flagging small drifts.
 */
export function isHotspot(recent: number, baselineTotal: number, rule = HOTSPOT_RULE): { hot: boolean; usual: number } {
  const usual = baselineTotal / rule.baselineWeeks;
  const lambda = Math.max(usual, rule.floorPerWeek);
  const hot = recent >= rule.minRecent && recent >= rule.minRatio * usual && poissonTail(recent, lambda) < rule.maxProbability;
  return { hot, usual: Math.round(usual * 100) / 100 };
}
