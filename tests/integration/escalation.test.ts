import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView, TicketView } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { type ClientSocket, connectSocket, eventually, record } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

// After an escalation the agent who escalated keeps following the ticket (their "Following"
// queue, internal notes) without working it, and the customer is told — as a structured system
// message their client words in their language — that a specialist is taking over.
describe.each(BACKENDS)('escalation on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const sockets: ClientSocket[] = [];

  const api = restAs(() => t.url, tokens);

  beforeAll(async () => {
    t = await startTestApp({ backend });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
    // A second L1 agent, who did not escalate anything.
    await t.app.users.create({
      email: `other.l1-${backend}@example.com`,
      name: 'Olu Other L1',
      password: 'maple-quartz-ferry-l1',
      role: 'agent',
      tier: 'L1',
      skills: [],
      locale: 'en',
    });
    tokens.otherL1 = await login(t.url, `other.l1-${backend}@example.com`, 'maple-quartz-ferry-l1');
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  async function escalatedTicket(subject: string) {
    const created = await api<TicketView>('customer', '/api/tickets', {
      method: 'POST',
      body: { subject, description: 'The export never finishes.', category: 'technical' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await api('agentL1', `/api/tickets/${id}/claim`, { method: 'POST' })).status).toBe(200);
    return id;
  }

  it('keeps the escalating agent following: notes yes, replies and changes no, and a Following queue', async () => {
    const id = await escalatedTicket('Export hangs at 99 %');
    const l1Id = (await api<{ id: string }>('agentL1', '/api/auth/me')).body.id;
    const up = await api<TicketView>('agentL1', `/api/tickets/${id}/escalate`, {
      method: 'POST',
      body: { tier: 'L2', note: 'Reproduced on two browsers; needs an engineer' },
    });
    expect(up.status).toBe(200);
    expect(up.body).toMatchObject({ tier: 'L2', assignee: null, followerIds: [l1Id] });

    // An internal note from the agent who escalated is stored and shown to staff.
    const note = await api<MessageView>('agentL1', `/api/tickets/${id}/messages`, {
      method: 'POST',
      body: { body: 'The customer called: it also fails on mobile', internal: true, clientMessageId: 'f-1' },
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ kind: 'internal', author: { id: l1Id } });

    // No public reply and no change: the L2 team works the ticket now; the refusal says why.
    const reply = await api('agentL1', `/api/tickets/${id}/messages`, {
      method: 'POST',
      body: { body: 'Let me check', clientMessageId: 'f-2' },
    });
    expect(reply.status).toBe(403);
    expect(reply.body.error.message).toContain('escalated to L2');
    const patch = await api('agentL1', `/api/tickets/${id}`, {
      method: 'PATCH',
      body: { status: 'pending' },
    });
    expect(patch.status).toBe(403);

    // Another L1 agent does not follow it: no note either, and nothing was stored.
    const stranger = await api('otherL1', `/api/tickets/${id}/messages`, {
      method: 'POST',
      body: { body: 'me too', internal: true, clientMessageId: 'o-1' },
    });
    expect(stranger.status).toBe(403);
    const staffHistory = await api<{ items: MessageView[] }>('agentL2', `/api/tickets/${id}/messages`);
    expect(staffHistory.body.items.filter((m) => m.kind === 'internal').map((m) => m.body)).toEqual([
      'Reproduced on two browsers; needs an engineer',
      'The customer called: it also fails on mobile',
    ]);

    // The "Following" queue lists it for the agent who escalated, not for the other one.
    const following = await api<{ items: TicketView[] }>('agentL1', '/api/tickets?view=following');
    expect(following.status).toBe(200);
    expect(following.body.items.map((v) => v.id)).toEqual([id]);
    const notFollowing = await api<{ items: TicketView[] }>('otherL1', '/api/tickets?view=following');
    expect(notFollowing.body.items).toEqual([]);

    // Escalating again (L2 → L3) keeps the first follower and adds the L2 agent who did it.
    expect((await api('agentL2', `/api/tickets/${id}/claim`, { method: 'POST' })).status).toBe(200);
    const l2Id = (await api<{ id: string }>('agentL2', '/api/auth/me')).body.id;
    const again = await api<TicketView>('agentL2', `/api/tickets/${id}/escalate`, {
      method: 'POST',
      body: { tier: 'L3', note: 'Looks like a bug in the export worker' },
    });
    expect(again.body.followerIds).toEqual([l1Id, l2Id]);
  });

  it('tells the customer, live and in the history, that a specialist is taking over; never the notes', async () => {
    const id = await escalatedTicket('Certificates are blank');
    const customer = await connectSocket(t.url, tokens.customer!);
    sockets.push(customer);
    const live = record(customer, 'message:created');
    expect((await customer.emitWithAck('ticket:subscribe', { ticketId: id })).ok).toBe(true);

    const up = await api<TicketView>('agentL1', `/api/tickets/${id}/escalate`, {
      method: 'POST',
      body: { tier: 'L2', note: 'Template engine fault, internal only' },
    });
    expect(up.status).toBe(200);
    await eventually(() => live.some((m) => m.kind === 'system'), 'the system message at the customer');
    const notice = live.find((m) => m.kind === 'system')!;
    // Data, not words: the client says it in the reader's language; the English body is a fallback.
    expect(notice).toMatchObject({
      ticketId: id,
      author: null,
      system: { type: 'ticket.escalated', tier: 'L2' },
    });
    expect(notice.body).toBe('Your request was passed to a specialist, who is taking over from here.');

    const history = await api<{ items: MessageView[] }>('customer', `/api/tickets/${id}/messages`);
    expect(history.body.items.map((m) => m.kind)).toEqual(['system']);
    expect(JSON.stringify(history.body.items)).not.toContain('internal only');
    expect(live.some((m) => m.kind === 'internal')).toBe(false);
  });
});
