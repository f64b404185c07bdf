import { z } from 'zod';
import { AVAILABILITIES, PRESENCES } from '../../signaling/shared/protocol';
import { notFound } from '../errors';
import { defineRoute, type RouteDefinition } from '../http/route';
import { STAFF_ROLES } from '../users/service';
import type { PresenceRepository } from './repository';
import type { PresenceTracker } from './tracker';

const presenceState = z.object({
  availability: z.enum(AVAILABILITIES).describe('What I chose: `available` follows my activity'),
  presence: z.enum(PRESENCES).describe('Where I am now, as the team sees it'),
});

export function presenceRoutes(tracker: PresenceTracker, repo: PresenceRepository): RouteDefinition[] {
  return [
    defineRoute({
      method: 'get',
      path: '/api/me/presence',
      summary: 'My availability (manual choice) and presence (derived) (staff)',
      tag: 'agents',
      access: STAFF_ROLES,
      response: presenceState,
      handler: async ({ actor }) => {
        const state = await repo.find(actor!.id);
        if (!state) throw notFound('The account');
        return state;
      },
    }),
    defineRoute({
      method: 'put',
      path: '/api/me/availability',
      summary: 'Set my availability (agents): available (follow my activity), or busy or away until changed',
      tag: 'agents',
      access: ['agent'],
      body: z.object({ availability: z.enum(AVAILABILITIES) }).strict(),
      response: presenceState,
      handler: async ({ actor, body }) => ({
        availability: body.availability,
        presence: await tracker.setAvailability(actor!, body.availability),
      }),
    }),
  ];
}
