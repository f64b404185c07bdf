import { and, asc, eq, like, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { type TicketEventRow, ticketEvents, tickets } from '../db/schema';

/** The SQL of call requests: their timeline entries, read and written under the ticket's row lock. */
export const callRequestSql = {
  /** Serialises the decisions on one ticket's requests (an accept racing a decline or the expiry). */
  async lockTicket(tx: Database, ticketId: string): Promise<void> {
    await tx.select({ id: tickets.id }).from(tickets).where(eq(tickets.id, ticketId)).for('update');
  },

  events(db: Database, ticketId: string): Promise<TicketEventRow[]> {
    return db
      .select()
      .from(ticketEvents)
      .where(
        and(
          eq(ticketEvents.ticketId, ticketId),
          or(eq(ticketEvents.type, 'call.requested'), like(ticketEvents.type, 'call.request\\_%')),
        ),
      )
      .orderBy(asc(ticketEvents.seq));
  },

  /** The accepted request's entry names the call it started (known only once the call exists). */
  async attachCall(db: Database, entryId: string, callId: string): Promise<void> {
    await db
      .update(ticketEvents)
      .set({ data: sql`${ticketEvents.data} || jsonb_build_object('callId', ${callId}::text)` })
      .where(eq(ticketEvents.id, entryId));
  },

  async insert(db: Database, values: typeof ticketEvents.$inferInsert): Promise<TicketEventRow> {
    const [row] = await db.insert(ticketEvents).values(values).returning();
    return row!;
  },
};
