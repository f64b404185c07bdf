// The browser side of a call's shared whiteboard: opens the board, sends the elements this user
// changed, merges what the others changed, relays pointers and the frozen background, and picks up
// where it left off after a reconnect. Framework-free: the editor (Excalidraw) is reached through
// `BoardSurface`, React reads the rest through `subscribe`/`getSnapshot` (client/src/board/).
// The server side is signaling/handlers/board.ts and server/boards/service.ts.

import { BOARD_CLIENT_BUDGETS, BOARD_LIMITS } from '../../../../signaling/shared/limits';
import type {
  AckResult,
  BoardState,
  ClientToServerEvents,
  ErrorCode,
  ServerToClientEvents,
  UserRef,
} from '../../../../signaling/shared/protocol';
import { type BoardElement, mergeElements, SHARED_ELEMENT_TYPES, wins } from './reconcile';

// ----- what the sync needs from the socket (RealtimeConnection satisfies it) --------------------

type EmitPayload<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[0];
type AckData<E extends keyof ClientToServerEvents> = Parameters<ClientToServerEvents[E]>[1] extends (
  result: AckResult<infer T>,
) => void
  ? T
  : never;

export interface BoardSignaling {
  request<E extends keyof ClientToServerEvents>(
    event: E,
    payload: EmitPayload<E>,
    timeoutMs?: number,
  ): Promise<AckData<E>>;
  emitVolatile<E extends keyof ClientToServerEvents>(event: E, payload: EmitPayload<E>): void;
  on<E extends keyof ServerToClientEvents>(event: E, handler: ServerToClientEvents[E]): () => void;
  getStatus(): 'idle' | 'connecting' | 'connected' | 'offline';
  subscribe(listener: () => void): () => void;
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

// ----- the snapshot React renders ---------------------------------------------------------------

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

export interface BoardSyncOptions {
  /** Staff: start this call's board from a board saved on the ticket. */
  reopenBoardId?: string;
  now?: () => number;
  logger?: Pick<Console, 'warn'>;
}

/** The server's bounds, and the client's own smaller budget per batch (signaling/shared/limits.ts). */
export const BOARD_CLIENT_LIMITS = {
  elementsPerUpdate: BOARD_LIMITS.elementsPerUpdate,
  bytesPerElement: BOARD_LIMITS.bytesPerElement,
  bytesPerUpdate: BOARD_CLIENT_BUDGETS.bytesPerUpdate,
};

/** Local changes are batched at most this often. */
const UPDATE_THROTTLE_MS = 100;
/** Pointer positions are sent at most this often. */
const POINTER_THROTTLE_MS = 50;
/**
 * The server allows 20 updates per second per person with a burst of 40; staying under it here
 * (15/s, burst 20) leaves room for a second tab and makes `rate_limited` an exception.
 */
const BUCKET_RATE_PER_S = 15;
const BUCKET_CAPACITY = 20;
/** After `rate_limited`: wait this long before sending again (the server asks for about 1 s). */
const RATE_LIMIT_RETRY_MS = 1_000;
/** A pointer that has not moved for this long is taken off the board. */
const PEER_IDLE_MS = 15_000;

function codeOf(err: unknown): ErrorCode | 'network' | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? (code as ErrorCode | 'network') : undefined;
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

const encoder = new TextEncoder();

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
  private snapshot: BoardSnapshot;
  private readonly listeners = new Set<() => void>();
  private readonly unsubscribers: Array<() => void> = [];
  private readonly now: () => number;
  private readonly log: Pick<Console, 'warn'>;
  private readonly reopenBoardId: string | undefined;

  private surface: BoardSurface | null = null;
  /** The shared scene as this side knows it (everything received, everything sent). */
  private readonly known = new Map<string, BoardElement>();
  /** Per element: the highest version the server has from us or we received from it. */
  private readonly synced = new Map<string, number>();
  /** Local changes not sent yet, by id (the editor's own objects; copied when sent). */
  private readonly pending = new Map<string, BoardElement>();
  /** Remote changes held back while the element is being edited here. */
  private readonly deferred = new Map<string, BoardElement>();

  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private lastSentAt = 0;
  private tokens = BUCKET_CAPACITY;
  private tokensAt = 0;
  private retryAfter = 0;

  private pointerTimer: ReturnType<typeof setTimeout> | undefined;
  private pointerLatest: { x: number; y: number; tool: string } | null = null;
  private pointerSentAt = 0;
  private peerSweep: ReturnType<typeof setInterval> | undefined;

