// What one person's answers must not give away: to a cache (Cache-Control), to another customer
// (linked tickets), or to a customer about to be promised a reply (typing from staff who cannot
// reply). Issue 16, part 4.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '../../signaling/shared/protocol';
import { eventually, record, socketPool } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

describe('private answers', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const api = restAs(() => t.url, tokens);
  const { socketFor, closeAll } = socketPool(
    () => t.url,
    (who) => tokens[who] ?? who,
  );

  async function openTicket(who: string, subject: string): Promise<TicketView> {
    const res = await api<TicketView>(who, '/api/tickets', {
      method: 'POST',
      body: { subject, description: 'Details of the problem.', category: 'course' },
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  beforeAll(async () => {
    t = await startTestApp();
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
    await t.app.users.create({
      email: 'blair.second@example.com',
      name: 'Blair Second',
      password: 'lantern-quarry-mosaic-41',
      role: 'customer',
      skills: [],
      locale: 'en',
    });
    tokens.other = await login(t.url, 'blair.second@example.com', 'lantern-quarry-mosaic-41');
  });
  afterAll(async () => {
    closeAll();
    await t?.close();
  });

  describe('Cache-Control', () => {
    it('is no-store on API answers, successes and errors alike', async () => {
      const me = await fetch(`${t.url}/api/auth/me`, {
        headers: { authorization: `Bearer ${tokens.customer}` },
      });
      expect(me.status).toBe(200);
      expect(me.headers.get('cache-control')).toBe('no-store');
      const list = await fetch(`${t.url}/api/tickets`, {
        headers: { authorization: `Bearer ${tokens.agentL1}` },
      });
      expect(list.headers.get('cache-control')).toBe('no-store');
      const missing = await fetch(`${t.url}/api/tickets/00000000-0000-4000-8000-000000000000`, {
        headers: { authorization: `Bearer ${tokens.customer}` },
      });
      expect(missing.status).toBe(404);
      expect(missing.headers.get('cache-control')).toBe('no-store');
    });

    it('is private on an attachment download, never public', async () => {
      const upload = await fetch(`${t.url}/api/attachments`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${tokens.customer}`,
          'content-type': 'text/plain',
          'x-file-name': 'steps.txt',
        },
        body: 'Click publish, nothing happens.',
      });
      expect(upload.status).toBe(201);
      const { id } = (await upload.json()) as { id: string };
      const download = await fetch(`${t.url}/api/attachments/${id}`, {
        headers: { authorization: `Bearer ${tokens.customer}` },
      });
      expect(download.status).toBe(200);
      expect(await download.text()).toBe('Click publish, nothing happens.');
      const policy = download.headers.get('cache-control') ?? '';
      expect(policy.split(',').map((p) => p.trim())).toContain('private');
      expect(policy).not.toContain('public');
    });
  });

  describe('linked tickets', () => {
    it("never show a customer another customer's ticket id, over REST or the socket", async () => {
      const mine = await openTicket('customer', 'Video freezes in the lesson');
      const theirs = await openTicket('other', 'Video freezes for me too');
      const customer = await socketFor('customer');
      const staff = await socketFor('supervisor');
      // A tab showing the queues hears every ticket's changes.
      expect(await staff.emitWithAck('tickets:watch', { watch: true })).toMatchObject({ ok: true });
      expect(await customer.emitWithAck('ticket:subscribe', { ticketId: mine.id })).toMatchObject({
        ok: true,
      });
      const atCustomer = record(customer, 'ticket:changed');
      const atStaff = record(staff, 'ticket:changed');

      const linked = await api<TicketView>('supervisor', `/api/tickets/${mine.id}/links`, {
        method: 'POST',
        body: { ticketId: theirs.id },
      });
      expect(linked.status).toBe(200);
      // Staff see the link: it is their working note.
      expect(linked.body.linkedTicketIds).toEqual([theirs.id]);
      await eventually(
        () => atStaff.some((v) => v.id === mine.id && v.linkedTicketIds.includes(theirs.id)),
        "the link in the staff's ticket:changed",
      );
      await eventually(() => atCustomer.some((v) => v.id === mine.id), "the customer's ticket:changed");
      for (const view of atCustomer) expect(JSON.stringify(view)).not.toContain(theirs.id);

      const one = await api<TicketView>('customer', `/api/tickets/${mine.id}`);
      expect(one.status).toBe(200);
      expect(JSON.stringify(one.body)).not.toContain(theirs.id);
      const list = await api<{ items: TicketView[] }>('customer', '/api/tickets');
      expect(list.body.items.map((v) => v.id)).toContain(mine.id);
      expect(JSON.stringify(list.body)).not.toContain(theirs.id);
      const subscribed = await customer.emitWithAck('ticket:subscribe', { ticketId: mine.id });
      expect(JSON.stringify(subscribed)).not.toContain(theirs.id);
      // Nor the other way round.
      const other = await api<TicketView>('other', `/api/tickets/${theirs.id}`);
      expect(JSON.stringify(other.body)).not.toContain(mine.id);
      // The timeline that records the link is the support team's only.
      expect((await api('customer', `/api/tickets/${mine.id}/timeline`)).status).toBe(403);
      const staffView = await api<TicketView>('agentL1', `/api/tickets/${mine.id}`);
      expect(staffView.body.linkedTicketIds).toEqual([theirs.id]);
    });
  });

  describe('typing', () => {
    it('is refused, and never relayed, from staff who cannot reply: QA, and an L1 on an L3 ticket', async () => {
      const ticket = await openTicket('customer', 'Exported grades are empty');
      const escalated = await api<TicketView>('supervisor', `/api/tickets/${ticket.id}/escalate`, {
        method: 'POST',
        body: { tier: 'L3', note: 'Export job fails for every course: core team.' },
      });
      expect(escalated.status).toBe(200);
      expect(escalated.body.tier).toBe('L3');

      const customer = await socketFor('customer');
      const qa = await socketFor('qa');
      const l1 = await socketFor('agentL1');
      const supervisor = await socketFor('supervisor');
      for (const socket of [customer, qa, l1, supervisor]) {
        expect(await socket.emitWithAck('ticket:subscribe', { ticketId: ticket.id })).toMatchObject({
          ok: true,
        });
      }
      const atCustomer = record(customer, 'typing:changed');
      const atSupervisor = record(supervisor, 'typing:changed');

      for (const [socket, internal] of [
        [qa, false],
        [qa, true],
        [l1, false],
        [l1, true],
      ] as const) {
        const ack = await socket.emitWithAck('typing:set', { ticketId: ticket.id, typing: true, internal });
        expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      }
      // The barrier: someone who may reply types after the refusals were acknowledged. A relay
      // happens before its ack, and the customer's one connection keeps the server's order, so a
      // (wrongly) relayed flag would have arrived before this one.
      const allowed = await supervisor.emitWithAck('typing:set', { ticketId: ticket.id, typing: true });
      expect(allowed).toEqual({ ok: true, data: null });
      await eventually(() => atCustomer.length > 0, "the supervisor's typing flag at the customer");
      expect(atCustomer.map((e) => e.user.role)).toEqual(['supervisor']);
      // The customer typing still reaches the team.
      expect(await customer.emitWithAck('typing:set', { ticketId: ticket.id, typing: true })).toEqual({
        ok: true,
        data: null,
      });
      await eventually(
        () => atSupervisor.some((e) => e.user.role === 'customer'),
        "the customer's typing flag",
      );
    });
  });
});
