import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckResult, MessageView, TicketView } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { eventually, record, socketPool } from '../helpers/sockets';
import { DEMO, login, startTestApp, type TestApp } from '../helpers/testApp';

describe.each(BACKENDS)('support desk core on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  let otherCustomerToken: string;

  async function api<T = any>(who: string, path: string, init: { method?: string; body?: unknown } = {}) {
    const res = await fetch(`${t.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who] ?? who}` },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  const { open: sockets, socketFor } = socketPool(
    () => t.url,
    (who) => tokens[who] ?? who,
  );

  async function openTicket(subject = 'Cannot publish my assignment', extra: Record<string, unknown> = {}) {
    const res = await api<TicketView>('customer', '/api/tickets', {
      method: 'POST',
      body: {
        subject,
        description: 'The publish button does nothing.',
        category: 'course',
        snapshot: {
          browser: 'Chromium',
          browserVersion: '156',
          timeZone: 'Europe/Berlin',
          screen: { width: 1280, height: 800 },
        },
        ...extra,
      },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestApp({ backend });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
    await t.app.users.create({
      email: `second.customer-${backend}@example.com`,
      name: 'Second Customer',
      password: 'cobalt-meadow-prism-pw',
      role: 'customer',
      skills: [],
      locale: 'en',
    });
    otherCustomerToken = await login(
      t.url,
      `second.customer-${backend}@example.com`,
      'cobalt-meadow-prism-pw',
    );
    tokens.other = otherCustomerToken;
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('opens a ticket with its snapshot in the L1 queue, numbered, with running SLA clocks', async () => {
    const ticket = await openTicket();
    expect(ticket).toMatchObject({
      status: 'new',
      tier: 'L1',
      priority: 'P3',
      channel: 'portal',
      assignee: null,
    });
    expect(ticket.number).toBeGreaterThanOrEqual(1001);
    expect(ticket.snapshot).toMatchObject({ timeZone: 'Europe/Berlin', screen: { width: 1280 } });
    const first = ticket.sla.clocks.find((c) => c.clock === 'first_response')!;
    expect(first).toMatchObject({ status: 'running', targetSeconds: 4 * 3600 });
    const queue = await api<{ items: TicketView[] }>('agentL1', '/api/tickets?view=unassigned');
    expect(queue.body.items.map((i) => i.id)).toContain(ticket.id);
    const timeline = await api<{ items: any[] }>('agentL1', `/api/tickets/${ticket.id}/timeline`);
    expect(timeline.body.items.map((e) => e.type)).toEqual(['ticket.created']);
  });

  it('refuses an invalid ticket with field-level errors and creates nothing', async () => {
    const before = await api<{ items: TicketView[] }>('customer', '/api/tickets');
    const res = await api('customer', '/api/tickets', {
      method: 'POST',
      body: { subject: 'x', category: 'weather', snapshot: { cpu: 'fast' } },
    });
    expect(res.status).toBe(400);
    const paths = res.body.error.details.map((d: any) => d.path).sort();
    expect(paths).toEqual(['category', 'description', 'snapshot', 'subject']);
    const after = await api<{ items: TicketView[] }>('customer', '/api/tickets');
    expect(after.body.items.length).toBe(before.body.items.length);
  });

  it('carries messages both ways live, persisted before the ack, in order', async () => {
    const ticket = await openTicket('Live chat');
    const customer = await socketFor('customer');
    const agent = await socketFor('agentL1');
    for (const s of [customer, agent]) {
      const sub = await s.emitWithAck('ticket:subscribe', { ticketId: ticket.id });
      expect(sub.ok).toBe(true);
    }
    const atCustomer = record(customer, 'message:created');
    const atAgent = record(agent, 'message:created');

    const sent = await customer.emitWithAck('message:send', {
      ticketId: ticket.id,
      body: 'Hello, anyone there?',
      clientMessageId: 'c-1',
    });
    expect(sent.ok).toBe(true);
    // Acknowledged means stored: the REST history already has it.
    const history = await api<{ items: MessageView[] }>('customer', `/api/tickets/${ticket.id}/messages`);
    expect(history.body.items.map((m) => m.body)).toContain('Hello, anyone there?');

    const reply = await agent.emitWithAck('message:send', {
      ticketId: ticket.id,
      body: 'Hi! Looking into it.',
      clientMessageId: 'a-1',
    });
    expect(reply.ok).toBe(true);
    await eventually(() => atCustomer.length === 2 && atAgent.length === 2, 'both messages on both sides');
    expect(atCustomer.map((m) => m.body)).toEqual(['Hello, anyone there?', 'Hi! Looking into it.']);
    expect(atAgent.map((m) => m.seq)).toEqual([...atAgent.map((m) => m.seq)].sort((a, b) => a - b));

    const after = await api<TicketView>('customer', `/api/tickets/${ticket.id}`);
    expect(after.body.status).toBe('open');
    expect(after.body.firstResponseSeconds).not.toBeNull();
    expect(after.body.sla.clocks.find((c) => c.clock === 'first_response')!.status).toBe('met');
  });

  it('never lets an internal note reach the customer, over the socket or REST', async () => {
    const ticket = await openTicket('Internal note check');
    const customer = await socketFor('customer');
    const agent = await socketFor('agentL1');
    await customer.emitWithAck('ticket:subscribe', { ticketId: ticket.id });
    await agent.emitWithAck('ticket:subscribe', { ticketId: ticket.id });
    const atCustomer = record(customer, 'message:created');
    const atAgent = record(agent, 'message:created');
    const typingAtCustomer = record(customer, 'typing:changed');

    await agent.emitWithAck('typing:set', { ticketId: ticket.id, typing: true, internal: true });
    const note = await agent.emitWithAck('message:send', {
      ticketId: ticket.id,
      body: 'SECRET: customer is on the legacy plan',
      internal: true,
      clientMessageId: 'note-1',
    });
    expect(note.ok).toBe(true);
    await agent.emitWithAck('message:send', {
      ticketId: ticket.id,
      body: 'Public answer',
      clientMessageId: 'pub-1',
    });
    await eventually(
      () => atAgent.length === 2 && atCustomer.length === 1,
      'the note at the agent, the reply at both',
    );
    // The public reply, sent after the typing flag and the note, is the barrier: the server sends
    // a socket's events in order, so anything (wrongly) sent to the customer before it is here.
    expect(atCustomer.map((m) => m.body)).toEqual(['Public answer']);
    expect(typingAtCustomer).toEqual([]);

    const asCustomer = await api<{ items: MessageView[] }>('customer', `/api/tickets/${ticket.id}/messages`);
    expect(JSON.stringify(asCustomer.body)).not.toContain('SECRET');
    const asAgent = await api<{ items: MessageView[] }>('agentL1', `/api/tickets/${ticket.id}/messages`);
    expect(asAgent.body.items.map((m) => m.kind)).toContain('internal');
    // A customer cannot write notes at all.
    const attempt = await customer.emitWithAck('message:send', {
      ticketId: ticket.id,
      body: 'sneaky',
      internal: true,
      clientMessageId: 'c-note',
    });
    expect(attempt).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('keeps another customer out of a ticket: REST read, messages, changes and socket subscribe', async () => {
    const ticket = await openTicket('Private matter');
    for (const path of [`/api/tickets/${ticket.id}`, `/api/tickets/${ticket.id}/messages`]) {
      const res = await api('other', path);
      expect(res.status).toBe(404);
      expect(JSON.stringify(res.body)).not.toContain('Private matter');
    }
    expect((await api('other', `/api/tickets/${ticket.id}/timeline`)).status).toBe(403);
    const write = await api('other', `/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: { body: 'let me in', clientMessageId: 'x1' },
    });
    expect(write.status).toBe(404);
    const patch = await api('other', `/api/tickets/${ticket.id}`, {
      method: 'PATCH',
      body: { status: 'solved' },
    });
    expect(patch.status).toBe(404);
    const list = await api<{ items: TicketView[] }>('other', '/api/tickets?view=all');
    expect(list.body.items.map((i) => i.id)).not.toContain(ticket.id);

    const intruder = await socketFor('other');
    const sub = (await intruder.emitWithAck('ticket:subscribe', {
      ticketId: ticket.id,
    })) as AckResult<unknown>;
    expect(sub).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const changes = record(intruder, 'ticket:changed');
    const messages = record(intruder, 'message:created');
    const send = await intruder.emitWithAck('message:send', {
      ticketId: ticket.id,
      body: 'hi',
      clientMessageId: 'x2',
    });
    expect(send).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const typing = await intruder.emitWithAck('typing:set', { ticketId: ticket.id, typing: true });
    expect(typing).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    await api('agentL1', `/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: { body: 'reply for the owner', clientMessageId: 'own-1' },
    });
    // The barrier: a reply on the intruder's own ticket, sent after, reaches them after anything
    // (wrongly) sent to them about the other one.
    const own = await api<TicketView>('other', '/api/tickets', {
      method: 'POST',
      body: { subject: 'My own matter', description: 'Mine.', category: 'course' },
    });
    expect(own.status).toBe(201);
    expect(await intruder.emitWithAck('ticket:subscribe', { ticketId: own.body.id })).toMatchObject({
      ok: true,
    });
    await api('agentL1', `/api/tickets/${own.body.id}/messages`, {
      method: 'POST',
      body: { body: 'reply on your own ticket', clientMessageId: 'own-2' },
    });
    await eventually(
      () => messages.length > 0 && changes.some((c) => c.id === own.body.id),
      'the reply on their own ticket',
    );
    expect(messages.map((m) => m.ticketId)).toEqual([own.body.id]);
    expect(changes.every((c) => c.id === own.body.id)).toBe(true);
  });

  it('answers malformed socket payloads with field errors and changes nothing', async () => {
    const ticket = await openTicket('Validation');
    const agent = await socketFor('agentL1');
    const bad = (await agent.emitWithAck('message:send', {
      ticketId: 'not-a-uuid',
      body: '',
      clientMessageId: 'has spaces',
    } as never)) as AckResult<unknown>;
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('bad_request');
      expect(bad.error.details!.map((d) => d.path).sort()).toEqual(['body', 'clientMessageId', 'ticketId']);
    }
    const history = await api<{ items: MessageView[] }>('agentL1', `/api/tickets/${ticket.id}/messages`);
    expect(history.body.items).toEqual([]);
    // The socket still works afterwards.
    expect((await agent.emitWithAck('session:whoami', {})).ok).toBe(true);
  });

  it('stores a retried send once (idempotent on clientMessageId)', async () => {
    const ticket = await openTicket('Retry');
    const customer = await socketFor('customer');
    const payload = { ticketId: ticket.id, body: 'only once', clientMessageId: 'retry-1' };
    const a = (await customer.emitWithAck('message:send', payload)) as AckResult<MessageView>;
    const b = (await customer.emitWithAck('message:send', payload)) as AckResult<MessageView>;
    expect(a.ok && b.ok && a.data.id === b.data.id).toBe(true);
    const history = await api<{ items: MessageView[] }>('customer', `/api/tickets/${ticket.id}/messages`);
    expect(history.body.items.filter((m) => m.body === 'only once')).toHaveLength(1);
  });

  it('pages the history with a cursor', async () => {
    const ticket = await openTicket('Paging');
    for (let i = 1; i <= 5; i++) {
      await api('customer', `/api/tickets/${ticket.id}/messages`, {
        method: 'POST',
        body: { body: `m${i}`, clientMessageId: `p${i}` },
      });
    }
    const last = await api<{ items: MessageView[]; nextBefore: number }>(
      'customer',
      `/api/tickets/${ticket.id}/messages?limit=2`,
    );
    expect(last.body.items.map((m) => m.body)).toEqual(['m4', 'm5']);
    const earlier = await api<{ items: MessageView[]; nextBefore: number | null }>(
      'customer',
      `/api/tickets/${ticket.id}/messages?limit=2&before=${last.body.nextBefore}`,
    );
    expect(earlier.body.items.map((m) => m.body)).toEqual(['m2', 'm3']);
  });

  it('escalates only upwards with a note, unassigns, and the L2 agent sees the whole history', async () => {
    const ticket = await openTicket('Needs an engineer');
    await api('agentL1', `/api/tickets/${ticket.id}/claim`, { method: 'POST' });
    await api('agentL1', `/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: { body: 'L1 tried clearing the cache', clientMessageId: 'l1-1' },
    });
    const noNote = await api('agentL1', `/api/tickets/${ticket.id}/escalate`, {
      method: 'POST',
      body: { tier: 'L2' },
    });
    expect(noNote.status).toBe(400);
    expect(noNote.body.error.details[0].path).toBe('note');
    const down = await api('agentL1', `/api/tickets/${ticket.id}/escalate`, {
      method: 'POST',
      body: { tier: 'L1', note: 'x' },
    });
    expect(down.status).toBe(400);

    const up = await api<TicketView>('agentL1', `/api/tickets/${ticket.id}/escalate`, {
      method: 'POST',
      body: { tier: 'L2', note: 'Reproduced; looks like a publish API fault' },
    });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ tier: 'L2', assignee: null });

    const l2Queue = await api<{ items: TicketView[] }>('agentL2', '/api/tickets?view=tier');
    expect(l2Queue.body.items.map((i) => i.id)).toContain(ticket.id);
    const history = await api<{ items: MessageView[] }>('agentL2', `/api/tickets/${ticket.id}/messages`);
    expect(history.body.items.map((m) => m.system ?? m.body)).toEqual([
      'L1 tried clearing the cache',
      'Reproduced; looks like a publish API fault',
      { type: 'ticket.escalated', tier: 'L2' },
    ]);
    const timeline = await api<{ items: any[] }>('agentL2', `/api/tickets/${ticket.id}/timeline`);
    const escalated = timeline.body.items.find((e) => e.type === 'ticket.escalated');
    expect(escalated).toMatchObject({ data: { from: 'L1', to: 'L2' }, actor: { name: 'Lee L1' } });
    // The L1 agent can still read it but no longer work it.
    expect((await api('agentL1', `/api/tickets/${ticket.id}`)).status).toBe(200);
    const l1Reply = await api('agentL1', `/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: { body: 'too late', clientMessageId: 'l1-late' },
    });
    expect(l1Reply.status).toBe(403);
  });

  it('auto-assigns to the available agent of the tier with matching skills and fewest open tickets', async () => {
    expect(
      (await api('agentL1', '/api/me/availability', { method: 'PUT', body: { availability: 'available' } }))
        .status,
    ).toBe(200);
    const ticket = await openTicket('Auto routed');
    expect(ticket.assignee?.name).toBe('Lee L1');
    const timeline = await api<{ items: any[] }>('supervisor', `/api/tickets/${ticket.id}/timeline`);
    expect(timeline.body.items.find((e) => e.type === 'ticket.assigned')?.data.kind).toBe('auto');
    await api('agentL1', '/api/me/availability', { method: 'PUT', body: { availability: 'away' } });
    const unrouted = await openTicket('Nobody available');
    expect(unrouted.assignee).toBeNull();
    const agents = await api<{ items: any[] }>('supervisor', '/api/agents');
    expect(agents.body.items.find((a) => a.name === 'Lee L1')).toMatchObject({ availability: 'away' });
    expect(agents.body.items.find((a) => a.name === 'Lee L1').openTickets).toBeGreaterThan(0);
    expect((await api('customer', '/api/agents')).status).toBe(403);
  });

  it('merges a duplicate of the same customer and links related tickets', async () => {
    const a = await openTicket('Duplicate A');
    const b = await openTicket('Duplicate B');
    const merged = await api<TicketView>('agentL1', `/api/tickets/${a.id}/merge`, {
      method: 'POST',
      body: { intoTicketId: b.id },
    });
    expect(merged.body).toMatchObject({ status: 'closed', mergedIntoId: b.id });
    const closedReply = await api('customer', `/api/tickets/${a.id}/messages`, {
      method: 'POST',
      body: { body: 'hello?', clientMessageId: 'closed-1' },
    });
    expect(closedReply.status).toBe(409);

    const foreign = await api<TicketView>('other', '/api/tickets', {
      method: 'POST',
      body: { subject: 'Someone else', description: 'x', category: 'other' },
    });
    const cross = await api('agentL1', `/api/tickets/${b.id}/merge`, {
      method: 'POST',
      body: { intoTicketId: foreign.body.id },
    });
    expect(cross.status).toBe(400);

    const linked = await api<TicketView>('agentL1', `/api/tickets/${b.id}/links`, {
      method: 'POST',
      body: { ticketId: foreign.body.id },
    });
    expect(linked.body.linkedTicketIds).toEqual([foreign.body.id]);
    const fromOtherSide = await api<TicketView>('agentL1', `/api/tickets/${foreign.body.id}`);
    expect(fromOtherSide.body.linkedTicketIds).toEqual([b.id]);
  });

  it('records an SLA warning and breach exactly once and pushes them to staff', async () => {
    const ticket = await openTicket('Urgent outage', {});
    await api('agentL1', `/api/tickets/${ticket.id}`, { method: 'PATCH', body: { priority: 'P1' } });
    const staff = await socketFor('supervisor');
    // A tab showing the queues (they re-sort on an alert); the alert's toast is `notify`'s.
    expect(await staff.emitWithAck('tickets:watch', { watch: true })).toMatchObject({ ok: true });
    const idle = await socketFor('agentL2');
    const notWatching = record(idle, 'sla:alert');
    const alerts = record(staff, 'sla:alert');
    const created = new Date(ticket.createdAt).getTime();
    // 25 minutes in: past 80 % of the 30-minute P1 first-response target.
    await t.app.sla.runOnce(new Date(created + 25 * 60_000));
    // 31 minutes in: breached. Running twice more changes nothing.
    await t.app.sla.runOnce(new Date(created + 31 * 60_000));
    await t.app.sla.runOnce(new Date(created + 31 * 60_000));
    await t.app.sla.runOnce(new Date(created + 40 * 60_000));
    await eventually(() => alerts.filter((a) => a.ticketId === ticket.id).length >= 2, 'two SLA alerts');
    await new Promise((r) => setTimeout(r, 100));
    const mine = alerts.filter((a) => a.ticketId === ticket.id && a.clock === 'first_response');
    expect(mine.map((a) => a.kind)).toEqual(['warning', 'breach']);
    // Sent in the same broadcast as the watching tab's: a staff tab showing no list is not sent it.
    expect(notWatching.filter((a) => a.ticketId === ticket.id)).toEqual([]);
    expect(mine[0]!.at).toBe(new Date(created + 24 * 60_000).toISOString());
    const timeline = await api<{ items: any[] }>('agentL1', `/api/tickets/${ticket.id}/timeline`);
    const slaEntries = timeline.body.items.filter(
      (e) => e.type.startsWith('sla.') && e.data.clock === 'first_response',
    );
    expect(slaEntries.map((e) => e.type)).toEqual(['sla.warning', 'sla.breached']);
  });

  it('applies a changed SLA policy: the breaching-soon queue lists a ticket past its target', async () => {
    const settings = await api<any>('supervisor', '/api/settings');
    const original = settings.body.slaPolicy;
    const quick = structuredClone(original);
    quick.targets.P3.first_response = 1;
    expect(
      (await api('agentL1', '/api/settings', { method: 'PATCH', body: { slaPolicy: quick } })).status,
    ).toBe(403);
    const bad = await api('supervisor', '/api/settings', {
      method: 'PATCH',
      body: { slaPolicy: { ...quick, warnAtFraction: 2 } },
    });
    expect(bad.status).toBe(400);
    expect(
      (await api('supervisor', '/api/settings', { method: 'PATCH', body: { slaPolicy: quick } })).status,
    ).toBe(200);
    try {
      const ticket = await openTicket('Quick target');
      await new Promise((r) => setTimeout(r, 2100));
      const breaching = await api<{ items: TicketView[] }>('agentL1', '/api/tickets?view=breaching');
      const listed = breaching.body.items.find((i) => i.id === ticket.id);
      expect(listed?.sla.clocks.find((c) => c.clock === 'first_response')?.status).toBe('breached');
      expect(listed!.sla.urgencySeconds!).toBeLessThan(0);
    } finally {
      await api('supervisor', '/api/settings', { method: 'PATCH', body: { slaPolicy: original } });
    }
  });

  it('uploads an attachment, attaches it, and lets only people who can read the ticket download it', async () => {
    const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
    const upload = await fetch(`${t.url}/api/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.customer}`,
        'content-type': 'image/png',
        'x-file-name': 'screen.png',
      },
      body: png,
    });
    expect(upload.status).toBe(201);
    const file = (await upload.json()) as { id: string };
    const ticket = await openTicket('With a screenshot', { attachmentIds: [file.id] });
    expect(ticket.attachments.map((a) => a.fileName)).toEqual(['screen.png']);

    const download = (who: string) =>
      fetch(`${t.url}/api/attachments/${file.id}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
    const asAgent = await download('agentL1');
    expect(asAgent.status).toBe(200);
    expect(Buffer.from(await asAgent.arrayBuffer()).equals(png)).toBe(true);
    expect(asAgent.headers.get('content-disposition')).toContain('attachment');
    expect((await download('other')).status).toBe(404);

    const spoofed = await fetch(`${t.url}/api/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.customer}`,
        'content-type': 'image/png',
        'x-file-name': 'x.png',
      },
      body: Buffer.from('<html>not a png</html>'),
    });
    expect(spoofed.status).toBe(400);
    const exe = await fetch(`${t.url}/api/attachments`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${tokens.customer}`,
        'content-type': 'application/x-msdownload',
        'x-file-name': 'a.exe',
      },
      body: Buffer.from('MZ'),
    });
    expect(exe.status).toBe(400);
    // Reusing an upload on a second ticket, or someone else's upload, is refused.
    const reuse = await api('customer', '/api/tickets', {
      method: 'POST',
      body: { subject: 'Reuse', description: 'x', category: 'other', attachmentIds: [file.id] },
    });
    expect(reuse.status).toBe(400);
  });
});
