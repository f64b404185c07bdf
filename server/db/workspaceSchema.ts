// The tables of the agent's workspace (macros, playbooks, the composer preference), kept apart
// from schema.ts so each file stays readable; drizzle-kit reads both (drizzle.config.ts).

import { sql } from 'drizzle-orm';
import {
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type {
  LocalizedText,
  MacroActions,
  MacroScope,
  PlaybookStep,
  SendKey,
} from '../../signaling/shared/macros';
import { tickets, users } from './schema';

/**
 * Canned replies. Shared ones (no owner) are written by supervisors and admins and used by every
 * agent; a personal one belongs to its owner alone. The body is kept per language.
 */
export const macros = pgTable(
  'macros',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scope: text('scope').$type<MacroScope>().notNull(),
    ownerId: uuid('owner_id').references(() => users.id),
    title: text('title').notNull(),
    bodies: jsonb('bodies').$type<LocalizedText>().notNull(),
    actions: jsonb('actions').$type<MacroActions>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('macros_owner_matches_scope', sql`(${t.scope} = 'personal') = (${t.ownerId} IS NOT NULL)`),
    index('macros_owner_idx').on(t.ownerId),
  ],
);

/** One checklist per ticket category, written by admins in both languages. */
export const playbooks = pgTable(
  'playbooks',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    category: text('category').notNull(),
    title: jsonb('title').$type<LocalizedText>().notNull(),
    steps: jsonb('steps').$type<PlaybookStep[]>().notNull(),
    followUpHours: integer('follow_up_hours'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('playbooks_category_unique').on(t.category)],
);

/** The playbook steps ticked on a ticket (a step un-ticked is deleted; the timeline keeps both). */
export const ticketPlaybookSteps = pgTable(
  'ticket_playbook_steps',
  {
    ticketId: uuid('ticket_id')
      .notNull()
      .references(() => tickets.id),
    stepId: text('step_id').notNull(),
    doneById: uuid('done_by_id').references(() => users.id),
    doneAt: timestamp('done_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.ticketId, t.stepId] })],
);

/** A person's composer choice: which key sends (the other makes a new line). */
export const composerPreferences = pgTable('composer_preferences', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id),
  sendKey: text('send_key').$type<SendKey>().notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export type MacroRow = typeof macros.$inferSelect;
export type PlaybookRow = typeof playbooks.$inferSelect;
