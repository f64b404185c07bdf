import { useSyncExternalStore } from 'react';
import type { PublicUser } from '../../../signaling/shared/protocol';
import { Listeners } from './store';

export interface Session {
  token: string;
  /** ISO timestamp from the server; the session ends on its own at this moment. */
  expiresAt: string;
  user: PublicUser;
}

/**
 * Why the last session ended: `user` pressed Sign out; `expired` ran out of time (no renewal);
 * `unauthenticated` means the server refused the token (signed out elsewhere, secret rotated,
 * account disabled); `revoked` means the server ended the session (signed out elsewhere, the
 * account disabled or its access changed) and it could not be renewed.
 */
export type SignOutReason = 'user' | 'expired' | 'unauthenticated' | 'revoked';

export interface SessionSnapshot {
  session: Session | null;
  /** Set when a session ended, so the sign-in page can say why; cleared by the next sign-in. */
  signOutReason: SignOutReason | null;
}

const STORAGE_KEY = 'livedesk.session';
// setTimeout fires at once for delays above 2^31-1 ms (~24.8 days); longer sessions re-arm.
const MAX_TIMER_MS = 2_147_483_647;

/**
 * The signed-in session, kept in localStorage so a reload keeps the user signed in. Framework-free:
 * React reads it through `useSession()`, the socket and API clients through `subscribe()`.
 */
export class SessionStore {
  private snapshot: SessionSnapshot;
  private readonly listeners = new Listeners();
  private expiryTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly storage: Storage | undefined,
    private readonly now: () => number = Date.now,
  ) {
    const stored = this.read();
    if (stored && !this.hasExpired(stored)) {
      this.snapshot = { session: stored, signOutReason: null };
    } else {
      this.snapshot = { session: null, signOutReason: stored ? 'expired' : null };
      if (stored) this.write(null);
    }
    this.armExpiryTimer();
  }

  get current(): Session | null {
    return this.snapshot.session;
  }

  /** Stable between changes, as `useSyncExternalStore` requires. */
  getSnapshot = (): SessionSnapshot => this.snapshot;

  readonly subscribe = this.listeners.subscribe;

  signIn(session: Session): void {
    this.write(session);
    this.set({ session, signOutReason: null });
  }

  /**
   * Takes a renewed access token (and the account as the server now sees it) for the session
   * already signed in; ignored when another user (or nobody) is signed in by then.
   */
  renew(next: Session): void {
    const current = this.snapshot.session;
    if (!current || current.user.id !== next.user.id) return;
    this.write(next);
    this.set({ session: next, signOutReason: null });
  }

  /** Replaces the stored user with fresher data from the server (same token). */
  updateUser(user: PublicUser): void {
    const session = this.snapshot.session;
    if (!session || session.user.id !== user.id) return;
    if (JSON.stringify(session.user) === JSON.stringify(user)) return;
    const next = { ...session, user };
    this.write(next);
    this.set({ session: next, signOutReason: null });
  }

  signOut(reason: SignOutReason = 'user'): void {
    if (!this.snapshot.session) return;
    this.write(null);
    this.set({ session: null, signOutReason: reason });
  }

  /**
   * Keeps this tab in step with the others: signing in or out in one tab does the same here.
   * Returns a function that stops listening.
   */
  syncAcrossTabs(target: Window): () => void {
    const onStorage = (event: StorageEvent) => {
      if (event.key !== STORAGE_KEY && event.key !== null) return;
      const stored = this.read();
      if (stored?.token === this.snapshot.session?.token) return;
      if (stored && !this.hasExpired(stored)) this.set({ session: stored, signOutReason: null });
      else if (this.snapshot.session) this.set({ session: null, signOutReason: 'user' });
    };
    target.addEventListener('storage', onStorage);
    return () => target.removeEventListener('storage', onStorage);
  }

  private set(snapshot: SessionSnapshot): void {
    this.snapshot = snapshot;
    this.armExpiryTimer();
    this.listeners.notify();
  }

  private hasExpired(session: Session): boolean {
    return Date.parse(session.expiresAt) <= this.now();
  }

  private armExpiryTimer(): void {
    clearTimeout(this.expiryTimer);
    this.expiryTimer = undefined;
    const session = this.snapshot.session;
    if (!session) return;
    const remaining = Date.parse(session.expiresAt) - this.now();
    this.expiryTimer = setTimeout(
      () => {
        if (this.snapshot.session !== session) return;
        if (this.hasExpired(session)) this.signOut('expired');
        else this.armExpiryTimer();
      },
      Math.min(Math.max(remaining, 0), MAX_TIMER_MS),
    );
  }

  private read(): Session | null {
    try {
      const raw = this.storage?.getItem(STORAGE_KEY);
      if (!raw) return null;
      const value: unknown = JSON.parse(raw);
      return isSession(value) ? value : null;
    } catch {
      // Unreadable or corrupt storage: start signed out rather than crash.
      return null;
    }
  }

  private write(session: Session | null): void {
    try {
      if (session) this.storage?.setItem(STORAGE_KEY, JSON.stringify(session));
      else this.storage?.removeItem(STORAGE_KEY);
    } catch {
      // Storage full or disabled: the session still works for this tab, it just won't survive a reload.
    }
  }
}

function isSession(value: unknown): value is Session {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const user = v.user as Record<string, unknown> | undefined;
  return (
    typeof v.token === 'string' &&
    typeof v.expiresAt === 'string' &&
    !Number.isNaN(Date.parse(v.expiresAt)) &&
    typeof user === 'object' &&
    user !== null &&
    typeof user.id === 'string' &&
    typeof user.name === 'string' &&
    typeof user.role === 'string'
  );
}

function browserStorage(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** The app's one session. */
export const session = new SessionStore(browserStorage());
// Outside a browser (the unit tests import this module) there are no other tabs to follow.
if (typeof window !== 'undefined') session.syncAcrossTabs(window);

/** The current session (or null) and why the last one ended; re-renders on every change. */
export function useSession(): SessionSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}
