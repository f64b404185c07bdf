import {
  type CallRatingState,
  type CallRatingView,
  type CsatRatingView,
  LOW_SCORE_THRESHOLD,
  type TicketCsatState,
} from '../../signaling/shared/feedback';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { CallsRepository } from '../calls/repository';
import type { Clock } from '../clock';
import type { CallRatingRow, CallRow, TicketCsatRow, TicketRow } from '../db/schema';
import { AppError, notFound } from '../errors';
import type { TicketsRepository } from '../tickets/repository';
import type { TicketsService } from '../tickets/service';
import type { FollowUpService } from './followUps';
import { FeedbackRepository } from './repository';
import type { CallRatingInput, CsatInput } from './schemas';
import type { FeedbackTimeline, PendingFeedbackEvent } from './timeline';

/** Statuses in which a ticket's survey is open: solved, and closed after being solved. */
const RATEABLE_STATUSES: ReadonlyArray<TicketRow['status']> = ['solved', 'closed'];

const lockedError = (what: string, locksAt: Date) =>
  new AppError('conflict', `${what} can no longer be changed: it was locked on ${locksAt.toISOString()}.`, {
    details: [{ path: 'locksAt', message: 'the change window has passed' }],
  });

/**
 * CSAT: a ticket's customer rates its service (1–5, optional comment) once the ticket is solved,
 * and a call's customer rates the call (picture, sound, helpfulness) once it connected and ended.
 * One answer per ticket and per call; re-POSTing within the change window updates it (each change
 * is on the timeline), then it is locked. A low score opens a follow-up in the same transaction.
 */
export class CsatService {
  constructor(
    private readonly repo: FeedbackRepository,
    private readonly tickets: TicketsService,
    private readonly ticketsRepo: TicketsRepository,
    private readonly calls: CallsRepository,
    private readonly followUps: FollowUpService,
    private readonly timeline: FeedbackTimeline,
    private readonly changeWindowMs: number,
    private readonly clock: Clock,
  ) {}

  // ----- tickets --------------------------------------------------------------------------------

  /** The survey's state for the ticket's customer or for staff who may read the ticket. */
  async ticketState(actor: PublicUser, ticketId: string): Promise<TicketCsatState> {
    const ticket = await this.tickets.readable(actor, ticketId);
    const row = await this.repo.ticketCsat(ticket.id);
    return { eligible: RATEABLE_STATUSES.includes(ticket.status), rating: row ? this.csatView(row) : null };
  }

  /** Answers (or, within the window, changes) the ticket's CSAT. Customers only (the route says so). */
  async rateTicket(actor: PublicUser, ticketId: string, input: CsatInput): Promise<CsatRatingView> {
    // Someone else's ticket answers like a missing one: a customer learns nothing about it.
    const ticket = await this.tickets.readable(actor, ticketId);
    if (ticket.requesterId !== actor.id) throw notFound('The ticket');
    if (!RATEABLE_STATUSES.includes(ticket.status)) {
      throw new AppError('conflict', 'This ticket is not solved yet: it can be rated once it is solved.', {
        details: [{ path: 'status', message: `is ${ticket.status}, not solved` }],
      });
    }
    const now = this.clock.now();
    const comment = input.comment ?? null;
    const { row, events, dueAt } = await this.ticketsRepo.transaction(async (trepo) => {
      const repo = new FeedbackRepository(trepo.db);
      let previous = await repo.ticketCsat(ticket.id, true);
      let row: TicketCsatRow | undefined;
      if (!previous) {
        row = await repo.insertTicketCsat({
          ticketId: ticket.id,
          customerId: actor.id,
          agentId: ticket.assigneeId,
          score: input.score,
          comment,
          solvedAt: ticket.solvedAt,
          submittedAt: now,
          updatedAt: now,
          locksAt: new Date(now.getTime() + this.changeWindowMs),
        });
        // A simultaneous first answer won the insert: this one changes it, under its lock.
        if (!row) previous = await repo.ticketCsat(ticket.id, true);
      }
      if (previous) {
        if (now.getTime() >= previous.locksAt.getTime()) throw lockedError('This rating', previous.locksAt);
        row = await repo.updateTicketCsat(ticket.id, { score: input.score, comment, updatedAt: now });
      }
      const events: PendingFeedbackEvent[] = [
        await this.timeline.record(trepo, ticket.id, 'csat.submitted', actor.id, {
          score: row!.score,
          comment: row!.comment,
          previous: previous ? { score: previous.score, comment: previous.comment } : null,
        }),
      ];
      let dueAt: Date | undefined;
      if (row!.score <= LOW_SCORE_THRESHOLD) {
        const opened = await this.followUps.open(
          trepo,
          {
            source: 'ticket_csat',
            subjectId: ticket.id,
            ticketId: ticket.id,
            callId: null,
            score: row!.score,
          },
          now,
        );
        if (opened) {
          events.push(opened.event);
          dueAt = opened.dueAt;
        }
      }
      return { row: row!, events, dueAt };
    });
    await this.timeline.publish(events);
    if (dueAt) this.followUps.watch(dueAt);
    return this.csatView(row);
  }

