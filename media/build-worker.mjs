#!/usr/bin/env node
// Makes sure the installed mediasoup has a working C++ worker, building it offline when needed.
//
// Why this exists: mediasoup 3.9+ builds its worker with meson from `.wrap` files that download
// every C++ dependency, and its own postinstall first tries to download a prebuilt worker from
// GitHub. Machines that reach only npm and Debian (this project's CI) can do neither. So
// package.json's `allowScripts` keeps mediasoup's install script off (npm >= 11.19) and this
// script, our postinstall, decides in this order:
//   1. MEDIASOUP_WORKER_BIN is set: verify that binary by starting it, build nothing.
//   2. A worker is already at mediasoup's own path (worker/out/Release/mediasoup-worker): its own
//      postinstall put a prebuilt one there (npm 10 ignores `allowScripts`, and with the internet
//      that download works), or an earlier run of this script did. Verified by starting it, used
//      as it is.
//   3. Otherwise: restore from the cache, or build from the tarball's worker sources against
//      Debian's libraries with the changes in media/worker-patches/ (meson --wrap-mode=nodownload),
//      cache, verify, and copy it to mediasoup's path, where the app's mediasoup finds it.
// The cache lives outside node_modules, keyed by mediasoup version, platform, compiler, glibc, the
// system libraries' versions and the patch files, so a reinstall takes seconds. An entry is
// verified (checksum + a real worker start) and rebuilt when it fails, never trusted blindly.
// See docs/mediasoup.md.
//
// Environment:
//   MEDIASOUP_WORKER_BIN        use this worker binary and build nothing
//   LIVEDESK_WORKER_CACHE_DIR   cache root (default: $XDG_CACHE_HOME/livedesk or ~/.cache/livedesk)
//   LIVEDESK_WORKER_REBUILD=1   ignore a present worker and the cache, and build again

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyWorkerPatches, patchFiles } from './worker-patches/apply.mjs';

const require = createRequire(import.meta.url);
const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const log = (msg) => console.log(`[mediasoup-worker] ${msg}`);
const fail = (msg) => {
  console.error(`[mediasoup-worker] ERROR: ${msg}`);
  process.exit(1);
};

function mediasoupDir() {
  try {
    // mediasoup 3.2x's `exports` hides package.json: resolve the entry point and walk up.
    let dir = path.dirname(require.resolve('mediasoup', { paths: [projectRoot] }));
    while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir) {
      dir = path.dirname(dir);
    }
    return dir;
  } catch {
    return fail('the mediasoup package is not installed; run `npm install` first.');
  }
}

function commandOutput(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env });
  if (r.error || r.status !== 0) return null;
  return `${r.stdout}${r.stderr}`.trim();
}

// What the build needs, and the Debian package that brings each (kept in step with
// .ci/system-packages.txt, which `npm run system-deps` installs).
const BUILD_PROGRAMS = [
  ['g++', 'g++'],
  ['cc', 'gcc'],
  ['meson', 'meson'],
  ['ninja', 'ninja-build'],
  ['pkg-config', 'pkg-config'],
  ['flatc', 'flatbuffers-compiler'],
];
const BUILD_LIBRARIES = [
  ['libuv', 'libuv1-dev'],
  ['openssl', 'libssl-dev'],
  ['libsrtp2', 'libsrtp2-dev'],
  ['flatbuffers', 'libflatbuffers-dev'],
  ['absl_strings', 'libabsl-dev'],
  ['absl_optional', 'libabsl-dev'],
];

/** Names every missing build prerequisite at once, with the one command that installs them all. */
function checkPrerequisites() {
  const missing = new Set();
  for (const [program, pkg] of BUILD_PROGRAMS) {
    if (!commandOutput(program, ['--version'])) missing.add(pkg);
  }
  for (const [module, pkg] of BUILD_LIBRARIES) {
    const found = spawnSync('pkg-config', ['--exists', module]).status === 0;
    if (!found && !missing.has('pkg-config')) {
      missing.add(pkg);
    }
  }
  if (missing.size > 0) {
    const list = [...missing].join(' ');
    fail(
      `cannot build the mediasoup worker; missing Debian package(s): ${list}\n` +
        `  Install them with:  sudo apt-get install -y --no-install-recommends ${list}\n` +
        '  (or run `npm run system-deps`), then run `npm install` again. Alternatively set\n' +
        '  MEDIASOUP_WORKER_BIN to a mediasoup-worker binary of the same mediasoup version.',
    );
  }
}

/** Versions of everything the binary is built with or links against dynamically. */
function buildInputs(version) {
  const compiler = (commandOutput('g++', ['--version']) ?? 'unknown').split('\n')[0];
  const glibc = process.report?.getReport?.().header?.glibcVersionRuntime ?? 'noglibc';
  const libs = BUILD_LIBRARIES.map(
    ([m]) => `${m}=${commandOutput('pkg-config', ['--modversion', m]) ?? 'missing'}`,
  );
  const tools = [
    `meson=${commandOutput('meson', ['--version'])}`,
    `flatc=${commandOutput('flatc', ['--version'])}`,
  ];
  const patches = createHash('sha256');
  // Each file by its path inside worker-patches/, not its absolute path: every clone of the
  // project (CI's fresh one included) must find the same cache entry.
  const patchRoot = path.dirname(fileURLToPath(import.meta.url));
  for (const file of patchFiles()) {
    patches.update(path.relative(patchRoot, file)).update(fs.readFileSync(file));
  }
  return [version, compiler, glibc, ...libs, ...tools, `patches=${patches.digest('hex')}`].join('|');
}

