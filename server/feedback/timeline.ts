import type { TicketEventRow } from '../db/schema';
import type { EventBus } from '../events/bus';
import type { TicketsRepository } from '../tickets/repository';
import { toTimelineEntry } from '../tickets/views';

export type FeedbackEventType =
  | 'csat.submitted'
  | 'call_rating.submitted'
  | 'followup.opened'
  | 'followup.overdue'
  | 'followup.closed';

export type PendingFeedbackEvent = { type: FeedbackEventType; row: TicketEventRow };

/**
 * The feedback domain's entries on a ticket's timeline: written in the caller's transaction with
 * the change they describe (`record`), published on the bus after it commits (`publish`), like the
 * ticket domain's own events.
 */
export class FeedbackTimeline {
  constructor(
    private readonly tickets: TicketsRepository,
    private readonly bus: EventBus,
  ) {}

  async record(
    repo: TicketsRepository,
    ticketId: string,
    type: FeedbackEventType,
    actorId: string | null,
    data: Record<string, unknown>,
  ): Promise<PendingFeedbackEvent> {
    return { type, row: await repo.insertEvent({ ticketId, type, actorId, data }) };
  }

  async publish(events: PendingFeedbackEvent[]): Promise<void> {
    if (events.length === 0) return;
    const actors = await this.tickets.usersByIds(
      events.flatMap((e) => (e.row.actorId ? [e.row.actorId] : [])),
    );
    for (const event of events) {
      const actor = event.row.actorId ? actors.get(event.row.actorId) : undefined;
      this.bus.publish(event.type, { entry: toTimelineEntry(event.row, actor) });
    }
  }
}
