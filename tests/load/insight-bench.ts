/**
 * The dashboard with many cases: seeds `count` generated cases (see bff/src/seed/cases.ts) into
 * a database of its own, builds the counters, then times GET /admin/stats for a handler, a
 * province supervisor and an admin over 30 and 180 days, against the same figures computed from
 * the cases, then the staff queue (first page with a status filter, sorted and counted) for them.
 * Usage: tsx tests/load/insight-bench.ts <count> [--existing]; with
 * --existing the database's cases are read as they are (seeded before, e.g. by `npm run seed`) and
 * none added. BENCH_POSTGRES_URL, when set, names the embedded database's PostgreSQL, which is
 * analysed after seeding, as the scripts do after a bulk seed.
 */
import type { AddressInfo } from 'node:net';
import mongoose from 'mongoose';
import { loadConfig } from '../../config/bff';
import { createApp } from '../../bff/src/app';
import { closeDeps, createDeps, syncIndexes } from '../../bff/src/context';
import { createLogger } from '../../bff/src/logger';
import { seed } from '../../bff/src/seed';
import { insertCases } from '../../bff/src/seed/cases';
import { directFigures } from '../../bff/src/modules/insight/direct';
import { resolveScope } from '../../bff/src/modules/insight/insight.service';
import { beijingDate } from '../../shared/calendar/working-days';

const DIRECT = process.env.BENCH_INSIGHT_DIRECT === '1';
const say = (line: string) => process.stdout.write(`${line}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const shift = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

async function main() {
  const count = Number(process.argv[2]);
  const existing = process.argv.includes('--existing');
  if (!Number.isInteger(count) || count < 1) throw new Error('usage: insight-bench.ts <count> [--existing]');
  const config = loadConfig();
  const password = config.demoStaffPassword!;
  const deps = await createDeps(config, createLogger({ level: 'warn' }));
  const server = createApp(deps).listen(0, '127.0.0.1');
  try {
    await syncIndexes(deps);
    await seed(deps, { staffPassword: password });
    let t = Date.now();
    if (!existing) {
      const inserted = await insertCases(deps, { count, days: 180, seed: 20261122, onProgress: (done, total) => done % 20_000 === 0 && say(`  ${done}/${total} cases`) });
      say(`seeded ${inserted.cases} cases in ${((Date.now() - t) / 1000).toFixed(1)} s`);
      const c = inserted.counters!;
      say(`of which the counters, summed from the generated cases: ${c.seconds.toFixed(1)} s, ${c.documents} documents over ${c.days} days`);
    }
    if (process.env.BENCH_POSTGRES_URL) {
      t = Date.now();
      const engine = '../../scripts/devdb/engine.mjs';
      const { psql } = (await import(engine)) as { psql: (postgresUrl: string, sql: string) => string };
      psql(process.env.BENCH_POSTGRES_URL, 'ANALYZE');
      say(`ANALYZE: ${((Date.now() - t) / 1000).toFixed(1)} s`);
    }

    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    const login = async (username: string) => {
      const res = await fetch(`${base}/admin/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
      if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
      return { cookie: res.headers.get('set-cookie')!.split(';')[0], staff: ((await res.json()) as { staff: { role: string; regionPrefix: string; username: string } }).staff };
    };
    const today = beijingDate(new Date());
    const rows: string[] = [];
    for (const username of ['demo', 'beijing', 'admin']) {
      const { cookie, staff } = await login(username);
      for (const days of [30, 180]) {
        const from = shift(today, 1 - days);
        const times: number[] = [];
        let body: { totals: { received: number }; source: { documents: number } } | undefined;
        for (let i = 0; i < 5; i++) {
          t = performance.now();
          const res = await fetch(`${base}/admin/stats?from=${from}&to=${today}`, { headers: { cookie } });
          body = (await res.json()) as typeof body;
          if (!res.ok) throw new Error(`stats ${username}: ${res.status} ${JSON.stringify(body)}`);
          times.push(performance.now() - t);
        }
        const scope = await resolveScope(deps, { ...staff, bureauCode: '110105', staffId: '', csrf: '' } as never);
        t = performance.now();
        // Every figure computed from the cases takes minutes at 100,000 (BENCH_INSIGHT_DIRECT=1 does
        // it anyway); otherwise the total is checked against an indexed count of the cases.
        const received = DIRECT
          ? (await directFigures(deps, scope, from, today)).totals.received
          : await deps.models.Case.countDocuments({
              receivedAt: mongoose.trusted({ $gte: new Date(`${from}T00:00:00+08:00`), $lt: new Date(Date.parse(`${today}T00:00:00+08:00`) + 86_400_000) }),
              ...(scope.level === 'bureau'
                ? { bureauCode: scope.key.slice(2) }
                : scope.region
                  ? { bureauCode: mongoose.trusted({ $in: (await deps.models.Bureau.find({ regionCode: mongoose.trusted({ $regex: `^${scope.region}` }) }, { code: 1 }).lean()).map((b) => b.code) }) }
                  : {}),
            });
        const directMs = performance.now() - t;
        if (received !== body!.totals.received) throw new Error(`${username} ${days} days: counters ${body!.totals.received}, cases ${received}`);
        rows.push(
          `${`${username} (${scope.label})`.padEnd(28)} ${String(days).padStart(4)} d ${String(body!.totals.received).padStart(8)} ${String(body!.source.documents).padStart(6)} ${median(times).toFixed(1).padStart(10)} ${directMs.toFixed(0).padStart(12)}`,
        );
      }
    }
    say(`\nviewer                       period  cases   docs  counters ms  ${DIRECT ? 'from cases ms' : ' count ms'}`);
    for (const r of rows) say(r);

    // The staff queue on the same cases: the first page with a status filter, sorted and counted.
    const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)];
    say('\nqueue, first page (20), sorted by receipt, counted   matches    p50 ms    p95 ms');
    for (const username of ['demo', 'beijing', 'admin']) {
      const { cookie } = await login(username);
      for (const filter of ['status=submitted', 'status=accepted', 'overdue=true', '']) {
        const times: number[] = [];
        let total = 0;
        for (let i = 0; i < 20; i++) {
          t = performance.now();
          const res = await fetch(`${base}/admin/cases?${filter}`, { headers: { cookie } });
          const body = (await res.json()) as { total: number; items: unknown[] };
          if (!res.ok) throw new Error(`queue ${username} ${filter}: ${res.status}`);
          times.push(performance.now() - t);
          total = body.total;
        }
        say(`${`${username} ${filter || '(no filter)'}`.padEnd(50)} ${String(total).padStart(8)} ${pct(times, 0.5).toFixed(1).padStart(9)} ${pct(times, 0.95).toFixed(1).padStart(9)}`);
      }
    }
  } finally {
    server.close();
    await closeDeps(deps);
  }
  say('DONE');
}

main().catch((err) => {
  process.stderr.write(`insight bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
