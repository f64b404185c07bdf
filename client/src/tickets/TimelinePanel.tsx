import { Anchor, Blockquote, Paper, Text, Timeline, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { PublicUser, TimelineEntry } from '../../../signaling/shared/protocol';
import { boardAnchor } from '../board/SavedBoards';
import { QueryState } from '../components/QueryState';
import { formatDateTime, formatRelative } from '../lib/format';
import { canWatchRecording } from '../qa/access';
import { useTicketCalls } from './queries';
import { describeTimelineEntry, type TimelineLink } from './timelineWording';

const BULLET_COLORS: Record<string, string> = {
  'call.started': 'blue',
  'call.connected': 'blue',
  'call.ended': 'blue',
  'recording.failed': 'red',
  'ticket.escalated': 'violet',
  'sla.warning': 'orange',
  'sla.breached': 'red',
  'ticket.first_response': 'teal',
};

function EntryLink({ link }: { link: TimelineLink }) {
  const { t } = useTranslation();
  return link.kind === 'recording' ? (
    <Anchor component={Link} to={`/qa/recordings/${link.recordingId}`} size="xs">
      {t('timeline.openRecording')}
    </Anchor>
  ) : (
    // The saved boards are on this page (SavedBoards), each card with its id as the anchor.
    <Anchor href={`#${boardAnchor(link.boardId)}`} size="xs">
      {t('timeline.openBoard')}
    </Anchor>
  );
}

export function TimelinePanel({
  query,
  now,
  me,
  ticketId,
}: {
  query: UseQueryResult<TimelineEntry[]>;
  now: number;
  me: PublicUser;
  ticketId: string;
}) {
  const { t } = useTranslation();
  const calls = useTicketCalls(ticketId);
  const canWatch = (callId: string | undefined) =>
    canWatchRecording(
      me,
      calls.data?.find((c) => c.id === callId),
    );
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="timeline-heading">
      <Title order={3} fz="md" id="timeline-heading" mb="sm">
        {t('timeline.heading')}
      </Title>
      <QueryState query={query} loadingLabel={t('timeline.loading')} loading="spinner">
        {(data) =>
          data.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('timeline.empty')}
            </Text>
          ) : (
            <Timeline bulletSize={12} lineWidth={2} active={data.length} aria-label={t('timeline.heading')}>
              {data.map((entry) => {
                const { text, note, link } = describeTimelineEntry(entry, t, canWatch);
                return (
                  <Timeline.Item
                    key={entry.id}
                    color={BULLET_COLORS[entry.type] ?? 'indigo'}
                    data-type={entry.type}
                  >
                    <Text size="sm">{text}</Text>
                    {link && <EntryLink link={link} />}
                    {note && (
                      <Blockquote p="xs" mt={4} color="violet" fz="sm" style={{ whiteSpace: 'pre-wrap' }}>
                        {note}
                      </Blockquote>
                    )}
                    <Text size="xs" c="dimmed" mt={2}>
                      <time dateTime={entry.createdAt} title={formatDateTime(entry.createdAt)}>
                        {formatRelative(entry.createdAt, now)}
                      </time>
                    </Text>
                  </Timeline.Item>
                );
              })}
            </Timeline>
          )
        }
      </QueryState>
    </Paper>
  );
}
