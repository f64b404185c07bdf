import type { PublicUser, TicketView, Tier, TimelineEntry } from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import type { TicketEventRow, TicketMessageRow, TicketRow, ticketMessages } from '../db/schema';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { DomainEventName, EventBus } from '../events/bus';
import type { SettingsService } from '../settings/service';
import type { UrgencyRules } from '../settings/urgency';
import { canHold, canRead, canSeeInternal, canWork, isStaff, tierRank } from './access';
import { ACTIVE_STATUSES, type TicketsRepository } from './repository';
import { pickAssignee } from './routing';
import type { CreateTicketInput, ListTicketsQuery, UpdateTicketInput } from './schemas';
import { systemMessage } from './systemMessages';
import { buildMessageViews, buildTicketViews, shareOf, toTimelineEntry, viewFor } from './views';

type TicketEventType = Extract<DomainEventName, `ticket.${string}`>;
type NoteWriter = (values: typeof ticketMessages.$inferInsert) => Promise<void>;
export type PendingEvent = { type: TicketEventType; row: TicketEventRow };

/**
 * The Livedesk assistant's hold on new tickets (server/bot/hold.ts): a ticket it answers first
 * stays out of auto-assignment (and the new-ticket notification) until it hands over.
 */
export interface RoutingHold {
  /** Whether the assistant answers a new ticket of this channel, opened by this person, first. */
  answersFirst(actor: PublicUser, channel: string): Promise<boolean>;
  /** Starts it on the new ticket, inside the creating transaction (`db` is that transaction). */
  begin(db: TicketsRepository['db'], ticketId: string, at: Date): Promise<void>;
  /** Whether it still holds the ticket. */
  holds(ticketId: string): Promise<boolean>;
}

/** A running clock counts as "breaching soon" once less than this share of its target remains. */
const BREACHING_SOON_FRACTION = 0.2;

/**
 * Ticket lifecycle: open, read, list queues, change properties, claim/assign/transfer, escalate,
 * merge, link. Each change and its timeline entry are written in one transaction; the domain
 * events are published after it commits.
 */
export class TicketsService {
  /** The waiting-ticket offer under way per tier, and whether another was asked for meanwhile. */
  private readonly offering = new Map<Tier, { again: boolean; done: Promise<void> }>();

  constructor(
    private readonly repo: TicketsRepository,
    private readonly bus: EventBus,
    private readonly settings: SettingsService,
    private readonly urgencyRules: Pick<UrgencyRules, 'get'>,
    /** When a ticket was solved and the SLA clocks its views show are read on this clock. */
    private readonly clock: Clock,
    private readonly hold?: RoutingHold,
  ) {}

  /** Loads a ticket the actor may read; a customer asking for someone else's gets `not_found`. */
  async readable(actor: PublicUser, id: string): Promise<TicketRow> {
    const row = await this.repo.findTicket(id);
    // Same answer for "missing" and "not yours": a customer learns nothing about other tickets.
    if (!row || !canRead(actor, row)) throw notFound('The ticket');
    return row;
  }

  async view(row: TicketRow): Promise<TicketView> {
    const [view] = await buildTicketViews(
      this.repo,
      [row],
      (await this.settings.get()).slaPolicy,
      this.clock.now(),
    );
    return view!;
  }

  /** Views of ticket rows as this reader may see them (a queue's page). */
  async viewsFor(actor: PublicUser, rows: TicketRow[]): Promise<TicketView[]> {
    const views = await buildTicketViews(
      this.repo,
      rows,
      (await this.settings.get()).slaPolicy,
      this.clock.now(),
    );
    return views.map((view) => viewFor(actor, view));
  }

  /** The current view of a ticket for internal use (realtime fan-out); no access check. */
  async viewById(id: string): Promise<TicketView | undefined> {
    const row = await this.repo.findTicket(id);
    return row ? this.view(row) : undefined;
  }

  async get(actor: PublicUser, id: string): Promise<TicketView> {
    return viewFor(actor, await this.view(await this.readable(actor, id)));
  }

