import { and, asc, desc, eq, ilike, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import {
  type HelpArticleRow,
  helpArticles,
  helpArticleTasks,
  helpArticleTickets,
  helpArticleVersions,
  helpDeflectionEvents,
  helpImages,
} from '../db/helpSchema';
import { boards, tickets, users } from '../db/schema';

export type ArticleFilter = { status?: string; locale?: string; category?: string; q?: string };

/** All of the help centre's SQL except the search itself (`search.ts`). */
export class HelpRepository {
  constructor(readonly db: Database) {}

  transaction<T>(fn: (repo: HelpRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new HelpRepository(tx as unknown as Database)));
  }

  async insertArticle(values: typeof helpArticles.$inferInsert): Promise<HelpArticleRow> {
    const [row] = await this.db.insert(helpArticles).values(values).returning();
    return row!;
  }

  async findArticle(id: string): Promise<HelpArticleRow | undefined> {
    const [row] = await this.db.select().from(helpArticles).where(eq(helpArticles.id, id));
    return row;
  }

  /** The row locked for a change (publishing, a new version): concurrent saves take turns. */
  async lockArticle(id: string): Promise<HelpArticleRow | undefined> {
    const [row] = await this.db.select().from(helpArticles).where(eq(helpArticles.id, id)).for('update');
    return row;
  }

  async updateArticle(id: string, set: Partial<typeof helpArticles.$inferInsert>): Promise<HelpArticleRow> {
    const [row] = await this.db
      .update(helpArticles)
      .set({ ...set, updatedAt: new Date() })
      .where(eq(helpArticles.id, id))
      .returning();
    return row!;
  }

  /** Sets the published text and its search terms (a `tsvector` literal) in one statement. */
  async setPublished(
    id: string,
    values: {
      versionId: string | null;
      title: string | null;
      body: string | null;
      vector: string | null;
      at: Date | null;
    },
  ): Promise<HelpArticleRow> {
    const [row] = await this.db
      .update(helpArticles)
      .set({
        status: values.versionId ? 'published' : 'draft',
        currentVersionId: values.versionId,
        publishedTitle: values.title,
        publishedBody: values.body,
        publishedAt: values.at,
        search: values.vector === null ? null : sql`${values.vector}::tsvector`,
        updatedAt: new Date(),
      })
      .where(eq(helpArticles.id, id))
      .returning();
    return row!;
  }

  async listArticles(filter: ArticleFilter): Promise<HelpArticleRow[]> {
    const pattern = filter.q ? `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
    return this.db
      .select()
      .from(helpArticles)
      .where(
        and(
          filter.status ? eq(helpArticles.status, filter.status as 'draft') : undefined,
          filter.locale ? eq(helpArticles.locale, filter.locale as 'en') : undefined,
          filter.category ? eq(helpArticles.category, filter.category) : undefined,
          pattern ? or(ilike(helpArticles.title, pattern), ilike(helpArticles.body, pattern)) : undefined,
        ),
      )
      .orderBy(desc(helpArticles.updatedAt))
      .limit(500);
  }

  async publishedList(locale: string, category?: string) {
    return this.db
      .select({
        id: helpArticles.id,
        title: helpArticles.publishedTitle,
        category: helpArticles.category,
        publishedAt: helpArticles.publishedAt,
      })
      .from(helpArticles)
      .where(
        and(
          eq(helpArticles.status, 'published'),
          eq(helpArticles.locale, locale as 'en'),
          category ? eq(helpArticles.category, category) : undefined,
        ),
      )
      .orderBy(asc(helpArticles.category), desc(helpArticles.publishedAt))
      .limit(1000);
  }

  async translations(group: string): Promise<HelpArticleRow[]> {
    return this.db.select().from(helpArticles).where(eq(helpArticles.translationGroup, group));
  }

  async insertVersion(values: typeof helpArticleVersions.$inferInsert) {
    const [row] = await this.db.insert(helpArticleVersions).values(values).returning();
    return row!;
  }

  async latestVersion(articleId: string) {
    const [row] = await this.db
      .select()
      .from(helpArticleVersions)
      .where(eq(helpArticleVersions.articleId, articleId))
      .orderBy(desc(helpArticleVersions.number))
      .limit(1);
    return row;
  }

  async findVersion(articleId: string, versionId: string) {
    const [row] = await this.db
      .select()
      .from(helpArticleVersions)
      .where(and(eq(helpArticleVersions.articleId, articleId), eq(helpArticleVersions.id, versionId)));
    return row;
  }

  async markVersionPublished(versionId: string, by: string, at: Date) {
    await this.db
      .update(helpArticleVersions)
      .set({ publishedAt: at, publishedById: by })
      .where(eq(helpArticleVersions.id, versionId));
  }

  async versions(articleId: string) {
    return this.db
      .select()
      .from(helpArticleVersions)
      .where(eq(helpArticleVersions.articleId, articleId))
      .orderBy(desc(helpArticleVersions.number));
  }

  async usersByIds(ids: Iterable<string | null>) {
    const unique = [...new Set([...ids].filter((id): id is string => Boolean(id)))];
    if (unique.length === 0) return new Map<string, { id: string; name: string }>();
    const rows = await this.db
      .select({ id: users.id, name: users.name })
      .from(users)
      .where(inArray(users.id, unique));
    return new Map(rows.map((r) => [r.id, r]));
  }

  async vote(id: string, helpful: boolean): Promise<boolean> {
    const rows = await this.db
      .update(helpArticles)
      .set(
        helpful
          ? { helpfulYes: sql`${helpArticles.helpfulYes} + 1` }
          : { helpfulNo: sql`${helpArticles.helpfulNo} + 1` },
      )
      .where(and(eq(helpArticles.id, id), eq(helpArticles.status, 'published')))
      .returning({ id: helpArticles.id });
    return rows.length > 0;
  }

  async linkTicket(articleId: string, ticketId: string) {
    await this.db.insert(helpArticleTickets).values({ articleId, ticketId }).onConflictDoNothing();
  }

  async ticketsOfArticle(articleId: string) {
    return this.db
      .select({ id: tickets.id, number: tickets.number, subject: tickets.subject })
      .from(helpArticleTickets)
      .innerJoin(tickets, eq(tickets.id, helpArticleTickets.ticketId))
      .where(eq(helpArticleTickets.articleId, articleId));
  }

  async articlesOfTicket(ticketId: string) {
    return this.db
      .select({
        id: helpArticles.id,
        title: helpArticles.title,
        status: helpArticles.status,
        locale: helpArticles.locale,
      })
      .from(helpArticleTickets)
      .innerJoin(helpArticles, eq(helpArticles.id, helpArticleTickets.articleId))
      .where(eq(helpArticleTickets.ticketId, ticketId));
  }

  async hasPublishedInCategory(category: string): Promise<boolean> {
    const [row] = await this.db
      .select({ id: helpArticles.id })
      .from(helpArticles)
      .where(and(eq(helpArticles.status, 'published'), eq(helpArticles.category, category)))
      .limit(1);
    return Boolean(row);
  }

  async insertTask(values: typeof helpArticleTasks.$inferInsert) {
    await this.db.insert(helpArticleTasks).values(values).onConflictDoNothing();
  }

  /** Closes the open tasks of a category (an article for it was published). */
  async completeTasksOfCategory(category: string, articleId: string, at: Date) {
    await this.db
      .update(helpArticleTasks)
      .set({ doneAt: at, doneReason: 'published', articleId })
      .where(and(eq(helpArticleTasks.category, category), isNull(helpArticleTasks.doneAt)));
  }

  async completeTaskOfTicket(ticketId: string, articleId: string, at: Date) {
    await this.db
      .update(helpArticleTasks)
      .set({ doneAt: at, doneReason: 'linked', articleId })
      .where(and(eq(helpArticleTasks.ticketId, ticketId), isNull(helpArticleTasks.doneAt)));
  }

  async listTasks(filter: { agentId?: string; state: 'open' | 'done' | 'all' }) {
    return this.db
      .select({
        task: helpArticleTasks,
        ticket: { id: tickets.id, number: tickets.number, subject: tickets.subject },
      })
      .from(helpArticleTasks)
      .innerJoin(tickets, eq(tickets.id, helpArticleTasks.ticketId))
      .where(
        and(
          filter.agentId ? eq(helpArticleTasks.agentId, filter.agentId) : undefined,
          filter.state === 'open' ? isNull(helpArticleTasks.doneAt) : undefined,
          filter.state === 'done' ? isNotNull(helpArticleTasks.doneAt) : undefined,
        ),
      )
      .orderBy(asc(helpArticleTasks.dueAt))
      .limit(500);
  }

  async insertImage(values: typeof helpImages.$inferInsert) {
    const [row] = await this.db.insert(helpImages).values(values).returning();
    return row!;
  }

  async findImage(id: string) {
    const [row] = await this.db.select().from(helpImages).where(eq(helpImages.id, id));
    return row;
  }

  async insertDeflectionEvents(rows: Array<typeof helpDeflectionEvents.$inferInsert>) {
    if (rows.length > 0) await this.db.insert(helpDeflectionEvents).values(rows);
  }

  /** Per form session: whether it showed, opened and submitted (sessions started in the range). */
  async deflectionCounts(from: Date, to: Date) {
    const result = (await this.db.execute(sql`
      WITH sessions AS (
        SELECT session_id,
          bool_or(kind = 'shown') AS shown,
          bool_or(kind = 'opened') AS opened,
          bool_or(kind = 'submitted') AS submitted
        FROM help_deflection_events
        GROUP BY session_id
        HAVING min(created_at) >= ${from.toISOString()}::timestamptz AND min(created_at) <= ${to.toISOString()}::timestamptz
      )
      SELECT
        count(*) FILTER (WHERE shown)::int AS shown,
        count(*) FILTER (WHERE shown AND opened)::int AS opened,
        count(*) FILTER (WHERE shown AND opened AND submitted)::int AS submitted_anyway,
        count(*) FILTER (WHERE shown AND opened AND NOT submitted)::int AS deflected
      FROM sessions
    `)) as unknown as {
      rows: Array<{ shown: number; opened: number; submitted_anyway: number; deflected: number }>;
    };
    return result.rows[0]!;
  }
}

/** The saved whiteboard images of a ticket (attachment ids), oldest first. */
export async function boardImagesOfTicket(db: Database, ticketId: string): Promise<string[]> {
  const rows = await db
    .select({ image: boards.imageAttachmentId })
    .from(boards)
    .where(and(eq(boards.ticketId, ticketId), isNotNull(boards.finalizedAt)))
    .orderBy(asc(boards.createdAt));
  return rows.map((r) => r.image).filter((id): id is string => Boolean(id));
}
