import { z } from 'zod';
import type { BoardsService } from '../../server/boards/service';
import { AppError } from '../../server/errors';
import type { Logger } from '../../server/logger';
import { toUserRef } from '../../server/users/service';
import { onEvent } from '../handler';
import { boardRoom } from '../rooms';
import type { LivedeskSocket } from '../types';

const callId = z.uuid({ message: 'must be a call id' });

/** The shared whiteboard inside a call: open, update, pointer, frozen background. */
export function registerBoardHandlers(
  socket: LivedeskSocket,
  logger: Logger,
  deps: { boards: BoardsService },
) {
  const opened = (s: LivedeskSocket, id: string) => {
    // Opening was the access check; everything else needs it first.
    if (!s.rooms.has(boardRoom(id))) throw new AppError('conflict', 'Open the board first.');
  };

  onEvent(socket, logger, {
    event: 'board:open',
    access: 'signed-in',
    payload: z.object({ callId, reopenBoardId: z.uuid().optional() }).strict(),
    handle: async (s, { callId: id, reopenBoardId }) => {
      const state = await deps.boards.open(s.data.user, id, reopenBoardId);
      await s.join(boardRoom(id));
      return state as never;
    },
  });

  onEvent(socket, logger, {
    event: 'board:update',
    access: 'signed-in',
    // The shape of each element is checked in BoardsService (with its size limits).
    payload: z.object({ callId, elements: z.array(z.unknown()).min(1) }).strict(),
    handle: async (s, { callId: id, elements }) => {
      opened(s, id);
      const accepted = await deps.boards.update(s.data.user, id, elements);
      if (accepted.length)
        s.to(boardRoom(id)).emit('board:updated', {
          callId: id,
          elements: accepted as never,
          by: s.data.user.id,
        });
      return { accepted: accepted.length };
    },
  });

  onEvent(socket, logger, {
    event: 'board:pointer',
    access: 'signed-in',
    payload: z
      .object({
        callId,
        x: z.number().finite().min(-1e7).max(1e7),
        y: z.number().finite().min(-1e7).max(1e7),
        tool: z.string().max(20).optional(),
      })
      .strict(),
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
  });

  onEvent(socket, logger, {
    event: 'board:background',
    access: 'signed-in',
    payload: z.object({ callId, dataUrl: z.string().max(5_000_000).nullable() }).strict(),
    handle: async (s, { callId: id, dataUrl }) => {
      opened(s, id);
      await deps.boards.setBackground(s.data.user, id, dataUrl);
      s.to(boardRoom(id)).emit('board:background', { callId: id, dataUrl });
      return null;
    },
  });
}
