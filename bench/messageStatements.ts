// Statements per chat message: `npx tsx bench/messageStatements.ts [--database pglite|postgres]`.
//
// Sends N public messages alternately as the customer and the L1 agent on one ticket that is in
// its conversation's steady state (first response given, status open) through MessagesService, the
// service both the socket handler and the REST route call, and counts the SQL statements the
// server sends while they are stored and their listeners (fan-out, SLA monitor) have run.
// BEGIN and COMMIT count as statements: each is a round trip. PostgreSQL needs DATABASE_URL.
// Then the first message on each of `--tickets` fresh tickets (a ticket's first send in this
// process), and one SLA safety-net pass over all of them (the monitor watching, as under
// `npm start`), after one message on every one of them at once, ten times over. CPU is this process's (PGlite's worker thread included; PostgreSQL's server not).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { UsersRepository } from '../server/users/repository';
import { toPublicUser } from '../server/users/service';
import { type Backend, isolatedDatabase } from '../tests/helpers/database';
import { CLK_TCK, readProcs } from './procUsage';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'pglite' },
    messages: { type: 'string', default: '200' },
    tickets: { type: 'string', default: '100' },
  },
});
const backend = values.database as Backend;
/**
 * A chat-like body: twelve words from a 3,000-word vocabulary, so a conversation keeps bringing
 * words its ticket has not seen (a search document that grows, as in a real conversation).
 */
const chatBody = (i: number) =>
  Array.from({ length: 12 }, (_, k) => `word${((i * 12 + k) * 7919) % 3000}`).join(' ');
const count = Number(values.messages);
const ticketCount = Number(values.tickets);
/** CPU milliseconds (user + system) this process spent since `from`. */
const cpuMs = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
};

let statements = 0;
if (backend === 'postgres') {
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    statements++;
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof original;
}

const { database, drop } = await isolatedDatabase(backend);

/**
 * PostgreSQL's own CPU (its backends serving this database, read from /proc: the server runs on
 * this machine), in ms since `from`; NaN on PGlite, whose CPU is this process's.
 */
async function databaseBackends(): Promise<number[]> {
  if (database.kind !== 'postgres') return [];
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  const { rows } = await client.query<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  await client.end();
  return rows.map((r) => r.pid);
}
const databaseTicks = async () => readProcs(await databaseBackends()).ticks;
const databaseMs = async (fromTicks: number) =>
  database.kind === 'postgres' ? ((await databaseTicks()) - fromTicks) * (1000 / CLK_TCK) : Number.NaN;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-stmts-'));
const app = await createApp({
  ...loadConfig({
    DATA_DIR: dataDir,
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'silent',
    MEDIASOUP_WORKERS: '1',
    SEED_DEMO: 'true',
    DEMO_PASSWORD: 'demo-password-for-bench',
    JWT_SECRET: 'bench-secret-that-is-long-enough-for-hs256',
  }),
  database,
});
await app.sla.start(0);

if (backend === 'pglite') {
  // Counts every query on the embedded client, inside transactions too (BEGIN/COMMIT added below).
  type Queryable = { query: (...a: unknown[]) => Promise<unknown> };
  type Client = Queryable & { transaction: (fn: (tx: Queryable) => Promise<unknown>) => Promise<unknown> };
  const client = (app.db.db as unknown as { $client: Client }).$client;
  const query = client.query.bind(client);
  client.query = (...args: unknown[]) => {
    statements++;
    return query(...args);
  };
  const transaction = client.transaction.bind(client);
  client.transaction = (fn: (tx: Queryable) => Promise<unknown>) => {
    statements += 2;
    return transaction((tx: Queryable) => {
      const txQuery = tx.query.bind(tx);
      tx.query = (...args: unknown[]) => {
        statements++;
        return txQuery(...args);
      };
      return fn(tx);
    });
  };
}

