import { Anchor, Checkbox, EmptyState, Group, Paper, Stack, Table, Text, useMatches } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PublicUser, TicketView } from '../../../signaling/shared/protocol';
import { formatRelative } from '../lib/format';
import { UnreadBadge } from '../notifications/UnreadBadge';
import { PriorityBadge, SlaBadges, StatusBadge, TierBadge } from '../tickets/badges';

export interface Selection {
  /** Null: this reader cannot select (bulk changes are for supervisors and admins). */
  ids: Set<string> | null;
  toggle(id: string): void;
  setAll(ids: string[], selected: boolean): void;
}

function Assignee({ ticket, me }: { ticket: TicketView; me: PublicUser }) {
  const { t } = useTranslation();
  if (!ticket.assignee)
    return (
      <Text span size="sm" c="dimmed">
        {t('ticket.unassigned')}
      </Text>
    );
  return ticket.assignee.id === me.id ? t('assign.me', { name: ticket.assignee.name }) : ticket.assignee.name;
}

/** No checkboxes: the reader does not select (the home page's queues, an agent on /queue). */
export const NO_SELECTION: Selection = { ids: null, toggle: () => {}, setAll: () => {} };

/**
 * A list of tickets, the one way every queue shows them (/queue and the home page's tabs): a table
 * on wide screens, cards on a phone; the unread badge beside each subject; checkboxes for bulk
 * changes when the reader may select.
 */
export function QueueResults({
  tickets,
  me,
  now,
  selection = NO_SELECTION,
  filtered = false,
  label,
  empty,
}: {
  tickets: TicketView[];
  me: PublicUser;
  now: number;
  selection?: Selection;
  /** Whether any search or filter is applied (the empty state says what to do then). */
  filtered?: boolean;
  /** The list's accessible name (the tab's name on the home page). */
  label?: string;
  /** The empty state's title and description, when this list has its own. */
  empty?: { title: string; description: string };
}) {
  const { t } = useTranslation();
  const phone = useMatches({ base: true, sm: false });
  const name = label ?? t('queues.results.label');
  if (tickets.length === 0) {
    return (
      <Paper withBorder p="xl">
        <EmptyState
          title={empty?.title ?? t('queues.results.emptyTitle')}
          description={
            empty?.description ??
            (filtered ? t('queues.results.emptyFiltered') : t('queues.results.emptyDescription'))
          }
        />
      </Paper>
    );
  }
  const { ids } = selection;
  const pageIds = tickets.map((x) => x.id);
  const chosen = ids ? pageIds.filter((id) => ids.has(id)).length : 0;
  const check = (ticket: TicketView) =>
    ids && (
      <Checkbox
        aria-label={t('queues.select.one', { number: ticket.number })}
        checked={ids.has(ticket.id)}
        onChange={() => selection.toggle(ticket.id)}
      />
    );
  const subject = (ticket: TicketView) => (
    <Group gap={6} wrap="nowrap" justify="space-between">
      <Anchor component={Link} to={`/tickets/${ticket.id}`} fw={500} lineClamp={2}>
        {ticket.subject}
      </Anchor>
      <UnreadBadge me={me} ticketId={ticket.id} />
    </Group>
  );

  if (phone) {
    return (
      <Stack gap="xs">
        {ids && (
          <Checkbox
            label={t('queues.select.all')}
            checked={chosen === pageIds.length}
            indeterminate={chosen > 0 && chosen < pageIds.length}
            onChange={(e) => selection.setAll(pageIds, e.currentTarget.checked)}
          />
        )}
        <Stack component="ul" gap="xs" aria-label={name} style={{ listStyle: 'none', margin: 0, padding: 0 }}>
          {tickets.map((ticket) => (
            <Paper component="li" withBorder p="sm" key={ticket.id} data-ticket-id={ticket.id}>
              <Group gap="sm" align="flex-start" wrap="nowrap">
                {check(ticket)}
                <Stack gap={6} style={{ minWidth: 0, flex: 1 }}>
                  {subject(ticket)}
                  <Group gap={6} wrap="wrap">
                    <PriorityBadge priority={ticket.priority} />
                    <StatusBadge status={ticket.status} />
                    <TierBadge tier={ticket.tier} />
                    <SlaBadges clocks={ticket.sla.clocks} now={now} />
                  </Group>
                  <Text size="sm" c="dimmed">
                    #{ticket.number} · {ticket.requester.name} · {t('queue.columns.assignee')}:{' '}
                    <Assignee ticket={ticket} me={me} />
                  </Text>
                </Stack>
              </Group>
            </Paper>
          ))}
        </Stack>
      </Stack>
    );
  }

  return (
    <Paper withBorder>
      <Table.ScrollContainer minWidth={960}>
        <Table highlightOnHover verticalSpacing="xs" aria-label={name}>
          <Table.Thead>
            <Table.Tr>
              {ids && (
                <Table.Th w={36}>
                  <Checkbox
                    aria-label={t('queues.select.all')}
                    checked={chosen === pageIds.length}
                    indeterminate={chosen > 0 && chosen < pageIds.length}
                    onChange={(e) => selection.setAll(pageIds, e.currentTarget.checked)}
                  />
                </Table.Th>
              )}
              <Table.Th>{t('queue.columns.number')}</Table.Th>
              <Table.Th>{t('queue.columns.subject')}</Table.Th>
              <Table.Th>{t('queue.columns.requester')}</Table.Th>
              <Table.Th>{t('queue.columns.priority')}</Table.Th>
              <Table.Th>{t('queue.columns.status')}</Table.Th>
              <Table.Th>{t('queue.columns.tier')}</Table.Th>
              <Table.Th>{t('queue.columns.assignee')}</Table.Th>
              <Table.Th>{t('queue.columns.sla')}</Table.Th>
              <Table.Th>{t('queue.columns.updated')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tickets.map((ticket) => (
              <Table.Tr
                key={ticket.id}
                data-ticket-id={ticket.id}
                bg={ids?.has(ticket.id) ? 'var(--mantine-primary-color-light)' : undefined}
              >
                {ids && <Table.Td>{check(ticket)}</Table.Td>}
                <Table.Td c="dimmed">#{ticket.number}</Table.Td>
                <Table.Td maw={320}>{subject(ticket)}</Table.Td>
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
                <Table.Td c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatRelative(ticket.updatedAt, now)}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}
