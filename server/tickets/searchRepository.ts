import { and, asc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client';
import { messageSearch, ticketSearch } from '../db/queueSchema';
import { type TicketMessageRow, type TicketRow, ticketMessages, tickets, type UserRow } from '../db/schema';
import { customerTerms, messageTerms, ticketTerms } from './searchTerms';

/** `array_to_tsvector` of a term list (terms from searchTerms.ts: letters and digits only). */
const termVector = (terms: readonly string[]) => sql`array_to_tsvector(${sql.param([...terms])}::text[])`;

/**
 * The SQL of the tickets' search documents (`ticket_search`) and of the message terms waiting to
 * be folded into them (`message_search`), outside the send functions, which insert a message's
 * terms themselves (migration 0019).
 */
export class SearchDocumentsRepository {
  constructor(private readonly db: Database) {}

  /** A new ticket's search document: its own words and its requester's name and e-mail. */
  async insertDocument(ticket: TicketRow, requester: Pick<UserRow, 'name' | 'email'>): Promise<void> {
    const own = termVector(ticketTerms(ticket));
    await this.db
      .insert(ticketSearch)
      .values({
        ticketId: ticket.id,
        terms: own,
        publicTerms: own,
        customerTerms: termVector(customerTerms(requester)),
      })
      .onConflictDoNothing();
  }

  /**
   * Up to `limit` tickets that have no search document yet (created before the documents existed),
   * locked so no message is stored on them until the caller's transaction, which writes their
   * documents, ends: a message committed after the read would otherwise miss the document.
   */
  async lockTicketsWithoutDocument(limit: number): Promise<TicketRow[]> {
    return this.db
      .select()
      .from(tickets)
      .where(sql`NOT EXISTS (SELECT 1 FROM ${ticketSearch} s WHERE s.ticket_id = ${tickets.id})`)
      .orderBy(asc(tickets.id))
      .limit(limit)
      .for('update');
  }

  /** A person's messages (public and internal) on these tickets, for a full search document. */
  async conversationTexts(
    ticketIds: string[],
  ): Promise<Array<{ ticketId: string; kind: TicketMessageRow['kind']; body: string }>> {
    if (ticketIds.length === 0) return [];
    return this.db
      .select({ ticketId: ticketMessages.ticketId, kind: ticketMessages.kind, body: ticketMessages.body })
      .from(ticketMessages)
      .where(and(inArray(ticketMessages.ticketId, ticketIds), notInArray(ticketMessages.kind, ['system'])));
  }

  /** Writes a whole search document (a ticket that had none). */
  async writeDocument(
    ticketId: string,
    terms: { all: string[]; public: string[]; customer: string[] },
  ): Promise<void> {
    await this.db
      .insert(ticketSearch)
      .values({
        ticketId,
        terms: termVector(terms.all),
        publicTerms: termVector(terms.public),
        customerTerms: termVector(terms.customer),
      })
      .onConflictDoNothing();
  }

  /** The requester's name or e-mail changed: every one of their tickets' customer terms follows. */
  async replaceCustomerTerms(requesterId: string, customer: Pick<UserRow, 'name' | 'email'>): Promise<void> {
    await this.db
      .update(ticketSearch)
      .set({ customerTerms: termVector(customerTerms(customer)) })
      .where(
        inArray(
          ticketSearch.ticketId,
          this.db.select({ id: tickets.id }).from(tickets).where(eq(tickets.requesterId, requesterId)),
        ),
      );
  }

  /** A message stored outside the send functions: its terms wait to be folded, as theirs do. */
  async appendMessage(ticketId: string, kind: 'public' | 'internal', body: string): Promise<void> {
    const terms = messageTerms(body);
    if (terms.length === 0) return;
    await this.db
      .insert(messageSearch)
      .values({ ticketId, terms: termVector(terms), public: kind === 'public' });
  }

  /** Folds the waiting message terms into the documents (migration 0019); how many rows it folded. */
  async fold(): Promise<number> {
    const result = (await this.db.execute(
      sql`SELECT livedesk_fold_message_search() AS folded`,
    )) as unknown as {
      rows: Array<{ folded: number }>;
    };
    return Number(result.rows[0]?.folded ?? 0);
  }

  /** The embedded database has no autovacuum: the folded rows' space is reclaimed by hand. */
  async vacuumWaiting(): Promise<void> {
    await this.db.execute(sql`VACUUM message_search`);
  }
}
