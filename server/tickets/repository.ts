import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, notInArray, or, sql } from 'drizzle-orm';
import type { Tier } from '../../signaling/shared/protocol';
import { type Database, runFixed } from '../db/client';
import {
  type AttachmentRow,
  attachments,
  callParticipants,
  calls,
  type TicketEventRow,
  type TicketMessageRow,
  type TicketRow,
  ticketEvents,
  ticketFollowers,
  ticketLinks,
  ticketMessages,
  tickets,
  type UserRow,
  users,
} from '../db/schema';
import type { AssigneeCandidate } from './routing';
import { SearchDocumentsRepository } from './searchRepository';
import { messageTerms } from './searchTerms';
import {
  type ConversationFacts,
  SEND_MESSAGE,
  SEND_MESSAGES,
  type SendOutcome,
  type SendRequest,
  type SendResultRow,
  type SendValues,
  sendOutcome,
} from './sendStatements';

/** A call's connected time in seconds (a call still running counts to now). */
const CONNECTED_SECONDS = sql<number>`extract(epoch from (coalesce(${calls.endedAt}, now()) - ${calls.connectedAt}))`;

export const ACTIVE_STATUSES = ['new', 'open', 'pending', 'on_hold'] as const;

export interface TicketFilter {
  requesterId?: string;
  assigneeId?: string;
  unassigned?: boolean;
  tier?: Tier;
  statuses?: readonly TicketRow['status'][];
  channel?: TicketRow['channel'];
  /** Only tickets this user follows (ticket_followers). */
  followedBy?: string;
  limit: number;
}

export const conversationFacts = (row: TicketRow): ConversationFacts => ({
  id: row.id,
  requesterId: row.requesterId,
  assigneeId: row.assigneeId,
  tier: row.tier,
  status: row.status,
  answered: row.firstResponseAt !== null,
});

export type { ConversationFacts, SendOutcome, SendRequest, SendValues } from './sendStatements';

/** All SQL for tickets, their messages, timeline, links and attachments. */
export class TicketsRepository {
  constructor(readonly db: Database) {}

  /** The tickets' search documents, on this repository's connection or transaction. */
  get search(): SearchDocumentsRepository {
    return new SearchDocumentsRepository(this.db);
  }

