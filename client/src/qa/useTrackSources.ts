import { useEffect, useState } from 'react';
import { downloadTrack, type RecordingTrack } from './api';

export interface TrackSource {
  url?: string;
  /** 0–1 while downloading. */
  progress: number;
  error?: unknown;
}

export interface TrackSources {
  byId: Record<string, TrackSource>;
  /** Every track has either its file or an error. */
  settled: boolean;
  /** Overall download progress, weighted by size. */
  progress: number;
}

/** Tracks that have a file to play (a failed track has none; a running one is not finished). */
export const hasFile = (track: RecordingTrack) => track.status === 'ready' || track.status === 'partial';

/**
 * Downloads the track files of a recording (with the bearer token) and hands out object URLs,
 * revoked when the component goes away or the tracks change.
 */
export function useTrackSources(tracks: RecordingTrack[]): TrackSources {
  const playable = tracks.filter(hasFile);
  const signature = playable.map((t) => `${t.id}:${t.sizeBytes ?? ''}`).join(',');
  const [byId, setById] = useState<Record<string, TrackSource>>({});

  // biome-ignore lint/correctness/useExhaustiveDependencies: `signature` stands for the playable tracks
  useEffect(() => {
    const controller = new AbortController();
    const urls: string[] = [];
    setById(Object.fromEntries(playable.map((t) => [t.id, { progress: 0 }])));
    const update = (id: string, patch: Partial<TrackSource>) =>
      setById((current) => ({ ...current, [id]: { ...current[id], progress: 0, ...patch } }));
    for (const track of playable) {
      // Progress events come per chunk; a state update per animation frame is plenty.
      let frame = 0;
      downloadTrack(track.url, {
        signal: controller.signal,
        onProgress: (progress) => {
          cancelAnimationFrame(frame);
          frame = requestAnimationFrame(() => update(track.id, { progress }));
        },
      })
        .then((url) => {
          cancelAnimationFrame(frame);
          if (controller.signal.aborted) {
            URL.revokeObjectURL(url);
            return;
          }
          urls.push(url);
          update(track.id, { url, progress: 1 });
        })
        .catch((error: unknown) => {
          cancelAnimationFrame(frame);
          if (!controller.signal.aborted) update(track.id, { error, progress: 1 });
        });
    }
    return () => {
      controller.abort();
      for (const url of urls) URL.revokeObjectURL(url);
    };
  }, [signature]);

  const total = playable.reduce((n, t) => n + (t.sizeBytes ?? 1), 0);
  const done = playable.reduce((n, t) => n + (byId[t.id]?.progress ?? 0) * (t.sizeBytes ?? 1), 0);
  return {
    byId,
    settled: playable.every((t) => byId[t.id]?.url !== undefined || byId[t.id]?.error !== undefined),
    progress: total > 0 ? done / total : 1,
  };
}
