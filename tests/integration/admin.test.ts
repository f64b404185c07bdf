import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BACKENDS } from '../helpers/database';
import { type ClientSocket, connectSocket } from '../helpers/sockets';
import { DEMO, DEMO_PASSWORD, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const NON_ADMINS = ['customer', 'agentL1', 'supervisor', 'qa'] as const;

/** A value for a path parameter that parses (so a refusal is about access, not validation). */
const paramValue = (name: string) => (name === 'id' ? randomUUID() : 'x');

describe.each(BACKENDS)('administration and the audit log on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const sockets: ClientSocket[] = [];

  async function audit(query: string) {
    const res = await api('admin', `/api/admin/audit?${query}`);
    expect(res.status).toBe(200);
    return res.body as { items: any[]; total: number };
  }

  async function userId(email: string): Promise<string> {
    const res = await api('admin', `/api/admin/users?q=${encodeURIComponent(email)}`);
    return res.body.items[0].id;
  }

  beforeAll(async () => {
    t = await startTestApp({ backend });
    for (const [who, email] of Object.entries(DEMO)) tokens[who] = await login(t.url, email);
  });
  afterEach(() => {
    for (const s of sockets.splice(0)) s.disconnect();
  });
  afterAll(() => t?.close());

  it('refuses every /api/admin route to each non-admin role (403) and to anonymous callers (401)', async () => {
    const doc = (await (await fetch(`${t.url}/api/openapi.json`)).json()) as any;
    const operations = Object.entries(doc.paths as Record<string, Record<string, any>>)
      .filter(([path]) => path.startsWith('/api/admin/'))
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ path, method })));
    // The table must really contain the admin area, or this loop proves nothing.
    expect(operations.length).toBeGreaterThanOrEqual(9);
    for (const { path, method } of operations) {
      expect(doc.paths[path][method]['x-livedesk-access']).toEqual(['admin']);
      const url = path.replace(/\{(\w+)\}/g, (_m, name: string) => paramValue(name));
      for (const who of NON_ADMINS) {
        const res = await api(who, url, {
          method: method.toUpperCase(),
          body: method === 'get' ? undefined : {},
        });
        expect([who, method, path, res.status]).toEqual([who, method, path, 403]);
      }
      const anonymous = await fetch(`${t.url}${url}`, {
        method: method.toUpperCase(),
        headers: { 'content-type': 'application/json' },
        body: method === 'get' ? undefined : '{}',
      });
      expect([method, path, anonymous.status]).toEqual([method, path, 401]);
    }
  });

  it('creates an L2 agent with skills and languages, finds it by search, and audits the creation', async () => {
    const email = `li.na.${backend}@example.com`;
    const created = await api('admin', '/api/admin/users', {
      method: 'POST',
      body: {
        email,
        name: '李娜',
        password: 'a-long-and-unusual-passphrase',
        role: 'agent',
        tier: 'L2',
        skills: ['video', 'network'],
        languages: ['zh-CN', 'en'],
        locale: 'zh-CN',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body.invited).toBe(false);
    expect(created.body.user).toMatchObject({
      role: 'agent',
      tier: 'L2',
      languages: ['zh-CN', 'en'],
      disabled: false,
    });
    expect(created.body.user.passwordHash).toBeUndefined();
    expect((await login(t.url, email, 'a-long-and-unusual-passphrase')).length).toBeGreaterThan(10);

    const found = await api('admin', '/api/admin/users?q=李&role=agent');
    expect(found.body.items.map((u: any) => u.email)).toEqual([email]);
    expect(found.body.total).toBe(1);

    const log = await audit(`targetType=user&targetId=${created.body.user.id}`);
    expect(log.items).toHaveLength(1);
    expect(log.items[0]).toMatchObject({
      action: 'user.created',
      actor: { email: DEMO.admin },
      before: null,
      after: { email, role: 'agent', tier: 'L2', skills: ['video', 'network'], languages: ['zh-CN', 'en'] },
    });
    expect(log.items[0].requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(JSON.stringify(log.items[0])).not.toContain('passwordHash');
  });

  it('invites an account without a password and sends a reset link on request, both mailed and audited', async () => {
    const email = `invited.${backend}@example.com`;
    const created = await api('admin', '/api/admin/users', {
      method: 'POST',
      body: { email, name: 'Invited Agent', role: 'agent', tier: 'L1', locale: 'zh-CN' },
    });
    expect(created.status).toBe(201);
    expect(created.body.invited).toBe(true);
    const id = created.body.user.id;
    const reset = await api('admin', `/api/admin/users/${id}/password-reset`, { method: 'POST', body: {} });
    expect(reset.status).toBe(202);
    const mails = await t.app.db.db.execute(
      sql`select kind, text_body from mail_outbox where recipient = ${email} order by created_at`,
    );
    const rows = ((mails as any).rows ?? mails) as Array<{ kind: string; text_body: string }>;
    expect(rows.map((r) => r.kind)).toEqual(['invitation', 'password_reset']);
    expect(rows[0]!.text_body).toContain('/accept-invitation?token=');
    expect(rows[1]!.text_body).toContain('/reset-password?token=');
    const actions = (await audit(`targetId=${id}`)).items.map((e) => e.action);
    expect(actions).toEqual(['user.password_reset_sent', 'user.invited']);
  });

  it('edits role, tier, skills and languages with before/after in the audit log', async () => {
    const id = await userId(DEMO.agentL2);
    const res = await api('admin', `/api/admin/users/${id}`, {
      method: 'PATCH',
      body: { tier: 'L3', skills: ['network'], languages: ['en'] },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tier: 'L3', skills: ['network'], languages: ['en'] });
    const [entry] = (await audit(`action=user.updated&targetId=${id}`)).items;
    expect(entry.before).toMatchObject({
      tier: 'L2',
      skills: ['video', 'network', 'browser'],
      languages: [],
    });
    expect(entry.after).toMatchObject({ tier: 'L3', skills: ['network'], languages: ['en'] });
    // Back as it was, for the other tests; that is a change of its own.
    await api('admin', `/api/admin/users/${id}`, {
      method: 'PATCH',
      body: { tier: 'L2', skills: ['video', 'network', 'browser'], languages: [] },
    });
    expect((await audit(`action=user.updated&targetId=${id}`)).total).toBe(2);
  });

  it('refuses invalid input with specific 4xx and changes nothing (no audit entry either)', async () => {
    const id = await userId(DEMO.agentL1);
    const before = await api('admin', `/api/admin/users/${id}`);
    const auditBefore = (await audit('')).total;
    const cases: Array<[string, string, unknown, number, string?]> = [
      ['PATCH', `/api/admin/users/${id}`, { role: 'supervisor', tier: 'L2' }, 400, 'tier'],
      ['PATCH', `/api/admin/users/${id}`, { skills: ['not a skill!'] }, 400, 'skills.0'],
      ['PATCH', `/api/admin/users/${id}`, { languages: ['english please'] }, 400, 'languages.0'],
      ['PATCH', `/api/admin/users/${id}`, { wizard: true }, 400],
      ['PATCH', `/api/admin/users/${id}`, {}, 400],
      ['PATCH', `/api/admin/users/${randomUUID()}`, { name: 'Nobody' }, 404],
      ['PATCH', `/api/admin/users/${await userId(DEMO.admin)}`, { disabled: true }, 409],
      [
        'POST',
        '/api/admin/users',
        { email: DEMO.qa, name: 'Again', password: 'another-long-passphrase', role: 'qa' },
        409,
      ],
      [
        'POST',
        '/api/admin/users',
        { email: 'x@example.com', name: 'X', password: 'another-long-passphrase', role: 'agent' },
        400,
        'tier',
      ],
      [
        'PATCH',
        '/api/admin/settings',
        { routing: { bySkills: true, byLoad: true, maxOpenPerAgent: 0 } },
        400,
        'routing.maxOpenPerAgent',
      ],
      [
        'PATCH',
        '/api/admin/settings',
        {
          recordingPolicy: { autoPriorities: ['P9'], autoTiers: [], requireConsent: true, retentionDays: 30 },
        },
        400,
      ],
      ['PUT', '/api/admin/demo', { enabled: 'no' }, 400, 'enabled'],
    ];
    for (const [method, path, body, status, field] of cases) {
      const res = await api('admin', path, { method, body });
      expect([method, path, JSON.stringify(body), res.status]).toEqual([
        method,
        path,
        JSON.stringify(body),
        status,
      ]);
      if (field) expect(res.body.error.details.map((d: any) => d.path)).toContain(field);
    }
    expect((await api('admin', `/api/admin/users/${id}`)).body).toEqual(before.body);
    expect((await audit('')).total).toBe(auditBefore);
  });

  it('disabling a user ends their open sockets at once and is audited; re-enabling lets them in again', async () => {
    const token = await login(t.url, DEMO.customer);
    const socket = await connectSocket(t.url, token);
    sockets.push(socket);
    const ended = new Promise<string>((resolve) => {
      let reason = '';
      socket.once('session:ended', (p) => {
        reason = p.reason;
      });
      socket.once('disconnect', (why) => resolve(`${reason}|${why}`));
    });
    const id = await userId(DEMO.customer);
    const res = await api('admin', `/api/admin/users/${id}`, { method: 'PATCH', body: { disabled: true } });
    expect(res.status).toBe(200);
    expect(res.body.disabled).toBe(true);
    expect(await ended).toBe('revoked|io server disconnect');
    const refused = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.customer, password: DEMO_PASSWORD }),
    });
    expect(refused.status).toBe(401);
    const [entry] = (await audit(`action=user.disabled&targetId=${id}`)).items;
    expect(entry.before.disabledAt).toBeNull();
    expect(entry.after.disabledAt).toEqual(expect.any(String));

    expect(
      (await api('admin', `/api/admin/users/${id}`, { method: 'PATCH', body: { disabled: false } })).status,
    ).toBe(200);
    expect((await audit(`action=user.enabled&targetId=${id}`)).total).toBe(1);
    tokens.customer = await login(t.url, DEMO.customer);
    expect((await api('admin', '/api/admin/users?status=disabled')).body.total).toBe(0);
  });

  it('audits routing, SLA (with holidays) and recording policy changes, each with before and after', async () => {
    const current = (await api('admin', '/api/admin/settings')).body;
    expect(current.routing).toEqual({ bySkills: true, byLoad: true, maxOpenPerAgent: null });
    const sla = {
      ...current.slaPolicy,
      warnAtFraction: 0.75,
      businessHours: {
        timeZone: 'Asia/Shanghai',
        weekly: { '1': [{ start: '09:00', end: '18:00' }], '2': [{ start: '09:00', end: '18:00' }] },
        holidays: ['2027-01-01', '2027-02-17'],
      },
    };
    const res = await api('admin', '/api/admin/settings', {
      method: 'PATCH',
      body: {
        autoAssign: false,
        routing: { bySkills: false, byLoad: true, maxOpenPerAgent: 5 },
        slaPolicy: sla,
        recordingPolicy: { ...current.recordingPolicy, autoPriorities: ['P1', 'P2'], retentionDays: 30 },
      },
    });
    expect(res.status).toBe(200);
    expect(res.body.slaPolicy.businessHours.holidays).toEqual(['2027-01-01', '2027-02-17']);
    // The staff-wide settings read shows the same, so ticket views and the SLA monitor use it.
    expect((await api('agentL1', '/api/settings')).body.routing.maxOpenPerAgent).toBe(5);

    const [routing] = (await audit('action=settings.routing.updated')).items;
    expect(routing.before).toEqual({ autoAssign: true, routing: current.routing });
    expect(routing.after).toEqual({
      autoAssign: false,
      routing: { bySkills: false, byLoad: true, maxOpenPerAgent: 5 },
    });
    const [policy] = (await audit('action=settings.sla_policy.updated')).items;
    expect(policy.before.warnAtFraction).toBe(current.slaPolicy.warnAtFraction);
    expect(policy.after.businessHours.holidays).toEqual(['2027-01-01', '2027-02-17']);
    const [recording] = (await audit('action=settings.recording_policy.updated')).items;
    expect(recording.before.retentionDays).toBe(current.recordingPolicy.retentionDays);
    expect(recording.after).toMatchObject({ autoPriorities: ['P1', 'P2'], retentionDays: 30 });
    // The prefix filter finds all three; an unchanged save writes nothing.
    expect((await audit('action=settings.')).total).toBe(3);
    await api('admin', '/api/admin/settings', {
      method: 'PATCH',
      body: { recordingPolicy: res.body.recordingPolicy },
    });
    expect((await audit('action=settings.')).total).toBe(3);
    // Supervisors still change settings through /api/settings; audited as themselves.
    await api('supervisor', '/api/settings', { method: 'PATCH', body: { autoAssign: true } });
    const [bySupervisor] = (await audit('action=settings.routing.updated')).items;
    expect(bySupervisor.actor.email).toBe(DEMO.supervisor);
  });

  it('the demo switch disables every demo account, signs them out, hides the hint, and is audited', async () => {
    expect((await api('admin', '/api/admin/demo')).body).toEqual({ enabled: true, accounts: 6 });
    // From the demo admin account itself the switch would lock everybody out: refused.
    const fromDemo = await api('admin', '/api/admin/demo', { method: 'PUT', body: { enabled: false } });
    expect(fromDemo.status).toBe(409);
    const owner = `owner.${backend}@example.com`;
    await api('admin', '/api/admin/users', {
      method: 'POST',
      body: { email: owner, name: 'Owner', password: 'quiet-harbour-lanterns-42', role: 'admin' },
    });
    tokens.owner = await login(t.url, owner, 'quiet-harbour-lanterns-42');

    const qaSocket = await connectSocket(t.url, tokens.qa!);
    sockets.push(qaSocket);
    const gone = new Promise((resolve) => qaSocket.once('disconnect', resolve));
    const off = await api('owner', '/api/admin/demo', { method: 'PUT', body: { enabled: false } });
    expect(off.body).toEqual({ enabled: false, accounts: 6 });
    await gone;
    expect(((await (await fetch(`${t.url}/api/demo`)).json()) as any).enabled).toBe(false);
    const refused = await fetch(`${t.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: DEMO.qa, password: DEMO_PASSWORD }),
    });
    expect(refused.status).toBe(401);

    const on = await api('owner', '/api/admin/demo', { method: 'PUT', body: { enabled: true } });
    expect(on.body.enabled).toBe(true);
    const log = await api('owner', '/api/admin/audit?targetType=demo');
    expect(log.body.items.map((e: any) => [e.action, e.actor.email, e.before, e.after.enabled])).toEqual([
      ['demo.enabled', owner, { enabled: false }, true],
      ['demo.disabled', owner, { enabled: true }, false],
    ]);
    for (const who of ['qa', 'admin', 'customer'] as const) tokens[who] = await login(t.url, DEMO[who]);
  });

  it('pages the audit log and validates its filters', async () => {
    const all = await audit('limit=200');
    expect(all.total).toBeGreaterThan(3);
    const page1 = await audit('limit=2&offset=0');
    const page2 = await audit('limit=2&offset=2');
    expect(page1.items.map((e) => e.id)).toEqual(all.items.slice(0, 2).map((e) => e.id));
    expect(page2.items.map((e) => e.id)).toEqual(all.items.slice(2, 4).map((e) => e.id));
    const times = all.items.map((e) => Date.parse(e.createdAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    const bad = await api('admin', '/api/admin/audit?from=yesterday&limit=0');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.map((d: any) => d.path).sort()).toEqual(['from', 'limit']);
  });
});
