import type { MessageView, PublicUser } from '../../signaling/shared/protocol';
import type { TicketMessageRow, TicketRow } from '../db/schema';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/bus';
import { canCustomerReply, canNote, canRead, canSeeInternal, canWork, isStaff } from './access';
import { type ConversationFacts, conversationFacts, type TicketsRepository } from './repository';
import type { SendMessageInput } from './schemas';
import { SendBatcher, type SendBatcherOptions } from './sendBatcher';
import type { PendingEvent, TicketsService } from './service';
import { buildMessageViews, toMessageView } from './views';

/**
 * How the send statements go (`SendBatcher`). PostgreSQL runs four side by side on its pool's
 * connections, each as soon as it can. The embedded database runs one statement at a time on its
 * one thread, so a second statement in flight would only queue there and split the sends waiting
 * meanwhile into more, smaller groups; and a send statement costs PGlite about 1 ms of CPU before
 * any message in it, each message ≈ 0.3–0.5 ms more (bench/sendStatementCost.ts, on a machine
 * where a message alone took 1.5 ms). So on PGlite one is in flight, and while sends keep coming
 * they start at most every `spacingMs`: a send waits at most that long, and at a busy but paced
 * chat's rate (200 msg/s: one send every 5 ms) a statement carries about three messages instead
 * of one. 15 ms rather than 5: the server's CPU at that rate fell by a third and the delivery p99
 * stayed where it was (docs/decisions.md has the measurements and what it costs).
 */
export const sendPacingFor = (database: 'pglite' | 'postgres'): SendPacing =>
  database === 'pglite' ? { maxInFlight: 1, spacingMs: 15 } : { maxInFlight: 4, spacingMs: 0 };
type SendPacing = Required<Pick<SendBatcherOptions, 'maxInFlight' | 'spacingMs'>>;

/**
 * The conversation on a ticket: public replies, internal notes (staff only, never sent to a
 * customer over REST or the socket) and system messages. A message is stored, with its effects
 * on the ticket (first response, reopening), before it is acknowledged or broadcast.
 */
export class MessagesService {
  /** Per ticket, the facts the last send on it committed with (a hint: the statement re-checks it). */
  private readonly facts = new ConversationFactsCache();
  /** Per ticket, the end of the queue of sends under way in this process. */
  private readonly inLine = new Map<string, Promise<void>>();
  /** The one-statement sends, grouped into one statement each under load. */
  private readonly sends: SendBatcher;

  constructor(
    private readonly repo: TicketsRepository,
    private readonly tickets: TicketsService,
    private readonly bus: EventBus,
    /** How the send statements go (see `sendPacingFor`). */
    readonly pacing: SendPacing = sendPacingFor('postgres'),
  ) {
    this.sends = new SendBatcher(repo, pacing);
  }

  /**
   * Stores a message and its effects, then acknowledges (returns) and broadcasts it. A send that
   * changes nothing on the ticket (the conversation's steady state) takes one statement, the first
   * one on a ticket in this process or one whose ticket changed meanwhile two; the rare cases
   * (first response, reopening, attachments, a follower's note, a refusal) take the transaction.
   */
  send(actor: PublicUser, input: SendMessageInput): Promise<MessageView> {
    // One send per ticket at a time in this process. The ticket row lock already orders them in
    // the database, but two commits on different connections can come back in either order; in
    // line, each message is broadcast before the next is stored, so every socket gets seq order.
    const previous = this.inLine.get(input.ticketId) ?? Promise.resolve();
    const result = previous.then(() => this.sendNow(actor, input));
    const tail = result.then(
      () => {},
      () => {},
    );
    this.inLine.set(input.ticketId, tail);
    void tail.then(() => {
      if (this.inLine.get(input.ticketId) === tail) this.inLine.delete(input.ticketId);
    });
    return result;
  }

