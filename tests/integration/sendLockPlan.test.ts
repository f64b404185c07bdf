import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DatabaseHandle, openDatabase } from '../../server/db/client';
import { BACKENDS, isolatedDatabase } from '../helpers/database';

// The chat send (livedesk_send_message) locks its ticket by primary key, whatever the planner knows.
// Its lock used to name the ticket by id *and* by the facts it expected (requester, tier, status…);
// with no statistics on `tickets` (a fresh database before its first ANALYZE, or a server whose
// autovacuum is off, as this machine's) every index looked as cheap as the primary key, and the
// cached plan walked tickets_queue_idx (status, tier): every open ticket of the tier, per message.
// bench:chat at 5,000 sockets: ~2,500 rows read per send (issue 14). With statistics the tie went
// to tickets_requester_idx: every ticket of the customer. Counted here through the transaction's
// own table statistics (pg_stat_xact_user_tables), not timed.
const TICKETS = 300;
const SENDS = 12; // past the plan cache's five custom plans: the cached, generic plan is used

/** A statement's rows (Drizzle types a raw statement's result by driver; both have `rows`). */
async function rows<Row>(db: Pick<Database, 'execute'>, query: SQL): Promise<Row[]> {
  return ((await db.execute(query)) as unknown as { rows: Row[] }).rows;
}

describe.each(BACKENDS)('the send locks its ticket by primary key on %s', (backend) => {
  let handle: DatabaseHandle;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const isolated = await isolatedDatabase(backend);
    drop = isolated.drop;
    handle = await openDatabase({ database: isolated.database });
    // One customer with many open L1 chats, each held by an agent and answered: every ticket
    // matches the queue index's (status, tier) and the requester index.
    await handle.db.execute(sql`
      INSERT INTO users (email, name, role, tier, password_hash) VALUES
        ('lock-customer@example.test', 'Customer', 'customer', NULL, 'x'),
        ('lock-agent@example.test', 'Agent', 'agent', 'L1', 'x')`);
    await handle.db.execute(sql`
      INSERT INTO tickets (subject, description, category, requester_id, assignee_id, tier, status,
        channel, first_response_at)
      SELECT 'Chat ' || i, 'd', 'other', c.id, a.id, 'L1', 'open', 'chat', now()
      FROM generate_series(1, ${TICKETS}) i,
        users c, users a
      WHERE c.email = 'lock-customer@example.test' AND a.email = 'lock-agent@example.test'`);
  });
  afterAll(async () => {
    await handle?.close();
    await drop?.();
  });

  /** Rows of `tickets` read (by index or by scan) while `sends` messages go to one ticket. */
  async function ticketRowsReadPerSend(): Promise<number> {
    let perSend = Number.NaN;
    const rolledBack = handle.db.transaction(async (tx) => {
      const [target] = await rows<{ id: string; requester_id: string; assignee_id: string }>(
        tx,
        sql`SELECT id, requester_id, assignee_id FROM tickets ORDER BY number DESC LIMIT 1`,
      );
      if (!target) throw new Error('no ticket');
      const read = async () => {
        const [row] = await rows<{ n: string }>(
          tx,
          sql`SELECT (coalesce(idx_tup_fetch, 0) + coalesce(seq_tup_read, 0))::text AS n
            FROM pg_stat_xact_user_tables WHERE relname = 'tickets'`,
        );
        return Number(row?.n ?? 0);
      };
      const before = await read();
      for (let i = 0; i < SENDS; i++) {
        const [sent] = await rows<{ matched: boolean; message_id: string | null }>(
          tx,
          sql`SELECT matched, message_id FROM livedesk_send_message(${target.id}, ${target.requester_id},
            ${target.assignee_id}, 'L1', 'open', true, ${target.assignee_id}, 'public', 'hello',
            ${`lock-plan-${i}`}, ARRAY['hello']::text[])`,
        );
        expect(sent?.matched).toBe(true);
        expect(sent?.message_id).toBeTruthy();
      }
      perSend = ((await read()) - before) / SENDS;
      // Rolled back: every check starts from the same rows.
      tx.rollback();
    });
    await expect(rolledBack).rejects.toThrow(/rollback/i);
    return perSend;
  }

  it('reads only its own ticket before the first ANALYZE', async () => {
    // The lock, the updated_at bump and the message's foreign-key check: one row each.
    expect(await ticketRowsReadPerSend()).toBeLessThanOrEqual(4);
  });

  it('reads only its own ticket with statistics', async () => {
    await handle.db.execute(sql`ANALYZE tickets`);
    expect(await ticketRowsReadPerSend()).toBeLessThanOrEqual(4);
  });

  it("still stores nothing and answers the ticket's facts when the expected ones differ or are missing", async () => {
    const [target] = await rows<{ id: string; requester_id: string; assignee_id: string }>(
      handle.db,
      sql`SELECT id, requester_id, assignee_id FROM tickets ORDER BY number LIMIT 1`,
    );
    if (!target) throw new Error('no ticket');
    type Row = { matched: boolean; message_id: string | null; cur_status: string; cur_answered: boolean };
    const [changed] = await rows<Row>(
      handle.db,
      sql`SELECT matched, message_id, cur_status, cur_answered FROM livedesk_send_message(${target.id},
        ${target.requester_id}, ${target.assignee_id}, 'L1', 'pending', true, ${target.assignee_id},
        'public', 'hello', 'lock-plan-changed', ARRAY[]::text[])`,
    );
    expect(changed).toMatchObject({
      matched: false,
      message_id: null,
      cur_status: 'open',
      cur_answered: true,
    });
    const [first] = await rows<Row>(
      handle.db,
      sql`SELECT matched, message_id, cur_status, cur_answered FROM livedesk_send_message(${target.id},
        NULL, NULL, NULL, NULL, NULL, ${target.assignee_id}, 'public', 'hello', 'lock-plan-first',
        ARRAY[]::text[])`,
    );
    expect(first).toMatchObject({ matched: false, message_id: null, cur_status: 'open' });
    const [stored] = await rows<{ n: string }>(
      handle.db,
      sql`SELECT count(*)::text AS n FROM ticket_messages WHERE client_message_id LIKE 'lock-plan-%'`,
    );
    expect(stored?.n).toBe('0');
  });
});
