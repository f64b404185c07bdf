import { z } from 'zod';
import { auditContextOf } from '../audit/record';
import { defineRoute } from '../http/route';
import { MAIL_STATES, type OutboxAdmin } from './outboxAdmin';

const mailItemSchema = z
  .object({
    id: z.uuid(),
    kind: z.string(),
    to: z.string(),
    subject: z.string(),
    state: z.enum(MAIL_STATES),
    attempts: z.number().int(),
    lastError: z.string().nullable(),
    createdAt: z.iso.datetime(),
    at: z.iso.datetime(),
  })
  .meta({ id: 'MailOutboxItem' });

const listQuerySchema = z
  .object({
    state: z.enum(MAIL_STATES, { message: 'must be queued, sent or failed' }).optional(),
    limit: z.coerce.number().int().min(1).max(200).default(25),
    offset: z.coerce.number().int().min(0).max(1_000_000).default(0),
  })
  .strict();

/** `/api/admin/mail`: the outbox for admins (no mail bodies: they carry reset and invitation links). */
export function mailRoutes(admin: OutboxAdmin) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/admin/mail',
      summary:
        'Outgoing mails, newest first, filtered by state (queued, sent, failed), paged; and where mail goes (admins)',
      tag: 'admin',
      access: ['admin'],
      query: listQuerySchema,
      response: z.object({
        items: z.array(mailItemSchema),
        total: z.number().int(),
        delivery: z.object({ kind: z.enum(['smtp', 'folder']), folder: z.string().nullable() }),
      }),
      handler: async ({ query }) => ({ ...(await admin.list(query)), delivery: admin.delivery() }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/admin/mail/:id/retry',
      summary: 'Send a failed mail again: one more attempt, now (admins; audited)',
      tag: 'admin',
      access: ['admin'],
      params: z.object({ id: z.uuid({ message: 'must be a mail id (UUID)' }) }),
      response: mailItemSchema,
      handler: ({ params, actor, req }) => admin.retry(auditContextOf(actor, req), params.id),
    }),
  ];
}
