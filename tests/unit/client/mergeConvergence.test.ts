// The browser's board merge (client/src/lib/board/reconcile.ts) must converge: two replicas that
// received the same elements in either order hold the same scene. Shaped like Excalidraw's
// reconcile tests: each case states local, remote and the expected scene, and checks the merge in
// both directions.

import { describe, expect, it } from 'vitest';
import { type BoardElement, mergeElements } from '../../../client/src/lib/board/reconcile';

/** `A:2@5#a1` is element A at version 2 with nonce 5 and index a1 (nonce and index optional). */
function parse(spec: string): BoardElement {
  const m = /^(\w+):(\d+)(?:@(\d+))?(?:#(\w+))?(~)?$/.exec(spec);
  if (!m) throw new Error(`bad element spec ${spec}`);
  const [, id, version, nonce, index, deleted] = m;
  return {
    id: id!,
    type: 'rectangle',
    version: Number(version),
    versionNonce: nonce ? Number(nonce) : 0,
    index: index ?? `a${id}`,
    isDeleted: deleted === '~',
  };
}

const scene = (specs: string[]) => specs.map(parse);
const show = (elements: readonly BoardElement[]) =>
  elements.map(
    (e) => `${e.id}:${e.version}${e.versionNonce ? `@${e.versionNonce}` : ''}${e.isDeleted ? '~' : ''}`,
  );

/** Merging `remote` into `local` gives `target`; with `bothWays`, merging `local` into `remote` too. */
function check(local: string[], remote: string[], target: string[], bothWays = true) {
  expect(show(mergeElements(scene(local), scene(remote)).elements)).toEqual(target);
  if (bothWays) expect(show(mergeElements(scene(remote), scene(local)).elements)).toEqual(target);
}

describe('board merge convergence', () => {
  it('unions disjoint scenes, in z-order', () => {
    check(['A:1'], ['B:1'], ['A:1', 'B:1']);
    check(['A:1', 'C:1'], ['B:1'], ['A:1', 'B:1', 'C:1']);
    check([], ['A:1', 'B:1'], ['A:1', 'B:1']);
  });

  it('keeps the higher version of the same element, whichever side has it', () => {
    check(['A:1', 'B:2'], ['A:2', 'B:1'], ['A:2', 'B:2']);
    check(['A:3'], ['A:2'], ['A:3']);
  });

  it('breaks a tie of versions by the lower nonce on both replicas', () => {
    check(['A:2@40'], ['A:2@70'], ['A:2@40']);
    check(['A:2@70', 'B:1'], ['A:2@40'], ['A:2@40', 'B:1']);
  });

  it('a deletion is a newer version like any edit, and is kept (so it cannot come back)', () => {
    check(['A:1', 'B:1'], ['A:2~'], ['A:2~', 'B:1']);
    check(['A:3'], ['A:2~'], ['A:3']);
  });

  it('orders by fractional index, then id, so equal indexes stay stable', () => {
    check(['B:1#a0'], ['A:1#a0'], ['A:1', 'B:1']);
    check(['C:1#a1', 'A:1#a3'], ['B:1#a2'], ['C:1', 'B:1', 'A:1']);
  });

  it('converges whatever order the updates arrive in', () => {
    const updates = [['A:1', 'B:1'], ['A:2@9'], ['A:2@3', 'C:1'], ['B:2~'], ['C:4']];
    const apply = (order: number[]) =>
      order.reduce<BoardElement[]>((acc, i) => mergeElements(acc, scene(updates[i]!)).elements, []);
    const expected = show(apply([0, 1, 2, 3, 4]));
    expect(expected).toEqual(['A:2@3', 'B:2~', 'C:4']);
    for (const order of [
      [4, 3, 2, 1, 0],
      [2, 0, 4, 1, 3],
      [1, 3, 0, 4, 2],
    ])
      expect(show(apply(order))).toEqual(expected);
  });

  it('defers an incoming winner for an element being edited, and keeps the local copy meanwhile', () => {
    const { elements, accepted, deferred } = mergeElements(
      scene(['A:1', 'B:1']),
      scene(['A:5', 'B:3']),
      new Set(['A']),
    );
    expect(show(elements)).toEqual(['A:1', 'B:3']);
    expect(show(accepted)).toEqual(['B:3']);
    expect(show(deferred)).toEqual(['A:5']);
  });

  it('returns the local scene untouched (same order) when nothing wins', () => {
    const local = scene(['B:2#a0', 'A:2#a1']);
    const { elements, accepted } = mergeElements(local, scene(['A:1']));
    expect(accepted).toEqual([]);
    expect(elements).toEqual(local);
  });
});
