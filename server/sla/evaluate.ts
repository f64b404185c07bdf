import {
  CHANNELS,
  type Channel,
  PRIORITIES,
  type Priority,
  SLA_CLOCKS,
  type SlaClockName,
  STATUSES,
  type TicketStatus,
} from '../../signaling/shared/domain';
import {
  advance,
  type BusinessHours,
  type CompiledHours,
  compileBusinessHours,
  intersectWithBusiness,
  type Span,
} from './businessHours';
import { SlaInputError } from './inputError';

export type { BusinessHours, BusinessSpan, IsoWeekday } from './businessHours';
export { SlaInputError };

/**
 * SLA evaluation as a pure function of (policy, ticket facts, now, alerts already recorded).
 *
 * Why pure: the same code has to answer "what do the clocks say right now" for the ticket view, the
 * queue sort and the background sweeper that raises alerts, on any node, possibly late or twice. Making
 * `now` and the recorded alerts explicit inputs lets every caller get the same answer, lets the sweeper
 * be retried safely (alerts are idempotent on clock + kind + cycle) and lets the tests pin every instant.
 *
 * Time is handled in epoch milliseconds internally; the public numbers are seconds (they may carry a
 * millisecond fraction). "Counted" time is wall time minus pauses, and, when the policy has business
 * hours, minus everything outside them.
 */

// The vocabulary is the application's (signaling/shared/domain.ts); the names here are the ones
// the SLA rules read best with.
export type SlaClock = SlaClockName;
export type TicketPriority = Priority;
export type TicketChannel = Channel;
export type { TicketStatus };
export { SLA_CLOCKS };

/** Target per clock, in counted seconds. */
export type ClockTargets = Readonly<Record<SlaClock, number>>;

export interface SlaPolicy {
  readonly targets: Readonly<Record<TicketPriority, ClockTargets>>;
  /**
   * Per channel, per priority, per clock replacements of `targets`. Kept this granular because the
   * channels differ in what a customer expects (a chat waits seconds, an email hours) while the
   * priorities still have to stay ordered inside each channel.
   */
  readonly channelOverrides?: Readonly<
    Partial<Record<TicketChannel, Readonly<Partial<Record<TicketPriority, Partial<ClockTargets>>>>>>
  >;
  /** Fraction of the target (0 < f < 1) at which the warning fires. */
  readonly warnAtFraction: number;
  /** While the ticket is `pending` (waiting on the customer), no clock accrues. */
  readonly pauseWhilePending: boolean;
  /** While the ticket is `on_hold` (waiting on a third party), no clock accrues. */
  readonly pauseWhileOnHold: boolean;
  /** null = every second counts. */
  readonly businessHours: BusinessHours | null;
}

export interface SlaTicketFacts {
  /**
   * The CURRENT priority. Its targets apply to the whole life of the ticket, retroactively: raising
   * P3 to P1 can make a clock overdue at once, with alerts whose `at` lies before the change. We do
   * this rather than splitting the history per priority because the SLA a customer is owed is the one
   * for how serious the ticket is now, and because it keeps the result a function of today's facts.
   * Alerts already recorded are never re-emitted, so lowering the priority afterwards does not undo
   * or duplicate anything.
   */
  readonly priority: TicketPriority;
  readonly channel: TicketChannel;
  readonly createdAt: Date;
  /** Every status change in time order, starting with the initial status at exactly `createdAt`. */
  readonly statusChanges: ReadonlyArray<{ readonly status: TicketStatus; readonly at: Date }>;
  /**
   * Public conversation activity in time order. 'agent_response' = a public reply by a person or a
   * connected call; automatic messages must not be passed in, since they do not answer anyone.
   */
  readonly activity: ReadonlyArray<{
    readonly kind: 'customer_message' | 'agent_response';
    readonly at: Date;
  }>;
}

/**
 * - `not_started`: no cycle open (only next_response: nobody is waiting for an answer).
 * - `running`: open and not paused. Also while outside business hours: that is not a pause, the
 *   clock simply has nothing to count until the next span, and `dueAt` already accounts for it.
 * - `paused`: open, but the ticket is in a pausing status (or solved while a customer message waits).
 * - `met` / `breached`: stopped (answered, solved), before / at-or-after the target.
 *
 * An open clock past its target stays `running`/`paused` (with `breached: true` and a negative
 * `remainingSeconds`), so the status always tells whether the clock is still moving.
 */
