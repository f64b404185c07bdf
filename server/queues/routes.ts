import { z } from 'zod';
import { QUEUE_SORTS } from '../../signaling/shared/queues';
import { defineRoute } from '../http/route';
import { ticketView } from '../tickets/routes';
import { STAFF_ROLES } from '../users/service';
import { BULK_ROLES, type BulkActions } from './bulk';
import {
  bulkBodySchema,
  createViewBodySchema,
  queueFiltersSchema,
  queueSearchQuerySchema,
  updateViewBodySchema,
  viewIdParamsSchema,
} from './schemas';
import type { QueueService } from './service';

const savedView = z
  .object({
    id: z.string(),
    name: z.string(),
    filters: queueFiltersSchema,
    sort: z.enum(QUEUE_SORTS),
    count: z.number().describe('Tickets matching the view now, counted up to 1,000'),
    countCapped: z.boolean().describe('More than `count` tickets match (the count stopped at 1,000)'),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'SavedQueueView' });

const bulkResult = z
  .object({
    results: z.array(
      z.object({
        ticketId: z.string(),
        ok: z.boolean(),
        number: z.number().nullable(),
        error: z.object({ code: z.string(), message: z.string() }).optional(),
      }),
    ),
    succeeded: z.number(),
    failed: z.number(),
  })
  .meta({ id: 'QueueBulkResult' });

export function queueRoutes(queue: QueueService, bulk: BulkActions) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/queue/search',
      summary:
        'Search and filter tickets (staff: every ticket, every word; customers: their own tickets, what they can see)',
      tag: 'queue',
      access: 'signed-in',
      query: queueSearchQuerySchema,
      response: z.object({
        items: z.array(ticketView),
        total: z.number().describe('Matching tickets, counted up to 1,000'),
        totalCapped: z.boolean().describe('More than `total` tickets match (the count stopped at 1,000)'),
      }),
      handler: ({ actor, query }) => queue.search(actor!, query),
    }),
    defineRoute({
      method: 'get',
      path: '/api/queue/views',
      summary: 'My saved queue views, each with its count of matching tickets',
      tag: 'queue',
      access: STAFF_ROLES,
      response: z.object({ items: z.array(savedView) }),
      handler: async ({ actor }) => ({ items: await queue.views(actor!) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/queue/views',
      summary: 'Save a queue view: a name, filters and a sort (mine alone)',
      tag: 'queue',
      access: STAFF_ROLES,
      body: createViewBodySchema,
      response: savedView,
      status: 201,
      handler: ({ actor, body }) => queue.createView(actor!, body),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/queue/views/:id',
      summary: 'Rename one of my views or change its filters or sort',
      tag: 'queue',
      access: STAFF_ROLES,
      params: viewIdParamsSchema,
      body: updateViewBodySchema,
      response: savedView,
      handler: ({ actor, params, body }) => queue.updateView(actor!, params.id, body),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/queue/views/:id',
      summary: 'Delete one of my views',
      tag: 'queue',
      access: STAFF_ROLES,
      params: viewIdParamsSchema,
      response: z.object({ deleted: z.literal(true) }),
      handler: async ({ actor, params }) => {
        await queue.deleteView(actor!, params.id);
        return { deleted: true as const };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/queue/bulk',
      summary:
        'Assign, change the priority of or close many tickets (supervisors, admins); a result per ticket, a refusal does not stop the rest',
      tag: 'queue',
      access: BULK_ROLES,
      body: bulkBodySchema,
      response: bulkResult,
      handler: ({ actor, body }) => bulk.apply(actor!, body),
    }),
  ];
}
