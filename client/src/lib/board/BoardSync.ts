// The browser side of a call's shared whiteboard: opens the board, hands the elements this user
// changed to the outbound queue (BoardOutbox.ts), merges what the others changed (holding back
// elements being edited here), relays the frozen background, and picks up where it left off after a
// reconnect; pointers are BoardPresence.ts. Framework-free: the editor (Excalidraw) is reached
// through `BoardSurface`, React reads the rest through `subscribe`/`getSnapshot` (client/src/board/).
// The server side is signaling/handlers/board.ts and server/boards/service.ts.

import type { BoardState, ClientToServerEvents } from '../../../../signaling/shared/protocol';
import { codeOf, type EmitPayload, messageOf, type RealtimeRequests } from '../requests';
import { Store } from '../store';
import { BoardOutbox } from './BoardOutbox';
import { BoardPresence } from './BoardPresence';
import { type BoardElement, mergeElements, wins } from './reconcile';
import type { BoardProblemReason, BoardSnapshot } from './types';

export { BOARD_CLIENT_LIMITS } from './BoardOutbox';

// ----- what the sync needs from the socket (RealtimeConnection satisfies it) --------------------

export interface BoardSignaling extends RealtimeRequests {
  emitVolatile<E extends keyof ClientToServerEvents>(event: E, payload: EmitPayload<E>): void;
}

/** The editor, as far as syncing goes. */
export interface BoardSurface {
  /** Every element of the scene, deleted ones included, in z-order. */
  getElements(): readonly BoardElement[];
  /**
   * Replaces the scene with one that has the others' changes merged in. Must stay out of the
   * local undo history (Excalidraw: `CaptureUpdateAction.NEVER`), so undo only undoes your own work.
   */
  replaceElements(elements: BoardElement[]): void;
  /** Ids being edited right now (the stroke being drawn, the text being typed, the shape being resized). */
  editingIds(): ReadonlySet<string>;
  /**
   * Fills in what elements from elsewhere lack (Excalidraw: `restoreElements`), so a malformed or
   * older element cannot break the editor. Must keep `id`, `version` and `versionNonce`.
   */
  normalize(elements: BoardElement[]): BoardElement[];
}

export type { BoardPeer, BoardProblem, BoardProblemReason, BoardSnapshot, BoardStatus } from './types';

export interface BoardSyncOptions {
  /** Staff: start this call's board from a board saved on the ticket. */
  reopenBoardId?: string;
  now?: () => number;
  logger?: Pick<Console, 'warn'>;
}

/** A board being opened: nothing known yet. */
export function openingBoard(callId: string): BoardSnapshot {
  return {
    callId,
    status: 'opening',
    boardId: null,
    background: null,
    peers: new Map(),
    problem: null,
    unsent: 0,
    remoteActivity: 0,
    openedWith: 0,
  };
}

/** A board saved on the ticket, as `GET /api/tickets/:id/boards` returns it. */
export interface SavedBoardScene {
  id: string;
  elements: unknown[];
  background: string | null;
}

/**
 * The board of each call open in this tab. Two BoardSyncs of one call on one socket would not hear
 * each other (the server relays to the *other* sockets), so "reopen a saved board" goes through the
 * one already open when there is one.
 */
const liveBoards = new Map<string, Set<BoardSync>>();

export function liveBoardOf(callId: string): BoardSync | undefined {
  const open = liveBoards.get(callId);
  return open ? [...open].at(-1) : undefined;
}

/**
 * One call's whiteboard. Create it when the board is shown, `open()` it, `attach()` the editor once
 * it is ready, feed it `localChange()` from the editor's onChange and `pointer()` from its pointer
 * updates; `close()` when the board is hidden or the call ends.
 */
export class BoardSync {
  private readonly store: Store<BoardSnapshot>;
  private readonly unsubscribers: Array<() => void> = [];
  private readonly now: () => number;
  private readonly log: Pick<Console, 'warn'>;
  private readonly reopenBoardId: string | undefined;
  private readonly outbox: BoardOutbox;
  private readonly presence: BoardPresence;

  private surface: BoardSurface | null = null;
  /** The shared scene as this side knows it (everything received, everything sent). */
  private readonly known = new Map<string, BoardElement>();
  /** Per element: the highest version the server has from us or we received from it. */
  private readonly synced = new Map<string, number>();
  /** Remote changes held back while the element is being edited here. */
  private readonly deferred = new Map<string, BoardElement>();

