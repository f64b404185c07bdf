import { z } from 'zod';
import type { Logger } from '../../server/logger';
import { onEvent } from '../handler';
import type { LivedeskSocket } from '../types';

/** Session-level events: who am I on this socket. */
export function registerSessionHandlers(socket: LivedeskSocket, logger: Logger) {
  onEvent(socket, logger, {
    event: 'session:whoami',
    access: 'signed-in',
    payload: z.object({}).strict(),
    handle: async (s) => s.data.user,
  });
}
