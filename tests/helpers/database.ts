import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Config } from '../../server/config';

export type Backend = 'pglite' | 'postgres';

/**
 * The database backends a suite can run against here: always the embedded PGlite, plus
 * PostgreSQL when DATABASE_URL is set (CI sets it). Suites loop over this list, so one set of
 * tests covers both.
 */
export const BACKENDS: Backend[] = process.env.DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

/**
 * A database of its own for one test file: an in-memory PGlite, or a freshly created PostgreSQL
 * database with a random name (dropped again by `drop`), so parallel runs never collide.
 */
export async function isolatedDatabase(
  backend: Backend,
): Promise<{ database: Config['database']; drop: () => Promise<void> }> {
  if (backend === 'pglite') return { database: { kind: 'pglite', dir: null }, drop: async () => {} };
  const baseUrl = process.env.DATABASE_URL;
  if (!baseUrl) throw new Error('DATABASE_URL is not set');
  const name = `livedesk_test_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    database: { kind: 'postgres', url: url.toString() },
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}
