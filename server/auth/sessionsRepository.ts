import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { type AuthSessionRow, authSessions } from '../db/authSchema';
import type { Database } from '../db/client';

/** All SQL touching `auth_sessions` lives here. */
export class AuthSessionsRepository {
  constructor(private readonly db: Database) {}

  async insert(row: {
    userId: string;
    tokenHash: string;
    createdAt: Date;
    expiresAt: Date;
  }): Promise<AuthSessionRow> {
    const [inserted] = await this.db
      .insert(authSessions)
      .values({ ...row, lastUsedAt: row.createdAt })
      .returning();
    if (!inserted) throw new Error('auth session insert returned no row');
    return inserted;
  }

  /** The session whose current or previous refresh token has this hash. */
  async findByTokenHash(hash: string): Promise<AuthSessionRow | undefined> {
    const [row] = await this.db
      .select()
      .from(authSessions)
      .where(or(eq(authSessions.tokenHash, hash), eq(authSessions.previousTokenHash, hash)))
      .limit(1);
    return row;
  }

  /** Whether the session exists and is not revoked (lifetimes are checked on renewal). */
  async isLive(id: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: authSessions.id })
      .from(authSessions)
      .where(and(eq(authSessions.id, id), isNull(authSessions.revokedAt)));
    return row !== undefined;
  }

  /**
   * Replaces the refresh token, only if `currentHash` is still the current one: of two renewals
   * racing with the same token, one rotates and the other sees false.
   */
  async rotate(id: string, currentHash: string, nextHash: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(authSessions)
      .set({ tokenHash: nextHash, previousTokenHash: currentHash, rotatedAt: at, lastUsedAt: at })
      .where(
        and(eq(authSessions.id, id), eq(authSessions.tokenHash, currentHash), isNull(authSessions.revokedAt)),
      )
      .returning({ id: authSessions.id });
    return rows.length > 0;
  }

  async touch(id: string, at: Date): Promise<void> {
    await this.db.update(authSessions).set({ lastUsedAt: at }).where(eq(authSessions.id, id));
  }

  /** Revokes one session; returns whether it was live until now. */
  async revoke(id: string, at: Date): Promise<boolean> {
    const rows = await this.db
      .update(authSessions)
      .set({ revokedAt: at })
      .where(and(eq(authSessions.id, id), isNull(authSessions.revokedAt)))
      .returning({ id: authSessions.id });
    return rows.length > 0;
  }

  /** Revokes every live session of a user; returns their ids. */
  async revokeAllOf(userId: string, at: Date): Promise<string[]> {
    const rows = await this.db
      .update(authSessions)
      .set({ revokedAt: at })
      .where(and(eq(authSessions.userId, userId), isNull(authSessions.revokedAt)))
      .returning({ id: authSessions.id });
    return rows.map((r) => r.id);
  }

  /** Deletes a user's sessions that can never be used again, so the table does not only grow. */
  async deleteEndedOf(userId: string, now: Date, idleBefore: Date): Promise<void> {
    await this.db
      .delete(authSessions)
      .where(
        and(
          eq(authSessions.userId, userId),
          or(
            isNotNull(authSessions.revokedAt),
            lt(authSessions.expiresAt, now),
            lt(authSessions.lastUsedAt, idleBefore),
          ),
        ),
      );
  }
}
