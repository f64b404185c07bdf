import fs from 'node:fs';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RETRY_DELAYS_MS } from '../../server/mail/outbox';
import { BACKENDS } from '../helpers/database';
import { ManualClock } from '../helpers/manualClock';
import { linkIn, startSmtpServer } from '../helpers/smtp';
import { connectSocket } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const MINUTE = 60_000;
// Passes the password policy: long, unguessable, nothing of the account's name or address.
const NEW_PASSWORD = 'amber-lantern-orbit-4471';

async function post(url: string, body: unknown, token?: string) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as any, headers: res.headers };
}

// Mail as a customer and an administrator meet it, sent through a real SMTP server started here:
// password reset (single use, expiry on the clock, specific refusals, sessions ended), invitations,
// the reply notice (only while away, coalesced), the CSAT question by mail, sign-up on and off.
describe.each(BACKENDS)('mail and account flows on %s', (backend) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
  const clock = new ManualClock();
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);

  beforeAll(async () => {
    smtp = await startSmtpServer();
    t = await startTestApp({
      backend,
      clock,
      env: { SMTP_URL: smtp.url, MAIL_FROM: 'Desk <desk@example.com>', REPLY_MAIL_COALESCE_MINUTES: '10' },
    });
    for (const [who, email] of Object.entries(DEMO)) {
      tokens[who] = await login(t.url, email);
      ids[who] = (await api<{ id: string }>(who, '/api/auth/me')).body.id;
    }
  });

  afterAll(async () => {
    await t?.close();
    await smtp?.close();
  });

  afterEach(async () => {
    // Every test takes each mail it caused: a stray one would be read by the next test.
    await t.app.customerMail.idle();
    await t.app.mail.outbox.idle();
    expect(smtp.unread(), 'mails no test read').toBe(0);
  });

  /** Moves time on; access tokens age on the same clock, so everyone signs in again. */
  async function advance(ms: number) {
    clock.advance(ms);
    for (const [who, email] of Object.entries(DEMO)) tokens[who] = await login(t.url, email);
  }

  /** Another customer, so tests that change a password do not disturb the demo customer. */
  async function newCustomer(name: string, locale: 'en' | 'zh-CN' = 'en') {
    const email = `${name.toLowerCase().replace(/\W+/g, '.')}-${backend}-${Date.now()}@example.com`;
    const user = await t.app.users.create({
      email,
      name,
      password: NEW_PASSWORD,
      role: 'customer',
      skills: [],
      locale,
    });
    return { ...user, token: await login(t.url, email, NEW_PASSWORD) };
  }

  async function requestReset(email: string) {
    const res = await post(`${t.url}/api/auth/password/forgot`, { email });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ accepted: true });
  }

  it('mails a reset link that works once, ends the old sessions, and refuses a used or unknown token', async () => {
    const ana = await newCustomer('Ana Lima');
    await requestReset(ana.email.toUpperCase());
    const mail = await smtp.next();
    expect(mail.to).toEqual([ana.email]);
    expect(mail.from).toBe('desk@example.com');
    expect(mail.subject).toBe('Reset your Livedesk password');
    expect(mail.text).toContain('Hello Ana Lima,');
    expect(mail.html).toContain('Choose a new password');
    const link = linkIn(mail, '/reset-password');
    expect(link.origin).toBe(t.url);
    const token = link.searchParams.get('token')!;

    const inspected = await post(`${t.url}/api/auth/links/inspect`, { purpose: 'password_reset', token });
    expect(inspected.status).toBe(200);
    expect(inspected.body.email).toBe(ana.email);
    // The token is for resets only.
    expect((await post(`${t.url}/api/auth/links/inspect`, { purpose: 'invitation', token })).status).toBe(
      404,
    );

    // A password the policy refuses leaves the link usable.
    const weak = await post(`${t.url}/api/auth/password/reset`, { token, password: 'password123' });
    expect(weak.status).toBe(400);
    expect(weak.body.error.code).toBe('bad_request');

    const chosen = 'copper-meadow-fjord-2290';
    const reset = await post(`${t.url}/api/auth/password/reset`, { token, password: chosen });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({ email: ana.email });

    // The session signed in before the reset is over; the old password no longer works.
    expect(
      (await fetch(`${t.url}/api/auth/me`, { headers: { authorization: `Bearer ${ana.token}` } })).status,
    ).toBe(401);
    expect((await post(`${t.url}/api/auth/login`, { email: ana.email, password: NEW_PASSWORD })).status).toBe(
      401,
    );
    expect((await post(`${t.url}/api/auth/login`, { email: ana.email, password: chosen })).status).toBe(200);

    const again = await post(`${t.url}/api/auth/password/reset`, {
      token,
      password: 'another-quiet-river-8812',
    });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('link_used');
    const forged = await post(`${t.url}/api/auth/password/reset`, {
      token: `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`,
      password: 'another-quiet-river-8812',
    });
    expect(forged.status).toBe(404);
    expect(forged.body.error.code).toBe('not_found');
    const malformed = await post(`${t.url}/api/auth/password/reset`, {
      token: 'x',
      password: 'another-quiet-river-8812',
    });
    expect(malformed.status).toBe(404);
    const empty = await post(`${t.url}/api/auth/password/reset`, {
      token: '',
      password: 'another-quiet-river-8812',
    });
    expect(empty.status).toBe(400);
  });

  it('answers an unknown address exactly like a known one and sends nothing', async () => {
    const unknown = await post(`${t.url}/api/auth/password/forgot`, {
      email: `nobody-${backend}@example.com`,
    });
    expect(unknown.status).toBe(202);
    expect(unknown.body).toEqual({ accepted: true });
    // The next mail to arrive is the one asked for afterwards: nothing went to the unknown address.
    const bo = await newCustomer('Bo Chen');
    await requestReset(bo.email);
    expect((await smtp.next()).to).toEqual([bo.email]);
  });

  it('expires the reset link on the clock (410 link_expired), and only the newest link works', async () => {
    const cy = await newCustomer('Cy Park');
    await requestReset(cy.email);
    const first = linkIn(await smtp.next(), '/reset-password').searchParams.get('token')!;
    await requestReset(cy.email);
    const second = linkIn(await smtp.next(), '/reset-password').searchParams.get('token')!;
    const replaced = await post(`${t.url}/api/auth/password/reset`, {
      token: first,
      password: `${NEW_PASSWORD}x`,
    });
    expect(replaced.status).toBe(410);
    expect(replaced.body.error.code).toBe('link_used');

    await advance(61 * MINUTE);
    const late = await post(`${t.url}/api/auth/password/reset`, {
      token: second,
      password: 'late-sparrow-canyon-5521',
    });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('link_expired');
    expect(
      (await post(`${t.url}/api/auth/links/inspect`, { purpose: 'password_reset', token: second })).body.error
        .code,
    ).toBe('link_expired');
  });

  it('limits reset requests per e-mail address with 429 and Retry-After', async () => {
    const email = `flood-${backend}@example.com`;
    for (let i = 0; i < 3; i++)
      expect((await post(`${t.url}/api/auth/password/forgot`, { email })).status).toBe(202);
    const limited = await post(`${t.url}/api/auth/password/forgot`, { email });
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await post(`${t.url}/api/auth/password/forgot`, { email: 'not-an-address' })).status).toBe(400);
  });

  it('invites an account in its own language; the link sets the password once; only admins invite', async () => {
    const invited = await t.app.users.create({
      email: `li.wei-${backend}@example.com`,
      name: '李伟',
      password: 'placeholder-unknown-to-anyone-8834',
      role: 'agent',
      tier: 'L2',
      skills: [],
      locale: 'zh-CN',
    });
    for (const who of ['agentL1', 'supervisor', 'customer'] as const) {
      expect((await api(who, `/api/users/${invited.id}/invitation`, { method: 'POST' })).status).toBe(403);
    }
    const sent = await api<{ expiresAt: string }>('admin', `/api/users/${invited.id}/invitation`, {
      method: 'POST',
    });
    expect(sent.status).toBe(202);
    expect(new Date(sent.body.expiresAt).getTime() - clock.now().getTime()).toBeGreaterThan(
      167 * 60 * MINUTE,
    );
    const mail = await smtp.next();
    expect(mail.to).toEqual([invited.email]);
    expect(mail.subject).toContain('邀请您加入 Livedesk');
    expect(mail.text).toContain('李伟，您好');
    const token = linkIn(mail, '/accept-invitation').searchParams.get('token')!;
    // An invitation is not a reset link.
    expect((await post(`${t.url}/api/auth/password/reset`, { token, password: NEW_PASSWORD })).status).toBe(
      404,
    );
    const accepted = await post(`${t.url}/api/auth/invitation/accept`, { token, password: NEW_PASSWORD });
    expect(accepted.status).toBe(200);
    expect(
      (await post(`${t.url}/api/auth/login`, { email: invited.email, password: NEW_PASSWORD })).status,
    ).toBe(200);
    expect(
      (await post(`${t.url}/api/auth/invitation/accept`, { token, password: NEW_PASSWORD })).body.error.code,
    ).toBe('link_used');
    expect(
      (await api('admin', '/api/users/00000000-0000-4000-8000-000000000000/invitation', { method: 'POST' }))
        .status,
    ).toBe(404);
  });

  it('mails an away customer about a public reply, once per window, and not while connected', async () => {
    const dee = await newCustomer('Dee Moss');
    tokens.dee = dee.token;
    const ticket = await api<{ id: string; number: number }>('dee', '/api/tickets', {
      method: 'POST',
      body: { subject: 'Video stops after a minute', description: 'It stops.', category: 'technical' },
    });
    expect(ticket.status).toBe(201);
    let n = 0;
    const reply = async (who: string, body: string, internal = false) => {
      const res = await api(who, `/api/tickets/${ticket.body.id}/messages`, {
        method: 'POST',
        body: { body, internal, clientMessageId: `m-${backend}-${++n}` },
      });
      expect(res.status).toBe(201);
      await t.app.customerMail.idle();
    };

    await reply('agentL1', 'Which browser do you use?');
    const mail = await smtp.next();
    expect(mail.to).toEqual([dee.email]);
    expect(mail.subject).toBe(`[Livedesk #${ticket.body.number}] New reply: Video stops after a minute`);
    expect(mail.text).toContain('> Which browser do you use?');
    expect(linkIn(mail, `/tickets/${ticket.body.id}`).pathname).toBe(`/tickets/${ticket.body.id}`);

    // A burst within the window: no further mail. Internal notes and the customer's own words never mail.
    await reply('agentL1', 'And which version?');
    await reply('agentL1', 'Internal: check the CDN', true);
    await reply('dee', 'Chrome 120');

    // Connected (a tab open): nothing is mailed, even after the window.
    await advance(11 * MINUTE);
    tokens.dee = await login(t.url, dee.email, NEW_PASSWORD);
    const socket = await connectSocket(t.url, await login(t.url, dee.email, NEW_PASSWORD));
    try {
      await reply('agentL1', 'Thanks, looking into it.');
    } finally {
      socket.close();
    }
    await expect
      .poll(() =>
        t.app.io
          .in(`user:${dee.id}`)
          .fetchSockets()
          .then((s) => s.length),
      )
      .toBe(0);

    // Away again, past the window: the next reply mails, and it is the next mail to arrive.
    await reply('agentL1', 'Fixed: please try again.');
    const later = await smtp.next();
    expect(later.to).toEqual([dee.email]);
    expect(later.text).toContain('> Fixed: please try again.');
    expect(smtp.received.filter((m) => m.to.includes(dee.email))).toHaveLength(2);
  });

  it('asks an away customer for the CSAT rating by mail when the ticket is solved', async () => {
    const eve = await newCustomer('Eve Ng', 'zh-CN');
    tokens.eve = eve.token;
    const ticket = await api<{ id: string; number: number }>('eve', '/api/tickets', {
      method: 'POST',
      body: { subject: '无法播放课程视频', description: '视频加载失败', category: 'technical' },
    });
    const solved = await api('agentL1', `/api/tickets/${ticket.body.id}`, {
      method: 'PATCH',
      body: { status: 'solved' },
    });
    expect(solved.status).toBe(200);
    await t.app.customerMail.idle();
    const mail = await smtp.next();
    expect(mail.to).toEqual([eve.email]);
    expect(mail.subject).toBe(`[Livedesk #${ticket.body.number}] 请评价我们的服务`);
    const link = linkIn(mail, '/rate#');
    expect(link.pathname).toBe('/rate');
    const token = link.hash.slice(1);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(mail.text).toContain('无需登录');

    const redeem = (body: unknown) => post(`${t.url}/api/csat/survey-links/redeem`, body);
    const rate = (body: unknown) => post(`${t.url}/api/csat/survey-links/rating`, body);
    // A forged link is unknown; a malformed body is a 400. Neither uses the real link up.
    const forged = await redeem({ token: 'A'.repeat(43) });
    expect(forged.status).toBe(404);
    expect(forged.body.error.code).toBe('not_found');
    expect((await redeem({ token: 42 })).status).toBe(400);

    // Opened without signing in: the ticket and an access token for its rating only.
    const opened = await redeem({ token });
    expect(opened.status, JSON.stringify(opened.body)).toBe(200);
    expect(opened.body).toMatchObject({
      ticket: { id: ticket.body.id, number: ticket.body.number, subject: '无法播放课程视频' },
      state: { eligible: true, rating: null },
    });
    const access = opened.body.access as string;
    // Bad input changes nothing; the token opens no other ticket.
    expect((await rate({ access, ticketId: ticket.body.id, score: 6 })).status).toBe(400);
    const other = await api<{ id: string }>('customer', '/api/tickets', {
      method: 'POST',
      body: { subject: 'Another ticket', description: 'Not Eve’s', category: 'account' },
    });
    expect(other.status).toBe(201);
    const elsewhere = await rate({ access, ticketId: other.body.id, score: 1 });
    expect(elsewhere.status).toBe(401);
    expect(elsewhere.body.error.code).toBe('unauthenticated');
    expect((await rate({ access: 'forged', ticketId: ticket.body.id, score: 1 })).status).toBe(401);
    expect((await api('eve', `/api/tickets/${ticket.body.id}/csat`)).body).toMatchObject({ rating: null });

    const rated = await rate({ access, ticketId: ticket.body.id, score: 4, comment: '老师很耐心' });
    expect(rated.status, JSON.stringify(rated.body)).toBe(201);
    expect(rated.body).toMatchObject({ ticketId: ticket.body.id, score: 4, comment: '老师很耐心' });
    // The same answer the customer sees signed in; changeable from the page while it is open.
    expect((await rate({ access, ticketId: ticket.body.id, score: 5 })).body.score).toBe(5);
    expect((await api('eve', `/api/tickets/${ticket.body.id}/csat`)).body).toMatchObject({
      rating: { score: 5 },
    });

    // The link worked once: opening it again is a 410 that says so.
    const again = await redeem({ token });
    expect(again.status).toBe(410);
    expect(again.body.error.code).toBe('link_used');
  });

  it('expires the CSAT survey link after 14 days (410 link_expired)', async () => {
    const finn = await newCustomer('Finn Ode');
    tokens.finn = finn.token;
    const ticket = await api<{ id: string }>('finn', '/api/tickets', {
      method: 'POST',
      body: { subject: 'Invoice address', description: 'Please change it', category: 'account' },
    });
    expect(ticket.status).toBe(201);
    await api('agentL1', `/api/tickets/${ticket.body.id}`, { method: 'PATCH', body: { status: 'solved' } });
    await t.app.customerMail.idle();
    const token = linkIn(await smtp.next(), '/rate#').hash.slice(1);
    await advance(14 * 24 * 60 * MINUTE + MINUTE);
    const late = await post(`${t.url}/api/csat/survey-links/redeem`, { token });
    expect(late.status).toBe(410);
    expect(late.body.error.code).toBe('link_expired');
  });

  it('turns customer sign-up on and off (admins only) and refuses sign-up while off', async () => {
    const anon = async () => (await fetch(`${t.url}/api/auth/signup`)).json();
    expect(await anon()).toEqual({ enabled: true });
    const email = `signup-${backend}@example.com`;
    const created = await post(`${t.url}/api/auth/signup`, {
      email,
      name: 'Fay Sun',
      password: NEW_PASSWORD,
      locale: 'zh-CN',
    });
    expect(created.status).toBe(201);
    // The language asked for on the form is the customer's choice: every device opens in it.
    expect(created.body.user).toMatchObject({ email, role: 'customer', locale: 'zh-CN', localeChosen: true });
    expect(created.headers.get('set-cookie')).toContain('HttpOnly');
    expect(
      (await post(`${t.url}/api/auth/signup`, { email, name: 'Fay Sun', password: NEW_PASSWORD })).status,
    ).toBe(409);
    const weak = await post(`${t.url}/api/auth/signup`, {
      email: `weak-${email}`,
      name: 'W',
      password: 'password1234',
    });
    expect(weak.status).toBe(400);
    // Nobody picks their own role.
    expect(
      (
        await post(`${t.url}/api/auth/signup`, {
          email: `r-${email}`,
          name: 'R',
          password: NEW_PASSWORD,
          role: 'admin',
        })
      ).status,
    ).toBe(400);

    for (const who of ['agentL1', 'supervisor', 'qa', 'customer'] as const) {
      expect(
        (await api(who, '/api/settings/signup', { method: 'PUT', body: { enabled: false } })).status,
      ).toBe(403);
    }
    const unsigned = await fetch(`${t.url}/api/settings/signup`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ enabled: false }),
    });
    expect(unsigned.status).toBe(401);
    expect(
      (await api('admin', '/api/settings/signup', { method: 'PUT', body: { enabled: 'no' } })).status,
    ).toBe(400);
    expect(await anon()).toEqual({ enabled: true });

    expect(
      (await api('admin', '/api/settings/signup', { method: 'PUT', body: { enabled: false } })).body,
    ).toEqual({
      enabled: false,
    });
    expect(await anon()).toEqual({ enabled: false });
    const refused = await post(`${t.url}/api/auth/signup`, {
      email: `late-${email}`,
      name: 'Gus',
      password: NEW_PASSWORD,
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('forbidden');
    expect(
      (await api('admin', '/api/settings/signup', { method: 'PUT', body: { enabled: true } })).status,
    ).toBe(200);
  });

  it('keeps a mail the SMTP server could not take and delivers it on the retry', async () => {
    // The provider is down: the request that caused the mail still succeeds at once.
    await smtp.close();
    const gus = await newCustomer('Gus Orr');
    await requestReset(gus.email);
    await t.app.mail.outbox.idle();
    const [row] = (await t.app.mail.outbox.recent(5)).filter((r) => r.recipient === gus.email);
    expect(row).toMatchObject({ attempts: 1, sentAt: null, failedAt: null });
    expect(row!.lastError).toBeTruthy();

    // Back up on the same address; the retry is due 30 s later on the clock.
    smtp = await startSmtpServer(smtp.port);
    clock.advance(30_000);
    const mail = await smtp.next();
    expect(mail.to).toEqual([gus.email]);
    await t.app.mail.outbox.idle();
    const [sent] = (await t.app.mail.outbox.recent(5)).filter((r) => r.id === row!.id);
    expect(sent).toMatchObject({ attempts: 2, failedAt: null });
    expect(sent!.sentAt).toBeInstanceOf(Date);
  });

  it('shows admins the outbox by state and retries a failed mail once more, audited', async () => {
    type Page = {
      items: Array<Record<string, any>>;
      total: number;
      delivery: { kind: string; folder: null };
    };
    const outbox = (who: string, query = '') => api<Page>(who, `/api/admin/mail${query}`);
    // The provider stays down through every retry: the mail is given up.
    await smtp.close();
    const hal = await newCustomer('Hal Park');
    await requestReset(hal.email);
    await t.app.mail.outbox.idle();
    for (const delay of RETRY_DELAYS_MS) {
      await advance(delay);
      await t.app.mail.outbox.idle();
    }
    const failed = await outbox('admin', '?state=failed');
    expect(failed.status).toBe(200);
    expect(failed.body.delivery).toEqual({ kind: 'smtp', folder: null });
    const mine = failed.body.items.find((m) => m.to === hal.email);
    expect(mine).toMatchObject({
      kind: 'password_reset',
      state: 'failed',
      attempts: RETRY_DELAYS_MS.length + 1,
    });
    expect(mine!.lastError).toBeTruthy();
    // Mail bodies carry reset links: the list never shows them.
    expect(mine).not.toHaveProperty('text');
    expect((await outbox('admin', '?state=sent')).body.items.some((m) => m.id === mine!.id)).toBe(false);
    const sentOne = (await outbox('admin', '?state=sent&limit=1')).body;
    expect(sentOne.items).toHaveLength(1);
    expect(sentOne.total).toBeGreaterThan(1);
    expect(sentOne.items[0]!.state).toBe('sent');

    // Only admins; bad filters and ids are refused; a sent mail is not retried.
    expect((await outbox('supervisor')).status).toBe(403);
    expect((await outbox('admin', '?state=lost')).status).toBe(400);
    expect((await outbox('admin', '?limit=0')).status).toBe(400);
    const retry = (who: string, id: string) => api(who, `/api/admin/mail/${id}/retry`, { method: 'POST' });
    expect((await retry('agentL1', mine!.id)).status).toBe(403);
    expect((await retry('admin', 'not-a-uuid')).status).toBe(400);
    expect((await retry('admin', '00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await retry('admin', sentOne.items[0]!.id)).status).toBe(409);

    // Back up: the retry sends it now.
    smtp = await startSmtpServer(smtp.port);
    const retried = await retry('admin', mine!.id);
    expect(retried.status).toBe(200);
    expect(retried.body).toMatchObject({ id: mine!.id, state: 'queued' });
    expect((await smtp.next()).to).toEqual([hal.email]);
    await t.app.mail.outbox.idle();
    const after = (await outbox('admin', '?state=sent')).body.items.find((m) => m.id === mine!.id);
    expect(after).toMatchObject({ state: 'sent', attempts: RETRY_DELAYS_MS.length + 2 });
    expect((await retry('admin', mine!.id)).status).toBe(409);

    const audit = await api<{ items: Array<Record<string, any>> }>(
      'admin',
      `/api/admin/audit?action=mail.retried&targetId=${mine!.id}`,
    );
    expect(audit.body.items).toHaveLength(1);
    expect(audit.body.items[0]).toMatchObject({
      actor: { id: ids.admin },
      targetType: 'mail',
      before: { state: 'failed', to: hal.email },
      after: { state: 'queued' },
    });
  });
});

describe('mail without SMTP (the embedded default)', () => {
  it('writes each mail as a readable .eml file into DATA_DIR/mail', async () => {
    const t = await startTestApp();
    try {
      const res = await post(`${t.url}/api/auth/password/forgot`, { email: DEMO.customer });
      expect(res.status).toBe(202);
      const dir = path.join(t.app.config.dataDir, 'mail');
      await expect
        .poll(() => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.eml')) : []).length)
        .toBe(1);
      const [file] = fs.readdirSync(dir).filter((f) => f.endsWith('.eml'));
      const parsed = await simpleParser(fs.readFileSync(path.join(dir, file!)));
      expect(parsed.subject).toBe('Reset your Livedesk password');
      expect(parsed.text).toContain(`${t.url}/reset-password?token=`);
      expect(fs.readFileSync(path.join(dir, file!), 'utf8')).toContain('To: customer@demo.livedesk');
      // The outbox screen tells admins where the files are, and that this mail was written there.
      const admin = await login(t.url, DEMO.admin);
      const res2 = await fetch(`${t.url}/api/admin/mail`, { headers: { authorization: `Bearer ${admin}` } });
      const page = (await res2.json()) as { items: Array<{ state: string }>; delivery: unknown };
      expect(page.delivery).toEqual({ kind: 'folder', folder: dir });
      expect(page.items[0]).toMatchObject({ state: 'sent', kind: 'password_reset' });
    } finally {
      await t.close();
    }
  });
});