  /** A saved board to bring in once the board is open (see `reopenFrom`). */
  private seed: SavedBoardScene | null = null;
  private backgroundSet: Promise<unknown> = Promise.resolve();

  /** Which open() is current: a slower, older one must not overwrite a newer one's result. */
  private generation = 0;
  private wasConnected: boolean;
  private closed = false;

  constructor(
    private readonly signaling: BoardSignaling,
    readonly callId: string,
    options: BoardSyncOptions = {},
  ) {
    this.now = options.now ?? (() => Date.now());
    this.log = options.logger ?? console;
    this.reopenBoardId = options.reopenBoardId;
    this.store = new Store<BoardSnapshot>(openingBoard(callId));
    this.outbox = new BoardOutbox({
      callId,
      signaling,
      now: this.now,
      synced: this.synced,
      canSend: () => !this.closed && this.snapshot.status === 'open',
      accepted: (e) => this.markSynced(e),
      report: (reason, detail) => this.report(reason, detail),
      flowing: () => {
        if (this.snapshot.problem?.reason === 'rate_limited') this.update({ problem: null });
      },
      unsent: (count) => {
        if (count !== this.snapshot.unsent) this.update({ unsent: count });
      },
      offline: () => this.update({ status: 'reconnecting' }),
      reopen: () => {
        this.open().catch(() => {});
      },
    });
    this.presence = new BoardPresence({
      callId,
      now: this.now,
      sendPointer: (pointer) => signaling.emitVolatile('board:pointer', pointer),
      canSend: () => this.snapshot.status === 'open',
      peers: () => this.snapshot.peers,
      setPeers: (peers) => this.update({ peers }),
    });
    this.wasConnected = signaling.getStatus() === 'connected';
    const open = liveBoards.get(callId) ?? new Set();
    open.add(this);
    liveBoards.set(callId, open);

    this.unsubscribers.push(
      signaling.on('board:updated', (payload) => {
        if (payload.callId !== this.callId) return;
        if (this.applyRemote(payload.elements as BoardElement[]) > 0)
          this.update({ remoteActivity: this.snapshot.remoteActivity + 1 });
      }),
      signaling.on('board:pointer', (payload) => {
        if (payload.callId === this.callId) this.presence.received(payload);
      }),
      signaling.on('board:background', (payload) => {
        if (payload.callId === this.callId)
          this.update({ background: payload.dataUrl, remoteActivity: this.snapshot.remoteActivity + 1 });
      }),
      signaling.subscribe(() => this.onConnectionChange()),
    );
  }

  // ----- React glue -----------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  getSnapshot = (): BoardSnapshot => this.store.getSnapshot();

  private get snapshot(): BoardSnapshot {
    return this.store.getSnapshot();
  }

  private update(patch: Partial<BoardSnapshot>): void {
    this.store.update(patch);
  }

  private report(reason: BoardProblemReason, detail?: string): void {
    this.update({ problem: { reason, ...(detail ? { detail } : {}), at: this.now() } });
  }

  /** Hides the current problem (the user dismissed it). */
  dismissProblem(): void {
    if (this.snapshot.problem) this.update({ problem: null });
  }

  // ----- opening ----------------------------------------------------------------------------------

  /**
   * Opens the board and returns the scene as the server has it (also after a reconnect: whatever
   * was drawn here meanwhile is merged in and sent). Rejects when the board cannot be opened; the
   * snapshot then says why.
   */
  async open(): Promise<BoardState> {
    if (this.closed) throw new Error('This board was closed.');
    const generation = ++this.generation;
    this.update({ status: this.snapshot.boardId ? 'reconnecting' : 'opening' });
    let state: BoardState;
    try {
      state = await this.signaling.request('board:open', {
        callId: this.callId,
        ...(this.reopenBoardId ? { reopenBoardId: this.reopenBoardId } : {}),
      });
    } catch (err) {
      if (generation !== this.generation || this.closed) throw err;
      const code = codeOf(err);
      if (code === 'network') {
        // Still offline: the connection listener opens again when the link is back.
        this.update({ status: this.snapshot.boardId ? 'reconnecting' : 'failed' });
        this.report('network', messageOf(err));
      } else if (code === 'conflict') {
        this.update({ status: 'closed' });
        this.report('ended', messageOf(err));
      } else {
        this.update({ status: 'failed' });
        this.report(code === 'forbidden' || code === 'not_found' ? 'not_allowed' : 'unknown', messageOf(err));
      }
      throw err;
    }
    if (generation !== this.generation || this.closed) return state;

    const server = state.elements as BoardElement[];
    // What the server holds is what it does not need from us again.
    this.synced.clear();
    for (const e of server) this.synced.set(e.id, e.version);
    this.applyRemote(server);
    // Anything drawn here that the server lacks (drawn offline, lost in flight) goes out now.
    if (this.surface) this.collectChanges(this.surface.getElements());
    else
      for (const e of this.known.values()) if (e.version > (this.synced.get(e.id) ?? 0)) this.outbox.queue(e);
    const problem = this.snapshot.problem?.reason === 'network' ? null : this.snapshot.problem;
    this.update({
      status: 'open',
      boardId: state.boardId,
      background: state.background,
      problem,
      openedWith: server.filter((e) => !e.isDeleted).length,
    });
    const seed = this.seed;
    this.seed = null;
    if (seed) this.addSaved(seed);
    this.outbox.schedule();
    return state;
  }

