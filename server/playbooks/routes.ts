import { z } from 'zod';
import { auditContextOf } from '../audit/record';
import { defineRoute } from '../http/route';
import { ticketIdParamsSchema } from '../tickets/schemas';
import {
  categoryParamsSchema,
  playbookViewSchema,
  putPlaybookBodySchema,
  setStepBodySchema,
  ticketPlaybookViewSchema,
  ticketStepParamsSchema,
} from './schemas';
import type { PlaybooksService } from './service';

const STAFF = ['agent', 'supervisor', 'qa', 'admin'] as const;

export function playbookRoutes(playbooks: PlaybooksService) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/playbooks',
      summary: 'Every playbook (one per ticket category), in both languages (staff)',
      tag: 'playbooks',
      access: STAFF,
      response: z.object({ items: z.array(playbookViewSchema) }),
      handler: async () => ({ items: await playbooks.list() }),
    }),
    defineRoute({
      method: 'get',
      path: '/api/playbooks/:category',
      summary: "A category's playbook (staff)",
      tag: 'playbooks',
      access: STAFF,
      params: categoryParamsSchema,
      response: playbookViewSchema,
      handler: ({ params }) => playbooks.get(params.category),
    }),
    defineRoute({
      method: 'put',
      path: '/api/playbooks/:category',
      summary: "Write a category's playbook: title, steps and follow-up hours, in both languages (admins)",
      tag: 'playbooks',
      access: ['admin'],
      params: categoryParamsSchema,
      body: putPlaybookBodySchema,
      response: playbookViewSchema,
      handler: ({ params, body, actor, req }) =>
        playbooks.put(params.category, body, auditContextOf(actor, req)),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/playbooks/:category',
      summary: "Delete a category's playbook (admins)",
      tag: 'playbooks',
      access: ['admin'],
      params: categoryParamsSchema,
      response: z.object({ deleted: z.literal(true) }),
      handler: async ({ params, actor, req }) => {
        await playbooks.remove(params.category, auditContextOf(actor, req));
        return { deleted: true as const };
      },
    }),
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/playbook',
      summary: "The ticket's playbook checklist: its steps, which are done, and the follow-up (staff)",
      tag: 'playbooks',
      access: STAFF,
      params: ticketIdParamsSchema,
      response: ticketPlaybookViewSchema,
      handler: ({ actor, params }) => playbooks.forTicket(actor!, params.id),
    }),
    defineRoute({
      method: 'put',
      path: '/api/tickets/:id/playbook/steps/:stepId',
      summary: 'Tick or un-tick a playbook step on a ticket (who may work it); recorded on the timeline',
      tag: 'playbooks',
      access: ['agent', 'supervisor', 'admin'],
      params: ticketStepParamsSchema,
      body: setStepBodySchema,
      response: ticketPlaybookViewSchema,
      handler: ({ actor, params, body }) => playbooks.setStep(actor!, params.id, params.stepId, body.done),
    }),
  ];
}
