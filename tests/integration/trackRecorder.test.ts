import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaServer } from '../../media/MediaServer';
import { probeMedia, remuxToSeekable } from '../../media/remux';
import { allocateRtpPortPair } from '../../media/rtpPorts';
import { TrackRecorder } from '../../media/TrackRecorder';
import { loopbackMediaServer } from '../helpers/media';
import { startRtpSource } from '../helpers/rtpSource';

function bindUdp(port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    socket.once('error', reject);
    socket.bind(port, '127.0.0.1', () => resolve(socket));
  });
}

describe('TrackRecorder (real mediasoup and FFmpeg)', () => {
  let media: MediaServer;
  let dir: string;
  beforeAll(async () => {
    media = await loopbackMediaServer(1, 42200);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-recorder-'));
  });
  afterAll(() => {
    media?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('moves to a new port pair when another process took the chosen one, and records media', async () => {
    const router = await media.createRouter();
    const source = await startRtpSource(router, { seconds: 20 });
    // Another process holds the RTCP port of the first pair offered: FFmpeg cannot bind it.
    const taken = await allocateRtpPortPair();
    const squatter = await bindUdp(taken.rtcp);
    const offered: number[] = [];
    try {
      const recorder = await TrackRecorder.create({
        router,
        producer: source.audio,
        basePath: path.join(dir, 'mic'),
        allocatePorts: async () => {
          const pair = offered.length === 0 ? taken : await allocateRtpPortPair();
          offered.push(pair.rtp);
          return pair;
        },
      });
      expect(offered.length).toBe(2);
      await new Promise((r) => setTimeout(r, 1500));
      const result = await recorder.stop();
      expect(result.crashed).toBe(false);
      // The live file carries no duration; the seekable copy the service makes of it does.
      const seekable = path.join(dir, 'mic.webm');
      expect(await remuxToSeekable(result.file, seekable)).toEqual({ ok: true });
      const info = await probeMedia(seekable);
      expect(info?.streams.map((s) => s.codecName)).toEqual(['opus']);
      expect(info?.durationSeconds ?? 0).toBeGreaterThan(0.5);
    } finally {
      squatter.close();
      source.stop();
      router.close();
    }
  });

  it('fails with FFmpeg’s own words when it cannot start at all', async () => {
    const router = await media.createRouter();
    const source = await startRtpSource(router, { seconds: 5 });
    try {
      await expect(
        TrackRecorder.create({
          router,
          producer: source.audio,
          basePath: path.join(dir, 'broken'),
          ffmpegPath: '/nonexistent/ffmpeg',
        }),
      ).rejects.toThrow(/FFmpeg did not start listening: .*ENOENT/s);
    } finally {
      source.stop();
      router.close();
    }
  });
});
