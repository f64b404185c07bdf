import type { DomainEvents, EventBus, TicketEventPayload } from '../server/events/bus';
import type { Logger } from '../server/logger';
import { customerView } from '../server/tickets/views';
import {
  callRoom,
  LISTS_ROOM,
  STAFF_ROOM,
  SUPERVISORS_ROOM,
  ticketRoom,
  ticketStaffRoom,
  userRoom,
} from './rooms';
import type { CallView, TicketView } from './shared/protocol';
import type { LivedeskServer } from './types';

/**
 * The realtime fan-out listener: turns domain events into socket events for the right rooms.
 * Internal notes go only to the ticket's staff room, so a customer's socket never receives one.
 * With the Redis adapter, `io.to(room)` reaches sockets on every node.
 */
export function attachRealtime(
  io: LivedeskServer,
  bus: EventBus,
  deps: { viewTicket: (id: string) => Promise<TicketView | undefined>; logger: Logger },
) {
  bus.on('message.created', ({ message }) => {
    const room =
      message.kind === 'internal' ? ticketStaffRoom(message.ticketId) : ticketRoom(message.ticketId);
    io.to(room).emit('message:created', message);
  });

  // One change often records several timeline entries (assigned + status); send the ticket's new
  // state once per tick instead of once per entry.
  const dirty = new Set<string>();
  let flushScheduled = false;
  const flush = async () => {
    flushScheduled = false;
    const ids = [...dirty];
    dirty.clear();
    for (const id of ids) {
      try {
        const view = await deps.viewTicket(id);
        if (!view) continue;
        // Staff with the ticket open, and staff showing lists (LISTS_ROOM). Sent to every staff
        // socket before: at 5,000 sockets each change cost 2,500 writes, most of the main thread.
        // The customer's sockets get the customer's view.
        io.to([ticketStaffRoom(id), LISTS_ROOM]).emit('ticket:changed', view);
        io.to([ticketRoom(id), userRoom(view.requester.id)])
          .except(STAFF_ROOM)
          .emit('ticket:changed', customerView(view));
      } catch (err) {
        deps.logger.error({ err, ticketId: id }, 'could not send a ticket change');
      }
    }
  };

  // Calls: whoever is in the call, watches the ticket, or is one of the call's people (every tab).
  const callAudience = (call: CallView) => [
    callRoom(call.id),
    ticketRoom(call.ticketId),
    ...call.participants.map((p) => userRoom(p.user.id)),
  ];
  bus.on('call.started', ({ call }) => {
    const customer = call.participants.find((p) => p.role === 'customer');
    if (customer) io.to(userRoom(customer.user.id)).emit('call:incoming', call);
    io.to(callAudience(call)).emit('call:updated', call);
  });
  for (const type of ['call.connected', 'call.ended', 'call.updated'] as const) {
    bus.on(type, ({ call }) => void io.to(callAudience(call)).emit('call:updated', call));
  }

  // A call request: its customer's tabs and the agents it rings (a toast and a ring tone there).
  bus.on('call.request_updated', ({ request }) => {
    io.to([userRoom(request.customer.id), ...request.targetIds.map(userRoom)]).emit(
      'callRequest:updated',
      request,
    );
  });

  bus.onAny((type, payload) => {
    // Every event that recorded a timeline entry (ticket.*, sla.*, call.*, board.*).
    if (!('entry' in (payload as object))) return;
    const { entry } = payload as TicketEventPayload;
    io.to(ticketStaffRoom(entry.ticketId)).emit('timeline:appended', entry);
    if (type === 'sla.warning' || type === 'sla.breached') {
      io.to(LISTS_ROOM).emit('sla:alert', (payload as DomainEvents['sla.warning']).alert);
    }
    dirty.add(entry.ticketId);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(() => void flush());
    }
  });

  // Recordings: the indicator (and the consent request) for everyone in the call.
  bus.on('recording.updated', ({ notice }) => {
    io.to(callRoom(notice.callId)).emit('recording:state', notice);
  });

  // Supervisors and admins watch everyone's presence (the agents table); an agent needs only
  // their own. Sent to all staff, every agent's change reached every agent: quadratic in the team
  // (1.25 million events while 2,500 agents connected in bench:chat).
  bus.on('presence.changed', (presence) => {
    io.to(SUPERVISORS_ROOM).to(userRoom(presence.userId)).emit('presence:changed', presence);
  });

  bus.on('ticket.read', ({ userId, ticketId, lastReadSeq }) => {
    io.to(userRoom(userId)).emit('unread:read', { ticketId, lastReadSeq });
  });
}
