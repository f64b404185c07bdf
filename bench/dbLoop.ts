// `npm run bench:db`: what the embedded database costs the server's event loop.
//
// The same message-like transactions (lock the ticket, duplicate check, insert, ticket update,
// then two reads — the shape of a chat message) run through Drizzle against PGlite in two ways, in
// one run and on the same machine state:
//   - in-thread: PGlite in this thread, as `server/db/client.ts` opened it before issue 14;
//   - worker:    `openDatabase()`, the server's own path (PGlite in a worker thread).
// Both use a data directory, as the embedded default does. Rounds alternate between the two so
// that load from other processes falls on both alike; each round reports transactions/s, the
// transaction latency, this thread's event-loop delay (monitorEventLoopDelay: p99 and the longest
// stall) and its event-loop utilisation; an idle period as long as a round, with no database work,
// gives the machine's own noise floor. The table gives medians over the rounds (the longest stall:
// the worst round), and the worker's figures as a ratio of the in-thread ones.
//
// The worker's two lanes: during each worker round, chains of CHAIN_STEPS small reads, each
// waiting for the one before (the shape of a call's join: find the call, check access, record,
// read again …), alternate between the urgent lane (`urgentDb`, which the call service uses) and
// the ordinary one (`db`). The table gives each lane's chain latency behind the busy database.
//
//   npm run bench:db -- [--rounds 5] [--transactions 1000] [--concurrency 16] [--tickets 50]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { integer, pgTable, serial, text, timestamp } from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pglite';
import { openDatabase } from '../server/db/client';
import { fmt, formatTable, median, ratio, round, roundSummary, summarize, writeResults } from './stats';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));

const benchTickets = pgTable('bench_tickets', {
  id: integer('id').primaryKey(),
  messageCount: integer('message_count').notNull(),
  lastMessageAt: timestamp('last_message_at', { withTimezone: true, mode: 'date' }),
});
const benchMessages = pgTable('bench_messages', {
  seq: serial('seq').primaryKey(),
  ticketId: integer('ticket_id').notNull(),
  clientId: text('client_id').notNull(),
  body: text('body').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
});
const SCHEMA = [
  'CREATE TABLE IF NOT EXISTS bench_tickets (id integer PRIMARY KEY, message_count integer NOT NULL, last_message_at timestamptz)',
  `CREATE TABLE IF NOT EXISTS bench_messages (seq serial PRIMARY KEY, ticket_id integer NOT NULL,
     client_id text NOT NULL, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now(),
     UNIQUE (ticket_id, client_id))`,
];

type Db = PgDatabase<PgQueryResultHKT>;
interface Backend {
  name: 'in-thread' | 'worker';
  db: Db;
  /** The worker's urgent lane (DatabaseHandle.urgentDb). */
  urgentDb?: Db;
  close(): Promise<void>;
}

/** Sequential reads per chain: about what a call's join asks of the database. */
const CHAIN_STEPS = 8;
type Lane = 'urgent' | 'ordinary';
const chainMs: Record<Lane, number[]> = { urgent: [], ordinary: [] };

/** Chains of sequential reads, alternating lanes, until `done` (the round's transactions are over). */
async function probeLanes(backend: Backend, done: () => boolean) {
  let lane: Lane = 'urgent';
  while (!done()) {
    const db = lane === 'urgent' ? backend.urgentDb! : backend.db;
    const t0 = performance.now();
    for (let step = 0; step < CHAIN_STEPS; step++) {
      await db
        .select()
        .from(benchTickets)
        .where(eq(benchTickets.id, step % TICKETS));
    }
    if (!done()) chainMs[lane].push(performance.now() - t0);
    lane = lane === 'urgent' ? 'ordinary' : 'urgent';
  }
}

interface Round {
  backend: Backend['name'] | 'idle';
  transactionsPerSecond: number;
  latencyMs: ReturnType<typeof summarize>;
  loopDelayP99Ms: number;
  loopDelayMaxMs: number;
  eventLoopUtilisation: number;
}

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '5' },
    transactions: { type: 'string', default: '1000' },
    concurrency: { type: 'string', default: '16' },
    tickets: { type: 'string', default: '50' },
  },
});
const ROUNDS = Number(values.rounds);
const TRANSACTIONS = Number(values.transactions);
const CONCURRENCY = Number(values.concurrency);
const TICKETS = Number(values.tickets);

async function prepare(db: Db) {
  for (const statement of SCHEMA) await db.execute(sql.raw(statement));
  await db
    .insert(benchTickets)
    .values(Array.from({ length: TICKETS }, (_, id) => ({ id, messageCount: 0 })))
    .onConflictDoNothing();
}

