import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Session, SessionStore } from '../../../client/src/lib/session';
import type { PublicUser } from '../../../signaling/shared/protocol';

/** Storage as the browser's localStorage behaves (Node has none). */
class MemoryStorage implements Storage {
  private readonly items = new Map<string, string>();
  get length() {
    return this.items.size;
  }
  clear() {
    this.items.clear();
  }
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  key(i: number) {
    return [...this.items.keys()][i] ?? null;
  }
  removeItem(key: string) {
    this.items.delete(key);
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

const KEY = 'livedesk.session';
const user: PublicUser = { id: 'u1', name: 'Ann', role: 'customer' } as PublicUser;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const sessionFor = (ms: number, token = 'token-1'): Session => ({
  token,
  expiresAt: new Date(T0 + ms).toISOString(),
  user,
});

describe('SessionStore', () => {
  let storage: MemoryStorage;

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    storage = new MemoryStorage();
  });

  afterEach(() => vi.useRealTimers());

  it('signs in, keeps the session across a reload, and signs out with a reason', () => {
    const store = new SessionStore(storage);
    const seen: Array<string | null> = [];
    store.subscribe(() => seen.push(store.getSnapshot().session?.token ?? null));
    store.signIn(sessionFor(3_600_000));
    expect(new SessionStore(storage).current?.token).toBe('token-1');

    const before = store.getSnapshot();
    expect(store.getSnapshot()).toBe(before); // stable between changes, as useSyncExternalStore needs
    store.signOut('revoked');
    expect(store.getSnapshot()).toEqual({ session: null, signOutReason: 'revoked' });
    expect(storage.getItem(KEY)).toBeNull();
    expect(seen).toEqual(['token-1', null]);
  });

  it('ends the session by itself when it expires, and says so', () => {
    const store = new SessionStore(storage);
    store.signIn(sessionFor(60_000));
    vi.advanceTimersByTime(59_999);
    expect(store.current).not.toBeNull();
    vi.advanceTimersByTime(1);
    expect(store.getSnapshot()).toEqual({ session: null, signOutReason: 'expired' });
  });

  it('starts signed out (expired) from a stored session that has run out, and forgets it', () => {
    storage.setItem(KEY, JSON.stringify(sessionFor(-1)));
    const store = new SessionStore(storage);
    expect(store.getSnapshot()).toEqual({ session: null, signOutReason: 'expired' });
    expect(storage.getItem(KEY)).toBeNull();
  });

  it('starts signed out from corrupt or foreign storage instead of failing', () => {
    storage.setItem(KEY, '{not json');
    expect(new SessionStore(storage).getSnapshot()).toEqual({ session: null, signOutReason: null });
    storage.setItem(KEY, JSON.stringify({ token: 1 }));
    expect(new SessionStore(storage).current).toBeNull();
  });

  it('updates the user only when it changed, keeping the token', () => {
    const store = new SessionStore(storage);
    store.signIn(sessionFor(3_600_000));
    let changes = 0;
    store.subscribe(() => changes++);
    store.updateUser({ ...user });
    expect(changes).toBe(0);
    store.updateUser({ ...user, name: 'Ann B.' });
    expect(store.current).toMatchObject({ token: 'token-1', user: { name: 'Ann B.' } });
    expect(JSON.parse(storage.getItem(KEY)!).user.name).toBe('Ann B.');
    store.updateUser({ ...user, id: 'someone-else' });
    expect(changes).toBe(1);
  });

  it('follows sign-in and sign-out in another tab', () => {
    const tab = new EventTarget();
    const store = new SessionStore(storage);
    const stop = store.syncAcrossTabs(tab as unknown as Window);
    const storageEvent = () => Object.assign(new Event('storage'), { key: KEY });

    storage.setItem(KEY, JSON.stringify(sessionFor(3_600_000, 'other-tab')));
    tab.dispatchEvent(storageEvent());
    expect(store.current?.token).toBe('other-tab');

    storage.removeItem(KEY);
    tab.dispatchEvent(storageEvent());
    expect(store.getSnapshot()).toEqual({ session: null, signOutReason: 'user' });

    stop();
    storage.setItem(KEY, JSON.stringify(sessionFor(3_600_000, 'ignored')));
    tab.dispatchEvent(storageEvent());
    expect(store.current).toBeNull();
  });
});
