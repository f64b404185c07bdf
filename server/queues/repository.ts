import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import { QUEUE_COUNT_CAP, type QueueSort, type SlaState } from '../../signaling/shared/queues';
import type { Database } from '../db/client';
import { messageSearch, type SavedQueueViewRow, savedQueueViews, ticketSearch } from '../db/queueSchema';
import { slaAlerts, type TicketRow, tickets } from '../db/schema';
import { ACTIVE_STATUSES } from '../tickets/repository';
import type { QueueFiltersInput } from './schemas';

/** The filters, resolved for one reader: who "me" is, whose tickets, which words and document. */
export interface QueueCriteria {
  filters: QueueFiltersInput;
  /**
   * A `tsquery` literal (textTokens.ts `tsQueryText`); null when words were typed but none can be
   * searched (only stop words or punctuation: nothing matches); undefined when nothing was typed.
   */
  tsQuery: string | null | undefined;
  actorId: string;
  /** Customers: only their own tickets, searched through what they can see (no internal notes). */
  requesterId?: string;
}

// Spelled out: inside a subquery Drizzle would write the outer column unqualified.
const TICKET_ID = sql.raw('"tickets"."id"');

const alertExists = (kind?: 'warning' | 'breach') =>
  sql`EXISTS (SELECT 1 FROM ${slaAlerts} a WHERE a.ticket_id = ${TICKET_ID}${kind ? sql` AND a.kind = ${kind}` : sql``})`;

const SLA_CONDITIONS: Record<SlaState, SQL> = {
  breached: alertExists('breach'),
  warning: sql`(${alertExists('warning')} AND NOT ${alertExists('breach')})`,
  ok: sql`NOT ${alertExists()}`,
};

/**
 * A ticket matches when every word is in its document or in its messages still waiting to be
 * folded into it (`message_search`, a few seconds' worth): both together, so a word of the subject
 * and one of a message just sent find the ticket as one document would.
 */
const MATCH = {
  /** Staff, the document alone: the GIN index on (terms || customer_terms), as a semi-join. */
  document: (query: SQL) =>
    sql`EXISTS (SELECT 1 FROM ${ticketSearch} d WHERE d.ticket_id = ${TICKET_ID} AND (d.terms || d.customer_terms) @@ ${query})`,
  /** Staff, tickets with waiting rows (a small table read whole), each with its document. */
  waiting: (query: SQL) => sql`${TICKET_ID} IN (
    SELECT w.ticket_id FROM (
      SELECT ticket_id, string_agg(terms::text, ' ')::tsvector AS terms FROM ${messageSearch} GROUP BY ticket_id
    ) w LEFT JOIN ${ticketSearch} d ON d.ticket_id = w.ticket_id
    WHERE (coalesce(d.terms || d.customer_terms, ''::tsvector) || w.terms) @@ ${query}
  )`,
  /** A customer's few tickets, found by requester first: the words they can see (public only). */
  customer: (query: SQL) =>
    sql`EXISTS (SELECT 1 FROM ${ticketSearch} d WHERE d.ticket_id = ${TICKET_ID} AND (d.public_terms || coalesce(
      (SELECT string_agg(w.terms::text, ' ')::tsvector FROM ${messageSearch} w WHERE w.ticket_id = ${TICKET_ID} AND w.public),
      ''::tsvector)) @@ ${query})`,
};

const ORDER: Record<QueueSort, SQL[]> = {
  updated: [desc(tickets.updatedAt), desc(tickets.number)],
  created: [desc(tickets.createdAt), desc(tickets.number)],
  oldest: [asc(tickets.createdAt), asc(tickets.number)],
  // The enum's order is P1 < P2 < P3 < P4; within a priority the longest waiting first.
  priority: [asc(tickets.priority), asc(tickets.createdAt), asc(tickets.number)],
};

/** ORDER in JavaScript, to merge the pages of two branches of a staff search. */
const time = (d: Date) => d.getTime();
const COMPARE: Record<QueueSort, (a: TicketRow, b: TicketRow) => number> = {
  updated: (a, b) => time(b.updatedAt) - time(a.updatedAt) || b.number - a.number,
  created: (a, b) => time(b.createdAt) - time(a.createdAt) || b.number - a.number,
  oldest: (a, b) => time(a.createdAt) - time(b.createdAt) || a.number - b.number,
  priority: (a, b) =>
    a.priority.localeCompare(b.priority) || time(a.createdAt) - time(b.createdAt) || a.number - b.number,
};

/** The queue's SQL: search and filters over tickets, and the saved views. */
export class QueueRepository {
  constructor(private readonly db: Database) {}

  /**
   * The word conditions: none without words; one for a customer; for staff two branches, the
   * document's and the waiting rows', each run as its own query (an OR of the two would keep the
   * planner from the document's semi-join, and a common word's page from stopping early).
   */
  private matches(c: QueueCriteria): SQL[] | undefined {
    if (c.tsQuery === null) return [sql`false`];
    if (c.tsQuery === undefined) return undefined;
    const query = sql`${c.tsQuery}::tsquery`;
    return c.requesterId ? [MATCH.customer(query)] : [MATCH.document(query), MATCH.waiting(query)];
  }

