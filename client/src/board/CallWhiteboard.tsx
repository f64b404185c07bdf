import { Box, Button, Indicator, Menu, VisuallyHidden } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { reopenBoardInCall, type SavedBoard } from '../lib/board/savedBoards';
import type { CallSnapshot } from '../lib/call/CallEngine';
import { formatDateTime } from '../lib/format';
import { realtime } from '../lib/socket';
import { toasts } from '../lib/toasts';
import { useSavedBoards } from './SavedBoards';
import { useBoardSync } from './useBoardSync';
import { Whiteboard } from './Whiteboard';

/**
 * The whiteboard of the call shown in the in-call view. The board stays open (in sync) for the whole
 * call even while the panel is hidden, so both sides can use it: with `autoOpen` it opens by itself
 * the first time the other side draws (or when the call already has a drawing, e.g. after a reload),
 * and activity while it is hidden puts a dot on the button. Without `autoOpen` (a phone, where the
 * board would take the picture's place) only the dot shows.
 */
export function useCallWhiteboard(callId: string, active: boolean, { autoOpen = true } = {}) {
  const { sync, snapshot } = useBoardSync(active ? callId : null);
  const [open, setOpen] = useState(false);
  const [seenActivity, setSeenActivity] = useState(0);
  const autoOpened = useRef(false);

  const hasDrawing = snapshot.openedWith > 0 || snapshot.background !== null;
  useEffect(() => {
    if (!autoOpen || autoOpened.current || snapshot.status !== 'open') return;
    if (snapshot.remoteActivity > 0 || hasDrawing) {
      autoOpened.current = true;
      setOpen(true);
    }
  }, [autoOpen, snapshot.status, snapshot.remoteActivity, hasDrawing]);

  useEffect(() => {
    if (open) setSeenActivity(snapshot.remoteActivity);
  }, [open, snapshot.remoteActivity]);

  return {
    sync,
    snapshot,
    open,
    unseen: !open && snapshot.remoteActivity > seenActivity,
    toggle: () => {
      autoOpened.current = true;
      setOpen((o) => !o);
    },
    close: () => {
      autoOpened.current = true;
      setOpen(false);
    },
  };
}

export type CallWhiteboardState = ReturnType<typeof useCallWhiteboard>;

/** The "Whiteboard" button of the in-call view. */
export function WhiteboardToggle({ whiteboard }: { whiteboard: CallWhiteboardState }) {
  const { t } = useTranslation();
  return (
    <Indicator disabled={!whiteboard.unseen} color="red" size={10} offset={4} processing>
      <Button
        size="xs"
        variant={whiteboard.open ? 'filled' : 'default'}
        aria-pressed={whiteboard.open}
        onClick={whiteboard.toggle}
        data-testid="whiteboard-toggle"
        data-unseen={whiteboard.unseen}
      >
        {t('board.open')}
        {/* The dot is only seen; this says it. */}
        {whiteboard.unseen && <VisuallyHidden>{` (${t('board.unseen')})`}</VisuallyHidden>}
      </Button>
    </Indicator>
  );
}

/** The shared screen of the call, whoever shares it (this side's own track, or the other side's). */
export function sharedScreen(snapshot: CallSnapshot): MediaStreamTrack | null {
  if (snapshot.local.screen && snapshot.local.screen.readyState === 'live') return snapshot.local.screen;
  for (const peer of snapshot.remote) if (peer.screen && !peer.screen.paused) return peer.screen.track;
  return null;
}

/** Staff: bring a board saved on the ticket (an earlier call's) into this call's board. */
function ReopenSavedBoard({ ticketId, callId }: { ticketId: string; callId: string }) {
  const { t } = useTranslation();
  const boards = useSavedBoards(ticketId);
  const [busy, setBusy] = useState(false);
  const editable = (boards.data ?? []).filter((b) => b.editable);
  if (editable.length === 0) return null;
  const reopen = async (board: SavedBoard) => {
    setBusy(true);
    try {
      await reopenBoardInCall(realtime, callId, board);
    } catch (err) {
      toasts.show({
        title: t('board.saved.reopenFailed'),
        message: err instanceof Error ? err.message : String(err),
        color: 'red',
      });
    } finally {
      setBusy(false);
    }
  };
  return (
    <Menu position="bottom-end" withinPortal>
      <Menu.Target>
        <Button size="compact-sm" variant="default" loading={busy}>
          {t('board.saved.reopenMenu')}
        </Button>
      </Menu.Target>
      <Menu.Dropdown>
        {editable.map((board) => (
          <Menu.Item key={board.id} onClick={() => void reopen(board)}>
            {t('board.saved.savedAt', { when: formatDateTime(board.finalizedAt) })}
            {' · '}
            {t('board.saved.elements', { count: board.elements.length })}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}

/** The whiteboard panel of the in-call view (in place of the video stage while it is open). */
export function CallWhiteboardPanel({
  whiteboard,
  call,
  ticketId,
  staff,
}: {
  whiteboard: CallWhiteboardState;
  call: CallSnapshot;
  ticketId: string;
  /** Staff may bring in boards saved on the ticket. */
  staff: boolean;
}) {
  return (
    <Box style={{ flex: 1, minHeight: 0 }}>
      <Whiteboard
        sync={whiteboard.sync}
        snapshot={whiteboard.snapshot}
        screen={sharedScreen(call)}
        onClose={whiteboard.close}
        actions={staff ? <ReopenSavedBoard ticketId={ticketId} callId={call.callId} /> : null}
      />
    </Box>
  );
}
