import { z } from 'zod';
import { CHANNELS, PRIORITIES, STATUSES, TIERS } from '../../signaling/shared/domain';
import { QUEUE_CATEGORIES, QUEUE_SORTS, SLA_STATES } from '../../signaling/shared/queues';
import { text } from '../validation';

/** A list filter: a JSON array, or in a query string `a,b` (or the parameter repeated). */
const list = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.split(',').filter((v) => v !== '') : value),
    z.array(z.enum(values)).max(values.length),
  );

export const queueFiltersSchema = z
  .object({
    q: text().trim().max(200).optional(),
    status: list([...STATUSES, 'active']).optional(),
    priority: list(PRIORITIES).optional(),
    tier: list(TIERS).optional(),
    category: list(QUEUE_CATEGORIES).optional(),
    channel: list(CHANNELS).optional(),
    sla: list(SLA_STATES).optional(),
    assignee: z
      .union([z.literal('me'), z.literal('none'), z.uuid()], { message: 'must be me, none or a user id' })
      .optional(),
  })
  .strict()
  .meta({ id: 'QueueFilters' });
export type QueueFiltersInput = z.output<typeof queueFiltersSchema>;

/** Filters only the support team may use (a customer's own tickets have no queue around them). */
export const STAFF_ONLY_FILTERS = ['priority', 'tier', 'sla', 'assignee'] as const;

export const queueSearchQuerySchema = queueFiltersSchema
  .extend({
    sort: z.enum(QUEUE_SORTS).default('updated'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    offset: z.coerce.number().int().min(0).max(10_000).default(0),
  })
  .strict();
export type QueueSearchQuery = z.output<typeof queueSearchQuerySchema>;

const viewName = text().trim().min(1, 'is required').max(60);

export const createViewBodySchema = z
  .object({ name: viewName, filters: queueFiltersSchema, sort: z.enum(QUEUE_SORTS).default('updated') })
  .strict()
  .meta({ id: 'CreateQueueViewRequest' });

export const updateViewBodySchema = z
  .object({
    name: viewName.optional(),
    filters: queueFiltersSchema.optional(),
    sort: z.enum(QUEUE_SORTS).optional(),
  })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'name at least one of name, filters, sort' })
  .meta({ id: 'UpdateQueueViewRequest' });

export const viewIdParamsSchema = z.object({ id: z.uuid({ message: 'must be a view id (UUID)' }) });

const ticketIds = z
  .array(z.uuid({ message: 'must be a ticket id (UUID)' }))
  .min(1, 'choose at least one ticket')
  .max(100, 'at most 100 tickets at once')
  .refine((ids) => new Set(ids).size === ids.length, 'each ticket once');

export const bulkBodySchema = z
  .discriminatedUnion('action', [
    z
      .object({
        action: z.literal('assign'),
        ticketIds,
        /** Null unassigns. */
        assigneeId: z.uuid().nullable(),
        /** Recorded with each transfer of a ticket someone else holds (as a single transfer requires). */
        note: text().trim().min(1).max(5000).optional(),
      })
      .strict(),
    z.object({ action: z.literal('priority'), ticketIds, priority: z.enum(PRIORITIES) }).strict(),
    z.object({ action: z.literal('close'), ticketIds }).strict(),
  ])
  .meta({ id: 'QueueBulkRequest' });
export type BulkInput = z.output<typeof bulkBodySchema>;
