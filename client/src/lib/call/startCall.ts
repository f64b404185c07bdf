// The caller's call, joined before its page is shown, and the engine handed across the navigation.
//
// "Start video call" used to navigate to the call page and let that page create the engine and
// join: the join left 15–280 ms after `call:start`'s answer (navigation, the call page's first
// renders) and, in half of bench:join's runs, the caller's set-up was still running on the server
// when the customer's join came in (docs/decisions.md, "The caller joins before navigating").
// Now the engine is made and joins the moment `call:start` answers, and the call page takes it
// over (`takeHandedEngine`) instead of making its own.

import type { CallView } from '../../../../signaling/shared/protocol';
import type { CallEngine } from './CallEngine';
import {
  deviceIdOf,
  type LocalMedia,
  loadDevicePreferences,
  saveDevicePreferences,
  stopTrack,
} from './devices';
import type { CallSignaling } from './types';

/** Engines handed over, by call page (`callId:round`), with the timer that destroys each if no page takes it. */
const handed = new Map<string, { engine: CallEngine; timer: ReturnType<typeof setTimeout> }>();

/** A handed engine no page took by then (the navigation never happened) leaves the call. */
export const UNCLAIMED_ENGINE_MS = 10_000;

function keyOf(callId: string, round: number): string {
  return `${callId}:${round}`;
}

/**
 * Keeps `engine` for the call page of its call (`round` 0: the page's first engine) for `ttlMs`;
 * then, unless taken, it is destroyed (it leaves the call and releases the devices). Engines of
 * other call pages are kept apart (the page of an ended call parks its engine while "Call again"
 * hands over the new call's); another engine handed for the same page is destroyed now.
 */
export function handOverEngine(engine: CallEngine, round = 0, ttlMs = UNCLAIMED_ENGINE_MS): void {
  const key = keyOf(engine.callId, round);
  const previous = handed.get(key);
  if (previous) {
    clearTimeout(previous.timer);
    if (previous.engine !== engine) previous.engine.destroy();
  }
  const timer = setTimeout(() => {
    if (handed.get(key)?.engine !== engine) return;
    handed.delete(key);
    engine.destroy();
  }, ttlMs);
  handed.set(key, { engine, timer });
}

/** The engine handed over for this call page (`callId`, `round`), once; null if none. */
export function takeHandedEngine(callId: string, round = 0): CallEngine | null {
  const key = keyOf(callId, round);
  const entry = handed.get(key);
  if (!entry) return null;
  clearTimeout(entry.timer);
  handed.delete(key);
  return entry.engine;
}

export interface StartCallDeps {
  signaling: Pick<CallSignaling, 'request'>;
  createEngine: (callId: string) => CallEngine;
  /** The camera and microphone, opening since the click (the caller has no device check). */
  devices: Promise<LocalMedia>;
  /** Where the call page will find whether this tab is in the call (activeCall.ts). */
  remember?: (callId: string) => void;
}

/**
 * Rings the ticket's customer (`call:start`) and, the moment the server answers, joins the call
 * with the devices still opening: the caller's transports and tracks are set up while the page
 * navigates and renders. The engine waits for the call page in `takeHandedEngine`. A refused
 * start releases the devices and throws.
 */
export async function startCall(
  ticketId: string,
  deps: StartCallDeps,
): Promise<{ call: CallView; engine: CallEngine }> {
  let call: CallView;
  try {
    call = await deps.signaling.request('call:start', { ticketId });
  } catch (err) {
    void deps.devices.then(
      (m) => {
        stopTrack(m.microphone);
        stopTrack(m.camera);
      },
      () => {},
    );
    throw err;
  }
  const engine = deps.createEngine(call.id);
  engine.setCall(call);
  deps.remember?.(call.id);
  const prefs = loadDevicePreferences();
  // The devices in use are the ones to open next time (as the device check remembers them).
  void deps.devices
    .then((m) => {
      const microphoneId = deviceIdOf(m.microphone);
      const cameraId = deviceIdOf(m.camera);
      if (microphoneId || cameraId) {
        saveDevicePreferences({
          ...(microphoneId ? { microphoneId } : {}),
          ...(cameraId ? { cameraId } : {}),
        });
      }
    })
    .catch(() => {});
  void engine.join({
    devices: deps.devices,
    cameraOff: false,
    micMuted: false,
    microphoneId: prefs.microphoneId,
    cameraId: prefs.cameraId,
  });
  handOverEngine(engine);
  return { call, engine };
}
