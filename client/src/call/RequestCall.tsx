// "Request a video call" on the customer's ticket (portal and widget): offered only when the
// server's rule allows it now, otherwise a line saying why; while it rings, a cancel; the outcome
// in words. An acceptance opens the call page, where the customer joins after the device check.
import { Alert, Button, Group, Paper, Stack, Text } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CallRequestEligibility, CallRequestView } from '../../../signaling/shared/callRequests';
import type { CallView, TicketView } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { api } from '../lib/api';
import { openMediaEarly } from '../lib/call/earlyMedia';
import { realtime } from '../lib/socket';
import { PhoneIcon } from './icons';
import { callPath } from './paths';

const base = (ticketId: string) => `/api/tickets/${encodeURIComponent(ticketId)}`;
export const callRequestApi = {
  eligibility: (ticketId: string, signal?: AbortSignal) =>
    api.request<CallRequestEligibility>(`${base(ticketId)}/call-request`, signal ? { signal } : {}),
  request: (ticketId: string) =>
    api.request<CallRequestView>(`${base(ticketId)}/call-requests`, { method: 'POST' }),
  cancel: (ticketId: string, id: string) =>
    api.request<CallRequestView>(`${base(ticketId)}/call-requests/${id}/cancel`, { method: 'POST' }),
  answer: (ticketId: string, id: string, accept: boolean) =>
    api.request<{ request: CallRequestView; call?: CallView } | CallRequestView>(
      `${base(ticketId)}/call-requests/${id}/${accept ? 'accept' : 'decline'}`,
      { method: 'POST' },
    ),
};

export function RequestCall({ ticket }: { ticket: TicketView }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const key = useMemo(() => ['callRequest', ticket.id] as const, [ticket.id]);
  const eligibility = useQuery({
    queryKey: key,
    queryFn: ({ signal }) => callRequestApi.eligibility(ticket.id, signal),
    // Agents come and go without telling customers: ask again now and then.
    refetchInterval: 30_000,
  });
  const [outcome, setOutcome] = useState<CallRequestView | null>(null);
  const ringing = eligibility.data?.request ?? null;

  useEffect(
    () =>
      realtime.on('callRequest:updated', (request) => {
        if (request.ticketId !== ticket.id) return;
        if (request.status === 'accepted' && request.callId) {
          openMediaEarly(request.callId);
          navigate(callPath(ticket.id, request.callId));
          return;
        }
        if (request.status !== 'ringing') setOutcome(request);
        void queryClient.invalidateQueries({ queryKey: key });
      }),
    [ticket.id, key, navigate, queryClient],
  );
  // The ticket changed (assigned, solved): the rule may answer differently.
  // biome-ignore lint/correctness/useExhaustiveDependencies: refetch on these changes only
  useEffect(() => {
    void eligibility.refetch();
  }, [ticket.status, ticket.assignee?.id, ticket.priority]);

  const ask = useMutation({
    mutationFn: () => callRequestApi.request(ticket.id),
    onMutate: () => setOutcome(null),
    onSuccess: (request) =>
      queryClient.setQueryData(key, { allowed: false, reason: 'request_pending', request }),
  });
  const cancel = useMutation({
    mutationFn: (id: string) => callRequestApi.cancel(ticket.id, id),
    onSettled: () => void queryClient.invalidateQueries({ queryKey: key }),
  });

  if (ticket.status === 'solved' || ticket.status === 'closed' || !eligibility.data) return null;
  const { allowed, reason } = eligibility.data;
  return (
    <Paper
      withBorder
      p="sm"
      component="section"
      aria-label={t('callRequest.heading')}
      data-testid="request-call"
    >
      <Stack gap="xs" aria-live="polite">
        {outcome && outcome.status !== 'cancelled' && (
          <Alert color={outcome.status === 'declined' ? 'orange' : 'gray'} variant="light" role="status">
            {t(outcome.status === 'declined' ? 'callRequest.declined' : 'callRequest.expired')}
          </Alert>
        )}
        {ringing ? (
          <Group justify="space-between" gap="xs">
            <Text size="sm">{t('callRequest.ringing')}</Text>
            <Button
              size="xs"
              variant="default"
              loading={cancel.isPending}
              onClick={() => cancel.mutate(ringing.id)}
            >
              {t('callRequest.cancel')}
            </Button>
          </Group>
        ) : allowed ? (
          <Group justify="space-between" gap="xs">
            <Text size="sm" c="dimmed">
              {t('callRequest.offer')}
            </Text>
            <Button
              size="xs"
              leftSection={<PhoneIcon size={16} />}
              loading={ask.isPending}
              onClick={() => ask.mutate()}
            >
              {t('callRequest.request')}
            </Button>
          </Group>
        ) : (
          reason &&
          reason !== 'call_active' && (
            <Text size="sm" c="dimmed" data-testid="request-call-unavailable">
              {t(`callRequest.unavailable.${reason}`)}
            </Text>
          )
        )}
        {ask.isError && (
          <Text size="sm" c="red" role="alert">
            {describeError(ask.error, t)}
          </Text>
        )}
      </Stack>
    </Paper>
  );
}
