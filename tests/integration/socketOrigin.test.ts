// The socket handshake admits pages of the app's own origin and of ALLOWED_ORIGINS only, and the
// CSP lets the page connect to its own origin, not to any ws:/wss: host (issue 16, part 4).
import type { AddressInfo } from 'node:net';
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientSocket } from '../helpers/sockets';
import { DEMO, login, startTestApp, type TestApp } from '../helpers/testApp';

/** Opens a socket as a browser page of `origin` would (no Origin at all: a non-browser client). */
function open(url: string, token: string, origin: string | undefined, transport: 'websocket' | 'polling') {
  const socket: ClientSocket = connect(url, {
    auth: { token },
    transports: [transport],
    reconnection: false,
    forceNew: true,
    ...(origin ? { extraHeaders: { origin } } : {}),
  });
  return new Promise<{ socket: ClientSocket; error?: Error & { data?: any } }>((resolve) => {
    socket.once('connect', () => resolve({ socket }));
    socket.once('connect_error', (error) => resolve({ socket, error }));
  });
}

describe('socket Origin check and the CSP', () => {
  let t: TestApp;
  let token: string;
  const sockets: ClientSocket[] = [];
  beforeAll(async () => {
    t = await startTestApp({
      env: { ALLOWED_ORIGINS: 'https://www.school.example,http://widget.example:8080' },
    });
    token = await login(t.url, DEMO.customer);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  async function attempt(origin: string | undefined, transport: 'websocket' | 'polling' = 'websocket') {
    const result = await open(t.url, token, origin, transport);
    sockets.push(result.socket);
    return result;
  }

  it('refuses a page of another origin with a forbidden error, on both transports', async () => {
    for (const transport of ['websocket', 'polling'] as const) {
      for (const origin of ['https://evil.example', 'null', 'http://127.0.0.1.evil.example', 'not a url']) {
        const { socket, error } = await attempt(origin, transport);
        expect(error?.data, `${origin} over ${transport}`).toEqual({
          code: 'forbidden',
          message: expect.stringMatching(/origin/i),
        });
        expect(socket.connected).toBe(false);
      }
    }
  });

  it("admits the app's own origin, the allowed ones, and clients that send no Origin", async () => {
    const own = new URL(t.url).origin;
    for (const origin of [own, 'https://www.school.example', 'http://widget.example:8080', undefined]) {
      const { socket, error } = await attempt(origin);
      expect(error, String(origin)).toBeUndefined();
      expect(await socket.emitWithAck('session:whoami', {})).toMatchObject({
        ok: true,
        data: { email: DEMO.customer },
      });
    }
    // The same host on another port is another origin.
    const otherPort = new URL(t.url);
    otherPort.port = String(Number(otherPort.port) + 1);
    expect((await attempt(otherPort.origin)).error?.data?.code).toBe('forbidden');
  });

  it("limits the CSP's connect-src to the page's own origin", async () => {
    const res = await fetch(`${t.url}/api/openapi.json`);
    const csp = res.headers.get('content-security-policy') ?? '';
    const connectSrc = csp
      .split(';')
      .map((d) => d.trim())
      .find((d) => d.startsWith('connect-src'));
    expect(connectSrc).toBe("connect-src 'self'");
  });
});

describe('socket Origin check with PUBLIC_URL', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL: 'https://desk.example.com' } });
  });
  afterAll(() => t?.close());

  it('admits pages of the public origin and lets the CSP connect to it', async () => {
    // t.url is PUBLIC_URL (links point there); this process reaches the server on loopback.
    const local = `http://127.0.0.1:${(t.app.httpServer.address() as AddressInfo).port}`;
    const token = await login(local, DEMO.agentL1);
    const { socket, error } = await open(local, token, 'https://desk.example.com', 'websocket');
    socket.close();
    expect(error).toBeUndefined();
    const csp = (await fetch(`${local}/api/openapi.json`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("connect-src 'self' https://desk.example.com wss://desk.example.com");
  });
});
