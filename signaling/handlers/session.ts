import { z } from 'zod';
import type { Logger } from '../../server/logger';
import { defineHandler, type SocketHandler } from '../handler';

const empty = z.object({}).strict();

/** Session-level events: who am I on this socket. */
export function createSessionHandlers(deps: { logger: Logger }): SocketHandler[] {
  const { logger } = deps;
  return [
    defineHandler(logger, {
      event: 'session:whoami',
      access: 'signed-in',
      payload: empty,
      handle: async (s) => s.data.user,
    }),
  ];
}
