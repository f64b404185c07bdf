import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type RecordingDetail, type RecordingFilters, recordingsApi } from './api';

export const recordingKeys = {
  all: ['recordings'] as const,
  list: (filters: RecordingFilters) => ['recordings', 'list', filters] as const,
  detail: (id: string) => ['recordings', 'detail', id] as const,
  board: (id: string) => ['recordings', 'board', id] as const,
};

/** The call's whiteboard log for the player (fixed once the recording has ended). */
export function useRecordingBoard(id: string) {
  return useQuery({
    queryKey: recordingKeys.board(id),
    queryFn: ({ signal }) => recordingsApi.board(id, signal),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** Recordings still being processed change by themselves; the list refreshes until they settle. */
export function useRecordings(filters: RecordingFilters, enabled = true) {
  return useQuery({
    queryKey: recordingKeys.list(filters),
    enabled,
    queryFn: ({ signal }) => recordingsApi.list(filters, signal),
    // Changing a filter keeps the table in place (dimmed) instead of flashing a skeleton.
    placeholderData: keepPreviousData,
    refetchInterval: (query) =>
      query.state.data?.some((r) => r.status === 'recording' || r.status === 'processing') ? 5_000 : 60_000,
  });
}

export function useRecording(id: string) {
  return useQuery({
    queryKey: recordingKeys.detail(id),
    queryFn: ({ signal }) => recordingsApi.get(id, signal),
    refetchInterval: (query) =>
      query.state.data && ['recording', 'processing', 'awaiting_consent'].includes(query.state.data.status)
        ? 3_000
        : false,
  });
}

export function useSaveScores(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (scores: Record<string, number>) => recordingsApi.score(id, scores),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: recordingKeys.all }),
  });
}

export function useAddComment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ atMs, body }: { atMs: number; body: string }) => recordingsApi.comment(id, atMs, body),
    onSuccess: (comment) => {
      queryClient.setQueryData<RecordingDetail>(recordingKeys.detail(id), (detail) =>
        detail && !detail.comments.some((c) => c.id === comment.id)
          ? { ...detail, comments: [...detail.comments, comment].sort((a, b) => a.atMs - b.atMs) }
          : detail,
      );
    },
  });
}
