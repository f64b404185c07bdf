import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { callParticipants, callRatings, calls, recordings, ticketCsat, tickets, users } from '../db/schema';
import { ACTIVE_STATUSES } from '../tickets/repository';

/** How much of a customer's history the context shows (the newest). */
export const HISTORY_LIMIT = 20;

/** The reads behind a ticket's customer context: the requester, their tickets, calls and CSAT. */
export class CustomersRepository {
  constructor(private readonly db: Database) {}

  async customer(id: string) {
    const [row] = await this.db
      .select({
        id: users.id,
        name: users.name,
        email: users.email,
        locale: users.locale,
        createdAt: users.createdAt,
        disabledAt: users.disabledAt,
      })
      .from(users)
      .where(eq(users.id, id));
    if (!row) return undefined;
    const [counts] = await this.db
      .select({
        all: sql<number>`count(*)::int`,
        open: sql<number>`(count(*) FILTER (WHERE ${inArray(tickets.status, [...ACTIVE_STATUSES])}))::int`,
      })
      .from(tickets)
      .where(eq(tickets.requesterId, id));
    return { ...row, ticketCount: Number(counts?.all ?? 0), openTicketCount: Number(counts?.open ?? 0) };
  }

  /** The customer's tickets other than `exceptId`, newest first. */
  async otherTickets(requesterId: string, exceptId: string) {
    return this.db
      .select({
        id: tickets.id,
        number: tickets.number,
        subject: tickets.subject,
        status: tickets.status,
        priority: tickets.priority,
        createdAt: tickets.createdAt,
        updatedAt: tickets.updatedAt,
      })
      .from(tickets)
      .where(and(eq(tickets.requesterId, requesterId), ne(tickets.id, exceptId)))
      .orderBy(desc(tickets.createdAt), desc(tickets.number))
      .limit(HISTORY_LIMIT);
  }

  /** Calls on any of the customer's tickets, newest first, with their latest recording and rating. */
  async calls(requesterId: string) {
    const rows = await this.db
      .select({
        id: calls.id,
        ticketId: calls.ticketId,
        ticketNumber: tickets.number,
        startedAt: calls.startedAt,
        endedAt: calls.endedAt,
        connectedSeconds: sql<
          number | null
        >`CASE WHEN ${calls.connectedAt} IS NULL THEN NULL ELSE extract(epoch from (coalesce(${calls.endedAt}, now()) - ${calls.connectedAt}))::float8 END`,
        recordingId: sql<
          string | null
        >`(SELECT r.id FROM ${recordings} r WHERE r.call_id = "calls"."id" ORDER BY r.started_at DESC LIMIT 1)`,
        recordingStatus: sql<
          string | null
        >`(SELECT r.status::text FROM ${recordings} r WHERE r.call_id = "calls"."id" ORDER BY r.started_at DESC LIMIT 1)`,
        picture: callRatings.picture,
        sound: callRatings.sound,
        helpfulness: callRatings.helpfulness,
      })
      .from(calls)
      .innerJoin(tickets, eq(tickets.id, calls.ticketId))
      .leftJoin(callRatings, eq(callRatings.callId, calls.id))
      .where(eq(tickets.requesterId, requesterId))
      .orderBy(desc(calls.startedAt))
      .limit(HISTORY_LIMIT);
    const participants =
      rows.length === 0
        ? []
        : await this.db
            .select({ callId: callParticipants.callId, userId: callParticipants.userId })
            .from(callParticipants)
            .where(
              inArray(
                callParticipants.callId,
                rows.map((r) => r.id),
              ),
            );
    return rows.map((row) => ({
      ...row,
      participantIds: participants.filter((p) => p.callId === row.id).map((p) => p.userId),
    }));
  }

  async csat(customerId: string) {
    return this.db
      .select({
        ticketId: ticketCsat.ticketId,
        ticketNumber: tickets.number,
        score: ticketCsat.score,
        comment: ticketCsat.comment,
        submittedAt: ticketCsat.submittedAt,
      })
      .from(ticketCsat)
      .innerJoin(tickets, eq(tickets.id, ticketCsat.ticketId))
      .where(eq(ticketCsat.customerId, customerId))
      .orderBy(desc(ticketCsat.submittedAt))
      .limit(HISTORY_LIMIT);
  }
}
