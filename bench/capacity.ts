// Media path capacity benchmark: `npm run bench:capacity [-- --levels 1,5,10,20 --duration 20]`.
//
// WHAT IS MEASURED
//   How many one-to-one calls the SFU carries. A call is what the product's call is: an agent and a
//   customer, each sending a camera (VP8) and a microphone (Opus), the customer also sharing a screen
//   (VP8), and each side receiving the other's tracks; with recording, the project's recorder takes
//   every track as well (one more consumer and one FFmpeg per track). Levels of N concurrent calls
//   run one after another; per level and per recording mode, over a window (--duration, cut into
//   --samples samples; medians and p90 of the samples are shown):
//   - mediasoup worker CPU: utime+stime of the worker processes (/proc/<pid>/stat), % of one core;
//   - Node server CPU: this process's process.cpuUsage() (the server runs here, as `npm start` runs
//     it through createApp; the driver's own work during a window is a few IPC and /proc reads);
//   - memory per call: growth of (this process's V8 heap + external memory after a forced GC + the
//     workers' RSS) over the same reading just before the level's calls, divided by N (this
//     process's RSS is printed too, but moves by hundreds of MiB as pages are returned); with
//     recording, the recorders' PSS per call apart;
//   - packet loss at the receivers: every consumer's RTP is counted by sequence number at its own UDP
//     socket (as an RTCP receiver report counts it), so any packet lost on the way (into the worker,
//     inside it, out of it) shows; over the whole window, all receivers together and the worst one;
//   - derived: calls per worker core at < 1 % loss (the largest level under 1 % loss, its calls over
//     the worker CPU it took), and where that lands against mediasoup's guidance of ~500 consumers
//     per worker (consumers per call × calls).
//   The load (RTP senders and receivers) runs in a process of its own (bench/capacityLoad.ts); its
//   CPU is shown apart and is not a cost. Recording adds FFmpeg processes whose CPU is shown apart.
//
// BOUNDS
//   The defaults (levels 1,5,10,20,40, 15 s windows, recording both) took 8 minutes on a loaded
//   two-core machine (load average 19-25; 104 s of it the clip's encode, which redoes a capture
//   with gaps in real time), so well under 10 on a quiet one; `--short` (levels 1,2,4, 6 s
//   windows) is a smoke run of about 100 s. A hard limit (--timeout-s, 900 s) or a level that fails stops the ramp,
//   reports the levels done and exits with status 1. Recorded calls hang up four at a time. Prints
//   a table (or, with --json, the JSON document) and writes JSON to bench/results/capacity-<date>.json.
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startTestApp, type TestApp } from '../tests/helpers/testApp';
import { closePairs, createPairs, type Pair } from './callSetup';
import { endSyntheticCall, type SyntheticCall, startRecording, startSyntheticCall } from './capacityCalls';
import { type Load, type LoadStats, type MediaProfile, startLoad } from './capacityIpc';
import { lossBetween, type ReceiverCount } from './capacityMath';
import { type LevelResult, printReport, type Sample } from './capacityReport';
import { cpuPercent, nodeRssAfterGc, type ProcUsage, readProc, readProcs } from './procUsage';
import { median, percentile, round } from './stats';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const MIB = 1024 * 1024;

const HELP = `Usage: npm run bench:capacity -- [options]
  --levels <list>        concurrent calls per level (default 1,5,10,20,40)
  --duration <s>         measured window per level and recording mode (default 15)
  --samples <n>          samples the window is cut into; medians over them (default 5)
  --settle-s <s>         after calls (or recordings) start, before measuring (default 3)
  --recording <mode>     both | on | off (default both: each level without, then with recording)
  --workers <n>          mediasoup workers (MEDIASOUP_WORKERS; default 1)
  --camera <WxH@fps>     camera source (default 640x480@30)   --camera-kbps <n> (default 800)
  --screen <WxH@fps>     screen share (default 1280x720@5)    --screen-kbps <n> (default 600)
  --audio-kbps <n>       microphone Opus bitrate (default 32)
  --clip-s <s>           length of the clip encoded once and looped (default 10; 4 with --short)
  --timeout-s <s>        hard limit for the whole run; what is done is reported (default 900)
  --short                smoke run: levels 1,2,4, 6 s windows, 3 samples, 2 s settle, 110 s limit
  --json                 print the JSON document instead of the table`;

