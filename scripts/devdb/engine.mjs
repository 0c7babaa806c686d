// The embedded database: PostgreSQL 15 with the DocumentDB extension, spoken to through FerretDB v2
// (MongoDB wire protocol). Built once into ~/.cache/consumer-12315/ (keyed by versions and patch):
// Debian's packages through apt, pgvector and DocumentDB from their source archives (the C build),
// and FerretDB v2.7.0 embedded in main.go (the Go build), the two builds side by side.
// Plain Node with no npm dependencies, so it runs before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..', '..');

export const PG_MAJOR = 15;
export const PG_BIN = `/usr/lib/postgresql/${PG_MAJOR}/bin`;
const PG_CONFIG = `${PG_BIN}/pg_config`;

/** Debian 12 packages: the server, its headers, the extensions DocumentDB requires, and the C tool chain. */
export const APT_PACKAGES = [
  `postgresql-${PG_MAJOR}`, `postgresql-server-dev-${PG_MAJOR}`, `postgresql-${PG_MAJOR}-cron`,
  `postgresql-${PG_MAJOR}-rum`, `postgresql-${PG_MAJOR}-postgis-3`, 'libbson-dev', 'libpcre2-dev',
  'libintelrdfpmath-dev', 'build-essential', 'pkg-config', 'libicu-dev', 'libkrb5-dev', 'cmake',
];

/** The two C sources: the archive in ../shared/vendor when it is there, else the same revision from upstream. */
export const SOURCES = {
  pgvector: {
    archive: 'pgvector-0.8.1.tar.gz',
    sha256: 'b672482471533bb415335c8681fa9fbb2a3c287c5d36510d6974b2dbf9e1d4a3',
    url: 'https://github.com/pgvector/pgvector/archive/refs/tags/v0.8.1.tar.gz',
    control: ['vector.control', "default_version = '0.8.1'"],
  },
  documentdb: {
    archive: 'documentdb-ferretdb-3f80da90.tar.gz',
    sha256: 'b2f2bf931e7d6037005e11410b8e06c7274de06bda79f3f3b7567aaecb683d9e',
    url: 'https://github.com/FerretDB/documentdb/archive/3f80da90a9e0b04f214183aa656c4fb0b4bc31e4.tar.gz',
    control: ['pg_documentdb/documentdb.control', "default_version = '0.107-0'"],
  },
};

/**
 * Debian 12 ships libbson 1.23, which lacks BSON_SUBTYPE_SENSITIVE (0x08, libbson 1.24); the build
 * uses -Werror, so the switch on the enum is made a switch on int and the value defined locally.
 */
export const DOCUMENTDB_PATCHES = [
  {
    file: 'pg_documentdb/src/operators/bson_expression_type_operators.c',
    edits: [
      { from: 'switch (subtype)\n', to: 'switch ((int) subtype)\n', count: 1 },
      { from: 'BSON_SUBTYPE_SENSITIVE', to: 'DOCUMENTDB_BSON_SUBTYPE_SENSITIVE', count: 2 },
      {
        from: '#include <postgres.h>\n',
        to: '#include <postgres.h>\n/* BSON_SUBTYPE_SENSITIVE exists from libbson 1.24; Debian 12 has 1.23. */\n#define DOCUMENTDB_BSON_SUBTYPE_SENSITIVE 0x08\n',
        count: 1,
      },
    ],
  },
];

/** Debian's libintelrdfpmath-dev has no pkg-config file; the Makefiles ask for one. */
const INTELMATHLIB_PC = `Name: intelmathlib
Description: Intel Decimal Floating-Point Math Library (Debian libintelrdfpmath-dev)
Version: 2.0
Libs: /usr/lib/x86_64-linux-gnu/libbidgcc000.a
Cflags: -I/usr/include
`;

const READY_TIMEOUT_MS = 60_000;

export function cacheRoot() {
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'consumer-12315');
}

function vendorDir() {
  return process.env.DEVDB_VENDOR_DIR || path.resolve(ROOT, '..', 'shared', 'vendor');
}

const sha256 = (data) => createHash('sha256').update(data).digest('hex');

function keyOf(...parts) {
  return sha256(parts.map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('\0')).slice(0, 12);
}

