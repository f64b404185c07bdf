import { and, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import {
  type CallParticipantRow,
  type CallRow,
  callParticipants,
  calls,
  tickets,
  type UserRow,
  users,
} from '../db/schema';

/** A call as its views show it (`CallsRepository.withPeople`). */
export interface CallWithPeople {
  call: CallRow;
  ticketNumber: number | null;
  participants: Array<{ participant: CallParticipantRow; user: UserRow }>;
}

/** All SQL for calls and their participants. */
export class CallsRepository {
  constructor(readonly db: Database) {}

  async insertCall(values: typeof calls.$inferInsert): Promise<CallRow> {
    const [row] = await this.db.insert(calls).values(values).returning();
    return row!;
  }

  async findCall(id: string): Promise<CallRow | undefined> {
    const [row] = await this.db.select().from(calls).where(eq(calls.id, id));
    return row;
  }

  async activeCallForTicket(ticketId: string): Promise<CallRow | undefined> {
    const [row] = await this.db
      .select()
      .from(calls)
      .where(and(eq(calls.ticketId, ticketId), ne(calls.status, 'ended')));
    return row;
  }

  async callsForTickets(ticketIds: string[]): Promise<CallRow[]> {
    if (ticketIds.length === 0) return [];
    return this.db.select().from(calls).where(inArray(calls.ticketId, ticketIds));
  }

  /** Calls not yet ended, e.g. to end the ones a crashed node left behind. */
  async unfinished(): Promise<CallRow[]> {
    return this.db.select().from(calls).where(ne(calls.status, 'ended'));
  }

  /**
   * Applies `patch` only while the call is in one of `from` (a compare-and-set), so two racing
   * transitions (answer vs. ring timeout) cannot both win. Returns the row when it applied.
   */
  async transition(
    id: string,
    from: CallRow['status'][],
    patch: Partial<typeof calls.$inferInsert>,
  ): Promise<CallRow | undefined> {
    const [row] = await this.db
      .update(calls)
      .set(patch)
      .where(and(eq(calls.id, id), inArray(calls.status, from)))
      .returning();
    return row;
  }

  async participants(callIds: string[]): Promise<CallParticipantRow[]> {
    if (callIds.length === 0) return [];
    return this.db.select().from(callParticipants).where(inArray(callParticipants.callId, callIds));
  }

  /**
   * Everything a view of the call shows, in one statement: the call's row, its ticket's number,
   * and its participants with their accounts. A call's requests wait on each of their reads, and
   * on a busy server every round trip to the database waits for the event loop and a core.
   */
  async withPeople(callId: string): Promise<CallWithPeople | undefined> {
    const rows = await this.db
      .select({ call: calls, ticketNumber: tickets.number, participant: callParticipants, user: users })
      .from(calls)
      .leftJoin(tickets, eq(tickets.id, calls.ticketId))
      .leftJoin(callParticipants, eq(callParticipants.callId, calls.id))
      .leftJoin(users, eq(users.id, callParticipants.userId))
      .where(eq(calls.id, callId));
    const first = rows[0];
    if (!first) return undefined;
    return {
      call: first.call,
      ticketNumber: first.ticketNumber,
      participants: rows.flatMap(({ participant, user }) =>
        participant && user ? [{ participant, user }] : [],
      ),
    };
  }

  async addParticipant(
    values: typeof callParticipants.$inferInsert | Array<typeof callParticipants.$inferInsert>,
  ): Promise<void> {
    await this.db
      .insert(callParticipants)
      .values(Array.isArray(values) ? values : [values])
      .onConflictDoNothing();
  }

  /** Records the person in the media room; their participant row as it is now, if they have one. */
  async markJoined(callId: string, userId: string, at: Date): Promise<CallParticipantRow | undefined> {
    const [row] = await this.db
      .update(callParticipants)
      .set({
        joinedAt: sql`coalesce(${callParticipants.joinedAt}, ${at.toISOString()}::timestamptz)`,
        leftAt: null,
      })
      .where(and(eq(callParticipants.callId, callId), eq(callParticipants.userId, userId)))
      .returning();
    return row;
  }

  async markLeft(callId: string, userId: string, at: Date): Promise<void> {
    await this.db
      .update(callParticipants)
      .set({ leftAt: at })
      .where(and(eq(callParticipants.callId, callId), eq(callParticipants.userId, userId)));
  }

  /** Records when media first reached the participant; returns true the first time only. */
  async markReceiving(callId: string, userId: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(callParticipants)
      .set({ receivingAt: at })
      .where(
        and(
          eq(callParticipants.callId, callId),
          eq(callParticipants.userId, userId),
          sql`${callParticipants.receivingAt} IS NULL`,
        ),
      )
      .returning();
    return rows.length > 0;
  }
}
