/** `tsx bff/src/seed-cli.ts`: creates indexes and seeds the demo bureau, staff account and categories. */
import { loadConfig } from '../../config/bff';
import { createLogger } from './logger';
import { closeDeps, createDeps, syncIndexes } from './context';
import { seed } from './seed';

async function main() {
  const config = loadConfig();
  if (!config.demoStaffPassword) throw new Error('DEMO_STAFF_PASSWORD is required to seed the demo staff account');
  const deps = await createDeps(config, createLogger({ level: 'warn', name: 'seed' }));
  try {
    await syncIndexes(deps);
    await seed(deps, { staffPassword: config.demoStaffPassword });
  } finally {
    await closeDeps(deps);
  }
  process.stdout.write('READY seeded\n');
}

main().catch((err) => {
  process.stderr.write(`seed failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
