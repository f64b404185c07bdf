import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callParticipants } from '../../server/db/schema';
import type { AckResult, CallView, TicketView } from '../../signaling/shared/protocol';
import {
  BROWSER_RTP_CAPABILITIES,
  FAKE_DTLS,
  joinAndProduce,
  ok,
  opusRtpParameters,
  vp8RtpParameters,
} from '../helpers/callClient';
import { ManualClock } from '../helpers/manualClock';
import { startRtpReceiver, startRtpSource } from '../helpers/rtpSource';
import { type ClientSocket, eventually, record, socketPool } from '../helpers/sockets';
import { DEMO, login, startTestApp, type TestApp } from '../helpers/testApp';

describe('calls against the real mediasoup worker', () => {
  let t: TestApp;
  // Rings and grace periods run on this clock: the tests move time instead of sleeping.
  const clock = new ManualClock();
  /**
   * Lets every ring and grace period armed so far run out (calls earlier tests left behind end
   * as they would have by now), so a test counts only its own timers.
   */
  const expireLeftovers = () => void clock.advance(3_600_000);
  const tokens: Record<string, string> = {};
  const stops: Array<() => void> = [];

  const { open, socketFor } = socketPool(
    () => t.url,
    (who) => tokens[who] ?? who,
  );

  async function newTicket(subject: string): Promise<TicketView> {
    const res = await fetch(`${t.url}/api/tickets`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens.customer}` },
      body: JSON.stringify({ subject, description: 'Please call me', category: 'video_call' }),
    });
    return (await res.json()) as TicketView;
  }

  async function timelineTypes(ticketId: string): Promise<any[]> {
    const res = await fetch(`${t.url}/api/tickets/${ticketId}/timeline`, {
      headers: { authorization: `Bearer ${tokens.agentL1}` },
    });
    return ((await res.json()) as { items: any[] }).items;
  }

  /** Agent starts, customer answers; both sockets returned. */
  async function ringAndAnswer(subject: string) {
    const ticket = await newTicket(subject);
    const agent = await socketFor('agentL1');
    const customer = await socketFor('customer');
    const incoming = record(customer, 'call:incoming');
    const call = ok(await agent.emitWithAck('call:start', { ticketId: ticket.id }));
    expect(call.status).toBe('ringing');
    await eventually(() => incoming.some((c) => c.id === call.id), 'the ring at the customer');
    const answered = ok(await customer.emitWithAck('call:answer', { callId: call.id, accept: true }));
    expect(answered.status).toBe('connecting');
    const customerId = answered.participants.find((p) => p.role === 'customer')!.user.id;
    return { ticket, agent, customer, callId: call.id, customerId };
  }

  /**
   * Real media from one person to another through the SFU, and nothing back: FFmpeg's RTP becomes
   * a track of the sender's peer, and a UDP receiver one of the receiver's (as a browser's would
   * after DTLS). From the agent to the customer it is a customer whose camera and microphone are
   * blocked.
   */
  async function realMedia(callId: string, from: ClientSocket, to: ClientSocket) {
    const room = t.app.media.getRoom(callId)!;
    const source = await startRtpSource(room.router, { seconds: 30 });
    room.attachProducer(room.getPeer(await whoami(from)), source.video);
    const receiver = await startRtpReceiver(room, room.getPeer(await whoami(to)), source.video.id);
    stops.push(() => {
      receiver.stop();
      source.stop();
    });
    return receiver;
  }

  beforeAll(async () => {
    t = await startTestApp({
      // Access tokens (and the sockets they opened) expire on this clock too: a day outlasts the
      // hours `expireLeftovers` moves it.
      env: { CALL_RING_SECONDS: '1', CALL_REJOIN_GRACE_SECONDS: '1', JWT_TTL_SECONDS: '86400' },
      clock,
    });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
  });
  afterEach(() => {
    // FFmpeg encoders left running would load the machine for the next tests.
    for (const stop of stops.splice(0)) stop();
  });
  afterAll(async () => {
    for (const s of open) s.close();
    await t?.close();
  });

  it('joins, produces, consumes (paused first) and leaves', async () => {
    const { agent, customer, callId } = await ringAndAnswer('Produce and consume');
    const atCustomer = record(customer, 'call:producer:new');
    const a = await joinAndProduce(agent, callId, 1111);
    expect(a.join.routerRtpCapabilities).toHaveProperty('codecs');
    expect(a.join.rejoinGraceMs).toBe(1000);
    const c = await joinAndProduce(customer, callId, 2222);
    // The customer joined after the agent produced: the join result lists the agent's track.
    expect(c.join.producers.map((p) => p.producerId)).toEqual([a.producerId]);
    expect(atCustomer).toEqual([]);

    const consumer = ok(
      await customer.emitWithAck('call:consume', {
        callId,
        transportId: c.recv.id,
        producerId: a.producerId,
      }),
    );
    expect(consumer).toMatchObject({
      kind: 'video',
      source: 'camera',
      paused: true,
      peerId: expect.any(String),
    });
    ok(await customer.emitWithAck('call:consumer:resume', { callId, consumerId: consumer.id }));

    // The agent hears about the customer's new track live.
    const atAgent = record(agent, 'call:producer:new');
    const mic = ok(
      await customer.emitWithAck('call:produce', {
        callId,
        transportId: c.send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(3333),
        source: 'mic',
      }),
    );
    await eventually(() => atAgent.some((p) => p.producerId === mic.producerId), 'the new-producer notice');

    const closedAtCustomer = record(customer, 'call:consumer:closed');
    ok(await agent.emitWithAck('call:producer:close', { callId, producerId: a.producerId }));
    await eventually(
      () => closedAtCustomer.some((x) => x.consumerId === consumer.id),
      'the consumer to close',
    );

    ok(await customer.emitWithAck('call:leave', { callId }));
    const room = t.app.media.getRoom(callId)!;
    expect([...room.peers.keys()]).toHaveLength(1);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('hands out the router capabilities before a join, and joins with transports and ready consumers in one round trip', async () => {
    const { agent, customer, callId } = await ringAndAnswer('One round trip');
    const caps = ok(await customer.emitWithAck('call:capabilities', {}));
    const a = await joinAndProduce(agent, callId, 1616);
    // The same capabilities the room's router has: a device loaded with them can join any call.
    expect(caps.routerRtpCapabilities).toEqual(a.join.routerRtpCapabilities);
    // Unknown fields are refused, like everywhere else.
    expect(await customer.emitWithAck('call:capabilities', { callId } as never)).toMatchObject({
      ok: false,
      error: { code: 'bad_request' },
    });

    const joined = ok(
      await customer.emitWithAck('call:join', {
        callId,
        rtpCapabilities: BROWSER_RTP_CAPABILITIES,
        transports: true,
      }),
    );
    expect(joined.transports?.send.id).toEqual(expect.any(String));
    expect(joined.transports?.recv.id).not.toBe(joined.transports?.send.id);
    // The agent's camera is already being consumed, paused, on the new receive transport.
    expect(joined.consumers).toEqual([
      expect.objectContaining({ producerId: a.producerId, kind: 'video', source: 'camera', paused: true }),
    ]);
    const room = t.app.media.getRoom(callId)!;
    const me = room.getPeer((ok(await customer.emitWithAck('session:whoami', {})) as { id: string }).id);
    const consumerId = joined.consumers![0]!.id;
    expect(me.getConsumer(consumerId).paused).toBe(true);
    ok(await customer.emitWithAck('call:consumer:resume', { callId, consumerId }));
    expect(me.getConsumer(consumerId).paused).toBe(false);
    // The transports are the customer's own: they can connect them, the agent cannot.
    ok(
      await customer.emitWithAck('call:transport:connect', {
        callId,
        transportId: joined.transports!.recv.id,
        dtlsParameters: FAKE_DTLS,
      }),
    );
    const stolen = await agent.emitWithAck('call:transport:connect', {
      callId,
      transportId: joined.transports!.send.id,
      dtlsParameters: FAKE_DTLS,
    });
    expect(stolen).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // A track that appears later comes with its consumer made on the agent's receive transport.
    const atAgent = record(agent, 'call:producer:new');
    const mic = ok(
      await customer.emitWithAck('call:produce', {
        callId,
        transportId: joined.transports!.send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(1717),
        source: 'mic',
      }),
    );
    await eventually(() => atAgent.some((n) => n.producerId === mic.producerId), 'the notice at the agent');
    const notice = atAgent.find((n) => n.producerId === mic.producerId)!;
    expect(notice.consumerTransportId).toBe(a.recv.id);
    expect(notice.consumer).toMatchObject({ producerId: mic.producerId, kind: 'audio', paused: true });
    const agentPeer = room.getPeer((ok(await agent.emitWithAck('session:whoami', {})) as { id: string }).id);
    expect(agentPeer.getConsumer(notice.consumer!.id).paused).toBe(true);
    ok(await agent.emitWithAck('call:consumer:resume', { callId, consumerId: notice.consumer!.id }));
    expect(agentPeer.getConsumer(notice.consumer!.id).paused).toBe(false);
    // The customer cannot resume the agent's consumer.
    const foreign = await customer.emitWithAck('call:consumer:resume', {
      callId,
      consumerId: notice.consumer!.id,
    });
    expect(foreign).toMatchObject({ ok: false, error: { code: 'not_found' } });
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('never lets a peer consume, pause or close another peer’s objects by guessing ids', async () => {
    const { agent, customer, callId } = await ringAndAnswer('Guessing ids');
    const a = await joinAndProduce(agent, callId, 4444);
    const c = await joinAndProduce(customer, callId, 5555);
    const cons = ok(
      await agent.emitWithAck('call:consume', { callId, transportId: a.recv.id, producerId: c.producerId }),
    );

    // The customer uses the agent's transport, producer and consumer ids.
    const attempts: AckResult<unknown>[] = [
      await customer.emitWithAck('call:consume', {
        callId,
        transportId: a.recv.id,
        producerId: a.producerId,
      }),
      await customer.emitWithAck('call:producer:set-paused', {
        callId,
        producerId: a.producerId,
        paused: true,
      }),
      await customer.emitWithAck('call:producer:close', { callId, producerId: a.producerId }),
      await customer.emitWithAck('call:consumer:resume', { callId, consumerId: cons.id }),
      await customer.emitWithAck('call:transport:connect', {
        callId,
        transportId: a.send.id,
        dtlsParameters: FAKE_DTLS,
      }),
      await customer.emitWithAck('call:transport:restart-ice', { callId, transportId: a.send.id }),
    ];
    for (const result of attempts) expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // Nothing of the agent's changed.
    const peer = t.app.media.getRoom(callId)!.getPeer(await whoami(agent));
    expect(peer.producers.get(a.producerId)?.paused).toBe(false);
    expect(peer.producers.has(a.producerId)).toBe(true);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  async function whoami(s: ClientSocket) {
    return ok(await s.emitWithAck('session:whoami', {})).id;
  }

  it('answers malformed and out-of-order signaling with result errors, and the room keeps working', async () => {
    const { agent, customer, callId } = await ringAndAnswer('Bad signaling');
    // Out of order: transports and produce before joining.
    const early = await customer.emitWithAck('call:transport:create', { callId, direction: 'send' });
    expect(early).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const a = await joinAndProduce(agent, callId, 6666);
    const notJoined = await customer.emitWithAck('call:consume', {
      callId,
      transportId: 'x',
      producerId: a.producerId,
    });
    expect(notJoined).toMatchObject({ ok: false, error: { code: 'not_found' } });

    ok(await customer.emitWithAck('call:join', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    const send = ok(await customer.emitWithAck('call:transport:create', { callId, direction: 'send' }));
    const malformed: AckResult<unknown>[] = [
      await customer.emitWithAck('call:produce', {
        callId,
        transportId: send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(7777),
        source: 'camera',
      } as never),
      await customer.emitWithAck('call:produce', {
        callId,
        transportId: send.id,
        kind: 'video',
        rtpParameters: { codecs: 'nope' },
        source: 'camera',
      }),
      await customer.emitWithAck('call:transport:create', { callId, direction: 'sideways' } as never),
      await customer.emitWithAck('call:join', { callId: 'not-a-uuid', rtpCapabilities: {} } as never),
      await customer.emitWithAck('call:stats', { callId, stats: { packetLoss: 7 } } as never),
      await customer.emitWithAck('call:transport:connect', {
        callId,
        transportId: send.id,
        dtlsParameters: { role: 'x' },
      }),
    ];
    for (const result of malformed) {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(['bad_request', 'conflict']).toContain(result.error.code);
    }
    // Producing into a receive-only transport is refused too.
    const recv = ok(await customer.emitWithAck('call:transport:create', { callId, direction: 'recv' }));
    const wrongWay = await customer.emitWithAck('call:produce', {
      callId,
      transportId: recv.id,
      kind: 'audio',
      rtpParameters: opusRtpParameters(8888),
      source: 'mic',
    });
    expect(wrongWay).toMatchObject({ ok: false, error: { code: 'bad_request' } });

    // Still working: a correct produce and consume go through.
    ok(
      await customer.emitWithAck('call:transport:connect', {
        callId,
        transportId: send.id,
        dtlsParameters: FAKE_DTLS,
      }),
    );
    ok(
      await customer.emitWithAck('call:produce', {
        callId,
        transportId: send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(9999),
        source: 'mic',
      }),
    );
    ok(
      await customer.emitWithAck('call:consume', { callId, transportId: recv.id, producerId: a.producerId }),
    );
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('records a connected call on the ticket: participants, first response, duration and stats in the snapshot', async () => {
    const { ticket, agent, customer, callId } = await ringAndAnswer('Full call');
    await joinAndProduce(agent, callId, 1212);
    await joinAndProduce(customer, callId, 1313);
    const updates = record(agent, 'call:updated');
    await realMedia(callId, agent, customer);
    ok(
      await agent.emitWithAck('call:stats', {
        callId,
        stats: {
          bytesReceived: 5000,
          rttMs: 20,
          packetLoss: 0,
          inboundKbps: 800,
          frameWidth: 640,
          frameHeight: 480,
        },
      }),
    );
    ok(
      await customer.emitWithAck('call:stats', {
        callId,
        stats: { bytesReceived: 4000, rttMs: 30, packetLoss: 0.01, inboundKbps: 600 },
      }),
    );
    await eventually(
      () => updates.some((c) => c.status === 'connected'),
      'the SFU to see media flow',
      20_000,
    );
    clock.advance(1100);
    const ended = ok(await customer.emitWithAck('call:hangup', { callId })) as CallView;
    expect(ended).toMatchObject({ status: 'ended', endReason: 'hangup' });
    expect(ended.connectedSeconds).toBeGreaterThanOrEqual(1);
    expect(ended.participants.map((p) => p.role).sort()).toEqual(['agent', 'customer']);
    expect(ended.participants.every((p) => p.joinedAt && p.leftAt)).toBe(true);

    const listed = await fetch(`${t.url}/api/tickets/${ticket.id}/calls`, {
      headers: { authorization: `Bearer ${tokens.customer}` },
    });
    expect(((await listed.json()) as { items: CallView[] }).items.map((c) => [c.id, c.status])).toEqual([
      [callId, 'ended'],
    ]);
    const types = (await timelineTypes(ticket.id)).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['call.started', 'call.connected', 'ticket.first_response', 'call.ended']),
    );
    const res = await fetch(`${t.url}/api/tickets/${ticket.id}`, {
      headers: { authorization: `Bearer ${tokens.agentL1}` },
    });
    const view = (await res.json()) as TicketView;
    expect(view.firstResponseAt).not.toBeNull();
    expect(view.sla.clocks.find((c) => c.clock === 'first_response')?.status).toBe('met');
    expect(view.callCount).toBe(1);
    expect(view.callSeconds).toBe(ended.connectedSeconds);
    // Still open: there is no time to resolution yet to take a share of.
    expect(view.callShareOfResolution).toBeNull();
    const lastCall = (view.snapshot as any).lastCall;
    expect(lastCall.callId).toBe(callId);
    expect(
      Object.values(lastCall.participants)
        .map((p: any) => p.rttMsMean)
        .sort(),
    ).toEqual([20, 30]);
  });

  it('connects a one-way call (the customer sends nothing) when the SFU sees the agent’s media reach the customer, and times it', async () => {
    const { ticket, agent, customer, callId, customerId } = await ringAndAnswer('One-way call');
    const updates = record(agent, 'call:updated');
    const atCustomer = record(customer, 'call:updated');
    await joinAndProduce(agent, callId, 1818);
    // The customer joins with nothing to send (camera and microphone blocked) and sends no stats.
    ok(await customer.emitWithAck('call:join', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    const receiver = await realMedia(callId, agent, customer);
    await eventually(
      () => updates.some((c) => c.status === 'connected') && atCustomer.some((c) => c.status === 'connected'),
      'both sides to hear the call is connected',
      20_000,
    );
    // What made it connected is media that really arrived.
    expect(receiver.packets()).toBeGreaterThan(0);
    const flows = await t.app.media.getRoom(callId)!.readFlows();
    const agentId = await whoami(agent);
    expect(flows.find((f) => f.toPeerId === customerId && f.consumerBytes > 0)).toMatchObject({
      fromPeerId: agentId,
      carriersConnected: true,
    });
    expect(flows.some((f) => f.fromPeerId === customerId)).toBe(false);
    const connectedAt = Date.parse(updates.find((c) => c.status === 'connected')!.connectedAt!);
    await eventually(() => Date.now() - connectedAt >= 1500, 'a second and a half of call', 5000);
    const ended = ok(await agent.emitWithAck('call:hangup', { callId })) as CallView;
    expect(ended.connectedSeconds).toBeGreaterThanOrEqual(1);
    const timeline = await timelineTypes(ticket.id);
    expect(timeline.find((e) => e.type === 'call.ended')?.data).toMatchObject({
      connectedSeconds: ended.connectedSeconds,
      connected: true,
    });
    expect(timeline.find((e) => e.type === 'ticket.first_response')?.data).toMatchObject({
      via: 'call',
      callId,
    });
    const view = (await (
      await fetch(`${t.url}/api/tickets/${ticket.id}`, {
        headers: { authorization: `Bearer ${tokens.agentL1}` },
      })
    ).json()) as TicketView;
    expect(view.firstResponseAt).not.toBeNull();
    expect(view.callSeconds).toBe(ended.connectedSeconds);
  });

  it('never marks a call connected on the clients’ word: statistics that claim media, with none flowing, change nothing', async () => {
    const { ticket, agent, customer, callId } = await ringAndAnswer('Claimed, not connected');
    const updates = record(agent, 'call:updated');
    const a = await joinAndProduce(agent, callId, 1919);
    const c = await joinAndProduce(customer, callId, 2020);
    // Each consumes and resumes the other's track, as a browser would, but no DTLS and no RTP.
    for (const [s, recv, producerId] of [
      [agent, a.recv.id, c.producerId],
      [customer, c.recv.id, a.producerId],
    ] as const) {
      const consumer = ok(await s.emitWithAck('call:consume', { callId, transportId: recv, producerId }));
      ok(await s.emitWithAck('call:consumer:resume', { callId, consumerId: consumer.id }));
    }
    for (const s of [agent, customer]) {
      ok(
        await s.emitWithAck('call:stats', {
          callId,
          stats: {
            bytesReceived: 1,
            inboundKbps: 900,
            framesDecoded: 300,
            frameWidth: 640,
            frameHeight: 480,
          },
        }),
      );
    }
    // Claims used to connect the call before their acknowledgement; now nothing moves.
    const call = ok(await agent.emitWithAck('call:hangup', { callId })) as CallView;
    expect(call).toMatchObject({ status: 'ended', connectedAt: null, connectedSeconds: 0 });
    expect(updates.some((u) => u.status === 'connected')).toBe(false);
    const types = (await timelineTypes(ticket.id)).map((e) => e.type);
    expect(types).not.toContain('call.connected');
    expect(types).not.toContain('ticket.first_response');
    // The claims still count for the statistics summary.
    expect(Object.keys((call.statsSummary as any).participants)).toHaveLength(2);
  });

  it('never counts media that reached only the SFU: a real sender, a receiver that never completed DTLS', async () => {
    const { agent, customer, callId } = await ringAndAnswer('Half way');
    const updates = record(agent, 'call:updated');
    await joinAndProduce(agent, callId, 2121);
    const c = await joinAndProduce(customer, callId, 2222);
    const room = t.app.media.getRoom(callId)!;
    const source = await startRtpSource(room.router, { seconds: 30 });
    stops.push(source.stop);
    room.attachProducer(room.getPeer(await whoami(agent)), source.video);
    // The customer's browser-less client consumes the real track on its (never connected) transport.
    const consumer = ok(
      await customer.emitWithAck('call:consume', {
        callId,
        transportId: c.recv.id,
        producerId: source.video.id,
      }),
    );
    ok(await customer.emitWithAck('call:consumer:resume', { callId, consumerId: consumer.id }));
    for (const s of [agent, customer])
      ok(await s.emitWithAck('call:stats', { callId, stats: { bytesReceived: 50_000 } }));
    // The SFU receives the agent's media, and sees that none of it can reach the customer.
    const deadline = Date.now() + 10_000;
    let flow = (await room.readFlows()).find((f) => f.consumerId === consumer.id);
    while (!(flow && flow.producerBytes > 0) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      flow = (await room.readFlows()).find((f) => f.consumerId === consumer.id);
    }
    expect(flow).toMatchObject({ carriersConnected: false, consumerBytes: 0 });
    expect(flow!.producerBytes).toBeGreaterThan(0);
    const call = ok(await agent.emitWithAck('call:hangup', { callId })) as CallView;
    expect(call.connectedAt).toBeNull();
    expect(updates.some((u) => u.status === 'connected')).toBe(false);
  });

  it('gives supervisors each agent’s call time and its share of their resolved tickets’ time', async () => {
    const agents = async () => {
      const res = await fetch(`${t.url}/api/agents`, {
        headers: { authorization: `Bearer ${tokens.supervisor}` },
      });
      expect(res.status).toBe(200);
      const items = ((await res.json()) as { items: any[] }).items;
      return {
        l1: items.find((a) => a.email === DEMO.agentL1),
        l2: items.find((a) => a.email === DEMO.agentL2),
      };
    };
    const before = await agents();
    const { ticket, agent, customer, callId } = await ringAndAnswer('Counted per agent');
    await joinAndProduce(agent, callId, 1414);
    await joinAndProduce(customer, callId, 1515);
    const updates = record(agent, 'call:updated');
    await realMedia(callId, agent, customer);
    await eventually(
      () => updates.some((c) => c.status === 'connected'),
      'the SFU to see media flow',
      20_000,
    );
    clock.advance(2100);
    const ended = ok(await agent.emitWithAck('call:hangup', { callId })) as CallView;
    expect(ended.connectedSeconds).toBeGreaterThanOrEqual(2);

    const during = await agents();
    expect(during.l1.callCount).toBe(before.l1.callCount + 1);
    // Sums of rounded durations: each call may move the total by up to half a second.
    expect(
      Math.abs(during.l1.callSeconds - (before.l1.callSeconds + ended.connectedSeconds!)),
    ).toBeLessThanOrEqual(1);
    // The L2 agent was not on the call.
    expect(during.l2).toMatchObject({ callCount: before.l2.callCount, callSeconds: before.l2.callSeconds });
    // Nothing resolved yet by the L1 agent in this suite: no share to give.
    expect(before.l1.callShareOfResolution).toBeNull();

    // The agent takes the ticket and solves it: the ticket's share becomes the agent's.
    const headers = { 'content-type': 'application/json', authorization: `Bearer ${tokens.agentL1}` };
    expect((await fetch(`${t.url}/api/tickets/${ticket.id}/claim`, { method: 'POST', headers })).status).toBe(
      200,
    );
    const solved = await fetch(`${t.url}/api/tickets/${ticket.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ status: 'solved' }),
    });
    expect(solved.status).toBe(200);
    const view = (await solved.json()) as TicketView;
    expect(view.callShareOfResolution).toBeGreaterThan(0);
    const after = await agents();
    expect(after.l1.callShareOfResolution).toBeGreaterThan(0);
    expect(after.l1.callShareOfResolution).toBeCloseTo(view.callShareOfResolution!, 2);
    expect(after.l2.callShareOfResolution).toBe(before.l2.callShareOfResolution);

    // Closing a solved ticket keeps its resolution, and so the share, for the ticket and the agent.
    const closed = await fetch(`${t.url}/api/tickets/${ticket.id}`, {
      method: 'PATCH',
      headers,
      body: JSON.stringify({ status: 'closed' }),
    });
    expect(closed.status).toBe(200);
    const closedView = (await closed.json()) as TicketView;
    expect(closedView.solvedAt).toBe(view.solvedAt);
    expect(closedView.callShareOfResolution).toBe(view.callShareOfResolution);
    expect((await agents()).l1.callShareOfResolution).toBeCloseTo(view.callShareOfResolution!, 2);
    // Customers may not see the team at all.
    const forbidden = await fetch(`${t.url}/api/agents`, {
      headers: { authorization: `Bearer ${tokens.customer}` },
    });
    expect(forbidden.status).toBe(403);
  });

  it('answers once: again from another tab is harmless; the caller may not answer, nor anyone an ended call', async () => {
    const updates = record(await socketFor('agentL1'), 'call:updated');
    const { agent, customer, callId } = await ringAndAnswer('Answered twice');
    const again = ok(await customer.emitWithAck('call:answer', { callId, accept: true }));
    // The same call, as the first answer left it, with its people; nobody is told twice.
    expect(again).toMatchObject({ id: callId, status: 'connecting' });
    expect(again.answeredAt).not.toBeNull();
    expect(again.participants.map((p) => p.role).sort()).toEqual(['agent', 'customer']);
    // Only the customer answers (another customer: 'keeps another customer out of the call').
    const byCaller = await agent.emitWithAck('call:answer', { callId, accept: true });
    expect(byCaller).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    ok(await agent.emitWithAck('call:hangup', { callId }));
    const mine = () => updates.filter((c) => c.id === callId).map((c) => c.status);
    await eventually(() => mine().includes('ended'), 'the hang-up');
    expect(mine()).toEqual(['ringing', 'connecting', 'ended']);
    const late = await customer.emitWithAck('call:answer', { callId, accept: true });
    expect(late).toMatchObject({ ok: false, error: { code: 'conflict', message: 'This call has ended.' } });
  });

  it('ends with a clear reason on decline, no answer, an offline customer, and cancel', async () => {
    const declined = await newTicket('Decline');
    const agent = await socketFor('agentL1');
    const customer = await socketFor('customer');
    const c1 = ok(await agent.emitWithAck('call:start', { ticketId: declined.id }));
    const d = ok(await customer.emitWithAck('call:answer', { callId: c1.id, accept: false }));
    expect(d).toMatchObject({ status: 'ended', endReason: 'declined' });

    const unanswered = await newTicket('No answer');
    const updates = record(agent, 'call:updated');
    expireLeftovers();
    const c2 = ok(await agent.emitWithAck('call:start', { ticketId: unanswered.id }));
    // The ring is the only timer: still ringing just short of 1 s, over at 1 s.
    expect(clock.advance(999)).toBe(0);
    expect(clock.advance(1)).toBe(1);
    await eventually(
      () => updates.some((c) => c.id === c2.id && c.endReason === 'no_answer'),
      'no_answer after 1 s',
    );
    expect(updates.filter((c) => c.id === c2.id).map((c) => c.status)).toEqual(['ringing', 'ended']);
    const entries = await timelineTypes(unanswered.id);
    expect(entries.find((e) => e.type === 'call.ended')?.data).toMatchObject({
      reason: 'no_answer',
      connected: false,
    });

    const cancelled = await newTicket('Cancel');
    const c3 = ok(await agent.emitWithAck('call:start', { ticketId: cancelled.id }));
    expect(ok(await agent.emitWithAck('call:cancel', { callId: c3.id }))).toMatchObject({
      endReason: 'cancelled',
    });

    for (const s of open) if (s !== agent) s.close();
    // Nobody is online for the customer any more once every socket of theirs is gone.
    const customerId = d.participants.find((p) => p.role === 'customer')!.user.id;
    while ((await t.app.io.in(`user:${customerId}`).fetchSockets()).length > 0) {
      // The in-process adapter answers at once: let the server's I/O (the disconnects) run.
      await new Promise((r) => setImmediate(r));
    }
    const offline = await newTicket('Offline');
    const c4 = ok(await agent.emitWithAck('call:start', { ticketId: offline.id }));
    expect(c4).toMatchObject({ status: 'ended', endReason: 'customer_offline' });
  });

  it('keeps a call through a reconnect within the grace period, and ends it after', async () => {
    const { agent, customer, callId } = await ringAndAnswer('Grace period');
    await joinAndProduce(agent, callId, 1414);
    await joinAndProduce(customer, callId, 1515);
    expireLeftovers();
    const grace = clock.nextTimer();
    customer.close();
    await grace;
    // Back within the 1 s grace period, on a new connection, which ends the period.
    expect(clock.advance(500)).toBe(0);
    const again = await socketFor('customer');
    await joinAndProduce(again, callId, 1616);
    expect(clock.advance(1000)).toBe(0);
    expect(ok(await again.emitWithAck('call:stats', { callId, stats: {} }))).toBeNull();
    const view = t.app.media.getRoom(callId);
    expect(view?.peers.size).toBe(2);

    const updates = record(agent, 'call:updated');
    const graceAgain = clock.nextTimer();
    again.close();
    await graceAgain;
    expect(clock.advance(999)).toBe(0);
    expect(clock.advance(1)).toBe(1);
    await eventually(
      () => updates.some((c) => c.id === callId && c.endReason === 'disconnected'),
      'the call to end after the grace period',
    );
  });

  it('lets a supervisor join a running call visibly, as a third peer', async () => {
    const { agent, customer, callId } = await ringAndAnswer('Supervisor joins');
    const a = await joinAndProduce(agent, callId, 1717);
    await joinAndProduce(customer, callId, 1818);
    const updates = record(customer, 'call:updated');
    const supervisor = await socketFor('supervisor');
    const s = await joinAndProduce(supervisor, callId, 1919);
    expect(s.join.producers.map((p) => p.producerId)).toContain(a.producerId);
    ok(
      await supervisor.emitWithAck('call:consume', {
        callId,
        transportId: s.recv.id,
        producerId: a.producerId,
      }),
    );
    await eventually(
      () => updates.some((c) => c.participants.some((p) => p.role === 'supervisor' && p.present)),
      'the supervisor to be visible to the customer',
    );
    // A QA reviewer may not join.
    const qa = await socketFor('qa');
    const refused = await qa.emitWithAck('call:join', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('connects only on media between the customer and support: agent to supervisor is not enough, and a call a supervisor started connects', async () => {
    // A supervisor and the agent see each other while the customer is on the line but silent.
    const { agent, customer, callId } = await ringAndAnswer('Staff only');
    const updates = record(agent, 'call:updated');
    await joinAndProduce(agent, callId, 2323);
    ok(await customer.emitWithAck('call:join', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    const supervisor = await socketFor('supervisor');
    ok(await supervisor.emitWithAck('call:join', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    const toSupervisor = await realMedia(callId, agent, supervisor);
    // The SFU's evidence reaches the service: the supervisor is marked receiving.
    const supervisorId = await whoami(supervisor);
    const receivingAt = async () => {
      const [row] = await t.app.db.db
        .select({ at: callParticipants.receivingAt })
        .from(callParticipants)
        .where(and(eq(callParticipants.callId, callId), eq(callParticipants.userId, supervisorId)));
      return row?.at ?? null;
    };
    const deadline = Date.now() + 20_000;
    while (!(await receivingAt()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(await receivingAt()).toBeInstanceOf(Date);
    expect(toSupervisor.packets()).toBeGreaterThan(0);
    // The same evidence again, awaited to its end: between staff only, it does not connect the call.
    await t.app.calls.mediaFlowed(callId, await whoami(agent), supervisorId, new Date());
    const staffOnly = ok(await agent.emitWithAck('call:hangup', { callId })) as CallView;
    expect(staffOnly.connectedAt).toBeNull();
    expect(updates.some((u) => u.status === 'connected')).toBe(false);

    // A supervisor starts a call: their media reaching the customer connects it.
    const ticket = await newTicket('Supervisor calls');
    const sup = await socketFor('supervisor');
    const cust = await socketFor('customer');
    const incoming = record(cust, 'call:incoming');
    const started = ok(await sup.emitWithAck('call:start', { ticketId: ticket.id }));
    await eventually(() => incoming.some((c) => c.id === started.id), 'the ring at the customer');
    const supUpdates = record(sup, 'call:updated');
    for (const s of [sup, cust])
      ok(await s.emitWithAck('call:join', { callId: started.id, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    await realMedia(started.id, sup, cust);
    await eventually(
      () => supUpdates.some((c) => c.status === 'connected'),
      'the supervisor’s call to connect',
      20_000,
    );
    ok(await sup.emitWithAck('call:hangup', { callId: started.id }));
  });

  it('keeps another customer out of the call', async () => {
    await t.app.users.create({
      email: 'call.intruder@example.com',
      name: 'Intruder',
      password: 'granite-fjord-velvet',
      role: 'customer',
      skills: [],
      locale: 'en',
    });
    tokens.intruder = await login(t.url, 'call.intruder@example.com', 'granite-fjord-velvet');
    const { agent, callId } = await ringAndAnswer('Private call');
    const intruder = await socketFor('intruder');
    for (const result of [
      await intruder.emitWithAck('call:join', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }),
      await intruder.emitWithAck('call:prepare', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }),
      await intruder.emitWithAck('call:answer', { callId, accept: true }),
      await intruder.emitWithAck('call:hangup', { callId }),
    ]) {
      expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    }
    // Nothing was made for them: no peer in the call, none getting ready.
    const room = t.app.media.getRoom(callId);
    expect(room?.waiting.size ?? 0).toBe(0);
    expect(room?.peers.size ?? 0).toBe(0);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('prepares a peer on the device check: held until it joins, then let through without new transports', async () => {
    const { agent, customer, callId, customerId } = await ringAndAnswer('Prepared on the device check');
    const a = await joinAndProduce(agent, callId, 2424);
    const noticesAtAgent = record(agent, 'call:producer:new');
    const changesAtAgent = record(agent, 'call:producer:paused');

    const prepared = ok(
      await customer.emitWithAck('call:prepare', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }),
    );
    // Both transports, and a paused consumer of what the agent already sends.
    expect(prepared.transports.send.id).toBeTruthy();
    expect(prepared.consumers).toMatchObject([{ producerId: a.producerId, paused: true, waiting: false }]);
    const room = t.app.media.getRoom(callId)!;
    expect(room.peers.has(customerId)).toBe(false);
    const waiting = room.waiting.get(customerId)!;
    expect(waiting).toBeDefined();

    // Its tracks: held on the server; the agent hears of them as waiting, with consumers made.
    for (const transportId of [prepared.transports.send.id, prepared.transports.recv.id]) {
      ok(
        await customer.emitWithAck('call:transport:connect', {
          callId,
          transportId,
          dtlsParameters: FAKE_DTLS,
        }),
      );
    }
    const camera = ok(
      await customer.emitWithAck('call:produce', {
        callId,
        transportId: prepared.transports.send.id,
        kind: 'video',
        rtpParameters: vp8RtpParameters(2525),
        source: 'camera',
      }),
    );
    const mic = ok(
      await customer.emitWithAck('call:produce', {
        callId,
        transportId: prepared.transports.send.id,
        kind: 'audio',
        rtpParameters: opusRtpParameters(2626),
        source: 'mic',
      }),
    );
    expect(waiting.producers.get(camera.producerId)?.paused).toBe(true);
    await eventually(() => noticesAtAgent.length === 2, 'the agent to hear of the held tracks');
    expect(noticesAtAgent.map((n) => n.waiting)).toEqual([true, true]);
    expect(noticesAtAgent[0]?.consumer).toMatchObject({ producerPaused: true, waiting: true });
    // Resuming what it receives, and muting, take effect only at the join.
    const [received] = prepared.consumers;
    ok(await customer.emitWithAck('call:consumer:resume', { callId, consumerId: received!.id }));
    expect(waiting.consumers.get(received!.id)?.paused).toBe(true);
    ok(
      await customer.emitWithAck('call:producer:set-paused', {
        callId,
        producerId: mic.producerId,
        paused: true,
      }),
    );
    // Not in the call yet: no statistics, not present.
    expect(await customer.emitWithAck('call:stats', { callId, stats: {} })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    const joined = ok(
      await customer.emitWithAck('call:join', {
        callId,
        rtpCapabilities: BROWSER_RTP_CAPABILITIES,
        transports: true,
        prepared: true,
      }),
    );
    expect(joined.prepared).toBe(true);
    expect(joined.transports).toBeUndefined();
    expect(room.peers.get(customerId)).toBe(waiting);
    expect(room.waiting.size).toBe(0);
    expect(waiting.consumers.get(received!.id)?.paused).toBe(false);
    expect(waiting.producers.get(camera.producerId)?.paused).toBe(false);
    expect(waiting.producers.get(mic.producerId)?.paused).toBe(true);
    // The agent, who already receives them, is told they are no longer waiting (the mic muted).
    await eventually(() => changesAtAgent.length === 2, 'the agent to hear that the customer joined');
    expect(changesAtAgent.map((c) => [c.producerId, c.waiting, c.paused])).toEqual(
      expect.arrayContaining([
        [camera.producerId, false, false],
        [mic.producerId, false, true],
      ]),
    );
    expect(joined.call.participants.find((p) => p.user.id === customerId)?.present).toBe(true);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('forgets a prepared peer that never joins, and prepares only for the connection that asks', async () => {
    expireLeftovers();
    const { agent, customer, callId, customerId } = await ringAndAnswer('Prepared but gone');
    await joinAndProduce(agent, callId, 2727);
    ok(await customer.emitWithAck('call:prepare', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    const room = t.app.media.getRoom(callId)!;
    const gone = room.waiting.get(customerId)!;
    expect(gone).toBeDefined();
    // Closing the tab on the device check is not leaving the call: no grace period ends it.
    const updates = record(agent, 'call:updated');
    customer.close();
    await eventually(() => !room.waiting.has(customerId), 'the prepared peer to go with its connection');
    expect(gone.closed).toBe(true);
    // A transport still being made for it then is closed, not left behind.
    await expect(room.createTransport(gone, 'send')).rejects.toMatchObject({ code: 'conflict' });
    expect(gone.transports.size).toBe(0);
    // Had the close started a grace period, it would run out now, and the join below (the
    // barrier: its update reaches the agent after anything the close caused) would be refused.
    expect(clock.advance(1500)).toBe(0);

    // A join that says "prepared" from a connection that did not prepare is an ordinary join.
    const again = await socketFor('customer');
    const other = await socketFor('customer');
    ok(await other.emitWithAck('call:prepare', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }));
    const joined = ok(
      await again.emitWithAck('call:join', {
        callId,
        rtpCapabilities: BROWSER_RTP_CAPABILITIES,
        transports: true,
        prepared: true,
      }),
    );
    expect(joined.prepared).toBe(false);
    await eventually(
      () =>
        updates.some(
          (c) => c.id === callId && c.participants.some((p) => p.user.id === customerId && p.present),
        ),
      'the join to reach the agent',
    );
    expect(updates.some((c) => c.id === callId && c.status === 'ended')).toBe(false);
    expect(joined.transports?.send.id).toBeTruthy();
    expect(room.waiting.size).toBe(0);
    // In the call on one connection: another cannot prepare over it.
    expect(
      await other.emitWithAck('call:prepare', { callId, rtpCapabilities: BROWSER_RTP_CAPABILITIES }),
    ).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(room.peers.has(customerId)).toBe(true);
    // Bad input changes nothing.
    expect(
      await other.emitWithAck('call:prepare', { callId, rtpCapabilities: { codecs: 'x' } } as never),
    ).toMatchObject({ ok: false, error: { code: 'bad_request' } });
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });

  it('survives a killed media worker: the peers are told to rejoin, and the rejoin works', async () => {
    const { agent, customer, callId } = await ringAndAnswer('Worker dies');
    await joinAndProduce(agent, callId, 2020);
    await joinAndProduce(customer, callId, 2121);
    const lostAtAgent = record(agent, 'call:media-lost');
    const lostAtCustomer = record(customer, 'call:media-lost');
    const room = t.app.media.getRoom(callId)!;
    const replaced = new Promise((resolve) => t.app.media.once('workerReplaced', resolve));
    process.kill(t.app.media.workerPids()[0]!, 'SIGKILL');
    await eventually(() => lostAtAgent.length > 0 && lostAtCustomer.length > 0, 'the media-lost notices');
    expect(lostAtAgent[0]).toEqual({ callId, rejoin: true, reason: 'worker_died' });
    expect(room.closed).toBe(true);
    await replaced;
    // Both rejoin into a fresh room and media flows again.
    const a = await joinAndProduce(agent, callId, 2222);
    const c = await joinAndProduce(customer, callId, 2323);
    ok(
      await customer.emitWithAck('call:consume', {
        callId,
        transportId: c.recv.id,
        producerId: a.producerId,
      }),
    );
    expect(t.app.media.getRoom(callId)).not.toBe(room);
    ok(await agent.emitWithAck('call:hangup', { callId }));
  });
});
