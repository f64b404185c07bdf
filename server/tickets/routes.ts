import { z } from 'zod';
import { URGENCIES } from '../../signaling/shared/macros';
import {
  AVAILABILITIES,
  CHANNELS,
  MESSAGE_KINDS,
  PRESENCES,
  PRIORITIES,
  STATUSES,
  TIERS,
} from '../../signaling/shared/protocol';
import { defineRoute } from '../http/route';
import type { UserLimits } from '../limits/userLimits';
import { STAFF_ROLES } from '../users/service';
import type { MessagesService } from './messages';
import {
  assignBodySchema,
  createTicketBodySchema,
  escalateBodySchema,
  linkBodySchema,
  listTicketsQuerySchema,
  mergeBodySchema,
  messagesQuerySchema,
  sendMessageSchema,
  ticketIdParamsSchema,
  updateTicketBodySchema,
} from './schemas';
import type { TicketsService } from './service';

// Response schemas document the API (OpenAPI); the views are built by code typed against
// signaling/shared/protocol.ts, which is what the client compiles against.
const userRef = z
  .object({ id: z.string(), name: z.string(), role: z.string(), tier: z.enum(TIERS).nullable() })
  .meta({ id: 'UserRef' });
const attachment = z
  .object({
    id: z.string(),
    fileName: z.string(),
    contentType: z.string(),
    sizeBytes: z.number(),
    url: z.string(),
  })
  .meta({ id: 'Attachment' });
const slaClock = z.object({
  clock: z.enum(['first_response', 'next_response', 'resolution']),
  status: z.enum(['running', 'paused', 'met', 'breached', 'not_started']),
  targetSeconds: z.number(),
  elapsedSeconds: z.number(),
  remainingSeconds: z.number(),
  dueAt: z.string().nullable(),
});
export const ticketView = z
  .object({
    id: z.string(),
    number: z.number(),
    subject: z.string(),
    description: z.string(),
    category: z.string(),
    requester: userRef,
    assignee: userRef.nullable(),
    tier: z.enum(TIERS),
    priority: z.enum(PRIORITIES),
    status: z.enum(STATUSES),
    channel: z.enum(CHANNELS),
    tags: z.array(z.string()),
    snapshot: z.record(z.string(), z.unknown()).nullable(),
    customerUrgency: z.enum(URGENCIES).nullable(),
    mergedIntoId: z.string().nullable(),
    linkedTicketIds: z.array(z.string()),
    followerIds: z.array(z.string()),
    attachments: z.array(attachment),
    firstResponseAt: z.string().nullable(),
    firstResponseSeconds: z.number().nullable(),
    solvedAt: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
    sla: z.object({ clocks: z.array(slaClock), urgencySeconds: z.number().nullable() }),
    callSeconds: z.number(),
    callCount: z.number(),
    callShareOfResolution: z.number().nullable(),
  })
  .meta({ id: 'Ticket' });
const messageView = z
  .object({
    id: z.string(),
    seq: z.number(),
    ticketId: z.string(),
    author: userRef.nullable(),
    kind: z.enum(MESSAGE_KINDS),
    body: z.string(),
    system: z.record(z.string(), z.unknown()).nullable(),
    bot: z.record(z.string(), z.unknown()).nullable(),
    clientMessageId: z.string().nullable(),
    attachments: z.array(attachment),
    createdAt: z.string(),
  })
  .meta({ id: 'Message' });
const timelineEntry = z
  .object({
    id: z.string(),
    seq: z.number(),
    ticketId: z.string(),
    type: z.string(),
    actor: userRef.nullable(),
    data: z.record(z.string(), z.unknown()),
    createdAt: z.string(),
  })
  .meta({ id: 'TimelineEntry' });

const WORKERS = ['agent', 'supervisor', 'admin'] as const;

