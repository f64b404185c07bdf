// REST calls of the reports domain (server/reports/routes.ts). Framework-free: React code reaches
// them through react-query (./queries.ts).
import type {
  CustomerTerms,
  ReportMetric,
  ReportSummary,
  ReportTicketList,
  TicketHealth,
} from '../../../signaling/shared/reports';
import { type ApiClient, api } from '../lib/api';

const opts = (signal?: AbortSignal) => (signal ? { signal } : {});

export class ReportsApi {
  constructor(private readonly client: ApiClient) {}

  summary(query: string, signal?: AbortSignal): Promise<ReportSummary> {
    return this.client.request(`/api/reports/summary?${query}`, opts(signal));
  }

  tickets(
    query: string,
    metric: ReportMetric,
    score: number | undefined,
    signal?: AbortSignal,
  ): Promise<ReportTicketList> {
    const extra = new URLSearchParams({ metric, ...(score ? { score: String(score) } : {}) });
    return this.client.request(`/api/reports/tickets?${query}&${extra}`, opts(signal));
  }

  health(query: string, signal?: AbortSignal): Promise<TicketHealth> {
    return this.client.request(`/api/reports/health?${query}`, opts(signal));
  }

  terms(query: string, signal?: AbortSignal): Promise<CustomerTerms> {
    return this.client.request(`/api/reports/terms?${query}`, opts(signal));
  }
}

export const reportsApi = new ReportsApi(api);
