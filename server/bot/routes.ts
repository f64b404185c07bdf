import { z } from 'zod';
import { BOT_ANSWERS, BOT_HANDOFF_REASONS, BOT_STATES } from '../../signaling/shared/bot';
import { CHANNELS } from '../../signaling/shared/protocol';
import { auditContextOf } from '../audit/record';
import { defineRoute } from '../http/route';
import type { Assistant } from './service';
import { type BotSettingsStore, botSettingsSchema } from './settings';

const ticketParams = z.object({ id: z.uuid({ message: 'must be a ticket id' }) });
const answerBody = z.object({ answer: z.enum(BOT_ANSWERS) }).strict();
const link = z.object({ id: z.string(), title: z.string(), url: z.string() });
const conversationView = z
  .object({
    ticketId: z.string(),
    state: z.enum(BOT_STATES),
    noCount: z.number(),
    handoffReason: z.enum(BOT_HANDOFF_REASONS).nullable(),
    suggested: z.array(link),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .meta({ id: 'BotConversation' });
const settingsView = z
  .object({
    mode: z.enum(['auto', 'on', 'off']),
    channels: z.array(z.enum(CHANNELS)),
    active: z.boolean(),
    publishedArticles: z.number(),
  })
  .meta({ id: 'BotSettingsView' });

export function botRoutes(assistant: Assistant, settings: BotSettingsStore) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/bot',
      summary: "The Livedesk assistant's conversation on a ticket (null when it never answered there)",
      tag: 'bot',
      access: 'signed-in',
      params: ticketParams,
      response: z.object({ conversation: conversationView.nullable() }),
      handler: async ({ actor, params }) => ({
        conversation: await assistant.conversation(actor!, params.id),
      }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/bot/answer',
      summary: 'The customer answers "Did this solve it?": yes, no, or human (talk to a person)',
      tag: 'bot',
      access: ['customer'],
      params: ticketParams,
      body: answerBody,
      response: conversationView,
      handler: ({ actor, params, body }) => assistant.answer(actor!, params.id, body.answer),
    }),
    defineRoute({
      method: 'post',
      path: '/api/tickets/:id/bot/take-over',
      summary: 'A person takes the conversation over from the assistant (staff working the ticket)',
      tag: 'bot',
      access: ['agent', 'supervisor', 'admin'],
      params: ticketParams,
      response: conversationView,
      handler: ({ actor, params }) => assistant.takeOverBy(actor!, params.id),
    }),
    defineRoute({
      method: 'get',
      path: '/api/admin/bot',
      summary: "The assistant's settings (mode auto/on/off, channels) and whether it answers now",
      tag: 'bot',
      access: ['admin'],
      response: settingsView,
      handler: () => settings.view(),
    }),
    defineRoute({
      method: 'put',
      path: '/api/admin/bot',
      summary: "Change the assistant's settings (audited)",
      tag: 'bot',
      access: ['admin'],
      body: botSettingsSchema,
      response: settingsView,
      handler: ({ actor, body, req }) => settings.set(body, auditContextOf(actor, req)),
    }),
  ];
}
