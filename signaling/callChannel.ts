import type { CallChannel, Presence } from '../server/calls/ports';
import { callRoom, userRoom } from './rooms';
import type { LivedeskServer } from './types';

/**
 * socket.io's typed `emit` cannot follow a generic event name; `CallChannel`'s signature already
 * ties each event to its payload, so here it is emitted untyped.
 */
function send(target: object, event: string, payload: unknown): void {
  (target as { emit(event: string, payload: unknown): boolean }).emit(event, payload);
}

/**
 * The media session's way to the browsers, over socket.io: a socket id is a room of its own, so
 * `io.to(connectionId)` reaches that connection on whichever node it is (Redis adapter).
 */
export function socketCallChannel(io: LivedeskServer): CallChannel {
  return {
    toConnection: (connectionId, event, payload) => {
      send(io.to(connectionId), event, payload);
    },
    toCall: (callId, event, payload, except = {}) => {
      const skip = [...(except.users ?? []).map(userRoom), ...(except.connections ?? [])];
      send(io.to(callRoom(callId)).except(skip), event, payload);
    },
    removeFromCall: (connectionId, callId) => io.in(connectionId).socketsLeave(callRoom(callId)),
  };
}

/** Online = at least one socket in the person's own room, on any node. */
export function socketPresence(io: LivedeskServer): Presence {
  return {
    isOnline: async (userId) => (await io.in(userRoom(userId)).fetchSockets()).length > 0,
  };
}