export type ClockStatus = 'not_started' | 'running' | 'paused' | 'met' | 'breached';

export interface ClockState {
  readonly clock: SlaClock;
  readonly status: ClockStatus;
  /** next_response: the cycle described (1 = the first follow-up), 0 when none is open; others: 0. */
  readonly cycle: number;
  /** The counted time reached the target (inclusive: answering exactly at the due instant is late). */
  readonly breached: boolean;
  readonly targetSeconds: number;
  /** Counted seconds: pauses excluded, and only business time when the policy has business hours. */
  readonly elapsedSeconds: number;
  /** target − elapsed, in counted seconds; negative when overdue. */
  readonly remainingSeconds: number;
  /**
   * Only for `running`: the wall-clock instant the target is (or, if already breached, was) reached,
   * assuming no further pause. null otherwise, since a stopped or paused clock has no due moment.
   */
  readonly dueAt: Date | null;
  /** elapsed / target. */
  readonly fraction: number;
}

export interface SlaAlert {
  readonly clock: SlaClock;
  readonly kind: 'warning' | 'breach';
  /** next_response: which cycle (1-based); 0 for first_response and resolution, which have one. */
  readonly cycle: number;
  /** The instant the threshold was crossed (respecting pauses and business hours), not `now`. */
  readonly at: Date;
}

export type SlaAlertKey = Pick<SlaAlert, 'clock' | 'kind' | 'cycle'>;

export interface SlaEvaluation {
  readonly clocks: Record<SlaClock, ClockState>;
  /** Alerts crossed by `now` and absent from `alreadyRecorded`, ordered by `at` (warning before breach). */
  readonly newAlerts: SlaAlert[];
  /**
   * The next instant after `now` at which a warning or breach not yet recorded will be crossed if
   * nothing changes (no reply, pause, status or priority change): when to evaluate this ticket
   * again, so an alert is raised at its moment instead of at the next periodic pass. null when no
   * running clock is heading for an alert.
   */
  readonly nextAlertAt: Date | null;
}

/** The target in force for one clock, after the channel override (seconds). Throws when missing. */
export function targetSeconds(
  policy: SlaPolicy,
  priority: TicketPriority,
  channel: TicketChannel,
  clock: SlaClock,
): number {
  const override = policy.channelOverrides?.[channel]?.[priority]?.[clock];
  const value = override ?? policy.targets?.[priority]?.[clock];
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new SlaInputError(
      `SLA policy: no valid ${clock} target for ${priority} on ${channel} (got ${String(value)}); ` +
        'targets must be positive numbers of seconds',
    );
  }
  return value;
}

/**
 * Evaluates the three clocks at `now` and returns the alerts that became due since `alreadyRecorded`.
 *
 * Semantics the rest of the system relies on:
 * - Facts after `now` are ignored, so the function can also replay the past ("as of" evaluation).
 * - Pausing statuses stop every clock. Solving or closing stops every clock as well and ends any open
 *   first_response / next_response cycle (the customer is not waiting for an answer on a solved
 *   ticket); the resolution clock resumes where it stopped when the ticket is reopened.
 * - first_response runs from creation to the first agent response (or the first solve).
 * - next_response cycles start at the first customer message after a response cycle ended (customer
 *   messages before the first response belong to first_response) and end at the next agent response.
 * - Each (clock, kind, cycle) alert is emitted once: pass back everything recorded so far.
 */
