import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// media/build-worker.mjs, the project's postinstall, as `npm install` runs it: a worker that is
// already there (mediasoup's own prebuilt on npm 10 with the internet, or an operator's
// MEDIASOUP_WORKER_BIN) is used without building anything; otherwise the worker is built offline
// from the npm tarball's sources with media/worker-patches/. The full build takes 10 minutes of
// CPU and is what `npm ci` itself does on a cold cache; here its configuration (nothing
// downloaded, every dependency from the system) and our libsrtp2 port are compiled for real.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(root, 'media/build-worker.mjs');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-worker-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

const mediasoupDir = (() => {
  let dir = path.dirname(createRequire(import.meta.url).resolve('mediasoup'));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();
const presentWorker = path.join(mediasoupDir, 'worker/out/Release/mediasoup-worker');

/** Runs the postinstall step with `env` and an empty cache of its own. */
function runBuildWorker(env: Record<string, string>) {
  const cache = fs.mkdtempSync(path.join(scratch, 'cache-'));
  const base = { ...process.env };
  delete base.MEDIASOUP_WORKER_BIN;
  delete base.LIVEDESK_WORKER_REBUILD;
  const result = spawnSync(process.execPath, [script], {
    cwd: root,
    env: { ...base, LIVEDESK_WORKER_CACHE_DIR: cache, ...env },
    encoding: 'utf8',
  });
  return { ...result, cacheEntries: fs.readdirSync(cache) };
}

describe('the mediasoup worker at npm install', () => {
  it('uses the worker already at mediasoup’s own path, verified by starting it, and builds nothing', () => {
    expect(fs.existsSync(presentWorker)).toBe(true);
    const before = fs.statSync(presentWorker).mtimeMs;
    const result = runBuildWorker({});
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`using the worker already present at ${presentWorker} (nothing built)`);
    // Nothing built, nothing cached, the binary untouched.
    expect(result.cacheEntries).toEqual([]);
    expect(fs.statSync(presentWorker).mtimeMs).toBe(before);
  });

  it('uses an operator’s MEDIASOUP_WORKER_BIN and builds nothing', () => {
    const own = path.join(fs.mkdtempSync(path.join(scratch, 'bin-')), 'mediasoup-worker');
    fs.copyFileSync(presentWorker, own);
    fs.chmodSync(own, 0o755);
    const result = runBuildWorker({ MEDIASOUP_WORKER_BIN: own });
    expect(result.status).toBe(0);
    expect(result.stdout).toContain(`using MEDIASOUP_WORKER_BIN=${own} (nothing built)`);
    expect(result.cacheEntries).toEqual([]);
  });

  it('refuses a MEDIASOUP_WORKER_BIN that is not a working worker, saying so', () => {
    const result = runBuildWorker({ MEDIASOUP_WORKER_BIN: '/bin/true' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('MEDIASOUP_WORKER_BIN does not start');
  });

  it('names the missing Debian packages with the exact install command before building', () => {
    // A PATH with everything the build needs except meson (and node itself).
    const bin = fs.mkdtempSync(path.join(scratch, 'path-'));
    for (const tool of ['g++', 'cc', 'ninja', 'pkg-config', 'flatc']) {
      const found = spawnSync('sh', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (found) fs.symlinkSync(found, path.join(bin, tool));
    }
    fs.symlinkSync(process.execPath, path.join(bin, 'node'));
    const result = runBuildWorker({ PATH: bin, LIVEDESK_WORKER_REBUILD: '1' });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('missing Debian package(s): meson');
    expect(result.stderr).toContain('sudo apt-get install -y --no-install-recommends meson');
    expect(result.stderr).toContain('npm run system-deps');
    // It stopped before building: nothing in the cache, the installed worker still there.
    expect(result.cacheEntries.filter((e) => e.startsWith('build-'))).toEqual([]);
    expect(fs.existsSync(presentWorker)).toBe(true);
  });

  it('builds offline: the patched sources configure from system libraries alone, and the libsrtp2 port compiles', async () => {
    const work = fs.mkdtempSync(path.join(scratch, 'build-'));
    const workerDir = path.join(work, 'worker');
    fs.cpSync(path.join(mediasoupDir, 'worker'), workerDir, { recursive: true });
    const patches = path.join(root, 'media/worker-patches/apply.mjs');
    const { applyWorkerPatches } = (await import(patches)) as {
      applyWorkerPatches: (workerDir: string, shimRoot: string) => string;
    };
    const pkgconfig = applyWorkerPatches(workerDir, path.join(work, 'shim'));

    // No wrap file is left, so nothing can be downloaded, and the port replaced upstream's files.
    const subprojects = fs.readdirSync(path.join(workerDir, 'subprojects'));
    expect(subprojects.filter((f) => f.endsWith('.wrap'))).toEqual([]);
    expect(fs.readFileSync(path.join(workerDir, 'src/RTC/SrtpSession.cpp'), 'utf8')).toContain(
      'libsrtp2 implementation',
    );
    // The DTLS BIO callback passes BIO_ctrl() results through (Debian's OpenSSL has kTLS: with
    // upstream's `==` test, BIO_get_ktls_send() answered 1 and the first DTLS handshake crashed).
    const dtls = fs.readFileSync(path.join(workerDir, 'src/RTC/DtlsTransport.cpp'), 'utf8');
    expect(dtls).toContain('(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1;');
    expect(dtls).not.toContain('operationType == BIO_CB_RETURN');

    const env = { ...process.env, PKG_CONFIG_PATH: pkgconfig };
    const run = (cmd: string, args: string[]) =>
      spawnSync(cmd, args, { cwd: workerDir, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const setup = run('meson', ['setup', 'out', '--wrap-mode=nodownload', '--buildtype=release']);
    expect(setup.stdout + setup.stderr).not.toMatch(/ERROR/);
    expect(setup.status).toBe(0);
    expect(setup.stdout).toMatch(/Run-time dependency libsrtp2 found: YES/);
    expect(setup.stdout).toMatch(/Run-time dependency unordered_dense found: YES/);
    // Nothing was fetched.
    expect(fs.existsSync(path.join(workerDir, 'subprojects/packagecache'))).toBe(false);

    // Our two libsrtp2 files (and the unordered_dense stand-in they include) and the patched
    // DtlsTransport compile against Debian's headers with mediasoup's own flags and its generated
    // FlatBuffers headers.
    const compile = run('ninja', [
      '-C',
      'out',
      'mediasoup-worker.p/src_RTC_SrtpSession.cpp.o',
      'mediasoup-worker.p/src_DepLibSRTP.cpp.o',
      'mediasoup-worker.p/src_RTC_DtlsTransport.cpp.o',
    ]);
    expect(compile.stdout.split('\n').filter((l) => /error:/.test(l))).toEqual([]);
    expect(compile.status).toBe(0);
  }, 600_000);
});
