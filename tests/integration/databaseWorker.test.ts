import { PGlite, protocol, type Results } from '@electric-sql/pglite';
import { DrizzleQueryError, eq, sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  customType,
  date,
  integer,
  interval,
  jsonb,
  numeric,
  pgTable,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { drizzle } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Database, type DatabaseHandle, openDatabase } from '../../server/db/client';

// The embedded database runs in a worker thread (server/db/pgliteRemote.ts). These tests hold it
// to what PGlite did in the server's own thread: transactions that serialize callers, rollback,
// PostgreSQL's errors and types as the repositories saw them, and an event loop that keeps turning
// while a query runs. The reference for "as before" is a PGlite in this thread.

const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });

const counters = pgTable('probe_counters', {
  id: integer('id').primaryKey(),
  value: integer('value').notNull(),
});
const names = pgTable('probe_names', { name: text('name').primaryKey() });
const typed = pgTable('probe_types', {
  id: uuid('id').primaryKey(),
  at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  atText: timestamp('at_text', { withTimezone: true, mode: 'string' }).notNull(),
  local: timestamp('local', { mode: 'date' }).notNull(),
  day: date('day', { mode: 'date' }).notNull(),
  dayText: date('day_text').notNull(),
  span: interval('span').notNull(),
  big: bigint('big', { mode: 'bigint' }).notNull(),
  bigNumber: bigint('big_number', { mode: 'number' }).notNull(),
  amount: numeric('amount').notNull(),
  flag: boolean('flag').notNull(),
  doc: jsonb('doc').$type<Record<string, unknown>>().notNull(),
  tags: text('tags').array().notNull(),
  stamps: timestamp('stamps', { withTimezone: true, mode: 'string' }).array().notNull(),
  raw: bytea('raw').notNull(),
});

const PROBE_SCHEMA = `
  CREATE TABLE probe_counters (id integer PRIMARY KEY, value integer NOT NULL);
  CREATE TABLE probe_names (name text PRIMARY KEY);
  CREATE TABLE probe_types (
    id uuid PRIMARY KEY, at timestamptz NOT NULL, at_text timestamptz NOT NULL, local timestamp NOT NULL,
    day date NOT NULL, day_text date NOT NULL, span interval NOT NULL, big bigint NOT NULL,
    big_number bigint NOT NULL, amount numeric NOT NULL, flag boolean NOT NULL, doc jsonb NOT NULL,
    tags text[] NOT NULL, stamps timestamptz[] NOT NULL, raw bytea NOT NULL
  );
`;

let handle: DatabaseHandle;
let inThread: PGlite;
let reference: ReturnType<typeof drizzle>;

beforeAll(async () => {
  [handle, inThread] = await Promise.all([
    openDatabase({ database: { kind: 'pglite', dir: null } }),
    PGlite.create(),
  ]);
  reference = drizzle(inThread);
  for (const statement of PROBE_SCHEMA.split(';').filter((s) => s.trim())) {
    await handle.db.execute(sql.raw(statement));
  }
  await inThread.exec(PROBE_SCHEMA);
  await handle.db.insert(counters).values({ id: 1, value: 0 });
  // Two PGlite starts (WebAssembly compile and initdb each): tens of seconds on a loaded machine.
}, 180_000);

afterAll(async () => {
  await handle?.close();
  await inThread?.close();
});

