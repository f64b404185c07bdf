import { createHash, randomBytes } from 'node:crypto';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import { AppError, unauthenticated } from '../errors';
import type { AuthSessionsRepository } from './sessionsRepository';
import type { IssuedSession, TokenService } from './tokens';

/** Why a session's sockets are ended: the session or account was withdrawn, or the token ran out. */
export type SessionEndReason = 'revoked' | 'expired';

/**
 * Ends live connections (sockets) of one session or of every session of a user, on every node.
 * `signaling/sessionEnds.ts` implements it over socket.io's adapter.
 */
export interface SessionEnds {
  endSession(sessionId: string, reason: SessionEndReason): void;
  endUser(userId: string, reason: SessionEndReason): void;
}

/** Who a valid access token speaks for, as of now. */
export interface Authenticated {
  user: PublicUser;
  /** Null for tokens the server mints for itself (benchmarks): no session can revoke them. */
  sessionId: string | null;
  expiresAtMs: number;
}

/**
 * A second use of the refresh token just replaced is taken for two tabs renewing at once (the
 * browser already holds the new one) within this window; later it can only be a replay.
 */
const ROTATION_GRACE_MS = 30_000;

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

const ended = () => unauthenticated('Your session has ended. Sign in again.');

/**
 * Signed-in sessions: short-lived access tokens (JWT, `JWT_TTL_SECONDS`) renewed from a refresh
 * token that is rotated at each renewal and ends after an idle and an absolute lifetime, or when
 * revoked (sign-out, an account disabled). Every renewal re-reads the account, so the new access
 * token carries the current role and a disabled account renews nothing.
 */
export class AuthSessions {
  constructor(
    private readonly repo: AuthSessionsRepository,
    private readonly tokens: TokenService,
    private readonly lifetimes: { idleSeconds: number; maxAgeSeconds: number },
    private readonly clock: Clock,
    /** The current, enabled account with this id; throws `unauthenticated` otherwise. */
    private readonly activeUser: (userId: string) => Promise<PublicUser>,
  ) {}

  /** A new session for a user who just proved who they are. */
  async start(user: Pick<PublicUser, 'id' | 'role'>): Promise<IssuedSession> {
    const now = this.clock.now();
    await this.repo.deleteEndedOf(user.id, now, new Date(now.getTime() - this.lifetimes.idleSeconds * 1000));
    const refreshToken = randomBytes(32).toString('base64url');
    const row = await this.repo.insert({
      userId: user.id,
      tokenHash: hash(refreshToken),
      createdAt: now,
      expiresAt: new Date(now.getTime() + this.lifetimes.maxAgeSeconds * 1000),
    });
    return {
      ...this.tokens.issue({ sub: user.id, role: user.role, sid: row.id }),
      sessionId: row.id,
      refreshToken,
      refreshExpiresAt: this.refreshExpiry(now, row.expiresAt).toISOString(),
    };
  }

  /**
   * A new access token (and refresh token) for the session `refreshToken` belongs to, with the
   * account as it is now. Refuses, as `unauthenticated`, an unknown, revoked, idle or expired
   * session, a disabled account, and a replayed old refresh token (which also revokes the session).
   */
  async renew(refreshToken: string): Promise<IssuedSession & { user: PublicUser }> {
    const presented = hash(refreshToken);
    const row = await this.repo.findByTokenHash(presented);
    if (!row || row.revokedAt) throw ended();
    const now = this.clock.now();
    const idleSince = now.getTime() - row.lastUsedAt.getTime();
    if (now >= row.expiresAt || idleSince >= this.lifetimes.idleSeconds * 1000) {
      await this.repo.revoke(row.id, now);
      throw unauthenticated('Your session has expired. Sign in again.');
    }
    let user: PublicUser;
    try {
      user = await this.activeUser(row.userId);
    } catch (err) {
      if (err instanceof AppError && err.code === 'unauthenticated') await this.repo.revoke(row.id, now);
      throw err;
    }
    let next: string | undefined = randomBytes(32).toString('base64url');
    const current = row.tokenHash === presented;
    if (!current || !(await this.repo.rotate(row.id, presented, hash(next), now))) {
      // Not the current token: fine right after it was replaced (a racing tab), a replay otherwise.
      const rotatedAt = current ? now : row.rotatedAt;
      if (!rotatedAt || now.getTime() - rotatedAt.getTime() > ROTATION_GRACE_MS) {
        await this.repo.revoke(row.id, now);
        throw ended();
      }
      next = undefined;
      await this.repo.touch(row.id, now);
    }
    return {
      ...this.tokens.issue({ sub: user.id, role: user.role, sid: row.id }),
      sessionId: row.id,
      refreshToken: next,
      refreshExpiresAt: this.refreshExpiry(now, row.expiresAt).toISOString(),
      user,
    };
  }

  /** Who a bearer token speaks for: a valid token, of a live session, of an enabled account. */
  async authenticate(token: string | undefined): Promise<Authenticated> {
    const claims = this.tokens.verify(token);
    const [user, live] = await Promise.all([
      this.activeUser(claims.sub),
      claims.sid ? this.repo.isLive(claims.sid) : true,
    ]);
    if (!live) throw ended();
    return { user, sessionId: claims.sid ?? null, expiresAtMs: claims.expiresAtMs };
  }

  /** The session a refresh token belongs to (current or just replaced), if any. */
  async sessionOf(refreshToken: string): Promise<string | undefined> {
    return (await this.repo.findByTokenHash(hash(refreshToken)))?.id;
  }

  /** Revokes one session: its refresh token stops working at once. Returns whether it was live. */
  revoke(sessionId: string): Promise<boolean> {
    return this.repo.revoke(sessionId, this.clock.now());
  }

  /** Revokes every session of a user (an account disabled). */
  revokeAllOf(userId: string): Promise<string[]> {
    return this.repo.revokeAllOf(userId, this.clock.now());
  }

  private refreshExpiry(now: Date, absolute: Date): Date {
    return new Date(Math.min(now.getTime() + this.lifetimes.idleSeconds * 1000, absolute.getTime()));
  }
}
