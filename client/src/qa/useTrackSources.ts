import { useEffect, useState } from 'react';
import { type RecordingTrack, recordingsApi } from './api';

export interface TrackSource {
  url?: string;
  /** 0 until the track's link has arrived, then 1. */
  progress: number;
  error?: unknown;
}

export interface TrackSources {
  byId: Record<string, TrackSource>;
  /** Every track has either its link or an error. */
  settled: boolean;
  /** Share of the tracks whose link has arrived. */
  progress: number;
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
    setById(Object.fromEntries(playable.map((t) => [t.id, { progress: 0 }])));
    const update = (id: string, patch: Partial<TrackSource>) =>
      setById((current) => ({ ...current, [id]: { ...current[id], progress: 1, ...patch } }));
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

  const done = playable.filter((t) => (byId[t.id]?.progress ?? 0) >= 1).length;
  return {
    byId,
    settled: playable.every((t) => byId[t.id]?.url !== undefined || byId[t.id]?.error !== undefined),
    progress: playable.length > 0 ? done / playable.length : 1,
  };
}
