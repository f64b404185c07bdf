// The board's outbound queue: local changes waiting for the server, sent in batches no more often
// than every 100 ms and within a token bucket under the server's rate limit, with the server's
// refusals sorted into "send again later" and "will never be accepted".

import { BOARD_CLIENT_BUDGETS, BOARD_LIMITS } from '../../../../signaling/shared/limits';
import { codeOf, messageOf, type RealtimeRequests } from '../requests';
import { type BoardElement, SHARED_ELEMENT_TYPES } from './reconcile';
import type { BoardProblemReason } from './types';

/** The server's bounds, and the client's own smaller budget per batch (signaling/shared/limits.ts). */
export const BOARD_CLIENT_LIMITS = {
  elementsPerUpdate: BOARD_LIMITS.elementsPerUpdate,
  bytesPerElement: BOARD_LIMITS.bytesPerElement,
  bytesPerUpdate: BOARD_CLIENT_BUDGETS.bytesPerUpdate,
};

/** Local changes are batched at most this often. */
const UPDATE_THROTTLE_MS = 100;
/**
 * The server allows 20 updates per second per person with a burst of 40; staying under it here
 * (15/s, burst 20) leaves room for a second tab and makes `rate_limited` an exception.
 */
const BUCKET_RATE_PER_S = 15;
const BUCKET_CAPACITY = 20;
/** After `rate_limited`: wait this long before sending again (the server asks for about 1 s). */
const RATE_LIMIT_RETRY_MS = 1_000;

const encoder = new TextEncoder();

/** A token bucket on an injected clock: `wait()` says how long until a token, `take()` spends one. */
export class TokenBucket {
  private tokens: number;
  private at = 0;

  constructor(
    private readonly ratePerS: number,
    private readonly capacity: number,
    private readonly now: () => number,
  ) {
    this.tokens = capacity;
  }

  /** Milliseconds until a token is there (0 when one is). */
  wait(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerS) * 1000);
  }

  take(): void {
    this.tokens -= 1;
  }

  /** The server said slow down: start from empty. */
  drain(): void {
    this.tokens = 0;
  }

  private refill(): void {
    const now = this.now();
    if (this.at)
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.ratePerS);
    this.at = now;
  }
}

export interface BoardOutboxHost {
  readonly callId: string;
  readonly signaling: Pick<RealtimeRequests, 'request' | 'getStatus'>;
  readonly now: () => number;
  /** Per element: the highest version the server has from us or we received from it (shared). */
  readonly synced: Map<string, number>;
  /** The board is open and the link up: batches may leave. */
  canSend(): boolean;
  /** The server has `e` now. */
  accepted(e: BoardElement): void;
  report(reason: BoardProblemReason, detail?: string): void;
  /** A batch got through: a `rate_limited` problem no longer applies. */
  flowing(): void;
  /** How many changes wait, for the snapshot. */
  unsent(count: number): void;
  /** The link went down under a batch. */
  offline(): void;
  /** The server no longer has this socket on the board (or the call ended): open it again. */
  reopen(): void;
}

