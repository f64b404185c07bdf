// REST calls and react-query hooks of the macros (server/macros/routes.ts).
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  LocalizedText,
  MacroActions,
  MacroApplication,
  MacroScope,
  MacroView,
} from '../../../signaling/shared/macros';
import { api } from '../lib/api';

const id = encodeURIComponent;

export interface MacroInput {
  scope: MacroScope;
  title: string;
  bodies: LocalizedText;
  actions: MacroActions;
}

export const macrosApi = {
  async list(q: string, signal?: AbortSignal): Promise<MacroView[]> {
    const query = q.trim() ? `?q=${id(q.trim())}` : '';
    return (await api.request<{ items: MacroView[] }>(`/api/macros${query}`, signal ? { signal } : {})).items;
  },
  create: (input: MacroInput) => api.request<MacroView>('/api/macros', { method: 'POST', body: input }),
  update: (macroId: string, input: Omit<MacroInput, 'scope'>) =>
    api.request<MacroView>(`/api/macros/${id(macroId)}`, { method: 'PATCH', body: input }),
  remove: (macroId: string) => api.request(`/api/macros/${id(macroId)}`, { method: 'DELETE' }),
  apply: (macroId: string, ticketId: string) =>
    api.request<MacroApplication>(`/api/macros/${id(macroId)}/apply`, { method: 'POST', body: { ticketId } }),
};

export const macroKeys = { all: ['macros'] as const, list: (q: string) => ['macros', q] as const };

export function useMacros(q: string, enabled = true) {
  return useQuery({
    queryKey: macroKeys.list(q.trim()),
    enabled,
    queryFn: ({ signal }) => macrosApi.list(q, signal),
    placeholderData: keepPreviousData,
  });
}

/** Create, change or delete; every macro list is refreshed after. */
export function useSaveMacro() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id: macroId, input }: { id: string | null; input: MacroInput }) =>
      macroId ? macrosApi.update(macroId, input) : macrosApi.create(input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: macroKeys.all }),
  });
}

export function useDeleteMacro() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (macroId: string) => macrosApi.remove(macroId),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: macroKeys.all }),
  });
}
