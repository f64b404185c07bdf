import { sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';

/** A timer never waits longer than this (setTimeout's limit is ~24.8 days); it re-arms. */
const MAX_TIMER_MS = 7 * 86_400_000;

/**
 * Tells an article task's agent and the supervisors when it passes its deadline undone, once: a
 * conditional update marks it (`overdue_notified_at`), so of several nodes or sweeps exactly one
 * publishes `article_task.overdue` (signaling/notify.ts sends the toast and badge). One timer on
 * the clock for the nearest deadline; a task opened on this node re-arms it (`watch`), and `start`
 * marks what went overdue while the server was down.
 */
export class OverdueArticleTasks {
  private timer: unknown;
  private armedFor: number | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {}

  start(): Promise<void> {
    return this.sweep();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  async idle(): Promise<void> {
    await this.sweeping;
  }

  /** A task due at `dueAt` was opened here: the timer rings by then. */
  watch(dueAt: Date): void {
    if (this.stopped) return;
    if (this.armedFor === undefined || dueAt.getTime() < this.armedFor) this.arm(dueAt.getTime());
  }

  sweep(): Promise<void> {
    this.sweeping ??= this.runSweep().finally(() => {
      this.sweeping = undefined;
    });
    return this.sweeping;
  }

  private async runSweep(): Promise<void> {
    try {
      const now = this.clock.now().toISOString();
      const marked = (await this.db.execute(sql`
        UPDATE help_article_tasks AS a SET overdue_notified_at = ${now}::timestamptz
        FROM tickets AS t
        WHERE t.id = a.ticket_id AND a.done_at IS NULL AND a.overdue_notified_at IS NULL
          AND a.due_at <= ${now}::timestamptz
        RETURNING a.id, a.ticket_id, a.agent_id, t.number, t.subject
      `)) as unknown as {
        rows: Array<{
          id: string;
          ticket_id: string;
          agent_id: string | null;
          number: number;
          subject: string;
        }>;
      };
      for (const row of marked.rows) {
        this.bus.publish('article_task.overdue', {
          taskId: row.id,
          ticketId: row.ticket_id,
          ticketNumber: Number(row.number),
          subject: row.subject,
          agentId: row.agent_id,
        });
      }
      const next = (await this.db.execute(sql`
        SELECT min(due_at) AS due FROM help_article_tasks WHERE done_at IS NULL AND overdue_notified_at IS NULL
      `)) as unknown as { rows: Array<{ due: string | Date | null }> };
      const due = next.rows[0]?.due;
      if (!this.stopped && due) this.arm(new Date(due).getTime());
    } catch (err) {
      this.logger.error({ err }, 'article task deadline sweep failed');
      if (!this.stopped) this.arm(this.clock.now().getTime() + 60_000);
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
