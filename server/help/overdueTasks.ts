import { sql } from 'drizzle-orm';
import type { Clock } from '../clock';
import type { Database } from '../db/client';
import { DeadlineWatch } from '../deadlineWatch';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';

/**
 * Tells an article task's agent and the supervisors when it passes its deadline undone, once: a
 * conditional update marks it (`overdue_notified_at`), so of several nodes or sweeps exactly one
 * publishes `article_task.overdue` (signaling/notify.ts sends the toast and badge). One timer on
 * the clock for the nearest deadline; a task opened on this node re-arms it (`watch`), and `start`
 * marks what went overdue while the server was down.
 */
export class OverdueArticleTasks {
  private readonly deadlines: DeadlineWatch;

  constructor(
    private readonly db: Database,
    private readonly bus: EventBus,
    clock: Clock,
    logger: Logger,
  ) {
    this.deadlines = new DeadlineWatch(
      clock,
      (now) => this.markOverdue(now),
      logger,
      'article task deadline sweep failed',
    );
  }

  start(): Promise<void> {
    return this.deadlines.start();
  }

  stop(): void {
    this.deadlines.stop();
  }

  idle(): Promise<void> {
    return this.deadlines.idle();
  }

  /** A task due at `dueAt` was opened here: the timer rings by then. */
  watch(dueAt: Date): void {
    this.deadlines.watch(dueAt);
  }

  sweep(): Promise<void> {
    return this.deadlines.sweep();
  }

  /** Marks and announces the tasks overdue at `at`; returns the next open deadline. */
  private async markOverdue(at: Date): Promise<Date | null> {
    const now = at.toISOString();
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
    return due ? new Date(due) : null;
  }
}
