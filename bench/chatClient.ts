// The client side of the chat benchmarks: starting a benchmark server process, connecting
// customer/agent pairs, sending messages and measuring delivery. Shared by bench/chat.ts (the
// Livedesk backends and the bare socket.io baseline, driven by this very code) and
// bench/chatLoad.ts (bench:join's background chat). See bench/chat.ts for what is measured.
import { fork } from 'node:child_process';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, MessageView, ServerToClientEvents } from '../signaling/shared/protocol';
import type { BenchPair, DriverToServer, ServerStats, ServerToDriver } from './serverProbe';
import { ratio, round, roundSummary, type Summary, summarize } from './stats';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Side = 'customer' | 'agent';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const MESSAGE_TIMEOUT_MS = 15_000;
const CONNECT_TIMEOUT_MS = 20_000;
const SETUP_TIMEOUT_MS = 180_000;
/** A realistic chat line (~100 characters). */
const FILLER = 'thanks, I tried that but the page still shows the old invoice after a refresh';

/** The saturation run every configuration of bench:chat makes: 50 pairs, issue 14's baseline figure. */
export const SATURATION_PAIRS = 50;

export const log = (message: string) => console.error(`[bench:chat] ${message}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const sleepUntil = async (at: number) => {
  const wait = at - performance.now();
  if (wait > 0) await sleep(wait);
};

// ---------------------------------------------------------------------------------------------
// The server process

export type Server = Awaited<ReturnType<typeof startServer>>;

/**
 * Forks a benchmark server (bench/chatServer.ts or bench/relayServer.ts) with an IPC channel and
 * `env` as its whole environment; `ready` resolves once it has set up its pairs and listens.
 */
export async function startServer(script: string, args: string[], env: NodeJS.ProcessEnv, name: string) {
  const child = fork(path.join(BENCH_DIR, script), args, {
    execArgv: [
      '--import',
      'tsx',
      '--expose-gc',
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
    ],
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // Listened to at once: `stop` may come after the process has already gone.
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const waiters = new Map<number, (stats: ServerStats) => void>();
  let nextId = 1;
  const ready = new Promise<Extract<ServerToDriver, { type: 'ready' }>>((resolve, reject) => {
    // A limit on silence, not on the whole setup: thousands of argon2 hashes take minutes on a busy
    // machine, and the server reports progress as it goes.
    let timer: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        reject(
          new Error(`${name}: the server's setup stalled (${SETUP_TIMEOUT_MS / 1000} s without progress)`),
        );
        child.kill('SIGTERM');
      }, SETUP_TIMEOUT_MS);
    };
    arm();
    child.on('message', (raw) => {
      const message = raw as ServerToDriver;
      if (message.type === 'progress') {
        log(`${name}: ${message.message}`);
        arm();
      } else if (message.type === 'error') {
        clearTimeout(timer);
        reject(new Error(`${name}: server failed: ${message.message}`));
      } else if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message);
      } else if (message.type === 'stats') {
        waiters.get(message.id)?.(message.stats);
        waiters.delete(message.id);
      }
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name}: the server exited (${signal ?? code}) before it was ready`));
    });
  });
  // A failed start is reported by whoever awaits `ready`; never as an unhandled rejection.
  ready.catch(() => undefined);
  const post = (message: DriverToServer) => child.connected && child.send(message);
  return {
    name,
    child,
    ready,
    /** The server's memory, CPU and loop figures; `gc` collects garbage first. */
    stats(gc: boolean): Promise<ServerStats> {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        // An overloaded server answers late (its event loop is minutes behind): wait for it.
        const timer = setTimeout(() => reject(new Error(`${name}: no answer to a stats request`)), 120_000);
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
export function serverUsage(a: ServerStats, b: ServerStats) {
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

export type ServerUsage = ReturnType<typeof serverUsage>;

const EMPTY_STATS: ServerStats = {
  rss: Number.NaN,
  heapUsed: Number.NaN,
  external: Number.NaN,
  arrayBuffers: Number.NaN,
  cpuUserUs: Number.NaN,
  cpuSystemUs: Number.NaN,
  eluIdleMs: Number.NaN,
  eluActiveMs: Number.NaN,
  loopDelayP50Ms: Number.NaN,
  loopDelayP99Ms: Number.NaN,
  loopDelayMaxMs: Number.NaN,
  gcPauseMaxMs: Number.NaN,
  gcPauseTotalMs: Number.NaN,
  involuntaryContextSwitches: Number.NaN,
  sockets: 0,
  disconnects: {},
  at: Number.NaN,
};

/**
 * Several nodes as one: CPU and preemptions add up; utilisation, loop delay and GC are the worst
 * node's (a stall on either node delays the messages it carries).
 */
export function combineUsage(usages: readonly ServerUsage[]): ServerUsage {
  if (usages.length === 1) return usages[0]!;
  // No server measured (bench:join's chat load): every figure unknown.
  if (usages.length === 0) return { ...serverUsage(EMPTY_STATS, EMPTY_STATS), loopDelayP99Ms: Number.NaN };
  const sum = (f: (u: ServerUsage) => number) =>
    round(
      usages.reduce((t, u) => t + f(u), 0),
      1,
    );
  const max = (f: (u: ServerUsage) => number) => Math.max(...usages.map(f));
  return {
    cpuPercent: sum((u) => u.cpuPercent),
    eluPercent: max((u) => u.eluPercent),
    loopDelayP99Ms: max((u) => u.loopDelayP99Ms),
    loopDelayMaxMs: max((u) => u.loopDelayMaxMs),
    gcPauseMaxMs: max((u) => u.gcPauseMaxMs),
    gcPausePercent: max((u) => u.gcPausePercent),
    involuntaryContextSwitchesPerSecond: sum((u) => u.involuntaryContextSwitchesPerSecond),
  };
}

/** Stats of every node, in the order given. */
export function statsOf(servers: readonly Server[], gc: boolean): Promise<ServerStats[]> {
  return Promise.all(servers.map((s) => s.stats(gc)));
}

// ---------------------------------------------------------------------------------------------
// Sockets and messages

export interface Pair {
  index: number;
  ticketId: string;
  customer: ClientSocket;
  agent: ClientSocket;
}

/** One measured run: its samples and failures. */
export class Phase {
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

/** Sockets dropped so far in this process (not closed by the driver). */
export function droppedSockets(): number {
  return unexpectedDisconnects;
}

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

/**
 * Connects and subscribes pairs `from`..`to` of `specs`, `batchSockets` sockets at a time. Each
 * side connects to its own URL: with two nodes the customer is on one and the agent on the other.
 */
export async function connectPairs(
  urls: Record<Side, string>,
  specs: BenchPair[],
  from: number,
  to: number,
  batchSockets: number,
) {
  const pairs: Pair[] = [];
  const perBatch = Math.max(1, Math.floor(batchSockets / 2));
  for (let start = from; start < to; start += perBatch) {
    const batch = specs.slice(start, Math.min(to, start + perBatch));
    pairs.push(
      ...(await Promise.all(
        batch.map(async (spec, k) => {
          const [customer, agent] = await Promise.all([
            connectSocket(urls.customer, spec.customerToken, 'customer'),
            connectSocket(urls.agent, spec.agentToken, 'agent'),
          ]);
          await Promise.all([subscribe(customer, spec.ticketId), subscribe(agent, spec.ticketId)]);
          return { index: start + k, ticketId: spec.ticketId, customer, agent };
        }),
      )),
    );
  }
  return pairs;
}

export function disconnectPairs(pairs: readonly Pair[]) {
  for (const pair of pairs) {
    pair.customer.disconnect();
    pair.agent.disconnect();
  }
}

// ---------------------------------------------------------------------------------------------
// Runs

export interface RunResult {
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
  /** All nodes together (combineUsage); `nodes` has each one's. */
  server: ServerUsage;
  nodes: ServerUsage[];
  /** Sockets dropped during the run: seen by this driver, and by the servers, with their reasons. */
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

function sumCounts(records: readonly Record<string, number>[]) {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, n] of Object.entries(r)) out[k] = (out[k] ?? 0) + n;
  return out;
}

/** What a run needs from the caller. Without `servers` (bench:join's chat load) only the client side is measured. */
export interface RunTarget {
  servers: readonly Server[];
  sockets: number;
  pairs: readonly Pair[];
}

async function measure(
  target: RunTarget,
  kind: RunResult['kind'],
  body: (phase: Phase, deadline: number) => Promise<void>,
  budgetMs: number,
  offeredPerSecond: number | null,
): Promise<RunResult> {
  const { servers, sockets, pairs } = target;
  const phase = new Phase();
  const clientLoop = monitorEventLoopDelay({ resolution: 5 });
  const before = await statsOf(servers, false);
  const disconnectsBefore = unexpectedDisconnects;
  const reasonsBefore = Object.fromEntries(disconnectReasons);
  heartbeatGaps = [];
  const eventsBefore = Object.fromEntries(otherEvents);
  clientLoop.enable();
  const started = performance.now();
  await body(phase, started + budgetMs);
  const ended = performance.now();
  clientLoop.disable();
  const after = await statsOf(servers, false);
  const nodes = before.map((b, i) => serverUsage(b, after[i]!));
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
    server: combineUsage(nodes),
    nodes,
    disconnects: {
      client: unexpectedDisconnects - disconnectsBefore,
      clientReasons: countDelta(reasonsBefore, Object.fromEntries(disconnectReasons)),
      server: countDelta(
        sumCounts(before.map((s) => s.disconnects)),
        sumCounts(after.map((s) => s.disconnects)),
      ),
    },
    otherEvents: countDelta(eventsBefore, Object.fromEntries(otherEvents)),
    overloaded:
      offeredPerSecond !== null &&
      (phase.skipped > 0 || !(deliveredPerSecond >= 0.9 * offeredPerSecond) || phase.errors > 0),
  };
}

/**
 * Pausing a paced run (bench:join's idle runs between its chat runs): once paused, no pair sends
 * again until `resume`, and `quiet` resolves when no message is in flight any more. After `resume`
 * every pair starts over on the paced schedule (its start spread over one interval, as at the
 * beginning), so a pause is never counted as slip.
 */
export class PacedPause {
  private pausedSince: number | null = null;
  /** Where the paced schedule starts again after the last resume (performance.now()). */
  scheduleStart = 0;
  private resumeWaiters: Array<() => void> = [];
  private quietWaiters: Array<() => void> = [];
  private sending = 0;
  /** Milliseconds spent paused, for the rate over the time the chat ran. */
  pausedMs = 0;

  get paused(): boolean {
    return this.pausedSince !== null;
  }

  pause(): Promise<void> {
    this.pausedSince ??= performance.now();
    return this.quiet();
  }

  resume(): void {
    if (this.pausedSince === null) return;
    const now = performance.now();
    this.pausedMs += now - this.pausedSince;
    this.pausedSince = null;
    this.scheduleStart = now + 50;
    for (const wake of this.resumeWaiters.splice(0)) wake();
  }

  /** Resolves at once unless paused; else when resumed. */
  whilePaused(): Promise<void> {
    if (this.pausedSince === null) return Promise.resolve();
    return new Promise((resolve) => this.resumeWaiters.push(resolve));
  }

  async send(run: () => Promise<void>): Promise<void> {
    this.sending++;
    try {
      await run();
    } finally {
      this.sending--;
      if (this.sending === 0) for (const wake of this.quietWaiters.splice(0)) wake();
    }
  }

  private quiet(): Promise<void> {
    if (this.sending === 0) return Promise.resolve();
    return new Promise((resolve) => this.quietWaiters.push(resolve));
  }
}

/**
 * Paced load: each pair sends one message every `intervalMs`, alternating customer and agent, its
 * start spread over one interval; `until` (bench:join) keeps going past `rounds` until it resolves,
 * and `pause` (bench:join) holds it between its chat runs.
 */
export function pacedRun(
  target: RunTarget,
  rounds: number,
  intervalMs: number,
  label: string,
  until?: Promise<void>,
  pause?: PacedPause,
) {
  const { pairs } = target;
  const offered = (pairs.length / intervalMs) * 1000;
  let stop = until === undefined;
  void until?.then(() => {
    stop = true;
    // A paused chat is over too.
    pause?.resume();
  });
  return measure(
    target,
    'paced',
    async (phase, deadline) => {
      const t0 = performance.now() + 50;
      await Promise.all(
        pairs.map(async (pair, i) => {
          const offset = (i / pairs.length) * intervalMs;
          let start = t0;
          let step = 0;
          for (let r = 0; r < rounds || !stop; r++, step++) {
            let due = start + offset + step * intervalMs;
            await sleepUntil(due);
            // Paused (bench:join's idle runs): from the resume on, this pair's place in the schedule
            // starts over, as at the beginning, so the pause is never counted as slip.
            while (pause?.paused) {
              await pause.whilePaused();
              // Resumed by the end of the run: nothing more to send.
              if (stop && r >= rounds) return;
              start = pause.scheduleStart;
              step = 0;
              due = start + offset;
              await sleepUntil(due);
            }
            if (stop && r >= rounds) return;
            if (performance.now() > deadline) {
              phase.skipped += Math.max(0, rounds - r);
              return;
            }
            phase.slip.push(Math.max(0, performance.now() - due));
            const from: Side = r % 2 === 0 ? 'customer' : 'agent';
            const one = () => sendOne(phase, pair, from, `${label}-${pair.index}-${r}`, `${label} r${r}`);
            await (pause ? pause.send(one) : one());
          }
        }),
      );
    },
    until ? Number.POSITIVE_INFINITY : rounds * intervalMs + 30_000,
    offered,
  );
}

/** Saturation: every pair sends its next message as soon as the previous is delivered and acked. */
export function saturationRun(target: RunTarget, rounds: number, label: string) {
  return measure(
    target,
    'saturation',
    async (phase, deadline) => {
      await Promise.all(
        target.pairs.map(async (pair) => {
          for (let r = 0; r < rounds; r++) {
            if (performance.now() > deadline) {
              phase.skipped += rounds - r;
              return;
            }
            const from: Side = r % 2 === 0 ? 'customer' : 'agent';
            await sendOne(phase, pair, from, `${label}-${pair.index}-${r}`, `${label} r${r}`);
          }
        }),
      );
    },
    120_000,
    null,
  );
}
