import { Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { CallView, PublicUser } from '../../../signaling/shared/protocol';
import { CallRating } from '../feedback/CallRating';
import { formatDuration } from '../lib/format';
import { describeEnd } from './messages';

/** The end of a call: why it ended (from this user's side) and how long it was connected. */
export function EndedView({
  call,
  me,
  endedByMe,
  ticketId,
  onCallAgain,
}: {
  call: CallView;
  me: PublicUser;
  endedByMe: boolean;
  ticketId: string;
  onCallAgain?: (() => void) | undefined;
}) {
  const { t } = useTranslation();
  const connected = call.connectedAt !== null;
  return (
    <Paper maw={560} mx="auto" my="xl" p="xl" radius="md" withBorder component="section">
      <Stack gap="md" align="flex-start">
        <Title order={1} size="h2">
          {t('call.ended.title')}
        </Title>
        <Text role="status" data-end-reason={call.endReason ?? ''}>
          {describeEnd(call, me, endedByMe, t)}
        </Text>
        <Text size="sm" c="dimmed" data-connected-seconds={call.connectedSeconds}>
          {connected
            ? t('call.ended.duration', {
                duration: formatDuration(call.connectedSeconds, { style: 'long', maxUnits: 3 }),
              })
            : t('call.ended.notConnected')}
        </Text>
        {/* The customer's short rating of a call that connected; skippable. */}
        {connected && me.role === 'customer' && <CallRating callId={call.id} />}
        <Group>
          <Button component={Link} to={`/tickets/${ticketId}`}>
            {t('call.backToTicket')}
          </Button>
          {onCallAgain && (
            <Button variant="default" onClick={onCallAgain}>
              {t('call.ended.callAgain')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}
