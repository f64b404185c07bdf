#!/usr/bin/env node
// Builds (or restores from cache) the mediasoup C++ worker for the pinned mediasoup version.
//
// Why this exists: mediasoup 3.8.4's own postinstall runs its bundled GYP, which needs Python 2,
// and one line of its bundled abseil no longer compiles against current glibc. Newer mediasoup
// versions download prebuilt workers or fetch C++ sources at build time, which these machines
// cannot do. So package.json denies mediasoup's install script (`allowScripts`) and this script,
// run as our own postinstall, builds the worker out of tree with two adjustments:
//   1. the Python 3 GYP that ships inside the `node-gyp` npm package replaces `worker/deps/gyp`;
//   2. `std::max(SIGSTKSZ, 65536)` in abseil's failure_signal_handler.cc becomes `std::max<long>`.
// The binary is cached outside node_modules, keyed by mediasoup version, compiler and platform,
// so a reinstall takes seconds. A cache entry is verified (checksum + a real worker start) and
// rebuilt when it fails, never trusted blindly. See docs/mediasoup.md.
//
// Environment:
//   MEDIASOUP_WORKER_BIN        use this worker binary and build nothing
//   LIVEDESK_WORKER_CACHE_DIR   cache root (default: $XDG_CACHE_HOME/livedesk or ~/.cache/livedesk)
//   LIVEDESK_WORKER_REBUILD=1   ignore the cache and build again

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const log = (msg) => console.log(`[mediasoup-worker] ${msg}`);
const fail = (msg) => {
  console.error(`[mediasoup-worker] ERROR: ${msg}`);
  process.exit(1);
};

function mediasoupDir() {
  try {
    return path.dirname(require.resolve('mediasoup/package.json', { paths: [projectRoot] }));
  } catch {
    return fail('the mediasoup package is not installed; run `npm install` first.');
  }
}

function commandOutput(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.error || r.status !== 0) return null;
  return `${r.stdout}${r.stderr}`.trim();
}

/** Names every missing build prerequisite at once, so the user fixes them in one go. */
function checkPrerequisites() {
  const missing = [];
  const python = commandOutput('python3', ['--version']);
  if (!python) missing.push('python3 (Debian: apt-get install -y python3)');
  if (!commandOutput('make', ['--version'])) missing.push('make (Debian: apt-get install -y make)');
  if (!commandOutput('g++', ['--version'])) missing.push('g++ (Debian: apt-get install -y g++)');
  if (!commandOutput('cc', ['--version']))
    missing.push('a C compiler as `cc` (Debian: apt-get install -y gcc)');
  if (missing.length > 0) {
    fail(`cannot build the mediasoup worker; missing prerequisite(s):\n  - ${missing.join('\n  - ')}`);
  }
}

function cacheKey(version) {
  // The compiler's first line carries vendor and version; glibc is part of the platform ABI.
  const compiler = (commandOutput('g++', ['--version']) ?? 'unknown').split('\n')[0];
  const glibc = process.report?.getReport?.().header?.glibcVersionRuntime ?? 'noglibc';
  const digest = createHash('sha256').update(`${compiler}|${glibc}`).digest('hex').slice(0, 12);
  return `mediasoup-${version}-${process.platform}-${process.arch}-${digest}`;
}

function cacheRoot() {
  if (process.env.LIVEDESK_WORKER_CACHE_DIR) return process.env.LIVEDESK_WORKER_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'livedesk');
}

