import type { PublicUser } from '../../signaling/shared/protocol';
import type { IssuedSession } from '../auth/tokens';
import { forbidden } from '../errors';
import type { UsersRepository } from '../users/repository';
import { createAccount, type SessionStarter, toPublicUser } from '../users/service';
import type { AccountRequestLimiter } from './requestLimiter';
import type { SignupSetting } from './signupSetting';

export interface SignupInput {
  email: string;
  name: string;
  password: string;
  locale: 'en' | 'zh-CN';
}

/**
 * Customers creating their own account, while the administrators allow it. The new customer is
 * signed in at once. Staff accounts are never made here: an administrator creates or invites them.
 */
export class Signup {
  constructor(
    private readonly users: UsersRepository,
    private readonly sessions: SessionStarter,
    private readonly setting: SignupSetting,
    private readonly limiter: AccountRequestLimiter,
  ) {}

  async signup(input: SignupInput, ip: string): Promise<IssuedSession & { user: PublicUser }> {
    if (!(await this.setting.enabled())) {
      throw forbidden('Sign-up is turned off here. Ask the support team for an account.');
    }
    await this.limiter.signup(ip);
    const created = await createAccount(this.users, { ...input, role: 'customer', skills: [] });
    // The sign-up form asks for the language: the customer's own choice, as the switcher's would be.
    const row = await this.users.update(created.id, { localeChosenAt: new Date() });
    const user = row ? toPublicUser(row) : created;
    return { ...(await this.sessions.start(user)), user };
  }
}
