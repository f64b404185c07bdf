import { eq, sql } from 'drizzle-orm';
import type { NotificationEvent, Role, Tier } from '../../signaling/shared/protocol';
import type { Database } from '../db/client';
import { notificationSettings, ticketReads } from '../db/notificationsSchema';
import { ticketMessages } from '../db/schema';

export interface UnreadTicket {
  ticketId: string;
  /** The customer's public messages after my read marker, plus one for a ticket I never opened. */
  count: number;
  /** The newest message seq (0 when the ticket has no message yet). */
  lastSeq: number;
  /** I never opened the ticket, and it was opened or handed to me after my account was created. */
  unopened: boolean;
}

export interface StoredSettings {
  sound: boolean;
  desktop: boolean;
  events: NotificationEvent[];
}

/** All of the notifications domain's SQL: read markers, unread counts, settings. */
export class NotificationsRepository {
  constructor(private readonly db: Database) {}

  /** The ticket's newest message seq; 0 when it has none. */
  async lastSeq(ticketId: string): Promise<number> {
    const [row] = await this.db
      .select({ max: sql<string | null>`max(${ticketMessages.seq})` })
      .from(ticketMessages)
      .where(eq(ticketMessages.ticketId, ticketId));
    return Number(row?.max ?? 0);
  }

  /**
   * Moves my marker on a ticket forward to `upTo` (never back: an older tab's late mark must not
   * make read messages unread again). Returns the marker as stored.
   */
  async markRead(userId: string, ticketId: string, upTo: number): Promise<number> {
    const [row] = await this.db
      .insert(ticketReads)
      .values({ userId, ticketId, lastReadSeq: upTo })
      .onConflictDoUpdate({
        target: [ticketReads.userId, ticketReads.ticketId],
        set: {
          lastReadSeq: sql`greatest(${ticketReads.lastReadSeq}, excluded.last_read_seq)`,
          readAt: sql`now()`,
        },
      })
      .returning({ lastReadSeq: ticketReads.lastReadSeq });
    return Number(row?.lastReadSeq ?? upTo);
  }

  /**
   * The active tickets I work that have something I have not seen: assigned to me, followed by
   * me, or waiting unassigned in my queue (my tier; every tier for supervisors and admins). One
   * statement: the read markers and the customer's messages after them (ticket_messages_ticket_seq_idx).
   *
   * Without a marker (a ticket I never opened) only what happened since my account exists is new
   * to me: the ticket itself when it was opened or handed to me after that, and the customer's
   * messages after that. So a new colleague does not start with the whole history unread.
   */
  async unread(user: { id: string; role: Role; tier: Tier | null }): Promise<UnreadTicket[]> {
    const everyTier = user.role === 'supervisor' || user.role === 'admin';
    const result = (await this.db.execute(sql`
      WITH me AS (SELECT created_at AS since FROM users WHERE id = ${user.id})
      SELECT t.id AS ticket_id,
        (r.last_read_seq IS NULL AND (
          t.created_at > me.since
          OR (t.assignee_id = ${user.id} AND EXISTS (
            SELECT 1 FROM ticket_events e
            WHERE e.ticket_id = t.id AND e.type = 'ticket.assigned'
              AND e.data->>'to' = ${user.id}::text AND e.created_at > me.since))
        )) AS unopened,
        (SELECT count(*) FROM ticket_messages m
          WHERE m.ticket_id = t.id AND m.kind = 'public' AND m.author_id = t.requester_id
            AND m.seq > coalesce(r.last_read_seq, 0)
            AND (r.last_read_seq IS NOT NULL OR m.created_at > me.since))::int AS customer_messages,
        (SELECT coalesce(max(m.seq), 0) FROM ticket_messages m WHERE m.ticket_id = t.id)::text AS last_seq
      FROM tickets t
      CROSS JOIN me
      LEFT JOIN ticket_reads r ON r.ticket_id = t.id AND r.user_id = ${user.id}
      WHERE t.status IN ('new', 'open', 'pending', 'on_hold')
        AND t.requester_id <> ${user.id}
        AND (
          t.assignee_id = ${user.id}
          OR EXISTS (SELECT 1 FROM ticket_followers f WHERE f.ticket_id = t.id AND f.user_id = ${user.id})
          OR (t.assignee_id IS NULL AND (${everyTier} OR t.tier::text = ${user.tier ?? ''}))
        )
    `)) as unknown as {
      rows: Array<{ ticket_id: string; unopened: boolean; customer_messages: number; last_seq: string }>;
    };
    return result.rows
      .map((r) => ({
        ticketId: r.ticket_id,
        count: Number(r.customer_messages) + (r.unopened ? 1 : 0),
        lastSeq: Number(r.last_seq),
        unopened: r.unopened,
      }))
      .filter((r) => r.count > 0);
  }

  /** Who works a ticket (assignee and followers), with its number and subject: one indexed read. */
  async workersOf(
    ticketId: string,
  ): Promise<{ userIds: string[]; ticketNumber: number; subject: string } | undefined> {
    const result = (await this.db.execute(sql`
      SELECT t.number, t.subject, t.assignee_id,
        coalesce((SELECT array_agg(f.user_id::text) FROM ticket_followers f WHERE f.ticket_id = t.id), '{}') AS followers
      FROM tickets t WHERE t.id = ${ticketId}
    `)) as unknown as {
      rows: Array<{
        number: number;
        subject: string;
        assignee_id: string | null;
        followers: string[] | string;
      }>;
    };
    const row = result.rows[0];
    if (!row) return undefined;
    const followers = Array.isArray(row.followers) ? row.followers : parseArray(row.followers);
    const userIds = [...new Set([...(row.assignee_id ? [row.assignee_id] : []), ...followers])];
    return { userIds, ticketNumber: Number(row.number), subject: row.subject };
  }

  async settings(userId: string): Promise<StoredSettings | undefined> {
    const [row] = await this.db
      .select({
        sound: notificationSettings.sound,
        desktop: notificationSettings.desktop,
        events: notificationSettings.events,
      })
      .from(notificationSettings)
      .where(eq(notificationSettings.userId, userId));
    return row;
  }

  async saveSettings(userId: string, values: StoredSettings): Promise<void> {
    await this.db
      .insert(notificationSettings)
      .values({ userId, ...values })
      .onConflictDoUpdate({
        target: notificationSettings.userId,
        set: { ...values, updatedAt: new Date() },
      });
  }
}

/** A PostgreSQL text[] literal (`{a,b}`) as a driver may return it unparsed; uuids need no quoting. */
function parseArray(literal: string): string[] {
  const inner = literal.replace(/^\{|\}$/g, '');
  return inner ? inner.split(',') : [];
}
