// The whiteboard merge on the browser side. The rule itself is the server's, imported from
// signaling/shared/boardMerge.ts, so every replica that has seen the same updates holds the same scene.
// Pure functions; no Excalidraw import, so the sync core stays framework-free.

import {
  BOARD_ELEMENT_TYPES,
  type BoardElement,
  compareByIndex,
  wins,
} from '../../../../signaling/shared/boardMerge';

export { type BoardElement, compareByIndex, wins };

/** Element types the server accepts. */
export const SHARED_ELEMENT_TYPES: ReadonlySet<string> = new Set(BOARD_ELEMENT_TYPES);

export interface MergeResult<E extends BoardElement> {
  /** The whole scene (deleted elements included, as Excalidraw keeps them) in z-order. */
  elements: E[];
  /** The incoming elements that won and are now in `elements`. */
  accepted: E[];
  /** Incoming elements that would have won but were held back because they are being edited here. */
  deferred: E[];
}

/**
 * Merges `incoming` into `local`. Elements whose id is in `editing` keep the local copy (a remote
 * update must not yank the stroke or text under the user's pointer); the caller re-applies the
 * deferred ones when editing ends. When nothing was accepted, `elements` keeps `local`'s order.
 */
export function mergeElements<E extends BoardElement>(
  local: readonly E[],
  incoming: readonly E[],
  editing: ReadonlySet<string> = new Set(),
): MergeResult<E> {
  const byId = new Map<string, E>();
  for (const e of local) byId.set(e.id, e);
  const accepted: E[] = [];
  const deferred: E[] = [];
  for (const e of incoming) {
    const current = byId.get(e.id);
    if (!wins(e, current)) continue;
    if (current && editing.has(e.id)) {
      deferred.push(e);
      continue;
    }
    byId.set(e.id, e);
    accepted.push(e);
  }
  if (accepted.length === 0) return { elements: [...local], accepted, deferred };
  return { elements: [...byId.values()].sort(compareByIndex), accepted, deferred };
}
