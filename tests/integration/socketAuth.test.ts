import jwt from 'jsonwebtoken';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  AckResult,
  ClientToServerEvents,
  PublicUser,
  ServerToClientEvents,
} from '../../signaling/shared/protocol';
import { DEMO, login, startTestApp, TEST_JWT_SECRET, type TestApp } from '../helpers/testApp';

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function open(url: string, auth: Record<string, unknown> | undefined, query?: Record<string, string>) {
  const socket: ClientSocket = connect(url, {
    auth: auth ?? {},
    query: query ?? {},
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
  });
  return new Promise<{ socket: ClientSocket; error?: Error & { data?: any } }>((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error) => resolve({ socket, error }));
  });
}

describe('socket.io handshake authentication', () => {
  let t: TestApp;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('accepts a valid token in auth.token and attaches the server-side identity', async () => {
    const token = await login(t.url, DEMO.customer);
    const { socket, error } = await open(t.url, { token });
    sockets.push(socket);
    expect(error).toBeUndefined();
    const result = await socket.emitWithAck('session:whoami', {});
    expect(result).toMatchObject({ ok: true, data: { email: DEMO.customer, role: 'customer' } });
  });

  it('refuses a missing, forged or expired token with an unauthenticated error', async () => {
    const token = await login(t.url, DEMO.customer);
    const claims = t.app.tokens.verify(token);
    const expired = jwt.sign({ role: 'customer', exp: Math.floor(Date.now() / 1000) - 5 }, TEST_JWT_SECRET, {
      subject: claims.sub,
    });
    const forged = jwt.sign({ role: 'admin' }, 'x'.repeat(40), { subject: claims.sub });
    for (const auth of [undefined, { token: forged }, { token: expired }, { token: 42 }]) {
      const { socket, error } = await open(t.url, auth);
      sockets.push(socket);
      expect(error?.data?.code).toBe('unauthenticated');
      expect(socket.connected).toBe(false);
    }
  });

  it('ignores a token passed in the query string', async () => {
    const token = await login(t.url, DEMO.customer);
    const { socket, error } = await open(t.url, undefined, { token });
    sockets.push(socket);
    expect(error?.data?.code).toBe('unauthenticated');
  });

  it('answers an invalid payload with a result error and keeps the socket working', async () => {
    const token = await login(t.url, DEMO.agentL1);
    const { socket } = await open(t.url, { token });
    sockets.push(socket);
    const bad = (await socket.emitWithAck('session:whoami', { extra: 1 } as never)) as AckResult<PublicUser>;
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('bad_request');
      expect(bad.error.details?.[0]?.message).toMatch(/unknown field/);
    }
    const good = await socket.emitWithAck('session:whoami', {});
    expect(good.ok).toBe(true);
  });
});
