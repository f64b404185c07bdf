import { z } from 'zod';
import type { Database } from '../db/client';
import { readMeta, writeMeta } from '../settings/installationMeta';

const KEY = 'help.settings';

export const helpSettingsSchema = z
  .object({
    /** Roles that may publish (agents always author drafts). */
    publishRoles: z.array(z.enum(['agent', 'supervisor', 'admin'])).min(1),
    /** Query-time synonyms: what customers type → the words articles use. */
    synonyms: z
      .array(
        z.object({ from: z.string().trim().min(1).max(60), to: z.string().trim().min(1).max(60) }).strict(),
      )
      .max(500),
    /** Hours a solved ticket's article task is due in. */
    articleTaskDueHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
  })
  .strict()
  .meta({ id: 'HelpSettings' });
export type HelpSettings = z.output<typeof helpSettingsSchema>;

export const DEFAULT_HELP_SETTINGS: HelpSettings = {
  publishRoles: ['supervisor', 'admin'],
  synonyms: [
    { from: '退钱', to: '退款' },
    { from: '钱退', to: '退款' },
    { from: 'money back', to: 'refund' },
    { from: 'charged twice', to: 'duplicate charge' },
    { from: 'login', to: 'sign in' },
    { from: 'log in', to: 'sign in' },
    { from: '登陆', to: '登录' },
    { from: 'webcam', to: 'camera' },
    { from: 'cam', to: 'camera' },
    { from: 'sign up', to: 'enroll' },
    { from: 'screenshare', to: 'share screen' },
    { from: 'lag', to: 'buffering' },
    { from: 'stutter', to: 'buffering' },
    { from: '2 times', to: 'twice' },
    { from: 'two times', to: 'twice' },
    { from: '没网', to: '离线' },
    { from: 'mic', to: 'microphone' },
    { from: '麦', to: '麦克风' },
  ],
  articleTaskDueHours: 48,
};

/** The help centre's settings, kept in `installation_meta` so every node reads the same. */
export async function readHelpSettings(db: Database): Promise<HelpSettings> {
  const stored = await readMeta(db, KEY);
  if (stored === undefined) return DEFAULT_HELP_SETTINGS;
  const parsed = helpSettingsSchema.partial().safeParse(JSON.parse(stored));
  return { ...DEFAULT_HELP_SETTINGS, ...(parsed.success ? parsed.data : {}) };
}

export async function writeHelpSettings(db: Database, value: HelpSettings): Promise<void> {
  await writeMeta(db, KEY, JSON.stringify(value));
}
