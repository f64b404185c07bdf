import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TokenBucket } from '../../../client/src/lib/board/BoardOutbox';
import { type BoardSurface, BoardSync } from '../../../client/src/lib/board/BoardSync';
import type { BoardElement } from '../../../client/src/lib/board/reconcile';
import { FakeSignaling, refusal, settle } from './fakes';

const CALL_ID = 'call-1';

const el = (id: string, version: number, extra: Partial<BoardElement> = {}): BoardElement => ({
  id,
  type: 'freedraw',
  version,
  versionNonce: version * 10,
  isDeleted: false,
  index: `a${id}`,
  ...extra,
});

/** The editor, as the sync sees it: a scene, the ids being edited, no undo history to keep. */
class FakeSurface implements BoardSurface {
  scene: BoardElement[] = [];
  editing = new Set<string>();
  getElements = () => this.scene;
  replaceElements = (elements: BoardElement[]) => {
    this.scene = elements;
  };
  editingIds = () => this.editing;
  normalize = (elements: BoardElement[]) => elements;
  /** The user drew: the editor bumps versions and calls onChange. */
  draw(...changed: BoardElement[]): BoardElement[] {
    const byId = new Map(this.scene.map((e) => [e.id, e]));
    for (const e of changed) byId.set(e.id, e);
    this.scene = [...byId.values()];
    return this.scene;
  }
}

function updates(signaling: FakeSignaling): string[][] {
  return signaling
    .sentOf('board:update')
    .map((u) => (u.elements as BoardElement[]).map((e) => `${e.id}:${e.version}`));
}