  private onConnectionChange(): void {
    const connected = this.signaling.getStatus() === 'connected';
    const was = this.wasConnected;
    this.wasConnected = connected;
    if (this.closed || connected === was) return;
    if (!connected) {
      if (this.snapshot.status === 'open') this.update({ status: 'reconnecting' });
      return;
    }
    // Back online (a new socket, so the server forgot this socket was on the board): open again
    // and merge; only if the board had been opened, or tried to, before.
    if (this.snapshot.status === 'reconnecting' || this.snapshot.status === 'failed') {
      this.open().catch((err) => this.log.warn('could not reopen the board after reconnecting', err));
    }
  }

  /** Connects the editor. Remote changes that came in before it was ready are merged in now. */
  attach(surface: BoardSurface): () => void {
    this.surface = surface;
    // Everything known so far goes into the editor; what came from the server is marked synced
    // already, so only what was added here (a reopened board) is sent.
    if (this.known.size) {
      const { elements, accepted } = mergeElements(
        surface.getElements(),
        surface.normalize([...this.known.values()]),
      );
      if (accepted.length) surface.replaceElements(elements);
    }
    this.collectChanges(surface.getElements());
    this.outbox.schedule();
    return () => {
      if (this.surface === surface) this.surface = null;
    };
  }

  /** The scene as the editor has it, deleted elements left out (for tests and diagnostics). */
  elements(): BoardElement[] {
    const all = this.surface ? this.surface.getElements() : [...this.known.values()];
    return all.filter((e) => !e.isDeleted);
  }

  // ----- local → server ---------------------------------------------------------------------------

  /** The editor changed (Excalidraw `onChange`): queues every element whose version went up. */
  localChange(elements: readonly BoardElement[]): void {
    if (this.closed) return;
    this.collectChanges(elements);
    if (this.deferred.size) this.applyDeferred();
    if (this.outbox.size) this.outbox.schedule();
  }

  private collectChanges(elements: readonly BoardElement[]): void {
    let added = false;
    for (const e of elements) {
      if (e.version > (this.synced.get(e.id) ?? 0) && !this.outbox.holds(e)) {
        this.outbox.queue(e);
        added = true;
      }
    }
    if (added && this.outbox.size !== this.snapshot.unsent) this.update({ unsent: this.outbox.size });
  }

  private markSynced(e: BoardElement): void {
    if (e.version > (this.synced.get(e.id) ?? 0)) this.synced.set(e.id, e.version);
    if (wins(e, this.known.get(e.id))) this.known.set(e.id, e);
  }

  // ----- server → local ---------------------------------------------------------------------------

  /** Returns how many incoming elements won. */
  private applyRemote(incoming: BoardElement[]): number {
    if (incoming.length === 0) return 0;
    let won = 0;
    for (const e of incoming) {
      if (wins(e, this.known.get(e.id))) {
        this.known.set(e.id, e);
        won++;
      }
    }
    this.mergeIntoSurface(incoming);
    return won;
  }

  private mergeIntoSurface(incoming: BoardElement[]): void {
    const surface = this.surface;
    if (!surface) {
      // Not attached yet: `known` keeps it until attach(); nothing to echo either.
      for (const e of incoming)
        if (e.version > (this.synced.get(e.id) ?? 0)) this.synced.set(e.id, e.version);
      return;
    }
    const { elements, accepted, deferred } = mergeElements(
      surface.getElements(),
      surface.normalize(incoming),
      surface.editingIds(),
    );
    for (const e of deferred) this.deferred.set(e.id, e);
    if (accepted.length === 0) return;
    for (const e of accepted) {
      // Received, so never echoed back; a local copy waiting to go out lost to it.
      if (e.version > (this.synced.get(e.id) ?? 0)) this.synced.set(e.id, e.version);
      this.outbox.drop(e.id);
      this.deferred.delete(e.id);
    }
    surface.replaceElements(elements);
  }

