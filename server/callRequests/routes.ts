import { z } from 'zod';
import { CALL_REQUEST_REFUSALS, CALL_REQUEST_STATUSES } from '../../signaling/shared/callRequests';
import { defineRoute } from '../http/route';
import type { CallRequests } from './service';

const ticketParams = z.object({ id: z.uuid() }).strict();
const requestParams = z.object({ id: z.uuid(), requestId: z.uuid() }).strict();
const userRef = z.object({ id: z.string(), name: z.string(), role: z.string(), tier: z.string().nullable() });
const requestView = z
  .object({
    id: z.string(),
    ticketId: z.string(),
    ticketNumber: z.number(),
    subject: z.string(),
    customer: userRef,
    status: z.enum(CALL_REQUEST_STATUSES),
    targetIds: z.array(z.string()),
    by: userRef.nullable(),
    callId: z.string().nullable(),
    requestedAt: z.string(),
    expiresAt: z.string(),
  })
  .meta({ id: 'CallRequest' });

export function callRequestRoutes(requests: CallRequests) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/call-request',
      summary:
        "Whether the ticket's customer may request a video call now (and why not), with their request still ringing",
      tag: 'calls',
      access: ['customer'],
      params: ticketParams,
      response: z
        .object({
          allowed: z.boolean(),
          reason: z.enum(CALL_REQUEST_REFUSALS).nullable(),
          request: requestView.nullable(),
        })
        .meta({ id: 'CallRequestEligibility' }),
      handler: ({ actor, params }) => requests.eligibility(actor!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/call-requests',
      summary:
        'The customer requests a video call: rings the assignee, or the free agents of the ticket’s tier (409 when the rule refuses, 429 after 3 in 10 minutes)',
      tag: 'calls',
      access: ['customer'],
      status: 201,
      params: ticketParams,
      response: requestView,
      handler: ({ actor, params }) => requests.request(actor!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/call-requests/:requestId/accept',
      summary:
        'A rung agent accepts: starts the call (the customer’s page joins it); 409 once it stopped ringing',
      tag: 'calls',
      access: ['agent', 'supervisor', 'admin'],
      params: requestParams,
      response: z.object({ request: requestView, call: z.object({ id: z.string() }).loose() }),
      handler: ({ actor, params }) => requests.accept(actor!, params.id, params.requestId),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/call-requests/:requestId/decline',
      summary: 'A rung agent declines (declined for the customer once every rung agent did)',
      tag: 'calls',
      access: ['agent', 'supervisor', 'admin'],
      params: requestParams,
      response: requestView,
      handler: ({ actor, params }) => requests.decline(actor!, params.id, params.requestId),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/call-requests/:requestId/cancel',
      summary: 'The customer withdraws their ringing request',
      tag: 'calls',
      access: ['customer'],
      params: requestParams,
      response: requestView,
      handler: ({ actor, params }) => requests.cancel(actor!, params.id, params.requestId),
    }),
  ];
}
