import { z } from 'zod';
import type { Authenticated } from '../server/auth/sessions';
import type { Clock } from '../server/clock';
import { AppError } from '../server/errors';
import type { Logger } from '../server/logger';
import { defineHandler, type SocketHandler } from './handler';
import { sessionRoom } from './rooms';
import type { LivedeskSocket } from './types';

// Clock timers above 2^31-1 ms fire at once; a longer-lived token re-arms.
const MAX_TIMER_MS = 2_147_483_647;

const renewPayload = z.object({ token: z.string().min(1).max(4096) }).strict();

export interface SessionLifetime {
  /** Runs first on every connected socket: its session room, its expiry, the guard on its events. */
  attach: SocketHandler;
  /** `session:renew`. */
  handlers: SocketHandler[];
}

/**
 * A socket lives as long as the access token it last authenticated with. Its expiry is a timer on
 * the injected clock; at that moment an unrenewed socket is told `session:ended { expired }` and
 * disconnected, and an event arriving after it (the timer may not have run yet) is dropped and
 * ends the socket the same way, so no handler ever runs on an expired token. `session:renew`
 * moves the expiry, after checking the new token exactly as the handshake does.
 */
export function createSessionLifetime(deps: {
  authenticate(token: string): Promise<Authenticated>;
  clock: Clock;
  logger: Logger;
}): SessionLifetime {
  const { clock } = deps;
  const timers = new WeakMap<LivedeskSocket, unknown>();

  const expired = (socket: LivedeskSocket) => clock.now().getTime() >= socket.data.session.expiresAtMs;

  const end = (socket: LivedeskSocket, reason: 'expired' | 'revoked') => {
    if (!socket.connected) return;
    socket.emit('session:ended', { reason });
    socket.disconnect();
  };

  const disarm = (socket: LivedeskSocket) => {
    const timer = timers.get(socket);
    if (timer !== undefined) clock.clearTimeout(timer);
    timers.delete(socket);
  };

  const arm = (socket: LivedeskSocket) => {
    disarm(socket);
    const delay = socket.data.session.expiresAtMs - clock.now().getTime();
    const timer = clock.setTimeout(
      () => {
        timers.delete(socket);
        if (expired(socket)) end(socket, 'expired');
        else arm(socket);
      },
      Math.min(Math.max(delay, 0), MAX_TIMER_MS),
    );
    timers.set(socket, timer);
  };

  const attach: SocketHandler = (socket) => {
    const { id } = socket.data.session;
    if (id) void socket.join(sessionRoom(id));
    socket.use((_packet, next) => {
      if (expired(socket)) end(socket, 'expired');
      else next();
    });
    socket.on('disconnect', () => disarm(socket));
    arm(socket);
  };

  const renew = defineHandler(deps.logger, {
    event: 'session:renew',
    access: 'signed-in',
    payload: renewPayload,
    handle: async (socket, { token }) => {
      const next = await deps.authenticate(token);
      const current = socket.data.user;
      if (next.user.id !== current.id) {
        throw new AppError('forbidden', 'This token belongs to another account.');
      }
      if (next.user.role !== current.role || next.user.tier !== current.tier) {
        // The socket's rooms and checks were made for the old access: it starts over instead.
        end(socket, 'revoked');
        throw new AppError('unauthenticated', 'Your access changed: connect again.');
      }
      const previous = socket.data.session.id;
      if (next.sessionId !== previous) {
        if (previous) void socket.leave(sessionRoom(previous));
        if (next.sessionId) void socket.join(sessionRoom(next.sessionId));
      }
      socket.data.user = next.user;
      socket.data.session = { id: next.sessionId, expiresAtMs: next.expiresAtMs };
      arm(socket);
      return { expiresAt: new Date(next.expiresAtMs).toISOString() };
    },
  });

  return { attach, handlers: [renew] };
}
