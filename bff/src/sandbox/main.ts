/** The sandbox process for `npm start` and the browser tests: prints the stand-ins' URLs as one JSON line. */
import { loadSandboxConfig } from '../../../config/sandbox';
import { startSandbox } from './index';

async function main() {
  const sandbox = await startSandbox(loadSandboxConfig());
  process.stdout.write(`READY ${JSON.stringify(sandbox.urls)}\n`);
  const stop = async () => {
    await sandbox.close();
    process.exit(0);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err) => {
  process.stderr.write(`sandbox failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
