import { isDeepStrictEqual } from 'node:util';
import { inArray } from 'drizzle-orm';
import { z } from 'zod';
import { PRIORITIES, TIERS } from '../../signaling/shared/protocol';
import { type AuditContext, recordAudit } from '../audit/record';
import type { Database } from '../db/client';
import { installationMeta } from '../db/schema';
import { DEFAULT_SLA_POLICY } from '../sla/defaultPolicy';
import type { SlaPolicy } from '../sla/evaluate';
import { DEFAULT_ROUTING, type RoutingOptions } from '../tickets/routing';
import { writeMeta } from './installationMeta';

const KEYS = {
  autoAssign: 'routing.auto_assign',
  routing: 'routing.options',
  slaPolicy: 'sla.policy',
  recordingPolicy: 'recordings.policy',
} as const;

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
        holidays: z
          .array(z.iso.date({ message: "must be a date 'YYYY-MM-DD'" }))
          .max(366)
          .refine((days) => new Set(days).size === days.length, 'lists a date twice')
          .optional(),
      })
      .strict()
      .nullable(),
  })
  .strict()
  .meta({ id: 'SlaPolicy' });

export const routingSchema = z
  .object({
    bySkills: z.boolean(),
    byLoad: z.boolean(),
    maxOpenPerAgent: z.number().int().min(1).max(1000).nullable(),
  })
  .strict()
  .meta({ id: 'RoutingOptions' });

/** Which calls are recorded without an agent's click, consent, and how long recordings are kept. */
export const recordingPolicySchema = z
  .object({
    autoPriorities: z.array(z.enum(PRIORITIES)).max(4),
    autoTiers: z.array(z.enum(TIERS)).max(3),
    requireConsent: z.boolean(),
    /** 0 keeps recordings for ever. */
    retentionDays: z.number().int().min(0).max(3650),
  })
  .strict()
  .meta({ id: 'RecordingPolicy' });
export type RecordingPolicy = z.output<typeof recordingPolicySchema>;

export const settingsSchema = z
  .object({
    autoAssign: z.boolean(),
    routing: routingSchema,
    slaPolicy: slaPolicySchema,
    recordingPolicy: recordingPolicySchema,
  })
  .meta({ id: 'Settings' });
export const settingsPatchSchema = z
  .object({
    autoAssign: z.boolean().optional(),
    routing: routingSchema.optional(),
    slaPolicy: slaPolicySchema.optional(),
    recordingPolicy: recordingPolicySchema.optional(),
  })
  .strict()
  .meta({ id: 'SettingsPatch' });
export type Settings = {
  autoAssign: boolean;
  routing: RoutingOptions;
  slaPolicy: SlaPolicy;
  recordingPolicy: RecordingPolicy;
};

/** Each part of the settings is audited as its own action. */
const AUDITED: Array<{ action: string; targetId: string; keys: Array<keyof Settings> }> = [
  { action: 'settings.routing.updated', targetId: 'routing', keys: ['autoAssign', 'routing'] },
  { action: 'settings.sla_policy.updated', targetId: 'sla_policy', keys: ['slaPolicy'] },
  { action: 'settings.recording_policy.updated', targetId: 'recording_policy', keys: ['recordingPolicy'] },
];

/**
 * Organisation settings (auto-assignment and routing, the SLA policy, the recording policy), kept
 * in the database so every node reads the same. Cached briefly in memory: the SLA policy is read
 * for every ticket view. The recording policy starts from the `RECORDING_*` environment variables
 * until an administrator saves one.
 */
export class SettingsService {
  private cache: { value: Settings; at: number } | undefined;

  constructor(
    private readonly db: Database,
    private readonly defaults: { recordingPolicy: RecordingPolicy },
    private readonly cacheMs = 5000,
  ) {}

  async get(): Promise<Settings> {
    if (this.cache && Date.now() - this.cache.at < this.cacheMs) return this.cache.value;
    const value = await this.read(this.db);
    this.cache = { value, at: Date.now() };
    return value;
  }

  private async read(db: Database): Promise<Settings> {
    const rows = await db
      .select()
      .from(installationMeta)
      .where(inArray(installationMeta.key, Object.values(KEYS)));
    const byKey = new Map(rows.map((r) => [r.key, r.value]));
    const json = <T>(key: string, fallback: T): T => {
      const stored = byKey.get(key);
      return stored ? (JSON.parse(stored) as T) : fallback;
    };
    return {
      autoAssign: (byKey.get(KEYS.autoAssign) ?? 'true') === 'true',
      routing: { ...DEFAULT_ROUTING, ...json<Partial<RoutingOptions>>(KEYS.routing, {}) },
      slaPolicy: json<SlaPolicy>(KEYS.slaPolicy, DEFAULT_SLA_POLICY),
      recordingPolicy: json(KEYS.recordingPolicy, this.defaults.recordingPolicy),
    };
  }

  /**
   * Saves the parts given; each part that really changes is one audit entry (before and after),
   * in the same transaction. `audit` is who changed it (null actor: the system).
   */
  async update(patch: Partial<Settings>, audit: AuditContext = { actorId: null }): Promise<Settings> {
    await this.db.transaction(async (tx) => {
      const db = tx as unknown as Database;
      const before = await this.read(db);
      const after: Settings = { ...before, ...patch };
      const writes: Array<[string, string]> = [];
      if (patch.autoAssign !== undefined) writes.push([KEYS.autoAssign, String(patch.autoAssign)]);
      if (patch.routing) writes.push([KEYS.routing, JSON.stringify(patch.routing)]);
      if (patch.slaPolicy) writes.push([KEYS.slaPolicy, JSON.stringify(patch.slaPolicy)]);
      if (patch.recordingPolicy) writes.push([KEYS.recordingPolicy, JSON.stringify(patch.recordingPolicy)]);
      for (const [key, value] of writes) {
        await writeMeta(db, key, value);
      }
      for (const part of AUDITED) {
        const pick = (s: Settings) => Object.fromEntries(part.keys.map((k) => [k, s[k]]));
        if (isDeepStrictEqual(pick(before), pick(after))) continue;
        await recordAudit(db, {
          ...audit,
          action: part.action,
          targetType: 'settings',
          targetId: part.targetId,
          before: part.keys.length === 1 ? before[part.keys[0]!] : pick(before),
          after: part.keys.length === 1 ? after[part.keys[0]!] : pick(after),
        });
      }
    });
    this.cache = undefined;
    return this.get();
  }

  async resetCache(): Promise<void> {
    this.cache = undefined;
  }
}
