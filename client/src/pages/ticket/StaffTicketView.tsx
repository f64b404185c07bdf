import { Alert, Anchor, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PublicUser, TicketView } from '../../../../signaling/shared/protocol';
import { SavedBoards } from '../../board/SavedBoards';
import { BotBanner } from '../../bot/BotBanner';
import { runningCallFrom, TicketCallButton } from '../../call/TicketCallButton';
import { TicketArticles } from '../../help/TicketArticles';
import { formatDuration, formatNumber, formatRelative } from '../../lib/format';
import { readSnapshot } from '../../lib/snapshot';
import { useMarkRead } from '../../notifications/queries';
import { PlaybookChecklist } from '../../playbooks/PlaybookChecklist';
import { CustomerContextPanel } from '../../queues/CustomerContextPanel';
import { PriorityBadge, SlaBadge, StatusBadge, TierBadge } from '../../tickets/badges';
import { Composer, type ComposerHandle } from '../../tickets/Composer';
import { ConversationView } from '../../tickets/ConversationView';
import { AssignDialog, EscalateDialog, ShortcutsHelp, TicketRefDialog } from '../../tickets/dialogs';
import { PropertiesPanel } from '../../tickets/PropertiesPanel';
import {
  canWorkTicket,
  useConversation,
  useConversationState,
  useTicket,
  useTimeline,
} from '../../tickets/queries';
import { SnapshotCard } from '../../tickets/SnapshotDetails';
import { TimelinePanel } from '../../tickets/TimelinePanel';
import { useNow } from '../../tickets/useNow';
import { useShortcuts } from '../../tickets/useShortcuts';
import { TicketLead } from './TicketLead';

type DialogName = 'escalate' | 'assign' | 'merge' | 'link' | 'help';

function LinkedTicket({ id }: { id: string }) {
  const { t } = useTranslation();
  const ticket = useTicket(id);
  return (
    <Anchor component={Link} to={`/tickets/${id}`} size="sm">
      {ticket.data
        ? t('ticket.numberAndSubject', { number: ticket.data.number, subject: ticket.data.subject })
        : id}
    </Anchor>
  );
}

function ServiceLevels({ ticket, now }: { ticket: TicketView; now: number }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="sla-heading">
      <Title order={3} fz="md" id="sla-heading" mb="sm">
        {t('sla.heading')}
      </Title>
      <Stack gap={6}>
        {ticket.sla.clocks.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('sla.none')}
          </Text>
        )}
        {ticket.sla.clocks.map((clock) => (
          <Group key={clock.clock} justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm">{t(`sla.clock.${clock.clock}`)}</Text>
            {clock.status === 'running' || clock.status === 'paused' || clock.status === 'breached' ? (
              <SlaBadge clock={clock} now={now} />
            ) : (
              <Text size="xs" c="dimmed">
                {t(`sla.status.${clock.status}`)}
              </Text>
            )}
          </Group>
        ))}
      </Stack>
    </Paper>
  );
}

