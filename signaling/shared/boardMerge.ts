// The whiteboard merge rule, shared by the server (server/boards/reconcile.ts) and the browser
// (client/src/lib/board/reconcile.ts): both sides must order edits identically or their scenes
// would drift apart. Pure; no Excalidraw or Node import.
//
// Every element carries `version` (incremented on each local edit) and `versionNonce` (random,
// re-drawn on each edit). For one element id, the higher version wins; on equal versions the lower
// nonce wins. Deleting is an edit (`isDeleted: true` with a higher version), so a delete and a
// concurrent edit resolve by the same rule. Because the rule is a total order on (version, nonce),
// every replica that has seen the same set of updates holds the same scene.

export interface BoardElement {
  id: string;
  type: string;
  version: number;
  versionNonce: number;
  isDeleted: boolean;
  /** Fractional index (Excalidraw's z-order); absent or null on an element not yet placed. */
  index?: string | null;
  [key: string]: unknown;
}

/** The one element that shows a board's frozen screen frame (client: lib/board/background.ts). */
export const BACKGROUND_ELEMENT_ID = 'livedesk-background';

/** Element types the server accepts on a shared board. */
export const BOARD_ELEMENT_TYPES = [
  'rectangle',
  'ellipse',
  'diamond',
  'freedraw',
  'line',
  'arrow',
  'text',
  'image',
  'frame',
  'selection',
] as const;

/** True when `incoming` should replace `current` (or fill an empty slot). */
export function wins(incoming: BoardElement, current: BoardElement | undefined): boolean {
  if (!current) return true;
  if (incoming.version !== current.version) return incoming.version > current.version;
  return incoming.versionNonce < current.versionNonce;
}

/** Z-order: fractional index, then id so equal indexes stay stable. */
export function compareByIndex(a: BoardElement, b: BoardElement): number {
  const ai = a.index ?? '';
  const bi = b.index ?? '';
  if (ai !== bi) return ai < bi ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * A call's board for the QA player (`GET /api/recordings/:id/board`): the scene when the recording
 * started, and each later update at its instant from the recording's start (ms).
 */
export interface BoardReplay {
  boardId: string | null;
  /** The frozen screen frame drawn over (data: URL), if any. */
  background: string | null;
  initial: BoardElement[];
  updates: Array<{ atMs: number; elements: BoardElement[] }>;
}

/** The board's elements at `atMs` of the recording (deleted ones left out), in z-order. */
export function boardAt(replay: Pick<BoardReplay, 'initial' | 'updates'>, atMs: number): BoardElement[] {
  const scene = new Map(replay.initial.map((e) => [e.id, e]));
  for (const update of replay.updates) {
    if (update.atMs > atMs) break;
    for (const element of update.elements)
      if (wins(element, scene.get(element.id))) scene.set(element.id, element);
  }
  return [...scene.values()].filter((e) => !e.isDeleted).sort(compareByIndex);
}
