import { z } from 'zod';
import type { BoardsService } from '../../server/boards/service';
import { AppError } from '../../server/errors';
import type { UserLimits } from '../../server/limits/userLimits';
import type { Logger } from '../../server/logger';
import { toUserRef } from '../../server/users/service';
import { defineHandler, type SocketHandler } from '../handler';
import { boardRoom } from '../rooms';
import type { LivedeskSocket } from '../types';

const callId = z.uuid({ message: 'must be a call id' });

const openSchema = z.object({ callId, reopenBoardId: z.uuid().optional() }).strict();
// The shape of each element is checked in BoardsService (with its size limits).
const updateSchema = z.object({ callId, elements: z.array(z.unknown()).min(1) }).strict();
const pointerSchema = z
  .object({
    callId,
    x: z.number().finite().min(-1e7).max(1e7),
    y: z.number().finite().min(-1e7).max(1e7),
    tool: z.string().max(20).optional(),
  })
  .strict();
const backgroundSchema = z.object({ callId, dataUrl: z.string().max(5_000_000).nullable() }).strict();

const opened = (s: LivedeskSocket, id: string) => {
  // Opening was the access check; everything else needs it first.
  if (!s.rooms.has(boardRoom(id))) throw new AppError('conflict', 'Open the board first.');
};

/** The shared whiteboard inside a call: open, update, pointer, frozen background. */
export function createBoardHandlers(deps: {
  boards: BoardsService;
  limits: UserLimits;
  logger: Logger;
}): SocketHandler[] {
  const { logger } = deps;
  return [
    defineHandler(logger, {
      event: 'board:open',
      access: 'signed-in',
      payload: openSchema,
      handle: async (s, { callId: id, reopenBoardId }) => {
        const state = await deps.boards.open(s.data.user, id, reopenBoardId);
        await s.join(boardRoom(id));
        return state;
      },
    }),

    defineHandler(logger, {
      event: 'board:update',
      access: 'signed-in',
      payload: updateSchema,
      handle: async (s, { callId: id, elements }) => {
        opened(s, id);
        const accepted = await deps.boards.update(s.data.user, id, elements);
        if (accepted.length)
          s.to(boardRoom(id)).emit('board:updated', {
            callId: id,
            elements: accepted,
            by: s.data.user.id,
          });
        return { accepted: accepted.length };
      },
    }),

    defineHandler(logger, {
      event: 'board:pointer',
      access: 'signed-in',
      payload: pointerSchema,
      handle: async (s, { callId: id, x, y, tool }) => {
        opened(s, id);
        s.to(boardRoom(id)).volatile.emit('board:pointer', {
          callId: id,
          user: toUserRef(s.data.user),
          x,
          y,
          ...(tool ? { tool } : {}),
        });
        return null;
      },
    }),

    defineHandler(logger, {
      event: 'board:background',
      access: 'signed-in',
      payload: backgroundSchema,
      handle: async (s, { callId: id, dataUrl }) => {
        opened(s, id);
        // Clearing the background costs nothing; a new one counts and weighs (issue 16: 20 frames
        // of 4 MB in 6.5 s were all stored and relayed).
        if (dataUrl !== null) await deps.limits.boardImage(s.data.user.id, dataUrl.length);
        await deps.boards.setBackground(s.data.user, id, dataUrl);
        s.to(boardRoom(id)).emit('board:background', { callId: id, dataUrl });
        return null;
      },
    }),
  ];
}
