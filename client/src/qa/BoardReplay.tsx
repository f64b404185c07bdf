import { Box, Center, Group, Loader, Paper, Text, Title } from '@mantine/core';
import { lazy, Suspense, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { boardAt } from '../../../signaling/shared/boardMerge';
import { describeError } from '../errors';
import { useRecordingBoard } from './queries';
import { usePlayerState } from './RecordingPlayer';
import type { SyncPlayer } from './SyncPlayer';

const ReplayCanvas = lazy(() => import('../board/ReplayCanvas'));

/**
 * The call's whiteboard replayed with the recording: seeking shows the board as it was at that
 * moment, playing advances it (the board log's instants, from the recording's start). Read-only.
 * Nothing is shown for a call whose board was never opened.
 */
export function BoardReplay({ recordingId, player }: { recordingId: string; player: SyncPlayer }) {
  const { t, i18n } = useTranslation();
  const board = useRecordingBoard(recordingId);
  const { position } = usePlayerState(player);
  const replay = board.data;
  // The scene changes only at an update's instant: a new array only then, so the canvas is not
  // redrawn on every tick of the clock.
  const shownUpTo = useMemo(() => {
    if (!replay) return -1;
    let count = 0;
    // A millisecond of slack: a marker seeks to atMs / 1000, which need not multiply back exactly.
    for (const u of replay.updates) if (u.atMs <= position * 1000 + 1) count++;
    return count;
  }, [replay, position]);
  const elements = useMemo(
    () =>
      replay
        ? boardAt({ initial: replay.initial, updates: replay.updates.slice(0, shownUpTo) }, Infinity)
        : [],
    [replay, shownUpTo],
  );
  const extent = useMemo(() => (replay ? boardAt(replay, Infinity) : []), [replay]);

  if (board.isError)
    return (
      <Text size="sm" c="red" role="alert">
        {t('qa.board.loadFailed', { reason: describeError(board.error, t) })}
      </Text>
    );
  if (!replay || replay.boardId === null) return null;
  return (
    <Paper withBorder p="sm" component="section" aria-labelledby="qa-board-heading">
      <Group justify="space-between" mb="xs" wrap="wrap" gap={4}>
        <Title order={2} fz="md" id="qa-board-heading">
          {t('qa.board.heading')}
        </Title>
        <Text size="xs" c="dimmed">
          {t('qa.board.hint')}
        </Text>
      </Group>
      <Box
        h={{ base: 280, sm: 400 }}
        style={{ borderRadius: 8, overflow: 'hidden', border: '1px solid var(--mantine-color-gray-3)' }}
        className="board-replay"
        data-testid="board-replay"
        data-element-ids={elements.map((e) => e.id).join(' ')}
        aria-label={t('qa.board.canvasLabel', { count: elements.length })}
        // A group, not an image: Excalidraw's canvas inside keeps focusable parts (zoom, scroll).
        role="group"
      >
        <Suspense
          fallback={
            <Center h="100%">
              <Loader size="sm" role="status" aria-label={t('qa.board.loading')} />
            </Center>
          }
        >
          <ReplayCanvas
            elements={elements}
            extent={extent}
            background={replay.background}
            language={i18n.language}
          />
        </Suspense>
      </Box>
    </Paper>
  );
}