/** A promise and the function that settles it, to hold a transaction open until the test says so. */
function gate() {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe('transactions through the worker', () => {
  it('serialize two transactions that lock the same row: the second sees the first one commit', async () => {
    const { db } = handle;
    const log: string[] = [];
    const firstLocked = gate();
    const releaseFirst = gate();
    const first = db.transaction(async (tx) => {
      const [row] = await tx.select().from(counters).where(eq(counters.id, 1)).for('update');
      log.push(`first locked ${row!.value}`);
      firstLocked.open();
      await releaseFirst.promise;
      await tx
        .update(counters)
        .set({ value: row!.value + 1 })
        .where(eq(counters.id, 1));
      log.push('first updated');
    });
    await firstLocked.promise;
    const second = db.transaction(async (tx) => {
      const [row] = await tx.select().from(counters).where(eq(counters.id, 1)).for('update');
      log.push(`second locked ${row!.value}`);
      await tx
        .update(counters)
        .set({ value: row!.value + 1 })
        .where(eq(counters.id, 1));
    });
    // Were the second to run inside the open first one, it would lock and read 0 right away.
    releaseFirst.open();
    await Promise.all([first, second]);
    expect(log).toEqual(['first locked 0', 'first updated', 'second locked 1']);
    const [after] = await db.select().from(counters).where(eq(counters.id, 1));
    expect(after!.value).toBe(2);
  });

  it('runs a statement issued from outside an open transaction after it, never inside it', async () => {
    const { db } = handle;
    const inside = gate();
    const failure = new Error('the caller gives up');
    let outsideDone = false;
    let outside: Promise<unknown> = Promise.resolve();
    const tx = db.transaction(async (t) => {
      await t.insert(names).values({ name: 'written inside, rolled back' });
      inside.open();
      // Issued while this transaction is open; were it to run inside, the rollback would undo it.
      outside = db
        .insert(names)
        .values({ name: 'written outside' })
        .then(() => {
          outsideDone = true;
        });
      // A later statement of this transaction completes first: the outside one is still waiting.
      const seen = await t.select().from(names);
      expect(seen.map((r) => r.name)).toEqual(['written inside, rolled back']);
      expect(outsideDone).toBe(false);
      throw failure;
    });
    await inside.promise;
    await expect(tx).rejects.toBe(failure);
    await outside;
    const rows = await db.select().from(names);
    expect(rows.map((r) => r.name)).toEqual(['written outside']);
    await db.delete(names);
  });

  it('rolls a thrown error back, and a nested transaction back to its savepoint only', async () => {
    const { db } = handle;
    await db.transaction(async (tx) => {
      await tx.insert(names).values({ name: 'outer' });
      await expect(
        tx.transaction(async (inner) => {
          await inner.insert(names).values({ name: 'inner' });
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect((await db.select().from(names)).map((r) => r.name)).toEqual(['outer']);

    await expect(
      db.transaction(async (tx) => {
        await tx.insert(names).values({ name: 'lost' });
        tx.rollback();
      }),
    ).rejects.toThrow('Rollback');
    expect((await db.select().from(names)).map((r) => r.name)).toEqual(['outer']);
    await db.delete(names);
  });

  it('turns a failed COMMIT into an error instead of reporting success', async () => {
    const { db } = handle;
    // A statement error inside the transaction that the callback swallows: PostgreSQL then
    // answers COMMIT with ROLLBACK, and the caller must hear it.
    const outcome = db.transaction(async (tx) => {
      await tx.insert(names).values({ name: 'doomed' });
      await tx.execute(sql`SELECT 1/0`).catch(() => {});
    });
    await expect(outcome).rejects.toMatchObject({ code: '25P02' });
    expect(await db.select().from(names)).toEqual([]);
  });
});

describe('the urgent lane (a call being set up)', () => {
  it('goes ahead of the ordinary requests waiting, behind what holds the database now', async () => {
    const { db, urgentDb } = handle;
    const order: string[] = [];
    const holding = gate();
    const release = gate();
    const holder = db.transaction(async (tx) => {
      await tx.execute(sql`SELECT 1`);
      holding.open();
      await release.promise;
      order.push('open transaction');
    });
    await holding.promise;
    // While the transaction holds the database, three ordinary statements ask first (a chat's
    // sends), then an urgent one (a join's). The worker gets them in this order.
    const ordinary = [1, 2, 3].map((n) =>
      db.execute(sql`SELECT ${n}::int AS n`).then(() => order.push(`ordinary ${n}`)),
    );
    const urgent = urgentDb.execute(sql`SELECT 0 AS n`).then(() => order.push('urgent'));
    release.open();
    await Promise.all([holder, urgent, ...ordinary]);
    expect(order).toEqual(['open transaction', 'urgent', 'ordinary 1', 'ordinary 2', 'ordinary 3']);
  });

  it('an urgent transaction holds the database until it ends; its own statements never wait in a lane', async () => {
    const { db, urgentDb } = handle;
    await db.insert(counters).values({ id: 2, value: 0 }).onConflictDoNothing();
    const order: string[] = [];
    const inside = gate();
    const release = gate();
    const urgent = urgentDb.transaction(async (tx) => {
      await tx.update(counters).set({ value: 41 }).where(eq(counters.id, 2));
      inside.open();
      await release.promise;
      const [row] = await tx.select().from(counters).where(eq(counters.id, 2));
      order.push(`transaction reads ${row!.value}`);
      await tx.update(counters).set({ value: 42 }).where(eq(counters.id, 2));
    });
    await inside.promise;
    // Asked while the urgent transaction is open: waits for its end, and sees what it committed.
    const read = db
      .select()
      .from(counters)
      .where(eq(counters.id, 2))
      .then(([row]) => order.push(`ordinary reads ${row!.value}`));
    release.open();
    await Promise.all([urgent, read]);
    expect(order).toEqual(['transaction reads 41', 'ordinary reads 42']);
  });
});

describe('what the repositories see, as with PGlite in this thread', () => {
  async function uniqueViolation(db: Pick<Database, 'insert'>) {
    await db.insert(names).values({ name: 'taken' });
    try {
      await db.insert(names).values({ name: 'taken' });
    } catch (err) {
      return err;
    }
    throw new Error('no unique violation');
  }

  it('reports a unique violation with the same error class, code and fields', async () => {
    const [remote, local] = await Promise.all([
      uniqueViolation(handle.db),
      uniqueViolation(reference as unknown as Database),
    ]);
    expect(remote).toBeInstanceOf(DrizzleQueryError);
    const cause = (remote as DrizzleQueryError).cause as InstanceType<typeof protocol.messages.DatabaseError>;
    expect(cause).toBeInstanceOf(protocol.messages.DatabaseError);
    expect(cause.code).toBe('23505');
    expect(cause.constraint).toBe('probe_names_pkey');
    const fields = (e: unknown) => {
      const c = (e as DrizzleQueryError).cause as unknown as Record<string, unknown>;
      const { length: _length, queryOptions: _options, ...rest } = c;
      return { ...rest, message: (c as unknown as Error).message };
    };
    expect(fields(remote)).toEqual(fields(local));
    expect((remote as Error).message).toBe((local as Error).message);
    await handle.db.delete(names);
  });

  it('round-trips dates, intervals, bigints, numerics, JSON, arrays and bytes identically', async () => {
    const row = {
      id: '0b8f2d2e-5d3e-4a55-9a0e-8e7f4bde0c11',
      at: new Date('2026-12-06T09:45:42.123Z'),
      atText: '2026-12-06 09:45:42.123+00',
      local: new Date('2026-12-06T09:45:42.000Z'),
      day: new Date('2026-12-06T00:00:00.000Z'),
      dayText: '2026-12-06',
      span: '1 day 02:03:04',
      big: 9_007_199_254_740_993n,
      bigNumber: 42,
      amount: '12345678901234567890.123456789',
      flag: true,
      doc: { nested: { list: [1, 'two', null], text: '中文' }, big: 1.5 },
      tags: ['a', 'b,c', ''],
      stamps: ['2026-12-06 09:45:42+00', '2026-12-07 00:00:00+00'],
      raw: new Uint8Array([0, 1, 2, 254, 255]),
    };
    await handle.db.insert(typed).values(row);
    await reference.insert(typed).values(row);
    const [remote] = await handle.db.select().from(typed);
    const [local] = await reference.select().from(typed);
    expect(remote).toEqual(local);
    expect(remote!.at).toBeInstanceOf(Date);
    expect(remote!.at.getTime()).toBe(row.at.getTime());
    expect(remote!.big).toBe(row.big);
    expect(remote!.raw).toBeInstanceOf(Uint8Array);
    // Raw SQL takes PGlite's own parsers (no Drizzle ones): the same values in both threads too.
    const rawQuery = sql`SELECT at, big, doc, tags, span, now() - now() AS zero FROM probe_types`;
    const [remoteRaw, localRaw] = await Promise.all([
      handle.db.execute(rawQuery) as Promise<Results>,
      reference.execute(rawQuery),
    ]);
    expect(remoteRaw.rows).toEqual(localRaw.rows);
    expect(remoteRaw.fields).toEqual(localRaw.fields);
  });
});

describe('the server thread while the worker works', () => {
  it('keeps turning its event loop while a long query is pending', async () => {
    let pending = true;
    const query = handle.db
      .execute(sql`SELECT count(*) FROM generate_series(1, 5000000) AS s(i) WHERE i % 7 = 3`)
      .then((result) => {
        pending = false;
        return result as Results<{ count: string }>;
      });
    let turns = 0;
    // Several full event-loop turns (immediates and a timer) complete before the query answers.
    while (turns < 5) {
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (!pending) break;
      turns++;
    }
    expect(turns).toBe(5);
    expect(pending).toBe(true);
    const result = await query;
    expect(Number(result.rows[0]!.count)).toBe(714286);
  });

  it('answers ping, and a closed database refuses further work', async () => {
    const other = await openDatabase({ database: { kind: 'pglite', dir: null } });
    await other.ping();
    await other.close();
    const refused = await other.ping().catch((err: Error) => err);
    expect((refused as Error).cause).toMatchObject({ message: expect.stringMatching(/is closed/) });
  }, 120_000);
});
