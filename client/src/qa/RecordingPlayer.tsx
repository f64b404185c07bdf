import {
  ActionIcon,
  Alert,
  Box,
  Center,
  Group,
  Loader,
  Paper,
  SegmentedControl,
  Slider,
  Stack,
  Text,
  Tooltip,
  UnstyledButton,
} from '@mantine/core';
import { useEffect, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { RecordingComment, RecordingTrack } from './api';
import type { Moment, MomentKind } from './moments';
import type { SyncPlayer } from './SyncPlayer';
import { formatClock } from './time';
import { hasFile, type TrackSources } from './useTrackSources';

export function usePlayerState(player: SyncPlayer) {
  return useSyncExternalStore(player.subscribe, player.getSnapshot);
}

const offsetsOf = (track: RecordingTrack) => ({
  offset: track.offsetMs / 1000,
  duration: track.durationSeconds,
});

/** One track's media element, following the player's clock once its file is here. */
function TrackMedia({
  track,
  url,
  player,
  visible,
  label,
}: {
  track: RecordingTrack;
  url: string | undefined;
  player: SyncPlayer;
  visible: boolean;
  label: string;
}) {
  const ref = useRef<HTMLVideoElement & HTMLAudioElement>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: attach once per file; offsets do not change
  useEffect(() => {
    const element = ref.current;
    if (!element || !url) return;
    return player.attach(track.id, element, offsetsOf(track));
  }, [player, url, track.id]);
  const common = {
    ref,
    src: url,
    preload: 'auto' as const,
    'data-track-id': track.id,
    'data-source': track.source,
    'data-user-id': track.userId,
    'data-offset-ms': track.offsetMs,
  };
  if (track.kind === 'audio') return <audio {...common} aria-label={label} />;
  return (
    <video
      {...common}
      muted
      playsInline
      aria-label={label}
      data-active={visible}
      style={{
        position: 'absolute',
        inset: 0,
        width: '100%',
        height: '100%',
        objectFit: 'contain',
        visibility: visible ? 'visible' : 'hidden',
      }}
    />
  );
}

interface Person {
  userId: string;
  name: string;
  cameras: RecordingTrack[];
  mics: RecordingTrack[];
}

function groupTracks(tracks: RecordingTrack[]) {
  const people = new Map<string, Person>();
  const screens: RecordingTrack[] = [];
  for (const track of tracks.filter(hasFile)) {
    if (track.source === 'screen') {
      screens.push(track);
      continue;
    }
    let person = people.get(track.userId);
    if (!person) {
      person = { userId: track.userId, name: track.userName, cameras: [], mics: [] };
      people.set(track.userId, person);
    }
    (track.kind === 'video' ? person.cameras : person.mics).push(track);
  }
  return { people: [...people.values()], screens };
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');

function Tile({
  label,
  children,
  empty,
  style,
  testId,
}: {
  label: string;
  children: React.ReactNode;
  empty: string | null;
  style?: React.CSSProperties;
  testId: string;
}) {
  return (
    <Box
      pos="relative"
      bg="dark.8"
      style={{ borderRadius: 8, overflow: 'hidden', minHeight: 0, minWidth: 0, ...style }}
      data-testid={testId}
    >
      {children}
      {empty !== null && (
        <Center pos="absolute" inset={0}>
          <Text c="gray.4" fz={28} fw={700} aria-hidden="true">
            {empty}
          </Text>
        </Center>
      )}
      <Text
        pos="absolute"
        left={8}
        bottom={6}
        size="xs"
        c="white"
        px={6}
        py={2}
        style={{ background: 'rgba(0,0,0,0.55)', borderRadius: 4 }}
      >
        {label}
      </Text>
    </Box>
  );
}

/**
 * The picture: every participant's camera side by side; while someone shares a screen, the screen
 * is large on top and the cameras a row beneath it. Every track keeps its element (and its place
 * in the clock) whether or not it is shown at the moment.
 */
export function PlayerStage({
  tracks,
  sources,
  player,
}: {
  tracks: RecordingTrack[];
  sources: TrackSources;
  player: SyncPlayer;
}) {
  const { t } = useTranslation();
  const state = usePlayerState(player);
  const { people, screens } = groupTracks(tracks);
  const active = (track: RecordingTrack) => player.isActive(offsetsOf(track), state.position);
  const screenActive = screens.some(active);
  const columns = Math.max(1, people.length);
  return (
    <Box
      h={{ base: 300, sm: 440 }}
      style={{
        display: 'grid',
        gap: 8,
        gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))`,
        gridTemplateRows: screenActive ? 'minmax(0, 3fr) minmax(0, 1fr)' : 'minmax(0, 1fr)',
      }}
      data-screen-active={screenActive}
    >
      {screens.length > 0 && (
        <Tile
          label={t('qa.player.screenOf', { name: screens.find(active)?.userName ?? screens[0]!.userName })}
          empty={null}
          style={{ gridColumn: '1 / -1', display: screenActive ? 'block' : 'none' }}
          testId="player-screen"
        >
          {screens.map((track) => (
            <TrackMedia
              key={track.id}
              track={track}
              url={sources.byId[track.id]?.url}
              player={player}
              visible={active(track)}
              label={t('qa.player.screenOf', { name: track.userName })}
            />
          ))}
        </Tile>
      )}
      {people.map((person) => {
        const showing = person.cameras.some(active);
        return (
          <Tile
            key={person.userId}
            label={person.name}
            empty={showing ? null : initials(person.name)}
            testId="player-camera"
          >
            {person.cameras.map((track) => (
              <TrackMedia
                key={track.id}
                track={track}
                url={sources.byId[track.id]?.url}
                player={player}
                visible={active(track)}
                label={t('qa.player.cameraOf', { name: person.name })}
              />
            ))}
            {person.mics.map((track) => (
              <TrackMedia
                key={track.id}
                track={track}
                url={sources.byId[track.id]?.url}
                player={player}
                visible={false}
                label={t('qa.player.micOf', { name: person.name })}
              />
            ))}
          </Tile>
        );
      })}
      {people.length === 0 && screens.length === 0 && (
        <Center bg="dark.8" style={{ borderRadius: 8 }}>
          <Text c="gray.4">{t('qa.player.noMedia')}</Text>
        </Center>
      )}
    </Box>
  );
}

const MOMENT_COLORS: Record<MomentKind | 'comment', string> = {
  message: 'var(--mantine-color-blue-6)',
  screen: 'var(--mantine-color-grape-6)',
  whiteboard: 'var(--mantine-color-teal-6)',
  ticket: 'var(--mantine-color-violet-7)',
  call: 'var(--mantine-color-gray-6)',
  comment: 'var(--mantine-color-orange-6)',
};

function PlayIcon({ playing }: { playing: boolean }) {
  return (
    <svg width={20} height={20} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      {playing ? (
        <path d="M7 5h3.5v14H7zM13.5 5H17v14h-3.5z" fill="currentColor" />
      ) : (
        <path d="M8 5.5v13l11-6.5z" fill="currentColor" />
      )}
    </svg>
  );
}

function SkipIcon({ back }: { back: boolean }) {
  return (
    <svg width={18} height={18} viewBox="0 0 24 24" aria-hidden="true" focusable="false">
      <path d={back ? 'M11 6 4 12l7 6zM20 6l-7 6 7 6z' : 'M13 6l7 6-7 6zM4 6l7 6-7 6z'} fill="currentColor" />
    </svg>
  );
}

/**
 * Play/pause, ±10 s, speed, the position, and the timeline bar: a slider to seek, with a button
 * for each moment of the call (and each comment) that jumps there.
 */
export function PlayerControls({
  player,
  moments,
  comments,
  ready,
}: {
  player: SyncPlayer;
  moments: Moment[];
  comments: RecordingComment[];
  ready: boolean;
}) {
  const { t } = useTranslation();
  const state = usePlayerState(player);
  const duration = Math.max(state.duration, 0.1);
  const pct = (ms: number) => `${Math.min(100, Math.max(0, (ms / 1000 / duration) * 100))}%`;
  const marks: Array<{ key: string; atMs: number; kind: MomentKind | 'comment'; text: string }> = [
    ...moments.map((m) => ({ key: m.key, atMs: m.atMs, kind: m.kind, text: m.text })),
    ...comments.map((c) => ({
      key: `c-${c.id}`,
      atMs: c.atMs,
      kind: 'comment' as const,
      text: t('qa.comments.markerLabel', { author: c.author, body: c.body }),
    })),
  ];
  return (
    <Stack gap={6}>
      <Box pos="relative" h={18} mx={10} role="group" aria-label={t('qa.player.markers')}>
        {marks.map((m) => (
          <Tooltip
            key={m.key}
            label={`${formatClock(m.atMs / 1000)} · ${m.text}`}
            withArrow
            multiline
            maw={320}
          >
            <UnstyledButton
              pos="absolute"
              top={2}
              left={pct(m.atMs)}
              w={14}
              h={14}
              aria-label={t('qa.player.jumpTo', { time: formatClock(m.atMs / 1000), what: m.text })}
              data-marker-kind={m.kind}
              disabled={!ready}
              onClick={() => player.seek(m.atMs / 1000)}
              style={{
                transform: 'translateX(-50%)',
                borderRadius: m.kind === 'comment' ? 2 : '50%',
                background: MOMENT_COLORS[m.kind],
                border: '2px solid white',
                boxShadow: '0 0 0 1px rgba(0,0,0,0.25)',
              }}
            />
          </Tooltip>
        ))}
      </Box>
      <Slider
        value={Math.min(state.position, duration)}
        min={0}
        max={duration}
        step={0.1}
        label={(value) => formatClock(value)}
        onChange={(value) => player.seek(value)}
        disabled={!ready}
        // The thumb is the element with role="slider", so the name goes on it (the root's
        // aria-label would name nothing a screen reader announces).
        thumbLabel={t('qa.player.position')}
        thumbProps={{ 'aria-valuetext': formatClock(state.position) }}
        mx={10}
      />
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="nowrap">
          <ActionIcon
            size={40}
            radius="xl"
            variant="filled"
            aria-label={state.playing ? t('qa.player.pause') : t('qa.player.play')}
            onClick={() => player.toggle()}
            disabled={!ready}
          >
            <PlayIcon playing={state.playing} />
          </ActionIcon>
          <ActionIcon
            size={34}
            radius="xl"
            variant="default"
            aria-label={t('qa.player.back')}
            onClick={() => player.seek(player.position - 10)}
            disabled={!ready}
          >
            <SkipIcon back />
          </ActionIcon>
          <ActionIcon
            size={34}
            radius="xl"
            variant="default"
            aria-label={t('qa.player.forward')}
            onClick={() => player.seek(player.position + 10)}
            disabled={!ready}
          >
            <SkipIcon back={false} />
          </ActionIcon>
          <Text size="sm" ff="monospace" aria-live="off" data-testid="player-time">
            <time data-position={state.position.toFixed(2)}>{formatClock(state.position)}</time>
            {' / '}
            <time>{formatClock(state.duration)}</time>
          </Text>
          {state.waiting && <Loader size="xs" aria-label={t('qa.player.buffering')} />}
        </Group>
        <SegmentedControl
          size="xs"
          aria-label={t('qa.player.speed')}
          value={String(state.rate)}
          onChange={(value) => player.setRate(Number(value))}
          data={['1', '1.5', '2'].map((r) => ({ value: r, label: `${r}×` }))}
        />
      </Group>
      {state.blocked && (
        <Alert color="yellow" variant="light" py="xs">
          {t('qa.player.blocked')}
        </Alert>
      )}
      <span hidden data-testid="player-drift" data-drift={state.maxDrift.toFixed(3)} />
    </Stack>
  );
}

/** While the tracks' links are fetched, and which tracks could not be loaded. */
export function LoadingTracks({ sources, tracks }: { sources: TrackSources; tracks: RecordingTrack[] }) {
  const { t } = useTranslation();
  const failed = tracks.filter(hasFile).filter((tr) => sources.byId[tr.id]?.error !== undefined);
  const missing = tracks.filter((tr) => tr.status === 'failed');
  const empty = tracks.filter((tr) => tr.status === 'empty');
  return (
    <>
      {!sources.settled && (
        <Paper withBorder p="sm" role="status">
          <Group gap="xs">
            <Loader size="xs" aria-hidden="true" />
            <Text size="sm">{t('qa.player.loading')}</Text>
          </Group>
        </Paper>
      )}
      {failed.length > 0 && (
        <Alert color="red" variant="light" title={t('qa.player.trackLoadFailed')}>
          {failed.map((tr) => t(`qa.sources.${tr.source}`, { name: tr.userName })).join(', ')}
        </Alert>
      )}
      {missing.length > 0 && (
        <Alert color="orange" variant="light" title={t('qa.player.tracksMissing')}>
          {missing.map((tr) => t(`qa.sources.${tr.source}`, { name: tr.userName })).join(', ')}
        </Alert>
      )}
      {empty.length > 0 && (
        <Alert color="gray" variant="light" title={t('qa.player.tracksEmpty')} data-testid="tracks-empty">
          {empty.map((tr) => t(`qa.sources.${tr.source}`, { name: tr.userName })).join(', ')}
        </Alert>
      )}
    </>
  );
}
