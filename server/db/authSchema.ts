// Signed-in sessions; part of the one schema (listed with the others by ./client.ts and drizzle.config.ts).
import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from './schema';

/**
 * A signed-in session: what renews the short-lived access tokens. The refresh token itself is
 * never stored, only its SHA-256 (a database leak gives no usable token). Renewal rotates it; the
 * one it replaced is kept so a late second use (a tab racing another) is told apart from a replay.
 */
export const authSessions = pgTable(
  'auth_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    previousTokenHash: text('previous_token_hash'),
    /** When the token was last rotated: a replay of the previous one is tolerated shortly after. */
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    /** The idle lifetime counts from here: every renewal moves it. */
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }).notNull(),
    /** The absolute lifetime: no renewal goes past it. */
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('auth_sessions_token_hash_unique').on(t.tokenHash),
    index('auth_sessions_previous_token_hash_idx').on(t.previousTokenHash),
    index('auth_sessions_user_idx').on(t.userId),
  ],
);

export type AuthSessionRow = typeof authSessions.$inferSelect;
