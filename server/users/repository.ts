import { asc, count, eq } from 'drizzle-orm';
import type { Role } from '../../signaling/shared/protocol';
import type { Database } from '../db/client';
import { type NewUserRow, type UserRow, users } from '../db/schema';

/** All SQL touching the users table lives here. */
export class UsersRepository {
  constructor(private readonly db: Database) {}

  async findById(id: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row;
  }

  async findByEmail(email: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.email, email));
    return row;
  }

  async list(filter: { role?: Role; limit: number; offset: number }): Promise<UserRow[]> {
    return this.db
      .select()
      .from(users)
      .where(filter.role ? eq(users.role, filter.role) : undefined)
      .orderBy(asc(users.createdAt), asc(users.email))
      .limit(filter.limit)
      .offset(filter.offset);
  }

  async count(): Promise<number> {
    const [row] = await this.db.select({ n: count() }).from(users);
    return row?.n ?? 0;
  }

  /** Returns undefined when the e-mail address is already taken. */
  async insert(user: NewUserRow): Promise<UserRow | undefined> {
    const [row] = await this.db.insert(users).values(user).onConflictDoNothing().returning();
    return row;
  }

  async update(
    id: string,
    patch: Partial<Pick<UserRow, 'role' | 'tier' | 'disabledAt'>>,
  ): Promise<UserRow | undefined> {
    const [row] = await this.db
      .update(users)
      .set({ ...patch, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    return row;
  }

  /** Replaces the password hash (reset, invitation accepted); returns the row, or undefined. */
  async setPasswordHash(id: string, passwordHash: string): Promise<UserRow | undefined> {
    const [row] = await this.db
      .update(users)
      .set({ passwordHash, updatedAt: new Date() })
      .where(eq(users.id, id))
      .returning();
    return row;
  }
}