function cacheKey(version) {
  const digest = createHash('sha256').update(buildInputs(version)).digest('hex').slice(0, 12);
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
 * script down): a router, and two PlainTransports connected to each other with SRTP, which
 * creates libsrtp sessions through our libsrtp2 port. Proves the binary speaks the installed
 * mediasoup's protocol and that its system libraries load.
 */
export function smokeTest(binary, msDir) {
  const script = `
    process.env.MEDIASOUP_WORKER_BIN = ${JSON.stringify(binary)};
    const ms = require(${JSON.stringify(msDir)});
    (async () => {
      const w = await ms.createWorker({ logLevel: 'error' });
      const router = await w.createRouter({ mediaCodecs: [] });
      const listenInfo = { protocol: 'udp', ip: '127.0.0.1' };
      const a = await router.createPlainTransport({ listenInfo, enableSrtp: true, comedia: false });
      const b = await router.createPlainTransport({ listenInfo, enableSrtp: true, comedia: false });
      await a.connect({ ip: '127.0.0.1', port: b.tuple.localPort, srtpParameters: b.srtpParameters });
      await b.connect({ ip: '127.0.0.1', port: a.tuple.localPort, srtpParameters: a.srtpParameters });
      w.close();
      process.exit(0);
    })().catch((e) => { console.error(e && e.message); process.exit(1); });
    setTimeout(() => { console.error('worker start timed out'); process.exit(1); }, 30000);
  `;
  const env = { ...process.env };
  delete env.MEDIASOUP_WORKER_BIN;
  const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env });
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

function build(msDir, version, entryDir) {
  checkPrerequisites();
  const buildRoot = fs.mkdtempSync(path.join(cacheRoot(), 'build-'));
  const workerDir = path.join(buildRoot, 'worker');
  const buildLog = path.join(cacheRoot(), 'mediasoup-worker-build.log');
  try {
    log(`building the worker in ${workerDir} (about 10 minutes of CPU; 20 to 40 on a busy machine)`);
    fs.cpSync(path.join(msDir, 'worker'), workerDir, { recursive: true });
    const pkgconfig = applyWorkerPatches(workerDir, path.join(buildRoot, 'shim'));

    const env = {
      ...process.env,
      PKG_CONFIG_PATH: [pkgconfig, process.env.PKG_CONFIG_PATH].filter(Boolean).join(':'),
    };
    delete env.MEDIASOUP_WORKER_BIN;
    const jobs = String(Math.max(1, os.cpus().length));
    // The compiler's output goes to a log; its tail is shown only when the build fails.
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
    run('meson', [
      'setup',
      'out',
      '--wrap-mode=nodownload', // never fetch anything; a missing dependency is an error
      '--buildtype=release',
      '-Db_ndebug=if-release',
      '-Db_pie=true',
    ]);
    run('ninja', ['-C', 'out', `-j${jobs}`, 'mediasoup-worker']);
    fs.closeSync(logFd);

    const built = path.join(workerDir, 'out', 'mediasoup-worker');
    if (!fs.existsSync(built)) fail('the build finished but produced no mediasoup-worker binary');

    // Write to a temporary name and rename, so a cut-off build never leaves a half entry.
    fs.mkdirSync(entryDir, { recursive: true });
    const tmp = path.join(entryDir, `mediasoup-worker.tmp-${process.pid}`);
    fs.copyFileSync(built, tmp);
    fs.chmodSync(tmp, 0o755);
    fs.writeFileSync(path.join(entryDir, 'mediasoup-worker.sha256'), `${sha256File(tmp)}\n`);
    fs.writeFileSync(
      path.join(entryDir, 'build-inputs.txt'),
      `${buildInputs(version).split('|').join('\n')}\n`,
    );
    fs.renameSync(tmp, path.join(entryDir, 'mediasoup-worker'));
  } catch (err) {
    fail(`the worker build failed: ${err.message}`);
  } finally {
    fs.rmSync(buildRoot, { recursive: true, force: true });
  }
}

/** Where mediasoup looks for its worker when MEDIASOUP_WORKER_BIN is not set. */
export function defaultWorkerPath(msDir) {
  return path.join(msDir, 'worker', 'out', 'Release', 'mediasoup-worker');
}

function installInto(msDir, binary) {
  const target = defaultWorkerPath(msDir);
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
    log(`using MEDIASOUP_WORKER_BIN=${process.env.MEDIASOUP_WORKER_BIN} (nothing built)`);
    return;
  }

  const rebuild = process.env.LIVEDESK_WORKER_REBUILD === '1';
  const present = defaultWorkerPath(msDir);
  if (!rebuild && fs.existsSync(present)) {
    const smoke = smokeTest(present, msDir);
    if (smoke.ok) {
      log(`using the worker already present at ${present} (nothing built)`);
      return;
    }
    log(`the worker at ${present} does not start (${smoke.detail || 'no output'}); replacing it`);
  }

  const entryDir = path.join(cacheRoot(), 'mediasoup-worker', cacheKey(version));
  fs.mkdirSync(cacheRoot(), { recursive: true });
  const started = Date.now();
  if (!rebuild && validCacheEntry(entryDir, msDir)) {
    log(`restored from cache ${entryDir}`);
  } else {
    build(msDir, version, entryDir);
    const smoke = smokeTest(path.join(entryDir, 'mediasoup-worker'), msDir);
    if (!smoke.ok) fail(`the freshly built worker does not start: ${smoke.detail}`);
    log(`built and cached in ${entryDir} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
  const target = installInto(msDir, path.join(entryDir, 'mediasoup-worker'));
  log(`installed ${target}`);
}

// Run when executed (postinstall); tests import smokeTest/defaultWorkerPath without building.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