function sha256File(file) {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/**
 * Starts the binary as a real mediasoup worker (in a child process so a crash cannot take this
 * script down) and closes it. Proves the binary matches the installed mediasoup's protocol.
 */
function smokeTest(binary, msDir) {
  const script = `
    process.env.MEDIASOUP_WORKER_BIN = ${JSON.stringify(binary)};
    const ms = require(${JSON.stringify(msDir)});
    ms.createWorker({ logLevel: 'error' }).then(async (w) => {
      const router = await w.createRouter({ mediaCodecs: [] });
      router.close(); w.close(); process.exit(0);
    }).catch((e) => { console.error(e && e.message); process.exit(1); });
    setTimeout(() => { console.error('worker start timed out'); process.exit(1); }, 15000);
  `;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  return { ok: r.status === 0, detail: (r.stderr || r.stdout || '').trim() };
}

function validCacheEntry(entryDir, msDir) {
  const bin = path.join(entryDir, 'mediasoup-worker');
  const sumFile = path.join(entryDir, 'mediasoup-worker.sha256');
  if (!fs.existsSync(bin) || !fs.existsSync(sumFile)) return false;
  if (fs.readFileSync(sumFile, 'utf8').trim() !== sha256File(bin)) {
    log(`cache entry ${entryDir} is corrupt (checksum mismatch); rebuilding`);
    return false;
  }
  const smoke = smokeTest(bin, msDir);
  if (!smoke.ok) {
    log(`cached worker failed to start (${smoke.detail || 'no output'}); rebuilding`);
    return false;
  }
  return true;
}

function findNodeGypGyp() {
  try {
    const pkg = require.resolve('node-gyp/package.json', { paths: [projectRoot] });
    const dir = path.join(path.dirname(pkg), 'gyp');
    if (fs.existsSync(path.join(dir, 'pylib', 'gyp'))) return dir;
  } catch {
    // fall through to the error below
  }
  return fail('the node-gyp package (which carries a Python 3 GYP) is not installed.');
}

const ABSEIL_FILE = 'deps/libwebrtc/deps/abseil-cpp/abseil-cpp/absl/debugging/failure_signal_handler.cc';

function build(msDir, entryDir) {
  checkPrerequisites();
  const buildRoot = fs.mkdtempSync(path.join(cacheRoot(), 'build-'));
  const workerDir = path.join(buildRoot, 'worker');
  const buildLog = path.join(cacheRoot(), 'mediasoup-worker-build.log');
  try {
    log(`building the worker in ${workerDir} (about 2 to 5 minutes on 2 cores)`);
    fs.cpSync(path.join(msDir, 'worker'), workerDir, { recursive: true });

    fs.rmSync(path.join(workerDir, 'deps', 'gyp'), { recursive: true, force: true });
    fs.cpSync(findNodeGypGyp(), path.join(workerDir, 'deps', 'gyp'), { recursive: true });

    const abseil = path.join(workerDir, ABSEIL_FILE);
    if (fs.existsSync(abseil)) {
      const src = fs.readFileSync(abseil, 'utf8');
      const fixed = src.replace('std::max(SIGSTKSZ, 65536)', 'std::max<long>(SIGSTKSZ, 65536)');
      fs.writeFileSync(abseil, fixed);
    }

    const env = { ...process.env, PYTHON: 'python3' };
    delete env.MEDIASOUP_WORKER_BIN;
    const jobs = String(Math.max(1, os.cpus().length));
    // The compiler prints thousands of warnings for the bundled C++; keep them in a log and
    // show its tail only when the build fails.
    const logFd = fs.openSync(buildLog, 'w');
    const run = (cmd, args) => {
      const r = spawnSync(cmd, args, { cwd: workerDir, env, stdio: ['ignore', logFd, logFd] });
      if (r.status !== 0) {
        const tail = fs.readFileSync(buildLog, 'utf8').split('\n').slice(-40).join('\n');
        throw new Error(
          `\`${cmd} ${args.join(' ')}\` exited with ${r.status}:\n${tail}\n(full log: ${buildLog})`,
        );
      }
    };
    run('python3', ['./scripts/configure.py', '-R', 'mediasoup-worker']);
    run('make', [`-j${jobs}`, 'BUILDTYPE=Release', '-C', 'out']);
    fs.closeSync(logFd);

    const built = path.join(workerDir, 'out', 'Release', 'mediasoup-worker');
    if (!fs.existsSync(built)) fail('the build finished but produced no mediasoup-worker binary');

    // Write to a temporary name and rename, so a cut-off build never leaves a half entry.
    fs.mkdirSync(entryDir, { recursive: true });
    const tmp = path.join(entryDir, `mediasoup-worker.tmp-${process.pid}`);
    fs.copyFileSync(built, tmp);
    fs.chmodSync(tmp, 0o755);
    fs.writeFileSync(path.join(entryDir, 'mediasoup-worker.sha256'), `${sha256File(tmp)}\n`);
    fs.renameSync(tmp, path.join(entryDir, 'mediasoup-worker'));
  } catch (err) {
    fail(`the worker build failed: ${err.message}`);
  } finally {
    fs.rmSync(buildRoot, { recursive: true, force: true });
  }
}

/** mediasoup looks for its worker here when MEDIASOUP_WORKER_BIN is not set. */
function installInto(msDir, binary) {
  const target = path.join(msDir, 'worker', 'out', 'Release', 'mediasoup-worker');
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const tmp = `${target}.tmp-${process.pid}`;
  fs.copyFileSync(binary, tmp);
  fs.chmodSync(tmp, 0o755);
  fs.renameSync(tmp, target);
  return target;
}

function main() {
  const msDir = mediasoupDir();
  const { version } = JSON.parse(fs.readFileSync(path.join(msDir, 'package.json'), 'utf8'));

  if (process.env.MEDIASOUP_WORKER_BIN) {
    const smoke = smokeTest(process.env.MEDIASOUP_WORKER_BIN, msDir);
    if (!smoke.ok) fail(`MEDIASOUP_WORKER_BIN does not start: ${smoke.detail}`);
    log(`using MEDIASOUP_WORKER_BIN=${process.env.MEDIASOUP_WORKER_BIN}`);
    return;
  }

  const entryDir = path.join(cacheRoot(), 'mediasoup-worker', cacheKey(version));
  fs.mkdirSync(cacheRoot(), { recursive: true });
  const started = Date.now();
  if (process.env.LIVEDESK_WORKER_REBUILD !== '1' && validCacheEntry(entryDir, msDir)) {
    log(`restored from cache ${entryDir}`);
  } else {
    build(msDir, entryDir);
    const smoke = smokeTest(path.join(entryDir, 'mediasoup-worker'), msDir);
    if (!smoke.ok) fail(`the freshly built worker does not start: ${smoke.detail}`);
    log(`built and cached in ${entryDir} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  const target = installInto(msDir, path.join(entryDir, 'mediasoup-worker'));
  log(`installed ${target}`);
}

main();
