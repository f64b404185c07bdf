// Queues: the search document of each ticket and the views people save (issue 17). Part of the
// one schema (drizzle.config.ts lists both files); it builds on server/db/schema.ts, never the reverse.
import { sql } from 'drizzle-orm';
import {
  boolean,
  customType,
  index,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tickets, users } from './schema';

/** A `tsvector` column. Its terms come from server/search/textTokens.ts via `array_to_tsvector`. */
const tsvector = customType<{ data: string; driverData: string }>({ dataType: () => 'tsvector' });

/**
 * One search document per ticket, its own table so the ticket rows every queue and the SLA
 * monitor read stay small. Three term sets, because each changes for its own reason:
 * - `terms`: subject, description, number and every message (public and internal) — what staff
 *   search; a message's terms reach it through `message_search` (below), folded in batches;
 * - `public_terms`: subject, description, number and the public messages — what the customer who
 *   requested the ticket may search (never an internal note's words);
 * - `customer_terms`: the requester's name and e-mail, replaced for all their tickets when those
 *   change.
 * Staff search `terms || customer_terms` (GIN index on that expression); customers search their own
 * few tickets (`tickets_requester_idx`) through `public_terms`, no index needed.
 */
export const ticketSearch = pgTable(
  'ticket_search',
  {
    ticketId: uuid('ticket_id')
      .primaryKey()
      .references(() => tickets.id, { onDelete: 'cascade' }),
    terms: tsvector('terms').notNull(),
    publicTerms: tsvector('public_terms').notNull(),
    customerTerms: tsvector('customer_terms').notNull(),
  },
  (t) => [index('ticket_search_staff_idx').using('gin', sql`(${t.terms} || ${t.customerTerms})`)],
);

/**
 * A stored message's search terms until they are folded into its ticket's document: the send
 * inserts one row here (insert-only, no index, no key: the cheapest write there is) instead of
 * rewriting the ticket's growing document and re-entering all of its terms in the GIN index,
 * which made every chat message cost more as its conversation grew (bench:chat, issue 14).
 * `SearchDocuments.fold` moves the rows into `ticket_search` in batches (one document update per
 * ticket per batch, none when it adds no new term) and deletes them; queue search reads these rows
 * too, so a message is findable the moment it is stored. No foreign key: rows live seconds, and a
 * row of a ticket that is gone folds into nothing.
 */
export const messageSearch = pgTable('message_search', {
  ticketId: uuid('ticket_id').notNull(),
  terms: tsvector('terms').notNull(),
  /** A public message (the customer may search it); false: an internal note (staff only). */
  public: boolean('public').notNull(),
});

/** A queue view a person saved: a name, the filters and the sort, theirs alone. */
export const savedQueueViews = pgTable(
  'saved_queue_views',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    filters: jsonb('filters').$type<Record<string, unknown>>().notNull(),
    sort: text('sort').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('saved_queue_views_user_name_unique').on(t.userId, t.name)],
);

export type SavedQueueViewRow = typeof savedQueueViews.$inferSelect;