  /** Editing ended: the remote changes held back meanwhile apply now if they still win. */
  private applyDeferred(): void {
    const surface = this.surface;
    if (!surface) return;
    const editing = surface.editingIds();
    const ready = [...this.deferred.values()].filter((e) => !editing.has(e.id));
    if (ready.length === 0) return;
    for (const e of ready) this.deferred.delete(e.id);
    this.mergeIntoSurface(ready);
  }

  // ----- reopening a saved board -----------------------------------------------------------------

  /**
   * Brings a board saved on the ticket into this call's board. The server seeds a call's board from
   * `reopenBoardId` only when it creates it; a board already drawn on gets the saved elements here,
   * as local changes (merged by version like any other), plus the saved frozen screen if it has none.
   */
  async reopenFrom(saved: SavedBoardScene): Promise<void> {
    if (this.closed) return;
    if (this.snapshot.status !== 'open') {
      // Brought in as soon as the board is open.
      this.seed = saved;
      await new Promise<void>((resolve) => {
        const stop = this.subscribe(() => {
          if (this.snapshot.status === 'open' || this.closed) {
            stop();
            resolve();
          }
        });
      });
      if (this.closed) return;
    } else {
      this.addSaved(saved);
    }
    await Promise.all([this.whenSent(), this.backgroundSet]);
  }

  private addSaved(saved: SavedBoardScene): void {
    const elements = (saved.elements as BoardElement[]).filter(
      (e) => e && typeof e.id === 'string' && wins(e, this.known.get(e.id)),
    );
    for (const e of elements) this.known.set(e.id, e);
    if (this.surface) {
      const merged = mergeElements(this.surface.getElements(), this.surface.normalize(elements));
      if (merged.accepted.length) this.surface.replaceElements(merged.elements);
      this.collectChanges(this.surface.getElements());
    } else {
      for (const e of elements) if (e.version > (this.synced.get(e.id) ?? 0)) this.outbox.queue(e);
      this.update({ unsent: this.outbox.size });
    }
    this.outbox.schedule();
    if (saved.background && !this.snapshot.background)
      this.backgroundSet = this.setBackground(saved.background);
  }

  /** Resolves when every local change has been answered by the server (or after `timeoutMs`). */
  whenSent(timeoutMs = 10_000): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        stop();
        resolve();
      };
      const check = () => {
        if (this.closed || this.outbox.idle) done();
      };
      const timer = setTimeout(done, timeoutMs);
      const stop = this.subscribe(check);
      this.outbox.onIdle(check);
      check();
    });
  }

  // ----- pointers (BoardPresence.ts) ----------------------------------------------------------------

  /** This user's pointer moved (scene coordinates); sent at most every 50 ms, dropped when late. */
  pointer(x: number, y: number, tool: 'pointer' | 'laser' = 'pointer'): void {
    if (!this.closed) this.presence.pointer(x, y, tool);
  }

  // ----- background -------------------------------------------------------------------------------

  /** Freezes a screen frame (data: URL, PNG/JPEG/WebP, ≤ 3 MiB) as everyone's background; null clears it. */
  async setBackground(dataUrl: string | null): Promise<boolean> {
    try {
      await this.signaling.request('board:background', { callId: this.callId, dataUrl }, 30_000);
      this.update({ background: dataUrl });
      return true;
    } catch (err) {
      this.report(codeOf(err) === 'network' ? 'network' : 'background_failed', messageOf(err));
      return false;
    }
  }

  // ----- teardown ---------------------------------------------------------------------------------

  /** Stops syncing. Unsent changes are sent first if the link is up (best effort). */
  close(): void {
    if (this.closed) return;
    this.outbox.stop(this.snapshot.status === 'open', this.log);
    this.closed = true;
    this.generation++;
    this.presence.stop();
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.surface = null;
    const open = liveBoards.get(this.callId);
    open?.delete(this);
    if (open?.size === 0) liveBoards.delete(this.callId);
    this.update({ status: 'closed' });
    this.outbox.releaseWaiters();
  }
}
