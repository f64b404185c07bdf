import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { PublicUser, TicketView } from '../../../signaling/shared/protocol';
import { desktopAlerts } from '../lib/alerts';
import { session } from '../lib/session';
import { realtime } from '../lib/socket';
import type { AgentSummary } from '../lib/tickets';
import { toasts } from '../lib/toasts';
import { AGENTS_KEY, appendTimeline, isStaffUser, storeTicket, ticketKeys } from './queries';

/** Several changes often arrive together (assigned + status): refetch lists once for all of them. */
const REFETCH_DEBOUNCE_MS = 250;
/** A `ticket:changed` for a ticket created this recently, never seen before, is a new ticket. */
const NEW_TICKET_WINDOW_MS = 60_000;

/**
 * Keeps every cached ticket, queue, timeline and the agents table in step with the server's
 * pushes, and tells staff about new tickets, new messages and SLA alerts (a toast in a visible
 * tab; a desktop notification and a beep in a hidden one). Mounted once, in the signed-in frame.
 */
export function useLiveUpdates(user: PublicUser): void {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const { t } = useTranslation();
  const staff = isStaffUser(user);

  useEffect(() => {
    let listTimer: ReturnType<typeof setTimeout> | undefined;
    const refetchLists = () => {
      clearTimeout(listTimer);
      listTimer = setTimeout(() => {
        void queryClient.invalidateQueries({ queryKey: ticketKeys.lists });
        if (staff) void queryClient.invalidateQueries({ queryKey: AGENTS_KEY });
      }, REFETCH_DEBOUNCE_MS);
    };
    const announced = new Set<string>();
    const open = (ticketId: string) => () => void navigate(`/tickets/${ticketId}`);
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
        if (!staff || announced.has(ticket.id)) return;
        const created = Date.parse(ticket.createdAt);
        if (Date.now() - created < NEW_TICKET_WINDOW_MS && ticket.requester.id !== user.id) {
          announced.add(ticket.id);
          desktopAlerts.notify({
            title: t('alerts.newTicketTitle', { number: ticket.number }),
            body: ticket.subject,
            tag: `ticket-${ticket.id}`,
            onClick: open(ticket.id),
          });
        }
      }),
      realtime.on('message:created', (message) => {
        if (!message.author || message.author.id === user.id) return;
        desktopAlerts.notify({
          title: t('alerts.newMessageTitle', { name: message.author.name }),
          body: message.body.slice(0, 140),
          tag: `message-${message.id}`,
          onClick: open(message.ticketId),
        });
      }),
      realtime.on('timeline:appended', (entry) => appendTimeline(queryClient, entry)),
      realtime.on('sla:alert', (alert) => {
        if (!staff) return;
        const title = t(alert.kind === 'breach' ? 'alerts.slaBreachTitle' : 'alerts.slaWarningTitle', {
          number: alert.ticketNumber,
        });
        const message = t('alerts.slaBody', { clock: t(`sla.clock.${alert.clock}`), subject: alert.subject });
        toasts.show({
          title,
          message,
          color: alert.kind === 'breach' ? 'red' : 'orange',
          href: `/tickets/${alert.ticketId}`,
        });
        desktopAlerts.notify({
          title,
          body: message,
          tag: `sla-${alert.ticketId}-${alert.clock}`,
          onClick: open(alert.ticketId),
        });
        refetchLists();
      }),
      realtime.on('presence:changed', ({ userId, availability }) => {
        queryClient.setQueryData<AgentSummary[]>(AGENTS_KEY, (agents) =>
          agents?.map((a) => (a.id === userId ? { ...a, availability } : a)),
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
  }, [queryClient, navigate, t, staff, user.id]);
}
