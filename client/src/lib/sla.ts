import type { SlaClockView } from '../../../signaling/shared/protocol';

/** A running clock counts as "breaching soon" below this share of its target (as the server does). */
export const WARNING_FRACTION = 0.2;

/** Seconds left on a clock now: a running clock is counted down from `dueAt` between refreshes. */
export function remainingSeconds(clock: SlaClockView, now = Date.now()): number {
  if ((clock.status === 'running' || clock.status === 'breached') && clock.dueAt) {
    const due = Date.parse(clock.dueAt);
    if (!Number.isNaN(due)) return Math.round((due - now) / 1000);
  }
  return clock.remainingSeconds;
}

export type ClockSeverity = 'breached' | 'warning' | 'ok' | 'paused' | 'done';

export function clockSeverity(clock: SlaClockView, now = Date.now()): ClockSeverity {
  if (clock.status === 'met' || clock.status === 'not_started') return 'done';
  const remaining = remainingSeconds(clock, now);
  if (clock.status === 'breached' || remaining < 0) return 'breached';
  if (clock.status === 'paused') return 'paused';
  return remaining < clock.targetSeconds * WARNING_FRACTION ? 'warning' : 'ok';
}

/** The clocks worth a badge in a queue: those still counting (or paused, or overdue). */
export function activeClocks(clocks: SlaClockView[]): SlaClockView[] {
  return clocks.filter((c) => c.status === 'running' || c.status === 'paused' || c.status === 'breached');
}
