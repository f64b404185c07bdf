import fs from 'node:fs';
import path from 'node:path';
import type { MediaServer } from '../../media/MediaServer';
import type {
  Priority,
  PublicUser,
  RecordingNotice,
  RecordingStatus,
  Tier,
} from '../../signaling/shared/protocol';
import type { CallsRepository } from '../calls/repository';
import type { Database } from '../db/client';
import type { RecordingRow } from '../db/schema';
import { conflict, forbidden, notFound } from '../errors';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import type { TicketsRepository } from '../tickets/repository';
import { toTimelineEntry } from '../tickets/views';
import { participantIn, RecordingsQa } from './qa';
import { CONCLUDED, type RecordingListFilter, RecordingsRepository } from './repository';
import { sweepRetention } from './retention';
import { RecordingReviews } from './reviews';
import { RecorderSession } from './session';
import { finishTrack } from './trackFile';

export interface RecordingConfig {
  dir: string;
  autoPriorities: Priority[];
  autoTiers: Tier[];
  consentText: string;
  requireConsent: boolean;
  rubric: Array<{ id: string; label: string }>;
  retentionDays: number;
}

/** The parts of the recording policy an administrator may change at run time (`/admin/recordings`). */
export type RecordingRules = Pick<
  RecordingConfig,
  'autoPriorities' | 'autoTiers' | 'requireConsent' | 'retentionDays'
>;

export type { RecordingNotice, RecordingStatus };

/**
 * Server-side call recording for QA: one WebM per track (each microphone, camera and shared
 * screen), copied from mediasoup through FFmpeg without re-encoding, each with its offset from the
 * recording's start so a player plays them together in sync. Started by an agent or by rule,
 * announced to both sides first (and, where the organisation requires it, only after the customer
 * agrees). A crash of FFmpeg or of the server leaves playable partial files and a visible state.
 *
 * This class owns a recording's life (request, consent, stop, conclusion, recovery); the running
 * recorders are a `RecorderSession` each, the SQL is `RecordingsRepository`'s, the QA area's reads
 * are `RecordingsQa`'s and scores and comments `RecordingReviews`'.
 */
export class RecordingsService {
  private readonly active = new Map<string, RecorderSession>();
  private readonly repo: RecordingsRepository;
  private readonly qa: RecordingsQa;
  private readonly reviews: RecordingReviews;

  constructor(
    db: Database,
    private readonly tickets: TicketsRepository,
    private readonly calls: CallsRepository,
    private readonly media: MediaServer,
    private readonly bus: EventBus,
    readonly config: RecordingConfig,
    private readonly logger: Logger,
    /** The current policy (the settings); the environment's `config` when not given. */
    private readonly rules: () => Promise<RecordingRules> = async () => config,
  ) {
    fs.mkdirSync(config.dir, { recursive: true });
    this.repo = new RecordingsRepository(db);
    this.qa = new RecordingsQa(this.repo, calls, config.dir, config.rubric);
    this.reviews = new RecordingReviews(this.repo, config.rubric);
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
    const rules = await this.rules();
    const matches = rules.autoPriorities.includes(ticket.priority) || rules.autoTiers.includes(ticket.tier);
    if (!matches) return;
    await this.request(null, callId, 'rule').catch((err) =>
      this.logger.warn({ err, callId }, 'rule-based recording did not start'),
    );
  }

  /** Only the support team on the call starts or stops a recording by hand. */
  private async assertSupportOnCall(actor: PublicUser, callId: string, verb: 'starts' | 'stops') {
    const participant = await participantIn(this.calls, callId, actor.id);
    if (!participant || participant.role === 'customer')
      throw forbidden(`Only the support team on the call ${verb} a recording.`);
  }

