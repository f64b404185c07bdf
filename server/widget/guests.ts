// Widget visitors' sessions. A guest gives a name and an e-mail and gets a customer account with no
// password it knows (random), signed in at once: the widget keeps the session's refresh token in its
// own storage, because the iframe runs on another site's page where the SameSite=Strict refresh
// cookie is never sent. A guest can later claim the account with "forgot password".
import { randomBytes } from 'node:crypto';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { AccountRequestLimiter } from '../accounts/requestLimiter';
import type { AuthSessions } from '../auth/sessions';
import type { IssuedSession } from '../auth/tokens';
import { AppError, forbidden } from '../errors';
import type { UsersRepository } from '../users/repository';
import { createAccount, type UsersService } from '../users/service';
import type { WidgetSettingsStore } from './settings';

export interface WidgetSession {
  token: string;
  expiresAt: string;
  user: PublicUser;
  /** The widget's credential for `POST /api/widget/session/refresh` (rotated by each renewal). */
  refreshToken: string;
}

export class WidgetGuests {
  constructor(
    private readonly deps: {
      users: UsersRepository;
      usersService: UsersService;
      sessions: AuthSessions;
      settings: WidgetSettingsStore;
      limiter: AccountRequestLimiter;
    },
  ) {}

  /**
   * A new guest customer, signed in. An e-mail that already has an account is a 409: taking it
   * over with an e-mail alone would let anyone read that person's tickets; they sign in instead.
   */
  async start(
    input: { name: string; email: string; locale: 'en' | 'zh-CN' },
    ip: string,
  ): Promise<WidgetSession> {
    if (!(await this.deps.settings.get()).guestChat) {
      throw forbidden('Guest chat is turned off here: sign in with your Livedesk account to chat.');
    }
    await this.deps.limiter.signup(ip);
    let user: PublicUser;
    try {
      user = await createAccount(
        this.deps.users,
        { ...input, role: 'customer', skills: [], password: randomBytes(32).toString('base64url') },
        // No password policy: nobody will type this one.
        { seeded: true },
      );
    } catch (err) {
      if (err instanceof AppError && err.code === 'conflict') {
        throw new AppError(
          'conflict',
          'This e-mail address already has a Livedesk account: sign in with it to chat.',
        );
      }
      throw err;
    }
    return sessionOf(await this.deps.sessions.start(user), user);
  }

  /** A customer signing in inside the widget with their password; staff use Livedesk itself. */
  async signIn(email: string, password: string, ip: string): Promise<WidgetSession> {
    const signedIn = await this.deps.usersService.login(email, password, ip);
    if (signedIn.user.role !== 'customer') {
      await this.deps.sessions.revoke(signedIn.sessionId);
      throw forbidden('Staff accounts sign in at Livedesk itself, not in the website widget.');
    }
    return sessionOf(signedIn, signedIn.user);
  }

  /** Renews with the refresh token the widget holds (rotated; a replayed old one ends the session). */
  async renew(refreshToken: string): Promise<WidgetSession> {
    const renewed = await this.deps.sessions.renew(refreshToken);
    return sessionOf({ ...renewed, refreshToken: renewed.refreshToken ?? refreshToken }, renewed.user);
  }
}

function sessionOf(issued: IssuedSession, user: PublicUser): WidgetSession {
  return {
    token: issued.token,
    expiresAt: issued.expiresAt,
    user,
    refreshToken: issued.refreshToken ?? '',
  };
}
