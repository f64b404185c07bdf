// Thin React hooks over the framework-free call code (client/src/lib/call).
import { startTransition, useEffect, useRef, useState } from 'react';
import { CallEngine, type CallSnapshot } from '../lib/call/CallEngine';
import { type DeviceList, listDevices, watchDevices } from '../lib/call/devices';
import { preloadCallDevice } from '../lib/call/mediaDevice';
import { handOverEngine, takeHandedEngine } from '../lib/call/startCall';
import { useSession } from '../lib/session';
import { realtime, useConnectionStatus } from '../lib/socket';

function localStorageOrUndefined(): Storage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}

/** A call engine over the page's live connection (the call page's, and the caller's at Start). */
export function createCallEngine(callId: string): CallEngine {
  return new CallEngine(callId, { signaling: realtime, storage: localStorageOrUndefined() });
}

/**
 * The engine of one call, alive while the component is mounted: unmounting (leaving the page)
 * leaves the call and releases the camera and microphone. The first engine of a page is the one
 * "Start video call" made and joined before navigating here (startCall.ts), if there is one.
 */
export function useCallEngine(callId: string, round = 0): CallEngine | null {
  const [engine, setEngine] = useState<CallEngine | null>(null);
  useEffect(() => {
    const next = takeHandedEngine(callId, round) ?? createCallEngine(callId);
    setEngine(next);
    return () => {
      // Parked for a moment rather than destroyed: React's StrictMode (development) runs this
      // effect again at once, and must get the same engine back, not leave the call it joined.
      // A real unmount destroys it a task later.
      handOverEngine(next, round, 0);
      setEngine((current) => (current === next ? null : current));
    };
  }, [callId, round]);
  return engine;
}

/**
 * The engine's snapshot, rendered as a transition: the engine changes many times while a call is
 * joined (phase, tracks, participants, statistics) and the call view is a big tree; a transition
 * render yields to the browser every few milliseconds, so the socket messages and WebRTC callbacks
 * that set the call up are not held behind it (bench:join). The whole snapshot is one value
 * passed down as props, so no part of the view can show an older state than another.
 */
export function useCallSnapshot(engine: CallEngine | null): CallSnapshot | null {
  const [state, setState] = useState(() => ({ engine, snapshot: engine?.getSnapshot() ?? null }));
  // A new engine shows its own snapshot at once, never the previous engine's last one (React's
  // "adjust state while rendering": it re-renders before anything below is rendered).
  if (state.engine !== engine) setState({ engine, snapshot: engine?.getSnapshot() ?? null });
  // One transition render at a time. A transition update that arrives while another renders makes
  // React start that render over, and a join changes the engine every few tens of milliseconds:
  // the call view (a big tree) would restart until the join settled. Updates meanwhile wait and go
  // as one, with the latest snapshot, once the render in flight has committed. Leaving the device
  // check renders this way too: in slices, so the join's answer and the transports' callbacks are
  // handled between them (a synchronous render held the answer back by 300-800 ms on a busy
  // machine in bench:join); the check's Join button shows it is joining meanwhile.
  const gate = useRef({ inFlight: false, dirty: false, shown: state.snapshot, sync: () => {} });
  useEffect(() => {
    if (!engine) return;
    const current = gate.current;
    const sync = () => {
      if (current.sync !== sync) return; // an earlier engine's subscription
      if (current.inFlight) {
        current.dirty = true;
        return;
      }
      const snapshot = engine.getSnapshot();
      if (snapshot === current.shown) return;
      current.inFlight = true;
      // Always a new object: the update commits, and the effect below opens the gate again.
      startTransition(() => setState({ engine, snapshot }));
    };
    current.inFlight = false;
    current.dirty = false;
    current.sync = sync;
    sync(); // anything that changed between the render and this effect
    const unsubscribe = engine.subscribe(sync);
    return () => {
      unsubscribe();
      if (current.sync === sync) current.sync = () => {};
    };
  }, [engine]);
  // After each committed snapshot the next render may start, with whatever came meanwhile.
  useEffect(() => {
    const current = gate.current;
    current.shown = state.snapshot;
    current.inFlight = false;
    if (current.dirty) {
      current.dirty = false;
      current.sync();
    }
  }, [state]);
  // (This render is thrown away after the adjustment above; what it returns then does not matter.)
  return state.engine === engine ? state.snapshot : null;
}

/**
 * Cameras and microphones, refreshed when one is plugged in or out or `refreshKey` changes. Not
 * read while `enabled` is false (empty lists): the call's controls wait for the media to be up.
 */
export function useDevices(refreshKey: unknown, enabled = true): DeviceList {
  const [devices, setDevices] = useState<DeviceList>({ cameras: [], microphones: [], speakers: [] });
  // biome-ignore lint/correctness/useExhaustiveDependencies: refreshKey re-lists after access was granted (labels appear)
  useEffect(() => {
    if (!enabled) return;
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
  }, [refreshKey, enabled]);
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

/**
 * False until the browser has had an idle moment after `active` became true (at most `maxWaitMs`
 * later), then true for good. The call view mounts its secondary parts (chat, participant list,
 * whiteboard sync, the recordings lookup) this way: while a call is being joined the page's main
 * thread carries the signaling and WebRTC set-up, and rendering those parts at the same moment
 * measurably delayed the first picture (bench:join).
 */
export function useWhenIdle(active: boolean, maxWaitMs = 1500): boolean {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    if (!active || ready) return;
    if (typeof window.requestIdleCallback === 'function') {
      const handle = window.requestIdleCallback(() => setReady(true), { timeout: maxWaitMs });
      return () => window.cancelIdleCallback(handle);
    }
    // Safari has no requestIdleCallback: a short pause instead.
    const timer = setTimeout(() => setReady(true), Math.min(maxWaitMs, 300));
    return () => clearTimeout(timer);
  }, [active, ready, maxWaitMs]);
  return ready;
}

/**
 * True once this side's media is up: the call is connected (both sides receive), or `maxWaitMs`
 * after joining when it is not (the other side has not answered yet), and the browser then had an
 * idle moment. See `useWhenIdle`.
 */
export function useAfterMediaStarts(snapshot: CallSnapshot, maxWaitMs = 1500): boolean {
  const joined = snapshot.phase === 'in_call' || snapshot.phase === 'reconnecting';
  const connected = snapshot.call?.status === 'connected';
  const [waited, setWaited] = useState(false);
  useEffect(() => {
    if (!joined || waited) return;
    const timer = setTimeout(() => setWaited(true), maxWaitMs);
    return () => clearTimeout(timer);
  }, [joined, waited, maxWaitMs]);
  return useWhenIdle(connected || waited);
}

/**
 * Loads the page's media Device (client/src/lib/call/mediaDevice.ts) once the live connection is
 * up and the browser has had an idle moment, for everyone who takes part in calls: answering or
 * starting a call then does not wait for it. QA reviewers only replay calls.
 */
export function useCallDevicePreload(): void {
  const status = useConnectionStatus();
  const { session } = useSession();
  const takesCalls = session !== null && session.user.role !== 'qa';
  const idle = useWhenIdle(status === 'connected' && takesCalls, 3000);
  useEffect(() => {
    if (!idle) return;
    preloadCallDevice(localStorageOrUndefined(), () => realtime.request('call:capabilities', {}));
  }, [idle]);
}