  // ----- calls ----------------------------------------------------------------------------------

  async callState(actor: PublicUser, callId: string): Promise<CallRatingState> {
    const call = await this.readableCall(actor, callId);
    const row = await this.repo.callRating(call.id);
    return { eligible: isRateable(call), rating: row ? this.callView(row) : null };
  }

  async rateCall(actor: PublicUser, callId: string, input: CallRatingInput): Promise<CallRatingView> {
    // Customers only (the route says so): readableCall lets only the call's customer through.
    const call = await this.readableCall(actor, callId);
    if (!isRateable(call)) {
      throw new AppError(
        'conflict',
        call.status === 'ended'
          ? 'This call never connected: only a connected call can be rated.'
          : 'This call has not ended yet: it can be rated once it ends.',
        {
          details: [
            { path: 'status', message: call.status === 'ended' ? 'never connected' : `is ${call.status}` },
          ],
        },
      );
    }
    const now = this.clock.now();
    const scores = { picture: input.picture, sound: input.sound, helpfulness: input.helpfulness };
    const comment = input.comment ?? null;
    const { row, events, dueAt } = await this.ticketsRepo.transaction(async (trepo) => {
      const repo = new FeedbackRepository(trepo.db);
      let previous = await repo.callRating(call.id, true);
      let row: CallRatingRow | undefined;
      if (!previous) {
        row = await repo.insertCallRating({
          callId: call.id,
          ticketId: call.ticketId,
          customerId: actor.id,
          agentId: call.startedById,
          ...scores,
          comment,
          callEndedAt: call.endedAt,
          submittedAt: now,
          updatedAt: now,
          locksAt: new Date(now.getTime() + this.changeWindowMs),
        });
        if (!row) previous = await repo.callRating(call.id, true);
      }
      if (previous) {
        if (now.getTime() >= previous.locksAt.getTime())
          throw lockedError('This call rating', previous.locksAt);
        row = await repo.updateCallRating(call.id, { ...scores, comment, updatedAt: now });
      }
      const events: PendingFeedbackEvent[] = [
        await this.timeline.record(trepo, call.ticketId, 'call_rating.submitted', actor.id, {
          callId: call.id,
          ...scores,
          comment,
          previous: previous
            ? {
                picture: previous.picture,
                sound: previous.sound,
                helpfulness: previous.helpfulness,
                comment: previous.comment,
              }
            : null,
        }),
      ];
      const lowest = Math.min(scores.picture, scores.sound, scores.helpfulness);
      let dueAt: Date | undefined;
      if (lowest <= LOW_SCORE_THRESHOLD) {
        const opened = await this.followUps.open(
          trepo,
          {
            source: 'call_rating',
            subjectId: call.id,
            ticketId: call.ticketId,
            callId: call.id,
            score: lowest,
          },
          now,
        );
        if (opened) {
          events.push(opened.event);
          dueAt = opened.dueAt;
        }
      }
      return { row: row!, events, dueAt };
    });
    await this.timeline.publish(events);
    if (dueAt) this.followUps.watch(dueAt);
    return this.callView(row);
  }

  /** A call its customer (a participant, or the ticket's requester) or staff may read. */
  private async readableCall(actor: PublicUser, callId: string): Promise<CallRow> {
    const call = await this.calls.findCall(callId);
    if (!call) throw notFound('The call');
    if (actor.role !== 'customer') {
      await this.tickets.readable(actor, call.ticketId);
      return call;
    }
    if (!(await this.isCallCustomer(actor, call))) throw notFound('The call');
    return call;
  }

  private async isCallCustomer(actor: PublicUser, call: CallRow): Promise<boolean> {
    if (actor.role !== 'customer') return false;
    const participants = await this.calls.participants([call.id]);
    if (participants.some((p) => p.userId === actor.id && p.role === 'customer')) return true;
    const ticket = await this.ticketsRepo.findTicket(call.ticketId);
    return ticket?.requesterId === actor.id;
  }

  private csatView(row: TicketCsatRow): CsatRatingView {
    return {
      ticketId: row.ticketId,
      score: row.score,
      comment: row.comment,
      submittedAt: row.submittedAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      locksAt: row.locksAt.toISOString(),
      locked: this.clock.now().getTime() >= row.locksAt.getTime(),
      revisions: row.revisions,
    };
  }

  private callView(row: CallRatingRow): CallRatingView {
    return {
      callId: row.callId,
      ticketId: row.ticketId,
      picture: row.picture,
      sound: row.sound,
      helpfulness: row.helpfulness,
      comment: row.comment,
      submittedAt: row.submittedAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      locksAt: row.locksAt.toISOString(),
      locked: this.clock.now().getTime() >= row.locksAt.getTime(),
      revisions: row.revisions,
    };
  }
}

/** Only a call that connected (the SFU saw media) and has ended is rated. */
const isRateable = (call: CallRow) => call.status === 'ended' && call.connectedAt !== null;
