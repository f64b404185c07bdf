import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { types } from 'mediasoup';
import { loopbackListenInfo } from './listenInfos';
import { allocateRtpPortPair, processHoldsUdpPort } from './rtpPorts';

export interface TrackRecorderOptions {
  router: types.Router;
  producer: types.Producer;
  /** File path without extension; `.part.webm` (written live) and `.sdp` are added. */
  basePath: string;
  ffmpegPath?: string;
  /** Chooses FFmpeg's port pair; the default picks a free pair at random. */
  allocatePorts?: () => Promise<{ rtp: number; rtcp: number }>;
}

export interface TrackResult {
  file: string;
  /** Wall-clock moment the first media was let through (the consumer resumed). */
  startedAt: Date;
  endedAt: Date;
  /** FFmpeg ended on its own (crash, kill) instead of being stopped. */
  crashed: boolean;
  exitCode: number | null;
  stderrTail: string;
}

/** The SDP that tells FFmpeg what arrives on its RTP port (one stream, from mediasoup). */
export function sdpFor(consumer: types.Consumer, ports: { rtp: number; rtcp: number }): string {
  const codec = consumer.rtpParameters.codecs[0]!;
  const [, name] = codec.mimeType.split('/');
  const media = consumer.kind;
  const rtpmap = `${name}/${codec.clockRate}${codec.channels && codec.channels > 1 ? `/${codec.channels}` : ''}`;
  const fmtp = Object.entries(codec.parameters ?? {})
    .map(([k, v]) => `${k}=${v}`)
    .join(';');
  return [
    'v=0',
    'o=- 0 0 IN IP4 127.0.0.1',
    's=livedesk-recording',
    'c=IN IP4 127.0.0.1',
    't=0 0',
    `m=${media} ${ports.rtp} RTP/AVP ${codec.payloadType}`,
    `a=rtcp:${ports.rtcp}`,
    `a=rtpmap:${codec.payloadType} ${rtpmap}`,
    ...(fmtp ? [`a=fmtp:${codec.payloadType} ${fmtp}`] : []),
    'a=recvonly',
    '',
  ].join('\n');
}

/** Attempts at starting FFmpeg when the chosen port was taken in the meantime. */
const START_ATTEMPTS = 3;
/** How long FFmpeg may take to bind its port: generous, since a loaded machine starts it slowly. */
const START_TIMEOUT_MS = 15_000;

/** FFmpeg's arguments: read the RTP stream the SDP describes and copy it into live WebM. */
function ffmpegArgs(sdpPath: string, file: string): string[] {
  return [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'warning',
    '-protocol_whitelist',
    'file,udp,rtp',
    // Short probing: the header (and so a playable file) must exist within about a second.
    '-analyzeduration',
    '1500000',
    '-probesize',
    '300000',
    '-fflags',
    '+genpts',
    '-i',
    sdpPath,
    '-map',
    '0',
    '-c',
    'copy',
    '-f',
    'webm',
    // Live mode: no seeking back to rewrite the header, clusters closed every second.
    '-live',
    '1',
    // Write each packet through at once: a killed FFmpeg loses at most the last one.
    '-flush_packets',
    '1',
    '-cluster_time_limit',
    '1000',
    '-y',
    file,
  ];
}

/**
 * Records one producer to a WebM file without re-encoding: a PlainTransport sends a paused
 * consumer's RTP to an FFmpeg that copies it into WebM in live mode (clusters flushed as they
 * complete), so a crash of FFmpeg or of the server still leaves a playable partial file.
 *
 * Events: `crashed` (TrackResult) when FFmpeg exits without being asked to.
 */
export class TrackRecorder extends EventEmitter {
  private ffmpeg: ChildProcess | undefined;
  private transport: types.PlainTransport | undefined;
  private consumer: types.Consumer | undefined;
  private startedAt: Date | undefined;
  private stopping = false;
  private stderr = '';
  private exit: Promise<{ code: number | null }> | undefined;
  private keyframeTimers: NodeJS.Timeout[] = [];
  readonly file: string;

  private constructor(private readonly options: TrackRecorderOptions) {
    super();
    this.file = `${options.basePath}.part.webm`;
  }

  static async create(options: TrackRecorderOptions): Promise<TrackRecorder> {
    const recorder = new TrackRecorder(options);
    await recorder.start();
    return recorder;
  }

  get kind(): types.MediaKind {
    return this.options.producer.kind;
  }

  get pid(): number | undefined {
    return this.ffmpeg?.pid;
  }

  /** When media was let through to FFmpeg (set once the recorder has started). */
  get mediaStartedAt(): Date | undefined {
    return this.startedAt;
  }

