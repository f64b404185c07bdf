import type { PublicUser, TicketView } from '../../signaling/shared/protocol';
import type { BulkItemResult, BulkResult } from '../../signaling/shared/queues';
import { AppError, forbidden } from '../errors';
import type { Logger } from '../logger';
import type { TicketsService } from '../tickets/service';
import type { BulkInput } from './schemas';

/** Who may change many tickets at once: the people who manage the queue, not each agent. */
export const BULK_ROLES = ['supervisor', 'admin'] as const;

/**
 * A supervisor's change to many tickets: each ticket goes through the same service method (its
 * own transaction, access rules and timeline entry) a single change does, one after another, so a
 * ticket that refuses (closed, gone, an assignee who cannot hold its tier) is reported and the
 * rest still change.
 */
export class BulkActions {
  constructor(
    private readonly tickets: TicketsService,
    private readonly logger: Logger,
  ) {}

  async apply(actor: PublicUser, input: BulkInput): Promise<BulkResult> {
    if (!(BULK_ROLES as readonly string[]).includes(actor.role))
      throw forbidden('Bulk changes are for supervisors and administrators.');
    const results: BulkItemResult[] = [];
    for (const ticketId of input.ticketIds) {
      try {
        const view = await this.one(actor, ticketId, input);
        results.push({ ticketId, ok: true, number: view.number });
      } catch (error) {
        results.push({
          ticketId,
          ok: false,
          number: await this.numberOf(actor, ticketId),
          error: this.reason(error),
        });
      }
    }
    const succeeded = results.filter((r) => r.ok).length;
    return { results, succeeded, failed: results.length - succeeded };
  }

  private one(actor: PublicUser, ticketId: string, input: BulkInput): Promise<TicketView> {
    switch (input.action) {
      case 'assign':
        return this.tickets.assign(actor, ticketId, input.assigneeId, input.note);
      case 'priority':
        return this.tickets.update(actor, ticketId, { priority: input.priority });
      case 'close':
        return this.tickets.update(actor, ticketId, { status: 'closed' });
    }
  }

  /** The ticket's number for the report, when it exists. */
  private async numberOf(actor: PublicUser, ticketId: string): Promise<number | null> {
    try {
      return (await this.tickets.readable(actor, ticketId)).number;
    } catch {
      return null;
    }
  }

  private reason(error: unknown): { code: string; message: string } {
    if (error instanceof AppError) return { code: error.code, message: error.message };
    // A bug, not a refusal: logged with its stack, reported without its text.
    this.logger.error({ err: error }, 'bulk change failed on one ticket');
    return { code: 'internal', message: 'This ticket could not be changed; the others were not affected.' };
  }
}
