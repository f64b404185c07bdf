// Live chat delivery benchmark: `npm run bench:chat [-- --levels 100,1000,5000 --rounds 6]`.
//
// WHAT IS MEASURED
//   Customer/agent socket.io pairs chatting through ONE real Livedesk server process, at several
//   numbers of concurrently connected sockets (default 100, 1,000 and 5,000, i.e. 50, 500 and
//   2,500 pairs). For each level:
//   - delivery latency: from the moment the sender emits `message:send` to the moment the OTHER
//     socket of the pair receives `message:created` for that message (matched by clientMessageId);
//     both instants are taken with performance.now() in this process, so no clocks are compared;
//   - ack latency: from the same emit to the sender's ack (`{ ok: true }` after the message is
//     stored);
//   - messages per second: delivered messages / (last delivery − first send), next to the offered
//     rate of the load model;
//   - memory per connected socket: the server's RSS (and V8 heap) right before and right after
//     connecting and subscribing the level's new sockets, both after a forced GC, divided by the
//     number of new sockets;
//   - context: server CPU time, event-loop utilisation, event-loop delay (p99 and the longest
//     stall: socket.io heartbeats cannot run during a stall, and one over ~20 s drops sockets),
//     sockets dropped mid-run, and this driver's own event-loop delay (a busy driver would
//     inflate the latencies it measures). Any event other than `message:created` that reaches the
//     sockets is counted too (none is expected in a conversation's steady state).
//   One saturation run at 100 sockets (when 100 is among the levels) sends back-to-back to find the
//   maximum messages per second one server process sustains.
//
// HOW
//   bench/chatServer.ts is forked with an IPC channel; it starts the app from `createApp` with an
//   in-memory PGlite database, creates one customer and one L1 agent per pair, opens one chat
//   ticket per pair (with an agent greeting, so the conversation is in its steady state) and sends
//   back tokens and ticket ids. Setup is not measured; at 2,500 pairs it takes one to two minutes,
//   mostly the 5,000 argon2 hashes. This driver connects sockets in batches
//   (websocket transport, one connection per socket, `ticket:subscribe` on both sides). Levels run
//   in ascending order and are cumulative: the sockets of a smaller level stay connected and take
//   part in the next one, which only adds the missing sockets.
//
// LOAD MODEL (paced run)
//   Each pair sends one message every --interval-ms (default 2,500 ms), alternating customer and
//   agent, for --rounds rounds (default 6); the pairs' start times are spread evenly over one
//   interval, so the offered load is pairs / interval. A pair has at most one message in flight: if
//   its previous message is not yet delivered and acknowledged when the next one is due, the next is
//   sent late (the schedule slip is reported). 1,000 sockets at 2.5 s is a busy desk: 500 chats
//   with a message every 2.5 s each, 200 messages per second. Saturation: each of the 50 pairs at
//   100 sockets sends its next message as soon as the previous one is delivered and acknowledged
//   (50 in flight), --saturation-rounds messages per pair (default 40).
//
// BOUNDS
//   Every level is bounded by its message count and a deadline (paced: rounds × interval + 30 s);
//   each message by a 15 s timeout (counted as lost / error); the whole run by --timeout-s
//   (default 600), after which the server is stopped and the process exits with status 1.
//   Results are printed to stdout (progress goes to stderr) and written as JSON to
//   bench/results/chat-<date>.json. The 50 ms p99 target at 1,000 sockets is reported, not asserted.
//   BENCH_SERVER_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") adds Node flags to the
//   server process, for profiling.
import { execSync, fork } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, MessageView, ServerToClientEvents } from '../signaling/shared/protocol';
import type { BenchPair, DriverToServer, ServerStats, ServerToDriver } from './chatServer';
import {
  fmt,
  fmtBytes,
  formatTable,
  ratio,
  round,
  roundSummary,
  type Summary,
  summarize,
  writeResults,
} from './stats';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
type Side = 'customer' | 'agent';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const TARGET = { sockets: 1000, p99Ms: 50 };
const MESSAGE_TIMEOUT_MS = 15_000;
const CONNECT_TIMEOUT_MS = 20_000;
const SETUP_TIMEOUT_MS = 300_000;
/** Descriptors each process needs beyond one per socket (database, mediasoup, stdio, …). */
const FD_MARGIN = 200;
const SATURATION_SOCKETS = 100;
/** A realistic chat line (~100 characters). */
const FILLER = 'thanks, I tried that but the page still shows the old invoice after a refresh';

