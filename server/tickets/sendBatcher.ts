import { performance } from 'node:perf_hooks';
import type { SendOutcome, SendRequest, TicketsRepository } from './repository';

interface Pending {
  request: SendRequest;
  resolve: (outcome: SendOutcome) => void;
  reject: (err: unknown) => void;
}

export interface SendBatcherOptions {
  /** Statements running at once (default 4). */
  maxInFlight?: number;
  /** While sends keep coming, statements start at most this often (default 0: no spacing). */
  spacingMs?: number;
  /** Sends in one statement at most (default 100). */
  maxBatch?: number;
  /** The clock for `spacingMs` (the tests'). */
  now?: () => number;
}

/**
 * Group commit for chat sends. The sends that arrive during one turn of the event loop go as one
 * statement at its end (`setImmediate`: after the turn's I/O callbacks, before any timer), up to
 * `maxInFlight` statements run at once, and a send that arrives while they are all busy waits for
 * the next one to end, then goes with everything else that waited (`livedesk_send_messages`: one
 * round trip and one commit for many messages). Idle, a send goes alone within the turn it arrived
 * in; no timer delays it (only `spacingMs`, below, can). The caller never has two sends of one
 * ticket here at once (sends go in line per ticket), so a batch locks each ticket once.
 *
 * Why the end of the turn rather than at once: a busy server reads many sockets in one turn, and
 * each statement costs the main thread about the same whatever it carries (a query object, the
 * write that wakes a backend, a result to parse: a fifth of the main thread's busy time per message
 * at 2,000 msg/s on PostgreSQL with 5,000 sockets, when sends took free slots one by one). The
 * database starts on them a little later, within the same turn. docs/decisions.md has the figures.
 *
 * With `spacingMs`, statements start at most once per that many milliseconds while sends keep
 * coming: a send arriving within it of the last statement's start waits for the rest of it and
 * goes with everything else that arrived meanwhile. A send after a quiet moment still goes at the
 * end of its turn. This is the embedded database's setting (`sendPacingFor`): its cost is mostly
 * per statement, so at a paced chat's rate, where sends arrive one per turn, it turns several
 * one-message statements into one and takes that CPU from nobody else on the machine.
 *
 * A batch is one transaction: if it fails, none of it was stored, and each of its sends is tried
 * again alone, so one bad send (say, an author deleted meanwhile) fails only itself.
 */
export class SendBatcher {
  private readonly waiting: Pending[] = [];
  private inFlight = 0;
  private turnEndScheduled = false;
  private readonly atTurnEnd = () => {
    this.turnEndScheduled = false;
    this.pump();
  };
  /** When the last statement started (`now()`), for `spacingMs`. */
  private lastStart = Number.NEGATIVE_INFINITY;
  private spacingTimer: ReturnType<typeof setTimeout> | null = null;
  /** `drain` was called: nothing waits for the spacing any more. */
  private draining = false;
  private readonly drainWaiters: Array<() => void> = [];
  private readonly maxInFlight: number;
  private readonly spacingMs: number;
  private readonly maxBatch: number;
  private readonly now: () => number;

  constructor(
    private readonly repo: TicketsRepository,
    options: SendBatcherOptions = {},
  ) {
    this.maxInFlight = options.maxInFlight ?? 4;
    this.spacingMs = options.spacingMs ?? 0;
    this.maxBatch = options.maxBatch ?? 100;
    this.now = options.now ?? (() => performance.now());
  }

  send(request: SendRequest): Promise<SendOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (!this.turnEndScheduled) {
        this.turnEndScheduled = true;
        setImmediate(this.atTurnEnd);
      }
    });
  }

  /**
   * Resolves once every send taken so far has its outcome; from now on nothing waits for the
   * spacing. For a clean stop (the app's close, once the sockets are closed): the sends already
   * taken reach the database before it closes instead of failing against a closed one.
   */
  drain(): Promise<void> {
    this.draining = true;
    if (this.spacingTimer) {
      clearTimeout(this.spacingTimer);
      this.spacingTimer = null;
    }
    this.pump();
    return new Promise((resolve) => {
      this.drainWaiters.push(resolve);
      this.resolveDrainedIfIdle();
    });
  }

  private resolveDrainedIfIdle(): void {
    if (this.inFlight > 0 || this.waiting.length > 0) return;
    for (const resolve of this.drainWaiters.splice(0)) resolve();
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      if (this.spacingTimer) return;
      const wait = this.draining ? 0 : this.lastStart + this.spacingMs - this.now();
      if (wait > 0) {
        this.spacingTimer = setTimeout(() => {
          this.spacingTimer = null;
          this.pump();
        }, wait);
        return;
      }
      const batch = this.waiting.splice(0, this.maxBatch);
      this.lastStart = this.now();
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        // What waited for a free statement has waited long enough: it goes at once (with
        // `spacingMs`, once the spacing since this statement's start has passed).
        this.pump();
        this.resolveDrainedIfIdle();
      });
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    if (batch.length > 1) {
      try {
        const outcomes = await this.repo.insertMessagesIfUnchanged(batch.map((p) => p.request));
        for (const [i, pending] of batch.entries()) pending.resolve(outcomes[i]!);
        return;
      } catch {
        // Nothing of the batch was stored: each send alone, with its own outcome or error.
      }
    }
    await Promise.all(
      batch.map(({ request, resolve, reject }) =>
        this.repo
          .insertMessageIfUnchanged(request.expected, request.ticketId, request.values)
          .then(resolve, reject),
      ),
    );
  }
}
