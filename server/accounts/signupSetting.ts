import { type AuditContext, recordAudit } from '../audit/record';
import type { Database } from '../db/client';
import { readMeta, writeMeta } from '../settings/installationMeta';

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
    const stored = await readMeta(this.db, KEY);
    return stored === undefined ? this.fallback : stored === 'true';
  }

  /** Stores the choice and its audit entry in one transaction (no entry when nothing changes). */
  async set(enabled: boolean, audit: AuditContext): Promise<boolean> {
    const before = await this.enabled();
    if (before === enabled) return enabled;
    const value = String(enabled);
    await this.db.transaction(async (tx) => {
      await writeMeta(tx as unknown as Database, KEY, value);
      await recordAudit(tx as unknown as Database, {
        ...audit,
        action: enabled ? 'settings.signup.enabled' : 'settings.signup.disabled',
        targetType: 'settings',
        targetId: KEY,
        before: { enabled: before },
        after: { enabled },
      });
    });
    return enabled;
  }
}
