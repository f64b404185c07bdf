import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendPacingFor } from '../../server/tickets/messages';
import type { AckResult, MessageView, PublicUser, TicketView } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { type ClientSocket, connectSocket, eventually, record } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

// What the one-statement send must keep, next to the transactional path it falls back to: one
// order per ticket for everyone, one row per clientMessageId however the retries race, the first
// response recorded once, and every access rule and effect when the ticket changed meanwhile.
describe.each(BACKENDS)('the message path on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const sockets: ClientSocket[] = [];

  const api = restAs(() => t.url, tokens);

  async function subscribed(who: string, ticketId: string) {
    const socket = await connectSocket(t.url, tokens[who]!);
    sockets.push(socket);
    const seen = record(socket, 'message:created');
    const sub = await socket.emitWithAck('ticket:subscribe', { ticketId });
    expect(sub.ok).toBe(true);
    return { socket, seen };
  }

  async function openTicket(subject: string): Promise<TicketView> {
    const res = await api<TicketView>('customer', '/api/tickets', {
      method: 'POST',
      body: { subject, description: 'Something is wrong.', category: 'technical', channel: 'chat' },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  const send = (socket: ClientSocket, ticketId: string, clientMessageId: string, extra = {}) =>
    socket.emitWithAck('message:send', {
      ticketId,
      body: `text ${clientMessageId}`,
      clientMessageId,
      ...extra,
    });

  const ok = (ack: AckResult<MessageView>): MessageView => {
    if (!ack.ok) throw new Error(`send refused: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  };

  /** A ticket in its conversation's steady state: answered, open, the agent on it. */
  async function conversation(subject: string) {
    const ticket = await openTicket(subject);
    const customer = await subscribed('customer', ticket.id);
    const agent = await subscribed('agentL1', ticket.id);
    ok(await send(agent.socket, ticket.id, 'greeting'));
    ok(await send(customer.socket, ticket.id, 'question'));
    return { ticket, customer, agent };
  }

  beforeAll(async () => {
    // Concurrent sends from one person, faster than a person may: the per-person chat limit
    // (tested in userLimits.test.ts) is lifted so that the order, not the limit, is tested here.
    t = await startTestApp({ backend, env: { CHAT_MESSAGES_PER_TEN_SECONDS: '100000' } });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('paces the send statements for this database (on the embedded one: one at a time, spaced)', () => {
    // The app picks the pacing from the database it opened; a wrong pick shows only as CPU in
    // bench:chat, so the wiring is checked here.
    expect(t.app.messages.pacing).toEqual(sendPacingFor(backend));
    expect(t.app.messages.pacing.spacingMs > 0).toBe(backend === 'pglite');
  });

  it('has stored every send already taken once idle resolves (what closing the app waits for)', async () => {
    const { ticket } = await conversation('Closing time');
    const customer = (await api<PublicUser>('customer', '/api/auth/me')).body;
    const settled: string[] = [];
    for (const i of [1, 2, 3]) {
      void t.app.messages
        .send(customer, {
          ticketId: ticket.id,
          body: `last words ${i}`,
          clientMessageId: `closing-${i}`,
          attachmentIds: [],
          internal: false,
        })
        .then((message) => settled.push(message.clientMessageId ?? ''));
    }
    await t.app.messages.idle();
    expect(settled).toEqual(['closing-1', 'closing-2', 'closing-3']);
    const history = await api<{ items: MessageView[] }>('customer', `/api/tickets/${ticket.id}/messages`);
    expect(history.body.items.map((m) => m.clientMessageId)).toEqual([
      'greeting',
      'question',
      'closing-1',
      'closing-2',
      'closing-3',
    ]);
  });

  it('gives concurrent sends on one ticket one order, the same on every socket and in the history', async () => {
    const { ticket, customer, agent } = await conversation('Concurrent chat');
    const observer = await subscribed('supervisor', ticket.id);
    const before = observer.seen.length;
    const perSide = 15;
    const acks = await Promise.all(
      Array.from({ length: perSide }, (_, i) => [
        send(customer.socket, ticket.id, `c-${i}`),
        send(agent.socket, ticket.id, `a-${i}`),
      ]).flat(),
    );
    const stored = acks.map(ok);
    expect(new Set(stored.map((m) => m.seq)).size).toBe(2 * perSide);

    const ids = (seen: MessageView[]) => seen.slice(-2 * perSide).map((m) => m.clientMessageId);
    for (const s of [customer, agent, observer]) {
      await eventually(() => s.seen.length >= before + 2 * perSide, 'every message on every socket');
    }
    const order = observer.seen.slice(before);
    expect(order).toHaveLength(2 * perSide);
    // Delivered in seq order, and seq order is the commit order the ticket lock imposes.
    for (let i = 1; i < order.length; i++) expect(order[i]!.seq).toBeGreaterThan(order[i - 1]!.seq);
    expect(ids(customer.seen)).toEqual(ids(observer.seen));
    expect(ids(agent.seen)).toEqual(ids(observer.seen));
    const history = await api<{ items: MessageView[] }>(
      'agentL1',
      `/api/tickets/${ticket.id}/messages?limit=100`,
    );
    expect(history.body.items.slice(-2 * perSide).map((m) => m.clientMessageId)).toEqual(ids(observer.seen));
  });

  it('stores a clientMessageId once when two sends race, acks both with it, and broadcasts it once', async () => {
    const { ticket, customer, agent } = await conversation('Racing retries');
    // The client retries over REST while the socket send is still under way.
    const [ack, retried] = await Promise.all([
      send(customer.socket, ticket.id, 'retry-1'),
      api<MessageView>('customer', `/api/tickets/${ticket.id}/messages`, {
        method: 'POST',
        body: { body: 'text retry-1', clientMessageId: 'retry-1' },
      }),
    ]);
    expect(retried.status).toBe(201);
    const first = ok(ack);
    const second = retried.body;
    expect(second).toEqual(first);
    // Nothing else is in flight: a later message arriving means any second broadcast would have.
    const marker = ok(await send(customer.socket, ticket.id, 'after-retry'));
    await eventually(() => agent.seen.some((m) => m.id === marker.id), 'the later message');
    expect(agent.seen.filter((m) => m.clientMessageId === 'retry-1')).toHaveLength(1);
    const history = await api<{ items: MessageView[] }>('customer', `/api/tickets/${ticket.id}/messages`);
    expect(history.body.items.filter((m) => m.clientMessageId === 'retry-1')).toEqual([first]);
  });

  it('stores a racing retry once on a ticket no send has touched yet (its facts read by the first call)', async () => {
    const ticket = await openTicket('First words, twice');
    const customer = await subscribed('customer', ticket.id);
    const [ack, retried] = await Promise.all([
      send(customer.socket, ticket.id, 'hello-1'),
      api<MessageView>('customer', `/api/tickets/${ticket.id}/messages`, {
        method: 'POST',
        body: { body: 'text hello-1', clientMessageId: 'hello-1' },
      }),
    ]);
    expect(retried.status).toBe(201);
    const first = ok(ack);
    const second = retried.body;
    expect(second).toEqual(first);
    const history = await api<{ items: MessageView[] }>('customer', `/api/tickets/${ticket.id}/messages`);
    expect(history.body.items.map((m) => m.clientMessageId)).toEqual(['hello-1']);
  });

  it('sends the first message after subscribing in one statement (the facts come from the subscription)', async () => {
    const ticket = await openTicket('Warm first words');
    const customer = await subscribed('customer', ticket.id);
    // Counts the send statements on the database's own client, whichever backend it is.
    type Queryable = { query: (...args: unknown[]) => Promise<unknown> };
    const client = (t.app.db.db as unknown as { $client: Queryable }).$client;
    const query = client.query;
    const sendStatements: string[] = [];
    client.query = function (this: unknown, ...args: unknown[]) {
      const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string }).text;
      if (text?.includes('livedesk_send_message')) sendStatements.push(text);
      return query.apply(this, args);
    };
    try {
      const first = ok(await send(customer.socket, ticket.id, 'warm-1'));
      expect(first.clientMessageId).toBe('warm-1');
    } finally {
      client.query = query;
    }
    expect(sendStatements).toHaveLength(1);
    const history = await api<{ items: MessageView[] }>('customer', `/api/tickets/${ticket.id}/messages`);
    expect(history.body.items.map((m) => m.clientMessageId)).toEqual(['warm-1']);
  });

  it('records the first response once when agents reply at the same moment', async () => {
    const ticket = await openTicket('Who answers first');
    const l1 = await subscribed('agentL1', ticket.id);
    const supervisor = await subscribed('supervisor', ticket.id);
    const replies = (
      await Promise.all([
        send(l1.socket, ticket.id, 'l1-a'),
        send(supervisor.socket, ticket.id, 'sup-a'),
        send(l1.socket, ticket.id, 'l1-b'),
        send(supervisor.socket, ticket.id, 'sup-b'),
      ])
    ).map(ok);
    const timeline = await api<{ items: Array<{ type: string; data: any }> }>(
      'agentL1',
      `/api/tickets/${ticket.id}/timeline`,
    );
    expect(timeline.body.items.filter((e) => e.type === 'ticket.first_response')).toHaveLength(1);
    expect(timeline.body.items.filter((e) => e.data?.status?.to === 'open')).toHaveLength(1);
    const view = await api<TicketView>('agentL1', `/api/tickets/${ticket.id}`);
    const earliest = replies.reduce((a, b) => (a.seq < b.seq ? a : b));
    expect(view.body.status).toBe('open');
    expect(view.body.firstResponseAt).toBe(earliest.createdAt);
  });

  it('applies the effects and rules of a ticket that changed after the last send on it', async () => {
    const { ticket, customer, agent } = await conversation('Changed under the chat');
    // The agent sets the ticket to pending: the customer's next message reopens it, with its entry.
    expect(
      (await api('agentL1', `/api/tickets/${ticket.id}`, { method: 'PATCH', body: { status: 'pending' } }))
        .status,
    ).toBe(200);
    ok(await send(customer.socket, ticket.id, 'still-broken'));
    const reopened = await api<TicketView>('agentL1', `/api/tickets/${ticket.id}`);
    expect(reopened.body.status).toBe('open');
    const timeline = await api<{ items: Array<{ type: string; data: any }> }>(
      'agentL1',
      `/api/tickets/${ticket.id}/timeline`,
    );
    expect(timeline.body.items.at(-1)).toMatchObject({ data: { status: { from: 'pending', to: 'open' } } });

    // Escalated to L2: the L1 agent who was replying a moment ago may note, no longer reply.
    ok(await send(agent.socket, ticket.id, 'before-escalation'));
    expect((await api('agentL1', `/api/tickets/${ticket.id}/claim`, { method: 'POST' })).status).toBe(200);
    const up = await api('agentL1', `/api/tickets/${ticket.id}/escalate`, {
      method: 'POST',
      body: { tier: 'L2', note: 'Needs an engineer' },
    });
    expect(up.status).toBe(200);
    const refused = await send(agent.socket, ticket.id, 'after-escalation');
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    ok(await send(agent.socket, ticket.id, 'note-after-escalation', { internal: true }));

    // Closed: nobody writes any more, whatever they sent before.
    const l2 = await subscribed('agentL2', ticket.id);
    ok(await send(l2.socket, ticket.id, 'l2-reply'));
    expect(
      (await api('agentL2', `/api/tickets/${ticket.id}`, { method: 'PATCH', body: { status: 'closed' } }))
        .status,
    ).toBe(200);
    expect(await send(l2.socket, ticket.id, 'l2-after-close')).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    expect(await send(customer.socket, ticket.id, 'customer-after-close')).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });
    const history = await api<{ items: MessageView[] }>(
      'agentL2',
      `/api/tickets/${ticket.id}/messages?limit=100`,
    );
    const stored = history.body.items.map((m) => m.clientMessageId);
    expect(stored).not.toContain('after-escalation');
    expect(stored).not.toContain('l2-after-close');
    expect(stored).not.toContain('customer-after-close');
    expect(stored).toContain('note-after-escalation');
  });

  it('never lets a QA reviewer write, even on a ticket in full flow', async () => {
    const { ticket } = await conversation('In full flow');
    const qa = await connectSocket(t.url, tokens.qa!);
    sockets.push(qa);
    expect(await send(qa, ticket.id, 'qa-1')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await send(qa, ticket.id, 'qa-2', { internal: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
    const history = await api<{ items: MessageView[] }>('agentL1', `/api/tickets/${ticket.id}/messages`);
    expect(history.body.items.map((m) => m.clientMessageId)).toEqual(['greeting', 'question']);
  });

  it('stores many chats sent at once (grouped into shared statements) each once, and one failing send fails only itself', async () => {
    const tickets: TicketView[] = [];
    for (let i = 0; i < 13; i++) {
      const ticket = await openTicket(`Busy desk ${i}`);
      const reply = await api('agentL1', `/api/tickets/${ticket.id}/messages`, {
        method: 'POST',
        body: { body: 'Hello, looking at it.', clientMessageId: 'greeting' },
      });
      expect(reply.status).toBe(201);
      tickets.push(ticket);
    }
    const customer = (await api<PublicUser>('customer', '/api/auth/me')).body;
    // A supervisor account that does not exist (deleted meanwhile): its insert fails on the
    // author's foreign key inside whatever statement it shares with the others.
    const ghost: PublicUser = { ...customer, id: randomUUID(), role: 'supervisor', tier: null };
    const ghostTicket = tickets.pop()!;
    const sends = tickets.map((ticket, i) =>
      t.app.messages.send(customer, {
        ticketId: ticket.id,
        body: `burst ${i}`,
        clientMessageId: `burst-${i}`,
        attachmentIds: [],
        internal: false,
      }),
    );
    const ghostSend = t.app.messages.send(ghost, {
      ticketId: ghostTicket.id,
      body: 'from nobody',
      clientMessageId: 'ghost-1',
      attachmentIds: [],
      internal: false,
    });
    const retried = t.app.messages.send(customer, {
      ticketId: tickets[1]!.id,
      body: 'burst 1',
      clientMessageId: 'burst-1',
      attachmentIds: [],
      internal: false,
    });
    const stored = await Promise.all(sends);
    await expect(ghostSend).rejects.toThrow();
    expect(await retried).toEqual(stored[1]);
    for (const [i, ticket] of tickets.entries()) {
      expect(stored[i]).toMatchObject({
        ticketId: ticket.id,
        body: `burst ${i}`,
        clientMessageId: `burst-${i}`,
      });
      const history = await api<{ items: MessageView[] }>('customer', `/api/tickets/${ticket.id}/messages`);
      expect(history.body.items.map((m) => m.clientMessageId)).toEqual(['greeting', `burst-${i}`]);
    }
    const untouched = await api<{ items: MessageView[] }>(
      'customer',
      `/api/tickets/${ghostTicket.id}/messages`,
    );
    expect(untouched.body.items.map((m) => m.clientMessageId)).toEqual(['greeting']);
  });
});
