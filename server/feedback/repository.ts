import { and, desc, eq, gt, inArray, isNotNull, isNull, lte, min, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { FollowUpState } from '../../signaling/shared/feedback';
import type { Database } from '../db/client';
import {
  type CallRatingRow,
  callRatings,
  type FeedbackFollowUpRow,
  feedbackFollowUps,
  type NpsResponseRow,
  npsResponses,
  type TicketCsatRow,
  ticketCsat,
  tickets,
  users,
} from '../db/schema';

/** A follow-up with what the supervisor queue shows beside it. */
export interface FollowUpListRow {
  followUp: FeedbackFollowUpRow;
  ticketNumber: number;
  subject: string;
  customerId: string;
  customerName: string;
  agentId: string | null;
  agentName: string | null;
  closedByName: string | null;
  ticketComment: string | null;
  callComment: string | null;
}

/** All SQL of the feedback domain: CSAT answers, call ratings, follow-ups, NPS answers. */
export class FeedbackRepository {
  constructor(readonly db: Database) {}

  // ----- ticket CSAT ----------------------------------------------------------------------------

  /** The ticket's answer, locked for the rest of the caller's transaction when `forUpdate`. */
  async ticketCsat(ticketId: string, forUpdate = false): Promise<TicketCsatRow | undefined> {
    const query = this.db.select().from(ticketCsat).where(eq(ticketCsat.ticketId, ticketId));
    const [row] = await (forUpdate ? query.for('update') : query);
    return row;
  }

  /** Inserts the first answer; undefined when another request inserted one first. */
  async insertTicketCsat(values: typeof ticketCsat.$inferInsert): Promise<TicketCsatRow | undefined> {
    const [row] = await this.db.insert(ticketCsat).values(values).onConflictDoNothing().returning();
    return row;
  }

  async updateTicketCsat(
    ticketId: string,
    values: { score: number; comment: string | null; updatedAt: Date },
  ): Promise<TicketCsatRow> {
    const [row] = await this.db
      .update(ticketCsat)
      .set({ ...values, revisions: sql`${ticketCsat.revisions} + 1` })
      .where(eq(ticketCsat.ticketId, ticketId))
      .returning();
    return row!;
  }

  // ----- call ratings ---------------------------------------------------------------------------

  async callRating(callId: string, forUpdate = false): Promise<CallRatingRow | undefined> {
    const query = this.db.select().from(callRatings).where(eq(callRatings.callId, callId));
    const [row] = await (forUpdate ? query.for('update') : query);
    return row;
  }

  async insertCallRating(values: typeof callRatings.$inferInsert): Promise<CallRatingRow | undefined> {
    const [row] = await this.db.insert(callRatings).values(values).onConflictDoNothing().returning();
    return row;
  }

  async updateCallRating(
    callId: string,
    values: Pick<CallRatingRow, 'picture' | 'sound' | 'helpfulness' | 'comment' | 'updatedAt'>,
  ): Promise<CallRatingRow> {
    const [row] = await this.db
      .update(callRatings)
      .set({ ...values, revisions: sql`${callRatings.revisions} + 1` })
      .where(eq(callRatings.callId, callId))
      .returning();
    return row!;
  }

  // ----- follow-ups -----------------------------------------------------------------------------

  /** Opens a follow-up unless the rating already has one (one per rating, however it changes). */
  async openFollowUp(
    values: typeof feedbackFollowUps.$inferInsert,
  ): Promise<FeedbackFollowUpRow | undefined> {
    const [row] = await this.db.insert(feedbackFollowUps).values(values).onConflictDoNothing().returning();
    return row;
  }

  async findFollowUp(id: string, forUpdate = false): Promise<FeedbackFollowUpRow | undefined> {
    const query = this.db.select().from(feedbackFollowUps).where(eq(feedbackFollowUps.id, id));
    const [row] = await (forUpdate ? query.for('update') : query);
    return row;
  }

  async closeFollowUp(id: string, values: { closedAt: Date; closedById: string; note: string }) {
    const [row] = await this.db
      .update(feedbackFollowUps)
      .set(values)
      .where(and(eq(feedbackFollowUps.id, id), isNull(feedbackFollowUps.closedAt)))
      .returning();
    return row;
  }

  /**
   * Marks every open follow-up past its deadline as overdue and returns the ones this call marked:
   * the `overdue_at IS NULL` guard makes each one overdue exactly once, whichever node gets there.
   */
  async markOverdue(now: Date): Promise<FeedbackFollowUpRow[]> {
    return this.db
      .update(feedbackFollowUps)
      .set({ overdueAt: now })
      .where(
        and(
          isNull(feedbackFollowUps.closedAt),
          isNull(feedbackFollowUps.overdueAt),
          lte(feedbackFollowUps.dueAt, now),
        ),
      )
      .returning();
  }

  /** The earliest deadline still to be watched (open, not yet marked overdue). */
  async nextDue(): Promise<Date | null> {
    const [row] = await this.db
      .select({ at: min(feedbackFollowUps.dueAt) })
      .from(feedbackFollowUps)
      .where(and(isNull(feedbackFollowUps.closedAt), isNull(feedbackFollowUps.overdueAt)));
    return row?.at ?? null;
  }

  async listFollowUps(filter: {
    state: FollowUpState;
    now: Date;
    id?: string;
    ticketId?: string;
    limit: number;
  }): Promise<FollowUpListRow[]> {
    const customer = alias(users, 'customer');
    const agent = alias(users, 'agent');
    const closer = alias(users, 'closer');
    const conditions = [];
    if (filter.id) conditions.push(eq(feedbackFollowUps.id, filter.id));
    if (filter.ticketId) conditions.push(eq(feedbackFollowUps.ticketId, filter.ticketId));
    if (filter.state === 'open') conditions.push(isNull(feedbackFollowUps.closedAt));
    if (filter.state === 'closed') conditions.push(isNotNull(feedbackFollowUps.closedAt));
    if (filter.state === 'overdue')
      conditions.push(isNull(feedbackFollowUps.closedAt), lte(feedbackFollowUps.dueAt, filter.now));
    const rows = await this.db
      .select({
        followUp: feedbackFollowUps,
        ticketNumber: tickets.number,
        subject: tickets.subject,
        customerId: customer.id,
        customerName: customer.name,
        agentId: sql<string | null>`coalesce(${callRatings.agentId}, ${ticketCsat.agentId})`,
        agentName: agent.name,
        closedByName: closer.name,
        ticketComment: ticketCsat.comment,
        callComment: callRatings.comment,
      })
      .from(feedbackFollowUps)
      .innerJoin(tickets, eq(tickets.id, feedbackFollowUps.ticketId))
      .innerJoin(customer, eq(customer.id, tickets.requesterId))
      .leftJoin(
        ticketCsat,
        and(
          eq(feedbackFollowUps.source, 'ticket_csat'),
          eq(ticketCsat.ticketId, feedbackFollowUps.subjectId),
        ),
      )
      .leftJoin(
        callRatings,
        and(eq(feedbackFollowUps.source, 'call_rating'), eq(callRatings.callId, feedbackFollowUps.subjectId)),
      )
      .leftJoin(agent, eq(agent.id, sql`coalesce(${callRatings.agentId}, ${ticketCsat.agentId})`))
      .leftJoin(closer, eq(closer.id, feedbackFollowUps.closedById))
      .where(conditions.length ? and(...conditions) : undefined)
      // Open ones by deadline (the most urgent first), then the most recently closed.
      .orderBy(
        sql`${feedbackFollowUps.closedAt} IS NOT NULL`,
        feedbackFollowUps.dueAt,
        desc(feedbackFollowUps.closedAt),
      )
      .limit(filter.limit);
    return rows;
  }

  // ----- NPS ------------------------------------------------------------------------------------

  /** The customer's latest answer or dismissal after `since`, if any. */
  async latestNps(customerId: string, since: Date): Promise<NpsResponseRow | undefined> {
    const [row] = await this.db
      .select()
      .from(npsResponses)
      .where(and(eq(npsResponses.customerId, customerId), gt(npsResponses.askedAt, since)))
      .orderBy(desc(npsResponses.askedAt))
      .limit(1);
    return row;
  }

  /** Serializes one customer's NPS answers (held until the caller's transaction ends). */
  async lockUser(userId: string): Promise<void> {
    await this.db.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('update');
  }

  async insertNps(values: typeof npsResponses.$inferInsert): Promise<NpsResponseRow> {
    const [row] = await this.db.insert(npsResponses).values(values).returning();
    return row!;
  }

  /** Whether the customer has a ticket that was solved (solved, or closed after it). */
  async hasSolvedTicket(customerId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: tickets.id })
      .from(tickets)
      .where(and(eq(tickets.requesterId, customerId), inArray(tickets.status, ['solved', 'closed'])))
      .limit(1);
    return row !== undefined;
  }
}