export function evaluateSla(
  policy: SlaPolicy,
  facts: SlaTicketFacts,
  now: Date,
  alreadyRecorded: ReadonlyArray<SlaAlertKey>,
): SlaEvaluation {
  const nowMs = instant(now, 'now');
  const createdMs = instant(facts.createdAt, 'createdAt');
  if (nowMs < createdMs) {
    throw new SlaInputError(`SLA facts: now (${now.toISOString()}) is before createdAt`);
  }
  validatePolicyShape(policy);
  if (!PRIORITIES.includes(facts.priority)) {
    throw new SlaInputError(`SLA facts: unknown priority ${String(facts.priority)}`);
  }
  if (!CHANNELS.includes(facts.channel)) {
    throw new SlaInputError(`SLA facts: unknown channel ${String(facts.channel)}`);
  }
  const targetsMs = {} as Record<SlaClock, number>;
  for (const clock of SLA_CLOCKS) {
    targetsMs[clock] = targetSeconds(policy, facts.priority, facts.channel, clock) * 1000;
  }
  const hours = policy.businessHours ? compileBusinessHours(policy.businessHours) : null;
  const statuses = readStatusChanges(facts, createdMs, nowMs);
  const activity = readActivity(facts, createdMs, nowMs);

  const stopping = new Set<TicketStatus>(['solved', 'closed']);
  if (policy.pauseWhilePending) stopping.add('pending');
  if (policy.pauseWhileOnHold) stopping.add('on_hold');
  const counted = intersectWithBusiness(accruingSegments(statuses, stopping, nowMs), hours);
  const currentStatus = statuses[statuses.length - 1]!.status;
  const pausedNow = stopping.has(currentStatus);

  const windows = responseWindows(statuses, activity, createdMs);
  const resolutionDone = currentStatus === 'solved' || currentStatus === 'closed';
  windows.push({ clock: 'resolution', cycle: 0, startMs: createdMs, endMs: resolutionDone ? nowMs : null });

  const recorded = new Set(alreadyRecorded.map(alertKey));
  const newAlerts: SlaAlert[] = [];
  let nextAlertMs = Number.POSITIVE_INFINITY;

  const clocks = {} as Record<SlaClock, ClockState>;
  for (const window of windows) {
    const target = targetsMs[window.clock];
    const spans = clip(counted, window.startMs, window.endMs ?? nowMs);
    // Rounded to whole milliseconds so crossing instants are exact Dates (0.8 × 1800 s is not exact).
    const thresholds = [
      { kind: 'warning' as const, ms: Math.max(1, Math.round(target * policy.warnAtFraction)) },
      { kind: 'breach' as const, ms: target },
    ];
    for (const { kind, ms } of thresholds) {
      const key = { clock: window.clock, kind, cycle: window.cycle };
      const at = crossingInstant(spans, ms);
      if (at === null) {
        // Still ahead: it will be crossed while this window stays open and the clock accrues.
        if (window.endMs === null && !pausedNow && !recorded.has(alertKey(key))) {
          nextAlertMs = Math.min(nextAlertMs, advance(hours, nowMs, ms - totalLength(spans)));
        }
        continue;
      }
      const alert: SlaAlert = { ...key, at: new Date(at) };
      if (!recorded.has(alertKey(alert))) newAlerts.push(alert);
    }
    // Windows come in time order per clock, so the last one written is the clock's current state;
    // earlier next_response cycles matter for their alerts alone.
    clocks[window.clock] = currentState(window, target, spans, pausedNow, hours, nowMs);
  }
  // No next_response window, or only finished ones: nobody is waiting now. A finished cycle's outcome
  // lives on in its alerts; showing it as the current state would read as if someone still waited.
  const next = (clocks as Partial<Record<SlaClock, ClockState>>).next_response;
  if (!next || next.status === 'met' || next.status === 'breached') {
    clocks.next_response = clockState('next_response', 0, 'not_started', targetsMs.next_response, 0, null);
  }

  newAlerts.sort(
    (a, b) =>
      a.at.getTime() - b.at.getTime() ||
      SLA_CLOCKS.indexOf(a.clock) - SLA_CLOCKS.indexOf(b.clock) ||
      a.cycle - b.cycle ||
      (a.kind === b.kind ? 0 : a.kind === 'warning' ? -1 : 1),
  );
  return {
    clocks,
    newAlerts,
    nextAlertAt: Number.isFinite(nextAlertMs) ? new Date(nextAlertMs) : null,
  };
}

/**
 * Queue sort key: the smallest remainingSeconds among running clocks (overdue ones are negative, so
 * they come first). Paused and stopped clocks are left out because they are not getting any closer to
 * their target (a pending ticket waits on the customer, a met clock is done); Infinity when no clock
 * runs, so such tickets sort last. Counted seconds, not wall time: with business hours, a ticket due
 * Monday 09:30 and one due Friday 16:30 are 30 counted minutes apart, which is the order agents need.
 */