  /** Records one timeline entry inside the caller's transaction. */
  async record(
    repo: TicketsRepository,
    ticketId: string,
    type: TicketEventType,
    actorId: string | null,
    data: Record<string, unknown>,
  ): Promise<PendingEvent> {
    return { type, row: await repo.insertEvent({ ticketId, type, actorId, data }) };
  }

  /** Publishes committed timeline entries as domain events. */
  async publish(events: PendingEvent[]): Promise<void> {
    if (events.length === 0) return;
    const actors = await this.repo.usersByIds(events.flatMap((e) => (e.row.actorId ? [e.row.actorId] : [])));
    for (const event of events) {
      const entry = toTimelineEntry(event.row, event.row.actorId ? actors.get(event.row.actorId) : undefined);
      this.bus.publish(event.type, { entry });
    }
  }

  async create(actor: PublicUser, input: CreateTicketInput): Promise<TicketView> {
    let requesterId = actor.id;
    if (isStaff(actor)) {
      if (actor.role === 'qa') throw forbidden('QA reviewers cannot open tickets.');
      if (!input.requesterId)
        throw badRequest('Name the customer this ticket is for.', [
          { path: 'requesterId', message: 'is required when staff open a ticket' },
        ]);
      const requester = await this.repo.findUser(input.requesterId);
      if (requester?.role !== 'customer') {
        throw badRequest('The requester must be a customer account.', [
          { path: 'requesterId', message: 'is not a customer' },
        ]);
      }
      requesterId = requester.id;
    } else if (input.requesterId && input.requesterId !== actor.id) {
      throw forbidden('Customers open tickets for themselves only.');
    } else if (input.priority) {
      throw badRequest('The request is not valid.', [
        { path: 'priority', message: 'is set by the support team' },
      ]);
    }
    // The customer's urgency sets the priority through the admin's rule (staff may name one).
    const priority = input.priority ?? (await this.urgencyRules.get())[input.urgency ?? 'normal'] ?? 'P3';
    const assistant = (await this.hold?.answersFirst(actor, input.channel)) ?? false;
    const { ticket, events } = await this.repo.transaction(async (repo) => {
      const ticket = await repo.insertTicket({
        subject: input.subject,
        description: input.description,
        category: input.category,
        channel: input.channel,
        priority,
        customerUrgency: input.urgency ?? null,
        requesterId,
        snapshot: input.snapshot ?? null,
      });
      const requester = requesterId === actor.id ? actor : await repo.findUser(requesterId);
      await repo.search.insertDocument(ticket, requester!);
      const claimed = await repo.claimAttachments(input.attachmentIds, actor.id, ticket.id, null);
      if (claimed !== input.attachmentIds.length) {
        throw badRequest('Some attachments are not yours or are already used.', [
          { path: 'attachmentIds', message: 'unknown or already attached upload' },
        ]);
      }
      const created = await this.record(repo, ticket.id, 'ticket.created', actor.id, {
        number: ticket.number,
        subject: ticket.subject,
        channel: ticket.channel,
        priority: ticket.priority,
        tier: ticket.tier,
        attachments: claimed,
        ...(ticket.customerUrgency ? { urgency: ticket.customerUrgency } : {}),
        // The assistant answers first: no assignment or new-ticket notification until it hands over.
        ...(assistant ? { assistant: true } : {}),
      });
      if (assistant) await this.hold!.begin(repo.db, ticket.id, ticket.createdAt);
      return { ticket, events: [created] };
    });
    await this.publish(events);
    const assigned = await this.autoAssign(ticket.id);
    return viewFor(actor, await this.view(assigned ?? ticket));
  }

