// The server half of `npm run bench:chat` (see bench/chat.ts for what is measured and how).
//
// Runs ONE real Livedesk app (HTTP + socket.io + mediasoup + database, exactly the production
// wiring from `createApp`) in its own process, so the driver's client load never shares this event
// loop. Its configuration is `loadConfig` over this process's environment, as `npm start` builds it
// (server/main.ts), with only what a benchmark must set on top: a random loopback port, a fresh
// temporary DATA_DIR (so the embedded PGlite keeps its data on disk in `<DATA_DIR>/db`, as
// `npm start` does; removed at exit), no demo accounts and no log lines. The driver chooses the
// backend through the environment it gives this process: DATABASE_URL (a database of the run's
// own) for PostgreSQL, none for the embedded PGlite; REDIS_URL and REDIS_KEY_PREFIX for two nodes.
// It is started by the driver with an IPC channel:
//
//   tsx bench/chatServer.ts <pairs> [primary|secondary]
//
// and then:
//   1. primary: creates <pairs> customer/agent pairs with a chat ticket each (bench/chatSetup.ts);
//      secondary (the second node of a two-node run): only starts, on the database and Redis the
//      primary has set up;
//   2. sends the driver `{ type: 'ready', url, pairs: [{ customerToken, agentToken, ticketId }] }`;
//   3. answers `{ type: 'stats', id, gc }` with its memory, CPU time, event-loop utilisation,
//      event-loop delay, GC pauses, involuntary context switches and socket disconnects
//      (bench/serverProbe.ts);
//   4. on `{ type: 'shutdown' }` (or when the driver goes away) closes the app and exits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { setUpPairs } from './chatSetup';
import { failToDriver, installProbe, sendToDriver } from './serverProbe';

async function main() {
  const pairCount = Number(process.argv[2]);
  const role = process.argv[3] ?? 'primary';
  if (!Number.isInteger(pairCount) || pairCount < 0 || (role !== 'primary' && role !== 'secondary'))
    throw new Error('usage: chatServer.ts <pairs> [primary|secondary]');
  if (!process.send) throw new Error('chatServer.ts is started by bench/chat.ts with an IPC channel');

  const started = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-bench-'));
  // Also when the start fails or the driver kills this process's app: never leave a database behind.
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  const config = loadConfig({
    ...process.env,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: dataDir,
    // Every node signs and verifies the tokens the primary issues.
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256',
    // Each simulated person sends far faster than a human may (the per-person chat limit would
    // refuse most of it): lifted so the message path itself is measured, the limit's check still
    // on it. Set in the environment to measure with the limit as shipped.
    CHAT_MESSAGES_PER_TEN_SECONDS: process.env.CHAT_MESSAGES_PER_TEN_SECONDS ?? '1000000000',
    TYPING_EVENTS_PER_TEN_SECONDS: process.env.TYPING_EVENTS_PER_TEN_SECONDS ?? '1000000000',
  });
  const app = await createApp(config, { logger: createLogger(config) });
  const probe = installProbe({
    sockets: () => app.io.engine.clientsCount,
    onDisconnect: (listener) => app.io.on('connection', (socket) => socket.on('disconnect', listener)),
    close: () => app.close(),
  });

  const { url } = await app.listen();
  const pairs =
    role === 'primary'
      ? await setUpPairs(app, pairCount, (message) => sendToDriver({ type: 'progress', message }))
      : [];
  probe.start();
  sendToDriver({
    type: 'ready',
    url,
    pairs,
    setupMs: performance.now() - started,
    gcExposed: probe.gcExposed,
  });
}

main().catch(failToDriver);
