import { Anchor, EmptyState, Group, Paper, Stack, Table, Text, useMatches } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PublicUser, TicketView } from '../../../../signaling/shared/protocol';
import { QueryState } from '../../components/QueryState';
import { UnreadBadge } from '../../notifications/UnreadBadge';
import { PriorityBadge, SlaBadges, StatusBadge, TierBadge } from '../../tickets/badges';

/** One queue, in the order the server sent it (most urgent first). */
export function QueueTable({
  query,
  ...rest
}: {
  query: UseQueryResult<TicketView[]>;
  me: PublicUser;
  now: number;
  label: string;
  /** What an empty queue means, when it is not "new tickets arrive here". */
  emptyDescription?: string;
}) {
  const { t } = useTranslation();
  return (
    <QueryState
      query={query}
      loadingLabel={t('queue.loading')}
      loading={{ skeleton: 4, height: 22 }}
      errorTitle={t('queue.loadFailed')}
    >
      {(tickets) => <QueueTickets tickets={tickets} {...rest} />}
    </QueryState>
  );
}

function QueueTickets({
  tickets,
  me,
  now,
  label,
  emptyDescription,
}: {
  tickets: TicketView[];
  me: PublicUser;
  now: number;
  label: string;
  emptyDescription?: string | undefined;
}) {
  const { t } = useTranslation();
  const phone = useMatches({ base: true, sm: false });
  if (tickets.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState
          title={t('queue.emptyTitle')}
          description={emptyDescription ?? t('queue.emptyDescription')}
        />
      </Paper>
    );
  }
  if (phone) return <QueueCards tickets={tickets} me={me} now={now} label={label} />;
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
            {tickets.map((ticket) => (
              <Table.Tr key={ticket.id} data-ticket-id={ticket.id}>
                <Table.Td c="dimmed">#{ticket.number}</Table.Td>
                <Table.Td maw={320}>
                  <Group gap={6} wrap="nowrap">
                    <Anchor component={Link} to={`/tickets/${ticket.id}`} fw={500} lineClamp={2}>
                      {ticket.subject}
                    </Anchor>
                    <UnreadBadge me={me} ticketId={ticket.id} />
                  </Group>
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
                  <Assignee ticket={ticket} me={me} />
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

function Assignee({ ticket, me }: { ticket: TicketView; me: PublicUser }) {
  const { t } = useTranslation();
  if (!ticket.assignee) {
    return (
      <Text span size="sm" c="dimmed">
        {t('ticket.unassigned')}
      </Text>
    );
  }
  return ticket.assignee.id === me.id ? t('assign.me', { name: ticket.assignee.name }) : ticket.assignee.name;
}

/**
 * A phone has no room for eight columns, and a table scrolled sideways hides what an agent triages
 * by. Each ticket is a card instead: subject first, then priority and the SLA clocks, then the rest.
 */
function QueueCards({
  tickets,
  me,
  now,
  label,
}: {
  tickets: TicketView[];
  me: PublicUser;
  now: number;
  label: string;
}) {
  const { t } = useTranslation();
  return (
    <Stack component="ul" gap="xs" aria-label={label} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
      {tickets.map((ticket) => (
        <Paper component="li" withBorder p="sm" key={ticket.id} data-ticket-id={ticket.id}>
          <Stack gap={6}>
            <Group gap={6} wrap="nowrap" justify="space-between">
              <Anchor component={Link} to={`/tickets/${ticket.id}`} fw={500} lineClamp={2}>
                {ticket.subject}
              </Anchor>
              <UnreadBadge me={me} ticketId={ticket.id} />
            </Group>
            <Group gap={6} wrap="wrap">
              <PriorityBadge priority={ticket.priority} />
              <SlaBadges clocks={ticket.sla.clocks} now={now} />
            </Group>
            <Group gap={6} wrap="wrap">
              <StatusBadge status={ticket.status} />
              <TierBadge tier={ticket.tier} />
            </Group>
            <Text size="sm" c="dimmed">
              #{ticket.number} · {ticket.requester.name} · {t('queue.columns.assignee')}:{' '}
              <Assignee ticket={ticket} me={me} />
            </Text>
          </Stack>
        </Paper>
      ))}
    </Stack>
  );
}