export function urgencyScore(clocks: Readonly<Record<SlaClock, ClockState>>): number {
  let best = Number.POSITIVE_INFINITY;
  for (const clock of SLA_CLOCKS) {
    const state = clocks[clock];
    if (state?.status === 'running' && state.remainingSeconds < best) best = state.remainingSeconds;
  }
  return best;
}

// ---------------------------------------------------------------------------------------------------
// Internals. Intervals are [start, end) pairs of epoch milliseconds, sorted and disjoint.

interface ClockWindow {
  clock: SlaClock;
  cycle: number;
  startMs: number;
  /** null while still open at `now`. */
  endMs: number | null;
}

interface StatusAt {
  status: TicketStatus;
  atMs: number;
}

function alertKey(alert: SlaAlertKey): string {
  return `${alert.clock}|${alert.kind}|${alert.cycle}`;
}

function currentState(
  window: ClockWindow,
  targetMs: number,
  spans: readonly Span[],
  pausedNow: boolean,
  hours: CompiledHours | null,
  nowMs: number,
): ClockState {
  const elapsed = totalLength(spans);
  if (window.endMs !== null) {
    return clockState(
      window.clock,
      window.cycle,
      elapsed >= targetMs ? 'breached' : 'met',
      targetMs,
      elapsed,
      null,
    );
  }
  if (pausedNow) return clockState(window.clock, window.cycle, 'paused', targetMs, elapsed, null);
  const dueMs = crossingInstant(spans, targetMs) ?? advance(hours, nowMs, targetMs - elapsed);
  return clockState(window.clock, window.cycle, 'running', targetMs, elapsed, dueMs);
}

function clockState(
  clock: SlaClock,
  cycle: number,
  status: ClockStatus,
  targetMs: number,
  elapsedMs: number,
  dueMs: number | null,
): ClockState {
  return {
    clock,
    status,
    cycle,
    breached: elapsedMs >= targetMs,
    targetSeconds: targetMs / 1000,
    elapsedSeconds: elapsedMs / 1000,
    remainingSeconds: (targetMs - elapsedMs) / 1000,
    dueAt: dueMs === null ? null : new Date(dueMs),
    fraction: elapsedMs / targetMs,
  };
}

function instant(value: unknown, what: string): number {
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) {
    throw new SlaInputError(`SLA facts: ${what} must be a valid Date`);
  }
  return value.getTime();
}

function validatePolicyShape(policy: SlaPolicy): void {
  const f = policy.warnAtFraction;
  if (typeof f !== 'number' || !(f > 0 && f < 1)) {
    throw new SlaInputError(
      `SLA policy: warnAtFraction must be between 0 and 1 exclusive (got ${String(f)})`,
    );
  }
}

