import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import type { CallRoom } from '../../media/CallRoom';
import { loopbackListenInfo } from '../../media/listenInfos';
import type { Peer } from '../../media/Peer';

/**
 * A PlainTransport of `router` on loopback: the one place the tests and benchmarks spell
 * mediasoup's plain-transport listening options (they change between mediasoup versions).
 */
export function loopbackPlainTransport(
  router: types.Router,
  options: { rtcpMux: boolean; comedia: boolean },
): Promise<types.PlainTransport> {
  return router.createPlainTransport({ listenInfo: loopbackListenInfo(router), ...options });
}

const VP8_PAYLOAD_TYPE = 101;
const OPUS_PAYLOAD_TYPE = 100;

/**
 * One track sent into the router as RTP: a PlainTransport (comedia: it learns the sender's address
 * from its first packet) with a VP8 or Opus producer expecting `ssrc` and the payload type returned.
 * Closing the transport closes the producer.
 */
export async function plainProducer(
  router: types.Router,
  options: { kind: types.MediaKind; ssrc: number; appData: Record<string, unknown> },
): Promise<{
  producer: types.Producer;
  transport: types.PlainTransport;
  payloadType: number;
  /** The transport's RTP and RTCP ports on 127.0.0.1. */
  port: number;
  rtcpPort: number;
}> {
  const transport = await loopbackPlainTransport(router, { rtcpMux: false, comedia: true });
  const payloadType = options.kind === 'video' ? VP8_PAYLOAD_TYPE : OPUS_PAYLOAD_TYPE;
  const codec =
    options.kind === 'video'
      ? { mimeType: 'video/VP8', payloadType, clockRate: 90000, rtcpFeedback: [] }
      : { mimeType: 'audio/opus', payloadType, clockRate: 48000, channels: 2, rtcpFeedback: [] };
  const producer = await transport.produce({
    kind: options.kind,
    rtpParameters: { codecs: [codec], encodings: [{ ssrc: options.ssrc }] },
    appData: options.appData,
  });
  return {
    producer,
    transport,
    payloadType,
    port: transport.tuple.localPort,
    rtcpPort: transport.rtcpTuple?.localPort ?? transport.tuple.localPort,
  };
}

/**
 * The receiving end of an RTP source in the router: a PlainTransport each (comedia: they learn the
 * sender's address from its first packet) with a VP8 camera and an Opus microphone producer, and
 * FFmpeg's output arguments for each stream (its SSRC, the payload type the producer expects and
 * the rtp:// address), so a sender cannot disagree with the producer. `close()` closes both
 * transports.
 */
export async function rtpProducers(
  router: types.Router,
  options: { videoSsrc?: number; audioSsrc?: number; appData?: Record<string, unknown> } = {},
): Promise<{
  video: types.Producer;
  audio: types.Producer;
  videoUrl: string;
  audioUrl: string;
  /** FFmpeg arguments that send the mapped video (VP8) or audio (Opus) stream to its producer. */
  videoOutput: string[];
  audioOutput: string[];
  close: () => void;
}> {
  const { videoSsrc = 11111111, audioSsrc = 22222222 } = options;
  const video = await plainProducer(router, {
    kind: 'video',
    ssrc: videoSsrc,
    appData: { source: 'camera', ...options.appData },
  });
  const audio = await plainProducer(router, {
    kind: 'audio',
    ssrc: audioSsrc,
    appData: { source: 'mic', ...options.appData },
  });
  const dest = (t: { port: number; rtcpPort: number }) =>
    `rtp://127.0.0.1:${t.port}?rtcpport=${t.rtcpPort}&pkt_size=1200`;
  const output = (ssrc: number, payloadType: number, url: string) => [
    '-ssrc',
    String(ssrc),
    '-payload_type',
    String(payloadType),
    '-f',
    'rtp',
    url,
  ];
  return {
    video: video.producer,
    audio: audio.producer,
    videoUrl: dest(video),
    audioUrl: dest(audio),
    videoOutput: output(videoSsrc, video.payloadType, dest(video)),
    audioOutput: output(audioSsrc, audio.payloadType, dest(audio)),
    close: () => {
      video.transport.close();
      audio.transport.close();
    },
  };
}

