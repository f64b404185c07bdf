import type { types } from 'mediasoup';

/**
 * The codecs every call router offers. Opus for audio; VP8 for video (every browser decodes it
 * and FFmpeg can write it to WebM without re-encoding); H264 baseline as an option for devices
 * that only hardware-encode H264.
 */
export const MEDIA_CODECS: types.RouterRtpCodecCapability[] = [
  { kind: 'audio', mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
  { kind: 'video', mimeType: 'video/VP8', clockRate: 90000, parameters: { 'x-google-start-bitrate': 1000 } },
  {
    kind: 'video',
    mimeType: 'video/H264',
    clockRate: 90000,
    parameters: { 'packetization-mode': 1, 'profile-level-id': '42e01f', 'level-asymmetry-allowed': 1 },
  },
];
