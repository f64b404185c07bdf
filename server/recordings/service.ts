import fs from 'node:fs';
import path from 'node:path';
import { and, asc, desc, eq, gte, inArray, lt, lte, sql } from 'drizzle-orm';
import type { CallRoom, ProducerInfo } from '../../media/CallRoom';
import type { MediaServer } from '../../media/MediaServer';
import { probeMedia, remuxToSeekable } from '../../media/remux';
import { TrackRecorder } from '../../media/TrackRecorder';
import type { Priority, PublicUser, Tier } from '../../signaling/shared/protocol';
import type { CallsRepository } from '../calls/repository';
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
import { badRequest, conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import type { TicketsRepository } from '../tickets/repository';
import { toTimelineEntry } from '../tickets/views';

export interface RecordingConfig {
  dir: string;
  autoPriorities: Priority[];
  autoTiers: Tier[];
  consentText: string;
  requireConsent: boolean;
  rubric: Array<{ id: string; label: string }>;
  retentionDays: number;
}

export type RecordingStatus = RecordingRow['status'];

export interface RecordingNotice {
  callId: string;
  recordingId: string;
  status: RecordingStatus;
  consentText: string;
  error: string | null;
}

interface ActiveTrack {
  recorder: TrackRecorder;
  trackId: string;
  crashed: boolean;
}

interface ActiveRecording {
  row: RecordingRow;
  room: CallRoom | undefined;
  tracks: Map<string, ActiveTrack>;
  unsubscribe: () => void;
  /** Settles once the tracks present at the start are recording; stop() waits for it. */
  started: Promise<void>;
  /** Tracks being finished because their producer closed; stop() waits for them too. */
  finishing: Set<Promise<void>>;
  /** Recorders being started, by producer id (a stop waits for them). */
  starting: Map<string, Promise<void>>;
}

const QA_ROLES = ['qa', 'supervisor', 'admin'];

/**
 * Server-side call recording for QA: one WebM per track (each microphone, camera and shared
 * screen), copied from mediasoup through FFmpeg without re-encoding, each with its offset from the
 * recording's start so a player plays them together in sync. Started by an agent or by rule,
 * announced to both sides first (and, where the organisation requires it, only after the customer
 * agrees). A crash of FFmpeg or of the server leaves playable partial files and a visible state.
 */
export class RecordingsService {
  private readonly active = new Map<string, ActiveRecording>();

  constructor(
    private readonly db: Database,
    private readonly tickets: TicketsRepository,
    private readonly calls: CallsRepository,
    private readonly media: MediaServer,
    private readonly bus: EventBus,
    readonly config: RecordingConfig,
    private readonly logger: Logger,
  ) {
    fs.mkdirSync(config.dir, { recursive: true });
    bus.on('call.connected', ({ call }) => this.applyRules(call.id));
    // Normally stopped by CallsService.beforeEnd while media still flows; this catches the rest.
    bus.on('call.ended', ({ call }) => void this.stop(null, call.id).catch(() => {}));
  }

  /** Everyone in the call sees each change (signaling/realtime.ts turns it into `recording:state`). */
  private notify(notice: RecordingNotice): void {
    this.bus.publish('recording.updated', { notice });
  }

  // ----- starting and consent -----------------------------------------------------------------

  private async applyRules(callId: string): Promise<void> {
    const call = await this.calls.findCall(callId);
    const ticket = call && (await this.tickets.findTicket(call.ticketId));
    if (!ticket) return;
    const matches =
      this.config.autoPriorities.includes(ticket.priority) || this.config.autoTiers.includes(ticket.tier);
    if (!matches) return;
    await this.request(null, callId, 'rule').catch((err) =>
      this.logger.warn({ err, callId }, 'rule-based recording did not start'),
    );
  }

  private async currentFor(callId: string): Promise<RecordingRow | undefined> {
    const [row] = await this.db
      .select()
      .from(recordings)
      .where(
        and(
          eq(recordings.callId, callId),
          inArray(recordings.status, ['awaiting_consent', 'recording', 'processing']),
        ),
      );
    return row;
  }

  /** An agent's click (actor) or a rule (null). The customer is told before anything is recorded. */
  async request(
    actor: PublicUser | null,
    callId: string,
    trigger: 'manual' | 'rule',
  ): Promise<RecordingNotice> {
    const call = await this.calls.findCall(callId);
    if (!call) throw notFound('The call');
    if (actor) {
      const participant = (await this.calls.participants([callId])).find((p) => p.userId === actor.id);
      if (!participant || participant.role === 'customer')
        throw forbidden('Only the support team on the call starts a recording.');
    }
    if (call.status === 'ended') throw conflict('This call has ended.');
    if (await this.currentFor(callId)) throw conflict('This call is already being recorded.');
    const [row] = await this.db
      .insert(recordings)
      .values({
        callId,
        ticketId: call.ticketId,
        startedById: actor?.id ?? null,
        trigger,
        status: this.config.requireConsent ? 'awaiting_consent' : 'recording',
      })
      .returning();
    const notice = this.noticeOf(row!);
    this.notify(notice);
    if (!this.config.requireConsent) await this.begin(row!);
    return notice;
  }

  async consent(actor: PublicUser, callId: string, accept: boolean): Promise<RecordingNotice> {
    const participant = (await this.calls.participants([callId])).find((p) => p.userId === actor.id);
    if (!participant || participant.role !== 'customer') throw notFound('The call');
    const row = await this.currentFor(callId);
    if (!row || row.status !== 'awaiting_consent')
      throw conflict('No recording is waiting for your consent.');
    if (!accept) {
      const [declined] = await this.db
        .update(recordings)
        .set({ status: 'declined', endedAt: new Date() })
        .where(eq(recordings.id, row.id))
        .returning();
      const notice = this.noticeOf(declined!);
      this.notify(notice);
      return notice;
    }
    const [started] = await this.db
      .update(recordings)
      .set({ status: 'recording', startedAt: new Date() })
      .where(eq(recordings.id, row.id))
      .returning();
    this.notify(this.noticeOf(started!));
    await this.begin(started!);
    return this.noticeOf(started!);
  }

  private noticeOf(row: RecordingRow): RecordingNotice {
    return {
      callId: row.callId,
      recordingId: row.id,
      status: row.status,
      consentText: this.config.consentText,
      error: row.error,
    };
  }

  private async begin(row: RecordingRow): Promise<void> {
    const room = this.media.getRoom(row.callId);
    const active: ActiveRecording = {
      row,
      room,
      tracks: new Map(),
      unsubscribe: () => {},
      started: Promise.resolve(),
      finishing: new Set(),
      starting: new Map(),
    };
    this.active.set(row.callId, active);
    if (!room) return;
    active.started = this.startAll(active, room);
    await active.started;
  }

  private async startAll(active: ActiveRecording, room: CallRoom): Promise<void> {
    // A track of someone still on the device check is recorded once they join (announced again).
    const onNew = (info: ProducerInfo) => {
      if (!info.waiting) void this.startTrack(active, info);
    };
    const onClosed = (info: ProducerInfo) => {
      const done = this.stopTrack(active, info.producerId).finally(() => active.finishing.delete(done));
      active.finishing.add(done);
    };
    room.on('newProducer', onNew);
    room.on('producerClosed', onClosed);
    active.unsubscribe = () => {
      room.off('newProducer', onNew);
      room.off('producerClosed', onClosed);
    };
    for (const peer of room.peers.values()) {
      for (const producer of peer.producers.values()) {
        await this.startTrack(active, {
          peerId: peer.id,
          producerId: producer.id,
          kind: producer.kind,
          source: (producer.appData.source as ProducerInfo['source']) ?? 'camera',
          paused: producer.paused,
          waiting: false,
        });
      }
    }
  }

  private async startTrack(active: ActiveRecording, info: ProducerInfo): Promise<void> {
    // A track announced while the recording starts is seen twice (the event and the first pass
    // over the room's producers): one recorder each.
    if (!active.room || active.tracks.has(info.producerId) || active.starting.has(info.producerId)) return;
    const starting = this.startRecorder(active, info).finally(() => active.starting.delete(info.producerId));
    active.starting.set(info.producerId, starting);
    await starting;
  }

  private async startRecorder(active: ActiveRecording, info: ProducerInfo): Promise<void> {
    if (!active.room) return;
    const producer = active.room.peers.get(info.peerId)?.producers.get(info.producerId);
    if (!producer) return;
    const recDir = path.join(this.config.dir, active.row.id);
    const base = path.join(recDir, `${info.peerId}-${info.source}-${active.tracks.size + 1}`);
    try {
      const recorder = await TrackRecorder.create({ router: active.room.router, producer, basePath: base });
      // The instant media was let through, not "now": on a busy machine the two differ.
      const startedAt = recorder.mediaStartedAt ?? new Date();
      const [track] = await this.db
        .insert(recordingTracks)
        .values({
          recordingId: active.row.id,
          userId: info.peerId,
          kind: info.kind,
          source: info.source,
          file: path.relative(this.config.dir, `${base}.webm`),
          offsetMs: Math.max(0, startedAt.getTime() - active.row.startedAt.getTime()),
          status: 'recording',
          startedAt,
        })
        .returning();
      const entry: ActiveTrack = { recorder, trackId: track!.id, crashed: false };
      active.tracks.set(info.producerId, entry);
      recorder.once('crashed', (result) => void this.onTrackCrashed(active, entry, result.stderrTail));
    } catch (err) {
      this.logger.error(
        { err, callId: active.row.callId, source: info.source },
        'could not start recording a track',
      );
      // The error's own text (FFmpeg, mediasoup, the file system) names server internals: it is
      // logged above; the call's people and QA see this.
      await this.setError(
        active,
        `A recorder could not start for the ${info.source}; the server log has the reason.`,
      );
    }
  }

  private async setError(active: ActiveRecording, message: string): Promise<void> {
    const [row] = await this.db
      .update(recordings)
      .set({ error: message })
      .where(eq(recordings.id, active.row.id))
      .returning();
    active.row = row!;
    this.notify(this.noticeOf(row!));
  }

  /** FFmpeg died mid-call: keep what it wrote (made seekable if possible) and say so, visibly. */
  private async onTrackCrashed(active: ActiveRecording, track: ActiveTrack, detail: string): Promise<void> {
    track.crashed = true;
    this.logger.error(
      { callId: active.row.callId, trackId: track.trackId, detail },
      'recording track stopped unexpectedly',
    );
    const status = await this.finishTrack(track.trackId, track.recorder.file, new Date(), true);
    await this.setError(
      active,
      status === 'failed'
        ? 'A recorder stopped unexpectedly and its file could not be saved.'
        : 'A recorder stopped unexpectedly; what it captured until then is saved.',
    );
  }

  private async stopTrack(active: ActiveRecording, producerId: string): Promise<void> {
    const track = active.tracks.get(producerId);
    if (!track || track.crashed) return;
    active.tracks.delete(producerId);
    const result = await track.recorder.stop();
    await this.finishTrack(track.trackId, result.file, result.endedAt, false);
  }

  /** Remuxes a track's live file into a seekable one and records what came out. */
  private async finishTrack(
    trackId: string,
    partFile: string,
    endedAt: Date,
    crashed: boolean,
  ): Promise<string> {
    const finalFile = partFile.replace(/\.part\.webm$/, '.webm');
    if (fs.existsSync(partFile) && fs.statSync(partFile).size > 0) await remuxToSeekable(partFile, finalFile);
    let status: string;
    // Judge the result by what ffprobe reads, not by FFmpeg's exit code: a live file's cut-off last
    // cluster can make the remux complain while its output is complete and playable.
    let probe = fs.existsSync(finalFile) ? await probeMedia(finalFile) : null;
    if (probe && (probe.streams.length === 0 || probe.durationSeconds === null)) probe = null;
    if (probe) {
      fs.rmSync(partFile, { force: true });
      status = crashed ? 'partial' : 'ready';
    } else {
      // Keep the live file itself if it is readable at all.
      probe = fs.existsSync(partFile) ? await probeMedia(partFile) : null;
      if (probe && probe.streams.length > 0) {
        fs.renameSync(partFile, finalFile);
        status = 'partial';
      } else {
        status = 'failed';
      }
    }
    const size = fs.existsSync(finalFile) ? fs.statSync(finalFile).size : 0;
    await this.db
      .update(recordingTracks)
      .set({
        status,
        endedAt,
        sizeBytes: size,
        durationSeconds: probe?.durationSeconds != null ? String(probe.durationSeconds) : null,
        codec: probe?.streams[0]?.codecName ?? null,
      })
      .where(eq(recordingTracks.id, trackId));
    return status;
  }

  // ----- stopping -----------------------------------------------------------------------------

  async stop(actor: PublicUser | null, callId: string): Promise<RecordingNotice | undefined> {
    if (actor) {
      const participant = (await this.calls.participants([callId])).find((p) => p.userId === actor.id);
      if (!participant || participant.role === 'customer')
        throw forbidden('Only the support team on the call stops a recording.');
    }
    const active = this.active.get(callId);
    const row = active?.row ?? (await this.currentFor(callId));
    if (!row) {
      if (actor) throw conflict('This call is not being recorded.');
      return undefined;
    }
    this.active.delete(callId);
    // No new tracks from here on.
    active?.unsubscribe();
    // A stop that races the start (a call hung up right away, a track that just appeared) waits
    // for those recorders to exist, so it stops them too.
    await active?.started.catch(() => {});
    await Promise.allSettled([...(active?.starting.values() ?? [])]);
    if (row.status === 'awaiting_consent') {
      const [cancelled] = await this.db
        .update(recordings)
        .set({ status: 'declined', endedAt: new Date() })
        .where(eq(recordings.id, row.id))
        .returning();
      this.notify(this.noticeOf(cancelled!));
      return this.noticeOf(cancelled!);
    }
    const endedAt = new Date();
    await this.db.update(recordings).set({ status: 'processing', endedAt }).where(eq(recordings.id, row.id));
    this.notify({ ...this.noticeOf(row), status: 'processing' });
    await Promise.all(
      [...(active?.tracks.keys() ?? [])].map((producerId) => this.stopTrack(active!, producerId)),
    );
    // Tracks whose producer closed just before (a screen share stopped, then the hang-up) may still
    // be finishing: the recording is concluded from their final state, not a half-written one.
    await Promise.allSettled([...(active?.finishing ?? [])]);
    return this.conclude(row.id, endedAt);
  }

  /** Sets the final state from the tracks: all fine → ready; some media saved → partial; none → failed. */
  private async conclude(recordingId: string, endedAt: Date): Promise<RecordingNotice> {
    const tracks = await this.db
      .select()
      .from(recordingTracks)
      .where(eq(recordingTracks.recordingId, recordingId));
    const [current] = await this.db.select().from(recordings).where(eq(recordings.id, recordingId));
    const saved = tracks.filter((t) => t.status === 'ready' || t.status === 'partial');
    const status: RecordingStatus =
      tracks.length > 0 &&
      saved.length === tracks.length &&
      !tracks.some((t) => t.status === 'partial') &&
      !current?.error
        ? 'ready'
        : saved.length > 0
          ? 'partial'
          : 'failed';
    const [row] = await this.db
      .update(recordings)
      .set({
        status,
        endedAt,
        durationSeconds: current
          ? Math.round((endedAt.getTime() - current.startedAt.getTime()) / 1000)
          : null,
        sizeBytes: tracks.reduce((n, t) => n + (t.sizeBytes ?? 0), 0),
        error:
          status === 'failed' ? (current?.error ?? 'Nothing could be recorded.') : (current?.error ?? null),
      })
      .where(eq(recordings.id, recordingId))
      .returning();
    const event = await this.tickets.insertEvent({
      ticketId: row!.ticketId,
      type: status === 'failed' ? 'recording.failed' : 'recording.ready',
      actorId: null,
      data: {
        recordingId,
        callId: row!.callId,
        status,
        durationSeconds: row!.durationSeconds,
        tracks: tracks.length,
      },
    });
    this.bus.publish('recording.ready', { entry: toTimelineEntry(event, undefined) });
    const notice = this.noticeOf(row!);
    this.notify(notice);
    return notice;
  }

  /**
   * After a restart: recordings that were running are concluded from the files they left.
   * Returns the ids of the recordings it concluded.
   */
  async recover(): Promise<string[]> {
    const stale = await this.db
      .select()
      .from(recordings)
      .where(inArray(recordings.status, ['recording', 'processing', 'awaiting_consent']));
    const recovered: string[] = [];
    for (const row of stale) {
      if (this.active.has(row.callId)) continue;
      if (row.status === 'awaiting_consent') {
        await this.db
          .update(recordings)
          .set({ status: 'declined', endedAt: new Date() })
          .where(eq(recordings.id, row.id));
        continue;
      }
      const tracks = await this.db
        .select()
        .from(recordingTracks)
        .where(eq(recordingTracks.recordingId, row.id));
      for (const t of tracks.filter((x) => x.status === 'recording')) {
        const part = path.join(this.config.dir, t.file.replace(/\.webm$/, '.part.webm'));
        await this.finishTrack(t.id, part, new Date(), true);
      }
      await this.db
        .update(recordings)
        .set({ error: 'The server stopped during the recording; what was captured is saved.' })
        .where(eq(recordings.id, row.id));
      await this.conclude(row.id, row.endedAt ?? new Date());
      recovered.push(row.id);
    }
    return recovered;
  }

  /** Deletes recordings (rows and files) older than the retention period. */
  async sweepRetention(now = new Date()): Promise<number> {
    if (this.config.retentionDays <= 0) return 0;
    const cutoff = new Date(now.getTime() - this.config.retentionDays * 86_400_000);
    const old = await this.db
      .select()
      .from(recordings)
      .where(
        and(
          lt(recordings.startedAt, cutoff),
          inArray(recordings.status, ['ready', 'partial', 'failed', 'declined']),
        ),
      );
    for (const row of old) {
      fs.rmSync(path.join(this.config.dir, row.id), { recursive: true, force: true });
      await this.db.delete(recordingComments).where(eq(recordingComments.recordingId, row.id));
      await this.db.delete(recordingReviews).where(eq(recordingReviews.recordingId, row.id));
      await this.db.delete(recordingTracks).where(eq(recordingTracks.recordingId, row.id));
      await this.db.delete(recordings).where(eq(recordings.id, row.id));
    }
    return old.length;
  }

  /** The recording state of a call for someone joining it (so a reload shows the indicator). */
  async noticeFor(callId: string): Promise<RecordingNotice | null> {
    const row = await this.currentFor(callId);
    return row ? this.noticeOf(row) : null;
  }

  /** Calls with a recording running on this node (for a clean shutdown). */
  activeCallIds(): string[] {
    return [...this.active.keys()];
  }

  /** The live FFmpeg process ids of a call's recorders (operations and tests). */
  recorderPids(callId: string): number[] {
    return [...(this.active.get(callId)?.tracks.values() ?? [])].flatMap((t) =>
      t.recorder.pid ? [t.recorder.pid] : [],
    );
  }

  // ----- reading: QA area ---------------------------------------------------------------------

  private async assertCanView(actor: PublicUser, row: RecordingRow): Promise<void> {
    if (QA_ROLES.includes(actor.role)) return;
    if (actor.role === 'agent') {
      const participant = (await this.calls.participants([row.callId])).find((p) => p.userId === actor.id);
      if (participant) return;
    }
    throw forbidden('Recordings are for QA reviewers, supervisors and the agents on the call.');
  }

  async list(
    actor: PublicUser,
    filter: {
      agentId?: string;
      tier?: Tier;
      priority?: Priority;
      from?: Date;
      to?: Date;
      minScore?: number;
      limit: number;
    },
  ) {
    if (actor.role === 'customer') throw forbidden('Recordings are for the support team.');
    const rows = await this.db
      .select({
        recording: recordings,
        ticketNumber: tickets.number,
        subject: tickets.subject,
        tier: tickets.tier,
        priority: tickets.priority,
        agentId: calls.startedById,
        agentName: users.name,
        score: sql<
          number | null
        >`(select avg(${recordingReviews.total})::float8 from ${recordingReviews} where ${recordingReviews.recordingId} = ${recordings.id})`,
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
          actor.role === 'agent'
            ? sql`exists (select 1 from call_participants cp where cp.call_id = ${recordings.callId} and cp.user_id = ${actor.id})`
            : undefined,
          // In SQL, before the limit, so a matching recording is never cut off by it.
          filter.minScore !== undefined
            ? sql`(select avg(${recordingReviews.total}) from ${recordingReviews} where ${recordingReviews.recordingId} = ${recordings.id}) >= ${filter.minScore}`
            : undefined,
        ),
      )
      .orderBy(desc(recordings.startedAt))
      .limit(filter.limit);
    return rows.map((r) => ({
      ...this.rowView(r.recording),
      ticketNumber: r.ticketNumber,
      subject: r.subject,
      tier: r.tier,
      priority: r.priority,
      agent: { id: r.agentId, name: r.agentName },
      score: r.score === null ? null : Math.round(Number(r.score) * 10) / 10,
    }));
  }

  private rowView(row: RecordingRow) {
    return {
      id: row.id,
      callId: row.callId,
      ticketId: row.ticketId,
      status: row.status,
      trigger: row.trigger,
      startedAt: row.startedAt.toISOString(),
      endedAt: row.endedAt?.toISOString() ?? null,
      durationSeconds: row.durationSeconds,
      sizeBytes: row.sizeBytes,
      error: row.error,
    };
  }

  private trackView(t: RecordingTrackRow, recordingId: string) {
    return {
      id: t.id,
      userId: t.userId,
      kind: t.kind,
      source: t.source,
      status: t.status,
      offsetMs: t.offsetMs,
      startedAt: t.startedAt.toISOString(),
      endedAt: t.endedAt?.toISOString() ?? null,
      durationSeconds: t.durationSeconds === null ? null : Number(t.durationSeconds),
      sizeBytes: t.sizeBytes,
      codec: t.codec,
      url: `/api/recordings/${recordingId}/tracks/${t.id}/file`,
    };
  }

  /** One recording with its tracks, the ticket events during it (player markers), scores and comments. */
  async get(actor: PublicUser, id: string) {
    const [row] = await this.db.select().from(recordings).where(eq(recordings.id, id));
    if (!row) throw notFound('The recording');
    await this.assertCanView(actor, row);
    const end = row.endedAt ?? new Date();
    const [tracks, messages, events, boardRows, reviews, comments] = await Promise.all([
      this.db
        .select()
        .from(recordingTracks)
        .where(eq(recordingTracks.recordingId, id))
        .orderBy(asc(recordingTracks.startedAt)),
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
      this.db.select().from(recordingReviews).where(eq(recordingReviews.recordingId, id)),
      this.db
        .select()
        .from(recordingComments)
        .where(eq(recordingComments.recordingId, id))
        .orderBy(asc(recordingComments.atMs)),
    ]);
    const people = await this.tickets.usersByIds([
      ...tracks.map((t) => t.userId),
      ...reviews.map((r) => r.reviewerId),
      ...comments.map((c) => c.authorId),
      ...messages.flatMap((m) => (m.authorId ? [m.authorId] : [])),
    ]);
    const at = (d: Date) => Math.max(0, d.getTime() - row.startedAt.getTime());
    const markers = [
      ...messages
        .filter((m) => m.kind !== 'internal' || actor.role !== 'customer')
        .map((m) => ({
          atMs: at(m.createdAt),
          type: 'message',
          label: `${m.authorId ? (people.get(m.authorId)?.name ?? '') : 'System'}: ${m.body.slice(0, 80)}`,
        })),
      ...tracks
        .filter((t) => t.source === 'screen')
        .flatMap((t) => [
          {
            atMs: at(t.startedAt),
            type: 'screen_start',
            label: `${people.get(t.userId)?.name ?? ''} started sharing the screen`,
          },
          ...(t.endedAt
            ? [{ atMs: at(t.endedAt), type: 'screen_stop', label: 'Screen sharing stopped' }]
            : []),
        ]),
      ...boardRows.map((b) => ({ atMs: at(b.createdAt), type: 'whiteboard', label: 'Whiteboard changed' })),
      ...events
        .filter(
          (e) => e.type === 'ticket.escalated' || e.type === 'ticket.updated' || e.type === 'ticket.assigned',
        )
        .map((e) => ({
          atMs: at(e.createdAt),
          type: e.type,
          label: e.type === 'ticket.escalated' ? `Escalated to ${String(e.data.to)}` : e.type,
        })),
    ].sort((a, b) => a.atMs - b.atMs);
    return {
      ...this.rowView(row),
      tracks: tracks.map((t) => ({ ...this.trackView(t, id), userName: people.get(t.userId)?.name ?? '' })),
      markers,
      rubric: this.config.rubric,
      reviews: reviews.map((r) => ({
        reviewer: people.get(r.reviewerId)?.name ?? '',
        reviewerId: r.reviewerId,
        scores: r.scores,
        total: r.total,
      })),
      comments: comments.map((c) => ({
        id: c.id,
        atMs: c.atMs,
        body: c.body,
        author: people.get(c.authorId)?.name ?? '',
        createdAt: c.createdAt.toISOString(),
      })),
    };
  }

  async trackFile(actor: PublicUser, recordingId: string, trackId: string): Promise<{ path: string }> {
    const [row] = await this.db.select().from(recordings).where(eq(recordings.id, recordingId));
    if (!row) throw notFound('The recording');
    await this.assertCanView(actor, row);
    const [track] = await this.db
      .select()
      .from(recordingTracks)
      .where(and(eq(recordingTracks.id, trackId), eq(recordingTracks.recordingId, recordingId)));
    if (!track || track.status === 'failed' || track.status === 'recording') throw notFound('The track file');
    const file = path.join(this.config.dir, track.file);
    if (!file.startsWith(this.config.dir) || !fs.existsSync(file)) throw notFound('The track file');
    return { path: file };
  }

  async score(actor: PublicUser, recordingId: string, scores: Record<string, number>) {
    if (!QA_ROLES.includes(actor.role))
      throw forbidden('Only QA reviewers and supervisors score recordings.');
    const [row] = await this.db.select().from(recordings).where(eq(recordings.id, recordingId));
    if (!row) throw notFound('The recording');
    const known = new Set(this.config.rubric.map((c) => c.id));
    const unknown = Object.keys(scores).filter((k) => !known.has(k));
    const missing = [...known].filter((k) => !(k in scores));
    if (unknown.length || missing.length) {
      throw badRequest('Score every criterion of the rubric, and only those.', [
        ...unknown.map((k) => ({ path: `scores.${k}`, message: 'not a rubric criterion' })),
        ...missing.map((k) => ({ path: `scores.${k}`, message: 'is required' })),
      ]);
    }
    const total = Object.values(scores).reduce((a, b) => a + b, 0);
    await this.db
      .insert(recordingReviews)
      .values({ recordingId, reviewerId: actor.id, scores, total })
      .onConflictDoUpdate({
        target: [recordingReviews.recordingId, recordingReviews.reviewerId],
        set: { scores, total, updatedAt: new Date() },
      });
    return { scores, total, max: this.config.rubric.length * 5 };
  }

  async comment(actor: PublicUser, recordingId: string, atMs: number, body: string) {
    if (!QA_ROLES.includes(actor.role))
      throw forbidden('Only QA reviewers and supervisors comment on recordings.');
    const [row] = await this.db.select().from(recordings).where(eq(recordings.id, recordingId));
    if (!row) throw notFound('The recording');
    const [c] = await this.db
      .insert(recordingComments)
      .values({ recordingId, authorId: actor.id, atMs, body })
      .returning();
    return {
      id: c!.id,
      atMs: c!.atMs,
      body: c!.body,
      author: actor.name,
      createdAt: c!.createdAt.toISOString(),
    };
  }
}
