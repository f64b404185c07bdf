import { performance } from 'node:perf_hooks';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { benchNodeEnv, setUpPairs } from './chatSetup';
import { failToDriver, installProbe, sendToDriver } from './serverProbe';

async function main() {
  const pairCount = Number(process.argv[2]);
  const role = process.argv[3] ?? 'primary';
  if (!Number.isInteger(pairCount) || pairCount < 0 || (role !== 'primary' && role !== 'secondary'))
    throw new Error('usage: chatServer.ts <pairs> [primary|secondary]');
  if (!process.send) throw new Error('chatServer.ts is started by bench/chat.ts with an IPC channel');

  const started = performance.now();
  const config = loadConfig({
    ...process.env,
    ...benchNodeEnv('livedesk-bench-'),
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
