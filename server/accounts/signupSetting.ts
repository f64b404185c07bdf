import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { installationMeta } from '../db/schema';

const KEY = 'accounts.signup_enabled';

/**
 * Whether customers may create their own account: an administrator's stored choice, or
 * `SIGNUP_DEFAULT` until one was made. Read from the database each time (a sign-up or the sign-in
 * page, both rare), so every node follows a change at once.
 */
export class SignupSetting {
  constructor(
    private readonly db: Database,
    private readonly fallback: boolean,
  ) {}

  async enabled(): Promise<boolean> {
    const [row] = await this.db.select().from(installationMeta).where(eq(installationMeta.key, KEY));
    return row ? row.value === 'true' : this.fallback;
  }

  async set(enabled: boolean): Promise<boolean> {
    const value = String(enabled);
    await this.db
      .insert(installationMeta)
      .values({ key: KEY, value })
      .onConflictDoUpdate({ target: installationMeta.key, set: { value, updatedAt: new Date() } });
    return enabled;
  }
}
