import { useEffect, useState, useSyncExternalStore } from 'react';
import { type BoardSnapshot, BoardSync, openingBoard } from '../lib/board/BoardSync';
import { realtime } from '../lib/socket';

const OPENING: BoardSnapshot = openingBoard('');
const noSubscription = () => () => {};
const openingSnapshot = () => OPENING;

/**
 * The whiteboard of one call for as long as the calling component is mounted (and `callId` is set):
 * opened on mount, closed on unmount. The editor attaches to `sync` when it is ready and gets the scene from it.
 */
export function useBoardSync(callId: string | null, reopenBoardId?: string) {
  const [sync, setSync] = useState<BoardSync | null>(null);

  useEffect(() => {
    if (!callId) return;
    const created = new BoardSync(realtime, callId, reopenBoardId ? { reopenBoardId } : {});
    setSync(created);
    // A failure is in the snapshot (and an offline board opens again when the link is back).
    created.open().catch(() => {});
    return () => {
      created.close();
      setSync((current) => (current === created ? null : current));
    };
  }, [callId, reopenBoardId]);

  const snapshot = useSyncExternalStore(
    sync?.subscribe ?? noSubscription,
    sync?.getSnapshot ?? openingSnapshot,
  );
  return { sync, snapshot };
}
