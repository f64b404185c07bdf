import type { AckResult, CallJoinResult } from '../../signaling/shared/protocol';
import type { ClientSocket } from './sockets';

/** What a browser's mediasoup-client Device would send as its RTP capabilities (Opus + VP8). */
export const BROWSER_RTP_CAPABILITIES = {
  codecs: [
    {
      kind: 'audio',
      mimeType: 'audio/opus',
      preferredPayloadType: 100,
      clockRate: 48000,
      channels: 2,
      rtcpFeedback: [],
    },
    {
      kind: 'video',
      mimeType: 'video/VP8',
      preferredPayloadType: 101,
      clockRate: 90000,
      rtcpFeedback: [
        { type: 'nack', parameter: '' },
        { type: 'nack', parameter: 'pli' },
        { type: 'ccm', parameter: 'fir' },
        { type: 'goog-remb', parameter: '' },
      ],
    },
  ],
  headerExtensions: [],
};

/** RTP parameters as a browser's send transport would produce them for a VP8 camera track. */
export function vp8RtpParameters(ssrc: number) {
  return {
    mid: String(ssrc % 100),
    codecs: [
      {
        mimeType: 'video/VP8',
        payloadType: 101,
        clockRate: 90000,
        rtcpFeedback: [
          { type: 'nack' },
          { type: 'nack', parameter: 'pli' },
          { type: 'ccm', parameter: 'fir' },
        ],
      },
    ],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname: `test-${ssrc}` },
  };
}

export function opusRtpParameters(ssrc: number) {
  return {
    mid: String(ssrc % 100),
    codecs: [{ mimeType: 'audio/opus', payloadType: 100, clockRate: 48000, channels: 2, rtcpFeedback: [] }],
    headerExtensions: [],
    encodings: [{ ssrc }],
    rtcp: { cname: `test-${ssrc}` },
  };
}

export const FAKE_DTLS = {
  role: 'client',
  fingerprints: [
    {
      algorithm: 'sha-256',
      value:
        'E5:F5:CA:A7:2D:93:E6:16:AC:21:09:9F:23:51:62:8C:D0:66:E9:0C:22:54:2B:82:0C:DF:E0:C5:2C:7E:CD:53',
    },
  ],
};

/** Unwraps an ack, failing the test with the server's error when it is not ok. */
export function ok<T>(result: AckResult<T>): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.error.code}: ${result.error.message}`);
  return result.data;
}

/**
 * The signaling a browser does to enter a call and send one video track, without a browser:
 * join, create a send and a receive transport, connect them (mediasoup accepts the parameters
 * without a real DTLS handshake) and produce.
 */
export async function joinAndProduce(socket: ClientSocket, callId: string, ssrc: number) {
  const join = ok(
    await socket.emitWithAck('call:join', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }),
  );
  const send = ok(await socket.emitWithAck('call:transport:create', { callId, direction: 'send' }));
  const recv = ok(await socket.emitWithAck('call:transport:create', { callId, direction: 'recv' }));
  ok(
    await socket.emitWithAck('call:transport:connect', {
      callId,
      transportId: send.id,
      dtlsParameters: FAKE_DTLS,
    }),
  );
  ok(
    await socket.emitWithAck('call:transport:connect', {
      callId,
      transportId: recv.id,
      dtlsParameters: FAKE_DTLS,
    }),
  );
  const { producerId } = ok(
    await socket.emitWithAck('call:produce', {
      callId,
      transportId: send.id,
      kind: 'video',
      rtpParameters: vp8RtpParameters(ssrc),
      source: 'camera',
    }),
  );
  return { join: join as CallJoinResult, send, recv, producerId };
}
