import { Anchor, Badge, Box, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CustomerContext } from '../../../signaling/shared/queues';
import { QueryState } from '../components/QueryState';
import { formatDateTime, formatDuration, formatRelative } from '../lib/format';
import { StatusBadge } from '../tickets/badges';
import { useCustomerContext } from './queries';

/**
 * Beside the conversation: who the customer is, what they asked before, their calls (a recording
 * link only when the reader may watch it) and how they rated the help. Staff only.
 */
export function CustomerContextPanel({ ticketId, now }: { ticketId: string; now: number }) {
  const { t } = useTranslation();
  const query = useCustomerContext(ticketId);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="customer-context-heading">
      <Title order={3} fz="md" id="customer-context-heading" mb="sm">
        {t('queues.customer.heading')}
      </Title>
      <QueryState
        query={query}
        loadingLabel={t('queues.customer.loading')}
        loading={{ skeleton: 3, height: 16 }}
      >
        {(context) => <Context context={context} now={now} />}
      </QueryState>
    </Paper>
  );
}

function Context({ context, now }: { context: CustomerContext; now: number }) {
  const { t } = useTranslation();
  const { customer } = context;
  return (
    <Stack gap="sm">
      <Stack gap={2}>
        <Group gap={6}>
          <Text fw={600}>{customer.name}</Text>
          {customer.disabled && (
            <Badge size="xs" color="gray">
              {t('queues.customer.disabled')}
            </Badge>
          )}
        </Group>
        <Anchor href={`mailto:${customer.email}`} size="sm" style={{ overflowWrap: 'anywhere' }}>
          {customer.email}
        </Anchor>
        <Text size="xs" c="dimmed">
          {t('queues.customer.since', { date: formatDateTime(customer.createdAt) })} ·{' '}
          {t('queues.customer.ticketCounts', { count: customer.ticketCount, open: customer.openTicketCount })}
        </Text>
      </Stack>

      <Stack gap={4} component="section" aria-label={t('queues.customer.previous')}>
        <Text size="sm" fw={600}>
          {t('queues.customer.previous')}
        </Text>
        {context.tickets.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('queues.customer.noPrevious')}
          </Text>
        ) : (
          context.tickets.map((ticket) => (
            <Group key={ticket.id} gap={6} wrap="nowrap" justify="space-between">
              <Anchor
                component={Link}
                to={`/tickets/${ticket.id}`}
                size="sm"
                lineClamp={1}
                style={{ minWidth: 0 }}
              >
                #{ticket.number} {ticket.subject}
              </Anchor>
              <Box style={{ flexShrink: 0 }}>
                <StatusBadge status={ticket.status} />
              </Box>
            </Group>
          ))
        )}
      </Stack>

      <Stack gap={4} component="section" aria-label={t('queues.customer.calls')}>
        <Text size="sm" fw={600}>
          {t('queues.customer.calls')}
        </Text>
        {context.calls.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('queues.customer.noCalls')}
          </Text>
        ) : (
          context.calls.map((call) => (
            <Stack key={call.id} gap={0}>
              <Group gap={6} wrap="wrap">
                <Text size="sm">
                  {formatRelative(call.startedAt, now)} · #{call.ticketNumber} ·{' '}
                  {call.durationSeconds === null
                    ? t('queues.customer.notConnected')
                    : formatDuration(call.durationSeconds)}
                </Text>
                {call.recording && (
                  <Anchor component={Link} to={`/qa/recordings/${call.recording.id}`} size="sm">
                    {t('queues.customer.recording')}
                  </Anchor>
                )}
              </Group>
              {call.rating && (
                <Text size="xs" c="dimmed">
                  {t('queues.customer.callRating', call.rating)}
                </Text>
              )}
            </Stack>
          ))
        )}
      </Stack>

      <Stack gap={4} component="section" aria-label={t('queues.customer.csat')}>
        <Text size="sm" fw={600}>
          {t('queues.customer.csat')}
        </Text>
        {context.csat.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('queues.customer.noCsat')}
          </Text>
        ) : (
          context.csat.map((answer) => (
            <Stack key={answer.ticketId} gap={0}>
              <Text size="sm">
                <Badge
                  size="sm"
                  color={answer.score <= 2 ? 'red' : answer.score >= 4 ? 'teal' : 'gray'}
                  mr={6}
                >
                  {t('queues.customer.score', { score: answer.score })}
                </Badge>
                #{answer.ticketNumber} · {formatRelative(answer.submittedAt, now)}
              </Text>
              {answer.comment && (
                <Text size="xs" c="dimmed" lineClamp={3}>
                  “{answer.comment}”
                </Text>
              )}
            </Stack>
          ))
        )}
      </Stack>
    </Stack>
  );
}
