import type { PublicUser } from '../../signaling/shared/protocol';
import type { CustomerContext } from '../../signaling/shared/queues';
import { forbidden, notFound } from '../errors';
import { mayWatchRecording } from '../recordings/qa';
import { isStaff } from '../tickets/access';
import type { TicketsService } from '../tickets/service';
import type { CustomersRepository } from './repository';

/**
 * What an agent sees beside a conversation: who the customer is, what they asked before, the
 * calls they had (a recording only for those who may watch it) and how they rated the help.
 * Staff only: a customer never sees this page of themselves.
 */
export class CustomerContextService {
  constructor(
    private readonly repo: CustomersRepository,
    private readonly tickets: TicketsService,
  ) {}

  async forTicket(actor: PublicUser, ticketId: string): Promise<CustomerContext> {
    if (!isStaff(actor)) throw forbidden('The customer context is for the support team.');
    const ticket = await this.tickets.readable(actor, ticketId);
    const [customer, others, calls, csat] = await Promise.all([
      this.repo.customer(ticket.requesterId),
      this.repo.otherTickets(ticket.requesterId, ticket.id),
      this.repo.calls(ticket.requesterId),
      this.repo.csat(ticket.requesterId),
    ]);
    if (!customer) throw notFound('The customer');
    return {
      customer: {
        id: customer.id,
        name: customer.name,
        email: customer.email,
        locale: customer.locale,
        createdAt: customer.createdAt.toISOString(),
        disabled: customer.disabledAt !== null,
        ticketCount: Number(customer.ticketCount),
        openTicketCount: Number(customer.openTicketCount),
      },
      tickets: others.map((t) => ({
        ...t,
        createdAt: t.createdAt.toISOString(),
        updatedAt: t.updatedAt.toISOString(),
      })),
      calls: calls.map((c) => ({
        id: c.id,
        ticketId: c.ticketId,
        ticketNumber: c.ticketNumber,
        startedAt: c.startedAt.toISOString(),
        endedAt: c.endedAt?.toISOString() ?? null,
        durationSeconds: c.connectedSeconds === null ? null : Math.round(Number(c.connectedSeconds)),
        recording:
          c.recordingId && c.recordingStatus && mayWatchRecording(actor, c.participantIds)
            ? { id: c.recordingId, status: c.recordingStatus }
            : null,
        rating:
          c.picture === null || c.sound === null || c.helpfulness === null
            ? null
            : { picture: c.picture, sound: c.sound, helpfulness: c.helpfulness },
      })),
      csat: csat.map((r) => ({ ...r, submittedAt: r.submittedAt.toISOString() })),
    };
  }
}
