import { z } from 'zod';
import { PRIORITIES, STATUSES } from '../../signaling/shared/domain';
import { defineRoute } from '../http/route';
import { ticketIdParamsSchema } from '../tickets/schemas';
import { STAFF_ROLES } from '../users/service';
import type { CustomerContextService } from './service';

const customerContext = z
  .object({
    customer: z.object({
      id: z.string(),
      name: z.string(),
      email: z.string(),
      locale: z.string(),
      createdAt: z.string(),
      disabled: z.boolean(),
      ticketCount: z.number(),
      openTicketCount: z.number(),
    }),
    tickets: z.array(
      z.object({
        id: z.string(),
        number: z.number(),
        subject: z.string(),
        status: z.enum(STATUSES),
        priority: z.enum(PRIORITIES),
        createdAt: z.string(),
        updatedAt: z.string(),
      }),
    ),
    calls: z.array(
      z.object({
        id: z.string(),
        ticketId: z.string(),
        ticketNumber: z.number(),
        startedAt: z.string(),
        endedAt: z.string().nullable(),
        durationSeconds: z.number().nullable().describe('Connected time; null when it never connected'),
        recording: z
          .object({ id: z.string(), status: z.string() })
          .nullable()
          .describe('Only when the viewer may watch it (QA, supervisors, admins, the agents on the call)'),
        rating: z.object({ picture: z.number(), sound: z.number(), helpfulness: z.number() }).nullable(),
      }),
    ),
    csat: z.array(
      z.object({
        ticketId: z.string(),
        ticketNumber: z.number(),
        score: z.number(),
        comment: z.string().nullable(),
        submittedAt: z.string(),
      }),
    ),
  })
  .meta({ id: 'CustomerContext' });

export function customerRoutes(context: CustomerContextService) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/customer-context',
      summary:
        "The ticket's customer: profile, other tickets, calls (recordings where allowed) and CSAT (staff)",
      tag: 'customers',
      access: STAFF_ROLES,
      params: ticketIdParamsSchema,
      response: customerContext,
      handler: ({ actor, params }) => context.forTicket(actor!, params.id),
    }),
  ];
}
