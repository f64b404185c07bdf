import type { SessionEndReason, SessionEnds } from '../server/auth/sessions';
import { sessionRoom, userRoom } from './rooms';
import type { LivedeskServer } from './types';

/**
 * `SessionEnds` over socket.io: tells the sockets why, then disconnects them. Both go through the
 * adapter (rooms), so with Redis they reach the sockets on every node, in this order.
 */
export function socketSessionEnds(io: LivedeskServer): SessionEnds {
  const end = (room: string, reason: SessionEndReason) => {
    io.to(room).emit('session:ended', { reason });
    // Not `close`: the disconnect packet follows the event on the same connection, so it arrives.
    io.in(room).disconnectSockets();
  };
  return {
    endSession: (sessionId, reason) => end(sessionRoom(sessionId), reason),
    endUser: (userId, reason) => end(userRoom(userId), reason),
  };
}