/** Runs a command with its output into a log file; rejects naming the step and the log. */
function step(name, cmd, args, { cwd, env, logFile }) {
  return new Promise((resolve, reject) => {
    const out = fs.openSync(logFile, 'a');
    fs.writeSync(out, `\n$ ${cmd} ${args.join(' ')}   (in ${cwd})\n`);
    const child = spawn(cmd, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', out, out] });
    child.on('error', (err) => {
      fs.closeSync(out);
      reject(new Error(`${name} could not start (${err.message}); log: ${logFile}`));
    });
    child.on('close', (code) => {
      fs.closeSync(out);
      if (code === 0) resolve();
      else reject(new Error(`${name} failed (exit ${code}); its log: ${logFile}`));
    });
  });
}

function dpkgInstalled(name) {
  const res = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return res.status === 0 && res.stdout.includes('install ok installed');
}

/** Installs the Debian packages that are missing (as root); says what to run otherwise. */
export function ensureAptPackages(names, log) {
  const missing = names.filter((n) => !dpkgInstalled(n));
  if (missing.length === 0) return;
  const command = `apt-get install -y ${missing.join(' ')}`;
  if (process.getuid?.() !== 0) throw new Error(`missing Debian packages for the embedded database; install them with: sudo ${command}`);
  log(`installing Debian packages: ${missing.join(' ')} (apt-get, about half a minute)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...missing]]) {
    const res = spawnSync('apt-get', args, { env, stdio: 'inherit' });
    if (res.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${res.status})`);
  }
}

/** The archive of a source: ../shared/vendor (checked against its checksum) or a download of the same revision. */
async function obtainArchive(source, folder, log) {
  const local = path.join(vendorDir(), source.archive);
  if (fs.existsSync(local)) {
    const digest = sha256(fs.readFileSync(local));
    if (digest !== source.sha256) throw new Error(`${local} does not match its checksum (${digest} != ${source.sha256})`);
    return local;
  }
  const target = path.join(folder, source.archive);
  log(`${source.archive} is not in ${vendorDir()}; downloading ${source.url}`);
  const res = await fetch(source.url);
  if (!res.ok) throw new Error(`downloading ${source.url} failed: HTTP ${res.status}`);
  fs.writeFileSync(target, Buffer.from(await res.arrayBuffer()));
  // A download made by the code host is not byte-identical to `git archive`: the version is checked after unpacking.
  return target;
}

async function unpack(source, archive, folder, logFile) {
  const dest = path.join(folder, path.basename(source.archive, '.tar.gz'));
  fs.rmSync(dest, { recursive: true, force: true });
  fs.mkdirSync(dest, { recursive: true });
  await step('unpacking', 'tar', ['xzf', archive, '-C', dest, '--strip-components=1'], { cwd: folder, logFile });
  const [file, expected] = source.control;
  const text = fs.readFileSync(path.join(dest, file), 'utf8');
  if (!text.includes(expected)) throw new Error(`${archive}: ${file} does not say ${expected}; wrong revision`);
  return dest;
}

function applyPatches(tree, patches) {
  for (const patch of patches) {
    const file = path.join(tree, patch.file);
    let text = fs.readFileSync(file, 'utf8');
    for (const edit of patch.edits) {
      const count = text.split(edit.from).length - 1;
      if (count !== edit.count) throw new Error(`DocumentDB patch: "${edit.from.trim()}" appears ${count} times in ${patch.file}, expected ${edit.count}`);
      text = text.split(edit.from).join(edit.to);
    }
    fs.writeFileSync(file, text);
  }
}

