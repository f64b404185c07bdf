import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageView, TicketView } from '../../signaling/shared/protocol';
import { ok } from '../helpers/callClient';
import { BACKENDS, isolatedDatabase } from '../helpers/database';
import { type ClientSocket, connectSocket } from '../helpers/sockets';
import { DEMO, login, startTestApp, type TestApp } from '../helpers/testApp';

// System messages are stored as structured events (`system`), so each reader's client words them in
// its own language; the English `body` stays for older clients. Rows written before that are
// converted by the migration where their English text is one the server wrote.

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../server/db/migrations');
const STRUCTURED = '0005_structured_system_messages';

describe.each(BACKENDS)('system messages on %s', (backend) => {
  let t: TestApp;
  const tokens: Record<string, string> = {};
  const sockets: ClientSocket[] = [];

  async function api<T>(who: string, url: string, init: { method?: string; body?: unknown } = {}) {
    const res = await fetch(`${t.url}${url}`, {
      method: init.method ?? (init.body ? 'POST' : 'GET'),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[who]}` },
      body: init.body ? JSON.stringify(init.body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as T };
  }
  const openTicket = async (subject: string) =>
    (
      await api<TicketView>('customer', '/api/tickets', {
        body: { subject, description: 'Please help', category: 'video_call' },
      })
    ).body;
  const messages = async (who: string, ticketId: string) =>
    (await api<{ items: MessageView[] }>(who, `/api/tickets/${ticketId}/messages`)).body.items;

  beforeAll(async () => {
    t = await startTestApp({ backend });
    for (const [key, email] of Object.entries(DEMO)) tokens[key] = await login(t.url, email);
  });
  afterAll(async () => {
    for (const s of sockets) s.close();
    await t?.close();
  });

  it('stores a started call as a call.started event with the call id, not as an English link', async () => {
    const ticket = await openTicket('Call me');
    const agent = await connectSocket(t.url, tokens.agentL1!);
    sockets.push(agent);
    const call = ok(await agent.emitWithAck('call:start', { ticketId: ticket.id }));
    const system = (await messages('customer', ticket.id)).filter((m) => m.kind === 'system');
    expect(system).toHaveLength(1);
    expect(system[0]!.system).toEqual({ type: 'call.started', callId: call.id, startedBy: 'Lee L1' });
    // The English text is a fallback for older clients; it no longer carries a link to join.
    expect(system[0]!.body).toBe('Lee L1 started a video call.');
  });

  it('stores merge notes as events that name the other ticket', async () => {
    const a = await openTicket('Duplicate one');
    const b = await openTicket('Duplicate two');
    expect(
      (await api('agentL1', `/api/tickets/${a.id}/merge`, { body: { intoTicketId: b.id } })).status,
    ).toBe(200);
    const [into] = (await messages('agentL1', a.id)).filter((m) => m.kind === 'system');
    const [from] = (await messages('agentL1', b.id)).filter((m) => m.kind === 'system');
    expect(into!.system).toEqual({ type: 'ticket.merged_into', ticketId: b.id, number: b.number });
    expect(from!.system).toEqual({ type: 'ticket.merged_from', ticketId: a.id, number: a.number });
  });

  it('replies and notes carry no system event', async () => {
    const ticket = await openTicket('Plain reply');
    const sent = await api<MessageView>('customer', `/api/tickets/${ticket.id}/messages`, {
      body: { body: 'Hello', clientMessageId: 'plain-1' },
    });
    expect(sent.status).toBe(201);
    expect(sent.body.system).toBeNull();
  });

  it('a send repeated over the socket after it reached the server over REST stores one message', async () => {
    // What the client does when a message sent while offline is resent on reconnect: the first
    // attempt may have been stored even though its answer never arrived.
    const ticket = await openTicket('Offline resend');
    const first = await api<MessageView>('customer', `/api/tickets/${ticket.id}/messages`, {
      body: { body: 'Sent on a bad connection', clientMessageId: 'resend-1' },
    });
    expect(first.status).toBe(201);
    const customer = await connectSocket(t.url, tokens.customer!);
    sockets.push(customer);
    const again = ok(
      await customer.emitWithAck('message:send', {
        ticketId: ticket.id,
        body: 'Sent on a bad connection',
        clientMessageId: 'resend-1',
      }),
    );
    expect(again.id).toBe(first.body.id);
    const stored = (await messages('customer', ticket.id)).filter((m) => m.clientMessageId === 'resend-1');
    expect(stored).toHaveLength(1);
  });
});

describe.each(BACKENDS)('the structured system messages migration on %s', (backend) => {
  const cleanups: Array<() => Promise<void> | void> = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** The migrations folder as it was before `STRUCTURED` (its journal cut there too). */
  function migrationsBefore(): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'livedesk-migrations-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    fs.mkdirSync(path.join(dir, 'meta'));
    const journal = JSON.parse(fs.readFileSync(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8'));
    const cut = journal.entries.findIndex((e: { tag: string }) => e.tag === STRUCTURED);
    expect(cut).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, cut);
    fs.writeFileSync(path.join(dir, 'meta/_journal.json'), JSON.stringify(journal));
    for (const entry of journal.entries as Array<{ tag: string }>) {
      fs.copyFileSync(path.join(MIGRATIONS, `${entry.tag}.sql`), path.join(dir, `${entry.tag}.sql`));
    }
    return dir;
  }

  /** A database migrated to `folder`, with a way to run SQL and to migrate it further. */
  async function database(folder: string) {
    if (backend === 'pglite') {
      const client = new PGlite();
      const db = drizzlePglite(client);
      await migratePglite(db, { migrationsFolder: folder });
      cleanups.push(() => client.close());
      return {
        query: async (text: string, params: unknown[] = []) => (await client.query<any>(text, params)).rows,
        migrate: (to: string) => migratePglite(db, { migrationsFolder: to }),
      };
    }
    const { database: config, drop } = await isolatedDatabase('postgres');
    if (config.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const client = new pg.Client({ connectionString: config.url });
    await client.connect();
    cleanups.push(drop, () => client.end());
    const db = drizzleNodePg(client);
    await migrateNodePg(db, { migrationsFolder: folder });
    return {
      query: async (text: string, params: unknown[] = []) => (await client.query(text, params)).rows,
      migrate: (to: string) => migrateNodePg(db, { migrationsFolder: to }),
    };
  }

  it('converts the English rows the server wrote and leaves other text as it is', async () => {
    const db = await database(migrationsBefore());
    const [agent] = await db.query(
      `INSERT INTO users (email, name, role, tier, password_hash) VALUES ('a@x', 'Alex Agent', 'agent', 'L1', 'x') RETURNING id`,
    );
    const [customer] = await db.query(
      `INSERT INTO users (email, name, role, password_hash) VALUES ('c@x', 'Casey', 'customer', 'x') RETURNING id`,
    );
    const ticket = async (subject: string) =>
      (
        await db.query(
          `INSERT INTO tickets (subject, description, category, requester_id) VALUES ($1, 'd', 'other', $2) RETURNING id, number`,
          [subject, customer.id],
        )
      )[0];
    const one = await ticket('one');
    const two = await ticket('two');
    const [call] = await db.query(
      `INSERT INTO calls (ticket_id, started_by_id, status) VALUES ($1, $2, 'ended') RETURNING id`,
      [one.id, agent.id],
    );
    const system = async (ticketId: string, body: string) =>
      (
        await db.query(
          `INSERT INTO ticket_messages (ticket_id, kind, body) VALUES ($1, 'system', $2) RETURNING id`,
          [ticketId, body],
        )
      )[0].id as string;
    const started = await system(
      one.id,
      `Alex Agent started a video call. Join it: /tickets/${one.id}/call/${call.id}`,
    );
    const board = await system(one.id, 'Whiteboard from the call saved (3 elements).');
    const [image] = await db.query(
      `INSERT INTO attachments (uploader_id, ticket_id, message_id, file_name, content_type, size_bytes, sha256)
       VALUES ($1, $2, $3, 'whiteboard.svg', 'image/svg+xml', 10, 'x') RETURNING id`,
      [agent.id, one.id, board],
    );
    const [boardRow] = await db.query(
      `INSERT INTO boards (ticket_id, call_id, image_attachment_id) VALUES ($1, $2, $3) RETURNING id`,
      [one.id, call.id, image.id],
    );
    const single = await system(two.id, 'Whiteboard from the call saved (1 element).');
    const into = await system(one.id, `Merged into #${two.number}.`);
    const from = await system(two.id, `#${one.number} was merged into this ticket.`);
    const other = await system(two.id, 'Something an older version said.');
    const reply = (
      await db.query(
        `INSERT INTO ticket_messages (ticket_id, author_id, kind, body) VALUES ($1, $2, 'public', $3) RETURNING id`,
        [one.id, customer.id, 'Merged into #1.'],
      )
    )[0].id as string;

    await db.migrate(MIGRATIONS);

    const rows = await db.query('SELECT id, body, system FROM ticket_messages');
    const of = (id: string) => rows.find((r: any) => r.id === id);
    expect(of(started).system).toEqual({ type: 'call.started', callId: call.id, startedBy: 'Alex Agent' });
    expect(of(board).system).toEqual({
      type: 'board.saved',
      callId: call.id,
      boardId: boardRow.id,
      elements: 3,
    });
    expect(of(single).system).toEqual({ type: 'board.saved', callId: null, boardId: null, elements: 1 });
    expect(of(into).system).toEqual({ type: 'ticket.merged_into', ticketId: two.id, number: two.number });
    expect(of(from).system).toEqual({ type: 'ticket.merged_from', ticketId: one.id, number: one.number });
    // Unknown text keeps rendering as text; a person's message is never touched.
    expect(of(other).system).toBeNull();
    expect(of(reply).system).toBeNull();
    // The text stays, for clients that predate the events.
    expect(of(into).body).toBe(`Merged into #${two.number}.`);
    // Two migration runs from an empty in-process PGlite take seconds of CPU; a busy machine needs more.
  }, 120_000);
});
