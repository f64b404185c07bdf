import type { PublicUser, UserRef } from '../../signaling/shared/protocol';
import type { LoginRateLimiter } from '../auth/loginRateLimiter';
import { hashPassword, timingDummyHash, verifyPassword } from '../auth/passwords';
import type { IssuedToken, TokenService } from '../auth/tokens';
import type { UserRow } from '../db/schema';
import { conflict, forbidden, notFound, unauthenticated } from '../errors';
import type { UsersRepository } from './repository';
import type { CreateUserInput } from './schemas';

export const STAFF_ROLES = ['agent', 'supervisor', 'qa', 'admin'] as const;

export function toPublicUser(row: UserRow): PublicUser {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    tier: row.tier,
    skills: row.skills,
    locale: row.locale,
    availability: row.availability,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toUserRef(row: Pick<UserRow, 'id' | 'name' | 'role' | 'tier'>): UserRef {
  return { id: row.id, name: row.name, role: row.role, tier: row.tier };
}

const isStaff = (user: PublicUser) => user.role !== 'customer';

export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly tokens: TokenService,
    private readonly limiter: LoginRateLimiter,
  ) {}

  async login(email: string, password: string, ip: string): Promise<IssuedToken & { user: PublicUser }> {
    await this.limiter.beforeAttempt(ip, email);
    const row = await this.repo.findByEmail(email);
    // Verify against a dummy hash for unknown accounts so response time does not reveal which
    // e-mail addresses exist; one message for both cases for the same reason.
    const ok = await verifyPassword(row?.passwordHash ?? (await timingDummyHash), password);
    if (!row || !ok || row.disabledAt) {
      await this.limiter.recordFailure(ip, email);
      throw unauthenticated('The e-mail address or password is not correct.');
    }
    await this.limiter.recordSuccess(ip, email);
    return { ...this.tokens.issue({ sub: row.id, role: row.role }), user: toPublicUser(row) };
  }

  /** Resolves a verified token's subject to a current, enabled account. */
  async resolveActor(userId: string): Promise<PublicUser> {
    const row = await this.repo.findById(userId);
    if (!row || row.disabledAt) throw unauthenticated('This account no longer exists or is disabled.');
    return toPublicUser(row);
  }

  /** A customer may read only their own account; staff may read anyone (they serve requesters). */
  async get(actor: PublicUser, id: string): Promise<PublicUser> {
    if (!isStaff(actor) && actor.id !== id) throw forbidden('You can only view your own account.');
    const row = await this.repo.findById(id);
    if (!row) throw notFound('The user');
    return toPublicUser(row);
  }

  async list(filter: Parameters<UsersRepository['list']>[0]): Promise<PublicUser[]> {
    return (await this.repo.list(filter)).map(toPublicUser);
  }

  create(input: CreateUserInput): Promise<PublicUser> {
    return createAccount(this.repo, input);
  }
}

/** Creates an account; shared by the admin API, the demo seeding and the `user:create` CLI. */
export async function createAccount(repo: UsersRepository, input: CreateUserInput): Promise<PublicUser> {
  const row = await repo.insert({
    email: input.email,
    name: input.name,
    role: input.role,
    tier: input.role === 'agent' ? (input.tier ?? null) : null,
    skills: input.skills,
    locale: input.locale,
    passwordHash: await hashPassword(input.password),
  });
  if (!row) throw conflict('An account with this e-mail address already exists.');
  return toPublicUser(row);
}
