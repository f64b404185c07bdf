import type { EventBus } from '../server/events/bus';
import type { Logger } from '../server/logger';
import { SUPERVISORS_ROOM, tierRoom, userRoom } from './rooms';
import type { NotificationView, TicketView } from './shared/protocol';
import type { LivedeskServer } from './types';

/**
 * The notification listener: decides who is told about what (`notify`), each person in their own
 * room so every tab of theirs hears it, and nobody else. A new ticket goes to its tier's agents
 * and the supervisors while it waits unassigned; an assignment to the new assignee (not to
 * someone who took it themselves); a customer's public message to whoever works the ticket
 * (assignee and followers: from what the one-statement send returned, else one indexed read off
 * the send path); an SLA alert to the assignee, or the tier and supervisors while unassigned; the
 * assistant's hand-off like a new ticket; an overdue article task to its agent and supervisors.
 * Whether it shows, sounds or pops up is the person's setting, applied by their client.
 */
export function attachNotifications(
  io: LivedeskServer,
  bus: EventBus,
  deps: {
    viewTicket: (id: string) => Promise<TicketView | undefined>;
    /** The ticket's assignee and followers, with its number and subject. */
    workersOf: (
      ticketId: string,
    ) => Promise<{ userIds: string[]; ticketNumber: number; subject: string } | undefined>;
    logger: Logger;
  },
) {
  const send = (rooms: string[], payload: NotificationView) => {
    if (rooms.length > 0) io.to(rooms).emit('notify', payload);
  };
  const queueRooms = (ticket: TicketView) =>
    ticket.assignee ? [userRoom(ticket.assignee.id)] : [tierRoom(ticket.tier), SUPERVISORS_ROOM];
  const about = (ticket: TicketView) => ({
    ticketId: ticket.id,
    ticketNumber: ticket.number,
    subject: ticket.subject,
  });
  const guarded =
    <T>(what: string, run: (payload: T) => Promise<void>) =>
    async (payload: T) => {
      try {
        await run(payload);
      } catch (err) {
        deps.logger.error({ err }, `could not send a ${what} notification`);
      }
    };

  bus.on(
    'ticket.created',
    guarded('new ticket', async ({ entry }) => {
      const ticket = await deps.viewTicket(entry.ticketId);
      // Auto-assignment already chose someone: they hear of it as an assignment instead. The
      // assistant answers first: the team hears of the ticket when it hands over (below).
      if (!ticket || ticket.assignee || entry.data.assistant === true) return;
      send(queueRooms(ticket), { kind: 'new_ticket', ...about(ticket) });
    }),
  );

  bus.on(
    'ticket.assigned',
    guarded('assignment', async ({ entry }) => {
      const to = (entry.data as { to?: string | null }).to;
      if (!to || entry.actor?.id === to) return;
      const ticket = await deps.viewTicket(entry.ticketId);
      if (!ticket || ticket.assignee?.id !== to) return;
      send([userRoom(to)], { kind: 'assigned', ...about(ticket) });
    }),
  );

  bus.on(
    'message.created',
    guarded('message', async ({ message, ticket }) => {
      if (message.kind !== 'public' || message.author?.role !== 'customer') return;
      // The one-statement send read who works the ticket under its lock; other paths read it here.
      const workers = ticket?.workerIds
        ? { userIds: ticket.workerIds, ticketNumber: ticket.number, subject: ticket.subject }
        : await deps.workersOf(message.ticketId);
      if (!workers) return;
      send(workers.userIds.map(userRoom), {
        kind: 'customer_message',
        ticketId: message.ticketId,
        ticketNumber: workers.ticketNumber,
        subject: workers.subject,
        message,
      });
    }),
  );

  // The assistant handed over: whoever holds the ticket, else its tier and the supervisors, as a
  // new ticket would. Auto-assignment just chose someone: they hear of it as the assignment.
  bus.on(
    'bot.handed_off',
    guarded('hand-off', async ({ entry, assigneeId, autoAssigned }) => {
      if (autoAssigned) return;
      const ticket = await deps.viewTicket(entry.ticketId);
      if (!ticket) return;
      const reason = (entry.data as { reason?: NotificationView['handoffReason'] }).reason;
      send(assigneeId ? [userRoom(assigneeId)] : queueRooms(ticket), {
        kind: 'handoff',
        ...about(ticket),
        ...(reason ? { handoffReason: reason } : {}),
      });
    }),
  );

  // An article task went overdue: its agent and the supervisors, once (the help centre marks it).
  bus.on('article_task.overdue', ({ ticketId, ticketNumber, subject, agentId }) => {
    send([...(agentId ? [userRoom(agentId)] : []), SUPERVISORS_ROOM], {
      kind: 'article_task',
      ticketId,
      ticketNumber,
      subject,
    });
  });

  for (const type of ['sla.warning', 'sla.breached'] as const) {
    bus.on(
      type,
      guarded('SLA', async ({ alert }) => {
        const ticket = await deps.viewTicket(alert.ticketId);
        if (!ticket) return;
        send(queueRooms(ticket), { kind: 'sla_warning', ...about(ticket), alert });
      }),
    );
  }
}
