import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TicketView } from '../../../signaling/shared/protocol';
import { describeError } from '../errors';
import { toasts } from '../lib/toasts';
import { AGENTS_KEY, storeTicket, ticketKeys } from './queries';

/**
 * A change to a ticket (claim, assign, escalate, edit …): the answer goes into every cache, the
 * timeline is refetched, and a failure is shown as a toast unless the caller shows it inline.
 */
export function useTicketAction<V>(
  fn: (variables: V) => Promise<TicketView>,
  options: { success?: (ticket: TicketView) => string; inlineErrors?: boolean } = {},
) {
  const queryClient = useQueryClient();
  const { t } = useTranslation();
  return useMutation<TicketView, Error, V>({
    mutationFn: fn,
    onSuccess: (ticket) => {
      storeTicket(queryClient, ticket);
      void queryClient.invalidateQueries({ queryKey: ticketKeys.timeline(ticket.id) });
      void queryClient.invalidateQueries({ queryKey: ticketKeys.lists });
      void queryClient.invalidateQueries({ queryKey: AGENTS_KEY });
      if (options.success) toasts.show({ title: options.success(ticket), color: 'teal' });
    },
    onError: (err) => {
      if (!options.inlineErrors)
        toasts.show({ title: t('ticket.actionFailed'), message: describeError(err, t), color: 'red' });
    },
  });
}
