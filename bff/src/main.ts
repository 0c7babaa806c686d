/** The BFF process: HTTP server with graceful shutdown. */
import { loadConfig } from '../../config/bff';
import { createLogger } from './logger';
import { closeDeps, createDeps, syncIndexes } from './context';
import { createApp } from './app';

async function main() {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel });
  const deps = await createDeps(config, logger);
  await syncIndexes(deps);
  const app = createApp(deps);
  const server = app.listen(config.port, config.host, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.port;
    logger.info({ port, sandbox: config.sandbox }, 'bff listening');
    // The start script reads this line to learn the port.
    process.stdout.write(`READY http://${config.host}:${port}\n`);
  });
  server.keepAliveTimeout = 65_000;

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000).unref();
    server.close(async () => {
      await closeDeps(deps);
      clearTimeout(force);
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`bff failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
