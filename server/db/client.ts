import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { migrate as migrateNodePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Config } from '../config';
import * as auditSchema from './auditSchema';
import * as authSchema from './authSchema';
import * as mailSchema from './mailSchema';
import { PGliteRemote } from './pgliteRemote';
import * as coreSchema from './schema';

const schema = { ...coreSchema, ...authSchema, ...mailSchema, ...auditSchema };

/** The query builder every repository uses; the same type whichever backend is underneath. */
export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  /**
   * The same database for a call being set up, whose every step waits for the one before: on the
   * embedded database its statements go ahead of the ordinary ones waiting (a busy chat's sends,
   * `PGliteRemote.urgentLane`); on PostgreSQL, with a pool of connections, it is `db`.
   */
  urgentDb: Database;
  kind: 'pglite' | 'postgres';
  /** Answers `SELECT 1`; used by /readyz. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A statement of a hot path with a fixed text: sent to the driver as-is, without Drizzle building
 * it per call. `name` makes it a prepared statement on PostgreSQL (parsed and planned once per
 * pooled connection; later calls send only the parameters); it must be unique per text.
 */
export interface FixedStatement {
  name: string;
  text: string;
}

type RawClient = { query: (text: string, values: unknown[]) => Promise<{ rows: unknown[] }> };

/**
 * Runs a fixed statement on the database's own client: node-postgres's pool (named, so prepared)
 * or the embedded PGlite's. Only on the top-level database: a transaction's statements go through
 * Drizzle, which knows the transaction's connection.
 */
export async function runFixed<Row>(
  db: Database,
  statement: FixedStatement,
  values: unknown[],
): Promise<Row[]> {
  const client = (db as unknown as { $client?: unknown }).$client;
  if (client instanceof pg.Pool) {
    return (await client.query({ name: statement.name, text: statement.text, values })).rows as Row[];
  }
  if (client && typeof (client as RawClient).query === 'function') {
    return (await (client as RawClient).query(statement.text, values)).rows as Row[];
  }
  throw new Error(`${statement.name}: fixed statements run on the top-level database, not in a transaction`);
}

const migrationsFolder = path.join(path.dirname(fileURLToPath(import.meta.url)), 'migrations');

/**
 * Opens the configured database and brings its schema up to date. Migrations are recorded in
 * `drizzle.__drizzle_migrations`, so running them at every start is a no-op once applied.
 * On PostgreSQL an advisory lock keeps two nodes starting at once from migrating twice.
 */
export async function openDatabase(config: Pick<Config, 'database'>): Promise<DatabaseHandle> {
  if (config.database.kind === 'postgres') {
    // JIT off: it compiles only for queries the planner thinks expensive, i.e. the reports', and
    // there its compile time cost more than it saved (bench:reports, 365 days: 4.4 s → 1.6 s).
    const pool = new pg.Pool({ connectionString: config.database.url, max: 10, options: '-c jit=off' });
    // An idle client that loses its connection emits 'error' on the pool; without a listener
    // that would crash the process instead of just being replaced on next checkout.
    pool.on('error', () => {});
    const db = drizzleNodePg(pool, { schema }) as unknown as Database;
    const client = await pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock(hashtext($1))', ['livedesk:migrate']);
      await migrateNodePg(drizzleNodePg(client, { schema }), { migrationsFolder });
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', ['livedesk:migrate']);
      client.release();
    }
    return {
      db,
      urgentDb: db,
      kind: 'postgres',
      ping: async () => {
        await db.execute(sql`SELECT 1`);
      },
      close: () => pool.end(),
    };
  }

  // A null dir means an in-memory database (tests); otherwise the data directory survives restarts.
  // PGlite runs in a worker thread so that its statements never hold the event loop that serves
  // sockets and media; Drizzle's pglite driver sees PGlite's interface (see pgliteRemote.ts).
  const dir = config.database.dir;
  if (dir) fs.mkdirSync(dir, { recursive: true });
  const remote = await PGliteRemote.open(dir, config.database.statementStatsFile);
  const client = remote as unknown as PGlite;
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  try {
    await migratePglite(drizzlePglite(client, { schema }), { migrationsFolder });
  } catch (err) {
    await remote.close();
    throw err;
  }
  return {
    db,
    urgentDb: drizzlePglite(remote.urgentLane() as unknown as PGlite, { schema }) as unknown as Database,
    kind: 'pglite',
    ping: async () => {
      await db.execute(sql`SELECT 1`);
    },
    close: () => remote.close(),
  };
}
