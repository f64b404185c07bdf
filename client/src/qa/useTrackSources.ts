import { useEffect, useState } from 'react';
import { type RecordingTrack, recordingsApi } from './api';

export interface TrackSource {
  url?: string;
  error?: unknown;
}

export interface TrackSources {
  byId: Record<string, TrackSource>;
  /** Every track has either its link or an error. */
  settled: boolean;
}

/** Tracks that have a file to play (a failed track has none; a running one is not finished). */
export const hasFile = (track: RecordingTrack) => track.status === 'ready' || track.status === 'partial';

/**
 * Streaming links of a recording's tracks (see `RecordingsApi.streamUrl`): the media elements
 * play and seek through range requests, so a long recording starts at once instead of after a
 * full download.
 */
export function useTrackSources(recordingId: string, tracks: RecordingTrack[]): TrackSources {
  const playable = tracks.filter(hasFile);
  const signature = `${recordingId}|${playable.map((t) => t.id).join(',')}`;
  const [byId, setById] = useState<Record<string, TrackSource>>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: `signature` stands for the recording and its playable tracks
  useEffect(() => {
    const controller = new AbortController();
    setById({});
    const update = (id: string, source: TrackSource) => setById((current) => ({ ...current, [id]: source }));
    for (const track of playable) {
      recordingsApi
        .streamUrl(recordingId, track.id, controller.signal)
        .then(({ url }) => {
          if (!controller.signal.aborted) update(track.id, { url });
        })
        .catch((error: unknown) => {
          if (!controller.signal.aborted) update(track.id, { error });
        });
    }
    return () => controller.abort();
  }, [signature]);

  return { byId, settled: playable.every((t) => byId[t.id] !== undefined) };
}
