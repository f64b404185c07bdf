// Boards saved on a ticket (`GET /api/tickets/:id/boards`), their images, and reopening one in a
// running call.
import type { ErrorBody } from '../../../../signaling/shared/protocol';
import { ApiError, api } from '../api';
import { session } from '../session';
import { type BoardSignaling, BoardSync, liveBoardOf, type SavedBoardScene } from './BoardSync';

export interface SavedBoard extends SavedBoardScene {
  callId: string;
  createdAt: string;
  finalizedAt: string;
  /** The SVG picture (an attachment: needs the bearer token), or null. */
  imageUrl: string | null;
  sceneUrl: string | null;
  /** Staff may reopen it in a later call; customers and QA only look at it. */
  editable: boolean;
}

export const savedBoardsApi = {
  list: (ticketId: string, signal?: AbortSignal) =>
    api.request<{ items: SavedBoard[] }>(`/api/tickets/${encodeURIComponent(ticketId)}/boards`, {
      ...(signal ? { signal } : {}),
    }),
};

/** Fetches a board's picture with the bearer token (an <img src> cannot send it). */
export async function fetchBoardImage(url: string, signal?: AbortSignal): Promise<Blob> {
  const token = session.current?.token;
  let res: Response;
  try {
    res = await fetch(url, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(signal ? { signal } : {}),
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    throw new ApiError('network', 'The picture did not reach the server.', { cause: err });
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: Partial<ErrorBody> } | undefined;
    throw new ApiError(
      body?.error?.code ?? 'internal',
      body?.error?.message ?? 'The picture failed to load.',
      {
        status: res.status,
      },
    );
  }
  return res.blob();
}

/**
 * Staff: continue a saved board in the running call. Goes through the call's board if it is open in
 * this tab; otherwise opens the board just long enough to bring the saved one in (the call's board,
 * wherever it is shown, receives it live).
 */
export async function reopenBoardInCall(
  signaling: BoardSignaling,
  callId: string,
  saved: SavedBoardScene,
): Promise<void> {
  const live = liveBoardOf(callId);
  if (live) return live.reopenFrom(saved);
  const sync = new BoardSync(signaling, callId, { reopenBoardId: saved.id });
  try {
    await sync.open();
    await sync.reopenFrom(saved);
    const problem = sync.getSnapshot().problem;
    if (problem && problem.reason !== 'rate_limited') throw new Error(problem.detail ?? problem.reason);
  } finally {
    sync.close();
  }
}
