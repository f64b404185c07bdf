import { and, eq, sql } from 'drizzle-orm';
import type { BotArticle, BotHandoffReason, BotState } from '../../signaling/shared/bot';
import { type BotConversationRow, botConversations } from '../db/botSchema';
import type { Database } from '../db/client';

/** All of the assistant's SQL: one row per ticket it answers on (db/botSchema.ts). */
export class BotRepository {
  constructor(readonly db: Database) {}

  /** Starts the assistant on a new ticket (inside the ticket's creating transaction: pass `tx`). */
  static async begin(db: Database, ticketId: string, at: Date): Promise<void> {
    await db.insert(botConversations).values({ ticketId, startedAt: at }).onConflictDoNothing();
  }

  async find(ticketId: string): Promise<BotConversationRow | undefined> {
    const [row] = await this.db
      .select()
      .from(botConversations)
      .where(eq(botConversations.ticketId, ticketId));
    return row;
  }

  /** Whether the assistant still holds the ticket (out of auto-assignment). */
  async isAnswering(ticketId: string): Promise<boolean> {
    const [row] = await this.db
      .select({ state: botConversations.state })
      .from(botConversations)
      .where(eq(botConversations.ticketId, ticketId));
    return row?.state === 'answering';
  }

  /** Records one more search and its question; false when the conversation is no longer the bot's. */
  async countSearch(
    ticketId: string,
    question: string,
    locale: 'en' | 'zh-CN',
  ): Promise<BotConversationRow | undefined> {
    const [row] = await this.db
      .update(botConversations)
      .set({
        searches: sql`${botConversations.searches} + 1`,
        locale,
        questions: sql`(${botConversations.questions} || ${JSON.stringify([question])}::jsonb)`,
      })
      .where(and(eq(botConversations.ticketId, ticketId), eq(botConversations.state, 'answering')))
      .returning();
    return row;
  }

  /** Adds articles to the suggested list (those not in it yet). */
  async addSuggested(ticketId: string, articles: BotArticle[]): Promise<void> {
    const row = await this.find(ticketId);
    if (!row) return;
    const known = new Set(row.suggested.map((a) => a.id));
    const added = articles.filter((a) => !known.has(a.id));
    if (added.length === 0) return;
    await this.db
      .update(botConversations)
      .set({ suggested: [...row.suggested, ...added] })
      .where(eq(botConversations.ticketId, ticketId));
  }

  /** One more "no"; returns the new count, or undefined when the bot no longer answers here. */
  async countNo(ticketId: string): Promise<number | undefined> {
    const [row] = await this.db
      .update(botConversations)
      .set({ noCount: sql`${botConversations.noCount} + 1` })
      .where(and(eq(botConversations.ticketId, ticketId), eq(botConversations.state, 'answering')))
      .returning({ noCount: botConversations.noCount });
    return row?.noCount;
  }

  /**
   * Ends the conversation in `to` if it is in `from` (one conditional update: of two nodes or a
   * bot answer racing an agent's reply, exactly one wins). Returns the row as it ended, or undefined.
   */
  async end(
    ticketId: string,
    from: BotState[],
    to: Exclude<BotState, 'answering'>,
    at: Date,
    reason: BotHandoffReason | null = null,
  ): Promise<BotConversationRow | undefined> {
    const [row] = await this.db
      .update(botConversations)
      .set({ state: to, endedAt: at, ...(reason ? { handoffReason: reason } : {}) })
      .where(
        and(
          eq(botConversations.ticketId, ticketId),
          sql`${botConversations.state} IN (${sql.join(
            from.map((s) => sql`${s}`),
            sql`, `,
          )})`,
        ),
      )
      .returning();
    return row;
  }

  /**
   * The median seconds to a first response of the tickets created in the last 7 days that had
   * one (the customer's expected wait after a hand-off); null when there are none.
   */
  async medianFirstResponseSeconds(since: Date): Promise<number | null> {
    const result = (await this.db.execute(sql`
      SELECT percentile_cont(0.5) WITHIN GROUP (
        ORDER BY extract(epoch FROM first_response_at - created_at)) AS median
      FROM tickets WHERE created_at >= ${since.toISOString()}::timestamptz AND first_response_at IS NOT NULL
    `)) as unknown as { rows: Array<{ median: number | string | null }> };
    const median = result.rows[0]?.median;
    return median === null || median === undefined ? null : Number(median);
  }
}
