import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ticketFollowers } from '../../server/db/schema';
import type { MessageView, TicketView } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { eventually, record, socketPool } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

interface Unread {
  total: number;
  tickets: Array<{ ticketId: string; count: number; lastSeq: number; unopened: boolean }>;
}

describe.each(BACKENDS)('read markers and notification settings on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const { open, socketFor } = socketPool(
    () => t.url,
    (who) => tokens[who] ?? who,
  );

  async function newTicket(subject: string): Promise<TicketView> {
    const res = await api<TicketView>('customer', '/api/tickets', {
      method: 'POST',
      body: { subject, description: 'Help', category: 'other' },
    });
    expect(res.status).toBe(201);
    return res.body;
  }
  let n = 0;
  async function say(who: string, ticketId: string, body: string, kind: 'public' | 'internal' = 'public') {
    const res = await api<MessageView>(who, `/api/tickets/${ticketId}/messages`, {
      method: 'POST',
      body: { body, clientMessageId: `m-${++n}`, ...(kind === 'internal' ? { internal: true } : {}) },
    });
    expect(res.status).toBe(201);
    return res.body;
  }
  async function unreadOf(who: string, ticketId: string) {
    const res = await api<Unread>(who, '/api/me/unread');
    expect(res.status).toBe(200);
    return res.body.tickets.find((x) => x.ticketId === ticketId);
  }

  beforeAll(async () => {
    t = await startTestApp({ backend });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t?.close();
  });

  it('counts a new ticket in my queue and its customer’s messages, until I read it', async () => {
    const ticket = await newTicket('Unread counting');
    // New to the L1 agent (their tier's queue) and to the supervisor; not the L2 agent's queue.
    expect(await unreadOf('agentL1', ticket.id)).toMatchObject({ count: 1, unopened: true });
    expect(await unreadOf('supervisor', ticket.id)).toMatchObject({ count: 1 });
    expect(await unreadOf('agentL2', ticket.id)).toBeUndefined();

    await say('customer', ticket.id, 'Anyone there?');
    const last = await say('customer', ticket.id, 'Hello?');
    // Staff's own messages and internal notes are not news to the agent.
    await say('supervisor', ticket.id, 'Looking into it', 'internal');
    expect(await unreadOf('agentL1', ticket.id)).toMatchObject({ count: 3, unopened: true });
    expect(await unreadOf('supervisor', ticket.id)).toMatchObject({ count: 3 });
    const before = await api<Unread>('agentL1', '/api/me/unread');
    expect(before.body.total).toBeGreaterThanOrEqual(3);

    // Another tab of the same agent hears the read at once. (The agent coming online picks the
    // waiting ticket up: it is theirs now, still unread.)
    const otherTab = await socketFor('agentL1');
    const reads = record(otherTab, 'unread:read');
    const read = await api('agentL1', `/api/tickets/${ticket.id}/read`, { method: 'PUT', body: {} });
    expect(read).toMatchObject({ status: 200, body: { ticketId: ticket.id } });
    expect(read.body.lastReadSeq).toBeGreaterThan(last.seq);
    await eventually(() => reads.some((r) => r.ticketId === ticket.id), 'the read at the other tab');
    // Stored on the server: a new request (a reload) still says read.
    expect(await unreadOf('agentL1', ticket.id)).toBeUndefined();

    await say('customer', ticket.id, 'Still there?');
    expect(await unreadOf('agentL1', ticket.id)).toMatchObject({ count: 1, unopened: false });
  });

  it('moves a marker forward only, and never past the ticket’s newest message', async () => {
    const ticket = await newTicket('Marker bounds');
    const first = await say('customer', ticket.id, 'one');
    const second = await say('customer', ticket.id, 'two');
    const upToFirst = await api('agentL1', `/api/tickets/${ticket.id}/read`, {
      method: 'PUT',
      body: { seq: first.seq },
    });
    expect(upToFirst.body.lastReadSeq).toBe(first.seq);
    expect(await unreadOf('agentL1', ticket.id)).toMatchObject({ count: 1 });
    // A late mark from an older tab does not make anything unread again.
    await api('agentL1', `/api/tickets/${ticket.id}/read`, { method: 'PUT', body: { seq: second.seq } });
    const back = await api('agentL1', `/api/tickets/${ticket.id}/read`, { method: 'PUT', body: { seq: 0 } });
    expect(back.body.lastReadSeq).toBe(second.seq);
    // A made-up seq far ahead stops at the newest message: the next one still counts.
    const ahead = await api('agentL1', `/api/tickets/${ticket.id}/read`, {
      method: 'PUT',
      body: { seq: second.seq + 1_000_000 },
    });
    expect(ahead.body.lastReadSeq).toBe(second.seq);
    await say('customer', ticket.id, 'three');
    expect(await unreadOf('agentL1', ticket.id)).toMatchObject({ count: 1 });
  });

  it('does not give a new colleague the whole history as unread: only what happens after they join', async () => {
    // Away by hand: no auto-assignment, so the tickets wait unassigned in the L1 queue.
    await api('agentL1', '/api/me/availability', { method: 'PUT', body: { availability: 'away' } });
    const old = await newTicket('From before the new agent joined');
    await say('customer', old.id, 'Is anyone reading this?');
    const handed = await newTicket('Also from before, handed over later');
    const password = 'lantern-orchard-violet-58';
    const email = `newcomer.l1-${backend}@example.com`;
    const created = await api<{ user: { id: string } }>('admin', '/api/admin/users', {
      method: 'POST',
      body: {
        email,
        name: 'Nell Newcomer',
        role: 'agent',
        tier: 'L1',
        skills: [],
        languages: ['en'],
        password,
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    tokens.newcomer = await login(t.url, email, password);
    // The waiting tickets are in the newcomer's queue, yet none of their history is news to them.
    const queue = await api<{ items: Array<{ id: string }> }>('newcomer', '/api/queue/search?assignee=none');
    expect(queue.body.items.map((x) => x.id)).toEqual(expect.arrayContaining([old.id, handed.id]));
    expect(await unreadOf('newcomer', old.id)).toBeUndefined();
    expect(await unreadOf('newcomer', handed.id)).toBeUndefined();
    // The veteran still sees it as unread (they were here when it came in).
    expect(await unreadOf('agentL1', old.id)).toMatchObject({ unopened: true });

    // What happens after they joined is: a customer's new message, a new ticket, an assignment.
    await say('customer', old.id, 'Hello again');
    expect(await unreadOf('newcomer', old.id)).toMatchObject({ count: 1, unopened: false });
    const fresh = await newTicket('After the new agent joined');
    expect(await unreadOf('newcomer', fresh.id)).toMatchObject({ count: 1, unopened: true });
    const assigned = await api('supervisor', `/api/tickets/${handed.id}/assign`, {
      method: 'POST',
      body: { assigneeId: created.body.user.id },
    });
    expect(assigned.status).toBe(200);
    expect(await unreadOf('newcomer', handed.id)).toMatchObject({ count: 1, unopened: true });
    const total = (await api<Unread>('newcomer', '/api/me/unread')).body;
    expect(total.tickets.map((x) => x.ticketId).sort()).toEqual([old.id, handed.id, fresh.id].sort());
  });

  it('refuses bad input and other people, and changes nothing', async () => {
    const ticket = await newTicket('Read access');
    const put = (who: string, id: string, body: unknown) =>
      api(who, `/api/tickets/${id}/read`, { method: 'PUT', body });
    expect((await put('agentL1', ticket.id, { seq: -1 })).status).toBe(400);
    expect((await put('agentL1', ticket.id, { seq: 'latest' })).status).toBe(400);
    expect((await put('agentL1', ticket.id, { seq: 1, extra: true })).status).toBe(400);
    expect((await put('agentL1', 'not-a-uuid', {})).status).toBe(400);
    expect((await put('agentL1', '00000000-0000-4000-8000-000000000000', {})).status).toBe(404);
    expect((await put('customer', ticket.id, {})).status).toBe(403);
    expect((await api('customer', '/api/me/unread')).status).toBe(403);
    const anonymous = await fetch(`${t.url}/api/me/unread`);
    expect(anonymous.status).toBe(401);
    expect(await unreadOf('agentL1', ticket.id)).toMatchObject({ count: 1, unopened: true });
  });

  it('tells the right people: a new ticket to its tier and supervisors, an assignment and a customer message to the assignee', async () => {
    // Away by hand: no auto-assignment, so the new ticket waits in the L1 queue.
    await api('agentL1', '/api/me/availability', { method: 'PUT', body: { availability: 'away' } });
    const lee = await socketFor('agentL1');
    const sam = await socketFor('agentL2');
    const boss = await socketFor('supervisor');
    const atLee = record(lee, 'notify');
    const atSam = record(sam, 'notify');
    const atBoss = record(boss, 'notify');
    const ticket = await newTicket('Who hears of it');
    await eventually(() => atLee.some((x) => x.ticketId === ticket.id), 'the new ticket at the L1 agent');
    await eventually(() => atBoss.some((x) => x.ticketId === ticket.id), 'the new ticket at the supervisor');
    expect(atLee.find((x) => x.ticketId === ticket.id)).toMatchObject({
      kind: 'new_ticket',
      ticketNumber: ticket.number,
      subject: 'Who hears of it',
    });

    const leeId = (await api<{ id: string }>('agentL1', '/api/auth/me')).body.id;
    const assigned = await api('supervisor', `/api/tickets/${ticket.id}/assign`, {
      method: 'POST',
      body: { assigneeId: leeId },
    });
    expect(assigned.status).toBe(200);
    await eventually(
      () => atLee.some((x) => x.ticketId === ticket.id && x.kind === 'assigned'),
      'the assignment at the agent',
    );
    const message = await say('customer', ticket.id, 'Are you looking at it?');
    await eventually(
      () => atLee.some((x) => x.kind === 'customer_message' && x.message?.id === message.id),
      'the customer message at the assignee',
    );
    // Nobody else works it: the supervisor heard of the new ticket only, the L2 agent of nothing.
    expect(atBoss.filter((x) => x.ticketId === ticket.id).map((x) => x.kind)).toEqual(['new_ticket']);
    expect(atSam.filter((x) => x.ticketId === ticket.id)).toEqual([]);

    // A follower hears of the next one too: the steady-state send reads who works the ticket
    // under its lock, so a follower added meanwhile is told at once.
    const samId = (await api<{ id: string }>('agentL2', '/api/auth/me')).body.id;
    await t.app.db.db
      .insert(ticketFollowers)
      .values({ ticketId: ticket.id, userId: samId, reason: 'escalated' });
    const next = await say('customer', ticket.id, 'Hello again?');
    await eventually(
      () => atSam.some((x) => x.kind === 'customer_message' && x.message?.id === next.id),
      'the customer message at the follower',
    );
    await eventually(
      () => atLee.some((x) => x.kind === 'customer_message' && x.message?.id === next.id),
      'the customer message at the assignee',
    );
    expect(atBoss.filter((x) => x.ticketId === ticket.id).map((x) => x.kind)).toEqual(['new_ticket']);
    // An agent's reply tells nobody (the customer is the one who hears of it).
    const reply = await say('agentL1', ticket.id, 'Yes, looking now.');
    const again = await say('customer', ticket.id, 'Thanks');
    await eventually(() => atSam.some((x) => x.message?.id === again.id), 'the third customer message');
    expect(atSam.some((x) => x.message?.id === reply.id)).toBe(false);
    await api('agentL1', '/api/me/availability', { method: 'PUT', body: { availability: 'available' } });
  });

  it('keeps each person’s notification settings, validated, with everything on by default', async () => {
    const defaults = await api('agentL1', '/api/me/notification-settings');
    expect(defaults).toMatchObject({
      status: 200,
      body: {
        sound: true,
        desktop: true,
        events: ['new_ticket', 'customer_message', 'assigned', 'sla_warning', 'handoff', 'article_task'],
      },
    });
    const saved = await api('agentL1', '/api/me/notification-settings', {
      method: 'PUT',
      body: { sound: false, desktop: true, events: ['sla_warning', 'assigned', 'assigned'] },
    });
    expect(saved).toMatchObject({
      status: 200,
      body: { sound: false, desktop: true, events: ['assigned', 'sla_warning'] },
    });

    for (const body of [
      { sound: false, desktop: true, events: ['everything'] },
      { sound: 'off', desktop: true, events: [] },
      { desktop: true, events: [] },
      { sound: true, desktop: true, events: [], volume: 11 },
    ]) {
      const refused = await api('agentL1', '/api/me/notification-settings', { method: 'PUT', body });
      expect(refused.status).toBe(400);
    }
    expect((await api('agentL1', '/api/me/notification-settings')).body).toEqual({
      sound: false,
      desktop: true,
      events: ['assigned', 'sla_warning'],
    });
    // Someone else's are untouched; customers have settings of their own too.
    expect((await api('agentL2', '/api/me/notification-settings')).body.sound).toBe(true);
    expect(
      (
        await api('customer', '/api/me/notification-settings', {
          method: 'PUT',
          body: { sound: false, desktop: false, events: [] },
        })
      ).status,
    ).toBe(200);
    const anonymous = await fetch(`${t.url}/api/me/notification-settings`);
    expect(anonymous.status).toBe(401);
  });
});
