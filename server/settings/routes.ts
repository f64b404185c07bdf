import type { z } from 'zod';
import { auditContextOf } from '../audit/record';
import { defineRoute } from '../http/route';
import { type Settings, type SettingsService, settingsPatchSchema, settingsSchema } from './service';

// The evaluator's policy type is deeply readonly; the wire schema is the same shape, mutable.
const asWire = (s: Settings) => s as unknown as z.input<typeof settingsSchema>;

/**
 * `afterPolicyChange` runs after a saved change of the SLA policy: the composition root makes the
 * SLA monitor re-read every open ticket at once instead of at its next periodic pass.
 */
export function settingsRoutes(settings: SettingsService, afterPolicyChange: () => void = () => {}) {
  const save = async (patch: Partial<Settings>, audit: ReturnType<typeof auditContextOf>) => {
    const saved = await settings.update(patch, audit);
    if (patch.slaPolicy) afterPolicyChange();
    return asWire(saved);
  };
  return [
    defineRoute({
      method: 'get',
      path: '/api/settings',
      summary:
        'Organisation settings: auto-assignment and routing, the SLA policy, the recording policy (staff)',
      tag: 'settings',
      access: ['agent', 'supervisor', 'qa', 'admin'],
      response: settingsSchema,
      handler: async () => asWire(await settings.get()),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/settings',
      summary:
        'Change auto-assignment, routing, the SLA policy or the recording policy (supervisors and admins); audited',
      tag: 'settings',
      access: ['supervisor', 'admin'],
      body: settingsPatchSchema,
      response: settingsSchema,
      handler: ({ body, actor, req }) => save(body as Partial<Settings>, auditContextOf(actor, req)),
    }),
    defineRoute({
      method: 'get',
      path: '/api/admin/settings',
      summary: 'Organisation settings for the administration screens (admins)',
      tag: 'admin',
      access: ['admin'],
      response: settingsSchema,
      handler: async () => asWire(await settings.get()),
    }),
    defineRoute({
      method: 'patch',
      path: '/api/admin/settings',
      summary:
        'Change routing, the SLA policy or the recording policy (admins); each changed part is one audit entry',
      tag: 'admin',
      access: ['admin'],
      body: settingsPatchSchema,
      response: settingsSchema,
      handler: ({ body, actor, req }) => save(body as Partial<Settings>, auditContextOf(actor, req)),
    }),
  ];
}