/** One chat message's worth of statements in one transaction. */
async function sendMessage(db: Db, ticketId: number, clientId: string) {
  await db.transaction(async (tx) => {
    const [ticket] = await tx.select().from(benchTickets).where(eq(benchTickets.id, ticketId)).for('update');
    const duplicate = await tx
      .select({ seq: benchMessages.seq })
      .from(benchMessages)
      .where(and(eq(benchMessages.ticketId, ticketId), eq(benchMessages.clientId, clientId)));
    if (duplicate.length > 0) return;
    const [message] = await tx
      .insert(benchMessages)
      .values({ ticketId, clientId, body: `message ${clientId} on a busy chat` })
      .returning();
    await tx
      .update(benchTickets)
      .set({ messageCount: ticket!.messageCount + 1, lastMessageAt: message!.createdAt })
      .where(eq(benchTickets.id, ticketId));
    await tx
      .select()
      .from(benchMessages)
      .where(eq(benchMessages.ticketId, ticketId))
      .orderBy(desc(benchMessages.seq))
      .limit(1);
    await tx.select().from(benchTickets).where(eq(benchTickets.id, ticketId));
  });
}

async function runRound(backend: Backend, round: number): Promise<Round> {
  const latencies: number[] = [];
  let next = 0;
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  const eluStart = performance.eventLoopUtilization();
  histogram.enable();
  // The histogram records the gap between two firings of its timer: it must have fired once
  // before the work starts, or a stall that covers the whole round is never seen.
  await new Promise((resolve) => setTimeout(resolve, 5));
  const started = performance.now();
  let finished = false;
  const probing = backend.urgentDb && round >= 0 ? probeLanes(backend, () => finished) : Promise.resolve();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < TRANSACTIONS) {
        const n = next++;
        const t0 = performance.now();
        await sendMessage(backend.db, n % TICKETS, `${backend.name}-${round}-${n}`);
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  finished = true;
  await probing;
  // The histogram's timer records a stall when it finally fires; in-thread PGlite can hold the
  // loop for a whole round (its statements chain through microtasks only), so let it fire once.
  await new Promise((resolve) => setTimeout(resolve, 2));
  histogram.disable();
  const elu = performance.eventLoopUtilization(eluStart);
  return {
    backend: backend.name,
    transactionsPerSecond: TRANSACTIONS / seconds,
    latencyMs: summarize(latencies),
    loopDelayP99Ms: histogram.percentile(99) / 1e6,
    loopDelayMaxMs: histogram.max / 1e6,
    eventLoopUtilisation: elu.utilization,
  };
}

/**
 * The machine's own noise floor: this thread's event-loop delay with no database work at all, as
 * long as a round. On a loaded machine the scheduler alone stalls an idle thread; what a backend
 * adds is the difference.
 */
async function idleRound(ms: number): Promise<Round> {
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await new Promise((resolve) => setTimeout(resolve, 5 + ms));
  histogram.disable();
  return {
    backend: 'idle',
    transactionsPerSecond: Number.NaN,
    latencyMs: summarize([]),
    loopDelayP99Ms: histogram.percentile(99) / 1e6,
    loopDelayMaxMs: histogram.max / 1e6,
    eventLoopUtilisation: 0,
  };
}

async function openInThread(dir: string): Promise<Backend> {
  const client = await PGlite.create(dir);
  return { name: 'in-thread', db: drizzle(client) as unknown as Db, close: () => client.close() };
}

async function openWorker(dir: string): Promise<Backend> {
  const handle = await openDatabase({ database: { kind: 'pglite', dir } });
  return {
    name: 'worker',
    db: handle.db as unknown as Db,
    urgentDb: handle.urgentDb as unknown as Db,
    close: handle.close,
  };
}