  /**
   * Every send under way has its outcome: for the app's close, after the sockets closed and before
   * the database does, so that what was taken is stored rather than failed. Nothing waits for the
   * statements' spacing from then on.
   */
  async idle(): Promise<void> {
    const batcherDrained = this.sends.drain();
    while (this.inLine.size > 0) await Promise.allSettled([...this.inLine.values()]);
    await batcherDrained;
  }

  private async sendNow(actor: PublicUser, input: SendMessageInput): Promise<MessageView> {
    if (input.internal && !isStaff(actor)) throw forbidden('Only the support team writes internal notes.');
    if (input.attachmentIds.length === 0) {
      // The facts the last send here committed with, or none (a first send in this process): a
      // call with none, or with facts that no longer hold, inserts nothing and returns the
      // ticket's current facts, so one more call decides on them. Two calls at most here; a
      // refusal, an effect or a ticket that keeps changing is left to the transaction.
      let known = this.facts.get(input.ticketId);
      for (let attempt = 0; attempt < 2; attempt++) {
        if (known && !isPlainSend(actor, input.internal, known)) break;
        const kind = input.internal ? 'internal' : 'public';
        const { matched, message, current, ticket } = await this.sends.send({
          expected: known,
          ticketId: input.ticketId,
          values: { authorId: actor.id, kind, body: input.body, clientMessageId: input.clientMessageId },
        });
        if (matched && known) {
          this.facts.touch(known);
          if (!message) return this.stored(actor, input);
          const view = toMessageView(message, actor, []);
          this.bus.publish('message.created', { message: view, ...(ticket ? { ticket } : {}) });
          return view;
        }
        if (!current) {
          this.facts.delete(input.ticketId);
          break; // gone: the transaction answers with the right error
        }
        known = current;
        this.facts.remember(current);
      }
    }
    return this.sendInTransaction(actor, input);
  }

  /**
   * Learns a ticket's facts from a read made for another reason (a subscription), unless a send
   * here already knows newer ones: the ticket's first send in this process is then one statement.
   */
  warm(row: TicketRow): void {
    if (!this.facts.get(row.id)) this.facts.remember(conversationFacts(row));
  }

  /** A retried send (lost ack, reconnect): the stored message, read back. */
  private async stored(actor: PublicUser, input: SendMessageInput): Promise<MessageView> {
    const existing = await this.repo.findMessageByClientId(input.ticketId, actor.id, input.clientMessageId);
    if (!existing) throw notFound('The message');
    return (await this.views(actor, [existing]))[0]!;
  }

  private async views(actor: PublicUser, rows: TicketMessageRow[]): Promise<MessageView[]> {
    // Only for a duplicate or a send with attachments: the messages that may have files.
    const files = await this.repo.attachmentsForMessages(rows.map((r) => r.id));
    return rows.map((row) =>
      toMessageView(
        row,
        actor,
        files.filter((f) => f.messageId === row.id),
      ),
    );
  }