  /**
   * Assigns an unassigned active ticket to the best available agent of its tier when
   * auto-assignment is on. Returns the updated row, or undefined when nothing changed.
   */
  async autoAssign(ticketId: string): Promise<TicketRow | undefined> {
    const settings = await this.settings.get();
    if (!settings.autoAssign) return undefined;
    if (await this.hold?.holds(ticketId)) return undefined;
    const result = await this.repo.transaction(async (repo) => {
      const ticket = await repo.lockTicket(ticketId);
      if (!ticket || ticket.assigneeId || !(ACTIVE_STATUSES as readonly string[]).includes(ticket.status))
        return undefined;
      // Only whom pickAssignee may choose (online, the ticket's tier): not the whole team per ticket.
      const candidates = await repo.agentsWithLoad({ tier: ticket.tier, online: true });
      const choice = pickAssignee(candidates, ticket, settings.routing);
      if (!choice) return undefined;
      const opens = ticket.status === 'new';
      const updated = await repo.updateTicket(ticket.id, {
        assigneeId: choice.id,
        ...(opens ? { status: 'open' as const } : {}),
      });
      const events = [
        await this.record(repo, ticket.id, 'ticket.assigned', null, {
          kind: 'auto',
          from: null,
          to: choice.id,
          toName: choice.name,
        }),
      ];
      // Same as a manual assignment: a ticket someone holds is open.
      if (opens) {
        events.push(
          await this.record(repo, ticket.id, 'ticket.updated', null, {
            status: { from: 'new', to: 'open' },
            changes: {},
          }),
        );
      }
      return { updated, events };
    });
    if (!result) return undefined;
    await this.publish(result.events);
    return result.updated;
  }

  async list(actor: PublicUser, query: ListTicketsQuery): Promise<TicketView[]> {
    const statuses =
      query.status === 'active' || (!query.status && query.view && query.view !== 'requested')
        ? ACTIVE_STATUSES
        : query.status
          ? [query.status]
          : undefined;
    if (!isStaff(actor)) {
      const rows = await this.repo.listTickets({ requesterId: actor.id, statuses, limit: query.limit });
      const views = await buildTicketViews(
        this.repo,
        rows,
        (await this.settings.get()).slaPolicy,
        this.clock.now(),
      );
      return views.map((view) => viewFor(actor, view));
    }
    const view = query.view ?? 'all';
    const ownTier = actor.role === 'agent' ? (actor.tier ?? undefined) : undefined;
    const filter = {
      statuses,
      limit: query.limit,
      channel: query.channel,
      tier: query.tier ?? (view === 'tier' || view === 'unassigned' ? ownTier : undefined),
      assigneeId: view === 'mine' ? actor.id : undefined,
      unassigned: view === 'unassigned',
      followedBy: view === 'following' ? actor.id : undefined,
    };
    if (view === 'tier' && !filter.tier)
      throw badRequest('The "tier" view needs an agent tier or a tier filter.');
    // "Breaching soon" looks at more tickets than it returns: it keeps only the urgent ones.
    const rows = await this.repo.listTickets(view === 'breaching' ? { ...filter, limit: 500 } : filter);
    let views = await buildTicketViews(
      this.repo,
      rows,
      (await this.settings.get()).slaPolicy,
      this.clock.now(),
    );
    if (view === 'breaching') {
      views = views.filter((v) =>
        v.sla.clocks.some(
          (c) =>
            c.status === 'breached' ||
            (c.status === 'running' && c.remainingSeconds <= c.targetSeconds * BREACHING_SOON_FRACTION),
        ),
      );
    }
    if (view !== 'all' || query.status === 'active') {
      // Queues: most urgent first; tickets with no running clock last, oldest first among equals.
      views.sort(
        (a, b) =>
          (a.sla.urgencySeconds ?? Number.POSITIVE_INFINITY) -
            (b.sla.urgencySeconds ?? Number.POSITIVE_INFINITY) || a.createdAt.localeCompare(b.createdAt),
      );
    }
    return views.slice(0, query.limit);
  }

  async timeline(actor: PublicUser, id: string): Promise<TimelineEntry[]> {
    const ticket = await this.readable(actor, id);
    if (!canSeeInternal(actor)) throw forbidden('The timeline is for the support team.');
    const rows = await this.repo.listEvents(ticket.id);
    const actors = await this.repo.usersByIds(rows.flatMap((r) => (r.actorId ? [r.actorId] : [])));
    return rows.map((r) => toTimelineEntry(r, r.actorId ? actors.get(r.actorId) : undefined));
  }

