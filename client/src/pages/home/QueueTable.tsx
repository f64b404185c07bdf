import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { PublicUser, TicketView } from '../../../../signaling/shared/protocol';
import { QueryState } from '../../components/QueryState';
import { QueueResults } from '../../queues/QueueResults';

/** One home-page queue, in the order the server sent it (most urgent first), as /queue shows tickets. */
export function QueueTable({
  query,
  me,
  now,
  label,
  emptyDescription,
}: {
  query: UseQueryResult<TicketView[]>;
  me: PublicUser;
  now: number;
  label: string;
  /** What an empty queue means, when it is not "new tickets arrive here". */
  emptyDescription?: string | undefined;
}) {
  const { t } = useTranslation();
  return (
    <QueryState
      query={query}
      loadingLabel={t('queue.loading')}
      loading={{ skeleton: 4, height: 22 }}
      errorTitle={t('queue.loadFailed')}
    >
      {(tickets) => (
        <QueueResults
          tickets={tickets}
          me={me}
          now={now}
          label={label}
          empty={{
            title: t('queue.emptyTitle'),
            description: emptyDescription ?? t('queue.emptyDescription'),
          }}
        />
      )}
    </QueryState>
  );
}
