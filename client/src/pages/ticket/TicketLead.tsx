import { Badge, Box, Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { TicketView } from '../../../../signaling/shared/protocol';
import { formatDateTime, formatRelative } from '../../lib/format';
import { AttachmentList } from '../../tickets/attachments';

/** The customer's original request, shown as the first entry of the conversation. */
export function TicketLead({ ticket, now, mine }: { ticket: TicketView; now: number; mine: boolean }) {
  const { t } = useTranslation();
  const name = mine ? t('conversation.you') : ticket.requester.name;
  return (
    <Box
      component="article"
      aria-label={t('ticket.originalRequestBy', { name })}
      data-kind="description"
      style={{ alignSelf: mine ? 'flex-end' : 'flex-start', maxWidth: '85%', minWidth: '40%' }}
    >
      <Paper withBorder p="sm" radius="md" bg={mine ? 'indigo.0' : 'gray.0'}>
        <Group justify="space-between" gap="xs" mb={4} wrap="nowrap">
          <Group gap={6}>
            <Text size="sm" fw={600}>
              {name}
            </Text>
            <Badge size="xs" variant="light" color="gray" tt="none">
              {t('ticket.originalRequest')}
            </Badge>
          </Group>
          <Text size="xs" c="dimmed">
            <time dateTime={ticket.createdAt} title={formatDateTime(ticket.createdAt)}>
              {formatRelative(ticket.createdAt, now)}
            </time>
          </Text>
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {ticket.description}
        </Text>
        {ticket.attachments.length > 0 && (
          <Box mt="xs">
            <AttachmentList attachments={ticket.attachments} />
          </Box>
        )}
      </Paper>
    </Box>
  );
}
