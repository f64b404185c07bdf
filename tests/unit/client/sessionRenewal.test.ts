import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../client/src/lib/api';
import { type Session, SessionStore } from '../../../client/src/lib/session';
import { SessionRenewal } from '../../../client/src/lib/sessionRenewal';
import type { PublicUser } from '../../../signaling/shared/protocol';

const user = { id: 'u1', name: 'Ann', role: 'agent' } as PublicUser;
const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const sessionFor = (ms: number, token: string): Session => ({
  token,
  expiresAt: new Date(Date.now() + ms).toISOString(),
  user,
});
const refused = () => new ApiError('unauthenticated', 'Your session has ended.', { status: 401 });

describe('SessionRenewal', () => {
  let store: SessionStore;
  let refresh: ReturnType<typeof vi.fn<() => Promise<Session>>>;
  let revoke: ReturnType<typeof vi.fn<() => Promise<unknown>>>;
  let renewal: SessionRenewal;
  let issued = 0;
  const next = (ms = 900_000) => sessionFor(ms, `token-${++issued}`);

  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
    issued = 0;
    store = new SessionStore(undefined);
    refresh = vi.fn(async () => next());
    revoke = vi.fn(async () => ({ signedOut: true }));
    renewal = new SessionRenewal(store, { refresh, revoke });
  });
  afterEach(() => {
    renewal.stop();
    vi.useRealTimers();
  });

  it('renews a minute ahead of a 15-minute token, then again ahead of the new one', async () => {
    renewal.start();
    store.signIn(sessionFor(900_000, 'first'));
    await vi.advanceTimersByTimeAsync(839_999);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(store.current?.token).toBe('token-1');
    await vi.advanceTimersByTimeAsync(840_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(store.current?.token).toBe('token-2');
    expect(store.getSnapshot().signOutReason).toBeNull();
  });

  it('renews a short token a third of its life ahead', async () => {
    renewal.start();
    store.signIn(sessionFor(60_000, 'short'));
    await vi.advanceTimersByTimeAsync(39_999);
    expect(refresh).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(refresh).toHaveBeenCalledTimes(1);
  });

  it('leaves a refused session to end at its expiry, and retries one that could not reach the server', async () => {
    refresh.mockRejectedValueOnce(new ApiError('network', 'offline')).mockRejectedValueOnce(refused());
    renewal.start();
    store.signIn(sessionFor(60_000, 'short'));
    await vi.advanceTimersByTimeAsync(40_000);
    expect(refresh).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(store.current?.token).toBe('short');
    await vi.advanceTimersByTimeAsync(15_000);
    expect(refresh).toHaveBeenCalledTimes(2);
    expect(store.getSnapshot()).toMatchObject({ session: null, signOutReason: 'expired' });
  });

  it('carries on when the server ended the connection but the session renews (a changed role)', async () => {
    renewal.start();
    store.signIn(sessionFor(900_000, 'first'));
    refresh.mockResolvedValueOnce({ ...next(), user: { ...user, role: 'qa' } });
    await renewal.ended('revoked');
    expect(store.current).toMatchObject({ token: 'token-1', user: { role: 'qa' } });
  });

  it('signs out saying why when the server ended the session and it does not renew', async () => {
    renewal.start();
    store.signIn(sessionFor(900_000, 'first'));
    refresh.mockRejectedValueOnce(refused());
    await renewal.ended('revoked');
    expect(store.getSnapshot()).toEqual({ session: null, signOutReason: 'revoked' });
  });

  it('revokes the session on the server when the user signs out', () => {
    renewal.start();
    store.signIn(sessionFor(900_000, 'first'));
    renewal.signOut('user');
    expect(revoke).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot()).toEqual({ session: null, signOutReason: 'user' });
  });

  it('gets back in when the token ran out while the cookie still renews (a laptop that slept)', async () => {
    renewal.start();
    store.signIn(sessionFor(900_000, 'first'));
    // The renewal timer was missed; the store's own expiry fired first.
    vi.setSystemTime(T0 + 901_000);
    store.signOut('expired');
    await vi.advanceTimersByTimeAsync(0);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(store.current?.token).toBe('token-1');
  });
});
