import { Anchor, Box, Button, EmptyState, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { QueryState } from '../../components/QueryState';
import { NpsCard } from '../../feedback/NpsCard';
import { formatDateTime, formatRelative } from '../../lib/format';
import { StatusBadge } from '../../tickets/badges';
import { useCustomerTickets } from '../../tickets/queries';
import { useNow } from '../../tickets/useNow';

/** The customer's tickets, newest activity first, with a way to open a new one. */
export function CustomerHome() {
  const { t } = useTranslation();
  const tickets = useCustomerTickets();
  const now = useNow(30_000);
  const sorted = [...(tickets.data ?? [])].sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));

  return (
    <Stack gap="md">
      <NpsCard />
      <Stack gap="sm" component="section" aria-labelledby="my-tickets-heading">
        <Group justify="space-between">
          <Title order={2} id="my-tickets-heading">
            {t('home.customer.heading')}
          </Title>
          <Button component={Link} to="/tickets/new">
            {t('home.customer.newTicket')}
          </Button>
        </Group>
        <QueryState
          query={tickets}
          loadingLabel={t('home.customer.loading')}
          loading={{ skeleton: 3, height: 20 }}
          errorTitle={t('home.customer.loadFailed')}
        >
          {() =>
            sorted.length === 0 ? (
              <Paper withBorder p="xl">
                <EmptyState
                  title={t('home.customer.emptyTitle')}
                  description={t('home.customer.emptyDescription')}
                />
              </Paper>
            ) : (
              // A list rather than a table: it reads the same on a phone as on a desktop.
              <Stack
                gap="xs"
                component="ul"
                p={0}
                m={0}
                aria-labelledby="my-tickets-heading"
                style={{ listStyle: 'none' }}
              >
                {sorted.map((ticket) => (
                  <Paper key={ticket.id} component="li" withBorder px="md" py="sm">
                    <Group justify="space-between" wrap="nowrap" gap="sm" align="flex-start">
                      <Stack gap={2} style={{ minWidth: 0 }}>
                        <Anchor
                          component={Link}
                          to={`/tickets/${ticket.id}`}
                          fw={600}
                          style={{ overflowWrap: 'anywhere' }}
                        >
                          {ticket.subject}
                        </Anchor>
                        <Text size="xs" c="dimmed">
                          #{ticket.number} ·{' '}
                          {t(`ticket.category.${ticket.category}` as 'ticket.category.other', {
                            defaultValue: ticket.category,
                          })}{' '}
                          · {t('home.customer.updated')}{' '}
                          <time dateTime={ticket.updatedAt} title={formatDateTime(ticket.updatedAt)}>
                            {formatRelative(ticket.updatedAt, now)}
                          </time>
                        </Text>
                      </Stack>
                      <Box flex="none">
                        <StatusBadge status={ticket.status} />
                      </Box>
                    </Group>
                  </Paper>
                ))}
              </Stack>
            )
          }
        </QueryState>
      </Stack>
    </Stack>
  );
}
