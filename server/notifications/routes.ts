import { z } from 'zod';
import { NOTIFICATION_EVENTS } from '../../signaling/shared/protocol';
import { defineRoute, type RouteDefinition } from '../http/route';
import { ticketIdParamsSchema } from '../tickets/schemas';
import { STAFF_ROLES } from '../users/service';
import type { NotificationsService } from './service';

const settingsSchema = z
  .object({
    sound: z.boolean().describe('A short sound with each notification'),
    desktop: z.boolean().describe('Desktop notifications while the Livedesk tab is hidden'),
    events: z
      .array(z.enum(NOTIFICATION_EVENTS))
      .max(NOTIFICATION_EVENTS.length * 2)
      .describe('What notifies: new tickets in my queues, customer messages, assignments, SLA warnings'),
  })
  .strict();

const unreadTicket = z.object({
  ticketId: z.string(),
  count: z.number().describe("The customer's messages I have not read, plus one if I never opened it"),
  lastSeq: z.number(),
  unopened: z.boolean(),
});

export function notificationRoutes(notifications: NotificationsService): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/me/notification-settings',
      summary: 'My notification settings (defaults until I change them)',
      tag: 'notifications',
      access: 'signed-in',
      response: settingsSchema,
      handler: ({ actor }) => notifications.settings(actor!),
    }),
    defineRoute({
      method: 'put',
      path: '/api/me/notification-settings',
      summary: 'Change my notification settings',
      tag: 'notifications',
      access: 'signed-in',
      body: settingsSchema,
      response: settingsSchema,
      handler: ({ actor, body }) => notifications.saveSettings(actor!, body),
    }),
    defineRoute({
      method: 'get',
      path: '/api/me/unread',
      summary: 'Unread counts of the tickets I work and the new ones in my queues (staff)',
      tag: 'notifications',
      access: STAFF_ROLES,
      response: z.object({ total: z.number(), tickets: z.array(unreadTicket) }),
      handler: ({ actor }) => notifications.unread(actor!),
    }),
    defineRoute({
      method: 'put',
      path: '/api/tickets/:id/read',
      summary: 'Mark a ticket read for me, up to a message (default: its newest) (staff)',
      tag: 'notifications',
      access: STAFF_ROLES,
      params: ticketIdParamsSchema,
      body: z
        .object({ seq: z.number().int().min(0).optional().describe('The last message seq I have seen') })
        .strict(),
      response: z.object({ ticketId: z.string(), lastReadSeq: z.number() }),
      handler: ({ actor, params, body }) => notifications.markRead(actor!, params.id, body.seq),
    }),
  ];
}
