import type { Router } from 'express';
import type { Redis } from 'ioredis';
import type { MediaServer } from '../../media/MediaServer';
import type { DatabaseHandle } from '../db/client';
import type { Logger } from '../logger';

const withTimeout = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([
    promise,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms)),
  ]);

/**
 * Liveness and readiness for load balancers and orchestrators. Not under /api and not
 * authenticated: they reveal only up/down and counts. A failed check says `error`; why it failed
 * (a driver's message can name hosts, users and paths) goes to the log for the operator.
 */
export function mountHealthRoutes(
  router: Router,
  deps: { db: DatabaseHandle; media: MediaServer; redis: Redis | undefined; logger: Logger },
) {
  const startedAt = Date.now();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok', uptimeSeconds: Math.round((Date.now() - startedAt) / 1000) });
  });

  router.get('/readyz', async (_req, res) => {
    let database: 'ok' | 'error';
    try {
      await withTimeout(deps.db.ping(), 2000);
      database = 'ok';
    } catch (err) {
      deps.logger.warn({ err }, 'readiness: the database check failed');
      database = 'error';
    }
    let redis: 'ok' | 'error' | undefined;
    if (deps.redis) {
      try {
        await withTimeout(deps.redis.ping(), 2000);
        redis = 'ok';
      } catch (err) {
        deps.logger.warn({ err }, 'readiness: the Redis check failed');
        redis = 'error';
      }
    }
    const media = deps.media.health();
    // Exhausted: every worker's ports are taken, so a new call's media set-up would fail. A load
    // balancer should send new calls elsewhere until some end.
    const mediaStatus =
      deps.media.closed || media.workersAlive < media.workersConfigured
        ? 'degraded'
        : media.exhausted
          ? 'exhausted'
          : 'ok';
    const ready = database === 'ok' && mediaStatus === 'ok' && (redis === undefined || redis === 'ok');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      checks: {
        database,
        ...(redis ? { redis } : {}),
        media: { status: mediaStatus, ...media },
      },
    });
  });
}
