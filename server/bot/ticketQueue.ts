import type { Clock } from '../clock';

interface Line {
  tail: Promise<void>;
  /** Questions waiting for the next search (coalesced into one), or null when none waits. */
  pending: { texts: string[]; done: Promise<void> } | null;
  lastSearchAt: number;
}

/** Coalesced questions are cut to this many characters (a pasted log is not a better query). */
const MAX_QUESTION_CHARS = 1_000;

/**
 * The assistant's work per ticket, one piece at a time and in order (a "no" is not overtaken by
 * the answer to the question before it). Searches are rate-limited per ticket: at most one per
 * `minIntervalMs`, and questions that arrive while one waits are answered together by one search,
 * so a flood of messages costs a few searches, not one each. In memory on each node: a ticket's
 * customer is on one node's socket at a time, and the database decides every state change anyway.
 */
export class TicketQueue {
  private readonly lines = new Map<string, Line>();
  /** Pieces of work queued or running, on every ticket. */
  private queued = 0;

  constructor(
    private readonly clock: Clock,
    private readonly minIntervalMs: number,
    private readonly onError: (err: unknown, ticketId: string) => void,
  ) {}

  /** Runs `work` after everything queued for the ticket. */
  run(ticketId: string, work: () => Promise<unknown>): Promise<void> {
    const line = this.line(ticketId);
    this.queued++;
    // A failure is logged and ends that piece of work only: the ticket's next work still runs.
    const next = line.tail
      .then(() => work())
      .then(
        () => {},
        (err) => this.onError(err, ticketId),
      )
      .finally(() => {
        this.queued--;
      });
    this.setTail(ticketId, line, next);
    return next;
  }

  /** Queues a question: joins one that waits for its search, or waits its turn and the interval. */
  question(ticketId: string, text: string, answer: (text: string) => Promise<unknown>): Promise<void> {
    const line = this.line(ticketId);
    if (line.pending) {
      line.pending.texts.push(text);
      return line.pending.done;
    }
    const pending: { texts: string[]; done: Promise<void> } = { texts: [text], done: Promise.resolve() };
    line.pending = pending;
    pending.done = this.run(ticketId, async () => {
      const wait = line.lastSearchAt + this.minIntervalMs - this.clock.now().getTime();
      if (wait > 0) await new Promise<void>((resolve) => this.clock.setTimeout(resolve, wait));
      if (line.pending === pending) line.pending = null;
      line.lastSearchAt = this.clock.now().getTime();
      await answer(pending.texts.join('\n').slice(0, MAX_QUESTION_CHARS));
    });
    return pending.done;
  }

  /** Resolves once every ticket's queued work has run. */
  async idle(): Promise<void> {
    while (this.queued > 0) await Promise.all([...this.lines.values()].map((l) => l.tail));
  }

  private line(ticketId: string): Line {
    let line = this.lines.get(ticketId);
    if (!line) {
      line = { tail: Promise.resolve(), pending: null, lastSearchAt: Number.NEGATIVE_INFINITY };
      this.lines.set(ticketId, line);
    }
    return line;
  }

  private setTail(ticketId: string, line: Line, tail: Promise<void>): void {
    line.tail = tail;
    void tail.then(() => {
      // Keep the line while its last search is recent: the interval still applies to it.
      if (line.tail === tail && !line.pending) {
        const sinceSearch = this.clock.now().getTime() - line.lastSearchAt;
        if (sinceSearch >= this.minIntervalMs) this.lines.delete(ticketId);
        else
          this.clock.setTimeout(() => {
            if (this.lines.get(ticketId) === line && line.tail === tail && !line.pending)
              this.lines.delete(ticketId);
          }, this.minIntervalMs - sinceSearch);
      }
    });
  }
}
