import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MediaServer } from '../../media/MediaServer';
import { loopbackMediaServer } from '../helpers/media';

describe('MediaServer (real mediasoup worker)', () => {
  let media: MediaServer;
  beforeAll(async () => {
    media = await loopbackMediaServer(2, 42000);
  });
  afterAll(() => media?.close());

  it('starts workers and creates a router with Opus and VP8', async () => {
    expect(media.health()).toMatchObject({ workersConfigured: 2, workersAlive: 2 });
    const router = await media.createRouter();
    const mimeTypes = router.rtpCapabilities.codecs?.map((c) => c.mimeType) ?? [];
    expect(mimeTypes).toEqual(expect.arrayContaining(['audio/opus', 'video/VP8']));
    router.close();
  });

  it('creates a WebRTC transport with UDP and TCP candidates inside the worker’s port slice', async () => {
    const router = await media.createRouter();
    const transport = await router.createWebRtcTransport(media.webRtcTransportOptions(router));
    const protocols = new Set(transport.iceCandidates.map((c) => c.protocol));
    expect(protocols).toEqual(new Set(['udp', 'tcp']));
    for (const c of transport.iceCandidates) {
      expect(c.ip).toBe('127.0.0.1');
      expect(c.port).toBeGreaterThanOrEqual(42000);
      expect(c.port).toBeLessThanOrEqual(42099);
    }
    expect(transport.dtlsParameters.fingerprints.length).toBeGreaterThan(0);
    expect(transport.iceParameters.usernameFragment).toBeTruthy();
    router.close();
    expect(transport.closed).toBe(true);
  });

  it('spreads new routers across workers by load', async () => {
    const routers = await Promise.all([media.createRouter(), media.createRouter()]);
    expect(media.health().routers).toBe(2);
    for (const r of routers) r.close();
    expect(media.health().routers).toBe(0);
  });

  it('replaces a worker that is killed and reports the routers that were on it', async () => {
    // With no other routers alive, the first slot is the least loaded and takes the router.
    const router = await media.createRouter({ callId: 'c1' });
    const victim = media.workerPids()[0]!;
    const died = new Promise<{ index: number; routers: unknown[] }>((resolve) =>
      media.once('workerDied', resolve),
    );
    const replaced = new Promise<{ index: number; pid: number }>((resolve) =>
      media.once('workerReplaced', resolve),
    );
    process.kill(victim, 'SIGKILL');
    const deathReport = await died;
    expect(deathReport.index).toBe(0);
    expect(deathReport.routers).toContain(router);
    expect(router.closed).toBe(true);
    const replacement = await replaced;
    expect(replacement.pid).not.toBe(victim);
    expect(media.workerPids()[0]).toBe(replacement.pid);
    expect(media.health()).toMatchObject({ workersConfigured: 2, workersAlive: 2 });
    // And the pool still serves new calls.
    const fresh = await media.createRouter();
    const transport = await fresh.createWebRtcTransport(media.webRtcTransportOptions(fresh));
    expect(transport.iceCandidates.length).toBeGreaterThan(0);
    fresh.close();
  });

  it('lets a new call wait for a replacement when every worker has died, instead of failing it', async () => {
    // A pool of one, so that "every worker has died" is a moment the test can hold: the death is
    // reported before the replacement is even started (with two, the first one's replacement may
    // already be up when the second death is seen).
    const single = await loopbackMediaServer(1, 42100);
    try {
      const [victim] = single.workerPids();
      const asked = new Promise<{ alive: number; router: ReturnType<MediaServer['createRouter']> }>(
        (resolve) =>
          single.once('workerDied', () =>
            // A new call arrives at the moment no worker is alive.
            resolve({ alive: single.health().workersAlive, router: single.createRouter() }),
          ),
      );
      process.kill(victim!, 'SIGKILL');
      const { alive, router: routerPromise } = await asked;
      expect(alive).toBe(0);
      const router = await routerPromise;
      expect(single.health().workersAlive).toBe(1);
      expect(single.workerPids()[0]).not.toBe(victim);
      const transport = await router.createWebRtcTransport(single.webRtcTransportOptions(router));
      expect(transport.iceCandidates.length).toBeGreaterThan(0);
      router.close();
    } finally {
      single.close();
    }
  });
});