  /** A saved board to bring in once the board is open (see `reopenFrom`). */
  private seed: SavedBoardScene | null = null;
  private readonly sentWaiters: Array<() => void> = [];
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
    this.snapshot = {
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
        if (payload.callId === this.callId) this.receivePointer(payload);
      }),
      signaling.on('board:background', (payload) => {
        if (payload.callId === this.callId)
          this.update({ background: payload.dataUrl, remoteActivity: this.snapshot.remoteActivity + 1 });
      }),
      signaling.subscribe(() => this.onConnectionChange()),
    );
    this.peerSweep = setInterval(() => this.sweepPeers(), PEER_IDLE_MS / 3);
  }

  // ----- React glue -----------------------------------------------------------------------------

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): BoardSnapshot => this.snapshot;

  private update(patch: Partial<BoardSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...patch };
    for (const listener of [...this.listeners]) listener();
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
    else for (const e of this.known.values()) if (e.version > (this.synced.get(e.id) ?? 0)) this.queue(e);
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
    this.scheduleFlush();
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
    this.scheduleFlush();
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
    if (this.pending.size) this.scheduleFlush();
  }

  private collectChanges(elements: readonly BoardElement[]): void {
    let added = false;
    for (const e of elements) {
      if (e.version > (this.synced.get(e.id) ?? 0) && this.pending.get(e.id) !== e) {
        this.queue(e);
        added = true;
      }
    }
    if (added && this.pending.size !== this.snapshot.unsent) this.update({ unsent: this.pending.size });
  }

  private queue(e: BoardElement): void {
    // Re-insert so the most recently changed elements go last, after older pending ones.
    this.pending.delete(e.id);
    this.pending.set(e.id, e);
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.inFlight || this.pending.size === 0) return;
    if (this.snapshot.status !== 'open') return;
    const now = this.now();
    const wait = Math.max(
      this.lastSentAt + UPDATE_THROTTLE_MS - now,
      this.retryAfter - now,
      this.tokenWait(),
      0,
    );
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush();
    }, wait);
  }

  /** Milliseconds until the local token bucket has a token. */
  private tokenWait(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / BUCKET_RATE_PER_S) * 1000);
  }

  private refill(): void {
    const now = this.now();
    if (this.tokensAt) {
      this.tokens = Math.min(
        BUCKET_CAPACITY,
        this.tokens + ((now - this.tokensAt) / 1000) * BUCKET_RATE_PER_S,
      );
    }
    this.tokensAt = now;
  }

  /** Copies the next batch out of `pending`; elements the server would refuse are reported instead. */
  private takeBatch(): BoardElement[] {
    const batch: BoardElement[] = [];
    let bytes = 0;
    for (const [id, e] of this.pending) {
      if (batch.length >= BOARD_CLIENT_LIMITS.elementsPerUpdate) break;
      if (e.version <= (this.synced.get(id) ?? 0)) {
        this.pending.delete(id); // superseded by a remote change
        continue;
      }
      if (!SHARED_ELEMENT_TYPES.has(e.type)) {
        this.pending.delete(id);
        this.synced.set(id, e.version);
        this.report('unsupported', e.type);
        continue;
      }
      const json = JSON.stringify(e);
      const size = encoder.encode(json).length;
      if (size > BOARD_CLIENT_LIMITS.bytesPerElement) {
        // Not retried: the same element only gets bigger. The next edit of it is tried again.
        this.pending.delete(id);
        this.synced.set(id, e.version);
        this.report('too_large');
        continue;
      }
      if (batch.length > 0 && bytes + size > BOARD_CLIENT_LIMITS.bytesPerUpdate) break;
      this.pending.delete(id);
      bytes += size;
      batch.push(JSON.parse(json) as BoardElement);
    }
    return batch;
  }

  private async flush(): Promise<void> {
    if (this.inFlight || this.closed || this.snapshot.status !== 'open' || this.pending.size === 0) return;
    if (this.tokenWait() > 0) return this.scheduleFlush();
    const batch = this.takeBatch();
    if (batch.length === 0) {
      this.update({ unsent: this.pending.size });
      this.notifySent();
      return;
    }
    this.tokens -= 1;
    this.inFlight = true;
    this.lastSentAt = this.now();
    try {
      await this.signaling.request('board:update', { callId: this.callId, elements: batch });
      for (const e of batch) this.markSynced(e);
      if (this.snapshot.problem?.reason === 'rate_limited') this.update({ problem: null });
    } catch (err) {
      this.handleUpdateError(err, batch);
    } finally {
      this.inFlight = false;
      if (this.pending.size !== this.snapshot.unsent) this.update({ unsent: this.pending.size });
      this.notifySent();
      this.scheduleFlush();
    }
  }

  private markSynced(e: BoardElement): void {
    if (e.version > (this.synced.get(e.id) ?? 0)) this.synced.set(e.id, e.version);
    if (wins(e, this.known.get(e.id))) this.known.set(e.id, e);
  }

  private handleUpdateError(err: unknown, batch: BoardElement[]): void {
    const code = codeOf(err);
    const requeue = () => {
      for (const e of batch) {
        // Put back only what is still the latest local copy (a newer edit is queued already).
        if (!this.pending.has(e.id) && e.version > (this.synced.get(e.id) ?? 0)) this.pending.set(e.id, e);
      }
    };
    switch (code) {
      case 'rate_limited':
        requeue();
        this.retryAfter = this.now() + RATE_LIMIT_RETRY_MS;
        this.tokens = 0;
        this.report('rate_limited');
        return;
      case 'network':
        // The connection listener reopens the board (and resends) when the link is back.
        requeue();
        if (this.signaling.getStatus() !== 'connected') this.update({ status: 'reconnecting' });
        else this.retryAfter = this.now() + RATE_LIMIT_RETRY_MS;
        return;
      case 'conflict':
        // Either the call ended, or the server no longer has this socket on the board (it
        // restarted): opening again tells which, and resends.
        requeue();
        this.open().catch(() => {});
        return;
      case 'bad_request':
        // Refused whole and would be refused again: the scene here has it, the others do not.
        for (const e of batch) this.markSynced(e);
        this.report('refused', messageOf(err));
        return;
      default:
        for (const e of batch) this.markSynced(e);
        this.report('unknown', messageOf(err));
    }
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
      this.pending.delete(e.id);
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
      for (const e of elements) if (e.version > (this.synced.get(e.id) ?? 0)) this.queue(e);
      this.update({ unsent: this.pending.size });
    }
    this.scheduleFlush();
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
        if (this.closed || (this.pending.size === 0 && !this.inFlight)) done();
      };
      const timer = setTimeout(done, timeoutMs);
      const stop = this.subscribe(check);
      this.sentWaiters.push(check);
      check();
    });
  }

  private notifySent(): void {
    if (this.pending.size === 0 && !this.inFlight) for (const waiter of this.sentWaiters.splice(0)) waiter();
  }

  // ----- pointers ---------------------------------------------------------------------------------

  /** This user's pointer moved (scene coordinates); sent at most every 50 ms, dropped when late. */
  pointer(x: number, y: number, tool: 'pointer' | 'laser' = 'pointer'): void {
    if (this.closed || !Number.isFinite(x) || !Number.isFinite(y)) return;
    this.pointerLatest = { x, y, tool };
    if (this.pointerTimer) return;
    const wait = Math.max(this.pointerSentAt + POINTER_THROTTLE_MS - this.now(), 0);
    this.pointerTimer = setTimeout(() => {
      this.pointerTimer = undefined;
      const p = this.pointerLatest;
      this.pointerLatest = null;
      if (!p || this.snapshot.status !== 'open') return;
      this.pointerSentAt = this.now();
      this.signaling.emitVolatile('board:pointer', { callId: this.callId, ...p });
    }, wait);
  }

  private receivePointer(payload: { user: UserRef; x: number; y: number; tool?: string }): void {
    const peers = new Map(this.snapshot.peers);
    peers.set(payload.user.id, {
      user: payload.user,
      x: payload.x,
      y: payload.y,
      tool: payload.tool === 'laser' ? 'laser' : 'pointer',
      at: this.now(),
    });
    this.update({ peers });
  }

  private sweepPeers(): void {
    const cutoff = this.now() - PEER_IDLE_MS;
    const stale = [...this.snapshot.peers.values()].filter((p) => p.at < cutoff);
    if (stale.length === 0) return;
    const peers = new Map(this.snapshot.peers);
    for (const p of stale) peers.delete(p.user.id);
    this.update({ peers });
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
    if (this.pending.size && this.snapshot.status === 'open' && !this.inFlight) {
      const batch = this.takeBatch();
      if (batch.length)
        this.signaling
          .request('board:update', { callId: this.callId, elements: batch })
          .catch((err) => this.log.warn('could not send the last board changes', err));
    }
    this.closed = true;
    this.generation++;
    clearTimeout(this.flushTimer);
    clearTimeout(this.pointerTimer);
    clearInterval(this.peerSweep);
    for (const unsubscribe of this.unsubscribers.splice(0)) unsubscribe();
    this.surface = null;
    const open = liveBoards.get(this.callId);
    open?.delete(this);
    if (open?.size === 0) liveBoards.delete(this.callId);
    this.update({ status: 'closed' });
    for (const waiter of this.sentWaiters.splice(0)) waiter();
  }
}
