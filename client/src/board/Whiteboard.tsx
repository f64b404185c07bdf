import {
  Alert,
  Badge,
  Box,
  Button,
  Center,
  CloseButton,
  Group,
  Loader,
  Stack,
  Text,
  Tooltip,
} from '@mantine/core';
import { lazy, type ReactNode, Suspense, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { BoardProblem, BoardSnapshot, BoardStatus, BoardSync } from '../lib/board/BoardSync';
import { captureFrame, FrameCaptureError } from '../lib/board/background';
import type { BoardEditorHandle } from './ExcalidrawBoard';

// Excalidraw (and its CSS) load the first time a board is shown, not with the app.
const ExcalidrawBoard = lazy(() => import('./ExcalidrawBoard'));

export interface WhiteboardProps {
  /** The call's board (see `useBoardSync`), kept open by the caller for the whole call. */
  sync: BoardSync | null;
  snapshot: BoardSnapshot;
  /**
   * The shared screen while someone shares one (this user's own or the other side's): a `<video>`
   * showing it or its track. Enables "Annotate the screen".
   */
  screen?: HTMLVideoElement | MediaStreamTrack | null;
  onClose?: () => void;
  /** More buttons for the toolbar (e.g. staff: reopen a saved board). */
  actions?: ReactNode;
  /** Height of the drawing area (CSS); omitted, the board fills its container's height. */
  height?: number | string;
}

const STATUS_COLOR: Record<BoardStatus, string> = {
  opening: 'gray',
  open: 'green',
  reconnecting: 'yellow',
  closed: 'gray',
  failed: 'red',
};

type LocalProblem = { reason: 'no_frame' | 'frame_too_large'; at: number };

/**
 * The call's shared whiteboard: Excalidraw's own tools (freehand, shapes, arrows, text, eraser,
 * colours, undo/redo, pan/zoom), live on both sides, with "Annotate the screen" to draw over a
 * frozen frame of the shared screen.
 */
export function Whiteboard({ sync, snapshot, screen, onClose, actions, height }: WhiteboardProps) {
  const { t, i18n } = useTranslation();
  const language = i18n.resolvedLanguage ?? 'en';
  const [editor, setEditor] = useState<BoardEditorHandle | null>(null);
  const [freezing, setFreezing] = useState(false);
  const [localProblem, setLocalProblem] = useState<LocalProblem | null>(null);
  const onReady = useCallback((handle: BoardEditorHandle | null) => setEditor(handle), []);

  const canDraw = snapshot.status === 'open' || snapshot.status === 'reconnecting';
  const screenLive =
    !!screen && (screen instanceof HTMLVideoElement ? !!screen.srcObject : screen.readyState === 'live');

  const annotate = async () => {
    if (!sync || !editor || !screen) return;
    setFreezing(true);
    setLocalProblem(null);
    try {
      const frame = await captureFrame(screen);
      // The picture first: once the server has it, the element that shows it can go out.
      if (await sync.setBackground(frame.dataUrl)) editor.placeBackground(frame);
    } catch (err) {
      const reason =
        err instanceof FrameCaptureError && err.reason === 'too_large' ? 'frame_too_large' : 'no_frame';
      setLocalProblem({ reason, at: Date.now() });
    } finally {
      setFreezing(false);
    }
  };

  const removeBackground = async () => {
    if (!sync || !editor) return;
    editor.removeBackground();
    await sync.setBackground(null);
  };

  const problem: BoardProblem | LocalProblem | null =
    localProblem && (!snapshot.problem || localProblem.at >= snapshot.problem.at)
      ? localProblem
      : snapshot.problem;

  return (
    <Stack
      gap="xs"
      p="xs"
      h={height === undefined ? '100%' : undefined}
      data-testid="whiteboard"
      data-status={snapshot.status}
    >
      {/* Wraps on a phone rather than squeezing the status badge to an empty dot. */}
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Group gap="xs" wrap="nowrap">
          <Text fw={600}>{t('board.title')}</Text>
          <Badge color={STATUS_COLOR[snapshot.status]} variant="light" data-testid="whiteboard-status">
            {t(`board.status.${snapshot.status}`)}
          </Badge>
          {snapshot.unsent > 0 && snapshot.status === 'open' && (
            <Text size="xs" c="dimmed">
              {t('board.unsent', { count: snapshot.unsent })}
            </Text>
          )}
        </Group>
        <Group gap="xs" wrap="nowrap" ml="auto">
          {actions}
          {snapshot.background ? (
            <Button
              size="compact-sm"
              variant="default"
              disabled={!canDraw || !editor}
              onClick={removeBackground}
            >
              {t('board.clearBackground')}
            </Button>
          ) : null}
          <Tooltip label={screenLive ? t('board.annotateHint') : t('board.annotateNeedsScreen')} withArrow>
            <Button
              size="compact-sm"
              variant="light"
              loading={freezing}
              disabled={!screenLive || !canDraw || !editor}
              onClick={annotate}
              data-testid="whiteboard-annotate"
            >
              {t('board.annotate')}
            </Button>
          </Tooltip>
          {onClose && <CloseButton aria-label={t('board.close')} onClick={onClose} />}
        </Group>
      </Group>

      {problem && (
        <Alert
          color={problem.reason === 'network' || problem.reason === 'rate_limited' ? 'yellow' : 'red'}
          title={t('board.problem.title')}
          withCloseButton
          closeButtonLabel={t('board.close')}
          onClose={() => {
            setLocalProblem(null);
            sync?.dismissProblem();
          }}
          role="alert"
          data-testid="whiteboard-problem"
        >
          <Group justify="space-between" wrap="nowrap">
            <Text size="sm">
              {t(`board.problem.${problem.reason}`, {
                detail: 'detail' in problem ? (problem.detail ?? '') : '',
              })}
            </Text>
            {snapshot.status === 'failed' && sync && (
              <Button size="compact-sm" variant="default" onClick={() => void sync.open().catch(() => {})}>
                {t('board.retry')}
              </Button>
            )}
          </Group>
        </Alert>
      )}

      <Box
        h={height}
        pos="relative"
        style={{
          flex: height === undefined ? 1 : undefined,
          minHeight: 320,
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 8,
          overflow: 'hidden',
        }}
      >
        {sync ? (
          <Suspense
            fallback={
              <Center h="100%">
                <Loader size="sm" aria-label={t('board.loading')} />
              </Center>
            }
          >
            <ExcalidrawBoard sync={sync} snapshot={snapshot} language={language} onReady={onReady} />
          </Suspense>
        ) : null}
      </Box>
    </Stack>
  );
}