export class BoardOutbox {
  /** Local changes not sent yet, by id (the editor's own objects; copied when sent). */
  private readonly pending = new Map<string, BoardElement>();
  private readonly bucket: TokenBucket;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private inFlight = false;
  private lastSentAt = 0;
  private retryAfter = 0;
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly host: BoardOutboxHost) {
    this.bucket = new TokenBucket(BUCKET_RATE_PER_S, BUCKET_CAPACITY, host.now);
  }

  get size(): number {
    return this.pending.size;
  }

  /** Nothing waiting and nothing in flight. */
  get idle(): boolean {
    return this.pending.size === 0 && !this.inFlight;
  }

  /** Whether `e` itself (the same object) is queued already. */
  holds(e: BoardElement): boolean {
    return this.pending.get(e.id) === e;
  }

  queue(e: BoardElement): void {
    // Re-insert so the most recently changed elements go last, after older pending ones.
    this.pending.delete(e.id);
    this.pending.set(e.id, e);
  }

  /** A remote change won over the local copy waiting to go out. */
  drop(id: string): void {
    this.pending.delete(id);
  }

  /** Calls `waiter` once the queue is idle (see `idle`). */
  onIdle(waiter: () => void): void {
    this.idleWaiters.push(waiter);
  }

  /** Wakes every waiter (the board closed). */
  releaseWaiters(): void {
    for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  schedule(): void {
    if (this.timer || this.inFlight || this.pending.size === 0 || !this.host.canSend()) return;
    const now = this.host.now();
    const wait = Math.max(
      this.lastSentAt + UPDATE_THROTTLE_MS - now,
      this.retryAfter - now,
      this.bucket.wait(),
      0,
    );
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, wait);
  }

  /** Copies the next batch out of `pending`; elements the server would refuse are reported instead. */
  takeBatch(): BoardElement[] {
    const { synced } = this.host;
    const batch: BoardElement[] = [];
    let bytes = 0;
    for (const [id, e] of this.pending) {
      if (batch.length >= BOARD_CLIENT_LIMITS.elementsPerUpdate) break;
      if (e.version <= (synced.get(id) ?? 0)) {
        this.pending.delete(id); // superseded by a remote change
        continue;
      }
      if (!SHARED_ELEMENT_TYPES.has(e.type)) {
        this.pending.delete(id);
        synced.set(id, e.version);
        this.host.report('unsupported', e.type);
        continue;
      }
      const json = JSON.stringify(e);
      const size = encoder.encode(json).length;
      if (size > BOARD_CLIENT_LIMITS.bytesPerElement) {
        // Not retried: the same element only gets bigger. The next edit of it is tried again.
        this.pending.delete(id);
        synced.set(id, e.version);
        this.host.report('too_large');
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
    if (this.inFlight || !this.host.canSend() || this.pending.size === 0) return;
    if (this.bucket.wait() > 0) return this.schedule();
    const batch = this.takeBatch();
    if (batch.length === 0) {
      this.host.unsent(this.pending.size);
      this.notifyIdle();
      return;
    }
    this.bucket.take();
    this.inFlight = true;
    this.lastSentAt = this.host.now();
    try {
      await this.send(batch);
      for (const e of batch) this.host.accepted(e);
      this.host.flowing();
    } catch (err) {
      this.handleError(err, batch);
    } finally {
      this.inFlight = false;
      this.host.unsent(this.pending.size);
      this.notifyIdle();
      this.schedule();
    }
  }

  private send(elements: BoardElement[]): Promise<unknown> {
    return this.host.signaling.request('board:update', { callId: this.host.callId, elements });
  }

  private handleError(err: unknown, batch: BoardElement[]): void {
    const { synced } = this.host;
    const requeue = () => {
      for (const e of batch) {
        // Put back only what is still the latest local copy (a newer edit is queued already).
        if (!this.pending.has(e.id) && e.version > (synced.get(e.id) ?? 0)) this.pending.set(e.id, e);
      }
    };
    switch (codeOf(err)) {
      case 'rate_limited':
        requeue();
        this.retryAfter = this.host.now() + RATE_LIMIT_RETRY_MS;
        this.bucket.drain();
        this.host.report('rate_limited');
        return;
      case 'network':
        // The connection listener reopens the board (and resends) when the link is back.
        requeue();
        if (this.host.signaling.getStatus() !== 'connected') this.host.offline();
        else this.retryAfter = this.host.now() + RATE_LIMIT_RETRY_MS;
        return;
      case 'conflict':
        // Either the call ended, or the server no longer has this socket on the board (it
        // restarted): opening again tells which, and resends.
        requeue();
        this.host.reopen();
        return;
      case 'bad_request':
        // Refused whole and would be refused again: the scene here has it, the others do not.
        for (const e of batch) this.host.accepted(e);
        this.host.report('refused', messageOf(err));
        return;
      default:
        for (const e of batch) this.host.accepted(e);
        this.host.report('unknown', messageOf(err));
    }
  }

  private notifyIdle(): void {
    if (this.idle) for (const waiter of this.idleWaiters.splice(0)) waiter();
  }

  /** Stops sending; what is left goes out in one last batch if `lastBatch` (best effort). */
  stop(lastBatch: boolean, log: Pick<Console, 'warn'>): void {
    if (lastBatch && this.pending.size && !this.inFlight) {
      const batch = this.takeBatch();
      if (batch.length)
        this.send(batch).catch((err) => log.warn('could not send the last board changes', err));
    }
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
