import { Alert, Anchor, Button, EmptyState, Paper, Skeleton, Stack, Table, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PublicUser, TicketView } from '../../../../signaling/protocol';
import { describeError } from '../../errors';
import { PriorityBadge, SlaBadges, StatusBadge, TierBadge } from '../../tickets/badges';

/** One queue, in the order the server sent it (most urgent first). */
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
  emptyDescription?: string;
}) {
  const { t } = useTranslation();
  if (query.isPending) {
    return (
      <Paper withBorder p="md" role="status" aria-label={t('queue.loading')}>
        <Stack gap="xs">
          {[0, 1, 2, 3].map((i) => (
            <Skeleton key={i} height={22} />
          ))}
        </Stack>
      </Paper>
    );
  }
  if (query.isError) {
    return (
      <Alert color="red" title={t('queue.loadFailed')}>
        <Stack gap="xs" align="flex-start">
          <Text size="sm">{describeError(query.error, t)}</Text>
          <Button size="xs" variant="default" onClick={() => void query.refetch()}>
            {t('common.retry')}
          </Button>
        </Stack>
      </Alert>
    );
  }
  if (query.data.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState
          title={t('queue.emptyTitle')}
          description={emptyDescription ?? t('queue.emptyDescription')}
        />
      </Paper>
    );
  }
  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={900}>
        <Table highlightOnHover verticalSpacing="xs" aria-label={label}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('queue.columns.number')}</Table.Th>
              <Table.Th>{t('queue.columns.subject')}</Table.Th>
              <Table.Th>{t('queue.columns.requester')}</Table.Th>
              <Table.Th>{t('queue.columns.priority')}</Table.Th>
              <Table.Th>{t('queue.columns.status')}</Table.Th>
              <Table.Th>{t('queue.columns.tier')}</Table.Th>
              <Table.Th>{t('queue.columns.assignee')}</Table.Th>
              <Table.Th>{t('queue.columns.sla')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {query.data.map((ticket) => (
              <Table.Tr key={ticket.id} data-ticket-id={ticket.id}>
                <Table.Td c="dimmed">#{ticket.number}</Table.Td>
                <Table.Td maw={320}>
                  <Anchor component={Link} to={`/tickets/${ticket.id}`} fw={500} lineClamp={2}>
                    {ticket.subject}
                  </Anchor>
                </Table.Td>
                <Table.Td>{ticket.requester.name}</Table.Td>
                <Table.Td>
                  <PriorityBadge priority={ticket.priority} />
                </Table.Td>
                <Table.Td>
                  <StatusBadge status={ticket.status} />
                </Table.Td>
                <Table.Td>
                  <TierBadge tier={ticket.tier} />
                </Table.Td>
                <Table.Td>
                  {ticket.assignee ? (
                    ticket.assignee.id === me.id ? (
                      t('assign.me', { name: ticket.assignee.name })
                    ) : (
                      ticket.assignee.name
                    )
                  ) : (
                    <Text span size="sm" c="dimmed">
                      {t('ticket.unassigned')}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <SlaBadges clocks={ticket.sla.clocks} now={now} />
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
