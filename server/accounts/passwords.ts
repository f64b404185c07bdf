import type { PublicUser } from '../../signaling/shared/protocol';
import { assertPasswordAcceptable } from '../auth/passwordPolicy';
import { hashPassword } from '../auth/passwords';
import type { AuthSessions, SessionEnds } from '../auth/sessions';
import type { LinkPurpose, SignedLinks } from '../auth/signedLinks';
import type { Database } from '../db/client';
import { notFound } from '../errors';
import type { Logger } from '../logger';
import type { Mailer } from '../mail';
import { UsersRepository } from '../users/repository';
import { toPublicUser } from '../users/service';
import type { AccountRequestLimiter } from './requestLimiter';

/** Who a link is for, as the set-password page shows it. */
export interface LinkOwner {
  email: string;
  name: string;
  expiresAt: string;
}

/**
 * Passwords set through a mailed link: "forgot password" (a reset link) and an accepted
 * invitation. Setting one ends every session and open connection of the account, so whoever held
 * the old password is out.
 */
export class PasswordLinks {
  constructor(
    private readonly db: Database,
    private readonly users: UsersRepository,
    private readonly links: SignedLinks,
    private readonly mailer: Mailer,
    private readonly sessions: AuthSessions,
    private readonly ends: SessionEnds,
    private readonly limiter: AccountRequestLimiter,
    private readonly resetTtlMs: number,
    private readonly logger: Logger,
  ) {}

  /**
   * Mails a reset link if an enabled account has this address. The answer is the same either way
   * (the caller says "if an account exists, a mail is on its way"), and the work is queued so the
   * time taken tells nothing either.
   */
  async requestReset(email: string, ip: string): Promise<void> {
    await this.limiter.passwordReset(ip, email);
    const user = await this.users.findByEmail(email);
    if (!user || user.disabledAt) {
      this.logger.info('password reset asked for an address without an enabled account; nothing sent');
      return;
    }
    const { token } = await this.links.issue('password_reset', user.id, this.resetTtlMs);
    await this.mailer.send(user, {
      kind: 'password_reset',
      name: user.name,
      link: this.mailer.link(`/reset-password?token=${token}`),
      validMinutes: Math.round(this.resetTtlMs / 60_000),
    });
  }

  /** Who a still usable link is for; `not_found`, `link_used` or `link_expired` otherwise. */
  async inspect(purpose: LinkPurpose, token: string): Promise<LinkOwner> {
    const holder = await this.links.inspect(purpose, token);
    const user = await this.users.findById(holder.userId);
    if (!user || user.disabledAt) throw notFound('This link');
    return { email: user.email, name: user.name, expiresAt: holder.expiresAt.toISOString() };
  }

  /**
   * Sets the password a link allows, once: the password must pass the policy before the link is
   * used (a refused password leaves the link working), then the link is consumed and the password
   * stored in one transaction, and every session of the account ends.
   */
  async setPassword(purpose: LinkPurpose, token: string, password: string): Promise<PublicUser> {
    const owner = await this.inspect(purpose, token);
    await assertPasswordAcceptable(password, owner);
    const passwordHash = await hashPassword(password);
    const row = await this.db.transaction(async (tx) => {
      const holder = await this.links.consume(purpose, token, tx as unknown as Database);
      const updated = await new UsersRepository(tx as unknown as Database).setPasswordHash(
        holder.userId,
        passwordHash,
      );
      if (!updated || updated.disabledAt) throw notFound('This link');
      return updated;
    });
    await this.sessions.revokeAllOf(row.id);
    this.ends.endUser(row.id, 'revoked');
    // Any other outstanding link of the account (a reset asked for meanwhile) is now pointless.
    await this.links.revokeAllOf(row.id);
    return toPublicUser(row);
  }
}
