// Thin React hooks over the framework-free call code (client/src/lib/call).
import { useEffect, useState, useSyncExternalStore } from 'react';
import { CallEngine, type CallSnapshot } from '../lib/call/CallEngine';
import { type DeviceList, listDevices, watchDevices } from '../lib/call/devices';
import { realtime } from '../lib/socket';

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/**
 * The engine of one call, alive while the component is mounted: unmounting (leaving the page)
 * leaves the call and releases the camera and microphone.
 */
export function useCallEngine(callId: string, round = 0): CallEngine | null {
  const [engine, setEngine] = useState<CallEngine | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new round is a fresh engine for the same call
  useEffect(() => {
    const next = new CallEngine(callId, { signaling: realtime, storage: localStorageOrUndefined() });
    setEngine(next);
    return () => {
      next.destroy();
      setEngine((current) => (current === next ? null : current));
    };
  }, [callId, round]);
  return engine;
}

const noop = () => () => {};
const empty = () => null;

export function useCallSnapshot(engine: CallEngine | null): CallSnapshot | null {
  return useSyncExternalStore(engine?.subscribe ?? noop, engine?.getSnapshot ?? empty);
}

/** Cameras and microphones, refreshed when one is plugged in or out or `refreshKey` changes. */
export function useDevices(refreshKey: unknown): DeviceList {
  const [devices, setDevices] = useState<DeviceList>({ cameras: [], microphones: [], speakers: [] });
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey re-lists after access was granted (labels appear)
  useEffect(() => {
    let live = true;
    const refresh = () =>
      void listDevices()
        .then((list) => {
          if (live) setDevices(list);
        })
        .catch(() => {});
    refresh();
    const stop = watchDevices(refresh);
    return () => {
      live = false;
      stop();
    };
  }, [refreshKey]);
  return devices;
}

/**
 * The loudness (0..1) of a microphone track, sampled ~15 times a second from an AnalyserNode,
 * for the level meter. 0 without a track.
 */
export function useAudioLevel(track: MediaStreamTrack | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!track || typeof AudioContext === 'undefined') {
      setLevel(0);
      return;
    }
    let context: AudioContext;
    try {
      context = new AudioContext();
    } catch {
      return;
    }
    void context.resume().catch(() => {});
    const source = context.createMediaStreamSource(new MediaStream([track]));
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    const data = new Float32Array(analyser.fftSize);
    let last = 0;
    let frame = 0;
    const loop = (time: number) => {
      frame = requestAnimationFrame(loop);
      if (time - last < 66) return;
      last = time;
      analyser.getFloatTimeDomainData(data);
      let sum = 0;
      for (const v of data) sum += v * v;
      const rms = Math.sqrt(sum / data.length);
      // Speech sits around 0.02–0.2 RMS; a square-root curve makes quiet voices visible.
      setLevel(Math.min(1, Math.sqrt(rms * 4)));
    };
    frame = requestAnimationFrame(loop);
    return () => {
      cancelAnimationFrame(frame);
      source.disconnect();
      void context.close().catch(() => {});
    };
  }, [track]);
  return level;
}
