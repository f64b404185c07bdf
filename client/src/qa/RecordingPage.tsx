import { Alert, Anchor, Button, Grid, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { PageLoading } from '../components/QueryState';
import { describeError } from '../errors';
import { isApiError } from '../lib/api';
import { formatDateTime, formatDuration } from '../lib/format';
import { useSession } from '../lib/session';
import { RecordingStatusBadge } from '../recording/RecordingStatusBadge';
import { PriorityBadge, TierBadge } from '../tickets/badges';
import { useTicket, useTimeline } from '../tickets/queries';
import { canReview } from './access';
import type { RecordingDetail } from './api';
import { BoardReplay } from './BoardReplay';
import { buildMoments } from './moments';
import { useRecording } from './queries';
import { LoadingTracks, PlayerControls, PlayerStage, usePlayerState } from './RecordingPlayer';
import { CallMomentsPanel, CommentsPanel, ScoreForm, ScoresSummary } from './ReviewPanels';
import { SyncPlayer } from './SyncPlayer';
import { recordingSize } from './size';
import { useTrackSources } from './useTrackSources';

/** The length of the whole recording: the longest track end, the recorded span, the last marker. */
function totalSeconds(detail: RecordingDetail): number {
  const spans = detail.tracks.map((tr) => tr.offsetMs / 1000 + (tr.durationSeconds ?? 0));
  const span =
    detail.endedAt !== null ? (Date.parse(detail.endedAt) - Date.parse(detail.startedAt)) / 1000 : 0;
  return Math.max(0.1, span, detail.durationSeconds ?? 0, ...spans);
}

function useSyncPlayer(detail: RecordingDetail): SyncPlayer {
  const duration = totalSeconds(detail);
  const [player] = useState(() => new SyncPlayer(duration));
  useEffect(() => player.setDuration(duration), [player, duration]);
  useEffect(() => () => player.destroy(), [player]);
  return player;
}

function Header({ detail }: { detail: RecordingDetail }) {
  const { t } = useTranslation();
  const ticket = useTicket(detail.ticketId);
  const people = [...new Set(detail.tracks.map((tr) => tr.userName).filter(Boolean))];
  return (
    <Stack gap={6}>
      <Anchor component={Link} to="/qa" size="sm">
        {t('qa.backToList')}
      </Anchor>
      <Group justify="space-between" align="flex-start" wrap="wrap">
        <Stack gap={2}>
          <Title order={1} fz={{ base: 22, sm: 28 }}>
            {ticket.data
              ? t('qa.player.title', { number: ticket.data.number, subject: ticket.data.subject })
              : t('qa.player.titleLoading')}
          </Title>
          <Text size="sm" c="dimmed">
            {[
              formatDateTime(detail.startedAt),
              detail.durationSeconds !== null
                ? formatDuration(detail.durationSeconds, { maxUnits: 2 })
                : null,
              recordingSize(detail, t),
              people.join(t('qa.player.peopleSeparator')),
              t(`qa.trigger.${detail.trigger}`),
            ]
              .filter(Boolean)
              .join(' · ')}
          </Text>
        </Stack>
        <Group gap="xs">
          {ticket.data && <TierBadge tier={ticket.data.tier} />}
          {ticket.data && <PriorityBadge priority={ticket.data.priority} />}
          <RecordingStatusBadge status={detail.status} />
          <Button component={Link} to={`/tickets/${detail.ticketId}`} variant="default" size="xs">
            {t('qa.openTicket')}
          </Button>
        </Group>
      </Group>
      {detail.error && (
        <Alert
          color={detail.status === 'failed' ? 'red' : 'orange'}
          variant="light"
          title={t(`qa.problem.${detail.status === 'failed' ? 'failed' : 'partial'}`)}
        >
          {detail.error}
        </Alert>
      )}
      {(detail.status === 'recording' || detail.status === 'processing') && (
        <Alert color="gray" variant="light">
          {t('qa.player.notFinished')}
        </Alert>
      )}
    </Stack>
  );
}

function Review({ detail, me }: { detail: RecordingDetail; me: PublicUser }) {
  const { t } = useTranslation();
  const player = useSyncPlayer(detail);
  const state = usePlayerState(player);
  const sources = useTrackSources(detail.id, detail.tracks);
  const timeline = useTimeline(detail.ticketId, true);
  const moments = useMemo(() => buildMoments(detail, timeline.data, t), [detail, timeline.data, t]);
  const ready = sources.settled;
  const reviewer = canReview(me);

  return (
    <Grid gap="lg">
      <Grid.Col span={{ base: 12, lg: 8 }}>
        <Stack gap="md">
          <Paper withBorder p="sm" component="section" aria-label={t('qa.player.label')}>
            <Stack gap="sm">
              <PlayerStage tracks={detail.tracks} sources={sources} player={player} />
              <LoadingTracks sources={sources} tracks={detail.tracks} />
              <PlayerControls player={player} moments={moments} comments={detail.comments} ready={ready} />
            </Stack>
          </Paper>
          <BoardReplay recordingId={detail.id} player={player} />
          <CommentsPanel detail={detail} player={player} position={state.position} editable={reviewer} />
        </Stack>
      </Grid.Col>
      <Grid.Col span={{ base: 12, lg: 4 }}>
        <Stack gap="md">
          {reviewer ? <ScoreForm detail={detail} me={me} /> : <ScoresSummary detail={detail} />}
          <CallMomentsPanel moments={moments} player={player} loading={timeline.isPending} />
        </Stack>
      </Grid.Col>
    </Grid>
  );
}

/** `/qa/recordings/:id`: the recorded call played in sync, its moments, scoring and comments. */
export function RecordingPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const { session } = useSession();
  const recording = useRecording(id);
  useDocumentTitle(`${t('qa.player.pageTitle')} · Livedesk`);
  if (!session) return null;

  if (recording.isPending) return <PageLoading label={t('qa.player.loadingDetail')} />;
  if (recording.isError) {
    const code = isApiError(recording.error) ? recording.error.code : 'internal';
    const gone = code === 'not_found' || code === 'forbidden' || code === 'bad_request';
    return (
      <Stack maw={560} mx="auto" py="xl">
        <Alert
          color={gone ? 'gray' : 'red'}
          title={gone ? t('qa.player.notFoundTitle') : t('qa.player.loadFailed')}
        >
          {gone ? t('qa.player.notFoundBody') : describeError(recording.error, t)}
        </Alert>
        <Group>
          <Button component={Link} to="/qa" variant="default">
            {t('qa.backToList')}
          </Button>
          {!gone && <Button onClick={() => void recording.refetch()}>{t('qa.retry')}</Button>}
        </Group>
      </Stack>
    );
  }
  return (
    <Stack gap="lg">
      <Header detail={recording.data} />
      <Review key={recording.data.id} detail={recording.data} me={session.user} />
    </Stack>
  );
}