describe('BoardSync', () => {
  let signaling: FakeSignaling;
  let surface: FakeSurface;
  let sync: BoardSync;

  beforeEach(async () => {
    vi.useFakeTimers();
    signaling = new FakeSignaling();
    signaling.handle('board:open', () => ({ boardId: 'board-1', elements: [el('s', 1)], background: null }));
    signaling.handle('board:update', (p) => ({ accepted: p.elements.length }));
    surface = new FakeSurface();
    sync = new BoardSync(signaling, CALL_ID, { logger: { warn: () => {} } });
    await sync.open();
    sync.attach(surface);
  });

  afterEach(() => {
    sync.close();
    vi.useRealTimers();
  });

  it('opens with the server scene in the editor, and does not send it back', async () => {
    expect(sync.getSnapshot()).toMatchObject({ status: 'open', boardId: 'board-1', openedWith: 1 });
    expect(surface.scene.map((e) => e.id)).toEqual(['s']);
    await vi.advanceTimersByTimeAsync(500);
    expect(updates(signaling)).toEqual([]);
  });

  it('batches changes at most every 100 ms, the most recently changed last', async () => {
    sync.localChange(surface.draw(el('a', 1), el('b', 1)));
    await vi.advanceTimersByTimeAsync(0);
    expect(updates(signaling)).toEqual([['a:1', 'b:1']]);

    sync.localChange(surface.draw(el('a', 2)));
    sync.localChange(surface.draw(el('c', 1)));
    sync.localChange(surface.draw(el('a', 3)));
    expect(sync.getSnapshot().unsent).toBe(2);
    await vi.advanceTimersByTimeAsync(99);
    expect(updates(signaling)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(updates(signaling)).toEqual([
      ['a:1', 'b:1'],
      ['c:1', 'a:3'],
    ]);
    expect(sync.getSnapshot().unsent).toBe(0);
  });

  it('after rate_limited, keeps the batch, says so, and sends it again a second later', async () => {
    signaling.handle('board:update', () => {
      throw refusal('rate_limited');
    });
    sync.localChange(surface.draw(el('a', 1)));
    await vi.advanceTimersByTimeAsync(0);
    expect(sync.getSnapshot().problem?.reason).toBe('rate_limited');

    signaling.handle('board:update', (p) => ({ accepted: p.elements.length }));
    await vi.advanceTimersByTimeAsync(999);
    expect(updates(signaling)).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(100);
    expect(updates(signaling)).toEqual([['a:1'], ['a:1']]);
    expect(sync.getSnapshot().problem).toBeNull();
  });

  it('holds back a remote change to an element being edited here, and applies it when editing ends', () => {
    sync.localChange(surface.draw(el('t', 1, { text: 'mine' })));
    surface.editing.add('t');
    signaling.emit('board:updated', { callId: CALL_ID, elements: [el('t', 5, { text: 'theirs' })] } as never);
    expect(surface.scene.find((e) => e.id === 't')?.text).toBe('mine');

    surface.editing.clear();
    sync.localChange(surface.scene);
    expect(surface.scene.find((e) => e.id === 't')).toMatchObject({ version: 5, text: 'theirs' });
  });

  it('a remote change that wins over a local copy waiting to go out is not echoed back', async () => {
    signaling.hold('board:update');
    sync.localChange(surface.draw(el('a', 1)));
    await vi.advanceTimersByTimeAsync(0);
    sync.localChange(surface.draw(el('b', 1)));
    signaling.emit('board:updated', { callId: CALL_ID, elements: [el('b', 7)] } as never);
    expect(sync.getSnapshot().remoteActivity).toBe(1);
    signaling.answer('board:update', { accepted: 1 });
    signaling.handle('board:update', (p) => ({ accepted: p.elements.length }));
    await vi.advanceTimersByTimeAsync(200);
    expect(updates(signaling)).toEqual([['a:1']]);
    expect(surface.scene.find((e) => e.id === 'b')?.version).toBe(7);
  });

  it('keeps drawing while offline and sends it after reopening the board', async () => {
    signaling.setStatus('offline');
    expect(sync.getSnapshot().status).toBe('reconnecting');
    sync.localChange(surface.draw(el('o', 1)));
    await vi.advanceTimersByTimeAsync(500);
    expect(updates(signaling)).toEqual([]);

    signaling.setStatus('connected');
    await vi.advanceTimersByTimeAsync(0);
    expect(signaling.sentOf('board:open')).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(updates(signaling)).toEqual([['o:1']]);
    expect(sync.getSnapshot().status).toBe('open');
  });

  it('reports elements the server would refuse instead of sending them', async () => {
    sync.localChange(
      surface.draw(el('e', 1, { type: 'embeddable' }), el('big', 1, { points: 'x'.repeat(600_000) })),
    );
    await vi.advanceTimersByTimeAsync(0);
    expect(updates(signaling)).toEqual([]);
    expect(sync.getSnapshot().problem?.reason).toBe('too_large');
  });

  it('sends its pointer at most every 50 ms (the latest position), and forgets idle pointers after 15 s', async () => {
    sync.pointer(1, 1);
    sync.pointer(2, 2);
    await vi.advanceTimersByTimeAsync(0);
    sync.pointer(3, 3);
    sync.pointer(4, 4, 'laser');
    await vi.advanceTimersByTimeAsync(49);
    expect(signaling.volatile.map((v) => v.payload)).toEqual([
      { callId: CALL_ID, x: 2, y: 2, tool: 'pointer' },
    ]);
    await vi.advanceTimersByTimeAsync(1);
    expect(signaling.volatile.at(-1)?.payload).toEqual({ callId: CALL_ID, x: 4, y: 4, tool: 'laser' });

    signaling.emit('board:pointer', {
      callId: CALL_ID,
      user: { id: 'u2', name: 'Lee' },
      x: 5,
      y: 6,
    } as never);
    expect(sync.getSnapshot().peers.get('u2')).toMatchObject({ x: 5, y: 6, tool: 'pointer' });
    await vi.advanceTimersByTimeAsync(20_001);
    expect(sync.getSnapshot().peers.size).toBe(0);
  });

  it('close() sends what is left and stops listening', async () => {
    sync.localChange(surface.draw(el('z', 1)));
    sync.close();
    await settle();
    expect(updates(signaling)).toEqual([['z:1']]);
    expect(sync.getSnapshot().status).toBe('closed');
    expect(signaling.listenerCount()).toBe(0);
  });
});

describe('TokenBucket', () => {
  it('allows a burst of its capacity, then one token per 1/rate second', () => {
    let now = 1_000;
    const bucket = new TokenBucket(15, 20, () => now);
    for (let i = 0; i < 20; i++) {
      expect(bucket.wait()).toBe(0);
      bucket.take();
    }
    expect(bucket.wait()).toBe(67); // 1/15 s, rounded up
    now += 67;
    expect(bucket.wait()).toBe(0);
    bucket.take();
    now += 10_000;
    bucket.wait();
    for (let i = 0; i < 20; i++) bucket.take();
    expect(bucket.wait()).toBeGreaterThan(0); // refilled to the capacity, never beyond
  });

  it('starts from empty after the server said slow down', () => {
    const now = 5_000;
    const bucket = new TokenBucket(15, 20, () => now);
    bucket.wait();
    bucket.drain();
    expect(bucket.wait()).toBe(67);
  });
});
