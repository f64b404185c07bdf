// The Livedesk assistant's table (issue 19, server/bot/), beside server/db/schema.ts: drizzle-kit
// reads both (drizzle.config.ts), one migration history.
import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { BotArticle, BotHandoffReason, BotLocale, BotState } from '../../signaling/shared/bot';
import { tickets } from './schema';

/**
 * One row per ticket the assistant answers on: where the conversation stands, what it suggested,
 * how often the customer said "no", and why it handed over. Reports count from it (docs/metrics.md).
 * A row in `answering` holds the ticket out of auto-assignment until it is handed over.
 */
export const botConversations = pgTable(
  'bot_conversations',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id),
    state: text('state').$type<BotState>().notNull().default('answering'),
    locale: text('locale').$type<BotLocale>().notNull().default('en'),
    noCount: integer('no_count').notNull().default(0),
    /** Searches made for this ticket (bounded: BOT_MAX_SEARCHES, then a person takes it). */
    searches: integer('searches').notNull().default(0),
    /** Every article suggested so far, first suggestion first. */
    suggested: jsonb('suggested').$type<BotArticle[]>().notNull().default(sql`'[]'::jsonb`),
    /** The customer's questions the assistant answered (shortened), for the hand-off card. */
    questions: jsonb('questions').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    handoffReason: text('handoff_reason').$type<BotHandoffReason>(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    /** When it left `answering` (handed off, resolved or taken over). */
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (t) => [index('bot_conversations_started_idx').on(t.startedAt)],
);

export type BotConversationRow = typeof botConversations.$inferSelect;
