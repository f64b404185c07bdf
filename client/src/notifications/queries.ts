import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { isStaffUser } from '../tickets/queries';
import { type NotificationSettings, notificationsApi, type Unread } from './api';
import { ticketOnScreen } from './viewing';

export const SETTINGS_KEY = ['notification-settings'] as const;
export const UNREAD_KEY = ['unread'] as const;
export const PRESENCE_KEY = ['my-presence'] as const;

/** Everything on, as the server answers before the person changed anything. */
export const DEFAULT_SETTINGS: NotificationSettings = {
  sound: true,
  desktop: true,
  events: ['new_ticket', 'customer_message', 'assigned', 'sla_warning'],
};

export function useNotificationSettings() {
  return useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: ({ signal }) => notificationsApi.settings(signal),
    staleTime: 60_000,
  });
}

export function useSaveNotificationSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (settings: NotificationSettings) => notificationsApi.saveSettings(settings),
    onSuccess: (saved) => queryClient.setQueryData(SETTINGS_KEY, saved),
  });
}

/** My unread counts (staff): kept current by pushes (`notify`, `unread:read`), asked again on reconnect. */
export function useUnread(user: Pick<PublicUser, 'role'>) {
  return useQuery({
    queryKey: UNREAD_KEY,
    queryFn: ({ signal }) => notificationsApi.unread(signal),
    enabled: isStaffUser(user),
    refetchInterval: 60_000,
  });
}

/** My availability and presence (staff), kept current by `presence:changed`. */
export function useMyPresence(user: PublicUser) {
  return useQuery({
    queryKey: PRESENCE_KEY,
    queryFn: ({ signal }) => notificationsApi.presence(signal),
    enabled: isStaffUser(user),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Unread count of one ticket (0 when read or unknown). */
export function unreadOf(unread: Unread | undefined, ticketId: string): number {
  return unread?.tickets.find((t) => t.ticketId === ticketId)?.count ?? 0;
}

/**
 * After a push changed the counts here: a read of them that is still on its way started before
 * the change reached the server, and would answer with the counts from before it (a page that
 * loads as a message arrives showed the message's toast, then no count). It is cancelled and
 * asked again; the server sends its pushes after its commit, so the new read has the change.
 */
function askAgainIfReading(queryClient: QueryClient): void {
  if (queryClient.isFetching({ queryKey: UNREAD_KEY }) > 0) {
    void queryClient.invalidateQueries({ queryKey: UNREAD_KEY }, { cancelRefetch: true });
  }
}

/** Takes a ticket off my unread list at once (the server is told separately). */
export function clearUnread(queryClient: QueryClient, ticketId: string): void {
  queryClient.setQueryData<Unread>(UNREAD_KEY, (unread) => {
    if (!unread) return unread;
    const gone = unread.tickets.find((t) => t.ticketId === ticketId);
    if (!gone) return unread;
    return { total: unread.total - gone.count, tickets: unread.tickets.filter((t) => t !== gone) };
  });
  askAgainIfReading(queryClient);
}

/** Counts one more unread item on a ticket at once (the next refetch brings the server's count). */
export function bumpUnread(queryClient: QueryClient, ticketId: string, lastSeq = 0): void {
  queryClient.setQueryData<Unread>(UNREAD_KEY, (unread) => {
    const base = unread ?? { total: 0, tickets: [] };
    const existing = base.tickets.find((t) => t.ticketId === ticketId);
    const tickets = existing
      ? base.tickets.map((t) =>
          t === existing ? { ...t, count: t.count + 1, lastSeq: Math.max(t.lastSeq, lastSeq) } : t,
        )
      : [...base.tickets, { ticketId, count: 1, lastSeq, unopened: lastSeq === 0 }];
    return { total: base.total + 1, tickets };
  });
  askAgainIfReading(queryClient);
}

/**
 * Marks a ticket read while it is on screen and the tab is visible: on opening it, and again
 * whenever `latestSeq` grows (a new message shown while I look at it).
 */
export function useMarkRead(user: PublicUser, ticketId: string | undefined, latestSeq: number) {
  const queryClient = useQueryClient();
  const staff = isStaffUser(user);
  useEffect(() => {
    if (!staff || !ticketId) return;
    const mark = () => {
      if (document.visibilityState !== 'visible') return;
      clearUnread(queryClient, ticketId);
      notificationsApi.markRead(ticketId, latestSeq > 0 ? latestSeq : undefined).catch(() => {
        // Not marked: the badge comes back with the next refetch, nothing is lost.
        void queryClient.invalidateQueries({ queryKey: UNREAD_KEY });
      });
    };
    ticketOnScreen.set(ticketId);
    mark();
    document.addEventListener('visibilitychange', mark);
    return () => {
      ticketOnScreen.set(undefined);
      document.removeEventListener('visibilitychange', mark);
    };
  }, [staff, ticketId, latestSeq, queryClient]);
}
