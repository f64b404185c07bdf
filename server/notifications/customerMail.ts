import type { MessageView } from '../../signaling/shared/protocol';
import type { Presence } from '../calls/ports';
import type { Clock } from '../clock';
import type { EventBus, TicketEventPayload } from '../events/bus';
import type { FeedbackRepository } from '../feedback';
import type { Logger } from '../logger';
import type { Mailer } from '../mail';
import type { TicketsRepository } from '../tickets/repository';
import type { UsersRepository } from '../users/repository';

/** The longest excerpt of a reply quoted in the mail; the rest is on the ticket page. */
const EXCERPT_CHARS = 600;
/** A ticket solved, reopened and solved again the same day asks for its rating once. */
const CSAT_MAIL_EVERY_MS = 86_400_000;

/**
 * Mails a ticket's customer what they would otherwise miss while away (no open Livedesk tab on
 * any node: `Presence`): an agent's public reply, with a link back to the ticket, and the CSAT
 * question when the ticket is solved. Replies are coalesced: at most one mail per ticket and
 * customer per `replyCoalesceMs`; the ticket page has everything said since. Work for one ticket
 * runs in order, so a burst of replies on this node makes one mail.
 */
export class CustomerMail {
  private readonly queues = new Map<string, Promise<void>>();
  private readonly unsubscribe: Array<() => void> = [];

  constructor(
    private readonly deps: {
      bus: EventBus;
      presence: Presence;
      tickets: TicketsRepository;
      users: UsersRepository;
      feedback: FeedbackRepository;
      /** A signed, single-use survey link token for the ticket's customer (feedback/surveyLinks.ts). */
      surveyLink: (customerId: string, ticketId: string) => Promise<string>;
      mailer: Mailer;
      clock: Clock;
      replyCoalesceMs: number;
      logger: Logger;
    },
  ) {}

  start(): void {
    this.unsubscribe.push(
      this.deps.bus.on('message.created', ({ message, ticket }) =>
        this.inOrder(message.ticketId, () => this.onMessage(message, ticket?.requesterId)),
      ),
      this.deps.bus.on('ticket.updated', (payload) =>
        this.inOrder(payload.entry.ticketId, () => this.onUpdate(payload)),
      ),
    );
  }

  stop(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  /** Resolves once every notice started so far was decided (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  private inOrder(ticketId: string, work: () => Promise<void>): Promise<void> {
    const run = (this.queues.get(ticketId) ?? Promise.resolve())
      .then(work)
      .catch((err) => this.deps.logger.error({ err, ticketId }, 'customer notification failed'));
    this.queues.set(ticketId, run);
    void run.finally(() => {
      if (this.queues.get(ticketId) === run) this.queues.delete(ticketId);
    });
    return run;
  }

  private async onMessage(message: MessageView, requesterId: string | undefined): Promise<void> {
    // Only what the customer can read and did not write: a person's public reply.
    if (message.kind !== 'public' || !message.author || message.author.role === 'customer') return;
    // A customer with the ticket open (the usual case in a live chat) gets no mail: known without
    // reading the database when the send said who the requester is.
    if (requesterId && (await this.deps.presence.isOnline(requesterId))) return;
    const target = await this.awayCustomer(message.ticketId);
    if (!target) return;
    const { ticket, customer } = target;
    const key = `reply:${ticket.id}:${customer.id}`;
    const now = this.deps.clock.now();
    if (
      this.deps.replyCoalesceMs > 0 &&
      (await this.deps.mailer.sentWithin(key, now, this.deps.replyCoalesceMs))
    )
      return;
    await this.deps.mailer.send(
      customer,
      {
        kind: 'reply',
        name: customer.name,
        ticketNumber: ticket.number,
        subject: ticket.subject,
        agentName: message.author.name,
        excerpt: excerpt(message.body, message.attachments.length),
        link: this.deps.mailer.link(`/tickets/${ticket.id}`),
      },
      { dedupeKey: key },
    );
  }

  private async onUpdate({ entry }: TicketEventPayload): Promise<void> {
    const status = entry.data.status as { to?: unknown } | undefined;
    if (status?.to !== 'solved') return;
    const target = await this.awayCustomer(entry.ticketId);
    if (!target) return;
    const { ticket, customer } = target;
    // Already rated (a reopened ticket solved again): nothing to ask.
    if (await this.deps.feedback.ticketCsat(ticket.id)) return;
    const key = `csat:${ticket.id}`;
    if (await this.deps.mailer.sentWithin(key, this.deps.clock.now(), CSAT_MAIL_EVERY_MS)) return;
    const token = await this.deps.surveyLink(customer.id, ticket.id);
    await this.deps.mailer.send(
      customer,
      {
        kind: 'csat',
        name: customer.name,
        ticketNumber: ticket.number,
        subject: ticket.subject,
        // Rates without signing in, once; the token rides in the fragment, so it never reaches a
        // server log or a Referer header.
        link: this.deps.mailer.link(`/rate#${token}`),
      },
      { dedupeKey: key },
    );
  }

  /** The ticket and its customer, when the customer is an enabled account with no live connection. */
  private async awayCustomer(ticketId: string) {
    const ticket = await this.deps.tickets.findTicket(ticketId);
    if (!ticket) return undefined;
    const customer = await this.deps.users.findById(ticket.requesterId);
    if (!customer || customer.disabledAt || customer.role !== 'customer') return undefined;
    if (await this.deps.presence.isOnline(customer.id)) return undefined;
    return { ticket, customer };
  }
}

function excerpt(body: string, attachments: number): string {
  const text = body.trim();
  const cut = text.length > EXCERPT_CHARS ? `${text.slice(0, EXCERPT_CHARS).trimEnd()}…` : text;
  return cut || (attachments > 0 ? `[${attachments} 📎]` : '');
}
