import type { z } from 'zod';
import { defineRoute } from '../http/route';
import { type Settings, type SettingsService, settingsPatchSchema, settingsSchema } from './service';

// The evaluator's policy type is deeply readonly; the wire schema is the same shape, mutable.
const asWire = (s: Settings) => s as unknown as z.input<typeof settingsSchema>;

export function settingsRoutes(settings: SettingsService) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/settings',
      summary: 'Organisation settings: auto-assignment and the SLA policy (staff)',
      tag: 'settings',
      access: ['agent', 'supervisor', 'qa', 'admin'],
      response: settingsSchema,
      handler: async () => asWire(await settings.get()),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/settings',
      summary: 'Change auto-assignment or the SLA policy (supervisors and admins)',
      tag: 'settings',
      access: ['supervisor', 'admin'],
      body: settingsPatchSchema,
      response: settingsSchema,
      handler: async ({ body }) => asWire(await settings.update(body as Partial<Settings>)),
    }),
  ];
}
