// The embeddable widget (issue 19): the admin's allowed origins decide the CORS answer of the
// loader's one API call and the iframe page's frame-ancestors; the socket handshake still refuses
// other sites; guests get a customer session of their own and see only their own tickets.
import { io as connect } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database';
import type { ClientSocket } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const SITE = 'https://www.school.example';
const OTHER_SITE = 'http://127.0.0.2:8080';

describe.each(BACKENDS)('the widget on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${t.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    t = await startTestApp({ backend });
    tokens.admin = await login(t.url, DEMO.admin);
    tokens.agent = await login(t.url, DEMO.agentL1);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lets only admins set the allowed origins, validates them and audits the change', async () => {
    expect((await api('agent', '/api/admin/widget')).status).toBe(403);
    expect(
      (
        await api('agent', '/api/admin/widget', {
          method: 'PUT',
          body: { allowedOrigins: [SITE], guestChat: true },
        })
      ).status,
    ).toBe(403);
    for (const bad of [
      'https://www.school.example/help',
      '*',
      'ftp://files.example',
      'school.example',
      'https://*.example',
    ]) {
      const res = await api('admin', '/api/admin/widget', {
        method: 'PUT',
        body: { allowedOrigins: [bad], guestChat: true },
      });
      expect(res.status, bad).toBe(400);
      expect(res.body.error.code).toBe('bad_request');
    }
    expect((await api('admin', '/api/admin/widget')).body).toEqual({
      allowedOrigins: [],
      guestChat: true,
      callRequestPriorities: ['P1', 'P2', 'P3'],
    });

    const saved = await api('admin', '/api/admin/widget', {
      method: 'PUT',
      body: { allowedOrigins: [`${SITE}/`, SITE, OTHER_SITE], guestChat: true },
    });
    expect(saved.status).toBe(200);
    expect(saved.body).toEqual({
      allowedOrigins: [SITE, OTHER_SITE],
      guestChat: true,
      callRequestPriorities: ['P1', 'P2', 'P3'],
    });
    const audit = await api('admin', '/api/admin/audit?action=settings.widget.updated');
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0].after).toEqual({
      allowedOrigins: [SITE, OTHER_SITE],
      guestChat: true,
      callRequestPriorities: ['P1', 'P2', 'P3'],
    });
  });

  it('answers CORS for the allowed origins only', async () => {
    const allowed = await fetch(`${t.url}/api/widget/config`, { headers: { origin: SITE } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
    expect(await allowed.json()).toEqual({ guestChat: true });

    const refused = await fetch(`${t.url}/api/widget/config`, {
      headers: { origin: 'https://evil.example' },
    });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(((await refused.json()) as any).error.message).toMatch(/not allowed on https:\/\/evil\.example/);

    const preflight = await fetch(`${t.url}/api/widget/config`, {
      method: 'OPTIONS',
      headers: { origin: OTHER_SITE, 'access-control-request-method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(OTHER_SITE);
    const badPreflight = await fetch(`${t.url}/api/widget/config`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'GET' },
    });
    expect(badPreflight.status).toBe(403);
    expect(badPreflight.headers.get('access-control-allow-origin')).toBeNull();
    // Other APIs answer no CORS to the widget's sites: the iframe calls them from Livedesk's origin.
    const other = await fetch(`${t.url}/api/help/search?q=refund`, { headers: { origin: SITE } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('serves the loader to other sites and the widget page framable by exactly the allowed origins', async () => {
    const loader = await fetch(`${t.url}/widget.js`);
    expect(loader.status).toBe(200);
    expect(loader.headers.get('content-type')).toMatch(/javascript/);
    expect(loader.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(await loader.text()).toContain('/api/widget/config');

    const page = await fetch(`${t.url}/widget?locale=en`);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp.match(/frame-ancestors[^;]*/)?.[0]).toBe(`frame-ancestors ${SITE} ${OTHER_SITE}`);
    expect(page.headers.get('x-frame-options')).toBeNull();
    // The rest of the app still refuses to be framed anywhere else.
    const app = await fetch(`${t.url}/help`);
    expect(app.headers.get('content-security-policy')).toContain("frame-ancestors 'self'");
    expect(app.headers.get('x-frame-options')).toBe('SAMEORIGIN');
  });

  it("keeps refusing sockets from the widget's sites (the iframe connects from Livedesk's own origin)", async () => {
    const attempt = (origin: string) =>
      new Promise<{ socket: ClientSocket; error?: any }>((resolve) => {
        const socket: ClientSocket = connect(t.url, {
          auth: { token: tokens.agent },
          transports: ['websocket'],
          reconnection: false,
          forceNew: true,
          extraHeaders: { origin },
        });
        socket.once('connect', () => resolve({ socket }));
        socket.once('connect_error', (error) => resolve({ socket, error }));
      });
    const site = await attempt(SITE);
    site.socket.close();
    expect(site.error?.data?.code).toBe('forbidden');
    const own = await attempt(new URL(t.url).origin);
    own.socket.close();
    expect(own.error).toBeUndefined();
  });

  it('starts a guest session that sees only its own tickets, and renews it with the refresh token', async () => {
    const bad = await post('/api/widget/guest', { name: '', email: 'not-an-email' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(['email', 'name']);

    const ann = await post('/api/widget/guest', {
      name: 'Ann Guest',
      email: 'ann@visitor.example',
      locale: 'zh-CN',
    });
    expect(ann.status).toBe(201);
    expect(ann.body.user).toMatchObject({ role: 'customer', name: 'Ann Guest', locale: 'zh-CN' });
    expect(ann.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const bob = await post('/api/widget/guest', { name: 'Bob Guest', email: 'bob@visitor.example' });
    tokens.ann = ann.body.token;
    tokens.bob = bob.body.token;

    const created = await api('ann', '/api/tickets', {
      method: 'POST',
      body: {
        subject: 'Where is my certificate?',
        description: 'I finished the course.',
        category: 'course',
        channel: 'chat',
      },
    });
    expect(created.status).toBe(201);
    expect((await api('ann', `/api/tickets/${created.body.id}`)).status).toBe(200);
    expect((await api('bob', `/api/tickets/${created.body.id}`)).status).toBe(404);
    expect((await api('bob', '/api/tickets')).body.items).toEqual([]);
    expect((await api('ann', '/api/tickets')).body.items.map((x: any) => x.id)).toEqual([created.body.id]);
    // Staff pages stay closed to a guest.
    expect((await api('ann', '/api/admin/widget')).status).toBe(403);

    // Nobody knows the guest's password: the e-mail alone signs nobody in.
    const noPassword = await post('/api/auth/login', {
      email: 'ann@visitor.example',
      password: 'ann@visitor.example',
    });
    expect(noPassword.status).toBe(401);

    // An e-mail that has an account is not handed to whoever types it.
    const taken = await post('/api/widget/guest', { name: 'Mallory', email: DEMO.customer });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toMatch(/sign in/i);
    const again = await post('/api/widget/guest', { name: 'Ann again', email: 'ann@visitor.example' });
    expect(again.status).toBe(409);

    const renewed = await post('/api/widget/session/refresh', { refreshToken: ann.body.refreshToken });
    expect(renewed.status).toBe(200);
    expect(renewed.body.user.id).toBe(ann.body.user.id);
    expect(renewed.body.refreshToken).not.toBe(ann.body.refreshToken);
    tokens.annRenewed = renewed.body.token;
    expect((await api('annRenewed', `/api/tickets/${created.body.id}`)).status).toBe(200);
    const malformed = await post('/api/widget/session/refresh', { refreshToken: 'x' });
    expect(malformed.status).toBe(400);
  });

  it('signs customers in inside the widget but not staff', async () => {
    const customer = await post('/api/widget/session', {
      email: DEMO.customer,
      password: 'demo-password-for-tests',
    });
    expect(customer.status).toBe(201);
    expect(customer.body.user.role).toBe('customer');
    expect(customer.body.refreshToken).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const staff = await post('/api/widget/session', {
      email: DEMO.agentL1,
      password: 'demo-password-for-tests',
    });
    expect(staff.status).toBe(403);
    const wrong = await post('/api/widget/session', { email: DEMO.customer, password: 'wrong-password' });
    expect(wrong.status).toBe(401);
  });

  it('refuses guests while guest chat is off, and changes nothing', async () => {
    await api('admin', '/api/admin/widget', {
      method: 'PUT',
      body: { allowedOrigins: [SITE], guestChat: false },
    });
    const refused = await post('/api/widget/guest', { name: 'Cat', email: 'cat@visitor.example' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/guest chat is turned off/i);
    const config = await fetch(`${t.url}/api/widget/config`, { headers: { origin: SITE } });
    expect(await config.json()).toEqual({ guestChat: false });
    // Cat has no account: turning guest chat on again lets the same e-mail in.
    await api('admin', '/api/admin/widget', {
      method: 'PUT',
      body: { allowedOrigins: [SITE], guestChat: true },
    });
    expect((await post('/api/widget/guest', { name: 'Cat', email: 'cat@visitor.example' })).status).toBe(201);
  });
});
