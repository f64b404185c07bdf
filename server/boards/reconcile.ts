// Merging whiteboard edits on the server. The rule itself (`wins`, z-order) is shared with the
// browser in signaling/shared/boardMerge.ts; this module applies it to a whole scene. Pure functions,
// unit-tested on their own (tests/unit/reconcile.test.ts).
import { type BoardElement, compareByIndex, wins } from '../../signaling/shared/boardMerge';

export { type BoardElement, wins };

export type Scene = ReadonlyMap<string, BoardElement>;

/**
 * Applies incoming elements to a scene. Returns the new scene (the input is not modified) and the
 * elements that were accepted, which are what the other side needs to hear about.
 */
export function reconcile(
  scene: Scene,
  incoming: readonly BoardElement[],
): { scene: Map<string, BoardElement>; accepted: BoardElement[] } {
  const next = new Map(scene);
  const accepted: BoardElement[] = [];
  for (const element of incoming) {
    if (wins(element, next.get(element.id))) {
      next.set(element.id, element);
      accepted.push(element);
    }
  }
  return { scene: next, accepted };
}

/** The scene as an array in z-order (deleted elements left out unless asked for). */
export function orderedElements(scene: Scene, options: { includeDeleted?: boolean } = {}): BoardElement[] {
  return [...scene.values()].filter((e) => options.includeDeleted || !e.isDeleted).sort(compareByIndex);
}
