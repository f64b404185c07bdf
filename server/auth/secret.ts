import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { installationMeta } from '../db/schema';

const KEY = 'jwt_secret';

/**
 * The configured JWT_SECRET, or (outside production, where config validation demands one) a
 * random secret generated once and kept in the database, so tokens survive restarts and every
 * node that shares the database accepts them.
 */
export async function resolveJwtSecret(config: Config, db: Database): Promise<string> {
  if (config.auth.jwtSecret) return config.auth.jwtSecret;
  const candidate = randomBytes(48).toString('base64url');
  // Insert-if-absent, then read back: two nodes starting together agree on one secret.
  await db.insert(installationMeta).values({ key: KEY, value: candidate }).onConflictDoNothing();
  const [row] = await db.select().from(installationMeta).where(eq(installationMeta.key, KEY));
  if (!row) throw new Error('could not persist the generated JWT secret');
  return row.value;
}
