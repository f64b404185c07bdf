// bench:capacity's load process: the RTP senders and receivers of every synthetic call, apart from
// the server's process so that their CPU never counts as the server's.
//
// SENDING: the clip (a camera test pattern in VP8, a tone in Opus, a screen test pattern in VP8) is
// encoded ONCE by FFmpeg into RTP, captured here, and kept in memory; every source then replays one
// of its streams from a single UDP socket, each packet copied with the source's own SSRC and payload
// type and with sequence numbers and timestamps that run on across loops, at the time its RTP
// timestamp says (sources start staggered, so the calls' keyframes do not all coincide). What the
// SFU receives is exactly what FFmpeg's RTP muxer sends, at a few % of a core for hundreds of
// streams, where an FFmpeg per source would take the cores the SFU is measured on.
//
// RECEIVING: one UDP socket per consumer (its PlainTransport sends RTP and RTCP there); RTP of the
// consumer's SSRC is counted by sequence number (RtpLossCounter), RTCP is ignored.
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { opusEncoder, testMediaInputs, vp8Encoder } from '../tests/helpers/rtpSource';
import type {
  DriverToLoad,
  LoadStats,
  LoadToDriver,
  MediaProfile,
  SourceSpec,
  StreamInfo,
  StreamName,
} from './capacityIpc';
import { type ClipStream, clipStream, isRtcp, RtpLossCounter, rewriteRtp, rtpHeader } from './rtpReplay';

const STREAMS: Array<{ name: StreamName; captureSsrc: number; clockRate: number }> = [
  { name: 'camera', captureSsrc: 1001, clockRate: 90000 },
  { name: 'mic', captureSsrc: 1002, clockRate: 48000 },
  { name: 'screen', captureSsrc: 1003, clockRate: 90000 },
];
/** Room for bursts (a keyframe of every source in one tick) while the process is descheduled. */
const SOCKET_BUFFER_BYTES = 8 * 1024 * 1024;
const TICK_MS = 5;

function reply(message: LoadToDriver) {
  process.send?.(message);
}

// ---------------------------------------------------------------------------------------------
// The clip

