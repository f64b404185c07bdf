import { z } from 'zod';
import { defineRoute } from '../http/route';
import type { AuditRepository } from './repository';

const auditQuerySchema = z
  .object({
    actorId: z.uuid({ message: 'must be a user id (UUID)' }).optional(),
    action: z
      .string()
      .trim()
      .regex(/^[a-z_]+(\.[a-z_]+)*\.?$/, 'an action such as user.updated, or a prefix such as user.')
      .max(80)
      .optional(),
    targetType: z.string().trim().min(1).max(40).optional(),
    targetId: z.string().trim().min(1).max(200).optional(),
    from: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).optional(),
    to: z.iso.datetime({ offset: true, message: 'must be an ISO date-time' }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.from) < Date.parse(q.to), {
    path: ['to'],
    message: 'must be after from',
  });

export const auditEntrySchema = z
  .object({
    id: z.uuid(),
    actor: z.object({ id: z.uuid(), name: z.string(), email: z.string() }).nullable(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string().nullable(),
    before: z.unknown(),
    after: z.unknown(),
    requestId: z.string().nullable(),
    createdAt: z.iso.datetime(),
  })
  .meta({ id: 'AuditEntry' });

export function auditRoutes(repo: AuditRepository) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/admin/audit',
      summary: 'The audit log of administrative changes, newest first, with filters and paging (admins)',
      tag: 'admin',
      access: ['admin'],
      query: auditQuerySchema,
      response: z.object({ items: z.array(auditEntrySchema), total: z.number().int() }),
      handler: async ({ query }) => {
        const { rows, total } = await repo.list({
          ...query,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        });
        return {
          total,
          items: rows.map(({ entry, actorName, actorEmail }) => ({
            id: entry.id,
            actor:
              entry.actorId && actorName !== null && actorEmail !== null
                ? { id: entry.actorId, name: actorName, email: actorEmail }
                : null,
            action: entry.action,
            targetType: entry.targetType,
            targetId: entry.targetId,
            before: entry.before ?? null,
            after: entry.after ?? null,
            requestId: entry.requestId,
            createdAt: entry.createdAt.toISOString(),
          })),
        };
      },
    }),
  ];
}
