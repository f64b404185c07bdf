import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionStore } from '../../client/src/lib/session';
import { RealtimeConnection } from '../../client/src/lib/socket';
import type { PublicUser, TicketView } from '../../signaling/shared/protocol';
import { joinAndProduce, ok } from '../helpers/callClient';
import { BACKENDS } from '../helpers/database';
import { ManualClock } from '../helpers/manualClock';
import { type ClientSocket, connectSocket, eventually, record } from '../helpers/sockets';
import { DEMO, DEMO_PASSWORD, startTestApp, type TestApp } from '../helpers/testApp';

// Sessions that end (issue 16, part 3): short access tokens renewed from a rotated refresh cookie,
// sockets that live only as long as their token, and revocation that reaches open sockets at once.
// Access tokens live 60 s here, on a clock the tests move.
const TTL_MS = 60_000;
const IDLE_MS = 600_000;
const MAX_AGE_MS = 1_200_000;

interface SignedIn {
  token: string;
  expiresAt: string;
  user: PublicUser;
  /** The refresh cookie as the browser would send it back (`name=value`). */
  cookie: string;
  setCookie: string;
}

describe.each(BACKENDS)('sessions that end (%s)', (backend) => {
  let t: TestApp;
  const clock = new ManualClock();
  const sockets: ClientSocket[] = [];
  let admin: SignedIn;

  /** A current admin token: renewed from the admin's cookie, or a new sign-in once that ended. */
  async function adminToken(): Promise<string> {
    const renewed = await refresh(admin.cookie);
    if (renewed.status !== 200) {
      admin = await signIn(DEMO.admin);
      return admin.token;
    }
    if (renewed.cookie) admin = { ...admin, cookie: renewed.cookie };
    return renewed.body.token;
  }

  async function signIn(email: string): Promise<SignedIn> {
    const res = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('livedesk_refresh='));
    expect(setCookie).toBeDefined();
    return {
      ...((await res.json()) as Omit<SignedIn, 'cookie'>),
      cookie: setCookie!.split(';')[0]!,
      setCookie: setCookie!,
    };
  }

  async function refresh(cookie: string | undefined) {
    const res = await fetch(`${t.url}/api/auth/session/refresh`, {
      method: 'POST',
      headers: cookie ? { cookie } : {},
    });
    const setCookie = res.headers.getSetCookie().find((c) => c.startsWith('livedesk_refresh='));
    const body = (await res.json()) as any;
    return { status: res.status, body, cookie: setCookie?.split(';')[0], setCookie };
  }

  const me = (token: string) =>
    fetch(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);

  async function patchUser(id: string, body: unknown, as?: string) {
    const token = as ?? (await adminToken());
    const res = await fetch(`${t.url}/api/users/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  async function socketOf(token: string): Promise<ClientSocket> {
    const socket = await connectSocket(t.url, token);
    sockets.push(socket);
    return socket;
  }

  /** Resolves with the reason of `session:ended` once the server has also disconnected the socket. */
  function endOf(socket: ClientSocket): Promise<string> {
    return new Promise((resolve) => {
      let reason = '';
      socket.once('session:ended', (p) => {
        reason = p.reason;
      });
      socket.once('disconnect', (why) => resolve(`${reason}|${why}`));
    });
  }

  beforeAll(async () => {
    t = await startTestApp({
      backend,
      clock,
      env: {
        JWT_TTL_SECONDS: String(TTL_MS / 1000),
        SESSION_IDLE_TIMEOUT_SECONDS: String(IDLE_MS / 1000),
        SESSION_MAX_AGE_SECONDS: String(MAX_AGE_MS / 1000),
      },
    });
    admin = await signIn(DEMO.admin);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('signs in with the same body as before plus an httpOnly, SameSite=Strict cookie for renewal only', async () => {
    const s = await signIn(DEMO.qa);
    expect(Object.keys(s).sort()).toEqual(['cookie', 'expiresAt', 'setCookie', 'token', 'user']);
    expect(Date.parse(s.expiresAt) - clock.now().getTime()).toBeLessThanOrEqual(TTL_MS);
    expect(s.setCookie).toMatch(/HttpOnly/i);
    expect(s.setCookie).toMatch(/SameSite=Strict/i);
    expect(s.setCookie).toMatch(/Path=\/api\/auth\/session(;|$)/);
  });

  it('stops a socket when its access token expires unrenewed: session:ended expired, and no handler runs after', async () => {
    const s = await signIn(DEMO.customer);
    const socket = await socketOf(s.token);
    const ended = endOf(socket);
    ok(await socket.emitWithAck('session:whoami', {}));
    clock.advance(TTL_MS + 1000);
    expect(await me(s.token)).toBe(401);
    expect(await ended).toBe('expired|io server disconnect');
    // The same token cannot open a new socket either.
    await expect(connectSocket(t.url, s.token)).rejects.toMatchObject({ data: { code: 'unauthenticated' } });
  });

  it('renews ahead of expiry: a rotated cookie, a new token with the current role, and a socket that carries on', async () => {
    const s = await signIn(DEMO.agentL2);
    const socket = await socketOf(s.token);
    const ended = record(socket, 'session:ended');
    clock.advance(TTL_MS - 15_000);
    const renewed = await refresh(s.cookie);
    expect(renewed.status).toBe(200);
    expect(renewed.body).toMatchObject({ user: { email: DEMO.agentL2, role: 'agent' } });
    expect(renewed.body.token).not.toBe(s.token);
    expect(renewed.cookie).toBeDefined();
    expect(renewed.cookie).not.toBe(s.cookie);
    expect(renewed.setCookie).toMatch(/HttpOnly/i);
    const answer = ok(await socket.emitWithAck('session:renew', { token: renewed.body.token }));
    expect(answer.expiresAt).toBe(renewed.body.expiresAt);

    // Past the first token's expiry: the old token is refused, the socket lives on with the new one.
    clock.advance(30_000);
    expect(await me(s.token)).toBe(401);
    expect(await me(renewed.body.token)).toBe(200);
    expect(ok(await socket.emitWithAck('session:whoami', {})).email).toBe(DEMO.agentL2);
    expect(ended).toEqual([]);
    expect(socket.connected).toBe(true);

    // Without another renewal it ends at the new token's expiry.
    const end = endOf(socket);
    clock.advance(TTL_MS);
    expect(await end).toBe('expired|io server disconnect');
  });

  it('the web client’s connection moves its live socket onto a renewed token, and the socket outlives the first', async () => {
    const s = await signIn(DEMO.agentL1);
    const store = new SessionStore(undefined);
    const endedWith: string[] = [];
    const connection = new RealtimeConnection(
      store,
      (options) => connect(t.url, { ...options, transports: ['websocket'], forceNew: true }) as never,
      (reason) => endedWith.push(reason),
    );
    connection.start();
    try {
      store.signIn({ token: s.token, expiresAt: s.expiresAt, user: s.user });
      await eventually(() => connection.getStatus() === 'connected', 'the connection');
      const socket = connection.current!;
      const socketId = socket.id;

      clock.advance(TTL_MS - 15_000);
      const renewed = await refresh(s.cookie);
      store.renew(renewed.body);
      // The renewal reached the server when the server-side expiry has moved past the old one.
      const serverSide = () => [...t.app.io.sockets.sockets.values()].find((x) => x.id === socketId);
      await eventually(
        () => serverSide()?.data.session.expiresAtMs === Date.parse(renewed.body.expiresAt),
        'session:renew on the same socket',
      );
      clock.advance(30_000);
      expect(connection.current).toBe(socket);
      expect(socket.id).toBe(socketId);
      expect(await connection.request('session:whoami', {})).toMatchObject({ email: DEMO.agentL1 });
      expect(endedWith).toEqual([]);
    } finally {
      connection.stop();
    }
  });

  it('refuses to renew a socket with a bad token or another account’s, and keeps the socket', async () => {
    const s = await signIn(DEMO.agentL1);
    const other = await signIn(DEMO.supervisor);
    const socket = await socketOf(s.token);
    const garbage = await socket.emitWithAck('session:renew', { token: 'not-a-token' });
    expect(garbage).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    const foreign = await socket.emitWithAck('session:renew', { token: other.token });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const malformed = await socket.emitWithAck('session:renew', { token: 42 } as never);
    expect(malformed).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    expect(ok(await socket.emitWithAck('session:whoami', {})).email).toBe(DEMO.agentL1);
  });

  it('keeps a call’s media session through a renewal past the first token’s expiry', async () => {
    const customer = await signIn(DEMO.customer);
    const agent = await signIn(DEMO.agentL1);
    const ticketRes = await fetch(`${t.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${customer.token}` },
      body: JSON.stringify({ subject: 'Renew mid-call', description: 'Call me', category: 'video_call' }),
    });
    const ticket = (await ticketRes.json()) as TicketView;
    const agentSocket = await socketOf(agent.token);
    const customerSocket = await socketOf(customer.token);
    const call = ok(await agentSocket.emitWithAck('call:start', { ticketId: ticket.id }));
    await eventually(() => customerSocket.connected, 'the customer socket');
    ok(await customerSocket.emitWithAck('call:answer', { callId: call.id, accept: true }));
    const a = await joinAndProduce(agentSocket, call.id, 4101);
    const c = await joinAndProduce(customerSocket, call.id, 4102);
    const room = t.app.media.getRoom(call.id)!;
    const agentPeer = room.getPeer(agent.user.id);

    clock.advance(TTL_MS - 10_000);
    for (const [who, socket] of [
      [agent, agentSocket],
      [customer, customerSocket],
    ] as const) {
      const renewed = await refresh(who.cookie);
      expect(renewed.status).toBe(200);
      ok(await socket.emitWithAck('session:renew', { token: renewed.body.token }));
    }
    clock.advance(20_000);

    // Same sockets, same peer, its producer still there: nothing was rebuilt.
    expect(agentSocket.connected && customerSocket.connected).toBe(true);
    expect(t.app.media.getRoom(call.id)).toBe(room);
    expect(room.getPeer(agent.user.id)).toBe(agentPeer);
    const consumer = ok(
      await customerSocket.emitWithAck('call:consume', {
        callId: call.id,
        transportId: c.recv.id,
        producerId: a.producerId,
      }),
    );
    expect(consumer.paused).toBe(true);
    ok(await agentSocket.emitWithAck('call:hangup', { callId: call.id }));
  });

  it('rotates the refresh token: a replay of the replaced one is tolerated briefly, later it revokes the session', async () => {
    const s = await signIn(DEMO.qa);
    const first = await refresh(s.cookie);
    expect(first.status).toBe(200);
    // A second tab racing the first with the same cookie: a token, and no new cookie.
    const racing = await refresh(s.cookie);
    expect(racing.status).toBe(200);
    expect(racing.cookie).toBeUndefined();

    clock.advance(31_000);
    const replay = await refresh(s.cookie);
    expect(replay.status).toBe(401);
    expect(replay.body.error.code).toBe('unauthenticated');
    // The replay ended the session: the current cookie no longer works either.
    expect((await refresh(first.cookie)).status).toBe(401);
    expect(await me(first.body.token)).toBe(401);
  });

  it('ends a session after its idle lifetime, and after its absolute lifetime however often renewed', async () => {
    const idle = await signIn(DEMO.supervisor);
    clock.advance(IDLE_MS + 1000);
    expect((await refresh(idle.cookie)).status).toBe(401);

    const busy = await signIn(DEMO.agentL2);
    let cookie = busy.cookie;
    let elapsed = 0;
    while (elapsed + TTL_MS * 5 < MAX_AGE_MS) {
      clock.advance(TTL_MS * 5);
      elapsed += TTL_MS * 5;
      const renewed = await refresh(cookie);
      expect(renewed.status).toBe(200);
      cookie = renewed.cookie!;
    }
    clock.advance(MAX_AGE_MS - elapsed + 1000);
    const late = await refresh(cookie);
    expect(late.status).toBe(401);
    expect(late.body.error.message).toMatch(/expired/);
  });

  it('refuses renewal without a cookie with a clear 401', async () => {
    const res = await refresh(undefined);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringMatching(/sign in/i),
    });
  });

  it('signs out: the refresh token stops at once, that session’s sockets end, another session of the user stays', async () => {
    const phone = await signIn(DEMO.agentL1);
    const laptop = await signIn(DEMO.agentL1);
    const phoneSocket = await socketOf(phone.token);
    const laptopSocket = await socketOf(laptop.token);
    const phoneEnd = endOf(phoneSocket);

    const res = await fetch(`${t.url}/api/auth/session`, {
      method: 'DELETE',
      headers: { cookie: phone.cookie },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ signedOut: true });
    expect(res.headers.getSetCookie().join()).toMatch(/livedesk_refresh=;/);

    expect(await phoneEnd).toBe('revoked|io server disconnect');
    expect((await refresh(phone.cookie)).status).toBe(401);
    expect(await me(phone.token)).toBe(401);
    await expect(connectSocket(t.url, phone.token)).rejects.toMatchObject({
      data: { code: 'unauthenticated' },
    });

    expect(laptopSocket.connected).toBe(true);
    expect(ok(await laptopSocket.emitWithAck('session:whoami', {})).email).toBe(DEMO.agentL1);
    expect((await refresh(laptop.cookie)).status).toBe(200);
  });

  it('ends a disabled account’s sockets at once, and it can neither renew nor sign in', async () => {
    const s = await signIn(DEMO.customer);
    const tab1 = await socketOf(s.token);
    const tab2 = await socketOf(s.token);
    const bystander = await socketOf((await signIn(DEMO.agentL2)).token);
    const ends = [endOf(tab1), endOf(tab2)];

    const res = await patchUser(s.user.id, { disabled: true });
    expect(res.status).toBe(200);
    expect(await Promise.all(ends)).toEqual(['revoked|io server disconnect', 'revoked|io server disconnect']);
    expect((await refresh(s.cookie)).status).toBe(401);
    expect(await me(s.token)).toBe(401);
    const login = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.customer, password: DEMO_PASSWORD }),
    });
    expect(login.status).toBe(401);
    expect(bystander.connected).toBe(true);

    // Enabled again, the account signs in afresh (its old session stays revoked).
    expect((await patchUser(s.user.id, { disabled: false })).status).toBe(200);
    expect((await refresh(s.cookie)).status).toBe(401);
    await signIn(DEMO.customer);
  });

  it('ends the sockets of an account whose role changes; renewal then carries the new role', async () => {
    const s = await signIn(DEMO.supervisor);
    const socket = await socketOf(s.token);
    const end = endOf(socket);
    const res = await patchUser(s.user.id, { role: 'qa' });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe('qa');
    expect(await end).toBe('revoked|io server disconnect');

    const renewed = await refresh(s.cookie);
    expect(renewed.status).toBe(200);
    expect(renewed.body.user.role).toBe('qa');
    expect(t.app.tokens.verify(renewed.body.token).role).toBe('qa');
    const again = await socketOf(renewed.body.token);
    expect(ok(await again.emitWithAck('session:whoami', {})).role).toBe('qa');
    // A tier change ends an agent's sockets too: which tickets they may see depends on it.
    const agent = await signIn(DEMO.agentL2);
    const agentEnd = endOf(await socketOf(agent.token));
    expect((await patchUser(agent.user.id, { tier: 'L3' })).body.tier).toBe('L3');
    expect(await agentEnd).toBe('revoked|io server disconnect');
    await patchUser(agent.user.id, { tier: 'L2' });
    await patchUser(s.user.id, { role: 'supervisor' });
  });

  it('validates account changes: admin only, a clear 4xx for bad input, never the admin’s own access', async () => {
    const agent = await signIn(DEMO.agentL2);
    const target = agent.user.id;
    expect((await patchUser(target, { disabled: true }, agent.token)).status).toBe(403);
    const empty = await patchUser(target, {});
    expect(empty.status).toBe(400);
    const unknown = await patchUser(target, { role: 'root' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.details[0].path).toBe('role');
    const noTier = await patchUser((await signIn(DEMO.qa)).user.id, { role: 'agent' });
    expect(noTier.status).toBe(400);
    expect(noTier.body.error.details[0]).toMatchObject({ path: 'tier', message: 'is required for an agent' });
    const self = await patchUser(admin.user.id, { disabled: true });
    expect(self.status).toBe(409);
    expect(self.body.error.code).toBe('conflict');
    expect((await patchUser('00000000-0000-4000-8000-000000000000', { disabled: true })).status).toBe(404);
    // Nothing changed: the agent still works.
    expect(await me(agent.token)).toBe(200);
  });
});
