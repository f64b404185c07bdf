import { z } from 'zod';
import { auditContextOf } from '../audit/record';
import { defineRoute } from '../http/route';
import {
  applyMacroBodySchema,
  createMacroBodySchema,
  listMacrosQuerySchema,
  macroApplicationSchema,
  macroIdParamsSchema,
  macroViewSchema,
  updateMacroBodySchema,
} from './schemas';
import type { MacrosService } from './service';

/** Those who write replies on tickets; QA reviewers read tickets but never reply. */
const WRITERS = ['agent', 'supervisor', 'admin'] as const;

export function macroRoutes(macros: MacrosService) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/macros',
      summary: 'The shared macros and my personal ones; q searches titles and bodies',
      tag: 'macros',
      access: WRITERS,
      query: listMacrosQuerySchema,
      response: z.object({ items: z.array(macroViewSchema) }),
      handler: async ({ actor, query }) => ({ items: await macros.list(actor!, query) }),
    }),
    defineRoute({
      method: 'post',
      path: '/api/macros',
      summary: 'Create a macro: personal (anyone who replies) or shared (supervisors and admins)',
      tag: 'macros',
      access: WRITERS,
      body: createMacroBodySchema,
      response: macroViewSchema,
      status: 201,
      handler: ({ actor, body, req }) => macros.create(actor!, body, auditContextOf(actor, req)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/macros/:id',
      summary: 'One macro (shared, or my own personal one)',
      tag: 'macros',
      access: WRITERS,
      params: macroIdParamsSchema,
      response: macroViewSchema,
      handler: ({ actor, params }) => macros.get(actor!, params.id),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/macros/:id',
      summary: 'Change a macro: my personal ones; shared ones for supervisors and admins',
      tag: 'macros',
      access: WRITERS,
      params: macroIdParamsSchema,
      body: updateMacroBodySchema,
      response: macroViewSchema,
      handler: ({ actor, params, body, req }) =>
        macros.update(actor!, params.id, body, auditContextOf(actor, req)),
    }),
    defineRoute({
      method: 'delete',
      path: '/api/macros/:id',
      summary: 'Delete a macro: my personal ones; shared ones for supervisors and admins',
      tag: 'macros',
      access: WRITERS,
      params: macroIdParamsSchema,
      response: z.object({ deleted: z.literal(true) }),
      handler: async ({ actor, params, req }) => {
        await macros.remove(actor!, params.id, auditContextOf(actor, req));
        return { deleted: true as const };
      },
    }),
    defineRoute({
      method: 'post',
      path: '/api/macros/:id/apply',
      summary:
        "Insert a macro on a ticket: its text in the customer's language with placeholders filled; its status, priority and tags are applied",
      tag: 'macros',
      access: WRITERS,
      params: macroIdParamsSchema,
      body: applyMacroBodySchema,
      response: macroApplicationSchema,
      handler: ({ actor, params, body }) => macros.apply(actor!, params.id, body.ticketId),
    }),
  ];
}
