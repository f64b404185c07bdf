import { auditLog } from '../db/auditSchema';
import type { Database } from '../db/client';

/** Who made a change and through which HTTP request (`X-Request-Id`); null actor = the system. */
export interface AuditContext {
  actorId: string | null;
  requestId?: string | null;
}

export interface AuditEntry extends AuditContext {
  /** `domain.verb`, e.g. `user.created`, `settings.routing.updated`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  /** JSON-serialisable state before and after; null for a creation (before) or a deletion (after). */
  before?: unknown;
  after?: unknown;
}

/**
 * Records one administrative change. Pass the transaction the change runs in (a `tx` cast to
 * `Database`, as repositories do) so the entry commits or rolls back with it; the plain database
 * where the change has no transaction of its own.
 */
export async function recordAudit(dbOrTx: Database, entry: AuditEntry): Promise<void> {
  await dbOrTx.insert(auditLog).values({
    actorId: entry.actorId,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId ?? null,
    before: toJson(entry.before),
    after: toJson(entry.after),
    requestId: entry.requestId ?? null,
  });
}

// Dates and class instances become what JSON.stringify makes of them; undefined becomes null.
function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/** The audit context of an HTTP request: its actor and the request id pino-http gave it. */
export function auditContextOf(actor: { id: string } | null, req: { id?: unknown }): AuditContext {
  return { actorId: actor?.id ?? null, requestId: req.id === undefined ? null : String(req.id) };
}
