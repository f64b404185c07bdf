// Call recording cost benchmark: `npm run bench:record [-- --levels 1,2,4,8 --window-s 15]`.
//
// WHAT IS MEASURED
//   The cost of recording concurrent calls, per call, at 1, 2, 4 and 8 calls recorded at once. A
//   call is one agent and one customer, each sending a camera (VP8) and a microphone (Opus), so a
//   recorded call is 4 tracks = 4 recorder FFmpeg processes (WebM copy, no re-encoding). For each
//   level, over a fixed recording window (default 12 s, cut into 3 samples of 4 s; the table shows
//   the median of the samples):
//   - recorder CPU: utime+stime of the recorder FFmpeg processes (/proc/<pid>/stat, in clock ticks
//     of `getconf CLK_TCK`) over the sample's wall time, as % of one core, per call;
//   - recorder memory: the sum of their VmRSS (/proc/<pid>/status), per call, and their PSS
//     (/proc/<pid>/smaps_rollup): RSS counts the shared FFmpeg libraries in full in every process,
//     PSS splits shared pages between the processes that map them, so PSS is what one more call
//     really adds and RSS is an upper bound;
//   - mediasoup worker CPU: its CPU during the sample, raw and minus its CPU in a baseline window
//     taken just before the recordings start (same calls, same media flowing, nothing recorded),
//     i.e. the worker's share of the recording (forwarding every track to a PlainTransport);
//   - Node RSS delta: this process's RSS (after a forced GC) minus its RSS in that baseline window,
//     per call (the recorder objects, their mediasoup consumers/transports, stderr buffers);
//   - recorded bytes: growth of the live `.part.webm` files (FFmpeg flushes every packet) per
//     second per call, next to what the sources send, which shows whether everything arrived;
//   - after the window: the time from the agent's hang-up to its ack, which is when the recorders
//     have stopped and the tracks are remuxed into seekable files and probed (the call's BeforeCallEnd hook
//     → RecordingsService.stop), and how many tracks ended `ready`.
//   The LOAD GENERATOR is NOT part of the cost: one FFmpeg per side sends a test pattern (VP8) and a
//   tone (Opus) as RTP into the call's router, through the transports and producers of
//   tests/helpers/rtpSource.ts, with its encoding settings (320×240 at 15 fps, 300 kb/s VP8 target,
//   64 kb/s Opus, a keyframe every second). Unlike that helper it does not encode live: the clip is
//   encoded once (20 s) and every source replays it in real time (-re, copy, looped), so 16 sources
//   cost a few % of a core instead of taking the two cores from the recorders (live encoders starved
//   the recorders of media at 2+ calls on this machine). Its CPU is reported in a separate column,
//   never added to the cost; `in` shows what actually reached the router. The bitrate is
//   configurable (--video 640x480@30 --video-kbps 1000 is closer to a browser camera): a copy-mode
//   recorder's CPU grows with packets per second, its bytes with the bitrate.
//
// HOW, AND WHY THIS WAY
//   The real RecordingsService through `startTestApp` (the production wiring from createApp: HTTP,
//   socket.io, calls, mediasoup worker, in-memory PGlite), not TrackRecorder driven directly on a
//   MediaServer: production starts a recording from the agent's `recording:start`, which also
//   writes rows, announces the state to both sides, starts the recorders one track after another
//   and, at hang-up, stops, remuxes and probes each track before the call ends. Driving it over
//   sockets measures exactly that path (and its Node-side memory), and the hang-up-to-ack time
//   comes for free. Per call: its own agent and customer account and ticket (created once, not
//   measured), `call:start` → `call:answer` → `call:join` on both sockets, then each side's RTP
//   source enters the router as that peer's camera and mic producers (what a browser's send
//   transport would create; the peer is marked joined as a connected browser would be). Levels run
//   one after another, each with fresh calls that are hung up at its end; per level ≈ 20–30 s. One
//   short recorded call (not measured) comes first: it pays the process's one-time costs.
//
// BOUNDS
//   About 100–130 s with the defaults (12 s windows keep all four levels under 3 minutes on a busy
//   two-core machine). A level that would likely end after --budget-s (default 160) is skipped and
//   reported as such; a hard limit (--timeout-s, default 178) kills every FFmpeg it started, reports
//   the levels done and exits with status 1. Prints a table and writes JSON to
//   bench/results/record-<date>.json. CPU figures are CPU time consumed, so other load on the
//   machine changes them little; a machine too busy to feed the router shows as `in` below the
//   clip's rate, and lost media as `rec/in` below ~90 %.
import { execSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { inArray } from 'drizzle-orm';
import type { types } from 'mediasoup';
import { recordings, recordingTracks } from '../server/db/schema';
import type { RecordingNotice } from '../signaling/shared/protocol';
import { ok } from '../tests/helpers/callClient';
import { opusEncoder, rtpProducers, testMediaInputs, vp8Encoder } from '../tests/helpers/rtpSource';
import { startTestApp, type TestApp } from '../tests/helpers/testApp';
import { closePairs, createPairs, joinCall, type Pair } from './callSetup';
import { CLK_TCK, cpuPercent, nodeRssAfterGc, type ProcUsage, readProc, readProcs } from './procUsage';
import { fmt, formatTable, median, round, writeResults } from './stats';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const MIB = 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// Options

const HELP = `Usage: npm run bench:record -- [options]
  --levels <list>        concurrently recorded calls per level (default 1,2,4,8)
  --window-s <s>         recording window measured per level (default 12)
  --samples <n>          samples the window is cut into; medians are over them (default 3)
  --baseline-s <s>       window before recording starts: media flowing, nothing recorded (default 2)
  --settle-s <s>         after the recordings start, before measuring (FFmpeg probing) (default 2)
  --video <WxH@fps>      source camera (default 320x240@15, as tests/helpers/rtpSource.ts)
  --video-kbps <n>       source VP8 bitrate (default 300)
  --audio-kbps <n>       source Opus bitrate (default 64)
  --budget-s <s>         no level starts that would likely end after this (default 160)
  --timeout-s <s>        hard limit for the whole run; what is done is reported (default 178)`;

function options() {
  const { values } = parseArgs({
    options: {
      levels: { type: 'string', default: '1,2,4,8' },
      'window-s': { type: 'string', default: '12' },
      samples: { type: 'string', default: '3' },
      'baseline-s': { type: 'string', default: '2' },
      'settle-s': { type: 'string', default: '2' },
      video: { type: 'string', default: '320x240@15' },
      'video-kbps': { type: 'string', default: '300' },
      'audio-kbps': { type: 'string', default: '64' },
      'budget-s': { type: 'string', default: '160' },
      'timeout-s': { type: 'string', default: '178' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const num = (name: string, raw: string, min: number, integer = true) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || (integer && !Number.isInteger(n)))
      fail(`--${name} must be ${integer ? 'an integer' : 'a number'} ≥ ${min} (got "${raw}")`);
    return n;
  };
  const video = /^(\d+)x(\d+)@(\d+)$/.exec(values.video);
  if (!video) fail(`--video must look like 320x240@15 (got "${values.video}")`);
  return {
    levels: [...new Set(values.levels.split(',').map((s) => num('levels', s.trim(), 1)))].sort(
      (a, b) => a - b,
    ),
    windowS: num('window-s', values['window-s'], 1, false),
    samples: num('samples', values.samples, 1),
    baselineS: num('baseline-s', values['baseline-s'], 1, false),
    settleS: num('settle-s', values['settle-s'], 0, false),
    source: {
      width: Number(video[1]),
      height: Number(video[2]),
      fps: Number(video[3]),
      videoKbps: num('video-kbps', values['video-kbps'], 10),
      audioKbps: num('audio-kbps', values['audio-kbps'], 6),
    },
    budgetS: num('budget-s', values['budget-s'], 10),
    timeoutS: num('timeout-s', values['timeout-s'], 10),
  };
}

type Options = ReturnType<typeof options>;
type SourceProfile = Options['source'];

function fail(message: string): never {
  console.error(`bench:record: ${message}`);
  process.exit(2);
}

const t0 = performance.now();
const log = (message: string) =>
  console.error(`[bench:record +${((performance.now() - t0) / 1000).toFixed(1)} s] ${message}`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// The load generator: one FFmpeg per side, camera + mic as RTP into the router

interface Source {
  video: types.Producer;
  audio: types.Producer;
  pid: number;
  stop(): void;
}

/** Seconds of media encoded once and replayed in a loop by every source. */
const CLIP_SECONDS = 20;

/**
 * Encodes the sources' media once, as tests/helpers/rtpSource.ts encodes it live (test pattern in
 * VP8 with a keyframe every second, a tone in stereo Opus), into one WebM the sources replay.
 */
async function encodeClip(profile: SourceProfile, dir: string): Promise<string> {
  const file = path.join(dir, 'source.webm');
  const { width, height, fps, videoKbps, audioKbps } = profile;
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    ...testMediaInputs({ width, height, fps, seconds: CLIP_SECONDS }),
    '-map',
    '0:v',
    ...vp8Encoder(videoKbps, fps),
    '-map',
    '1:a',
    ...opusEncoder(audioKbps),
    '-y',
    file,
  ];
  const code = await new Promise<number | null>((resolve) => {
    const p = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    p.once('error', () => resolve(-1));
    p.once('close', resolve);
  });
  if (code !== 0) throw new Error(`encoding the source clip failed (ffmpeg exited ${code})`);
  return file;
}

/**
 * The transports and producers of tests/helpers/rtpSource.ts; the FFmpeg behind them replays the
 * pre-encoded clip in real time (`-re`, copy, looped) instead of encoding live, so 16 sources cost
 * a few % of a core instead of competing with the recorders for the two cores.
 */
async function startSource(router: types.Router, clip: string, ssrcBase: number): Promise<Source> {
  const videoSsrc = ssrcBase + 1;
  const audioSsrc = ssrcBase + 2;
  const { video, audio, videoOutput, audioOutput, close } = await rtpProducers(router, {
    videoSsrc,
    audioSsrc,
  });
  const ffmpeg = spawn(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      '-stream_loop',
      '-1',
      '-i',
      clip,
      '-map',
      '0:v',
      '-c',
      'copy',
      ...videoOutput,
      '-map',
      '0:a',
      '-c',
      'copy',
      ...audioOutput,
    ],
    { stdio: 'ignore' },
  );
  liveSources.add(ffmpeg.pid!);
  return {
    video,
    audio,
    pid: ffmpeg.pid!,
    stop: () => {
      ffmpeg.kill('SIGKILL');
      liveSources.delete(ffmpeg.pid!);
      close();
    },
  };
}

/** Source FFmpeg pids still running, so a hard stop never leaves one behind. */
const liveSources = new Set<number>();

/**
 * What ffprobe reads from `file` now: its duration (from the container, or for a live-mode file
 * without one, the last packet's time), or null when it finds no stream at all.
 */
function probeDuration(file: string): Promise<number | null> {
  return new Promise((resolve) => {
    const p = spawn('ffprobe', [
      '-v',
      'error',
      '-show_entries',
      'format=duration:packet=pts_time',
      '-of',
      'json',
      file,
    ]);
    let out = '';
    p.stdout.on('data', (chunk) => {
      out += chunk;
    });
    p.once('error', () => resolve(null));
    // 'close', not 'exit': only then has all of stdout been read.
    p.once('close', (code) => {
      try {
        const json = JSON.parse(out) as {
          format?: { duration?: string };
          packets?: Array<{ pts_time?: string }>;
        };
        const duration = Number.parseFloat(json.format?.duration ?? '');
        const last = Math.max(
          ...(json.packets ?? []).map((x) => Number.parseFloat(x.pts_time ?? '')).filter(Number.isFinite),
        );
        resolve(
          code !== 0 ? null : Number.isFinite(duration) ? duration : Number.isFinite(last) ? last : null,
        );
      } catch {
        resolve(null);
      }
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Calls

interface LiveCall {
  pair: Pair;
  callId: string;
  sources: Source[];
  recordingId?: string;
  recorderPids: number[];
}

async function startCall(t: TestApp, pair: Pair, clip: string): Promise<LiveCall> {
  const { callId, room, agentPeer, customerPeer } = await joinCall(t, pair);
  const sources: Source[] = [];
  for (const [side, peer] of [agentPeer, customerPeer].entries()) {
    const source = await startSource(room.router, clip, (pair.index * 2 + side + 1) * 1000);
    room.attachProducer(peer, source.video);
    room.attachProducer(peer, source.audio);
    sources.push(source);
  }
  return { pair, callId, sources, recorderPids: [] };
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Snapshot {
  at: number;
  recorders: ProcUsage;
  worker: ProcUsage;
  sources: ProcUsage;
  nodeRss: number;
  /** V8 heap used + external (ArrayBuffers, native objects) after the GC. */
  nodeHeap: number;
  recordedBytes: number;
  /** RTP bytes the router has received from the calls' sources (producer stats). */
  routerInBytes: number;
}

async function routerInBytes(calls: readonly LiveCall[]): Promise<number> {
  const producers = calls.flatMap((c) => c.sources.flatMap((s) => [s.video, s.audio]));
  const stats = await Promise.all(producers.map((p) => p.getStats().catch(() => [])));
  return stats.flat().reduce((n, s) => n + (s.byteCount ?? 0), 0);
}

function recordedBytes(t: TestApp, calls: readonly LiveCall[]): number {
  let total = 0;
  for (const call of calls) {
    if (!call.recordingId) continue;
    const dir = path.join(t.app.config.recordings.dir, call.recordingId);
    for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : []) {
      if (name.endsWith('.part.webm')) total += fs.statSync(path.join(dir, name)).size;
    }
  }
  return total;
}

async function snapshot(t: TestApp, calls: readonly LiveCall[], workerPid: number): Promise<Snapshot> {
  const nodeRss = nodeRssAfterGc();
  const memory = process.memoryUsage();
  const inBytes = await routerInBytes(calls);
  return {
    at: performance.now(),
    recorders: readProcs(calls.flatMap((c) => c.recorderPids)),
    worker: readProc(workerPid),
    sources: readProcs(calls.flatMap((c) => c.sources.map((s) => s.pid))),
    nodeRss,
    nodeHeap: memory.heapUsed + memory.external,
    recordedBytes: recordedBytes(t, calls),
    routerInBytes: inBytes,
  };
}

interface Sample {
  seconds: number;
  /** Everything per call. */
  recorderCpuPct: number;
  recorderRssMiB: number;
  recorderPssMiB: number;
  workerCpuPct: number;
  workerRecordingCpuPct: number;
  workerRssDeltaMiB: number;
  nodeRssDeltaMiB: number;
  nodeHeapDeltaMiB: number;
  recordedKBps: number;
  /** RTP payload+headers arriving at the router from the call's two sources. */
  inKBps: number;
  sourceCpuPct: number;
  recordersAlive: number;
}

function sampleBetween(a: Snapshot, b: Snapshot, calls: number, baseline: Baseline): Sample {
  const seconds = (b.at - a.at) / 1000;
  const workerCpu = cpuPercent(a.worker, b.worker, seconds);
  return {
    seconds: round(seconds, 3),
    recorderCpuPct: cpuPercent(a.recorders, b.recorders, seconds) / calls,
    recorderRssMiB: b.recorders.rss / MIB / calls,
    recorderPssMiB: b.recorders.pss / MIB / calls,
    workerCpuPct: workerCpu / calls,
    workerRecordingCpuPct: (workerCpu - baseline.workerCpuPct) / calls,
    workerRssDeltaMiB: (b.worker.rss - baseline.workerRss) / MIB / calls,
    nodeRssDeltaMiB: (b.nodeRss - baseline.nodeRss) / MIB / calls,
    nodeHeapDeltaMiB: (b.nodeHeap - baseline.nodeHeap) / MIB / calls,
    recordedKBps: (b.recordedBytes - a.recordedBytes) / 1000 / seconds / calls,
    inKBps: (b.routerInBytes - a.routerInBytes) / 1000 / seconds / calls,
    sourceCpuPct: cpuPercent(a.sources, b.sources, seconds) / calls,
    recordersAlive: Math.min(a.recorders.alive, b.recorders.alive),
  };
}

interface Baseline {
  seconds: number;
  workerCpuPct: number;
  workerRss: number;
  nodeRss: number;
  nodeHeap: number;
  sourceCpuPct: number;
}

type SampleKey = Exclude<keyof Sample, 'seconds' | 'recordersAlive'>;
const SAMPLE_KEYS: SampleKey[] = [
  'recorderCpuPct',
  'recorderRssMiB',
  'recorderPssMiB',
  'workerCpuPct',
  'workerRecordingCpuPct',
  'workerRssDeltaMiB',
  'nodeRssDeltaMiB',
  'nodeHeapDeltaMiB',
  'recordedKBps',
  'inKBps',
  'sourceCpuPct',
];

interface LevelResult {
  calls: number;
  tracksExpected: number;
  tracksRecording: number;
  recordersAliveMin: number;
  baseline: Baseline;
  samples: Sample[];
  /** Median over the samples, per call. */
  median: Record<SampleKey, number>;
  /** What the two sources of a call send: the clip's byte rate × 2 (libvpx stays under its target on a test pattern), kB/s. */
  sentKBps: number;
  /** Agent's recording:start → ack: the call's tracks all have a recorder listening (ms, per call). */
  startAckMs: number[];
  /** Wall time of the whole level (calls up, baseline, recording, hang-up). */
  durationMs: number;
  /** Agent's hang-up → ack: recorders stopped, tracks remuxed and probed (ms, per call, all in parallel). */
  hangupMs: number[];
  tracksReady: number;
  trackStatuses: Record<string, number>;
  recordingStatuses: Record<string, number>;
  /** The errors the recordings show (e.g. a recorder that stopped unexpectedly). */
  recordingErrors: string[];
  /** Tracks that did not end `ready`, with the duration ffprobe finds in their file now (null: unreadable). */
  notReady: Array<{ kind: string; status: string; sizeBytes: number | null; reprobedSeconds: number | null }>;
  /** Total size of the level's final (remuxed) files, bytes. */
  finalBytes: number;
}

async function runLevel(
  t: TestApp,
  opts: Options,
  clip: string,
  pairs: Pair[],
  n: number,
): Promise<LevelResult> {
  const workerPid = t.app.media.workerPids()[0]!;
  const levelStart = performance.now();
  log(`level ${n}: starting ${n} call(s) with live media`);
  const calls = await Promise.all(pairs.slice(0, n).map((p) => startCall(t, p, clip)));
  try {
    // Let the encoders start and reach their steady rate before the baseline.
    await sleep(1500);
    const b0 = await snapshot(t, calls, workerPid);
    await sleep(opts.baselineS * 1000);
    const b1 = await snapshot(t, calls, workerPid);
    const baselineSeconds = (b1.at - b0.at) / 1000;
    const baseline: Baseline = {
      seconds: round(baselineSeconds, 3),
      workerCpuPct: cpuPercent(b0.worker, b1.worker, baselineSeconds),
      workerRss: b1.worker.rss,
      nodeRss: b1.nodeRss,
      nodeHeap: b1.nodeHeap,
      sourceCpuPct: cpuPercent(b0.sources, b1.sources, baselineSeconds) / n,
    };

    log(`level ${n}: recording:start in ${n} call(s)`);
    const startAckMs: number[] = [];
    const notices = await Promise.all(
      calls.map(async (c) => {
        const sent = performance.now();
        const notice = ok(await c.pair.agentSocket.emitWithAck('recording:start', { callId: c.callId }));
        startAckMs.push(round(performance.now() - sent, 0));
        return notice as RecordingNotice;
      }),
    );
    notices.forEach((notice, i) => {
      calls[i]!.recordingId = notice.recordingId;
      calls[i]!.recorderPids = t.app.recordings.recorderPids(calls[i]!.callId);
    });
    const tracksRecording = calls.reduce((k, c) => k + c.recorderPids.length, 0);
    if (tracksRecording < n * 4) log(`level ${n}: only ${tracksRecording} of ${n * 4} recorders started`);
    await sleep(opts.settleS * 1000);

    const samples: Sample[] = [];
    let previous = await snapshot(t, calls, workerPid);
    const sampleMs = (opts.windowS * 1000) / opts.samples;
    for (let i = 0; i < opts.samples; i++) {
      await sleep(sampleMs);
      const next = await snapshot(t, calls, workerPid);
      samples.push(sampleBetween(previous, next, n, baseline));
      previous = next;
    }

    log(`level ${n}: hanging up (recorders stop, tracks are remuxed and probed)`);
    const hangupMs = await Promise.all(
      calls.map(async (c) => {
        const start = performance.now();
        ok(await c.pair.agentSocket.emitWithAck('call:hangup', { callId: c.callId }));
        return round(performance.now() - start, 0);
      }),
    );
    const recordingIds = calls.flatMap((c) => (c.recordingId ? [c.recordingId] : []));
    const tracks = recordingIds.length
      ? await t.app.db.db
          .select()
          .from(recordingTracks)
          .where(inArray(recordingTracks.recordingId, recordingIds))
      : [];
    const trackStatuses: Record<string, number> = {};
    for (const track of tracks) trackStatuses[track.status] = (trackStatuses[track.status] ?? 0) + 1;
    // A track that did not end `ready`: is its file really incomplete, or did the service's own
    // probe come back empty? Probe it again here (waiting for ffprobe's output to close).
    const notReady = await Promise.all(
      tracks
        .filter((track) => track.status !== 'ready')
        .map(async (track) => {
          const file = path.join(t.app.config.recordings.dir, track.file);
          const part = file.replace(/\.webm$/, '.part.webm');
          const probed = await probeDuration(fs.existsSync(file) ? file : part);
          return {
            kind: track.kind,
            status: track.status,
            sizeBytes: track.sizeBytes,
            reprobedSeconds: probed,
          };
        }),
    );
    const recordingStatuses: Record<string, number> = {};
    const rows = recordingIds.length
      ? await t.app.db.db.select().from(recordings).where(inArray(recordings.id, recordingIds))
      : [];
    for (const row of rows) recordingStatuses[row.status] = (recordingStatuses[row.status] ?? 0) + 1;
    const recordingErrors = [...new Set(rows.flatMap((row) => (row.error ? [row.error] : [])))];

    const med = Object.fromEntries(SAMPLE_KEYS.map((k) => [k, median(samples.map((s) => s[k]))])) as Record<
      SampleKey,
      number
    >;
    const clipKBps = fs.statSync(clip).size / 1000 / CLIP_SECONDS;
    return {
      calls: n,
      tracksExpected: n * 4,
      tracksRecording,
      recordersAliveMin: Math.min(...samples.map((s) => s.recordersAlive)),
      baseline: {
        ...baseline,
        workerCpuPct: round(baseline.workerCpuPct, 2),
        sourceCpuPct: round(baseline.sourceCpuPct, 2),
      },
      samples: samples.map((s) => roundAll(s)),
      median: roundAll(med),
      sentKBps: round(2 * clipKBps, 1),
      startAckMs,
      hangupMs,
      durationMs: round(performance.now() - levelStart, 0),
      tracksReady: trackStatuses.ready ?? 0,
      trackStatuses,
      recordingStatuses,
      recordingErrors,
      notReady,
      finalBytes: tracks.reduce((k, x) => k + (x.sizeBytes ?? 0), 0),
    };
  } finally {
    for (const c of calls) for (const s of c.sources) s.stop();
  }
}

function roundAll<T extends object>(o: T, digits = 2): T {
  return Object.fromEntries(
    Object.entries(o).map(([k, v]) => [k, typeof v === 'number' ? round(v, digits) : v]),
  ) as T;
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  const opts = options();
  const wallStart = performance.now();
  const loadStart = os.loadavg();
  let t: TestApp | undefined;
  let setupMs = Number.NaN;
  let clipDir: string | undefined;
  const results: LevelResult[] = [];
  const skipped: number[] = [];
  const hardTimer = setTimeout(() => {
    console.error(`bench:record: hard timeout (${opts.timeoutS} s) reached; stopping.`);
    const kill = (pid: number) => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    for (const pid of liveSources) kill(pid);
    if (clipDir) fs.rmSync(clipDir, { recursive: true, force: true });
    for (const callId of t?.app.recordings.activeCallIds() ?? [])
      for (const pid of t?.app.recordings.recorderPids(callId) ?? []) kill(pid);
    const done = new Set(results.map((r) => r.calls));
    const notRun = opts.levels.filter((n) => !done.has(n));
    report(opts, results, {
      wallMs: performance.now() - wallStart,
      setupMs,
      loadStart,
      loadEnd: os.loadavg(),
      skipped: notRun,
      note: `hard timeout: level(s) ${notRun.join(', ')} not (fully) run`,
    });
    process.exit(1);
  }, opts.timeoutS * 1000);
  hardTimer.unref();

  log(
    'encoding the sources’ clip and starting the app (startTestApp: in-memory PGlite, one mediasoup worker)',
  );
  clipDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-bench-record-'));
  const clipReady = encodeClip(opts.source, clipDir);
  t = await startTestApp({
    seedDemo: false,
    env: {
      CALL_RING_SECONDS: '300',
      RECORDING_AUTO_PRIORITIES: '',
      RECORDING_AUTO_TIERS: '',
    },
  });
  const clip = await clipReady;
  const maxCalls = Math.max(...opts.levels);
  const setupStart = performance.now();
  const pairs = await createPairs(t, maxCalls, 'rec');
  setupMs = performance.now() - setupStart;
  log(`created ${maxCalls} agent/customer pairs with a ticket each in ${fmt(setupMs / 1000)} s`);

  // One short recorded call first, not measured: the first recording in a process pays one-time
  // costs (JIT of the recording path, FFmpeg's libraries into the page cache, the first remux).
  log('warm-up: one recorded call of a few seconds (not measured)');
  await runLevel(t, { ...opts, windowS: 1, samples: 1, baselineS: 0.5, settleS: 0.5 }, clip, pairs, 1);

  for (const n of opts.levels) {
    // A level takes about as long as the one before plus its larger start and hang-up; on a busy
    // machine the last levels may not fit in the budget, and are then reported as skipped.
    const last = results.at(-1);
    const estimateS = last
      ? (last.durationMs / 1000) * (1 + 0.15 * Math.log2(n / last.calls))
      : opts.windowS + opts.baselineS + opts.settleS + 8;
    const elapsedS = (performance.now() - wallStart) / 1000;
    if (elapsedS + estimateS > opts.budgetS) {
      log(`level ${n}: skipped (≈${fmt(estimateS, 0)} s would end after the ${opts.budgetS} s budget)`);
      skipped.push(n);
      continue;
    }
    results.push(await runLevel(t, opts, clip, pairs, n));
  }

  closePairs(pairs);
  await t.close();
  fs.rmSync(clipDir, { recursive: true, force: true });
  clearTimeout(hardTimer);
  report(opts, results, {
    wallMs: performance.now() - wallStart,
    setupMs,
    loadStart,
    loadEnd: os.loadavg(),
    skipped,
    note: skipped.length ? `level(s) ${skipped.join(', ')} skipped to stay within the time budget` : '',
  });
  process.exit(0);
}

function report(
  opts: Options,
  results: LevelResult[],
  meta: {
    wallMs: number;
    setupMs: number;
    loadStart: number[];
    loadEnd: number[];
    skipped: number[];
    note: string;
  },
) {
  const cpus = os.cpus();
  const rows = [
    [
      'calls',
      'tracks',
      'rec CPU',
      'rec RSS',
      'rec PSS',
      'wrk CPU',
      'wrk rec',
      'node RSS Δ',
      'heap Δ',
      'recv',
      'in',
      'rec/in',
      'rec start',
      'hang-up',
      'ready',
      'src CPU',
    ],
    ...results.map((r) => [
      String(r.calls),
      `${r.tracksRecording}/${r.tracksExpected}`,
      `${fmt(r.median.recorderCpuPct, 2)} %`,
      `${fmt(r.median.recorderRssMiB)} MiB`,
      `${fmt(r.median.recorderPssMiB)} MiB`,
      `${fmt(r.median.workerCpuPct, 2)} %`,
      `${fmt(r.median.workerRecordingCpuPct, 2)} %`,
      `${fmt(r.median.nodeRssDeltaMiB, 2)} MiB`,
      `${fmt(r.median.nodeHeapDeltaMiB, 2)} MiB`,
      `${fmt(r.median.recordedKBps)} kB/s`,
      `${fmt(r.median.inKBps)} kB/s`,
      `${fmt((r.median.recordedKBps / r.median.inKBps) * 100, 0)} %`,
      `${fmt(median(r.startAckMs), 0)} ms`,
      `${fmt(median(r.hangupMs), 0)} ms`,
      `${r.tracksReady}/${r.tracksExpected}`,
      `${fmt(r.median.sourceCpuPct)} %`,
    ]),
  ];
  const env = {
    node: process.version,
    ffmpeg: ffmpegVersion(),
    platform: `${os.platform()} ${os.release()}`,
    cpus: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memoryMiB: Math.round(os.totalmem() / MIB),
    clockTicks: CLK_TCK,
    loadAverage1m: {
      start: round(meta.loadStart[0] ?? Number.NaN),
      end: round(meta.loadEnd[0] ?? Number.NaN),
    },
  };
  const s = opts.source;
  const sampleS = opts.windowS / opts.samples;
  console.log('');
  console.log('Livedesk call recording cost (real RecordingsService via startTestApp, one mediasoup worker)');
  console.log(
    `${env.cpus}, ${env.memoryMiB} MiB RAM, Node ${env.node}, FFmpeg ${env.ffmpeg}, CLK_TCK ${CLK_TCK}, ` +
      `load average (1 min) ${fmt(env.loadAverage1m.start, 2)} at start, ${fmt(env.loadAverage1m.end, 2)} at end`,
  );
  console.log(
    `call = agent + customer, each camera (VP8 ${s.width}x${s.height}@${s.fps}, ${s.videoKbps} kb/s) + mic ` +
      `(Opus ${s.audioKbps} kb/s) = 4 recorded tracks; window ${opts.windowS} s per level = ${opts.samples} ` +
      `samples of ${fmt(sampleS)} s, medians shown; everything PER CALL`,
  );
  console.log('');
  console.log(formatTable(rows));
  console.log('');
  console.log('rec CPU = CPU time of the call’s 4 recorder FFmpeg processes (user+sys), % of one core;');
  console.log('rec RSS = their VmRSS summed (shared libraries counted in every process: upper bound);');
  console.log('rec PSS = their proportional set size (shared pages split): what one more call adds;');
  console.log(
    'wrk CPU = mediasoup worker CPU / calls (routes the sources too); wrk rec = the same minus its CPU',
  );
  console.log(
    '  in the baseline window before recording (media flowing, nothing recorded) = recording’s share;',
  );
  console.log('node RSS Δ = this Node process’s RSS (after GC) minus its baseline RSS, per call;');
  console.log(
    'heap Δ = its V8 heap used + external memory, same way: RSS moves in steps of allocator arenas and pages;',
  );
  console.log(
    'recv = growth of the live .part.webm files per second; in = RTP bytes/s the router received from the ' +
      `call’s 2 sources (producer stats; the clip replayed by both is ${fmt(results[0]?.sentKBps ?? Number.NaN)} kB/s);`,
  );
  console.log(
    '  rec/in ≈ 90–100 % when nothing is lost (RTP headers are not stored; WebM framing is small);',
  );
  console.log(
    'rec start = agent’s recording:start → ack (4 recorders started one after another, listening);',
  );
  console.log(
    'hang-up = agent’s call:hangup → ack: recorders stopped, 4 tracks remuxed + probed (calls in parallel);',
  );
  console.log(
    'ready = tracks that ended `ready`; src CPU = the load generator (2 replaying FFmpegs), NOT a cost.',
  );
  for (const r of results) {
    const notes = [
      r.recordersAliveMin < r.tracksRecording
        ? `recorders alive dropped to ${r.recordersAliveMin}/${r.tracksRecording}`
        : '',
      r.tracksReady < r.tracksExpected
        ? `track statuses ${JSON.stringify(r.trackStatuses)}; re-probed here, ` +
          `${r.notReady.filter((x) => x.reprobedSeconds !== null).length} of ${r.notReady.length} not-ready ` +
          `files are readable (durations ${r.notReady.map((x) => fmt(x.reprobedSeconds ?? Number.NaN)).join(', ')} s)`
        : '',
      r.median.recordedKBps < r.median.inKBps * 0.8 ? 'recorded under 80 % of what the router received' : '',
      r.median.inKBps < r.sentKBps * 0.8
        ? 'the router received under 80 % of the clip’s rate (sources starved of CPU?)'
        : '',
    ].filter(Boolean);
    if (notes.length) console.log(`NOTE ${r.calls} call(s): ${notes.join('; ')}`);
  }
  if (env.loadAverage1m.start > cpus.length) {
    console.log('NOTE: the machine was already busy at the start (load > cores); expect noisier figures.');
  }
  if (meta.note) console.log(`NOTE: ${meta.note}`);
  console.log(
    `setup ${fmt(meta.setupMs / 1000)} s; level wall times ` +
      `${results.map((r) => `${r.calls}: ${fmt(r.durationMs / 1000)} s`).join(', ')}; wall time ${fmt(meta.wallMs / 1000)} s`,
  );
  const file = writeResults(BENCH_DIR, 'record', {
    benchmark: 'record',
    date: new Date().toISOString(),
    environment: env,
    options: opts,
    method:
      'real RecordingsService via startTestApp; per call 2 FFmpeg RTP sources (agent, customer) as camera+mic ' +
      'producers; recording:start over the agent socket; /proc utime+stime, VmRSS, Pss; figures per call',
    wallMs: round(meta.wallMs, 0),
    setupMs: round(meta.setupMs, 0),
    skippedLevels: meta.skipped,
    note: meta.note || null,
    levels: results,
  });
  console.log(`JSON summary: ${path.relative(process.cwd(), file)}`);
}

function ffmpegVersion(): string {
  try {
    return /ffmpeg version (\S+)/.exec(execSync('ffmpeg -version', { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

main().catch((err: unknown) => {
  console.error('bench:record failed:', err);
  for (const pid of liveSources) process.kill(pid, 'SIGKILL');
  process.exit(1);
});
