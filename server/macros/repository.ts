import { and, asc, eq, ilike, isNull, or, sql } from 'drizzle-orm';
import type { MacroScope } from '../../signaling/shared/macros';
import type { Database } from '../db/client';
import { users } from '../db/schema';
import { type MacroRow, macros } from '../db/workspaceSchema';

export type MacroListRow = { macro: MacroRow; ownerName: string | null };

/** All of the macros' SQL. */
export class MacrosRepository {
  constructor(readonly db: Database) {}

  /** Runs `work` in one transaction with a repository on it (a change and its audit entry). */
  transaction<T>(work: (repo: MacrosRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => work(new MacrosRepository(tx as unknown as Database)));
  }

  /** The shared macros and the personal ones of `ownerId`, title order; `q` matches title and bodies. */
  async listVisible(ownerId: string, filter: { q?: string; scope?: MacroScope }): Promise<MacroListRow[]> {
    const visible = or(isNull(macros.ownerId), eq(macros.ownerId, ownerId));
    const conditions = [visible];
    if (filter.scope) conditions.push(eq(macros.scope, filter.scope));
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      conditions.push(or(ilike(macros.title, pattern), ilike(sql`${macros.bodies}::text`, pattern)));
    }
    return this.db
      .select({ macro: macros, ownerName: users.name })
      .from(macros)
      .leftJoin(users, eq(users.id, macros.ownerId))
      .where(and(...conditions))
      .orderBy(asc(macros.scope), asc(sql`lower(${macros.title})`))
      .limit(500);
  }

  async find(id: string): Promise<MacroListRow | undefined> {
    const [row] = await this.db
      .select({ macro: macros, ownerName: users.name })
      .from(macros)
      .leftJoin(users, eq(users.id, macros.ownerId))
      .where(eq(macros.id, id));
    return row;
  }

  async insert(values: typeof macros.$inferInsert): Promise<MacroRow> {
    const [row] = await this.db.insert(macros).values(values).returning();
    return row!;
  }

  async update(id: string, values: Partial<typeof macros.$inferInsert>): Promise<MacroRow | undefined> {
    const [row] = await this.db
      .update(macros)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(macros.id, id))
      .returning();
    return row;
  }

  async delete(id: string): Promise<void> {
    await this.db.delete(macros).where(eq(macros.id, id));
  }
}
