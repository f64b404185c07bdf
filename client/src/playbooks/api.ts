// REST calls and react-query hooks of the playbooks and the urgency rule
// (server/playbooks/routes.ts, server/settings/urgency.ts).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  LocalizedText,
  PlaybookPrefill,
  PlaybookView,
  TicketPlaybookView,
  UrgencyRule,
} from '../../../signaling/shared/macros';
import { api } from '../lib/api';

const id = encodeURIComponent;

export interface PlaybookInput {
  title: LocalizedText;
  steps: Array<{ id?: string; text: LocalizedText; prefill: PlaybookPrefill[] }>;
  followUpHours: number | null;
}

export const playbookKeys = {
  all: ['playbooks'] as const,
  ticket: (ticketId: string) => ['playbooks', 'ticket', ticketId] as const,
  urgency: ['settings', 'urgency-rule'] as const,
};

export function usePlaybooks(enabled = true) {
  return useQuery({
    queryKey: playbookKeys.all,
    enabled,
    queryFn: async ({ signal }) =>
      (await api.request<{ items: PlaybookView[] }>('/api/playbooks', { signal })).items,
  });
}

export function useSavePlaybook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ category, input }: { category: string; input: PlaybookInput }) =>
      api.request<PlaybookView>(`/api/playbooks/${id(category)}`, { method: 'PUT', body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: playbookKeys.all }),
  });
}

export function useDeletePlaybook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (category: string) => api.request(`/api/playbooks/${id(category)}`, { method: 'DELETE' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: playbookKeys.all }),
  });
}

export function useTicketPlaybook(ticketId: string) {
  return useQuery({
    queryKey: playbookKeys.ticket(ticketId),
    queryFn: ({ signal }) =>
      api.request<TicketPlaybookView>(`/api/tickets/${id(ticketId)}/playbook`, { signal }),
  });
}

export function useSetStep(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ stepId, done }: { stepId: string; done: boolean }) =>
      api.request<TicketPlaybookView>(`/api/tickets/${id(ticketId)}/playbook/steps/${id(stepId)}`, {
        method: 'PUT',
        body: { done },
      }),
    onSuccess: (view) => queryClient.setQueryData(playbookKeys.ticket(ticketId), view),
  });
}

export function useUrgencyRule(enabled: boolean) {
  return useQuery({
    queryKey: playbookKeys.urgency,
    enabled,
    queryFn: ({ signal }) => api.request<UrgencyRule>('/api/settings/urgency-rule', { signal }),
  });
}

export function useSaveUrgencyRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (rule: UrgencyRule) =>
      api.request<UrgencyRule>('/api/settings/urgency-rule', { method: 'PUT', body: rule }),
    onSuccess: (rule) => queryClient.setQueryData(playbookKeys.urgency, rule),
  });
}