  /** Runs a change on a locked ticket the actor may work, then publishes what it recorded. */
  private async change(
    actor: PublicUser,
    id: string,
    fn: (repo: TicketsRepository, ticket: TicketRow, note: NoteWriter) => Promise<PendingEvent[]>,
    options: { allowCustomer?: boolean } = {},
  ): Promise<TicketView> {
    // Notes and system messages written by a change are broadcast like any message, after commit.
    const written: TicketMessageRow[] = [];
    const events = await this.repo.transaction(async (repo) => {
      const ticket = await repo.lockTicket(id);
      if (!ticket || !canRead(actor, ticket)) throw notFound('The ticket');
      if (!canWork(actor, ticket) && !(options.allowCustomer && actor.id === ticket.requesterId)) {
        throw forbidden(
          actor.role === 'qa'
            ? 'QA reviewers can read tickets but not change them.'
            : 'This ticket is outside your tier.',
        );
      }
      const note: NoteWriter = async (values) => {
        written.push(await repo.insertMessage(values));
      };
      return fn(repo, ticket, note);
    });
    await this.publish(events);
    for (const message of await buildMessageViews(this.repo, written))
      this.bus.publish('message.created', { message });
    return this.get(actor, id);
  }

  async update(actor: PublicUser, id: string, patch: UpdateTicketInput): Promise<TicketView> {
    return this.change(
      actor,
      id,
      async (repo, ticket) => {
        if (!isStaff(actor)) {
          // A customer may only mark their own ticket solved.
          const keys = Object.keys(patch);
          if (keys.length !== 1 || patch.status !== 'solved') {
            throw forbidden('You can mark your ticket as solved; the support team changes everything else.');
          }
        }
        if (ticket.status === 'closed') throw conflict('This ticket is closed and can no longer change.');
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        const set: Partial<TicketRow> = {};
        for (const key of ['priority', 'category', 'status'] as const) {
          const to = patch[key];
          if (to !== undefined && to !== ticket[key]) {
            changes[key] = { from: ticket[key], to };
            Object.assign(set, { [key]: to });
          }
        }
        if (patch.tags && patch.tags.join(',') !== ticket.tags.join(',')) {
          changes.tags = { from: ticket.tags, to: [...new Set(patch.tags)] };
          set.tags = [...new Set(patch.tags)];
        }
        if (Object.keys(changes).length === 0) return [];
        if (set.status === 'solved') set.solvedAt = this.clock.now();
        // Reopening undoes the resolution; closing a solved ticket keeps when it was resolved.
        else if (set.status && set.status !== 'closed' && ticket.status === 'solved') set.solvedAt = null;
        await repo.updateTicket(ticket.id, set);
        // Status changes live at the top level of `data`: the SLA clocks read them from there.
        const { status, ...rest } = changes;
        return [
          await this.record(repo, ticket.id, 'ticket.updated', actor.id, {
            ...(status ? { status } : {}),
            changes: rest,
          }),
        ];
      },
      { allowCustomer: true },
    );
  }

  async claim(actor: PublicUser, id: string): Promise<TicketView> {
    if (actor.role !== 'agent' && actor.role !== 'supervisor' && actor.role !== 'admin') {
      throw forbidden('Only agents and supervisors take tickets.');
    }
    return this.assign(actor, id, actor.id, undefined);
  }

