import type { Availability, Presence } from '../../signaling/shared/domain';

/** One of a person's connections (a tab), on any node. */
export interface ConnectionState {
  /** No keyboard, pointer or focus activity in this tab for the idle time. */
  idle: boolean;
}

/**
 * Where a person is, from what is known of them. No connection left is `offline` whatever was
 * chosen (nobody can answer); a call beats the rest (the person is busy talking, and the table
 * should say why); a manual `busy`/`away` sticks over activity; otherwise any tab in use is
 * `online` and only tabs all idle make `away`.
 */
export function derivePresence(input: {
  manual: Availability;
  connections: readonly ConnectionState[];
  inCall: boolean;
}): Presence {
  if (input.connections.length === 0) return 'offline';
  if (input.inCall) return 'in_call';
  if (input.manual !== 'available') return input.manual;
  return input.connections.some((c) => !c.idle) ? 'online' : 'away';
}
