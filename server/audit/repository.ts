import { and, count, desc, eq, gte, like, lt, type SQL } from 'drizzle-orm';
import { auditLog } from '../db/auditSchema';
import type { Database } from '../db/client';
import { users } from '../db/schema';

export interface AuditFilter {
  actorId?: string;
  /** An exact action, or a prefix ending in `.` (`user.` = every user change). */
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

/** All SQL reading the audit log (writing is `recordAudit`, which runs in other domains' transactions). */
export class AuditRepository {
  constructor(private readonly db: Database) {}

  async list(filter: AuditFilter) {
    const where = and(...conditions(filter));
    const [rows, [total]] = await Promise.all([
      this.db
        .select({ entry: auditLog, actorName: users.name, actorEmail: users.email })
        .from(auditLog)
        .leftJoin(users, eq(users.id, auditLog.actorId))
        .where(where)
        .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
        .limit(filter.limit)
        .offset(filter.offset),
      this.db.select({ n: count() }).from(auditLog).where(where),
    ]);
    return { rows, total: total?.n ?? 0 };
  }
}

function conditions(f: AuditFilter): SQL[] {
  const out: SQL[] = [];
  if (f.actorId) out.push(eq(auditLog.actorId, f.actorId));
  if (f.action) {
    out.push(
      f.action.endsWith('.')
        ? like(auditLog.action, `${f.action.replace(/[\\%_]/g, '\\$&')}%`)
        : eq(auditLog.action, f.action),
    );
  }
  if (f.targetType) out.push(eq(auditLog.targetType, f.targetType));
  if (f.targetId) out.push(eq(auditLog.targetId, f.targetId));
  if (f.from) out.push(gte(auditLog.createdAt, f.from));
  if (f.to) out.push(lt(auditLog.createdAt, f.to));
  return out;
}
