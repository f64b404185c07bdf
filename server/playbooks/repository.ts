import { and, asc, eq } from 'drizzle-orm';
import type { Database } from '../db/client';
import { feedbackFollowUps, users } from '../db/schema';
import { type PlaybookRow, playbooks, ticketPlaybookSteps } from '../db/workspaceSchema';

/** All of the playbooks' SQL. */
export class PlaybooksRepository {
  constructor(readonly db: Database) {}

  list(): Promise<PlaybookRow[]> {
    return this.db.select().from(playbooks).orderBy(asc(playbooks.category));
  }

  async findByCategory(category: string): Promise<PlaybookRow | undefined> {
    const [row] = await this.db.select().from(playbooks).where(eq(playbooks.category, category));
    return row;
  }

  async upsert(values: typeof playbooks.$inferInsert, onlyIfMissing = false): Promise<void> {
    const insert = this.db.insert(playbooks).values(values);
    await (onlyIfMissing
      ? insert.onConflictDoNothing()
      : insert.onConflictDoUpdate({
          target: playbooks.category,
          set: {
            title: values.title,
            steps: values.steps,
            followUpHours: values.followUpHours,
            updatedAt: new Date(),
          },
        }));
  }

  async delete(category: string): Promise<boolean> {
    const rows = await this.db.delete(playbooks).where(eq(playbooks.category, category)).returning();
    return rows.length > 0;
  }

  doneSteps(ticketId: string) {
    return this.db
      .select({
        stepId: ticketPlaybookSteps.stepId,
        doneAt: ticketPlaybookSteps.doneAt,
        doneById: ticketPlaybookSteps.doneById,
        doneByName: users.name,
      })
      .from(ticketPlaybookSteps)
      .leftJoin(users, eq(users.id, ticketPlaybookSteps.doneById))
      .where(eq(ticketPlaybookSteps.ticketId, ticketId))
      .orderBy(asc(ticketPlaybookSteps.doneAt));
  }

  /** Ticks a step; false when it was already ticked (nothing to record). */
  async markDone(ticketId: string, stepId: string, doneById: string, doneAt: Date): Promise<boolean> {
    const rows = await this.db
      .insert(ticketPlaybookSteps)
      .values({ ticketId, stepId, doneById, doneAt })
      .onConflictDoNothing()
      .returning();
    return rows.length > 0;
  }

  /** Un-ticks a step; false when it was not ticked. */
  async markUndone(ticketId: string, stepId: string): Promise<boolean> {
    const rows = await this.db
      .delete(ticketPlaybookSteps)
      .where(and(eq(ticketPlaybookSteps.ticketId, ticketId), eq(ticketPlaybookSteps.stepId, stepId)))
      .returning();
    return rows.length > 0;
  }

  async followUpOf(ticketId: string) {
    const [row] = await this.db
      .select()
      .from(feedbackFollowUps)
      .where(and(eq(feedbackFollowUps.source, 'playbook'), eq(feedbackFollowUps.subjectId, ticketId)));
    return row;
  }
}
