/**
 * The clock and timers a service runs on. Services that ring, wait or expire take one, so tests
 * control time instead of sleeping on the wall clock (tests use `tests/helpers/manualClock.ts`).
 */
export interface Clock {
  now(): Date;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => new Date(),
  setTimeout: (callback, ms) => {
    const handle = setTimeout(callback, ms);
    // A pending ring, grace period or SLA check must never keep the process alive on its own.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
