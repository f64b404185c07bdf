import type { Clock } from './clock';
import type { Logger } from './logger';

/** Node's timers overflow past 2^31 ms (~24.8 days): a farther deadline is re-armed on the way. */
const MAX_TIMER_MS = 7 * 86_400_000;
/** After a failed sweep, the next try. */
const RETRY_MS = 60_000;

/**
 * One timer on the injected `Clock` for the earliest open deadline of something stored (low-score
 * follow-ups, article tasks). A sweep marks what is due (`markDue`, which returns the next
 * deadline, or null when nothing is open: an idle desk, and a test's manual clock, has nothing
 * armed) and re-arms. `watch` re-arms for a deadline opened on this node; one opened on another
 * node is watched there, and after a restart `start` sweeps what fell due meanwhile.
 */
export class DeadlineWatch {
  private timer: unknown;
  private armedFor: number | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly clock: Clock,
    private readonly markDue: (now: Date) => Promise<Date | null>,
    private readonly logger: Logger,
    /** What the log says when a sweep fails. */
    private readonly failure: string,
  ) {}

  /** Marks what is already due (e.g. while the server was down) and arms the timer. */
  start(): Promise<void> {
    return this.sweep();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** Resolves when no sweep is running (for a clean shutdown). */
  async idle(): Promise<void> {
    await this.sweeping;
  }

  /** Something due at `dueAt` was opened on this node: the timer rings by then. */
  watch(dueAt: Date): void {
    if (this.stopped) return;
    if (this.armedFor === undefined || dueAt.getTime() < this.armedFor) this.arm(dueAt.getTime());
  }

  /** Marks everything past its deadline, then re-arms; concurrent calls share one sweep. */
  sweep(): Promise<void> {
    this.sweeping ??= this.runSweep().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async runSweep(): Promise<void> {
    try {
      const next = await this.markDue(this.clock.now());
      if (!this.stopped && next) this.arm(next.getTime());
    } catch (err) {
      this.logger.error({ err }, this.failure);
      if (!this.stopped) this.arm(this.clock.now().getTime() + RETRY_MS);
    }
  }

  private arm(at: number): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    const now = this.clock.now().getTime();
    const delay = Math.max(0, Math.min(at - now, MAX_TIMER_MS));
    this.armedFor = now + delay;
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      this.armedFor = undefined;
      void this.sweep();
    }, delay);
  }
}
