// `window.__livedeskCall` for the end-to-end tests (tests/e2e/call.test.ts): read-only counters and
// one repair path started on demand, installed only in a browser driven by automation
// (navigator.webdriver), so it does nothing for real users.

import type { DebugStats } from './StatsReporter';
import type { CallPhase } from './types';

export interface CallTestHook {
  callId: string;
  stats(): Promise<DebugStats>;
  phase(): CallPhase;
  /** This side asked to hang up or cancel, and the server has not answered yet. */
  ending(): boolean;
  /** The device check's head start is in place: transports made, tracks sent held (`prepare`). */
  prepared(): boolean;
  /** The labels of the devices being sent (which microphone and camera are in use). */
  localDevices(): { mic: string | null; camera: string | null };
  /**
   * The path a dropped connection takes (new ICE credentials from the server, the browser checks
   * again), started on demand: the tests cannot cut loopback traffic. Resolves with the transport ids.
   */
  restartIce(): Promise<string[]>;
}

type HookWindow = { __livedeskCall?: CallTestHook };

export function installCallTestHook(hook: CallTestHook): void {
  if (typeof window === 'undefined' || typeof navigator === 'undefined' || !navigator.webdriver) return;
  (window as unknown as HookWindow).__livedeskCall = hook;
}

export function removeCallTestHook(callId: string): void {
  if (typeof window === 'undefined') return;
  const w = window as unknown as HookWindow;
  if (w.__livedeskCall?.callId === callId) delete w.__livedeskCall;
}