/** pgvector and DocumentDB built and installed into a staging tree (DESTDIR) in the cache. */
async function buildExtensions(folder, log) {
  const stage = path.join(folder, 'stage');
  const done = path.join(folder, 'built');
  if (fs.existsSync(done)) return stage;
  fs.rmSync(folder, { recursive: true, force: true });
  fs.mkdirSync(folder, { recursive: true });
  const logFile = path.join(folder, 'build.log');
  const started = Date.now();
  log(`building pgvector and DocumentDB (C, about 1-3 minutes); log: ${logFile}`);
  fs.mkdirSync(path.join(folder, 'pkgconfig'), { recursive: true });
  fs.writeFileSync(path.join(folder, 'pkgconfig', 'intelmathlib.pc'), INTELMATHLIB_PC);
  const env = { PKG_CONFIG_PATH: path.join(folder, 'pkgconfig') };
  const make = (dir, ...args) => ['-C', dir, `PG_CONFIG=${PG_CONFIG}`, 'with_llvm=no', ...args];
  const jobs = `-j${Math.max(2, os.availableParallelism?.() ?? 2)}`;

  const vector = await unpack(SOURCES.pgvector, await obtainArchive(SOURCES.pgvector, folder, log), folder, logFile);
  await step('pgvector build', 'make', make(vector, jobs, 'OPTFLAGS='), { cwd: folder, env, logFile });
  await step('pgvector install', 'make', make(vector, 'install', `DESTDIR=${stage}`), { cwd: folder, env, logFile });

  const documentdb = await unpack(SOURCES.documentdb, await obtainArchive(SOURCES.documentdb, folder, log), folder, logFile);
  applyPatches(documentdb, DOCUMENTDB_PATCHES);
  for (const part of ['pg_documentdb_core', 'pg_documentdb']) {
    await step(`${part} build`, 'make', make(path.join(documentdb, part), jobs), { cwd: folder, env, logFile });
    await step(`${part} install`, 'make', make(path.join(documentdb, part), 'install', `DESTDIR=${stage}`), { cwd: folder, env, logFile });
  }
  fs.rmSync(vector, { recursive: true, force: true });
  fs.rmSync(documentdb, { recursive: true, force: true });
  fs.writeFileSync(done, new Date().toISOString());
  log(`built pgvector and DocumentDB in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return stage;
}

/** FerretDB v2 embedded in main.go, built with the Go module proxy. */
async function buildFerretdb(folder, log) {
  const binary = path.join(folder, 'devdb');
  if (fs.existsSync(binary)) return binary;
  if (spawnSync('go', ['version']).status !== 0) {
    throw new Error('the embedded database needs the Go toolchain (1.25 or newer) to build once; install Go, or set MONGODB_URI to an existing MongoDB');
  }
  fs.mkdirSync(folder, { recursive: true });
  const logFile = path.join(folder, 'build.log');
  const started = Date.now();
  log(`building FerretDB v2 (Go, about 1-3 minutes with module downloads); log: ${logFile}`);
  const partial = `${binary}.${process.pid}.tmp`;
  await step('FerretDB build', 'go', ['build', '-ldflags', '-s -w', '-o', partial, '.'], {
    cwd: here,
    // Reproducible: no VCS stamping, no go.mod rewrite, never a toolchain download.
    env: { GOFLAGS: '-trimpath -mod=readonly -buildvcs=false', GOTOOLCHAIN: 'local', CGO_ENABLED: '0' },
    logFile,
  });
  fs.renameSync(partial, binary);
  log(`built FerretDB in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  return binary;
}

/** Copies the staged extension files into PostgreSQL's directories where they differ (root only). */
function installStage(stage) {
  const differing = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const target = '/' + path.relative(stage, full);
        if (!fs.existsSync(target) || sha256(fs.readFileSync(target)) !== sha256(fs.readFileSync(full))) differing.push([full, target]);
      }
    }
  };
  walk(stage);
  if (differing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`the DocumentDB extension files are not installed; as root run: cp -r ${stage}/usr/. /usr/`);
  }
  for (const [from, to] of differing) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
  }
}

function oldEntries(prefix, keep) {
  const root = cacheRoot();
  if (!fs.existsSync(root)) return;
  for (const entry of fs.readdirSync(root)) {
    if (entry.startsWith(prefix) && entry !== keep) fs.rmSync(path.join(root, entry), { recursive: true, force: true });
  }
}

/**
 * Makes sure the engine is built and installed; returns the FerretDB binary.
 * The C build and the Go build run side by side; each is cached under its own key.
 */
export async function ensureEngine({ log = console.log } = {}) {
  ensureAptPackages(APT_PACKAGES, log);
  const cKey = `pg${PG_MAJOR}-${keyOf(SOURCES, DOCUMENTDB_PATCHES, INTELMATHLIB_PC, 'with_llvm=no')}`;
  const goKey = keyOf(...['main.go', 'go.mod', 'go.sum'].map((f) => fs.readFileSync(path.join(here, f), 'utf8')));
  const cFolder = path.join(cacheRoot(), `extensions-${cKey}`);
  const goFolder = path.join(cacheRoot(), `ferretdb-${goKey}`);
  const [stage, binary] = await Promise.all([buildExtensions(cFolder, log), buildFerretdb(goFolder, log)]);
  installStage(stage);
  oldEntries('extensions-', path.basename(cFolder));
  oldEntries('ferretdb-', path.basename(goFolder));
  oldEntries('devdb-', null); // FerretDB v1 builds of earlier versions
  return binary;
}

