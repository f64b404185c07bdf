import type { Logger } from '../logger';
import type { TicketsRepository } from './repository';
import { customerTerms, messageTerms, ticketTerms } from './searchTerms';

const BATCH = 100;

/**
 * Keeps the tickets' search documents whole outside the paths that maintain them as they go
 * (creation, every stored message): tickets created before the documents existed get theirs at
 * start, and a requester's renamed account updates all of their tickets.
 */
export class SearchDocuments {
  constructor(
    private readonly repo: TicketsRepository,
    private readonly logger: Logger,
  ) {}

  /**
   * Writes the document of every ticket that has none, a batch per transaction (each batch's
   * tickets locked while it is read and written). Returns how many it wrote.
   */
  async backfill(): Promise<number> {
    let written = 0;
    for (;;) {
      const count = await this.repo.transaction(async (repo) => {
        const rows = await repo.search.lockTicketsWithoutDocument(BATCH);
        if (rows.length === 0) return 0;
        const ids = rows.map((r) => r.id);
        const [texts, people] = await Promise.all([
          repo.search.conversationTexts(ids),
          repo.usersByIds(rows.map((r) => r.requesterId)),
        ]);
        for (const row of rows) {
          const own = ticketTerms(row);
          const all = new Set(own);
          const visible = new Set(own);
          for (const text of texts) {
            if (text.ticketId !== row.id) continue;
            for (const term of messageTerms(text.body)) {
              all.add(term);
              if (text.kind === 'public') visible.add(term);
            }
          }
          const requester = people.get(row.requesterId);
          await repo.search.writeDocument(row.id, {
            all: [...all],
            public: [...visible],
            customer: requester ? customerTerms(requester) : [],
          });
        }
        return rows.length;
      });
      written += count;
      if (count < BATCH) break;
    }
    if (written > 0) this.logger.info({ tickets: written }, 'search documents written for existing tickets');
    return written;
  }

  /** Call when a customer's name or e-mail changes (the administration of accounts). */
  async customerChanged(customer: { id: string; name: string; email: string }): Promise<void> {
    await this.repo.search.replaceCustomerTerms(customer.id, customer);
  }
}
