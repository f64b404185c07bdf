import { z } from 'zod';
import { AppError } from '../../server/errors';
import type { UserLimits } from '../../server/limits/userLimits';
import type { Logger } from '../../server/logger';
import { isStaff } from '../../server/tickets/access';
import type { MessagesService } from '../../server/tickets/messages';
import { sendMessageSchema } from '../../server/tickets/schemas';
import type { TicketsService } from '../../server/tickets/service';
import { viewFor } from '../../server/tickets/views';
import { toUserRef } from '../../server/users/service';
import { defineHandler, type SocketHandler } from '../handler';
import { LISTS_ROOM, ticketRoom, ticketStaffRoom } from '../rooms';

const ticketRef = z.object({ ticketId: z.uuid({ message: 'must be a ticket id (UUID)' }) }).strict();
const watchSchema = z.object({ watch: z.boolean() }).strict();
const typingSchema = z
  .object({ ticketId: z.uuid(), typing: z.boolean(), internal: z.boolean().default(false) })
  .strict();

/** Live conversation on a ticket: subscribe, send, typing. */
export function createChatHandlers(deps: {
  tickets: TicketsService;
  messages: MessagesService;
  limits: UserLimits;
  logger: Logger;
}): SocketHandler[] {
  const { logger } = deps;
  return [
    defineHandler(logger, {
      event: 'ticket:subscribe',
      access: 'signed-in',
      payload: ticketRef,
      handle: async (s, { ticketId }) => {
        // The access check: a customer asking for someone else's ticket gets not_found here.
        const row = await deps.tickets.readable(s.data.user, ticketId);
        // The row just read tells the send path the ticket's facts: a first message then takes
        // one statement instead of two (the statement re-checks them, so a stale hint costs a call).
        deps.messages.warm(row);
        const ticket = viewFor(s.data.user, await deps.tickets.view(row));
        await s.join(ticketRoom(ticketId));
        if (isStaff(s.data.user)) await s.join(ticketStaffRoom(ticketId));
        return { ticket };
      },
    }),

    // Every ticket's changes, for a tab showing lists; staff only (a customer's own tickets reach
    // them through their user room, and other tickets are none of their business).
    defineHandler(logger, {
      event: 'tickets:watch',
      access: ['agent', 'supervisor', 'qa', 'admin'],
      payload: watchSchema,
      handle: async (s, { watch }) => {
        if (watch) await s.join(LISTS_ROOM);
        else await s.leave(LISTS_ROOM);
        return null;
      },
    }),

    defineHandler(logger, {
      event: 'ticket:unsubscribe',
      access: 'signed-in',
      payload: ticketRef,
      handle: async (s, { ticketId }) => {
        await s.leave(ticketRoom(ticketId));
        await s.leave(ticketStaffRoom(ticketId));
        return null;
      },
    }),

    defineHandler(logger, {
      event: 'message:send',
      access: ['customer', 'agent', 'supervisor', 'admin'],
      payload: sendMessageSchema,
      handle: async (s, payload) => {
        // Before anything else: a flood costs one in-memory lookup per message, nothing more.
        await deps.limits.chatMessage(s.data.user.id);
        return deps.messages.send(s.data.user, payload);
      },
    }),

    defineHandler(logger, {
      event: 'typing:set',
      access: 'signed-in',
      payload: typingSchema,
      handle: async (s, { ticketId, typing, internal }) => {
        // Subscribing was the access check; typing on a ticket one has not opened is refused.
        if (!s.rooms.has(ticketRoom(ticketId))) {
          throw new AppError('bad_request', 'Subscribe to the ticket before sending typing updates.');
        }
        // Over the person's limit: dropped without an error (counted in UserLimits.stats), before
        // the access check so a flood costs no database read.
        if (!(await deps.limits.typing(s.data.user.id))) return null;
        // Only someone who could send the message may say they are writing it (QA, an L1 on an
        // L3 ticket must not promise the customer a reply); nothing is relayed otherwise.
        await deps.messages.assertMayType(s.data.user, ticketId, internal);
        const room = internal ? ticketStaffRoom(ticketId) : ticketRoom(ticketId);
        // Volatile: a typing flag that cannot be delivered now is worthless later.
        s.to(room).volatile.emit('typing:changed', {
          ticketId,
          user: toUserRef(s.data.user),
          typing,
          internal,
        });
        return null;
      },
    }),
  ];
}
