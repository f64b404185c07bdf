import { type ChildProcess, spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { types } from 'mediasoup';
import { allocateRtpPortPair, isBound } from './rtpPorts';

export interface TrackRecorderOptions {
  router: types.Router;
  producer: types.Producer;
  /** File path without extension; `.part.webm` (written live) and `.sdp` are added. */
  basePath: string;
  ffmpegPath?: string;
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
    const { router, producer } = this.options;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const ports = await allocateRtpPortPair();
    this.transport = await router.createPlainTransport({
      listenIp: '127.0.0.1',
      rtcpMux: false,
      comedia: false,
    });
    await this.transport.connect({ ip: '127.0.0.1', port: ports.rtp, rtcpPort: ports.rtcp });
    this.consumer = await this.transport.consume({
      producerId: producer.id,
      rtpCapabilities: router.rtpCapabilities,
      paused: true,
    });
    const sdpPath = `${this.options.basePath}.sdp`;
    fs.writeFileSync(sdpPath, sdpFor(this.consumer, ports));

    this.ffmpeg = spawn(
      this.options.ffmpegPath ?? 'ffmpeg',
      [
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
        this.file,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.ffmpeg.stderr?.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    this.exit = new Promise((resolve) => {
      this.ffmpeg!.once('exit', (code) => resolve({ code }));
      this.ffmpeg!.once('error', (err) => {
        this.stderr += `\n${err.message}`;
        resolve({ code: -1 });
      });
    });
    void this.exit.then(({ code }) => {
      if (!this.stopping) {
        void this.teardown();
        this.emit('crashed', this.result(code, true));
      }
    });

    // Let media through only once FFmpeg listens, or the first keyframe is lost.
    const deadline = Date.now() + 5000;
    while (!(await isBound(ports.rtp))) {
      if (Date.now() > deadline || this.ffmpeg.exitCode !== null) {
        await this.stop();
        throw new Error(`FFmpeg did not start listening: ${this.stderr.trim() || 'no output'}`);
      }
      await new Promise((r) => setTimeout(r, 25));
    }
    await this.consumer.resume();
    this.startedAt = new Date();
    if (this.consumer.kind === 'video') {
      // Ask for a keyframe now and a few more times: FFmpeg needs one to learn the frame size.
      for (const ms of [0, 300, 800, 1500, 3000]) {
        this.keyframeTimers.push(setTimeout(() => void this.consumer?.requestKeyFrame().catch(() => {}), ms));
      }
    }
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
