import { and, asc, count, eq, ilike, inArray, isNotNull, isNull, or, type SQL } from 'drizzle-orm';
import type { Role } from '../../signaling/shared/protocol';
import type { Database } from '../db/client';
import { type NewUserRow, type UserRow, users } from '../db/schema';
import type { AdminUserFilter } from './schemas';

/** All SQL touching the users table lives here. */
export class UsersRepository {
  constructor(private readonly db: Database) {}

  async findById(id: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id));
    return row;
  }

  /** The row, locked until the transaction ends (repository built on a transaction). */
  async lockById(id: string): Promise<UserRow | undefined> {
    const [row] = await this.db.select().from(users).where(eq(users.id, id)).for('update');
    return row;
  }

  /** Sets or clears `disabled_at` of the given accounts; returns those that changed. */
  async setDisabled(emails: readonly string[], disabled: boolean): Promise<UserRow[]> {
    if (emails.length === 0) return [];
    return this.db
      .update(users)
      .set({ disabledAt: disabled ? new Date() : null, updatedAt: new Date() })
      .where(
        and(
          inArray(users.email, [...emails]),
          disabled ? isNull(users.disabledAt) : isNotNull(users.disabledAt),
        ),
      )
      .returning();
  }

  async findByEmails(emails: readonly string[]): Promise<UserRow[]> {
    if (emails.length === 0) return [];
    return this.db
      .select()
      .from(users)
      .where(inArray(users.email, [...emails]));
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

  /** The administration list: search on name and e-mail, role and status filters, a total for paging. */
  async search(filter: AdminUserFilter): Promise<{ rows: UserRow[]; total: number }> {
    const where: SQL[] = [];
    if (filter.q) {
      const pattern = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
      where.push(or(ilike(users.name, pattern), ilike(users.email, pattern))!);
    }
    if (filter.role) where.push(eq(users.role, filter.role));
    if (filter.status === 'active') where.push(isNull(users.disabledAt));
    if (filter.status === 'disabled') where.push(isNotNull(users.disabledAt));
    const [rows, [total]] = await Promise.all([
      this.db
        .select()
        .from(users)
        .where(and(...where))
        .orderBy(asc(users.name), asc(users.email))
        .limit(filter.limit)
        .offset(filter.offset),
      this.db
        .select({ n: count() })
        .from(users)
        .where(and(...where)),
    ]);
    return { rows, total: total?.n ?? 0 };
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
    patch: Partial<
      Pick<
        UserRow,
        | 'name'
        | 'role'
        | 'tier'
        | 'skills'
        | 'languages'
        | 'locale'
        | 'localeChosenAt'
        | 'disabledAt'
        | 'passwordHash'
      >
    >,
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
