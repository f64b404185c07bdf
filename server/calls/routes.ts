import { z } from 'zod';
import { defineRoute } from '../http/route';
import { ticketIdParamsSchema } from '../tickets/schemas';
import type { CallsService } from './service';

export function callRoutes(calls: CallsService) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/calls',
      summary: "A ticket's calls, newest first (status, participants, duration, end reason)",
      tag: 'calls',
      access: 'signed-in',
      params: ticketIdParamsSchema,
      response: z.object({ items: z.array(z.record(z.string(), z.unknown())) }),
      handler: async ({ actor, params }) => ({ items: await calls.forTicket(actor!, params.id) }),
    }),
  ];
}
