import type { MessageView, PublicUser } from '../../signaling/shared/protocol';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/bus';
import { canCustomerReply, canNote, canRead, canSeeInternal, canWork, isStaff } from './access';
import type { TicketsRepository } from './repository';
import type { SendMessageInput } from './schemas';
import type { PendingEvent, TicketsService } from './service';
import { buildMessageViews } from './views';

/**
 * The conversation on a ticket: public replies, internal notes (staff only, never sent to a
 * customer over REST or the socket) and system messages. A message is stored, with its effects
 * on the ticket (first response, reopening), before it is acknowledged or broadcast.
 */
export class MessagesService {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly tickets: TicketsService,
    private readonly bus: EventBus,
  ) {}

  async send(actor: PublicUser, input: SendMessageInput): Promise<MessageView> {
    if (input.internal && !isStaff(actor)) throw forbidden('Only the support team writes internal notes.');
    const outcome = await this.repo.transaction(async (repo) => {
      const ticket = await repo.lockTicket(input.ticketId);
      if (!ticket || !canRead(actor, ticket)) throw notFound('The ticket');
      // A retried send (lost ack, reconnect) returns the stored message instead of a duplicate.
      const existing = await repo.findMessageByClientId(ticket.id, actor.id, input.clientMessageId);
      if (existing) return { message: existing, events: [] as PendingEvent[], duplicate: true };
      if (isStaff(actor)) {
        // canNote covers canWork; an agent who escalated the ticket follows it and may still add
        // internal notes, but the customer hears from the tier that now works it.
        const following =
          actor.role === 'agent' && !canWork(actor, ticket) && (await repo.isFollower(ticket.id, actor.id));
        const allowed = input.internal ? canNote(actor, ticket, following) : canWork(actor, ticket);
        if (!allowed) {
          throw forbidden(
            following
              ? `This ticket was escalated to ${ticket.tier}: you can add internal notes; the ${ticket.tier} team replies to the customer.`
              : actor.role === 'qa'
                ? 'QA reviewers cannot write on tickets.'
                : 'This ticket is outside your tier.',
          );
        }
      } else if (!canCustomerReply(actor, ticket)) {
        throw conflict('This ticket is closed. Open a new ticket if you need more help.');
      }
      if (ticket.status === 'closed') throw conflict('This ticket is closed.');

      const message = await repo.insertMessage({
        ticketId: ticket.id,
        authorId: actor.id,
        kind: input.internal ? 'internal' : 'public',
        body: input.body,
        clientMessageId: input.clientMessageId,
      });
      const claimed = await repo.claimAttachments(input.attachmentIds, actor.id, ticket.id, message.id);
      if (claimed !== input.attachmentIds.length) {
        throw badRequest('Some attachments are not yours or are already used.', [
          { path: 'attachmentIds', message: 'unknown or already attached upload' },
        ]);
      }

      const events: PendingEvent[] = [];
      if (!input.internal && isStaff(actor)) {
        if (!ticket.firstResponseAt) {
          await repo.updateTicket(ticket.id, { firstResponseAt: message.createdAt });
          events.push(
            await this.tickets.record(repo, ticket.id, 'ticket.first_response', actor.id, {
              via: 'reply',
              seconds: Math.round((message.createdAt.getTime() - ticket.createdAt.getTime()) / 1000),
            }),
          );
        }
        if (ticket.status === 'new') {
          await repo.updateTicket(ticket.id, { status: 'open' });
          events.push(
            await this.tickets.record(repo, ticket.id, 'ticket.updated', actor.id, {
              status: { from: 'new', to: 'open' },
              changes: {},
            }),
          );
        }
      } else if (!isStaff(actor) && (ticket.status === 'pending' || ticket.status === 'solved')) {
        // The customer answered (pending) or came back (solved): the ticket needs the team again.
        await repo.updateTicket(ticket.id, { status: 'open', solvedAt: null });
        events.push(
          await this.tickets.record(repo, ticket.id, 'ticket.updated', actor.id, {
            status: { from: ticket.status, to: 'open' },
            changes: {},
          }),
        );
      } else {
        await repo.updateTicket(ticket.id, {});
      }
      return { message, events, duplicate: false };
    });
    const [view] = await buildMessageViews(this.repo, [outcome.message]);
    if (!outcome.duplicate) {
      this.bus.publish('message.created', { message: view! });
      await this.tickets.publish(outcome.events);
    }
    return view!;
  }

  /**
   * One page of the conversation, oldest first, plus the cursor for the page before it.
   * Customers never receive internal notes.
   */
  async page(
    actor: PublicUser,
    ticketId: string,
    query: { before?: number; limit: number },
  ): Promise<{ items: MessageView[]; nextBefore: number | null }> {
    const ticket = await this.tickets.readable(actor, ticketId);
    const rows = await this.repo.listMessages(ticket.id, {
      before: query.before,
      limit: query.limit,
      includeInternal: canSeeInternal(actor),
    });
    const items = (await buildMessageViews(this.repo, rows)).reverse();
    return { items, nextBefore: rows.length === query.limit ? (items[0]?.seq ?? null) : null };
  }
}
