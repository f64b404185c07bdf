import { type ChildProcess, spawn } from 'node:child_process';
import dgram from 'node:dgram';
import type { types } from 'mediasoup';
import type { CallRoom } from '../../media/CallRoom';
import { loopbackListenInfo } from '../../media/listenInfos';
import type { Peer } from '../../media/Peer';

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
  const transport = async () =>
    router.createPlainTransport({ listenInfo: loopbackListenInfo(router), rtcpMux: false, comedia: true });
  const videoTransport = await transport();
  const audioTransport = await transport();
  const VP8_PAYLOAD_TYPE = 101;
  const OPUS_PAYLOAD_TYPE = 100;
  const video = await videoTransport.produce({
    kind: 'video',
    rtpParameters: {
      codecs: [{ mimeType: 'video/VP8', payloadType: VP8_PAYLOAD_TYPE, clockRate: 90000, rtcpFeedback: [] }],
      encodings: [{ ssrc: videoSsrc }],
    },
    appData: { source: 'camera', ...options.appData },
  });
  const audio = await audioTransport.produce({
    kind: 'audio',
    rtpParameters: {
      codecs: [
        {
          mimeType: 'audio/opus',
          payloadType: OPUS_PAYLOAD_TYPE,
          clockRate: 48000,
          channels: 2,
          rtcpFeedback: [],
        },
      ],
      encodings: [{ ssrc: audioSsrc }],
    },
    appData: { source: 'mic', ...options.appData },
  });
  const dest = (t: types.PlainTransport) =>
    `rtp://127.0.0.1:${t.tuple.localPort}?rtcpport=${t.rtcpTuple?.localPort}&pkt_size=1200`;
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
    video,
    audio,
    videoUrl: dest(videoTransport),
    audioUrl: dest(audioTransport),
    videoOutput: output(videoSsrc, VP8_PAYLOAD_TYPE, dest(videoTransport)),
    audioOutput: output(audioSsrc, OPUS_PAYLOAD_TYPE, dest(audioTransport)),
    close: () => {
      videoTransport.close();
      audioTransport.close();
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
 * A real receiver without a browser: a consumer of `producerId` for `peer`, on a PlainTransport
 * that sends the RTP to a local UDP socket, which counts the packets it gets. The SFU treats it as
 * one of the peer's received tracks (as a browser's would be once DTLS is done).
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
  const transport = await room.router.createPlainTransport({
    listenInfo: loopbackListenInfo(room.router),
    rtcpMux: true,
  });
  await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
  const consumer = await transport.consume({ producerId, rtpCapabilities: room.router.rtpCapabilities });
  room.attachConsumer(peer, consumer);
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