  /**
   * Assign, claim, transfer or unassign. Taking a ticket that someone else holds is a transfer and
   * needs a note (the hand-over context), unless a supervisor or admin does it.
   */
  async assign(
    actor: PublicUser,
    id: string,
    assigneeId: string | null,
    handover: string | undefined,
  ): Promise<TicketView> {
    return this.change(actor, id, async (repo, ticket, writeNote) => {
      if (ticket.status === 'closed') throw conflict('This ticket is closed.');
      if (ticket.assigneeId === assigneeId) return [];
      let toName: string | null = null;
      if (assigneeId) {
        const assignee = await repo.findUser(assigneeId);
        if (!assignee || assignee.disabledAt)
          throw badRequest('The assignee was not found.', [{ path: 'assigneeId', message: 'unknown user' }]);
        if (!canHold(assignee, ticket.tier)) {
          throw badRequest(`${assignee.name} cannot take a ${ticket.tier} ticket.`, [
            {
              path: 'assigneeId',
              message: `must be an agent of tier ${ticket.tier} or above, or a supervisor`,
            },
          ]);
        }
        toName = assignee.name;
      }
      const isTransfer = ticket.assigneeId !== null && ticket.assigneeId !== actor.id && assigneeId !== null;
      const privileged = actor.role === 'supervisor' || actor.role === 'admin';
      if (isTransfer && !privileged && !handover) {
        throw badRequest('Transferring a ticket someone else holds needs a note.', [
          { path: 'note', message: 'is required for a transfer' },
        ]);
      }
      const kind =
        assigneeId === null
          ? 'unassign'
          : assigneeId === actor.id
            ? 'claim'
            : ticket.assigneeId
              ? 'transfer'
              : 'assign';
      await repo.updateTicket(ticket.id, {
        assigneeId,
        ...(ticket.status === 'new' && assigneeId ? { status: 'open' as const } : {}),
      });
      const events = [
        await this.record(repo, ticket.id, 'ticket.assigned', actor.id, {
          kind,
          from: ticket.assigneeId,
          to: assigneeId,
          toName,
          ...(handover ? { note: handover } : {}),
        }),
      ];
      if (ticket.status === 'new' && assigneeId) {
        events.push(
          await this.record(repo, ticket.id, 'ticket.updated', actor.id, {
            status: { from: 'new', to: 'open' },
            changes: {},
          }),
        );
      }
      if (handover)
        await writeNote({ ticketId: ticket.id, authorId: actor.id, kind: 'internal', body: handover });
      return events;
    });
  }

  /** Moves the ticket up to `tier` with the required note; the whole history stays on the ticket. */
  async escalate(actor: PublicUser, id: string, tier: Tier, note: string): Promise<TicketView> {
    const view = await this.change(actor, id, async (repo, ticket, writeNote) => {
      if (ticket.status === 'closed' || ticket.status === 'solved')
        throw conflict('Reopen the ticket before escalating it.');
      if (tierRank(tier) <= tierRank(ticket.tier)) {
        throw badRequest(`The ticket is already at ${ticket.tier}; escalate to a higher tier.`, [
          { path: 'tier', message: `must be above ${ticket.tier}` },
        ]);
      }
      await repo.updateTicket(ticket.id, { tier, assigneeId: null });
      await writeNote({ ticketId: ticket.id, authorId: actor.id, kind: 'internal', body: note });
      // Whoever escalated keeps following the ticket: it stays in their "Following" queue and they
      // may add notes (canNote). The customer is told a specialist is taking over, in the words of
      // their own language (a structured system message, worded by the client).
      await repo.addFollower(ticket.id, actor.id, 'escalated');
      await writeNote(systemMessage(ticket.id, { type: 'ticket.escalated', tier }));
      return [
        await this.record(repo, ticket.id, 'ticket.escalated', actor.id, {
          from: ticket.tier,
          to: tier,
          previousAssigneeId: ticket.assigneeId,
          note,
        }),
      ];
    });
    const assigned = await this.autoAssign(id);
    return assigned ? this.get(actor, id) : view;
  }

