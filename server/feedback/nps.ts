import { type NpsPromptView, type NpsResponseView, npsCategory } from '../../signaling/shared/feedback';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import type { NpsResponseRow } from '../db/schema';
import { AppError } from '../errors';
import { FeedbackRepository } from './repository';
import type { NpsInput } from './schemas';

/**
 * NPS: "how likely are you to recommend …" (0–10, optional comment), asked in the app to customers
 * who had a solved ticket, at most once per period. Dismissing the question counts as asked (a
 * row without a score), so a customer who said "not now" is not asked again before the period ends.
 */
export class NpsService {
  constructor(
    private readonly repo: FeedbackRepository,
    private readonly periodMs: number,
    private readonly clock: Clock,
  ) {}

  async prompt(actor: PublicUser): Promise<NpsPromptView> {
    const now = this.clock.now();
    const last = await this.repo.latestNps(actor.id, new Date(now.getTime() - this.periodMs));
    if (last) return { ask: false, nextAt: this.nextAt(last).toISOString() };
    return { ask: await this.repo.hasSolvedTicket(actor.id), nextAt: null };
  }

  answer(actor: PublicUser, input: NpsInput): Promise<NpsResponseView> {
    return this.record(actor, { score: input.score, comment: input.comment ?? null });
  }

  dismiss(actor: PublicUser): Promise<NpsResponseView> {
    return this.record(actor, { score: null, comment: null });
  }

  private async record(
    actor: PublicUser,
    answer: { score: number | null; comment: string | null },
  ): Promise<NpsResponseView> {
    const row = await this.repo.db.transaction(async (tx) => {
      const repo = new FeedbackRepository(tx as unknown as Database);
      // Two tabs answering at once: the second waits here, then sees the first answer.
      await repo.lockUser(actor.id);
      const now = this.clock.now();
      const last = await repo.latestNps(actor.id, new Date(now.getTime() - this.periodMs));
      if (last) {
        throw new AppError(
          'conflict',
          `You were already asked within the last ${Math.round(this.periodMs / 86_400_000)} days; the next question comes on ${this.nextAt(last).toISOString()}.`,
          { details: [{ path: 'askedAt', message: 'already asked within the period' }] },
        );
      }
      if (!(await repo.hasSolvedTicket(actor.id))) {
        throw new AppError(
          'conflict',
          'The recommendation question is asked after a ticket of yours was solved.',
          {
            details: [{ path: 'tickets', message: 'no solved ticket yet' }],
          },
        );
      }
      return repo.insertNps({
        customerId: actor.id,
        score: answer.score,
        category: answer.score === null ? null : npsCategory(answer.score),
        comment: answer.comment,
        askedAt: now,
      });
    });
    return this.view(row);
  }

  private nextAt(row: NpsResponseRow): Date {
    return new Date(row.askedAt.getTime() + this.periodMs);
  }

  private view(row: NpsResponseRow): NpsResponseView {
    return {
      id: row.id,
      score: row.score,
      category: row.category,
      comment: row.comment,
      askedAt: row.askedAt.toISOString(),
      nextAt: this.nextAt(row).toISOString(),
    };
  }
}
