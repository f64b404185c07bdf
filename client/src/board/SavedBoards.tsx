import {
  Alert,
  Button,
  Card,
  Center,
  Group,
  Image,
  Loader,
  Modal,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  fetchBoardImage,
  reopenBoardInCall,
  type SavedBoard,
  savedBoardsApi,
} from '../lib/board/savedBoards';
import { formatDateTime } from '../lib/format';
import { realtime } from '../lib/socket';
import { toasts } from '../lib/toasts';

const BoardViewer = lazy(() => import('./BoardViewer'));

export const savedBoardsKey = (ticketId: string) => ['tickets', 'boards', ticketId] as const;
/** The page anchor of a saved board's card, which the timeline's "See the whiteboard" links to. */
export const boardAnchor = (boardId: string) => `board-${boardId}`;

/** The saved boards of a ticket; refreshed when a call on it ends (that is when a board is saved). */
export function useSavedBoards(ticketId: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    const refresh = () => void queryClient.invalidateQueries({ queryKey: savedBoardsKey(ticketId) });
    const timers: Array<ReturnType<typeof setTimeout>> = [];
    const stopCall = realtime.on('call:updated', (call) => {
      // The board is written just after the call ends; look again a moment later too.
      if (call.ticketId !== ticketId || call.status !== 'ended') return;
      refresh();
      timers.push(setTimeout(refresh, 1_500), setTimeout(refresh, 4_000));
    });
    const stopTimeline = realtime.on('timeline:appended', (entry) => {
      if (entry.ticketId === ticketId && entry.type === 'board.saved') refresh();
    });
    return () => {
      stopCall();
      stopTimeline();
      for (const timer of timers) clearTimeout(timer);
    };
  }, [queryClient, ticketId]);
  return useQuery({
    queryKey: savedBoardsKey(ticketId),
    queryFn: ({ signal }) => savedBoardsApi.list(ticketId, signal).then((r) => r.items),
  });
}

/** A board's SVG picture, fetched with the bearer token. */
export function BoardImage({ url, alt }: { url: string; alt: string }) {
  const { t } = useTranslation();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const controller = new AbortController();
    let objectUrl: string | null = null;
    setFailed(false);
    fetchBoardImage(url, controller.signal).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob);
        setSrc(objectUrl);
      },
      () => {
        if (!controller.signal.aborted) setFailed(true);
      },
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
      setSrc(null);
    };
  }, [url]);
  if (failed)
    return (
      <Center h={160}>
        <Text size="sm" c="dimmed">
          {t('board.saved.imageFailed')}
        </Text>
      </Center>
    );
  if (!src)
    return (
      <Center h={160}>
        <Loader size="sm" />
      </Center>
    );
  return <Image src={src} alt={alt} h={160} fit="contain" bg="white" data-testid="saved-board-image" />;
}

export interface SavedBoardsProps {
  ticketId: string;
  /** The call running on this ticket now, if any: staff can continue a saved board in it. */
  activeCallId?: string | null;
  /** After a board was brought into the running call (e.g. to go to the call). */
  onReopened?: (callId: string) => void;
  /** One column (a side panel) instead of two. */
  compact?: boolean;
  /** The section heading's level (2 on the customer page, 3 in the staff side column). */
  headingOrder?: 2 | 3;
}

/** Whiteboards saved on the ticket: picture, "Open" (read-only) and, for staff in a call, "Reopen". */
export function SavedBoards({
  ticketId,
  activeCallId,
  onReopened,
  compact = false,
  headingOrder = 3,
}: SavedBoardsProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const boards = useSavedBoards(ticketId);
  const [viewing, setViewing] = useState<SavedBoard | null>(null);
  const [reopening, setReopening] = useState<string | null>(null);

  if (boards.isPending) return null;
  if (boards.isError)
    return (
      <Alert color="red" variant="light">
        {t('board.saved.loadFailed')}
      </Alert>
    );
  if (boards.data.length === 0) return null;

  const reopen = async (board: SavedBoard) => {
    if (!activeCallId) return;
    setReopening(board.id);
    try {
      await reopenBoardInCall(realtime, activeCallId, board);
      toasts.show({ title: t('board.saved.reopened'), color: 'teal' });
      onReopened?.(activeCallId);
    } catch (err) {
      toasts.show({
        title: t('board.saved.reopenFailed'),
        message: err instanceof Error ? err.message : String(err),
        color: 'red',
      });
    } finally {
      setReopening(null);
    }
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="boards-heading" data-testid="saved-boards">
      <Title order={headingOrder} fz={headingOrder === 2 ? 'lg' : 'md'} id="boards-heading" mb="xs">
        {t('board.saved.title')}
      </Title>
      <SimpleGrid cols={compact ? 1 : { base: 1, sm: 2 }} spacing="sm">
        {boards.data.map((board) => {
          const when = formatDateTime(board.finalizedAt);
          return (
            <Card key={board.id} id={boardAnchor(board.id)} withBorder padding="xs" data-testid="saved-board">
              <Card.Section>
                {board.imageUrl ? (
                  <BoardImage url={board.imageUrl} alt={t('board.saved.imageAlt', { when })} />
                ) : null}
              </Card.Section>
              <Group justify="space-between" mt="xs" gap="xs">
                <Stack gap={0}>
                  <Text size="sm">{t('board.saved.savedAt', { when })}</Text>
                  <Text size="xs" c="dimmed">
                    {t('board.saved.elements', { count: board.elements.length })}
                  </Text>
                </Stack>
                <Group gap="xs" wrap="nowrap">
                  <Button size="compact-sm" variant="default" onClick={() => setViewing(board)}>
                    {t('board.saved.open')}
                  </Button>
                  {board.editable && activeCallId ? (
                    <Button
                      size="compact-sm"
                      variant="light"
                      title={t('board.saved.reopenHint')}
                      loading={reopening === board.id}
                      onClick={() => void reopen(board)}
                    >
                      {t('board.saved.reopen')}
                    </Button>
                  ) : null}
                </Group>
              </Group>
            </Card>
          );
        })}
      </SimpleGrid>
      <Modal
        opened={viewing !== null}
        onClose={() => setViewing(null)}
        title={t('board.saved.viewerTitle')}
        size="90%"
        centered
      >
        {viewing ? (
          <div style={{ height: '70vh' }} data-testid="board-viewer">
            <Suspense
              fallback={
                <Center h="100%">
                  <Loader size="sm" aria-label={t('board.loading')} />
                </Center>
              }
            >
              <BoardViewer elements={viewing.elements} background={viewing.background} language={language} />
            </Suspense>
          </div>
        ) : null}
      </Modal>
    </Paper>
  );
}
