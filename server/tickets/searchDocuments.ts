import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import type { TicketsRepository } from './repository';
import { customerTerms, messageTerms, ticketTerms } from './searchTerms';

const BATCH = 100;
/** How often waiting message terms are folded into the documents while messages arrive. */
const FOLD_EVERY_MS = 1_000;
/** The embedded database (no autovacuum) reclaims the folded rows' space this often. */
const VACUUM_EVERY_MS = 30_000;

/**
 * Keeps the tickets' search documents whole outside the paths that maintain them as they go
 * (creation; every stored message inserts its terms into `message_search`): the waiting message
 * terms are folded into the documents about once a second while messages arrive (and at start,
 * for what a stopped node left), tickets created before the documents existed get theirs at
 * start, and a requester's renamed account updates all of their tickets.
 */
export class SearchDocuments {
  private timer: NodeJS.Timeout | undefined;
  private waiting = false;
  private folding: Promise<number> | undefined;
  private lastVacuum = 0;
  private foldedSinceVacuum = 0;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly repo: TicketsRepository,
    private readonly logger: Logger,
    private readonly options: { vacuum: boolean } = { vacuum: false },
  ) {}

  /** Folds at once (a stopped node's leftovers), then whenever messages were stored here. */
  start(bus: EventBus): void {
    this.unsubscribe = bus.on('message.created', ({ message }) => {
      if (message.kind !== 'system') this.waiting = true;
    });
    this.waiting = true;
    this.timer = setInterval(() => {
      if (this.waiting && !this.folding) void this.fold().catch(() => 0);
    }, FOLD_EVERY_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.unsubscribe?.();
  }

  /** Resolves when a fold under way has ended (shutdown). */
  async idle(): Promise<void> {
    await this.folding?.catch(() => 0);
  }

  /**
   * Moves every waiting message's terms into its ticket's document (one statement; another
   * node's fold under way makes this one a no-op). Returns how many messages it folded.
   */
  fold(): Promise<number> {
    this.waiting = false;
    const run = (async () => {
      try {
        const folded = await this.repo.search.fold();
        this.foldedSinceVacuum += folded;
        if (
          this.options.vacuum &&
          this.foldedSinceVacuum > 0 &&
          Date.now() - this.lastVacuum >= VACUUM_EVERY_MS
        ) {
          this.lastVacuum = Date.now();
          this.foldedSinceVacuum = 0;
          await this.repo.search.vacuumWaiting();
        }
        return folded;
      } catch (err) {
        this.waiting = true; // try again at the next tick
        this.logger.error({ err }, 'could not fold message terms into the search documents');
        throw err;
      }
    })();
    this.folding = run;
    void run
      .catch(() => 0)
      .finally(() => {
        if (this.folding === run) this.folding = undefined;
      });
    return run;
  }

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
