// Remembers, for this tab only (sessionStorage), which call it is in and how it joined, so a
// reload within the grace period joins again by itself instead of asking for the devices again.

const KEY = 'livedesk.call.active';

export interface ActiveCall {
  callId: string;
  cameraOff: boolean;
  micMuted: boolean;
}

function storage(): Storage | undefined {
  try {
    return window.sessionStorage;
  } catch {
    return undefined;
  }
}

export function rememberActiveCall(call: ActiveCall): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(call));
  } catch {
    // Not remembered: a reload shows the device check again, which also works.
  }
}

/** The call this tab was in, if it is `callId`. */
export function activeCall(callId: string): ActiveCall | null {
  try {
    const raw = storage()?.getItem(KEY);
    const value = raw ? (JSON.parse(raw) as Partial<ActiveCall>) : null;
    if (!value || value.callId !== callId) return null;
    return { callId, cameraOff: value.cameraOff === true, micMuted: value.micMuted === true };
  } catch {
    return null;
  }
}

export function forgetActiveCall(callId: string): void {
  try {
    if (activeCall(callId)) storage()?.removeItem(KEY);
  } catch {
    // Nothing to forget.
  }
}
