// Calls without browsers for the media benchmarks (bench:record, bench:capacity): agent/customer
// pairs with a ticket each, and a call set up between them over their real sockets, so that RTP
// sources and receivers can then be attached to each side's peer in the call's media room.
import type { CallRoom } from '../media/CallRoom';
import type { Peer } from '../media/Peer';
import type { PublicUser } from '../signaling/shared/protocol';
import { BROWSER_RTP_CAPABILITIES, ok } from '../tests/helpers/callClient';
import { type ClientSocket, connectSocket } from '../tests/helpers/sockets';
import type { TestApp } from '../tests/helpers/testApp';

// Passes the password policy (no account name in it, not guessable).
const PASSWORD = 'orchard-signal-not-for-production';

export interface Pair {
  index: number;
  agent: PublicUser;
  customer: PublicUser;
  agentSocket: ClientSocket;
  customerSocket: ClientSocket;
  ticketId: string;
}

/**
 * `count` agent/customer pairs (accounts named `bench-<label>-…`), a ticket each, both signed in
 * over a socket. Auto-assignment is turned off so every ticket stays with its own pair.
 */
export async function createPairs(t: TestApp, count: number, label: string): Promise<Pair[]> {
  const { app } = t;
  await app.settings.update({ autoAssign: false });
  const pairs: Pair[] = [];
  for (let i = 0; i < count; i++) {
    const [customer, agent] = await Promise.all([
      app.users.create({
        email: `bench-${label}-customer-${i}@bench.livedesk`,
        name: `Bench Customer ${i}`,
        password: PASSWORD,
        role: 'customer',
        skills: [],
        locale: 'en',
      }),
      app.users.create({
        email: `bench-${label}-agent-${i}@bench.livedesk`,
        name: `Bench Agent ${i}`,
        password: PASSWORD,
        role: 'agent',
        tier: 'L1',
        skills: [],
        locale: 'en',
      }),
    ]);
    const ticket = await app.tickets.create(customer, {
      subject: `Media benchmark ${i}`,
      description: 'A ticket whose calls a media benchmark measures.',
      category: 'technical',
      channel: 'chat',
      attachmentIds: [],
    });
    const token = (u: PublicUser) => app.tokens.issue({ sub: u.id, role: u.role }).token;
    const [agentSocket, customerSocket] = await Promise.all([
      connectSocket(t.url, token(agent)),
      connectSocket(t.url, token(customer)),
    ]);
    pairs.push({ index: i, agent, customer, agentSocket, customerSocket, ticketId: ticket.id });
  }
  return pairs;
}

export interface JoinedCall {
  callId: string;
  room: CallRoom;
  agentPeer: Peer;
  customerPeer: Peer;
}

/**
 * The agent calls, the customer answers and both join with a browser's RTP capabilities; both
 * peers are then marked connected, as a browser's DTLS-connected transport would (without it the
 * room drops a peer after its join timeout).
 */
export async function joinCall(t: TestApp, pair: Pair): Promise<JoinedCall> {
  const { agentSocket, customerSocket } = pair;
  const call = ok(await agentSocket.emitWithAck('call:start', { ticketId: pair.ticketId }));
  ok(await customerSocket.emitWithAck('call:answer', { callId: call.id, accept: true }));
  await Promise.all(
    [agentSocket, customerSocket].map(async (s) =>
      ok(await s.emitWithAck('call:join', { callId: call.id, rtpCapabilities: BROWSER_RTP_CAPABILITIES })),
    ),
  );
  const room = t.app.media.getRoom(call.id);
  if (!room) throw new Error(`no media room for call ${call.id}`);
  const agentPeer = room.getPeer(pair.agent.id);
  const customerPeer = room.getPeer(pair.customer.id);
  agentPeer.joinedAt ??= new Date();
  customerPeer.joinedAt ??= new Date();
  return { callId: call.id, room, agentPeer, customerPeer };
}

/** Closes the pairs' sockets (their calls end with them). */
export function closePairs(pairs: readonly Pair[]): void {
  for (const p of pairs) {
    p.agentSocket.close();
    p.customerSocket.close();
  }
}
