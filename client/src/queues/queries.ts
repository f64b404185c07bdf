import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { QueueFilters, QueueSort } from '../../../signaling/shared/queues';
import { ticketKeys, useWatchTicketLists } from '../tickets/queries';
import { type BulkRequest, queueApi } from './api';

export const QUEUE_PAGE_SIZE = 50;

// Not under ticketKeys.lists: those hold arrays of tickets that storeTicket patches in place.
export const queueKeys = {
  all: ['queue'] as const,
  /** Every search's pages (the live updates refetch them as they refetch the other queues). */
  searches: ['queue', 'search'] as const,
  search: (filters: QueueFilters, sort: QueueSort, page: number) =>
    ['queue', 'search', filters, sort, page] as const,
  views: ['queue', 'views'] as const,
  customer: (ticketId: string) => ['queue', 'customer', ticketId] as const,
};

/** One page of the queue; the previous page stays on screen while the next loads. */
export function useQueueSearch(filters: QueueFilters, sort: QueueSort, page: number) {
  useWatchTicketLists();
  return useQuery({
    queryKey: queueKeys.search(filters, sort, page),
    queryFn: ({ signal }) =>
      queueApi.search(filters, sort, QUEUE_PAGE_SIZE, (page - 1) * QUEUE_PAGE_SIZE, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 60_000,
  });
}

export function useSavedViews() {
  return useQuery({
    queryKey: queueKeys.views,
    queryFn: ({ signal }) => queueApi.views(signal),
    refetchInterval: 60_000,
  });
}

export function useSaveView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { id?: string; name?: string; filters?: QueueFilters; sort?: QueueSort }) => {
      const { id, ...body } = input;
      return id
        ? queueApi.updateView(id, body)
        : queueApi.createView({
            name: body.name ?? '',
            filters: body.filters ?? {},
            sort: body.sort ?? 'updated',
          });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queueKeys.views }),
  });
}

export function useDeleteView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => queueApi.deleteView(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queueKeys.views }),
  });
}

export function useBulkChange() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: BulkRequest) => queueApi.bulk(body),
    onSettled: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: queueKeys.all }),
        queryClient.invalidateQueries({ queryKey: ticketKeys.all }),
      ]);
    },
  });
}

export function useCustomerContext(ticketId: string) {
  return useQuery({
    queryKey: queueKeys.customer(ticketId),
    queryFn: ({ signal }) => queueApi.customerContext(ticketId, signal),
    staleTime: 30_000,
  });
}
