import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

// `npm install` brings the Debian packages Livedesk needs (Chromium for the tests, FFmpeg for
// recordings, a CJK font) when it can, and otherwise stops with the exact command to run. The
// real script runs here, as an unprivileged user (nobody) when the tests run as root, on a copy
// whose list also names a package no machine has.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const script = path.join(root, '.ci/install-system-packages.sh');
const ABSENT = 'livedesk-no-such-package';
/** The script asks dpkg about each of a dozen packages: seconds on a busy machine. */
const SCRIPT_TIMEOUT_MS = 60_000;
/** media/build-worker.mjs builds mediasoup's worker against these (see docs/mediasoup.md). */
const WORKER_BUILD_PACKAGES = [
  'g++',
  'pkg-config',
  'meson',
  'ninja-build',
  'libssl-dev',
  'libuv1-dev',
  'libsrtp2-dev',
  'libabsl-dev',
  'libflatbuffers-dev',
  'flatbuffers-compiler',
];
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-sysdeps-'));
fs.chmodSync(scratch, 0o755);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Runs the script (or a copy of it with `extra` packages added to its list) without root. */
function runUnprivileged(extra: string[] = []) {
  // Always a copy: the checkout itself may sit where the unprivileged user cannot read (a 0700
  // temporary directory, a home directory).
  const dir = fs.mkdtempSync(path.join(scratch, 'ci-'));
  fs.chmodSync(dir, 0o755);
  const target = path.join(dir, 'install-system-packages.sh');
  fs.copyFileSync(script, target);
  const list = fs.readFileSync(path.join(root, '.ci/system-packages.txt'), 'utf8');
  fs.writeFileSync(path.join(dir, 'system-packages.txt'), `${list}${extra.map((p) => `${p}\n`).join('')}`);
  for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
  const asRoot = process.getuid?.() === 0;
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch };
  return asRoot
    ? spawnSync('setpriv', ['--reuid=nobody', '--regid=nogroup', '--clear-groups', 'bash', target], {
        env,
        encoding: 'utf8',
      })
    : spawnSync('bash', [target], { env, encoding: 'utf8' });
}

describe('system packages at npm install', () => {
  it("is part of npm install (package.json's postinstall), before the worker build", () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(pkg.scripts.postinstall).toMatch(
      /^bash \.ci\/install-system-packages\.sh && node media\/build-worker\.mjs$/,
    );
    expect(pkg.scripts['system-deps']).toBe('bash .ci/install-system-packages.sh');
  });

  it('names Chromium, FFmpeg, a CJK font and what the offline mediasoup worker build needs', () => {
    const list = fs.readFileSync(path.join(root, '.ci/system-packages.txt'), 'utf8');
    const packages = list
      .split('\n')
      .map((l) => l.replace(/#.*/, '').trim())
      .filter(Boolean);
    expect(packages).toEqual(['chromium', 'ffmpeg', 'fonts-wqy-microhei', ...WORKER_BUILD_PACKAGES]);
  });

  it(
    'stops with the exact command when a package is missing and it cannot install',
    () => {
      const result = runUnprivileged([ABSENT]);
      expect(result.status).toBe(1);
      // Only what is missing is named; the installed ones are not installed again.
      expect(result.stderr).toContain(`missing ${ABSENT}`);
      expect(result.stderr).toContain(`apt-get install -y --no-install-recommends ${ABSENT}'`);
      expect(result.stderr).not.toMatch(/install -y --no-install-recommends .*chromium/);
    },
    SCRIPT_TIMEOUT_MS,
  );

  it(
    'passes quietly when everything is present, without privileges',
    () => {
      const result = runUnprivileged();
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      expect(result.stdout).toContain(
        `chromium ffmpeg fonts-wqy-microhei ${WORKER_BUILD_PACKAGES.join(' ')} present`,
      );
    },
    SCRIPT_TIMEOUT_MS,
  );
});