  private where(c: QueueCriteria, match: SQL | undefined): SQL | undefined {
    const f = c.filters;
    const statuses = f.status?.flatMap((s) => (s === 'active' ? [...ACTIVE_STATUSES] : [s]));
    const conditions: Array<SQL | undefined> = [
      c.requesterId ? eq(tickets.requesterId, c.requesterId) : undefined,
      statuses?.length ? inArray(tickets.status, statuses) : undefined,
      f.priority?.length ? inArray(tickets.priority, f.priority) : undefined,
      f.tier?.length ? inArray(tickets.tier, f.tier) : undefined,
      f.category?.length ? inArray(tickets.category, f.category) : undefined,
      f.channel?.length ? inArray(tickets.channel, f.channel) : undefined,
      f.sla?.length
        ? sql`(${sql.join(
            f.sla.map((s) => SLA_CONDITIONS[s]),
            sql` OR `,
          )})`
        : undefined,
      f.assignee === 'none'
        ? isNull(tickets.assigneeId)
        : f.assignee
          ? eq(tickets.assigneeId, f.assignee === 'me' ? c.actorId : f.assignee)
          : undefined,
    ];
    conditions.push(match);
    const present = conditions.filter((x) => x !== undefined);
    return present.length ? and(...present) : undefined;
  }

  async search(c: QueueCriteria, sort: QueueSort, limit: number, offset: number): Promise<TicketRow[]> {
    const page = (match: SQL | undefined, take: number, skip: number) =>
      this.db
        .select()
        .from(tickets)
        .where(this.where(c, match))
        .orderBy(...ORDER[sort])
        .limit(take)
        .offset(skip);
    const branches = this.matches(c);
    if (!branches || branches.length === 1) return page(branches?.[0], limit, offset);
    // Each branch's first offset + limit rows hold the union's first offset + limit rows.
    const parts = await Promise.all(branches.map((match) => page(match, offset + limit, 0)));
    const unique = new Map(parts.flat().map((row) => [row.id, row]));
    return [...unique.values()].sort(COMPARE[sort]).slice(offset, offset + limit);
  }

  /**
   * How many tickets match, counted up to `cap` (`capped`: there are more). A common word matches
   * tens of thousands of tickets, and counting every one of them was most of such a search's time
   * (bench:queue-search, 100,000 tickets); nobody pages 20 pages deep rather than refine a search.
   */
  async count(c: QueueCriteria, cap = QUEUE_COUNT_CAP): Promise<{ count: number; capped: boolean }> {
    const branches = this.matches(c);
    const filtered = this.where(c, undefined) !== undefined;
    const capped = (match: SQL | undefined) =>
      sql`(SELECT count(*) FROM (${this.db
        .select({ one: sql`1` })
        .from(tickets)
        .where(this.where(c, match))
        .limit(cap + 1)}) AS matching)`;
    // Words and no filter (the search box alone): every ticket has exactly one document, so its
    // matches are counted in the GIN index's table without joining the tickets (100,000 rows read
    // for a common word's count otherwise).
    const documents =
      branches?.length === 2 && !filtered
        ? sql`(SELECT count(*) FROM (SELECT 1 FROM ${ticketSearch} d WHERE (d.terms || d.customer_terms) @@ ${c.tsQuery}::tsquery LIMIT ${cap + 1}) AS matching)`
        : capped(branches?.[0]);
    // Staff words: the document's matches (capped) plus the tickets only their waiting messages
    // make match — a few, each checked against its document by primary key, so the two never
    // count a ticket twice and nothing hashes the common word's thousands of matches.
    const extra =
      branches && branches.length === 2 && typeof c.tsQuery === 'string'
        ? sql` + (SELECT count(*) FROM ${tickets} WHERE ${this.where(c, branches[1])} AND NOT coalesce(
            (SELECT (d.terms || d.customer_terms) @@ ${c.tsQuery}::tsquery FROM ${ticketSearch} d WHERE d.ticket_id = ${TICKET_ID}),
            false))`
        : sql``;
    const result = (await this.db.execute(sql`SELECT (${documents}${extra})::int AS n`)) as unknown as {
      rows: Array<{ n: number }>;
    };
    const n = Number(result.rows[0]?.n ?? 0);
    return { count: Math.min(n, cap), capped: n > cap };
  }

  async listViews(userId: string): Promise<SavedQueueViewRow[]> {
    return this.db
      .select()
      .from(savedQueueViews)
      .where(eq(savedQueueViews.userId, userId))
      .orderBy(asc(savedQueueViews.createdAt), asc(savedQueueViews.name));
  }

  /** The view, if it is this user's (someone else's is as good as missing). */
  async findView(userId: string, id: string): Promise<SavedQueueViewRow | undefined> {
    const [row] = await this.db
      .select()
      .from(savedQueueViews)
      .where(and(eq(savedQueueViews.id, id), eq(savedQueueViews.userId, userId)));
    return row;
  }

  async countViews(userId: string): Promise<number> {
    const [row] = await this.db
      .select({ n: sql<number>`count(*)::int` })
      .from(savedQueueViews)
      .where(eq(savedQueueViews.userId, userId));
    return Number(row?.n ?? 0);
  }

  /** Undefined when the user already has a view of that name (the unique index). */
  async insertView(values: typeof savedQueueViews.$inferInsert): Promise<SavedQueueViewRow | undefined> {
    const [row] = await this.db.insert(savedQueueViews).values(values).onConflictDoNothing().returning();
    return row;
  }

  async updateView(
    userId: string,
    id: string,
    patch: Partial<Pick<SavedQueueViewRow, 'name' | 'filters' | 'sort'>>,
  ): Promise<SavedQueueViewRow | undefined> {
    const [row] = await this.db
      .update(savedQueueViews)
      .set({ ...patch, updatedAt: new Date() })
      .where(and(eq(savedQueueViews.id, id), eq(savedQueueViews.userId, userId)))
      .returning();
    return row;
  }

  async deleteView(userId: string, id: string): Promise<boolean> {
    const rows = await this.db
      .delete(savedQueueViews)
      .where(and(eq(savedQueueViews.id, id), eq(savedQueueViews.userId, userId)))
      .returning({ id: savedQueueViews.id });
    return rows.length > 0;
  }
}
