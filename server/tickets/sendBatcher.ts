import type { SendOutcome, SendRequest, TicketsRepository } from './repository';

interface Pending {
  request: SendRequest;
  resolve: (outcome: SendOutcome) => void;
  reject: (err: unknown) => void;
}

/**
 * Group commit for chat sends. Up to `maxInFlight` statements run at once, a send that arrives
 * meanwhile waits, and when a statement ends everything that waited goes as one statement
 * (`livedesk_send_messages`): under load one round trip and one commit serve many messages, idle a
 * send goes alone at once (no timer ever delays it). The caller never has two sends of one ticket
 * here at once (sends go in line per ticket), so a batch locks each ticket once.
 *
 * A batch is one transaction: if it fails, none of it was stored, and each of its sends is tried
 * again alone, so one bad send (say, an author deleted meanwhile) fails only itself.
 */
export class SendBatcher {
  private readonly waiting: Pending[] = [];
  private inFlight = 0;

  constructor(
    private readonly repo: TicketsRepository,
    private readonly maxInFlight = 4,
    private readonly maxBatch = 100,
  ) {}

  send(request: SendRequest): Promise<SendOutcome> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      void this.run(batch).finally(() => {
        this.inFlight--;
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
