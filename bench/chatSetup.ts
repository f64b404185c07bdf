// Chat pairs for the benchmarks (bench:chat's server, and bench:join's background chat): per pair
// one customer, one L1 agent and one open chat ticket in its steady state, with tokens pre-issued so
// no HTTP login is part of any measurement.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LivedeskApp } from '../server/app';
import type { PublicUser } from '../signaling/shared/protocol';
import type { BenchPair } from './serverProbe';

const PASSWORD = 'orchard-signal-not-for-production';

/**
 * What a benchmark's Livedesk node sets on top of `npm start`'s environment: a random loopback
 * port, no log lines, no demo accounts, a token secret every node shares, and a fresh temporary
 * DATA_DIR (so the embedded PGlite keeps its data on disk, as `npm start` does), removed when the
 * process exits, also when its start fails.
 */
export function benchNodeEnv(prefix: string): Record<string, string> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  process.on('exit', () => fs.rmSync(dataDir, { recursive: true, force: true }));
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    SEED_DEMO: 'false',
    DATA_DIR: dataDir,
    // Every node signs and verifies the tokens the primary issues.
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256',
  };
}

/**
 * Creates `pairCount` pairs through the app's own services (argon2 included). Every ticket is then
 * "open", held by its pair's agent, with its first response recorded (an agent greeting): the steady state of an ongoing
 * conversation, where a message changes no ticket state and so causes no `ticket:changed` broadcast
 * to every staff socket. `progress` is told every 100 pairs.
 */
export async function setUpPairs(
  app: LivedeskApp,
  pairCount: number,
  progress: (message: string) => void,
  prefix = 'bench',
): Promise<BenchPair[]> {
  // No auto-assignment while the pairs are made: with thousands of agents every new ticket would
  // rank them all. Each ticket is then claimed by its pair's agent (below). The setting is put back afterwards (bench:join's own tickets use it).
  const { autoAssign } = await app.settings.get();
  await app.settings.update({ autoAssign: false });
  const started = performance.now();
  const pairs: BenchPair[] = new Array(pairCount);
  let done = 0;

  const openTicket = async (i: number, customer: PublicUser, agent: PublicUser) => {
    const ticket = await app.tickets.create(customer, {
      subject: `Benchmark chat ${i}`,
      description: 'A chat opened by the live chat benchmark.',
      category: 'other',
      channel: 'chat',
      attachmentIds: [],
    });
    // The pair's agent holds the ticket, as in a real chat. Left unassigned, the tickets were
    // handed out by auto-assignment as the agents' sockets came online (presence), during the
    // measured levels: a ticket change (and its broadcast) per ticket, which a steady conversation
    // does not have.
    await app.tickets.claim(agent, ticket.id);
    await app.messages.send(agent, {
      ticketId: ticket.id,
      body: 'Hello, I am looking into this now.',
      internal: false,
      clientMessageId: `${prefix}-greeting-${i}`,
      attachmentIds: [],
    });
    pairs[i] = {
      customerToken: app.tokens.issue({ sub: customer.id, role: customer.role }).token,
      agentToken: app.tokens.issue({ sub: agent.id, role: agent.role }).token,
      ticketId: ticket.id,
    };
    if (++done % 100 === 0 || done === pairCount) {
      const seconds = (performance.now() - started) / 1000;
      progress(`set up ${done}/${pairCount} pairs (accounts, ticket, greeting) in ${seconds.toFixed(1)} s`);
    }
  };

  // Two lanes on a 2-core machine: a pair's two argon2 hashes run on the thread pool while the
  // tickets of the pairs created so far are written, in order, on this thread. More hashes in
  // parallel only starve this thread (measured: slower overall).
  let ticketLane: Promise<void> = Promise.resolve();
  for (let i = 0; i < pairCount; i++) {
    const [customer, agent] = await Promise.all([
      app.users.create({
        email: `${prefix}-customer-${i}@bench.livedesk`,
        name: `Bench Customer ${i}`,
        password: PASSWORD,
        role: 'customer',
        skills: [],
        locale: 'en',
      }),
      app.users.create({
        email: `${prefix}-agent-${i}@bench.livedesk`,
        name: `Bench Agent ${i}`,
        password: PASSWORD,
        role: 'agent',
        tier: 'L1',
        skills: [],
        locale: 'en',
      }),
    ]);
    ticketLane = ticketLane.then(() => openTicket(i, customer, agent));
  }
  await ticketLane;
  await app.settings.update({ autoAssign });
  return pairs;
}
