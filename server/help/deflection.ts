import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { DeflectionStats } from '../../signaling/shared/help';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import { AppError } from '../errors';
import type { HelpRepository } from './repository';
import type { DeflectionEventInput } from './schemas';

const DAY = 86_400_000;

/**
 * Deflection: the new-ticket form records, per form session, that it showed articles, that one
 * was opened, and that the ticket was submitted anyway. A session that opened an article and
 * never submitted is deflected: the customer found the answer and left.
 */
export class Deflection {
  constructor(
    private readonly repo: HelpRepository,
    private readonly clock: Clock,
  ) {}

  async record(actor: PublicUser | null, event: DeflectionEventInput): Promise<void> {
    const createdAt = this.clock.now();
    const articleIds = event.articleIds.length > 0 ? event.articleIds : [null];
    // "shown" and "opened" name their articles; one row each (an unknown id is kept as none).
    const known = new Set(
      (await Promise.all(articleIds.map((id) => (id ? this.repo.findArticle(id) : undefined))))
        .filter((a) => a)
        .map((a) => a!.id),
    );
    await this.repo.insertDeflectionEvents(
      articleIds.map((id) => ({
        sessionId: event.sessionId,
        kind: event.kind,
        articleId: id && known.has(id) ? id : null,
        userId: actor?.id ?? null,
        createdAt,
      })),
    );
  }

  /** Counts over the form sessions that started in the range (the last 30 days by default). */
  async stats(range: { from?: string | undefined; to?: string | undefined }): Promise<DeflectionStats> {
    const to = range.to ? new Date(range.to) : this.clock.now();
    const from = range.from ? new Date(range.from) : new Date(to.getTime() - 30 * DAY);
    const c = await this.repo.deflectionCounts(from, to);
    return {
      sessionsShown: c.shown,
      sessionsOpened: c.opened,
      submittedAnyway: c.submitted_anyway,
      deflected: c.deflected,
      rate: c.shown > 0 ? c.deflected / c.shown : 0,
    };
  }
}

/**
 * Limits on what anyone may send without signing in (votes, deflection events), per address, in
 * memory on each node: they only keep a script from skewing counts, nothing depends on exactness.
 */
export class PublicLimits {
  private readonly votes = new RateLimiterMemory({ keyPrefix: 'help_votes', points: 1, duration: 3600 });
  private readonly voteBurst = new RateLimiterMemory({
    keyPrefix: 'help_votes_ip',
    points: 30,
    duration: 3600,
  });
  private readonly events = new RateLimiterMemory({ keyPrefix: 'help_events', points: 120, duration: 60 });

  /** One vote per article and address an hour, and 30 votes per address an hour. */
  async vote(address: string, articleId: string): Promise<void> {
    await consume(this.votes, `${address}|${articleId}`, 'You already rated this article. Thank you!');
    await consume(this.voteBurst, address, 'Too many ratings from your network. Try again later.');
  }

  async event(address: string): Promise<void> {
    await consume(this.events, address, 'Too many requests. Try again in a minute.');
  }
}

async function consume(limiter: RateLimiterMemory, key: string, message: string) {
  try {
    await limiter.consume(key);
  } catch (res) {
    if (!(res instanceof RateLimiterRes)) throw res;
    throw new AppError('rate_limited', message, { retryAfterSeconds: Math.ceil(res.msBeforeNext / 1000) });
  }
}
