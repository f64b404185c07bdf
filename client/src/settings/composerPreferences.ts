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

/**
 * Whether this key press sends the message: Enter alone (or Ctrl/⌘+Enter) with `enter`, only
 * Ctrl/⌘+Enter with `ctrl_enter`. Never while an input method is composing (Chinese pinyin:
 * Enter there picks the candidate) — `isComposing`, or keyCode 229 from browsers that report it so.
 */
export function isSendKey(
  event: {
    key: string;
    shiftKey: boolean;
    ctrlKey: boolean;
    metaKey: boolean;
    altKey: boolean;
    keyCode: number;
    nativeEvent: { isComposing?: boolean };
  },
  sendKey: SendKey,
): boolean {
  if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.keyCode === 229) return false;
  if (event.ctrlKey || event.metaKey) return true;
  return sendKey === 'enter' && !event.shiftKey && !event.altKey;
}