/** Returns a TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function postgresUser() {
  const res = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
  const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error('the `postgres` user is missing; it comes with the postgresql-15 package');
  return { uid: Number(res.stdout.trim()), gid: Number(gid.stdout.trim()) };
}

/** Settings for development and tests; see README (The embedded database). */
function settings({ fastCommit }) {
  return {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: '',
    shared_preload_libraries: 'pg_cron,pg_documentdb_core,pg_documentdb',
    'cron.database_name': 'postgres',
    // Debian's pg_cron 1.4 has no "N seconds" schedules.
    'documentdb.indexBuildScheduleInSec': '60',
    'documentdb.enableCompact': 'true',
    'documentdb.enableLetAndCollationForQueryMatch': 'true',
    'documentdb.enableNowSystemVariable': 'true',
    'documentdb.enableSchemaValidation': 'true',
    'documentdb.enableBypassDocumentValidation': 'true',
    'documentdb.enableUserCrud': 'true',
    'documentdb.maxUserLimit': '100',
    shared_buffers: '512MB',
    max_connections: '200',
    // A development database: no replication, so the least WAL; checkpoints spaced so bulk loads
    // do not checkpoint every few seconds, within about 1 GB of WAL on disk.
    wal_level: 'minimal',
    max_wal_senders: '0',
    wal_compression: 'on',
    max_wal_size: '1GB',
    min_wal_size: '128MB',
    checkpoint_timeout: '15min',
    synchronous_commit: fastCommit ? 'off' : 'on',
    log_min_messages: 'warning',
    logging_collector: 'off',
  };
}

function runAs(user, cmd, args, opts = {}) {
  return spawnSync(cmd, args, { encoding: 'utf8', uid: user.uid, gid: user.gid, ...opts });
}

/** Creates the cluster in dir when it has none yet. */
function initCluster(dir, user, fastCommit) {
  if (fs.existsSync(path.join(dir, 'PG_VERSION'))) return false;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chownSync(dir, user.uid, user.gid);
  fs.chmodSync(dir, 0o700);
  const res = runAs(user, `${PG_BIN}/initdb`, ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-locale', '--no-sync'], { cwd: '/' });
  if (res.status !== 0) throw new Error(`initdb failed:\n${res.stdout}${res.stderr}`);
  // DocumentDB keeps cursor state files here and warns at every start when it is missing.
  fs.mkdirSync(path.join(dir, 'pg_documentdb_cursor_files'), { mode: 0o700 });
  fs.chownSync(path.join(dir, 'pg_documentdb_cursor_files'), user.uid, user.gid);
  return true;
}

// Runs a server and stops it (SIGINT: PostgreSQL's fast shutdown, Redis's save-less exit) when our
// stdin closes, i.e. when the parent dies.
export const GUARD = `
exec 3<&0
"$@" </dev/null &
pid=$!
trap 'kill -INT $pid 2>/dev/null' INT TERM
{ cat >/dev/null; kill -INT $pid 2>/dev/null; } <&3 &
watcher=$!
exec 3<&-
status=0
while kill -0 $pid 2>/dev/null; do wait $pid; status=$?; done
kill $watcher 2>/dev/null
exit $status
`;

/** The last lines of a log file, for an error message. */
function tail(file, bytes = 4096) {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.slice(-bytes);
  } catch {
    return '';
  }
}

/**
 * Starts PostgreSQL on 127.0.0.1:port with its data in dir (made when missing), as the `postgres` user.
 * Its output goes straight into logFile (never through a pipe this process must keep reading: a
 * parent busy in a synchronous call would leave the pipe full and every backend stuck writing a log
 * line). Resolves once it answers; `stop()` shuts it down fast; `kill()` kills the postmaster (for fault tests).
 */