// ---------------------------------------------------------------------------------------------
// Options

const HELP = `Usage: npm run bench:chat -- [options]
  --levels <list>            concurrent sockets per level, even numbers (default 100,1000,5000)
  --rounds <n>               paced messages per pair per level (default 6)
  --interval-ms <ms>         paced: one message per pair every <ms> (default 2500)
  --saturation-rounds <n>    back-to-back messages per pair at 100 sockets, 0 to skip (default 40)
  --batch <n>                sockets connected at a time (default 200)
  --timeout-s <s>            hard limit for the whole run (default 600)`;

function options() {
  const { values } = parseArgs({
    options: {
      levels: { type: 'string', default: '100,1000,5000' },
      rounds: { type: 'string', default: '6' },
      'interval-ms': { type: 'string', default: '2500' },
      'saturation-rounds': { type: 'string', default: '40' },
      batch: { type: 'string', default: '200' },
      'timeout-s': { type: 'string', default: '600' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const int = (name: string, raw: string, min: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min} (got "${raw}")`);
    return n;
  };
  const levels = [...new Set(values.levels.split(',').map((s) => int('levels', s.trim(), 2)))].sort(
    (a, b) => a - b,
  );
  for (const level of levels) if (level % 2) fail(`--levels: ${level} is odd; each pair is two sockets`);
  return {
    levels,
    rounds: int('rounds', values.rounds, 1),
    intervalMs: int('interval-ms', values['interval-ms'], 10),
    saturationRounds: int('saturation-rounds', values['saturation-rounds'], 0),
    batch: int('batch', values.batch, 2),
    timeoutS: int('timeout-s', values['timeout-s'], 10),
  };
}

function fail(message: string): never {
  console.error(`bench:chat: ${message}`);
  process.exit(2);
}

const log = (message: string) => console.error(`[bench:chat] ${message}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The soft limit on open files, as `ulimit -n` reports it in a shell this process starts. */
function openFileLimit(): number {
  try {
    const out = execSync('ulimit -n', { shell: '/bin/sh', encoding: 'utf8' }).trim();
    return out === 'unlimited' ? Number.POSITIVE_INFINITY : Number(out);
  } catch {
    return Number.NaN;
  }
}

// ---------------------------------------------------------------------------------------------
// The server process

type Server = Awaited<ReturnType<typeof startServer>>;

async function startServer(pairCount: number) {
  const child = fork(path.join(BENCH_DIR, 'chatServer.ts'), [String(pairCount)], {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiters = new Map<number, (stats: ServerStats) => void>();
  let nextId = 1;
  const ready = new Promise<Extract<ServerToDriver, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('the server did not finish its setup in time')),
      SETUP_TIMEOUT_MS,
    );
    child.on('message', (raw) => {
      const message = raw as ServerToDriver;
      if (message.type === 'progress') log(`server: ${message.message}`);
      else if (message.type === 'error') reject(new Error(`server failed: ${message.message}`));
      else if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else if (message.type === 'stats') {
        waiters.get(message.id)?.(message.stats);
        waiters.delete(message.id);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${signal ?? code}) before it was ready`));
    });
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const post = (message: DriverToServer) => child.connected && child.send(message);
  return {
    child,
    ready,
    /** The server's memory, CPU and loop figures; `gc` collects garbage first. */
    stats(gc: boolean): Promise<ServerStats> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error('the server did not answer a stats request')),
          30_000,
        );
        waiters.set(id, (stats) => {
          clearTimeout(timer);
          resolve(stats);
        });
        post({ type: 'stats', id, gc });
      });
    },
    async stop() {
      post({ type: 'shutdown' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Server CPU (% of one core), event-loop utilisation and delay between two stats samples. */
function serverUsage(a: ServerStats, b: ServerStats) {
  const wallMs = b.at - a.at;
  const cpuMs = (b.cpuUserUs - a.cpuUserUs + b.cpuSystemUs - a.cpuSystemUs) / 1000;
  const active = b.eluActiveMs - a.eluActiveMs;
  const idle = b.eluIdleMs - a.eluIdleMs;
  return {
    cpuPercent: round(ratio(cpuMs, wallMs) * 100, 1),
    eluPercent: round(ratio(active, active + idle) * 100, 1),
    loopDelayP99Ms: round(b.loopDelayP99Ms, 1),
    loopDelayMaxMs: round(b.loopDelayMaxMs, 1),
    gcPauseMaxMs: round(b.gcPauseMaxMs, 1),
    gcPausePercent: round(ratio(b.gcPauseTotalMs, wallMs) * 100, 1),
    involuntaryContextSwitchesPerSecond: round(
      ratio(b.involuntaryContextSwitches - a.involuntaryContextSwitches, wallMs) * 1000,
      1,
    ),
  };
}

// ---------------------------------------------------------------------------------------------
// Sockets and messages

interface Pair {
  index: number;
  ticketId: string;
  customer: ClientSocket;
  agent: ClientSocket;
}

/** One measured run: its samples and failures. */
class Phase {
  readonly delivery: number[] = [];
  readonly ack: number[] = [];
  readonly slip: number[] = [];
  sent = 0;
  lost = 0;
  errors = 0;
  skipped = 0;
  readonly errorCodes = new Map<string, number>();
  firstSend = Number.POSITIVE_INFINITY;
  lastDelivery = 0;

  error(code: string) {
    this.errors++;
    this.errorCodes.set(code, (this.errorCodes.get(code) ?? 0) + 1);
  }
}

interface InFlight {
  phase: Phase;
  from: Side;
  sentAt: number;
  delivered: boolean;
  acked: boolean;
  finish(): void;
}

const inFlight = new Map<string, InFlight>();
let unexpectedDisconnects = 0;
const disconnectReasons = new Map<string, number>();
/** Gaps between two server heartbeats (engine.io pings) on one socket; clients drop after 45 s. */
let heartbeatGaps: number[] = [];
const otherEvents = new Map<string, number>();

function onMessageCreated(side: Side, message: MessageView) {
  const entry = inFlight.get(message.clientMessageId ?? '');
  // The sender receives its own message too (it is in the ticket's room); only the other side counts.
  if (!entry || entry.from === side || entry.delivered) return;
  const now = performance.now();
  entry.delivered = true;
  entry.phase.delivery.push(now - entry.sentAt);
  if (now > entry.phase.lastDelivery) entry.phase.lastDelivery = now;
  if (entry.acked) entry.finish();
}

/** Sends one message and resolves once it is delivered and acknowledged, failed, or timed out. */
function sendOne(
  phase: Phase,
  pair: Pair,
  from: Side,
  clientMessageId: string,
  label: string,
): Promise<void> {
  const socket = from === 'customer' ? pair.customer : pair.agent;
  if (!socket.connected) {
    // Dropped earlier in the run (no reconnection): fail fast instead of waiting out the timeout.
    phase.sent++;
    phase.error('socket_disconnected');
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (!entry.delivered && entry.acked) phase.lost++;
      if (!entry.acked) phase.error('ack_timeout');
      inFlight.delete(clientMessageId);
      resolve();
    }, MESSAGE_TIMEOUT_MS);
    const entry: InFlight = {
      phase,
      from,
      sentAt: 0,
      delivered: false,
      acked: false,
      finish() {
        clearTimeout(timer);
        inFlight.delete(clientMessageId);
        resolve();
      },
    };
    inFlight.set(clientMessageId, entry);
    const body = `${label} ${from} #${pair.index}: ${FILLER}`;
    entry.sentAt = performance.now();
    if (entry.sentAt < phase.firstSend) phase.firstSend = entry.sentAt;
    phase.sent++;
    socket
      .timeout(MESSAGE_TIMEOUT_MS)
      .emit('message:send', { ticketId: pair.ticketId, body, clientMessageId }, (err, result) => {
        if (err || !result.ok) {
          // Not stored, so never delivered: an error, not a loss. The timer settles it.
          if (!err && !result.ok) phase.error(result.error.code);
          if (!err) {
            entry.acked = true;
            entry.finish();
          }
          return;
        }
        entry.phase.ack.push(performance.now() - entry.sentAt);
        entry.acked = true;
        if (entry.delivered) entry.finish();
      });
  });
}

function connectSocket(url: string, token: string, side: Side): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, {
    auth: { token },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    timeout: CONNECT_TIMEOUT_MS,
  });
  socket.on('message:created', (message) => onMessageCreated(side, message));
  socket.onAny((event: string) => {
    if (event !== 'message:created') otherEvents.set(event, (otherEvents.get(event) ?? 0) + 1);
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => {
      let lastPing = performance.now();
      socket.io.engine.on('ping', () => {
        const now = performance.now();
        heartbeatGaps.push(now - lastPing);
        lastPing = now;
      });
      socket.on('disconnect', (reason) => {
        if (reason === 'io client disconnect') return;
        unexpectedDisconnects++;
        disconnectReasons.set(reason, (disconnectReasons.get(reason) ?? 0) + 1);
      });
      resolve(socket);
    });
    socket.once('connect_error', (err) => {
      socket.close();
      reject(err);
    });
  });
}

async function subscribe(socket: ClientSocket, ticketId: string) {
  const result = await socket.timeout(CONNECT_TIMEOUT_MS).emitWithAck('ticket:subscribe', { ticketId });
  if (!result.ok) throw new Error(`ticket:subscribe failed: ${result.error.code} ${result.error.message}`);
}

async function connectPairs(url: string, specs: BenchPair[], from: number, to: number, batchSockets: number) {
  const pairs: Pair[] = [];
  const perBatch = Math.max(1, Math.floor(batchSockets / 2));
  for (let start = from; start < to; start += perBatch) {
    const batch = specs.slice(start, Math.min(to, start + perBatch));
    pairs.push(
      ...(await Promise.all(
        batch.map(async (spec, k) => {
          const [customer, agent] = await Promise.all([
            connectSocket(url, spec.customerToken, 'customer'),
            connectSocket(url, spec.agentToken, 'agent'),
          ]);
          await Promise.all([subscribe(customer, spec.ticketId), subscribe(agent, spec.ticketId)]);
          return { index: start + k, ticketId: spec.ticketId, customer, agent };
        }),
      )),
    );
  }
  return pairs;
}

// ---------------------------------------------------------------------------------------------
// Runs

interface RunResult {
  kind: 'paced' | 'saturation';
  sockets: number;
  pairs: number;
  sent: number;
  delivered: number;
  lost: number;
  errors: number;
  errorCodes: Record<string, number>;
  skipped: number;
  durationMs: number;
  offeredPerSecond: number | null;
  deliveredPerSecond: number;
  deliveryMs: Summary;
  ackMs: Summary;
  scheduleSlipMs: Summary | null;
  clientLoopDelayP99Ms: number;
  clientLoopDelayMaxMs: number;
  /** Time between server pings as the sockets saw it (25 s when the server keeps up). */
  heartbeatGapMs: Summary;
  server: ReturnType<typeof serverUsage>;
  /** Sockets dropped during the run: seen by this driver, and by the server, with their reasons. */
  disconnects: { client: number; clientReasons: Record<string, number>; server: Record<string, number> };
  /** Events other than `message:created` that the sockets received during the run (expected: none). */
  otherEvents: Record<string, number>;
  /** Delivered less than 90 % of the offered rate: the latencies are mostly queueing. */
  overloaded: boolean;
}

function countDelta(before: Record<string, number>, after: Record<string, number>) {
  const out: Record<string, number> = {};
  for (const [key, n] of Object.entries(after))
    if (n - (before[key] ?? 0) > 0) out[key] = n - (before[key] ?? 0);
  return out;
}

async function measure(
  server: Server,
  kind: RunResult['kind'],
  sockets: number,
  pairs: Pair[],
  body: (phase: Phase, deadline: number) => Promise<void>,
  budgetMs: number,
  offeredPerSecond: number | null,
): Promise<RunResult> {
  const phase = new Phase();
  const clientLoop = monitorEventLoopDelay({ resolution: 5 });
  const before = await server.stats(false);
  const disconnectsBefore = unexpectedDisconnects;
  const reasonsBefore = Object.fromEntries(disconnectReasons);
  heartbeatGaps = [];
  const eventsBefore = Object.fromEntries(otherEvents);
  clientLoop.enable();
  const started = performance.now();
  await body(phase, started + budgetMs);
  const ended = performance.now();
  clientLoop.disable();
  const after = await server.stats(false);
  const delivered = phase.delivery.length;
  const span = phase.lastDelivery - phase.firstSend;
  const deliveredPerSecond = span > 0 ? (delivered / span) * 1000 : Number.NaN;
  return {
    kind,
    sockets,
    pairs: pairs.length,
    sent: phase.sent,
    delivered,
    lost: phase.lost,
    errors: phase.errors,
    errorCodes: Object.fromEntries(phase.errorCodes),
    skipped: phase.skipped,
    durationMs: round(ended - started, 0),
    offeredPerSecond: offeredPerSecond === null ? null : round(offeredPerSecond, 1),
    deliveredPerSecond: round(deliveredPerSecond, 1),
    deliveryMs: roundSummary(summarize(phase.delivery)),
    ackMs: roundSummary(summarize(phase.ack)),
    scheduleSlipMs: kind === 'paced' ? roundSummary(summarize(phase.slip)) : null,
    clientLoopDelayP99Ms: round(clientLoop.count ? clientLoop.percentile(99) / 1e6 : Number.NaN, 1),
    clientLoopDelayMaxMs: round(clientLoop.count ? clientLoop.max / 1e6 : Number.NaN, 1),
    heartbeatGapMs: roundSummary(summarize(heartbeatGaps)),
    server: serverUsage(before, after),
    disconnects: {
      client: unexpectedDisconnects - disconnectsBefore,
      clientReasons: countDelta(reasonsBefore, Object.fromEntries(disconnectReasons)),
      server: countDelta(before.disconnects, after.disconnects),
    },
    otherEvents: countDelta(eventsBefore, Object.fromEntries(otherEvents)),
    overloaded:
      offeredPerSecond !== null &&
      (phase.skipped > 0 || !(deliveredPerSecond >= 0.9 * offeredPerSecond) || phase.errors > 0),
  };
}

function pacedRun(server: Server, sockets: number, pairs: Pair[], rounds: number, intervalMs: number) {
  const offered = (pairs.length / intervalMs) * 1000;
  return measure(
    server,
    'paced',
    sockets,
    pairs,
    async (phase, deadline) => {
      const t0 = performance.now() + 50;
      await Promise.all(
        pairs.map(async (pair, i) => {
          const offset = (i / pairs.length) * intervalMs;
          for (let r = 0; r < rounds; r++) {
            const due = t0 + offset + r * intervalMs;
            const wait = due - performance.now();
            if (wait > 0) await sleep(wait);
            if (performance.now() > deadline) {
              phase.skipped += rounds - r;
              return;
            }
            phase.slip.push(Math.max(0, performance.now() - due));
            const from: Side = r % 2 === 0 ? 'customer' : 'agent';
            await sendOne(phase, pair, from, `p${sockets}-${pair.index}-${r}`, `paced r${r}`);
          }
        }),
      );
    },
    rounds * intervalMs + 30_000,
    offered,
  );
}

function saturationRun(server: Server, sockets: number, pairs: Pair[], rounds: number) {
  return measure(
    server,
    'saturation',
    sockets,
    pairs,
    async (phase, deadline) => {
      await Promise.all(
        pairs.map(async (pair) => {
          for (let r = 0; r < rounds; r++) {
            if (performance.now() > deadline) {
              phase.skipped += rounds - r;
              return;
            }
            const from: Side = r % 2 === 0 ? 'customer' : 'agent';
            await sendOne(phase, pair, from, `s${sockets}-${pair.index}-${r}`, `saturation r${r}`);
          }
        }),
      );
    },
    120_000,
    null,
  );
}

// ---------------------------------------------------------------------------------------------
// Main

interface LevelResult {
  sockets: number;
  newSockets: number;
  connectMs: number;
  connectedPerSecond: number;
  serverRssBeforeConnect: number;
  serverRssAfterConnect: number;
  rssPerSocketBytes: number;
  heapPerSocketBytes: number;
  externalPerSocketBytes: number;
  paced: RunResult;
  saturation?: RunResult;
}

async function main() {
  const wallStart = performance.now();
  const loadStart = os.loadavg();
  const opts = options();
  const limit = openFileLimit();
  const maxSocketsByLimit = Number.isFinite(limit) ? limit - FD_MARGIN : Number.POSITIVE_INFINITY;
  const levels = opts.levels.filter((level) => Number.isNaN(limit) || level <= maxSocketsByLimit);
  const skippedLevels = opts.levels.filter((level) => !levels.includes(level));
  if (skippedLevels.length > 0) {
    console.log(
      `NOTE: \`ulimit -n\` is ${limit}: each process needs one descriptor per socket plus ~${FD_MARGIN}, ` +
        `so level(s) ${skippedLevels.join(', ')} are skipped. Raise the soft limit in the shell that runs ` +
        `npm (e.g. \`ulimit -n ${Math.max(...skippedLevels) + 1000}\`) to run them.`,
    );
  }
  if (levels.length === 0) fail('no level fits under the open-file limit');
  const maxPairs = Math.max(...levels) / 2;

  let server: Server | undefined;
  const hardTimer = setTimeout(() => {
    console.error(`bench:chat: hard timeout (${opts.timeoutS} s) reached; stopping.`);
    server?.child.kill('SIGTERM');
    process.exit(1);
  }, opts.timeoutS * 1000);
  hardTimer.unref();

  log(`starting the server with ${maxPairs} customer/agent pairs (levels ${levels.join(', ')} sockets)`);
  server = await startServer(maxPairs);
  const ready = await server.ready;
  log(`server ready at ${ready.url} after ${(ready.setupMs / 1000).toFixed(1)} s`);
  if (!ready.gcExposed) log('warning: the server runs without --expose-gc; memory figures are noisier');
  const baseline = await server.stats(true);

  const pairs: Pair[] = [];
  const results: LevelResult[] = [];
  for (const sockets of levels) {
    const wanted = sockets / 2;
    const before = await server.stats(true);
    const t = performance.now();
    log(`connecting ${sockets - pairs.length * 2} sockets (→ ${sockets})`);
    const added = await connectPairs(ready.url, ready.pairs, pairs.length, wanted, opts.batch);
    const connectMs = performance.now() - t;
    pairs.push(...added);
    const after = await server.stats(true);
    const newSockets = added.length * 2;
    const per = (a: number, b: number) => round(newSockets ? (b - a) / newSockets : Number.NaN, 0);
    log(`connected ${sockets} sockets (server sees ${after.sockets}); paced run: ${opts.rounds} rounds`);
    const paced = await pacedRun(server, sockets, pairs, opts.rounds, opts.intervalMs);
    const level: LevelResult = {
      sockets,
      newSockets,
      connectMs: round(connectMs, 0),
      connectedPerSecond: round(newSockets ? (newSockets / connectMs) * 1000 : Number.NaN, 0),
      serverRssBeforeConnect: before.rss,
      serverRssAfterConnect: after.rss,
      rssPerSocketBytes: per(before.rss, after.rss),
      heapPerSocketBytes: per(before.heapUsed, after.heapUsed),
      externalPerSocketBytes: per(before.external, after.external),
      paced,
    };
    if (sockets === SATURATION_SOCKETS && opts.saturationRounds > 0) {
      log(`saturation run: ${pairs.length} pairs back-to-back, ${opts.saturationRounds} messages each`);
      level.saturation = await saturationRun(server, sockets, pairs, opts.saturationRounds);
    }
    results.push(level);
  }

  log('closing sockets and stopping the server');
  for (const pair of pairs) {
    pair.customer.disconnect();
    pair.agent.disconnect();
  }
  await server.stop();
  server = undefined;
  clearTimeout(hardTimer);
  const wallMs = performance.now() - wallStart;

  report(opts, results, {
    wallMs,
    setupMs: ready.setupMs,
    baselineRss: baseline.rss,
    limit,
    skippedLevels,
    loadAverage: { start: loadStart, end: os.loadavg() },
  });
  process.exit(0);
}

function runLabel(run: RunResult): string {
  return run.overloaded ? `${run.kind}*` : run.kind;
}

function loadModel(opts: ReturnType<typeof options>) {
  const perPair = 1000 / opts.intervalMs;
  return (
    `paced: each customer/agent pair sends 1 message every ${opts.intervalMs} ms (alternating customer → ` +
    `agent), ${opts.rounds} rounds, starts spread over one interval, ≤1 message in flight per pair ` +
    `(${fmt(perPair, 2)} msg/s per pair; offered = pairs × ${fmt(perPair, 2)}). ` +
    `saturation (at ${SATURATION_SOCKETS} sockets): every pair sends back-to-back, next message as soon as ` +
    `the previous is delivered and acked, ${opts.saturationRounds} per pair.`
  );
}

function report(
  opts: ReturnType<typeof options>,
  results: LevelResult[],
  meta: {
    wallMs: number;
    setupMs: number;
    baselineRss: number;
    limit: number;
    skippedLevels: number[];
    loadAverage: { start: number[]; end: number[] };
  },
) {
  const runs = results.flatMap((r) => (r.saturation ? [r.paced, r.saturation] : [r.paced]));
  const firstPacedP99 = results[0]?.paced.deliveryMs.p99 ?? Number.NaN;
  const latencyRows = [
    [
      'sockets',
      'run',
      'msgs',
      'lost/err',
      'offered/s',
      'msg/s',
      'deliv p50',
      'deliv p99',
      'deliv max',
      'ack p50',
      'ack p99',
      'p99 ×',
      'slip p99',
    ],
    ...runs.map((run) => [
      run.sockets.toLocaleString('en'),
      runLabel(run),
      String(run.delivered),
      `${run.lost}/${run.errors}${run.skipped ? ` (+${run.skipped} skipped)` : ''}`,
      run.offeredPerSecond === null ? 'max' : fmt(run.offeredPerSecond, 0),
      fmt(run.deliveredPerSecond, 0),
      `${fmt(run.deliveryMs.p50)} ms`,
      `${fmt(run.deliveryMs.p99)} ms`,
      `${fmt(run.deliveryMs.max)} ms`,
      `${fmt(run.ackMs.p50)} ms`,
      `${fmt(run.ackMs.p99)} ms`,
      run.kind === 'paced' ? `${fmt(ratio(run.deliveryMs.p99, firstPacedP99), 2)}×` : '-',
      run.scheduleSlipMs ? `${fmt(run.scheduleSlipMs.p99)} ms` : '-',
    ]),
  ];
  const resourceRows = [
    [
      'sockets',
      'run',
      'connect',
      'conn/s',
      'srv RSS',
      'RSS/socket',
      'heap/socket',
      'srv CPU',
      'srv ELU',
      'srv loop p99',
      'srv loop max',
      'srv GC max',
      'preempt/s',
      'drv loop p99',
      'ping gap max',
      'dropped',
    ],
    ...results.flatMap((level) =>
      (level.saturation ? [level.paced, level.saturation] : [level.paced]).map((run) => [
        level.sockets.toLocaleString('en'),
        runLabel(run),
        run.kind === 'paced' ? `${fmt(level.connectMs / 1000, 1)} s` : '',
        run.kind === 'paced' ? fmt(level.connectedPerSecond, 0) : '',
        run.kind === 'paced' ? fmtBytes(level.serverRssAfterConnect) : '',
        run.kind === 'paced' ? fmtBytes(level.rssPerSocketBytes) : '',
        run.kind === 'paced' ? fmtBytes(level.heapPerSocketBytes) : '',
        `${fmt(run.server.cpuPercent, 0)} %`,
        `${fmt(run.server.eluPercent, 0)} %`,
        `${fmt(run.server.loopDelayP99Ms)} ms`,
        `${fmt(run.server.loopDelayMaxMs)} ms`,
        `${fmt(run.server.gcPauseMaxMs)} ms`,
        fmt(run.server.involuntaryContextSwitchesPerSecond, 0),
        `${fmt(run.clientLoopDelayP99Ms)} ms`,
        run.heartbeatGapMs.count ? `${fmt(run.heartbeatGapMs.max / 1000)} s` : '-',
        String(run.disconnects.client),
      ]),
    ),
  ];

  const target = results.find((r) => r.sockets === TARGET.sockets);
  const targetLine = target
    ? `p99 delivery at ${TARGET.sockets.toLocaleString('en')} sockets: ${fmt(target.paced.deliveryMs.p99)} ms ` +
      `(target < ${TARGET.p99Ms} ms: ${target.paced.deliveryMs.p99 < TARGET.p99Ms ? 'met' : 'NOT met'})`
    : `target (p99 < ${TARGET.p99Ms} ms at ${TARGET.sockets} sockets): level not run`;

  const cpus = os.cpus();
  const env = {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memory: fmtBytes(os.totalmem()),
    ulimitN: meta.limit,
    loadAverage1m: {
      start: round(meta.loadAverage.start[0] ?? Number.NaN),
      end: round(meta.loadAverage.end[0] ?? Number.NaN),
    },
  };
  console.log('');
  console.log('Livedesk live chat delivery benchmark (one server process, in-memory PGlite)');
  console.log(
    `${env.cpus}, ${env.memory} RAM, Node ${env.node}, ulimit -n ${meta.limit}, load average (1 min) ` +
      `${fmt(env.loadAverage1m.start, 2)} at start, ${fmt(env.loadAverage1m.end, 2)} at end`,
  );
  if (env.loadAverage1m.start > cpus.length / 2) {
    console.log('NOTE: other processes were busy on this machine at the start; expect noisier figures.');
  }
  console.log(`load model: ${loadModel(opts)}`);
  console.log('');
  console.log(formatTable(latencyRows));
  console.log('');
  console.log(formatTable(resourceRows));
  console.log('');
  console.log(targetLine);
  const legend = [
    'msgs = delivered to the other socket; lost = acked but never delivered; err = failed or timed-out acks;',
    'p99 × = delivery p99 relative to the smallest level; slip = how late paced sends started (pair busy);',
    'RSS/heap per socket = server growth while the level’s new sockets connected and subscribed (after GC);',
    'srv CPU = % of one core; ELU = event-loop utilisation; loop max = longest event-loop stall (the server',
    'runs no timer meanwhile, socket.io heartbeats included); GC max = longest GC pause; preempt/s = the',
    'server’s involuntary context switches (other processes taking its core: stalls that are not its own);',
    'drv = this driver process; ping gap = longest wait between two heartbeats seen by a socket (> 45 s drops',
    'it); dropped = sockets disconnected mid-run.',
  ];
  for (const line of legend) console.log(line);
  if (runs.some((run) => run.overloaded)) {
    console.log(
      '* overloaded: under 90 % of the offered rate delivered (or sends skipped/failed); its latencies are queueing.',
    );
  }
  for (const run of runs) {
    const notes = [
      Object.keys(run.errorCodes).length ? `errors ${JSON.stringify(run.errorCodes)}` : '',
      run.disconnects.client || Object.keys(run.disconnects.server).length
        ? `dropped (driver's view) ${JSON.stringify(run.disconnects.clientReasons)}, ` +
          `(server's view) ${JSON.stringify(run.disconnects.server)}`
        : '',
      Object.keys(run.otherEvents).length ? `other events received ${JSON.stringify(run.otherEvents)}` : '',
    ].filter(Boolean);
    if (notes.length) console.log(`${run.sockets} sockets ${run.kind}: ${notes.join('; ')}`);
  }
  console.log(
    `server baseline RSS ${fmtBytes(meta.baselineRss)} (app + PGlite + accounts); setup ` +
      `${fmt(meta.setupMs / 1000)} s; wall time ${fmt(meta.wallMs / 1000)} s`,
  );
  const file = writeResults(BENCH_DIR, 'chat', {
    benchmark: 'chat',
    date: new Date().toISOString(),
    environment: env,
    options: opts,
    loadModel: loadModel(opts),
    target: { ...TARGET, measuredP99Ms: target?.paced.deliveryMs.p99 ?? null },
    wallMs: round(meta.wallMs, 0),
    setupMs: round(meta.setupMs, 0),
    serverBaselineRss: meta.baselineRss,
    skippedLevels: meta.skippedLevels,
    unexpectedDisconnects,
    levels: results,
  });
  console.log(`JSON summary: ${path.relative(process.cwd(), file)}`);
  if (unexpectedDisconnects > 0)
    console.log(`WARNING: ${unexpectedDisconnects} sockets disconnected unexpectedly`);
}

main().catch((err: unknown) => {
  console.error('bench:chat failed:', err);
  process.exit(1);
});