async function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-bench-db-'));
  console.log(
    `bench:db — ${ROUNDS} rounds × ${TRANSACTIONS} message-like transactions, ${CONCURRENCY} concurrent callers, ${TICKETS} tickets; ${os.cpus().length} cores, load ${os.loadavg()[0]!.toFixed(1)}`,
  );
  const backends = await Promise.all([
    openInThread(path.join(root, 'in-thread')),
    openWorker(path.join(root, 'worker')),
  ]);
  const rounds: Round[] = [];
  try {
    for (const backend of backends) await prepare(backend.db);
    // A warm-up round each (JIT, PGlite's caches), not counted.
    for (const backend of backends) await runRound(backend, -1);
    for (let r = 0; r < ROUNDS; r++) {
      const order = r % 2 === 0 ? backends : [...backends].reverse();
      for (const backend of order) {
        const result = await runRound(backend, r);
        rounds.push(result);
        console.log(
          `  round ${r + 1} ${backend.name.padEnd(9)} ${fmt(result.transactionsPerSecond, 0)} tx/s, loop p99 ${fmt(result.loopDelayP99Ms, 1)} ms, max stall ${fmt(result.loopDelayMaxMs, 1)} ms, ELU ${fmt(result.eventLoopUtilisation * 100, 0)} %`,
        );
      }
      const idle = await idleRound((TRANSACTIONS / rounds.at(-1)!.transactionsPerSecond) * 1000);
      rounds.push(idle);
      console.log(
        `  round ${r + 1} idle      loop p99 ${fmt(idle.loopDelayP99Ms, 1)} ms, max stall ${fmt(idle.loopDelayMaxMs, 1)} ms`,
      );
    }
  } finally {
    for (const backend of backends) await backend.close();
    fs.rmSync(root, { recursive: true, force: true });
  }

  const figures = (name: Round['backend']) => {
    const own = rounds.filter((r) => r.backend === name);
    return {
      transactionsPerSecond: median(own.map((r) => r.transactionsPerSecond)),
      latencyP50Ms: median(own.map((r) => r.latencyMs.p50)),
      latencyP99Ms: median(own.map((r) => r.latencyMs.p99)),
      loopDelayP99Ms: median(own.map((r) => r.loopDelayP99Ms)),
      loopDelayMaxMs: Math.max(...own.map((r) => r.loopDelayMaxMs)),
      eventLoopUtilisation: median(own.map((r) => r.eventLoopUtilisation)),
    };
  };
  const before = figures('in-thread');
  const after = figures('worker');
  const idle = figures('idle');
  const row = (name: string, f: typeof before) => [
    name,
    fmt(f.transactionsPerSecond, 0),
    `${fmt(f.latencyP50Ms, 1)} ms`,
    `${fmt(f.latencyP99Ms, 1)} ms`,
    `${fmt(f.loopDelayP99Ms, 1)} ms`,
    `${fmt(f.loopDelayMaxMs, 1)} ms`,
    `${fmt(f.eventLoopUtilisation * 100, 0)} %`,
  ];
  const x = (a: number, b: number, digits = 2) => `${fmt(ratio(a, b), digits)}×`;
  console.log();
  console.log(
    formatTable([
      ['PGlite', 'tx/s', 'tx p50', 'tx p99', 'loop delay p99', 'max stall', 'main-thread ELU'],
      row('in-thread', before),
      row('worker', after),
      [
        'idle (no database work)',
        '-',
        '-',
        '-',
        `${fmt(idle.loopDelayP99Ms, 1)} ms`,
        `${fmt(idle.loopDelayMaxMs, 1)} ms`,
        '-',
      ],
      [
        'worker / in-thread',
        x(after.transactionsPerSecond, before.transactionsPerSecond),
        x(after.latencyP50Ms, before.latencyP50Ms),
        x(after.latencyP99Ms, before.latencyP99Ms),
        x(after.loopDelayP99Ms, before.loopDelayP99Ms, 3),
        x(after.loopDelayMaxMs, before.loopDelayMaxMs, 3),
        x(after.eventLoopUtilisation, before.eventLoopUtilisation),
      ],
    ]),
  );
  const lanes = { urgent: summarize(chainMs.urgent), ordinary: summarize(chainMs.ordinary) };
  console.log(
    `\nThe worker's lanes: ${CHAIN_STEPS} sequential reads each, while ${CONCURRENCY} callers keep the database busy (worker rounds)`,
  );
  console.log(
    formatTable([
      ['lane', 'chains', 'chain p50', 'chain p95', 'per read p50'],
      ...(['urgent', 'ordinary'] as const).map((lane) => [
        lane === 'urgent' ? 'urgent (urgentDb: the call service)' : 'ordinary (db: everything else)',
        String(chainMs[lane].length),
        `${fmt(lanes[lane].p50, 1)} ms`,
        `${fmt(lanes[lane].p95, 1)} ms`,
        `${fmt(lanes[lane].p50 / CHAIN_STEPS, 2)} ms`,
      ]),
      [
        'urgent / ordinary',
        '',
        x(lanes.urgent.p50, lanes.ordinary.p50),
        x(lanes.urgent.p95, lanes.ordinary.p95),
        '',
      ],
    ]),
  );
  const file = writeResults(BENCH_DIR, 'db-loop', {
    options: { rounds: ROUNDS, transactions: TRANSACTIONS, concurrency: CONCURRENCY, tickets: TICKETS },
    machine: { cores: os.cpus().length, loadAverage: os.loadavg().map((l) => round(l)) },
    medians: { inThread: before, worker: after, idle },
    lanes: {
      chainSteps: CHAIN_STEPS,
      urgent: roundSummary(lanes.urgent),
      ordinary: roundSummary(lanes.ordinary),
    },
    rounds: rounds.map((r) => ({
      ...r,
      transactionsPerSecond: round(r.transactionsPerSecond),
      latencyMs: roundSummary(r.latencyMs),
      loopDelayP99Ms: round(r.loopDelayP99Ms),
      loopDelayMaxMs: round(r.loopDelayMaxMs),
      eventLoopUtilisation: round(r.eventLoopUtilisation, 3),
    })),
  });
  console.log(`\nresults: ${path.relative(process.cwd(), file)}`);
}

await main();
