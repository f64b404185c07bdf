import fs from 'node:fs';
import { probeMedia, remuxToSeekable } from '../../media/remux';
import type { RecordingTrackRow } from '../db/schema';
import type { RecordingsRepository } from './repository';

/**
 * Remuxes a track's live file into a seekable one and records what came out on the track's row:
 * `ready`, `partial` (a crash, or only the live file is readable), `empty` (stopped before any
 * media was written: a recording stopped within a second, before the first keyframe — nothing
 * failed, there was nothing yet) or `failed`. Used when a track ends, when its recorder crashes,
 * and for the files a stopped server left behind.
 */
export async function finishTrack(
  repo: RecordingsRepository,
  trackId: string,
  partFile: string,
  endedAt: Date,
  crashed: boolean,
): Promise<RecordingTrackRow['status']> {
  const finalFile = partFile.replace(/\.part\.webm$/, '.webm');
  if (fs.existsSync(partFile) && fs.statSync(partFile).size > 0) await remuxToSeekable(partFile, finalFile);
  let status: RecordingTrackRow['status'];
  // Judge the result by what ffprobe reads, not by FFmpeg's exit code: a live file's cut-off last
  // cluster can make the remux complain while its output is complete and playable.
  let probe = fs.existsSync(finalFile) ? await probeMedia(finalFile) : null;
  if (probe && (probe.streams.length === 0 || probe.durationSeconds === null)) probe = null;
  if (probe) {
    fs.rmSync(partFile, { force: true });
    status = crashed ? 'partial' : 'ready';
  } else {
    // Keep the live file itself if it holds media at all.
    probe = fs.existsSync(partFile) ? await probeMedia(partFile) : null;
    if (probe && probe.streams.length > 0 && (crashed || (probe.durationSeconds ?? 0) > 0)) {
      fs.renameSync(partFile, finalFile);
      status = 'partial';
    } else if (!crashed) {
      // Stopped on request with no media written (at most a header): an empty track, not a
      // failure. Nothing is kept, so nothing offers to play.
      probe = null;
      fs.rmSync(partFile, { force: true });
      fs.rmSync(finalFile, { force: true });
      status = 'empty';
    } else {
      status = 'failed';
    }
  }
  const size = fs.existsSync(finalFile) ? fs.statSync(finalFile).size : 0;
  await repo.updateTrack(trackId, {
    status,
    endedAt,
    sizeBytes: size,
    durationSeconds: probe?.durationSeconds != null ? String(probe.durationSeconds) : null,
    codec: probe?.streams[0]?.codecName ?? null,
  });
  return status;
}