  private async start(): Promise<void> {
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    // The port pair is free when chosen, but another process may take it before FFmpeg binds it
    // (the kernel hands out ports in this range to any process). Such a start is retried on a new
    // pair; any other failure is reported at once.
    for (let attempt = 1; ; attempt++) {
      const ports = await (this.options.allocatePorts ?? allocateRtpPortPair)();
      const outcome = await this.launch(ports);
      if (outcome === 'listening') break;
      if (outcome === 'port-taken' && attempt < START_ATTEMPTS) continue;
      await this.stop();
      throw new Error(`FFmpeg did not start listening: ${this.stderr.trim() || 'no output'}`);
    }
    await this.consumer!.resume();
    this.startedAt = new Date();
    if (this.consumer!.kind === 'video') {
      // Ask for a keyframe now and a few more times: FFmpeg needs one to learn the frame size.
      for (const ms of [0, 300, 800, 1500, 3000]) {
        this.keyframeTimers.push(setTimeout(() => void this.consumer?.requestKeyFrame().catch(() => {}), ms));
      }
    }
  }

  /**
   * Points the (paused) consumer at `ports` and starts FFmpeg listening there. Media is let through
   * only once FFmpeg listens, or the first keyframe is lost.
   */
  private async launch(ports: { rtp: number; rtcp: number }): Promise<'listening' | 'port-taken' | 'failed'> {
    // A PlainTransport connects once, so a retry on a new pair needs a new transport.
    this.consumer?.close();
    this.transport?.close();
    const transport = await this.options.router.createPlainTransport({
      listenInfo: loopbackListenInfo(this.options.router),
      rtcpMux: false,
      comedia: false,
    });
    this.transport = transport;
    await transport.connect({ ip: '127.0.0.1', port: ports.rtp, rtcpPort: ports.rtcp });
    this.consumer = await transport.consume({
      producerId: this.options.producer.id,
      rtpCapabilities: this.options.router.rtpCapabilities,
      paused: true,
    });
    const sdpPath = `${this.options.basePath}.sdp`;
    fs.writeFileSync(sdpPath, sdpFor(this.consumer, ports));

    this.stderr = '';
    const ffmpeg = spawn(this.options.ffmpegPath ?? 'ffmpeg', ffmpegArgs(sdpPath, this.file), {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    this.ffmpeg = ffmpeg;
    ffmpeg.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    const exit = new Promise<{ code: number | null }>((resolve) => {
      ffmpeg.once('exit', (code) => resolve({ code }));
      ffmpeg.once('error', (err) => {
        this.stderr += `\n${err.message}`;
        resolve({ code: -1 });
      });
    });

    const deadline = Date.now() + START_TIMEOUT_MS;
    // FFmpeg binds RTP and then RTCP; once it holds both, nothing else can take them.
    const listening = async () =>
      ffmpeg.pid !== undefined &&
      (await processHoldsUdpPort(ffmpeg.pid, ports.rtp)) &&
      (await processHoldsUdpPort(ffmpeg.pid, ports.rtcp));
    while (!(await listening())) {
      if (ffmpeg.exitCode !== null || ffmpeg.signalCode !== null) {
        await exit;
        return /address already in use|bind failed/i.test(this.stderr) ? 'port-taken' : 'failed';
      }
      if (Date.now() > deadline) {
        this.exit = exit;
        return 'failed';
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    this.exit = exit;
    void exit.then(({ code }) => {
      if (!this.stopping) {
        void this.teardown();
        this.emit('crashed', this.result(code, true));
      }
    });
    return 'listening';
  }

  private result(code: number | null, crashed: boolean): TrackResult {
    return {
      file: this.file,
      startedAt: this.startedAt ?? new Date(),
      endedAt: new Date(),
      crashed,
      exitCode: code,
      stderrTail: this.stderr.trim().split('\n').slice(-5).join('\n'),
    };
  }

  private async teardown(): Promise<void> {
    for (const t of this.keyframeTimers) clearTimeout(t);
    this.keyframeTimers = [];
    this.consumer?.close();
    this.transport?.close();
  }

  /** Stops gracefully: FFmpeg gets SIGINT to finish the file (SIGKILL after 5 s). */
  async stop(): Promise<TrackResult> {
    if (this.stopping) {
      const { code } = await this.exit!;
      return this.result(code, false);
    }
    this.stopping = true;
    // Media keeps flowing until FFmpeg has finished. FFmpeg notices a first SIGINT between packets;
    // when none arrive (the sender already stopped), a second one interrupts its blocking read, and
    // it still writes a proper end to the file. SIGKILL only if it hangs beyond that.
    if (this.ffmpeg && this.ffmpeg.exitCode === null && this.ffmpeg.signalCode === null) {
      const ffmpeg = this.ffmpeg;
      ffmpeg.kill('SIGINT');
      const again = setTimeout(() => ffmpeg.kill('SIGINT'), 400);
      const kill = setTimeout(() => ffmpeg.kill('SIGKILL'), 5000);
      const { code } = await this.exit!;
      clearTimeout(again);
      clearTimeout(kill);
      await this.teardown();
      return this.result(code, false);
    }
    await this.teardown();
    const { code } = (await this.exit) ?? { code: null };
    return this.result(code, false);
  }
}