function options() {
  const { values } = parseArgs({
    options: {
      levels: { type: 'string' },
      duration: { type: 'string' },
      samples: { type: 'string' },
      'settle-s': { type: 'string' },
      recording: { type: 'string', default: 'both' },
      workers: { type: 'string', default: '1' },
      camera: { type: 'string', default: '640x480@30' },
      'camera-kbps': { type: 'string', default: '800' },
      screen: { type: 'string', default: '1280x720@5' },
      'screen-kbps': { type: 'string', default: '600' },
      'audio-kbps': { type: 'string', default: '32' },
      'clip-s': { type: 'string' },
      'timeout-s': { type: 'string' },
      short: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const short = values.short;
  const num = (name: string, raw: string, min: number, integer = true) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
      fail(`--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min} (got "${raw}")`);
    return n;
  };
  const size = (name: string, raw: string) => {
    const m = /^(\d+)x(\d+)@(\d+)$/.exec(raw);
    if (!m) fail(`--${name} must look like 640x480@30 (got "${raw}")`);
    return { width: Number(m[1]), height: Number(m[2]), fps: Number(m[3]) };
  };
  if (!['both', 'on', 'off'].includes(values.recording))
    fail(`--recording must be both, on or off (got "${values.recording}")`);
  const levels = (values.levels ?? (short ? '1,2,4' : '1,5,10,20,40')).split(',');
  const media: MediaProfile = {
    camera: { ...size('camera', values.camera), kbps: num('camera-kbps', values['camera-kbps'], 10) },
    screen: { ...size('screen', values.screen), kbps: num('screen-kbps', values['screen-kbps'], 10) },
    audioKbps: num('audio-kbps', values['audio-kbps'], 6),
    clipSeconds: num('clip-s', values['clip-s'] ?? (short ? '4' : '10'), 2),
  };
  return {
    levels: [...new Set(levels.map((s) => num('levels', s.trim(), 1)))].sort((a, b) => a - b),
    durationS: num('duration', values.duration ?? (short ? '6' : '15'), 1, false),
    samples: num('samples', values.samples ?? (short ? '3' : '5'), 1),
    settleS: num('settle-s', values['settle-s'] ?? (short ? '2' : '3'), 0, false),
    recording: values.recording as 'both' | 'on' | 'off',
    workers: num('workers', values.workers, 1),
    media,
    timeoutS: num('timeout-s', values['timeout-s'] ?? (short ? '110' : '900'), 10),
    json: values.json,
  };
}

export type Options = ReturnType<typeof options>;

function fail(message: string): never {
  console.error(`bench:capacity: ${message}`);
  process.exit(2);
}

const t0 = performance.now();
const log = (message: string) =>
  console.error(`[bench:capacity +${((performance.now() - t0) / 1000).toFixed(1)} s] ${message}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Readings

interface Reading {
  at: number;
  workers: ProcUsage;
  recorders: ProcUsage;
  load: ProcUsage;
  nodeCpuUs: number;
  stats: LoadStats;
}

interface Context {
  t: TestApp;
  load: Load;
  opts: Options;
  /**
   * Server heap + external after GC and workers' RSS with no call up, read just before each level
   * starts its calls (memory drifts over a run: a baseline from its start would blur later levels).
   */
  idleBytes: number;
}

async function read(ctx: Context, calls: readonly SyntheticCall[]): Promise<Reading> {
  const stats = await ctx.load.stats();
  const cpu = process.cpuUsage();
  return {
    at: performance.now(),
    workers: readProcs(ctx.t.app.media.workerPids()),
    recorders: readProcs(calls.flatMap((c) => c.recorderPids)),
    load: readProc(ctx.load.pid),
    nodeCpuUs: cpu.user + cpu.system,
    stats,
  };
}

const receiverMap = (stats: LoadStats) => new Map<number, ReceiverCount>(stats.received);
const sentTotal = (stats: LoadStats) => stats.sent.reduce((n, [, sent]) => n + sent, 0);

function sampleBetween(a: Reading, b: Reading): Sample {
  const seconds = (b.at - a.at) / 1000;
  const loss = lossBetween(receiverMap(a.stats), receiverMap(b.stats));
  return {
    seconds: round(seconds, 3),
    workerCpuPct: round(cpuPercent(a.workers, b.workers, seconds)),
    nodeCpuPct: round(((b.nodeCpuUs - a.nodeCpuUs) / 1e6 / seconds) * 100),
    recorderCpuPct: round(cpuPercent(a.recorders, b.recorders, seconds)),
    loadCpuPct: round(cpuPercent(a.load, b.load, seconds)),
    sentPps: round((sentTotal(b.stats) - sentTotal(a.stats)) / seconds, 0),
    lossPct: round(loss.lossPercent, 3),
    senderLagMaxMs: round(b.stats.lagMaxMs, 1),
  };
}

/**
 * Memory of the server process after GC (its RSS, and its V8 heap + external memory) and the
 * workers' RSS, bytes. The per-call figure uses the heap, not the RSS: this process's RSS moves by
 * hundreds of MiB as the allocator returns pages (the in-memory database's included), which would
 * drown what a call holds.
 */
function serverBytes(ctx: Context): { node: number; heap: number; workers: number } {
  const node = nodeRssAfterGc();
  const { heapUsed, external } = process.memoryUsage();
  return { node, heap: heapUsed + external, workers: readProcs(ctx.t.app.media.workerPids()).rss };
}

async function measureWindow(
  ctx: Context,
  calls: SyntheticCall[],
  recording: boolean,
): Promise<Omit<LevelResult, 'hangupMs'>> {
  const { opts } = ctx;
  const n = calls.length;
  const readings = [await read(ctx, calls)];
  for (let i = 0; i < opts.samples; i++) {
    await sleep((opts.durationS * 1000) / opts.samples);
    readings.push(await read(ctx, calls));
  }
  const samples = readings.slice(1).map((b, i) => sampleBetween(readings[i]!, b));
  const first = readings[0]!;
  const last = readings.at(-1)!;
  const loss = lossBetween(receiverMap(first.stats), receiverMap(last.stats));
  // Memory last: the forced GC would otherwise count as the server's CPU in the window.
  const memory = serverBytes(ctx);
  const recordersStarted = calls.reduce((k, c) => k + c.recorderPids.length, 0);
  const receivers = calls.reduce((k, c) => k + c.receivers, 0);
  const pick = (key: keyof Sample) => samples.map((s) => s[key]);
  return {
    calls: n,
    recording,
    consumers: receivers + recordersStarted,
    recordersStarted,
    recordersAliveMin: recording ? last.recorders.alive : 0,
    workerCpuPct: {
      p50: round(median(pick('workerCpuPct'))),
      p90: round(percentile(pick('workerCpuPct'), 90)),
    },
    nodeCpuPct: { p50: round(median(pick('nodeCpuPct'))), p90: round(percentile(pick('nodeCpuPct'), 90)) },
    recorderCpuPct: round(median(pick('recorderCpuPct'))),
    loadCpuPct: round(median(pick('loadCpuPct'))),
    memPerCallMiB: round((memory.heap + memory.workers - ctx.idleBytes) / MIB / n),
    nodeRssMiB: round(memory.node / MIB, 1),
    workerRssMiB: round(memory.workers / MIB, 1),
    recorderPssPerCallMiB: recording ? round(last.recorders.pss / MIB / n) : Number.NaN,
    lossPct: round(loss.lossPercent, 3),
    worstStreamLossPct: round(loss.worstPercent, 3),
    lostPackets: loss.lost,
    expectedPackets: loss.expected,
    sentPps: round(median(pick('sentPps')), 0),
    senderLagMaxMs: round(Math.max(...pick('senderLagMaxMs')), 1),
    samples,
  };
}

// ---------------------------------------------------------------------------------------------
// Levels

/** Recorded calls hung up at once (each stops its recorders and remuxes its five tracks). */
const HANGUP_CONCURRENCY = 4;

/** `work` over `items`, at most `size` at a time; the results in order. */
async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let i = 0; i < items.length; i += size)
    results.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return results;
}

async function runLevel(ctx: Context, pairs: Pair[], n: number, results: LevelResult[]): Promise<void> {
  const { opts } = ctx;
  const idle = serverBytes(ctx);
  ctx.idleBytes = idle.heap + idle.workers;
  log(`level ${n}: starting ${n} call(s)`);
  const calls: SyntheticCall[] = [];
  try {
    for (const pair of pairs.slice(0, n)) calls.push(await startSyntheticCall(ctx.t, ctx.load, pair));
    await sleep(opts.settleS * 1000);
    if (opts.recording !== 'on') {
      log(`level ${n}: measuring ${opts.durationS} s without recording`);
      results.push({ ...(await measureWindow(ctx, calls, false)), hangupMs: Number.NaN });
    }
    if (opts.recording !== 'off') {
      log(`level ${n}: recording:start in ${n} call(s)`);
      await Promise.all(calls.map((c) => startRecording(ctx.t, c)));
      await sleep(opts.settleS * 1000);
      log(`level ${n}: measuring ${opts.durationS} s with recording`);
      const window = await measureWindow(ctx, calls, true);
      log(`level ${n}: hanging up (recorders stop, tracks are remuxed)`);
      // A few at a time, as people hang up: all of a level's recorded calls at once started
      // five FFmpeg remuxes per call together, and at 20 calls on two loaded cores the sockets
      // missed their heartbeats and dropped (the run died with no report).
      const hangups = await inBatches(calls.splice(0), HANGUP_CONCURRENCY, (c) =>
        endSyntheticCall(ctx.load, c),
      );
      results.push({ ...window, hangupMs: round(median(hangups), 0) });
    }
  } finally {
    await Promise.all(calls.map((c) => endSyntheticCall(ctx.load, c).catch(() => undefined)));
  }
}

// ---------------------------------------------------------------------------------------------
// Main

/** The app under test, so that a hard stop can end the recorder FFmpegs it started. */
let app: TestApp | undefined;

function killRecorders(): void {
  for (const callId of app?.app.recordings.activeCallIds() ?? [])
    for (const pid of app?.app.recordings.recorderPids(callId) ?? []) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
}

async function main() {
  const opts = options();
  const wallStart = performance.now();
  const loadStart = os.loadavg();
  const results: LevelResult[] = [];
  const load = startLoad();
  let t: TestApp | undefined;
  const report = (note: string) =>
    printReport(BENCH_DIR, opts, results, {
      wallMs: performance.now() - wallStart,
      loadStart,
      loadEnd: os.loadavg(),
      streams,
      note,
    });
  let streams: Awaited<ReturnType<Load['prepare']>> | undefined;
  // Stopped before the end (the hard limit, Ctrl-C, a supervisor's SIGTERM): what was measured is
  // still reported, and nothing this run started is left running.
  const stopEarly = (why: string) => {
    console.error(`bench:capacity: ${why}; stopping.`);
    load.kill();
    killRecorders();
    report(`${why}: only the levels shown were measured`);
    process.exit(1);
  };
  const hardTimer = setTimeout(
    () => stopEarly(`hard timeout after ${opts.timeoutS} s`),
    opts.timeoutS * 1000,
  );
  hardTimer.unref();
  process.once('SIGINT', () => stopEarly('interrupted (SIGINT)'));
  process.once('SIGTERM', () => stopEarly('terminated (SIGTERM)'));

  log('encoding the clip once (load process) and starting the app (startTestApp, in-memory PGlite)');
  const prepared = load.prepare(opts.media).then((info) => {
    log('clip encoded and captured');
    return info;
  });
  app = t = await startTestApp({
    seedDemo: false,
    env: {
      MEDIASOUP_WORKERS: String(opts.workers),
      CALL_RING_SECONDS: '300',
      // Recording only when the benchmark starts it (the policy would otherwise record P1/L3 calls).
      RECORDING_AUTO_PRIORITIES: '',
      RECORDING_AUTO_TIERS: '',
    },
  });
  log('app started; creating agent/customer pairs');
  const pairs = await createPairs(t, Math.max(...opts.levels), 'cap');
  streams = await prepared;
  log(
    `clip: ${Object.entries(streams)
      .map(([name, s]) => `${name} ${s.kbps.toFixed(0)} kb/s, ${s.packetsPerSecond.toFixed(0)} packets/s`)
      .join('; ')}`,
  );
  const ctx: Context = { t, load, opts, idleBytes: 0 };

  // One short call first, not measured: it pays the process's one-time costs (JIT, the first
  // recording's FFmpeg start), so the first level is not the only one that carries them.
  log('warm-up: one call for a few seconds (not measured)');
  await runLevel(
    { ...ctx, opts: { ...opts, durationS: 1, samples: 1, settleS: 0.5, levels: [1] } },
    pairs,
    1,
    [],
  );
  await sleep(500);

  // A level that fails (a socket lost under load, a call that does not set up) ends the ramp, but
  // the levels measured before it are still reported.
  let failure = '';
  for (const n of opts.levels) {
    try {
      await runLevel(ctx, pairs, n, results);
    } catch (err) {
      failure = `level ${n} failed (${err instanceof Error ? err.message : String(err)}): only the levels shown were measured`;
      console.error(`bench:capacity: ${failure}`);
      killRecorders();
      break;
    }
  }

  closePairs(pairs);
  await t.close().catch(() => undefined);
  load.kill();
  clearTimeout(hardTimer);
  report(failure);
  process.exit(failure ? 1 : 0);
}

main().catch((err: unknown) => {
  console.error('bench:capacity failed:', err);
  killRecorders();
  process.exit(1);
});
