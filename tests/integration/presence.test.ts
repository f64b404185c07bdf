import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Presence, TicketView } from '../../signaling/shared/protocol';
import { joinAndProduce, ok } from '../helpers/callClient';
import { ManualClock } from '../helpers/manualClock';
import { type ClientSocket, eventually, record, socketPool } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

const IDLE_MS = 60_000;

describe('staff presence', () => {
  let t: TestApp;
  // Idle timers run on this clock: the test moves time instead of waiting five minutes.
  const clock = new ManualClock();
  const tokens: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const { open, socketFor } = socketPool(
    () => t.url,
    (who) => tokens[who] ?? who,
  );
  let leeId: string;
  let watcher: ClientSocket;
  let seen: Array<{ userId: string; presence: Presence }>;

  async function leePresence(): Promise<Presence> {
    const agents = await api<{ items: Array<{ id: string; presence: Presence }> }>(
      'supervisor',
      '/api/agents',
    );
    return agents.body.items.find((a) => a.id === leeId)!.presence;
  }

  /** The supervisor's socket hears Lee's state change to `presence`, and the table says so too. */
  async function becomes(presence: Presence) {
    await eventually(
      () => seen.filter((p) => p.userId === leeId).at(-1)?.presence === presence,
      `Lee to be ${presence}`,
    );
    expect(await leePresence()).toBe(presence);
  }

  async function newTicket(subject: string): Promise<TicketView> {
    const res = await api<TicketView>('customer', '/api/tickets', {
      method: 'POST',
      body: { subject, description: 'Help', category: 'other' },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestApp({
      env: { PRESENCE_IDLE_SECONDS: String(IDLE_MS / 1000), JWT_TTL_SECONDS: '86400' },
      clock,
    });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
    leeId = (await api<{ id: string }>('agentL1', '/api/auth/me')).body.id;
    watcher = await socketFor('supervisor');
    seen = record(watcher, 'presence:changed');
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t?.close();
  });

  it('starts offline and available (not away forever), and is online once a tab connects', async () => {
    expect(await api('agentL1', '/api/me/presence')).toMatchObject({
      status: 200,
      body: { availability: 'available', presence: 'offline' },
    });
    // Another agent is not told: only supervisors, admins and the person themselves are.
    const colleague = await socketFor('agentL2');
    const colleagueSaw = record(colleague, 'presence:changed');
    const tab = await socketFor('agentL1');
    await becomes('online');
    tab.close();
    await becomes('offline');
    // An acknowledged round trip: anything emitted to this socket before it has arrived by now.
    ok(await colleague.emitWithAck('presence:activity', {}));
    expect(colleagueSaw.filter((p) => p.userId === leeId)).toEqual([]);
    colleague.close();
  });

  it('goes away after the idle time, and back online on activity', async () => {
    const tab = await socketFor('agentL1');
    await becomes('online');
    clock.advance(IDLE_MS - 1_000);
    // Activity before the idle time restarts it: a minute after the first connect, still online.
    ok(await tab.emitWithAck('presence:activity', {}));
    clock.advance(2_000);
    await t.app.presence.idle();
    expect(await leePresence()).toBe('online');
    clock.advance(IDLE_MS);
    await becomes('away');
    ok(await tab.emitWithAck('presence:activity', {}));
    await becomes('online');
    tab.close();
    await becomes('offline');
  });

  it('stays online while any tab is in use, and offline only when the last one closes', async () => {
    const first = await socketFor('agentL1');
    await becomes('online');
    clock.advance(IDLE_MS / 2);
    const second = await socketFor('agentL1');
    clock.advance(IDLE_MS / 2 + 1);
    // The first tab is idle now, the second is not.
    await t.app.presence.idle();
    expect(await leePresence()).toBe('online');
    clock.advance(IDLE_MS);
    await becomes('away');
    first.close();
    await t.app.presence.idle();
    expect(await leePresence()).toBe('away');
    second.close();
    await becomes('offline');
  });

  it('keeps a manual away or busy over activity until the agent changes it', async () => {
    const tab = await socketFor('agentL1');
    await becomes('online');
    expect(
      await api('agentL1', '/api/me/availability', { method: 'PUT', body: { availability: 'away' } }),
    ).toMatchObject({ status: 200, body: { availability: 'away', presence: 'away' } });
    await becomes('away');
    clock.advance(IDLE_MS);
    ok(await tab.emitWithAck('presence:activity', {}));
    await t.app.presence.idle();
    expect(await leePresence()).toBe('away');
    // It survives a reload: a new tab of the same agent is still away.
    tab.close();
    await becomes('offline');
    const again = await socketFor('agentL1');
    await becomes('away');
    await api('agentL1', '/api/me/availability', { method: 'PUT', body: { availability: 'busy' } });
    await becomes('busy');
    await api('agentL1', '/api/me/availability', { method: 'PUT', body: { availability: 'available' } });
    await becomes('online');
    again.close();
    await becomes('offline');
  });

  it('refuses a bad availability and customers, and changes nothing', async () => {
    const bad = await api('agentL1', '/api/me/availability', {
      method: 'PUT',
      body: { availability: 'sleeping' },
    });
    expect(bad.status).toBe(400);
    expect(
      (await api('customer', '/api/me/availability', { method: 'PUT', body: { availability: 'away' } }))
        .status,
    ).toBe(403);
    expect((await api('customer', '/api/me/presence')).status).toBe(403);
    const customer = await socketFor('customer');
    const refused = await customer.emitWithAck('presence:activity', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await api('agentL1', '/api/me/presence')).body).toMatchObject({ availability: 'available' });
    customer.close();
  });

  it('is "in a call" while in one, and online again after it', async () => {
    const agent = await socketFor('agentL1');
    await becomes('online');
    const customer = await socketFor('customer');
    const ticket = await newTicket('Please call me');
    const incoming = record(customer, 'call:incoming');
    const call = ok(await agent.emitWithAck('call:start', { ticketId: ticket.id }));
    await eventually(() => incoming.some((c) => c.id === call.id), 'the ring at the customer');
    ok(await customer.emitWithAck('call:answer', { callId: call.id, accept: true }));
    await joinAndProduce(agent, call.id, 4242);
    await becomes('in_call');
    // Idle time passes during a long call: still in the call.
    clock.advance(IDLE_MS * 2);
    await t.app.presence.idle();
    expect(await leePresence()).toBe('in_call');
    ok(await agent.emitWithAck('call:hangup', { callId: call.id }));
    await becomes('away');
    ok(await agent.emitWithAck('presence:activity', {}));
    await becomes('online');
    agent.close();
    customer.close();
    await becomes('offline');
  });

  it('auto-assigns only to online agents, and hands waiting tickets to an agent who comes online', async () => {
    const tab = await socketFor('agentL1');
    await becomes('online');
    expect((await newTicket('Routed to the online agent')).assignee?.id).toBe(leeId);

    clock.advance(IDLE_MS);
    await becomes('away');
    expect((await newTicket('Nobody here: idle')).assignee).toBeNull();

    tab.close();
    await becomes('offline');
    const waiting = await newTicket('Nobody here: offline');
    expect(waiting.assignee).toBeNull();

    await socketFor('agentL1');
    await becomes('online');
    const picked = async () =>
      (await api<TicketView>('supervisor', `/api/tickets/${waiting.id}`)).body.assignee?.id;
    const deadline = Date.now() + 5_000;
    while ((await picked()) !== leeId && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await picked()).toBe(leeId);
  });

  it('a team coming online at once shares one offer of the waiting tickets, not one per agent', async () => {
    // Nobody of L2 is online: the tickets wait.
    const waiting: string[] = [];
    for (let i = 0; i < 3; i++) {
      const ticket = await newTicket(`Waiting for the L2 team ${i}`);
      const escalated = await api('supervisor', `/api/tickets/${ticket.id}/escalate`, {
        method: 'POST',
        body: { tier: 'L2', note: 'For the L2 team' },
      });
      expect(escalated.status).toBe(200);
      waiting.push(ticket.id);
    }
    const team = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.app.users.create({
          email: `l2-team-${i}@example.test`,
          name: `L2 Team ${i}`,
          password: 'orchard-signal-not-for-production',
          role: 'agent',
          tier: 'L2',
          skills: [],
          locale: 'en',
        }),
      ),
    );
    const attempts = vi.spyOn(t.app.tickets, 'autoAssign');
    try {
      await Promise.all(
        team.map((agent) => socketFor(t.app.tokens.issue({ sub: agent.id, role: agent.role }).token)),
      );
      const assignees = async () =>
        Promise.all(
          waiting.map(
            async (id) => (await api<TicketView>('supervisor', `/api/tickets/${id}`)).body.assignee?.id,
          ),
        );
      const deadline = Date.now() + 10_000;
      while (!(await assignees()).every(Boolean) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      for (const id of await assignees()) expect(team.map((a) => a.id)).toContain(id);
      // Twelve agents each walking the three tickets would be 36 attempts; the coalesced offer
      // makes one run, and at most one more for the agents who came online during it.
      expect(attempts.mock.calls.length).toBeLessThanOrEqual(2 * waiting.length);
    } finally {
      attempts.mockRestore();
    }
  });
});
