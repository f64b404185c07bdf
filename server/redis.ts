import { Redis } from 'ioredis';
import type { Logger } from './logger';

/**
 * The shared Redis connection for scale-out (REDIS_URL): the socket.io adapter, sign-in rate
 * limits shared by every node, and later presence and the call-room directory. Resolves once
 * connected so a wrong URL fails the start, not the first request.
 */
export async function connectRedis(url: string, logger: Logger): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
  // ioredis reconnects by itself; without a listener a dropped connection would crash the process.
  redis.on('error', (err) => logger.warn({ err }, 'redis connection error'));
  try {
    await redis.connect();
  } catch (err) {
    redis.disconnect();
    throw new Error(`cannot connect to REDIS_URL: ${(err as Error).message}`);
  }
  return redis;
}