  private async sendInTransaction(actor: PublicUser, input: SendMessageInput): Promise<MessageView> {
    const outcome = await this.repo.transaction(async (repo) => {
      const ticket = await repo.lockTicket(input.ticketId);
      if (!ticket || !canRead(actor, ticket)) throw notFound('The ticket');
      // A retried send (lost ack, reconnect) returns the stored message instead of a duplicate.
      const existing = await repo.findMessageByClientId(ticket.id, actor.id, input.clientMessageId);
      if (existing) return { message: existing, events: [] as PendingEvent[], duplicate: true, ticket };
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
      let updated = ticket;
      if (!input.internal && isStaff(actor)) {
        if (!ticket.firstResponseAt) {
          updated = await repo.updateTicket(ticket.id, { firstResponseAt: message.createdAt });
          events.push(
            await this.tickets.record(repo, ticket.id, 'ticket.first_response', actor.id, {
              via: 'reply',
              seconds: Math.round((message.createdAt.getTime() - ticket.createdAt.getTime()) / 1000),
            }),
          );
        }
        if (ticket.status === 'new') {
          updated = await repo.updateTicket(ticket.id, { status: 'open' });
          events.push(
            await this.tickets.record(repo, ticket.id, 'ticket.updated', actor.id, {
              status: { from: 'new', to: 'open' },
              changes: {},
            }),
          );
        }
      } else if (!isStaff(actor) && (ticket.status === 'pending' || ticket.status === 'solved')) {
        // The customer answered (pending) or came back (solved): the ticket needs the team again.
        updated = await repo.updateTicket(ticket.id, { status: 'open', solvedAt: null });
        events.push(
          await this.tickets.record(repo, ticket.id, 'ticket.updated', actor.id, {
            status: { from: ticket.status, to: 'open' },
            changes: {},
          }),
        );
      } else {
        updated = await repo.updateTicket(ticket.id, {});
      }
      return { message, events, duplicate: false, ticket: updated };
    });
    // What the ticket looked like at commit: the next send on it can take the one-statement path.
    this.facts.remember(conversationFacts(outcome.ticket));
    const [view] =
      input.attachmentIds.length > 0 || outcome.duplicate
        ? await this.views(actor, [outcome.message])
        : [toMessageView(outcome.message, actor, [])];
    if (!outcome.duplicate) {
      const { number, subject, requesterId } = outcome.ticket;
      this.bus.publish('message.created', { message: view!, ticket: { number, subject, requesterId } });
      await this.tickets.publish(outcome.events);
    }
    return view!;
  }

  /**
   * Refuses a typing indicator from someone who could not send what they are typing: a typing
   * flag on the public conversation promises the customer a reply, so it needs `canWork`; one on
   * the internal notes needs `canNote`. Customers reach this only on their own ticket (the socket
   * subscribed through `canRead`). Agents cost one read of the ticket; the other roles none.
   */
  async assertMayType(actor: PublicUser, ticketId: string, internal: boolean): Promise<void> {
    if (!isStaff(actor)) {
      if (internal) throw forbidden('Only the support team writes internal notes.');
      return;
    }
    if (actor.role === 'supervisor' || actor.role === 'admin') return;
    if (actor.role === 'qa') throw forbidden('QA reviewers cannot write on tickets.');
    const ticket = await this.repo.findTicket(ticketId);
    if (!ticket) throw notFound('The ticket');
    if (canWork(actor, ticket)) return;
    if (internal && canNote(actor, ticket, await this.repo.isFollower(ticket.id, actor.id))) return;
    throw forbidden(
      internal
        ? 'This ticket is outside your tier.'
        : `This ticket is worked by the ${ticket.tier} team: you cannot reply to the customer.`,
    );
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

/**
 * Whether sending on a ticket with these facts is allowed and changes nothing on the ticket (no
 * first response, no status change): the only sends the one-statement path takes. Asks the same
 * access.ts rules as the transaction; a refusal, a follower's note or any effect is left to it.
 */
export function isPlainSend(actor: PublicUser, internal: boolean, ticket: ConversationFacts): boolean {
  if (ticket.status === 'closed' || !canRead(actor, ticket)) return false;
  if (isStaff(actor)) {
    if (!canWork(actor, ticket)) return false;
    return internal || (ticket.answered && ticket.status !== 'new');
  }
  return (
    !internal && canCustomerReply(actor, ticket) && ticket.status !== 'pending' && ticket.status !== 'solved'
  );
}

/** Bounded map of recent tickets' conversation facts, the least recently sent-on dropped first. */
class ConversationFactsCache {
  private readonly map = new Map<string, ConversationFacts>();

  constructor(private readonly capacity = 20_000) {}

  get(ticketId: string): ConversationFacts | undefined {
    return this.map.get(ticketId);
  }

  remember(facts: ConversationFacts): void {
    this.map.delete(facts.id);
    this.map.set(facts.id, facts);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value!);
  }

  touch(facts: ConversationFacts): void {
    if (this.map.get(facts.id) === facts) this.remember(facts);
  }

  delete(ticketId: string): void {
    this.map.delete(ticketId);
  }
}
