import path from 'node:path';
import type { CallRoom, ProducerInfo } from '../../media/CallRoom';
import { TrackRecorder } from '../../media/TrackRecorder';
import type { RecordingRow } from '../db/schema';
import type { Logger } from '../logger';
import type { RecordingsRepository } from './repository';
import { finishTrack } from './trackFile';

interface ActiveTrack {
  recorder: TrackRecorder;
  trackId: string;
  crashed: boolean;
}

export interface RecorderSessionDeps {
  repo: RecordingsRepository;
  /** The recordings directory; each recording writes into a folder named by its id. */
  dir: string;
  logger: Logger;
  /** The recording's row changed on the way (an error to show): tell the call's people. */
  changed: (row: RecordingRow) => void;
}

/**
 * One running recording on this node: a recorder per track of the call's media room, started as
 * tracks appear and finished as they end; a recorder that crashes keeps what it wrote and marks
 * the recording with a visible error. `settle()` then `finish()` end it; concluding the recording
 * from its tracks is the caller's.
 */
export class RecorderSession {
  private readonly tracks = new Map<string, ActiveTrack>();
  private unsubscribe: () => void = () => {};
  /** Settles once the tracks present at the start are recording; settle() waits for it. */
  private started: Promise<void> = Promise.resolve();
  /** Tracks being finished because their producer closed; finish() waits for them too. */
  private readonly finishing = new Set<Promise<void>>();
  /** Recorders being started, by producer id (settle() waits for them). */
  private readonly starting = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: RecorderSessionDeps,
    public row: RecordingRow,
    private readonly room: CallRoom | undefined,
  ) {}

  /** Records every track in the room now, and each one that appears until `settle()`. */
  async start(): Promise<void> {
    if (!this.room) return;
    this.started = this.startAll(this.room);
    await this.started;
  }

  /** No new tracks from here on; waits for recorders still starting, so finish() stops them too. */
  async settle(): Promise<void> {
    this.unsubscribe();
    await this.started.catch(() => {});
    await Promise.allSettled([...this.starting.values()]);
  }

  /** Stops every recorder and waits until each track's file and row are final. */
  async finish(): Promise<void> {
    await Promise.all([...this.tracks.keys()].map((producerId) => this.stopTrack(producerId)));
    // Tracks whose producer closed just before (a screen share stopped, then the hang-up) may still
    // be finishing: the recording is concluded from their final state, not a half-written one.
    await Promise.allSettled([...this.finishing]);
  }

  /** The live FFmpeg process ids (operations and tests). */
  recorderPids(): number[] {
    return [...this.tracks.values()].flatMap((t) => (t.recorder.pid ? [t.recorder.pid] : []));
  }

  private async startAll(room: CallRoom): Promise<void> {
    // A track of someone still on the device check is recorded once they join (announced again).
    const onNew = (info: ProducerInfo) => {
      if (!info.waiting) void this.startTrack(info);
    };
    const onClosed = (info: ProducerInfo) => {
      const done = this.stopTrack(info.producerId).finally(() => this.finishing.delete(done));
      this.finishing.add(done);
    };
    room.on('newProducer', onNew);
    room.on('producerClosed', onClosed);
    this.unsubscribe = () => {
      room.off('newProducer', onNew);
      room.off('producerClosed', onClosed);
    };
    for (const peer of room.peers.values()) {
      for (const producer of peer.producers.values()) {
        await this.startTrack({
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

  private async startTrack(info: ProducerInfo): Promise<void> {
    // A track announced while the recording starts is seen twice (the event and the first pass
    // over the room's producers): one recorder each.
    if (!this.room || this.tracks.has(info.producerId) || this.starting.has(info.producerId)) return;
    const starting = this.startRecorder(this.room, info).finally(() => this.starting.delete(info.producerId));
    this.starting.set(info.producerId, starting);
    await starting;
  }

  private async startRecorder(room: CallRoom, info: ProducerInfo): Promise<void> {
    const producer = room.peers.get(info.peerId)?.producers.get(info.producerId);
    if (!producer) return;
    const { repo, dir, logger } = this.deps;
    const base = path.join(dir, this.row.id, `${info.peerId}-${info.source}-${this.tracks.size + 1}`);
    try {
      const recorder = await TrackRecorder.create({ router: room.router, producer, basePath: base });
      // The instant media was let through, not "now": on a busy machine the two differ.
      const startedAt = recorder.mediaStartedAt ?? new Date();
      const track = await repo.insertTrack({
        recordingId: this.row.id,
        userId: info.peerId,
        kind: info.kind,
        source: info.source,
        file: path.relative(dir, `${base}.webm`),
        offsetMs: Math.max(0, startedAt.getTime() - this.row.startedAt.getTime()),
        status: 'recording',
        startedAt,
      });
      const entry: ActiveTrack = { recorder, trackId: track.id, crashed: false };
      this.tracks.set(info.producerId, entry);
      recorder.once('crashed', (result) => void this.onTrackCrashed(entry, result.stderrTail));
    } catch (err) {
      logger.error(
        { err, callId: this.row.callId, source: info.source },
        'could not start recording a track',
      );
      // The error's own text (FFmpeg, mediasoup, the file system) names server internals: it is
      // logged above; the call's people and QA see this.
      await this.setError(
        `A recorder could not start for the ${info.source}; the server log has the reason.`,
      );
    }
  }

  private async setError(message: string): Promise<void> {
    this.row = await this.deps.repo.updateRecording(this.row.id, { error: message });
    this.deps.changed(this.row);
  }

  /** FFmpeg died mid-call: keep what it wrote (made seekable if possible) and say so, visibly. */
  private async onTrackCrashed(track: ActiveTrack, detail: string): Promise<void> {
    track.crashed = true;
    this.deps.logger.error(
      { callId: this.row.callId, trackId: track.trackId, detail },
      'recording track stopped unexpectedly',
    );
    const status = await finishTrack(this.deps.repo, track.trackId, track.recorder.file, new Date(), true);
    await this.setError(
      status === 'failed'
        ? 'A recorder stopped unexpectedly and its file could not be saved.'
        : 'A recorder stopped unexpectedly; what it captured until then is saved.',
    );
  }

  private async stopTrack(producerId: string): Promise<void> {
    const track = this.tracks.get(producerId);
    if (!track || track.crashed) return;
    this.tracks.delete(producerId);
    const result = await track.recorder.stop();
    await finishTrack(this.deps.repo, track.trackId, result.file, result.endedAt, false);
  }
}
