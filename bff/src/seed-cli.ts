/**
 * `tsx bff/src/seed-cli.ts [--cases N] [--days D] [--seed S]`: creates indexes and seeds the demo
 * bureau, staff account and categories; with --cases it also adds N generated cases (see
 * seed/cases.ts) received over the last D days (180), reproducible with the same --seed.
 */
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/bff';
import { createLogger } from './logger';
import { closeDeps, createDeps, syncIndexes } from './context';
import { seed } from './seed';
import { insertCases } from './seed/cases';

function options() {
  const { values } = parseArgs({
    options: { cases: { type: 'string' }, days: { type: 'string' }, seed: { type: 'string' }, 'if-empty': { type: 'boolean' } },
  });
  const int = (name: string, value: string | undefined, min: number, max: number) => {
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}`);
    return n;
  };
  return {
    cases: int('cases', values.cases, 1, 5_000_000),
    // Demo start-ups: add the cases only to a database that has none yet.
    ifEmpty: values['if-empty'] ?? false,
    days: int('days', values.days, 1, 3650) ?? 180,
    // Without --seed each run differs; the seed used is printed so a run can be repeated.
    seed: int('seed', values.seed, 0, 2 ** 32 - 1) ?? Math.floor(Math.random() * 2 ** 32),
  };
}

const say = (line: string) => process.stdout.write(`${line}\n`);

async function main() {
  const opts = options();
  const config = loadConfig();
  if (config.production) throw new Error('the demo seed refuses to run when NODE_ENV=production');
  if (!config.demoStaffPassword) throw new Error('DEMO_STAFF_PASSWORD is required to seed the demo staff account');
  const deps = await createDeps(config, createLogger({ level: 'warn', name: 'seed' }));
  try {
    await syncIndexes(deps);
    await seed(deps, { staffPassword: config.demoStaffPassword });
    if (opts.cases && opts.ifEmpty && (await deps.models.Case.findOne({}, { _id: 1 }).lean())) {
      say('cases exist already: no demo cases added');
    } else if (opts.cases) {
      const started = Date.now();
      say(`adding ${opts.cases} cases over the last ${opts.days} days (--seed ${opts.seed})`);
      const r = await insertCases(deps, {
        count: opts.cases,
        days: opts.days,
        seed: opts.seed,
        onProgress: (done, total) => say(`  ${done}/${total} cases, ${((Date.now() - started) / 1000).toFixed(1)} s`),
      });
      say(`added ${r.cases} cases (${r.complaints} complaints, ${r.reports} reports) and ${r.consumers} consumers in ${r.seconds.toFixed(1)} s`);
      say(`  by status: ${Object.entries(r.byStatus).sort((a, b) => b[1] - a[1]).map(([s, n]) => `${s} ${n}`).join(', ')}`);
      if (r.counters) say(`  dashboard counters added: ${r.counters.documents} documents over ${r.counters.days} days in ${r.counters.seconds.toFixed(1)} s`);
      say(`  hotspots of the last 7 days: ${r.hotspots.respondent.name} (${r.hotspots.respondent.cases} cases), ${r.hotspots.category.categoryCode} / ${r.hotspots.category.problemTypeCode} (${r.hotspots.category.cases} cases)`);
    }
  } finally {
    await closeDeps(deps);
  }
  say('READY seeded');
}

main().catch((err) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
