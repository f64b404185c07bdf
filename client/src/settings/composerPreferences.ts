// The signed-in person's composer preference (server/preferences/routes.ts): which key sends.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ComposerPreferences, SendKey } from '../../../signaling/shared/macros';
import { api } from '../lib/api';

const KEY = ['preferences', 'composer'] as const;
const PATH = '/api/me/preferences/composer';

/** Enter sends until the server says otherwise (also while it is loading or unreachable). */
export function useSendKey(): SendKey {
  const query = useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => api.request<ComposerPreferences>(PATH, { signal }),
    staleTime: 60_000,
  });
  return query.data?.sendKey ?? 'enter';
}

export function useComposerPreferences() {
  return useQuery({
    queryKey: KEY,
    queryFn: ({ signal }) => api.request<ComposerPreferences>(PATH, { signal }),
  });
}

export function useSaveComposerPreferences() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (prefs: ComposerPreferences) =>
      api.request<ComposerPreferences>(PATH, { method: 'PUT', body: prefs }),
    onSuccess: (prefs) => queryClient.setQueryData(KEY, prefs),
  });
}
