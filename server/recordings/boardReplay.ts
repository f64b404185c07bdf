import type { BoardReplay } from '../../signaling/shared/boardMerge';
import { type BoardElement, orderedElements, reconcile } from '../boards/reconcile';
import type { RecordingRow } from '../db/schema';
import type { RecordingsRepository } from './repository';

/**
 * The call's whiteboard as the QA player replays it beside the recording: the scene when the
 * recording started (every update before it, merged), then each later update with its instant
 * relative to the recording's start, up to its end. The times are the board log's (`board_updates`
 * rows are written at most a second after the stroke: the board's flush interval).
 */
export async function boardReplay(repo: RecordingsRepository, row: RecordingRow): Promise<BoardReplay> {
  const end = row.endedAt ?? new Date();
  const log = await repo.boardLog(row.callId, end);
  if (!log) return { boardId: null, background: null, initial: [], updates: [] };
  const start = row.startedAt.getTime();
  let before = new Map<string, BoardElement>();
  const updates: BoardReplay['updates'] = [];
  for (const update of log.updates) {
    const elements = update.elements as BoardElement[];
    if (update.createdAt.getTime() < start) before = reconcile(before, elements).scene;
    else updates.push({ atMs: update.createdAt.getTime() - start, elements });
  }
  return {
    boardId: log.board.id,
    background: log.board.background,
    initial: orderedElements(before),
    updates,
  };
}
