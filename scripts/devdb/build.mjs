// Builds and runs the embedded development database (FerretDB on SQLite, see main.go).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const { FERRETDB_MODULE, PATCHES } = await import(pathToFileURL(join(here, 'patches.mjs')).href);

// Stripped binary without the PostgreSQL backend: smaller and quicker to link; only SQLite is used.
const BUILD_ARGS = ['build', '-tags', 'ferretdb_no_postgresql', '-ldflags', '-s -w'];
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 20_000;
const STDERR_KEEP = 64 * 1024;

function run(cmd, args, options) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, output }));
  });
}

async function sourceHash() {
  const hash = createHash('sha256');
  const goFiles = (await readdir(here)).filter((name) => name.endsWith('.go')).sort();
  for (const name of ['go.mod', 'go.sum', ...goFiles]) {
    hash.update(`${name}\0`);
    hash.update(await readFile(join(here, name)));
  }
  hash.update(BUILD_ARGS.join('\0'));
  hash.update(JSON.stringify(PATCHES));
  return hash.digest('hex').slice(0, 12);
}

function cacheRoot() {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'consumer-12315');
}

/**
 * Copies FerretDB's module source out of the module cache, applies PATCHES to the copy, and
 * returns a go.mod (beside a copy of go.sum) that builds against it; the committed go.mod stays as it is.
 */
async function patchedModfile(folder, env) {
  const info = await run('go', ['mod', 'download', '-json', FERRETDB_MODULE], { cwd: here, env });
  if (info.code !== 0) throw new Error(`Fetching ${FERRETDB_MODULE} failed:\n${info.output}`);
  const { Dir: source, Version: version } = JSON.parse(info.output);
  const patched = join(folder, 'ferretdb-src');
  await rm(patched, { recursive: true, force: true });
  await cp(source, patched, { recursive: true });
  // The module cache is read-only; the copy must be writable to patch it and to remove it later.
  await run('chmod', ['-R', 'u+w', patched]);
  for (const patch of PATCHES) {
    const file = join(patched, patch.file);
    await chmod(file, 0o644);
    const text = await readFile(file, 'utf8');
    const count = text.split(patch.from).length - 1;
    const expected = patch.count ?? 1;
    if (count !== expected) throw new Error(`FerretDB ${version}: the change "${patch.why}" matches ${count} places in ${patch.file}, expected ${expected}`);
    await writeFile(file, text.split(patch.from).join(patch.to));
  }
  const modfile = join(folder, 'go.patched.mod');
  const gomod = await readFile(join(here, 'go.mod'), 'utf8');
  await writeFile(modfile, `${gomod}\nreplace ${FERRETDB_MODULE} ${version} => ${patched}\n`);
  await writeFile(join(folder, 'go.patched.sum'), await readFile(join(here, 'go.sum')));
  return modfile;
}

/** Returns the path of the devdb binary, building it first if this source has not been built yet. */
export async function ensureDevdb({ log = console.log } = {}) {
  const folder = join(cacheRoot(), `devdb-${await sourceHash()}`);
  const binary = join(folder, 'devdb');
  if (existsSync(binary)) return binary;

  const env = {
    ...process.env,
    // Reproducible build: no VCS stamping, no go.mod rewrite, never a toolchain download.
    GOFLAGS: '-trimpath -mod=readonly -buildvcs=false',
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
  };
  let version;
  try {
    version = await run('go', ['version'], { cwd: here, env });
  } catch (err) {
    if (err.code === 'ENOENT') {
      throw new Error(
        'The development database needs the Go toolchain (1.24 or newer) to build once, but `go` is not on PATH. ' +
          'Install Go, or set MONGODB_URI to an existing MongoDB server.',
      );
    }
    throw err;
  }
  if (version.code !== 0) throw new Error(`\`go version\` failed:\n${version.output}`);

  log(`Building the development database (FerretDB) into ${folder}; the first build takes 1-3 minutes...`);
  const started = Date.now();
  await mkdir(folder, { recursive: true });
  // Build under a temporary name and rename, so concurrent starts never see a half-written binary.
  const partial = `${binary}.${process.pid}.tmp`;
  const modfile = await patchedModfile(folder, env);
  const result = await run('go', [...BUILD_ARGS, `-modfile=${modfile}`, '-o', partial, '.'], { cwd: here, env });
  if (result.code !== 0) {
    await rm(partial, { force: true });
    throw new Error(`Building the development database failed (${version.output.trim()}):\n${result.output}`);
  }
  await rename(partial, binary);
  await rm(join(folder, 'ferretdb-src'), { recursive: true, force: true });
  log(`Built the development database in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
  // Binaries of older sources are of no further use.
  for (const entry of await readdir(cacheRoot())) {
    if (entry.startsWith('devdb-') && join(cacheRoot(), entry) !== folder) {
      await rm(join(cacheRoot(), entry), { recursive: true, force: true });
    }
  }
  return binary;
}

/**
 * Starts devdb on 127.0.0.1:port with its SQLite files in dir; resolves once it accepts connections.
 * Log lines it writes after start-up go to onLog (stderr by default).
 */
export async function startDevdb({
  binary,
  dir,
  port,
  // At warn FerretDB logs every error reply, including duplicate keys the application expects.
  logLevel = 'error',
  onLog = (line) => process.stderr.write(`[devdb] ${line}\n`),
}) {
  // stdin stays an open pipe: devdb exits when it closes, so it never outlives a killed parent.
  // Its own process group keeps a terminal's Ctrl-C from reaching it directly: stop() shuts it down in order.
  const child = spawn(
    binary,
    ['-listen', `127.0.0.1:${port}`, '-dir', dir, '-log-level', logLevel, '-watch-stdin'],
    { stdio: ['pipe', 'pipe', 'pipe'], detached: true },
  );

  let ready = false;
  let stderr = '';
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));

  createInterface({ input: child.stderr }).on('line', (line) => {
    if (ready) {
      onLog(line);
    } else {
      stderr = (stderr + line + '\n').slice(-STDERR_KEEP);
    }
  });

  const uri = await new Promise((resolve, reject) => {
    const fail = (reason) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      // Give the stderr stream a moment to deliver its last lines.
      setTimeout(() => reject(new Error(`devdb ${reason}${stderr ? `; its output:\n${stderr}` : ''}`)), 50);
    };
    const timer = setTimeout(() => fail(`was not ready within ${READY_TIMEOUT_MS / 1000} s`), READY_TIMEOUT_MS);
    child.on('error', (err) => fail(`could not start: ${err.message}`));
    exited.then(({ code, signal }) => {
      if (!ready) fail(`exited before it was ready (code ${code}, signal ${signal})`);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^ready (mongodb:\/\/\S+)$/.exec(line);
      if (!ready && match) {
        ready = true;
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });

  let stopping;
  async function stop() {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        const result = await exited;
        clearTimeout(timer);
        return result;
      }
      return exited;
    })();
    return stopping;
  }

  return { uri, stop, pid: child.pid };
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// Manual check: `node scripts/devdb/build.mjs [state dir]` builds, starts and prints the URI until Ctrl-C.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const binary = await ensureDevdb({ log: console.error });
  const dir = process.argv[2] || (await mkdtemp(join(tmpdir(), 'devdb-')));
  const db = await startDevdb({ binary, dir, port: await freePort() });
  console.log(db.uri);
  console.error(`SQLite files in ${dir}; Ctrl-C stops.`);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      await db.stop();
      process.exit(0);
    });
  }
}
