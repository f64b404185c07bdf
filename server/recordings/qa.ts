import fs from 'node:fs';
import path from 'node:path';
import type { PublicUser } from '../../signaling/shared/protocol';
import type { CallsRepository } from '../calls/repository';
import type { RecordingRow, RecordingTrackRow } from '../db/schema';
import { forbidden, notFound } from '../errors';
import { boardReplay } from './boardReplay';
import type { RecordingListFilter, RecordingsRepository } from './repository';

/** Who reviews recordings: they see and score every one. */
export const QA_ROLES = ['qa', 'supervisor', 'admin'];

/** The actor's place in the call, if they took part in it. */
/** Who may watch a call's recording: QA reviewers, supervisors and admins; an agent who was on the call. */
export function mayWatchRecording(
  actor: Pick<PublicUser, 'id' | 'role'>,
  participantIds: readonly string[],
): boolean {
  return QA_ROLES.includes(actor.role) || (actor.role === 'agent' && participantIds.includes(actor.id));
}

export async function participantIn(calls: CallsRepository, callId: string, userId: string) {
  return (await calls.participants([callId])).find((p) => p.userId === userId);
}

function recordingView(row: RecordingRow) {
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

function trackView(t: RecordingTrackRow, recordingId: string) {
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

/** The QA area's reads: the list, one recording with its player markers, a track's file. */
export class RecordingsQa {
  constructor(
    private readonly repo: RecordingsRepository,
    private readonly calls: CallsRepository,
    private readonly dir: string,
    private readonly rubric: Array<{ id: string; label: string }>,
  ) {}

  /** The recording, if the actor may see it: QA always, an agent only for a call they were on. */
  async viewable(actor: PublicUser, id: string): Promise<RecordingRow> {
    const row = await this.repo.findRecording(id);
    if (!row) throw notFound('The recording');
    const participants = QA_ROLES.includes(actor.role) ? [] : await this.calls.participants([row.callId]);
    if (
      mayWatchRecording(
        actor,
        participants.map((p) => p.userId),
      )
    )
      return row;
    throw forbidden('Recordings are for QA reviewers, supervisors and the agents on the call.');
  }

  async list(actor: PublicUser, filter: RecordingListFilter) {
    if (actor.role === 'customer') throw forbidden('Recordings are for the support team.');
    const rows = await this.repo.list(filter, actor.role === 'agent' ? actor.id : undefined);
    return rows.map((r) => ({
      ...recordingView(r.recording),
      ticketNumber: r.ticketNumber,
      subject: r.subject,
      tier: r.tier,
      priority: r.priority,
      agent: { id: r.agentId, name: r.agentName },
      score: r.score === null ? null : Math.round(Number(r.score) * 10) / 10,
    }));
  }

  /** One recording with its tracks, the ticket events during it (player markers), scores and comments. */
  async get(actor: PublicUser, id: string) {
    const row = await this.viewable(actor, id);
    const end = row.endedAt ?? new Date();
    const [tracks, { messages, events, boardChanges }, reviews, comments] = await Promise.all([
      this.repo.tracksOf(id),
      this.repo.during(row, end),
      this.repo.reviewsOf(id),
      this.repo.commentsOf(id),
    ]);
    const people = await this.repo.timeline.usersByIds([
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
      ...boardChanges.map((b) => ({
        atMs: at(b.createdAt),
        type: 'whiteboard',
        label: 'Whiteboard changed',
      })),
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
      ...recordingView(row),
      tracks: tracks.map((t) => ({ ...trackView(t, id), userName: people.get(t.userId)?.name ?? '' })),
      markers,
      rubric: this.rubric,
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

  /** The call's whiteboard in step with the recording, for whoever may see the recording. */
  async board(actor: PublicUser, id: string) {
    return boardReplay(this.repo, await this.viewable(actor, id));
  }

  /** A finished track's file on disk, for whoever may see the recording. */
  async trackFile(actor: PublicUser, recordingId: string, trackId: string): Promise<{ path: string }> {
    await this.viewable(actor, recordingId);
    const track = await this.repo.findTrack(recordingId, trackId);
    if (!track || !['ready', 'partial'].includes(track.status)) throw notFound('The track file');
    const file = path.join(this.dir, track.file);
    if (!file.startsWith(this.dir) || !fs.existsSync(file)) throw notFound('The track file');
    return { path: file };
  }
}
