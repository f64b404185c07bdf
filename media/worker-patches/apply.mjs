// Turns a copy of the mediasoup worker sources from the npm tarball into one that builds offline
// against Debian's libraries. Used by media/build-worker.mjs; every change is listed here, each
// with its reason, and each fails loudly when the upstream text it expects is gone (so a mediasoup
// upgrade shows exactly which patch needs a look instead of building something half-patched).
//
// What mediasoup 3.2x expects, and what it gets here instead:
//   - meson >= 1.1.0                          Debian 12 has 1.0.1, which builds it unchanged
//   - subprojects downloaded through .wrap    stand-in subprojects (subprojects/*/meson.build
//     files (libuv, openssl, libsrtp3,        here) that hand mediasoup's meson.build the same
//     flatbuffers, abseil-cpp, catch2, ...)   variable names backed by pkg-config's system libs
//   - ankerl::unordered_dense (a wrap)        include/ankerl/unordered_dense.h, found through a
//                                             generated unordered_dense.pc
//   - libsrtp3 (versatica's fork)             libsrtp2 2.5: src/RTC/SrtpSession.cpp and
//                                             src/DepLibSRTP.cpp are our port, plus one renamed
//                                             call in include/RTC/SrtpSession.hpp
//   - an OpenSSL built without kTLS           Debian's has kTLS: one fix in DtlsTransport.cpp's
//                                             BIO callback (see TEXT_EDITS)
// The build is configured with --wrap-mode=nodownload, so anything missed fails instead of fetching.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PATCH_DIR = path.dirname(fileURLToPath(import.meta.url));

/** Stand-in subprojects: the names mediasoup's meson.build passes to subproject(). */
const SHIM_SUBPROJECTS = ['libuv', 'openssl', 'libsrtp3', 'flatbuffers', 'abseil-cpp'];

/** Files of ours that replace upstream files of the same relative path. */
const REPLACED_SOURCES = ['src/RTC/SrtpSession.cpp', 'src/DepLibSRTP.cpp'];

/** Exact text edits: [file, from, to, why]. Each `from` must occur exactly once. */
const TEXT_EDITS = [
  [
    'meson.build',
    "meson_version: '>= 1.1.0'",
    "meson_version: '>= 1.0.0'",
    "Debian 12's meson is 1.0.1; nothing in the worker's build files needs 1.1",
  ],
  [
    'include/RTC/SrtpSession.hpp',
    'srtp_stream_remove(this->session',
    'srtp_remove_stream(this->session',
    'libsrtp2 names the function srtp_remove_stream (libsrtp3 renamed it)',
  ],
  [
    'src/RTC/DtlsTransport.cpp',
    '(operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1;',
    '(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1;',
    // OpenSSL calls the BIO callback after every operation with BIO_CB_RETURN OR-ed into the
    // operation (BIO_CB_CTRL | BIO_CB_RETURN, ...), so upstream's `==` never matches and the
    // callback turns every BIO_ctrl() result on the outgoing BIO into 1. Debian's OpenSSL is built
    // with kTLS, so BIO_get_ktls_send() is a real BIO_ctrl() that then answers "yes": OpenSSL
    // allocates no record write buffer and the worker dies (SIGSEGV in SSL_read) writing the
    // ServerHello of the first DTLS handshake. mediasoup's own OpenSSL is built without kTLS.
    'the DTLS BIO callback must pass BIO_ctrl() results through (a kTLS OpenSSL crashed on 1)',
  ],
];

/** Every file whose content feeds the build, so the cache key changes when a patch changes. */
export function patchFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(PATCH_DIR);
  return files.sort();
}

function editOnce(workerDir, [file, from, to, why]) {
  const target = path.join(workerDir, file);
  const text = fs.readFileSync(target, 'utf8');
  const count = text.split(from).length - 1;
  if (count !== 1) {
    throw new Error(
      `patch for ${file} (${why}) expected "${from}" once and found it ${count} times; ` +
        'the mediasoup sources changed: review media/worker-patches/',
    );
  }
  fs.writeFileSync(target, text.replace(from, to));
}

/**
 * Applies every change to `workerDir` (a copy of node_modules/mediasoup/worker) and prepares
 * `shimRoot` (a folder outside it) for the unordered_dense pkg-config file. Returns the
 * PKG_CONFIG_PATH entry to prepend for the build.
 */
export function applyWorkerPatches(workerDir, shimRoot) {
  for (const edit of TEXT_EDITS) editOnce(workerDir, edit);

  for (const file of REPLACED_SOURCES) {
    const target = path.join(workerDir, file);
    if (!fs.existsSync(target)) {
      throw new Error(`${file} no longer exists in the mediasoup sources: review the libsrtp2 port`);
    }
    fs.copyFileSync(path.join(PATCH_DIR, file), target);
  }

  // No .wrap file may remain: meson would prefer it over our folder, and a wrap means a download.
  const subprojects = path.join(workerDir, 'subprojects');
  for (const entry of fs.readdirSync(subprojects)) {
    if (entry.endsWith('.wrap')) fs.rmSync(path.join(subprojects, entry));
  }
  for (const name of SHIM_SUBPROJECTS) {
    const dest = path.join(subprojects, name);
    fs.cpSync(path.join(PATCH_DIR, 'subprojects', name), dest, { recursive: true });
    fs.copyFileSync(path.join(PATCH_DIR, 'subprojects', 'empty.c'), path.join(dest, 'empty.c'));
  }

  // mediasoup asks for dependency('unordered_dense'); with its wrap gone, pkg-config answers.
  const include = path.join(shimRoot, 'include');
  fs.cpSync(path.join(PATCH_DIR, 'include'), include, { recursive: true });
  const pkgconfig = path.join(shimRoot, 'pkgconfig');
  fs.mkdirSync(pkgconfig, { recursive: true });
  fs.writeFileSync(
    path.join(pkgconfig, 'unordered_dense.pc'),
    [
      'Name: unordered_dense',
      'Description: Livedesk stand-in mapping ankerl::unordered_dense onto the std containers',
      'Version: 4.8.1',
      `Cflags: -I${include}`,
      '',
    ].join('\n'),
  );
  return pkgconfig;
}
