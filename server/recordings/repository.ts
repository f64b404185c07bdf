import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { Priority, Tier } from '../../signaling/shared/protocol';
import type { Database } from '../db/client';
import {
  boards,
  boardUpdates,
  calls,
  type RecordingRow,
  type RecordingTrackRow,
  recordingComments,
  recordingReviews,
  recordings,
  recordingTracks,
  ticketEvents,
  ticketMessages,
  tickets,
  users,
} from '../db/schema';
import { TicketsRepository } from '../tickets/repository';

/** A recording that may still change: asked for, running, or being finished. */
const CURRENT = ['awaiting_consent', 'recording', 'processing'] as const;
/** Final states: nothing changes them any more, retention may delete them. */
export const CONCLUDED = ['ready', 'partial', 'failed', 'declined'] as const;

export interface RecordingListFilter {
  agentId?: string;
  tier?: Tier;
  priority?: Priority;
  from?: Date;
  to?: Date;
  minScore?: number;
  limit: number;
}

/** Average review total of the recording in the outer query (null when nobody scored it). */
const AVERAGE_SCORE = sql<
  number | null
>`(select avg(${recordingReviews.total})::float8 from ${recordingReviews} where ${recordingReviews.recordingId} = ${recordings.id})`;

/** All SQL for recordings, their tracks, reviews and comments, and the QA reads around them. */
export class RecordingsRepository {
  /** The ticket timeline, bound to the same connection (or transaction) as this repository. */
  readonly timeline: TicketsRepository;

  constructor(readonly db: Database) {
    this.timeline = new TicketsRepository(db);
  }

