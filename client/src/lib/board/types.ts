// The board sync's public vocabulary: the snapshot React renders, its statuses and problems, and
// the others' pointers. See docs/whiteboard-client.md.

import type { UserRef } from '../../../../signaling/shared/protocol';

/**
 * `opening`: asking the server for the scene. `open`: drawing is shared. `reconnecting`: the live
 * connection dropped; local drawing goes on and is sent when it is back. `closed`: the call ended
 * (the board is on the ticket) or the board was closed here. `failed`: the board could not be
 * opened; `problem` says why and `open()` tries again.
 */
export type BoardStatus = 'opening' | 'open' | 'reconnecting' | 'closed' | 'failed';

/** Why something did not reach the others, as a reason the UI can explain. */
export type BoardProblemReason =
  | 'rate_limited' // drawing faster than the server accepts; retried automatically
  | 'too_large' // one element is bigger than the server accepts (a very long stroke)
  | 'unsupported' // an element type the shared board does not carry (embeds, …)
  | 'refused' // the server refused an update (the board is full, invalid data); `detail` says why
  | 'network' // no live connection; changes are kept and sent when it is back
  | 'ended' // the call ended; the board is saved on the ticket
  | 'not_allowed' // this user may not open this board
  | 'background_failed' // the frozen screen frame was refused
  | 'unknown';

export interface BoardProblem {
  reason: BoardProblemReason;
  /** The server's message, for `refused`; technical detail otherwise. */
  detail?: string;
  /** When it happened (ms), so the UI can tell a new problem from an old one. */
  at: number;
}

/** Another person on the board, with where their pointer was last seen (scene coordinates). */
export interface BoardPeer {
  user: UserRef;
  x: number;
  y: number;
  tool: 'pointer' | 'laser';
  /** When the pointer last moved (ms). */
  at: number;
}

export interface BoardSnapshot {
  callId: string;
  status: BoardStatus;
  boardId: string | null;
  /** The frozen screen frame (data: URL) everyone draws over, or null. */
  background: string | null;
  /** Keyed by user id. */
  peers: ReadonlyMap<string, BoardPeer>;
  problem: BoardProblem | null;
  /** Local changes the server has not confirmed yet. */
  unsent: number;
  /** Counts changes that came from the others (drawing, a frozen screen), e.g. to open the board for them. */
  remoteActivity: number;
  /** Elements (not deleted) in the scene the server had when the board was last opened. */
  openedWith: number;
}
