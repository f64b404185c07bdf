// What a call entry in the conversation says about its call, and whether it can still be joined.
// Pure, so the rules are unit-tested on their own (tests/unit/callState.test.ts).
import type { CallView } from '../../../signaling/shared/protocol';

export type CallLinkState =
  | { kind: 'ringing' | 'connecting'; joinable: true }
  | { kind: 'in_progress'; joinable: true; seconds: number }
  | { kind: 'ended'; joinable: false; seconds: number }
  | { kind: 'ended_unconnected' | 'declined' | 'missed' | 'cancelled' | 'failed'; joinable: false }
  /** Not (yet) known: the call list is loading, or this reader cannot see the call. */
  | { kind: 'unknown'; joinable: false };

/**
 * The state of `call` at `now`: a live call (ringing, connecting, in progress with its running
 * duration) can be joined; an ended one says how it ended (with its connected duration) and can
 * never be joined, so its entry must not lead to the device check.
 */
export function callLinkState(call: CallView | undefined, now: number): CallLinkState {
  if (!call) return { kind: 'unknown', joinable: false };
  switch (call.status) {
    case 'ringing':
      return { kind: 'ringing', joinable: true };
    case 'connecting':
      return { kind: 'connecting', joinable: true };
    case 'connected': {
      const since = call.connectedAt ? Date.parse(call.connectedAt) : Number.NaN;
      const seconds = Number.isNaN(since) ? call.connectedSeconds : Math.max(0, (now - since) / 1000);
      return { kind: 'in_progress', joinable: true, seconds: Math.floor(seconds) };
    }
    case 'ended':
      switch (call.endReason) {
        case 'declined':
          return { kind: 'declined', joinable: false };
        case 'no_answer':
        case 'customer_offline':
          return { kind: 'missed', joinable: false };
        case 'cancelled':
          return { kind: 'cancelled', joinable: false };
        case 'failed':
          return call.connectedAt
            ? { kind: 'ended', joinable: false, seconds: call.connectedSeconds }
            : { kind: 'failed', joinable: false };
        default:
          return call.connectedAt
            ? { kind: 'ended', joinable: false, seconds: call.connectedSeconds }
            : { kind: 'ended_unconnected', joinable: false };
      }
  }
}