/** The agent's ticket view: conversation and composer on the left, everything else on the right. */
export function StaffTicketView({ ticket, me }: { ticket: TicketView; me: PublicUser }) {
  const { t } = useTranslation();
  const conversation = useConversation(ticket.id, me);
  const state = useConversationState(conversation);
  // Read as I look at it: on opening, and at each new message while the tab is visible.
  useMarkRead(me, ticket.id, state.items.at(-1)?.message.seq ?? 0);
  const timeline = useTimeline(ticket.id, true);
  const now = useNow(1_000);
  const composer = useRef<ComposerHandle>(null);
  const [dialog, setDialog] = useState<DialogName | null>(null);
  const canWork = canWorkTicket(me, ticket);
  const closed = ticket.status === 'closed';
  const editable = canWork && !closed;
  // The agent who escalated the ticket follows it: notes only (server/tickets/access.ts, canNote).
  const notesOnly = !canWork && !closed && me.role === 'agent' && ticket.followerIds.includes(me.id);
  const canEscalate = editable && ticket.tier !== 'L3' && ticket.status !== 'solved';
  // A saved whiteboard can be continued in the running call by the people in it.
  const runningCall = runningCallFrom(timeline.data);
  const boardCallId =
    runningCall && (me.role === 'supervisor' || me.role === 'admin' || runningCall.startedById === me.id)
      ? runningCall.id
      : null;

  useShortcuts(
    {
      r: () => editable && composer.current?.focus('public'),
      n: () => (editable || notesOnly) && composer.current?.focus('internal'),
      e: () => canEscalate && setDialog('escalate'),
      '?': () => setDialog('help'),
    },
    dialog === null,
  );

  const close = () => setDialog(null);
  const disabledReason = closed
    ? t('composer.closed')
    : !canWork && !notesOnly
      ? me.role === 'qa'
        ? t('composer.readOnlyQa')
        : t('composer.outsideTier', { tier: ticket.tier })
      : null;

  return (
    <Stack gap="md">
      <Anchor component={Link} to="/" size="sm">
        ← {t('ticket.backToQueues')}
      </Anchor>
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={6} style={{ flex: 1, minWidth: 0 }}>
          <Title order={1} fz="h2" style={{ overflowWrap: 'anywhere' }}>
            {t('ticket.numberAndSubject', { number: ticket.number, subject: ticket.subject })}
          </Title>
          <Group gap={6}>
            <StatusBadge status={ticket.status} />
            <PriorityBadge priority={ticket.priority} />
            <TierBadge tier={ticket.tier} />
            <Text size="sm" c="dimmed">
              {t('ticket.requestedBy', {
                name: ticket.requester.name,
                when: formatRelative(ticket.createdAt, now),
              })}
            </Text>
          </Group>
          <Text size="sm" fw={500} data-testid="first-response">
            {ticket.firstResponseSeconds !== null
              ? t('ticket.firstResponse', {
                  duration: formatDuration(ticket.firstResponseSeconds, { maxUnits: 3 }),
                })
              : t('ticket.awaitingFirstResponse')}
          </Text>
          {ticket.callCount > 0 && (
            <Text size="sm" c="dimmed" data-testid="call-time" data-call-seconds={ticket.callSeconds}>
              {t('ticket.callTime', {
                count: ticket.callCount,
                duration: formatDuration(ticket.callSeconds, { maxUnits: 3 }),
              })}
              {ticket.callShareOfResolution !== null &&
                ` · ${t('ticket.callShare', {
                  percent: formatNumber(ticket.callShareOfResolution, {
                    style: 'percent',
                    maximumFractionDigits: 1,
                  }),
                })}`}
            </Text>
          )}
        </Stack>
        <Group gap="xs">
          <TicketCallButton ticket={ticket} me={me} timeline={timeline} canWork={canWork} />
          {canEscalate && (
            <Button
              variant="light"
              color="violet"
              onClick={() => setDialog('escalate')}
              aria-keyshortcuts="e"
            >
              {t('escalate.open')}
            </Button>
          )}
          {editable && (
            <>
              <Button variant="default" onClick={() => setDialog('merge')}>
                {t('merge.open')}
              </Button>
              <Button variant="default" onClick={() => setDialog('link')}>
                {t('link.open')}
              </Button>
            </>
          )}
          <Button variant="subtle" onClick={() => setDialog('help')} aria-keyshortcuts="?">
            {t('shortcuts.open')}
          </Button>
        </Group>
      </Group>

      {ticket.mergedIntoId && (
        <Alert color="gray" variant="light">
          {t('ticket.mergedInto')} <LinkedTicket id={ticket.mergedIntoId} />
        </Alert>
      )}

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7, lg: 8 }}>
          <Stack gap="sm">
            <Paper withBorder p="sm" component="section" aria-labelledby="conversation-heading">
              <Title order={2} fz="lg" id="conversation-heading" mb="xs">
                {t('conversation.heading')}
              </Title>
              <BotBanner ticketId={ticket.id} canWork={canWork} messageCount={state.items.length} />
              <ConversationView
                conversation={conversation}
                state={state}
                me={me}
                staffView
                now={now}
                lead={<TicketLead ticket={ticket} now={now} mine={false} />}
              />
            </Paper>
            <Composer
              ref={composer}
              conversation={conversation}
              staff
              ticketId={ticket.id}
              disabledReason={disabledReason}
              notesOnlyReason={notesOnly ? t('composer.followingNotesOnly', { tier: ticket.tier }) : null}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5, lg: 4 }}>
          <Stack gap="sm">
            <PropertiesPanel
              ticket={ticket}
              me={me}
              canWork={canWork}
              onAssign={() => setDialog('assign')}
              onEscalate={() => setDialog('escalate')}
            />
            <PlaybookChecklist ticket={ticket} canWork={editable} />
            <ServiceLevels ticket={ticket} now={now} />
            <CustomerContextPanel ticketId={ticket.id} now={now} />
            <SnapshotCard snapshot={readSnapshot(ticket.snapshot)} />
            {ticket.linkedTicketIds.length > 0 && (
              <Paper withBorder p="md" component="section" aria-labelledby="links-heading">
                <Title order={3} fz="md" id="links-heading" mb="xs">
                  {t('link.heading')}
                </Title>
                <Stack gap={4}>
                  {ticket.linkedTicketIds.map((id) => (
                    <LinkedTicket key={id} id={id} />
                  ))}
                </Stack>
              </Paper>
            )}
            <TicketArticles ticket={ticket} me={me} />
            <SavedBoards ticketId={ticket.id} activeCallId={boardCallId} compact />
            <TimelinePanel query={timeline} now={now} me={me} ticketId={ticket.id} />
          </Stack>
        </Grid.Col>
      </Grid>

      <EscalateDialog ticket={ticket} opened={dialog === 'escalate'} onClose={close} />
      <AssignDialog ticket={ticket} me={me} opened={dialog === 'assign'} onClose={close} />
      <TicketRefDialog ticket={ticket} kind="merge" opened={dialog === 'merge'} onClose={close} />
      <TicketRefDialog ticket={ticket} kind="link" opened={dialog === 'link'} onClose={close} />
      <ShortcutsHelp opened={dialog === 'help'} onClose={close} />
    </Stack>
  );
}