/** FFmpeg's inputs for test media `seconds` long: a moving test pattern and a 440 Hz tone. */
export function testMediaInputs(p: {
  width: number;
  height: number;
  fps: number;
  seconds: number;
}): string[] {
  return [
    '-f',
    'lavfi',
    '-i',
    `testsrc=size=${p.width}x${p.height}:rate=${p.fps}:duration=${p.seconds}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${p.seconds}`,
  ];
}

/** VP8 as a browser sends it: realtime, a keyframe every second. */
export const vp8Encoder = (kbps: number, fps: number): string[] => [
  '-c:v',
  'libvpx',
  '-deadline',
  'realtime',
  '-cpu-used',
  '8',
  '-b:v',
  `${kbps}k`,
  '-g',
  String(fps),
];

/** Stereo Opus. */
export const opusEncoder = (kbps: number): string[] => ['-c:a', 'libopus', '-ac', '2', '-b:a', `${kbps}k`];

/**
 * A real media source without a browser: FFmpeg encodes a test pattern (VP8) and a tone (Opus)
 * and sends them as RTP into mediasoup PlainTransports, which become ordinary producers in the
 * router — the same kind of producers a browser creates.
 */
export async function startRtpSource(
  router: types.Router,
  options: { appData?: Record<string, unknown>; seconds?: number } = {},
): Promise<{ video: types.Producer; audio: types.Producer; ffmpeg: ChildProcess; stop: () => void }> {
  const { video, audio, videoOutput, audioOutput, close } = await rtpProducers(router, {
    appData: options.appData,
  });
  const ffmpeg = spawn(
    'ffmpeg',
    [
      '-nostdin',
      '-hide_banner',
      '-loglevel',
      'error',
      '-re',
      ...testMediaInputs({ width: 320, height: 240, fps: 15, seconds: options.seconds ?? 60 }),
      '-map',
      '0:v',
      ...vp8Encoder(300, 15),
      ...videoOutput,
      '-map',
      '1:a',
      ...opusEncoder(64),
      ...audioOutput,
    ],
    { stdio: 'ignore' },
  );
  return {
    video,
    audio,
    ffmpeg,
    stop: () => {
      ffmpeg.kill('SIGKILL');
      close();
    },
  };
}

/**
 * A consumer of `producerId` for `peer` on a PlainTransport that sends its RTP (and RTCP, muxed) to
 * 127.0.0.1:`port`. The SFU treats it as one of the peer's received tracks (as a browser's would be
 * once DTLS is done). Closing the transport closes the consumer.
 */
export async function plainConsumer(
  room: CallRoom,
  peer: Peer,
  producerId: string,
  port: number,
): Promise<{ consumer: types.Consumer; transport: types.PlainTransport }> {
  const transport = await loopbackPlainTransport(room.router, { rtcpMux: true, comedia: false });
  await transport.connect({ ip: '127.0.0.1', port });
  const consumer = await transport.consume({ producerId, rtpCapabilities: room.router.rtpCapabilities });
  room.attachConsumer(peer, consumer);
  return { consumer, transport };
}

/**
 * A real receiver without a browser: a consumer of `producerId` for `peer` (plainConsumer) whose
 * RTP goes to a local UDP socket, which counts the packets it gets.
 */
export async function startRtpReceiver(
  room: CallRoom,
  peer: Peer,
  producerId: string,
): Promise<{ consumer: types.Consumer; packets: () => number; stop: () => void }> {
  const socket = dgram.createSocket('udp4');
  let packets = 0;
  socket.on('message', () => {
    packets++;
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { consumer, transport } = await plainConsumer(room, peer, producerId, socket.address().port);
  return {
    consumer,
    packets: () => packets,
    stop: () => {
      transport.close();
      socket.close();
    },
  };
}

/** ffprobe's view of a media file: container duration and its streams. */
export async function probe(file: string): Promise<{
  duration: number | null;
  streams: Array<{ codec_type: string; codec_name: string; width?: number }>;
}> {
  const out = await new Promise<string>((resolve, reject) => {
    const p = spawn('ffprobe', ['-v', 'error', '-show_format', '-show_streams', '-of', 'json', file]);
    let text = '';
    p.stdout.on('data', (c) => {
      text += c;
    });
    // 'close', not 'exit': only then has all of the output been read.
    p.once('close', (code) => (code === 0 ? resolve(text) : reject(new Error(`ffprobe exited ${code}`))));
  });
  const json = JSON.parse(out);
  const duration = Number(json.format?.duration);
  return { duration: Number.isFinite(duration) ? duration : null, streams: json.streams ?? [] };
}
