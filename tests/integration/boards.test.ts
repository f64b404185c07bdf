import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AckResult, BoardState, TicketView } from '../../signaling/shared/protocol';
import { BROWSER_RTP_CAPABILITIES, ok } from '../helpers/callClient';
import { eventually, record, socketPool } from '../helpers/sockets';
import { DEMO, login, startTestApp, type TestApp } from '../helpers/testApp';

const stroke = (id: string, version: number, versionNonce: number, extra: Record<string, unknown> = {}) => ({
  id,
  type: 'freedraw',
  version,
  versionNonce,
  isDeleted: false,
  x: 10,
  y: 10,
  points: [
    [0, 0],
    [40, 25],
    [80, 10],
  ],
  strokeColor: '#e03131',
  strokeWidth: 2,
  ...extra,
});

describe('the shared whiteboard in a call', () => {
  let t: TestApp;
  const tokens: Record<string, string> = {};

  const { open, socketFor } = socketPool(
    () => t.url,
    (who) => tokens[who] ?? who,
  );

  async function call(subject: string) {
    const res = await fetch(`${t.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.customer}` },
      body: JSON.stringify({ subject, description: 'Let me draw it', category: 'technical' }),
    });
    const ticket = (await res.json()) as TicketView;
    const agent = await socketFor('agentL1');
    const customer = await socketFor('customer');
    const started = ok(await agent.emitWithAck('call:start', { ticketId: ticket.id }));
    ok(await customer.emitWithAck('call:answer', { callId: started.id, accept: true }));
    for (const s of [agent, customer]) {
      ok(await s.emitWithAck('call:join', { callId: started.id, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    }
    return { ticket, agent, customer, callId: started.id };
  }

  beforeAll(async () => {
    t = await startTestApp();
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t?.close();
  });

  it('converges when both sides edit the same element at once, and relays only accepted changes', async () => {
    const { agent, customer, callId } = await call('Concurrent edit');
    ok(await agent.emitWithAck('board:open', { callId }));
    ok(await customer.emitWithAck('board:open', { callId }));
    ok(await customer.emitWithAck('board:update', { callId, elements: [stroke('s1', 1, 500)] }));

    const atAgent = record(agent, 'board:updated');
    const atCustomer = record(customer, 'board:updated');
    // Both edit version 1 → 2 at the same moment with different nonces: the lower nonce must win.
    const [a, c] = await Promise.all([
      agent.emitWithAck('board:update', {
        callId,
        elements: [stroke('s1', 2, 100, { strokeColor: '#1971c2' })],
      }),
      customer.emitWithAck('board:update', {
        callId,
        elements: [stroke('s1', 2, 900, { strokeColor: '#2f9e44' })],
      }),
    ]);
    expect(ok(a).accepted + ok(c).accepted).toBeGreaterThanOrEqual(1);
    await new Promise((r) => setTimeout(r, 200));
    // Apply to a local copy what each side received after its own edit, as a client would.
    const finalAt = (mine: string, received: Array<{ elements: any[] }>) => {
      let current = stroke('s1', 2, mine === 'agent' ? 100 : 900, {
        strokeColor: mine === 'agent' ? '#1971c2' : '#2f9e44',
      });
      for (const u of received) {
        for (const e of u.elements) {
          if (
            e.version > current.version ||
            (e.version === current.version && e.versionNonce < current.versionNonce)
          )
            current = e;
        }
      }
      return current.strokeColor;
    };
    expect(finalAt('agent', atAgent)).toBe('#1971c2');
    expect(finalAt('customer', atCustomer)).toBe('#1971c2');
    // And the server's scene, which a late joiner gets, agrees.
    const late = await socketFor('supervisor');
    ok(await late.emitWithAck('call:join', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    const state = ok(await late.emitWithAck('board:open', { callId })) as BoardState;
    expect(state.elements).toHaveLength(1);
    expect(state.elements[0]).toMatchObject({ id: 's1', version: 2, strokeColor: '#1971c2' });
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('lets a delete win over an older concurrent edit', async () => {
    const { agent, customer, callId } = await call('Delete vs edit');
    ok(await agent.emitWithAck('board:open', { callId }));
    ok(await customer.emitWithAck('board:open', { callId }));
    ok(await agent.emitWithAck('board:update', { callId, elements: [stroke('d1', 1, 5)] }));
    ok(
      await customer.emitWithAck('board:update', {
        callId,
        elements: [stroke('d1', 3, 7, { isDeleted: true })],
      }),
    );
    const stale = ok(
      await agent.emitWithAck('board:update', { callId, elements: [stroke('d1', 2, 1, { x: 500 })] }),
    );
    expect(stale.accepted).toBe(0);
    const state = ok(await agent.emitWithAck('board:open', { callId })) as BoardState;
    expect(state.elements).toEqual([]);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('refuses malformed or oversize updates without touching the other side’s scene', async () => {
    const { agent, customer, callId } = await call('Bad board input');
    const before = await customer.emitWithAck('board:update', { callId, elements: [stroke('x', 1, 1)] });
    expect(before).toMatchObject({ ok: false, error: { code: 'conflict' } }); // not opened yet
    ok(await agent.emitWithAck('board:open', { callId }));
    ok(await customer.emitWithAck('board:open', { callId }));
    ok(await customer.emitWithAck('board:update', { callId, elements: [stroke('keep', 1, 1)] }));
    const atAgent = record(agent, 'board:updated');
    const bad: AckResult<unknown>[] = [
      await customer.emitWithAck('board:update', {
        callId,
        elements: [{ id: 'no-version', type: 'freedraw' }],
      }),
      await customer.emitWithAck('board:update', {
        callId,
        elements: [
          stroke('big', 1, 1, { points: Array.from({ length: 20000 }, () => [1.234567, 7.654321]) }),
        ],
      }),
      await customer.emitWithAck('board:update', {
        callId,
        elements: Array.from({ length: 201 }, (_, i) => stroke(`n${i}`, 1, i)),
      }),
      await customer.emitWithAck('board:update', {
        callId,
        elements: [stroke('ok', 1, 1), { ...stroke('bad', 1, 1), type: 'virus' }],
      }),
      await customer.emitWithAck('board:background', { callId, dataUrl: 'javascript:alert(1)' }),
      await customer.emitWithAck('board:pointer', { callId, x: Number.NaN, y: 1 } as never),
    ];
    for (const r of bad) expect(r).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    await new Promise((r) => setTimeout(r, 150));
    expect(atAgent).toEqual([]);
    const state = ok(await agent.emitWithAck('board:open', { callId })) as BoardState;
    expect(state.elements.map((e) => e.id)).toEqual(['keep']);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('refuses an element holding a NUL character (its text would not store) and keeps the scene', async () => {
    const { agent, customer, callId } = await call('NUL on the board');
    ok(await agent.emitWithAck('board:open', { callId }));
    ok(await customer.emitWithAck('board:open', { callId }));
    const atAgent = record(agent, 'board:updated');
    const refused = await customer.emitWithAck('board:update', {
      callId,
      elements: [stroke('label', 1, 1, { type: 'text', text: 'Step\u00001' })],
    });
    expect(refused).toMatchObject({
      ok: false,
      error: {
        code: 'bad_request',
        details: [{ path: 'elements.0', message: 'must not contain NUL characters' }],
      },
    });
    // A later update arriving at the agent shows the refused one was never relayed before it.
    ok(await customer.emitWithAck('board:update', { callId, elements: [stroke('after', 1, 1)] }));
    await eventually(() => atAgent.length > 0, 'the later update at the agent');
    expect(atAgent.flatMap((u) => u.elements.map((e) => e.id))).toEqual(['after']);
    const state = ok(await agent.emitWithAck('board:open', { callId })) as BoardState;
    expect(state.elements.map((e) => e.id)).toEqual(['after']);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('bounds the update rate', async () => {
    const { agent, callId } = await call('Flood');
    ok(await agent.emitWithAck('board:open', { callId }));
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        agent.emitWithAck('board:update', { callId, elements: [stroke(`f${i}`, 1, i)] }),
      ),
    );
    const limited = results.filter((r) => !r.ok && r.error.code === 'rate_limited');
    expect(limited.length).toBeGreaterThan(0);
    expect(results.filter((r) => r.ok).length).toBeLessThanOrEqual(41);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('relays pointers and the frozen background to the other side', async () => {
    const { agent, customer, callId } = await call('Annotate the screen');
    ok(await agent.emitWithAck('board:open', { callId }));
    ok(await customer.emitWithAck('board:open', { callId }));
    const pointers = record(agent, 'board:pointer');
    const backgrounds = record(agent, 'board:background');
    ok(await customer.emitWithAck('board:pointer', { callId, x: 12, y: 34, tool: 'freedraw' }));
    const png = `data:image/png;base64,${Buffer.from('89504e470d0a1a0a', 'hex').toString('base64')}`;
    ok(await customer.emitWithAck('board:background', { callId, dataUrl: png }));
    await eventually(
      () => pointers.length === 1 && backgrounds.length === 1,
      'pointer and background at the agent',
    );
    expect(pointers[0]).toMatchObject({ x: 12, y: 34, user: { name: 'Casey Customer' } });
    const state = ok(await agent.emitWithAck('board:open', { callId })) as BoardState;
    expect(state.background).toBe(png);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('saves the final scene and an image to the ticket when the call ends; a later call can reopen it', async () => {
    const { ticket, agent, customer, callId } = await call('Saved board');
    ok(await customer.emitWithAck('board:open', { callId }));
    ok(await customer.emitWithAck('board:update', { callId, elements: [stroke('saved-1', 1, 3)] }));
    ok(await customer.emitWithAck('ticket:subscribe', { ticketId: ticket.id }));
    const live = record(customer, 'message:created');
    ok(await agent.emitWithAck('call:hangup', { callId }));
    await eventually(
      () => live.some((m) => m.body.startsWith('Whiteboard')),
      'the saved board in the live conversation',
    );
    const get = (who: string, path: string) =>
      fetch(`${t.url}${path}`, { headers: { authorization: `Bearer ${tokens[who]}` } });
    let boards: any[] = [];
    // Saving runs on the call.ended event, just after the hang-up ack: poll briefly.
    for (let i = 0; i < 50 && boards.length === 0; i++) {
      boards = ((await (await get('customer', `/api/tickets/${ticket.id}/boards`)).json()) as any).items;
      if (boards.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(boards).toHaveLength(1);
    // The conversation's message is the structured event, worded by each reader's client.
    expect(live.find((m) => m.kind === 'system' && m.system?.type === 'board.saved')?.system).toEqual({
      type: 'board.saved',
      callId,
      boardId: boards[0].id,
      elements: 1,
    });
    expect(boards[0]).toMatchObject({
      editable: false,
      elements: [expect.objectContaining({ id: 'saved-1' })],
    });
    const image = await get('customer', boards[0].imageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get('content-type')).toContain('image/svg+xml');
    const svg = await image.text();
    expect(svg).toContain('<svg');
    expect(svg).toMatch(/<path d="M10 10 L50 35 L90 20"/);
    const timeline = ((await (await get('agentL1', `/api/tickets/${ticket.id}/timeline`)).json()) as any)
      .items;
    expect(timeline.find((e: any) => e.type === 'board.saved')).toMatchObject({ data: { elements: 1 } });

    // A later call: the agent reopens the saved board and it starts from that scene.
    const again = ok(await agent.emitWithAck('call:start', { ticketId: ticket.id }));
    ok(await customer.emitWithAck('call:answer', { callId: again.id, accept: true }));
    ok(await agent.emitWithAck('call:join', { callId: again.id, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    const reopened = ok(
      await agent.emitWithAck('board:open', { callId: again.id, reopenBoardId: boards[0].id }),
    ) as BoardState;
    expect(reopened.elements.map((e) => e.id)).toEqual(['saved-1']);
    ok(
      await customer.emitWithAck('call:join', {
        callId: again.id,
        rtpCapabilities: BROWSER_RTP_CAPABILITIES,
      }),
    );
    const asCustomer = await customer.emitWithAck('board:open', {
      callId: again.id,
      reopenBoardId: boards[0].id,
    });
    expect(asCustomer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    ok(await agent.emitWithAck('call:hangup', { callId: again.id }));
  });

  it('keeps people outside the call off its board', async () => {
    const { agent, callId } = await call('Private board');
    const qa = await socketFor('qa');
    const refused = await qa.emitWithAck('board:open', { callId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_found' } });
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });
});