  /** An agent's click (actor) or a rule (null). The customer is told before anything is recorded. */
  async request(
    actor: PublicUser | null,
    callId: string,
    trigger: 'manual' | 'rule',
  ): Promise<RecordingNotice> {
    const call = await this.calls.findCall(callId);
    if (!call) throw notFound('The call');
    if (actor) await this.assertSupportOnCall(actor, callId, 'starts');
    if (call.status === 'ended') throw conflict('This call has ended.');
    if (await this.repo.currentFor(callId)) throw conflict('This call is already being recorded.');
    const { requireConsent } = await this.rules();
    const row = await this.repo.insertRecording({
      callId,
      ticketId: call.ticketId,
      startedById: actor?.id ?? null,
      trigger,
      status: requireConsent ? 'awaiting_consent' : 'recording',
    });
    const notice = this.noticeOf(row);
    this.notify(notice);
    if (!requireConsent) await this.begin(row);
    return notice;
  }

  async consent(actor: PublicUser, callId: string, accept: boolean): Promise<RecordingNotice> {
    const participant = await participantIn(this.calls, callId, actor.id);
    if (participant?.role !== 'customer') throw notFound('The call');
    const row = await this.repo.currentFor(callId);
    if (row?.status !== 'awaiting_consent') throw conflict('No recording is waiting for your consent.');
    if (!accept) return this.decline(row.id);
    const started = await this.repo.updateRecording(row.id, { status: 'recording', startedAt: new Date() });
    this.notify(this.noticeOf(started));
    await this.begin(started);
    return this.noticeOf(started);
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
    const session = new RecorderSession(
      {
        repo: this.repo,
        dir: this.config.dir,
        logger: this.logger,
        changed: (changed) => this.notify(this.noticeOf(changed)),
      },
      row,
      this.media.getRoom(row.callId),
    );
    this.active.set(row.callId, session);
    await session.start();
  }

  // ----- stopping -----------------------------------------------------------------------------

  async stop(actor: PublicUser | null, callId: string): Promise<RecordingNotice | undefined> {
    if (actor) await this.assertSupportOnCall(actor, callId, 'stops');
    const session = this.active.get(callId);
    const row = session?.row ?? (await this.repo.currentFor(callId));
    if (!row) {
      if (actor) throw conflict('This call is not being recorded.');
      return undefined;
    }
    this.active.delete(callId);
    // A stop that races the start (a call hung up right away, a track that just appeared) waits
    // for those recorders to exist, so it stops them too.
    await session?.settle();
    if (row.status === 'awaiting_consent') return this.decline(row.id);
    const endedAt = new Date();
    const processing = await this.repo.updateRecording(row.id, { status: 'processing', endedAt });
    this.notify(this.noticeOf(processing));
    await session?.finish();
    return this.conclude(row.id, endedAt);
  }

  /** Consent refused, or the call ended before it was given: nothing was recorded. */
  private async decline(recordingId: string): Promise<RecordingNotice> {
    const declined = await this.repo.updateRecording(recordingId, {
      status: 'declined',
      endedAt: new Date(),
    });
    const notice = this.noticeOf(declined);
    this.notify(notice);
    return notice;
  }

