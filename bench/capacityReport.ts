// bench:capacity's report: the table per level and recording mode, the derived capacity against
// mediasoup's guidance, and the JSON document (printed with --json, always written to a file).
import { execSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import type { Options } from './capacity';
import type { StreamInfo, StreamName } from './capacityIpc';
import {
  againstGuidance,
  CONSUMERS_PER_WORKER_GUIDANCE,
  callsPerWorkerCore,
  MAX_LOSS_PERCENT,
} from './capacityMath';
import { CLK_TCK } from './procUsage';
import { fmt, formatTable, median, round, writeResults } from './stats';

export interface Sample {
  seconds: number;
  workerCpuPct: number;
  nodeCpuPct: number;
  recorderCpuPct: number;
  loadCpuPct: number;
  sentPps: number;
  lossPct: number;
  senderLagMaxMs: number;
}

export interface LevelResult {
  calls: number;
  recording: boolean;
  /** Consumers in the worker: the receivers' and, recording, the recorders'. */
  consumers: number;
  recordersStarted: number;
  recordersAliveMin: number;
  /** All workers together, % of one core. */
  workerCpuPct: { p50: number; p90: number };
  nodeCpuPct: { p50: number; p90: number };
  recorderCpuPct: number;
  loadCpuPct: number;
  memPerCallMiB: number;
  nodeRssMiB: number;
  workerRssMiB: number;
  recorderPssPerCallMiB: number;
  /** Over the whole window, all receivers together, and the worst receiver. */
  lossPct: number;
  worstStreamLossPct: number;
  lostPackets: number;
  expectedPackets: number;
  sentPps: number;
  senderLagMaxMs: number;
  /** Agent's hang-up → ack with recording (recorders stopped, tracks remuxed), median, ms. */
  hangupMs: number;
  samples: Sample[];
}

function derived(results: readonly LevelResult[], recording: boolean) {
  const rows = results.filter((r) => r.recording === recording);
  if (rows.length === 0) return null;
  const capacity = callsPerWorkerCore(
    rows.map((r) => ({ calls: r.calls, workerCpuPercent: r.workerCpuPct.p50, lossPercent: r.lossPct })),
  );
  const consumersPerCall = median(rows.map((r) => r.consumers / r.calls));
  return {
    recording,
    callsPerWorkerCore: round(capacity.calls, 1),
    basedOnLevel: capacity.basedOn,
    lossLimitReachedAt: capacity.lossLimitReachedAt,
    consumersPerCall: round(consumersPerCall, 1),
    ...Object.fromEntries(
      Object.entries(againstGuidance(consumersPerCall, capacity.calls)).map(([k, v]) => [k, round(v, 2)]),
    ),
  } as {
    recording: boolean;
    callsPerWorkerCore: number;
    basedOnLevel: number | null;
    lossLimitReachedAt: number | null;
    consumersPerCall: number;
    callsAtGuidance: number;
    consumersAtMeasured: number;
    measuredShareOfGuidance: number;
  };
}

export function printReport(
  benchDir: string,
  opts: Options,
  results: LevelResult[],
  meta: {
    wallMs: number;
    loadStart: number[];
    loadEnd: number[];
    streams: Record<StreamName, StreamInfo> | undefined;
    note: string;
  },
): void {
  const cpus = os.cpus();
  const env = {
    node: process.version,
    ffmpeg: ffmpegVersion(),
    platform: `${os.platform()} ${os.release()}`,
    cpus: `${cpus.length} × ${cpus[0]?.model ?? 'unknown'}`,
    memoryMiB: Math.round(os.totalmem() / (1024 * 1024)),
    clockTicks: CLK_TCK,
    loadAverage1m: {
      start: round(meta.loadStart[0] ?? Number.NaN),
      end: round(meta.loadEnd[0] ?? Number.NaN),
    },
  };
  const capacity = [derived(results, false), derived(results, true)].filter((d) => d !== null);
  const document = {
    benchmark: 'capacity',
    date: new Date().toISOString(),
    environment: env,
    options: opts,
    clip: meta.streams ?? null,
    method:
      'real call service and media rooms via startTestApp; per call 5 RTP sources (both sides camera+mic, ' +
      'customer screen) replayed from one captured FFmpeg encode by a separate load process, each received by ' +
      'the other side through a PlainTransport consumer and counted by sequence number; recording via ' +
      'recording:start (the project recorder); /proc utime+stime and VmRSS of the workers, process.cpuUsage ' +
      'and RSS after GC of the server process',
    wallMs: round(meta.wallMs, 0),
    note: meta.note || null,
    levels: results,
    capacity,
  };
  const file = writeResults(benchDir, 'capacity', document);
  if (opts.json) {
    console.log(JSON.stringify(document, null, 2));
    return;
  }
  const m = opts.media;
  const rows = [
    [
      'calls',
      'rec',
      'consumers',
      'worker CPU p50',
      'p90',
      'per call',
      'node CPU p50',
      'p90',
      'mem/call',
      'loss',
      'worst',
      'recorders CPU',
      'rec PSS/call',
      'load CPU',
      'sent',
      'hang-up',
    ],
    ...results.map((r) => [
      String(r.calls),
      r.recording ? 'on' : 'off',
      String(r.consumers),
      `${fmt(r.workerCpuPct.p50)} %`,
      `${fmt(r.workerCpuPct.p90)} %`,
      `${fmt(r.workerCpuPct.p50 / r.calls, 2)} %`,
      `${fmt(r.nodeCpuPct.p50)} %`,
      `${fmt(r.nodeCpuPct.p90)} %`,
      `${fmt(r.memPerCallMiB, 2)} MiB`,
      `${fmt(r.lossPct, 2)} %`,
      `${fmt(r.worstStreamLossPct, 2)} %`,
      r.recording ? `${fmt(r.recorderCpuPct)} %` : '-',
      r.recording ? `${fmt(r.recorderPssPerCallMiB, 1)} MiB` : '-',
      `${fmt(r.loadCpuPct)} %`,
      `${fmt(r.sentPps, 0)} pkt/s`,
      r.recording ? `${fmt(r.hangupMs, 0)} ms` : '-',
    ]),
  ];
  const stream = (name: StreamName) => {
    const s = meta.streams?.[name];
    return s ? `${fmt(s.kbps, 0)} kb/s, ${fmt(s.packetsPerSecond, 0)} pkt/s` : '?';
  };
  console.log('');
  console.log(
    `Livedesk media path capacity (real call service and media rooms via startTestApp, ${opts.workers} mediasoup worker(s))`,
  );
  console.log(
    `${env.cpus}, ${env.memoryMiB} MiB RAM, Node ${env.node}, FFmpeg ${env.ffmpeg}, load average (1 min) ` +
      `${fmt(env.loadAverage1m.start, 2)} at start, ${fmt(env.loadAverage1m.end, 2)} at end`,
  );
  console.log(
    `call = agent + customer, each camera (VP8 ${m.camera.width}x${m.camera.height}@${m.camera.fps}: ${stream('camera')}) ` +
      `+ mic (Opus: ${stream('mic')}), customer screen (VP8 ${m.screen.width}x${m.screen.height}@${m.screen.fps}: ` +
      `${stream('screen')}); each side receives the other's tracks; window ${opts.durationS} s = ${opts.samples} samples`,
  );
  console.log('');
  console.log(formatTable(rows));
  console.log('');
  console.log(
    'worker CPU = all mediasoup workers, % of one core (p50/p90 over the samples; per call = p50 / calls);',
  );
  console.log(
    'node CPU = the server process (HTTP, sockets, call service, recorder control), % of one core;',
  );
  console.log(
    'mem/call = growth of the server’s heap + external memory (after GC) + worker RSS over the same just before the level, per call;',
  );
  console.log(
    'loss = RTP packets missing at the receivers by sequence number over the window, all streams (worst: one stream);',
  );
  console.log(
    'recorders CPU / rec PSS = the recorder FFmpegs (one per track), not part of worker CPU; load CPU = the RTP',
  );
  console.log('  senders and receivers (a separate process), NOT a cost; sent = RTP packets/s into the SFU;');
  console.log('hang-up = agent’s call:hangup → ack with recording: recorders stopped and tracks remuxed.');
  console.log('');
  for (const d of capacity) {
    const mode = d.recording ? 'with recording' : 'without recording';
    const basis =
      d.basedOnLevel === null
        ? `no level stayed under ${MAX_LOSS_PERCENT} % loss`
        : `from the ${d.basedOnLevel}-call level` +
          (d.lossLimitReachedAt !== null
            ? `; ${d.lossLimitReachedAt} calls went over ${MAX_LOSS_PERCENT} % loss`
            : '');
    console.log(
      `${mode}: ${fmt(d.callsPerWorkerCore, 0)} calls per worker core at < ${MAX_LOSS_PERCENT} % loss (${basis}); ` +
        `${fmt(d.consumersPerCall, 0)} consumers per call, so mediasoup's ~${CONSUMERS_PER_WORKER_GUIDANCE} consumers ` +
        `per worker = ${fmt(d.callsAtGuidance, 0)} calls; measured ${fmt(d.consumersAtMeasured, 0)} consumers per core ` +
        `(${fmt(d.measuredShareOfGuidance * 100, 0)} % of the guidance)`,
    );
  }
  for (const r of results) {
    const notes = [
      r.recording && r.recordersStarted < r.calls * 5
        ? `only ${r.recordersStarted} of ${r.calls * 5} recorders started`
        : '',
      r.recording && r.recordersAliveMin < r.recordersStarted
        ? `recorders alive dropped to ${r.recordersAliveMin}/${r.recordersStarted}`
        : '',
      r.senderLagMaxMs > 100
        ? `the load process sent up to ${fmt(r.senderLagMaxMs, 0)} ms late (starved of CPU?)`
        : '',
    ].filter(Boolean);
    if (notes.length)
      console.log(`NOTE ${r.calls} call(s), recording ${r.recording ? 'on' : 'off'}: ${notes.join('; ')}`);
  }
  if (env.loadAverage1m.start > cpus.length) {
    console.log(
      'NOTE: the machine was already busy at the start (load > cores): loss and CPU figures are noisier.',
    );
  }
  if (meta.note) console.log(`NOTE: ${meta.note}`);
  console.log(`wall time ${fmt(meta.wallMs / 1000)} s; JSON: ${path.relative(process.cwd(), file)}`);
}

function ffmpegVersion(): string {
  try {
    return /ffmpeg version (\S+)/.exec(execSync('ffmpeg -version', { encoding: 'utf8' }))?.[1] ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
