// The installation's stored key/value settings (`installation_meta`): every node reads the same,
// so a change made on one applies on all. One reader and one writer, used by each setting's owner.
import { eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { installationMeta } from '../db/schema';

/** The stored value, or undefined when nothing was ever stored under the key. */
export async function readMeta(db: Database, key: string): Promise<string | undefined> {
  const [row] = await db.select().from(installationMeta).where(eq(installationMeta.key, key));
  return row?.value;
}

/** Stores the value under the key (inserted or replaced); pass a transaction to write within it. */
export async function writeMeta(db: Database, key: string, value: string): Promise<void> {
  await db
    .insert(installationMeta)
    .values({ key, value })
    .onConflictDoUpdate({ target: installationMeta.key, set: { value, updatedAt: new Date() } });
}
