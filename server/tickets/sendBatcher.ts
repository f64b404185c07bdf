import type { SendOutcome, SendRequest, TicketsRepository } from './repository';

interface Pending {
  request: SendRequest;
  resolve: (outcome: SendOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for chat sends. The sends that arrive during one turn of the event loop go as one
 * statement at its end (`setImmediate`: after the turn's I/O callbacks, before any timer), up to
 * `maxInFlight` statements run at once, and a send that arrives while they are all busy waits for
 * the next one to end, then goes with everything else that waited (`livedesk_send_messages`: one
 * round trip and one commit for many messages). Idle, a send goes alone within the turn it arrived
 * in; no timer ever delays it. The caller never has two sends of one ticket here at once (sends
 * go in line per ticket), so a batch locks each ticket once.
 *
 * Why the end of the turn rather than at once: a busy server reads many sockets in one turn, and
 * each statement costs the main thread about the same whatever it carries (a query object, the
 * write that wakes a backend, a result to parse: a fifth of the main thread's busy time per message
 * at 2,000 msg/s on PostgreSQL with 5,000 sockets, when sends took free slots one by one). The
 * database starts on them a little later, within the same turn. docs/decisions.md has the figures.
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

  constructor(
    private readonly repo: TicketsRepository,
    private readonly maxInFlight = 4,
    private readonly maxBatch = 100,
  ) {}

  send(request: SendRequest): Promise<SendOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      if (!this.turnEndScheduled) {
        this.turnEndScheduled = true;
        setImmediate(this.atTurnEnd);
      }
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
        // What waited for a free statement has waited long enough: it goes at once.
        this.pump();
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
