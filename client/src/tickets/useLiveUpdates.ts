import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PublicUser, TicketView } from '../../../signaling/shared/protocol';
import { session } from '../lib/session';
import { realtime } from '../lib/socket';
import type { AgentSummary } from '../lib/tickets';
import { queueKeys } from '../queues/queries';
import { AGENTS_KEY, appendTimeline, isStaffUser, storeTicket, ticketKeys } from './queries';

/** Several changes often arrive together (assigned + status): refetch lists once for all of them. */
const REFETCH_DEBOUNCE_MS = 250;

/**
 * Keeps every cached ticket, queue, timeline and the agents table in step with the server's
 * pushes. (Telling staff about new work is client/src/notifications.) Mounted once, in the
 * signed-in frame.
 */
export function useLiveUpdates(user: PublicUser): void {
  const queryClient = useQueryClient();
  const staff = isStaffUser(user);

  useEffect(() => {
    let listTimer: ReturnType<typeof setTimeout> | undefined;
    const refetchLists = () => {
      clearTimeout(listTimer);
      listTimer = setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: ticketKeys.lists });
        if (staff) {
          void queryClient.invalidateQueries({ queryKey: AGENTS_KEY });
          // /queue's results too: a new ticket or a change shows there without waiting for its poll.
          void queryClient.invalidateQueries({ queryKey: queueKeys.searches });
        }
      }, REFETCH_DEBOUNCE_MS);
    };
    let wasConnected = realtime.getStatus() === 'connected';

    const stops = [
      realtime.on('ticket:changed', (ticket) => {
        // A customer's list is all of their tickets, sorted on the page: one already in it is
        // updated in place (storeTicket), and only a new one needs the list fetched again (every
        // message and call on a ticket changes it; refetching then loaded the server for nothing,
        // in the middle of a call being set up). Staff queues depend on status, assignee and tier.
        const listed =
          !staff &&
          (queryClient.getQueryData<TicketView[]>(ticketKeys.customerList)?.some((t) => t.id === ticket.id) ??
            false);
        storeTicket(queryClient, ticket);
        if (!listed) refetchLists();
      }),
      realtime.on('timeline:appended', (entry) => appendTimeline(queryClient, entry)),
      // Who is told about an alert (toast, sound) is the notifications' concern; queues re-sort here.
      realtime.on('sla:alert', () => {
        if (staff) refetchLists();
      }),
      realtime.on('presence:changed', ({ userId, availability, presence }) => {
        queryClient.setQueryData<AgentSummary[]>(AGENTS_KEY, (agents) =>
          agents?.map((a) => (a.id === userId ? { ...a, availability, presence } : a)),
        );
        const me = session.current?.user;
        if (me && me.id === userId && me.availability !== availability) {
          session.updateUser({ ...me, availability });
        }
      }),
      // Pushes sent while the link was down are lost: after a reconnect, ask again.
      realtime.subscribe(() => {
        const connected = realtime.getStatus() === 'connected';
        if (connected && !wasConnected) {
          void queryClient.invalidateQueries({ queryKey: ticketKeys.all });
          if (staff) void queryClient.invalidateQueries({ queryKey: AGENTS_KEY });
        }
        wasConnected = connected;
      }),
    ];
    return () => {
      clearTimeout(listTimer);
      for (const stop of stops) stop();
    };
  }, [queryClient, staff]);
}
