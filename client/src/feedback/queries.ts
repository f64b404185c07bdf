import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FollowUpState } from '../../../signaling/shared/feedback';
import { feedbackApi } from './api';

export const feedbackKeys = {
  all: ['feedback'] as const,
  ticket: (ticketId: string) => ['feedback', 'ticket', ticketId] as const,
  call: (callId: string) => ['feedback', 'call', callId] as const,
  followUps: (state: FollowUpState) => ['feedback', 'follow-ups', state] as const,
  nps: ['feedback', 'nps'] as const,
};

export function useTicketCsat(ticketId: string, enabled = true) {
  return useQuery({
    queryKey: feedbackKeys.ticket(ticketId),
    enabled,
    queryFn: ({ signal }) => feedbackApi.ticketCsat(ticketId, signal),
  });
}

export function useRateTicket(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { score: number; comment?: string }) => feedbackApi.rateTicket(ticketId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: feedbackKeys.ticket(ticketId) }),
  });
}

export function useCallRating(callId: string, enabled = true) {
  return useQuery({
    queryKey: feedbackKeys.call(callId),
    enabled,
    queryFn: ({ signal }) => feedbackApi.callRating(callId, signal),
  });
}

export function useRateCall(callId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: { picture: number; sound: number; helpfulness: number; comment?: string }) =>
      feedbackApi.rateCall(callId, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: feedbackKeys.call(callId) }),
  });
}

/** The supervisor queue; deadlines pass by themselves, so it refreshes every half minute. */
export function useFollowUps(state: FollowUpState) {
  return useQuery({
    queryKey: feedbackKeys.followUps(state),
    queryFn: ({ signal }) => feedbackApi.followUps(state, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 30_000,
  });
}

export function useCloseFollowUp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, note }: { id: string; note: string }) => feedbackApi.closeFollowUp(id, note),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['feedback', 'follow-ups'] }),
  });
}

export function useNpsPrompt(enabled = true) {
  return useQuery({
    queryKey: feedbackKeys.nps,
    enabled,
    queryFn: ({ signal }) => feedbackApi.npsPrompt(signal),
  });
}
