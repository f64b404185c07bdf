import type { FollowUpState, FollowUpView } from '../../signaling/shared/feedback';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import type { FeedbackFollowUpRow } from '../db/schema';
import { conflict, notFound } from '../errors';
import type { Logger } from '../logger';
import type { TicketsRepository } from '../tickets/repository';
import { FeedbackRepository, type FollowUpListRow } from './repository';
import type { FeedbackTimeline, PendingFeedbackEvent } from './timeline';

/** Node's timers overflow past 2^31 ms (~24.8 days): a farther deadline is re-armed on the way. */
const MAX_TIMER_MS = 7 * 86_400_000;

/**
 * Low-score follow-ups: opened by a rating (in the rating's transaction), listed for supervisors,
 * closed with a note, and marked overdue at their deadline. The deadline watch is one timer on the
 * injected `Clock`, armed for the earliest open deadline, so tests move time instead of waiting.
 */
export class FollowUpService {
  private timer: unknown;
  private armedFor: number | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly repo: FeedbackRepository,
    private readonly tickets: TicketsRepository,
    private readonly timeline: FeedbackTimeline,
    private readonly dueMs: number,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  /**
   * Opens the rating's follow-up inside the caller's transaction (none if the rating already has
   * one); returns its timeline entry to publish after commit, and its deadline to watch.
   */
  async open(
    trepo: TicketsRepository,
    input: {
      source: FeedbackFollowUpRow['source'];
      subjectId: string;
      ticketId: string;
      callId: string | null;
      score: number | null;
    },
    now: Date,
    dueMs = this.dueMs,
  ): Promise<{ event: PendingFeedbackEvent; dueAt: Date } | undefined> {
    const dueAt = new Date(now.getTime() + dueMs);
    const row = await new FeedbackRepository(trepo.db).openFollowUp({ ...input, openedAt: now, dueAt });
    if (!row) return undefined;
    const event = await this.timeline.record(trepo, row.ticketId, 'followup.opened', null, {
      followUpId: row.id,
      source: row.source,
      score: row.score,
      dueAt: row.dueAt.toISOString(),
      ...(row.callId ? { callId: row.callId } : {}),
    });
    return { event, dueAt };
  }

  /**
   * Opens a follow-up that no rating opened (a playbook's, when its ticket is solved) in a
   * transaction of its own, due `dueMs` from now; nothing when the subject already has one.
   */
  async schedule(
    input: { source: FeedbackFollowUpRow['source']; subjectId: string; ticketId: string },
    dueMs: number,
  ): Promise<void> {
    const now = this.clock.now();
    const opened = await this.tickets.transaction((trepo) =>
      this.open(trepo, { ...input, callId: null, score: null }, now, dueMs),
    );
    if (!opened) return;
    await this.timeline.publish([opened.event]);
    this.watch(opened.dueAt);
  }

  async list(filter: { state: FollowUpState; ticketId?: string; limit: number }): Promise<FollowUpView[]> {
    const now = this.clock.now();
    const rows = await this.repo.listFollowUps({ ...filter, now });
    return rows.map((row) => toFollowUpView(row, now));
  }

  async close(actor: PublicUser, id: string, note: string): Promise<FollowUpView> {
    const now = this.clock.now();
    const events = await this.tickets.transaction(async (trepo) => {
      const repo = new FeedbackRepository(trepo.db);
      const row = await repo.findFollowUp(id, true);
      if (!row) throw notFound('The follow-up');
      if (row.closedAt) throw conflict('This follow-up is already closed.');
      await repo.closeFollowUp(id, { closedAt: now, closedById: actor.id, note });
      return [
        await this.timeline.record(trepo, row.ticketId, 'followup.closed', actor.id, {
          followUpId: id,
          source: row.source,
          note,
          ...(row.callId ? { callId: row.callId } : {}),
        }),
      ];
    });
    await this.timeline.publish(events);
    const [view] = await this.repo.listFollowUps({ state: 'all', id, now, limit: 1 });
    return toFollowUpView(view!, now);
  }

  // ----- the deadline watch -------------------------------------------------------------------

  /** Marks what is already overdue (e.g. while the server was down) and arms the watch. */
  async start(): Promise<void> {
    await this.sweep();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when no sweep is running (for a clean shutdown). */
  async idle(): Promise<void> {
    await this.sweeping;
  }

  /**
   * A follow-up due at `dueAt` was opened on this node: make sure the timer rings by then. (One
   * opened on another node is watched there; after a restart, `start` sweeps and re-arms.)
   */
  watch(dueAt: Date): void {
    if (this.stopped) return;
    if (this.armedFor === undefined || dueAt.getTime() < this.armedFor) this.arm(dueAt.getTime());
  }

  /** Marks every follow-up past its deadline overdue (one timeline entry each), then re-arms. */
  sweep(): Promise<void> {
    this.sweeping ??= this.runSweep().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async runSweep(): Promise<void> {
    try {
      const now = this.clock.now();
      const events = await this.tickets.transaction(async (trepo) => {
        const marked = await new FeedbackRepository(trepo.db).markOverdue(now);
        const pending: PendingFeedbackEvent[] = [];
        for (const row of marked) {
          pending.push(
            await this.timeline.record(trepo, row.ticketId, 'followup.overdue', null, {
              followUpId: row.id,
              source: row.source,
              dueAt: row.dueAt.toISOString(),
              ...(row.callId ? { callId: row.callId } : {}),
            }),
          );
        }
        return pending;
      });
      await this.timeline.publish(events);
      const next = await this.repo.nextDue();
      // Nothing open, no timer: an idle desk (and a test's manual clock) has nothing armed.
      if (!this.stopped && next) this.arm(next.getTime());
    } catch (err) {
      this.logger.error({ err }, 'follow-up deadline sweep failed');
      if (!this.stopped) this.arm(this.clock.now().getTime() + 60_000);
    }
  }

  private arm(at: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    const now = this.clock.now().getTime();
    const delay = Math.max(0, Math.min(at - now, MAX_TIMER_MS));
    this.armedFor = now + delay;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.armedFor = undefined;
      void this.sweep();
    }, delay);
  }
}

function toFollowUpView(row: FollowUpListRow, now: Date): FollowUpView {
  const f = row.followUp;
  return {
    id: f.id,
    source: f.source,
    ticketId: f.ticketId,
    ticketNumber: row.ticketNumber,
    subject: row.subject,
    callId: f.callId,
    score: f.score,
    comment: (f.source === 'call_rating' ? row.callComment : row.ticketComment) ?? null,
    customer: { id: row.customerId, name: row.customerName },
    agent: row.agentId && row.agentName ? { id: row.agentId, name: row.agentName } : null,
    openedAt: f.openedAt.toISOString(),
    dueAt: f.dueAt.toISOString(),
    overdue: f.closedAt === null && f.dueAt.getTime() <= now.getTime(),
    overdueAt: f.overdueAt?.toISOString() ?? null,
    closedAt: f.closedAt?.toISOString() ?? null,
    closedBy: f.closedById && row.closedByName ? { id: f.closedById, name: row.closedByName } : null,
    note: f.note,
  };
}
