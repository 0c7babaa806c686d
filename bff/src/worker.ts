/** The worker process: outbox relay and push delivery, the deadline scanner and the retention job. */
import { loadConfig } from '../../config/bff';
import { createLogger } from './logger';
import { closeDeps, createDeps } from './context';
import { startPushWorker } from './jobs/push';
import { startDeadlineScanner } from './jobs/deadlines';
import { startRetentionJob } from './jobs/retention';
import { dropUnprovenLinks } from './modules/identity/linking.service';

async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, name: 'worker' });
  const deps = await createDeps(config, logger);
  await dropUnprovenLinks(deps);
  const push = startPushWorker(deps);
  const scanner = startDeadlineScanner(deps);
  const retention = startRetentionJob(deps);
  logger.info('worker started');
  process.stdout.write('READY worker\n');

  let closing = false;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    await push.close();
    await scanner.close();
    await retention.close();
    await closeDeps(deps);
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

main().catch((err) => {
  process.stderr.write(`worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
