import { z } from 'zod';
import { defineRoute } from '../http/route';
import { ticketIdParamsSchema } from '../tickets/schemas';
import type { BoardsService } from './service';

export function boardRoutes(boards: BoardsService) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/tickets/:id/boards',
      summary: "The ticket's saved whiteboards (scene and image); read-only for the customer",
      tag: 'boards',
      access: 'signed-in',
      params: ticketIdParamsSchema,
      response: z.object({
        items: z.array(
          z.object({
            id: z.string(),
            callId: z.string(),
            createdAt: z.string(),
            finalizedAt: z.string(),
            imageUrl: z.string().nullable(),
            sceneUrl: z.string().nullable(),
            elements: z.array(z.unknown()),
            background: z.string().nullable(),
            editable: z.boolean(),
          }),
        ),
      }),
      handler: async ({ actor, params }) => ({ items: await boards.listForTicket(actor!, params.id) }),
    }),
  ];
}
