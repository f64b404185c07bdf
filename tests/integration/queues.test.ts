import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageSearch, ticketSearch } from '../../server/db/queueSchema';
import { callParticipants, calls, recordings, slaAlerts } from '../../server/db/schema';
import { QueueRepository } from '../../server/queues/repository';
import type { TicketView, TimelineEntry } from '../../signaling/shared/protocol';
import type { BulkResult, CustomerContext, QueuePage, SavedQueueView } from '../../signaling/shared/queues';
import { BACKENDS } from '../helpers/database';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

// Queue search, filters, sort, saved views, bulk changes and the customer context, over the REST
// API as agents, supervisors and customers use them, on each database backend.
describe.each(BACKENDS)('queues on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const PASSWORD = 'violet-harbour-kettle-93';
  const tickets: Record<string, TicketView> = {};

  async function open(who: string, key: string, body: Record<string, unknown>) {
    const res = await api<TicketView>(who, '/api/tickets', {
      method: 'POST',
      body: { description: 'Details follow.', category: 'course', ...body },
    });
    expect(res.status).toBe(201);
    tickets[key] = res.body;
    return res.body;
  }
  const search = async (who: string, query: string) => {
    const res = await api<QueuePage>(who, `/api/queue/search?${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body;
  };
  /** A message on one of the tickets opened above; expects it stored. */
  const post = async (who: string, key: string, body: string, internal = false) => {
    const res = await api(who, `/api/tickets/${tickets[key]!.id}/messages`, {
      method: 'POST',
      body: { body, internal, clientMessageId: `m-${Math.random().toString(36).slice(2)}` },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  };
  const numbers = (page: QueuePage) => page.items.map((i) => i.number).sort();
  const has = (page: QueuePage, key: string) => page.items.some((i) => i.id === tickets[key]!.id);

  beforeAll(async () => {
    t = await startTestApp({ backend });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
    await t.app.users.create({
      email: `zhang.wei-${backend}@example.com`,
      name: '张伟 Zhang Wei',
      password: PASSWORD,
      role: 'customer',
      skills: [],
      locale: 'zh-CN',
    });
    tokens.zhang = await login(t.url, `zhang.wei-${backend}@example.com`, PASSWORD);
    for (const who of Object.keys(tokens))
      ids[who] = (await api<{ id: string }>(who, '/api/auth/me')).body.id;

    await open('customer', 'video', { subject: '课程视频无法播放', description: '打开课程页面后一直加载' });
    await open('customer', 'refund', { subject: 'Refund for a course I never started', category: 'payment' });
    await open('zhang', 'zhang', { subject: 'Cannot sign in', category: 'account', channel: 'chat' });
    await open('supervisor', 'urgent', {
      subject: 'Whole class cannot join live lessons',
      requesterId: ids.customer,
      priority: 'P1',
      category: 'technical',
    });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('finds Chinese words inside a longer subject, and English by stem', async () => {
    const video = await search('agentL1', `q=${encodeURIComponent('视频')}`);
    expect(has(video, 'video')).toBe(true);
    expect(has(video, 'refund')).toBe(false);
    expect(has(await search('agentL1', 'q=refunds'), 'refund')).toBe(true);
    expect(has(await search('agentL1', 'q=refunded%20course'), 'refund')).toBe(true);
    // Every word must match.
    expect((await search('agentL1', `q=refund%20${encodeURIComponent('视频')}`)).total).toBe(0);
    // The number an agent reads out, and a word being typed (prefix).
    expect(has(await search('agentL1', `q=${tickets.refund!.number}`), 'refund')).toBe(true);
    expect(has(await search('agentL1', 'q=refu'), 'refund')).toBe(true);
    // Only stop words: nothing, rather than everything.
    expect((await search('agentL1', `q=${encodeURIComponent('的')}`)).total).toBe(0);
  });

  it("finds a ticket by its customer's name or e-mail", async () => {
    expect(has(await search('agentL1', `q=${encodeURIComponent('张伟')}`), 'zhang')).toBe(true);
    expect(has(await search('agentL1', 'q=zhang'), 'zhang')).toBe(true);
    expect(has(await search('agentL1', 'q=zhang'), 'video')).toBe(false);
    // A customer an admin renames in /admin is found by the new name, no longer by the old one.
    const renamed = await api('admin', `/api/admin/users/${ids.zhang}`, {
      method: 'PATCH',
      body: { name: '李娜 Li Na' },
    });
    expect(renamed.status, JSON.stringify(renamed.body)).toBe(200);
    expect(has(await search('agentL1', `q=${encodeURIComponent('李娜')}`), 'zhang')).toBe(true);
    expect(has(await search('agentL1', `q=${encodeURIComponent('张伟')}`), 'zhang')).toBe(false);
    // The e-mail did not change, so it still finds the ticket.
    expect(has(await search('agentL1', 'q=zhang'), 'zhang')).toBe(true);
    // The customer context beside the conversation shows the new name too.
    const context = await api<CustomerContext>(
      'agentL1',
      `/api/tickets/${tickets.zhang!.id}/customer-context`,
    );
    expect(context.body.customer.name).toBe('李娜 Li Na');
  });

  it('searches the conversation: staff every message, a customer only the public words of their own tickets', async () => {
    const send = (who: string, body: string, internal = false) => post(who, 'refund', body, internal);
    await send('agentL1', 'I have asked finance about your kumquat voucher.');
    await send('agentL1', 'Internal: the xylophone account is flagged.', true);
    await send('customer', '我的优惠券还能用吗');
    // Steady-state sends go through the one-statement function; both paths add their words.
    await send('customer', 'Also the marmalade invoice.');
    expect(has(await search('agentL1', 'q=kumquat'), 'refund')).toBe(true);
    expect(has(await search('agentL1', 'q=xylophone'), 'refund')).toBe(true);
    expect(has(await search('agentL1', `q=${encodeURIComponent('优惠券')}`), 'refund')).toBe(true);
    expect(has(await search('agentL1', 'q=marmalade'), 'refund')).toBe(true);

    expect(has(await search('customer', 'q=kumquat'), 'refund')).toBe(true);
    expect((await search('customer', 'q=xylophone')).total).toBe(0);
    expect(has(await search('customer', 'q=marmalade'), 'refund')).toBe(true);
    // Another customer finds nothing of it, and a customer's list holds only their own tickets.
    expect((await search('zhang', 'q=kumquat')).total).toBe(0);
    const own = await search('zhang', '');
    expect(own.items.map((i) => i.id)).toEqual([tickets.zhang!.id]);
    // Queue filters about the team's work are the team's.
    expect((await api('customer', '/api/queue/search?sla=breached')).status).toBe(403);
    expect((await api('customer', '/api/queue/search?assignee=me')).status).toBe(403);
  });

  it("finds a message's words the moment it is stored, and the same once they are folded into the document", async () => {
    // No folding on the timer during this test: the words must be found while they wait.
    t.app.searchDocuments.stop();
    try {
      const id = tickets.video!.id;
      const send = (who: string, body: string, internal = false) => post(who, 'video', body, internal);
      await t.app.searchDocuments.fold();
      await send('customer', 'Is the quince subtitle fixed yet?');
      await send('agentL1', 'Zeppelin cache purge scheduled.', true);
      await send('customer', '字幕还是乱码');
      const waiting = () => t.app.db.db.select().from(messageSearch).where(eq(messageSearch.ticketId, id));
      expect((await waiting()).length).toBe(3);
      const check = async () => {
        expect(has(await search('agentL1', 'q=quince'), 'video')).toBe(true);
        expect(has(await search('agentL1', 'q=zeppelin'), 'video')).toBe(true);
        expect(has(await search('agentL1', `q=${encodeURIComponent('乱码')}`), 'video')).toBe(true);
        // A word of the subject (in the document) and one of a message together.
        expect(has(await search('agentL1', `q=${encodeURIComponent('视频 quince')}`), 'video')).toBe(true);
        expect(has(await search('agentL1', `q=${encodeURIComponent('视频 quin')}`), 'video')).toBe(true);
        expect((await search('agentL1', `q=${encodeURIComponent('quince kumquat')}`)).total).toBe(0);
        // The customer: their public words, never the internal note's.
        expect(has(await search('customer', `q=${encodeURIComponent('视频 quince')}`), 'video')).toBe(true);
        expect((await search('customer', 'q=zeppelin')).total).toBe(0);
        expect((await search('zhang', 'q=quince')).total).toBe(0);
      };
      await check();
      expect(await t.app.searchDocuments.fold()).toBe(3);
      expect((await waiting()).length).toBe(0);
      await check();

      // One ticket matching through its document, another through a waiting message: one list,
      // in order, page by page.
      const urgent = tickets.urgent!.id;
      await post('agentL1', 'urgent', 'quince again', true);
      const pageOf = (offset: number) => search('agentL1', `q=quince&sort=oldest&limit=1&offset=${offset}`);
      const [first, second, third] = [await pageOf(0), await pageOf(1), await pageOf(2)];
      expect([first.total, first.totalCapped]).toEqual([2, false]);
      expect([...first.items, ...second.items].map((i) => i.id)).toEqual([id, urgent]);
      expect(third.items).toEqual([]);
      expect(await t.app.searchDocuments.fold()).toBe(1);

      // Words the document already holds: folded without rewriting the document (same row version).
      const version = async () =>
        (
          (await t.app.db.db.execute(
            sql`SELECT ctid::text AS v FROM ticket_search WHERE ticket_id = ${id}`,
          )) as unknown as { rows: Array<{ v: string }> }
        ).rows[0]!.v;
      const before = await version();
      await send('customer', 'quince subtitle');
      expect(await t.app.searchDocuments.fold()).toBe(1);
      expect(await version()).toBe(before);
      await send('customer', 'tangerine');
      expect(await t.app.searchDocuments.fold()).toBe(1);
      expect(await version()).not.toBe(before);
      expect(has(await search('customer', 'q=tangerine'), 'video')).toBe(true);
    } finally {
      t.app.searchDocuments.start(t.app.bus);
    }
  });

  it('counts matches up to a cap, and says when there are more', async () => {
    const repo = new QueueRepository(t.app.db.db);
    const all = await search('supervisor', '');
    expect(all.total).toBeGreaterThanOrEqual(4);
    expect(all.totalCapped).toBe(false);
    const criteria = { filters: {}, tsQuery: undefined, actorId: ids.supervisor! };
    expect(await repo.count(criteria, 2)).toEqual({ count: 2, capped: true });
    expect(await repo.count(criteria, all.total)).toEqual({ count: all.total, capped: false });
  });

  it('writes the documents of tickets that had none (an upgrade), messages included', async () => {
    // What earlier tests sent is in the document (not waiting): deleting the document deletes it.
    await t.app.searchDocuments.fold();
    await t.app.db.db.delete(ticketSearch).where(eq(ticketSearch.ticketId, tickets.refund!.id));
    expect((await search('agentL1', 'q=kumquat')).total).toBe(0);
    expect(await t.app.searchDocuments.backfill()).toBe(1);
    expect(has(await search('agentL1', 'q=kumquat'), 'refund')).toBe(true);
    expect(has(await search('agentL1', 'q=xylophone'), 'refund')).toBe(true);
    expect((await search('customer', 'q=xylophone')).total).toBe(0);
  });

  it('filters by status, priority, tier, assignee, category, channel and SLA state, and sorts', async () => {
    const all = [tickets.video!, tickets.refund!, tickets.zhang!, tickets.urgent!]
      .map((x) => x.number)
      .sort();
    expect(numbers(await search('supervisor', ''))).toEqual(all);
    expect(numbers(await search('supervisor', 'priority=P1'))).toEqual([tickets.urgent!.number]);
    expect(numbers(await search('supervisor', 'priority=P1,P3'))).toEqual(all);
    expect(numbers(await search('supervisor', 'category=payment'))).toEqual([tickets.refund!.number]);
    expect(numbers(await search('supervisor', 'channel=chat'))).toEqual([tickets.zhang!.number]);
    expect((await search('supervisor', 'tier=L2')).total).toBe(0);
    expect((await search('supervisor', 'tier=L1')).total).toBe(4);

    expect((await api('agentL1', `/api/tickets/${tickets.video!.id}/claim`, { method: 'POST' })).status).toBe(
      200,
    );
    expect(numbers(await search('agentL1', 'assignee=me'))).toEqual([tickets.video!.number]);
    expect(numbers(await search('supervisor', `assignee=${ids.agentL1}`))).toEqual([tickets.video!.number]);
    expect((await search('supervisor', 'assignee=none')).items.map((i) => i.id)).not.toContain(
      tickets.video!.id,
    );
    // Claimed, and the one an agent answered: open; the others still new.
    expect(numbers(await search('agentL1', 'status=open'))).toEqual(
      [tickets.video!.number, tickets.refund!.number].sort(),
    );
    expect(numbers(await search('agentL1', 'status=new'))).toEqual(
      [tickets.zhang!.number, tickets.urgent!.number].sort(),
    );
    expect((await search('agentL1', 'status=active')).total).toBe(4);
    expect((await search('agentL1', 'status=closed')).total).toBe(0);

    // SLA state comes from the alerts the SLA monitor records (as it would write them).
    await t.app.db.db.insert(slaAlerts).values([
      { ticketId: tickets.urgent!.id, clock: 'first_response', kind: 'warning', cycle: 0, at: new Date() },
      { ticketId: tickets.urgent!.id, clock: 'first_response', kind: 'breach', cycle: 0, at: new Date() },
      { ticketId: tickets.zhang!.id, clock: 'first_response', kind: 'warning', cycle: 0, at: new Date() },
    ]);
    expect(numbers(await search('supervisor', 'sla=breached'))).toEqual([tickets.urgent!.number]);
    expect(numbers(await search('supervisor', 'sla=warning'))).toEqual([tickets.zhang!.number]);
    expect(numbers(await search('supervisor', 'sla=ok'))).toEqual(
      [tickets.video!.number, tickets.refund!.number].sort(),
    );
    expect(numbers(await search('supervisor', 'sla=warning,breached'))).toEqual(
      [tickets.zhang!.number, tickets.urgent!.number].sort(),
    );

    const byPriority = await search('supervisor', 'sort=priority');
    expect(byPriority.items[0]!.id).toBe(tickets.urgent!.id);
    const oldest = await search('supervisor', 'sort=oldest');
    expect(oldest.items[0]!.id).toBe(tickets.video!.id);
    const newest = await search('supervisor', 'sort=created&limit=2');
    expect(newest.items.map((i) => i.id)).toEqual([tickets.urgent!.id, tickets.zhang!.id]);
    expect(newest.total).toBe(4);
    expect((await search('supervisor', 'sort=created&limit=2&offset=2')).items.map((i) => i.id)).toEqual([
      tickets.refund!.id,
      tickets.video!.id,
    ]);

    // Bad input is a specific 400.
    for (const bad of ['priority=P9', 'sort=random', 'assignee=someone', 'limit=0', 'colour=red']) {
      const res = await api('supervisor', `/api/queue/search?${bad}`);
      expect(res.status, bad).toBe(400);
    }
  });

  it('keeps saved views per person, with counts', async () => {
    const created = await api<SavedQueueView>('agentL1', '/api/queue/views', {
      method: 'POST',
      body: { name: '视频问题', filters: { q: '视频', status: ['active'] }, sort: 'oldest' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: '视频问题', sort: 'oldest', count: 1 });
    const second = await api<SavedQueueView>('agentL1', '/api/queue/views', {
      method: 'POST',
      body: { name: 'Payments', filters: { category: ['payment', 'account'] } },
    });
    expect(second.body.count).toBe(2);
    expect(
      (await api('agentL1', '/api/queue/views', { method: 'POST', body: { name: 'Payments', filters: {} } }))
        .status,
    ).toBe(400);
    expect(
      (
        await api('agentL1', '/api/queue/views', {
          method: 'POST',
          body: { name: 'x', filters: { priority: ['P0'] } },
        })
      ).status,
    ).toBe(400);

    const mine = await api<{ items: SavedQueueView[] }>('agentL1', '/api/queue/views');
    expect(mine.body.items.map((v) => [v.name, v.count])).toEqual([
      ['视频问题', 1],
      ['Payments', 2],
    ]);
    // Someone else sees none of them and cannot change or delete them.
    expect((await api<{ items: SavedQueueView[] }>('agentL2', '/api/queue/views')).body.items).toEqual([]);
    const path = `/api/queue/views/${created.body.id}`;
    expect((await api('agentL2', path, { method: 'PATCH', body: { name: 'Mine now' } })).status).toBe(404);
    expect((await api('agentL2', path, { method: 'DELETE' })).status).toBe(404);
    expect((await api('customer', '/api/queue/views')).status).toBe(403);

    const renamed = await api<SavedQueueView>('agentL1', path, {
      method: 'PATCH',
      body: { name: 'Video', filters: { q: 'refund' } },
    });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ name: 'Video', count: 1, sort: 'oldest' });
    expect((await api('agentL1', path, { method: 'PATCH', body: { name: 'Payments' } })).status).toBe(400);
    expect((await api('agentL1', path, { method: 'DELETE' })).status).toBe(200);
    expect((await api('agentL1', path, { method: 'DELETE' })).status).toBe(404);
  });

  it('applies bulk changes for supervisors, ticket by ticket, each on its timeline', async () => {
    const a = await open('customer', 'bulkA', { subject: 'Bulk one' });
    const b = await open('customer', 'bulkB', { subject: 'Bulk two' });
    const closed = await open('customer', 'bulkC', { subject: 'Bulk three' });
    expect(
      (await api('supervisor', `/api/tickets/${closed.id}`, { method: 'PATCH', body: { status: 'closed' } }))
        .status,
    ).toBe(200);
    const body = { action: 'assign', ticketIds: [a.id, closed.id, b.id], assigneeId: ids.agentL1 };
    expect((await api('agentL1', '/api/queue/bulk', { method: 'POST', body })).status).toBe(403);
    expect((await api('qa', '/api/queue/bulk', { method: 'POST', body })).status).toBe(403);

    const res = await api<BulkResult>('supervisor', '/api/queue/bulk', { method: 'POST', body });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ succeeded: 2, failed: 1 });
    expect(res.body.results.map((r) => [r.ticketId, r.ok])).toEqual([
      [a.id, true],
      [closed.id, false],
      [b.id, true],
    ]);
    const refused = res.body.results[1]!;
    expect(refused.ok === false && refused.error.code).toBe('conflict');
    expect(refused.number).toBe(closed.number);

    const priority = await api<BulkResult>('supervisor', '/api/queue/bulk', {
      method: 'POST',
      body: { action: 'priority', ticketIds: [a.id, b.id], priority: 'P2' },
    });
    expect(priority.body).toMatchObject({ succeeded: 2, failed: 0 });
    const close = await api<BulkResult>('admin', '/api/queue/bulk', {
      method: 'POST',
      body: { action: 'close', ticketIds: [b.id, '00000000-0000-4000-8000-000000000000'] },
    });
    expect(close.body.results.map((r) => (r.ok ? 'ok' : r.error.code))).toEqual(['ok', 'not_found']);

    const timeline = await api<{ items: TimelineEntry[] }>('supervisor', `/api/tickets/${b.id}/timeline`);
    const types = timeline.body.items.map((e) => e.type);
    expect(types).toContain('ticket.assigned');
    const updates = timeline.body.items.filter((e) => e.type === 'ticket.updated').map((e) => e.data);
    expect(updates).toContainEqual(
      expect.objectContaining({ changes: { priority: { from: 'P3', to: 'P2' } } }),
    );
    expect(updates).toContainEqual(expect.objectContaining({ status: { from: 'open', to: 'closed' } }));
    const after = await api<TicketView>('supervisor', `/api/tickets/${b.id}`);
    expect(after.body).toMatchObject({ status: 'closed', priority: 'P2', assignee: { id: ids.agentL1 } });

    for (const bad of [
      { action: 'close', ticketIds: [] },
      { action: 'close', ticketIds: [a.id, a.id] },
      { action: 'priority', ticketIds: [a.id], priority: 'P7' },
      { action: 'delete', ticketIds: [a.id] },
      { action: 'close', ticketIds: ['nope'] },
    ]) {
      expect((await api('supervisor', '/api/queue/bulk', { method: 'POST', body: bad })).status).toBe(400);
    }
    expect((await api<TicketView>('supervisor', `/api/tickets/${a.id}`)).body.status).not.toBe('closed');
  });

  it("shows staff the customer's context: profile, other tickets, calls (recordings where allowed), CSAT", async () => {
    const subject = tickets.video!;
    const now = new Date();
    const [call] = await t.app.db.db
      .insert(calls)
      .values({
        ticketId: tickets.refund!.id,
        startedById: ids.agentL1!,
        status: 'ended',
        startedAt: new Date(now.getTime() - 200_000),
        connectedAt: new Date(now.getTime() - 190_000),
        endedAt: new Date(now.getTime() - 100_000),
      })
      .returning();
    await t.app.db.db.insert(callParticipants).values([
      { callId: call!.id, userId: ids.agentL1!, role: 'agent' },
      { callId: call!.id, userId: ids.customer!, role: 'customer' },
    ]);
    const [recording] = await t.app.db.db
      .insert(recordings)
      .values({ callId: call!.id, ticketId: tickets.refund!.id, trigger: 'agent', status: 'ready' })
      .returning();

    const path = `/api/tickets/${subject.id}/customer-context`;
    const asAgent = await api<CustomerContext>('agentL1', path);
    expect(asAgent.status).toBe(200);
    expect(asAgent.body.customer).toMatchObject({ id: ids.customer, email: DEMO.customer });
    expect(asAgent.body.customer.ticketCount).toBeGreaterThanOrEqual(4);
    const others = asAgent.body.tickets.map((x) => x.id);
    expect(others).toContain(tickets.refund!.id);
    expect(others).not.toContain(subject.id);
    expect(others).not.toContain(tickets.zhang!.id);
    expect(asAgent.body.calls).toHaveLength(1);
    expect(asAgent.body.calls[0]).toMatchObject({
      id: call!.id,
      ticketNumber: tickets.refund!.number,
      durationSeconds: 90,
      recording: { id: recording!.id, status: 'ready' },
    });
    // The recording only for those who may watch it: an agent who was not on the call sees the call, not it.
    const asL2 = await api<CustomerContext>('agentL2', path);
    expect(asL2.body.calls[0]!.recording).toBeNull();
    expect((await api<CustomerContext>('qa', path)).body.calls[0]!.recording).not.toBeNull();

    // CSAT, once the customer answered.
    const solved = tickets.bulkA!;
    expect(
      (await api('supervisor', `/api/tickets/${solved.id}`, { method: 'PATCH', body: { status: 'solved' } }))
        .status,
    ).toBe(200);
    expect(
      (
        await api('customer', `/api/tickets/${solved.id}/csat`, {
          method: 'POST',
          body: { score: 2, comment: '太慢了' },
        })
      ).status,
    ).toBe(201);
    const withCsat = await api<CustomerContext>('supervisor', path);
    expect(withCsat.body.csat).toEqual([
      expect.objectContaining({
        ticketId: solved.id,
        ticketNumber: solved.number,
        score: 2,
        comment: '太慢了',
      }),
    ]);

    expect((await api('customer', path)).status).toBe(403);
    expect(
      (await api('agentL1', '/api/tickets/00000000-0000-4000-8000-000000000000/customer-context')).status,
    ).toBe(404);
    expect((await api('agentL1', '/api/tickets/nope/customer-context')).status).toBe(400);
  });
});
