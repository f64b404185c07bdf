import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '../../signaling/shared/protocol';
import { BACKENDS } from '../helpers/database';
import { eventually, record, socketPool } from '../helpers/sockets';
import { DEMO, login, restAs, startTestApp, type TestApp } from '../helpers/testApp';

// Who hears `ticket:changed`: staff with the ticket open and staff tabs showing lists
// (`tickets:watch`), and the ticket's customer; not every staff socket (issue 14: at 5,000 sockets
// each change written to 2,500 agents was most of the server's main thread).
describe.each(BACKENDS)('ticket changes reach the tabs that show them on %s', (backend) => {
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
  async function setPriority(ticketId: string, priority: 'P1' | 'P2' | 'P3' | 'P4') {
    const res = await api<TicketView>('supervisor', `/api/tickets/${ticketId}`, {
      method: 'PATCH',
      body: { priority },
    });
    expect(res.status).toBe(200);
  }

  beforeAll(async () => {
    t = await startTestApp({ backend });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t?.close();
  });

  it('go to watching lists and to the open ticket, not to every staff socket', async () => {
    const ticket = await newTicket('Who hears a change');
    const other = await newTicket('The barrier');
    const lists = await socketFor('agentL1');
    const onTicket = await socketFor('agentL2');
    const elsewhere = await socketFor('supervisor');
    const customer = await socketFor('customer');
    expect(await lists.emitWithAck('tickets:watch', { watch: true })).toEqual({ ok: true, data: null });
    expect(await onTicket.emitWithAck('ticket:subscribe', { ticketId: ticket.id })).toMatchObject({
      ok: true,
    });
    // The supervisor's tab has another ticket open, and shows no list.
    expect(await elsewhere.emitWithAck('ticket:subscribe', { ticketId: other.id })).toMatchObject({
      ok: true,
    });
    expect(await customer.emitWithAck('ticket:subscribe', { ticketId: ticket.id })).toMatchObject({
      ok: true,
    });
    const atLists = record(lists, 'ticket:changed');
    const atTicket = record(onTicket, 'ticket:changed');
    const atElsewhere = record(elsewhere, 'ticket:changed');
    const atCustomer = record(customer, 'ticket:changed');

    await setPriority(ticket.id, 'P2');
    await eventually(
      () => atLists.some((v) => v.id === ticket.id && v.priority === 'P2'),
      'the watching list',
    );
    await eventually(
      () => atTicket.some((v) => v.id === ticket.id && v.priority === 'P2'),
      'the open ticket',
    );
    await eventually(() => atCustomer.some((v) => v.id === ticket.id), "the customer's tab");
    // The barrier: a change to the supervisor's own open ticket, made after, arrives after anything
    // about the first one would have.
    await setPriority(other.id, 'P2');
    await eventually(() => atElsewhere.some((v) => v.id === other.id), 'the barrier');
    expect(atElsewhere.filter((v) => v.id === ticket.id)).toEqual([]);
  });

  it('follows a tab that starts and stops watching', async () => {
    const ticket = await newTicket('Watch on, watch off');
    const tab = await socketFor('supervisor');
    const seen = record(tab, 'ticket:changed');
    expect(await tab.emitWithAck('tickets:watch', { watch: true })).toMatchObject({ ok: true });
    await setPriority(ticket.id, 'P1');
    await eventually(() => seen.some((v) => v.id === ticket.id && v.priority === 'P1'), 'while watching');
    expect(await tab.emitWithAck('tickets:watch', { watch: false })).toMatchObject({ ok: true });
    // Whatever was sent before the tab left the room arrived before this ack (one socket, in order).
    const heard = seen.length;
    await setPriority(ticket.id, 'P3');
    // The barrier: the same change reaches a tab still watching; the one that stopped hears nothing.
    const still = await socketFor('agentL1');
    const atStill = record(still, 'ticket:changed');
    expect(await still.emitWithAck('tickets:watch', { watch: true })).toMatchObject({ ok: true });
    await setPriority(ticket.id, 'P4');
    await eventually(() => atStill.some((v) => v.id === ticket.id && v.priority === 'P4'), 'the barrier');
    expect(seen.slice(heard)).toEqual([]);
  });

  it('is refused to a customer', async () => {
    const customer = await socketFor('customer');
    expect(await customer.emitWithAck('tickets:watch', { watch: true })).toMatchObject({
      ok: false,
      error: { code: 'forbidden' },
    });
  });
});