export async function startPostgres({ dir, port, fastCommit = true, logFile = path.join(path.dirname(dir), 'postgres.log') }) {
  const user = postgresUser();
  const created = initCluster(dir, user, fastCommit);
  // Settings go on the command line, so a kept data folder always runs with the current ones.
  const options = Object.entries(settings({ fastCommit })).flatMap(([k, v]) => ['-c', `${k}=${v}`]);
  const out = fs.openSync(logFile, 'a');
  const child = spawn('sh', ['-c', GUARD, 'pg-guard', `${PG_BIN}/postgres`, '-D', dir, '-p', String(port), ...options], {
    uid: user.uid,
    gid: user.gid,
    cwd: '/',
    stdio: ['pipe', out, out],
    detached: true, // a terminal's Ctrl-C reaches us, and we stop it in order
  });
  fs.closeSync(out);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const recent = () => tail(logFile);
  const until = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`PostgreSQL exited at start (log: ${logFile}):\n${recent()}`);
    const ready = spawnSync(`${PG_BIN}/pg_isready`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-q']);
    if (ready.status === 0) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`PostgreSQL was not ready within ${READY_TIMEOUT_MS / 1000} s (log: ${logFile}):\n${recent()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  if (created) {
    const res = spawnSync(`${PG_BIN}/psql`, ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-qc', 'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE'], { encoding: 'utf8' });
    if (res.status !== 0) {
      child.kill('SIGKILL');
      throw new Error(`CREATE EXTENSION documentdb failed:\n${res.stdout}${res.stderr}`);
    }
  }
  const postmasterPid = () => Number(fs.readFileSync(path.join(dir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const pid = postmasterPid();
  let stopping;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    pid,
    exited,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.stdin.end();
          const timer = setTimeout(() => process.kill(pid, 'SIGQUIT'), 20_000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
    /** The postmaster killed outright, as a crash would; its backends follow. */
    async kill() {
      process.kill(pid, 'SIGKILL');
      await exited;
      child.stdin.destroy();
    },
  };
}

/** Starts FerretDB in front of a running PostgreSQL; resolves with its MongoDB URI once it accepts connections. */
export async function startFerretdb({ binary, postgresUrl, port, stateDir, logLevel = 'error', logFile = path.join(path.dirname(stateDir), 'ferretdb.log') }) {
  fs.mkdirSync(stateDir, { recursive: true });
  // stdin stays an open pipe: devdb exits when it closes, so it never outlives a killed parent.
  // Its log goes to a file; stdout carries only the one "ready" line.
  const err = fs.openSync(logFile, 'a');
  const child = spawn(binary, ['-listen', `127.0.0.1:${port}`, '-postgresql-url', postgresUrl, '-state-dir', stateDir, '-log-level', logLevel, '-watch-stdin'], {
    stdio: ['pipe', 'pipe', err],
    detached: true,
  });
  fs.closeSync(err);
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const recent = () => tail(logFile);
  const uri = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`FerretDB was not ready within ${READY_TIMEOUT_MS / 1000} s (log: ${logFile}):\n${recent()}`));
    }, READY_TIMEOUT_MS);
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`FerretDB exited before it was ready (code ${code}, signal ${signal}; log: ${logFile}):\n${recent()}`));
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^ready (mongodb:\/\/\S+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  let stopping;
  return {
    uri,
    pid: child.pid,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}

/**
 * PostgreSQL + DocumentDB + FerretDB with data under dir (wiped first when fresh).
 * Returns the MongoDB URI, the PostgreSQL handle (for fault tests and ANALYZE) and stop().
 */
export async function startEngine({ dir, fresh = false, fastCommit = true, log = console.log, logDir = dir } = {}) {
  const binary = await ensureEngine({ log });
  if (fresh) fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  fs.chmodSync(dir, 0o755); // the postgres user must reach its data folder inside
  const pgDir = path.join(dir, 'pg');
  fs.mkdirSync(logDir, { recursive: true });
  const postgres = await startPostgres({ dir: pgDir, port: await freePort(), fastCommit, logFile: path.join(logDir, 'postgres.log') });
  let ferret;
  try {
    ferret = await startFerretdb({
      binary,
      postgresUrl: postgres.url,
      port: await freePort(),
      stateDir: path.join(dir, 'ferretdb'),
      logFile: path.join(logDir, 'ferretdb.log'),
    });
  } catch (err) {
    await postgres.stop();
    throw err;
  }
  return {
    uri: ferret.uri,
    postgres,
    ferret,
    binary,
    async stop() {
      await ferret.stop();
      await postgres.stop();
    },
  };
}

/** Runs SQL on the cluster (ANALYZE after bulk loads). */
export function psql(postgresUrl, sql) {
  const res = spawnSync(`${PG_BIN}/psql`, [postgresUrl, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`psql failed: ${res.stderr}`);
  return res.stdout;
}

// Manual check: `node scripts/devdb/engine.mjs [data dir]` builds, starts and prints the URI until Ctrl-C.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dir = process.argv[2] || fs.mkdtempSync(path.join(os.tmpdir(), 'devdb-'));
  const engine = await startEngine({ dir, log: console.error });
  console.log(engine.uri);
  console.error(`data in ${dir} (PostgreSQL ${engine.postgres.url}); Ctrl-C stops.`);
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, async () => {
      await engine.stop();
      process.exit(0);
    });
  }
}
