import { z } from 'zod';
import type { Logger } from '../../server/logger';
import type { PresenceConnections, PresenceTracker } from '../../server/presence/tracker';
import { defineHandler, type SocketHandler } from '../handler';
import { userRoom } from '../rooms';
import type { LivedeskServer, LivedeskSocket } from '../types';

const empty = z.object({}).strict();
const STAFF = ['agent', 'supervisor', 'qa', 'admin'] as const;

/**
 * Staff presence over socket.io: each staff socket is a tracked connection from connect to
 * disconnect, and `presence:activity` is the tab saying its person is there.
 */
export function createPresenceHandlers(deps: { tracker: PresenceTracker; logger: Logger }): SocketHandler[] {
  const { tracker, logger } = deps;
  const track: SocketHandler = (socket: LivedeskSocket) => {
    if (socket.data.user.role === 'customer') return;
    tracker.connected({
      id: socket.id,
      userId: socket.data.user.id,
      setIdle: (idle) => {
        socket.data.idle = idle;
      },
    });
    // By 'disconnect' socket.io has taken the socket out of its rooms: it no longer counts.
    socket.on('disconnect', () => tracker.disconnected(socket.id));
  };
  return [
    track,
    defineHandler(logger, {
      event: 'presence:activity',
      access: STAFF,
      payload: empty,
      handle: async (socket) => {
        tracker.activity(socket.id);
        return null;
      },
    }),
  ];
}

/** A person's sockets on every node (through the adapter, Redis when configured) and their idle flag. */
export function socketPresenceConnections(io: LivedeskServer): PresenceConnections {
  return {
    of: async (userId) =>
      (await io.in(userRoom(userId)).fetchSockets()).map((s) => ({ idle: s.data.idle === true })),
  };
}
