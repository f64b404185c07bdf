import { z } from 'zod';
import type { Database } from '../db/client';
import { installationMeta } from '../db/schema';
import { DEFAULT_SLA_POLICY } from '../sla/defaultPolicy';
import type { SlaPolicy } from '../sla/evaluate';

const KEYS = { autoAssign: 'routing.auto_assign', slaPolicy: 'sla.policy' } as const;

const seconds = z
  .number()
  .int()
  .min(1)
  .max(365 * 24 * 3600);
const clockTargets = z
  .object({ first_response: seconds, next_response: seconds, resolution: seconds })
  .strict();
const priorities = z
  .object({ P1: clockTargets, P2: clockTargets, P3: clockTargets, P4: clockTargets })
  .strict();
const partialTargets = clockTargets.partial();
const span = z
  .object({
    start: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM'),
    end: z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'HH:MM'),
  })
  .strict();

/** The SLA policy as an administrator may write it; the evaluator re-checks it too. */
export const slaPolicySchema = z
  .object({
    targets: priorities,
    channelOverrides: z
      .partialRecord(
        z.enum(['portal', 'chat', 'email', 'phone']),
        z.partialRecord(z.enum(['P1', 'P2', 'P3', 'P4']), partialTargets),
      )
      .optional(),
    warnAtFraction: z.number().gt(0).lt(1),
    pauseWhilePending: z.boolean(),
    pauseWhileOnHold: z.boolean(),
    businessHours: z
      .object({
        timeZone: z.string().refine((tz) => {
          try {
            new Intl.DateTimeFormat('en', { timeZone: tz });
            return true;
          } catch {
            return false;
          }
        }, 'must be an IANA time zone such as Europe/Berlin'),
        weekly: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), z.array(span).max(6)),
      })
      .strict()
      .nullable(),
  })
  .strict()
  .meta({ id: 'SlaPolicy' });

export const settingsSchema = z
  .object({ autoAssign: z.boolean(), slaPolicy: slaPolicySchema })
  .meta({ id: 'Settings' });
export const settingsPatchSchema = z
  .object({ autoAssign: z.boolean().optional(), slaPolicy: slaPolicySchema.optional() })
  .strict()
  .meta({ id: 'SettingsPatch' });
export type Settings = { autoAssign: boolean; slaPolicy: SlaPolicy };

/**
 * Organisation settings (auto-assignment, the SLA policy), kept in the database so every node
 * reads the same. Cached briefly in memory: the SLA policy is read for every ticket view.
 */
export class SettingsService {
  private cache: { value: Settings; at: number } | undefined;

  constructor(
    private readonly db: Database,
    private readonly cacheMs = 5000,
  ) {}

  async get(): Promise<Settings> {
    if (this.cache && Date.now() - this.cache.at < this.cacheMs) return this.cache.value;
    const rows = await this.db.select().from(installationMeta);
    const byKey = new Map(rows.map((r) => [r.key, r.value]));
    const storedPolicy = byKey.get(KEYS.slaPolicy);
    const value: Settings = {
      autoAssign: (byKey.get(KEYS.autoAssign) ?? 'true') === 'true',
      slaPolicy: storedPolicy ? (JSON.parse(storedPolicy) as SlaPolicy) : DEFAULT_SLA_POLICY,
    };
    this.cache = { value, at: Date.now() };
    return value;
  }

  async update(patch: Partial<Settings>): Promise<Settings> {
    const writes: Array<[string, string]> = [];
    if (patch.autoAssign !== undefined) writes.push([KEYS.autoAssign, String(patch.autoAssign)]);
    if (patch.slaPolicy) writes.push([KEYS.slaPolicy, JSON.stringify(patch.slaPolicy)]);
    for (const [key, value] of writes) {
      await this.db
        .insert(installationMeta)
        .values({ key, value })
        .onConflictDoUpdate({ target: installationMeta.key, set: { value, updatedAt: new Date() } });
    }
    this.cache = undefined;
    return this.get();
  }

  async resetCache(): Promise<void> {
    this.cache = undefined;
  }
}
