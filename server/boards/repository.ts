import { asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { type BoardRow, boards, boardUpdates } from '../db/schema';
import { TicketsRepository } from '../tickets/repository';

/** All SQL for whiteboards and their append-only update log. */
export class BoardsRepository {
  /** The ticket timeline, bound to the same connection (or transaction) as this repository. */
  readonly timeline: TicketsRepository;

  constructor(readonly db: Database) {
    this.timeline = new TicketsRepository(db);
  }

  /** Runs `fn` in one transaction with a repository (and its timeline) bound to it. */
  transaction<T>(fn: (repo: BoardsRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new BoardsRepository(tx as unknown as Database)));
  }

  async findByCall(callId: string): Promise<BoardRow | undefined> {
    const [row] = await this.db.select().from(boards).where(eq(boards.callId, callId));
    return row;
  }

  async find(id: string): Promise<BoardRow | undefined> {
    const [row] = await this.db.select().from(boards).where(eq(boards.id, id));
    return row;
  }

  /** The call's board; when two nodes create it at once, both get the one that was inserted. */
  async createForCall(values: typeof boards.$inferInsert & { callId: string }): Promise<BoardRow> {
    const [row] = await this.db.insert(boards).values(values).onConflictDoNothing().returning();
    return row ?? (await this.findByCall(values.callId))!;
  }

  async updateBoard(id: string, values: Partial<typeof boards.$inferInsert>): Promise<BoardRow> {
    const [row] = await this.db.update(boards).set(values).where(eq(boards.id, id)).returning();
    return row!;
  }

  /** Every board of a ticket, oldest first. */
  listForTicket(ticketId: string): Promise<BoardRow[]> {
    return this.db.select().from(boards).where(eq(boards.ticketId, ticketId)).orderBy(asc(boards.createdAt));
  }

  async appendUpdate(boardId: string, elements: unknown[]): Promise<void> {
    await this.db.insert(boardUpdates).values({ boardId, elements });
  }

  /** The board's update log in the order it was written (replayed to rebuild the scene). */
  updatesOf(boardId: string) {
    return this.db
      .select()
      .from(boardUpdates)
      .where(eq(boardUpdates.boardId, boardId))
      .orderBy(asc(boardUpdates.seq));
  }
}
