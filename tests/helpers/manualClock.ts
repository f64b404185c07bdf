import type { Clock } from '../../server/clock';

/**
 * A clock whose timers fire only when the test moves time (`advance`), however long the test
 * itself takes. It never reads behind the real clock, since the database stamps some rows itself;
 * moving it puts it ahead.
 */
export class ManualClock implements Clock {
  private offset = 0;
  private nextId = 0;
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private readonly waiters: Array<() => void> = [];

  now = () => new Date(Date.now() + this.offset);

  setTimeout = (callback: () => void, ms: number) => {
    const id = ++this.nextId;
    // Due on the moved time only: real time passing does not bring a timer closer.
    this.pending.set(id, { at: this.offset + ms, callback });
    for (const wake of this.waiters.splice(0)) wake();
    return id;
  };

  clearTimeout = (handle: unknown) => void this.pending.delete(handle as number);

  /** How many timers are armed now. */
  get armed(): number {
    return this.pending.size;
  }

  /** Resolves when the next timer is armed (a ring, a grace period): the service got that far. */
  nextTimer(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Moves time forward by `ms` and runs, in order, every timer due by then; returns how many ran. */
  advance(ms: number): number {
    this.offset += ms;
    const due = [...this.pending.entries()]
      .filter(([, t]) => t.at <= this.offset)
      .sort((a, b) => a[1].at - b[1].at);
    for (const [id, timer] of due) {
      this.pending.delete(id);
      timer.callback();
    }
    return due.length;
  }
}
