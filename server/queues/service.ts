import type { z } from 'zod';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { QueuePage, SavedQueueView } from '../../signaling/shared/queues';
import type { SavedQueueViewRow } from '../db/queueSchema';
import { badRequest, conflict, forbidden, notFound } from '../errors';
import { queryTerms, tsQueryText } from '../search/textTokens';
import { isStaff } from '../tickets/access';
import type { TicketsService } from '../tickets/service';
import type { QueueCriteria, QueueRepository } from './repository';
import {
  type createViewBodySchema,
  type QueueFiltersInput,
  type QueueSearchQuery,
  queueFiltersSchema,
  STAFF_ONLY_FILTERS,
  type updateViewBodySchema,
} from './schemas';

/**
 * Every word must match; the last one also as the start of a longer word, since it may still be
 * being typed ("refu" finds a refund). Only the last: a prefix is a range scan of the index.
 */
function typedQuery(terms: string[]): string {
  const whole = terms.slice(0, -1);
  const last = tsQueryText(terms.slice(-1), { prefix: true });
  return whole.length ? `${tsQueryText(whole)} & ${last}` : last;
}

/** A person's saved views are a short list of tabs, not a store. */
export const MAX_SAVED_VIEWS = 30;

/**
 * The queue: search and filters over tickets (staff over every ticket and every word on it,
 * customers over their own tickets and what they can see of them), and each person's saved views
 * with their counts.
 */
export class QueueService {
  constructor(
    private readonly repo: QueueRepository,
    private readonly tickets: TicketsService,
  ) {}

  /** What a search asks of the repository for this reader (the bench times the SQL alone). */
  criteriaFor(actor: PublicUser, filters: QueueFiltersInput): QueueCriteria {
    if (!isStaff(actor)) {
      const used = STAFF_ONLY_FILTERS.filter((name) => filters[name] !== undefined);
      if (used.length > 0) throw forbidden(`Filtering by ${used.join(', ')} is for the support team.`);
    }
    const terms = filters.q ? queryTerms(filters.q) : [];
    return {
      filters,
      // Words that carry nothing (only stop words or punctuation) search nothing, not everything.
      tsQuery: filters.q ? (terms.length ? typedQuery(terms) : null) : undefined,
      actorId: actor.id,
      ...(isStaff(actor) ? {} : { requesterId: actor.id }),
    };
  }

  async search(actor: PublicUser, query: QueueSearchQuery): Promise<QueuePage> {
    const { sort, limit, offset, ...filters } = query;
    const criteria = this.criteriaFor(actor, filters);
    const [rows, total] = await Promise.all([
      this.repo.search(criteria, sort, limit, offset),
      this.repo.count(criteria),
    ]);
    return { items: await this.tickets.viewsFor(actor, rows), total: total.count, totalCapped: total.capped };
  }

  private async toView(actor: PublicUser, row: SavedQueueViewRow): Promise<SavedQueueView> {
    // Stored filters were valid when saved; parsing again keeps an old row from breaking the list.
    const parsed = queueFiltersSchema.safeParse(row.filters);
    const filters = parsed.success ? parsed.data : {};
    const { count, capped } = await this.repo.count(this.criteriaFor(actor, filters));
    return {
      id: row.id,
      name: row.name,
      filters,
      sort: row.sort as SavedQueueView['sort'],
      count,
      countCapped: capped,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  /** The actor's saved views, each with how many tickets match it now. */
  async views(actor: PublicUser): Promise<SavedQueueView[]> {
    const rows = await this.repo.listViews(actor.id);
    const out: SavedQueueView[] = [];
    // One count at a time: a busy desk's list should not take every pooled connection at once.
    for (const row of rows) out.push(await this.toView(actor, row));
    return out;
  }

  async createView(actor: PublicUser, body: z.output<typeof createViewBodySchema>): Promise<SavedQueueView> {
    this.criteriaFor(actor, body.filters);
    if ((await this.repo.countViews(actor.id)) >= MAX_SAVED_VIEWS)
      throw conflict(`You have ${MAX_SAVED_VIEWS} saved views; delete one first.`);
    const row = await this.repo.insertView({
      userId: actor.id,
      name: body.name,
      filters: body.filters,
      sort: body.sort,
    });
    if (!row) throw nameTaken();
    return this.toView(actor, row);
  }

  async updateView(
    actor: PublicUser,
    id: string,
    patch: z.output<typeof updateViewBodySchema>,
  ): Promise<SavedQueueView> {
    if (patch.filters) this.criteriaFor(actor, patch.filters);
    const existing = await this.repo.findView(actor.id, id);
    if (!existing) throw notFound('The view');
    if (patch.name && patch.name !== existing.name) {
      const clash = (await this.repo.listViews(actor.id)).some((v) => v.name === patch.name);
      if (clash) throw nameTaken();
    }
    const row = await this.repo.updateView(actor.id, id, patch);
    if (!row) throw notFound('The view');
    return this.toView(actor, row);
  }

  async deleteView(actor: PublicUser, id: string): Promise<void> {
    if (!(await this.repo.deleteView(actor.id, id))) throw notFound('The view');
  }
}

const nameTaken = () =>
  badRequest('You already have a view with this name.', [
    { path: 'name', message: 'is already used by another of your views' },
  ]);
