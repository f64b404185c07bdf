import type { FollowUpState, FollowUpView } from '../../signaling/shared/feedback';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { Clock } from '../clock';
import type { FeedbackFollowUpRow } from '../db/schema';
import { DeadlineWatch } from '../deadlineWatch';
import { conflict, notFound } from '../errors';
import type { Logger } from '../logger';
import type { TicketsRepository } from '../tickets/repository';
import { FeedbackRepository, type FollowUpListRow } from './repository';
import type { FeedbackTimeline, PendingFeedbackEvent } from './timeline';

/**
 * Low-score follow-ups: opened by a rating (in the rating's transaction), listed for supervisors,
 * closed with a note, and marked overdue at their deadline. The deadline watch is one timer on the
 * injected `Clock`, armed for the earliest open deadline, so tests move time instead of waiting.
 */
export class FollowUpService {
  private readonly deadlines: DeadlineWatch;

  constructor(
    private readonly repo: FeedbackRepository,
    private readonly tickets: TicketsRepository,
    private readonly timeline: FeedbackTimeline,
    private readonly dueMs: number,
    private readonly clock: Clock,
    logger: Logger,
  ) {
    this.deadlines = new DeadlineWatch(
      clock,
      (now) => this.markOverdue(now),
      logger,
      'follow-up deadline sweep failed',
    );
  }

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
  start(): Promise<void> {
    return this.deadlines.start();
  }

  stop(): void {
    this.deadlines.stop();
  }

  /** Resolves when no sweep is running (for a clean shutdown). */
  idle(): Promise<void> {
    return this.deadlines.idle();
  }

  /** A follow-up due at `dueAt` was opened on this node: make sure the timer rings by then. */
  watch(dueAt: Date): void {
    this.deadlines.watch(dueAt);
  }

  /** Marks every follow-up past its deadline overdue (one timeline entry each), then re-arms. */
  sweep(): Promise<void> {
    return this.deadlines.sweep();
  }

  /** Marks what is overdue at `now` (one timeline entry each); returns the next open deadline. */
  private async markOverdue(now: Date): Promise<Date | null> {
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
    return (await this.repo.nextDue()) ?? null;
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
