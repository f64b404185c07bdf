import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { type ComposerPreferences, SEND_KEYS } from '../../signaling/shared/macros';
import type { Database } from '../db/client';
import { composerPreferences } from '../db/workspaceSchema';
import { defineRoute } from '../http/route';

const composerSchema = z
  .object({ sendKey: z.enum(SEND_KEYS) })
  .strict()
  .meta({ id: 'ComposerPreferences' });

/** Enter sends unless the person chose Ctrl/⌘+Enter (as in every chat tool). */
const DEFAULT_COMPOSER: ComposerPreferences = { sendKey: 'enter' };

/** A person's own composer preference, stored on the server so it follows them to any browser. */
export class ComposerPreferencesRepository {
  constructor(private readonly db: Database) {}

  async get(userId: string): Promise<ComposerPreferences> {
    const [row] = await this.db
      .select()
      .from(composerPreferences)
      .where(eq(composerPreferences.userId, userId));
    return row ? { sendKey: row.sendKey } : DEFAULT_COMPOSER;
  }

  async set(userId: string, prefs: ComposerPreferences): Promise<ComposerPreferences> {
    await this.db
      .insert(composerPreferences)
      .values({ userId, sendKey: prefs.sendKey })
      .onConflictDoUpdate({
        target: composerPreferences.userId,
        set: { sendKey: prefs.sendKey, updatedAt: new Date() },
      });
    return this.get(userId);
  }
}

export function preferenceRoutes(prefs: ComposerPreferencesRepository) {
  return [
    defineRoute({
      method: 'get',
      path: '/api/me/preferences/composer',
      summary: 'My composer preference: Enter sends, or Ctrl/⌘+Enter sends',
      tag: 'preferences',
      access: 'signed-in',
      response: composerSchema,
      handler: ({ actor }) => prefs.get(actor!.id),
    }),
    defineRoute({
      method: 'put',
      path: '/api/me/preferences/composer',
      summary: 'Change my composer preference',
      tag: 'preferences',
      access: 'signed-in',
      body: composerSchema,
      response: composerSchema,
      handler: ({ actor, body }) => prefs.set(actor!.id, body),
    }),
  ];
}
