// The figures bench:capacity derives from what it measured: loss over a window, and how many calls
// one worker core carries. Pure: tests/unit/capacityMath.test.ts.

/** A receiver's counters at one instant (cumulative). */
export interface ReceiverCount {
  received: number;
  expected: number;
}

/** mediasoup's own rule of thumb for one worker (its documentation, "Scalability"). */
export const CONSUMERS_PER_WORKER_GUIDANCE = 500;

/** The loss a level may show and still count as carried. */
export const MAX_LOSS_PERCENT = 1;

/**
 * Packets lost between two readings of the same receivers (by key), as a percentage of those
 * expected, over all of them together and for the worst one. Receivers only in `after` count from
 * zero. NaN when nothing was expected (no media flowed: never reported as 0 %).
 */
export function lossBetween(
  before: ReadonlyMap<number, ReceiverCount>,
  after: ReadonlyMap<number, ReceiverCount>,
): { lossPercent: number; worstPercent: number; expected: number; lost: number } {
  let expected = 0;
  let lost = 0;
  let worst = Number.NaN;
  for (const [key, b] of after) {
    const a = before.get(key) ?? { received: 0, expected: 0 };
    const e = b.expected - a.expected;
    // A late packet of the previous window counts here: never below zero.
    const l = Math.max(0, e - (b.received - a.received));
    if (e <= 0) continue;
    expected += e;
    lost += l;
    const percent = (l / e) * 100;
    if (!(percent <= worst)) worst = percent;
  }
  return {
    lossPercent: expected > 0 ? (lost / expected) * 100 : Number.NaN,
    worstPercent: worst,
    expected,
    lost,
  };
}

/** One measured level as the derivation needs it. */
export interface LevelPoint {
  calls: number;
  /** CPU of all mediasoup workers together, % of one core (median over the window's samples). */
  workerCpuPercent: number;
  lossPercent: number;
}

/**
 * Calls one worker core carries at under 1 % loss: from the largest level that stayed under it, its
 * calls over the worker CPU they took (a core = 100 %), so fixed costs are spread over as many calls
 * as were measured. NaN (and `basedOn` null) when no level qualifies. `limitedBy` says whether a
 * larger level went over the loss limit (the figure is then also an upper bound for this machine).
 */
export function callsPerWorkerCore(levels: readonly LevelPoint[]): {
  calls: number;
  basedOn: number | null;
  lossLimitReachedAt: number | null;
} {
  const carried = levels.filter(
    (l) => l.lossPercent < MAX_LOSS_PERCENT && Number.isFinite(l.workerCpuPercent) && l.workerCpuPercent > 0,
  );
  const over = levels.filter((l) => !(l.lossPercent < MAX_LOSS_PERCENT)).map((l) => l.calls);
  const lossLimitReachedAt = over.length ? Math.min(...over) : null;
  if (carried.length === 0) return { calls: Number.NaN, basedOn: null, lossLimitReachedAt };
  const best = carried.reduce((a, b) => (b.calls > a.calls ? b : a));
  return { calls: best.calls / (best.workerCpuPercent / 100), basedOn: best.calls, lossLimitReachedAt };
}

/**
 * Where a call of `consumersPerCall` consumers lands against mediasoup's ~500 consumers per worker:
 * the calls that guidance allows, and the consumers `callsPerCore` calls would make.
 */
export function againstGuidance(
  consumersPerCall: number,
  callsPerCore: number,
): { callsAtGuidance: number; consumersAtMeasured: number; measuredShareOfGuidance: number } {
  const callsAtGuidance =
    consumersPerCall > 0 ? CONSUMERS_PER_WORKER_GUIDANCE / consumersPerCall : Number.NaN;
  const consumersAtMeasured = callsPerCore * consumersPerCall;
  return {
    callsAtGuidance,
    consumersAtMeasured,
    measuredShareOfGuidance: consumersAtMeasured / CONSUMERS_PER_WORKER_GUIDANCE,
  };
}
