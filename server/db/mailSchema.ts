// Mail and the links mails carry; part of the one schema (re-exported by ./schema.ts).
import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './schema';

/**
 * A link a mail carries that grants something once (set a password after an invitation, reset a
 * forgotten one). Only the SHA-256 of its token is stored; using it sets `used_at` in the same
 * statement that checks it, so two clicks cannot both succeed.
 */
export const signedLinks = pgTable(
  'signed_links',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    purpose: text('purpose').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    /** What the link is about, when it is about one thing (the ticket a CSAT survey link rates). */
    subjectId: uuid('subject_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('signed_links_token_hash_unique').on(t.tokenHash),
    index('signed_links_user_idx').on(t.userId, t.purpose),
  ],
);

/**
 * Every outgoing mail, written before it is sent: a restart or an SMTP outage loses nothing, and
 * the sender retries with growing delays. `dedupe_key` lets a burst (several replies on one
 * ticket) become one mail.
 */
export const mailOutbox = pgTable(
  'mail_outbox',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /** The template (`password_reset`, `invitation`, `reply`, `csat`), for logs and tests. */
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    subject: text('subject').notNull(),
    textBody: text('text_body').notNull(),
    htmlBody: text('html_body').notNull(),
    dedupeKey: text('dedupe_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    /** When the next attempt may start; a sender claims a row by moving it ahead (a lease). */
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true }),
    /** Given up after the last attempt; `last_error` says why. */
    failedAt: timestamp('failed_at', { withTimezone: true }),
    lastError: text('last_error'),
  },
  (t) => [
    index('mail_outbox_due_idx')
      .on(t.nextAttemptAt)
      .where(sql`${t.sentAt} IS NULL AND ${t.failedAt} IS NULL`),
    index('mail_outbox_dedupe_idx').on(t.dedupeKey, t.createdAt),
  ],
);

export type SignedLinkRow = typeof signedLinks.$inferSelect;
export type MailOutboxRow = typeof mailOutbox.$inferSelect;
