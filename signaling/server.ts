import type { Server as HttpServer } from 'node:http';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Redis } from 'ioredis';
import { Server } from 'socket.io';
import type { Logger } from '../server/logger';
import type { SocketHandler } from './handler';
import { createSessionHandlers } from './handlers/session';
import { STAFF_ROOM, SUPERVISORS_ROOM, tierRoom, userRoom } from './rooms';
import type { SessionLifetime } from './sessionLifetime';
import { SOCKET_MESSAGE_MAX_BYTES } from './shared/limits';
import { installOriginCheck, installSocketAuth, type OriginPolicy, type SocketAuthDeps } from './socketAuth';
import type { LivedeskServer } from './types';

export { userRoom } from './rooms';

/**
 * Attaches socket.io to the HTTP server. No CORS option: the client is served from the same
 * origin; a page of another origin is refused at the handshake unless it is allowed (`origin`),
 * since CORS does not apply to WebSocket. Connection-state recovery lets a
 * briefly disconnected client get the events it missed. With Redis configured, the Redis Streams
 * adapter carries broadcasts between nodes and keeps that recovery working across them.
 */
export function attachSignaling(
  httpServer: HttpServer,
  deps: SocketAuthDeps & {
    logger: Logger;
    origin: OriginPolicy;
    redis?: { client: Redis; keyPrefix: string };
  },
): LivedeskServer {
  const io: LivedeskServer = new Server(httpServer, {
    ...(deps.redis
      ? {
          adapter: createAdapter(deps.redis.client, {
            streamName: `${deps.redis.keyPrefix}:socket.io`,
            sessionKeyPrefix: `${deps.redis.keyPrefix}:sio:session:`,
          }),
        }
      : {}),
    serveClient: false,
    // Anything larger is cut off by socket.io before any handler parses it.
    maxHttpBufferSize: SOCKET_MESSAGE_MAX_BYTES,
    connectionStateRecovery: { maxDisconnectionDuration: 30_000, skipMiddlewares: false },
  });
  installOriginCheck(io, deps.origin);
  installSocketAuth(io, deps);
  return io;
}

/**
 * Serves the domain handlers (built once, with their services) on every socket that connects.
 * Separate from `attachSignaling` so services can be given the socket server (presence, fan-out)
 * before the handlers that use those services exist; nothing connects before `listen()`.
 */
export function serveHandlers(
  io: LivedeskServer,
  deps: { logger: Logger; lifetime: SessionLifetime },
  handlers: SocketHandler[],
): void {
  const { logger, lifetime } = deps;
  const all = [...createSessionHandlers({ logger }), ...lifetime.handlers, ...handlers];
  io.on('connection', (socket) => {
    // First, so its guard runs before any event listener on this socket.
    lifetime.attach(socket);
    void socket.join(userRoom(socket.data.user.id));
    const { role, tier } = socket.data.user;
    if (role !== 'customer') void socket.join(STAFF_ROOM);
    // Who hears of a new ticket waiting in a queue (signaling/notify.ts).
    if (role === 'agent' && tier) void socket.join(tierRoom(tier));
    if (role === 'supervisor' || role === 'admin') void socket.join(SUPERVISORS_ROOM);
    for (const attach of all) attach(socket);
  });
}
