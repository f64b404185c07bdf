import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

/**
 * Every administrative change (users, settings, SLA, routing, recording policy, demo switch, ...):
 * who, what, on which target, the state before and after, when, and the HTTP request it came from.
 * Written in the change's transaction where the change has one (`server/audit/`). Append-only.
 */
export const auditLog = pgTable(
  'audit_log',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    /**
     * A user id; null for the system. No foreign key: the log is history and outlives whatever it
     * names (and this table stays out of the users table's way).
     */
    actorId: uuid('actor_id'),
    /** `domain.verb`, e.g. `user.created`, `settings.sla_policy.updated`. */
    action: text('action').notNull(),
    targetType: text('target_type').notNull(),
    targetId: text('target_id'),
    before: jsonb('before').$type<unknown>(),
    after: jsonb('after').$type<unknown>(),
    requestId: text('request_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_log_created_idx').on(t.createdAt, t.id),
    index('audit_log_target_idx').on(t.targetType, t.targetId),
    index('audit_log_actor_idx').on(t.actorId, t.createdAt),
  ],
);

export type AuditLogRow = typeof auditLog.$inferSelect;