function readStatusChanges(facts: SlaTicketFacts, createdMs: number, nowMs: number): StatusAt[] {
  const list = facts.statusChanges;
  if (!Array.isArray(list) || list.length === 0) {
    throw new SlaInputError('SLA facts: statusChanges must include the initial status at createdAt');
  }
  const out: StatusAt[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  list.forEach((change, index) => {
    const atMs = instant(change.at, `statusChanges[${index}].at`);
    if (!STATUSES.includes(change.status)) {
      throw new SlaInputError(
        `SLA facts: statusChanges[${index}] has unknown status ${String(change.status)}`,
      );
    }
    if (atMs < previous) {
      throw new SlaInputError(
        `SLA facts: statusChanges are not in time order (index ${index} at ${change.at.toISOString()} ` +
          `is before index ${index - 1})`,
      );
    }
    previous = atMs;
    if (atMs <= nowMs) out.push({ status: change.status, atMs });
  });
  if (out[0]?.atMs !== createdMs) {
    throw new SlaInputError(
      'SLA facts: the first status change must be the initial status at createdAt ' +
        `(${facts.createdAt.toISOString()})`,
    );
  }
  return out;
}

function readActivity(facts: SlaTicketFacts, createdMs: number, nowMs: number) {
  const out: Array<{ kind: 'customer_message' | 'agent_response'; atMs: number }> = [];
  let previous = createdMs;
  facts.activity.forEach((item, index) => {
    const atMs = instant(item.at, `activity[${index}].at`);
    if (item.kind !== 'customer_message' && item.kind !== 'agent_response') {
      throw new SlaInputError(`SLA facts: activity[${index}] has unknown kind ${String(item.kind)}`);
    }
    if (atMs < createdMs) {
      throw new SlaInputError(`SLA facts: activity[${index}] (${item.at.toISOString()}) is before createdAt`);
    }
    if (atMs < previous) {
      throw new SlaInputError(
        `SLA facts: activity is not in time order (index ${index} at ${item.at.toISOString()} ` +
          `is before index ${index - 1})`,
      );
    }
    previous = atMs;
    if (atMs <= nowMs) out.push({ kind: item.kind, atMs });
  });
  return out;
}

/** Wall-time segments up to `now` during which the status lets clocks accrue. */
function accruingSegments(statuses: StatusAt[], stopping: Set<TicketStatus>, nowMs: number): Span[] {
  const out: Span[] = [];
  statuses.forEach((entry, i) => {
    const end = statuses[i + 1]?.atMs ?? nowMs;
    if (stopping.has(entry.status) || end <= entry.atMs) return;
    const last = out.at(-1);
    if (last && last[1] === entry.atMs) out[out.length - 1] = [last[0], end];
    else out.push([entry.atMs, end]);
  });
  return out;
}

/**
 * Replays statuses and activity into first_response / next_response windows. Status changes are taken
 * before activity at the same instant, so a customer message that reopens a solved ticket opens a cycle
 * on the reopened ticket rather than one that the solve would close immediately.
 */
function responseWindows(
  statuses: StatusAt[],
  activity: ReturnType<typeof readActivity>,
  createdMs: number,
): ClockWindow[] {
  type Event = { atMs: number; kind: 'solve' | 'other_status' | 'customer_message' | 'agent_response' };
  const events: Event[] = [];
  let s = 0;
  let a = 0;
  while (s < statuses.length || a < activity.length) {
    const nextStatus = statuses[s];
    const nextActivity = activity[a];
    if (nextStatus && (!nextActivity || nextStatus.atMs <= nextActivity.atMs)) {
      const solve = nextStatus.status === 'solved' || nextStatus.status === 'closed';
      events.push({ atMs: nextStatus.atMs, kind: solve ? 'solve' : 'other_status' });
      s++;
    } else if (nextActivity) {
      events.push({ atMs: nextActivity.atMs, kind: nextActivity.kind });
      a++;
    }
  }

  const windows: ClockWindow[] = [];
  let open: ClockWindow | null = { clock: 'first_response', cycle: 0, startMs: createdMs, endMs: null };
  windows.push(open);
  let cycle = 0;
  for (const event of events) {
    if (event.kind === 'agent_response' || event.kind === 'solve') {
      if (open) open.endMs = event.atMs;
      open = null;
    } else if (event.kind === 'customer_message' && !open) {
      cycle++;
      open = { clock: 'next_response', cycle, startMs: event.atMs, endMs: null };
      windows.push(open);
    }
  }
  return windows;
}

function clip(spans: readonly Span[], from: number, to: number): Span[] {
  const out: Span[] = [];
  for (const [s, e] of spans) {
    const start = Math.max(s, from);
    const end = Math.min(e, to);
    if (end > start) out.push([start, end]);
  }
  return out;
}

function totalLength(spans: readonly Span[]): number {
  let sum = 0;
  for (const [s, e] of spans) sum += e - s;
  return sum;
}

/**
 * The instant the counted time inside `spans` reaches `thresholdMs`, or null if it does not. When the
 * threshold is reached exactly at the end of a span, that end is the answer (17:00 on Friday, not the
 * opening of the next span on Monday).
 */
function crossingInstant(spans: readonly Span[], thresholdMs: number): number | null {
  let sum = 0;
  for (const [s, e] of spans) {
    if (sum + (e - s) >= thresholdMs) return s + (thresholdMs - sum);
    sum += e - s;
  }
  return null;
}
