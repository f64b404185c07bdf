import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createApp } from '../server/app';
import { loadConfig } from '../server/config';
import { createLogger } from '../server/logger';
import { benchNodeEnv, setUpPairs } from './chatSetup';

const { values } = parseArgs({
  options: { tickets: { type: 'string', default: '100' }, rounds: { type: 'string', default: '2' } },
});
const config = loadConfig({ ...process.env, DATABASE_URL: '', ...benchNodeEnv('livedesk-send-cost-') });
const app = await createApp(config, { logger: createLogger(config) });
await setUpPairs(app, Number(values.tickets), () => {});
const db = app.db.db;
const result = (await db.execute(sql`SELECT id, requester_id, assignee_id FROM tickets`)) as unknown as {
  rows: Array<{ id: string; requester_id: string; assignee_id: string }>;
};
const tickets = result.rows;
const ticket = (i: number) => tickets[i % tickets.length]!;
/** A chat-like body: twelve words of a 3,000-word vocabulary (as bench/messageStatements.ts). */
const words = (i: number) => Array.from({ length: 12 }, (_, k) => `word${((i * 12 + k) * 7919) % 3000}`);
const termsLiteral = (i: number) => `{${words(i).join(',')}}`;
let unique = 0;

async function measure(
  name: string,
  statements: number,
  perStatement: number,
  run: (i: number) => Promise<unknown>,
) {
  for (let i = 0; i < 50; i++) await run(i);
  const started = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < statements; i++) await run(i);
  const messages = statements * perStatement;
  const used = process.cpuUsage(cpu);
  const wall = (performance.now() - started) / messages;
  const cpuMs = (used.user + used.system) / 1000 / messages;
  console.log(`${name.padEnd(44)} wall ${wall.toFixed(3)} ms   CPU ${cpuMs.toFixed(3)} ms`);
}

const send = (i: number, author: 'requester_id' | 'assignee_id') => {
  const t = ticket(i);
  return db.execute(sql`SELECT * FROM livedesk_send_message(${t.id}, ${t.requester_id}, ${t.assignee_id},
    'L1', 'open', true, ${t[author]}, 'public', ${words(i).join(' ')}, ${`s-${unique++}`}, ${termsLiteral(i)}::text[])`);
};
const group = (i: number, size: number) =>
  Array.from({ length: size }, (_, j) => {
    const t = ticket(i * size + j);
    return {
      ticketId: t.id,
      requesterId: t.requester_id,
      assigneeId: t.assignee_id,
      tier: 'L1',
      status: 'open',
      answered: true,
      authorId: j % 2 ? t.assignee_id : t.requester_id,
      kind: 'public',
      body: words(i).join(' '),
      clientMessageId: `g-${unique++}`,
      terms: words(i),
    };
  });

console.log(
  `PGlite, ${tickets.length} chat tickets, load average ${os.loadavg()[0]!.toFixed(1)}; per message:`,
);
for (let round = 1; round <= Number(values.rounds); round++) {
  console.log(`round ${round}`);
  await measure('SELECT 1', 1000, 1, () => db.execute(sql`SELECT 1`));
  await measure('UPDATE tickets SET updated_at', 1000, 1, (i) =>
    db.execute(sql`UPDATE tickets SET updated_at = now() WHERE id = ${ticket(i).id}`),
  );
  await measure('row lock (BEGIN, SELECT … FOR UPDATE, COMMIT)', 1000, 1, (i) =>
    db.transaction((tx) => tx.execute(sql`SELECT number FROM tickets WHERE id = ${ticket(i).id} FOR UPDATE`)),
  );
  await measure('INSERT message_search', 1000, 1, (i) =>
    db.execute(sql`INSERT INTO message_search (ticket_id, terms, public)
      VALUES (${ticket(i).id}, array_to_tsvector(${termsLiteral(i)}::text[]), true)`),
  );
  await measure('INSERT ticket_messages', 1000, 1, (i) =>
    db.execute(sql`INSERT INTO ticket_messages (ticket_id, author_id, kind, body, client_message_id)
      VALUES (${ticket(i).id}, ${ticket(i).requester_id}, 'public', ${words(i).join(' ')}, ${`m-${unique++}`})`),
  );
  await measure('livedesk_send_message, customer', 1000, 1, (i) => send(i, 'requester_id'));
  await measure('livedesk_send_message, agent', 1000, 1, (i) => send(i, 'assignee_id'));
  for (const size of [1, 5, 20]) {
    await measure(`livedesk_send_messages, groups of ${size}`, Math.floor(1000 / size), size, (i) =>
      db.execute(sql`SELECT * FROM livedesk_send_messages(${JSON.stringify(group(i, size))}::jsonb)`),
    );
  }
  const started = performance.now();
  const folded = (await db.execute(sql`SELECT livedesk_fold_message_search() AS n`)) as unknown as {
    rows: Array<{ n: number }>;
  };
  console.log(
    `fold of ${folded.rows[0]!.n} waiting messages: ${(performance.now() - started).toFixed(1)} ms`,
  );
}
await app.close();
process.exit(0);
