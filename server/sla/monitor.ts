import { inArray } from 'drizzle-orm';
import type { SlaAlertView } from '../../signaling/protocol';
import type { Database } from '../db/client';
import { slaAlerts } from '../db/schema';
import type { EventBus } from '../events/bus';
import type { Logger } from '../logger';
import type { SettingsService } from '../settings/service';
import { ACTIVE_STATUSES, type TicketsRepository } from '../tickets/repository';
import { toTimelineEntry } from '../tickets/views';
import { evaluateTicket, slaFacts } from './facts';

/**
 * Evaluates the SLA clocks of every active ticket on a timer and records each warning and breach
 * exactly once: the alert's primary key (ticket, clock, kind, cycle) makes a second insert a no-op,
 * so several nodes running this at once, or a re-run after a crash, never duplicate an alert. An
 * alert that was inserted gets its timeline entry in the same transaction and is then pushed live.
 */
export class SlaMonitor {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;

  constructor(
    private readonly db: Database,
    private readonly repo: TicketsRepository,
    private readonly settings: SettingsService,
    private readonly bus: EventBus,
    private readonly logger: Logger,
  ) {}

  start(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(
      () => void this.runOnce().catch((err) => this.logger.error({ err }, 'SLA pass failed')),
      intervalMs,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over the active tickets; returns how many new alerts were recorded. */
  runOnce(now = new Date()): Promise<number> {
    // Never two passes at once in one process; the database makes it safe across processes.
    this.running ??= this.pass(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async pass(now: Date): Promise<number> {
    const policy = (await this.settings.get()).slaPolicy;
    const tickets = await this.repo.listTickets({ statuses: ACTIVE_STATUSES, limit: 5000 });
    if (tickets.length === 0) return 0;
    const ids = tickets.map((t) => t.id);
    const [statusEvents, activity, recorded] = await Promise.all([
      this.repo.statusEventsFor(ids),
      this.repo.publicActivityFor(ids),
      this.db.select().from(slaAlerts).where(inArray(slaAlerts.ticketId, ids)),
    ]);
    let created = 0;
    for (const ticket of tickets) {
      const facts = slaFacts(
        ticket,
        statusEvents.filter((e) => e.ticketId === ticket.id),
        activity.filter((a) => a.ticketId === ticket.id),
      );
      const known = recorded
        .filter((r) => r.ticketId === ticket.id)
        .map((r) => ({ clock: r.clock as 'first_response', kind: r.kind as 'warning', cycle: r.cycle }));
      const { newAlerts } = evaluateTicket(policy, facts, now, known);
      for (const alert of newAlerts) {
        const type = alert.kind === 'warning' ? ('sla.warning' as const) : ('sla.breached' as const);
        const event = await this.repo.transaction(async (repo) => {
          const inserted = await repo.db
            .insert(slaAlerts)
            .values({
              ticketId: ticket.id,
              clock: alert.clock,
              kind: alert.kind,
              cycle: alert.cycle,
              at: alert.at,
            })
            .onConflictDoNothing()
            .returning();
          if (inserted.length === 0) return undefined; // another node recorded it first
          return repo.insertEvent({
            ticketId: ticket.id,
            type,
            actorId: null,
            data: {
              clock: alert.clock,
              cycle: alert.cycle,
              at: alert.at.toISOString(),
              priority: ticket.priority,
            },
          });
        });
        if (!event) continue;
        created++;
        const view: SlaAlertView = {
          ticketId: ticket.id,
          ticketNumber: ticket.number,
          subject: ticket.subject,
          clock: alert.clock,
          kind: alert.kind,
          at: alert.at.toISOString(),
        };
        this.bus.publish(type, { entry: toTimelineEntry(event, undefined), alert: view });
      }
    }
    return created;
  }
}
