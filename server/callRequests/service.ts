// Customer-requested video calls (issue 19): the customer asks from the portal or the widget, the
// assignee (or the free agents of the ticket's tier) is rung, and accepting starts the agent's
// normal call, which the customer's page joins. Every step is a timeline entry; the request's state
// is derived from them under the ticket's row lock, so an accept, a decline and the expiry racing
// on several nodes settle once.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import {
  type RateLimiterAbstract,
  RateLimiterMemory,
  RateLimiterRedis,
  RateLimiterRes,
} from 'rate-limiter-flexible';
import type { CallRequestEligibility, CallRequestView } from '../../signaling/shared/callRequests';
import type { CallView, PublicUser, TicketView } from '../../signaling/shared/protocol';
import type { CallsRepository } from '../calls/repository';
import type { CallsService } from '../calls/service';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { AppError, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import type { TicketsRepository } from '../tickets/repository';
import type { TicketsService } from '../tickets/service';
import { toTimelineEntry } from '../tickets/views';
import { toUserRef } from '../users/service';
import { callRequestSql as sql } from './repository';
import { type CallRequestPolicy, callRequestRule, type RequestState, requestStates } from './rule';

/** Requests per customer in REQUEST_WINDOW_SECONDS: a retry or two, not a ring every minute. */
export const REQUESTS_PER_WINDOW = 3;
export const REQUEST_WINDOW_SECONDS = 600;

const REFUSALS: Record<string, string> = {
  ticket_closed: 'This ticket is solved or closed: a video call can be requested on an open ticket.',
  call_active: 'A call on this ticket is already going on.',
  request_pending: 'Your request for a call is already ringing.',
  priority: 'Video calls are offered for urgent problems; this one is answered in the chat.',
  no_agent_available: 'No agent is available for a video call right now. Keep chatting, or try again later.',
};

export interface CallRequestDeps {
  db: Database;
  tickets: TicketsService;
  ticketsRepo: TicketsRepository;
  calls: CallsService;
  callsRepo: CallsRepository;
  bus: EventBus;
  clock: Clock;
  ringMs: number;
  policy: () => Promise<CallRequestPolicy>;
  redis?: { client: Redis; keyPrefix: string } | undefined;
  logger: Logger;
}

export class CallRequests {
  private readonly timers = new Map<string, unknown>();
  private readonly limiter: RateLimiterAbstract;

  constructor(private readonly deps: CallRequestDeps) {
    const options = {
      keyPrefix: `${deps.redis?.keyPrefix ?? 'livedesk'}:call_request`,
      points: REQUESTS_PER_WINDOW,
      duration: REQUEST_WINDOW_SECONDS,
    };
    this.limiter = deps.redis
      ? new RateLimiterRedis({ ...options, storeClient: deps.redis.client })
      : new RateLimiterMemory(options);
  }

  /** Whether the customer may ask now (and why not), with the request of theirs still ringing. */
  async eligibility(actor: PublicUser, ticketId: string): Promise<CallRequestEligibility> {
    const ticket = await this.ownTicket(actor, ticketId);
    const states = requestStates(await sql.events(this.deps.db, ticketId), this.deps.clock.now());
    const ringing = states.find((s) => s.status === 'ringing') ?? null;
    const rule = await this.rule(ticket, ringing !== null);
    return {
      allowed: rule.allowed,
      reason: rule.allowed ? null : rule.reason,
      request: ringing ? await this.view(ticket.id, ringing) : null,
    };
  }

  /** The customer asks for a call: rings the targets until the call ring's timeout. */
  async request(actor: PublicUser, ticketId: string): Promise<CallRequestView> {
    const ticket = await this.ownTicket(actor, ticketId);
    const id = randomUUID();
    const now = this.deps.clock.now();
    const expiresAt = new Date(now.getTime() + this.deps.ringMs);
    // What the rule needs besides the ticket's requests is read first: inside the transaction only
    // the statements under the lock run (PGlite has one connection; the pool is not for waiting).
    const facts = await this.facts(ticket);
    const row = await this.deps.db.transaction(async (t) => {
      const tx = t as unknown as Database;
      await sql.lockTicket(tx, ticketId);
      const pending = requestStates(await sql.events(tx, ticketId), now).some((s) => s.status === 'ringing');
      const rule = callRequestRule({ ...facts.input, pendingRequest: pending }, facts.policy);
      if (!rule.allowed) throw conflict(REFUSALS[rule.reason]!);
      await this.consume(actor.id);
      return sql.insert(tx, {
        ticketId,
        type: 'call.requested',
        actorId: actor.id,
        data: { requestId: id, targetIds: rule.targetIds, expiresAt: expiresAt.toISOString() },
      });
    });
    this.timers.set(
      id,
      this.deps.clock.setTimeout(() => {
        this.timers.delete(id);
        void this.settle(null, ticketId, id, 'call.request_expired').catch((err) =>
          this.deps.logger.error({ err, requestId: id }, 'could not expire a call request'),
        );
      }, this.deps.ringMs),
    );
    return this.publish(ticketId, id, row);
  }

  /** A rung agent accepts: the agent's normal call starts, and the customer's page joins it. */
  async accept(
    actor: PublicUser,
    ticketId: string,
    requestId: string,
  ): Promise<{ request: CallRequestView; call: CallView }> {
    await this.assertTarget(actor, ticketId, requestId);
    const accepted = await this.settle(actor, ticketId, requestId, 'call.request_accepted');
    const call = await this.deps.calls.start(actor, ticketId);
    // The entry learns its call only now: starting the call waits for the request's lock to go.
    await sql.attachCall(this.deps.db, accepted.entryId, call.id);
    const request = { ...accepted.request, callId: call.id };
    this.deps.bus.publish('call.request_updated', { request });
    return { request, call };
  }

  async decline(actor: PublicUser, ticketId: string, requestId: string): Promise<CallRequestView> {
    await this.assertTarget(actor, ticketId, requestId);
    return (await this.settle(actor, ticketId, requestId, 'call.request_declined')).request;
  }

  async cancel(actor: PublicUser, ticketId: string, requestId: string): Promise<CallRequestView> {
    await this.ownTicket(actor, ticketId);
    return (await this.settle(actor, ticketId, requestId, 'call.request_cancelled')).request;
  }

  /** Clears the expiry timers (shutdown); a restarted node reads expiry from the entries. */
  stop(): void {
    for (const timer of this.timers.values()) this.deps.clock.clearTimeout(timer);
    this.timers.clear();
  }

  // ----------------------------------------------------------------------------------------------

  private async ownTicket(actor: PublicUser, ticketId: string) {
    const ticket = await this.deps.tickets.viewById(ticketId);
    // Only the requester asks; anyone else learns nothing about the ticket.
    if (!ticket || ticket.requester.id !== actor.id) throw notFound('The ticket');
    return ticket;
  }

  private async rule(ticket: TicketView, pending: boolean) {
    const facts = await this.facts(ticket);
    return callRequestRule({ ...facts.input, pendingRequest: pending }, facts.policy);
  }

  private async facts(ticket: TicketView) {
    const [agents, activeCall, policy] = await Promise.all([
      this.deps.ticketsRepo.agentsWithLoad(),
      this.deps.callsRepo.activeCallForTicket(ticket.id),
      this.deps.policy(),
    ]);
    return {
      policy,
      input: {
        status: ticket.status,
        priority: ticket.priority,
        tier: ticket.tier,
        assigneeId: ticket.assignee?.id ?? null,
        slaBreached: ticket.sla.clocks.some((c) => c.status === 'breached'),
        activeCall: activeCall !== undefined,
        agents,
      },
    };
  }

  private async consume(customerId: string): Promise<void> {
    try {
      await this.limiter.consume(customerId);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      const retryAfterSeconds = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
      throw new AppError(
        'rate_limited',
        `You asked for a call ${REQUESTS_PER_WINDOW} times recently. Try again in ${retryAfterSeconds} seconds, or keep chatting.`,
        { retryAfterSeconds },
      );
    }
  }

  private async assertTarget(actor: PublicUser, ticketId: string, requestId: string): Promise<void> {
    if (actor.role === 'customer') throw forbidden('Only the agents it rings answer a call request.');
    const state = requestStates(await sql.events(this.deps.db, ticketId), this.deps.clock.now()).find(
      (s) => s.id === requestId,
    );
    if (!state) throw notFound('The call request');
    if (!state.targetIds.includes(actor.id)) throw forbidden('This call request rings other agents.');
  }

  /** Records an outcome if the request still rings (under the ticket's lock); 409 otherwise. */
  private async settle(
    actor: PublicUser | null,
    ticketId: string,
    requestId: string,
    type:
      | 'call.request_accepted'
      | 'call.request_declined'
      | 'call.request_expired'
      | 'call.request_cancelled',
  ): Promise<{ request: CallRequestView; entryId: string }> {
    const now = this.deps.clock.now();
    const result = await this.deps.db.transaction(async (t) => {
      const tx = t as unknown as Database;
      await sql.lockTicket(tx, ticketId);
      const state = requestStates(await sql.events(tx, ticketId), now).find((s) => s.id === requestId);
      if (!state) throw notFound('The call request');
      // The expiry of a request that already ended (or that the clock ended) changes nothing.
      if (state.status !== 'ringing' && !(type === 'call.request_expired' && state.status === 'expired'))
        throw conflict(`This call request is no longer ringing (${state.status}).`);
      if (type === 'call.request_cancelled' && state.customerId !== actor?.id)
        throw notFound('The call request');
      if (type === 'call.request_declined' && state.declinedBy.includes(actor!.id))
        throw conflict('You declined it already.');
      return sql.insert(tx, { ticketId, type, actorId: actor?.id ?? null, data: { requestId } });
    });
    if (type !== 'call.request_declined') this.clearTimer(requestId);
    const request = await this.publish(ticketId, requestId, result, type !== 'call.request_accepted');
    if (request.status !== 'ringing') this.clearTimer(requestId);
    return { request, entryId: result.id };
  }

  private clearTimer(requestId: string): void {
    const timer = this.timers.get(requestId);
    if (timer !== undefined) this.deps.clock.clearTimeout(timer);
    this.timers.delete(requestId);
  }

  /** The entry on the timeline, and the request's new state to the customer and the rung agents. */
  private async publish(
    ticketId: string,
    requestId: string,
    row: Awaited<ReturnType<typeof sql.insert>>,
    announce = true,
  ): Promise<CallRequestView> {
    const state = requestStates(await sql.events(this.deps.db, ticketId), this.deps.clock.now()).find(
      (s) => s.id === requestId,
    )!;
    const request = await this.view(ticketId, state);
    const actor = row.actorId ? await this.deps.ticketsRepo.findUser(row.actorId) : undefined;
    this.deps.bus.publish('call.request_recorded', { entry: toTimelineEntry(row, actor) });
    if (announce) this.deps.bus.publish('call.request_updated', { request });
    return request;
  }

  private async view(ticketId: string, state: RequestState): Promise<CallRequestView> {
    const [ticket, customer, by] = await Promise.all([
      this.deps.ticketsRepo.findTicket(ticketId),
      this.deps.ticketsRepo.findUser(state.customerId),
      state.byId ? this.deps.ticketsRepo.findUser(state.byId) : undefined,
    ]);
    return {
      id: state.id,
      ticketId,
      ticketNumber: ticket?.number ?? 0,
      subject: ticket?.subject ?? '',
      customer: customer
        ? toUserRef(customer)
        : { id: state.customerId, name: '', role: 'customer', tier: null },
      status: state.status,
      targetIds: state.targetIds,
      by: by ? toUserRef(by) : null,
      callId: state.callId,
      requestedAt: state.requestedAt.toISOString(),
      expiresAt: state.expiresAt.toISOString(),
    };
  }
}
