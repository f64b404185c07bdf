import type { Invitations } from '../accounts/invitations';
import type { SignedLinks } from '../auth/signedLinks';
import type { Mailer } from '../mail';
import type { AccountMail } from './admin';
import type { UsersRepository } from './repository';

/**
 * The mails of the user administration over the mail domain: the invitation is the mail domain's
 * own; an administrator's reset sends the same signed, single-use link as "forgot password"
 * (`/reset-password?token=…`) without the public request's rate limit.
 */
export function accountMail(deps: {
  users: UsersRepository;
  links: SignedLinks;
  mailer: Mailer;
  invitations: Invitations;
  resetTtlMs: number;
}): AccountMail {
  return {
    sendInvitation: async (userId, invitedById) => {
      await deps.invitations.sendInvitation(userId, invitedById);
    },
    sendPasswordReset: async (userId) => {
      const user = await deps.users.findById(userId);
      if (!user) return;
      const { token } = await deps.links.issue('password_reset', user.id, deps.resetTtlMs);
      await deps.mailer.send(user, {
        kind: 'password_reset',
        name: user.name,
        link: deps.mailer.link(`/reset-password?token=${token}`),
        validMinutes: Math.round(deps.resetTtlMs / 60_000),
      });
    },
  };
}