  /** Runs `fn` in one transaction with a repository bound to it. */
  transaction<T>(fn: (repo: TicketsRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new TicketsRepository(tx as unknown as Database)));
  }

  async insertTicket(values: typeof tickets.$inferInsert): Promise<TicketRow> {
    const [row] = await this.db.insert(tickets).values(values).returning();
    return row!;
  }

  async findTicket(id: string): Promise<TicketRow | undefined> {
    const [row] = await this.db.select().from(tickets).where(eq(tickets.id, id));
    return row;
  }

  /** Reads the ticket and locks its row until the transaction ends: changes to one ticket queue up. */
  async lockTicket(id: string): Promise<TicketRow | undefined> {
    const [row] = await this.db.select().from(tickets).where(eq(tickets.id, id)).for('update');
    return row;
  }

  async updateTicket(id: string, patch: Partial<typeof tickets.$inferInsert>): Promise<TicketRow> {
    const [row] = await this.db
      .update(tickets)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(tickets.id, id))
      .returning();
    return row!;
  }

  /** One page of the active tickets in id order after `afterId`: the SLA monitor's full read. */
  async activeTicketsAfter(afterId: string | undefined, limit: number): Promise<TicketRow[]> {
    return this.db
      .select()
      .from(tickets)
      .where(
        and(inArray(tickets.status, [...ACTIVE_STATUSES]), afterId ? gt(tickets.id, afterId) : undefined),
      )
      .orderBy(asc(tickets.id))
      .limit(limit);
  }

  /**
   * One page, in id order after `afterId`, of the tickets (any status) whose row changed at or
   * after `since` (`tickets_updated_idx`): what the SLA monitor's pass looks at.
   */
  async ticketsChangedSince(since: Date, afterId: string | undefined, limit: number): Promise<TicketRow[]> {
    return this.db
      .select()
      .from(tickets)
      .where(and(gte(tickets.updatedAt, since), afterId ? gt(tickets.id, afterId) : undefined))
      .orderBy(asc(tickets.id))
      .limit(limit);
  }

  async ticketsByIds(ids: readonly string[]): Promise<TicketRow[]> {
    if (ids.length === 0) return [];
    return this.db
      .select()
      .from(tickets)
      .where(inArray(tickets.id, [...ids]));
  }

  async listTickets(filter: TicketFilter): Promise<TicketRow[]> {
    const conditions = [
      filter.requesterId ? eq(tickets.requesterId, filter.requesterId) : undefined,
      filter.assigneeId ? eq(tickets.assigneeId, filter.assigneeId) : undefined,
      filter.unassigned ? isNull(tickets.assigneeId) : undefined,
      filter.tier ? eq(tickets.tier, filter.tier) : undefined,
      filter.statuses ? inArray(tickets.status, [...filter.statuses]) : undefined,
      filter.channel ? eq(tickets.channel, filter.channel) : undefined,
      filter.followedBy
        ? inArray(
            tickets.id,
            this.db
              .select({ id: ticketFollowers.ticketId })
              .from(ticketFollowers)
              .where(eq(ticketFollowers.userId, filter.followedBy)),
          )
        : undefined,
    ].filter((c) => c !== undefined);
    return this.db
      .select()
      .from(tickets)
      .where(conditions.length ? and(...conditions) : undefined)
      .orderBy(desc(tickets.createdAt), desc(tickets.number))
      .limit(filter.limit);
  }

  /** Records that `userId` follows the ticket; following twice changes nothing. */
  async addFollower(ticketId: string, userId: string, reason: 'escalated'): Promise<void> {
    await this.db.insert(ticketFollowers).values({ ticketId, userId, reason }).onConflictDoNothing();
  }

  async isFollower(ticketId: string, userId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ userId: ticketFollowers.userId })
      .from(ticketFollowers)
      .where(and(eq(ticketFollowers.ticketId, ticketId), eq(ticketFollowers.userId, userId)))
      .limit(1);
    return row !== undefined;
  }

  async followersFor(ticketIds: string[]): Promise<Array<{ ticketId: string; userId: string }>> {
    if (ticketIds.length === 0) return [];
    return this.db
      .select({ ticketId: ticketFollowers.ticketId, userId: ticketFollowers.userId })
      .from(ticketFollowers)
      .where(inArray(ticketFollowers.ticketId, ticketIds))
      .orderBy(asc(ticketFollowers.createdAt));
  }

  async insertEvent(values: typeof ticketEvents.$inferInsert): Promise<TicketEventRow> {
    const [row] = await this.db.insert(ticketEvents).values(values).returning();
    return row!;
  }

  async listEvents(ticketId: string): Promise<TicketEventRow[]> {
    return this.db
      .select()
      .from(ticketEvents)
      .where(eq(ticketEvents.ticketId, ticketId))
      .orderBy(asc(ticketEvents.seq));
  }

  /**
   * Timeline rows the SLA clocks read: status changes (`data.status`) and connected calls (a
   * connected call answers the customer like a reply does).
   */
  async statusEventsFor(ticketIds: string[]): Promise<TicketEventRow[]> {
    if (ticketIds.length === 0) return [];
    return this.db
      .select()
      .from(ticketEvents)
      .where(
        and(
          inArray(ticketEvents.ticketId, ticketIds),
          or(sql`${ticketEvents.data} ? 'status'`, eq(ticketEvents.type, 'call.connected')),
        ),
      )
      .orderBy(asc(ticketEvents.seq));
  }

  /** Total connected call time (exact seconds; live calls count to now) and number of connected calls per ticket. */
  async callTotals(ticketIds: string[]): Promise<Map<string, { seconds: number; count: number }>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.db
      .select({
        ticketId: calls.ticketId,
        seconds: sql<number>`coalesce(sum(${CONNECTED_SECONDS}), 0)::float8`,
        count: sql<number>`count(*)::int`,
      })
      .from(calls)
      .where(and(inArray(calls.ticketId, ticketIds), sql`${calls.connectedAt} IS NOT NULL`))
      .groupBy(calls.ticketId);
    return new Map(rows.map((r) => [r.ticketId, { seconds: Number(r.seconds), count: Number(r.count) }]));
  }

  /**
   * Per agent: the connected call time of the calls they took part in as the agent, and, over the
   * tickets they resolved (assignee with a solved time), the time from creation to solved and the
   * call time those tickets had, so the share of resolution time spent in calls can be given.
   */
  async agentCallTimes(): Promise<
    Map<
      string,
      { callSeconds: number; callCount: number; resolvedSeconds: number; resolvedCallSeconds: number }
    >
  > {
    const byAgent = await this.db
      .select({
        userId: callParticipants.userId,
        seconds: sql<number>`coalesce(sum(${CONNECTED_SECONDS}), 0)::float8`,
        count: sql<number>`count(*)::int`,
      })
      .from(callParticipants)
      .innerJoin(calls, eq(calls.id, callParticipants.callId))
      .where(and(eq(callParticipants.role, 'agent'), sql`${calls.connectedAt} IS NOT NULL`))
      .groupBy(callParticipants.userId);
    const perTicket = this.db
      .select({
        ticketId: calls.ticketId,
        seconds: sql<number>`coalesce(sum(${CONNECTED_SECONDS}), 0)::float8`.as('call_seconds'),
      })
      .from(calls)
      .where(sql`${calls.connectedAt} IS NOT NULL`)
      .groupBy(calls.ticketId)
      .as('per_ticket');
    const resolved = await this.db
      .select({
        assigneeId: tickets.assigneeId,
        lifetime: sql<number>`coalesce(sum(extract(epoch from (${tickets.solvedAt} - ${tickets.createdAt}))), 0)::float8`,
        callSeconds: sql<number>`coalesce(sum(${perTicket.seconds}), 0)::float8`,
      })
      .from(tickets)
      .leftJoin(perTicket, eq(perTicket.ticketId, tickets.id))
      .where(and(sql`${tickets.solvedAt} IS NOT NULL`, sql`${tickets.assigneeId} IS NOT NULL`))
      .groupBy(tickets.assigneeId);
    const out = new Map<
      string,
      { callSeconds: number; callCount: number; resolvedSeconds: number; resolvedCallSeconds: number }
    >();
    const entry = (id: string) => {
      let e = out.get(id);
      if (!e) {
        e = { callSeconds: 0, callCount: 0, resolvedSeconds: 0, resolvedCallSeconds: 0 };
        out.set(id, e);
      }
      return e;
    };
    for (const r of byAgent) {
      const e = entry(r.userId);
      e.callSeconds = Math.round(Number(r.seconds));
      e.callCount = Number(r.count);
    }
    for (const r of resolved) {
      const e = entry(r.assigneeId!);
      // Not rounded: the share is taken from these, and whole seconds distort short tickets.
      e.resolvedSeconds = Number(r.lifetime);
      e.resolvedCallSeconds = Number(r.callSeconds);
    }
    return out;
  }

  /**
   * Stores a message outside the one-statement send (in a transaction: attachments, effects,
   * notes of a change) and appends a person's words to the ticket's search document; a system
   * or assistant message adds none.
   */
  async insertMessage(values: typeof ticketMessages.$inferInsert): Promise<TicketMessageRow> {
    const [row] = await this.db.insert(ticketMessages).values(values).returning();
    if (values.kind === 'public' || values.kind === 'internal')
      await this.search.appendMessage(values.ticketId, values.kind, values.body);
    return row!;
  }

  /**
   * The steady-state send in one call of `livedesk_send_message` (migrations 0007, 0008; one round
   * trip, no explicit transaction, plans reused): locks the ticket only if it still has exactly the
   * facts the caller decided on (`expected`), inserts the message (a repeated clientMessageId
   * inserts nothing, through the unique index) and bumps the ticket's updatedAt only when a
   * message was inserted. `matched: false` means the ticket changed (or no facts were passed: a
   * first send): `current` carries its facts now, unlocked, for the caller to decide again; no
   * `current` means the ticket is gone. `message` is undefined for a duplicate.
   */
  async insertMessageIfUnchanged(
    expected: ConversationFacts | undefined,
    ticketId: string,
    values: SendValues,
  ): Promise<SendOutcome> {
    const [row] = await runFixed<SendResultRow>(this.db, SEND_MESSAGE, [
      ticketId,
      expected?.requesterId ?? null,
      expected?.assigneeId ?? null,
      expected?.tier ?? null,
      expected?.status ?? null,
      expected?.answered ?? null,
      values.authorId,
      values.kind,
      values.body,
      values.clientMessageId,
      messageTerms(values.body),
    ]);
    return sendOutcome(row, ticketId, values);
  }

  /**
   * Several sends as one statement (`livedesk_send_messages`: one round trip, one commit), each
   * exactly as `insertMessageIfUnchanged` would do it; outcomes in the order of `sends`. Never two
   * sends of one ticket in a batch. Any error fails the whole batch and stores none of it.
   */
  async insertMessagesIfUnchanged(sends: readonly SendRequest[]): Promise<SendOutcome[]> {
    const elements = sends.map(({ expected, ticketId, values }) => ({
      ticketId,
      requesterId: expected?.requesterId ?? null,
      assigneeId: expected?.assigneeId ?? null,
      tier: expected?.tier ?? null,
      status: expected?.status ?? null,
      answered: expected?.answered ?? null,
      ...values,
      terms: messageTerms(values.body),
    }));
    const rows = await runFixed<SendResultRow & { idx: number }>(this.db, SEND_MESSAGES, [
      JSON.stringify(elements),
    ]);
    const byIndex = new Map(rows.map((row) => [Number(row.idx), row]));
    return sends.map((send, i) => sendOutcome(byIndex.get(i), send.ticketId, send.values));
  }

  async findMessageByClientId(
    ticketId: string,
    authorId: string,
    clientMessageId: string,
  ): Promise<TicketMessageRow | undefined> {
    const [row] = await this.db
      .select()
      .from(ticketMessages)
      .where(
        and(
          eq(ticketMessages.ticketId, ticketId),
          eq(ticketMessages.authorId, authorId),
          eq(ticketMessages.clientMessageId, clientMessageId),
        ),
      );
    return row;
  }

  /** One page, newest first from the cursor; the caller reverses it for display. */
  async listMessages(
    ticketId: string,
    page: { before?: number; limit: number; includeInternal: boolean },
  ): Promise<TicketMessageRow[]> {
    return this.db
      .select()
      .from(ticketMessages)
      .where(
        and(
          eq(ticketMessages.ticketId, ticketId),
          page.before ? lt(ticketMessages.seq, page.before) : undefined,
          page.includeInternal ? undefined : notInArray(ticketMessages.kind, ['internal']),
        ),
      )
      .orderBy(desc(ticketMessages.seq))
      .limit(page.limit);
  }

  /** Public messages with their author's role, oldest first: the SLA's conversation activity. */
  async publicActivityFor(
    ticketIds: string[],
  ): Promise<Array<{ ticketId: string; createdAt: Date; authorRole: UserRow['role'] }>> {
    if (ticketIds.length === 0) return [];
    return this.db
      .select({
        ticketId: ticketMessages.ticketId,
        createdAt: ticketMessages.createdAt,
        authorRole: users.role,
      })
      .from(ticketMessages)
      .innerJoin(users, eq(users.id, ticketMessages.authorId))
      .where(and(inArray(ticketMessages.ticketId, ticketIds), eq(ticketMessages.kind, 'public')))
      .orderBy(asc(ticketMessages.seq));
  }

  async usersByIds(ids: Iterable<string>): Promise<Map<string, UserRow>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db.select().from(users).where(inArray(users.id, unique));
    return new Map(rows.map((r) => [r.id, r]));
  }

  async findUser(id: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row;
  }

  async attachmentsForTickets(ticketIds: string[]): Promise<AttachmentRow[]> {
    if (ticketIds.length === 0) return [];
    return this.db
      .select()
      .from(attachments)
      .where(and(inArray(attachments.ticketId, ticketIds), isNull(attachments.messageId)))
      .orderBy(asc(attachments.createdAt));
  }

  async attachmentsForMessages(messageIds: string[]): Promise<AttachmentRow[]> {
    if (messageIds.length === 0) return [];
    return this.db
      .select()
      .from(attachments)
      .where(inArray(attachments.messageId, messageIds))
      .orderBy(asc(attachments.createdAt));
  }

  /**
   * Attaches uploads to a ticket (and message). Only the uploader's own, not yet attached uploads
   * qualify; returns how many did, so the caller can refuse foreign or reused ids.
   */
  async claimAttachments(
    ids: string[],
    uploaderId: string,
    ticketId: string,
    messageId: string | null,
  ): Promise<number> {
    if (ids.length === 0) return 0;
    const rows = await this.db
      .update(attachments)
      .set({ ticketId, messageId })
      .where(
        and(
          inArray(attachments.id, ids),
          eq(attachments.uploaderId, uploaderId),
          isNull(attachments.ticketId),
        ),
      )
      .returning({ id: attachments.id });
    return rows.length;
  }

  async linksFor(ticketIds: string[]): Promise<Array<{ ticketId: string; linkedTicketId: string }>> {
    if (ticketIds.length === 0) return [];
    return this.db
      .select({ ticketId: ticketLinks.ticketId, linkedTicketId: ticketLinks.linkedTicketId })
      .from(ticketLinks)
      .where(or(inArray(ticketLinks.ticketId, ticketIds), inArray(ticketLinks.linkedTicketId, ticketIds)));
  }

  /** Returns false when the pair was already linked. */
  async insertLink(a: string, b: string, createdById: string): Promise<boolean> {
    const [first, second] = a < b ? [a, b] : [b, a];
    const rows = await this.db
      .insert(ticketLinks)
      .values({ ticketId: first, linkedTicketId: second, createdById })
      .onConflictDoNothing()
      .returning();
    return rows.length > 0;
  }

  /**
   * Every agent with their count of open assigned tickets, for routing and the supervisor view.
   * `only` narrows it in the database to the `online` agents of one `tier` (all that
   * auto-assignment may choose from: the rest were read and dropped for every routed ticket, the
   * whole team each time).
   */
  async agentsWithLoad(
    only: { tier?: Tier; online?: boolean } = {},
  ): Promise<
    Array<AssigneeCandidate & { name: string; email: string; availability: UserRow['availability'] }>
  > {
    const load = this.db
      .select({ assigneeId: tickets.assigneeId, n: sql<number>`count(*)::int`.as('n') })
      .from(tickets)
      .where(inArray(tickets.status, [...ACTIVE_STATUSES]))
      .groupBy(tickets.assigneeId)
      .as('load');
    const rows = await this.db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        tier: users.tier,
        skills: users.skills,
        availability: users.availability,
        presence: users.presence,
        createdAt: users.createdAt,
        openTickets: sql<number>`coalesce(${load.n}, 0)`,
      })
      .from(users)
      .leftJoin(load, eq(load.assigneeId, users.id))
      .where(
        and(
          eq(users.role, 'agent'),
          isNull(users.disabledAt),
          only.tier ? eq(users.tier, only.tier) : undefined,
          only.online ? eq(users.presence, 'online') : undefined,
        ),
      )
      .orderBy(asc(users.tier), asc(users.name));
    return rows.map((r) => ({ ...r, tier: r.tier!, openTickets: Number(r.openTickets) }));
  }
}
