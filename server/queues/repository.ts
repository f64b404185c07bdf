import { and, asc, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { QueueSort, SlaState } from '../../signaling/shared/queues';
import type { Database } from '../db/client';
import { type SavedQueueViewRow, savedQueueViews, ticketSearch } from '../db/queueSchema';
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

const ORDER: Record<QueueSort, SQL[]> = {
  updated: [desc(tickets.updatedAt), desc(tickets.number)],
  created: [desc(tickets.createdAt), desc(tickets.number)],
  oldest: [asc(tickets.createdAt), asc(tickets.number)],
  // The enum's order is P1 < P2 < P3 < P4; within a priority the longest waiting first.
  priority: [asc(tickets.priority), asc(tickets.createdAt), asc(tickets.number)],
};

/** The queue's SQL: search and filters over tickets, and the saved views. */
export class QueueRepository {
  constructor(private readonly db: Database) {}

  private where(c: QueueCriteria): SQL | undefined {
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
    if (c.tsQuery === null) conditions.push(sql`false`);
    else if (c.tsQuery !== undefined) {
      // Staff: the GIN index on (terms || customer_terms). A customer's few tickets are found by
      // requester first, then matched on the words they can see.
      const document = c.requesterId
        ? sql`${ticketSearch.publicTerms}`
        : sql`(${ticketSearch.terms} || ${ticketSearch.customerTerms})`;
      conditions.push(
        sql`EXISTS (SELECT 1 FROM ${ticketSearch} WHERE "ticket_search"."ticket_id" = ${TICKET_ID} AND ${document} @@ ${c.tsQuery}::tsquery)`,
      );
    }
    const present = conditions.filter((x) => x !== undefined);
    return present.length ? and(...present) : undefined;
  }

  async search(c: QueueCriteria, sort: QueueSort, limit: number, offset: number): Promise<TicketRow[]> {
    return this.db
      .select()
      .from(tickets)
      .where(this.where(c))
      .orderBy(...ORDER[sort])
      .limit(limit)
      .offset(offset);
  }

  async count(c: QueueCriteria): Promise<number> {
    const [row] = await this.db.select({ n: sql<number>`count(*)::int` }).from(tickets).where(this.where(c));
    return Number(row?.n ?? 0);
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
