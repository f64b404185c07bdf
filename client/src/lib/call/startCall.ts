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

/** An engine handed over, and the timer that destroys it if no page takes it. */
let slot: { key: string; engine: CallEngine; timer: ReturnType<typeof setTimeout> } | null = null;

/** A handed engine no page took by then (the navigation never happened) leaves the call. */
export const UNCLAIMED_ENGINE_MS = 10_000;

function keyOf(callId: string, round: number): string {
  return `${callId}:${round}`;
}

/**
 * Keeps `engine` for the call page of its call (`round` 0: the page's first engine) for `ttlMs`;
 * then, unless taken, it is destroyed (it leaves the call and releases the devices). An engine
 * handed earlier and not taken is destroyed now.
 */
export function handOverEngine(engine: CallEngine, round = 0, ttlMs = UNCLAIMED_ENGINE_MS): void {
  if (slot && slot.engine !== engine) {
    clearTimeout(slot.timer);
    slot.engine.destroy();
  } else if (slot) clearTimeout(slot.timer);
  const key = keyOf(engine.callId, round);
  const timer = setTimeout(() => {
    if (slot?.key !== key || slot.engine !== engine) return;
    slot = null;
    engine.destroy();
  }, ttlMs);
  slot = { key, engine, timer };
}

/** The engine handed over for this call page (`callId`, `round`), once; null if none. */
export function takeHandedEngine(callId: string, round = 0): CallEngine | null {
  if (!slot || slot.key !== keyOf(callId, round)) return null;
  const { engine, timer } = slot;
  clearTimeout(timer);
  slot = null;
  return engine;
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
