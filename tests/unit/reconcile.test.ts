import { describe, expect, it } from 'vitest';
import { type BoardElement, orderedElements, reconcile, wins } from '../../server/boards/reconcile';

const el = (
  id: string,
  version: number,
  versionNonce: number,
  extra: Partial<BoardElement> = {},
): BoardElement => ({
  id,
  type: 'freedraw',
  version,
  versionNonce,
  isDeleted: false,
  ...extra,
});

describe('reconcile', () => {
  it('adds unknown elements and reports them as accepted', () => {
    const { scene, accepted } = reconcile(new Map(), [el('a', 1, 5), el('b', 1, 7)]);
    expect([...scene.keys()].sort()).toEqual(['a', 'b']);
    expect(accepted.map((e) => e.id)).toEqual(['a', 'b']);
  });

  it('keeps the higher version and drops a stale one', () => {
    const start = reconcile(new Map(), [el('a', 3, 9, { x: 30 })]).scene;
    const stale = reconcile(start, [el('a', 2, 1, { x: 20 })]);
    expect(stale.accepted).toEqual([]);
    expect(stale.scene.get('a')?.x).toBe(30);
    const newer = reconcile(start, [el('a', 4, 50, { x: 40 })]);
    expect(newer.scene.get('a')?.x).toBe(40);
  });

  it('resolves concurrent edits of one element (same version) by the lower nonce, in any arrival order', () => {
    const base = reconcile(new Map(), [el('a', 1, 100)]).scene;
    const fromAgent = el('a', 2, 40, { strokeColor: 'red' });
    const fromCustomer = el('a', 2, 70, { strokeColor: 'blue' });
    const one = reconcile(reconcile(base, [fromAgent]).scene, [fromCustomer]).scene;
    const two = reconcile(reconcile(base, [fromCustomer]).scene, [fromAgent]).scene;
    expect(one.get('a')?.strokeColor).toBe('red');
    expect(two.get('a')?.strokeColor).toBe('red');
  });

  it('lets a delete beat an older edit, and a later edit beat the delete', () => {
    const base = reconcile(new Map(), [el('a', 1, 1)]).scene;
    const deleted = el('a', 3, 5, { isDeleted: true });
    const concurrentEdit = el('a', 2, 2, { x: 99 });
    const afterBoth = reconcile(reconcile(base, [deleted]).scene, [concurrentEdit]).scene;
    expect(afterBoth.get('a')?.isDeleted).toBe(true);
    const reversed = reconcile(reconcile(base, [concurrentEdit]).scene, [deleted]).scene;
    expect(reversed.get('a')?.isDeleted).toBe(true);
    const restored = reconcile(afterBoth, [el('a', 4, 9, { isDeleted: false })]).scene;
    expect(restored.get('a')?.isDeleted).toBe(false);
  });

  it('converges: any interleaving of the same updates gives the same scene', () => {
    const updates = [
      el('a', 1, 5),
      el('a', 2, 3),
      el('b', 1, 1),
      el('a', 2, 1),
      el('b', 2, 8, { isDeleted: true }),
    ];
    const permutations = [
      [0, 1, 2, 3, 4],
      [4, 3, 2, 1, 0],
      [2, 0, 4, 1, 3],
      [3, 4, 0, 2, 1],
    ];
    const results = permutations.map((order) => {
      let scene = new Map<string, BoardElement>();
      for (const i of order) scene = reconcile(scene, [updates[i]!]).scene;
      return JSON.stringify(orderedElements(scene, { includeDeleted: true }));
    });
    expect(new Set(results).size).toBe(1);
  });

  it('does not modify the scene it was given', () => {
    const base = new Map([['a', el('a', 1, 1)]]);
    reconcile(base, [el('a', 2, 1)]);
    expect(base.get('a')?.version).toBe(1);
  });

  it('orders by fractional index then id, and hides deleted elements unless asked', () => {
    const scene = reconcile(new Map(), [
      el('z', 1, 1, { index: 'a1' }),
      el('y', 1, 1, { index: 'a0' }),
      el('x', 1, 1, { index: 'a1' }),
      el('w', 1, 1, { index: 'a2', isDeleted: true }),
    ]).scene;
    expect(orderedElements(scene).map((e) => e.id)).toEqual(['y', 'x', 'z']);
    expect(orderedElements(scene, { includeDeleted: true }).map((e) => e.id)).toEqual(['y', 'x', 'z', 'w']);
  });

  it('wins() is a strict order: an element never beats itself', () => {
    const a = el('a', 2, 5);
    expect(wins(a, a)).toBe(false);
    expect(wins(a, undefined)).toBe(true);
  });
});
