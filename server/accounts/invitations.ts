import type { SignedLinks } from '../auth/signedLinks';
import { conflict, notFound } from '../errors';
import type { Mailer } from '../mail';
import type { UsersRepository } from '../users/repository';

/**
 * Invitations: an administrator creates an account and Livedesk mails its owner a single-use
 * link to choose a password (`/accept-invitation?token=…`). A new invitation withdraws the
 * previous one's link.
 */
export class Invitations {
  constructor(
    private readonly users: UsersRepository,
    private readonly links: SignedLinks,
    private readonly mailer: Mailer,
    private readonly ttlMs: number,
  ) {}

  /**
   * Mails `userId` an invitation from `invitedBy` (the administrator's user id). Returns when the
   * mail is queued (sending happens in the background, retried on failure); returns the link's expiry.
   */
  async sendInvitation(userId: string, invitedBy: string): Promise<{ expiresAt: Date }> {
    const [user, inviter] = await Promise.all([this.users.findById(userId), this.users.findById(invitedBy)]);
    if (!user) throw notFound('The user');
    if (user.disabledAt) throw conflict('This account is disabled: enable it before inviting its owner.');
    const { token, expiresAt } = await this.links.issue('invitation', user.id, this.ttlMs);
    await this.mailer.send(user, {
      kind: 'invitation',
      name: user.name,
      invitedBy: inviter?.name ?? 'Livedesk',
      link: this.mailer.link(`/accept-invitation?token=${token}`),
      validHours: Math.round(this.ttlMs / 3_600_000),
    });
    return { expiresAt };
  }
}
