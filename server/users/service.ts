import type { PublicUser, UserRef } from '../../signaling/shared/protocol';
import type { LoginRateLimiter } from '../auth/loginRateLimiter';
import { assertPasswordAcceptable } from '../auth/passwordPolicy';
import { hashPassword, timingDummyHash, verifyPassword } from '../auth/passwords';
import type { IssuedSession } from '../auth/tokens';
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
    localeChosen: row.localeChosenAt !== null,
    availability: row.availability,
    createdAt: row.createdAt.toISOString(),
  };
}

export function toUserRef(row: Pick<UserRow, 'id' | 'name' | 'role' | 'tier'>): UserRef {
  return { id: row.id, name: row.name, role: row.role, tier: row.tier };
}

const isStaff = (user: PublicUser) => user.role !== 'customer';

/** Starts a signed-in session (`AuthSessions.start`). */
export interface SessionStarter {
  start(user: Pick<PublicUser, 'id' | 'role'>): Promise<IssuedSession>;
}

/** The current, enabled account with this id; `unauthenticated` for a missing or disabled one. */
export async function activeUser(repo: UsersRepository, userId: string): Promise<PublicUser> {
  const row = await repo.findById(userId);
  if (!row || row.disabledAt) throw unauthenticated('This account no longer exists or is disabled.');
  return toPublicUser(row);
}

export class UsersService {
  constructor(
    private readonly repo: UsersRepository,
    private readonly sessions: SessionStarter,
    private readonly limiter: LoginRateLimiter,
  ) {}

  /** The person's own choice of language; from now on it beats what their browser reports. */
  async chooseLocale(id: string, locale: 'en' | 'zh-CN'): Promise<PublicUser> {
    const row = await this.repo.update(id, { locale, localeChosenAt: new Date() });
    if (!row) throw notFound('The user');
    return toPublicUser(row);
  }

  async login(email: string, password: string, ip: string): Promise<IssuedSession & { user: PublicUser }> {
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
    return { ...(await this.sessions.start(row)), user: toPublicUser(row) };
  }

  /** Resolves a verified token's subject to a current, enabled account. */
  resolveActor(userId: string): Promise<PublicUser> {
    return activeUser(this.repo, userId);
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

  /** `seeded`: a demo account whose password is generated or set by `DEMO_PASSWORD`, not a person's. */
  create(input: CreateUserInput, options: { seeded?: boolean } = {}): Promise<PublicUser> {
    return createAccount(this.repo, input, options);
  }
}

/**
 * Creates an account; shared by the admin API, the demo seeding and the `user:create` CLI. A
 * password a person chose must pass the policy (`passwordPolicy.ts`); a seeded demo account's is
 * random or the operator's `DEMO_PASSWORD` for a demo or test install.
 */
export async function createAccount(
  repo: UsersRepository,
  input: CreateUserInput,
  options: { seeded?: boolean } = {},
): Promise<PublicUser> {
  if (!options.seeded) await assertPasswordAcceptable(input.password, input);
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
