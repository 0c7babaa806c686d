// `npm run seed [-- --cases N --days D --seed S]`: seeds the stack `npm start` is running (found
// through .run/endpoints.json), or the database and Redis that MONGODB_URI and REDIS_URL name.
// --cases adds N generated cases; running it again adds N more (numbers continue from the
// intake's counters, consumers of the same --seed are reused). On the stack's embedded database
// it then runs ANALYZE, so the planner knows the new rows.
import fs from 'node:fs';
import path from 'node:path';
import { ROOT, RUN_DIR, analyze, ensureSandboxKeys, log, run, stackEnv } from './lib/stack.mjs';

// The seed's demo accounts share one known password; the development settings below would hide a
// production caller's NODE_ENV, so it is checked here first (the seed itself refuses production too).
if (process.env.NODE_ENV === 'production') {
  process.stderr.write('npm run seed adds demo accounts with a known password: it refuses NODE_ENV=production\n');
  process.exit(1);
}

const file = path.join(RUN_DIR, 'endpoints.json');
const endpoints = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
const mongodbUri = process.env.MONGODB_URI ?? endpoints.mongodbUri;
const redisUrl = process.env.REDIS_URL ?? endpoints.redisUrl;
if (!mongodbUri || !redisUrl) {
  process.stderr.write('nothing to seed: start the stack with `npm start` first, or set MONGODB_URI and REDIS_URL\n');
  process.exit(1);
}
log(`seeding ${mongodbUri}`);
const env = {
  ...process.env,
  ...stackEnv({ mongodbUri, redisUrl, keys: ensureSandboxKeys() }),
  DEMO_STAFF_PASSWORD: process.env.DEMO_STAFF_PASSWORD ?? endpoints.demo?.staff?.password ?? 'demo-12315',
  LOG_LEVEL: 'warn',
};
const status = run(path.join(ROOT, 'node_modules/.bin/tsx'), ['bff/src/seed-cli.ts', ...process.argv.slice(2)], { env });
// The stack's embedded database (its PostgreSQL named in endpoints.json) gets fresh planner statistics.
if (status === 0 && endpoints.postgresUrl && mongodbUri === endpoints.mongodbUri) await analyze(endpoints.postgresUrl);
process.exit(status);
