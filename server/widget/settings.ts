// The widget's settings: which sites may embed it (their origins) and whether visitors may chat as
// guests. Stored in installation_meta so every node reads the same; each change is audited.
import { z } from 'zod';
import { PRIORITIES } from '../../signaling/shared/protocol';
import { type AuditContext, recordAudit } from '../audit/record';
import type { Database } from '../db/client';
import { readMeta, writeMeta } from '../settings/installationMeta';

const KEY = 'widget.settings';
export const MAX_WIDGET_ORIGINS = 50;

/**
 * An origin as a browser sends it: scheme, host and port only (`https://www.school.example`). A
 * path, a wildcard or another scheme is refused rather than trimmed, so the admin sees exactly what
 * is stored and the CSP's `frame-ancestors` holds nothing broader than they meant.
 */
export const originSchema = z
  .string()
  .trim()
  .max(200)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (
        (url.protocol === 'http:' || url.protocol === 'https:') &&
        url.origin === value.replace(/\/$/, '') &&
        // WHATWG URLs accept `*` in a host; a CSP source would read it as a wildcard.
        /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname)
      );
    } catch {
      return false;
    }
  }, 'must be an origin such as https://www.example.com (scheme, host and port; no path, no wildcard)')
  .transform((value) => new URL(value).origin);

export const widgetSettingsSchema = z
  .object({
    allowedOrigins: z
      .array(originSchema)
      .max(MAX_WIDGET_ORIGINS, `at most ${MAX_WIDGET_ORIGINS} origins`)
      .transform((list) => [...new Set(list)]),
    guestChat: z.boolean(),
    /** Priorities whose customers may request a video call (server/callRequests/rule.ts). */
    callRequestPriorities: z
      .array(z.enum(PRIORITIES))
      .default(['P1', 'P2', 'P3'])
      .transform((list) => [...new Set(list)]),
  })
  .strict()
  .meta({ id: 'WidgetSettings' });
export type WidgetSettings = z.output<typeof widgetSettingsSchema>;

/** A fresh install embeds nowhere until an admin lists a site; guests may chat once it does. */
const DEFAULTS: WidgetSettings = {
  allowedOrigins: [],
  guestChat: true,
  callRequestPriorities: ['P1', 'P2', 'P3'],
};

export class WidgetSettingsStore {
  constructor(private readonly db: Database) {}

  async get(): Promise<WidgetSettings> {
    const stored = await readMeta(this.db, KEY);
    if (stored === undefined) return DEFAULTS;
    const parsed = widgetSettingsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULTS;
  }

  async allows(origin: string | undefined): Promise<boolean> {
    return origin !== undefined && (await this.get()).allowedOrigins.includes(origin);
  }

  /** Stores the settings and their audit entry in one transaction (no entry when nothing changes). */
  async set(next: WidgetSettings, audit: AuditContext): Promise<WidgetSettings> {
    const before = await this.get();
    if (JSON.stringify(before) === JSON.stringify(next)) return next;
    await this.db.transaction(async (tx) => {
      await writeMeta(tx as unknown as Database, KEY, JSON.stringify(next));
      await recordAudit(tx as unknown as Database, {
        ...audit,
        action: 'settings.widget.updated',
        targetType: 'settings',
        targetId: KEY,
        before,
        after: next,
      });
    });
    return next;
  }
}
