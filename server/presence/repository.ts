import { and, eq, isNotNull, isNull, ne, sql } from 'drizzle-orm';
import type { Availability, Presence } from '../../signaling/shared/domain';
import type { Database } from '../db/client';
import { callParticipants, calls, users } from '../db/schema';

/** All of presence's SQL: the manual choice, the derived state, and whether someone is in a call. */
export class PresenceRepository {
  constructor(private readonly db: Database) {}

  async find(userId: string): Promise<{ availability: Availability; presence: Presence } | undefined> {
    const [row] = await this.db
      .select({ availability: users.availability, presence: users.presence })
      .from(users)
      .where(eq(users.id, userId));
    return row;
  }

  async setAvailability(userId: string, availability: Availability): Promise<void> {
    await this.db.update(users).set({ availability, updatedAt: new Date() }).where(eq(users.id, userId));
  }

  /** Stores the derived state; returns false when it already was that (another node got there). */
  async setPresence(userId: string, presence: Presence): Promise<boolean> {
    const rows = await this.db
      .update(users)
      .set({ presence })
      .where(and(eq(users.id, userId), ne(users.presence, presence)))
      .returning({ id: users.id });
    return rows.length > 0;
  }

  /** In a call's media room now: joined, not left, and the call not over. */
  async inCall(userId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ one: sql<number>`1` })
      .from(callParticipants)
      .innerJoin(calls, eq(calls.id, callParticipants.callId))
      .where(
        and(
          eq(callParticipants.userId, userId),
          isNotNull(callParticipants.joinedAt),
          isNull(callParticipants.leftAt),
          ne(calls.status, 'ended'),
        ),
      )
      .limit(1);
    return row !== undefined;
  }

  /** Staff whose stored state says someone is there: checked again at start (a crash leaves them). */
  async present(): Promise<string[]> {
    const rows = await this.db
      .select({ id: users.id })
      .from(users)
      .where(and(ne(users.presence, 'offline'), ne(users.role, 'customer')));
    return rows.map((r) => r.id);
  }
}
