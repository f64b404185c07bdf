// The audit log of administrative changes: other domains call `recordAudit` in their change's
// transaction; admins read it at GET /api/admin/audit.
export { type AuditContext, type AuditEntry, auditContextOf, recordAudit } from './record';
export { AuditRepository } from './repository';
export { auditRoutes } from './routes';