/** One FFmpeg run encodes the three streams and sends them as RTP to a socket here. */
async function captureClip(media: MediaProfile, realTime: boolean): Promise<Map<StreamName, Buffer[]>> {
  const socket = dgram.createSocket('udp4');
  const packets = new Map<number, Buffer[]>(STREAMS.map((s) => [s.captureSsrc, []]));
  socket.on('message', (packet) => {
    if (isRtcp(packet)) return;
    const h = rtpHeader(packet);
    if (h) packets.get(h.ssrc)?.push(packet);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  socket.setRecvBufferSize(SOCKET_BUFFER_BYTES);
  const port = socket.address().port;
  const url = `rtp://127.0.0.1:${port}?rtcpport=${port}&pkt_size=1200`;
  const out = (ssrc: number, pt: number) => [
    '-ssrc',
    String(ssrc),
    '-payload_type',
    String(pt),
    '-f',
    'rtp',
    url,
  ];
  const { camera, screen, clipSeconds: seconds } = media;
  const args = [
    '-nostdin',
    '-hide_banner',
    '-loglevel',
    'error',
    // Paced to real time only as a fallback: the timing comes from the RTP timestamps anyway.
    ...(realTime ? ['-re'] : []),
    ...testMediaInputs({ ...camera, seconds }),
    ...testMediaInputs({ ...screen, seconds }),
    '-map',
    '0:v',
    ...vp8Encoder(camera.kbps, camera.fps),
    ...out(1001, 101),
    '-map',
    '1:a',
    ...opusEncoder(media.audioKbps),
    ...out(1002, 100),
    '-map',
    '2:v',
    ...vp8Encoder(screen.kbps, screen.fps),
    ...out(1003, 101),
  ];
  const code = await new Promise<number | null>((resolve) => {
    const p = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    p.once('error', () => resolve(-1));
    p.once('close', resolve);
  });
  // The last packets may still be in the socket's buffer.
  await new Promise((resolve) => setTimeout(resolve, 200));
  socket.close();
  if (code !== 0) throw new Error(`encoding the clip failed (ffmpeg exited ${code})`);
  return new Map(STREAMS.map((s) => [s.name, packets.get(s.captureSsrc)!]));
}

const clip = new Map<StreamName, ClipStream>();

async function prepare(media: MediaProfile): Promise<Record<StreamName, StreamInfo>> {
  let lastError: unknown;
  // As fast as FFmpeg encodes first; if the capture lost a packet, once more in real time.
  for (const realTime of [false, true]) {
    try {
      const captured = await captureClip(media, realTime);
      for (const s of STREAMS)
        clip.set(s.name, clipStream(captured.get(s.name)!, s.clockRate, media.clipSeconds));
      const info = {} as Record<StreamName, StreamInfo>;
      for (const s of STREAMS) {
        const stream = clip.get(s.name)!;
        const bytes = stream.packets.reduce((n, p) => n + p.packet.length, 0);
        info[s.name] = {
          packets: stream.packets.length,
          packetsPerSecond: stream.packets.length / media.clipSeconds,
          kbps: (bytes * 8) / 1000 / media.clipSeconds,
        };
      }
      return info;
    } catch (err) {
      lastError = err;
    }
  }
  throw lastError;
}

// ---------------------------------------------------------------------------------------------
// Sources

interface Source extends SourceSpec {
  stream: StreamName;
  startAt: number;
  index: number;
  loop: number;
  seqBase: number;
  tsBase: number;
  sent: number;
}

const sender = dgram.createSocket('udp4');
const sources = new Map<number, Source>();
let started = 0;
let lagMaxMs = 0;

function addSources(specs: SourceSpec[]): void {
  const now = performance.now();
  for (const spec of specs) {
    // Staggered over a second, so that the calls' keyframes are spread as real calls' would be.
    const offset = (started++ * 137) % 1000;
    sources.set(spec.port, {
      ...spec,
      startAt: now + 20 + offset,
      index: 0,
      loop: 0,
      seqBase: (spec.ssrc * 7919) & 0xffff,
      tsBase: (spec.ssrc * 104729) >>> 0,
      sent: 0,
    });
  }
}

function tick(): void {
  const now = performance.now();
  for (const source of sources.values()) {
    const stream = clip.get(source.stream)!;
    const { packets } = stream;
    for (;;) {
      const at = packets[source.index]!;
      const due = source.startAt + source.loop * stream.loopMs + at.offsetMs;
      if (due > now) break;
      lagMaxMs = Math.max(lagMaxMs, now - due);
      sender.send(
        rewriteRtp(at.packet, {
          ssrc: source.ssrc,
          payloadType: source.payloadType,
          seq: source.seqBase + source.loop * packets.length + source.index,
          timestamp: source.tsBase + source.loop * stream.loopTicks + at.ticks,
        }),
        source.port,
        '127.0.0.1',
      );
      source.sent++;
      if (++source.index === packets.length) {
        source.index = 0;
        source.loop++;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Receivers

interface Receiver {
  socket: dgram.Socket;
  ssrc: number | null;
  counter: RtpLossCounter;
}

const receivers = new Map<number, Receiver>();

async function addReceivers(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const socket = dgram.createSocket('udp4');
    const receiver: Receiver = { socket, ssrc: null, counter: new RtpLossCounter() };
    socket.on('message', (packet) => {
      if (receiver.ssrc === null || isRtcp(packet)) return;
      const h = rtpHeader(packet);
      if (h && h.ssrc === receiver.ssrc) receiver.counter.add(h.seq);
    });
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    socket.setRecvBufferSize(SOCKET_BUFFER_BYTES);
    const port = socket.address().port;
    receivers.set(port, receiver);
    ports.push(port);
  }
  return ports;
}

function stats(): LoadStats {
  const result: LoadStats = {
    sent: [...sources.values()].map((s) => [s.port, s.sent]),
    received: [...receivers].map(([port, r]) => [
      port,
      { received: r.counter.received, expected: r.counter.expected },
    ]),
    lagMaxMs,
  };
  lagMaxMs = 0;
  return result;
}

function stop(ports: number[]): void {
  for (const port of ports) {
    sources.delete(port);
    const receiver = receivers.get(port);
    if (receiver) {
      receiver.socket.close();
      receivers.delete(port);
    }
  }
}

// ---------------------------------------------------------------------------------------------

async function handle(message: DriverToLoad): Promise<unknown> {
  switch (message.type) {
    case 'prepare':
      return prepare(message.media);
    case 'receivers':
      return addReceivers(message.count);
    case 'watch':
      for (const { port, ssrc } of message.receivers) {
        const receiver = receivers.get(port);
        if (receiver) receiver.ssrc = ssrc;
      }
      return null;
    case 'sources':
      addSources(message.sources);
      return null;
    case 'stop':
      stop(message.ports);
      return null;
    case 'stats':
      return stats();
  }
}

process.on('message', (raw) => {
  const message = raw as DriverToLoad;
  handle(message).then(
    (data) => reply({ type: 'reply', id: message.id, data }),
    (err: unknown) =>
      reply({ type: 'error', id: message.id, message: err instanceof Error ? err.message : String(err) }),
  );
});
// The driver went (finished, crashed or was killed): nothing is left sending.
process.on('disconnect', () => process.exit(0));

sender.bind(0, '127.0.0.1', () => {
  sender.setSendBufferSize(SOCKET_BUFFER_BYTES);
  const loop = () => {
    tick();
    setTimeout(loop, TICK_MS);
  };
  loop();
});
