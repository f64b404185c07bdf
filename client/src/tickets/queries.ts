import { type QueryClient, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type { CallView, PublicUser, TicketView, TimelineEntry } from '../../../signaling/shared/protocol';
import { isApiError } from '../lib/api';
import { Conversation } from '../lib/conversation';
import { ListWatch } from '../lib/listWatch';
import { session } from '../lib/session';
import { realtime } from '../lib/socket';
import { type AgentSummary, type QueueView, ticketsApi } from '../lib/tickets';

export const ticketKeys = {
  all: ['tickets'] as const,
  lists: ['tickets', 'list'] as const,
  queue: (view: QueueView) => ['tickets', 'list', 'queue', view] as const,
  customerList: ['tickets', 'list', 'customer'] as const,
  detail: (id: string) => ['tickets', 'detail', id] as const,
  timeline: (id: string) => ['tickets', 'timeline', id] as const,
  calls: (id: string) => ['tickets', 'calls', id] as const,
};
export const AGENTS_KEY = ['agents'] as const;

export const isStaffUser = (user: Pick<PublicUser, 'role'>) => user.role !== 'customer';

const TIER_RANK = { L1: 1, L2: 2, L3: 3 } as const;

/** Mirrors the server's `canWork` (server/tickets/access.ts) to show only actions that will succeed. */
export function canWorkTicket(user: PublicUser, ticket: TicketView): boolean {
  if (user.role === 'supervisor' || user.role === 'admin') return true;
  if (user.role !== 'agent' || !user.tier) return false;
  return ticket.assignee?.id === user.id || TIER_RANK[ticket.tier] <= TIER_RANK[user.tier];
}

/** Mirrors the server's `canHold`: who may be the assignee of a ticket of this tier. */
export function canHoldTier(agent: Pick<AgentSummary, 'tier'>, tier: TicketView['tier']): boolean {
  return TIER_RANK[agent.tier] >= TIER_RANK[tier];
}

/** Queues and lists refresh every minute anyway, so SLA badges and "breaching soon" stay honest. */
const LIST_REFRESH_MS = 60_000;

/** This tab's one watch of every ticket's changes (`tickets:watch`), held while lists are shown. */
const listWatch = new ListWatch(realtime);

/**
 * Keeps this tab told of every ticket's changes while the calling component is mounted (and
 * `enabled`): staff lists only; a customer's own tickets reach them anyway.
 */
export function useWatchTicketLists(enabled = true): void {
  useEffect(() => (enabled ? listWatch.hold() : undefined), [enabled]);
}

export function useQueue(view: QueueView, enabled = true) {
  // Home tabs are staff lists: they follow every ticket's changes while shown.
  useWatchTicketLists(enabled);
  return useQuery({
    queryKey: ticketKeys.queue(view),
    queryFn: ({ signal }) => ticketsApi.list({ view, limit: 100 }, signal),
    enabled,
    refetchInterval: LIST_REFRESH_MS,
  });
}

export function useCustomerTickets() {
  return useQuery({
    queryKey: ticketKeys.customerList,
    queryFn: ({ signal }) => ticketsApi.list({ limit: 100 }, signal),
    refetchInterval: LIST_REFRESH_MS,
  });
}

/**
 * One ticket. `staleTime`: how long a cached copy is shown without asking again (live updates keep
 * it current meanwhile); by default it is asked for again on every mount.
 */
export function useTicket(id: string, options: { staleTime?: number } = {}) {
  return useQuery({
    queryKey: ticketKeys.detail(id),
    queryFn: ({ signal }) => ticketsApi.get(id, signal),
    ...options,
  });
}

export function useTimeline(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ticketKeys.timeline(id),
    queryFn: ({ signal }) => ticketsApi.timeline(id, signal),
    enabled,
  });
}

/**
 * The ticket's calls with their current state, kept live by `call:updated` (sent to the ticket's
 * watchers and the call's people), so each call entry in the conversation shows ringing, in
 * progress or how it ended. A reconnect re-reads it with every other ticket query.
 */
export function useTicketCalls(ticketId: string, enabled = true) {
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!enabled) return;
    return realtime.on('call:updated', (call) => {
      if (call.ticketId === ticketId) storeCall(queryClient, call);
    });
  }, [queryClient, ticketId, enabled]);
  return useQuery({
    queryKey: ticketKeys.calls(ticketId),
    queryFn: ({ signal }) => ticketsApi.calls(ticketId, signal),
    enabled,
  });
}

/** Puts a call's new state into its ticket's cached call list (newest first). */
export function storeCall(queryClient: QueryClient, call: CallView): void {
  queryClient.setQueryData<CallView[]>(ticketKeys.calls(call.ticketId), (calls) => {
    if (!calls) return calls;
    const known = calls.some((c) => c.id === call.id);
    return known ? calls.map((c) => (c.id === call.id ? call : c)) : [call, ...calls];
  });
}

export function useAgents(enabled = true) {
  return useQuery({
    queryKey: AGENTS_KEY,
    queryFn: ({ signal }) => ticketsApi.agents(signal),
    enabled,
    staleTime: 30_000,
  });
}

/** Puts a ticket the server just returned everywhere it is shown. */
export function storeTicket(queryClient: QueryClient, ticket: TicketView): void {
  queryClient.setQueryData(ticketKeys.detail(ticket.id), ticket);
  queryClient.setQueriesData<TicketView[]>({ queryKey: ticketKeys.lists }, (list) =>
    list?.map((t) => (t.id === ticket.id ? ticket : t)),
  );
}

/** The live conversation of a ticket, started while the component is mounted. */
export function useConversation(ticketId: string, user: PublicUser): Conversation {
  const queryClient = useQueryClient();
  // The user object is replaced on every refresh of /me; the conversation only needs these four.
  const me = useMemo(
    () => ({ id: user.id, name: user.name, role: user.role, tier: user.tier }),
    [user.id, user.name, user.role, user.tier],
  );
  const [conversation, setConversation] = useState(
    () => new Conversation(ticketId, { api: ticketsApi, realtime, me }),
  );
  useEffect(() => {
    const next = new Conversation(ticketId, {
      api: ticketsApi,
      realtime,
      me,
      onTicket: (ticket) => storeTicket(queryClient, ticket),
    });
    setConversation(next);
    return next.start();
  }, [ticketId, me, queryClient]);
  return conversation;
}

export function useConversationState(conversation: Conversation) {
  return useSyncExternalStore(conversation.subscribe, conversation.getSnapshot);
}

/** Whether an error means "the ticket is not there (for you)". */
export const isNotFound = (err: unknown) => isApiError(err) && err.code === 'not_found';

/** Appends a timeline entry to the cached timeline (once). */
export function appendTimeline(queryClient: QueryClient, entry: TimelineEntry): void {
  queryClient.setQueryData<TimelineEntry[]>(ticketKeys.timeline(entry.ticketId), (items) =>
    items && !items.some((e) => e.id === entry.id) ? [...items, entry].sort((a, b) => a.seq - b.seq) : items,
  );
}

export function currentUser(): PublicUser | null {
  return session.current?.user ?? null;
}
