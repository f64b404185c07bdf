// Notifications' tables: what each person has read, and how they want to be told. A file of its
// own beside schema.ts (drizzle.config.ts reads both), so neither grows past the module size.
import { sql } from 'drizzle-orm';
import { bigint, boolean, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../../signaling/shared/domain';
import { tickets, users } from './schema';

/**
 * A person's read marker on a ticket: the last message `seq` they have seen there. A ticket's
 * unread count is its customer's public messages after it (server/notifications/repository.ts).
 */
export const ticketReads = pgTable(
  'ticket_reads',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    lastReadSeq: bigint('last_read_seq', { mode: 'number' }).notNull(),
    readAt: timestamp('read_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.ticketId] })],
);

/** Per-person notification settings; no row means the defaults (everything on). */
export const notificationSettings = pgTable('notification_settings', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  sound: boolean('sound').notNull().default(true),
  desktop: boolean('desktop').notNull().default(true),
  /** The events that notify (a subset of NOTIFICATION_EVENTS). */
  events: text('events')
    .array()
    .$type<NotificationEvent[]>()
    .notNull()
    .default(sql`ARRAY[${sql.raw(NOTIFICATION_EVENTS.map((e) => `'${e}'`).join(','))}]::text[]`),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type TicketReadRow = typeof ticketReads.$inferSelect;
export type NotificationSettingsRow = typeof notificationSettings.$inferSelect;
