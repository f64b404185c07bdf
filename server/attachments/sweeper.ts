import { and, eq, isNull, lt } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { attachments } from '../db/schema';
import type { Logger } from '../logger';
import type { AttachmentStorage } from './storage';

/** How often the sweeper looks at most; more often for a short lifetime (tests, small installs). */
const MAX_INTERVAL_MS = 3_600_000;

/**
 * Deletes uploads that no ticket or message claimed within their lifetime (a file picked and then
 * never sent), row and file. A claimed upload is never touched: the delete is conditional on the
 * row still being unclaimed, the same condition a claim takes it on, so a claim and a sweep racing
 * for one upload cannot both win. An upload's age is read on the injected clock, so tests move time
 * and run a pass (`sweepOnce`); the pass itself is scheduled on a plain unref'd interval, as the
 * recordings' retention sweep is, so that it never shows up among the timers of the calls and SLA
 * services that tests count on the same clock.
 */
export class AttachmentSweeper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> = Promise.resolve(0);
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly storage: AttachmentStorage,
    private readonly ttlMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  get intervalMs(): number {
    return Math.max(1000, Math.min(MAX_INTERVAL_MS, Math.round(this.ttlMs / 4)));
  }

  start(): void {
    this.stopped = false;
    this.timer ??= setInterval(() => {
      if (this.stopped) return;
      void this.sweepOnce().catch((err) => {
        this.logger.error({ err }, 'sweeping unclaimed uploads failed');
      });
    }, this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The sweep under way (or the last one): how many uploads it deleted. */
  idle(): Promise<number> {
    return this.running;
  }

  /** One pass: every unclaimed upload older than the lifetime goes. Returns how many. */
  sweepOnce(): Promise<number> {
    this.running = this.running.then(
      () => this.sweep(),
      () => this.sweep(),
    );
    return this.running;
  }

  private async sweep(): Promise<number> {
    const cutoff = new Date(this.clock.now().getTime() - this.ttlMs);
    const stale = await this.db
      .select({ id: attachments.id })
      .from(attachments)
      .where(and(isNull(attachments.ticketId), lt(attachments.createdAt, cutoff)))
      .limit(500);
    let deleted = 0;
    for (const { id } of stale) {
      // The row first, on the condition a claim also takes: once it is gone nobody can claim it,
      // and a file whose row was claimed meanwhile stays.
      const gone = await this.db
        .delete(attachments)
        .where(and(eq(attachments.id, id), isNull(attachments.ticketId)))
        .returning({ id: attachments.id });
      if (gone.length === 0) continue;
      await this.storage.remove(id);
      deleted++;
    }
    if (deleted > 0) this.logger.info({ deleted }, 'deleted unclaimed uploads');
    return deleted;
  }
}
