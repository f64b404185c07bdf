import { api } from './api';
import { type Session, type SessionStore, type SignOutReason, session } from './session';

/** Renew this long before the access token expires, at most; a third of its life for short ones. */
const LEAD_MS = 60_000;
const RETRY_MS = 5_000;

export interface RenewalOptions {
  /** `POST /api/auth/session/refresh`: the httpOnly cookie is the credential. */
  refresh: () => Promise<Session>;
  /** `DELETE /api/auth/session`: revokes the session on the server. */
  revoke: () => Promise<unknown>;
  now?: () => number;
}

/**
 * Keeps a signed-in session alive while the app is open: renews the access token ahead of its
 * expiry from the session's refresh cookie (the server rotates it and re-checks the account), so
 * nobody is thrown out mid-call. A renewal the server refuses leaves the session to end at its
 * expiry; one that cannot reach the server is retried until then. Also resumes a session whose
 * access token ran out while the app was closed, and signs out on the server too.
 */
export class SessionRenewal {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private armedFor: string | null = null;
  private inFlight: Promise<boolean> | undefined;
  /** The server refused to renew the session signed in now: no point asking again. */
  private refused = false;
  private unsubscribe: (() => void) | undefined;
  private readonly now: () => number;

  constructor(
    private readonly sessions: SessionStore,
    private readonly options: RenewalOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Follows the session from now on. Idempotent; returns `stop`. */
  start(): () => void {
    if (!this.unsubscribe) {
      let previous = this.sessions.current;
      this.unsubscribe = this.sessions.subscribe(() => {
        const { session: now, signOutReason } = this.sessions.getSnapshot();
        // The token ran out or was refused while the session may still be good (a laptop that
        // slept through the renewal): get back in if the cookie still renews.
        const lost = signOutReason === 'expired' || signOutReason === 'unauthenticated';
        if (previous && !now && lost && !this.refused) void this.resume();
        if (now?.user.id !== previous?.user.id || !now) this.refused = false;
        previous = now;
        this.arm();
      });
      // A reload after the access token ran out: the session itself may still be good.
      if (!this.sessions.current && this.sessions.getSnapshot().signOutReason === 'expired') {
        void this.resume();
      }
      this.arm();
    }
    return () => this.stop();
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    clearTimeout(this.timer);
    this.armedFor = null;
  }

  /**
   * Renews now (one request at a time); true when a new token is in the session. Used on the
   * schedule and when the server ends the live connection, which may be only a changed role.
   */
  renewNow(): Promise<boolean> {
    this.inFlight ??= this.renewOnce().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  /**
   * The server ended this session's live connection: carry on if the session renews (a changed
   * role), otherwise sign out saying why.
   */
  async ended(reason: 'revoked' | 'expired'): Promise<void> {
    const userId = this.sessions.current?.user.id;
    if (!userId) return;
    if (await this.renewNow()) return;
    if (this.sessions.current?.user.id === userId) this.signOut(reason);
  }

  /** Signs out here and revokes the session on the server (its other tabs follow through storage). */
  signOut(reason: SignOutReason = 'user'): void {
    if (reason === 'user') void this.options.revoke().catch(() => {});
    this.sessions.signOut(reason);
  }

  private async renewOnce(): Promise<boolean> {
    const current = this.sessions.current;
    if (!current) return false;
    try {
      const next = await this.options.refresh();
      if (this.sessions.current?.user.id !== next.user.id) return false;
      this.sessions.renew(next);
      return true;
    } catch (err) {
      // Refused (the session ended, or there is no cookie): it ends at its token's expiry.
      const status = (err as { status?: unknown }).status;
      if (typeof status === 'number' && status >= 400 && status < 500) {
        this.refused = this.sessions.current === current;
        return false;
      }
      // The server was not reached: try again while the token still works.
      if (this.sessions.current === current) this.schedule(current.token, RETRY_MS);
      return false;
    }
  }

  private async resume(): Promise<void> {
    try {
      const next = await this.options.refresh();
      if (!this.sessions.current) this.sessions.signIn(next);
    } catch {
      // Nothing to resume: the sign-in page already says the session expired.
    }
  }

  private arm(): void {
    const session = this.sessions.current;
    if (!session) {
      clearTimeout(this.timer);
      this.armedFor = null;
      return;
    }
    if (this.armedFor === session.token) return;
    const remaining = Date.parse(session.expiresAt) - this.now();
    this.schedule(session.token, remaining - Math.min(LEAD_MS, remaining / 3));
  }

  private schedule(token: string, delayMs: number): void {
    clearTimeout(this.timer);
    this.armedFor = token;
    this.timer = setTimeout(
      () => {
        if (this.sessions.current?.token === token) void this.renewNow();
      },
      Math.max(delayMs, 0),
    );
  }
}

/** The app's session renewal: renews ahead of expiry, and signs out on the server too. */
export const sessionRenewal = new SessionRenewal(session, {
  refresh: () => api.refresh(),
  revoke: () => api.logout(),
});