  /** Merges a duplicate (`id`) into `intoId`: the duplicate is closed and points at the survivor. */
  async merge(actor: PublicUser, id: string, intoId: string): Promise<TicketView> {
    if (id === intoId)
      throw badRequest('A ticket cannot be merged into itself.', [
        { path: 'intoTicketId', message: 'must be another ticket' },
      ]);
    if (!isStaff(actor)) throw forbidden();
    return this.change(actor, id, async (repo, source, writeNote) => {
      const target = await repo.lockTicket(intoId);
      if (!target) throw notFound('The ticket to merge into');
      if (!canWork(actor, target)) throw forbidden('The ticket to merge into is outside your tier.');
      if (source.requesterId !== target.requesterId) {
        throw badRequest('Only tickets of the same customer can be merged.', [
          { path: 'intoTicketId', message: 'belongs to another customer' },
        ]);
      }
      if (source.mergedIntoId || source.status === 'closed')
        throw conflict('This ticket is already closed or merged.');
      if (target.status === 'closed') throw conflict('The ticket to merge into is closed.');
      await repo.updateTicket(source.id, { status: 'closed', mergedIntoId: target.id });
      await writeNote(
        systemMessage(source.id, { type: 'ticket.merged_into', ticketId: target.id, number: target.number }),
      );
      await writeNote(
        systemMessage(target.id, { type: 'ticket.merged_from', ticketId: source.id, number: source.number }),
      );
      return [
        await this.record(repo, source.id, 'ticket.merged', actor.id, {
          status: { from: source.status, to: 'closed' },
          into: target.id,
          intoNumber: target.number,
        }),
        await this.record(repo, target.id, 'ticket.merged', actor.id, {
          from: source.id,
          fromNumber: source.number,
        }),
      ];
    });
  }

  async link(actor: PublicUser, id: string, otherId: string): Promise<TicketView> {
    if (id === otherId)
      throw badRequest('A ticket cannot be linked to itself.', [
        { path: 'ticketId', message: 'must be another ticket' },
      ]);
    if (!isStaff(actor)) throw forbidden();
    return this.change(actor, id, async (repo, ticket) => {
      const other = await repo.findTicket(otherId);
      if (!other) throw notFound('The ticket to link');
      const added = await repo.insertLink(ticket.id, other.id, actor.id);
      if (!added) return [];
      return [
        await this.record(repo, ticket.id, 'ticket.linked', actor.id, {
          ticketId: other.id,
          number: other.number,
        }),
        await this.record(repo, other.id, 'ticket.linked', actor.id, {
          ticketId: ticket.id,
          number: ticket.number,
        }),
      ];
    });
  }

  /**
   * An agent came online: their tier's waiting tickets are offered to auto-assignment again.
   * Coalesced per tier: while one offer runs, agents of that tier coming online only ask for one
   * more run after it. Without this, a team signing in at once (hundreds of agents in a minute)
   * made each agent's pick-up walk the same twenty tickets, each through a transaction that ranks
   * every agent: 500 agents connecting in `bench:chat` left ten thousand assignment attempts
   * queued on the database for the next half-minute.
   */
  async pickUpWaiting(agentId: string): Promise<void> {
    const agent = await this.repo.findUser(agentId);
    if (agent?.role !== 'agent' || !agent.tier) return;
    const tier = agent.tier;
    const running = this.offering.get(tier);
    if (running) {
      running.again = true;
      return running.done;
    }
    const entry: { again: boolean; done: Promise<void> } = { again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          await this.offerWaiting(tier);
        } while (entry.again);
      } finally {
        this.offering.delete(tier);
      }
    })();
    this.offering.set(tier, entry);
    return entry.done;
  }

  /** Offers a tier's oldest waiting tickets (up to twenty) to auto-assignment, oldest first. */
  private async offerWaiting(tier: Tier): Promise<void> {
    const waiting = await this.repo.listTickets({
      unassigned: true,
      tier,
      statuses: ACTIVE_STATUSES,
      limit: 20,
    });
    for (const ticket of waiting.reverse()) await this.autoAssign(ticket.id);
  }

  agentsWithLoad() {
    return this.repo.agentsWithLoad();
  }

  /**
   * The supervisor's view of the team: load, presence, and the time each agent spends in calls —
   * in all, and as a share of the resolution time of the tickets they resolved (as a ticket shows).
   */
  async agentsOverview() {
    const [agents, callTimes] = await Promise.all([this.repo.agentsWithLoad(), this.repo.agentCallTimes()]);
    return agents.map(({ createdAt: _created, ...agent }) => {
      const times = callTimes.get(agent.id);
      return {
        ...agent,
        callSeconds: times?.callSeconds ?? 0,
        callCount: times?.callCount ?? 0,
        callShareOfResolution:
          times && times.resolvedSeconds > 0
            ? shareOf(times.resolvedCallSeconds, times.resolvedSeconds)
            : null,
      };
    });
  }
}
