import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt, isNull, lt, or } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { signedLinks } from '../db/mailSchema';
import { AppError, notFound } from '../errors';

/**
 * What a link grants. Each purpose is consumed only as itself: a reset token is no invitation.
 * `csat_survey` opens one ticket's rating without signing in (its `subjectId` is the ticket).
 */
export type LinkPurpose = 'password_reset' | 'invitation' | 'csat_survey';

export interface IssuedLink {
  /** Goes into the mail's URL; never stored (only its SHA-256 is). */
  token: string;
  expiresAt: Date;
}

export interface LinkHolder {
  linkId: string;
  userId: string;
  /** What the link is about, for links about one thing (a survey link's ticket). */
  subjectId: string | null;
  expiresAt: Date;
}

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

/** 256 random bits, URL-safe: guessing one is hopeless, so the token needs no HMAC of its own. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const invalid = () => notFound('This link');

/**
 * Single-use, expiring links that grant access (password reset, invitation). The token is random
 * and only its hash is kept, so a database leak yields no working link. `consume` checks and uses
 * a link in ONE conditional UPDATE: two simultaneous clicks cannot both pass. A failure says
 * exactly why (unknown → 404 `not_found`, used → 410 `link_used`, past its time → 410
 * `link_expired`) so the page can offer the right next step.
 */
export class SignedLinks {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /**
   * A new link for `userId`. Issuing one withdraws the user's earlier unused links of the same
   * purpose (and the same `subjectId`, for links about one thing): only the newest mail works (an
   * older one may sit in a forwarded or shared inbox).
   */
  async issue(
    purpose: LinkPurpose,
    userId: string,
    ttlMs: number,
    subjectId: string | null = null,
  ): Promise<IssuedLink> {
    const now = this.clock.now();
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(now.getTime() + ttlMs);
    await this.db.transaction(async (tx) => {
      await tx
        .update(signedLinks)
        .set({ usedAt: now })
        .where(
          and(
            eq(signedLinks.userId, userId),
            eq(signedLinks.purpose, purpose),
            isNull(signedLinks.usedAt),
            subjectId === null ? isNull(signedLinks.subjectId) : eq(signedLinks.subjectId, subjectId),
          ),
        );
      // Old rows of this user are of no further use: keep the table small.
      await tx
        .delete(signedLinks)
        .where(
          and(
            eq(signedLinks.userId, userId),
            or(
              lt(signedLinks.expiresAt, now),
              lt(signedLinks.usedAt, new Date(now.getTime() - 30 * 86_400_000)),
            ),
          ),
        );
      await tx
        .insert(signedLinks)
        .values({ purpose, userId, subjectId, tokenHash: hash(token), createdAt: now, expiresAt });
    });
    return { token, expiresAt };
  }

  /** Who a link is for, without using it (the page shows "set a password for …"). Throws like `consume`. */
  async inspect(purpose: LinkPurpose, token: string): Promise<LinkHolder> {
    const row = await this.find(purpose, token);
    this.assertUsable(row);
    return { linkId: row.id, userId: row.userId, subjectId: row.subjectId, expiresAt: row.expiresAt };
  }

  /**
   * Uses a link once. Pass `within` to run the use in the caller's transaction, so the link stays
   * unused if what it was for (setting the password) fails.
   */
  async consume(purpose: LinkPurpose, token: string, within: Database = this.db): Promise<LinkHolder> {
    const now = this.clock.now();
    if (!TOKEN_PATTERN.test(token)) throw invalid();
    const [used] = await within
      .update(signedLinks)
      .set({ usedAt: now })
      .where(
        and(
          eq(signedLinks.tokenHash, hash(token)),
          eq(signedLinks.purpose, purpose),
          isNull(signedLinks.usedAt),
          gt(signedLinks.expiresAt, now),
        ),
      )
      .returning();
    if (used)
      return { linkId: used.id, userId: used.userId, subjectId: used.subjectId, expiresAt: used.expiresAt };
    // Not usable: find out why, for an answer the person can act on.
    const row = await this.find(purpose, token, within);
    this.assertUsable(row);
    throw invalid();
  }

  /** Withdraws every unused link of a user (the account was disabled or its password changed). */
  async revokeAllOf(userId: string, purpose?: LinkPurpose): Promise<void> {
    await this.db
      .update(signedLinks)
      .set({ usedAt: this.clock.now() })
      .where(
        and(
          eq(signedLinks.userId, userId),
          isNull(signedLinks.usedAt),
          ...(purpose ? [eq(signedLinks.purpose, purpose)] : []),
        ),
      );
  }

  private async find(purpose: LinkPurpose, token: string, within: Database = this.db) {
    if (!TOKEN_PATTERN.test(token)) throw invalid();
    const [row] = await within
      .select()
      .from(signedLinks)
      .where(and(eq(signedLinks.tokenHash, hash(token)), eq(signedLinks.purpose, purpose)));
    if (!row) throw invalid();
    return row;
  }

  private assertUsable(row: typeof signedLinks.$inferSelect): void {
    if (row.usedAt)
      throw new AppError(
        'link_used',
        'This link was already used, or a newer one was sent. Ask for a new one.',
      );
    if (row.expiresAt <= this.clock.now()) {
      throw new AppError('link_expired', 'This link has expired. Ask for a new one.');
    }
  }
}
