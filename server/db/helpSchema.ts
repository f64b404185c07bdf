// The help centre's tables (issue 19), beside server/db/schema.ts (which keeps every other
// domain's): drizzle-kit reads both (drizzle.config.ts), one migration history.
import { sql } from 'drizzle-orm';
import {
  customType,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { tickets, users } from './schema';

// Help centre (issue 19): articles with their version history, "was this helpful?" votes,
// tickets linked to articles, article tasks after a solution, deflection events.

/** Terms of a text as a `tsvector` (built in Node from `server/search/textTokens.ts`). */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * An article in one language. `title`/`body` are the working copy staff edit (the latest version);
 * the `published_*` columns are the current published version, the only text the public and the
 * search see. Translations share a `translation_group` (the first article's id).
 */
export const helpArticles = pgTable(
  'help_articles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    locale: text('locale').$type<'en' | 'zh-CN'>().notNull(),
    translationGroup: uuid('translation_group').notNull(),
    /** A ticket category (`account`, `payment` …): the help centre's categories are the desk's. */
    category: text('category').notNull(),
    tags: text('tags').array().notNull().default(sql`'{}'::text[]`),
    status: text('status').$type<'draft' | 'published'>().notNull().default('draft'),
    title: text('title').notNull(),
    body: text('body').notNull(),
    authorId: uuid('author_id').references(() => users.id),
    currentVersionId: uuid('current_version_id'),
    publishedTitle: text('published_title'),
    publishedBody: text('published_body'),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    /** Published title terms at weight A, body terms at B; null while not published. */
    search: tsvector('search'),
    helpfulYes: integer('helpful_yes').notNull().default(0),
    helpfulNo: integer('helpful_no').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('help_articles_search_idx').using('gin', t.search),
    index('help_articles_public_idx').on(t.status, t.locale, t.category),
    index('help_articles_group_idx').on(t.translationGroup),
  ],
);

/** Every saved state of an article, numbered; publishing makes one current. */
export const helpArticleVersions = pgTable(
  'help_article_versions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    articleId: uuid('article_id')
      .notNull()
      .references(() => helpArticles.id, { onDelete: 'cascade' }),
    number: integer('number').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    authorId: uuid('author_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    publishedById: uuid('published_by_id').references(() => users.id),
  },
  (t) => [uniqueIndex('help_article_versions_number_unique').on(t.articleId, t.number)],
);

/** Images inserted into articles (public once referenced; served from DATA_DIR/help-images). */
export const helpImages = pgTable('help_images', {
  id: uuid('id').primaryKey().defaultRandom(),
  contentType: text('content_type').notNull(),
  size: integer('size').notNull(),
  uploaderId: uuid('uploader_id').references(() => users.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Tickets an article was written from (or linked to). */
export const helpArticleTickets = pgTable(
  'help_article_tickets',
  {
    articleId: uuid('article_id')
      .notNull()
      .references(() => helpArticles.id, { onDelete: 'cascade' }),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.ticketId] }),
    index('help_article_tickets_ticket_idx').on(t.ticketId),
  ],
);

/** "Write an article": one per solved ticket whose category had no published article. */
export const helpArticleTasks = pgTable(
  'help_article_tasks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    category: text('category').notNull(),
    agentId: uuid('agent_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    dueAt: timestamp('due_at', { withTimezone: true }).notNull(),
    doneAt: timestamp('done_at', { withTimezone: true }),
    /** `published` (an article of the category was published) or `linked` (the ticket got one). */
    doneReason: text('done_reason').$type<'published' | 'linked'>(),
    articleId: uuid('article_id').references(() => helpArticles.id, { onDelete: 'set null' }),
    /** When its agent and the supervisors were told it went overdue (once). */
    overdueNotifiedAt: timestamp('overdue_notified_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('help_article_tasks_ticket_unique').on(t.ticketId),
    index('help_article_tasks_open_idx').on(t.doneAt, t.category),
  ],
);

/** Deflection events of the new-ticket form, by the form's session (a random id per form). */
export const helpDeflectionEvents = pgTable(
  'help_deflection_events',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    sessionId: text('session_id').notNull(),
    kind: text('kind').$type<'shown' | 'opened' | 'submitted'>().notNull(),
    articleId: uuid('article_id').references(() => helpArticles.id, { onDelete: 'set null' }),
    userId: uuid('user_id').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    index('help_deflection_events_session_idx').on(t.sessionId),
    index('help_deflection_events_created_idx').on(t.createdAt),
  ],
);

export type HelpArticleRow = typeof helpArticles.$inferSelect;
export type HelpArticleVersionRow = typeof helpArticleVersions.$inferSelect;
export type HelpArticleTaskRow = typeof helpArticleTasks.$inferSelect;
