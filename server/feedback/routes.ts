import { z } from 'zod';
import { FOLLOW_UP_SOURCES, NPS_CATEGORIES } from '../../signaling/shared/feedback';
import { defineRoute } from '../http/route';
import type { CsatService } from './csat';
import type { FollowUpService } from './followUps';
import type { NpsService } from './nps';
import {
  callIdParams,
  callRatingBodySchema,
  closeFollowUpBodySchema,
  csatBodySchema,
  followUpIdParams,
  listFollowUpsQuerySchema,
  npsBodySchema,
  surveyRatingBodySchema,
  surveyRedeemBodySchema,
  ticketIdParams,
} from './schemas';
import type { CsatSurveyLinks } from './surveyLinks';

// Response schemas document the API (OpenAPI); the views are typed in signaling/shared/feedback.ts.
const rated = {
  comment: z.string().nullable(),
  submittedAt: z.string(),
  updatedAt: z.string(),
  locksAt: z.string(),
  locked: z.boolean(),
  revisions: z.number(),
};
const csatRating = z.object({ ticketId: z.string(), score: z.number(), ...rated }).meta({ id: 'CsatRating' });
const callRating = z
  .object({
    callId: z.string(),
    ticketId: z.string(),
    picture: z.number(),
    sound: z.number(),
    helpfulness: z.number(),
    ...rated,
  })
  .meta({ id: 'CallRating' });
const ref = z.object({ id: z.string(), name: z.string() });
const followUp = z
  .object({
    id: z.string(),
    source: z.enum(FOLLOW_UP_SOURCES),
    ticketId: z.string(),
    ticketNumber: z.number(),
    subject: z.string(),
    callId: z.string().nullable(),
    score: z.number().nullable(),
    comment: z.string().nullable(),
    customer: ref,
    agent: ref.nullable(),
    openedAt: z.string(),
    dueAt: z.string(),
    overdue: z.boolean(),
    overdueAt: z.string().nullable(),
    closedAt: z.string().nullable(),
    closedBy: ref.nullable(),
    note: z.string().nullable(),
  })
  .meta({ id: 'FollowUp' });
const npsResponse = z
  .object({
    id: z.string(),
    score: z.number().nullable(),
    category: z.enum(NPS_CATEGORIES).nullable(),
    comment: z.string().nullable(),
    askedAt: z.string(),
    nextAt: z.string(),
  })
  .meta({ id: 'NpsResponse' });

export function feedbackRoutes(deps: {
  csat: CsatService;
  followUps: FollowUpService;
  nps: NpsService;
  surveyLinks: CsatSurveyLinks;
}) {
  const { csat, followUps, nps, surveyLinks } = deps;
  return [
    defineRoute({
      method: 'post',
      path: '/api/csat/survey-links/redeem',
      summary:
        "Open the CSAT link mailed to a customer who was away at the solve: uses the link up (it works once) and returns an access token for that ticket's rating only (1 hour). 404 unknown, 410 used or expired",
      tag: 'feedback',
      access: 'public',
      body: surveyRedeemBodySchema,
      response: z.object({
        access: z.string(),
        expiresAt: z.string(),
        ticket: z.object({ id: z.string(), number: z.number(), subject: z.string() }),
        state: z.object({ eligible: z.boolean(), rating: csatRating.nullable() }),
      }),
      handler: ({ body }) => surveyLinks.redeem(body.token),
    }),
    defineRoute({
      method: 'post',
      path: '/api/csat/survey-links/rating',
      summary:
        'Rate the ticket a survey link opened, with the access token it returned (no sign-in); as POST /api/tickets/:id/csat otherwise. 401 when the access token is expired or for another ticket',
      tag: 'feedback',
      access: 'public',
      body: surveyRatingBodySchema,
      response: csatRating,
      status: 201,
      handler: ({ body }) =>
        surveyLinks.rate(body.access, body.ticketId, { score: body.score, comment: body.comment }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/csat',
      summary: "The ticket's CSAT survey: whether it is open (solved) and the answer, if any",
      tag: 'feedback',
      access: 'signed-in',
      params: ticketIdParams,
      response: z.object({ eligible: z.boolean(), rating: csatRating.nullable() }),
      handler: ({ actor, params }) => csat.ticketState(actor!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/csat',
      summary:
        "Rate a solved ticket 1–5 with an optional comment (the ticket's customer). Posting again within the change window (CSAT_CHANGE_WINDOW_DAYS) replaces the answer; after it, 409",
      tag: 'feedback',
      access: ['customer'],
      params: ticketIdParams,
      body: csatBodySchema,
      response: csatRating,
      status: 201,
      handler: ({ actor, params, body }) => csat.rateTicket(actor!, params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/calls/:id/rating',
      summary: "The call's rating: whether it can be rated (connected and ended) and the answer, if any",
      tag: 'feedback',
      access: 'signed-in',
      params: callIdParams,
      response: z.object({ eligible: z.boolean(), rating: callRating.nullable() }),
      handler: ({ actor, params }) => csat.callState(actor!, params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/api/calls/:id/rating',
      summary:
        "Rate a connected call that ended: picture, sound, helpfulness (1–5 each) and an optional comment (the call's customer). Posting again within the change window replaces it",
      tag: 'feedback',
      access: ['customer'],
      params: callIdParams,
      body: callRatingBodySchema,
      response: callRating,
      status: 201,
      handler: ({ actor, params, body }) => csat.rateCall(actor!, params.id, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/feedback/follow-ups',
      summary: 'The low-score follow-up queue: open (most urgent first), overdue, closed or all',
      tag: 'feedback',
      access: ['supervisor', 'admin', 'qa'],
      query: listFollowUpsQuerySchema,
      response: z.object({ items: z.array(followUp) }),
      handler: async ({ query }) => ({
        items: await followUps.list({
          state: query.state,
          limit: query.limit,
          ...(query.ticketId ? { ticketId: query.ticketId } : {}),
        }),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/feedback/follow-ups/:id/close',
      summary: 'Close a follow-up with a note of what was done (supervisors and admins)',
      tag: 'feedback',
      access: ['supervisor', 'admin'],
      params: followUpIdParams,
      body: closeFollowUpBodySchema,
      response: followUp,
      handler: ({ actor, params, body }) => followUps.close(actor!, params.id, body.note),
    }),
    defineRoute({
      method: 'get',
      path: '/api/feedback/nps/prompt',
      summary: 'Whether to ask this customer the recommendation (NPS) question now',
      tag: 'feedback',
      access: ['customer'],
      response: z.object({ ask: z.boolean(), nextAt: z.string().nullable() }),
      handler: ({ actor }) => nps.prompt(actor!),
    }),
    defineRoute({
      method: 'post',
      path: '/api/feedback/nps',
      summary: 'Answer the NPS question: 0–10 and an optional comment (at most once per NPS_PERIOD_DAYS)',
      tag: 'feedback',
      access: ['customer'],
      body: npsBodySchema,
      response: npsResponse,
      status: 201,
      handler: ({ actor, body }) => nps.answer(actor!, body),
    }),
    defineRoute({
      method: 'post',
      path: '/api/feedback/nps/dismiss',
      summary: 'Dismiss the NPS question: counts as asked for the period',
      tag: 'feedback',
      access: ['customer'],
      response: npsResponse,
      status: 201,
      handler: ({ actor }) => nps.dismiss(actor!),
    }),
  ];
}
