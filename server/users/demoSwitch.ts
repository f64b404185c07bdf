import { type AuditContext, recordAudit } from '../audit/record';
import type { AuthSessions, SessionEnds } from '../auth/sessions';
import type { Database } from '../db/client';
import { conflict } from '../errors';
import { DEMO_EMAILS } from './demoAccounts';
import { UsersRepository } from './repository';

export interface DemoStatus {
  /** At least one demo account can sign in. */
  enabled: boolean;
  /** How many demo accounts exist (0 on an installation started with SEED_DEMO off). */
  accounts: number;
}

/**
 * The demo switch for production: the well-known demo accounts (and the login page's hint about
 * them) off or on at once. Turning them off disables the accounts, revokes their sessions and
 * ends their connections, like disabling any account; it is audited as one change.
 */
export class DemoSwitch {
  private readonly repo: UsersRepository;

  constructor(
    private readonly db: Database,
    private readonly sessions: AuthSessions,
    private readonly ends: SessionEnds,
  ) {
    this.repo = new UsersRepository(db);
  }

  async status(): Promise<DemoStatus> {
    const rows = await this.repo.findByEmails(DEMO_EMAILS);
    return { enabled: rows.some((r) => !r.disabledAt), accounts: rows.length };
  }

  async set(actor: { email: string }, audit: AuditContext, enabled: boolean): Promise<DemoStatus> {
    // Turning the demo off from the demo admin account would lock everybody out.
    if (!enabled && DEMO_EMAILS.includes(actor.email)) {
      throw conflict(
        'You are signed in with a demo account: create an administrator account of your own first.',
      );
    }
    const changed = await this.db.transaction(async (tx) => {
      const db = tx as unknown as Database;
      const repo = new UsersRepository(db);
      const before = await repo.findByEmails(DEMO_EMAILS);
      const rows = await repo.setDisabled(DEMO_EMAILS, !enabled);
      if (rows.length > 0) {
        await recordAudit(db, {
          ...audit,
          action: enabled ? 'demo.enabled' : 'demo.disabled',
          targetType: 'demo',
          targetId: null,
          before: { enabled: before.some((r) => !r.disabledAt) },
          after: { enabled, accounts: rows.map((r) => r.email) },
        });
      }
      return rows;
    });
    if (!enabled) {
      for (const row of changed) {
        await this.sessions.revokeAllOf(row.id);
        this.ends.endUser(row.id, 'revoked');
      }
    }
    return this.status();
  }
}
