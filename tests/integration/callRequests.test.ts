// Customer-requested video calls (issue 19): offered only when an agent can pick up and the
// priority (or a missed SLA target) allows it; the ring reaches the assignee or the free agents of
// the tier; accepting starts the agent's call; a decline, the expiry and a cancel reach the
// customer; each step is on the timeline; requests are rate limited per customer.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRequestView } from '../../signaling/shared/callRequests';
import type { TicketView } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { ManualClock } from '../helpers/manualClock';
import { type ClientSocket, eventually, record, socketPool } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const RING_MS = 5_000;

describe.each(BACKENDS)('customer-requested calls on %s', (backend) => {
  let t: TestApp;
  const clock = new ManualClock();
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const { socketFor, closeAll } = socketPool(
    () => t.url,
    (who) => tokens[who] ?? who,
  );

  async function newTicket(who: string, subject: string): Promise<TicketView> {
    const res = await api<TicketView>(who, '/api/tickets', {
      method: 'POST',
      body: { subject, description: 'Could we talk about it?', category: 'technical', channel: 'chat' },
    });
    expect(res.status).toBe(201);
    return res.body;
  }
  const timeline = async (ticketId: string) =>
    (
      await api<{
        items: Array<{ type: string; data: Record<string, unknown>; actor: { name: string } | null }>;
      }>('supervisor', `/api/tickets/${ticketId}/timeline`)
    ).body.items.filter((e) => e.type.startsWith('call.request'));
  beforeAll(async () => {
    t = await startTestApp({
      backend,
      env: { CALL_RING_SECONDS: String(RING_MS / 1000), JWT_TTL_SECONDS: '86400' },
      clock,
    });
    for (const key of ['customer', 'agentL1', 'agentL2', 'supervisor', 'admin'] as const) {
      tokens[key] = await login(t.url, DEMO[key]);
      ids[key] = (await api<{ id: string }>(key, '/api/auth/me')).body.id;
    }
    // Tickets stay unassigned, so a request rings the tier (auto-assignment would hand the ticket
    // to the first agent who comes online, and the request would ring only them).
    const off = await api('admin', '/api/admin/settings', { method: 'PATCH', body: { autoAssign: false } });
    expect(off.status).toBe(200);
  });
  afterAll(async () => {
    closeAll();
    await t?.close();
  });

  let ticket: TicketView;
  let customer: ClientSocket;
  let l1: ClientSocket;
  let l2: ClientSocket;

  it('is not offered while no agent is online, and a request then changes nothing', async () => {
    ticket = await newTicket('customer', 'The exam page freezes');
    expect(ticket.priority).toBe('P3');
    const eligibility = await api('customer', `/api/tickets/${ticket.id}/call-request`);
    expect(eligibility.body).toEqual({ allowed: false, reason: 'no_agent_available', request: null });
    const refused = await api('customer', `/api/tickets/${ticket.id}/call-requests`, { method: 'POST' });
    expect(refused.status).toBe(409);
    expect(refused.body.error.message).toMatch(/no agent is available/i);
    expect(await timeline(ticket.id)).toEqual([]);
  });

  it('rings the free agents of the tier; a decline by each tells the customer', async () => {
    // The supervisor watches presence: both agents online is an event, not a guess.
    const supervisor = await socketFor('supervisor');
    const presence = record(supervisor, 'presence:changed');
    customer = await socketFor('customer');
    l1 = await socketFor('agentL1');
    l2 = await socketFor('agentL2');
    const online = (id: string) => presence.some((p) => p.userId === id && p.presence === 'online');
    await eventually(() => online(ids.agentL1!) && online(ids.agentL2!), 'both agents online');
    const atCustomer = record(customer, 'callRequest:updated');
    const atL1 = record(l1, 'callRequest:updated');
    const atL2 = record(l2, 'callRequest:updated');
    const atSupervisor = record(supervisor, 'callRequest:updated');

    expect((await api('customer', `/api/tickets/${ticket.id}/call-request`)).body).toMatchObject({
      allowed: true,
    });
    const created = await api<CallRequestView>('customer', `/api/tickets/${ticket.id}/call-requests`, {
      method: 'POST',
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('ringing');
    expect(created.body.targetIds.sort()).toEqual([ids.agentL1, ids.agentL2].sort());
    await eventually(() => atL1.length > 0 && atL2.length > 0 && atCustomer.length > 0, 'the ring');
    expect(atL1[0]).toMatchObject({
      id: created.body.id,
      status: 'ringing',
      subject: 'The exam page freezes',
    });

    // One request at a time.
    const again = await api('customer', `/api/tickets/${ticket.id}/call-requests`, { method: 'POST' });
    expect(again.status).toBe(409);
    expect((await api('customer', `/api/tickets/${ticket.id}/call-request`)).body).toMatchObject({
      allowed: false,
      reason: 'request_pending',
      request: { id: created.body.id, status: 'ringing' },
    });

    // The L1 agent declines: the L2 agent still rings. They decline too: the customer is told.
    const path = `/api/tickets/${ticket.id}/call-requests/${created.body.id}`;
    const first = await api<CallRequestView>('agentL1', `${path}/decline`, { method: 'POST' });
    expect(first.body.status).toBe('ringing');
    expect((await api('agentL1', `${path}/decline`, { method: 'POST' })).status).toBe(409);
    const second = await api<CallRequestView>('agentL2', `${path}/decline`, { method: 'POST' });
    expect(second.body.status).toBe('declined');
    await eventually(() => atCustomer.some((r) => r.status === 'declined'), 'the decline at the customer');
    // Accepting a request that stopped ringing does nothing.
    expect((await api('agentL1', `${path}/accept`, { method: 'POST' })).status).toBe(409);
    expect(atSupervisor).toEqual([]);
    expect((await timeline(ticket.id)).map((e) => e.type)).toEqual([
      'call.requested',
      'call.request_declined',
      'call.request_declined',
    ]);
  });

  it('expires when nobody answers in time, and the customer can cancel', async () => {
    const atCustomer = record(customer, 'callRequest:updated');
    const ringing = await api<CallRequestView>('customer', `/api/tickets/${ticket.id}/call-requests`, {
      method: 'POST',
    });
    expect(ringing.status).toBe(201);
    clock.advance(RING_MS);
    await eventually(
      () => atCustomer.some((r) => r.id === ringing.body.id && r.status === 'expired'),
      'the expiry',
    );
    expect((await timeline(ticket.id)).at(-1)?.type).toBe('call.request_expired');
  });

  it('starts the call when an agent accepts, and limits requests per customer', async () => {
    const atCustomer = record(customer, 'callRequest:updated');
    const incoming = record(customer, 'call:incoming');
    const ringing = await api<CallRequestView>('customer', `/api/tickets/${ticket.id}/call-requests`, {
      method: 'POST',
    });
    const path = `/api/tickets/${ticket.id}/call-requests/${ringing.body.id}`;
    // Only the agents it rings answer it; the customer cannot answer their own.
    expect((await api('supervisor', `${path}/accept`, { method: 'POST' })).status).toBe(403);
    expect((await api('customer', `${path}/accept`, { method: 'POST' })).status).toBe(403);
    const accepted = await api<{ request: CallRequestView; call: { id: string; status: string } }>(
      'agentL2',
      `${path}/accept`,
      { method: 'POST' },
    );
    expect(accepted.status).toBe(200);
    expect(accepted.body.call.status).toBe('ringing');
    expect(accepted.body.request).toMatchObject({
      status: 'accepted',
      callId: accepted.body.call.id,
      by: { id: ids.agentL2 },
    });
    await eventually(
      () => atCustomer.some((r) => r.status === 'accepted' && r.callId === accepted.body.call.id),
      'the acceptance with its call at the customer',
    );
    await eventually(() => incoming.some((c) => c.id === accepted.body.call.id), 'the call ringing');
    expect((await api('agentL1', `${path}/accept`, { method: 'POST' })).status).toBe(409);
    const entries = await timeline(ticket.id);
    expect(entries.at(-1)).toMatchObject({
      type: 'call.request_accepted',
      data: { requestId: ringing.body.id, callId: accepted.body.call.id },
    });
    // A call is going on: no request now.
    expect((await api('customer', `/api/tickets/${ticket.id}/call-request`)).body.reason).toBe('call_active');

    // The ring ends unanswered; this customer has used three requests in ten minutes.
    const updates = record(customer, 'call:updated');
    clock.advance(RING_MS);
    await eventually(
      () => updates.some((c) => c.id === accepted.body.call.id && c.status === 'ended'),
      'the unanswered call to end',
    );
    const eligibility = await api('customer', `/api/tickets/${ticket.id}/call-request`);
    expect(eligibility.body.allowed).toBe(true);
    const limited = await api('customer', `/api/tickets/${ticket.id}/call-requests`, { method: 'POST' });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatchObject({ code: 'rate_limited', retryAfterSeconds: expect.any(Number) });
    expect((await timeline(ticket.id)).at(-1)?.type).toBe('call.request_accepted');
  });

  it('rings only the assignee of an assigned ticket, follows the priority rule, and checks access', async () => {
    const guest = await fetch(`${t.url}/api/widget/guest`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Gus Guest', email: 'gus@visitor.example' }),
    });
    tokens.guest = ((await guest.json()) as { token: string }).token;
    const own = await newTicket('guest', 'Certificate name is wrong');
    // Somebody else's ticket: nothing to see.
    expect((await api('customer', `/api/tickets/${own.id}/call-request`)).status).toBe(404);
    expect((await api('customer', `/api/tickets/${own.id}/call-requests`, { method: 'POST' })).status).toBe(
      404,
    );
    expect((await api('agentL1', `/api/tickets/${own.id}/call-requests`, { method: 'POST' })).status).toBe(
      403,
    );
    expect((await api('guest', '/api/tickets/not-a-uuid/call-request')).status).toBe(400);

    const assigned = await api('supervisor', `/api/tickets/${own.id}/assign`, {
      method: 'POST',
      body: { assigneeId: ids.agentL2 },
    });
    expect(assigned.status).toBe(200);
    const atL1 = record(l1, 'callRequest:updated');
    const request = await api<CallRequestView>('guest', `/api/tickets/${own.id}/call-requests`, {
      method: 'POST',
    });
    expect(request.body.targetIds).toEqual([ids.agentL2]);
    const cancelled = await api<CallRequestView>(
      'customer',
      `/api/tickets/${own.id}/call-requests/${request.body.id}/cancel`,
      {
        method: 'POST',
      },
    );
    expect(cancelled.status).toBe(404);
    const byGuest = await api<CallRequestView>(
      'guest',
      `/api/tickets/${own.id}/call-requests/${request.body.id}/cancel`,
      {
        method: 'POST',
      },
    );
    expect(byGuest.body.status).toBe('cancelled');
    expect(atL1).toEqual([]);

    // The admin allows calls for P1 only: a P3 ticket is answered in the chat.
    const settings = (await api('admin', '/api/admin/widget')).body;
    expect(settings.callRequestPriorities).toEqual(['P1', 'P2', 'P3']);
    const put = await api('admin', '/api/admin/widget', {
      method: 'PUT',
      body: { ...settings, callRequestPriorities: ['P1'] },
    });
    expect(put.status).toBe(200);
    expect((await api('guest', `/api/tickets/${own.id}/call-request`)).body).toMatchObject({
      allowed: false,
      reason: 'priority',
    });
    expect(
      (
        await api('admin', '/api/admin/widget', {
          method: 'PUT',
          body: { ...settings, callRequestPriorities: ['P9'] },
        })
      ).status,
    ).toBe(400);
  });
});
