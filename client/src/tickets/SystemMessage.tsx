import { Anchor, Box, Center, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { MessageView, SystemEvent } from '../../../signaling/shared/protocol';
import { callLinkState } from '../call/callState';
import { callPath } from '../call/paths';
import { formatDateTime, formatRelative } from '../lib/format';
import { AttachmentList } from './attachments';
import { useTicketCalls } from './queries';
import { describeCallState, describeSystemEvent } from './systemMessages';

type CallStarted = Extract<SystemEvent, { type: 'call.started' }>;

/**
 * A call in the conversation: who started it and its live state. Only a live call links to the
 * call page; an ended one says how it ended and leads nowhere, so it never opens a camera.
 */
function CallEntry({ ticketId, event, now }: { ticketId: string; event: CallStarted; now: number }) {
  const { t } = useTranslation();
  const calls = useTicketCalls(ticketId);
  const call = calls.data?.find((c) => c.id === event.callId);
  const state = callLinkState(call, now);
  return (
    <>
      {describeSystemEvent(event, t)} ·{' '}
      <Text span size="xs" fs="normal" fw={500} data-call-state={state.kind}>
        {describeCallState(state, t)}
      </Text>
      {state.joinable && (
        <>
          {' · '}
          <Anchor
            component={Link}
            to={callPath(ticketId, event.callId)}
            size="xs"
            fs="normal"
            fw={600}
            data-call-link="true"
          >
            {t('conversation.callState.join')}
          </Anchor>
        </>
      )}
    </>
  );
}

/** A line written by Livedesk itself, worded in the reader's language from its stored event. */
export function SystemMessage({
  message,
  now,
  staffView,
}: {
  message: MessageView;
  now: number;
  staffView: boolean;
}) {
  const { t } = useTranslation();
  const event = message.system;
  return (
    <Center>
      <Stack gap={4} align="center" maw="100%">
        <Text size="xs" c="dimmed" fs="italic" ta="center" data-kind="system" data-event={event?.type}>
          {event?.type === 'call.started' ? (
            <CallEntry ticketId={message.ticketId} event={event} now={now} />
          ) : event ? (
            describeSystemEvent(event, t, staffView)
          ) : (
            // A row from before system events that the migration could not read: its own text.
            message.body
          )}{' '}
          ·{' '}
          <time dateTime={message.createdAt} title={formatDateTime(message.createdAt)}>
            {formatRelative(message.createdAt, now)}
          </time>
        </Text>
        {message.attachments.length > 0 && (
          // A saved board's file names are long: on a phone they scroll rather than being cut off.
          <Box maw="100%" style={{ overflowX: 'auto' }}>
            <AttachmentList attachments={message.attachments} />
          </Box>
        )}
      </Stack>
    </Center>
  );
}