  /**
   * Sets the final state from the tracks (all ready or empty → ready; some media saved → partial;
   * none → failed) and writes it with its timeline entry in one transaction, which also makes a second
   * conclusion of the same recording a no-op; the entry is published after the commit. `error`
   * replaces the recording's error (recovery says why it was cut short).
   */
  private async conclude(recordingId: string, endedAt: Date, error?: string): Promise<RecordingNotice> {
    const { row, event } = await this.repo.transaction(async (repo) => {
      const current = await repo.lockRecording(recordingId);
      if (!current) throw notFound('The recording');
      if ((CONCLUDED as readonly string[]).includes(current.status))
        return { row: current, event: undefined };
      const tracks = await repo.tracksOf(recordingId);
      const known = error ?? current.error;
      const saved = tracks.filter((t) => t.status === 'ready' || t.status === 'partial');
      // An empty track (stopped before its first frame) is no failure: a recording whose tracks
      // are all ready or empty is saved.
      const whole = tracks.filter((t) => t.status === 'ready' || t.status === 'empty');
      const status: RecordingStatus =
        tracks.length > 0 && whole.length === tracks.length && !known
          ? 'ready'
          : saved.length > 0
            ? 'partial'
            : 'failed';
      const concluded = await repo.updateRecording(recordingId, {
        status,
        endedAt,
        durationSeconds: Math.round((endedAt.getTime() - current.startedAt.getTime()) / 1000),
        sizeBytes: tracks.reduce((n, t) => n + (t.sizeBytes ?? 0), 0),
        error: status === 'failed' ? (known ?? 'Nothing could be recorded.') : (known ?? null),
      });
      const entry = await repo.timeline.insertEvent({
        ticketId: concluded.ticketId,
        type: status === 'failed' ? 'recording.failed' : 'recording.ready',
        actorId: null,
        data: {
          recordingId,
          callId: concluded.callId,
          status,
          durationSeconds: concluded.durationSeconds,
          tracks: tracks.length,
        },
      });
      return { row: concluded, event: entry };
    });
    if (!event) return this.noticeOf(row);
    this.bus.publish('recording.ready', { entry: toTimelineEntry(event, undefined) });
    const notice = this.noticeOf(row);
    this.notify(notice);
    return notice;
  }

  /**
   * After a restart: recordings that were running are concluded from the files they left.
   * Returns the ids of the recordings it concluded.
   */
  async recover(): Promise<string[]> {
    const recovered: string[] = [];
    for (const row of await this.repo.unconcluded()) {
      if (this.active.has(row.callId)) continue;
      if (row.status === 'awaiting_consent') {
        await this.repo.updateRecording(row.id, { status: 'declined', endedAt: new Date() });
        continue;
      }
      const tracks = await this.repo.tracksOf(row.id);
      for (const t of tracks.filter((x) => x.status === 'recording')) {
        const part = path.join(this.config.dir, t.file.replace(/\.webm$/, '.part.webm'));
        await finishTrack(this.repo, t.id, part, new Date(), true);
      }
      await this.conclude(
        row.id,
        row.endedAt ?? new Date(),
        'The server stopped during the recording; what was captured is saved.',
      );
      recovered.push(row.id);
    }
    return recovered;
  }

  /** Deletes recordings (rows and files) older than the retention period. */
  async sweepRetention(now = new Date()): Promise<number> {
    return sweepRetention(this.repo, this.config.dir, (await this.rules()).retentionDays, now);
  }

  /** The recording state of a call for someone joining it (so a reload shows the indicator). */
  async noticeFor(callId: string): Promise<RecordingNotice | null> {
    const row = await this.repo.currentFor(callId);
    return row ? this.noticeOf(row) : null;
  }

  /** Calls with a recording running on this node (for a clean shutdown). */
  activeCallIds(): string[] {
    return [...this.active.keys()];
  }

  /** The live FFmpeg process ids of a call's recorders (operations and tests). */
  recorderPids(callId: string): number[] {
    return this.active.get(callId)?.recorderPids() ?? [];
  }

  // ----- the QA area --------------------------------------------------------------------------

  list(actor: PublicUser, filter: RecordingListFilter) {
    return this.qa.list(actor, filter);
  }

  get(actor: PublicUser, id: string) {
    return this.qa.get(actor, id);
  }

  board(actor: PublicUser, id: string) {
    return this.qa.board(actor, id);
  }

  trackFile(actor: PublicUser, recordingId: string, trackId: string): Promise<{ path: string }> {
    return this.qa.trackFile(actor, recordingId, trackId);
  }

  score(actor: PublicUser, recordingId: string, scores: Record<string, number>) {
    return this.reviews.score(actor, recordingId, scores);
  }

  comment(actor: PublicUser, recordingId: string, atMs: number, body: string) {
    return this.reviews.comment(actor, recordingId, atMs, body);
  }
}