  /** Runs `fn` in one transaction with a repository (and its timeline) bound to it. */
  transaction<T>(fn: (repo: RecordingsRepository) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new RecordingsRepository(tx as unknown as Database)));
  }

  async insertRecording(values: typeof recordings.$inferInsert): Promise<RecordingRow> {
    const [row] = await this.db.insert(recordings).values(values).returning();
    return row!;
  }

  async findRecording(id: string): Promise<RecordingRow | undefined> {
    const [row] = await this.db.select().from(recordings).where(eq(recordings.id, id));
    return row;
  }

  /** Reads the recording and locks its row until the transaction ends: conclusions queue up. */
  async lockRecording(id: string): Promise<RecordingRow | undefined> {
    const [row] = await this.db.select().from(recordings).where(eq(recordings.id, id)).for('update');
    return row;
  }

  async updateRecording(id: string, values: Partial<typeof recordings.$inferInsert>): Promise<RecordingRow> {
    const [row] = await this.db.update(recordings).set(values).where(eq(recordings.id, id)).returning();
    return row!;
  }

  /** The call's recording that is not concluded yet, if any (at most one per call). */
  async currentFor(callId: string): Promise<RecordingRow | undefined> {
    const [row] = await this.db
      .select()
      .from(recordings)
      .where(and(eq(recordings.callId, callId), inArray(recordings.status, [...CURRENT])));
    return row;
  }

  /** Every recording not concluded yet, on any call (recovery after a restart). */
  unconcluded(): Promise<RecordingRow[]> {
    return this.db
      .select()
      .from(recordings)
      .where(inArray(recordings.status, [...CURRENT]));
  }

  /** Concluded recordings started before `cutoff` (retention). */
  concludedBefore(cutoff: Date): Promise<RecordingRow[]> {
    return this.db
      .select()
      .from(recordings)
      .where(and(lt(recordings.startedAt, cutoff), inArray(recordings.status, [...CONCLUDED])));
  }

  /** Deletes a recording with its comments, reviews and tracks, in one transaction. */
  deleteRecording(id: string): Promise<void> {
    return this.db.transaction(async (tx) => {
      await tx.delete(recordingComments).where(eq(recordingComments.recordingId, id));
      await tx.delete(recordingReviews).where(eq(recordingReviews.recordingId, id));
      await tx.delete(recordingTracks).where(eq(recordingTracks.recordingId, id));
      await tx.delete(recordings).where(eq(recordings.id, id));
    });
  }

  async insertTrack(values: typeof recordingTracks.$inferInsert): Promise<RecordingTrackRow> {
    const [row] = await this.db.insert(recordingTracks).values(values).returning();
    return row!;
  }

  async updateTrack(id: string, values: Partial<typeof recordingTracks.$inferInsert>): Promise<void> {
    await this.db.update(recordingTracks).set(values).where(eq(recordingTracks.id, id));
  }

  /** A recording's tracks in the order they started. */
  tracksOf(recordingId: string): Promise<RecordingTrackRow[]> {
    return this.db
      .select()
      .from(recordingTracks)
      .where(eq(recordingTracks.recordingId, recordingId))
      .orderBy(asc(recordingTracks.startedAt));
  }

  async findTrack(recordingId: string, trackId: string): Promise<RecordingTrackRow | undefined> {
    const [row] = await this.db
      .select()
      .from(recordingTracks)
      .where(and(eq(recordingTracks.id, trackId), eq(recordingTracks.recordingId, recordingId)));
    return row;
  }

  /**
   * The QA list: each recording with its ticket, the agent who started the call and the average
   * score; `visibleTo` limits it to the calls that user took part in.
   */
  list(filter: RecordingListFilter, visibleTo: string | undefined) {
    return this.db
      .select({
        recording: recordings,
        ticketNumber: tickets.number,
        subject: tickets.subject,
        tier: tickets.tier,
        priority: tickets.priority,
        agentId: calls.startedById,
        agentName: users.name,
        score: AVERAGE_SCORE,
      })
      .from(recordings)
      .innerJoin(tickets, eq(tickets.id, recordings.ticketId))
      .innerJoin(calls, eq(calls.id, recordings.callId))
      .innerJoin(users, eq(users.id, calls.startedById))
      .where(
        and(
          filter.agentId ? eq(calls.startedById, filter.agentId) : undefined,
          filter.tier ? eq(tickets.tier, filter.tier) : undefined,
          filter.priority ? eq(tickets.priority, filter.priority) : undefined,
          filter.from ? gte(recordings.startedAt, filter.from) : undefined,
          filter.to ? lte(recordings.startedAt, filter.to) : undefined,
          visibleTo
            ? sql`exists (select 1 from call_participants cp where cp.call_id = ${recordings.callId} and cp.user_id = ${visibleTo})`
            : undefined,
          // In SQL, before the limit, so a matching recording is never cut off by it.
          filter.minScore !== undefined ? sql`${AVERAGE_SCORE} >= ${filter.minScore}` : undefined,
        ),
      )
      .orderBy(desc(recordings.startedAt))
      .limit(filter.limit);
  }

  /** What happened on the ticket and the call's board while the recording ran (player markers). */
  async during(row: RecordingRow, end: Date) {
    const [messages, events, boardChanges] = await Promise.all([
      this.db
        .select()
        .from(ticketMessages)
        .where(
          and(
            eq(ticketMessages.ticketId, row.ticketId),
            gte(ticketMessages.createdAt, row.startedAt),
            lte(ticketMessages.createdAt, end),
          ),
        ),
      this.db
        .select()
        .from(ticketEvents)
        .where(
          and(
            eq(ticketEvents.ticketId, row.ticketId),
            gte(ticketEvents.createdAt, row.startedAt),
            lte(ticketEvents.createdAt, end),
          ),
        ),
      this.db
        .select({ createdAt: boardUpdates.createdAt })
        .from(boardUpdates)
        .innerJoin(boards, eq(boards.id, boardUpdates.boardId))
        .where(
          and(
            eq(boards.callId, row.callId),
            gte(boardUpdates.createdAt, row.startedAt),
            lte(boardUpdates.createdAt, end),
          ),
        ),
    ]);
    return { messages, events, boardChanges };
  }

  /** The call's board and its update log up to `end`, in the order it was written. */
  async boardLog(callId: string, end: Date) {
    const [board] = await this.db.select().from(boards).where(eq(boards.callId, callId));
    if (!board) return undefined;
    const updates = await this.db
      .select({ elements: boardUpdates.elements, createdAt: boardUpdates.createdAt })
      .from(boardUpdates)
      .where(and(eq(boardUpdates.boardId, board.id), lte(boardUpdates.createdAt, end)))
      .orderBy(asc(boardUpdates.seq));
    return { board, updates };
  }

  reviewsOf(recordingId: string) {
    return this.db.select().from(recordingReviews).where(eq(recordingReviews.recordingId, recordingId));
  }

  commentsOf(recordingId: string) {
    return this.db
      .select()
      .from(recordingComments)
      .where(eq(recordingComments.recordingId, recordingId))
      .orderBy(asc(recordingComments.atMs));
  }

  /** One review per reviewer: scoring again replaces that reviewer's scores. */
  async upsertReview(values: {
    recordingId: string;
    reviewerId: string;
    scores: Record<string, number>;
    total: number;
  }): Promise<void> {
    await this.db
      .insert(recordingReviews)
      .values(values)
      .onConflictDoUpdate({
        target: [recordingReviews.recordingId, recordingReviews.reviewerId],
        set: { scores: values.scores, total: values.total, updatedAt: new Date() },
      });
  }

  async insertComment(values: typeof recordingComments.$inferInsert) {
    const [row] = await this.db.insert(recordingComments).values(values).returning();
    return row!;
  }
}