const users = new UsersRepository(app.db.db);
const customer = toPublicUser((await users.findByEmail('customer@demo.livedesk'))!);
const agent = toPublicUser((await users.findByEmail('agent.l1@demo.livedesk'))!);
const ticket = await app.tickets.create(customer, {
  subject: 'Statements per message',
  description: 'bench',
  category: 'technical',
  channel: 'chat',
  attachmentIds: [],
} as never);
await app.messages.send(agent, {
  ticketId: ticket.id,
  body: 'Hello',
  clientMessageId: 'greet',
  attachmentIds: [],
} as never);
await app.sla.idle();

// Read first: the read is a statement of its own.
const sequentialDbTicks = await databaseTicks();
const before = statements;
const started = performance.now();
const sequentialCpu = process.cpuUsage();
for (let i = 0; i < count; i++) {
  const actor = i % 2 ? agent : customer;
  await app.messages.send(actor, {
    ticketId: ticket.id,
    body: chatBody(i),
    clientMessageId: `m-${i}`,
    attachmentIds: [],
    internal: false,
  } as never);
  await app.sla.idle();
}
const perMessage = (statements - before) / count;
const ms = (performance.now() - started) / count;
const seqCpuMs = cpuMs(sequentialCpu) / count;
const seqDbMs = (await databaseMs(sequentialDbTicks)) / count;
console.log(
  `${backend}: ${count} messages, ${statements - before} statements, ${perMessage.toFixed(2)} per message, ${ms.toFixed(2)} ms per message (sequential, send + listeners; wall clock: compare within one run), ${seqCpuMs.toFixed(2)} ms CPU per message${backend === 'postgres' ? `, PostgreSQL ${seqDbMs.toFixed(2)} ms` : ''}`,
);

const fresh: string[] = [];
for (let i = 0; i < ticketCount; i++) {
  const created = await app.tickets.create(customer, {
    subject: `First send ${i}`,
    description: 'bench',
    category: 'technical',
    channel: 'chat',
    attachmentIds: [],
  } as never);
  fresh.push(created.id);
}
await app.sla.idle();
const firstBefore = statements;
const firstCpu = process.cpuUsage();
for (const ticketId of fresh) {
  await app.messages.send(customer, {
    ticketId,
    body: 'Hello?',
    clientMessageId: 'first',
    attachmentIds: [],
    internal: false,
  } as never);
  await app.sla.idle();
}
console.log(
  `${backend}: first send on ${ticketCount} tickets: ${((statements - firstBefore) / ticketCount).toFixed(2)} statements and ${(cpuMs(firstCpu) / ticketCount).toFixed(2)} ms CPU per first send (listeners included)`,
);

// Many chats at once: one message on every fresh ticket at the same moment, 10 times (the
// customer again, so each is a steady-state send); sends that wait share a statement.
const burstDbTicks = await databaseTicks();
const burstBefore = statements;
const burstCpu = process.cpuUsage();
for (let round = 0; round < 10; round++) {
  await Promise.all(
    fresh.map((ticketId) =>
      app.messages.send(customer, {
        ticketId,
        body: chatBody(round * 1000 + fresh.indexOf(ticketId)),
        clientMessageId: `burst-${round}`,
        attachmentIds: [],
        internal: false,
      } as never),
    ),
  );
}
await app.sla.idle();
const burstStatements = (statements - burstBefore) / (10 * ticketCount);
const burstCpuMs = cpuMs(burstCpu) / (10 * ticketCount);
const burstDbMs = (await databaseMs(burstDbTicks)) / (10 * ticketCount);
console.log(
  `${backend}: ${ticketCount} chats sending at once, 10 rounds: ${burstStatements.toFixed(2)} statements and ${burstCpuMs.toFixed(2)} ms CPU per message (listeners included)${backend === 'postgres' ? `, PostgreSQL ${burstDbMs.toFixed(2)} ms` : ''}`,
);

const passBefore = statements;
const passCpu = process.cpuUsage();
await app.sla.runOnce();
console.log(
  `${backend}: SLA pass over ${ticketCount + 1} open tickets (${count + 11 * ticketCount + 1} messages): ${statements - passBefore} statements, ${cpuMs(passCpu).toFixed(1)} ms CPU`,
);
await app.close();
await drop();
fs.rmSync(dataDir, { recursive: true, force: true });
