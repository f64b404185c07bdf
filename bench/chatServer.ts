// The server half of `npm run bench:chat` (see bench/chat.ts for what is measured and how).
//
// Runs ONE real Livedesk app (HTTP + socket.io + mediasoup + in-memory PGlite, exactly the
// production wiring from `createApp`) in its own process, so the driver's client load never shares
// this event loop. It is started by the driver with an IPC channel:
//
//   tsx bench/chatServer.ts <pairs>
//
// and then:
//   1. creates <pairs> customers and <pairs> L1 agents through `app.users.create` (argon2: two
//      hashes at a time) and pre-issues a token for each, so no HTTP login is part of the benchmark;
//   2. turns auto-assignment off and, per pair, opens a chat ticket as the customer and posts one
//      greeting from the pair's agent. Every ticket is then "open" with its first response
//      recorded: the steady state of an ongoing conversation, where a message changes no ticket
//      state and so causes no `ticket:changed` broadcast to every staff socket;
//   3. sends the driver `{ type: 'ready', url, pairs: [{ customerToken, agentToken, ticketId }] }`;
//   4. answers `{ type: 'stats', id, gc }` with its memory, CPU time, event-loop utilisation,
//      event-loop delay and GC pauses (both restart on every request), involuntary context switches
//      and socket disconnects by reason; with `gc` (and --expose-gc, which the driver passes) it
//      collects garbage first so memory figures compare;
//   5. on `{ type: 'shutdown' }` (or when the driver goes away) closes the app and exits.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';
import { createApp, type LivedeskApp } from '../server/app';
import { type Config, loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import type { PublicUser } from '../signaling/shared/protocol';

export interface BenchPair {
  customerToken: string;
  agentToken: string;
  ticketId: string;
}

export interface ServerStats {
  rss: number;
  heapUsed: number;
  external: number;
  arrayBuffers: number;
  /** process.cpuUsage(), microseconds since start. */
  cpuUserUs: number;
  cpuSystemUs: number;
  /** performance.eventLoopUtilization(), cumulative milliseconds. */
  eluIdleMs: number;
  eluActiveMs: number;
  /** Event-loop delay since the previous stats request, milliseconds. */
  loopDelayP50Ms: number;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  /** Garbage-collection pauses since the previous stats request (the forced ones excluded). */
  gcPauseMaxMs: number;
  gcPauseTotalMs: number;
  /** process.resourceUsage(): being preempted by other processes shows up as event-loop stalls. */
  involuntaryContextSwitches: number;
  /** Engine.io clients currently connected. */
  sockets: number;
  /** Server-side socket disconnects since start, by socket.io reason (e.g. `ping timeout`). */
  disconnects: Record<string, number>;
  at: number;
}

export type ServerToDriver =
  | { type: 'progress'; message: string }
  | { type: 'ready'; url: string; pairs: BenchPair[]; setupMs: number; gcExposed: boolean }
  | { type: 'stats'; id: number; stats: ServerStats }
  | { type: 'error'; message: string };

export type DriverToServer = { type: 'stats'; id: number; gc: boolean } | { type: 'shutdown' };

const PASSWORD = 'bench-password-not-for-production';

function send(message: ServerToDriver) {
  process.send?.(message);
}

function progress(message: string) {
  send({ type: 'progress', message });
}

async function setUp(app: LivedeskApp, pairCount: number): Promise<BenchPair[]> {
  // No auto-assignment: with thousands of agents every new ticket would rank them all. Tickets stay
  // unassigned; an L1 agent may work any L1 ticket, and assignment plays no part in sending.
  await app.settings.update({ autoAssign: false });
  const started = performance.now();
  const pairs: BenchPair[] = new Array(pairCount);
  let done = 0;

  const openTicket = async (i: number, customer: PublicUser, agent: PublicUser) => {
    const ticket = await app.tickets.create(customer, {
      subject: `Benchmark chat ${i}`,
      description: 'A chat opened by the live chat benchmark.',
      category: 'other',
      channel: 'chat',
      attachmentIds: [],
    });
    await app.messages.send(agent, {
      ticketId: ticket.id,
      body: 'Hello, I am looking into this now.',
      internal: false,
      clientMessageId: `greeting-${i}`,
      attachmentIds: [],
    });
    pairs[i] = {
      customerToken: app.tokens.issue({ sub: customer.id, role: customer.role }).token,
      agentToken: app.tokens.issue({ sub: agent.id, role: agent.role }).token,
      ticketId: ticket.id,
    };
    if (++done % 500 === 0 || done === pairCount) {
      const seconds = (performance.now() - started) / 1000;
      progress(`set up ${done}/${pairCount} pairs (accounts, ticket, greeting) in ${seconds.toFixed(1)} s`);
    }
  };

  // Two lanes on a 2-core machine: a pair's two argon2 hashes run on the thread pool while the
  // tickets of the pairs created so far are written, in order, on this thread. More hashes in
  // parallel only starve this thread (measured: slower overall).
  let ticketLane: Promise<void> = Promise.resolve();
  for (let i = 0; i < pairCount; i++) {
    const [customer, agent] = await Promise.all([
      app.users.create({
        email: `bench-customer-${i}@bench.livedesk`,
        name: `Bench Customer ${i}`,
        password: PASSWORD,
        role: 'customer',
        skills: [],
        locale: 'en',
      }),
      app.users.create({
        email: `bench-agent-${i}@bench.livedesk`,
        name: `Bench Agent ${i}`,
        password: PASSWORD,
        role: 'agent',
        tier: 'L1',
        skills: [],
        locale: 'en',
      }),
    ]);
    ticketLane = ticketLane.then(() => openTicket(i, customer, agent));
  }
  await ticketLane;
  return pairs;
}

async function main() {
  const pairCount = Number(process.argv[2]);
  if (!Number.isInteger(pairCount) || pairCount < 1) throw new Error('usage: chatServer.ts <pairs>');
  if (!process.send) throw new Error('chatServer.ts is started by bench/chat.ts with an IPC channel');

  const started = performance.now();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-bench-'));
  const config: Config = {
    ...loadConfig({
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'silent',
      MEDIASOUP_WORKERS: '1',
      RTC_LISTEN_IP: '127.0.0.1',
      SEED_DEMO: 'false',
      SLA_CHECK_INTERVAL_SECONDS: '0',
      DATA_DIR: dataDir,
      JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256',
      LOGIN_MAX_ATTEMPTS_PER_IP: '1000000',
    }),
    database: { kind: 'pglite', dir: null },
  };
  const app = await createApp(config, { logger: createLogger(config) });

  let closing: Promise<void> | undefined;
  const shutdown = (code: number) => {
    closing ??= (async () => {
      const timer = setTimeout(() => process.exit(code), 10_000);
      timer.unref();
      await app.close().catch(() => undefined);
      fs.rmSync(dataDir, { recursive: true, force: true });
      process.exit(code);
    })();
    return closing;
  };
  process.on('disconnect', () => void shutdown(0));
  process.on('SIGTERM', () => void shutdown(0));
  process.on('SIGINT', () => void shutdown(0));

  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  const gcPauses = { max: 0, total: 0, ignore: false };
  new PerformanceObserver((list) => {
    if (gcPauses.ignore) return;
    for (const entry of list.getEntries()) {
      gcPauses.total += entry.duration;
      if (entry.duration > gcPauses.max) gcPauses.max = entry.duration;
    }
  }).observe({ entryTypes: ['gc'] });
  const disconnects: Record<string, number> = {};
  app.io.on('connection', (socket) => {
    socket.on('disconnect', (reason) => {
      disconnects[reason] = (disconnects[reason] ?? 0) + 1;
    });
  });
  const gc = (globalThis as { gc?: () => void }).gc;
  process.on('message', (raw) => {
    const message = raw as DriverToServer;
    if (message.type === 'shutdown') {
      void shutdown(0);
      return;
    }
    if (message.type === 'stats') void answerStats(message);
  });
  // RSS moves by tens of MiB around a collection (pages are given back lazily), so a memory sample
  // collects, lets the heap settle and collects again.
  const answerStats = async (message: Extract<DriverToServer, { type: 'stats' }>) => {
    if (message.gc && gc) {
      gcPauses.ignore = true;
      gc();
      await new Promise((resolve) => setTimeout(resolve, 500));
      gc();
      // The observer reports asynchronously: let it see the forced collections while ignored.
      await new Promise((resolve) => setImmediate(resolve));
      gcPauses.ignore = false;
    }
    const memory = process.memoryUsage();
    const cpu = process.cpuUsage();
    const elu = performance.eventLoopUtilization();
    const ns = 1e6;
    send({
      type: 'stats',
      id: message.id,
      stats: {
        rss: memory.rss,
        heapUsed: memory.heapUsed,
        external: memory.external,
        arrayBuffers: memory.arrayBuffers,
        cpuUserUs: cpu.user,
        cpuSystemUs: cpu.system,
        eluIdleMs: elu.idle,
        eluActiveMs: elu.active,
        loopDelayP50Ms: loopDelay.count ? loopDelay.percentile(50) / ns : 0,
        loopDelayP99Ms: loopDelay.count ? loopDelay.percentile(99) / ns : 0,
        loopDelayMaxMs: loopDelay.count ? loopDelay.max / ns : 0,
        involuntaryContextSwitches: process.resourceUsage().involuntaryContextSwitches,
        gcPauseMaxMs: gcPauses.max,
        gcPauseTotalMs: gcPauses.total,
        sockets: app.io.engine.clientsCount,
        disconnects: { ...disconnects },
        at: Date.now(),
      },
    });
    loopDelay.reset();
    gcPauses.max = 0;
    gcPauses.total = 0;
  };

  const { url } = await app.listen();
  const pairs = await setUp(app, pairCount);
  loopDelay.enable();
  send({ type: 'ready', url, pairs, setupMs: performance.now() - started, gcExposed: Boolean(gc) });
}

main().catch((err: unknown) => {
  send({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 1000).unref();
});