export function ticketRoutes(tickets: TicketsService, messages: MessagesService, limits: UserLimits) {
  return [
    defineRoute({
      method: 'post',
      path: '/api/tickets',
      summary: 'Open a ticket (customers for themselves; staff for a named customer)',
      tag: 'tickets',
      access: ['customer', ...WORKERS],
      body: createTicketBodySchema,
      response: ticketView,
      status: 201,
      handler: ({ actor, body }) => tickets.create(actor!, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets',
      summary: 'My tickets (customers) or a queue: mine, tier, unassigned, breaching, following, all (staff)',
      tag: 'tickets',
      access: 'signed-in',
      query: listTicketsQuerySchema,
      response: z.object({ items: z.array(ticketView) }),
      handler: async ({ actor, query }) => ({ items: await tickets.list(actor!, query) }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id',
      summary: 'One ticket with its SLA clocks',
      tag: 'tickets',
      access: 'signed-in',
      params: ticketIdParamsSchema,
      response: ticketView,
      handler: ({ actor, params }) => tickets.get(actor!, params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/tickets/:id',
      summary: 'Change priority, status, category or tags (a customer may only mark it solved)',
      tag: 'tickets',
      access: ['customer', ...WORKERS],
      params: ticketIdParamsSchema,
      body: updateTicketBodySchema,
      response: ticketView,
      handler: ({ actor, params, body }) => tickets.update(actor!, params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/messages',
      summary: 'The conversation, one page at a time (oldest first; `before` pages back)',
      tag: 'tickets',
      access: 'signed-in',
      params: ticketIdParamsSchema,
      query: messagesQuerySchema,
      response: z.object({ items: z.array(messageView), nextBefore: z.number().nullable() }),
      handler: ({ actor, params, query }) => messages.page(actor!, params.id, query),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/messages',
      summary: 'Post a public reply or (staff) an internal note; idempotent on clientMessageId',
      tag: 'tickets',
      access: ['customer', ...WORKERS],
      params: ticketIdParamsSchema,
      body: sendMessageSchema.omit({ ticketId: true }),
      response: messageView,
      status: 201,
      // The same per-person chat limit as the socket's message:send.
      handler: async ({ actor, params, body }) => {
        await limits.chatMessage(actor!.id);
        return messages.send(actor!, { ...body, ticketId: params.id });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/timeline',
      summary: 'Every change to the ticket with who, what and when (staff)',
      tag: 'tickets',
      access: STAFF_ROLES,
      params: ticketIdParamsSchema,
      response: z.object({ items: z.array(timelineEntry) }),
      handler: async ({ actor, params }) => ({ items: await tickets.timeline(actor!, params.id) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/claim',
      summary: 'Take the ticket',
      tag: 'tickets',
      access: WORKERS,
      params: ticketIdParamsSchema,
      response: ticketView,
      handler: ({ actor, params }) => tickets.claim(actor!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/assign',
      summary: 'Assign, transfer (note required) or unassign (assigneeId null)',
      tag: 'tickets',
      access: WORKERS,
      params: ticketIdParamsSchema,
      body: assignBodySchema,
      response: ticketView,
      handler: ({ actor, params, body }) => tickets.assign(actor!, params.id, body.assigneeId, body.note),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/escalate',
      summary: 'Escalate to a higher tier with a note; the history stays whole',
      tag: 'tickets',
      access: WORKERS,
      params: ticketIdParamsSchema,
      body: escalateBodySchema,
      response: ticketView,
      handler: ({ actor, params, body }) => tickets.escalate(actor!, params.id, body.tier, body.note),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/merge',
      summary: 'Merge this duplicate into another ticket of the same customer',
      tag: 'tickets',
      access: WORKERS,
      params: ticketIdParamsSchema,
      body: mergeBodySchema,
      response: ticketView,
      handler: ({ actor, params, body }) => tickets.merge(actor!, params.id, body.intoTicketId),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/links',
      summary: 'Link a related ticket',
      tag: 'tickets',
      access: WORKERS,
      params: ticketIdParamsSchema,
      body: linkBodySchema,
      response: ticketView,
      handler: ({ actor, params, body }) => tickets.link(actor!, params.id, body.ticketId),
    }),
    defineRoute({
      method: 'get',
      path: '/api/agents',
      summary: 'Agents with their availability, presence, open-ticket load and call time (staff)',
      tag: 'agents',
      access: STAFF_ROLES,
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            name: z.string(),
            email: z.string(),
            tier: z.enum(TIERS),
            skills: z.array(z.string()),
            availability: z.enum(AVAILABILITIES).describe('What the agent chose by hand'),
            presence: z
              .enum(PRESENCES)
              .describe('Where the agent is now: derived from tabs, idle time and calls'),
            openTickets: z.number(),
            callSeconds: z.number().describe('Connected call time of the calls the agent took part in'),
            callCount: z.number(),
            callShareOfResolution: z
              .number()
              .nullable()
              .describe(
                'Over the tickets the agent resolved: their call time as a share (0..1) of their time from creation to solved; null before any',
              ),
          }),
        ),
      }),
      handler: async () => ({ items: await tickets.agentsOverview() }),
    }),
  ];
}
