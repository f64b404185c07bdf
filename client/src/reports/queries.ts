import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { ReportMetric } from '../../../signaling/shared/reports';
import { reportsApi } from './api';

// Each report is keyed by its query string (range + filters): changing a filter keeps the previous
// numbers on screen (dimmed) until the new ones arrive, instead of flashing a skeleton.
export const reportKeys = {
  all: ['reports'] as const,
  summary: (query: string) => ['reports', 'summary', query] as const,
  tickets: (query: string, metric: ReportMetric, score?: number) =>
    ['reports', 'tickets', query, metric, score] as const,
  health: (query: string) => ['reports', 'health', query] as const,
  terms: (query: string) => ['reports', 'terms', query] as const,
};

export function useReportSummary(query: string) {
  return useQuery({
    queryKey: reportKeys.summary(query),
    queryFn: ({ signal }) => reportsApi.summary(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useReportTickets(query: string, metric: ReportMetric, score?: number) {
  return useQuery({
    queryKey: reportKeys.tickets(query, metric, score),
    queryFn: ({ signal }) => reportsApi.tickets(query, metric, score, signal),
  });
}

export function useTicketHealth(query: string) {
  return useQuery({
    queryKey: reportKeys.health(query),
    queryFn: ({ signal }) => reportsApi.health(query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCustomerTerms(query: string) {
  return useQuery({
    queryKey: reportKeys.terms(query),
    queryFn: ({ signal }) => reportsApi.terms(query, signal),
    placeholderData: keepPreviousData,
  });
}
