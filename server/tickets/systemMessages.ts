import type { SystemEvent } from '../../signaling/shared/protocol';
import type { ticketMessages } from '../db/schema';

/**
 * English wording of a system event. Clients word `system` themselves, in their reader's language;
 * this text is kept in `body` for clients and integrations that only read text.
 */
export function englishSystemText(event: SystemEvent): string {
  switch (event.type) {
    case 'call.started':
      return `${event.startedBy} started a video call.`;
    case 'board.saved':
      return `Whiteboard from the call saved (${event.elements} ${event.elements === 1 ? 'element' : 'elements'}).`;
    case 'ticket.merged_into':
      return `Merged into #${event.number}.`;
    case 'ticket.merged_from':
      return `#${event.number} was merged into this ticket.`;
    case 'ticket.escalated':
      return 'Your request was passed to a specialist, who is taking over from here.';
  }
}

/** The row of a system message on `ticketId` saying `event`. */
export function systemMessage(ticketId: string, event: SystemEvent): typeof ticketMessages.$inferInsert {
  return { ticketId, authorId: null, kind: 'system', system: event, body: englishSystemText(event) };
}
