import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { BotSettings, BotSettingsView } from '../../signaling/shared/bot';
import { CHANNELS } from '../../signaling/shared/protocol';
import { type AuditContext, recordAudit } from '../audit/record';
import type { Database } from '../db/client';
import { readMeta, writeMeta } from '../settings/installationMeta';

const KEY = 'bot.settings';

export const botSettingsSchema = z
  .object({
    mode: z.enum(['auto', 'on', 'off']),
    channels: z
      .array(z.enum(CHANNELS))
      .max(CHANNELS.length)
      .refine((list) => new Set(list).size === list.length, 'lists a channel twice'),
  })
  .strict()
  .meta({ id: 'BotSettings' });

/**
 * On the portal and in live chat (the embeddable widget's tickets are `chat`), while the help
 * centre has published articles: a new desk has nothing to answer from, so nobody meets an
 * assistant that can only hand over.
 */
export const DEFAULT_BOT_SETTINGS: BotSettings = { mode: 'auto', channels: ['portal', 'chat'] };

/** The assistant's settings in `installation_meta` (every node reads the same), audited when changed. */
export class BotSettingsStore {
  constructor(private readonly db: Database) {}

  async get(): Promise<BotSettings> {
    const stored = await readMeta(this.db, KEY);
    if (stored === undefined) return DEFAULT_BOT_SETTINGS;
    const parsed = botSettingsSchema.safeParse(JSON.parse(stored));
    return parsed.success ? parsed.data : DEFAULT_BOT_SETTINGS;
  }

  /** The settings and whether the assistant answers now (`auto` resolved against the articles). */
  async view(): Promise<BotSettingsView> {
    const settings = await this.get();
    const publishedArticles = await this.publishedArticles();
    return { ...settings, active: isActive(settings.mode, publishedArticles), publishedArticles };
  }

  /** Whether a new ticket of this channel gets the assistant (one or two small reads). */
  async answersOn(channel: string): Promise<boolean> {
    const settings = await this.get();
    if (settings.mode === 'off' || !(settings.channels as string[]).includes(channel)) return false;
    return settings.mode === 'on' || (await this.publishedArticles()) > 0;
  }

  /** Stores the settings and their audit entry in one transaction; a save that changes nothing writes neither. */
  async set(next: BotSettings, audit: AuditContext): Promise<BotSettingsView> {
    const before = await this.get();
    if (JSON.stringify(before) !== JSON.stringify(next)) {
      await this.db.transaction(async (tx) => {
        await writeMeta(tx as unknown as Database, KEY, JSON.stringify(next));
        await recordAudit(tx as unknown as Database, {
          ...audit,
          action: 'settings.bot.updated',
          targetType: 'settings',
          targetId: KEY,
          before,
          after: next,
        });
      });
    }
    return this.view();
  }

  private async publishedArticles(): Promise<number> {
    const result = (await this.db.execute(
      sql`SELECT count(*)::int AS n FROM help_articles WHERE status = 'published'`,
    )) as unknown as { rows: Array<{ n: number }> };
    return Number(result.rows[0]?.n ?? 0);
  }
}

function isActive(mode: BotSettings['mode'], publishedArticles: number): boolean {
  return mode === 'on' || (mode === 'auto' && publishedArticles > 0);
}
