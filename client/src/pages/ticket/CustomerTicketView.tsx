import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import type { PublicUser, TicketView } from '../../../../signaling/shared/protocol';
import { SavedBoards } from '../../board/SavedBoards';
import { RequestCall } from '../../call/RequestCall';
import { TicketCsat } from '../../feedback/TicketCsat';
import { formatRelative } from '../../lib/format';
import { readSnapshot } from '../../lib/snapshot';
import { ticketsApi } from '../../lib/tickets';
import { useTicketAction } from '../../tickets/actions';
import { StatusBadge } from '../../tickets/badges';
import { Composer } from '../../tickets/Composer';
import { ConversationView } from '../../tickets/ConversationView';
import { useConversation, useConversationState } from '../../tickets/queries';
import { SnapshotDisclosure } from '../../tickets/SnapshotDetails';
import { useNow } from '../../tickets/useNow';
import { TicketLead } from './TicketLead';

/**
 * The banner at the top of the customer's ticket: it follows the ticket's status as it changes on
 * the page (marking it solved, the team closing it), so it never says "open" about a solved ticket.
 */
function StatusBanner({ ticket, justCreated }: { ticket: TicketView; justCreated: boolean }) {
  const { t } = useTranslation();
  if (ticket.status === 'solved') {
    return (
      <Alert color="teal" variant="light" title={t('customerTicket.solvedTitle', { number: ticket.number })}>
        {t('customerTicket.solvedNotice')}
      </Alert>
    );
  }
  if (ticket.status === 'closed') {
    // The composer below says what to do now; the banner only states the status.
    return (
      <Alert
        color="gray"
        variant="light"
        title={t('customerTicket.closedTitle', { number: ticket.number })}
      />
    );
  }
  if (!justCreated) return null;
  return (
    <Alert color="teal" variant="light" title={t('customerTicket.createdTitle', { number: ticket.number })}>
      {t('customerTicket.createdBody')}
    </Alert>
  );
}

/** The customer's ticket page: their request, the live conversation, and what was sent with it. */
export function CustomerTicketView({ ticket, me }: { ticket: TicketView; me: PublicUser }) {
  const { t } = useTranslation();
  const location = useLocation();
  const justCreated = (location.state as { created?: boolean } | null)?.created === true;
  const conversation = useConversation(ticket.id, me);
  const state = useConversationState(conversation);
  const now = useNow(15_000);
  const solve = useTicketAction(() => ticketsApi.update(ticket.id, { status: 'solved' }), {
    success: () => t('customerTicket.solvedToast'),
  });
  const closed = ticket.status === 'closed';

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/" size="sm">
        ← {t('customerTicket.back')}
      </Anchor>
      <StatusBanner ticket={ticket} justCreated={justCreated} />
      <TicketCsat ticket={ticket} />
      <Stack gap={6}>
        <Title order={1} fz="h2" style={{ overflowWrap: 'anywhere' }}>
          {t('ticket.numberAndSubject', { number: ticket.number, subject: ticket.subject })}
        </Title>
        <Group gap={6}>
          <StatusBadge status={ticket.status} />
          <Text size="sm" c="dimmed">
            {t('customerTicket.meta', {
              category: t(`ticket.category.${ticket.category}` as 'ticket.category.other', {
                defaultValue: ticket.category,
              }),
              when: formatRelative(ticket.createdAt, now),
            })}
          </Text>
          <Text size="sm" c="dimmed">
            ·{' '}
            {ticket.assignee
              ? t('customerTicket.handledBy', { name: ticket.assignee.name })
              : // Tickets start at L1; a higher tier means it was escalated and awaits a specialist.
                ticket.tier !== 'L1'
                ? t('customerTicket.specialistTakingOver')
                : t('customerTicket.waitingForAgent')}
          </Text>
          {ticket.customerUrgency && (
            <Text size="sm" c="dimmed" data-testid="my-urgency">
              · {t('customerTicket.urgency', { urgency: t(`urgency.${ticket.customerUrgency}`) })}
            </Text>
          )}
        </Group>
      </Stack>

      {/* Above the conversation: in the widget's small frame it is seen without scrolling. */}
      <RequestCall ticket={ticket} />
      <Paper withBorder p="sm" component="section" aria-labelledby="conversation-heading">
        <Title order={2} fz="lg" id="conversation-heading" mb="xs">
          {t('conversation.heading')}
        </Title>
        <ConversationView
          conversation={conversation}
          state={state}
          me={me}
          staffView={false}
          now={now}
          lead={<TicketLead ticket={ticket} now={now} mine />}
        />
      </Paper>
      <Composer
        conversation={conversation}
        staff={false}
        disabledReason={closed ? t('customerTicket.closedNotice') : null}
      />
      {!closed && ticket.status !== 'solved' && (
        <Group justify="space-between">
          <Text size="sm" c="dimmed">
            {t('customerTicket.solveHint')}
          </Text>
          <Button
            variant="light"
            color="teal"
            loading={solve.isPending}
            onClick={() => solve.mutate(undefined)}
          >
            {t('customerTicket.markSolved')}
          </Button>
        </Group>
      )}
      <SavedBoards ticketId={ticket.id} headingOrder={2} />
      <SnapshotDisclosure
        title={t('snapshot.whatWeSent')}
        intro={t('snapshot.whatWeSentIntro')}
        snapshot={readSnapshot(ticket.snapshot)}
        defaultOpen={justCreated}
      />
    </Stack>
  );
}
