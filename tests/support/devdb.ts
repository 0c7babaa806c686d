/**
 * The embedded database's engine module (scripts/devdb/engine.mjs) for suites that start a
 * database of their own to break it. Jest runs suites as CommonJS in a VM context without a
 * dynamic-import hook, so the ES module is imported through Node's own loader.
 */
import path from 'node:path';
import vm from 'node:vm';
import { pathToFileURL } from 'node:url';

export interface PostgresHandle {
  url: string;
  port: number;
  pid: number;
  stop(): Promise<void>;
  kill(): Promise<void>;
}

export interface Engine {
  uri: string;
  postgres: PostgresHandle;
  ferret: { uri: string; pid: number; stop(): Promise<void> };
  binary: string;
  stop(): Promise<void>;
}

export interface EngineModule {
  startEngine(opts: { dir: string; fresh?: boolean; fastCommit?: boolean; log?: (msg: string) => void; logDir?: string }): Promise<Engine>;
  startPostgres(opts: { dir: string; port: number; fastCommit?: boolean; logFile?: string }): Promise<PostgresHandle>;
  startFerretdb(opts: { binary: string; postgresUrl: string; port: number; stateDir: string; logFile?: string }): Promise<Engine['ferret']>;
}

const ENGINE = pathToFileURL(path.resolve(__dirname, '../../scripts/devdb/engine.mjs')).href;

export function loadEngine(): Promise<EngineModule> {
  const script = new vm.Script('(specifier) => import(specifier)', {
    importModuleDynamically: (vm.constants as unknown as { USE_MAIN_CONTEXT_DEFAULT_LOADER: never }).USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const importModule = script.runInThisContext() as (specifier: string) => Promise<EngineModule>;
  return importModule(ENGINE);
}
