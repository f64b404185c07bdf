// The measuring half of a benchmark server process (bench/chatServer.ts, bench/relayServer.ts):
// answers the driver's stats requests over IPC with the process's memory, CPU time, event-loop
// utilisation and delay, GC pauses, involuntary context switches and socket disconnects, so the
// baseline relay and Livedesk are measured by the very same code.
import { monitorEventLoopDelay, PerformanceObserver, performance } from 'node:perf_hooks';

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

/** A customer/agent pair as the driver receives it: tokens to connect with, the pair's ticket. */
export interface BenchPair {
  customerToken: string;
  agentToken: string;
  ticketId: string;
}

export type ServerToDriver =
  | { type: 'progress'; message: string }
  | { type: 'ready'; url: string; pairs: BenchPair[]; setupMs: number; gcExposed: boolean }
  | { type: 'stats'; id: number; stats: ServerStats }
  | { type: 'error'; message: string };

export type DriverToServer = { type: 'stats'; id: number; gc: boolean } | { type: 'shutdown' };

export function sendToDriver(message: ServerToDriver) {
  process.send?.(message);
}

/** What the probe needs to know of the server it measures. */
interface Probed {
  /** Engine.io clients connected right now. */
  sockets(): number;
  /** Registers a listener for every connected socket's `disconnect` and its reason. */
  onDisconnect(listener: (reason: string) => void): void;
  /** Closes the server; the process exits afterwards. */
  close(): Promise<void>;
}

/**
 * Answers stats requests and shutdowns from the driver. Returns `start`, to call once set-up is done:
 * event-loop delay is only sampled from then on.
 */
export function installProbe(server: Probed): { start(): void; gcExposed: boolean } {
  let closing: Promise<void> | undefined;
  const shutdown = (code: number) => {
    closing ??= (async () => {
      const timer = setTimeout(() => process.exit(code), 10_000);
      timer.unref();
      await server.close().catch(() => undefined);
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
  server.onDisconnect((reason) => {
    disconnects[reason] = (disconnects[reason] ?? 0) + 1;
  });
  const gc = (globalThis as { gc?: () => void }).gc;
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
    sendToDriver({
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
        sockets: server.sockets(),
        disconnects: { ...disconnects },
        at: Date.now(),
      },
    });
    loopDelay.reset();
    gcPauses.max = 0;
    gcPauses.total = 0;
  };
  process.on('message', (raw) => {
    const message = raw as DriverToServer;
    if (message.type === 'shutdown') void shutdown(0);
    else if (message.type === 'stats') void answerStats(message);
  });
  return { start: () => loopDelay.enable(), gcExposed: Boolean(gc) };
}

/** Reports a failed start to the driver and exits. */
export function failToDriver(err: unknown): void {
  sendToDriver({ type: 'error', message: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  setTimeout(() => process.exit(1), 1000).unref();
}
