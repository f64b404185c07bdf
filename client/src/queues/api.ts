// REST calls of the queue and the customer context (server/queues, server/customers).
// Framework-free: React code reaches them through react-query (./queries.ts).
import type {
  BulkResult,
  CustomerContext,
  QueueFilters,
  QueuePage,
  QueueSort,
  SavedQueueView,
} from '../../../signaling/shared/queues';
import { type ApiClient, api } from '../lib/api';
import { searchQuery } from './filters';

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export type BulkRequest =
  | { action: 'assign'; ticketIds: string[]; assigneeId: string | null; note?: string }
  | { action: 'priority'; ticketIds: string[]; priority: 'P1' | 'P2' | 'P3' | 'P4' }
  | { action: 'close'; ticketIds: string[] };

export class QueueApi {
  constructor(private readonly client: ApiClient) {}

  search(filters: QueueFilters, sort: QueueSort, limit: number, offset: number, signal?: AbortSignal) {
    return this.client.request<QueuePage>(
      `/api/queue/search?${searchQuery(filters, sort, limit, offset)}`,
      opts(signal),
    );
  }

  async views(signal?: AbortSignal): Promise<SavedQueueView[]> {
    return (await this.client.request<{ items: SavedQueueView[] }>('/api/queue/views', opts(signal))).items;
  }

  createView(body: { name: string; filters: QueueFilters; sort: QueueSort }): Promise<SavedQueueView> {
    return this.client.request('/api/queue/views', { method: 'POST', body });
  }

  updateView(
    id: string,
    body: { name?: string; filters?: QueueFilters; sort?: QueueSort },
  ): Promise<SavedQueueView> {
    return this.client.request(`/api/queue/views/${encodeURIComponent(id)}`, { method: 'PATCH', body });
  }

  deleteView(id: string): Promise<{ deleted: true }> {
    return this.client.request(`/api/queue/views/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  bulk(body: BulkRequest): Promise<BulkResult> {
    return this.client.request('/api/queue/bulk', { method: 'POST', body });
  }

  customerContext(ticketId: string, signal?: AbortSignal): Promise<CustomerContext> {
    return this.client.request(`/api/tickets/${encodeURIComponent(ticketId)}/customer-context`, opts(signal));
  }
}

export const queueApi = new QueueApi(api);
